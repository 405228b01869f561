//! Saved searches through the binary, on temporary indexes: what is new since the last run,
//! across new files, copies of known stories, changed and removed files, `--rebuild`, a
//! killed run and two runs at once.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{json, Value};
use tempfile::TempDir;

mod common;
use common::{index, root, vigie};

fn records(file: &str) -> Vec<Value> {
    fs::read_to_string(root().join("tests/fixtures").join(file))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn write_jsonl(path: &Path, records: &[Value]) {
    let text: String = records.iter().map(|r| format!("{r}\n")).collect();
    fs::write(path, text).unwrap();
}

/// `vigie watch ARGS --index INDEX`: (exit code, stdout, stderr).
fn watch(index: &Path, args: &[&str]) -> (i32, String, String) {
    let out = vigie()
        .arg("watch")
        .args(args)
        .arg("--index")
        .arg(index)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `vigie watch run --json`: (exit code, the ids of the new stories shown, the count of new).
fn run(index: &Path, extra: &[&str]) -> (i32, Vec<String>, u64) {
    let mut args = vec!["run", "--json"];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = watch(index, &args);
    assert!(code == 0 || code == 1, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let found = &json["searches"][0];
    let ids = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    (code, ids, found["new"].as_u64().unwrap())
}

/// An index of the 40 labelled Sahel articles with one saved search of every document.
fn watched() -> (TempDir, PathBuf, PathBuf) {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("input");
    fs::create_dir(&input).unwrap();
    write_jsonl(&input.join("sahel.jsonl"), &records("sahel/articles.jsonl"));
    let idx = dir.path().join("index");
    let (code, stderr) = index(&idx, &[&input], &[]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = watch(&idx, &["add", "tout", "--from", "2000"]);
    assert_eq!(code, 0, "{stderr}");
    (dir, idx, input)
}

#[test]
fn a_saved_search_shows_each_story_once() {
    let (_dir, idx, input) = watched();
    // The first run: the 20 newest stories, newest first; every match marked.
    let (code, shown, new) = run(&idx, &[]);
    assert_eq!(code, 0);
    assert_eq!(shown.len(), 20);
    assert!(new >= 20);
    let (code, shown, new) = run(&idx, &[]);
    assert_eq!(
        (code, shown.len(), new),
        (1, 0, 0),
        "nothing new the second time"
    );
    // New files: only their stories are new, and `vigie index` says how many.
    let events = records("events/articles.jsonl");
    write_jsonl(&input.join("events.jsonl"), &events);
    let (code, stderr) = index(&idx, &[&input], &[]);
    assert_eq!(code, 0, "{stderr}");
    let (code, shown, new) = run(&idx, &["--dry-run"]);
    assert_eq!(code, 0);
    assert!(
        stderr.contains(&format!("tout: {new} new stories")),
        "{stderr}"
    );
    let event_ids: Vec<String> = events
        .iter()
        .map(|r| r["id"].to_string().trim_matches('"').to_string())
        .collect();
    assert!(!shown.is_empty());
    assert!(shown.iter().all(|id| event_ids.contains(id)), "{shown:?}");
    // A dry run marks nothing; a run does.
    let (_, again, _) = run(&idx, &[]);
    assert_eq!(again, shown);
    assert_eq!(run(&idx, &[]).0, 1);
    // A copy of a known story, under a new id: not new.
    let mut copy = records("sahel/articles.jsonl")[3].clone();
    copy["id"] = json!("copy-of-3");
    write_jsonl(&input.join("copy.jsonl"), &[copy]);
    index(&idx, &[&input], &[]);
    assert_eq!(run(&idx, &[]).0, 1, "a copy of a story shown is not new");
}

#[test]
fn changed_removed_and_rebuilt_documents_alert_only_when_their_story_is_new() {
    let (dir, idx, input) = watched();
    run(&idx, &[]);
    let events = records("events/articles.jsonl");
    let file = input.join("one.jsonl");
    let mut record = events[0].clone();
    record["id"] = json!("one");
    write_jsonl(&file, &[record.clone()]);
    index(&idx, &[&input], &[]);
    let (code, shown, _) = run(&idx, &[]);
    assert_eq!((code, shown), (0, vec!["one".to_string()]));
    // The same document, its text corrected: the same story, not new.
    let mut corrected = record.clone();
    corrected["article"] = json!(format!(
        "{} (Mise à jour.)",
        record["article"].as_str().unwrap()
    ));
    write_jsonl(&file, &[corrected]);
    index(&idx, &[&input], &[]);
    assert_eq!(run(&idx, &[]).0, 1, "a corrected text is not a new story");
    // The same id, another story told: new.
    let mut other = events[1].clone();
    other["id"] = json!("one");
    write_jsonl(&file, &[other.clone()]);
    index(&idx, &[&input], &[]);
    let (code, shown, _) = run(&idx, &[]);
    assert_eq!(
        (code, shown),
        (0, vec!["one".to_string()]),
        "its story changed"
    );
    // Removed, then added again from another file with the same id and text: not new.
    fs::remove_file(&file).unwrap();
    index(&idx, &[&input], &[]);
    assert_eq!(run(&idx, &[]).0, 1);
    write_jsonl(&input.join("again.jsonl"), &[other]);
    index(&idx, &[&input], &[]);
    assert_eq!(
        run(&idx, &[]).0,
        1,
        "a document back with the same text is not new"
    );
    // Rebuilt: the saved search stays, nothing is new.
    let (code, stderr) = index(&idx, &[&input], &["--rebuild"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, _) = watch(&idx, &["list"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("tout"), "{stdout}");
    assert_eq!(run(&idx, &[]).0, 1, "a rebuilt index re-alerts nothing");
    drop(dir);
}

#[test]
fn saved_searches_are_checked_when_added() {
    let (_dir, idx, _) = watched();
    for (args, says) in [
        (
            vec!["add", "Mopti Attaques", "attaque"],
            "invalid saved search name",
        ),
        (
            vec!["add", "lieu", "attaque", "--location", "Nulle-Part"],
            "invalid location",
        ),
        (
            vec!["add", "acteur", "attaque", "--actor", "Personne"],
            "invalid actor",
        ),
        (
            vec!["add", "date", "attaque", "--from", "2020-13-01"],
            "invalid date",
        ),
        (vec!["add", "tout", "attaque"], "already has it"),
        (vec!["rm", "inconnue"], "no saved search has this name"),
        (vec!["run", "inconnue"], "no saved search has this name"),
    ] {
        let (code, _, stderr) = watch(&idx, &args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    let (code, _, stderr) = watch(
        &idx,
        &["add", "mopti-attaques", "attaque", "--location", "Mopti"],
    );
    assert_eq!(code, 0, "{stderr}");
    let (_, stdout, _) = watch(&idx, &["list", "--json"]);
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["searches"][1]["name"], "mopti-attaques");
    assert_eq!(
        json["searches"][1]["command"],
        "vigie search attaque --location Mopti"
    );
    assert_eq!(watch(&idx, &["rm", "mopti-attaques"]).0, 0);
    let (_, stdout, _) = watch(&idx, &["list", "--json"]);
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["searches"].as_array().unwrap().len(), 1);
}

/// The story keys a saved search has marked, read from the file it is kept in.
fn seen(idx: &Path) -> Vec<String> {
    let text = fs::read_to_string(idx.join("vigie-watch.json")).unwrap();
    let json: Value = serde_json::from_str(&text).expect("the file is always whole");
    json["searches"][0]["seen_stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_killed_run_loses_and_doubles_nothing() {
    let (_dir, idx, _) = watched();
    // Killed at many points of its work: the file is whole each time, old or new.
    for delay in [0u64, 5, 10, 20, 40, 80, 160] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("vigie"))
            .args(["watch", "run", "--index"])
            .arg(&idx)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        if idx.join("vigie-watch.json").exists() {
            seen(&idx);
        }
    }
    // What the file marks and what the next run shows make every story, once.
    let marked = seen(&idx);
    let (_, shown, new) = run(&idx, &["--since", "1990-01-01"]);
    assert_eq!(shown.len() as u64, new);
    let (total, _, _) = common::search(&idx, &["", "--from", "2000", "--limit", "0"]);
    let stories = total["stories"].as_u64().unwrap();
    assert_eq!(marked.len() as u64 + new, stories, "marked {marked:?}");
}

#[test]
fn two_runs_at_once_take_turns() {
    let (_dir, idx, _) = watched();
    // Another `vigie watch` holds the lock (the advisory lock the runs take).
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(idx.join("vigie-watch.lock"))
        .unwrap();
    lock.lock().unwrap();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("vigie"))
        .args(["watch", "run", "--json", "--index"])
        .arg(&idx)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    lock.unlock().unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("another `vigie watch` is running") && stderr.contains("waiting for it"),
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(0), "it ran once the lock was free");
    assert_eq!(run(&idx, &[]).0, 1);
}
