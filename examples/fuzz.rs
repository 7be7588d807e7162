//! A mutation fuzzer for `briefing build`, on stable Rust: it copies the real site (`content/`,
//! `templates/`, `site.toml`) into a temporary folder, and for each mutant changes one or two of
//! those files (bytes flipped, cut, repeated or swapped, syntax tokens and bad bytes inserted),
//! builds it in a child process with a time limit, and judges the outcome. A build may succeed
//! or fail with exit code 1; any panic, signal, other exit code, timeout, or an error that does
//! not name a file and a line is a failure, saved with its mutant for replay.
//!
//! `scripts/fuzz --mutants 300 --seconds 60` (what `scripts/test` runs); `--seed N` replays a
//! run, `--bin PATH` picks the binary (default `target/debug/briefing`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Fragments a mutation may insert: the syntax of front matter, TOML, Markdown and Tera, and
/// bytes that are not text.
const TOKENS: &[&[u8]] = &[
    b"+++",
    b"\n+++\n",
    b"\"",
    b"'''",
    b"\"\"\"",
    b"[",
    b"]",
    b"[[extra.metrics]]",
    b"[extra]",
    b" = ",
    b"=",
    b"{",
    b"}",
    b"{{",
    b"}}",
    b"{%",
    b"%}",
    b"{% endblock %}",
    b"{% block main %}",
    b"{% endfor %}",
    b"{% if x %}",
    b"{% endif %}",
    b"{{ page.nope }}",
    b"{{ nav[99].url }}",
    b"{% include \"partials/none.html\" %}",
    b"{% extends \"base.html\" %}",
    b"{% extends \"page.html\" %}",
    b"{% include \"base.html\" %}",
    b"{{ 1 / 0 }}",
    b"| safe",
    b"| truncate(length=-1)",
    b"{{ get_page(path=\"nope.md\") }}",
    b"{{ horizon_diagram() }}",
    b"\n# ",
    b"\n## ",
    b"\n###### ",
    b"](@/",
    b"(@/model.md#nope)",
    b"(@/nope.md)",
    b"#p99",
    b"[^1]",
    b"\n[^1]: ",
    b"\n```\n",
    b"\n|a|b|\n|-|-|\n",
    b"<h1>",
    b"</h1>",
    b"<!--",
    b"para = 999",
    b"para = -1",
    b"para = \"2\"",
    b"source = \"nope.md\"",
    b"quote = \"\"",
    b"value = \"9.99\"",
    b"date = 2020-13-45",
    b"date = 1979-05-27T07:32:00Z",
    b"weight = 1e400",
    b"weight = 99999999999999999999",
    b"slug = \"../x\"",
    b"template = \"nope.html\"",
    b"document = \"nope.txt\"",
    b"sort_by = \"size\"",
    b"draft = true",
    b"base_url = \"x\"",
    b"base_url = \"https://example.org/r\"",
    b"cname = \"a.example\"",
    b"title = \"\"",
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"\r",
    b"\r\n",
    b"\t",
    b"\\",
    b"\\u",
    "\u{2019}".as_bytes(),
    "\u{1F600}".as_bytes(),
    "\u{202e}".as_bytes(),
];

struct Options {
    mutants: usize,
    seconds: u64,
    seed: u64,
    timeout: Duration,
    bin: PathBuf,
    site: PathBuf,
    failures: PathBuf,
}

fn options() -> Options {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut o = Options {
        mutants: 300,
        seconds: 60,
        seed: 1,
        timeout: Duration::from_secs(20),
        bin: manifest.join("target/debug/briefing"),
        site: manifest.clone(),
        failures: manifest.join("target/fuzz-failures"),
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair.get(1).map_or("", String::as_str);
        let number = || value.parse::<u64>().unwrap_or_else(|_| usage(&pair[0]));
        match pair[0].as_str() {
            "--mutants" => o.mutants = number() as usize,
            "--seconds" => o.seconds = number(),
            "--seed" => o.seed = number(),
            "--timeout" => o.timeout = Duration::from_secs(number()),
            "--bin" => o.bin = PathBuf::from(value),
            "--site" => o.site = PathBuf::from(value),
            "--failures" => o.failures = PathBuf::from(value),
            other => usage(other),
        }
    }
    o
}

fn usage(arg: &str) -> ! {
    eprintln!(
        "fuzz: bad argument `{arg}`\nusage: fuzz [--mutants N] [--seconds S] [--seed N] [--timeout S] [--bin PATH] [--site DIR] [--failures DIR]"
    );
    std::process::exit(2)
}

