//! Precision and recall of places and actors on labelled articles: the five seeds and 40 Sahel
//! articles of OrangeSum labelled by hand (tests/fixtures/sahel).

use std::path::Path;

use vigie::eval::{evaluate, load_labels, Report};
use vigie::ingest::WalkOptions;
use vigie::pipeline::extract;

fn run(input: &str, labels: &str) -> Report {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let labels = load_labels(&root.join(labels)).unwrap();
    let extracted: Vec<_> = extract(&root.join(input), &WalkOptions::default())
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    let report = evaluate(&labels, &extracted);
    for diff in &report.differences {
        eprintln!(
            "{}: missed {:?}, extra {:?}",
            diff.key, diff.missed, diff.extra
        );
    }
    eprintln!(
        "{input}: actors P {:.3} R {:.3}; places P {:.3} R {:.3}",
        report.actors.precision(),
        report.actors.recall(),
        report.locations.precision(),
        report.locations.recall()
    );
    assert!(
        report.not_found.is_empty(),
        "labelled but not extracted: {:?}",
        report.not_found
    );
    report
}

/// The target: precision and recall of at least 0.90 for actors and for places.
fn assert_meets_target(r: &Report) {
    for (what, score) in [("actors", r.actors), ("places", r.locations)] {
        assert!(
            score.precision() >= 0.9 && score.recall() >= 0.9,
            "{what}: {r:?}"
        );
    }
}

#[test]
fn seeds_reach_the_target_precision_and_recall() {
    let r = run("samples", "tests/fixtures/seeds.labels.json");
    assert_eq!(r.documents, 5);
    assert_meets_target(&r);
}

#[test]
fn labelled_sahel_articles_reach_the_target_precision_and_recall() {
    let r = run(
        "tests/fixtures/sahel/articles.jsonl",
        "tests/fixtures/sahel/labels.json",
    );
    assert_eq!(r.documents, 40);
    assert_meets_target(&r);
}
