//! Ranking that knows places and actors, through the binary: a place name in a query expands
//! to the places under it (and `--exact` or quotes turn that off), documents that name the
//! entity rank above those matched only through their tags, words close together rank above
//! words far apart, and `vigie eval --queries` measures a judged set.

mod common;

use std::path::PathBuf;

use serde_json::Value;
use tempfile::TempDir;

use common::{root, search, vigie};

/// The samples and the 40 Sahel articles of OrangeSum.
fn indexed() -> (TempDir, PathBuf) {
    common::indexed(&[
        &root().join("samples"),
        &root().join("tests/fixtures/sahel/articles.jsonl"),
    ])
}

fn ids(json: &Value) -> Vec<String> {
    json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

fn notes(json: &Value) -> String {
    json["notes"].to_string()
}

/// The ambush seed names Bandiagara and Bankass, never Mopti, their region.
const AMBUSH: &str = "1e1ba2f3350ef003";
/// An article that names Mopti itself (and a place under it).
const NAMES_MOPTI: &str = "19412";

#[test]
fn a_place_name_finds_the_places_under_it_after_the_places_it_names() {
    let (_dir, index) = indexed();
    let seed = std::fs::read_to_string(root().join("samples/004_db3b67613d57645f.txt")).unwrap();
    assert!(seed.contains("Bandiagara") && !seed.contains("Mopti"));
    let (json, code, stderr) = search(&index, &["attaque Mopti"]);
    assert_eq!(code, 0, "{stderr}");
    let found = ids(&json);
    let (named, under) = (
        found.iter().position(|id| id == NAMES_MOPTI),
        found.iter().position(|id| id == AMBUSH),
    );
    assert!(
        named.is_some() && under.is_some(),
        "{found:?} {}",
        notes(&json)
    );
    assert!(named < under, "explicit mention first: {found:?}");
    assert!(notes(&json).contains("/Mali/Mopti or a place in it"));
    // Lowercase and unaccented, as analysts type.
    let (lower, _, _) = search(&index, &["attaque mopti"]);
    assert_eq!(ids(&lower), found);
    // --exact and a quoted name are the words only.
    for args in [
        &["attaque Mopti", "--exact"][..],
        &["attaque \"Mopti\""][..],
    ] {
        let (json, _, _) = search(&index, args);
        assert!(!ids(&json).contains(&AMBUSH.to_string()), "{args:?}");
        assert!(!notes(&json).contains("place in it"), "{args:?}");
    }
}

/// Droukdel is written Droukdal in six of the seven Sahel articles that name him.
#[test]
fn a_rare_name_also_finds_its_commoner_spelling_one_letter_away() {
    let (_dir, index) = indexed();
    let (json, code, stderr) = search(&index, &["Droukdel", "-n", "20"]);
    assert_eq!(code, 0, "{stderr}");
    let found = ids(&json);
    assert!(found.contains(&"6324".to_string()), "{found:?}");
    // The spelling typed ranks first.
    assert_eq!(found.first().map(String::as_str), Some("6489"), "{found:?}");
    assert!(notes(&json).contains("«droukdal…»"), "{}", notes(&json));
    // --exact, quotes and a lower-case word the index holds are as typed.
    for args in [
        &["Droukdel", "--exact"][..],
        &["\"Droukdel\""][..],
        &["droukdel"][..],
    ] {
        let (json, _, _) = search(&index, args);
        assert_eq!(ids(&json), ["6489"], "{args:?}");
        assert!(!notes(&json).contains("one letter apart"), "{args:?}");
    }
    // A lower-case slip the index holds nowhere is widened too.
    let (slip, code, _) = search(&index, &["embusade"]);
    assert_eq!(code, 0);
    assert!(notes(&slip).contains("«embuscad…»"), "{}", notes(&slip));
}

/// The Macina is central Mali's inner delta: an ambush at Bandiagara (Mopti region) is in it,
/// though the seed never says « Macina ».
#[test]
fn an_area_stands_for_the_places_inside_it() {
    let (_dir, index) = indexed();
    let (json, code, stderr) = search(&index, &["Macina", "-n", "50"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(ids(&json).contains(&AMBUSH.to_string()), "{:?}", ids(&json));
    assert!(
        notes(&json).contains("/Mali/Macina or a place in the area (/Mali/Mopti"),
        "{}",
        notes(&json)
    );
    let (exact, _, _) = search(&index, &["Macina", "--exact", "-n", "50"]);
    assert!(!ids(&exact).contains(&AMBUSH.to_string()));
    // The filter means the area too.
    let (filtered, code, _) = search(&index, &["", "--location", "Macina", "-n", "50"]);
    assert_eq!(code, 0);
    assert!(ids(&filtered).contains(&AMBUSH.to_string()));
}

#[test]
fn a_part_of_a_country_stands_for_its_regions() {
    let (_dir, index) = indexed();
    // « nord du Burkina »: the Sahel, Nord and Centre-Nord regions. Arbinda (19412, Sahel) and
    // Dablo (14687, Centre-Nord) are in; the embassy attack in Ouagadougou (16197), which
    // `Burkina` alone finds, is not.
    let (json, code, _) = search(&index, &["nord du Burkina", "-n", "50"]);
    assert_eq!(code, 0);
    let found = ids(&json);
    assert!(found.contains(&"19412".to_string()), "{found:?}");
    assert!(found.contains(&"14687".to_string()), "{found:?}");
    assert!(!found.contains(&"16197".to_string()), "{found:?}");
    assert!(ids(&search(&index, &["Burkina", "-n", "50"]).0).contains(&"16197".to_string()));
    assert!(
        notes(&json).contains("/Burkina Faso/Sahel"),
        "{}",
        notes(&json)
    );
    // The filter means the same regions.
    let (filtered, _, _) = search(&index, &["", "--location", "nord du Burkina"]);
    let mut filtered = ids(&filtered);
    filtered.sort();
    assert_eq!(filtered, ["14687", "19412"]);
}

#[test]
fn an_area_and_its_other_names_expand_too() {
    let (_dir, index) = indexed();
    let (liptako, code, _) = search(&index, &["Liptako", "-n", "100"]);
    assert_eq!(code, 0);
    assert!(notes(&liptako).contains("/Mali/Liptako"));
    let (frontieres, _, _) = search(&index, &["trois frontieres", "-n", "100"]);
    assert!(
        notes(&frontieres).contains("/Mali/Liptako"),
        "{}",
        notes(&frontieres)
    );
    // Every article tagged with the area or a place inside it is found by either name.
    let (tagged, _, _) = search(&index, &["", "--location", "/Mali/Liptako", "-n", "100"]);
    let tagged = ids(&tagged);
    assert!(!tagged.is_empty());
    for found in [ids(&liptako), ids(&frontieres)] {
        assert!(
            tagged.iter().all(|id| found.contains(id)),
            "{tagged:?} {found:?}"
        );
    }
}

#[test]
fn documents_naming_an_actor_rank_above_those_tagged_under_another_name() {
    let (_dir, index) = indexed();
    let (json, _, _) = search(&index, &["GSIM", "-n", "20"]);
    let hits = json["hits"].as_array().unwrap();
    assert!(hits.len() >= 3, "{json}");
    // Every hit is tagged JNIM (or a group it is made of); those whose text says GSIM come
    // first.
    let says = |h: &Value| {
        let query = format!("id:\"{}\" GSIM", h["id"].as_str().unwrap());
        let (json, _, _) = search(&index, &[&query, "--exact"]);
        json["total"] != 0
    };
    let named: Vec<bool> = hits.iter().map(says).collect();
    assert!(named[0], "{named:?}");
    let first_unnamed = named.iter().position(|n| !n).expect("a tagged-only hit");
    assert!(named[first_unnamed..].iter().all(|n| !n), "{named:?}");
}

#[test]
fn a_title_naming_the_actor_another_way_ranks_above_passing_mentions() {
    let (_dir, index) = indexed();
    let (json, _, _) = search(&index, &["Al-Qaïda au Maghreb islamique"]);
    // « Chef d'Aqmi tué » (6324) names it in its title by its acronym: second, after the
    // article whose title says the words typed, above those that name it in passing.
    assert_eq!(ids(&json)[..2], ["6489", "6324"], "{json}");
}

#[test]
fn a_coalition_also_finds_its_member_groups_from_the_day_they_joined() {
    let (_dir, index) = common::indexed(&[&root().join("tests/fixtures/ranking/members.jsonl")]);
    let (json, _, _) = search(&index, &["JNIM"]);
    // The document tagged JNIM (it says GSIM) first, then the katiba Macina of 2020; not the
    // katiba Macina of 2016, before it joined.
    assert_eq!(ids(&json), ["gsim-2020", "macina-2020"], "{json}");
    assert!(
        notes(&json).contains("Katiba Macina since 2017-03-02"),
        "{}",
        notes(&json)
    );
    // Al-Qaïda ⊃ JNIM ⊃ the katiba Macina, from the day JNIM joined.
    let (json, _, _) = search(&index, &["Al-Qaïda"]);
    assert!(ids(&json).contains(&"macina-2020".to_string()), "{json}");
    assert!(!ids(&json).contains(&"macina-2016".to_string()), "{json}");
    // As typed only: the member is not the coalition.
    let (json, _, _) = search(&index, &["JNIM", "--exact"]);
    assert_eq!(json["total"], 0, "{json}");
    // The member does not stand for the coalition.
    let (json, _, _) = search(&index, &["katiba Macina"]);
    assert!(!ids(&json).contains(&"gsim-2020".to_string()), "{json}");
}

#[test]
fn words_close_together_rank_above_words_far_apart() {
    let (_dir, index) = common::indexed(&[&root().join("tests/fixtures/ranking/proximity.jsonl")]);
    let (json, _, _) = search(&index, &["soldats tués"]);
    // Both match; `far` is shorter and first in the file: BM25 alone ranks it first.
    assert_eq!(ids(&json), ["near", "far"], "{json}");
}

#[test]
fn eval_measures_a_judged_query_set() {
    let (dir, index) = indexed();
    let judged = dir.path().join("judged.json");
    std::fs::write(
        &judged,
        format!(
            r#"{{"queries": [
                {{"id": "q1", "query": "attaque Mopti", "kind": "place+event",
                  "judgments": {{"{NAMES_MOPTI}": 1, "{AMBUSH}": 2}}}},
                {{"id": "q2", "query": "Bandiagara", "kind": "place",
                  "judgments": {{"{AMBUSH}": 2, "no-such-id": 1}}}}
            ]}}"#
        ),
    )
    .unwrap();
    let out = vigie()
        .args(["eval", "--json", "--queries"])
        .arg(&judged)
        .arg("--index")
        .arg(&index)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let q1 = &report["queries"][0];
    // The ambush ranks second, after the article naming Mopti: reciprocal rank 1 (a relevant
    // story first), recall 1, nDCG below 1 (the grade-2 story is second).
    assert_eq!(q1["recall"], 1.0);
    assert_eq!(q1["reciprocal_rank"], 1.0);
    assert!(q1["ndcg"].as_f64().unwrap() < 1.0);
    let q2 = &report["queries"][1];
    assert_eq!(q2["not_indexed"][0], "no-such-id");
    assert_eq!(q2["ndcg"], 1.0);
    assert_eq!(report["all"]["queries"], 2);
    // A file that is not a judged set is refused with a sentence.
    std::fs::write(&judged, "[1, 2]").unwrap();
    let out = vigie()
        .args(["eval", "--queries"])
        .arg(&judged)
        .arg("--index")
        .arg(&index)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("judged queries file"));
}

