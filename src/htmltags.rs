//! The attributes of an HTML start tag, read by the rules of HTML's tokenizer: names up to white
//! space, `/`, `>` or `=` (a name may start with `=`), values quoted with `"` or `'` or
//! unquoted up to white space or `>`, and bare names without a value. One reader for the three
//! places that read tags without a full parser: the link check's tag scan, the ids of raw HTML
//! in Markdown, and the search index. It runs at the speed of memchr: byte classes come from
//! one table, and the byte searches are set up once a page.

use memchr::memchr;

/// One attribute as written: where its name starts, the name (in the case written) and the
/// value, undecoded (`None` for a bare name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attribute<'h> {
    pub at: usize,
    pub name: &'h [u8],
    pub value: Option<&'h [u8]>,
}

/// Byte classes for the tokenizer's loops: a table lookup a byte instead of a chain of tests.
const SPACE: u8 = 1; // as `u8::is_ascii_whitespace`
const SLASH: u8 = 2;
const GT: u8 = 4;
const EQ: u8 = 8;
const CLASS: [u8; 256] = {
    let mut c = [0; 256];
    c[b' ' as usize] = SPACE;
    c[b'\t' as usize] = SPACE;
    c[b'\n' as usize] = SPACE;
    c[0x0c] = SPACE;
    c[b'\r' as usize] = SPACE;
    c[b'/' as usize] = SLASH;
    c[b'>' as usize] = GT;
    c[b'=' as usize] = EQ;
    c
};

#[inline]
fn is(b: u8, classes: u8) -> bool {
    CLASS[b as usize] & classes != 0
}

/// The length of the tag name at the start of `rest`: up to white space, `/` or `>`.
pub fn name_len(rest: &[u8]) -> usize {
    rest.iter()
        .position(|&b| is(b, SPACE | SLASH | GT))
        .unwrap_or(rest.len())
}

/// A search for one byte, set up once a page. Between the tags of a page the next `<` is often
/// a few bytes away, and `memchr::memchr` picks its implementation and builds its vectors on
/// every call, which then costs more than the search (a fifth of the whole scan).
#[derive(Clone, Copy)]
pub struct Byte {
    #[cfg(target_arch = "x86_64")]
    avx2: Option<memchr::arch::x86_64::avx2::memchr::One>,
    byte: u8,
}

impl Byte {
    pub fn new(byte: u8) -> Byte {
        Byte {
            #[cfg(target_arch = "x86_64")]
            avx2: memchr::arch::x86_64::avx2::memchr::One::new(byte),
            byte,
        }
    }

    /// The position of the first `byte` in `haystack`.
    #[inline]
    pub fn find(&self, haystack: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some(one) = &self.avx2 {
            return one.find(haystack);
        }
        memchr(self.byte, haystack)
    }
}

/// The byte searches of one page's tags.
#[derive(Clone, Copy)]
pub struct Finders {
    pub lt: Byte,
    quote: Byte,
}

impl Default for Finders {
    fn default() -> Finders {
        Finders {
            lt: Byte::new(b'<'),
            quote: Byte::new(b'"'),
        }
    }
}

impl Finders {
    /// Read the attributes of the start tag whose name ended at `i`, handing each to `each`;
    /// returns the position after the tag's `>` (or the end of `html`) and whether the tag was
    /// written self-closing (`<x/>`).
    #[inline]
    pub fn attributes<'h>(
        &self,
        html: &'h [u8],
        mut i: usize,
        mut each: impl FnMut(Attribute<'h>),
    ) -> (usize, bool) {
        loop {
            while i < html.len() && is(html[i], SPACE | SLASH) {
                i += 1;
            }
            match html.get(i) {
                None => return (i, false),
                Some(b'>') => return (i + 1, i.checked_sub(1).is_some_and(|p| html[p] == b'/')),
                Some(_) => {}
            }
            let at = i;
            i += 1; // a name may start with `=`, as the HTML tokenizer reads it
            while i < html.len() && !is(html[i], SPACE | EQ | GT | SLASH) {
                i += 1;
            }
            let name = &html[at..i];
            while i < html.len() && is(html[i], SPACE) {
                i += 1;
            }
            let value = if html.get(i) == Some(&b'=') {
                let (value, next) = self.value(html, i + 1);
                i = next;
                Some(value)
            } else {
                None
            };
            each(Attribute { at, name, value });
        }
    }

    /// An attribute's value starting at (or after white space from) `i`, and the position
    /// after it.
    #[inline]
    fn value<'h>(&self, html: &'h [u8], mut i: usize) -> (&'h [u8], usize) {
        while i < html.len() && is(html[i], SPACE) {
            i += 1;
        }
        match html.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = if q == b'"' {
                    self.quote.find(&html[i + 1..])
                } else {
                    memchr(q, &html[i + 1..])
                };
                let end = end.map_or(html.len(), |e| i + 1 + e);
                (&html[i + 1..end], (end + 1).min(html.len()))
            }
            _ => {
                let end = html[i..]
                    .iter()
                    .position(|&b| is(b, SPACE | GT))
                    .map_or(html.len(), |e| i + e);
                (&html[i..end], end)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each attribute's position, name and value; where the tag ends; whether it self-closes.
    type Read = (Vec<(usize, String, Option<String>)>, usize, bool);

    fn read(tag: &str) -> Read {
        let html = tag.as_bytes();
        let start = 1 + name_len(&html[1..]);
        let mut found = Vec::new();
        let (after, closed) = Finders::default().attributes(html, start, |a| {
            let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            found.push((a.at, text(a.name), a.value.map(text)));
        });
        (found, after, closed)
    }

    #[test]
    fn attributes_as_the_html_tokenizer_reads_them() {
        let (found, after, closed) = read("<a href=\"x y\" ID = 'z' hidden data-x=a/b =odd><p>");
        let names: Vec<(&str, Option<&str>)> = found
            .iter()
            .map(|(_, n, v)| (n.as_str(), v.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                ("href", Some("x y")),
                ("ID", Some("z")),
                ("hidden", None),
                ("data-x", Some("a/b")),
                ("=odd", None),
            ]
        );
        assert_eq!(found[0].0, 3);
        assert_eq!(
            after,
            "<a href=\"x y\" ID = 'z' hidden data-x=a/b =odd>".len()
        );
        assert!(!closed);
        let (found, after, closed) = read("<use href=\"#i\"/>");
        assert_eq!(found.len(), 1);
        assert_eq!(after, 16);
        assert!(closed);
        // A tag cut short ends at the end of the text.
        let (found, after, _) = read("<img src=\"a.png");
        assert_eq!(found[0].2.as_deref(), Some("a.png"));
        assert_eq!(after, 15);
    }
}
