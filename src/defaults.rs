//! The default templates, static files and starter site, compiled in from the project's own
//! `templates/`, `static/` and `starter/` folders (see `build.rs`). A site's own file with the
//! same name always wins.

include!(concat!(env!("OUT_DIR"), "/defaults.rs"));

/// A built-in file by relative path.
pub fn find(files: &'static [(&'static str, &'static [u8])], rel: &str) -> Option<&'static [u8]> {
    files
        .iter()
        .find(|(name, _)| *name == rel)
        .map(|(_, bytes)| *bytes)
}
