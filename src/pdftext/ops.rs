//! A content stream's operations, read in place. lopdf's parser made an `Object` of every
//! operand (a heap string for each string shown, a `Vec` for each `TJ` array, an owned
//! `String` for each operator) and took half of the time a page costs; here each operand is a
//! slice of the stream or a number, in one buffer kept for the whole stream, and a string is
//! decoded only when it is shown. The grammar is lopdf's, so a stream reads as it did there:
//! operands and operators separated by white space, comments between operations, and a
//! stream that stops making sense (a stray `}`, an unclosed string) simply ends there, while
//! brackets nested over [`MAX_NESTING`] deep or an inline image with no `EI` fail the stream.
//! Differences: an inline image's data ends at the first `EI` between white space (lopdf
//! computes its length where it can), and `BDC`'s property dictionary is kept as its bytes
//! and handed to lopdf on demand ([`Op::properties`]).

use lopdf::content::Content;
use lopdf::{Dictionary, Error, ParseError};

use super::lex::{self, hex_len, is_white, literal_len, name_len, number, reference};

/// Arrays and dictionaries nested deeper than this fail the stream (lopdf's limit).
const MAX_NESTING: usize = 100;

/// One operand. Arrays are flattened: `Open`, their items, `Close`; a dictionary is one
/// `Dict` (its entries are not kept).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Operand<'b> {
    Number(f32),
    /// A name's bytes after the `/`, `#xx` escapes not yet decoded.
    Name(&'b [u8]),
    /// A literal string's bytes inside its parentheses, escapes not yet decoded.
    Literal(&'b [u8]),
    /// A hexadecimal string's digits inside its angle brackets.
    Hex(&'b [u8]),
    Open,
    Close,
    Dict,
    /// `true`, `false`, `null` or an indirect reference.
    Other,
}

/// One operation: its operator, its operands, and its bytes (operands to operator).
pub(super) struct Op<'o, 'b> {
    pub(super) operator: &'b [u8],
    pub(super) operands: &'o [Operand<'b>],
    pub(super) text: &'b [u8],
}

/// The operations of a content stream, one at a time.
pub(super) struct Ops<'b> {
    bytes: &'b [u8],
    at: usize,
    operands: Vec<Operand<'b>>,
    done: bool,
}

/// Why an operand could not be read: it is not one (the stream ends), or it nests too deep.
enum Bad {
    End,
    Deep,
}

type Read<T> = Result<T, Bad>;

