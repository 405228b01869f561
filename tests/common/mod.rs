//! What the integration tests share: the binary, the repository's files, an index, a search.
#![allow(dead_code)] // each test file uses its own part

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The repository.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The sample corpus that ships with the repository.
pub fn samples() -> PathBuf {
    root().join("samples")
}

/// The `vigie` binary, with no index from the environment and no colours.
pub fn vigie() -> Command {
    let mut cmd = Command::cargo_bin("vigie").expect("the vigie binary is built");
    cmd.env_remove("VIGIE_INDEX").env("NO_COLOR", "1");
    cmd
}

/// `vigie index --index INDEX PATHS...`, run to the end: (exit code, stderr).
pub fn index(index: &Path, paths: &[&Path], extra: &[&str]) -> (i32, String) {
    let out = vigie()
        .arg("index")
        .arg("--index")
        .arg(index)
        .args(extra)
        .args(paths)
        .output()
        .expect("vigie runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A new index of `paths` in a temporary folder, which lives as long as the folder returned.
pub fn indexed(paths: &[&Path]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::TempDir::new().expect("a temporary folder");
    let idx = dir.path().join("index");
    let (code, stderr) = index(&idx, paths, &[]);
    assert_eq!(code, 0, "{stderr}");
    (dir, idx)
}

/// `vigie search --json` on `index`: (JSON, exit code, stderr).
pub fn search(index: &Path, args: &[&str]) -> (Value, i32, String) {
    let out = vigie()
        .arg("search")
        .arg("--index")
        .arg(index)
        .arg("--json")
        .args(args)
        .output()
        .expect("vigie runs");
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        json,
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The rows of an export in CSV (after its byte-order mark), whose header is checked to be
/// the event table's; with the columns' names, for finding one.
pub fn export_rows(csv: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, vigie::render::EXPORT_COLUMNS);
    let rows = reader.records().map(|r| r.expect("a CSV record")).collect();
    (header, rows)
}

/// Documents in `index` (every copy counted).
pub fn documents(index: &Path) -> u64 {
    let (json, _, stderr) = search(index, &["--all-copies", "-n", "0"]);
    json["total"]
        .as_u64()
        .unwrap_or_else(|| panic!("no total in the search output: {stderr}"))
}

/// The `source` of every hit of a search's JSON.
pub fn hit_sources(json: &Value) -> Vec<String> {
    json["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .map(|h| h["source"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// A `vigie serve` running on a free port of the loopback, stopped when dropped.
pub struct Served {
    pub child: std::process::Child,
    /// `http://127.0.0.1:PORT`, without a final slash.
    pub url: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `vigie serve` on `index` with `extra` options, once it prints its address.
pub fn serve(index: &Path, extra: &[&str]) -> Served {
    use std::io::BufRead;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("vigie"))
        .env_remove("VIGIE_INDEX")
        .env_remove("VIGIE_TOKEN")
        .args(["serve", "--bind", "127.0.0.1:0", "--index"])
        .arg(index)
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("vigie serve starts");
    let stdout = child.stdout.take().expect("its output");
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("vigie serve prints its address");
    assert!(line.starts_with("http://"), "vigie serve printed «{line}»");
    Served {
        child,
        url: line.trim().trim_end_matches('/').to_string(),
    }
}

/// An index of the samples, the 40 labelled Sahel articles and the 12 HTML pages of the
/// fixtures, built in `dir` (its pages copied to `dir/pages`).
pub fn sample_index(dir: &Path) -> PathBuf {
    let pages = dir.join("pages");
    std::fs::create_dir_all(&pages).expect("a folder for the pages");
    for entry in std::fs::read_dir(root().join("tests/fixtures/html")).expect("the fixtures") {
        let path = entry.expect("a fixture").path();
        if path.extension().is_some_and(|e| e == "html") {
            std::fs::copy(&path, pages.join(path.file_name().expect("a name"))).expect("a copy");
        }
    }
    let index = dir.join("index");
    // From the repository's folder, as an analyst would: sources read `samples/…`.
    let out = vigie()
        .current_dir(root())
        .args(["index", "--quiet", "--index"])
        .arg(&index)
        .args(["samples", "tests/fixtures/sahel/articles.jsonl"])
        .arg(&pages)
        .output()
        .expect("vigie runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    index
}

/// An HTTP client for the server's tests: every status returned (4xx and 5xx are answers
/// too), no redirect followed, 20 s at most.
pub fn http() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(std::time::Duration::from_secs(20)))
        .build()
        .into()
}

/// GET `path` of a server: (status, body).
pub fn http_get(served: &Served, path: &str) -> (u16, String) {
    let mut response = http()
        .get(format!("{}{path}", served.url))
        .call()
        .expect("the server answers");
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .expect("a text body");
    (status, body)
}

/// The shared folder (`$VIGIE_SHARED`, else `../shared` beside the checkout).
pub fn shared() -> PathBuf {
    std::env::var_os("VIGIE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared"))
}
