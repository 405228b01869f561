//! The real OrangeSum corpus from shared/ (at `$VIGIE_SHARED` or `../shared`): a slice of it is
//! indexed and searched through the binary. Without the corpus these tests are ignored, with
//! the reason (`build.rs` looks for it).

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

mod common;

/// Lines of the corpus used: enough for real statistics, quick to index in a debug build.
const SLICE: usize = 4000;

/// The corpus, which the build found.
fn corpus() -> PathBuf {
    let path = common::shared().join("corpus/orangesum/articles.jsonl");
    assert!(
        path.is_file(),
        "the shared OrangeSum corpus was at {} when the tests were built, and is gone",
        path.display()
    );
    path
}

#[test]
#[cfg_attr(
    not(vigie_shared),
    ignore = "needs the shared OrangeSum corpus at $VIGIE_SHARED or ../shared"
)]
fn a_slice_of_orangesum_indexes_and_answers_sahel_queries() {
    let corpus = corpus();
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
    let search = |args: &[&str]| -> Value { common::search(&index, args).0 };
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

/// Lines of the corpus that tests/fixtures/neardup/labels.tsv labels (`copy` or `distinct`),
/// plus the lines of the two Sahel stories checked by name.
#[test]
#[cfg_attr(
    not(vigie_shared),
    ignore = "needs the shared OrangeSum corpus at $VIGIE_SHARED or ../shared"
)]
fn near_duplicates_agree_with_the_hand_labelled_pairs() {
    let corpus = corpus();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let labels = std::fs::read_to_string(root.join("tests/fixtures/neardup/labels.tsv")).unwrap();
    let pairs: Vec<(usize, usize, bool)> = labels
        .lines()
        .skip(1)
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (
                cols[0].parse().unwrap(),
                cols[1].parse().unwrap(),
                cols[4] == "copy",
            )
        })
        .collect();
    assert_eq!(pairs.len(), 97);
    // Niger humanitarians (verbatim copies), the AQMI chief's death (a 5 June version and a
    // 6 June update, J 0.27 but C 0.77, and their republications), and a soldier's death vs
    // the tribute three days later (distinct).
    let humanitarians = [26808, 28342, 28374];
    let aqmi = [32247, 32334, 32873, 32875];
    let (death, tribute) = (28869, 28911);
    let mut wanted: Vec<usize> = pairs.iter().flat_map(|&(a, b, _)| [a, b]).collect();
    wanted.extend(humanitarians);
    wanted.extend(aqmi);
    wanted.extend([death, tribute]);
    wanted.sort_unstable();
    wanted.dedup();
    let dir = TempDir::new().unwrap();
    let slice = dir.path().join("labelled.jsonl");
    let mut out = std::fs::File::create(&slice).unwrap();
    let reader = BufReader::new(std::fs::File::open(&corpus).unwrap());
    // Slice line → corpus line.
    let mut lines = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        if wanted.binary_search(&(i + 1)).is_ok() {
            writeln!(out, "{}", line.unwrap()).unwrap();
            lines.push(i + 1);
        }
    }
    drop(out);
    let index = dir.path().join("index");
    let (code, stderr) = common::index(&index, &[&slice], &["--quiet"]);
    assert_eq!(code, 0, "{stderr}");
    let (json, _, _) = common::search(&index, &["--all-copies", "-n", "1000"]);
    let mut story = std::collections::HashMap::new();
    for hit in json["hits"].as_array().unwrap() {
        let source = hit["source"].as_str().unwrap();
        let n: usize = source.rsplit(':').next().unwrap().parse().unwrap();
        story.insert(lines[n - 1], hit["story"].as_str().unwrap().to_string());
    }
    assert_eq!(story.len(), wanted.len());
    let same = |a: usize, b: usize| story[&a] == story[&b];
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for &(a, b, copy) in &pairs {
        match (same(a, b), copy) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            _ => {}
        }
    }
    let precision = tp as f64 / (tp + fp) as f64;
    let recall = tp as f64 / (tp + fn_) as f64;
    eprintln!("near-duplicates on 97 labelled pairs: precision {precision:.3}, recall {recall:.3} ({tp} TP, {fp} FP, {fn_} FN)");
    assert!(
        precision >= 0.85 && recall >= 0.85,
        "P {precision:.3} R {recall:.3}"
    );
    assert!(humanitarians.iter().all(|&l| same(l, humanitarians[0])));
    assert!(
        aqmi.iter().all(|&l| same(l, aqmi[0])),
        "{:?}",
        aqmi.map(|l| &story[&l])
    );
    assert!(!same(death, tribute));
    // Search shows each story once with its copies counted.
    let (json, _, _) = common::search(&index, &["chef", "Aqmi", "tué"]);
    let first = &json["hits"][0];
    assert!(first["copies"].as_u64().unwrap() >= 3, "{first}");
    assert!(json["stories"].as_u64() < json["total"].as_u64());
}
