//! The languages whose figures, quotation marks, forecast words and dates briefing reads. A page
//! is read in its own language (`language` in front matter, the site's `language` by default),
//! a source document in its own (`[extra.source] language`). What each language's reading
//! understands is listed in docs/FORMAT.md, "Languages".

use serde::Serialize;

/// A language briefing reads. Any BCP 47 tag names one by its primary subtag (`de-CH` is German,
/// `zh-Hant-TW` Chinese); a language we do not read is an error where it is set.
/// Templates see it as its primary subtag (`de`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    De,
    Fr,
    Es,
    Zh,
    Ja,
}

/// Every language, in the order docs and messages list them.
pub const ALL: [Lang; 6] = [Lang::En, Lang::De, Lang::Fr, Lang::Es, Lang::Zh, Lang::Ja];

impl Lang {
    /// The language a BCP 47 tag names (`en`, `en-GB`, `de-DE`, `zh-Hans`), if we read it.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The primary subtag: `en`, `de`, `fr`, `es`, `zh`, `ja`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Zh => "zh",
            Lang::Ja => "ja",
        }
    }

    /// The language's English name, for messages and docs.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::De => "German",
            Lang::Fr => "French",
            Lang::Es => "Spanish",
            Lang::Zh => "Chinese",
            Lang::Ja => "Japanese",
        }
    }

    /// Whether the language writes `1.250,5` (a comma before decimals, points or spaces
    /// between thousands) rather than `1,250.5`.
    pub fn decimal_comma(self) -> bool {
        matches!(self, Lang::De | Lang::Fr | Lang::Es)
    }
}

/// A language as a setting gives it: a BCP 47 tag (`de-CH`), or the language's name in English
/// or in itself (`German`, `Deutsch`), as a source's description may write it. Returns the
/// language and the tag for `lang` attributes: the tag as written (`de-CH`, `_` read as `-`),
/// or the primary subtag for a name (`de`).
pub fn setting(written: &str) -> Option<(Lang, String)> {
    let written = written.trim();
    let lower = written.to_lowercase();
    if let Some(lang) = ALL
        .into_iter()
        .find(|l| l.name().to_lowercase() == lower || l.own_names().contains(&lower.as_str()))
    {
        return Some((lang, lang.code().to_string()));
    }
    let lang = Lang::parse(written)?;
    let tag = written.replace('_', "-");
    // A tag is letters, digits and hyphens, in subtags of at most 8 characters.
    let well_formed = tag
        .split('-')
        .all(|sub| (1..=8).contains(&sub.len()) && sub.bytes().all(|b| b.is_ascii_alphanumeric()));
    well_formed.then_some((lang, tag))
}

impl Lang {
    /// The language's names for itself, lower case (`deutsch`), as a setting may give them.
    fn own_names(self) -> &'static [&'static str] {
        match self {
            Lang::En => &[],
            Lang::De => &["deutsch"],
            Lang::Fr => &["français", "francais"],
            Lang::Es => &["español", "espanol", "castellano"],
            Lang::Zh => &["中文", "汉语", "漢語"],
            Lang::Ja => &["日本語"],
        }
    }
}

/// The message for a tag we do not read, listing those we do.
pub fn unknown(tag: &str) -> String {
    let known: Vec<&str> = ALL.iter().map(|l| l.code()).collect();
    format!(
        "language `{tag}` is not one briefing reads: use one of {} (a region may follow, as in `en-GB`)",
        known.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_name_languages_by_their_primary_subtag() {
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("de-CH"), Some(Lang::De));
        assert_eq!(Lang::parse("zh-Hant-TW"), Some(Lang::Zh));
        assert_eq!(Lang::parse("JA"), Some(Lang::Ja));
        assert_eq!(Lang::parse("pt-BR"), None);
        assert_eq!(Lang::parse(""), None);
        assert!(Lang::De.decimal_comma() && !Lang::En.decimal_comma());
        assert!(unknown("pt").contains("en, de, fr, es, zh, ja"));
    }

    #[test]
    fn settings_keep_the_tag_as_written_and_read_names() {
        assert_eq!(setting("de-CH"), Some((Lang::De, "de-CH".into())));
        assert_eq!(setting(" zh_Hant "), Some((Lang::Zh, "zh-Hant".into())));
        assert_eq!(setting("English"), Some((Lang::En, "en".into())));
        assert_eq!(setting("Deutsch"), Some((Lang::De, "de".into())));
        assert_eq!(setting("日本語"), Some((Lang::Ja, "ja".into())));
        assert_eq!(setting("Portuguese"), None);
        assert_eq!(setting("de CH"), None);
        assert_eq!(setting("de-"), None);
        assert_eq!(setting("pt-BR"), None);
    }
}
