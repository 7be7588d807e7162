//! Tera: load the site's templates once, register our functions, and render each page with the
//! plain data model as its context. Template errors come back as located [`Problem`]s.

use anyhow::{Context as _, Result};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use tera::{Context, Kwargs, State, Tera, Value};
use walkdir::WalkDir;

use crate::diag::{Problem, find_line};
use crate::fsx;
use crate::model::{Document, Heading, Page, Site};

mod errors;
mod filters;
use errors::{Rendering, tera_problems};

/// Values shared by every render, computed once per build.
pub struct Renderer {
    tera: Tera,
    /// Template sources by name, to show the offending line of an error.
    sources: HashMap<String, String>,
    config: Value,
    nav: Value,
    board_pack: Value,
    /// The site, shared with the `get_page` function once it is complete. `serve` keeps a
    /// renderer whose templates did not change for the next build, which puts its own site here.
    site: SiteSlot,
}

type SiteSlot = Arc<RwLock<Option<Arc<Site>>>>;

/// The site in `slot`, once [`Renderer::prepare`] put it there.
fn current(slot: &SiteSlot) -> Option<Arc<Site>> {
    slot.read().unwrap_or_else(|e| e.into_inner()).clone()
}

/// A page as templates see it (`page` or `section`).
#[derive(Serialize)]
struct PageData<'a> {
    title: &'a str,
    description: &'a str,
    date: Option<&'a str>,
    weight: i64,
    slug: &'a str,
    path: &'a str,
    url: &'a str,
    is_section: bool,
    extra: &'a toml::Table,
    content: &'a str,
    toc: &'a [Heading],
    word_count: usize,
    reading_time: usize,
    document: Option<&'a Document>,
    /// The tag of the page's language (`de-CH`).
    lang: &'a str,
    pages: Vec<Summary<'a>>,
    subsections: Vec<Summary<'a>>,
}

/// A page as listed by its section.
#[derive(Serialize)]
struct Summary<'a> {
    title: &'a str,
    description: &'a str,
    date: Option<&'a str>,
    weight: i64,
    slug: &'a str,
    path: &'a str,
    url: &'a str,
    extra: &'a toml::Table,
    word_count: usize,
    reading_time: usize,
}

#[derive(Serialize)]
struct NavItem<'a> {
    title: &'a str,
    url: &'a str,
    weight: i64,
}

fn summary(p: &Page) -> Summary<'_> {
    Summary {
        title: &p.meta.title,
        description: &p.meta.description,
        date: p.meta.date.as_deref(),
        weight: p.meta.weight,
        slug: &p.meta.slug,
        path: &p.rel,
        url: &p.url,
        extra: &p.meta.extra,
        word_count: p.word_count,
        reading_time: reading_time(p.word_count),
    }
}

fn reading_time(words: usize) -> usize {
    words.div_ceil(200).max(1)
}

/// A page's template data; `content` and `toc` come from rendering its Markdown.
fn page_value(site: &Site, p: &Page, content: &str, toc: &[Heading]) -> Value {
    let list = |ids: &[usize]| ids.iter().map(|&i| summary(&site.pages[i])).collect();
    Value::from_serializable(&PageData {
        title: &p.meta.title,
        description: &p.meta.description,
        date: p.meta.date.as_deref(),
        weight: p.meta.weight,
        slug: &p.meta.slug,
        path: &p.rel,
        url: &p.url,
        is_section: p.is_section,
        extra: &p.meta.extra,
        content,
        toc,
        word_count: p.word_count,
        reading_time: reading_time(p.word_count),
        document: p.document.as_ref(),
        lang: &p.lang_tag,
        pages: list(&p.pages),
        subsections: list(&p.subsections),
    })
}