impl<'b> Ops<'b> {
    pub(super) fn new(bytes: &'b [u8]) -> Ops<'b> {
        let mut ops = Ops {
            bytes,
            at: 0,
            operands: Vec::new(),
            done: false,
        };
        ops.white();
        ops
    }

    /// The next operation; `None` at the end, or where the stream stops making sense.
    #[allow(clippy::should_implement_trait)]
    pub(super) fn next(&mut self) -> Option<Result<Op<'_, 'b>, Error>> {
        if self.done {
            return None;
        }
        while self.peek() == Some(b'%') && self.comment() {
            self.white();
        }
        let start = self.at;
        self.operands.clear();
        if self.bytes[start..].starts_with(b"BI") {
            return Some(self.inline_image(start));
        }
        loop {
            match self.operand(0) {
                Ok(()) => self.white(),
                Err(Bad::Deep) => return Some(self.fail()),
                Err(Bad::End) => break,
            }
        }
        let len = self.bytes[self.at..]
            .iter()
            .take_while(|&&c| c.is_ascii_alphanumeric() || b"*'\"".contains(&c))
            .count();
        if len == 0 || self.bytes[self.at].is_ascii_digit() {
            self.done = true;
            return None;
        }
        let operator = &self.bytes[self.at..self.at + len];
        self.at += len;
        let text = &self.bytes[start..self.at];
        self.white();
        Some(Ok(Op {
            operator,
            operands: &self.operands,
            text,
        }))
    }

    fn fail<T>(&mut self) -> Result<T, Error> {
        self.done = true;
        Err(ParseError::InvalidContentStream.into())
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// White space (lopdf's content grammar allows no comment between operands).
    fn white(&mut self) {
        while self.peek().is_some_and(is_white) {
            self.at += 1;
        }
    }

    /// White space and comments, as inside arrays and dictionaries.
    fn space(&mut self) {
        self.white();
        while self.peek() == Some(b'%') && self.comment() {
            self.white();
        }
    }

    /// A comment and the end of line it needs; `false` (nothing read) without one.
    fn comment(&mut self) -> bool {
        let rest = &self.bytes[self.at..];
        match rest.iter().position(|&c| c == b'\r' || c == b'\n') {
            Some(eol) => {
                let crlf = rest[eol..].starts_with(b"\r\n");
                self.at += eol + if crlf { 2 } else { 1 };
                true
            }
            None => false,
        }
    }

    /// One operand of an operation (`depth` 0) or an item of an array or dictionary.
    fn operand(&mut self, depth: usize) -> Read<()> {
        if depth > MAX_NESTING {
            return Err(Bad::Deep);
        }
        let rest = &self.bytes[self.at..];
        let (operand, len) = match rest.first().copied().ok_or(Bad::End)? {
            _ if rest.starts_with(b"null") => (Operand::Other, 4),
            _ if rest.starts_with(b"true") => (Operand::Other, 4),
            _ if rest.starts_with(b"false") => (Operand::Other, 5),
            b'0'..=b'9' if depth > 0 && reference(rest).is_some() => {
                (Operand::Other, reference(rest).unwrap_or(0))
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => number(rest).ok_or(Bad::End)?,
            b'/' => {
                let len = name_len(&rest[1..]);
                (Operand::Name(&rest[1..1 + len]), 1 + len)
            }
            b'(' => {
                let len = literal_len(rest).ok_or(Bad::End)?;
                (Operand::Literal(&rest[1..len - 1]), len)
            }
            b'<' if rest.get(1) == Some(&b'<') => return self.dictionary(depth),
            b'<' => {
                let len = hex_len(rest).ok_or(Bad::End)?;
                (Operand::Hex(&rest[1..len - 1]), len)
            }
            b'[' => return self.array(depth),
            _ => return Err(Bad::End),
        };
        self.at += len;
        self.operands.push(operand);
        Ok(())
    }

    /// `[` items `]`, each item followed by white space and comments.
    fn array(&mut self, depth: usize) -> Read<()> {
        let (start, mark) = (self.at, self.operands.len());
        self.at += 1;
        self.operands.push(Operand::Open);
        self.space();
        loop {
            match self.operand(depth + 1) {
                Ok(()) => self.space(),
                Err(Bad::End) => break,
                Err(deep) => return Err(deep),
            }
        }
        if self.peek() != Some(b']') {
            self.at = start;
            self.operands.truncate(mark);
            return Err(Bad::End);
        }
        self.at += 1;
        self.operands.push(Operand::Close);
        Ok(())
    }

    /// `<<` then name and value pairs `>>`; one `Dict` operand stands for it.
    fn dictionary(&mut self, depth: usize) -> Read<()> {
        let (start, mark) = (self.at, self.operands.len());
        self.at += 2;
        self.space();
        self.entries(depth)?;
        self.operands.truncate(mark);
        if !self.bytes[self.at..].starts_with(b">>") {
            self.at = start;
            return Err(Bad::End);
        }
        self.at += 2;
        self.operands.push(Operand::Dict);
        Ok(())
    }

    /// A dictionary's entries, up to the first that is not a name and a value.
    fn entries(&mut self, depth: usize) -> Read<()> {
        while self.peek() == Some(b'/') {
            let before = (self.at, self.operands.len());
            self.at += 1 + name_len(&self.bytes[self.at + 1..]);
            self.space();
            match self.operand(depth + 1) {
                Ok(()) => self.space(),
                Err(Bad::End) => {
                    (self.at, _) = before;
                    return Ok(());
                }
                Err(deep) => return Err(deep),
            }
        }
        Ok(())
    }

    /// `BI`, the image's dictionary, `ID`, its data up to an `EI` between white space.
    fn inline_image(&mut self, start: usize) -> Result<Op<'_, 'b>, Error> {
        self.at += 2;
        self.white();
        if let Err(Bad::Deep) = self.entries(0) {
            return self.fail();
        }
        if !self.bytes[self.at..].starts_with(b"ID") {
            return self.fail();
        }
        let data = self.at + 2;
        let Some(end) = super::tokens::inline_image_data_end(self.bytes, data) else {
            return self.fail();
        };
        self.at = end;
        self.white();
        self.operands.clear();
        Ok(Op {
            operator: b"BI",
            operands: &self.operands,
            text: &self.bytes[start..end],
        })
    }
}

impl Op<'_, '_> {
    /// The numbers among the operands (not inside an array or dictionary), as lopdf's
    /// `as_float` gives them.
    pub(super) fn numbers(&self) -> Numbers {
        let mut n = Numbers::default();
        let mut depth = 0;
        for operand in self.operands {
            match operand {
                Operand::Open => depth += 1,
                Operand::Close => depth -= 1,
                Operand::Number(v) if depth == 0 => {
                    if let Some(slot) = n.values.get_mut(n.count) {
                        *slot = *v;
                    }
                    n.count += 1;
                }
                _ => {}
            }
        }
        n
    }

    /// The `n`th operand (an array is its `Open`).
    pub(super) fn top(&self, n: usize) -> Option<Operand<'_>> {
        let mut depth = 0;
        let mut tops = self.operands.iter().filter(|o| {
            let top = depth == 0;
            match o {
                Operand::Open => depth += 1,
                Operand::Close => depth -= 1,
                _ => {}
            }
            top
        });
        tops.nth(n).copied()
    }

    /// The `n`th operand when it is a name, decoded.
    pub(super) fn name(&self, n: usize) -> Option<std::borrow::Cow<'_, [u8]>> {
        match self.top(n) {
            Some(Operand::Name(raw)) if raw.contains(&b'#') => Some(lex::decode_name(raw).into()),
            Some(Operand::Name(raw)) => Some(raw.into()),
            _ => None,
        }
    }

    /// A `BDC`'s property dictionary, read by lopdf from the operation's bytes.
    pub(super) fn properties(&self) -> Option<Dictionary> {
        // Most are `<</MCID n>>`: only one that may name an ActualText is worth reading.
        let named = |key: &[u8]| memchr::memmem::find(self.text, key).is_some();
        if !matches!(self.top(1), Some(Operand::Dict)) || !(named(b"ActualText") || named(b"#")) {
            return None;
        }
        let op = Content::decode_iter(self.text).next()?.ok()?;
        op.operands.into_iter().nth(1)?.as_dict().ok().cloned()
    }
}

/// The numbers among an operation's operands: the first six, and how many there are.
#[derive(Debug, Default)]
pub(super) struct Numbers {
    values: [f32; 6],
    count: usize,
}

impl Numbers {
    pub(super) fn first(&self) -> Option<f32> {
        (self.count > 0).then_some(self.values[0])
    }

