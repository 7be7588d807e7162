//! The document's pages, in order, from its page tree. lopdf's own walk sizes its result from
//! the tree's `/Count`, which the file states and may lie about (a `/Count` of two billion
//! reserved 24 GiB), and takes a loop for more pages; this one trusts nothing the file says
//! about sizes, and refuses a tree that loops, nests too deep or lists too many pages.

use lopdf::{Dictionary, Document, Object, ObjectId};
use rustc_hash::FxHashSet;

use super::budget::{Exceeded, MAX_PAGES, MAX_TREE_DEPTH};

/// The page objects in reading order. As in lopdf, a kid that is not a dictionary with a type
/// stands for a blank page (readers show one), and a node of another type is skipped.
pub(super) fn pages(doc: &Document) -> Result<Vec<ObjectId>, Exceeded> {
    let mut out = Vec::new();
    let Some(root) = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .ok()
    else {
        return Ok(out);
    };
    let mut seen = FxHashSet::default();
    seen.insert(root);
    // Each level still to finish: the kids not yet visited.
    let mut stack: Vec<&[Object]> = vec![kids(doc, root)];
    while let Some(level) = stack.last_mut() {
        let Some((kid, rest)) = level.split_first() else {
            stack.pop();
            continue;
        };
        *level = rest;
        let Ok(id) = kid.as_reference() else {
            continue;
        };
        match doc.get_dictionary(id).and_then(Dictionary::get_type) {
            Ok(b"Pages") => {
                if !seen.insert(id) {
                    return Err(Exceeded::TreeLoop);
                }
                if stack.len() >= MAX_TREE_DEPTH {
                    return Err(Exceeded::TreeDepth);
                }
                stack.push(kids(doc, id));
            }
            Ok(b"Page") | Err(_) => {
                if out.len() >= MAX_PAGES {
                    return Err(Exceeded::Pages);
                }
                out.push(id);
            }
            Ok(_) => {}
        }
    }
    Ok(out)
}

fn kids(doc: &Document, node: ObjectId) -> &[Object] {
    doc.get_dictionary(node)
        .and_then(|n| n.get_deref(b"Kids", doc))
        .and_then(Object::as_array)
        .map_or(&[], Vec::as_slice)
}
