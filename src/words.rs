//! The words a reader sees that are not content: headings of tables, badges, link labels, the
//! skip link. Templates take them from `config.words`; a site sets any of them in the `[words]`
//! table of `site.toml`, and the rest keep the English defaults compiled in here. A key we do not
//! know is an error, so a typo does not silently leave the default in place.

use serde::{Deserialize, Serialize};

macro_rules! words {
    ($($key:ident = $default:literal: $doc:literal;)*) => {
        /// Every word templates use, with the site's choices over the defaults.
        #[derive(Debug, Clone, Deserialize, Serialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct Words {
            $(#[doc = $doc] pub $key: String,)*
        }

        impl Default for Words {
            fn default() -> Self {
                Words { $($key: $default.to_string(),)* }
            }
        }

        /// Every key with its default and what it labels, in order (for docs and tests).
        pub const KEYS: &[(&str, &str, &str)] = &[$((stringify!($key), $default, $doc),)*];
    };
}

words! {
    skip_link = "Skip to content": "the first link of every page, for keyboard users";
    nav_label = "Sections": "the accessible name of the site navigation";
    home = "Home": "the link home on the not-found page";
    sections = "Sections": "the heading over the home page's list of sections";
    read_more = "{title} in full": "the link from the home page's diagram to its page";
    metrics_more = "{title} with their source sentences": "the link from the home page's cards";
    source = "Source": "the label of a citation link on cards and quotes";
    source_paragraph = "Source, paragraph": "a citation link's tooltip, before the number";
    forecast = "Forecast": "the badge of a figure the source expects";
    stated = "Stated": "the badge of a figure the source reports as a result";
    evidence = "Evidence": "the heading over the metrics' evidence table";
    measure = "Measure": "evidence table: the column of what is measured";
    figure = "Figure": "evidence table: the column of values";
    status = "Status": "evidence table: stated or forecast";
    when = "When": "evidence table: the column of dates";
    source_words = "The source’s words": "the column of quotations";
    horizons = "The horizons": "the heading over the horizon table";
    horizon = "Horizon": "horizon table: the column of names";
    horizon_text = "What the text says": "horizon table: the column of summaries";
    also = "Also": "before a second quotation for the same horizon";
    analysis = "Analysis": "the badge over interpretation that is not the source's";
    plain_text = "The source as plain text": "the link to a text source's file";
    board_pack = "Board pack": "the home page's link to the briefing as one PDF";
    pdf = "PDF": "after the board pack's name, before its page count";
    pages = "pages": "after the board pack's page count";
    pdf_file = "The original PDF": "the link to a PDF source's file";
    spreadsheet_file = "The original spreadsheet": "the link to a spreadsheet source's file";
    row = "Row": "a spreadsheet source's table: the column of row numbers";
    page = "Page": "the heading of each page of a PDF source, and a citation link's tooltip";
    open_page = "this page in the PDF": "the link from a page of a PDF source to the PDF at that page";
    source_title = "Title": "source description: the document's title";
    publisher = "Publisher": "source description: who published it";
    author = "Author": "source description: who wrote it";
    published = "Date": "source description: when it was published";
    address = "Address": "source description: where it is online";
    retrieved = "Retrieved": "source description: when a web page was saved from its address";
    language = "Language": "source description: the language it is in";
    translation = "Translation": "source description: a note on the translation";
    sources_cited = "The sources this briefing cites": "the description on the Sources page when it has none";
    key_figures = "key figures": "the social card's alt text, after the site title";
    diagram_desc = "Overlapping curves over time, each later horizon starting before the previous one peaks.": "the first sentence of the diagram's description for screen readers";
    diagram_time = "Time →": "the diagram's horizontal axis";
    diagram_value = "Value →": "the diagram's vertical axis";
    series = "Over time": "the heading over the charts of metrics with a series";
    date = "Date": "series table: the column of dates";
    value = "Value": "series table: the column of values";
    result = "result": "a chart's word for a value already reached";
    chart_forecast = "forecast": "a chart's word under a forecast value";
    slides = "Slides": "the deck's name, on its link and in its title";
    slide = "Slide": "before a slide's number in the deck";
    next_slide = "Next": "the presenter view's label over the next slide";
    presenter_view = "Presenter view": "the presenter view's title and the key hint";
    notes = "Notes": "the presenter view's label over the speaker notes";
    elapsed = "Elapsed": "the presenter view's timer";
    clock = "Time": "the presenter view's clock";
    overview = "Overview": "the deck's grid of all slides";
    deck_keys = "Keys: ← → move, F fullscreen, O overview, P presenter view": "the deck's key hint";
    sources_slide = "Sources": "the heading of the deck's last slide";
    search = "Search": "the search box's label and button, and the search page's title";
    search_none = "No results": "the search page's status when nothing matches";
    search_one = "1 result": "the search page's status for one match";
    search_many = "{n} results": "the search page's status for several matches ({n} their number)";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_overrides_some_words_and_keeps_the_rest() {
        let w: Words = toml::from_str("horizon = \"Priority\"\nforecast = \"Expected\"").unwrap();
        assert_eq!(w.horizon, "Priority");
        assert_eq!(w.forecast, "Expected");
        assert_eq!(w.stated, "Stated");
        assert_eq!(w.skip_link, "Skip to content");
    }

    #[test]
    fn unknown_words_are_refused() {
        let e = toml::from_str::<Words>("horizn = \"x\"").unwrap_err();
        assert!(e.message().contains("horizn"), "{e}");
    }

    #[test]
    fn keys_match_the_struct() {
        let table = toml::Table::try_from(Words::default()).unwrap();
        let keys: Vec<&str> = KEYS.iter().map(|k| k.0).collect();
        assert_eq!(table.keys().map(String::as_str).collect::<Vec<_>>(), keys);
    }

    #[test]
    fn the_format_doc_lists_every_word_with_its_default() {
        let doc = include_str!("../docs/FORMAT.md");
        for (key, default, _) in KEYS {
            assert!(
                doc.contains(&format!("| `{key}` | {default} |")),
                "docs/FORMAT.md lacks `{key}`"
            );
        }
    }
}
