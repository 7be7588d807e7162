//! Read one built HTML file with a real HTML parser (lol_html, streaming) and keep what the
//! checks need: ids, references, images without alt, headings, lang, title, description.

use anyhow::{Context, Result};
use lol_html::html_content::Element;
use lol_html::{HtmlRewriter, Settings, element, text};
use std::cell::RefCell;
use std::collections::HashSet;

/// What one HTML file contains that the checks need.
#[derive(Debug, Default)]
pub struct Scan {
    pub ids: HashSet<String>,
    /// Every `id` attribute in document order, repeats kept (for duplicate ids).
    pub id_list: Vec<String>,
    /// (attribute value, element and attribute, e.g. `a href`).
    pub refs: Vec<(String, &'static str)>,
    pub images_without_alt: Vec<String>,
    pub headings: Vec<u8>,
    pub lang: Option<String>,
    pub title: String,
    pub description: Option<String>,
}

fn decode_entities(s: String) -> String {
    if s.contains('&') {
        s.replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
    } else {
        s
    }
}

impl Scan {
    /// Keep what one element says: its id, the document's language, an anchor's name, an
    /// image without alt, the description, the start of the title (`in_title`), a heading's
    /// level, and each URL of a `srcset`.
    fn element(&mut self, el: &Element, in_title: &mut bool) {
        if let Some(id) = el.get_attribute("id") {
            let id = decode_entities(id);
            self.id_list.push(id.clone());
            self.ids.insert(id);
        }
        let tag = el.tag_name();
        match tag.as_str() {
            "html" => self.lang = el.get_attribute("lang"),
            "a" => self.ids.extend(el.get_attribute("name")),
            "img" if el.get_attribute("alt").is_none() => {
                let src = el.get_attribute("src").unwrap_or_default();
                self.images_without_alt.push(src);
            }
            "meta" if el.get_attribute("name").as_deref() == Some("description") => {
                self.description = Some(el.get_attribute("content").unwrap_or_default());
            }
            "title" if self.headings.is_empty() && self.title.is_empty() => *in_title = true,
            t if t.len() == 2 && t.starts_with('h') => {
                if let Some(level) = t[1..].parse::<u8>().ok().filter(|l| (1..=6).contains(l)) {
                    self.headings.push(level);
                }
            }
            _ => {}
        }
        if let Some(srcset) = el.get_attribute("srcset") {
            for candidate in srcset.split(',') {
                if let Some(url) = candidate.split_whitespace().next() {
                    self.refs.push((decode_entities(url.to_string()), "srcset"));
                }
            }
        }
    }
}

/// Read one HTML file with a real HTML parser.
pub fn scan(html: &[u8]) -> Result<Scan> {
    let state = RefCell::new(Scan::default());
    let in_title = RefCell::new(false);
    const REFS: [(&str, &str, &str); 8] = [
        ("a[href]", "href", "a href"),
        ("link[href]", "href", "link href"),
        ("img[src]", "src", "img src"),
        ("script[src]", "src", "script src"),
        ("source[src]", "src", "source src"),
        ("iframe[src]", "src", "iframe src"),
        ("video[poster]", "poster", "video poster"),
        ("use[href]", "href", "use href"),
    ];
    let mut handlers = vec![
        element!("*", |el| {
            state.borrow_mut().element(el, &mut in_title.borrow_mut());
            Ok(())
        }),
        text!("title", |t| {
            if *in_title.borrow() {
                state.borrow_mut().title.push_str(t.as_str());
                if t.last_in_text_node() {
                    *in_title.borrow_mut() = false;
                }
            }
            Ok(())
        }),
    ];
    for (selector, attr, what) in REFS {
        let state = &state;
        handlers.push(element!(selector, move |el| {
            if let Some(v) = el.get_attribute(attr) {
                state.borrow_mut().refs.push((decode_entities(v), what));
            }
            Ok(())
        }));
    }
    let settings = handlers
        .into_iter()
        .fold(Settings::new(), Settings::append_element_content_handler);
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    rewriter.write(html).context("cannot parse HTML")?;
    rewriter.end().context("cannot parse HTML")?;
    Ok(state.into_inner())
}

/// `url(...)` references in a stylesheet, other than data: URLs and fragments.
pub fn css_urls(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = css;
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        let url = rest[..end].trim().trim_matches(['"', '\'']).to_string();
        if !url.starts_with("data:") && !url.starts_with('#') {
            out.push(url);
        }
        rest = &rest[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_collects_what_checks_need() {
        let html = br#"<!doctype html><html lang="en"><head><title>T &amp; U</title><meta name="description" content="d"><link rel="stylesheet" href="s.css"></head><body><h1 id="top">A</h1><h3>skip</h3><img src="a.png"><a href="x.html#p1&amp;q">x</a><p id="p1"></p></body></html>"#;
        let s = scan(html).unwrap();
        assert_eq!(s.lang.as_deref(), Some("en"));
        assert_eq!(s.title, "T &amp; U");
        assert_eq!(s.headings, [1, 3]);
        assert!(s.ids.contains("top") && s.ids.contains("p1"));
        assert_eq!(s.images_without_alt, ["a.png"]);
        assert!(s.refs.contains(&("s.css".into(), "link href")));
        assert!(s.refs.contains(&("x.html#p1&q".into(), "a href")));
    }
}
