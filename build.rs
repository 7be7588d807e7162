//! Compile the project's own `templates/`, `static/` and `starter/` folders into the binary, so
//! a site may leave out any default template or file, and `briefing init` can write a new site.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn files(dir: &Path, base: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            files(&path, base, out);
        } else {
            let rel = path.strip_prefix(base).unwrap().components();
            let rel: Vec<String> = rel
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push((rel.join("/"), path.canonicalize().unwrap()));
        }
    }
}

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let mut code = String::new();
    for (name, dir) in [
        ("TEMPLATES", "templates"),
        ("STATIC", "static"),
        ("STARTER", "starter"),
    ] {
        println!("cargo:rerun-if-changed={dir}");
        let mut list = Vec::new();
        files(&root.join(dir), &root.join(dir), &mut list);
        writeln!(
            code,
            "/// Files of the project's `{dir}/` folder: (relative path, bytes)."
        )
        .unwrap();
        writeln!(code, "pub static {name}: &[(&str, &[u8])] = &[").unwrap();
        for (rel, path) in list {
            writeln!(
                code,
                "    ({rel:?}, include_bytes!({:?})),",
                path.display().to_string()
            )
            .unwrap();
        }
        writeln!(code, "];").unwrap();
    }
    fs::write(
        PathBuf::from(env::var("OUT_DIR").unwrap()).join("defaults.rs"),
        code,
    )
    .unwrap();
}
