//! Point a problem found in a finished page at its cause: the content line that wrote the text
//! (a Markdown link, a front-matter value), else the template line, else the page's template.

use crate::diag::Problem;
use crate::model::{Page, Site};
use crate::render::{Renderer, markdown_with, template_name};

/// Who to blame for a problem found in the output file `file` (rendered from `page`, if any).
pub struct Blame<'a> {
    pub file: &'a str,
    pub page: Option<&'a Page>,
    pub site: &'a Site,
    pub renderer: &'a Renderer,
}

impl Blame<'_> {
    /// A link problem: at its Markdown line when the link came from content, else the template.
    pub fn link(&self, value: &str, message: &str) -> Problem {
        if let Some(line) = self.markdown_link_line(value) {
            let page = self.page.expect("a Markdown line has a page");
            return Problem::at_line(&page.file, None, line, message);
        }
        match self.template_line(value) {
            Some((name, line, text)) => Problem::at_line(
                format!("templates/{name}"),
                Some(text),
                line,
                format!("{message} (in {})", self.file),
            ),
            None => self.template(message),
        }
    }

    /// A problem with some text of the page: at the first of `needles` found in the page's
    /// content file (front matter or body), else in another content file (a page that shows
    /// another's data, as the home page and the deck show the metrics page's), else in a
    /// template.
    pub fn text(&self, needles: &[String], link: Option<&str>, message: &str) -> Problem {
        if let Some(line) = link.and_then(|l| self.markdown_link_line(l)) {
            let page = self.page.expect("a Markdown line has a page");
            return Problem::at_line(&page.file, None, line, message);
        }
        if let Some(page) = self.page {
            // In another file only a passage is telling: a bare figure (`24`) is in many.
            let others = self.site.pages.iter().filter(|p| p.file != page.file);
            let own = std::iter::once((page, 2)).chain(others.map(|p| (p, 12)));
            for (page, min) in own {
                if let Some(problem) = self.in_content(page, needles, min, message) {
                    return problem;
                }
            }
        }
        for needle in needles.iter().filter(|n| n.len() >= 2) {
            if let Some((name, line, text)) = self.template_line(needle) {
                return Problem::at_line(
                    format!("templates/{name}"),
                    Some(text),
                    line,
                    format!("{message} (in {})", self.file),
                );
            }
        }
        self.template(message)
    }

    /// The problem at the first of `needles` in `page`'s content file, if it holds one.
    /// Needles shorter than `min` bytes are not looked for.
    fn in_content(
        &self,
        page: &Page,
        needles: &[String],
        min: usize,
        message: &str,
    ) -> Option<Problem> {
        let found = crate::content::with_text(&self.site.root, page, |text: &str| {
            needles
                .iter()
                .filter(|n| n.len() >= min)
                .find_map(|n| {
                    if let Some(at) = text.find(n.as_str()) {
                        return Some((at, false));
                    }
                    // Found only when case is ignored: a template filter changed the text.
                    let lower = text.to_lowercase();
                    (lower.len() == text.len())
                        .then(|| lower.find(&n.to_lowercase()))
                        .flatten()
                        .map(|at| (at, true))
                })
                .map(|(at, altered)| {
                    let note = if altered {
                        format!(" (the content has it as “{}”: a template filter such as `capitalize`, `title` or `lower` changed it on the page)", &text[at..(at + needles[0].len()).min(text.len())])
                    } else {
                        String::new()
                    };
                    Problem::at_offset(&page.file, text, at, 0, format!("{message}{note}"))
                })
        });
        found.ok().flatten()
    }

    fn markdown_link_line(&self, value: &str) -> Option<usize> {
        let page = self.page?;
        let md = markdown_with(self.site, page, true).ok()?;
        md.links.iter().find(|l| l.dest == value).map(|l| l.line)
    }

    /// The template line that wrote a value: without its `../` prefix, looked up in the page's
    /// own template first, then in the others.
    pub fn template_line(&self, value: &str) -> Option<(&str, usize, &str)> {
        let mut needle = value;
        while let Some(rest) = needle.strip_prefix("../") {
            needle = rest;
        }
        if needle.len() < 3 {
            return None;
        }
        let own = self.page.map(template_name);
        self.renderer.locate(own, needle)
    }

    /// A problem of the page's template, at the first line holding `needle` in its own template
    /// or one it extends, nearest first (else at the template's first line).
    pub fn template_at(&self, needle: &str, message: &str) -> Problem {
        let Some(page) = self.page else {
            return self.template(message);
        };
        match self.renderer.locate_in_lineage(template_name(page), needle) {
            Some((name, line, text)) => Problem::at_line(
                format!("templates/{name}"),
                Some(text),
                line,
                format!("{message} (in {}, rendered from {})", self.file, page.file),
            ),
            None => self.template(message),
        }
    }

    /// The page's template, when nothing more precise is known.
    pub fn template(&self, message: &str) -> Problem {
        match self.page {
            Some(page) => Problem::at_line(
                format!("templates/{}", template_name(page)),
                None,
                1,
                format!("{message} (in {}, rendered from {})", self.file, page.file),
            ),
            None => Problem::file(self.file, message),
        }
    }

    /// The page's content file, at its first line.
    pub fn content(&self, message: &str) -> Problem {
        match self.page {
            Some(page) => Problem::at_line(&page.file, Some(&page.front), 1, message),
            None => Problem::file(self.file, message),
        }
    }
}
