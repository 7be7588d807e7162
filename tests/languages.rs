//! Pages and sources in other languages: a page's and a source's language and where it shows
//! (`<html lang>`, the quoted source text), the quotation marks of each language checked like
//! English ones, unknown language tags, a quote that runs across a paragraph break, and a
//! renamed source. The fixture is a briefing on the built-in templates about three real public
//! documents (their origins are noted beside them), with pages in German, Chinese and French.

mod common;
use common::Fixture;

/// Excerpt of MeVis Medical Solutions AG's letter to its shareholders on the 2022 annual general
/// meeting, signed by Marcus Kirchhoff (German original, as published at
/// https://www.mevis.de/en/investor-relations/annual-general-meeting/annual-general-meeting-2022).
const MEVIS: &str = "Liebe Aktionärinnen und Aktionäre\n\nAufgrund des für die Planung einer Hauptversammlung (Präsenz-HV als auch virtuelle HV) erforderlichen Vorlaufs muss die Entscheidung über das Format der Hauptversammlung bereits lange vor der Einberufung getroffen werden.\n\nAngesichts der aktuellen Pandemielage in der Region habe ich die Entscheidung getroffen, von der Möglichkeit Gebrauch zu machen und für dieses Jahr noch einmal eine virtuelle Hauptversammlung abzuhalten.\n\nBleiben Sie gesund!\n";

/// Excerpt of the letter to shareholders of Alibaba Group's chairman and chief executive in its
/// fiscal 2024 annual report (traditional Chinese, as published at
/// https://alibabanews.com/阿里巴巴集團董事會主席和首席執行官致股東的信).
const ALIBABA: &str = "阿里巴巴集團主席和首席執行官致股東的信\n\n阿里巴巴擁有兩大核心業務:電商和雲計算。\n\n我們為公司的戰略方向選擇了兩條重要路徑。作為公司的領導者,我們必須清晰地闡明我們的方向。\n\n第一個戰略是「用戶為先」。\n";

/// Excerpt of AffiParis's press release of 25 October 2011 on its capital increase (French
/// original; the title is shortened before its figures).
const AFFIPARIS: &str = "AffiParis lance une augmentation de capital\n\nL’opération a pour objectif de renforcer les fonds propres de la Société face à un endettement élevé, et d’améliorer ainsi son ratio d’Endettement Financier Net / Capitaux Propres.\n";

/// A page presenting `doc` (under `content/sources/`), in `language` per `[extra.source]`.
fn source_page(title: &str, doc: &str, language: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndescription = \"The document.\"\ndocument = \"sources/{doc}\"\ntemplate = \"source.html\"\n[extra.source]\ntitle = \"{title}\"\nlanguage = \"{language}\"\n+++\n"
    )
}

/// A page in `language` whose body (from line 6) is `body`.
fn page(title: &str, language: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndescription = \"A page.\"\nlanguage = \"{language}\"\n+++\n{body}\n"
    )
}

const DE: &str = "Der Vorstand schließt mit „Bleiben Sie gesund!“";
const ZH: &str = "信中說,第一個戰略是「用戶為先」。";
const FR: &str = "Le communiqué veut «\u{a0}renforcer les fonds propres de la Société\u{a0}».";

fn briefing() -> Fixture {
    Fixture::empty()
        .file("site.toml", "title = \"Letters\"\ndescription = \"Three letters.\"\nlanguage = \"en\"\n")
        .file(
            "content/_index.md",
            "+++\ntitle = \"Letters\"\ndescription = \"Three letters.\"\n+++\nThree documents, read in their languages.\n",
        )
        .file("content/mevis.md", &source_page("MeVis", "mevis.txt", "de"))
        .file("content/sources/mevis.txt", MEVIS)
        .file("content/alibaba.md", &source_page("Alibaba", "alibaba.txt", "zh-Hant"))
        .file("content/sources/alibaba.txt", ALIBABA)
        .file("content/affiparis.md", &source_page("AffiParis", "affiparis.txt", "French"))
        .file("content/sources/affiparis.txt", AFFIPARIS)
        .file("content/de.md", &page("Brief", "de-CH", DE))
        .file("content/zh.md", &page("信", "zh-Hant", ZH))
        .file("content/fr.md", &page("Lettre", "fr", FR))
}

