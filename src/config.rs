//! `site.toml`: read it, reject what we do not understand, and resolve it into [`Config`].

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::diag::Problem;
use crate::fsx::{self, Refused, SiteRoot};
use crate::tomlx::{plain_table, toml_problem};

/// `site.toml` exactly as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    author: Option<String>,
    cname: Option<String>,
    /// Write the search page and its index (the default), as Zola's `build_search_index`.
    search: Option<bool>,
    #[serde(default)]
    words: crate::words::Words,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default)]
    extra: toml::Table,
}

/// `[markdown]` in `site.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    /// Let content run scripts: `<script>`, `on...=` handlers, `javascript:` URLs (docs/GUIDE.md,
    /// "Raw HTML in content").
    #[serde(default)]
    unsafe_html: bool,
}

/// The resolved site configuration, as templates see it under `config`.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute base URL ending in `/`, or empty when the site has none.
    pub base_url: String,
    /// The tag of the site's language as written (`en`, `de-CH`): every page's language unless
    /// its front matter sets its own.
    pub language: String,
    /// The language [`Config::language`] names.
    #[serde(skip)]
    pub lang: crate::lang::Lang,
    pub author: String,
    /// Custom domain for GitHub Pages (written to `CNAME`), or empty.
    pub cname: String,
    /// Whether the build writes the search page and its index (`search = false` leaves both
    /// out, and the default templates their search box).
    pub search: bool,
    /// The words templates use for headings and labels (`[words]`, with defaults).
    pub words: crate::words::Words,
    /// Content may run scripts (`[markdown] unsafe_html = true`); `check` reports them anyway.
    pub unsafe_html: bool,
    pub extra: toml::Table,
}

/// Name of the configuration file at the site root.
pub const FILE: &str = "site.toml";

/// Read and resolve `site.toml` in the site `root`; `base_url` from the command line wins.
pub fn load(root: &SiteRoot, base_url: Option<&str>) -> Result<Result<Config, Problem>> {
    let read = root.read(FILE, |bytes| fsx::utf8(bytes, FILE).map(str::to_owned));
    let text = match read {
        Ok(Ok(text)) => text,
        Ok(Err(problem)) => return Ok(Err(problem)),
        Err(Refused::Missing) => {
            return Ok(Err(Problem::file(
                FILE,
                format!("no {FILE} in {} (is --root right?)", root.path().display()),
            )));
        }
        Err(refused) => return Ok(Err(Problem::file(FILE, refused.describe(FILE)))),
    };
    Ok(parse(&text, base_url))
}

/// Parse the text of `site.toml`.
pub fn parse(text: &str, base_url: Option<&str>) -> Result<Config, Problem> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| toml_problem(FILE, text, 0, &e))?;
    let title = raw.title.filter(|t| !t.trim().is_empty()).ok_or_else(|| {
        // At the empty title if there is one, else at the top, where it belongs.
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with("title"))
            .map_or(1, |i| i + 1);
        Problem::at_line(
            FILE,
            Some(text),
            line,
            "missing `title`: every site needs a title (`title = \"...\"`)",
        )
    })?;
    let base_url = match base_url.map(str::to_owned).or(raw.base_url) {
        Some(url) => normalize_base_url(&url).map_err(|msg| {
            let line = crate::diag::find_line(text, "base_url").unwrap_or(1);
            Problem::at_line(FILE, Some(text), line, msg)
        })?,
        None => String::new(),
    };
    let (lang, language) = match raw.language {
        None => (crate::lang::Lang::En, "en".to_string()),
        Some(written) => crate::lang::setting(&written).ok_or_else(|| {
            let at = crate::spans::value_offset(text, "language").unwrap_or(0);
            Problem::at_offset(FILE, text, at, 0, crate::lang::unknown(&written))
        })?,
    };
    Ok(Config {
        title,
        description: raw.description.unwrap_or_default(),
        base_url,
        language,
        lang,
        author: raw.author.unwrap_or_default(),
        cname: raw.cname.unwrap_or_default(),
        search: raw.search.unwrap_or(true),
        words: raw.words,
        unsafe_html: raw.markdown.unsafe_html,
        extra: plain_table(raw.extra),
    })
}

/// A base URL must be absolute (`https://host/` or `https://host/path/`); it always ends in `/`.
fn normalize_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    if url.is_empty() {
        return Ok(String::new());
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url `{url}` must start with https:// or http://"))?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(char::is_whitespace) {
        return Err(format!("base_url `{url}` has no host"));
    }
    let mut url = url.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_is_normalised_and_cli_wins() {
        let c = parse("title = 't'\nbase_url = 'https://a.example/repo'", None).unwrap();
        assert_eq!(c.base_url, "https://a.example/repo/");
        let c = parse("title = 't'", Some("https://o.github.io/r/")).unwrap();
        assert_eq!(c.base_url, "https://o.github.io/r/");
        assert_eq!(c.language, "en");
    }

    #[test]
    fn language_is_a_tag_we_read_kept_as_written() {
        let c = parse("title = 't'\nlanguage = 'de-CH'\n", None).unwrap();
        assert_eq!(
            (c.lang, c.language.as_str()),
            (crate::lang::Lang::De, "de-CH")
        );
        let p = parse("title = 't'\n[extra]\nlanguage = 'x'\n", None).unwrap();
        assert_eq!(p.lang, crate::lang::Lang::En);
        let p = parse("title = 't'\n\nlanguage = 'pt-BR'\n", None).unwrap_err();
        assert_eq!((p.line, p.col), (Some(3), Some(12)));
        assert!(
            p.message.contains("`pt-BR` is not one briefing reads"),
            "{p}"
        );
    }

    #[test]
    fn bad_base_url_names_the_line() {
        let p = parse("title = 't'\nbase_url = 'example.com'", None).unwrap_err();
        assert_eq!(p.line, Some(2));
        assert!(p.message.contains("https://"), "{}", p.message);
    }

    #[test]
    fn unknown_key_and_bad_toml_are_located() {
        let p = parse("title = 't'\ncolour = 'red'\n", None).unwrap_err();
        assert_eq!((p.line, p.col), (Some(2), Some(1)));
        assert!(p.message.contains("colour"), "{}", p.message);
        let p = parse("title = 't'\ndescription = \n", None).unwrap_err();
        assert_eq!(p.line, Some(2));
    }

    #[test]
    fn words_come_from_site_toml_and_a_typo_is_located() {
        let c = parse("title = 't'\n[words]\nhorizon = 'Bet'\n", None).unwrap();
        assert_eq!(
            (c.words.horizon.as_str(), c.words.stated.as_str()),
            ("Bet", "Stated")
        );
        let p = parse("title = 't'\n[words]\nhorizon = 'Bet'\nstatd = 'x'\n", None).unwrap_err();
        assert_eq!(p.line, Some(4));
        assert!(p.message.contains("statd"), "{}", p.message);
    }

    #[test]
    fn title_is_required() {
        let p = parse("description = 'x'", None).unwrap_err();
        assert!(p.message.contains("title"));
        assert_eq!(p.line, Some(1), "{p}");
        let p = parse("description = 'x'\ntitle = ' '\n", None).unwrap_err();
        assert_eq!(
            p.to_string().lines().next(),
            Some("site.toml:2: missing `title`: every site needs a title (`title = \"...\"`)")
        );
    }
}
