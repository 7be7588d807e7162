//! Tera's errors as located [`Problem`]s: every one names a template file and a line. Tera
//! locates syntax and rendering errors itself; for the others (a missing parent, circular
//! `extends` or `include`, a component that calls itself, checks reported as plain text) the
//! line is found in the template sources, as it is for the checks of finished pages.

use std::collections::HashMap;

use super::Renderer;
use crate::diag::{Problem, find_line};

/// Template sources by name (`page.html`), as the renderer keeps them.
pub type Sources = HashMap<String, String>;

/// The page being rendered when the error happened: its content file and its template.
#[derive(Clone, Copy)]
pub struct Rendering<'a> {
    pub file: &'a str,
    pub template: &'a str,
}

/// A Tera error as one or more problems, each at a template's file and line.
pub fn tera_problems(e: &tera::Error, sources: &Sources, page: Option<Rendering>) -> Vec<Problem> {
    let context = page.map_or(String::new(), |p| format!(" (while rendering {})", p.file));
    let at = |name: &str, needle: &str, message: String| {
        at_needle(sources, name, needle, format!("{message}{context}"))
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let name = report.filename();
            let name = if name.is_empty() {
                page.map_or("", |p| p.template)
            } else {
                name
            };
            let message = format!("{}{context}", report.message());
            vec![located(
                sources,
                name,
                span.start_line,
                span.start_col + 1,
                message,
            )]
        }
        tera::ErrorKind::MissingParent { current, parent } => vec![at(
            current,
            "extends",
            format!(
                "extends `{}`, which is not in templates/",
                parent.escape_debug()
            ),
        )],
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            let chain = [&inheritance_chain[..], std::slice::from_ref(tpl)].concat();
            let message = format!(
                "templates extend each other in a circle: {}",
                chain.join(" → ")
            );
            vec![at(tpl, "extends", message)]
        }
        tera::ErrorKind::CircularInclude { tpl, include_chain } => {
            vec![circular_include(sources, tpl, include_chain, &context)]
        }
        tera::ErrorKind::Msg(text) => msg_problems(text, sources, page, &context),
        _ => {
            let name = page.map_or("base.html", |p| p.template);
            vec![line_problem(sources, name, 1, format!("{e}{context}"))]
        }
    }
}

/// Templates that include each other in a circle, at the line of `tpl` that includes the next.
fn circular_include(sources: &Sources, tpl: &str, chain: &[String], context: &str) -> Problem {
    let next = chain.get(1).map_or(tpl, String::as_str);
    let line = line_with(sources, tpl, &["include", next]);
    let message = format!(
        "templates include each other in a circle: {}{context}",
        chain.join(" → ")
    );
    line_problem(sources, tpl, line, message)
}

/// Problems from a plain-text Tera error: it may hold reports (`error: ...` then
/// ` --> name:line:col`, several separated by blank lines), or be a message we know.
fn msg_problems(
    text: &str,
    sources: &Sources,
    page: Option<Rendering>,
    context: &str,
) -> Vec<Problem> {
    let reports: Vec<Problem> = text
        .split("\n\n")
        .filter_map(|chunk| report_problem(chunk, sources, context))
        .collect();
    if !reports.is_empty() {
        return reports;
    }
    if text.contains("recursion depth for components")
        && let Some((name, line, component)) = self_calling_component(sources, page)
    {
        let message = format!(
            "component `{component}` calls itself with no end (Tera stops after a fixed depth){context}"
        );
        return vec![line_problem(sources, &name, line, message)];
    }
    // Name the template that the message quotes (`Component `x` is defined in both `a.html`
    // and `b.html``), else the page's own template.
    let quoted = text
        .split('`')
        .skip(1)
        .step_by(2)
        .find(|q| sources.contains_key(*q));
    let name = quoted.or(page.map(|p| p.template)).unwrap_or("base.html");
    let needle = text.split('`').nth(1).unwrap_or("");
    vec![at_needle(sources, name, needle, format!("{text}{context}"))]
}

/// One `error: MESSAGE\n --> name:line:col ...` report as a problem.
fn report_problem(chunk: &str, sources: &Sources, context: &str) -> Option<Problem> {
    let mut lines = chunk.lines();
    let message = lines
        .next()?
        .trim()
        .strip_prefix("error:")?
        .trim()
        .to_string();
    let place = lines.find_map(|l| l.trim().strip_prefix("--> "))?;
    let mut parts = place.rsplitn(3, ':');
    let col: usize = parts.next()?.trim().parse().ok()?;
    let line: usize = parts.next()?.trim().parse().ok()?;
    let name = parts.next()?.trim();
    Some(located(
        sources,
        name,
        line,
        col,
        format!("{message}{context}"),
    ))
}

/// A problem at line and column (from 1; 0 is read as 1) of template `name`, with that line.
fn located(sources: &Sources, name: &str, line: usize, col: usize, message: String) -> Problem {
    Problem {
        file: format!("templates/{name}"),
        line: Some(line.max(1)),
        col: Some(col.max(1)),
        message,
        snippet: sources
            .get(name)
            .and_then(|s| s.lines().nth(line.saturating_sub(1)))
            .map(str::to_owned),
    }
}

