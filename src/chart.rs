//! Charts of a series of dated values, drawn at build time as accessible inline SVG (a line or
//! a bar chart). Every value is written on the chart beside its point, the dates under the axis;
//! forecasts are drawn hollow and dashed and labelled with a word, so nothing depends on colour.
//! The SVG has a `<title>` and a `<desc>` that reads out every value; templates put the same data
//! in a table beside it (the `series_table` component).

use serde::Deserialize;
use std::fmt::Write;

use crate::escape::escape_attr;
use crate::lang::Lang;
use crate::svgtext::{REGULAR_EM, chars_in, width, wrap_hard};

/// A value as written in the content: `"1.07"` or `1.07`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Text(String),
    Number(f64),
}

/// One dated value; other keys (such as `cite`) are ignored here.
#[derive(Debug, Clone, Deserialize)]
pub struct Point {
    /// `2024`, `2024-06` or `2024-06-30`; anything else is drawn evenly spaced.
    pub date: toml_date::Date,
    pub value: Value,
    /// Shown under the axis instead of the date.
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub forecast: bool,
}

/// Dates arrive as TOML dates or strings; both become text.
mod toml_date {
    use serde::Deserialize;

    #[derive(Debug, Clone)]
    pub struct Date(pub String);

    impl<'de> Deserialize<'de> for Date {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            #[derive(Deserialize)]
            #[serde(untagged)]
            enum Raw {
                Text(String),
                Int(i64),
            }
            Ok(Date(match Raw::deserialize(d)? {
                Raw::Text(s) => s,
                Raw::Int(i) => i.to_string(),
            }))
        }
    }
}

/// Arguments of the `series_chart` template function.
#[derive(Debug, Deserialize)]
pub struct Args {
    pub series: Vec<Point>,
    /// `"line"` (default) or `"bar"`.
    #[serde(default)]
    pub kind: Option<String>,
    pub title: String,
    /// Written after each value in the description ("billion").
    #[serde(default)]
    pub unit: String,
    /// Prefix for element ids, so two charts can share a page.
    pub id: Option<String>,
    /// The word under a forecast's date (default "forecast") and for results in the description.
    pub forecast_label: Option<String>,
    pub result_label: Option<String>,
}

const W: f64 = 420.0;
/// Room on the left for the axis values.
const LEFT: f64 = 56.0;
const RIGHT: f64 = 408.0;
const TOP: f64 = 30.0;
const PLOT: f64 = 170.0;
const FONT: f64 = 16.0;
const LH: f64 = 19.0;

/// A series laid out: where each point goes.
struct Layout {
    xs: Vec<f64>,
    ys: Vec<f64>,
    zero: f64,
    slot: f64,
}

/// Draw the chart; a value that is not a number, or an empty series, is an error.
pub fn svg(args: &Args) -> Result<String, String> {
    let values = numbers(&args.series)?;
    let bar = is_bar(args.kind.as_deref())?;
    let id = args.id.as_deref().unwrap_or("chart");
    let forecast = args.forecast_label.as_deref().unwrap_or("forecast");
    let layout = layout(&args.series, &values, bar);
    let labels = date_labels(&args.series, layout.slot, forecast);
    let rows = labels.iter().map(Vec::len).max().unwrap_or(1) as f64;
    let height = TOP + PLOT + 8.0 + rows * LH + 4.0;

    let mut s = String::with_capacity(4096);
    let kind = if bar { "bar" } else { "line" };
    let _ = write!(
        s,
        "<svg class=\"chart chart--{kind}\" role=\"img\" viewBox=\"0 0 {W} {height}\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>\
<line class=\"chart-axis\" x1=\"{LEFT}\" y1=\"{z:.1}\" x2=\"{RIGHT}\" y2=\"{z:.1}\"/>",
        escape_attr(&args.title),
        escape_attr(&describe(args, forecast)),
        z = layout.zero,
    );
    axis(&mut s, &values, &layout, &args.unit);
    if bar {
        bars(&mut s, args, &layout);
    } else {
        line(&mut s, args, &layout);
    }
    for (i, p) in args.series.iter().enumerate() {
        point_texts(&mut s, p, &layout, i, bar, &labels[i]);
    }
    s.push_str("</svg>");
    Ok(s)
}

