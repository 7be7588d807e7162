//! Markdown to HTML with pulldown-cmark. On the way through the event stream we give every
//! heading an id and a visible anchor link, collect the table of contents, and rewrite links so
//! the output only ever links relatively: `@/model.md#x` and root-absolute `/notes/a/` become
//! paths from the current page that name a file.

mod events;
mod ids;
mod links;

pub use crate::model::UrlMap;
pub use ids::slugify;
pub use links::root_relative;

use pulldown_cmark::{Options, Parser};

use crate::diag::Problem;
use crate::ids::Plan;
use crate::model::Heading;
use events::{Located, Plain, render_events};

/// What rendering one Markdown body produced.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<Heading>,
    /// Every link and image, when asked for (`Where::record_links`).
    pub links: Vec<Link>,
    pub problems: Vec<Problem>,
}

/// A link or image as written and as rewritten, for `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Destination after rewriting (what the HTML holds).
    pub dest: String,
    /// Destination as written in the Markdown (`@/source.md#p2`).
    pub raw: String,
    /// The link text as written (inline links; empty for other kinds).
    pub text: String,
    /// 1-based line in the file.
    pub line: usize,
}

/// Where the body sits, for link rewriting and error positions.
pub struct Where<'a> {
    /// File as shown in messages, and its whole (normalised) text.
    pub file: &'a str,
    pub text: &'a str,
    /// Byte offset of the body within `text`.
    pub body_start: usize,
    /// Relative prefix from this page to the site root (`../../`).
    pub root: &'a str,
    /// Collect every link with its line (for `check`); builds skip this work.
    pub record_links: bool,
    /// Scripts, event handlers and `javascript:` URLs pass (`[markdown] unsafe_html`); without
    /// it each is a problem (`crate::active`).
    pub scripts_allowed: bool,
}

