//! The built-in encoding of a CFF font program (a `/FontFile3` of subtype `Type1C`): which
//! glyph, by name, each of the 256 one-byte codes draws when the PDF gives no encoding of its
//! own. pdfTeX and Ghostscript embed TeX's maths fonts this way, with neither a ToUnicode map
//! nor an `/Encoding`, so their text is only in the font program.
//!
//! A CFF program (Adobe Technical Note #5176) is a header, then INDEXes (counted arrays of byte
//! strings): font names, Top DICTs, strings. The Top DICT gives the offsets of the charset
//! (glyph index to name, as a string ID: below 391 one of the standard strings, above an entry
//! of the String INDEX) and of the encoding (code to glyph index, with supplements naming
//! extra codes directly); offsets 0 to 2 name predefined tables, kept in `cffdata.txt`.
//!
//! The program is untrusted bytes: every read is checked against its length, so a truncated or
//! hostile one yields no encoding, never a panic, and every loop is bounded by the counts the
//! format allows (256 codes, 65,535 glyphs).

use std::sync::OnceLock;

/// A font program's built-in encoding: the glyph name each code draws, if any.
pub(super) type Names = Vec<Option<String>>;

/// The predefined tables of `cffdata.txt`, by section.
struct Predefined {
    strings: Vec<&'static str>,
    expert_charset: Vec<&'static str>,
    expert_subset_charset: Vec<&'static str>,
    standard_encoding: Vec<&'static str>,
    expert_encoding: Vec<&'static str>,
}

fn predefined() -> &'static Predefined {
    static DATA: OnceLock<Predefined> = OnceLock::new();
    DATA.get_or_init(|| {
        let text = include_str!("cffdata.txt");
        let section = |name: &str| -> Vec<&'static str> {
            let head = format!("[{name}]\n");
            let start = text.find(&head).map_or(text.len(), |i| i + head.len());
            let rest = &text[start..];
            let end = rest.find('[').unwrap_or(rest.len());
            rest[..end].split_whitespace().collect()
        };
        Predefined {
            strings: section("standard-strings"),
            expert_charset: section("expert-charset"),
            expert_subset_charset: section("expert-subset-charset"),
            standard_encoding: section("standard-encoding"),
            expert_encoding: section("expert-encoding"),
        }
    })
}

/// The Standard encoding (of Type 1 and CFF fonts alike) as glyph names.
pub(super) fn standard_encoding() -> Names {
    named_codes(&predefined().standard_encoding)
}

fn named_codes(table: &[&str]) -> Names {
    let mut names: Names = table
        .iter()
        .take(256)
        .map(|n| (*n != ".").then(|| (*n).to_string()))
        .collect();
    names.resize(256, None);
    names
}

/// The built-in encoding of the CFF program `data`, or `None` where it has none that can be
/// read (a CID-keyed font, whose glyphs have no names; a damaged program).
pub(super) fn encoding(data: &[u8]) -> Option<Names> {
    let header_size = *data.get(2)? as usize;
    let names = Index::read(data, header_size)?;
    let top_dicts = Index::read(data, names.end)?;
    let strings = Index::read(data, top_dicts.end)?;
    let top = TopDict::parse(top_dicts.item(data, 0)?)?;
    if top.cid_keyed {
        return None;
    }
    let glyphs = Index::read(data, top.charstrings?)?.count;
    let charset = charset(data, top.charset, glyphs)?;
    let name = |sid: u16| -> Option<String> {
        let sid = sid as usize;
        let table = &predefined().strings;
        match table.get(sid) {
            Some(s) => Some((*s).to_string()),
            None => {
                let bytes = strings.item(data, sid - table.len())?;
                Some(String::from_utf8_lossy(bytes).into_owned())
            }
        }
    };
    let by_glyph = |gid: usize| charset.get(gid).and_then(|&sid| name(sid));
    match top.encoding {
        0 => Some(standard_encoding()),
        1 => Some(named_codes(&predefined().expert_encoding)),
        at => custom_encoding(data, at, by_glyph, name),
    }
}

