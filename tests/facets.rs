//! Places and actors through the real binary: filters, alias expansion, facet counts,
//! `vigie facets`, `vigie extract`, `vigie eval`.

use std::path::PathBuf;

use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::{root, search, vigie};

/// The samples and the 40 labelled OrangeSum articles, indexed once per test.
fn indexed() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let index = dir.path().join("index");
    vigie()
        .arg("index")
        .arg("--index")
        .arg(&index)
        .arg(root().join("samples"))
        .arg(root().join("tests/fixtures/sahel/articles.jsonl"))
        .assert()
        .success();
    (dir, index)
}

fn ids(json: &Value) -> Vec<String> {
    json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            h["source"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn a_region_filter_returns_the_articles_of_its_towns() {
    let (_dir, index) = indexed();
    let (json, code, _) = search(&index, &["", "--location", "Mopti", "--limit", "50"]);
    assert_eq!(code, 0);
    assert!(
        ids(&json).contains(&"004_db3b67613d57645f.txt".to_string()),
        "{:?}",
        ids(&json)
    );
    for hit in json["hits"].as_array().unwrap() {
        assert!(hit["locations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l.as_str().unwrap().starts_with("/Mali/Mopti")));
    }
    // Accents optional, paths accepted, and the same documents either way.
    let (a, _, _) = search(&index, &["", "--location", "Segou"]);
    let (b, _, _) = search(&index, &["", "--location", "/Mali/Ségou"]);
    assert_eq!(ids(&a), ids(&b));
    assert!(ids(&a).contains(&"002_0247bc0df2810914.txt".to_string()));
}

#[test]
fn an_ambiguous_place_name_is_reported_with_its_candidates() {
    let (_dir, index) = indexed();
    let (_, code, stderr) = search(&index, &["", "--location", "Sirakoro"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("places have that name") && stderr.contains("/Mali/"),
        "{stderr}"
    );
}

#[test]
fn an_actor_filter_accepts_any_alias() {
    let (_dir, index) = indexed();
    let (jnim, _, _) = search(&index, &["", "--actor", "JNIM"]);
    let (gsim, _, _) = search(&index, &["", "--actor", "GSIM"]);
    let (rvim, _, _) = search(&index, &["", "--actor", "rvim"]);
    assert_eq!(ids(&jnim), ids(&gsim));
    assert_eq!(ids(&jnim), ids(&rvim));
    assert!(ids(&jnim).contains(&"004_db3b67613d57645f.txt".to_string()));
    let (_, code, stderr) = search(&index, &["", "--actor", "Brigade fantôme"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("known actors"), "{stderr}");
}

#[test]
fn filters_combine_with_or_inside_and_and_across() {
    let (_dir, index) = indexed();
    let (wagner, _, _) = search(&index, &["", "--actor", "Wagner"]);
    let (takuba, _, _) = search(&index, &["", "--actor", "Takuba"]);
    let (either, _, _) = search(
        &index,
        &[
            "", "--actor", "Wagner", "--actor", "Takuba", "--limit", "100",
        ],
    );
    let mut union: Vec<String> = ids(&wagner).into_iter().chain(ids(&takuba)).collect();
    union.sort();
    union.dedup();
    let mut got = ids(&either);
    got.sort();
    assert_eq!(got, union);
    let (json, code, _) = search(&index, &["", "--actor", "JNIM", "--year", "2024"]);
    assert_eq!(code, 0);
    assert_eq!(ids(&json), ["004_db3b67613d57645f.txt"]);
    let (_, code, _) = search(&index, &["", "--actor", "JNIM", "--year", "2021"]);
    assert_eq!(code, 1);
}

#[test]
fn an_alias_in_the_query_also_finds_documents_tagged_with_its_actor() {
    let (_dir, index) = indexed();
    // Seed 004 says JNIM and "Groupe de soutien à l'islam…", never GSIM.
    let (json, code, _) = search(&index, &["GSIM"]);
    assert_eq!(code, 0);
    assert!(ids(&json).contains(&"004_db3b67613d57645f.txt".to_string()));
    let notes = json["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().contains("actor JNIM")),
        "{notes:?}"
    );
    // Unquoted words that together are an alias.
    let (json, _, _) = search(&index, &["mercenaires", "russes"]);
    assert!(json["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().contains("actor Wagner")));
    let human = vigie()
        .arg("search")
        .arg("--index")
        .arg(&index)
        .arg("GSIM")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&human.stdout)
        .contains("also matches documents tagged with the actor JNIM"));
}

#[test]
fn facet_counts_cover_places_and_actors_with_drill_down() {
    let (_dir, index) = indexed();
    let (json, _, _) = search(&index, &["Mali"]);
    let countries = json["facets"]["location"].as_object().unwrap();
    assert!(countries.contains_key("/Mali"), "{countries:?}");
    assert!(countries.keys().all(|k| k.matches('/').count() == 1));
    assert!(json["facets"]["actor"]
        .as_object()
        .unwrap()
        .contains_key("Barkhane"));
    let (json, _, _) = search(&index, &["", "--facet-location", "/Mali/Mopti"]);
    let cercles = json["facets"]["location"].as_object().unwrap();
    assert!(
        cercles.keys().all(|k| k.starts_with("/Mali/Mopti/")),
        "{cercles:?}"
    );
    assert!(cercles.contains_key("/Mali/Mopti/Bandiagara"));
}

#[test]
fn hits_carry_their_places_and_actors() {
    let (_dir, index) = indexed();
    let (json, _, _) = search(&index, &["embuscade Bandiagara"]);
    let hit = &json["hits"][0];
    let locations: Vec<&str> = hit["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let actors: Vec<&str> = hit["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        locations.contains(&"/Mali/Mopti/Bandiagara") && locations.contains(&"/Mali/Mopti/Bankass")
    );
    assert!(
        locations.iter().any(|l| l.starts_with("/Mali/Kidal/")),
        "Tin Zaouatine: {locations:?}"
    );
    for actor in ["FAMa", "Wagner", "JNIM", "CSP-DPA"] {
        assert!(actors.contains(&actor), "{actor} in {actors:?}");
    }
    // The hotel "campement Kangaba" and the headline-run "Niamey" are not places of their articles.
    let (json, _, _) = search(&index, &["", "--location", "Niamey"]);
    assert!(!ids(&json).iter().any(|i| i.starts_with("003_")));
    let (json, _, _) = search(&index, &["", "--location", "/Mali/Koulikoro/Kangaba"]);
    assert!(!ids(&json).iter().any(|i| i.starts_with("002_")));
}

#[test]
fn facets_lists_the_whole_index() {
    let (_dir, index) = indexed();
    let out = vigie()
        .arg("facets")
        .arg("--index")
        .arg(&index)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["documents"].as_u64(), Some(45));
    assert!(json["actor"]["Barkhane"].as_u64().unwrap() >= 4);
    assert!(json["lang"]["fr"].as_u64().unwrap() >= 40);
    let mali = json["location"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "/Mali")
        .unwrap();
    assert!(mali["children"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["path"] == "/Mali/Mopti"));
}

#[test]
fn extract_shows_the_words_that_named_each_entity() {
    let out = vigie()
        .args(["extract", "--json"])
        .arg(root().join("samples/004_db3b67613d57645f.txt"))
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let wagner = json[0]["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["value"] == "Wagner")
        .unwrap();
    assert!(wagner["words"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w == "mercenaires russes"));
    let tin = json[0]["locations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["value"].as_str().unwrap().contains("Zaou"))
        .unwrap();
    assert_eq!(tin["words"][0], "Tin Zaouatine");
    let human = vigie()
        .arg("extract")
        .arg(root().join("samples/004_db3b67613d57645f.txt"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("/Mali/Mopti/Bandiagara") && text.contains("← mercenaires russes"),
        "{text}"
    );
}

#[test]
fn eval_prints_precision_and_recall() {
    let out = vigie()
        .arg("eval")
        .arg("--labels")
        .arg(root().join("tests/fixtures/seeds.labels.json"))
        .arg(root().join("samples"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("5 labelled documents"), "{text}");
    assert!(
        text.contains("actors  precision") && text.contains("places  precision"),
        "{text}"
    );
}

#[test]
fn the_timeline_counts_every_month_of_the_span_and_draws_it() {
    let (_dir, index) = indexed();
    let (json, code, _) = search(&index, &["", "--limit", "0"]);
    assert_eq!(code, 0);
    let months = json["facets"]["month"].as_object().unwrap();
    let keys: Vec<&String> = months.keys().collect();
    // Every month from the oldest article's to the newest's, in order, none missing.
    let first = keys.first().unwrap().as_str();
    let last = keys.last().unwrap().as_str();
    let number = |m: &str| m[..4].parse::<i32>().unwrap() * 12 + m[5..].parse::<i32>().unwrap();
    assert_eq!(
        keys.len() as i32,
        number(last) - number(first) + 1,
        "{first}..{last}"
    );
    assert!(keys.windows(2).all(|w| number(w[1]) == number(w[0]) + 1));
    assert!(
        months.values().any(|n| n.as_u64() == Some(0)),
        "months without article"
    );
    // The months add up to the years.
    let sum = |facet: &str| -> u64 {
        json["facets"][facet]
            .as_object()
            .unwrap()
            .values()
            .map(|n| n.as_u64().unwrap())
            .sum()
    };
    assert_eq!(sum("month"), sum("year"));
    assert_eq!(
        months["2024-10"].as_u64(),
        Some(1),
        "the ambush of seed 004"
    );
    // More than three years: a bar a year in the terminal.
    let out = vigie()
        .args(["search", "--index"])
        .arg(&index)
        .args(["", "--limit", "0", "--timeline"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let bars: Vec<&str> = text.lines().filter(|l| l.contains('█')).collect();
    assert!(!bars.is_empty(), "{text}");
    assert!(
        bars.iter()
            .all(|l| l[..4].parse::<i32>().is_ok() && l.as_bytes()[4] == b' '),
        "{text}"
    );
    // Within three years, a bar a month.
    let out = vigie()
        .args(["search", "--index"])
        .arg(&index)
        .args([
            "",
            "--from",
            "2020-01",
            "--to",
            "2020-12",
            "--limit",
            "0",
            "--timeline",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("2020-") && l.contains('█')),
        "{text}"
    );
}
