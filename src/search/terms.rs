//! The words search finds: text folded to lower case without diacritics (NFKD, marks dropped,
//! so `Café` and `cafe`, and a PDF's `ﬁ` ligature and `fi`, are one term), split into runs of
//! letters and digits; Chinese and Japanese, written without spaces, into overlapping pairs of
//! characters. `static/search.js` splits a query by the same rules, so both sides agree.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Terms longer than this are not words a reader types (hashes, URLs run together).
const MAX_TERM: usize = 40;

/// Whether `c` is written without spaces between words: Hiragana, Katakana and the CJK
/// ideographs of the Basic Multilingual Plane (the ranges `search.js` tests too).
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}' | '\u{31f0}'..='\u{31ff}' | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// `text` folded: lower case, compatibility-decomposed, without combining marks.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase(); // already decomposed, with no marks
    }
    // Character by character: only the order of combining marks would differ from decomposing
    // the whole text, and they are dropped.
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            decompose_compatible(c, |d| {
                if !is_combining_mark(d) {
                    out.extend(d.to_lowercase());
                }
            });
        }
    }
    out
}

/// Every term of `text`, in order, repeats included.
pub fn terms(text: &str, out: &mut Vec<String>) {
    split(&fold(text), |t| out.push(t.to_string()));
}

/// Call `each` with every term of `folded` (text that went through [`fold`]), in order, repeats
/// included. Every term is a slice of it (a pair of CJK characters too): none is allocated.
pub fn split<'a>(folded: &'a str, mut each: impl FnMut(&'a str)) {
    if folded.is_ascii() {
        // The common text: words are runs of ASCII letters and digits, and there is no CJK.
        let words = folded.split(|c: char| !c.is_ascii_alphanumeric());
        words
            .filter(|w| !w.is_empty())
            .for_each(|w| end_word(w, &mut each));
        return;
    }
    let mut word: Option<usize> = None;
    // The byte where the last CJK character started, and how many the run has had.
    let (mut last, mut run) = (0, 0);
    for (i, c) in folded.char_indices() {
        let is_word = c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric());
        if is_word && !(c as u32 >= 0x3040 && is_cjk(c)) {
            if run > 0 {
                end_run(folded, last, run, &mut each);
                run = 0;
            }
            word.get_or_insert(i);
            continue;
        }
        if let Some(start) = word.take() {
            end_word(&folded[start..i], &mut each);
        }
        if is_word {
            if run > 0 {
                each(&folded[last..i + c.len_utf8()]);
            }
            (last, run) = (i, run + 1);
        } else {
            end_run(folded, last, run, &mut each);
            run = 0;
        }
    }
    if let Some(start) = word {
        end_word(&folded[start..], &mut each);
    }
    end_run(folded, last, run, &mut each);
}

fn end_word<'a>(word: &'a str, each: &mut impl FnMut(&'a str)) {
    if word.len() <= MAX_TERM || word.chars().count() <= MAX_TERM {
        each(word);
    }
}

/// The end of a run of `run` CJK characters, the last at byte `last`: a run of one is a term
/// (longer runs gave their pairs as they went).
fn end_run<'a>(folded: &'a str, last: usize, run: usize, each: &mut impl FnMut(&'a str)) {
    if run == 1 {
        let c = folded[last..].chars().next().map_or(0, char::len_utf8);
        each(&folded[last..last + c]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        terms(text, &mut out);
        out
    }

    #[test]
    fn words_are_folded_to_lower_case_without_diacritics() {
        assert_eq!(all("Café au Lait, ÉTÉ"), ["cafe", "au", "lait", "ete"]);
        assert_eq!(all("Größe: 1.07 Mrd."), ["große", "1", "07", "mrd"]);
        assert_eq!(all("e\u{fb03}cient"), ["efficient"]);
    }

    #[test]
    fn chinese_and_japanese_are_split_into_pairs() {
        assert_eq!(all("菜鸟网络"), ["菜鸟", "鸟网", "网络"]);
        assert_eq!(all("AI战略 与"), ["ai", "战略", "与"]);
        assert_eq!(all("カタカナ"), ["カタ", "タカ", "カナ"]);
    }

    #[test]
    fn runs_too_long_to_be_words_are_left_out() {
        assert_eq!(all(&"x".repeat(41)), Vec::<String>::new());
        assert_eq!(all(&"x".repeat(40)).len(), 1);
    }
}
