//! What the site accepts, the board pack prints. For every fixture site that `build` accepts
//! (the real briefing, `briefing init`'s starter, the sites written below, and every site
//! under tests/fixtures), `briefing pdf` succeeds, and the PDF's text (poppler's `pdftotext`)
//! holds every figure and citation of the pages it prints; each citation links to a named
//! destination in the appendix, which holds every cited source, in the navigation or not.
//! Text in a script no installed font has stops the pack, naming the characters and the font
//! package. The print tests need Chromium and poppler-utils (see `common::print_tools`).

mod common;
use common::{Fixture, Run};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn briefing(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_briefing"));
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run(cmd.output().expect("run briefing"))
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().expect(name);
    assert!(out.status.success(), "{name} {args:?} failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// How often each item occurs.
fn counts(items: impl IntoIterator<Item = String>) -> HashMap<String, usize> {
    let mut n = HashMap::new();
    for item in items {
        *n.entry(item).or_default() += 1;
    }
    n
}

/// The runs of ASCII digits in `text`: its figures, as the reader sees them.
fn figures(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// The citation marks (`¶2`) in `text`.
fn marks(text: &str) -> Vec<String> {
    text.split('¶')
        .skip(1)
        .map(|rest| format!("¶{}", figures(rest).first().cloned().unwrap_or_default()))
        .collect()
}

/// What a built top-level page shows in its `<main>`: its text, and the page and fragment each
/// citation link (`a.cite`) points at, as site paths (`source/index.html`, `p2`).
fn shown(html: &str) -> (String, Vec<(String, String)>) {
    use lol_html::{RewriteStrSettings, element, rewrite_str, text};
    use std::cell::RefCell;
    // Not drawn: what the print document hides (permalinks, "more" links), and a drawing's
    // description for screen readers.
    let hidden = ".anchor, .more, .skip-link, .doc-note, script, style, svg desc, svg title";
    let settings =
        RewriteStrSettings::new().append_element_content_handler(element!(hidden, |el| {
            el.remove();
            Ok(())
        }));
    let html = rewrite_str(html, settings).unwrap();
    let (text_out, cited) = (RefCell::new(String::new()), RefCell::new(Vec::new()));
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(text!("main", |t| {
            text_out.borrow_mut().push_str(t.as_str());
            if t.last_in_text_node() {
                text_out.borrow_mut().push(' ');
            }
            Ok(())
        }))
        .append_element_content_handler(element!("main a.cite[href]", |el| {
            let href = el.get_attribute("href").unwrap();
            let (path, frag) = href.split_once('#').unwrap_or((&href, ""));
            let path = path.trim_start_matches("../").to_string();
            cited.borrow_mut().push((path, frag.to_string()));
            Ok(())
        }));
    rewrite_str(&html, settings).unwrap();
    // Character references (`&#x27;`) are not figures.
    let text = text_out.into_inner();
    let plain: String = text
        .split('&')
        .enumerate()
        .map(|(i, part)| match (i, part.find(';')) {
            (0, _) | (_, None) => part.to_string(),
            (_, Some(end)) if end <= 10 => format!(" {}", &part[end + 1..]),
            _ => part.to_string(),
        })
        .collect();
    (plain, cited.into_inner())
}

/// The pages the pack prints as parts: the navigation's top-level pages that present no
/// source, read from their front matter, as built URLs.
fn printed_pages(root: &Path) -> Vec<String> {
    let mut urls = Vec::new();
    for entry in fs::read_dir(root.join("content")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if !name.ends_with(".md") || name == "_index.md" {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let front: toml::Table = toml::from_str(text.split("+++").nth(1).unwrap()).unwrap();
        let flag = |key: &str| front.get(key).and_then(toml::Value::as_bool);
        if flag("in_nav") == Some(false) || flag("draft") == Some(true) {
            continue;
        }
        if front.contains_key("document") {
            continue;
        }
        let slug = front.get("slug").and_then(toml::Value::as_str);
        let stem = name.trim_end_matches(".md");
        urls.push(format!("{}/index.html", slug.unwrap_or(stem)));
    }
    urls.sort();
    urls
}

/// Build the site at `root` and print its pack; unless `build` refuses it (then `false`),
/// insist the pack prints and shows every figure, citation mark and cited paragraph of the
/// pages it prints.
fn pack_shows_the_site(name: &str, root: &Path, chromium: &str) -> bool {
    let tmp = tempfile::tempdir().unwrap();
    let (site, pdf) = (tmp.path().join("site"), tmp.path().join("pack.pdf"));
    let root_arg = root.to_str().unwrap();
    let built = briefing(
        &[
            "build",
            "--root",
            root_arg,
            "--output-dir",
            site.to_str().unwrap(),
        ],
        &[],
    );
    if !built.0.status.success() {
        return false;
    }
    let env = [("BRIEFING_CHROMIUM", chromium)];
    let printed = briefing(
        &["pdf", "--root", root_arg, "--output", pdf.to_str().unwrap()],
        &env,
    );
    assert!(
        printed.0.status.success(),
        "{name}: `build` accepts it, `pdf` refuses it:\n{}",
        printed.stderr()
    );
    let pdf = pdf.to_str().unwrap();
    let dests = tool("pdfinfo", &["-dests", pdf]);
    // The pages before the appendix: the sources' text there would hide a figure the pages lost.
    let last = appendix_start(root, &dests).map_or(String::from("0"), |p| (p - 1).to_string());
    let text = tool("pdftotext", &["-enc", "UTF-8", "-l", &last, pdf, "-"]);
    let raw = fs::read(pdf).unwrap();
    let (in_pdf, marks_in_pdf) = (counts(figures(&text)), counts(marks(&text)));
    for url in printed_pages(root) {
        let html = fs::read_to_string(site.join(&url)).unwrap();
        let (shown_text, cited) = shown(&html);
        for (figure, n) in counts(figures(&shown_text)) {
            let got = in_pdf.get(&figure).copied().unwrap_or(0);
            assert!(
                got >= n,
                "{name}: {url} shows {figure} {n}×, the pack {got}×"
            );
        }
        for (mark, n) in counts(marks(&shown_text)) {
            let got = marks_in_pdf.get(&mark).copied().unwrap_or(0);
            assert!(got >= n, "{name}: {url} shows {mark} {n}×, the pack {got}×");
        }
        for (page, frag) in cited {
            let dest = destination(&dests, &page, &frag).unwrap_or_else(|| {
                panic!("{name}: {url} cites {page}#{frag}, not in the pack's appendix:\n{dests}")
            });
            let link = format!("/Dest /{dest}");
            assert!(
                raw.windows(link.len()).any(|w| w == link.as_bytes()),
                "{name}: no link to {dest}"
            );
        }
    }
    true
}

/// The page on which the appendix starts: the first of its sources' destinations (named by
/// their pages' keys, `source`).
fn appendix_start(root: &Path, dests: &str) -> Option<usize> {
    let mut keys = Vec::new();
    for entry in fs::read_dir(root.join("content")).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap_or_default();
        if path.extension().is_some_and(|e| e == "md") && text.contains("\ndocument = ") {
            let stem = path.file_stem().unwrap().to_str().unwrap();
            keys.push(format!("\"{stem}\""));
        }
    }
    dests
        .lines()
        .filter(|l| keys.iter().any(|k| l.ends_with(k.as_str())))
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .min()
}

/// The named destination of paragraph `frag` of the source page `page` in `pdfinfo -dests`:
/// `source--p2`, or `p2` when the appendix has one source.
fn destination(dests: &str, page: &str, frag: &str) -> Option<String> {
    let key = page
        .trim_end_matches("index.html")
        .trim_matches('/')
        .replace('/', "-");
    let names: Vec<&str> = dests
        .lines()
        .filter_map(|l| l.rsplit_once(" \"")?.1.strip_suffix('"'))
        .collect();
    let full = format!("{key}--{frag}");
    if names.contains(&full.as_str()) {
        return Some(full);
    }
    let bare = !names.iter().any(|n| n.contains("--p"));
    (bare && names.contains(&frag)).then(|| frag.to_string())
}

/// The starter without its 5–7 metric: the model's table row, by its `data-cite`, is then
/// the only backing of "5 to 7 years".
fn starter_backed_by_a_table_row() -> Fixture {
    let site = Fixture::starter();
    let path = site.root().join("content/metrics.md");
    let text = fs::read_to_string(&path).unwrap();
    let start = text.find("[[extra.metrics]]\nvalue = \"5–7\"").unwrap();
    let end = start + 5 + text[start + 5..].find("[[extra.metrics]]").unwrap();
    fs::write(&path, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let model = fs::read_to_string(site.root().join("content/model.md")).unwrap();
    assert!(model.contains("5 to 7 years"), "the row still says it");
    site
}

const ROWS: &str = r#"{% extends "base.html" %}{% block main %}<h1>{{ page.title }}</h1><table>{% for r in page.extra.rows %}<tr data-cite="{{ root }}{{ r.cite.url }}"><th>{{ r.label }}</th><td>{{ r.value }}</td></tr>{% endfor %}</table><ul>{% for r in page.extra.rows %}<li class="card"><p><a class="card-value" href="{{ root }}{{ r.cite.url }}">{{ r.value }}</a> offices</p><a class="cite" href="{{ root }}{{ r.cite.url }}">¶{{ r.cite.para }}</a></li>{% endfor %}</ul>{% endblock %}"#;

const DOC: &str = r#"{% extends "base.html" %}{% block main %}<h1>{{ page.title }}</h1>{% for p in page.document.paragraphs %}<p id="{{ p.id }}">{{ p.text }}</p>{% endfor %}{% endblock %}"#;

/// A small site: a table whose rows carry `data-cite`, and cards citing a source that the
/// navigation leaves out, beside one it lists.
fn rows_and_a_source_outside_the_navigation() -> Fixture {
    let row = |label: &str, value: &str, quote: &str, source: &str, para: u32| {
        format!(
            "[[extra.rows]]\nlabel = \"{label}\"\nvalue = \"{value}\"\n[extra.rows.cite]\nquote = \"{quote}\"\nsource = \"{source}\"\npara = {para}\n"
        )
    };
    let rows = [
        row("Europe", "12", "12 offices in Europe", "letter.md", 1),
        row("Asia", "27", "27 offices in Asia", "annex.md", 2),
    ]
    .concat();
    Fixture::new()
        .file("templates/rows.html", ROWS)
        .file("templates/doc.html", DOC)
        .file("content/sources/letter.txt", "Letter\n12 offices in Europe.\n")
        .file(
            "content/sources/annex.txt",
            "Annex\nOpened this year.\nThe company has 27 offices in Asia.\n",
        )
        .file(
            "content/letter.md",
            "+++\ntitle = \"Letter\"\ndocument = \"sources/letter.txt\"\ntemplate = \"doc.html\"\n+++\n",
        )
        .file(
            "content/annex.md",
            "+++\ntitle = \"Annex\"\ndocument = \"sources/annex.txt\"\ntemplate = \"doc.html\"\nin_nav = false\n+++\n",
        )
        .file(
            "content/offices.md",
            &format!("+++\ntitle = \"Offices\"\ntemplate = \"rows.html\"\n{rows}+++\n"),
        )
}

/// Whether a font for Chinese is installed; without one the real briefing (菜鸟) cannot print.
fn has_cjk_font() -> bool {
    let listed = Command::new("fc-list").arg(":lang=zh").output();
    listed.is_ok_and(|o| !o.stdout.is_empty())
}

#[test]
fn every_fixture_site_that_builds_prints_its_figures_and_citations() {
    let Some(chromium) = common::print_tools("the board pack of every fixture site") else {
        return;
    };
    let starter = Fixture::starter();
    let row = starter_backed_by_a_table_row();
    row.build_ok();
    let small = rows_and_a_source_outside_the_navigation();
    small.build_ok();
    let mut sites: Vec<(String, PathBuf)> = vec![
        ("the starter".into(), starter.root().into()),
        ("a table row's data-cite".into(), row.root().into()),
        (
            "a source outside the navigation".into(),
            small.root().into(),
        ),
    ];
    if has_cjk_font() {
        sites.push(("the real briefing".into(), repo()));
    } else if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("CI is set but no font for Chinese is installed (apt-get install fonts-noto-cjk)");
    } else {
        eprintln!("\n*** SKIPPED: the real briefing's pack needs fonts-noto-cjk ***\n");
    }
    for entry in walkdir::WalkDir::new(repo().join("tests/fixtures")).max_depth(3) {
        let entry = entry.unwrap();
        if entry.file_name() == "site.toml" {
            let dir = entry.path().parent().unwrap();
            sites.push((dir.display().to_string(), dir.to_path_buf()));
        }
    }
    for (name, root) in &sites {
        let accepted = pack_shows_the_site(name, root, &chromium);
        assert!(
            accepted || name.contains("tests/fixtures"),
            "{name} must build"
        );
    }
}

/// A fontconfig configuration that knows one font of the machine, with Latin and without
/// Chinese (`fc-list` picks it), and the folder holding it.
fn latin_only_fonts(dir: &Path) -> PathBuf {
    let files = |pattern: &str| tool("fc-list", &["--format", "%{file}\n", pattern]);
    let chinese = files(":charset=83dc");
    let latin = files(":lang=en:scalable=true");
    let mut latin: Vec<&str> = latin.lines().filter(|f| !chinese.contains(f)).collect();
    latin.sort_unstable();
    let font = Path::new(latin.first().expect("a Latin font without Chinese"));
    let fonts = dir.join("fonts");
    fs::create_dir_all(&fonts).unwrap();
    fs::copy(font, fonts.join(font.file_name().unwrap())).unwrap();
    let conf = dir.join("fonts.conf");
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig><dir>{}</dir><cachedir>{}</cachedir></fontconfig>\n",
        fonts.display(),
        dir.join("cache").display()
    );
    fs::write(&conf, xml).unwrap();
    conf
}

#[test]
fn text_no_installed_font_has_stops_the_pack_naming_characters_and_package() {
    let Some(chromium) = common::print_tools("the board pack's font check") else {
        return;
    };
    let site = Fixture::new()
        .file(
            "content/glossary.md",
            "+++\ntitle = \"Glossary\"\n+++\nCainiao is written 菜鸟.\n\nThe sign 𓀀 is a seated man.\n",
        )
        .file("briefing.pdf", "previous");
    site.build_ok();
    let tmp = tempfile::tempdir().unwrap();
    let conf = latin_only_fonts(tmp.path());
    let root = site.root().to_str().unwrap();
    let env = [
        ("BRIEFING_CHROMIUM", chromium.as_str()),
        ("FONTCONFIG_FILE", conf.to_str().unwrap()),
    ];
    let err = briefing(&["pdf", "--root", root], &env).fails();
    assert!(
        err.contains(
            "content/glossary.md:4:20: `菜` (U+83DC), `鸟` (U+9E1F) have no font on this machine"
        ),
        "{err}"
    );
    assert!(err.contains("apt-get install fonts-noto-cjk"), "{err}");
    assert!(
        err.contains("content/glossary.md:6:10: `𓀀` (U+13000) has no font"),
        "{err}"
    );
    assert!(err.contains("apt-get install fonts-noto-core"), "{err}");
    assert!(err.contains("2 problems found"), "{err}");
    let previous = fs::read_to_string(site.root().join("briefing.pdf")).unwrap();
    assert_eq!(previous, "previous", "nothing printed");

    // The same page in Latin letters alone prints with that one font.
    site.write(
        "content/glossary.md",
        b"+++\ntitle = \"Glossary\"\n+++\nCainiao means rookies.\n",
    );
    briefing(&["pdf", "--root", root], &env).ok();
}

#[test]
fn the_real_briefing_prints_its_chinese_where_a_font_for_it_is_installed() {
    let Some(chromium) = common::print_tools("the real briefing's fonts") else {
        return;
    };
    if !has_cjk_font() {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty()),
            "CI is set but no font for Chinese is installed (apt-get install fonts-noto-cjk)"
        );
        eprintln!("\n*** SKIPPED: the real briefing's fonts need fonts-noto-cjk ***\n");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let pdf = tmp.path().join("pack.pdf");
    let root = repo();
    let args = [
        "pdf",
        "--root",
        root.to_str().unwrap(),
        "--output",
        pdf.to_str().unwrap(),
    ];
    briefing(&args, &[("BRIEFING_CHROMIUM", chromium.as_str())]).ok();
    let text = tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    assert!(text.contains('菜') && text.contains('鸟'), "{text}");
    // Without that font the same briefing is refused, never printed with boxes.
    let conf = latin_only_fonts(tmp.path());
    let env = [
        ("BRIEFING_CHROMIUM", chromium.as_str()),
        ("FONTCONFIG_FILE", conf.to_str().unwrap()),
    ];
    let err = briefing(&args, &env).fails();
    assert!(err.contains("content/metrics.md:"), "{err}");
    assert!(
        err.contains("`菜` (U+83DC), `鸟` (U+9E1F)") && err.contains("fonts-noto-cjk"),
        "{err}"
    );
}
