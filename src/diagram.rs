//! The horizon diagram: an inline SVG drawn at build time from a page's horizon data (two to
//! five horizons). Time runs left to right, value upward; each horizon is a curve that starts
//! before the previous one peaks, told apart by its line style and marker, not by colour. Labels
//! sit above the curves in as many rows as they need, each joined to its peak by a leader line,
//! and wrap to the room between the neighbouring peaks, so they never overlap each other, a
//! leader, or the drawing's edge. Text stays text (it scales, prints and is read by assistive
//! tech); the layout assumes 16-unit text, which is at least 12 px wherever the drawing is 300 px
//! wide or more.

use serde::Deserialize;
use std::fmt::Write;

use crate::escape::escape_attr;
use crate::svgtext::{BOLD_EM, REGULAR_EM, chars_in, width, wrap_hard};

pub use crate::svgtext::wrap;

/// One horizon as the diagram needs it; other keys in the data are ignored.
#[derive(Debug, Clone, Deserialize)]
pub struct Horizon {
    pub name: String,
    #[serde(default)]
    pub words: String,
    #[serde(default)]
    pub timeframe: String,
}

/// Arguments of the `horizon_diagram` template function.
#[derive(Debug, Deserialize)]
pub struct Args {
    pub horizons: Vec<Horizon>,
    /// Accessible title; defaults to "Diagram of the horizons".
    pub title: Option<String>,
    /// Prefix for element ids, so two diagrams can share a page.
    pub id: Option<String>,
    /// The words on the axes (default "Time →" and "Value →").
    pub time_label: Option<String>,
    pub value_label: Option<String>,
    /// The first sentence of the description read by screen readers.
    pub describe: Option<String>,
}

/// The most horizons the line styles and markers tell apart.
pub const MAX: usize = 5;
const W: f64 = 420.0;
const LEFT: f64 = 34.0;
const RIGHT: f64 = 412.0;
const MARGIN: f64 = 4.0;
/// Font size of every label, in user units, and the distance between lines.
const FONT: f64 = 16.0;
const LH: f64 = 19.0;
const GAP: f64 = 10.0;
const PLOT: f64 = 150.0;
/// Widest a label may be, so two horizons' labels do not read as one line.
const MAX_LABEL: f64 = 220.0;
/// One stroke pattern and marker a horizon.
const DASHES: [&str; MAX] = ["none", "9 5", "2 5", "12 5 2 5", "18 4 4 4 4 4"];

/// A horizon's label, laid out.
struct Label {
    lines: Vec<(String, bool)>,
    x0: f64,
    w: f64,
    tier: usize,
}

/// Draw the diagram; more than [`MAX`] horizons, or none, is an error.
pub fn svg(args: &Args) -> Result<String, String> {
    let n = args.horizons.len();
    if n == 0 || n > MAX {
        return Err(format!(
            "horizon_diagram draws 1 to {MAX} horizons; this page gives {n}"
        ));
    }
    let id = args.id.as_deref().unwrap_or("hz");
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| "Diagram of the horizons".to_string());
    let band = (RIGHT - LEFT) / n as f64;
    let peaks: Vec<f64> = (0..n).map(|i| LEFT + band * (i as f64 + 0.55)).collect();
    let labels = place_labels(&args.horizons, &peaks);
    let (tier_top, plot_top) = tier_tops(&labels);
    let base = plot_top + PLOT;
    let times: Vec<Vec<String>> = args
        .horizons
        .iter()
        .map(|h| wrap_hard(&h.timeframe, chars_in(band - 2.0, FONT, REGULAR_EM)))
        .collect();
    let time_rows = times.iter().map(Vec::len).max().unwrap_or(0) as f64;
    let axis_y = base + 6.0 + time_rows * LH + FONT;
    let height = axis_y + MARGIN + 4.0;

    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        "<svg class=\"hz-diagram\" role=\"img\" viewBox=\"0 0 {W} {height}\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape_attr(&title),
        escape_attr(&describe(args)),
    );
    let _ = write!(
        s,
        "<g class=\"hz-axis\"><line x1=\"{LEFT}\" y1=\"{base}\" x2=\"{RIGHT}\" y2=\"{base}\"/>\
<line x1=\"{LEFT}\" y1=\"{base}\" x2=\"{LEFT}\" y2=\"{plot_top}\"/>\
<text x=\"{RIGHT}\" y=\"{axis_y}\" text-anchor=\"end\">{}</text>\
<text transform=\"translate(18 {base}) rotate(-90)\">{}</text></g>",
        escape_attr(args.time_label.as_deref().unwrap_or("Time →")),
        escape_attr(args.value_label.as_deref().unwrap_or("Value →")),
    );
    let frame = Frame { n, band, base };
    for (i, label) in labels.iter().enumerate() {
        frame.horizon(&mut s, i, peaks[i], label, tier_top[label.tier], &times[i]);
    }
    s.push_str("</svg>");
    Ok(s)
}

