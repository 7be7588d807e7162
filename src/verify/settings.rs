//! Settings and metadata are not prose. The site's settings (`site.toml`: title, description,
//! author, `[words]`, `[extra]`) and a page's front-matter values (title, description, free
//! `[extra]` data) are shown on many pages but written once, and cannot cite a source: a figure
//! or quotation they bring to a page is reported once, at the value's own file and line, never
//! at the templates that show it. A source's description (`[extra.source]`: title, publisher,
//! date, URL...) and a page's `date` describe a document rather than claim anything, and are
//! checked as what they are when the content is loaded; a URL written out in a page's text is
//! an address, never a figure.
//!
//! Nothing is collected unless a page has a finding: a good build never pays for this.

use std::ops::Range;

use crate::diag::{Problem, inline};
use crate::model::{Page, Site};

/// The figures of a text, as the checks read them: the one place to swap the claim reader.
fn figure_count(text: &str) -> usize {
    crate::claims::read(text, crate::lang::Lang::default()).len()
}

/// What a value is to the checks of a page's text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Describes a document (`[extra.source]`, a page's `date`): not a claim of the briefing.
    Metadata,
    /// A setting shown as text: it cannot cite, so a finding in it is the setting's.
    Setting,
}

/// Where a value is written.
#[derive(Clone, Copy)]
enum Origin {
    SiteToml,
    /// The front matter of the page at this index of `site.pages`.
    Page(usize),
}

/// One text value of the settings or of some page's front matter.
struct Value {
    text: String,
    kind: Kind,
    origin: Origin,
    /// Its key path (`title`, `extra.footer`, `extra.source.url`).
    path: String,
}

/// What becomes of a finding on a page.
pub enum Verdict {
    /// It stays the page's.
    Page,
    /// It is about no claim: a URL, or a document's description.
    Drop,
    /// It is a setting's, reported there (the same problem from every page showing it).
    At(Problem),
}

/// The text values of site.toml: its title, description and author, the words it sets (a word
/// left at its default is the templates' own, not a setting) and its `extra`.
fn config_values(site: &Site, values: &mut Vec<Value>) {
    let config = &site.config;
    for (key, text) in [
        ("title", &config.title),
        ("description", &config.description),
        ("author", &config.author),
    ] {
        push(values, text, Kind::Setting, Origin::SiteToml, key);
    }
    if let Ok(toml::Value::Table(mut words)) = toml::Value::try_from(&config.words) {
        let written = site_toml(site).unwrap_or_default();
        words
            .retain(|key, _| crate::spans::key_offset(&written, &format!("words.{key}")).is_some());
        leaves(values, &words, "words", Kind::Setting, Origin::SiteToml);
    }
    leaves(
        values,
        &config.extra,
        "extra",
        Kind::Setting,
        Origin::SiteToml,
    );
}

/// The text values of one page's front matter: title, description, date, and `extra` (a
/// source's metadata as metadata; typed data, checked elsewhere, left out).
fn page_values(page: &crate::model::Page, origin: Origin, values: &mut Vec<Value>) {
    push(values, &page.meta.title, Kind::Setting, origin, "title");
    let description = &page.meta.description;
    push(values, description, Kind::Setting, origin, "description");
    if let Some(date) = &page.meta.date {
        push(values, date, Kind::Metadata, origin, "date");
    }
    for (key, value) in &page.meta.extra {
        let path = format!("extra.{key}");
        match value {
            toml::Value::Table(t) if key == "source" => {
                leaves(values, t, &path, Kind::Metadata, origin);
            }
            _ if crate::cite::is_typed_data(key) => {}
            value => leaf(values, value, &path, Kind::Setting, origin),
        }
    }
}

/// Every text value of the settings and of the pages' front matter.
pub struct Settings {
    values: Vec<Value>,
}

impl Settings {
    /// Collect the values of `site`.
    pub fn of(site: &Site) -> Settings {
        let mut values = Vec::new();
        config_values(site, &mut values);
        for (i, page) in site.pages.iter().enumerate() {
            page_values(page, Origin::Page(i), &mut values);
        }
        Settings { values }
    }

    /// What becomes of a finding about `text[at]` of a page's `text`; `cited` tells whether it
    /// sits in a citation link (then it is the page's own prose).
    pub fn judge(&self, site: &Site, text: &str, at: &Range<usize>, cited: bool) -> Verdict {
        if in_url(text, at) {
            return Verdict::Drop;
        }
        if cited {
            return Verdict::Page;
        }
        let inside = |v: &&Value| within(text, &v.text, at);
        if self
            .values
            .iter()
            .filter(|v| v.kind == Kind::Metadata)
            .any(|v| inside(&v))
        {
            return Verdict::Drop;
        }
        match self
            .values
            .iter()
            .filter(|v| v.kind == Kind::Setting)
            .find(inside)
        {
            Some(value) => Verdict::At(value.problem(site, &text[at.clone()])),
            None => Verdict::Page,
        }
    }
}

fn push(values: &mut Vec<Value>, text: &str, kind: Kind, origin: Origin, path: &str) {
    // A bare number is as likely the page's own: a setting is matched when it has a letter, a
    // description of a document (`2019-04-14`) when it is more than digits.
    let telling = match kind {
        Kind::Setting => text.chars().any(char::is_alphabetic),
        Kind::Metadata => text.trim().chars().any(|c| !c.is_ascii_digit()),
    };
    if !telling {
        return;
    }
    values.push(Value {
        text: text.trim().to_string(),
        kind,
        origin,
        path: path.to_string(),
    });
}

