//! Active content in what a site's authors wrote: `<script>` elements, event-handler attributes
//! (`onerror=`) and URLs that run code when followed (`javascript:`, `vbscript:`,
//! `data:text/html`), in raw HTML, in Markdown links and in front-matter `[extra]` values.
//! The build refuses them unless `site.toml` says `[markdown] unsafe_html = true`; `check`
//! reports them always (docs/GUIDE.md, "Raw HTML in content"). Templates are the site's own code and
//! are not looked at here.

use crate::diag::{Problem, find_line};

/// What to tell the author, after what was found.
const ADVICE: &str = "content may not run scripts; set `[markdown] unsafe_html = true` in site.toml if this site's authors are trusted (`briefing check` reports it either way)";

/// Attributes whose value is a URL a browser may load or follow.
const URL_ATTRIBUTES: [&str; 14] = [
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "codebase",
    "srcset",
    "ping",
    "lowsrc",
    "dynsrc",
];

/// The scheme of a URL that runs code when followed, as it would be written in a message.
pub fn dangerous_url(url: &str) -> Option<&'static str> {
    // Fast path: nearly every URL starts with a letter that no dangerous scheme starts with.
    let first = url.trim_start().bytes().next()?;
    if first > b' ' && !matches!(first.to_ascii_lowercase(), b'j' | b'v' | b'd' | b'&') {
        return None;
    }
    // As a browser reads it: character references decoded, tabs and line breaks anywhere and
    // leading control characters and spaces dropped, the scheme in any case.
    let decoded = decode_references(url);
    let cleaned: String = decoded
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:text/html"]
        .into_iter()
        .find(|scheme| cleaned.starts_with(scheme))
        .map(|scheme| scheme.trim_end_matches(':'))
}

/// Active content in a piece of raw HTML: (byte offset in `html`, what it is).
pub fn in_html(html: &str) -> Vec<(usize, String)> {
    let b = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &b[i..]) {
        let tag = i + lt;
        i = tag + 1;
        if b[i..].starts_with(b"!--") {
            i = memchr::memmem::find(&b[i..], b"-->").map_or(b.len(), |end| i + end + 3);
            continue;
        }
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
            i += 1;
        }
        if html[name..i].eq_ignore_ascii_case("script") {
            found.push((tag, "a `<script>` element".to_string()));
        }
        i = attributes(html, i, &mut found);
    }
    found
}

/// Read the attributes of a tag from `i` to its `>`, noting event handlers and dangerous URLs;
/// returns where the tag ends.
fn attributes(html: &str, mut i: usize, found: &mut Vec<(usize, String)>) -> usize {
    let b = html.as_bytes();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            return i;
        }
        let start = i;
        while i < b.len() && !b"= \t\r\n>/".contains(&b[i]) {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        if name.len() > 2 && name.starts_with("on") && name.bytes().all(|c| c.is_ascii_alphabetic())
        {
            found.push((start, format!("the event-handler attribute `{name}`")));
        }
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let (value, end) = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = memchr::memchr(q, &b[i + 1..]).map_or(b.len(), |e| i + 1 + e);
                (&html[i + 1..end], (end + 1).min(b.len()))
            }
            _ => {
                let end = (i..b.len())
                    .find(|&e| b[e].is_ascii_whitespace() || b[e] == b'>')
                    .unwrap_or(b.len());
                (&html[i..end], end)
            }
        };
        i = end;
        if let Some(what) = in_value(&name, value) {
            found.push((start, what));
        }
    }
}

/// What runs in the value of the attribute `name`: a URL, a page's refresh to a URL
/// (`<meta content="0; url=...">`), or a document of its own (`<iframe srcdoc>`).
fn in_value(name: &str, value: &str) -> Option<String> {
    let url = match name {
        "content" => {
            let lower = value.to_ascii_lowercase();
            &value[lower.find("url=")? + 4..]
        }
        "srcdoc" => {
            let inner = decode_references(value);
            // One level deep: a document in a document's document is refused unread.
            if inner.to_ascii_lowercase().contains("srcdoc") {
                return Some("a `srcdoc` document holding another".to_string());
            }
            let what = in_html(&inner).into_iter().next()?.1;
            return Some(format!("{what} in `srcdoc`"));
        }
        name if URL_ATTRIBUTES.contains(&name) => value,
        _ => return None,
    };
    let scheme = dangerous_url(url.trim_start_matches(['\'', '"']))?;
    Some(format!("a `{scheme}:` URL in `{name}`"))
}

/// The message for active content found in a page.
pub fn message(what: &str) -> String {
    format!("{what}: {ADVICE}")
}