/// Whether `kind` asks for bars (`"bar"`) or a line (`"line"`, the default).
fn is_bar(kind: Option<&str>) -> Result<bool, String> {
    match kind.unwrap_or("line") {
        "line" => Ok(false),
        "bar" => Ok(true),
        other => Err(format!(
            "series_chart: kind is `line` or `bar`, not `{other}`"
        )),
    }
}

/// The lines under each point: its label (else its date) wrapped to its slot, then the
/// forecast word for a forecast.
fn date_labels(series: &[Point], slot: f64, forecast: &str) -> Vec<Vec<String>> {
    series
        .iter()
        .map(|p| {
            let text = p.label.clone().unwrap_or_else(|| p.date.0.clone());
            let mut lines = wrap_hard(&text, chars_in(slot - 4.0, FONT, REGULAR_EM));
            if p.forecast {
                lines.push(forecast.to_string());
            }
            lines
        })
        .collect()
}

/// Point `i`'s value above it and its label lines under the axis.
fn point_texts(s: &mut String, p: &Point, layout: &Layout, i: usize, bar: bool, lines: &[String]) {
    let class = if p.forecast {
        "chart-value chart-value--forecast"
    } else {
        "chart-value"
    };
    let y = if bar {
        layout.ys[i].min(layout.zero) - 6.0
    } else {
        layout.ys[i] - 10.0
    };
    let _ = write!(
        s,
        "<text class=\"{class}\" x=\"{:.1}\" y=\"{y:.1}\" text-anchor=\"middle\">{}</text>",
        layout.xs[i],
        escape_attr(&shown(&p.value))
    );
    for (j, l) in lines.iter().enumerate() {
        let class = if p.forecast && j + 1 == lines.len() {
            "chart-date chart-flag"
        } else {
            "chart-date"
        };
        let _ = write!(
            s,
            "<text class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            layout.xs[i],
            TOP + PLOT + 8.0 + FONT * 0.85 + LH * j as f64,
            escape_attr(l)
        );
    }
}

/// The values as numbers (`1,234.5` and `12%` are read as 1234.5 and 12).
fn numbers(series: &[Point]) -> Result<Vec<f64>, String> {
    if series.is_empty() {
        return Err("series_chart: the series has no values".into());
    }
    series
        .iter()
        .map(|p| match &p.value {
            Value::Number(n) => Ok(*n),
            Value::Text(t) => t
                .trim()
                .trim_end_matches('%')
                .replace(',', "")
                .parse::<f64>()
                .map_err(|_| format!("series_chart: value `{t}` ({}) is not a number", p.date.0)),
        })
        .collect()
}

fn shown(v: &Value) -> String {
    match v {
        Value::Text(t) => t.clone(),
        Value::Number(n) => n.to_string(),
    }
}

