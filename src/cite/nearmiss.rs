//! When a quote is not in its paragraph, show the closest passage of that paragraph with the
//! words that differ marked, so a one-word slip is found at a glance: `[-quote's word-]` and
//! `{+source's word+}`, as wdiff writes them.
//!
//! A paragraph may be a whole document's text (50,000 words) and a quote a long passage, so the
//! search is near-linear in both: one pass counts, for every window of the quote's length, how
//! many of the quote's words it holds; only the few best windows are then aligned word by word,
//! and only within a band of diagonals around each, so the cost is the quote's length times the
//! band, never the quote's length squared times the paragraph's.

use std::collections::HashMap;

use crate::quotes::normalize;

/// The first band: words an alignment may drift from its window's start either way. For the
/// best few it doubles while their path runs along its edge, up to [`MAX_BAND`].
const FIRST_BAND: usize = 16;
/// How many of the best first alignments get a wider band.
const WIDENED: usize = 3;
/// A quote whose words drift further than this from the passage is not a near miss.
const MAX_BAND: usize = 256;

/// The passage of `paragraph` closest to `quote`, with the differing words marked; `None` when
/// nothing in the paragraph is close (more than half the quote's words would have to change).
pub fn closest(quote: &str, paragraph: &str) -> Option<String> {
    let (quote, paragraph) = (normalize(quote), normalize(paragraph));
    let q: Vec<&str> = quote.split(' ').filter(|w| !w.is_empty()).collect();
    let p: Vec<&str> = paragraph.split(' ').filter(|w| !w.is_empty()).collect();
    if q.is_empty() || p.is_empty() {
        return None;
    }
    let (q_ids, p_ids) = word_ids(&q, &p);
    let best = best_alignment(&q_ids, &p_ids)?;
    if best.cost * 2 > q.len() {
        return None;
    }
    Some(best.marked(&q_ids, &p_ids, &q, &p))
}

/// The alignment of the whole quote with the paragraph's passage that needs the fewest word
/// edits (then the one nearest the quote's length, then the first), among those near the
/// best-filled windows.
fn best_alignment(q: &[u32], p: &[u32]) -> Option<Alignment> {
    let fill = window_fill(q, p);
    let key = |a: &Alignment| (a.cost, a.len().abs_diff(q.len()), a.start);
    // Every candidate in the first band (their tables dropped), then the best few widened.
    let mut first: Vec<((usize, usize, usize), usize)> = candidates(&fill, q.len(), p.len())
        .into_iter()
        .filter_map(|start| align_in_band(q, p, start, FIRST_BAND).map(|a| (key(&a), start)))
        .collect();
    first.sort_unstable();
    first
        .iter()
        .take(WIDENED)
        .filter_map(|&(_, start)| align(q, p, start))
        .min_by_key(key)
}

/// Each word as a number: the quote's words by first appearance, and the paragraph's words
/// with the same numbers, or `u32::MAX` for words the quote does not have.
fn word_ids(q: &[&str], p: &[&str]) -> (Vec<u32>, Vec<u32>) {
    let mut ids: HashMap<&str, u32> = HashMap::with_capacity(q.len());
    let q_ids = q
        .iter()
        .map(|w| {
            let next = ids.len() as u32;
            *ids.entry(w).or_insert(next)
        })
        .collect();
    let p_ids = p
        .iter()
        .map(|w| ids.get(w).copied().unwrap_or(u32::MAX))
        .collect();
    (q_ids, p_ids)
}

/// For every start of a window of the quote's length (or the paragraph's, if shorter): how many
/// of the quote's words, and of its pairs of neighbouring words, the window holds, each counted
/// as often as the quote has it. The pairs put the words in order: a window that holds the quote
/// word for word scores highest. Two passes over the paragraph.
fn window_fill(q: &[u32], p: &[u32]) -> Vec<usize> {
    let len = q.len().min(p.len());
    let (q_pairs, p_pairs) = pair_ids(q, p);
    let words = token_fill(q, p, len);
    let pairs = token_fill(&q_pairs, &p_pairs, len.saturating_sub(1));
    words.iter().zip(&pairs).map(|(w, p)| w + p).collect()
}

/// Neighbouring words as numbers, the quote's pairs by first appearance and the paragraph's with
/// the same numbers, or `u32::MAX` for pairs the quote does not have.
fn pair_ids(q: &[u32], p: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let mut ids: HashMap<(u32, u32), u32> = HashMap::with_capacity(q.len());
    let q_pairs = q
        .windows(2)
        .map(|w| {
            let next = ids.len() as u32;
            *ids.entry((w[0], w[1])).or_insert(next)
        })
        .collect();
    let p_pairs = p
        .windows(2)
        .map(|w| ids.get(&(w[0], w[1])).copied().unwrap_or(u32::MAX))
        .collect();
    (q_pairs, p_pairs)
}

