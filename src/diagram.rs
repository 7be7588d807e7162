//! The three-horizon diagram: an inline SVG drawn at build time from a page's horizon data.
//! Time runs left to right, value upward; each horizon is a labelled curve that starts before
//! the previous one peaks. Text stays text (it scales, prints and is read by assistive tech).

use serde::Deserialize;
use std::fmt::Write;

use crate::escape::escape_attr;

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
    /// Accessible title; defaults to "Diagram of the N horizons".
    pub title: Option<String>,
    /// Prefix for element ids, so two diagrams can share a page.
    pub id: Option<String>,
}

const W: f64 = 420.0;
const BASE: f64 = 236.0;
const LEFT: f64 = 34.0;
const RIGHT: f64 = 412.0;
const LINE: f64 = 15.0;
/// Characters per label line at the drawing's font size.
const WRAP: usize = 18;

/// Draw the diagram.
pub fn svg(args: &Args) -> String {
    let n = args.horizons.len().max(1);
    let id = args.id.as_deref().unwrap_or("hz");
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| "Diagram of the horizons".to_string());
    let band = (RIGHT - LEFT) / n as f64;
    let labels: Vec<Vec<String>> = args.horizons.iter().map(label_lines).collect();
    let most_lines = labels.iter().map(Vec::len).max().unwrap_or(1) as f64;
    let top = 10.0 + most_lines * LINE;
    let height = BASE + 34.0;

    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        "<svg class=\"hz-diagram\" role=\"img\" viewBox=\"0 0 {W} {height}\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape_attr(&title),
        escape_attr(&describe(&args.horizons)),
    );
    let _ = write!(
        s,
        "<g class=\"hz-axis\"><line x1=\"{LEFT}\" y1=\"{BASE}\" x2=\"{RIGHT}\" y2=\"{BASE}\"/>\
<line x1=\"{LEFT}\" y1=\"{BASE}\" x2=\"{LEFT}\" y2=\"{top}\"/>\
<text x=\"{RIGHT}\" y=\"{}\" text-anchor=\"end\">Time →</text>\
<text transform=\"translate(14 {BASE}) rotate(-90)\">Value →</text></g>",
        BASE + 28.0
    );
    for (i, (h, lines)) in args.horizons.iter().zip(&labels).enumerate() {
        let peak_x = LEFT + band * (i as f64 + 0.55);
        let rise = (BASE - top - 24.0) * (0.45 + 0.55 * (i + 1) as f64 / n as f64);
        let peak_y = BASE - rise;
        let x0 = (peak_x - band * 0.95).max(LEFT);
        let x1 = (peak_x + band * 0.9).min(RIGHT);
        let _ = write!(
            s,
            "<g class=\"hz-horizon hz-horizon-{k}\"><path class=\"hz-curve hz-curve-{k}\" d=\"M{x0:.1} {BASE} C{:.1} {BASE} {:.1} {peak_y:.1} {peak_x:.1} {peak_y:.1} C{:.1} {peak_y:.1} {:.1} {BASE} {x1:.1} {BASE}\"/>\
<circle class=\"hz-dot\" cx=\"{peak_x:.1}\" cy=\"{peak_y:.1}\" r=\"3.5\"/>",
            (x0 + peak_x) / 2.0,
            (x0 + peak_x) / 2.0,
            (peak_x + x1) / 2.0,
            (peak_x + x1) / 2.0,
            k = i + 1,
        );
        let first_y = peak_y - 10.0 - LINE * (lines.len() as f64 - 1.0);
        for (j, line) in lines.iter().enumerate() {
            let class = if j == 0 { "hz-label" } else { "hz-words" };
            let _ = write!(
                s,
                "<text class=\"{class}\" x=\"{peak_x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                first_y + LINE * j as f64,
                escape_attr(line)
            );
        }
        if !h.timeframe.is_empty() {
            let _ = write!(
                s,
                "<text class=\"hz-time\" x=\"{peak_x:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                BASE + 14.0,
                escape_attr(&short(&h.timeframe, WRAP + 4))
            );
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>");
    s
}

/// The horizon's name, then the source's words wrapped to the label width.
fn label_lines(h: &Horizon) -> Vec<String> {
    let mut lines = vec![h.name.clone()];
    lines.extend(wrap(&h.words, WRAP));
    lines
}

/// Greedy word wrap to at most `width` characters a line (a longer word gets its own line).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The text equivalent read by screen readers.
fn describe(horizons: &[Horizon]) -> String {
    let parts: Vec<String> = horizons
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
    format!(
        "Overlapping curves over time, each later horizon starting before the previous one peaks. {}.",
        parts.join("; ")
    )
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

    #[test]
    fn draws_one_curve_per_horizon_with_text_labels() {
        let args = Args {
            horizons: vec![
                h("Today", "work for today"),
                h("Tomorrow", "invest <b>"),
                h("Later", "incubate for the day after tomorrow"),
            ],
            title: None,
            id: None,
        };
        let s = svg(&args);
        assert!(s.starts_with("<svg class=\"hz-diagram\" role=\"img\""));
        assert_eq!(s.matches("class=\"hz-curve ").count(), 3);
        assert!(s.contains("<title id=\"hz-title\">Diagram of the horizons</title>"));
        assert!(s.contains("invest &lt;b&gt;"), "text is escaped");
        assert!(
            s.contains(">incubate for the<") && s.contains(">day after tomorrow<"),
            "{s}"
        );
        assert!(s.contains("; Later: “incubate for the day after tomorrow” (soon)."));
    }

    #[test]
    fn adding_a_horizon_redraws() {
        let mut args = Args {
            horizons: vec![h("A", "a"), h("B", "b")],
            title: Some("T".into()),
            id: Some("x".into()),
        };
        let two = svg(&args);
        args.horizons.push(h("C", "c"));
        let three = svg(&args);
        assert_eq!(two.matches("hz-curve-").count(), 2);
        assert_eq!(three.matches("hz-curve-").count(), 3);
        assert!(three.contains("id=\"x-title\">T<"));
    }
}
