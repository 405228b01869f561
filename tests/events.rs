//! Event coding (what happened, how many were killed, when) on hand-labelled articles, and
//! through the real binary: `vigie extract`, `vigie eval`, the filters, the fatality totals
//! over stories and the event table of `vigie search --format`.
//!
//! The labels (`tests/fixtures/seeds.events.json`, from `shared/eval`, and
//! `tests/fixtures/events/labels.json`) were written by readers who did not see the
//! extractor's output; see `tests/fixtures/events/README.md`.

use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;
use vigie::eval::events::{evaluate, load_labels, Report};
use vigie::ingest::WalkOptions;
use vigie::pipeline::extract;

mod common;
use common::{root, search, vigie};

fn evaluated(labels: &str, inputs: &[&str]) -> Report {
    let labels = load_labels(&root().join(labels)).unwrap();
    let extracted: Vec<_> = inputs
        .iter()
        .flat_map(|input| extract(&root().join(input), &WalkOptions::default()))
        .filter_map(Result::ok)
        .collect();
    let report = evaluate(&labels, &extracted);
    for diff in &report.differences {
        eprintln!("{diff:?}");
    }
    eprintln!(
        "types P {:.3} R {:.3}; killed exact {:.3} (MAE {:.2}); date exact {:.3} (±1 day {:.3})",
        report.types.precision(),
        report.types.recall(),
        report.killed_exact_rate(),
        report.killed_mean_error(),
        report.date_exact_rate(),
        report.date_within_a_day_rate()
    );
    report
}

#[test]
fn the_seeds_are_coded_as_labelled() {
    let report = evaluated("tests/fixtures/seeds.events.json", &["samples"]);
    assert_eq!(report.documents, 5);
    assert!(report.not_found.is_empty(), "{:?}", report.not_found);
    assert!(
        report.differences.is_empty(),
        "every seed's types, killed and event date: {:#?}",
        report.differences
    );
}

/// Types precision and recall, killed exact and event day exact.
fn figures(report: &Report) -> (f64, f64, f64, f64) {
    (
        report.types.precision(),
        report.types.recall(),
        report.killed_exact_rate(),
        report.date_exact_rate(),
    )
}

/// The targets on the 65 labelled OrangeSum articles (types P ≥ 0.90, R ≥ 0.85;
/// killed exact ≥ 0.80; event day exact ≥ 0.85), which the rules were written against: a
/// change of rules that loses ground fails here.
#[test]
fn the_labelled_sahel_articles_stay_at_the_targets() {
    let report = evaluated(
        "tests/fixtures/events/labels.json",
        &[
            "tests/fixtures/sahel/articles.jsonl",
            "tests/fixtures/events/articles.jsonl",
        ],
    );
    assert_eq!(report.documents, 65);
    assert!(report.not_found.is_empty(), "{:?}", report.not_found);
    let figures = figures(&report);
    assert!(
        figures.0 >= 0.90 && figures.1 >= 0.85 && figures.2 >= 0.80 && figures.3 >= 0.85,
        "types P, R, killed, day: {figures:?}"
    );
}

/// Asserts floors (types P, R, killed exact, day exact) on a labelled set of 40 articles.
fn above_floor(set: &str, floors: (f64, f64, f64, f64)) {
    let articles = format!("{set}/articles.jsonl");
    let report = evaluated(&format!("{set}/labels.json"), &[articles.as_str()]);
    assert_eq!(report.documents, 40);
    assert!(report.not_found.is_empty(), "{:?}", report.not_found);
    let figures = figures(&report);
    assert!(
        figures.0 >= floors.0
            && figures.1 >= floors.1
            && figures.2 >= floors.2
            && figures.3 >= floors.3,
        "types P, R, killed, day: {figures:?}"
    );
}

/// The first held-out set (`tests/fixtures/events/heldout`: 20 Sahel and 20 general news
/// articles, labelled blind) measured how the rules carried over; its differences were then
/// read to write rules, so it is a development set now and its floor sits just under today's
/// figures.
#[test]
fn the_first_held_out_articles_stay_above_a_floor() {
    above_floor("tests/fixtures/events/heldout", (0.64, 0.64, 0.72, 0.77));
}

/// The second held-out set (`tests/fixtures/events/blind2`: 30 Sahel and 10 general news
/// articles, labelled blind, never read to write rules): a floor just under the figures
/// measured on it, so that a rule that only fits the development sets fails here.
#[test]
fn the_second_held_out_articles_stay_above_a_floor() {
    above_floor("tests/fixtures/events/blind2", (0.76, 0.69, 0.82, 0.85));
}

