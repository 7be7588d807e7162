//! Verify finished pages before they are written: what a reader will see is read back with a real
//! HTML parser, and the build refuses a page whose internal links or anchors do not resolve, or,
//! on a site with source documents, whose quotations are not verbatim in a source or whose
//! figures are not backed (see docs/FORMAT.md). Every problem is pointed at its cause.

mod anchors;
pub mod blame;
pub mod links;
mod read;
mod rules;
mod settings;
mod sources;
pub mod tags;

use anchors::Anchors;
pub use blame::Blame;
pub use read::{Reading, decode, read};
pub use sources::Sources;

use anyhow::Result;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Borrow;
use std::sync::OnceLock;

use crate::diag::Problem;
use crate::model::{Page, Site};
use crate::render::Renderer;

/// What a build verifies pages against: the output's files and the sources.
pub struct Verifier<'a> {
    site: &'a Site,
    renderer: &'a Renderer,
    sources: Sources,
    files: &'a HashSet<&'a str>,
    /// Whether every file is [`links::is_normal`], as a build's are: then a reference joined
    /// to its folder and found among them needs no resolving.
    normal: bool,
    /// The settings and front-matter values, collected when a page first has a finding.
    settings: OnceLock<settings::Settings>,
}

/// One page's verdict, and the anchors into other pages it still needs checked.
#[derive(Default)]
pub struct PageCheck {
    pub problems: Vec<Problem>,
    ids: Anchors,
    /// (target file, id, the reference as written, what wrote it).
    elsewhere: Vec<(String, String, String, &'static str)>,
}

impl<'a> Verifier<'a> {
    /// `files` is every site-relative path the output will hold.
    pub fn new(site: &'a Site, renderer: &'a Renderer, files: &'a HashSet<&'a str>) -> Self {
        Verifier {
            site,
            renderer,
            sources: Sources::of(site),
            normal: files.iter().all(|f| links::is_normal(f)),
            files,
            settings: OnceLock::new(),
        }
    }

    /// Whether pages are held to the rules for figures and quotations.
    pub fn rules_on(&self) -> bool {
        !self.sources.is_empty()
    }

    /// A page that could not be rendered: its problems, and nothing to check.
    pub fn failed(problems: Vec<Problem>) -> PageCheck {
        PageCheck {
            problems,
            ..PageCheck::default()
        }
    }

    /// Verify one rendered page.
    pub fn page(&self, page: &Page, html: &[u8]) -> Result<PageCheck> {
        let url = page.url.as_str();
        let rules = self.rules_on() && !self.sources.presents(url);
        let blame = Blame {
            file: url,
            page: Some(page),
            site: self.site,
            renderer: self.renderer,
        };
        let mut check = PageCheck::default();
        if rules {
            let cite_ref = |href: &str| self.sources.paragraph(url, href).is_some();
            let reading = read(html, &cite_ref)?;
            check.ids = Anchors::new(reading.ids.iter().map(String::as_str));
            let refs = reading.refs.iter().map(|(v, what)| (v.as_str(), *what));
            self.links(&blame, refs, &mut check);
            for finding in rules::check(&reading, &self.sources, url, page.lang) {
                // Text a setting or a document's description brought to the page is theirs.
                let settings = self
                    .settings
                    .get_or_init(|| settings::Settings::of(self.site));
                let cited = finding.link.is_some();
                match settings.judge(self.site, &reading.text, &finding.at, cited) {
                    settings::Verdict::Drop => {}
                    settings::Verdict::At(problem) => check.problems.push(problem),
                    settings::Verdict::Page => check.problems.push(blame.text(
                        &finding.needles,
                        finding.link.as_deref(),
                        &finding.message,
                    )),
                }
            }
        } else {
            // Without sources only links and anchors are checked: the tokenizer is enough, and
            // it costs a fraction of a full reading.
            let tags = tags::scan(html);
            check.ids = Anchors::new(tags.ids.iter().map(|id| id.as_ref()));
            let refs = tags.refs.iter().map(|(v, what)| (v.as_ref(), *what));
            self.links(&blame, refs, &mut check);
        }
        Ok(check)
    }

    /// Check the references of the page `blame.file`, whose ids are already in `check`;
    /// anchors into other pages are kept for [`Verifier::finish`].
    fn links<'v>(
        &self,
        blame: &Blame,
        refs: impl Iterator<Item = (&'v str, &'static str)>,
        check: &mut PageCheck,
    ) {
        let url = blame.file;
        let own = |id: &str| check.ids.contains(id);
        let mut problems = Vec::new();
        let mut elsewhere = Vec::new();
        let base = links::Base::new(url);
        let mut target = String::with_capacity(url.len() + 64);
        for (value, what) in refs {
            // An anchor on the page itself (every heading's own link): no path to resolve.
            if let Some(id) = value.strip_prefix('#').filter(|id| !id.contains('%'))
                && (id.is_empty() || own(id))
            {
                continue;
            }
            // The common case, a relative path to a file of the output, joined to its folder in
            // one reused buffer; anything else, or a miss, goes the full way for its message.
            if self.normal && base.plain(value, &mut target) && self.files.contains(target.as_str())
            {
                continue;
            }
            if links::is_outside(value) {
                continue;
            }
            let other = std::cell::RefCell::new(None);
            let has_id = |target: &str, id: &str| {
                if target == url {
                    Some(own(id))
                } else {
                    *other.borrow_mut() = Some((target.to_string(), id.to_string()));
                    None
                }
            };
            let files = |f: &str| self.files.contains(f);
            let problem = links::check_ref(url, value, &files, &has_id);
            match (problem, other.into_inner()) {
                (Some(msg), _) => {
                    problems.push(blame.link(value, &format!("{what} `{value}`: {msg}")))
                }
                (None, Some((target, id))) => {
                    elsewhere.push((target, id, value.to_string(), what));
                }
                (None, None) => {}
            }
        }
        elsewhere.sort();
        elsewhere.dedup();
        check.problems.extend(problems);
        check.elsewhere = elsewhere;
    }

    /// Check the anchors pages point to in other pages, once every page has been read.
    /// The verdicts may be shared (`Arc<PageCheck>`): serve keeps them from one build to the next.
    pub fn finish<C: Borrow<PageCheck>>(&self, checks: Vec<(&Page, C)>) -> Vec<Problem> {
        let mut problems = Vec::new();
        let ids: HashMap<&str, &Anchors> = checks
            .iter()
            .map(|(page, check)| (page.url.as_str(), &check.borrow().ids))
            .collect();
        for (page, check) in &checks {
            for (target, id, value, what) in &check.borrow().elsewhere {
                let Some(target_ids) = ids.get(target.as_str()) else {
                    continue; // a file that is not a page (static HTML): not read
                };
                if !target_ids.contains(id.as_str()) {
                    let blame = Blame {
                        file: &page.url,
                        page: Some(page),
                        site: self.site,
                        renderer: self.renderer,
                    };
                    let msg = format!("{what} `{value}`: no element with id `{id}` in `{target}`");
                    problems.push(blame.link(value, &msg));
                }
            }
        }
        // A setting's problem comes from every page showing it: it is reported once.
        let mut seen = HashSet::default();
        for (_, check) in &checks {
            for problem in &check.borrow().problems {
                let key = (&problem.file, problem.line, problem.col, &problem.message);
                if seen.insert(key) {
                    problems.push(problem.clone());
                }
            }
        }
        problems
    }
}