/// The top of each tier of labels, and the top of the plot under them: tier 0 sits just
/// above the curves, higher tiers above it.
fn tier_tops(labels: &[Label]) -> (Vec<f64>, f64) {
    let tiers = labels.iter().map(|l| l.tier + 1).max().unwrap_or(1);
    let mut tier_top = vec![0.0; tiers];
    let mut y = MARGIN;
    for t in (0..tiers).rev() {
        tier_top[t] = y;
        let lines = labels.iter().filter(|l| l.tier == t).map(|l| l.lines.len());
        y += lines.max().unwrap_or(0) as f64 * LH + GAP;
    }
    (tier_top, y)
}

/// The plot the horizons are drawn in: how many, each one's width, and the baseline.
struct Frame {
    n: usize,
    band: f64,
    base: f64,
}

impl Frame {
    /// Horizon `i` (peak at `px`): its curve and marker, the leader up to its label (whose
    /// tier starts at `top`), the label, and its timeframe under the axis.
    fn horizon(&self, s: &mut String, i: usize, px: f64, label: &Label, top: f64, time: &[String]) {
        let (k, base, band) = (i + 1, self.base, self.band);
        let py = base - PLOT * (0.45 + 0.55 * k as f64 / self.n as f64);
        let x0 = (px - band * 0.95).max(LEFT);
        let x1 = (px + band * 0.9).min(RIGHT);
        let (c0, c1) = ((x0 + px) / 2.0, (px + x1) / 2.0);
        let _ = write!(
            s,
            "<g class=\"hz-horizon hz-horizon-{k}\"><path class=\"hz-curve hz-curve-{k}\" stroke-dasharray=\"{}\" d=\"M{x0:.1} {base} C{c0:.1} {base} {c0:.1} {py:.1} {px:.1} {py:.1} C{c1:.1} {py:.1} {c1:.1} {base} {x1:.1} {base}\"/>{}",
            DASHES[i],
            marker(i, px, py),
        );
        let bottom = top + label.lines.len() as f64 * LH;
        let _ = write!(
            s,
            "<line class=\"hz-leader\" x1=\"{px:.1}\" y1=\"{:.1}\" x2=\"{px:.1}\" y2=\"{:.1}\"/>",
            bottom + 2.0,
            py - 8.0
        );
        let cx = label.x0 + label.w / 2.0;
        let _ = write!(s, "<g class=\"hz-tag\">");
        for (j, (line, is_name)) in label.lines.iter().enumerate() {
            let class = if *is_name { "hz-label" } else { "hz-words" };
            let _ = write!(
                s,
                "<text class=\"{class}\" x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                top + FONT * 0.85 + LH * j as f64,
                escape_attr(line)
            );
        }
        s.push_str("</g>");
        for (j, line) in time.iter().enumerate() {
            let _ = write!(
                s,
                "<text class=\"hz-time\" x=\"{px:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                base + 6.0 + FONT * 0.85 + LH * j as f64,
                escape_attr(line)
            );
        }
        s.push_str("</g>");
    }
}

/// Wrap each label to the room between its neighbours' peaks and put it in the lowest row
/// where it overlaps no other label.
fn place_labels(horizons: &[Horizon], peaks: &[f64]) -> Vec<Label> {
    let mut placed: Vec<Label> = Vec::with_capacity(horizons.len());
    for (i, h) in horizons.iter().enumerate() {
        let lo = if i == 0 { MARGIN } else { peaks[i - 1] + 5.0 };
        let hi = peaks.get(i + 1).map_or(W - MARGIN, |p| p - 5.0);
        let room = (hi - lo).min(MAX_LABEL);
        let mut lines: Vec<(String, bool)> = wrap_hard(&h.name, chars_in(room, FONT, BOLD_EM))
            .into_iter()
            .map(|l| (l, true))
            .collect();
        lines.extend(
            wrap_hard(&h.words, chars_in(room, FONT, REGULAR_EM))
                .into_iter()
                .map(|l| (l, false)),
        );
        let w = lines
            .iter()
            .map(|(l, bold)| width(l, FONT, if *bold { BOLD_EM } else { REGULAR_EM }))
            .fold(0.0, f64::max);
        let x0 = (peaks[i] - w / 2.0).clamp(lo, (hi - w).max(lo));
        let tier = (0..)
            .find(|&t| {
                placed
                    .iter()
                    .filter(|l| l.tier == t)
                    .all(|l| l.x0 + l.w + GAP <= x0 || x0 + w + GAP <= l.x0)
            })
            .unwrap_or(0);
        placed.push(Label { lines, x0, w, tier });
    }
    placed
}

/// The marker at a horizon's peak: a different shape for each, so they differ in print too.
fn marker(i: usize, x: f64, y: f64) -> String {
    let r = 4.5;
    match i {
        0 => format!("<circle class=\"hz-dot\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r}\"/>"),
        1 => format!(
            "<rect class=\"hz-dot\" x=\"{:.1}\" y=\"{:.1}\" width=\"{}\" height=\"{}\"/>",
            x - r,
            y - r,
            2.0 * r,
            2.0 * r
        ),
        2 => polygon(&[
            (x, y - r * 1.3),
            (x + r * 1.3, y),
            (x, y + r * 1.3),
            (x - r * 1.3, y),
        ]),
        3 => polygon(&[(x, y - r * 1.2), (x + r * 1.2, y + r), (x - r * 1.2, y + r)]),
        _ => polygon(&[(x - r * 1.2, y - r), (x + r * 1.2, y - r), (x, y + r * 1.2)]),
    }
}

