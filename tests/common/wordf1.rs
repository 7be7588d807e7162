//! Word F1 of a PDF's text as briefing reads it against `pdftotext`'s: shared by
//! `examples/pdftext.rs --compare` (scripts/bench-pdf) and `tests/pdf_corpus.rs`, so the bench
//! and the test measure the same thing.
//!
//! Both texts are NFKC-normalised (so `ﬁ` is `fi` and full-width digits are digits), split at
//! white space, and each Han, kana or CJK punctuation character is a word of its own (neither
//! tool's spacing of Chinese or Japanese means anything). Punctuation around a word is
//! dropped, so `“growth,”` and `growth` are one word. F1 is computed on the multisets of words:
//! order does not count, every word drawn does.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use unicode_normalization::UnicodeNormalization;

/// Precision, recall and F1 of `ours` against `reference`.
#[derive(Debug, Clone, Copy)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// Whether `c` is written without spaces between words (Han, kana, CJK punctuation).
fn ideographic(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFF65)
}

/// The words of `text`, as the score counts them.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<String>| {
        let w = word.trim_matches(|c: char| !c.is_alphanumeric());
        if !w.is_empty() {
            out.push(w.to_string());
        }
        word.clear();
    };
    for c in text.nfkc() {
        if c.is_whitespace() || c == '\u{ad}' {
            flush(&mut word, &mut out);
        } else if ideographic(c) {
            flush(&mut word, &mut out);
            word.push(c);
            flush(&mut word, &mut out);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The score of the words of `ours` against those of `reference`.
pub fn score(ours: &str, reference: &str) -> Score {
    let (a, b) = (words(ours), words(reference));
    let mut counts: HashMap<&str, i64> = HashMap::new();
    for w in &b {
        *counts.entry(w).or_default() += 1;
    }
    let mut overlap = 0;
    for w in &a {
        if let Some(n) = counts.get_mut(w.as_str())
            && *n > 0
        {
            *n -= 1;
            overlap += 1;
        }
    }
    let precision = overlap as f64 / a.len().max(1) as f64;
    let recall = overlap as f64 / b.len().max(1) as f64;
    let f1 = if overlap == 0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Score {
        precision,
        recall,
        f1,
    }
}

/// `pdftotext`'s text of `pdf` (reading order, UTF-8), or `None` when it is not installed.
pub fn pdftotext(pdf: &Path) -> Option<String> {
    let out = Command::new("pdftotext")
        .args(["-q", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}
