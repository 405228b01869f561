//! The same files give the same documents, stories and story ids whatever the number of
//! threads: saved searches and exports refer to stories by id.

use std::fs;
use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::{index, root, samples, search};

/// HTML pages (slow to read: their batch finishes after the ones sent next), the JSON Lines
/// export of the same articles, their republication by an agency, and the seed pages.
fn corpus(dir: &Path) {
    let pages = dir.join("a-pages");
    fs::create_dir_all(&pages).unwrap();
    for entry in fs::read_dir(root().join("tests/fixtures/html")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "html") {
            fs::copy(&path, pages.join(path.file_name().unwrap())).unwrap();
        }
    }
    let export = fs::read_to_string(root().join("tests/fixtures/sahel/articles.jsonl")).unwrap();
    fs::write(dir.join("b-export.jsonl"), &export).unwrap();
    let republished: Vec<String> = export
        .lines()
        .map(|line| {
            let mut record: Value = serde_json::from_str(line).unwrap();
            record["id"] = format!("agency-{}", record["id"].as_str().unwrap_or("x")).into();
            let body = record["article"].as_str().unwrap_or_default().to_string();
            record["article"] =
                format!("BAMAKO (AFP) - {body} Le bilan pourrait s'alourdir.").into();
            record.to_string()
        })
        .collect();
    fs::write(dir.join("c-agency.jsonl"), republished.join("\n")).unwrap();
    let seeds = dir.join("d-seeds");
    fs::create_dir_all(&seeds).unwrap();
    for entry in fs::read_dir(samples()).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, seeds.join(path.file_name().unwrap())).unwrap();
    }
}

/// Every document of the index: source, id, story, title, date, places and actors, sorted.
fn documents(index: &Path) -> Vec<String> {
    let (json, code, stderr) = search(index, &["", "--all-copies", "-n", "1000"]);
    assert_eq!(code, 0, "{stderr}");
    let mut docs: Vec<String> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| {
            let strip = |field: &str, value: &Value| {
                let mut value = value.clone();
                // The folder differs from one run to the next; what comes after it does not.
                if let Some(text) = value.as_str() {
                    value = text.rsplit("/input/").next().unwrap_or(text).into();
                }
                format!("{field}={value}")
            };
            [
                "source",
                "id",
                "story",
                "title",
                "date",
                "locations",
                "actors",
            ]
            .iter()
            .map(|f| strip(f, &hit[*f]))
            .collect::<Vec<_>>()
            .join(" | ")
        })
        .collect();
    docs.sort();
    docs
}

#[test]
fn one_two_or_four_threads_give_the_same_documents_and_story_ids() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("input");
    corpus(&input);
    let mut runs = Vec::new();
    for threads in ["1", "2", "4"] {
        let idx = dir.path().join(format!("index-{threads}"));
        let (code, stderr) = index(&idx, &[&input], &["--quiet", "--threads", threads]);
        assert_eq!(code, 0, "{stderr}");
        runs.push((threads, documents(&idx)));
    }
    let (_, one) = &runs[0];
    assert_eq!(one.len(), 12 + 40 + 40 + 5, "every file indexed");
    // The agency's copies joined the stories of the export and of the pages.
    let stories: std::collections::HashSet<&str> =
        one.iter().map(|d| d.split(" | ").nth(2).unwrap()).collect();
    assert!(
        stories.len() <= 12 + 40 + 5 - 9,
        "{} stories",
        stories.len()
    );
    for (threads, documents) in &runs[1..] {
        for (a, b) in one.iter().zip(documents) {
            assert_eq!(a, b, "1 thread against {threads}");
        }
        assert_eq!(one.len(), documents.len(), "1 thread against {threads}");
    }
}