/// Place the points: evenly for bars, by date for lines when every date reads as one and no
/// two points come closer than a label's width.
fn layout(series: &[Point], values: &[f64], bar: bool) -> Layout {
    let n = series.len();
    let even = (RIGHT - LEFT) / n as f64;
    let mut xs: Vec<f64> = (0..n).map(|i| LEFT + even * (i as f64 + 0.5)).collect();
    let mut slot = even;
    if !bar && n > 1 {
        let years: Option<Vec<f64>> = series.iter().map(|p| year(&p.date.0)).collect();
        if let Some(years) = years {
            let (first, last) = (years[0], years[n - 1]);
            let span = last - first;
            if span > 0.0 && years.windows(2).all(|w| w[1] > w[0]) {
                let inner = (RIGHT - LEFT) - even;
                let by_date: Vec<f64> = years
                    .iter()
                    .map(|y| LEFT + even / 2.0 + inner * (y - first) / span)
                    .collect();
                let closest = by_date
                    .windows(2)
                    .map(|w| w[1] - w[0])
                    .fold(f64::MAX, f64::min);
                let widest = series
                    .iter()
                    .map(|p| {
                        width(&shown(&p.value), FONT, REGULAR_EM)
                            .max(width(&p.date.0, FONT, REGULAR_EM))
                    })
                    .fold(0.0, f64::max);
                if closest >= widest + 8.0 {
                    xs = by_date;
                    slot = closest;
                }
            }
        }
    }
    let axis = ticks(values);
    let max = axis.last().copied().unwrap_or(1.0);
    let min = axis.first().copied().unwrap_or(0.0);
    let span = if max - min > 0.0 { max - min } else { 1.0 };
    let y = |v: f64| TOP + PLOT * (max - v) / span;
    Layout {
        ys: values.iter().map(|&v| y(v)).collect(),
        zero: y(0.0),
        xs,
        slot,
    }
}

/// The values marked on the vertical axis: from zero (or the lowest value below it) to the
/// highest, in four or five round steps (1, 2, 2.5 or 5 times a power of ten).
fn ticks(values: &[f64]) -> Vec<f64> {
    let max = values.iter().copied().fold(0.0, f64::max);
    let min = values.iter().copied().fold(0.0, f64::min);
    if max - min <= 0.0 || !(max - min).is_finite() {
        return vec![0.0, 1.0];
    }
    let raw = (max - min) / 4.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let (lo, hi) = ((min / step).floor() as i64, (max / step).ceil() as i64);
    (lo..=hi).map(|i| i as f64 * step).collect()
}

/// An axis value as written: as many decimals as its step needs (`2.5`, `100`), and large
/// values shortened by their thousands (`250k`, `1.5M`, `2B`) so that they fit left of the plot.
fn tick_label(v: f64, step: f64, largest: f64) -> String {
    let (div, suffix) = [(1e9, "B"), (1e6, "M"), (1e3, "k")]
        .into_iter()
        .find(|(d, _)| largest >= 10.0 * d)
        .unwrap_or((1.0, ""));
    let text = format!("{:.6}", step / div);
    let decimals = text
        .trim_end_matches('0')
        .split('.')
        .nth(1)
        .map_or(0, str::len);
    match v == 0.0 {
        true => "0".to_string(),
        false => format!("{:.decimals$}{suffix}", v / div),
    }
}

/// The vertical axis: a light line and its value at each tick, and the unit above them. The
/// values mark the scale, not a figure of the source, so they carry `data-axis` (the page
/// verifier reads no figure there; docs/FORMAT.md, "Figures").
fn axis(s: &mut String, values: &[f64], l: &Layout, unit: &str) {
    let marks = ticks(values);
    let step = marks.get(1).zip(marks.first()).map_or(1.0, |(b, a)| b - a);
    let (max, min) = (marks[marks.len() - 1], marks[0]);
    let span = if max - min > 0.0 { max - min } else { 1.0 };
    s.push_str("<g class=\"chart-ticks\" data-axis=\"\">");
    if !unit.trim().is_empty() {
        let _ = write!(
            s,
            "<text class=\"chart-unit\" x=\"4\" y=\"{:.1}\">{}</text>",
            TOP - 14.0,
            escape_attr(unit.trim())
        );
    }
    for v in &marks {
        let y = TOP + PLOT * (max - v) / span;
        if (y - l.zero).abs() > 0.5 {
            let _ = write!(
                s,
                "<line class=\"chart-grid\" x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{RIGHT}\" y2=\"{y:.1}\"/>"
            );
        }
        let _ = write!(
            s,
            "<text class=\"chart-tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LEFT - 6.0,
            y + 5.0,
            tick_label(*v, step, max.abs().max(min.abs()))
        );
    }
    s.push_str("</g>");
}