/// Build the good fixture, apply `change`, and expect the build to fail with every needle in
/// its message; the site built before must be untouched.
fn refused(change: impl FnOnce(Fixture) -> Fixture, needles: &[&str]) -> String {
    let site = briefing();
    site.build_ok();
    let err = change(site).fails_keeping_output();
    for needle in needles {
        assert!(err.contains(needle), "expected `{needle}` in:\n{err}");
    }
    err
}

#[test]
fn each_page_says_its_language_and_quoted_source_text_says_its_own() {
    let site = briefing();
    site.build_ok();
    assert!(site.out("index.html").contains("<html lang=\"en\">"));
    assert!(site.out("de/index.html").contains("<html lang=\"de-CH\">"));
    assert!(
        site.out("zh/index.html")
            .contains("<html lang=\"zh-Hant\">")
    );
    assert!(site.out("fr/index.html").contains("<html lang=\"fr\">"));
    // An English page presenting a German document marks the document's text as German.
    let mevis = site.out("mevis/index.html");
    assert!(mevis.contains("<html lang=\"en\">"), "{mevis}");
    assert!(
        mevis.contains("<article class=\"source-doc\" aria-labelledby=\"p0\" lang=\"de\">"),
        "{mevis}"
    );
    // A source's language given by its name is written as its tag.
    assert!(site.out("affiparis/index.html").contains(" lang=\"fr\">"));
    assert!(
        site.out("alibaba/index.html")
            .contains(" lang=\"zh-Hant\">")
    );
}

#[test]
fn a_german_source_page_in_german_needs_no_second_lang() {
    let site = briefing().file(
        "content/mevis.md",
        &source_page("MeVis", "mevis.txt", "de")
            .replace("+++\ntitle", "+++\nlanguage = \"de\"\ntitle"),
    );
    site.build_ok();
    let mevis = site.out("mevis/index.html");
    assert!(mevis.contains("<html lang=\"de\">"));
    assert!(
        mevis.contains("<article class=\"source-doc\" aria-labelledby=\"p0\">"),
        "{mevis}"
    );
}

#[test]
fn a_misquote_in_german_low_marks_is_refused() {
    refused(
        |s| {
            s.file(
                "content/de.md",
                &page("Brief", "de-CH", &DE.replace("gesund", "zu Hause")),
            )
        },
        &[
            "content/de.md:6:",
            "the page quotes “Bleiben Sie zu Hause!”, which is not verbatim in any source document",
        ],
    );
    // Guillemets pointing inwards, as German writes them, are quotations too.
    refused(
        |s| {
            s.file(
                "content/de.md",
                &page("Brief", "de", "Er schreibt: »Bleibt gesund!«"),
            )
        },
        &[
            "content/de.md:6:",
            "the page quotes “Bleibt gesund!”, which is not verbatim",
        ],
    );
}

#[test]
fn a_misquote_in_corner_brackets_is_refused() {
    refused(
        |s| {
            s.file(
                "content/zh.md",
                &page("信", "zh-Hant", &ZH.replace("用戶", "客戶")),
            )
        },
        &[
            "content/zh.md:6:",
            "the page quotes “客戶為先”, which is not verbatim in any source document",
        ],
    );
}

#[test]
fn a_misquote_in_french_guillemets_with_no_break_spaces_is_refused() {
    refused(
        |s| {
            s.file(
                "content/fr.md",
                &page("Lettre", "fr", &FR.replace("de la Société", "du Groupe")),
            )
        },
        &[
            "content/fr.md:6:",
            "the page quotes “renforcer les fonds propres du Groupe”, which is not verbatim",
        ],
    );
}

