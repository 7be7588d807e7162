//! A metric must mean what its quote says. Its value and unit, and the figures of its label,
//! `as_of` and note, are read as claims (crate::claims) in the page's language, the quote in
//! its source's; each figure must be one the quote gives, with the same scale, unit or
//! currency, direction and period (the period it is attached to, or else the one `as_of`,
//! the label or a series point's `date` names). Its forecast status follows the quote's
//! wording in the source's language.

use super::{Ctx, meaning, normalize, value_text};
use crate::claims::{self, Claim, Difference, Dir, Found, Period};
use crate::lang::Lang;

/// What a metric's other keys say of its figure: the period (`as_of`, a label, a series
/// point's `date`) and the key that gives it, and a rise or fall its label states.
#[derive(Clone, Copy)]
struct Context {
    period: Option<(Period, &'static str)>,
    /// A period a later key names too (the label, when `as_of` gave the first).
    also: Option<(Period, &'static str)>,
    direction: Option<Dir>,
}

/// A metric's quote: normalised, its claims read in its source's language, that language, and
/// the cited paragraph with those before it (nearest first), for a header's scale or currency.
struct Quote {
    text: String,
    said: Vec<Claim>,
    lang: Lang,
    nearby: Vec<String>,
    /// The words that say whether the figure is a forecast: the quote; for a cell, its row's
    /// label and its column's header with it.
    forward: String,
}

impl Ctx<'_> {
    /// Every metric must be cited, and its figures, units and forecast status must agree with
    /// its quote.
    pub(super) fn check_metrics(&mut self, extra: &toml::Table) {
        let Some(metrics) = extra.get("metrics").and_then(|m| m.as_array()) else {
            return;
        };
        for (i, metric) in metrics.iter().enumerate() {
            let Some(metric) = metric.as_table() else {
                continue;
            };
            let at = format!("extra.metrics[{i}]");
            let text = |key: &str| metric.get(key).map(value_text).unwrap_or_default();
            let (unit, label) = (text("unit"), text("label"));
            let context = self.context(metric, &["as_of", "label"]);
            let quote = self.quote_of(metric);
            if !super::cell::unresolved(metric) {
                self.check_figure(metric, &at, &unit, &label, context, quote.as_ref());
            }
            if let Some(quote) = quote.as_ref().filter(|_| !super::cell::unresolved(metric)) {
                self.check_words(metric, &at, quote);
            }
            let series = metric.get("series").and_then(|s| s.as_array());
            for (j, point) in series.into_iter().flatten().enumerate() {
                if let Some(point) = point.as_table().filter(|p| !super::cell::unresolved(p)) {
                    let context = self.context(point, &["date", "label"]);
                    let at = format!("{at}.series[{j}]");
                    let quote = self.quote_of(point);
                    self.check_figure(point, &at, &unit, &label, context, quote.as_ref());
                }
            }
        }
    }

    /// What `keys` of `table` say of its figure: the first period one names (`as_of = "Q4
    /// 2024"`), and a rise or fall its label states.
    fn context(&self, table: &toml::Table, keys: &[&'static str]) -> Context {
        let mut periods = keys.iter().filter_map(|key| {
            let text = table.get(*key).map(value_text)?;
            let claims = claims::read(&text, self.page.lang);
            let found = claims.iter().find(|c| !c.is_figure() && !c.base)?;
            Some((found.period?, *key))
        });
        let (period, also) = (periods.next(), periods.next());
        let label = table.get("label").and_then(|l| l.as_str());
        let direction = label.and_then(|l| claims::free_direction(l, self.page.lang));
        Context {
            period,
            also,
            direction,
        }
    }

    /// The quote of a metric's citation, read in its source's language.
    fn quote_of(&self, metric: &toml::Table) -> Option<Quote> {
        let cite = metric.get("cite").and_then(|c| c.as_table())?;
        let text = cite
            .get("quote")
            .and_then(|q| q.as_str())
            .unwrap_or_default();
        let doc = cite
            .get("source")
            .and_then(|s| s.as_str())
            .and_then(|s| self.sources.get(s))
            .map(|(_, doc)| doc);
        let lang = doc.map_or(Lang::default(), |d| d.lang);
        if let Some(cell) = doc.and_then(|d| super::cell::claims_of(d, cite)) {
            let (text, said) = (cell.text, cell.said);
            let forward = format!("{} {text}", cell.context);
            let nearby = vec![text.clone()];
            return Some(Quote {
                text,
                said,
                lang,
                nearby,
                forward,
            });
        }
        let id = cite
            .get("url")
            .and_then(|u| u.as_str())
            .and_then(|u| u.split_once('#'));
        let cited = doc.zip(id).and_then(|(d, (_, id))| {
            let i = d.paragraphs.iter().position(|p| p.id == id)?;
            Some(&d.paragraphs[..=i])
        });
        let nearby = cited
            .map(|ps| ps.iter().rev().map(|p| p.text.clone()).collect())
            .unwrap_or_default();
        let text = normalize(text);
        let paragraph = cited.and_then(|ps| ps.last()).map(|p| normalize(&p.text));
        let context = cited.map_or(claims::Context::default(), |ps| {
            let before = ps[..ps.len() - 1].iter().rev();
            claims::Context::before(before.map(|p| p.text.as_str()), lang)
        });
        let said = in_context(&text, paragraph.as_deref(), lang, context);
        Some(Quote {
            forward: text.clone(),
            text,
            said,
            lang,
            nearby,
        })
    }

    /// One figure (a metric, or a value of its series, which shares the metric's unit): it
    /// must be cited, and its figures, unit and forecast status must agree with its quote.
    fn check_figure(
        &mut self,
        metric: &toml::Table,
        at: &str,
        unit: &str,
        label: &str,
        context: Context,
        quote: Option<&Quote>,
    ) {
        let value = metric.get("value").map(value_text).unwrap_or_default();
        let Some(quote) = quote else {
            self.at_key(
                &format!("{at}.value"),
                format!(
                    "metric `{at}` ({label}) has no `cite` table: every metric must cite its source"
                ),
            );
            return;
        };
        // Read as a sentence writes it: `147.8` with unit `$ million` is `$147.8 million`.
        let shown_text = claims::written(&value, unit, self.page.lang);
        self.check_claims(at, &value, &shown_text, quote, context);
        self.check_unit_words(at, &value, &shown_text, &quote.text, quote.lang);
        let series = at.contains(".series[");
        for (key, message) in meaning::unit_problems(&value, unit, &quote.text) {
            let key = if key == "unit" && series {
                "value"
            } else {
                key
            };
            self.at_key(&format!("{at}.{key}"), format!("metric `{at}`: {message}"));
        }
        self.check_forecast(metric, at, &quote.forward, quote.lang);
    }

    /// Each claim of a metric's value and unit against its quote's.
    fn check_claims(
        &mut self,
        at: &str,
        value: &str,
        shown: &str,
        quote: &Quote,
        context: Context,
    ) {
        let series = at.contains(".series[");
        for mut c in claims::read(shown, self.page.lang) {
            let raw = &shown[c.at.clone()];
            if !c.is_figure() {
                let stated = quote.said.iter().any(|s| {
                    s.period
                        .is_some_and(|p| c.period.is_some_and(|q| !p.conflicts(&q)))
                });
                if !stated {
                    let message =
                        format!("metric `{at}` shows {raw}, but its quote does not contain {raw}");
                    self.at_value(&format!("{at}.value"), message);
                }
                continue;
            }
            let period_from_context = c.period.is_none() && context.period.is_some();
            if period_from_context {
                c.period = context.period.map(|(p, _)| p);
            }
            // A length of time (`10 years of growth`) counts time; the label's rise is not its own.
            let label_direction =
                c.direction.is_none() && !c.duration && context.direction.is_some();
            if label_direction {
                c.direction = context.direction;
            }
            let keys = Keys {
                at,
                words: if c.span.end <= value.len() || series {
                    "value"
                } else {
                    "unit"
                },
                period: match context.period {
                    Some((_, key)) if period_from_context && !series => key,
                    _ => "value",
                },
                direction: if label_direction { "label" } else { "value" },
            };
            self.compare(&c, raw, shown, quote, &keys);
            if let (Some((p, key)), true) = (context.also, period_from_context) {
                self.also_period(&c, p, key, at, quote);
            }
        }
    }

    /// A scale, percent or currency word the metric shows apart from any figure (`Profit`
    /// with unit `million`) must be one its quote has.
    fn check_unit_words(&mut self, at: &str, value: &str, shown: &str, quote: &str, lang: Lang) {
        let claims = claims::read(shown, self.page.lang);
        let in_quote = claims::unit_words(quote, lang);
        for (range, marker) in claims::unit_words(shown, self.page.lang) {
            let name = marker.name();
            let attached = claims
                .iter()
                .any(|c| c.span.start <= range.start && range.end <= c.span.end);
            if attached || in_quote.iter().any(|(_, m)| m.name() == name) {
                continue;
            }
            let key = if range.end <= value.len() || at.contains(".series[") {
                "value"
            } else {
                "unit"
            };
            let message = format!(
                "metric `{at}`: the metric shows `{}`, in {name}, but its quote says nothing in {name}: \"{quote}\"",
                shown.trim()
            );
            self.at_key(&format!("{at}.{key}"), message);
        }
    }

    /// A second key's period (a label's `for 2011` beside `as_of`) must agree with the period
    /// the quote gives the figure too.
    fn also_period(&mut self, c: &Claim, p: Period, key: &str, at: &str, quote: &Quote) {
        let found = match claims::find(c, &quote.said) {
            Found::Same(s) | Found::Differs(s, _) => s,
            Found::Missing => return,
        };
        if let Some(source) = found.period.filter(|s| s.conflicts(&p)) {
            let d = Difference::Period {
                source,
                shown: p,
                figure: found.shown(),
            };
            let message = format!("metric `{at}`: its {key}: {}", d.describe("metric"));
            self.at_value(&format!("{at}.{key}"), message);
        }
    }

    /// One figure of a metric against its quote's claims.
    fn compare(&mut self, c: &Claim, raw: &str, shown: &str, q: &Quote, keys: &Keys) {
        let (quote, said) = (q.text.as_str(), q.said.as_slice());
        let at = keys.at;
        match claims::find(c, said) {
            Found::Missing => {
                let mut message =
                    format!("metric `{at}` shows {raw}, but its quote does not contain {raw}");
                // A short quote (a spreadsheet's cell) is shown: the reader sees what it holds.
                if quote.chars().count() <= 60 {
                    message += &format!(": it says “{}”", crate::diag::inline(quote));
                }
                self.at_value(&format!("{at}.value"), message);
            }
            Found::Same(s) => {
                // What the quote writes around its figure, written anywhere in the metric's
                // value and unit, is shown (`1.07 or so` with unit `billion`).
                let marks = [
                    &quote[s.span.start..s.at.start],
                    &quote[s.at.end..s.span.end],
                ];
                let lower = shown.to_lowercase();
                let written = marks
                    .iter()
                    .flat_map(|m| m.split_whitespace())
                    .all(|w| lower.contains(&w.to_lowercase()));
                for name in claims::omitted(c, s).into_iter().filter(|_| !written) {
                    let message = format!(
                        "metric `{at}`: the quote gives {raw} in {name} (\"{}\"), but the metric shows `{}`: add it to `unit`",
                        &quote[s.span.clone()],
                        shown.trim()
                    );
                    let key = if keys.words == "value" && at.contains(".series[") {
                        "value"
                    } else {
                        "unit"
                    };
                    self.at_key(&format!("{at}.{key}"), message);
                }
            }
            Found::Differs(s, mut differences) => {
                let nearby = || q.nearby.iter().map(String::as_str);
                differences.retain(|d| !claims::given_nearby(d, nearby(), q.lang));
                for d in differences {
                    let key = match d {
                        Difference::Period { .. } => keys.period,
                        Difference::Direction { .. } => keys.direction,
                        _ => keys.words,
                    };
                    let message = format!(
                        "metric `{at}` shows `{}`, but its quote gives “{}”: {}",
                        shown.trim(),
                        &quote[s.span.clone()],
                        d.describe("metric")
                    );
                    self.at_key(&format!("{at}.{key}"), message);
                }
            }
        }
    }

    /// A metric's label, `as_of` and note may restate only figures its own quote gives.
    fn check_words(&mut self, metric: &toml::Table, at: &str, q: &Quote) {
        let (quote, said) = (&q.text, &q.said);
        for key in ["label", "as_of", "note"] {
            let Some(text) = metric.get(key).and_then(|v| v.as_str()) else {
                continue;
            };
            // A passage in quotation marks is checked as a quotation on the page.
            let quoted = crate::quotes::quoted(text);
            let outside = |c: &&Claim| {
                !quoted
                    .iter()
                    .any(|q| q.start <= c.at.start && c.at.end <= q.end)
            };
            let claims = claims::read(text, self.page.lang);
            for c in claims.iter().filter(|c| c.is_figure()).filter(outside) {
                let raw = &text[c.at.clone()];
                let problem = match claims::find(c, said) {
                    Found::Same(_) => continue,
                    Found::Missing => format!(
                        "metric `{at}`: its {key} shows {raw}, but its quote does not contain {raw}: a metric's words may restate only what its quote says"
                    ),
                    Found::Differs(s, d) => format!(
                        "metric `{at}`: its {key} says “{}”, but its quote gives “{}”: {}",
                        &text[c.span.clone()],
                        &quote[s.span.clone()],
                        d.iter()
                            .map(|d| d.describe("metric"))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                };
                self.at_value(&format!("{at}.{key}"), problem);
            }
        }
    }

    /// A forecast is what the quote's wording makes it, unless `forecast_reason` says why not.
    fn check_forecast(&mut self, metric: &toml::Table, at: &str, quote: &str, lang: Lang) {
        let forecast = metric.get("forecast").and_then(|f| f.as_bool());
        let reason = metric.get("forecast_reason").and_then(|r| r.as_str());
        let forward = claims::forward_words(quote, lang);
        match (forecast.unwrap_or(false), forward.is_empty(), reason) {
            (_, _, Some(r)) if r.trim().is_empty() => self.at_key(
                &format!("{at}.forecast_reason"),
                format!("metric `{at}` has an empty `forecast_reason`: say why, or remove it"),
            ),
            (_, _, Some(_)) => {}
            (false, false, None) => self.at_key(
                &format!("{at}.forecast"),
                format!(
                    "metric `{at}` is marked as stated (`forecast = {}`), but its quote looks ahead (“{}”): set `forecast = true`, or keep it and say why in `forecast_reason`",
                    forecast.map_or("false, by default".into(), |f| f.to_string()),
                    forward.join("”, “")
                ),
            ),
            (true, true, None) => self.at_key(
                &format!("{at}.forecast"),
                format!(
                    "metric `{at}` is marked `forecast = true`, but its quote states it as a fact (no word such as expects, will, aims, target, plan): set `forecast = false`, or say why in `forecast_reason`"
                ),
            ),
            _ => {}
        }
    }
}

/// The claims of a quote read within its paragraph, so that a figure keeps the period and the
/// direction its whole sentence gives it (`2011年…，…净利润4.41亿元`); spans are the quote's.
fn in_context(
    quote: &str,
    paragraph: Option<&str>,
    lang: Lang,
    mut context: claims::Context,
) -> Vec<Claim> {
    let Some((p, at)) = paragraph.and_then(|p| Some((p, p.find(quote)?))) else {
        return claims::read(quote, lang);
    };
    let end = at + quote.len();
    let mut all = claims::read(p, lang);
    context.date(&mut all);
    all.into_iter()
        .filter(|c| at <= c.span.start && c.span.end <= end)
        .map(|mut c| {
            c.at = c.at.start - at..c.at.end - at;
            c.span = c.span.start - at..c.span.end - at;
            c
        })
        .collect()
}

/// Which key of a metric to blame for a difference in its words or in its period.
struct Keys<'a> {
    at: &'a str,
    words: &'static str,
    period: &'static str,
    direction: &'static str,
}
