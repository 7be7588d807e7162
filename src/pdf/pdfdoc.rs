//! Just enough of the PDF format for what Chromium (Skia) writes: a classic cross-reference
//! table, plain object dictionaries. We read the page of each named destination (for the
//! contents' page numbers) and the page count, and make the file deterministic: Chromium stamps
//! the time of printing and numbers structure elements by DOM node, so those are replaced
//! (with `SOURCE_DATE_EPOCH`, or left out) and renumbered in order, and the table rewritten.

use anyhow::{Context as _, Result, anyhow, bail};
use std::collections::HashMap;

/// A parsed PDF: its objects by number, each the bytes from `N 0 obj` up to the next object.
pub struct Pdf<'a> {
    bytes: &'a [u8],
    /// (object number, start offset), in file order.
    objects: Vec<(usize, usize)>,
    xref_at: usize,
    root: usize,
    info: Option<usize>,
}

impl<'a> Pdf<'a> {
    pub fn parse(bytes: &'a [u8]) -> Result<Pdf<'a>> {
        let tail = &bytes[bytes.len().saturating_sub(64)..];
        let at = find(tail, b"startxref")
            .ok_or_else(|| anyhow!("no startxref: not a PDF from Chromium"))?;
        let xref_at: usize = number(&tail[at + 9..]).context("bad startxref")?;
        let table = bytes.get(xref_at..).unwrap_or_default();
        if !table.starts_with(b"xref") {
            bail!("no classic cross-reference table at offset {xref_at}");
        }
        let mut lines = table.split(|&b| b == b'\n').skip(1);
        let header = lines.next().unwrap_or_default();
        let mut header = header.split(|&b| b == b' ');
        let first: usize = number(header.next().unwrap_or_default())?;
        let count: usize = number(header.next().unwrap_or_default())?;
        let mut objects = Vec::new();
        for (i, line) in lines.take(count).enumerate() {
            if line.get(17) == Some(&b'n') {
                objects.push((first + i, number(&line[..10])?));
            }
        }
        objects.sort_by_key(|&(_, at)| at);
        let trailer = &table[find(table, b"trailer").unwrap_or(0)..];
        let root = reference(trailer, b"/Root").ok_or_else(|| anyhow!("no /Root"))?;
        let info = reference(trailer, b"/Info");
        Ok(Pdf {
            bytes,
            objects,
            xref_at,
            root,
            info,
        })
    }

    /// The bytes of object `n`.
    fn object(&self, n: usize) -> &'a [u8] {
        let Some(i) = self.objects.iter().position(|&(m, _)| m == n) else {
            return &[];
        };
        let end = self.objects.get(i + 1).map_or(self.xref_at, |&(_, at)| at);
        &self.bytes[self.objects[i].1..end]
    }

    /// Object numbers of the pages, in order.
    pub fn pages(&self) -> Vec<usize> {
        let mut pages = Vec::new();
        if let Some(tree) = reference(self.object(self.root), b"/Pages") {
            self.collect_pages(tree, &mut pages, 0);
        }
        pages
    }

    fn collect_pages(&self, n: usize, pages: &mut Vec<usize>, depth: usize) {
        let object = self.object(n);
        let Some(kids) = find(object, b"/Kids").filter(|_| depth < 32) else {
            pages.push(n);
            return;
        };
        let list = &object[kids..];
        let list = &list[..find(list, b"]").unwrap_or(list.len())];
        let numbers: Vec<&[u8]> = list[5..]
            .split(|b| !b.is_ascii_digit() && *b != b'R')
            .filter(|t| !t.is_empty())
            .collect();
        for pair in numbers.windows(3) {
            if pair[2] == b"R"
                && let Ok(kid) = number(pair[0])
            {
                self.collect_pages(kid, pages, depth + 1);
            }
        }
    }

    /// The 1-based page of every named destination (`#id` targets of internal links).
    pub fn destinations(&self) -> HashMap<String, usize> {
        let pages: HashMap<usize, usize> = self
            .pages()
            .into_iter()
            .enumerate()
            .map(|(i, n)| (n, i + 1))
            .collect();
        let mut found = HashMap::new();
        let Some(dests) = reference(self.object(self.root), b"/Dests") else {
            return found;
        };
        let object = self.object(dests);
        let Some(start) = find(object, b"<<") else {
            return found;
        };
        let mut rest = &object[start + 2..];
        while let Some(slash) = rest.iter().position(|&b| b == b'/') {
            rest = &rest[slash + 1..];
            let end = rest
                .iter()
                .position(|&b| b.is_ascii_whitespace() || b == b'[' || b == b'/')
                .unwrap_or(rest.len());
            let name = decode_name(&rest[..end]);
            rest = &rest[end..];
            let Some(open) = rest.iter().position(|&b| b == b'[') else {
                break;
            };
            let page = number(rest[open + 1..].trim_ascii_start()).ok();
            if let Some(page) = page.and_then(|p| pages.get(&p)) {
                found.insert(name, *page);
            }
            rest = &rest[rest.iter().position(|&b| b == b']').unwrap_or(rest.len())..];
        }
        found
    }