/// For every window of `len` tokens of `p`: how many of `q`'s tokens it holds (numbered densely
/// from 0; others are `u32::MAX`). One pass: each step adds one token and drops one.
fn token_fill(q: &[u32], p: &[u32], len: usize) -> Vec<usize> {
    let mut wanted = vec![0usize; q.len()];
    q.iter().for_each(|&w| wanted[w as usize] += 1);
    let mut have = vec![0usize; q.len()];
    let mut filled = 0;
    let mut step = |w: u32, up: bool, filled: &mut usize| {
        let Some(i) = usize::try_from(w).ok().filter(|&i| i < wanted.len()) else {
            return;
        };
        if up {
            have[i] += 1;
            *filled += usize::from(have[i] <= wanted[i]);
        } else {
            *filled -= usize::from(have[i] <= wanted[i]);
            have[i] -= 1;
        }
    };
    p[..len].iter().for_each(|&w| step(w, true, &mut filled));
    let mut fill = Vec::with_capacity(p.len() + 1 - len);
    fill.push(filled);
    for end in len..p.len() {
        step(p[end - len], false, &mut filled);
        step(p[end], true, &mut filled);
        fill.push(filled);
    }
    fill
}

/// The starts of the best-filled windows, best first, no two within [`FIRST_BAND`] of each
/// other (the first band of one covers the other). As many as make the first alignments cost
/// about twice the paragraph's length in cells of the band, and at least three: every window of
/// a short quote, the few best of a long one.
fn candidates(fill: &[usize], quote_len: usize, paragraph_len: usize) -> Vec<usize> {
    let wanted = (2 * paragraph_len / quote_len).max(3);
    let mut order: Vec<usize> = (0..fill.len()).collect();
    order.sort_by_key(|&s| (std::cmp::Reverse(fill[s]), s));
    let mut taken = vec![false; fill.len()];
    let mut chosen: Vec<usize> = Vec::new();
    for s in order {
        if chosen.len() == wanted {
            break;
        }
        if !taken[s] {
            chosen.push(s);
            let near = s.saturating_sub(FIRST_BAND - 1)..(s + FIRST_BAND).min(fill.len());
            taken[near].iter_mut().for_each(|t| *t = true);
        }
    }
    chosen
}

/// One alignment of the whole quote with the passage `p[start..end]`: its word edits, and the
/// table of edits within the band, kept to mark the words.
struct Alignment {
    cost: usize,
    start: usize,
    end: usize,
    /// The lowest diagonal (paragraph index minus quote index) of the band.
    low: isize,
    width: usize,
    /// Row `i` (quote words aligned so far), column `k` (diagonal `low + k`): fewest edits.
    table: Vec<u32>,
}

const FAR: u32 = u32::MAX / 2;

/// Align the quote with the paragraph near the window starting at `start`, widening the band
/// while the best path touches its edge.
fn align(q: &[u32], p: &[u32], start: usize) -> Option<Alignment> {
    // The table holds the quote's length times the band's width: at most 4M cells (16 MB).
    let widest = MAX_BAND.min((1 << 21) / q.len()).max(FIRST_BAND);
    let mut band = FIRST_BAND;
    loop {
        let found = align_in_band(q, p, start, band)?;
        if band >= widest || !found.touches_edge(q, p) {
            return Some(found);
        }
        band *= 2;
    }
}

/// The alignment of all of `q` with a passage of `p` whose diagonals stay within `band` of
/// `start`; the passage may begin and end anywhere in the band at no cost.
fn align_in_band(q: &[u32], p: &[u32], start: usize, band: usize) -> Option<Alignment> {
    let low = start as isize - band as isize;
    let width = 2 * band + 1;
    let mut table = vec![FAR; (q.len() + 1) * width];
    // The passage's start in the paragraph, for each cell of the current row.
    let mut starts = vec![0usize; width];
    let mut row_starts = vec![0usize; width];
    let column = |i: usize, k: usize| -> Option<usize> {
        usize::try_from(i as isize + low + k as isize)
            .ok()
            .filter(|&j| j <= p.len())
    };
    for k in 0..width {
        if let Some(j) = column(0, k) {
            table[k] = 0;
            starts[k] = j;
        }
    }
    for i in 1..=q.len() {
        let (done, row) = table.split_at_mut(i * width);
        let above = &done[(i - 1) * width..];
        let row = &mut row[..width];
        for k in 0..width {
            let Some(j) = column(i, k) else { continue };
            // Diagonal first, then the quote's word left out, then the source's word added:
            // the same order as `marked` walks back, so both find the same passage.
            let mut best = (FAR, 0);
            if j > 0 && above[k] < FAR {
                best = (above[k] + u32::from(q[i - 1] != p[j - 1]), starts[k]);
            }
            if k + 1 < width && above[k + 1] + 1 < best.0 {
                best = (above[k + 1] + 1, starts[k + 1]);
            }
            if k > 0 && j > 0 && row[k - 1] + 1 < best.0 {
                best = (row[k - 1] + 1, row_starts[k - 1]);
            }
            (row[k], row_starts[k]) = best;
        }
        std::mem::swap(&mut starts, &mut row_starts);
    }
    let last = &table[q.len() * width..];
    let (k, cost) = (0..width)
        .filter(|&k| last[k] < FAR)
        .map(|k| (k, last[k] as usize))
        .min_by_key(|&(k, cost)| {
            let end = column(q.len(), k).unwrap_or(0);
            (cost, (end - starts[k]).abs_diff(q.len()), starts[k])
        })?;
    Some(Alignment {
        cost,
        start: starts[k],
        end: column(q.len(), k)?,
        low,
        width,
        table,
    })
}

