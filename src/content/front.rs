//! Front matter: split the `+++`-delimited TOML from the body, reject unknown keys, and
//! resolve what was written into [`Meta`] (dates as text, a safe slug, a known sort order).

use serde::Deserialize;

use crate::diag::{Problem, find_line};
use crate::model::{Meta, SortBy};
use crate::tomlx::{datetime_text, plain_table};

/// Front matter exactly as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    title: Option<String>,
    description: Option<String>,
    date: Option<toml::Value>,
    weight: Option<i64>,
    draft: Option<bool>,
    slug: Option<String>,
    template: Option<String>,
    sort_by: Option<String>,
    document: Option<String>,
    in_nav: Option<bool>,
    language: Option<String>,
    #[serde(default)]
    extra: toml::Table,
}

/// Accept CRLF (and a byte-order mark) by normalising to `\n`.
pub fn normalize_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Most files have no carriage return at all; memchr looks with SIMD.
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text.replace("\r\n", "\n").into()
    } else {
        text.into()
    }
}

/// Split `+++`-delimited front matter from the body: returns the TOML and the body's offset.
pub fn split_front_matter<'t>(file: &str, text: &'t str) -> Result<(&'t str, usize), Problem> {
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() != "+++" {
        return Err(Problem::at_line(
            file,
            Some(text),
            1,
            "missing front matter: a content file must start with a `+++` line, then TOML, then `+++`",
        ));
    }
    let start = first.len() + 1;
    let mut offset = start.min(text.len());
    for line in text[offset..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok((&text[start..offset], offset + line.len()));
        }
        offset += line.len();
    }
    Err(Problem::at_line(
        file,
        Some(text),
        1,
        "front matter opened with `+++` on line 1 is never closed: add a `+++` line after it",
    ))
}

pub fn resolve_meta(
    raw: RawMeta,
    rel: &str,
    file: &str,
    text: &str,
    is_section: bool,
) -> Result<Meta, Problem> {
    let at_key = |key: &str, msg: String| {
        let line = find_line(text, &format!("\n{key}")).map_or(1, |l| l + 1);
        Problem::at_line(file, Some(text), line, msg)
    };
    let title = raw
        .title
        .ok_or_else(|| Problem::at_line(file, Some(text), 1, "front matter has no `title`"))?;
    let date = page_date(raw.date, &at_key)?;
    let stem = rel
        .rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".md");
    let slug = match raw.slug {
        Some(slug) => {
            check_slug(&slug).map_err(|msg| at_key("slug", msg))?;
            slug
        }
        None => stem.to_string(),
    };
    let sort_by = sort_by(raw.sort_by.as_deref()).map_err(|msg| at_key("sort_by", msg))?;
    if raw.document.is_some() && is_section {
        return Err(at_key(
            "document",
            "`document` belongs on a page, not a section".into(),
        ));
    }
    let language = match raw.language {
        None => None,
        Some(written) => Some(crate::lang::setting(&written).ok_or_else(|| {
            crate::spans::problem_at_value(file, text, "language", crate::lang::unknown(&written))
        })?),
    };
    Ok(Meta {
        title,
        description: raw.description.unwrap_or_default(),
        date,
        weight: raw.weight.unwrap_or(0),
        draft: raw.draft.unwrap_or(false),
        slug,
        template: raw.template,
        sort_by,
        document: raw.document,
        in_nav: raw.in_nav.unwrap_or(true),
        language,
        extra: plain_table(raw.extra),
    })
}

/// A page's `date` as it is shown: a TOML date, or a string that reads as a date.
fn page_date(
    date: Option<toml::Value>,
    at_key: &dyn Fn(&str, String) -> Problem,
) -> Result<Option<String>, Problem> {
    match date {
        None => Ok(None),
        Some(toml::Value::Datetime(d)) => Ok(Some(datetime_text(&d))),
        Some(toml::Value::String(s)) if crate::dates::is_date(&s) => Ok(Some(s)),
        Some(toml::Value::String(s)) => Err(at_key(
            "date",
            format!(
                "`date` is “{}”, which does not read as a date: write it as 2023-04-14",
                crate::diag::inline(&s)
            ),
        )),
        Some(other) => Err(at_key(
            "date",
            format!(
                "`date` must be a date like 2020-09-30, not a {}",
                other.type_str()
            ),
        )),
    }
}

/// A section's `sort_by`: weight (the default), date or title.
fn sort_by(written: Option<&str>) -> Result<SortBy, String> {
    match written {
        None | Some("weight") => Ok(SortBy::Weight),
        Some("date") => Ok(SortBy::Date),
        Some("title") => Ok(SortBy::Title),
        Some(other) => Err(format!(
            "unknown sort_by `{other}`: use weight, date or title"
        )),
    }
}

/// A slug is one path segment: it must not be able to name a file outside the output directory.
fn check_slug(slug: &str) -> Result<(), String> {
    if slug.is_empty() {
        return Err("`slug` is empty".into());
    }
    if slug.contains(['/', '\\']) || slug == "." || slug == ".." || slug.contains("..") {
        return Err(format!(
            "slug `{slug}` would escape the output directory: a slug is a single path segment"
        ));
    }
    if slug.starts_with('.') || slug.contains(['?', '#', '%', ':', '\0']) {
        return Err(format!(
            "slug `{slug}` is not a safe file name: use letters, digits, `-` and `_`"
        ));
    }
    Ok(())
}

/// Approximate words: runs of non-white-space (Markdown markers such as `##` count too). It
/// runs over every page before anything is rendered, so it is written for the vectoriser: a word
/// starts wherever a byte above `b' '` follows one at or below it, and each block of at most 128
/// such pairs is summed in a `u8`, which compiles to 16-byte compares and adds.
pub fn count_words(body: &str) -> usize {
    let bytes = body.as_bytes();
    let Some(&first) = bytes.first() else {
        return 0;
    };
    let mut words = usize::from(first > b' ');
    for (prev, next) in bytes.chunks(128).zip(bytes[1..].chunks(128)) {
        let starts: u8 = prev
            .iter()
            .zip(next)
            .map(|(&a, &b)| u8::from(a <= b' ') & u8::from(b > b' '))
            .sum();
        words += usize::from(starts);
    }
    words
}