fn extract_json(text: &str, published: &str) -> Value {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("a.jsonl");
    let record =
        serde_json::json!({"id": "a", "title": "Mali", "article": text, "date": published});
    std::fs::write(&file, format!("{record}\n")).unwrap();
    let out = vigie()
        .arg("extract")
        .arg("--json")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let all: Value = serde_json::from_slice(&out.stdout).unwrap();
    all[0].clone()
}

#[test]
fn extract_shows_events_fatalities_and_the_event_date() {
    let coded = extract_json(
        "Une embuscade a tué douze soldats et blessé cinq autres dimanche près de Bandiagara. \
         Sept terroristes ont été neutralisés. L'armée déplore 42 militaires tués depuis 2013.",
        "2024-10-22",
    );
    assert_eq!(coded["events"][0]["type"], "ambush");
    assert_eq!(coded["events"][0]["words"][0], "embuscade");
    assert_eq!(coded["killed"], 12);
    assert_eq!(coded["event_date"], "2024-10-20");
    assert_eq!(coded["event_date_words"], "dimanche");
    let rejected: Vec<&str> = coded["fatalities"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rejected"].as_str())
        .collect();
    assert!(
        rejected.iter().any(|why| why.contains("wounded")),
        "{rejected:?}"
    );
    assert!(
        rejected.iter().any(|why| why.contains("neutralisés")),
        "{rejected:?}"
    );
    assert!(
        rejected.iter().any(|why| why.contains("background")),
        "{rejected:?}"
    );

    let none = extract_json(
        "Le président a reçu ses homologues du G5 Sahel.",
        "2024-10-22",
    );
    assert_eq!(none["events"], serde_json::json!([]));
    assert_eq!(none["killed"], Value::Null);
    assert_eq!(none["event_date"], Value::Null);

    // The terminal shows the counted and the rejected phrases, and why.
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("a.txt");
    std::fs::write(
        &file,
        "Embuscade près de Bandiagara\n\nUne embuscade a tué douze soldats et blessé cinq autres dimanche.\n",
    )
    .unwrap();
    let out = vigie().arg("extract").arg(&file).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("ambush  ← Embuscade, embuscade"), "{text}");
    assert!(text.contains("counted   12 forces"), "{text}");
    assert!(text.contains("rejected  wounded, not killed"), "{text}");
}

#[test]
fn eval_reports_event_coding_on_event_labels() {
    let out = vigie()
        .arg("eval")
        .arg("--labels")
        .arg(root().join("tests/fixtures/seeds.events.json"))
        .arg(root().join("samples"))
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["documents"], 5);
    assert_eq!(report["killed_exact"], 5);
    assert_eq!(report["date_exact"], 5);
    assert_eq!(report["types"]["false_positives"], 0);
}

/// The samples, the 40 Sahel articles, and two copies of the ambush seed that give
/// different tolls (10, and 12 in the second): one story.
fn indexed() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let copies = dir.path().join("copies");
    std::fs::create_dir(&copies).unwrap();
    let seed = std::fs::read_to_string(root().join("samples/004_db3b67613d57645f.txt")).unwrap();
    assert!(seed.contains("des pertes humaines importantes"));
    let twelve = seed.replace(
        "des pertes humaines importantes",
        "des pertes humaines importantes, douze morts selon une source locale",
    );
    std::fs::write(copies.join("copy-a.txt"), &seed).unwrap();
    std::fs::write(copies.join("copy-b.txt"), twelve).unwrap();
    let index = dir.path().join("index");
    let inputs: [&Path; 3] = [
        &root().join("samples"),
        &root().join("tests/fixtures/sahel/articles.jsonl"),
        &copies,
    ];
    let (code, stderr) = common::index(&index, &inputs, &[]);
    assert_eq!(code, 0, "{stderr}");
    (dir, index)
}

