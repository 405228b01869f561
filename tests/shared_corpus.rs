//! The real OrangeSum corpus from shared/ (at `$VIGIE_SHARED` or `../shared`): a slice of it is
//! indexed and searched through the binary. Skipped, saying so, when the corpus is absent.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// Lines of the corpus used: enough for real statistics, quick to index in a debug build.
const SLICE: usize = 4000;

fn corpus() -> Option<PathBuf> {
    let shared = std::env::var_os("VIGIE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let path = shared.join("corpus/orangesum/articles.jsonl");
    if path.is_file() {
        Some(path)
    } else {
        eprintln!(
            "skipped: the shared OrangeSum corpus is not at {}",
            path.display()
        );
        None
    }
}

#[test]
fn a_slice_of_orangesum_indexes_and_answers_sahel_queries() {
    let Some(corpus) = corpus() else {
        return;
    };
    let dir = TempDir::new().unwrap();
    let slice = dir.path().join("slice.jsonl");
    let mut out = std::fs::File::create(&slice).unwrap();
    let reader = BufReader::new(std::fs::File::open(&corpus).unwrap());
    for line in reader.lines().take(SLICE) {
        writeln!(out, "{}", line.unwrap()).unwrap();
    }
    drop(out);
    let index = dir.path().join("index");
    let mut cmd = Command::cargo_bin("vigie").unwrap();
    cmd.arg("index").arg("--index").arg(&index).arg(&slice);
    let summary = format!(
        "indexed {} documents from 1 new file",
        vigie::render::count(SLICE as u64)
    );
    cmd.assert()
        .success()
        .stderr(predicates::str::contains(summary));
    let search = |args: &[&str]| -> Value {
        let out = Command::cargo_bin("vigie")
            .unwrap()
            .arg("search")
            .arg("--index")
            .arg(&index)
            .arg("--json")
            .args(args)
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    // Every document of a year-filtered listing has that year; the year counts add up.
    let all = search(&["", "--limit", "0"]);
    assert_eq!(all["total"].as_u64(), Some(SLICE as u64));
    let by_year: u64 = all["facets"]["year"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(by_year, SLICE as u64, "every OrangeSum article has a date");
    let french = search(&["", "--lang", "fr", "--limit", "0"]);
    assert!(french["total"].as_u64().unwrap() as f64 >= SLICE as f64 * 0.99);
    // Articles tagged with a Sahel place mention a Sahel word somewhere.
    let sahel = search(&[
        "",
        "--location",
        "/Mali",
        "--location",
        "/Niger",
        "--location",
        "/Burkina Faso",
        "--limit",
        "200",
    ]);
    let hits = sahel["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    for hit in hits {
        let locations: Vec<&str> = hit["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert!(locations.iter().any(|l| l.starts_with("/Mali")
            || l.starts_with("/Niger")
            || l.starts_with("/Burkina")));
    }
    // "jihadistes" finds the inflected and elided forms, highlighted in the passage.
    let jihad = search(&["jihadistes"]);
    assert!(jihad["total"].as_u64().unwrap() > 0);
    let snippet = &jihad["hits"][0]["snippet"];
    assert!(!snippet["highlights"].as_array().unwrap().is_empty());
    assert!(snippet["html"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("<b>jihadis"));
}