/// `2024` → 2024.0, `2024-07` → 2024.5, `2024-07-01` → about 2024.5.
fn year(date: &str) -> Option<f64> {
    let mut parts = date.trim().split('-');
    let y: f64 = parts.next()?.parse().ok()?;
    let m: f64 = parts.next().map_or(Some(1.0), |m| m.parse().ok())?;
    let d: f64 = parts.next().map_or(Some(1.0), |d| d.parse().ok())?;
    if parts.next().is_some() || !(1.0..=12.0).contains(&m) || !(1.0..=31.0).contains(&d) {
        return None;
    }
    Some(y + (m - 1.0) / 12.0 + (d - 1.0) / 365.0)
}

/// Results joined by a solid line, forecasts by a dashed one; forecast markers are hollow.
fn line(s: &mut String, args: &Args, l: &Layout) {
    let pts: Vec<(f64, f64)> = l.xs.iter().copied().zip(l.ys.iter().copied()).collect();
    for (i, w) in pts.windows(2).enumerate() {
        let class = if args.series[i + 1].forecast {
            "chart-line chart-line--forecast"
        } else {
            "chart-line"
        };
        let dash = if args.series[i + 1].forecast {
            " stroke-dasharray=\"7 5\""
        } else {
            ""
        };
        let _ = write!(
            s,
            "<line class=\"{class}\"{dash} x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
            w[0].0, w[0].1, w[1].0, w[1].1
        );
    }
    for (p, (x, y)) in args.series.iter().zip(&pts) {
        let class = if p.forecast {
            "chart-dot chart-dot--forecast"
        } else {
            "chart-dot"
        };
        let _ = write!(
            s,
            "<circle class=\"{class}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\"/>"
        );
    }
}

/// Results as filled bars, forecasts as hollow bars with a dashed outline.
fn bars(s: &mut String, args: &Args, l: &Layout) {
    let w = (l.slot * 0.6).min(64.0);
    for (i, p) in args.series.iter().enumerate() {
        let (top, h) = (l.ys[i].min(l.zero), (l.ys[i] - l.zero).abs());
        let (class, dash) = if p.forecast {
            ("chart-bar chart-bar--forecast", " stroke-dasharray=\"6 4\"")
        } else {
            ("chart-bar", "")
        };
        let _ = write!(
            s,
            "<rect class=\"{class}\"{dash} x=\"{:.1}\" y=\"{top:.1}\" width=\"{w:.1}\" height=\"{h:.1}\"/>",
            l.xs[i] - w / 2.0
        );
    }
}