/// A custom encoding (format 0: a code for each glyph from 1; format 1: ranges of codes for
/// consecutive glyphs), then, if the format's high bit is set, supplements naming codes' glyphs
/// by string ID.
fn custom_encoding(
    data: &[u8],
    at: usize,
    by_glyph: impl Fn(usize) -> Option<String>,
    by_sid: impl Fn(u16) -> Option<String>,
) -> Option<Names> {
    let mut names: Names = vec![None; 256];
    let format = *data.get(at)?;
    let count = *data.get(at + 1)? as usize;
    let mut pos = at + 2;
    match format & 0x7f {
        0 => {
            for gid in 1..=count {
                names[*data.get(pos)? as usize] = by_glyph(gid);
                pos += 1;
            }
        }
        1 => {
            let mut gid = 1;
            for _ in 0..count {
                let (first, left) = (*data.get(pos)? as usize, *data.get(pos + 1)? as usize);
                pos += 2;
                for slot in names.iter_mut().skip(first).take(left + 1) {
                    *slot = by_glyph(gid);
                    gid += 1;
                }
            }
        }
        _ => return None,
    }
    if format & 0x80 != 0 {
        let supplements = *data.get(pos)? as usize;
        for i in 0..supplements {
            let at = pos + 1 + 3 * i;
            let code = *data.get(at)? as usize;
            names[code] = by_sid(u16_at(data, at + 1)?);
        }
    }
    Some(names)
}

/// Each glyph's string ID, by glyph index (glyph 0 is `.notdef`, SID 0).
fn charset(data: &[u8], at: usize, glyphs: usize) -> Option<Vec<u16>> {
    let names = |table: &[&str]| -> Vec<u16> {
        let strings = &predefined().strings;
        let sid = |n: &&str| strings.iter().position(|s| s == n).unwrap_or(0) as u16;
        table.iter().map(sid).collect()
    };
    match at {
        0 => return Some((0..glyphs.min(229) as u16).collect()),
        1 => return Some(names(&predefined().expert_charset)),
        2 => return Some(names(&predefined().expert_subset_charset)),
        _ => {}
    }
    let format = *data.get(at)?;
    let mut sids = vec![0u16];
    let mut pos = at + 1;
    while sids.len() < glyphs {
        match format {
            0 => {
                sids.push(u16_at(data, pos)?);
                pos += 2;
            }
            1 | 2 => {
                let first = u16_at(data, pos)?;
                let left = if format == 1 {
                    *data.get(pos + 2)? as u16
                } else {
                    u16_at(data, pos + 2)?
                };
                pos += if format == 1 { 3 } else { 4 };
                for k in 0..=left {
                    if sids.len() >= glyphs {
                        break;
                    }
                    sids.push(first.saturating_add(k));
                }
            }
            _ => return None,
        }
    }
    Some(sids)
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*data.get(at)?, *data.get(at + 1)?]))
}

/// A CFF INDEX: `count` byte strings, their offsets (1-based, `size` bytes each) after it.
struct Index {
    count: usize,
    size: usize,
    offsets: usize,
    end: usize,
}

impl Index {
    fn read(data: &[u8], at: usize) -> Option<Index> {
        let count = u16_at(data, at)? as usize;
        if count == 0 {
            return Some(Index {
                count,
                size: 1,
                offsets: at + 2,
                end: at + 2,
            });
        }
        let size = *data.get(at + 2)? as usize;
        if !(1..=4).contains(&size) {
            return None;
        }
        let mut index = Index {
            count,
            size,
            offsets: at + 3,
            end: 0,
        };
        index.end = index.data_start().checked_add(index.offset(data, count)?)?;
        (index.end <= data.len()).then_some(index)
    }

    /// Where the strings start, less one (offsets count from 1).
    fn data_start(&self) -> usize {
        self.offsets + (self.count + 1) * self.size - 1
    }

    fn offset(&self, data: &[u8], i: usize) -> Option<usize> {
        let at = self.offsets + i * self.size;
        let bytes = data.get(at..at + self.size)?;
        Some(bytes.iter().fold(0usize, |n, &b| n << 8 | b as usize))
    }

    fn item<'d>(&self, data: &'d [u8], i: usize) -> Option<&'d [u8]> {
        if i >= self.count {
            return None;
        }
        let (start, end) = (self.offset(data, i)?, self.offset(data, i + 1)?);
        let base = self.data_start();
        data.get(base.checked_add(start)?..base.checked_add(end)?)
    }
}

/// What the Top DICT says of encodings: offsets of the charset, encoding and CharStrings.
struct TopDict {
    charset: usize,
    encoding: usize,
    charstrings: Option<usize>,
    cid_keyed: bool,
}

