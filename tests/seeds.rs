//! Cleaning and dates of every seed page against the hand labels
//! (`tests/fixtures/seeds.labels.json`, copied from shared/eval).

use std::path::Path;

use chrono::NaiveDate;
use serde_json::Value;
use vigie::clean::{clean, Article};
use vigie::ingest::{Content, Origin, RawRecord};

fn labels() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds.labels.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn seed(name: &str) -> Article {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    clean(&RawRecord {
        origin: Origin {
            path,
            locator: None,
        },
        content: Content::Page(text),
    })
    .unwrap()
}

fn seeds() -> Vec<(String, Value)> {
    labels()
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[test]
fn every_seed_gets_its_labelled_title() {
    for (name, label) in seeds() {
        assert_eq!(
            seed(&name).title,
            label["title"].as_str().unwrap(),
            "{name}"
        );
    }
}

#[test]
fn every_seed_gets_its_labelled_date_within_tolerance() {
    for (name, label) in seeds() {
        let expected =
            NaiveDate::parse_from_str(label["date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        let tolerance = label["date_tolerance_days"].as_i64().unwrap();
        let found = seed(&name)
            .date
            .unwrap_or_else(|| panic!("{name}: no date found"));
        let off = (found - expected).num_days().abs();
        assert!(
            off <= tolerance,
            "{name}: found {found}, labelled {expected} ± {tolerance}"
        );
        assert_eq!(
            seed(&name).year(),
            label["year"].as_i64().map(|y| y as i32),
            "{name}"
        );
    }
}

#[test]
fn every_seed_is_detected_as_french() {
    for (name, label) in seeds() {
        assert_eq!(
            seed(&name).lang.as_deref(),
            label["lang"].as_str(),
            "{name}"
        );
    }
}

#[test]
fn no_boilerplate_line_survives_in_a_body() {
    let furniture = [
        "Coupe arabe",
        "Bourita",
        "Merci d'avoir signalé",
        "Cette image sera automatiquement",
        "Cliquez ici",
        "Publicité",
        "Crédit Photo",
        "Commentaires (2)",
        "Indiquer votre",
        "Champs obligatoire",
        "Conformément à la loi",
        "Votre commentaire",
        "Derniers commentaires",
        "Djibril",
        "guignols",
        "cookies",
        "LSI AFRICA",
        "Rédigé par",
        "Publié dans",
    ];
    for (name, label) in seeds() {
        let article = seed(&name);
        for line in furniture {
            assert!(
                !article.body.contains(line),
                "{name}: «{line}» left in the body"
            );
        }
        for name_only in label["not_in_article"].as_array().into_iter().flatten() {
            assert!(
                !article.body.contains(name_only.as_str().unwrap()),
                "{name}: {name_only}"
            );
        }
        // The article's own text is all there.
        assert!(
            article.body.len() > 1500,
            "{name}: body too short ({} bytes)",
            article.body.len()
        );
    }
}