/// Read every file under the site's `templates/` as a template named by its relative path, on
/// top of the built-in templates: a site's file replaces the default of the same name. A
/// symbolic link is skipped with a warning, as everywhere in a site.
pub fn load(root: &fsx::SiteRoot) -> Result<Result<Renderer, Vec<Problem>>> {
    let sources = match sources(root)? {
        Ok(sources) => sources,
        Err(problems) => return Ok(Err(problems)),
    };
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
    // Functions first: Tera checks that every function a template calls exists.
    let site: SiteSlot = Arc::default();
    register_functions(&mut tera, site.clone());
    let mut names: Vec<&String> = sources.keys().collect();
    names.sort();
    let batch = names.iter().map(|n| (n.as_str(), sources[*n].as_str()));
    crate::fsx::counters::bump(&crate::fsx::counters::TEMPLATE_COMPILES);
    if let Err(e) = tera.add_raw_templates(batch) {
        return Ok(Err(tera_problems(&e, &sources, None)));
    }
    Ok(Ok(Renderer {
        tera,
        sources,
        config: Value::none(),
        nav: Value::none(),
        board_pack: Value::none(),
        site,
    }))
}

/// The text of every template by name: the built-in ones, each replaced by the site's own file
/// of the same name under `templates/` (read through the site root; links are skipped).
fn sources(root: &fsx::SiteRoot) -> Result<Result<HashMap<String, String>, Vec<Problem>>> {
    let mut sources: HashMap<String, String> = crate::defaults::TEMPLATES
        .iter()
        .map(|(name, bytes)| {
            (
                name.to_string(),
                String::from_utf8_lossy(bytes).into_owned(),
            )
        })
        .collect();
    let dir = match root.dir("templates") {
        Ok(dir) => dir,
        Err(refused) => return Ok(Err(vec![refused.problem("templates")?])),
    };
    for entry in dir
        .iter()
        .flat_map(|dir| WalkDir::new(dir).sort_by_file_name())
    {
        let entry = entry.context("cannot walk templates/")?;
        let name = fsx::slash_path(
            entry
                .path()
                .strip_prefix(root.path())
                .unwrap_or(entry.path()),
        );
        if entry.file_type().is_symlink() {
            eprintln!(
                "warning: {name}: skipped: it is a symbolic link, and briefing reads only plain files"
            );
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let read = root.read(&name, |bytes| fsx::utf8(bytes, &name).map(str::to_owned));
        match read {
            Ok(Ok(text)) => {
                let name = name.strip_prefix("templates/").unwrap_or(&name);
                sources.insert(name.to_string(), text);
            }
            Ok(Err(problem)) => return Ok(Err(vec![problem])),
            Err(refused) => return Ok(Err(vec![refused.problem(&name)?])),
        }
    }
    Ok(Ok(sources))
}

fn register_functions(tera: &mut Tera, site: SiteSlot) {
    let all = site.clone();
    // Every page presenting a source document, by weight, for a Sources page.
    tera.register_function("source_pages", move |_: Kwargs, _: &State| {
        let site = current(&all)
            .ok_or_else(|| tera::Error::message("source_pages: the site is not ready"))?;
        let mut list: Vec<&Page> = site.pages.iter().filter(|p| p.document.is_some()).collect();
        list.sort_by_key(|p| (p.meta.weight, p.meta.title.clone()));
        let list: Vec<Summary> = list.into_iter().map(summary).collect();
        Ok::<Value, tera::Error>(Value::from_serializable(&list))
    });
    tera.register_function("get_page", move |kwargs: Kwargs, _: &State| {
        let path: String = kwargs.must_get("path")?;
        let site = current(&site)
            .ok_or_else(|| tera::Error::message("get_page: the site is not ready"))?;
        let site = &*site;
        let page = site.page(&path).ok_or_else(|| {
            tera::Error::message(format!("get_page: no content file `content/{path}`"))
        })?;
        let md =
            markdown(site, page).map_err(|e| tera::Error::message(format!("get_page: {e:#}")))?;
        Ok::<Value, tera::Error>(page_value(site, page, &md.html, &md.toc))
    });
    filters::register(tera);
}

impl Renderer {
    /// Give the renderer the finished site data (pages, navigation, config).
    pub fn prepare(&mut self, site: Arc<Site>) {
        self.config = Value::from_serializable(&site.config);
        let nav: Vec<NavItem> = site
            .nav
            .iter()
            .map(|&i| NavItem {
                title: &site.pages[i].meta.title,
                url: &site.pages[i].url,
                weight: site.pages[i].meta.weight,
            })
            .collect();
        self.nav = Value::from_serializable(&nav);
        self.board_pack = match &site.board_pack {
            Some(pack) => Value::from_serializable(pack),
            None => Value::none(),
        };
        *self.site.write().unwrap_or_else(|e| e.into_inner()) = Some(site);
    }

    /// Let go of the site given to [`Renderer::prepare`], keeping the compiled templates for
    /// another build of the same templates.
    pub fn release(&mut self) {
        *self.site.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Problems for pages whose template does not exist.
    pub fn missing_templates(&self, pages: &[Page]) -> Vec<Problem> {
        pages
            .iter()
            .filter(|p| !self.tera.contains_template(template_name(p)))
            .map(|p| {
                let name = template_name(p);
                let line = find_line(&p.front, "\ntemplate").map_or(1, |l| l + 1);
                let mut have: Vec<&str> = self.tera.get_template_names().collect();
                have.sort_unstable();
                let hint = crate::diag::suggestion(name, have.iter().copied());
                Problem::at_line(
                    &p.file,
                    Some(&p.front),
                    line,
                    format!(
                        "template `{name}` not found in templates/{hint} (there are: {})",
                        have.join(", ")
                    ),
                )
            })
            .collect()
    }

    /// Render one page, its Markdown then its template, into `out` (cleared first), so that it
    /// can be verified before it is written. Problems in the page or its template come back as
    /// located [`Problem`]s.
    pub fn render_to_vec(&self, page: &Page, out: &mut Vec<u8>) -> Result<Vec<Problem>> {
        let site = current(&self.site).expect("prepare() runs before render()");
        let site = &*site;
        let md = markdown(site, page)?;
        if !md.problems.is_empty() {
            return Ok(md.problems);
        }
        let ctx = self.context(site, page, &md);
        let body = md.html.len();
        // The context holds its own copy of the HTML: a large page's is not kept twice.
        drop(md);
        Ok(self.render_template(page, template_name(page), &ctx, body, out))
    }

    /// Render a page the build makes itself, which has no content file (the search page),
    /// with `template`, into `out`.
    pub fn render_made(&self, page: &Page, template: &str, out: &mut Vec<u8>) -> Vec<Problem> {
        let site = current(&self.site).expect("prepare() runs before render()");
        let ctx = self.context(&site, page, &crate::markdown::Rendered::default());
        self.render_template(page, template, &ctx, 0, out)
    }

    /// Render `template` with `ctx` into `out` (cleared first).
    fn render_template(
        &self,
        page: &Page,
        template: &str,
        ctx: &Context,
        body: usize,
        out: &mut Vec<u8>,
    ) -> Vec<Problem> {
        out.clear();
        // Room for the body and the template around it, so that a large page is not copied
        // as its buffer doubles.
        out.reserve(body + (64 << 10));
        if let Err(e) = self.tera.render_to(template, ctx, &mut *out) {
            let page = Rendering {
                file: &page.file,
                template,
            };
            return tera_problems(&e, &self.sources, Some(page));
        }
        Vec::new()
    }

    /// Render `print.html`, the print document of `briefing pdf`: `config`, `nav`, `root` as
    /// for the home page, the home section as `section`, and `print`, the parts laid out from
    /// the built pages.
    pub fn render_print(&self, print: &impl Serialize) -> Result<Result<String, Problem>> {
        let site = current(&self.site).expect("prepare() runs before render()");
        let site = &*site;
        let mut ctx = Context::new();
        ctx.insert_value("config", self.config.clone());
        ctx.insert_value("nav", self.nav.clone());
        ctx.insert("root", "");
        ctx.insert("current_url", "print.html");
        ctx.insert("lang", &site.config.language);
        if let Some(home) = site.page("_index.md") {
            let md = markdown(site, home)?;
            if !md.problems.is_empty() {
                return Ok(Err(md.problems[0].clone()));
            }
            ctx.insert_value("section", page_value(site, home, &md.html, &md.toc));
        }
        ctx.insert("print", print);
        Ok(self.tera.render(PRINT, &ctx).map_err(|e| {
            let page = Rendering {
                file: "the print document",
                template: PRINT,
            };
            let problems = tera_problems(&e, &self.sources, Some(page));
            problems
                .into_iter()
                .next()
                .expect("a Tera error gives a problem")
        }))
    }

    /// Every template's source by name, so serve can tell which changed.
    pub fn sources(&self) -> &HashMap<String, String> {
        &self.sources
    }

    fn context(&self, site: &Site, page: &Page, md: &crate::markdown::Rendered) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("config", self.config.clone());
        ctx.insert_value("nav", self.nav.clone());
        ctx.insert_value("board_pack", self.board_pack.clone());
        ctx.insert("root", &page.root());
        ctx.insert("current_url", &page.url);
        ctx.insert("lang", &page.lang_tag);
        let base = &site.config.base_url;
        let permalink = if base.is_empty() {
            String::new()
        } else {
            [base.as_str(), page.web_path()].concat()
        };
        ctx.insert("permalink", &permalink);
        let data = page_value(site, page, &md.html, &md.toc);
        ctx.insert_value(if page.is_section { "section" } else { "page" }, data);
        ctx
    }
}

/// Read a page's file again and render its Markdown body.
pub fn markdown(site: &Site, page: &Page) -> Result<crate::markdown::Rendered> {
    markdown_with(site, page, false)
}

/// [`markdown`], optionally collecting every link with its line (for `check`).
pub fn markdown_with(
    site: &Site,
    page: &Page,
    record_links: bool,
) -> Result<crate::markdown::Rendered> {
    let root = page.root();
    crate::content::with_text(&site.root, page, |text| {
        let at = crate::markdown::Where {
            file: &page.file,
            text,
            body_start: page.front.len().min(text.len()),
            root: &root,
            record_links,
            scripts_allowed: site.config.unsafe_html,
        };
        crate::markdown::render(&at, &site.urls)
    })
}

/// The template of the print document.
pub const PRINT: &str = "print.html";

/// The template a page is rendered with.
pub fn template_name(page: &Page) -> &str {
    match &page.meta.template {
        Some(t) => t,
        None if page.rel == "_index.md" => "index.html",
        None if page.is_section => "section.html",
        None => "page.html",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Our `safe` filter replaces Tera's (to avoid copying page content): it must still mark
    /// strings safe and turn other values into their text.
    #[test]
    fn safe_filter_marks_strings_and_formats_other_values() {
        let template = "{{ s | safe }} {{ s }} {{ n | safe }} {{ l | safe }}";
        let render = |ours: bool| {
            let mut tera = Tera::new();
            tera.autoescape_on(vec![".html"]);
            if ours {
                register_functions(&mut tera, Arc::default());
            }
            tera.add_raw_template("t.html", template).unwrap();
            let mut ctx = Context::new();
            ctx.insert("s", "<b>&</b>");
            ctx.insert("n", &5);
            ctx.insert("l", &vec![1, 2]);
            tera.render("t.html", &ctx).unwrap()
        };
        assert_eq!(render(true), "<b>&</b> &lt;b&gt;&amp;&lt;/b&gt; 5 [1, 2]");
        assert_eq!(
            render(true),
            render(false),
            "same output as Tera's own filter"
        );
    }
}
