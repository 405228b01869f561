//! Re-indexing a folder that changes: only new and changed files are read, documents of files
//! gone are removed (or kept on request), and nothing is ever indexed twice.

use std::fs;
use std::path::Path;

use tempfile::TempDir;

mod common;
use common::{documents, hit_sources, index, root, samples, search};

/// A folder holding a copy of the samples.
fn folder() -> TempDir {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("input");
    fs::create_dir(&input).unwrap();
    for entry in fs::read_dir(samples()).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), input.join(entry.file_name())).unwrap();
    }
    dir
}

fn ids(index: &Path, query: &str) -> Vec<String> {
    hit_sources(&search(index, &[query, "--all-copies"]).0)
}

#[test]
fn a_second_run_reads_nothing_when_nothing_changed() {
    let dir = folder();
    let (input, idx) = (dir.path().join("input"), dir.path().join("index"));
    let (code, stderr) = index(&idx, &[&input], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("indexed 5 documents from 5 new files"),
        "{stderr}"
    );
    let (code, stderr) = index(&idx, &[&input], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("indexed 0 documents from 0 new files, 5 unchanged files"),
        "{stderr}"
    );
    assert!(stderr.contains("read 0.0 MB"), "{stderr}");
    // Touched but not changed: still unchanged, and not indexed twice.
    let page = input.join("004_db3b67613d57645f.txt");
    let text = fs::read(&page).unwrap();
    fs::write(&page, text).unwrap();
    let (_, stderr) = index(&idx, &[&input], &[]);
    assert!(stderr.contains("5 unchanged files"), "{stderr}");
    assert_eq!(documents(&idx), 5);
}

#[test]
fn changed_new_and_deleted_files_are_updated_added_and_removed() {
    let dir = folder();
    let (input, idx) = (dir.path().join("input"), dir.path().join("index"));
    index(&idx, &[&input], &[]);
    assert_eq!(ids(&idx, "Sévaré").len(), 0);

    // One page gains a paragraph, one is deleted, an export of two articles arrives.
    let page = input.join("004_db3b67613d57645f.txt");
    let text = fs::read_to_string(&page).unwrap();
    assert!(text.contains("entre Bankass et Bandiagara"));
    let text = text.replacen(
        "entre Bankass et Bandiagara",
        "entre Bankass et Bandiagara, non loin de Sévaré",
        1,
    );
    fs::write(&page, text).unwrap();
    let gone = input.join("000_8f5ac768766ebcbc.txt");
    let gone_title = fs::read_to_string(&gone).unwrap();
    fs::remove_file(&gone).unwrap();
    let export: String = fs::read_to_string(root().join("tests/fixtures/sahel/articles.jsonl"))
        .unwrap()
        .lines()
        .take(2)
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(input.join("export.jsonl"), export).unwrap();

    let (code, stderr) = index(&idx, &[&input], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "indexed 2 documents from 1 new file, 1 from 1 changed file, 3 unchanged files"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 file gone from the folders: 1 document removed"),
        "{stderr}"
    );
    assert_eq!(documents(&idx), 5 - 1 + 2);
    // The changed page is found by its new words, once.
    let found = ids(&idx, "Sévaré");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].ends_with("004_db3b67613d57645f.txt"));
    // The deleted page is gone: its first line (title) no longer matches as a phrase.
    let first_line = gone_title.lines().find(|l| l.len() > 30).unwrap();
    let (json, _, _) = search(&idx, &[&format!("\"{}\"", &first_line[..30])]);
    assert!(
        json["hits"].as_array().is_none_or(|h| h
            .iter()
            .all(|h| !h["source"].as_str().unwrap().contains("000_"))),
        "{json}"
    );
}

#[test]
fn documents_of_missing_files_can_be_kept_and_a_missing_folder_removes_nothing() {
    let dir = folder();
    let (input, idx) = (dir.path().join("input"), dir.path().join("index"));
    index(&idx, &[&input], &[]);
    fs::remove_file(input.join("001_6c0a91cd67c955b8.txt")).unwrap();
    let (code, stderr) = index(&idx, &[&input], &["--keep-missing"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("1 file gone from the folders: 1 document kept"),
        "{stderr}"
    );
    assert_eq!(documents(&idx), 5);
    // A folder that is not there (a typo, an unmounted disk) is reported and removes nothing.
    let (code, stderr) = index(&idx, &[&dir.path().join("inptu")], &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("inptu: no such file or directory"),
        "{stderr}"
    );
    assert_eq!(documents(&idx), 5);
    // Without --keep-missing the gone file's document goes.
    let (_, stderr) = index(&idx, &[&input], &[]);
    assert!(stderr.contains("1 document removed"), "{stderr}");
    assert_eq!(documents(&idx), 4);
}

#[test]
fn files_outside_the_folders_walked_are_left_alone() {
    let dir = folder();
    let (input, idx) = (dir.path().join("input"), dir.path().join("index"));
    let sahel = root().join("tests/fixtures/sahel/articles.jsonl");
    index(&idx, &[&input, &sahel], &[]);
    assert_eq!(documents(&idx), 45);
    // Re-indexing only the folder neither re-reads nor removes the export.
    let (_, stderr) = index(&idx, &[&input], &[]);
    assert!(stderr.contains("5 unchanged files"), "{stderr}");
    assert_eq!(documents(&idx), 45);
}

/// A republication indexed in a later run joins the story of the text it copies, whose
/// signature the first run left in the file beside the index (read back from there, not kept
/// in memory); and so does one indexed after a commit of the same run.
#[test]
fn a_copy_indexed_later_joins_the_story_of_its_original() {
    let dir = TempDir::new().unwrap();
    let (input, idx) = (dir.path().join("input"), dir.path().join("index"));
    fs::create_dir(&input).unwrap();
    let original = fs::read_to_string(samples().join("004_db3b67613d57645f.txt")).unwrap();
    fs::write(input.join("a.txt"), &original).unwrap();
    let (code, stderr) = index(&idx, &[&input], &[]);
    assert_eq!(code, 0, "{stderr}");
    let stories = |idx: &Path| {
        let (json, _, _) = search(idx, &["Bankass Bandiagara", "-n", "20"]);
        (
            json["total"].as_u64().unwrap(),
            json["stories"].as_u64().unwrap(),
        )
    };
    assert_eq!(stories(&idx), (1, 1));
    // Republished a day later by another site, with a line of its own.
    let copy = format!("{original}\nLire aussi : nos autres articles sur le Sahel.\n");
    fs::write(input.join("b.txt"), &copy).unwrap();
    let (code, stderr) = index(&idx, &[&input], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stories(&idx), (2, 1));
    // Two more copies in one run that commits after each file: the second is compared with
    // the first through the file too.
    fs::write(input.join("c.txt"), format!("{copy}Partager.\n")).unwrap();
    fs::write(input.join("d.txt"), format!("{copy}Commenter.\n")).unwrap();
    let (code, stderr) = index(&idx, &[&input], &["--commit-every", "1"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stories(&idx), (4, 1));
    // Another story stays its own.
    let other = fs::read_to_string(samples().join("000_8f5ac768766ebcbc.txt")).unwrap();
    fs::write(input.join("e.txt"), other).unwrap();
    index(&idx, &[&input], &[]);
    assert_eq!(documents(&idx), 5);
    assert_eq!(stories(&idx), (4, 1));
}