fn leaves(values: &mut Vec<Value>, table: &toml::Table, path: &str, kind: Kind, origin: Origin) {
    // A table holding a citation is data checked against it, not a setting.
    if kind == Kind::Setting && (table.contains_key("quote") || table.contains_key("cite")) {
        return;
    }
    for (key, value) in table {
        leaf(values, value, &format!("{path}.{key}"), kind, origin);
    }
}

fn leaf(values: &mut Vec<Value>, value: &toml::Value, path: &str, kind: Kind, origin: Origin) {
    match value {
        toml::Value::String(s) => push(values, s, kind, origin, path),
        toml::Value::Table(t) => leaves(values, t, path, kind, origin),
        toml::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                leaf(values, item, &format!("{path}[{i}]"), kind, origin);
            }
        }
        _ => {}
    }
}

impl Value {
    /// The problem of this value, whose text shows `found` (a figure or a quotation).
    fn problem(&self, site: &Site, found: &str) -> Problem {
        let what = if figure_count(found) == 1 && found.len() <= 24 {
            format!("figure {found}")
        } else {
            format!("the quotation “{}”", inline(found.trim()))
        };
        let owner = match self.origin {
            Origin::SiteToml => "the site's",
            Origin::Page(_) => "the page's",
        };
        let message = format!(
            "{what} in {owner} `{}` (“{}”) has no source, and a setting cannot cite one: state it in a page's text with a citation, and leave it out of `{}` (docs/FORMAT.md, “Settings and metadata”)",
            self.path,
            inline(&self.text),
            self.path
        );
        match self.origin {
            Origin::SiteToml => site_problem(site, &self.path, message),
            Origin::Page(i) => {
                let page: &Page = &site.pages[i];
                crate::spans::problem_at_value(&page.file, &page.front, &self.path, message)
            }
        }
    }
}

/// The text of `site.toml`, as written.
fn site_toml(site: &Site) -> Option<String> {
    let read = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    site.root.read(crate::config::FILE, read).ok()
}

/// A problem at the value of `path` in `site.toml`.
fn site_problem(site: &Site, path: &str, message: String) -> Problem {
    let file = crate::config::FILE;
    let Some(text) = site_toml(site) else {
        return Problem::file(file, message);
    };
    let at =
        crate::spans::value_offset(&text, path).or_else(|| crate::spans::key_offset(&text, path));
    match at {
        Some(at) => Problem::at_offset(file, &text, at, 0, message),
        None => Problem::file(file, message),
    }
}

/// Whether `text[at]` lies inside an occurrence of `value` in `text`, white space matched
/// loosely (a template may wrap or indent what it shows).
fn within(text: &str, value: &str, at: &Range<usize>) -> bool {
    let words: Vec<&str> = value.split_whitespace().collect();
    let Some(first) = words.first() else {
        return false;
    };
    // An occurrence holding `at` starts at most the value's length (spaces may grow) before it.
    let mut from = at.end.saturating_sub(value.len() * 2 + 16);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    for (offset, _) in text[from..].match_indices(first) {
        let start = from + offset;
        if start > at.start {
            break;
        }
        if matches_from(text, start, &words).is_some_and(|end| at.end <= end) {
            return true;
        }
    }
    false
}

/// The end of `words` matched at `start`, each after white space.
fn matches_from(text: &str, start: usize, words: &[&str]) -> Option<usize> {
    let mut at = start + words[0].len();
    for word in &words[1..] {
        let rest = &text[at..];
        let trimmed = rest.trim_start();
        if trimmed.len() == rest.len() || !trimmed.starts_with(word) {
            return None;
        }
        at += rest.len() - trimmed.len() + word.len();
    }
    Some(at)
}

/// Whether `text[at]` is part of a web address written out (`https://…`, `www.…`).
fn in_url(text: &str, at: &Range<usize>) -> bool {
    if text[at.clone()].contains(char::is_whitespace) {
        return false; // a quotation, not part of one word
    }
    let start = text[..at.start].rfind(char::is_whitespace).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    let end = text[at.end..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| at.end + i);
    let word = text[start..end].trim_start_matches(['(', '<', '[', '“', '"', '‘', '\'']);
    ["https://", "http://", "www.", "mailto:", "ftp://"]
        .iter()
        .any(|p| word.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::{in_url, within};

    #[test]
    fn a_value_is_found_around_a_finding_with_its_spaces_loose() {
        let text = "Page not found · Revenue up\n  35% in 2023\nRevenue 35";
        let at = text.find("35").unwrap();
        assert!(within(text, "Revenue up 35% in 2023", &(at..at + 2)));
        let last = text.rfind("35").unwrap();
        assert!(!within(text, "Revenue up 35% in 2023", &(last..last + 2)));
        assert!(!within(text, "Revenue down", &(at..at + 2)));
    }

    #[test]
    fn a_url_is_an_address() {
        let text = "See (https://example.com/2023/letter-10k.pdf) and 10 more.";
        let at = text.find("10").unwrap();
        assert!(in_url(text, &(at..at + 2)));
        let plain = text.rfind("10").unwrap();
        assert!(!in_url(text, &(plain..plain + 2)));
    }
}