/// xorshift64*: enough randomness for mutations, and a run replays from its seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Change `bytes` once, in one of a few ways.
fn mutate(bytes: &mut Vec<u8>, rng: &mut Rng) {
    let len = bytes.len();
    let at = rng.below(len + 1);
    let longest = if rng.below(4) == 0 { 400 } else { 16 };
    let span = 1 + rng.below(longest);
    let end = (at + span).min(len);
    match rng.below(8) {
        0 if len > 0 => bytes[at.min(len - 1)] = rng.next() as u8,
        1 => {
            bytes.drain(at..end);
        }
        2 => {
            let copy = bytes[at..end].to_vec();
            let to = rng.below(len + 1);
            bytes.splice(to..to, copy);
        }
        3 => {
            let line_at = |b: &[u8], i: usize| b[..i].iter().rposition(|&c| c == b'\n');
            let a = line_at(bytes, at).map_or(0, |i| i + 1);
            let b = bytes[a..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(len, |i| a + i + 1);
            let line = bytes.drain(a..b).collect::<Vec<u8>>();
            let to = rng.below(bytes.len() + 1);
            bytes.splice(to..to, line);
        }
        4 => bytes.truncate(at),
        _ => {
            let token = TOKENS[rng.below(TOKENS.len())];
            bytes.splice(at..at, token.iter().copied());
        }
    }
}

/// Every file of the site that a mutant may change, relative to the site root.
fn site_files(site: &Path) -> Vec<String> {
    let mut files = vec!["site.toml".to_string()];
    for dir in ["content", "templates"] {
        let mut stack = vec![site.join(dir)];
        while let Some(d) = stack.pop() {
            for entry in fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
                let path = entry.expect("read dir").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path.strip_prefix(site).expect("under the site");
                    files.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    files.sort();
    files
}

/// Whether an error line names a file and a line: `path:LINE: ...` or `path:LINE:COL: ...`.
fn located(line: &str) -> bool {
    let line = line.strip_prefix("error: ").unwrap_or(line);
    let Some((place, _)) = line.split_once(": ") else {
        return false;
    };
    let mut parts = place.rsplitn(3, ':').collect::<Vec<_>>();
    parts.reverse();
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [file, line] => !file.is_empty() && numeric(line),
        [file, line, col] => !file.is_empty() && numeric(line) && numeric(col),
        _ => false,
    }
}

/// What one build of a mutant came to; `Err` is a failure, with its reason.
fn judge(status: Option<std::process::ExitStatus>, stderr: &str) -> Result<bool, String> {
    let Some(status) = status else {
        return Err("timeout".into());
    };
    if stderr.contains("panicked") {
        return Err("panic".into());
    }
    match status.code() {
        Some(0) => Ok(true),
        Some(1) => {
            let unlocated: Vec<&str> = stderr
                .lines()
                .filter(|l| !l.is_empty() && !l.starts_with(' ') && !l.starts_with("warning:"))
                .filter(|l| !l.ends_with(" found") || !l.contains(" problem"))
                .filter(|l| !located(l))
                .collect();
            if unlocated.is_empty() {
                Ok(false)
            } else {
                Err(format!("error without file:line: {}", unlocated[0]))
            }
        }
        Some(code) => Err(format!("exit code {code}")),
        None => Err(format!("killed by a signal ({status})")),
    }
}

/// Run `bin build` on the mutant with a time limit: its exit status (`None` on timeout) and
/// its stderr.
fn build(o: &Options, root: &Path) -> (Option<std::process::ExitStatus>, String) {
    let err_path = root.join("stderr.txt");
    let err = fs::File::create(&err_path).expect("stderr file");
    let mut child = Command::new(&o.bin)
        .args(["build", "--root"])
        .arg(root.join("site"))
        .arg("--output-dir")
        .arg(root.join("out"))
        .stdout(Stdio::null())
        .stderr(err)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", o.bin.display()));
    let deadline = Instant::now() + o.timeout;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let stderr = String::from_utf8_lossy(&fs::read(&err_path).unwrap_or_default()).into_owned();
    (status, stderr)
}

fn copy_site(from: &Path, to: &Path, files: &[String]) {
    for rel in files {
        let dest = to.join(rel);
        fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        fs::copy(from.join(rel), &dest).expect("copy");
    }
}

fn main() {
    let o = options();
    if !o.bin.is_file() {
        eprintln!("fuzz: no binary at {} (cargo build first)", o.bin.display());
        std::process::exit(2);
    }
    let files = site_files(&o.site);
    let pristine: Vec<Vec<u8>> = files
        .iter()
        .map(|f| fs::read(o.site.join(f)).expect("read site file"))
        .collect();
    let work = tempfile::tempdir().expect("temp dir");
    let site = work.path().join("site");
    copy_site(&o.site, &site, &files);
    let started = Instant::now();
    let budget = Duration::from_secs(o.seconds);
    let (mut built, mut rejected, mut failures) = (0, 0, Vec::new());
    let mut run = 0;
    while run < o.mutants && started.elapsed() < budget {
        let mut rng = Rng::new(o.seed.wrapping_mul(1_000_003).wrapping_add(run as u64));
        let mut changed = Vec::new();
        for _ in 0..1 + rng.below(2) {
            let i = rng.below(files.len());
            let mut bytes = if changed.contains(&i) {
                fs::read(site.join(&files[i])).expect("read mutant")
            } else {
                pristine[i].clone()
            };
            for _ in 0..1 + rng.below(3) {
                mutate(&mut bytes, &mut rng);
            }
            fs::write(site.join(&files[i]), &bytes).expect("write mutant");
            changed.push(i);
        }
        let (status, stderr) = build(&o, work.path());
        match judge(status, &stderr) {
            Ok(true) => built += 1,
            Ok(false) => rejected += 1,
            Err(why) => {
                let keep = o.failures.join(format!("seed{}-mutant{run}", o.seed));
                let _ = fs::remove_dir_all(&keep);
                copy_site(&site, &keep, &files);
                let _ = fs::write(keep.join("stderr.txt"), &stderr);
                eprintln!("FAIL mutant {run}: {why} (saved in {})", keep.display());
                failures.push(why);
            }
        }
        for &i in &changed {
            fs::write(site.join(&files[i]), &pristine[i]).expect("restore");
        }
        run += 1;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "fuzz: {run} mutants in {secs:.1} s (seed {}): {built} built, {rejected} rejected with located errors, {} failures",
        o.seed,
        failures.len()
    );
    if run == 0 || !failures.is_empty() {
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn located_errors_are_told_from_others() {
        assert!(located("error: content/a.md:2:5: bad"));
        assert!(located("site.toml:1: missing `title`"));
        assert!(!located("error: templates/: error: Unknown template"));
        assert!(!located("error: cannot read x: No such file"));
        assert!(!located("content/a.md: no line"));
    }
}
