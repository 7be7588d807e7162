//! Finding words in text the way every language's reading needs: whole words without regard
//! to case (a Chinese or Japanese word inside a run of characters), clause and sentence
//! bounds, and safe byte offsets.

/// The spaces that may stand between a figure and its words.
pub const SPACES: [char; 4] = [' ', '\u{a0}', '\u{202f}', '\u{2009}'];

/// If `hay` starts with `word` (ignoring case, and a final `.` of `word` optional), the bytes
/// it covers; a word made of letters must end where the letters of `hay` end.
pub fn starts_with(hay: &str, word: &str) -> Option<usize> {
    let core = word
        .strip_suffix('.')
        .filter(|c| !c.is_empty())
        .unwrap_or(word);
    let mut h = hay.char_indices();
    let mut end = 0;
    for w in core.chars() {
        let (i, c) = h.next()?;
        if !c.to_lowercase().eq(w.to_lowercase()) {
            return None;
        }
        end = i + c.len_utf8();
    }
    let last = core.chars().last()?;
    let next = hay[end..].chars().next();
    if last.is_alphabetic() && !is_cjk(last) && next.is_some_and(|n| n.is_alphabetic()) {
        return None;
    }
    if core.len() < word.len() && next == Some('.') {
        end += 1;
    }
    Some(end)
}

/// If `hay` ends with `word` (ignoring case) as a whole word, where it starts.
pub fn ends_with(hay: &str, word: &str) -> Option<usize> {
    let core = word
        .strip_suffix('.')
        .filter(|c| !c.is_empty())
        .unwrap_or(word);
    let mut h = hay.char_indices().rev();
    let mut start = hay.len();
    for w in core.chars().rev() {
        let (i, c) = h.next()?;
        if !c.to_lowercase().eq(w.to_lowercase()) {
            return None;
        }
        start = i;
    }
    let first = core.chars().next()?;
    let before = hay[..start].chars().next_back();
    if first.is_alphabetic() && !is_cjk(first) && before.is_some_and(|b| b.is_alphabetic()) {
        return None;
    }
    Some(start)
}

/// Whether `c` is written without spaces between words (Chinese, Japanese), so that a word
/// is found inside a run of them.
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}')
}

pub fn floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

pub fn ceil(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

pub const CLAUSE_ENDS: [char; 12] = [
    ',', ';', '\n', '，', '；', '。', '(', ')', '!', '?', '、', ':',
];

/// Where the clause after `at` ends (a comma, a sentence's end), before `limit`.
pub fn clause_end(text: &str, at: usize, limit: usize) -> usize {
    let window = &text[at..limit];
    let mark = window.find(CLAUSE_ENDS).unwrap_or(window.len());
    let stop = window.find(". ").unwrap_or(window.len());
    at + mark.min(stop)
}

/// Where the sentence holding `at` starts, not before `limit`.
pub fn sentence_start(text: &str, at: usize, limit: usize) -> usize {
    let window = &text[limit..at];
    let mark = window
        .rfind(['\n', '。', '!', '?', ';', '；'])
        .map_or(0, |i| {
            i + window[i..].chars().next().map_or(1, char::len_utf8)
        });
    // `. ` ends a sentence only when what follows does not go on in lowercase: `Example Co.
    // served` and `e.g. the` are one sentence.
    let stop = window
        .rmatch_indices(". ")
        .map(|(i, _)| i + 2)
        .find(|&i| !window[i..].starts_with(char::is_lowercase))
        .unwrap_or(0);
    limit + mark.max(stop)
}

/// The byte offsets where words start.
pub fn word_starts(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut prev_letter = false;
    for (i, c) in text.char_indices() {
        let letter = c.is_alphabetic() && !is_cjk(c);
        if letter && !prev_letter {
            out.push(i);
        }
        prev_letter = letter;
    }
    out
}

/// Where `word` occurs in `text` as a whole word, if it does.
pub fn find_word(text: &str, word: &str) -> Option<usize> {
    if word.chars().any(is_cjk) {
        return text.find(word);
    }
    word_starts(text)
        .into_iter()
        .find(|&s| starts_with(&text[s..], word).is_some())
}

/// Where a word of `text` ends with `word` (a German compound's last noun), if one does.
pub fn find_ending(text: &str, word: &str) -> Option<usize> {
    let lower = word.to_lowercase();
    for s in word_starts(text) {
        let rest = &text[s..];
        let len = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        if rest[..len].to_lowercase().ends_with(&lower) {
            return Some(s);
        }
    }
    None
}