/// A component whose body calls itself: the template, the line of its definition and its name.
/// The page's own template is searched first.
fn self_calling_component(
    sources: &Sources,
    page: Option<Rendering>,
) -> Option<(String, usize, String)> {
    let mut names: Vec<&String> = sources.keys().collect();
    names.sort_by_key(|n| (Some(n.as_str()) != page.map(|p| p.template), n.as_str()));
    names.into_iter().find_map(|name| {
        let text = &sources[name];
        let mut rest = text.as_str();
        while let Some(at) = rest.find("component ") {
            let before = &rest[..at];
            let after = &rest[at + "component ".len()..];
            rest = after;
            if !before.trim_end_matches([' ', '-']).ends_with("{%") {
                continue;
            }
            let component: String = after
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let body = after.split("endcomponent").next().unwrap_or("");
            if !component.is_empty() && body.contains(&format!("<{component}")) {
                let offset = text.len() - after.len();
                let line = text[..offset].matches('\n').count() + 1;
                return Some((name.clone(), line, component));
            }
        }
        None
    })
}

/// The first line of template `name` holding `needle` (line 1 when none does).
fn at_needle(sources: &Sources, name: &str, needle: &str, message: String) -> Problem {
    let line = line_with(sources, name, &[needle]);
    line_problem(sources, name, line, message)
}

/// The first line of template `name` holding every one of `needles`, else 1.
fn line_with(sources: &Sources, name: &str, needles: &[&str]) -> usize {
    sources
        .get(name)
        .and_then(|text| {
            text.lines()
                .position(|l| needles.iter().all(|n| !n.is_empty() && l.contains(n)))
        })
        .map_or(1, |i| i + 1)
}

fn line_problem(sources: &Sources, name: &str, line: usize, message: String) -> Problem {
    let text = sources.get(name).map(String::as_str);
    Problem::at_line(format!("templates/{name}"), text, line, message)
}

impl Renderer {
    /// The template and 1-based line where `needle` first occurs in template `name` or in one of
    /// those it extends, nearest first.
    pub fn locate_in_lineage(&self, name: &str, needle: &str) -> Option<(&str, usize, &str)> {
        let mut name = name;
        for _ in 0..self.sources.len() {
            let (key, text) = self.sources.get_key_value(name)?;
            if let Some(line) = find_line(text, needle) {
                return Some((key.as_str(), line, text.as_str()));
            }
            let after = text.split_once("extends")?.1.trim_start();
            let quote = after.chars().next().filter(|c| matches!(c, '"' | '\''))?;
            name = after[1..].split(quote).next()?;
        }
        None
    }

    /// The template and 1-based line where `needle` occurs, trying `first` before the others.
    pub fn locate(&self, first: Option<&str>, needle: &str) -> Option<(&str, usize, &str)> {
        let mut names: Vec<&String> = self.sources.keys().collect();
        names.sort_by_key(|n| (Some(n.as_str()) != first, n.as_str()));
        names.into_iter().find_map(|name| {
            let text = &self.sources[name];
            find_line(text, needle).map(|line| (name.as_str(), line, text.as_str()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(templates: &[(&str, &str)]) -> Vec<Problem> {
        let sources: Sources = templates
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let mut tera = tera::Tera::new();
        let err = match tera.add_raw_templates(templates.iter().copied()) {
            Err(e) => e,
            Ok(()) => tera.render("page.html", &tera::Context::new()).unwrap_err(),
        };
        let page = Rendering {
            file: "content/a.md",
            template: "page.html",
        };
        tera_problems(&err, &sources, Some(page))
    }

    fn at(p: &Problem) -> (String, Option<usize>) {
        (p.file.clone(), p.line)
    }

    #[test]
    fn load_errors_name_a_template_and_line() {
        let p = problems(&[(
            "page.html",
            "{# a comment #}\n{% extends \"nope.html\" %}\n",
        )]);
        assert_eq!(at(&p[0]), ("templates/page.html".into(), Some(2)), "{p:?}");
        assert!(p[0].message.contains("`nope.html`"), "{p:?}");
        let p = problems(&[
            ("page.html", "<p>\n{% include \"b.html\" %}\n"),
            ("b.html", "\n\n{% include \"page.html\" %}\n"),
        ]);
        assert_eq!(at(&p[0]), ("templates/b.html".into(), Some(3)), "{p:?}");
        assert!(p[0].message.contains("circle"), "{p:?}");
        let p = problems(&[
            ("page.html", "{% extends \"b.html\" %}"),
            ("b.html", "\n{% extends \"page.html\" %}"),
        ]);
        assert!(
            p[0].line.is_some() && p[0].message.contains("circle"),
            "{p:?}"
        );
        let p = problems(&[(
            "page.html",
            "<p>\n{% include \"zz.html\" %}\n{{ nofn() }}\n",
        )]);
        let found: Vec<_> = p.iter().map(at).collect();
        assert!(
            found.contains(&("templates/page.html".into(), Some(2))),
            "{p:?}"
        );
        assert!(p.iter().all(|p| !p.message.contains("-->")), "{p:?}");
    }

    #[test]
    fn a_component_calling_itself_is_located() {
        let p = problems(&[(
            "page.html",
            "<p>\n\n{% component dn(name: string) %}{{ <dn name={name} /> }}{% endcomponent dn %}\n{{ <dn name=\"x\" /> }}\n",
        )]);
        assert_eq!(at(&p[0]), ("templates/page.html".into(), Some(3)), "{p:?}");
        assert!(p[0].message.contains("`dn` calls itself"), "{p:?}");
    }
}
