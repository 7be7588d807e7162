//! Ids on one page. The Markdown stage gives headings and footnotes their ids through [`Ids`],
//! which keeps every id unique in time linear in the number of ids; [`plan`] works out the ids
//! of a whole page at once when the order of the page defeated the one-pass allocation; and
//! [`duplicates`] finds the ids that occur more than once in a finished page (templates add ids
//! that the Markdown stage never sees).
//!
//! The rules, in order of precedence:
//! 1. Explicit ids (`{#id}` on a heading, `id="..."` in raw HTML) are the author's, and are kept
//!    as written. Two explicit ids that are the same are a problem to report.
//! 2. Automatic heading ids (the heading's slug) avoid every explicit id of the page, wherever it
//!    is, and every earlier automatic id: the first free of `base`, `base-1`, `base-2`, ...
//! 3. Footnotes keep their label as their id unless a heading or explicit id has it; then they
//!    take the next free suffix the same way. References follow their footnote.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// The ids given out so far on one page.
#[derive(Debug, Default)]
pub struct Ids {
    taken: HashSet<String>,
    /// The explicit ids among `taken`.
    explicit: HashSet<String>,
    /// For a base that needed a suffix, the next suffix to try: every smaller one is taken, and
    /// ids are never given back, so no candidate is tried twice.
    next: HashMap<String, usize>,
    /// Suffixed candidates tried, over the allocator's life (a guard on the linear bound).
    tried: usize,
}

/// What claiming an explicit id found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The id was free, and is now taken.
    Free,
    /// Another explicit id on the page is the same.
    Duplicate,
    /// An automatic id given out earlier is the same: the page's ids must be planned again.
    TakenByAutomatic,
}

impl Ids {
    /// An allocator in which `reserved` are already taken, as explicit ids.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Ids {
        let mut ids = Ids::default();
        for id in reserved {
            ids.explicit(id);
        }
        ids
    }

    /// Claim an id the author wrote; it is taken whatever the answer.
    pub fn explicit(&mut self, id: &str) -> Claim {
        if self.explicit.contains(id) {
            return Claim::Duplicate;
        }
        self.explicit.insert(id.to_string());
        if self.taken.insert(id.to_string()) {
            Claim::Free
        } else {
            Claim::TakenByAutomatic
        }
    }

    /// How many suffixed candidates (`base-N`) have been tried so far. Each is tried once at
    /// most, so this never exceeds the number of ids given out plus those taken before.
    pub fn tried(&self) -> usize {
        self.tried
    }

    /// Whether `id` is taken.
    pub fn contains(&self, id: &str) -> bool {
        self.taken.contains(id)
    }

    /// An id made from `base`: `base` itself if it is free, else the first free `base-N`.
    pub fn automatic(&mut self, base: String) -> String {
        self.automatic_from(base).0
    }

    /// [`Ids::automatic`], also giving `base` back when the id is not `base` itself.
    pub fn automatic_from(&mut self, base: String) -> (String, Option<String>) {
        let Ids {
            taken, next, tried, ..
        } = self;
        // A base that needed a suffix before is taken: go straight to its next suffix. (An
        // empty map answers without hashing, so pages without repeats pay nothing here.)
        let n = match next.get_mut(&base) {
            Some(n) => n,
            None => {
                if taken.insert(base.clone()) {
                    return (base, None);
                }
                next.entry(base.clone()).or_insert(1)
            }
        };
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            *tried += 1;
            if taken.insert(id.clone()) {
                return (id, Some(base));
            }
        }
    }
}

/// One heading as the first pass met it: its id as written, or the base its id was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeadingId<'a> {
    Explicit(&'a str),
    Automatic(&'a str),
}

/// A page's ids worked out from everything on it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// The id of each heading, in order.
    pub headings: Vec<String>,
    /// The id of each footnote, by label.
    pub footnotes: HashMap<String, String>,
}