    /// The file with the dates replaced by `date` (a PDF date, `D:20201001000000Z`) or left
    /// out, and structure ids renumbered in order; the cross-reference table rewritten.
    pub fn normalized(&self, date: Option<&str>) -> Vec<u8> {
        let first = self.objects.first().map_or(self.xref_at, |&(_, at)| at);
        let mut out = self.bytes[..first].to_vec();
        let mut offsets: Vec<(usize, usize)> = Vec::with_capacity(self.objects.len());
        let mut ids: HashMap<Vec<u8>, usize> = HashMap::new();
        for &(n, _) in &self.objects {
            offsets.push((n, out.len()));
            let object = self.object(n);
            if Some(n) == self.info {
                out.extend(dated(object, date));
            } else if find(object, b"stream").is_none() && find(object, b"(node").is_some() {
                out.extend(renumbered(object, &mut ids));
            } else {
                out.extend_from_slice(object);
            }
        }
        let xref_at = out.len();
        let size = self.objects.iter().map(|&(n, _)| n + 1).max().unwrap_or(1);
        offsets.sort_unstable();
        let mut table = format!("xref\n0 {size}\n0000000000 65535 f \n");
        let mut next = offsets.iter().peekable();
        for n in 1..size {
            match next.next_if(|&&(m, _)| m == n) {
                Some(&(_, at)) => table.push_str(&format!("{at:010} 00000 n \n")),
                None => table.push_str("0000000000 65535 f \n"),
            }
        }
        out.extend_from_slice(table.as_bytes());
        let old = &self.bytes[self.xref_at..];
        let trailer = &old[find(old, b"trailer").unwrap_or(0)..];
        let trailer = &trailer[..find(trailer, b"startxref").unwrap_or(trailer.len())];
        out.extend_from_slice(trailer);
        out.extend_from_slice(format!("startxref\n{xref_at}\n%%EOF\n").as_bytes());
        out
    }
}

/// The Info dictionary without Chromium's `/CreationDate` and `/ModDate`, and with `date` as
/// both when given.
fn dated(object: &[u8], date: Option<&str>) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(object.len());
    for line in object.split_inclusive(|&b| b == b'\n') {
        let key = line.trim_ascii_start();
        if key.starts_with(b"/CreationDate") || key.starts_with(b"/ModDate") {
            if line.ends_with(b">>\n") {
                if out.last() == Some(&b'\n') {
                    out.pop();
                }
                out.extend_from_slice(b">>\n");
            }
            continue;
        }
        out.extend_from_slice(line);
    }
    if let Some(date) = date
        && let Some(end) = out
            .iter()
            .rposition(|&b| b == b'>')
            .and_then(|i| i.checked_sub(1))
    {
        let stamp = format!("\n/CreationDate ({date})\n/ModDate ({date})");
        out.splice(end..end, stamp.bytes());
    }
    out
}

/// `(nodeNNNN)` strings replaced by `(nodeK)`, K counting from 1 in order of appearance.
fn renumbered(object: &[u8], ids: &mut HashMap<Vec<u8>, usize>) -> Vec<u8> {
    let mut out = Vec::with_capacity(object.len());
    let mut rest = object;
    while let Some(at) = find(rest, b"(node") {
        let digits = rest[at + 5..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let end = at + 5 + digits;
        out.extend_from_slice(&rest[..at]);
        if digits > 0 && rest.get(end) == Some(&b')') {
            let next = ids.len() + 1;
            let k = *ids.entry(rest[at..end].to_vec()).or_insert(next);
            out.extend_from_slice(format!("(node{k}").as_bytes());
        } else {
            out.extend_from_slice(&rest[at..end]);
        }
        rest = &rest[end..];
    }
    out.extend_from_slice(rest);
    out
}

/// `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) as a PDF date.
pub fn pdf_date(epoch: i64) -> String {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let (year, month, day) = crate::dates::civil_from_days(days);
    format!(
        "D:{year:04}{month:02}{day:02}{:02}{:02}{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn number(bytes: &[u8]) -> Result<usize> {
    let bytes = bytes.trim_ascii_start();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    std::str::from_utf8(&bytes[..digits])?
        .parse()
        .context("expected a number")
}

/// The object number `key N 0 R` refers to.
fn reference(dict: &[u8], key: &[u8]) -> Option<usize> {
    let at = find(dict, key)? + key.len();
    number(&dict[at..]).ok()
}

/// A PDF name's bytes with `#xx` escapes decoded.
fn decode_name(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = raw
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (raw[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'#', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_seconds_become_pdf_dates() {
        assert_eq!(pdf_date(0), "D:19700101000000Z");
        assert_eq!(pdf_date(1_601_510_400), "D:20201001000000Z");
        assert_eq!(pdf_date(951_782_400 + 3_723), "D:20000229010203Z");
    }

    #[test]
    fn names_decode_their_escapes() {
        assert_eq!(decode_name(b"a#2Db"), "a-b");
        assert_eq!(decode_name(b"p2"), "p2");
    }

    #[test]
    fn structure_ids_are_numbered_in_order_of_appearance() {
        let mut ids = HashMap::new();
        let a = renumbered(b"/ID (node977) /X (node12) /Y (node977)", &mut ids);
        assert_eq!(a, b"/ID (node1) /X (node2) /Y (node1)");
        let b = renumbered(b"(node12)(nodeX)", &mut ids);
        assert_eq!(b, b"(node2)(nodeX)");
    }

    #[test]
    fn dates_are_dropped_or_replaced() {
        let info = b"1 0 obj\n<</Title (T)\n/CreationDate (D:2026)\n/ModDate (D:2026)>>\nendobj\n";
        assert_eq!(
            dated(info, None),
            b"1 0 obj\n<</Title (T)>>\nendobj\n".to_vec()
        );
        let with = String::from_utf8(dated(info, Some("D:19700101000000Z"))).unwrap();
        assert_eq!(
            with,
            "1 0 obj\n<</Title (T)\n/CreationDate (D:19700101000000Z)\n/ModDate (D:19700101000000Z)>>\nendobj\n"
        );
    }
}