impl Alignment {
    fn len(&self) -> usize {
        self.end - self.start
    }

    fn at(&self, i: usize, j: usize) -> u32 {
        let k = j as isize - i as isize - self.low;
        usize::try_from(k)
            .ok()
            .filter(|&k| k < self.width)
            .map_or(FAR, |k| self.table[i * self.width + k])
    }

    /// The best path back from the passage's end, as (quote index, paragraph index) pairs of the
    /// cells it leaves, in the same order of preference as the table was filled.
    fn path(&self, q: &[u32], p: &[u32]) -> Vec<(usize, usize, Step)> {
        let (mut i, mut j) = (q.len(), self.end);
        let mut steps = Vec::with_capacity(q.len() + 8);
        while i > 0 {
            let here = self.at(i, j);
            let step = if j > 0 && here == self.at(i - 1, j - 1) + u32::from(q[i - 1] != p[j - 1]) {
                Step::Both
            } else if here == self.at(i - 1, j) + 1 {
                Step::Quote
            } else {
                Step::Source
            };
            steps.push((i, j, step));
            match step {
                Step::Both => (i, j) = (i - 1, j - 1),
                Step::Quote => i -= 1,
                Step::Source => j -= 1,
            }
        }
        steps.reverse();
        steps
    }

    /// Whether the band may have cut the path short: it runs along the band's edge somewhere
    /// the paragraph goes on beyond it.
    fn touches_edge(&self, q: &[u32], p: &[u32]) -> bool {
        self.path(q, p).iter().any(|&(i, j, _)| {
            let k = j as isize - i as isize - self.low;
            (k == 0 && self.low > 0) || (k + 1 == self.width as isize && j < p.len())
        })
    }

    /// The passage with the quote's words that differ shown beside it.
    fn marked(&self, q_ids: &[u32], p_ids: &[u32], q: &[&str], p: &[&str]) -> String {
        let words: Vec<String> = self
            .path(q_ids, p_ids)
            .into_iter()
            .map(|(i, j, step)| match step {
                Step::Both if q[i - 1] == p[j - 1] => p[j - 1].to_string(),
                Step::Both => format!("[-{}-]{{+{}+}}", q[i - 1], p[j - 1]),
                Step::Quote => format!("[-{}-]", q[i - 1]),
                Step::Source => format!("{{+{}+}}", p[j - 1]),
            })
            .collect();
        words.join(" ")
    }
}

/// One step of an alignment: a word of each (the same or not), or a word of one only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Both,
    Quote,
    Source,
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

#[cfg(test)]
mod against_every_window {
    use super::*;
    use crate::diag::edit_table;

    /// The former search, every window of the quote's length give or take two: the fewest edits.
    fn slow_cost(q: &[u32], p: &[u32]) -> usize {
        let mut best = usize::MAX;
        for len in q.len().saturating_sub(2).max(1)..=q.len() + 2 {
            for start in 0..p.len().saturating_sub(len.min(p.len())) + 1 {
                let end = (start + len).min(p.len());
                best = best.min(edit_table(q, &p[start..end], false)[q.len()][end - start]);
            }
        }
        best
    }

    #[test]
    fn never_worse_than_trying_every_window() {
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for round in 0..500 {
            let vocab = 8 + next(40);
            let p: Vec<u32> = (0..5 + next(120)).map(|_| next(vocab) as u32).collect();
            let from = next(p.len() as u64) as usize;
            let to = (from + 1 + next(40) as usize).min(p.len());
            let mut q: Vec<u32> = p[from..to].to_vec();
            for _ in 0..next(4) {
                let at = next(q.len() as u64) as usize;
                match next(3) {
                    0 => q[at] = next(vocab) as u32,
                    1 if q.len() > 1 => drop(q.remove(at)),
                    _ => q.insert(at, next(vocab) as u32),
                }
            }
            let (qw, pw): (Vec<String>, Vec<String>) = (
                q.iter().map(u32::to_string).collect(),
                p.iter().map(u32::to_string).collect(),
            );
            let qw: Vec<&str> = qw.iter().map(String::as_str).collect();
            let pw: Vec<&str> = pw.iter().map(String::as_str).collect();
            let (q, p) = word_ids(&qw, &pw);
            let slow = slow_cost(&q, &p);
            let fast = best_alignment(&q, &p).unwrap().cost;
            assert!(fast <= slow, "round {round}: {fast} > {slow}\n{q:?}\n{p:?}");
        }
    }
}