/// Work out a page's ids by the rules above: `explicit` are the page's explicit ids other than
/// its headings' (raw HTML), `headings` its headings in order, `footnotes` its footnote labels
/// in order of first appearance.
pub fn plan<'a>(
    explicit: impl IntoIterator<Item = &'a str>,
    headings: &[HeadingId<'a>],
    footnotes: impl IntoIterator<Item = &'a str>,
) -> Plan {
    let heading_ids = headings.iter().filter_map(|h| match h {
        HeadingId::Explicit(id) => Some(*id),
        HeadingId::Automatic(_) => None,
    });
    let mut ids = Ids::with_reserved(explicit.into_iter().chain(heading_ids));
    let headings = headings
        .iter()
        .map(|h| match h {
            HeadingId::Explicit(id) => id.to_string(),
            HeadingId::Automatic(base) => ids.automatic(base.to_string()),
        })
        .collect();
    let mut planned = HashMap::default();
    for label in footnotes {
        if !planned.contains_key(label) {
            planned.insert(label.to_string(), ids.automatic(label.to_string()));
        }
    }
    Plan {
        headings,
        footnotes: planned,
    }
}

/// The ids that occur more than once among `ids` (a page's, in document order), each once, in
/// the order of their second occurrence.
pub fn duplicates<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen: HashSet<&str> = HashSet::default();
    let mut reported: HashSet<&str> = HashSet::default();
    let mut found = Vec::new();
    for id in ids {
        if !seen.insert(id) && reported.insert(id) {
            found.push(id);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn automatic_ids_count_up_from_the_base() {
        let mut ids = Ids::default();
        let got: Vec<String> = ["a", "a", "b", "a"]
            .iter()
            .map(|b| ids.automatic(b.to_string()))
            .collect();
        assert_eq!(got, ["a", "a-1", "b", "a-2"]);
        // A heading whose own slug is a suffixed one is skipped over, not given twice.
        assert_eq!(ids.automatic("a-3".into()), "a-3");
        assert_eq!(ids.automatic("a".into()), "a-4");
    }

    #[test]
    fn identical_bases_cost_one_try_each() {
        let mut ids = Ids::default();
        for _ in 0..10_000 {
            ids.automatic("same".into());
        }
        assert!(ids.contains("same") && ids.contains("same-9999"));
        assert!(!ids.contains("same-10000"));
        // The quadratic allocator this replaced tried about 50 million candidates here.
        assert_eq!(ids.tried(), 9_999);
        // Taken ids in the way are each tried once, whichever base meets them.
        let mut ids = Ids::with_reserved(["x-1", "x-2", "x-3"]);
        let got: Vec<String> = (0..3).map(|_| ids.automatic("x".into())).collect();
        assert_eq!(got, ["x", "x-4", "x-5"]);
        assert_eq!(ids.tried(), 5);
    }

    #[test]
    fn explicit_ids_are_claimed_and_told_apart() {
        let mut ids = Ids::default();
        assert_eq!(ids.explicit("intro"), Claim::Free);
        assert_eq!(ids.explicit("intro"), Claim::Duplicate);
        assert_eq!(ids.automatic("intro".into()), "intro-1");
        assert_eq!(ids.automatic("later".into()), "later");
        assert_eq!(ids.explicit("later"), Claim::TakenByAutomatic);
        assert_eq!(ids.explicit("later"), Claim::Duplicate);
    }

    #[test]
    fn the_plan_reserves_explicit_ids_then_headings_then_footnotes() {
        use HeadingId::{Automatic, Explicit};
        // `## Same`, `## Same`, `## Other {#same-1}`, a raw `id="box"`, `## Box`, and the
        // footnote `[^same]`, whose reference comes first on the page.
        let plan = plan(
            ["box"],
            &[
                Automatic("same"),
                Automatic("same"),
                Explicit("same-1"),
                Automatic("box"),
            ],
            ["same", "same"],
        );
        assert_eq!(plan.headings, ["same", "same-2", "same-1", "box-1"]);
        assert_eq!(plan.footnotes.len(), 1);
        assert_eq!(plan.footnotes["same"], "same-3");
    }

    #[test]
    fn duplicates_are_reported_once_in_order() {
        let ids = ["a", "b", "main", "b", "main", "b", "c"];
        assert_eq!(duplicates(ids), ["b", "main"]);
        assert!(duplicates(["a", "b"]).is_empty());
    }
}
