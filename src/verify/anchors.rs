//! The ids of one page as a set kept for the whole build: every id in one string, sorted and
//! without repeats, so a page costs two allocations however many ids it has, and a lookup is a
//! binary search (a page links each of its headings, so a scan per anchor would be quadratic).

/// A page's ids.
#[derive(Debug, Default)]
pub struct Anchors {
    text: String,
    /// Byte ranges of `text`, sorted by the id they hold.
    spans: Vec<(usize, usize)>,
}

impl Anchors {
    /// The set of `ids` (repeats allowed).
    pub fn new<'a>(ids: impl Iterator<Item = &'a str> + Clone) -> Anchors {
        let mut text = String::with_capacity(ids.clone().map(str::len).sum());
        let mut spans: Vec<(usize, usize)> = ids
            .map(|id| {
                let start = text.len();
                text.push_str(id);
                (start, text.len())
            })
            .collect();
        spans.sort_unstable_by(|a, b| text[a.0..a.1].cmp(&text[b.0..b.1]));
        spans.dedup_by(|a, b| text[a.0..a.1] == text[b.0..b.1]);
        Anchors { text, spans }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.spans
            .binary_search_by(|&(start, end)| self.text[start..end].cmp(id))
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_each_id_once_and_finds_it() {
        let ids = ["top", "b", "top", "", "a-1", "é"];
        let anchors = Anchors::new(ids.iter().copied());
        for id in ids {
            assert!(anchors.contains(id), "{id}");
        }
        for id in ["to", "topp", "B", "a", "e"] {
            assert!(!anchors.contains(id), "{id}");
        }
        assert_eq!(anchors.spans.len(), 5);
        assert!(!Anchors::default().contains(""));
    }
}