/// The Markdown extensions every page is rendered with.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Render the body of the page whose whole text `at.text` is.
///
/// Source positions are only needed to report a problem or record links, so the usual build
/// runs pulldown-cmark's plain event stream, and renders again with positions only when it
/// found a problem to locate. Ids are given out in the same pass; a page whose order defeats
/// that (see `crate::ids`) is rendered once more with the ids planned for the whole page.
pub fn render(at: &Where, urls: &UrlMap) -> Rendered {
    let body = &at.text[at.body_start..];
    let located = |plan: Option<&Plan>| {
        let events = Located {
            inner: Parser::new_ext(body, options()).into_offset_iter(),
            range: 0..0,
        };
        render_events(at, urls, events, plan)
    };
    let first = |plan: Option<&Plan>| match at.record_links {
        true => located(plan),
        false => render_events(at, urls, Plain(Parser::new_ext(body, options())), plan),
    };
    let (out, plan) = first(None);
    let out = match &plan {
        Some(plan) => first(Some(plan)).0,
        None => out,
    };
    if at.record_links || out.problems.is_empty() {
        return out;
    }
    located(plan.as_ref()).0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(body: &str, root: &str) -> Rendered {
        let urls: UrlMap = [("model.md".to_string(), "model/index.html".to_string())]
            .into_iter()
            .collect();
        let at = Where {
            file: "content/x.md",
            text: body,
            body_start: 0,
            root,
            record_links: true,
            scripts_allowed: false,
        };
        render(&at, &urls)
    }

    #[test]
    fn links_and_images_in_headings_are_rewritten() {
        let body = "## See [the model](@/model.md#x) ![m](/img/m.svg)\n";
        let urls: UrlMap = [("model.md".to_string(), "model/index.html".to_string())]
            .into_iter()
            .collect();
        for record_links in [false, true] {
            let at = Where {
                file: "content/x.md",
                text: body,
                body_start: 0,
                root: "../",
                record_links,
                scripts_allowed: false,
            };
            let r = render(&at, &urls);
            assert!(
                r.html
                    .contains("<h2 id=\"see-the-model-m\">See <a href=\"../model/index.html#x\">")
                    && r.html.contains("src=\"../img/m.svg\""),
                "{}",
                r.html
            );
            assert_eq!(r.links.len(), if record_links { 2 } else { 0 });
        }
    }

    #[test]
    fn headings_get_unique_ids_and_anchors() {
        let r = md(
            "# Hello, World!\n\n## Hello, World!\n\n## Custom {#mine}\n",
            "",
        );
        assert!(
            r.html.contains(
                "<h1 id=\"hello-world\">Hello, World! <a class=\"anchor\" href=\"#hello-world\""
            ),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h2 id=\"hello-world-1\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"mine\">"), "{}", r.html);
        let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["hello-world", "hello-world-1", "mine"]);
        assert_eq!(r.toc[0].level, 1);
    }

    #[test]
    fn links_become_relative_and_name_files() {
        let r = md(
            "[a](@/model.md#p2) [b](/notes/a/) [c](/) [d](/style.css) [e](https://x.org/) [f](//cdn/x)",
            "../",
        );
        assert!(
            r.html.contains("href=\"../model/index.html#p2\""),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("href=\"../notes/a/index.html\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"../index.html\""), "{}", r.html);
        assert!(r.html.contains("href=\"../style.css\""), "{}", r.html);
        assert!(r.html.contains("href=\"https://x.org/\""), "{}", r.html);
        assert!(r.html.contains("href=\"//cdn/x\""), "{}", r.html);
        assert!(r.problems.is_empty());
    }

    #[test]
    fn unknown_internal_link_is_a_located_problem() {
        let r = md("intro\n\nsee [x](@/nope.md)\n", "");
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].line, Some(3));
        assert!(r.problems[0].message.contains("content/nope.md"));
    }

    #[test]
    fn extensions_are_on() {
        let r = md(
            "| a |\n|---|\n| 1 |\n\n~~x~~ - [x] done\n\n\"q\" text[^1]\n\n[^1]: note\n",
            "",
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>x</del>"));
        assert!(r.html.contains("“q”"));
        assert!(r.html.contains("footnote"));
        assert_eq!(
            slugify("Speed & quality: 8–10 years"),
            "speed-quality-8-10-years"
        );
    }

    fn ids_of(html: &str) -> Vec<String> {
        html.split(" id=\"")
            .skip(1)
            .map(|rest| rest[..rest.find('"').unwrap()].to_string())
            .collect()
    }

    #[test]
    fn footnotes_and_headings_never_share_an_id() {
        // The reference before the heading, and after it: the heading keeps its slug either way,
        // the footnote moves aside, and its reference follows it.
        for body in [
            "See[^note].\n\n## Note\n\n[^note]: The note.\n",
            "## Note\n\nSee[^note].\n\n[^note]: The note.\n",
        ] {
            let r = md(body, "");
            assert_eq!(r.toc[0].id, "note", "{body}");
            assert!(
                r.html
                    .contains("<sup class=\"footnote-reference\"><a href=\"#note-1\">1</a>")
                    && r.html
                        .contains("<div class=\"footnote-definition\" id=\"note-1\">"),
                "{}",
                r.html
            );
            assert_eq!(ids_of(&r.html), ["note", "note-1"], "{}", r.html);
        }
        // Without a clash a footnote keeps its label, as pulldown-cmark writes it.
        let r = md("A[^1] b[^1].\n\n[^1]: One.\n", "");
        assert!(r.html.contains("href=\"#1\">1</a>") && r.html.contains("id=\"1\""));
    }

    #[test]
    fn explicit_ids_are_reserved_before_automatic_ones() {
        let r = md("## Same\n\n## Same\n\n## Other {#same-1}\n\n## Same\n", "");
        let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["same", "same-2", "same-1", "same-3"]);
        assert_eq!(ids_of(&r.html), ids);
        // Raw HTML ids are explicit too, before or after the heading.
        for body in [
            "<div id=\"box\">x</div>\n\n## Box\n",
            "## Box\n\n<div\n  id=\"box\">x</div>\n",
            "## Box\n\nInline <span id=\"box\">x</span>.\n",
        ] {
            let r = md(body, "");
            assert_eq!(r.toc[0].id, "box-1", "{body}");
            assert!(r.problems.is_empty(), "{body}");
        }
    }

    #[test]
    fn an_explicit_id_given_twice_is_a_located_problem() {
        let r = md("# One {#x}\n\ntext\n\n<p id=\"x\">raw</p>\n", "");
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        assert_eq!(r.problems[0].line, Some(5));
        assert!(
            r.problems[0].message.contains("id `x`"),
            "{}",
            r.problems[0].message
        );
        let r = md("# A {#x}\n\n## B {#x}\n", "");
        assert_eq!(r.problems[0].line, Some(3));
    }

    #[test]
    fn heading_attributes_pass_through_as_pulldown_cmark_writes_them() {
        let body = "## Title {#t .wide .big data-x=1 hidden}\n";
        let r = md(body, "");
        let mut plain = String::new();
        pulldown_cmark::html::push_html(&mut plain, Parser::new_ext(body, options()));
        // pulldown-cmark's own tag, with our anchor before its end.
        let open = &plain[..plain.find('>').unwrap() + 1];
        assert_eq!(
            open,
            "<h2 id=\"t\" class=\"wide big\" data-x=\"1\" hidden=\"\">"
        );
        assert!(r.html.starts_with(open), "{}", r.html);
        assert_eq!(r.toc[0].id, "t");
    }
}