/// Dangerous URLs among the string values of a page's `[extra]` (at any depth), each located on
/// its line of the front matter `front` of `file`.
pub fn in_extra(file: &str, front: &str, extra: &toml::Table) -> Vec<Problem> {
    let mut found = Vec::new();
    let mut stack: Vec<&toml::Value> = extra.values().collect();
    while let Some(value) = stack.pop() {
        match value {
            toml::Value::String(s) => {
                if let Some(scheme) = dangerous_url(s) {
                    let line = find_line(front, s.trim()).unwrap_or(1);
                    let what = format!("a `{scheme}:` URL in `[extra]`");
                    found.push(Problem::at_line(file, Some(front), line, message(&what)));
                }
            }
            toml::Value::Array(items) => stack.extend(items),
            toml::Value::Table(t) => stack.extend(t.values()),
            _ => {}
        }
    }
    found
}

/// `&#106;`, `&#x6a;` (the `;` optional, as browsers allow) and the few named references that
/// spell a scheme or a tag (`&colon;`, `&Tab;`, `&NewLine;`, `&amp;`, `&lt;`, `&gt;`,
/// `&quot;`), decoded; the rest kept.
fn decode_references(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let (c, used) = reference(rest).unwrap_or(('&', 1));
        out.push(c);
        rest = &rest[used..];
    }
    out.push_str(rest);
    out.into()
}

/// The character a reference at the start of `s` stands for, and its length.
fn reference(s: &str) -> Option<(char, usize)> {
    for (name, c) in [
        ("&colon;", ':'),
        ("&tab;", '\t'),
        ("&newline;", '\n'),
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
    ] {
        if s.get(..name.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(name))
        {
            return Some((c, name.len()));
        }
    }
    let body = s.strip_prefix("&#")?;
    let (radix, digits) = match body.strip_prefix(['x', 'X']) {
        Some(hex) => (16, hex),
        None => (10, body),
    };
    let len = digits
        .bytes()
        .take_while(|b| b.is_ascii_digit() || radix == 16 && b.is_ascii_hexdigit())
        .count();
    if len == 0 {
        return None;
    }
    // Any number of leading zeros (`&#0000106;`), as browsers read them; too large is U+FFFD.
    let value = digits[..len].trim_start_matches('0');
    let c = match value.len() {
        0 => '\0',
        1..=8 => u32::from_str_radix(value, radix)
            .ok()
            .and_then(char::from_u32)
            .unwrap_or(char::REPLACEMENT_CHARACTER),
        _ => char::REPLACEMENT_CHARACTER,
    };
    let used = s.len() - digits.len() + len;
    let used = used + usize::from(s[used..].starts_with(';'));
    Some((c, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_that_run_code_are_found_however_written() {
        for url in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:x",
            "&#106;avascript:x",
            "&#x6A;avascript&colon;x",
            "&#0000106&#97vascript:x",
            "\u{1}javascript:x",
            "vbscript:msgbox",
            "data:text/html;base64,PHNjcmlwdD4=",
        ] {
            assert!(dangerous_url(url).is_some(), "{url:?}");
        }
        for url in [
            "https://x.org/",
            "data:image/png;base64,AA",
            "doc.html",
            "#javascript:",
        ] {
            assert_eq!(dangerous_url(url), None, "{url:?}");
        }
    }

    #[test]
    fn scripts_handlers_and_urls_in_raw_html() {
        let html = "<p id=a>x</p><!-- <script> --><SCRIPT>alert(1)</SCRIPT>\
                    <img src=x onError=\"go()\"><a title='javascript: no' href = 'javascript:go()'>";
        let found: Vec<String> = in_html(html).into_iter().map(|(_, w)| w).collect();
        assert_eq!(
            found,
            [
                "a `<script>` element",
                "the event-handler attribute `onerror`",
                "a `javascript:` URL in `href`"
            ]
        );
        assert_eq!(in_html("<span lang=\"zh-Hans\">x</span>"), []);
        let hidden = "<meta http-equiv=refresh content='0; URL=javascript:x'>\
                      <iframe srcdoc=\"&lt;img src=x onerror=go()&gt;\"></iframe>";
        let found: Vec<String> = in_html(hidden).into_iter().map(|(_, w)| w).collect();
        assert_eq!(
            found,
            [
                "a `javascript:` URL in `content`",
                "the event-handler attribute `onerror` in `srcdoc`"
            ]
        );
        assert_eq!(in_html("<meta name=description content='a url=b'>"), []);
    }
}
