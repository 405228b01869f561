//! The index under faults: a second writer is turned away, searches see the last commit
//! while indexing goes on, a SIGKILL leaves an index that opens on its last commit and the
//! next run completes the work, and an index of another format says how to rebuild it.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use tempfile::TempDir;

mod common;
use common::{documents, index, root, samples, search, vigie};

const FILES: usize = 60;
const PER_FILE: usize = 100;

/// FILES JSON Lines exports of PER_FILE articles each: the labelled Sahel articles, each
/// record with its own id and first sentence.
fn exports(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    for f in 0..FILES {
        export(&dir.join(format!("export-{f:03}.jsonl")), f, PER_FILE);
    }
}

/// One JSON Lines export of `records` articles, numbered `file-i`.
fn export(path: &Path, file: usize, records: usize) {
    let articles: Vec<serde_json::Value> =
        fs::read_to_string(root().join("tests/fixtures/sahel/articles.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
    let mut out = fs::File::create(path).unwrap();
    for i in 0..records {
        let mut record = articles[(file * PER_FILE + i) % articles.len()].clone();
        record["id"] = format!("{file}-{i}").into();
        let body = record["article"].as_str().unwrap_or_default().to_string();
        record["article"] = format!("Dépêche numéro {file} {i}. {body}").into();
        writeln!(out, "{record}").unwrap();
    }
}

/// Starts `vigie index` with `args`, its stderr lines sent to the receiver.
fn spawn_index(
    args: &[&str],
    idx: &Path,
    input: &Path,
) -> (std::process::Child, mpsc::Receiver<String>) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("vigie"))
        .env("NO_COLOR", "1")
        .arg("index")
        .args(args)
        .arg("--index")
        .arg(idx)
        .arg(input)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (lines_tx, lines) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    (child, lines)
}

/// Waits for the indexer's first "committed" line.
fn first_commit(lines: &mpsc::Receiver<String>) -> String {
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(120))
            .expect("the indexer commits");
        if line.contains("committed") {
            return line;
        }
    }
}

#[test]
fn a_killed_indexer_leaves_its_last_commit_and_the_next_run_completes_the_work() {
    let dir = TempDir::new().unwrap();
    let (input, idx) = (dir.path().join("input"), dir.path().join("index"));
    exports(&input);
    let (mut child, lines) =
        spawn_index(&["--commit-every", "300", "--threads", "2"], &idx, &input);
    let committed = first_commit(&lines);
    assert!(
        child.try_wait().unwrap().is_none(),
        "still indexing: {committed}"
    );

    // A second writer is turned away with a clear message.
    let (code, stderr) = index(&idx, &[&samples()], &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("is busy: another `vigie index` is writing to it"),
        "{stderr}"
    );

    // Searching works meanwhile and sees a committed state.
    let seen = documents(&idx);
    assert!(
        seen >= 300 && seen < (FILES * PER_FILE) as u64,
        "{seen} documents"
    );
    assert_eq!(seen % PER_FILE as u64, 0, "commits hold whole files only");

    // SIGKILL, mid-run.
    child.kill().unwrap();
    child.wait().unwrap();
    let after_kill = documents(&idx);
    assert!(after_kill >= seen && after_kill < (FILES * PER_FILE) as u64);
    assert_eq!(
        after_kill % PER_FILE as u64,
        0,
        "commits hold whole files only"
    );

    // The next run indexes what is missing, and only that.
    let (code, stderr) = index(&idx, &[&input], &[]);
    assert_eq!(code, 0, "{stderr}");
    let done_files = after_kill / PER_FILE as u64;
    assert!(
        stderr.contains(&format!("{done_files} unchanged files")),
        "{stderr}"
    );
    assert_eq!(documents(&idx), (FILES * PER_FILE) as u64);
    let (json, _, _) = search(&idx, &["\"Dépêche numéro 59 99\"", "--all-copies"]);
    assert_eq!(json["total"].as_u64(), Some(1), "{json}");
}

#[test]
fn a_long_export_is_committed_as_it_goes_and_a_killed_run_is_taken_up_where_it_stopped() {
    const RECORDS: usize = 6000;
    let dir = TempDir::new().unwrap();
    let (input, idx) = (dir.path().join("export.jsonl"), dir.path().join("index"));
    export(&input, 7, RECORDS);
    let (mut child, lines) =
        spawn_index(&["--commit-every", "1000", "--threads", "2"], &idx, &input);
    let committed = first_commit(&lines);
    child.kill().unwrap();
    child.wait().unwrap();
    // Part of the export is committed, and searchable.
    let after_kill = documents(&idx);
    assert!(
        after_kill >= 1000 && after_kill < RECORDS as u64,
        "{committed}: {after_kill}"
    );

    // A run on other files in between leaves the export recorded as committed in part.
    let (code, stderr) = index(&idx, &[&samples()], &[]);
    assert_eq!(code, 0, "{stderr}");
    let samples_documents = documents(&idx) - after_kill;
    assert_eq!(samples_documents, 5, "{stderr}");

    // The next run on the export reads on from its last committed line: every record once.
    let (code, stderr) = index(&idx, &[&input], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "indexed {} documents",
            vigie::render::count(RECORDS as u64 - after_kill)
        )),
        "{after_kill} before: {stderr}"
    );
    assert!(
        stderr.contains("1 file taken up after the lines an earlier run committed"),
        "{stderr}"
    );
    assert_eq!(documents(&idx), RECORDS as u64 + samples_documents);
    for id in ["7-0", "7-2999", "7-5999"] {
        let (json, _, _) = search(&idx, &[&format!("id:{id}"), "--all-copies"]);
        assert_eq!(json["total"].as_u64(), Some(1), "{id}: {json}");
    }
    // A run after that finds the export complete.
    let (code, stderr) = index(&idx, &[&input], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("1 unchanged file"), "{stderr}");
}

#[test]
fn an_index_of_another_format_says_how_to_rebuild_it() {
    let dir = TempDir::new().unwrap();
    let idx = dir.path().join("index");
    let (code, _) = index(&idx, &[&samples()], &[]);
    assert_eq!(code, 0);
    // As left by an older version of vigie.
    fs::write(
        idx.join("vigie.json"),
        r#"{"format": 1, "writer": "vigie 0.0.9"}"#,
    )
    .unwrap();
    fs::write(
        idx.join("notes.txt"),
        "analyst's notes, not part of the index",
    )
    .unwrap();
    let (json, code, stderr) = search(&idx, &["Bandiagara"]);
    assert_eq!((code, json), (2, serde_json::Value::Null));
    assert!(
        stderr.contains(
            "built by an incompatible version of vigie (format 1, this version reads format 5)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("vigie index --rebuild --index"), "{stderr}");
    let (code, stderr) = index(&idx, &[&samples()], &[]);
    assert_eq!(code, 2, "{stderr}");
    // --rebuild deletes the index files only, and builds it again.
    let (code, stderr) = index(&idx, &[&samples()], &["--rebuild"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(documents(&idx), 5);
    assert!(idx.join("notes.txt").exists());
    let out = vigie()
        .arg("search")
        .arg("--index")
        .arg(&idx)
        .arg("Bandiagara")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}
