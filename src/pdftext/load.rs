//! Parse a PDF file with what lopdf decodes while loading bounded: each object or
//! cross-reference stream by the per-stream limit (lopdf's own option), and the object streams
//! of the whole file by [`MAX_LOADED`]. lopdf has no total of its own, and it gathers the
//! members of every object stream before it keeps any: 80 streams of a few hundred bytes, each
//! inflating to a 30 MiB string, held 2.5 GB. So each object stream is decoded first here, in
//! lopdf's filter hook, against what is left of the total, and its content is replaced by the
//! decoded bytes (lopdf then has nothing left to decode). An encrypted file is loaded without
//! the hook, so there each object stream gets its share of the total instead.

use std::cell::Cell;

use lopdf::xref::XrefRecovery;
use lopdf::{Document, LoadOptions, Object, ObjectId};

use super::budget::{Exceeded, MAX_LOADED, MAX_OBJECTS, MAX_STREAM, over_limit};
use super::tokens::count;

thread_local! {
    /// What is left of [`MAX_LOADED`] bytes and [`MAX_OBJECTS`] tokens for the file being
    /// loaded on this thread, or `None` once an object stream went over either. lopdf's hook
    /// is a plain function, and loading runs on the caller's thread, so the count lives here,
    /// set before each load.
    static LEFT: Cell<Option<(usize, u64)>> = const { Cell::new(None) };
    /// Which limit stopped the load.
    static OVER: Cell<Option<Exceeded>> = const { Cell::new(None) };
}

/// The file parsed, or why not.
pub(super) fn load(bytes: &[u8]) -> Result<Document, String> {
    let doc = load_with(bytes, false)?;
    // With a hook, lopdf no longer rebuilds a damaged file whose page tree it cannot reach
    // (the hook might have dropped it on purpose); this one never does, so rebuild as lopdf
    // would have.
    let password_needed = doc.trailer.has(b"Encrypt") && doc.encryption_state.is_none();
    if !page_tree_loaded(&doc)
        && doc.xref_recovery != Some(XrefRecovery::Reconstructed)
        && !password_needed
        && let Ok(rebuilt) = load_with(bytes, true)
        && rebuilt.xref_recovery == Some(XrefRecovery::Reconstructed)
        && page_tree_loaded(&rebuilt)
    {
        return Ok(rebuilt);
    }
    Ok(doc)
}

fn load_with(bytes: &[u8], reconstruct: bool) -> Result<Document, String> {
    let limit = stream_limit(bytes);
    let options = LoadOptions {
        max_decompressed_size: Some(limit),
        filter: Some(charge),
        force_reconstruct: reconstruct,
        ..LoadOptions::default()
    };
    LEFT.set(Some((MAX_LOADED, MAX_OBJECTS)));
    OVER.set(None);
    let loaded = Document::load_mem_with_options(bytes, options);
    LEFT.set(None);
    match loaded {
        _ if let Some(over) = OVER.take() => Err(over.to_string()),
        Err(e) if over_limit(&e) && limit < MAX_STREAM => Err(Exceeded::Loaded.to_string()),
        Err(e) if over_limit(&e) => Err(Exceeded::Stream.to_string()),
        Err(e) => Err(e.to_string()),
        Ok(doc) => Ok(doc),
    }
    .map_err(|e| format!("cannot read this file as a PDF: {e}"))
}

/// The most one stream may decode to while the file loads. lopdf reads an encrypted file
/// without the hook (it decrypts, then decodes each object stream itself), so there the total
/// is kept by sharing [`MAX_LOADED`] among the object streams the file can hold: their
/// dictionaries are not encrypted, so each `/ObjStm` in the bytes is at most one of them.
fn stream_limit(bytes: &[u8]) -> usize {
    if memchr::memmem::find(bytes, b"/Encrypt").is_none() {
        return MAX_STREAM;
    }
    let streams = memchr::memmem::find_iter(bytes, b"/ObjStm").count().max(1);
    MAX_STREAM.min(MAX_LOADED / streams)
}

/// lopdf's hook, called with each object it reads from the file and then with each member of
/// an object stream. It keeps a top-level object itself and uses only what the hook returns
/// for a member (never a stream), so a stream needs no copy.
fn charge(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    let Object::Stream(stream) = object else {
        return Some((id, object.clone()));
    };
    if stream.dict.has_type(b"ObjStm") {
        let (bytes, objects) = LEFT.get()?;
        let limit = MAX_STREAM.min(bytes);
        match stream.decompressed_content_with_limit(limit) {
            Ok(decoded) => {
                let tokens = count(&decoded).all;
                if tokens > objects {
                    return stop(Exceeded::Objects);
                }
                LEFT.set(Some((bytes - decoded.len(), objects - tokens)));
                if stream.is_compressed() {
                    stream.set_plain_content(decoded);
                }
            }
            Err(e) if over_limit(&e) && limit < MAX_STREAM => return stop(Exceeded::Loaded),
            // Over the limit for one stream (lopdf says so), or broken: left for lopdf to
            // report as it would have.
            Err(_) => {}
        }
    }
    Some((id, Object::Null))
}

/// Stop charging, and drop the object stream: the load fails with `over` once lopdf is done.
fn stop(over: Exceeded) -> Option<(ObjectId, Object)> {
    LEFT.set(None);
    OVER.set(Some(over));
    None
}

/// Whether the catalog leads to a page tree with `/Kids` (lopdf's test for a rebuild).
fn page_tree_loaded(doc: &Document) -> bool {
    doc.catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .and_then(|root| doc.get_dictionary(root))
        .and_then(|root| root.get_deref(b"Kids", doc))
        .and_then(Object::as_array)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_encrypted_file_shares_the_load_total_among_its_object_streams() {
        assert_eq!(stream_limit(b"%PDF-1.7 /Type /ObjStm /ObjStm"), MAX_STREAM);
        let one = b"%PDF-1.7 /Encrypt 9 0 R /Type /ObjStm".as_slice();
        assert_eq!(stream_limit(one), MAX_STREAM);
        let mut many = b"%PDF-1.7 /Encrypt 9 0 R".to_vec();
        for _ in 0..80 {
            many.extend_from_slice(b" 1 0 obj << /Type /ObjStm /N 1 /First 4 >>");
        }
        // 80 streams of the most each may decode to still fit the total.
        assert!(stream_limit(&many) * 80 <= MAX_LOADED);
        assert_eq!(stream_limit(&many), MAX_LOADED / 80);
    }
}
