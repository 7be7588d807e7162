//! The words search finds: text folded to lower case without diacritics (NFKD, marks dropped,
//! so `Café` and `cafe`, and a PDF's `ﬁ` ligature and `fi`, are one term), split into runs of
//! letters and digits; Chinese and Japanese, written without spaces, into overlapping pairs of
//! characters. `static/search.js` splits a query by the same rules, so both sides agree.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

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
    text.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every term of `text`, in order, repeats included.
pub fn terms(text: &str, out: &mut Vec<String>) {
    let folded = fold(text);
    let mut word = String::new();
    let mut cjk: Vec<char> = Vec::new();
    for c in folded.chars() {
        if is_cjk(c) {
            push_word(&mut word, out);
            cjk.push(c);
        } else {
            push_cjk(&mut cjk, out);
            if c.is_alphanumeric() {
                word.push(c);
            } else {
                push_word(&mut word, out);
            }
        }
    }
    push_word(&mut word, out);
    push_cjk(&mut cjk, out);
}

fn push_word(word: &mut String, out: &mut Vec<String>) {
    if !word.is_empty() && word.chars().count() <= MAX_TERM {
        out.push(std::mem::take(word));
    }
    word.clear();
}

/// A run of CJK characters: each pair of neighbours, or the one character of a run of one.
fn push_cjk(run: &mut Vec<char>, out: &mut Vec<String>) {
    match run.len() {
        0 => {}
        1 => out.push(run[0].to_string()),
        _ => out.extend(run.windows(2).map(|w| w.iter().collect())),
    }
    run.clear();
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
        assert_eq!(all("e\u{fb01}cient"), ["efficient"]);
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