#[test]
fn a_year_in_a_query_also_matches_the_documents_published_then() {
    let (_dir, index) = indexed();
    let (json, code, _) = search(&index, &["Barkhane 2019", "-n", "30"]);
    assert_eq!(code, 0);
    assert!(
        notes(&json).contains("published in 2019"),
        "{}",
        notes(&json)
    );
    // Some Barkhane article of 2019 that never writes « 2019 » is found.
    let silent = json["hits"].as_array().unwrap().iter().any(|h| {
        let query = format!("id:\"{}\" 2019", h["id"].as_str().unwrap());
        h["year"] == 2019 && search(&index, &[&query, "--exact"]).0["total"] == 0
    });
    assert!(silent, "{json}");
}

#[test]
fn a_first_page_that_every_word_does_not_fill_goes_on_without_the_commonest_word() {
    let (_dir, index) = indexed();
    // One story has both words; three more name Pétronin without « libération ».
    let (json, code, _) = search(&index, &["Pétronin libération"]);
    assert_eq!(code, 0);
    let hits = json["hits"].as_array().unwrap();
    let strict = json["total"].as_u64().unwrap() as usize;
    assert!(strict >= 1 && hits.len() > strict, "{json}");
    // Every story with both words first, then the others, marked, and not counted; they
    // have the rarer word, not the commonest.
    assert!(hits[..strict].iter().all(|h| h.get("partial").is_none()));
    assert!(hits[strict..].iter().all(|h| h["partial"] == true));
    for hit in &hits[strict..] {
        let query = format!("id:\"{}\" Pétronin", hit["id"].as_str().unwrap());
        assert_eq!(search(&index, &[&query, "--exact"]).0["total"], 1, "{hit}");
    }
    assert!(notes(&json).contains("with all of them but the commonest"));
    // A word that names a year or an actor is as common as its tag: « 2020 » is written in
    // few articles but is the year of many, so the page goes on with EIGS in other years,
    // not with 2020's articles that never name EIGS.
    let (json, _, _) = search(&index, &["EIGS 2020"]);
    let hits = json["hits"].as_array().unwrap();
    let strict = json["total"].as_u64().unwrap() as usize;
    assert!(hits.len() > strict, "{json}");
    for hit in &hits[strict..] {
        let actors = hit["actors"].as_array().unwrap();
        assert!(actors.contains(&Value::from("EIGS")), "{hit}");
        assert_ne!(hit["year"], 2020, "{hit}");
    }
    // A page that every word fills has none.
    let (json, _, _) = search(&index, &["Pétronin libération", "-n", "1"]);
    assert_eq!(json["hits"].as_array().unwrap().len(), 1);
    assert!(json["hits"][0].get("partial").is_none());
}

