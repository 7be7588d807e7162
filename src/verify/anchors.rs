//! The ids of one page as a set kept for the whole build: every id in one string, so a page costs
//! two allocations however many ids it has; past a few, sorted for a binary search (a page links
//! each of its headings, so a scan per anchor would make a long page quadratic).

/// Up to this many ids are kept in page order and compared one by one (lengths first), which
/// beats sorting and a binary search.
const FEW: usize = 16;

/// A page's ids.
#[derive(Debug, Default)]
pub struct Anchors {
    text: String,
    /// Byte ranges of `text`: sorted by the id they hold, without repeats, past [`FEW`].
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
        if spans.len() > FEW {
            spans.sort_unstable_by(|a, b| text[a.0..a.1].cmp(&text[b.0..b.1]));
            spans.dedup_by(|a, b| text[a.0..a.1] == text[b.0..b.1]);
        }
        Anchors { text, spans }
    }

    pub fn contains(&self, id: &str) -> bool {
        if self.spans.len() <= FEW {
            return self
                .spans
                .iter()
                .any(|&(start, end)| end - start == id.len() && &self.text[start..end] == id);
        }
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
        assert!(!Anchors::default().contains(""));
        // Past the few ids that are compared one by one.
        let many: Vec<String> = (0..100).map(|n| format!("h{n}")).collect();
        let anchors = Anchors::new(many.iter().map(String::as_str).rev());
        assert!(many.iter().all(|id| anchors.contains(id)));
        assert!(!anchors.contains("h100") && !anchors.contains("h"));
    }
}