fn polygon(points: &[(f64, f64)]) -> String {
    let pts: Vec<String> = points
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    format!("<polygon class=\"hz-dot\" points=\"{}\"/>", pts.join(" "))
}

/// The text equivalent read by screen readers.
fn describe(args: &Args) -> String {
    let parts: Vec<String> = args
        .horizons
        .iter()
        .map(|h| {
            let mut p = h.name.clone();
            if !h.words.is_empty() {
                let _ = write!(p, ": “{}”", h.words);
            }
            if !h.timeframe.is_empty() {
                let _ = write!(p, " ({})", h.timeframe);
            }
            p
        })
        .collect();
    let lead = args.describe.as_deref().unwrap_or(
        "Overlapping curves over time, each later horizon starting before the previous one peaks.",
    );
    format!("{lead} {}.", parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(name: &str, words: &str) -> Horizon {
        Horizon {
            name: name.into(),
            words: words.into(),
            timeframe: "soon".into(),
        }
    }

    fn args(horizons: Vec<Horizon>) -> Args {
        Args {
            horizons,
            title: None,
            id: None,
            time_label: None,
            value_label: None,
            describe: None,
        }
    }

    #[test]
    fn draws_one_curve_per_horizon_with_text_labels() {
        let s = svg(&args(vec![
            h("Today", "work for today"),
            h("Tomorrow", "invest <b>"),
            h("Later", "incubate for the day after tomorrow"),
        ]))
        .unwrap();
        assert!(s.starts_with("<svg class=\"hz-diagram\" role=\"img\""));
        assert_eq!(s.matches("class=\"hz-curve ").count(), 3);
        assert_eq!(s.matches("class=\"hz-leader\"").count(), 3);
        assert!(s.contains("<title id=\"hz-title\">Diagram of the horizons</title>"));
        assert!(s.contains("invest &lt;b&gt;"), "text is escaped");
        assert!(s.contains(">after tomorrow<"), "{s}");
        assert!(s.contains("; Later: “incubate for the day after tomorrow” (soon)."));
    }

    #[test]
    fn every_horizon_has_its_own_line_style_and_marker() {
        let five: Vec<Horizon> = (1..=5).map(|i| h(&format!("H{i}"), "w")).collect();
        let s = svg(&args(five)).unwrap();
        let dashes: Vec<&str> = s
            .split("stroke-dasharray=\"")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
            .collect();
        assert_eq!(dashes.len(), 5);
        let mut unique = dashes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 5, "{dashes:?}");
        assert_eq!(s.matches("<circle").count(), 1);
        assert_eq!(s.matches("<rect").count(), 1);
        assert_eq!(s.matches("<polygon").count(), 3);
    }

    #[test]
    fn six_horizons_or_none_are_refused() {
        let six: Vec<Horizon> = (1..=6).map(|i| h(&format!("H{i}"), "w")).collect();
        let e = svg(&args(six)).unwrap_err();
        assert!(e.contains("1 to 5") && e.contains("gives 6"), "{e}");
        assert!(svg(&args(vec![])).is_err());
    }

    #[test]
    fn long_labels_stay_inside_and_apart() {
        let long = "Build the international commerce platform for small businesses";
        for n in 2..=5 {
            let hs: Vec<Horizon> = (0..n).map(|_| h(long, long)).collect();
            let peaks: Vec<f64> = (0..n)
                .map(|i| LEFT + (RIGHT - LEFT) / n as f64 * (i as f64 + 0.55))
                .collect();
            let labels = place_labels(&hs, &peaks);
            for (i, a) in labels.iter().enumerate() {
                assert!(
                    a.x0 >= MARGIN && a.x0 + a.w <= W - MARGIN,
                    "n={n} label {i}"
                );
                for (j, p) in peaks.iter().enumerate() {
                    if j != i {
                        assert!(*p < a.x0 || *p > a.x0 + a.w, "label {i} covers leader {j}");
                    }
                }
                for b in &labels[i + 1..] {
                    let apart = a.x0 + a.w <= b.x0 || b.x0 + b.w <= a.x0;
                    assert!(a.tier != b.tier || apart, "n={n}: labels overlap");
                }
            }
        }
    }

    #[test]
    fn adding_a_horizon_redraws_and_words_are_the_callers() {
        let mut a = args(vec![h("A", "a"), h("B", "b")]);
        a.title = Some("T".into());
        a.id = Some("x".into());
        a.time_label = Some("Years".into());
        let two = svg(&a).unwrap();
        a.horizons.push(h("C", "c"));
        let three = svg(&a).unwrap();
        assert_eq!(two.matches("hz-curve-").count(), 2);
        assert_eq!(three.matches("hz-curve-").count(), 3);
        assert!(three.contains("id=\"x-title\">T<"));
        assert!(three.contains(">Years</text>") && three.contains(">Value →</text>"));
    }
}