    /// The first `N` numbers, if there are as many.
    pub(super) fn at_least<const N: usize>(&self) -> Option<[f32; N]> {
        let values: &[f32; N] = self.values.get(..N)?.try_into().ok()?;
        (self.count >= N).then_some(*values)
    }

    /// Exactly `N` numbers, or none.
    pub(super) fn exactly<const N: usize>(&self) -> Option<[f32; N]> {
        let values: &[f32; N] = self.values.get(..N)?.try_into().ok()?;
        (self.count == N).then_some(*values)
    }
}

/// A string operand's bytes: a hexadecimal string's digits paired, a literal string's
/// escapes and ends of line decoded (into `scratch` when it has any).
pub(super) fn string<'s>(operand: &Operand<'s>, scratch: &'s mut Vec<u8>) -> Option<&'s [u8]> {
    match *operand {
        Operand::Literal(raw) if !raw.contains(&b'\\') && !raw.contains(&b'\r') => Some(raw),
        Operand::Literal(raw) => {
            scratch.clear();
            lex::literal(raw, scratch);
            Some(scratch)
        }
        Operand::Hex(raw) => {
            scratch.clear();
            lex::hex(raw, scratch);
            Some(scratch)
        }
        _ => None,
    }
}

#[cfg(test)]
#[path = "ops_tests.rs"]
mod tests;