fn titles(json: &Value) -> Vec<String> {
    json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn search_filters_by_event_type_killed_and_event_date_and_totals_over_stories() {
    let (_dir, index) = indexed();
    // The French word is an alias of the type; hits carry their coding.
    let (ambush, code, _) = search(&index, &["Bankass", "--event", "embuscade", "-n", "50"]);
    assert_eq!(code, 0);
    assert_eq!(ambush["stories"], 1, "{}", ambush["hits"]);
    let hit = &ambush["hits"][0];
    assert_eq!(hit["events"], serde_json::json!(["ambush"]));
    assert_eq!(hit["killed"], 10);
    assert_eq!(hit["event_date"], "2024-10-22");
    assert_eq!(hit["copies"], 2);
    // Totals over stories: three copies of the ambush (10, 10, 12) count once, at 10.
    assert_eq!(ambush["facets"]["killed"]["total"], 10);
    assert_eq!(ambush["facets"]["killed"]["stories"], 1);
    assert_eq!(ambush["facets"]["killed"]["event"]["ambush"], 10);
    assert_eq!(ambush["facets"]["killed"]["year"]["2024"], 10);
    assert_eq!(ambush["facets"]["killed"]["month"]["2024-10"], 10);
    assert_eq!(ambush["facets"]["killed"]["location"]["/Mali"], 10);
    assert_eq!(ambush["facets"]["event"]["ambush"], 3);
    // Repeated: any of them; query syntax too.
    let (either, _, _) = search(&index, &["--event", "ambush", "--event", "ied", "-n", "50"]);
    let (syntax, _, _) = search(&index, &["event:embuscade OR event:EEI", "-n", "50"]);
    assert!(either["stories"].as_u64().unwrap() > 1);
    let sorted = |json: &Value| {
        let mut t = titles(json);
        t.sort();
        t
    };
    assert_eq!(sorted(&either), sorted(&syntax));
    // At least N killed.
    let (many, _, _) = search(&index, &["--min-killed", "30", "-n", "50"]);
    assert!(many["total"].as_u64().unwrap() >= 1);
    for hit in many["hits"].as_array().unwrap() {
        assert!(hit["killed"].as_u64().unwrap() >= 30, "{hit}");
    }
    // The event's day instead of the publication's: the operation of seed 003 began on
    // 1 February 2022; the article was published on the 9th.
    let (published, _, _) = search(&index, &["--from", "2022-02-01", "--to", "2022-02-05"]);
    let (event, _, _) = search(
        &index,
        &[
            "--from",
            "2022-02-01",
            "--to",
            "2022-02-05",
            "--date-of",
            "event",
        ],
    );
    assert_eq!(
        published["total"], 0,
        "the seed was published on 9 February"
    );
    assert_eq!(titles(&event).len(), 1, "its operation began on 1 February");
    let (years, _, _) = search(&index, &["--year", "2022", "--date-of", "event"]);
    assert_eq!(years["total"], 1);
    // A wrong type is refused with the list of types.
    let (_, code, stderr) = search(&index, &["--event", "pique-nique"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("known types") && stderr.contains("ambush (embuscade)"),
        "{stderr}"
    );
}

#[test]
fn the_terminal_shows_the_coding_and_the_totals() {
    let (_dir, index) = indexed();
    let out = vigie()
        .args(["search", "--index"])
        .arg(&index)
        .args(["Bankass", "--event", "embuscade"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("ambush · 10 killed · on 2024-10-22"),
        "{text}"
    );
    assert!(text.contains("by event: ambush (3)"), "{text}");
    assert!(
        text.contains("10 killed, in 1 story reporting deaths"),
        "{text}"
    );
}

#[test]
fn search_exports_an_event_table_with_acled_columns() {
    let (_dir, index) = indexed();
    let out = vigie()
        .args(["search", "--index"])
        .arg(&index)
        .args(["--min-killed", "1", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let (header, rows) = common::export_rows(&String::from_utf8(out.stdout).unwrap());
    let (json, _, _) = search(&index, &["--min-killed", "1"]);
    assert_eq!(
        rows.len() as u64,
        json["stories"].as_u64().unwrap(),
        "one row a story"
    );
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let ambush = rows
        .iter()
        .find(|r| &r[column("types")] == "ambush")
        .expect("the ambush");
    assert_eq!(&ambush[column("event_date")], "2024-10-22");
    assert_eq!(&ambush[column("event_type")], "Battles");
    assert_eq!(&ambush[column("sub_event_type")], "Armed clash");
    assert_eq!(&ambush[column("fatalities")], "10");
    assert_eq!(&ambush[column("country")], "Mali");
    assert_eq!(&ambush[column("admin1")], "Mopti");
    assert!(ambush[column("notes")].starts_with("Nouvelle embuscade meurtrière"));
    // JSON Lines: the same rows, typed.
    let out = vigie()
        .args(["search", "--index"])
        .arg(&index)
        .args(["--min-killed", "1", "--format", "jsonl"])
        .output()
        .unwrap();
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), rows.len());
    assert!(lines.iter().all(|l| l["fatalities"].as_u64().unwrap() >= 1));
    // Nothing matches: the header alone, exit code 1.
    let out = vigie()
        .args(["search", "--index"])
        .arg(&index)
        .args(["--event", "shelling", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 1);
}
