//! When a quote is not in its paragraph, show the closest passage of that paragraph with the
//! words that differ marked, so a one-word slip is found at a glance: `[-quote's word-]` and
//! `{+source's word+}`, as wdiff writes them.

use crate::diag::edit_table;
use crate::figures::normalize;

/// The passage of `paragraph` closest to `quote`, with the differing words marked; `None` when
/// nothing in the paragraph is close (fewer than half the quote's words match).
pub fn closest(quote: &str, paragraph: &str) -> Option<String> {
    let q: Vec<String> = normalize(quote).split(' ').map(str::to_owned).collect();
    let p: Vec<String> = normalize(paragraph).split(' ').map(str::to_owned).collect();
    if q.is_empty() || p.is_empty() {
        return None;
    }
    // Slide a window about the quote's length over the paragraph; keep the one with the fewest
    // word edits.
    let mut best: Option<((usize, usize), usize, usize)> = None;
    for len in q.len().saturating_sub(2).max(1)..=q.len() + 2 {
        for start in 0..p.len().saturating_sub(len.min(p.len())) + 1 {
            let end = (start + len).min(p.len());
            let cost = (
                distance(&q, &p[start..end]),
                (end - start).abs_diff(q.len()),
            );
            if best.is_none_or(|(c, _, _)| cost < c) {
                best = Some((cost, start, end));
            }
        }
    }
    let ((cost, _), start, end) = best?;
    if cost * 2 > q.len() {
        return None;
    }
    Some(marked(&q, &p[start..end]))
}

fn distance(a: &[String], b: &[String]) -> usize {
    table(a, b)[a.len()][b.len()]
}

fn table(a: &[String], b: &[String]) -> Vec<Vec<usize>> {
    edit_table(a, b, false)
}

/// The source passage `b` with the quote's words `a` that differ shown beside it.
fn marked(a: &[String], b: &[String]) -> String {
    let d = table(a, b);
    let (mut i, mut j) = (a.len(), b.len());
    let mut out: Vec<String> = Vec::new();
    while i > 0 || j > 0 {
        if i > 0 && j > 0 && a[i - 1] == b[j - 1] && d[i][j] == d[i - 1][j - 1] {
            out.push(b[j - 1].clone());
            i -= 1;
            j -= 1;
        } else if i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + 1 {
            out.push(format!("[-{}-]{{+{}+}}", a[i - 1], b[j - 1]));
            i -= 1;
            j -= 1;
        } else if i > 0 && d[i][j] == d[i - 1][j] + 1 {
            out.push(format!("[-{}-]", a[i - 1]));
            i -= 1;
        } else {
            out.push(format!("{{+{}+}}", b[j - 1]));
            j -= 1;
        }
    }
    out.reverse();
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_word_off_is_marked() {
        let p = "As of the end of June 2020, the total number of annual Chinese users reached 1.07 billion, and more.";
        let shown = closest(
            "the total number of annual Chinese users reached 1.7 billion",
            p,
        )
        .unwrap();
        assert!(shown.contains("[-1.7-]{+1.07+}"), "{shown}");
        assert!(shown.starts_with("the total number"), "{shown}");
        let shown = closest("the number of annual Chinese users", p).unwrap();
        assert!(shown.contains("{+total+}"), "{shown}");
    }

    #[test]
    fn nothing_close_gives_nothing() {
        assert_eq!(
            closest(
                "an entirely different sentence here",
                "Users reached 1.07 billion."
            ),
            None
        );
    }
}