impl TopDict {
    /// A DICT is operands (numbers, in one of five encodings) each run ended by an operator.
    fn parse(dict: &[u8]) -> Option<TopDict> {
        let mut top = TopDict {
            charset: 0,
            encoding: 0,
            charstrings: None,
            cid_keyed: false,
        };
        let mut operand: Option<i64> = None;
        let mut i = 0;
        while let Some(&b) = dict.get(i) {
            let (value, len) = match b {
                32..=246 => (b as i64 - 139, 1),
                247..=250 => ((b as i64 - 247) * 256 + *dict.get(i + 1)? as i64 + 108, 2),
                251..=254 => (-(b as i64 - 251) * 256 - *dict.get(i + 1)? as i64 - 108, 2),
                28 => (
                    i16::from_be_bytes([*dict.get(i + 1)?, *dict.get(i + 2)?]) as i64,
                    3,
                ),
                29 => (
                    i32::from_be_bytes(dict.get(i + 1..i + 5)?.try_into().ok()?) as i64,
                    5,
                ),
                30 => (0, real_len(&dict[i + 1..])? + 1),
                12 => {
                    top.cid_keyed |= *dict.get(i + 1)? == 30;
                    operand = None;
                    i += 2;
                    continue;
                }
                0..=21 => {
                    let at = operand.and_then(|v| usize::try_from(v).ok());
                    match (b, at) {
                        (15, Some(at)) => top.charset = at,
                        (16, Some(at)) => top.encoding = at,
                        (17, at) => top.charstrings = at,
                        _ => {}
                    }
                    operand = None;
                    i += 1;
                    continue;
                }
                _ => return None,
            };
            operand = Some(value);
            i += len;
        }
        Some(top)
    }
}

/// The bytes of a real number's nibbles, up to and including the one holding the end nibble.
fn real_len(bytes: &[u8]) -> Option<usize> {
    let end = bytes.iter().position(|b| b >> 4 == 0xf || b & 0xf == 0xf)?;
    Some(end + 1)
}

#[cfg(test)]
mod tests {
    use super::encoding;

    /// A CFF program of three glyphs (`.notdef`, `A`, and `epsilon1` from its String INDEX),
    /// with a custom charset and encoding (codes 65 and 15) and a supplement (66 is `B`).
    fn program() -> Vec<u8> {
        let mut top = Vec::new();
        let at = |n: usize| {
            let mut v = vec![29];
            v.extend_from_slice(&(n as i32).to_be_bytes());
            v
        };
        // header, Name INDEX ("F"), Top DICT INDEX (18 bytes of dict), String INDEX, no subrs.
        let header = [1u8, 0, 4, 1, 0, 1, 1, 1, 2, b'F', 0, 1, 1, 1, 19];
        let strings = [
            0u8, 1, 1, 1, 9, b'e', b'p', b's', b'i', b'l', b'o', b'n', b'1',
        ];
        let base = header.len() + 18 + strings.len() + 2;
        let (charstrings, charset, enc) = (base, base + 10, base + 15);
        for (offset, op) in [(charset, 15u8), (enc, 16), (charstrings, 17)] {
            top.extend(at(offset));
            top.push(op);
        }
        let mut data = header.to_vec();
        data.extend(top);
        data.extend(strings);
        data.extend([0, 0]);
        data.extend([0, 3, 1, 1, 2, 3, 4, 14, 14, 14]);
        assert_eq!(data.len(), charset);
        data.extend([0, 0, 34, 1, 135]);
        data.extend([0x80, 2, 65, 15, 1, 66, 0, 35]);
        data
    }

    #[test]
    fn custom_charset_encoding_and_supplements_name_the_codes() {
        let names = encoding(&program()).expect("the program parses");
        assert_eq!(names[65].as_deref(), Some("A"));
        assert_eq!(names[15].as_deref(), Some("epsilon1"));
        assert_eq!(names[66].as_deref(), Some("B"));
        assert_eq!(names[67], None);
    }

    /// Every truncation of the program, and thousands of corruptions of it, read without a
    /// panic (an encoding or none).
    #[test]
    fn truncated_and_corrupted_programs_never_panic() {
        let good = program();
        for n in 0..good.len() {
            let _ = encoding(&good[..n]);
        }
        let mut seed: u32 = 0x2545_f491;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        for _ in 0..5000 {
            let mut bad = good.clone();
            for _ in 0..1 + next() % 4 {
                let i = next() as usize % bad.len();
                bad[i] = next() as u8;
            }
            let _ = encoding(&bad);
        }
        for garbage in [vec![], vec![0xff; 64], vec![0; 64], (0..=255).collect()] {
            let _ = encoding(&garbage);
        }
    }
}
