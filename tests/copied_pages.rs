//! Text copied from web pages (select all, copy, save as `.txt`: the browser's tab title on
//! the first line, then menus, related headlines, bylines, the article, comments), rendered
//! from pages built around real OrangeSum articles (tests/fixtures/copies/README.md): the
//! article's title and publication date are found, not a related headline, a site's name, a
//! byline's first half or a header's clock.
//!
//! `copies/` and `copies/heldout/` are development sets (their failures were read while the
//! rules were written; `heldout/` was measured blind first: titles 17 of 18, dates 13 of 18);
//! `copies/heldout2/`, made by someone else and not read while writing rules, measures them.

use std::path::Path;

use serde::Deserialize;
use vigie::ingest::WalkOptions;

#[derive(Debug, Deserialize)]
struct Label {
    file: String,
    title: String,
    date: String,
}

/// The labelled copies of a folder that read right, and the failures.
fn read_copies(dir: &Path) -> (usize, usize, Vec<String>) {
    let labels: Vec<Label> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("labels.json")).unwrap()).unwrap();
    let mut failures = Vec::new();
    let (mut titles, mut dates) = (0, 0);
    for label in &labels {
        let results = vigie::pipeline::extract(&dir.join(&label.file), &WalkOptions::default());
        let articles: Vec<_> = results.into_iter().filter_map(Result::ok).collect();
        let [vigie::pipeline::Extracted { article, .. }] = &articles[..] else {
            failures.push(format!("{}: {} articles", label.file, articles.len()));
            continue;
        };
        if article.title == label.title {
            titles += 1;
        } else {
            failures.push(format!("{}: title {:?}", label.file, article.title));
        }
        let date = article.date.map(|d| d.to_string());
        if date.as_deref() == Some(label.date.as_str()) {
            dates += 1;
        } else {
            failures.push(format!(
                "{}: date {date:?}, expected {}",
                label.file, label.date
            ));
        }
    }
    assert!(labels.len() >= 16, "{} labels", labels.len());
    (
        titles * 1000 / labels.len(),
        dates * 1000 / labels.len(),
        failures,
    )
}

fn copies() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/copies")
}

#[test]
fn every_copy_of_the_development_set_gives_its_title_and_date() {
    let (titles, dates, failures) = read_copies(&copies());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!((titles, dates), (1000, 1000));
}

#[test]
fn every_copy_of_the_second_development_set_gives_its_title_and_date() {
    let (titles, dates, failures) = read_copies(&copies().join("heldout"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!((titles, dates), (1000, 1000));
}

/// The held-out set, measured when it was made (2026-12-01, read by no one tuning the rules):
/// titles 17 of 21, dates 13 of 21. These floors keep that; the failures are not listed here
/// so that they are not read while rules are written.
#[test]
fn the_held_out_copies_keep_their_measured_accuracy() {
    let (titles, dates, _) = read_copies(&copies().join("heldout2"));
    assert!(titles >= 809, "titles {titles}‰");
    assert!(dates >= 619, "dates {dates}‰");
}