/// From three words, the fill may miss any one of them: the articles on Macron in Ouagadougou
/// that never say « discours » come after the two that do.
#[test]
fn a_first_page_of_three_words_goes_on_without_any_one_of_them() {
    let (_dir, index) = common::indexed(&[&root().join("tests/fixtures/queries/articles.jsonl")]);
    let (json, code, _) = search(&index, &["Macron Ouagadougou discours"]);
    assert_eq!(code, 0);
    let strict = json["total"].as_u64().unwrap() as usize;
    let found = ids(&json);
    let partial = |id: &str| {
        json["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == id)
            .map(|h| h["partial"] == true)
    };
    // 23099 names Macron and Ouagadougou, never « discours ».
    assert!(found.len() > strict, "{found:?}");
    assert_eq!(partial("23099"), Some(true), "{found:?}");
    assert!(
        notes(&json).contains("with all of them but one"),
        "{}",
        notes(&json)
    );
}

#[test]
fn the_judged_query_set_keeps_its_scores() {
    // 49 analyst queries judged blind over 174 OrangeSum articles (tests/fixtures/queries).
    // Measured at 0.844, 0.856 and 0.980 when the rules were last changed (a coalition also
    // finds its member groups, a title naming the entity by any name scores, the fill keeps a
    // year or a name as common as its tag, parts of countries stand for their regions; before
    // them, 0.827, 0.840 and 0.980).
    judged_scores_at_least("queries.json", 49, [0.82, 0.85, 0.93]);
}

#[test]
fn the_held_out_query_set_keeps_its_scores() {
    // 28 more queries over the same articles, judged blind by a second judge; what the rule
    // writer saw of them is in tests/fixtures/queries/README.md. Measured at 0.732, 0.726 and
    // 0.929 when it was written, 0.740, 0.723 and 0.946 with parts of countries.
    judged_scores_at_least("heldout.json", 28, [0.71, 0.71, 0.90]);
}

/// Asserts that `vigie eval`'s means over a judged set of `tests/fixtures/queries` (`queries`
/// of them), on an index of its articles, reach `floors`: nDCG@10, recall@10, MRR.
fn judged_scores_at_least(file: &str, queries: u64, floors: [f64; 3]) {
    let (dir, index) = common::indexed(&[&root().join("tests/fixtures/queries/articles.jsonl")]);
    let out = vigie()
        .args(["eval", "--json", "--queries"])
        .arg(root().join("tests/fixtures/queries").join(file))
        .arg("--index")
        .arg(&index)
        .output()
        .unwrap();
    drop(dir);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let all = &report["all"];
    assert_eq!(all["queries"], queries, "{all}");
    for (measure, floor) in ["ndcg", "recall", "mrr"].into_iter().zip(floors) {
        assert!(all[measure].as_f64().unwrap() >= floor, "{measure}: {all}");
    }
}