#[test]
fn an_unknown_language_is_reported_where_it_is_set() {
    refused(
        |s| s.file("content/de.md", &page("Brief", "pt-BR", DE)),
        &[
            "content/de.md:4:12: language `pt-BR` is not one briefing reads: use one of en, de, fr, es, zh, ja",
        ],
    );
    refused(
        |s| {
            s.file(
                "content/mevis.md",
                &source_page("MeVis", "mevis.txt", "Portuguese"),
            )
        },
        &["content/mevis.md:8:12: language `Portuguese` is not one briefing reads"],
    );
    refused(
        |s| {
            s.file(
                "site.toml",
                "title = \"Letters\"\ndescription = \"Three letters.\"\nlanguage = \"tlh\"\n",
            )
        },
        &["site.toml:3:12: language `tlh` is not one briefing reads"],
    );
}

#[test]
fn a_quote_across_a_paragraph_break_names_both_paragraphs() {
    let crossing = "eine virtuelle Hauptversammlung abzuhalten. Bleiben Sie gesund!";
    // A citation's quote.
    let headline = format!(
        "+++\ntitle = \"Letters\"\ndescription = \"Three letters.\"\n[extra.headline]\nquote = \"{crossing}\"\nsource = \"mevis.md\"\npara = 2\n+++\nThree documents.\n"
    );
    refused(
        |s| s.file("content/_index.md", &headline),
        &[
            "content/_index.md:5:",
            "quote in `extra.headline` runs from the end of paragraph 2 into paragraph 3 of `sources/mevis.txt`: a quote is held to one paragraph, so quote each paragraph separately",
        ],
    );
    // A quotation in a page's text.
    refused(
        |s| {
            s.file(
                "content/de.md",
                &page("Brief", "de", &format!("Er schreibt „{crossing}“")),
            )
        },
        &[
            "content/de.md:6:",
            "which runs from the end of paragraph 2 into paragraph 3 of `sources/mevis.txt`: a quotation is checked against one paragraph, so quote each paragraph separately",
        ],
    );
}

#[test]
fn a_renamed_source_gets_did_you_mean() {
    // The document file renamed: its page still names the old file.
    refused(
        |s| {
            s.remove("content/sources/mevis.txt");
            s.file("content/sources/mevis-letter-2022.txt", MEVIS)
        },
        &[
            "content/mevis.md:4: document `content/sources/mevis.txt` does not exist; did you mean `sources/mevis-letter-2022.txt`?",
        ],
    );
    // The page presenting it renamed: a citation still names the old page.
    let headline = "+++\ntitle = \"Letters\"\ndescription = \"Three letters.\"\n[extra.headline]\nquote = \"Bleiben Sie gesund!\"\nsource = \"mevis.md\"\npara = 3\n+++\nThree documents.\n";
    let site = briefing().file("content/_index.md", headline);
    site.build_ok();
    site.remove("content/mevis.md");
    let site = site.file(
        "content/hauptversammlung.md",
        &source_page("MeVis", "mevis.txt", "de"),
    );
    let err = site.fails_keeping_output();
    assert!(
        err.contains("content/_index.md:6:10: citation `extra.headline` names source `mevis.md`, but no page `content/mevis.md` presents a document; did you mean `hauptversammlung.md`, whose document holds the quote?"),
        "{err}"
    );
}

#[test]
fn a_quote_from_a_german_source_on_an_english_page_is_marked_german() {
    let home = "+++\ntitle = \"Letters\"\ndescription = \"Three letters.\"\n[extra.headline]\nquote = \"Bleiben Sie gesund!\"\nsource = \"mevis.md\"\npara = 3\n+++\nThree documents.\n";
    let site = briefing().file("content/_index.md", home);
    site.build_ok();
    let index = site.out("index.html");
    assert!(index.contains("<html lang=\"en\">"), "{index}");
    assert!(
        index.contains("data-cite=\"mevis/index.html#p3\" lang=\"de\">“Bleiben Sie gesund!”"),
        "{index}"
    );
    // The same quote on a German page needs no mark of its own.
    let site = briefing().file(
        "content/_index.md",
        &home.replace("+++\ntitle", "+++\nlanguage = \"de\"\ntitle"),
    );
    site.build_ok();
    let index = site.out("index.html");
    assert!(
        index.contains("data-cite=\"mevis/index.html#p3\">“Bleiben Sie gesund!”"),
        "{index}"
    );
}
