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
