//! The short name a citation shows its document by when a site has more than one source
//! ("2021 Letter ¶4"): `[extra.source] short`, else the first words of the title of the page
//! presenting the source (the name the navigation and the Sources page give it; its
//! `[extra.source] title` if the page has none): up to four, without a trailing joining word
//! ("of", "to", "the"...) or punctuation. Sources whose derived names would read the same are
//! shown by their whole titles. A site with one source shows none ("Source ¶4").

use std::collections::HashMap;

use crate::model::Page;

/// Words a short name does not end on: "2021 Letter to" reads as "2021 Letter".
const JOINING: &[&str] = &[
    "a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "the", "to", "und", "der",
    "die", "das", "des", "zu", "von", "de", "du", "la", "le", "les", "et", "del", "y", "el",
];

/// How many words of a title a derived short name keeps.
const WORDS: usize = 4;

/// The short name of each source page (by its content path), when there is more than one.
pub fn short_names(pages: &[Page]) -> HashMap<String, String> {
    let sources: Vec<&Page> = pages.iter().filter(|p| p.document.is_some()).collect();
    if sources.len() < 2 {
        return HashMap::new();
    }
    let mut names: Vec<(String, String)> = sources
        .iter()
        .map(|p| {
            (
                p.rel.clone(),
                written(p).unwrap_or_else(|| derive(&title(p))),
            )
        })
        .collect();
    // Derived names that read the same tell nothing apart: those sources show their titles.
    for i in 0..names.len() {
        let same = names.iter().filter(|(_, n)| *n == names[i].1).count() > 1;
        if same && written(sources[i]).is_none() {
            names[i].1 = title(sources[i]);
        }
    }
    names.into_iter().collect()
}

fn source_key<'p>(page: &'p Page, key: &str) -> Option<&'p str> {
    let source = page.meta.extra.get("source")?;
    source.get(key)?.as_str().filter(|s| !s.trim().is_empty())
}

fn written(page: &Page) -> Option<String> {
    source_key(page, "short").map(|s| s.trim().to_string())
}

fn title(page: &Page) -> String {
    match page.meta.title.trim() {
        "" => source_key(page, "title")
            .unwrap_or_default()
            .trim()
            .to_string(),
        title => title.to_string(),
    }
}

/// The first [`WORDS`] words of `title`, less trailing joining words and punctuation.
pub fn derive(title: &str) -> String {
    let mut words: Vec<&str> = title.split_whitespace().take(WORDS).collect();
    let trim = |w: &str| {
        w.trim_end_matches(|c: char| !c.is_alphanumeric())
            .to_string()
    };
    while let Some(last) = words.last() {
        let bare = trim(last);
        if bare.is_empty() || JOINING.contains(&bare.to_lowercase().as_str()) {
            words.pop();
        } else {
            break;
        }
    }
    let mut out = words.join(" ");
    let kept = trim(&out).len();
    out.truncate(kept);
    out
}

#[cfg(test)]
mod tests {
    use super::derive;

    #[test]
    fn a_short_name_is_the_title_s_first_words() {
        assert_eq!(derive("2021 letter"), "2021 letter");
        assert_eq!(
            derive("Berkshire Hathaway: letter to shareholders, 2010"),
            "Berkshire Hathaway: letter"
        );
        assert_eq!(
            derive("Annual Report 2023: Strategy and Outlook"),
            "Annual Report 2023: Strategy"
        );
        assert_eq!(
            derive("Q4 2025 results, call transcript"),
            "Q4 2025 results, call"
        );
        assert_eq!(derive("Remarks by the chair, 2024"), "Remarks by the chair");
        assert_eq!(derive("Notes on the"), "Notes");
        assert_eq!(
            derive("Rapport de la direction générale"),
            "Rapport de la direction"
        );
        assert_eq!(
            derive("Bericht an die Aktionäre"),
            "Bericht an die Aktionäre"
        );
        assert_eq!(derive("Memo"), "Memo");
    }
}