/// The text equivalent: every value with its date and whether it is a result or a forecast.
fn describe(args: &Args, forecast: &str) -> String {
    let result = args.result_label.as_deref().unwrap_or("result");
    let parts: Vec<String> = args
        .series
        .iter()
        .map(|p| {
            let date = p.label.as_deref().unwrap_or(&p.date.0);
            let kind = if p.forecast { forecast } else { result };
            let value = crate::claims::written(&shown(&p.value), &args.unit, Lang::default());
            format!("{date}: {value} ({kind})")
        })
        .collect();
    format!("{}.", parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_axis_values_are_shortened_by_their_thousands() {
        assert_eq!(tick_label(250_000.0, 50_000.0, 400_000.0), "250k");
        assert_eq!(tick_label(1_500_000.0, 500_000.0, 2e6), "1500k");
        assert_eq!(tick_label(12.5e6, 2.5e6, 20e6), "12.5M");
        assert_eq!(tick_label(2.5, 0.5, 5.0), "2.5");
        assert_eq!(tick_label(0.0, 50_000.0, 400_000.0), "0");
        assert_eq!(tick_label(9_000.0, 1_000.0, 9_000.0), "9000");
    }

    fn p(date: &str, value: &str, forecast: bool) -> Point {
        Point {
            date: toml_date::Date(date.into()),
            value: Value::Text(value.into()),
            label: None,
            forecast,
        }
    }

    fn args(series: Vec<Point>, kind: &str) -> Args {
        Args {
            series,
            kind: Some(kind.into()),
            title: "Users <all>".into(),
            unit: "billion".into(),
            id: None,
            forecast_label: None,
            result_label: None,
        }
    }

    fn three() -> Vec<Point> {
        vec![
            p("2024", "1.0", false),
            p("2025", "1.07", false),
            p("2027", "1.5", true),
        ]
    }

    #[test]
    fn line_chart_has_title_desc_values_and_a_marked_forecast() {
        let s = svg(&args(three(), "line")).unwrap();
        assert!(
            s.contains("role=\"img\"") && s.contains("aria-labelledby=\"chart-title chart-desc\"")
        );
        assert!(s.contains("<title id=\"chart-title\">Users &lt;all&gt;</title>"));
        assert!(s.contains(
            "<desc id=\"chart-desc\">2024: 1.0 billion (result); 2025: 1.07 billion (result); 2027: 1.5 billion (forecast).</desc>"
        ));
        for v in [">1.0<", ">1.07<", ">1.5<", ">2024<", ">2027<"] {
            assert!(s.contains(v), "{v} is written on the chart");
        }
        assert_eq!(s.matches("chart-dot--forecast").count(), 1);
        assert_eq!(
            s.matches("stroke-dasharray").count(),
            1,
            "only the segment into the forecast is dashed"
        );
        assert!(
            s.contains("class=\"chart-date chart-flag\""),
            "the forecast is labelled in words"
        );
    }

    #[test]
    fn lines_space_points_by_date_and_bars_evenly() {
        let line = layout(&three(), &[1.0, 1.07, 1.5], false);
        let (a, b) = (line.xs[1] - line.xs[0], line.xs[2] - line.xs[1]);
        assert!(
            (b - 2.0 * a).abs() < 0.01,
            "2025→2027 is twice 2024→2025: {a} {b}"
        );
        let bars = layout(&three(), &[1.0, 1.07, 1.5], true);
        assert!((bars.xs[1] - bars.xs[0] - (bars.xs[2] - bars.xs[1])).abs() < 0.01);
        assert!(line.ys[2] < line.ys[0], "larger values are higher");
        assert!(line.xs.iter().all(|x| (LEFT..=RIGHT).contains(x)));
    }

    #[test]
    fn bar_chart_draws_forecasts_hollow_and_dashed() {
        let s = svg(&args(three(), "bar")).unwrap();
        assert_eq!(s.matches("<rect class=\"chart-bar\"").count(), 2);
        assert_eq!(
            s.matches("<rect class=\"chart-bar chart-bar--forecast\" stroke-dasharray")
                .count(),
            1
        );
        assert!(s.contains(">forecast</text>"));
    }

    #[test]
    fn bad_values_and_kinds_are_errors_naming_them() {
        let e = svg(&args(vec![p("2024", "lots", false)], "line")).unwrap_err();
        assert!(e.contains("`lots`") && e.contains("2024"), "{e}");
        let e = svg(&args(three(), "pie")).unwrap_err();
        assert!(e.contains("pie"), "{e}");
        assert!(svg(&args(vec![], "line")).is_err());
        assert_eq!(
            numbers(&[p("x", "1,234.5", false), p("y", "12%", false)]).unwrap(),
            [1234.5, 12.0]
        );
    }

    #[test]
    fn dates_read_as_years_or_not_at_all() {
        assert_eq!(year("2024"), Some(2024.0));
        assert_eq!(year("2024-07"), Some(2024.5));
        assert_eq!(year("Q3 2024"), None);
        assert_eq!(year("2024-13"), None);
        let odd = vec![p("FY24", "1", false), p("FY25", "2", false)];
        let l = layout(&odd, &[1.0, 2.0], false);
        assert!(
            (l.xs[0] - (LEFT + (RIGHT - LEFT) / 4.0)).abs() < 0.01,
            "evenly spaced"
        );
    }
}
