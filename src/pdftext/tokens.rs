//! What a parser would make of some bytes, counted before it parses them. lopdf makes each
//! number, name, string or bracket of an object stream an `Object` of 120 bytes, so two bytes
//! of `0 ` cost sixty times their size, and `ops` holds an operator's operands at 24 bytes each:
//! a 32 MiB content stream that is one array, or one run of operands before a single operator,
//! would take gigabytes however the stream was decoded. Counting tokens bounds that: an
//! operator's operands are counted for content streams, every token for object streams.

/// Tokens in some PDF syntax, and the longest run of operands before an operator.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Tokens {
    pub(super) all: u64,
    pub(super) longest_run: u64,
}

/// Count the tokens of `bytes`. A regular token that is not a number, `true`, `false` or
/// `null` is an operator (or `obj`, `R`: no matter, it ends a run); an inline image's data,
/// from `ID` to `EI`, is skipped as lopdf skips it.
pub(super) fn count(bytes: &[u8]) -> Tokens {
    let mut t = Tokens::default();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (end, operator) = token(bytes, i);
        i = end;
        let Some(operator) = operator else {
            continue;
        };
        t.all += 1;
        if operator {
            t.longest_run = t.longest_run.max(run);
            run = 0;
        } else {
            run += 1;
        }
    }
    t.longest_run = t.longest_run.max(run);
    t
}

/// The token starting at `i`: where it ends, and whether it is an operator (`None` for white
/// space and comments, which are no token).
fn token(bytes: &[u8], i: usize) -> (usize, Option<bool>) {
    let rest = &bytes[i..];
    let operand = |end: usize| (end, Some(false));
    match bytes[i] {
        b if is_space(b) => (i + 1, None),
        b'%' => {
            let end = rest.iter().position(|&b| b == b'\n' || b == b'\r');
            (i + end.unwrap_or(rest.len()), None)
        }
        b'(' => operand(string_end(bytes, i)),
        b'<' | b'>' if bytes.get(i + 1) == Some(&bytes[i]) => operand(i + 2),
        b'<' => operand(
            i + rest
                .iter()
                .position(|&b| b == b'>')
                .map_or(rest.len(), |p| p + 1),
        ),
        b'[' | b']' | b'{' | b'}' | b')' | b'>' => operand(i + 1),
        b'/' => operand(token_end(bytes, i + 1)),
        _ => {
            let mut end = token_end(bytes, i).max(i + 1);
            let word = &bytes[i..end];
            let number = word[0].is_ascii_digit() || b"+-.".contains(&word[0]);
            if word == b"ID" {
                end = inline_image_end(bytes, end);
            }
            (
                end,
                Some(!(number || matches!(word, b"true" | b"false" | b"null"))),
            )
        }
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | 0)
}

fn is_delimiter(b: u8) -> bool {
    b"()<>[]{}/%".contains(&b)
}

/// Where a regular token (or a name's characters) starting at `i` ends.
fn token_end(bytes: &[u8], i: usize) -> usize {
    i + bytes[i..]
        .iter()
        .position(|&b| is_space(b) || is_delimiter(b))
        .unwrap_or(bytes.len() - i)
}

/// Where the literal string opening at `i` closes: parentheses nest, a backslash escapes.
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// After an inline image's `ID`: just past the `EI` that follows white space and is followed
/// by white space or the end.
fn inline_image_end(bytes: &[u8], from: usize) -> usize {
    inline_image_data_end(bytes, from).unwrap_or(bytes.len())
}

/// Just past the `EI` that ends an inline image whose `ID` ends at `from`, if there is one.
pub(super) fn inline_image_data_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(p) = memchr::memmem::find(&bytes[at..], b"EI") {
        let ei = at + p;
        let before = ei > from && is_space(bytes[ei - 1]);
        let after = bytes.get(ei + 2).is_none_or(|&b| is_space(b));
        if before && after {
            return Some(ei + 2);
        }
        at = ei + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operands_are_counted_up_to_their_operator() {
        let t = count(b"BT /F1 12 Tf [(a) -250 (b\\) c)] TJ 1 0 0 1 72 700 Tm ET % [0 0 0 0]");
        assert_eq!(t.longest_run, 6, "`1 0 0 1 72 700` before Tm");
        assert_eq!(t.all, 18);
        let flood = "0 ".repeat(1000) + "m";
        assert_eq!(count(flood.as_bytes()).longest_run, 1000);
        let array = format!("[{}] TJ", "1 ".repeat(500));
        assert_eq!(count(array.as_bytes()).longest_run, 502);
    }

    #[test]
    fn an_inline_image_is_one_token() {
        let t = count(b"q BI /W 4 /H 1 /BPC 8 /CS /G ID \x00[[[[ 0 0 EIx EI Q");
        assert_eq!(t.longest_run, 8, "/W 4 /H 1 /BPC 8 /CS /G");
        assert_eq!(t.all, 1 + 1 + 8 + 1 + 1);
    }
}
