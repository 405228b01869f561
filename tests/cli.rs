//! Integration tests: the real `vigie` binary on the sample corpus, in temporary folders.

use std::fs;
use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::{hit_sources, samples, vigie};

/// A temporary folder with an index of `paths`.
fn indexed(paths: &[&Path]) -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    let mut cmd = vigie();
    cmd.arg("index")
        .arg("--index")
        .arg(dir.path().join("index"))
        .args(paths);
    cmd.assert().success();
    dir
}

fn search_json(dir: &TempDir, args: &[&str]) -> (Value, i32) {
    let out = vigie()
        .arg("search")
        .arg("--index")
        .arg(dir.path().join("index"))
        .arg("--json")
        .args(args)
        .output()
        .expect("vigie runs");
    let code = out.status.code().expect("exit code");
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (json, code)
}

#[test]
fn it_finds_the_ambush_near_bandiagara_first_with_its_word_highlighted() {
    let dir = indexed(&[&samples()]);
    let (json, code) = search_json(&dir, &["embuscade Bandiagara"]);
    assert_eq!(code, 0);
    let first = &json["hits"][0];
    assert!(first["source"]
        .as_str()
        .unwrap()
        .ends_with("004_db3b67613d57645f.txt"));
    let snippet = &first["snippet"];
    let text = snippet["text"].as_str().unwrap();
    let words: Vec<String> = snippet["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            text[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize].to_lowercase()
        })
        .collect();
    assert!(
        words.contains(&"embuscade".to_string()),
        "highlights: {words:?}"
    );
    assert!(snippet["html"]
        .as_str()
        .unwrap()
        .contains("<b>embuscade</b>"));
}

#[test]
fn it_highlights_stemmed_variants_of_the_query_words() {
    let dir = indexed(&[&samples()]);
    let (json, _) = search_json(&dir, &["embuscades meurtrières"]);
    let snippet = &json["hits"][0]["snippet"];
    let html = snippet["html"].as_str().unwrap();
    assert!(
        html.contains("<b>embuscade</b> <b>meurtrière</b>"),
        "{html}"
    );
    let text = snippet["text"].as_str().unwrap();
    assert!(text.chars().count() <= 260, "passage too long: {text}");
}

#[test]
fn it_filters_by_year() {
    let dir = indexed(&[&samples()]);
    let (json, code) = search_json(&dir, &["embuscade Bandiagara", "--year", "2024"]);
    assert_eq!((code, json["total"].as_u64()), (0, Some(1)));
    let (json, code) = search_json(&dir, &["embuscade Bandiagara", "--year", "2021"]);
    assert_eq!((code, json["total"].as_u64()), (1, Some(0)));
    let (json, _) = search_json(&dir, &["Barkhane", "--year", "2021", "--year", "2018"]);
    assert_eq!(json["total"].as_u64(), Some(2));
}

#[test]
fn it_filters_by_date_range_and_language() {
    let dir = indexed(&[&samples()]);
    let (json, _) = search_json(&dir, &["Mali", "--from", "2018-11", "--to", "2022"]);
    let mut years: Vec<i64> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["year"].as_i64().unwrap())
        .collect();
    years.sort();
    assert_eq!(years, [2018, 2021, 2022]);
    let (json, _) = search_json(&dir, &["Mali", "--lang", "fr"]);
    assert_eq!(json["total"].as_u64(), Some(5));
    let (_, code) = search_json(&dir, &["Mali", "--lang", "en"]);
    assert_eq!(code, 1);
}

#[test]
fn it_prints_the_documented_json_shape() {
    let dir = indexed(&[&samples()]);
    let (json, _) = search_json(&dir, &["Barkhane"]);
    for key in ["query", "total", "took_ms", "hits", "facets"] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    let hit = &json["hits"][0];
    for key in [
        "id",
        "source",
        "title",
        "date",
        "year",
        "lang",
        "score",
        "snippet",
        "locations",
        "actors",
    ] {
        assert!(hit.get(key).is_some(), "missing hit.{key}");
    }
    for key in ["text", "html", "highlights"] {
        assert!(hit["snippet"].get(key).is_some(), "missing snippet.{key}");
    }
    assert!(hit["date"].as_str().unwrap().len() == 10);
    let years = json["facets"]["year"].as_object().unwrap();
    let counted: u64 = years.values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(counted, json["total"].as_u64().unwrap());
}

#[test]
fn it_keeps_page_furniture_out_of_the_index() {
    let dir = indexed(&[&samples()]);
    // Headline run (seed 003), reader comments, comment form and cookie notice (seed 004),
    // "read at the source" link (seed 003), ads.
    for furniture in [
        "Bourita",
        "Djibril",
        "guignols",
        "cookies",
        "\"Indiquer votre nom\"",
        "\"Cliquez ici\"",
        "Publicité",
        "Niamey",
    ] {
        let (json, code) = search_json(&dir, &[furniture]);
        assert_eq!(
            code,
            1,
            "{furniture} is page furniture but matched {:?}",
            hit_sources(&json)
        );
    }
}

#[test]
fn it_lists_filtered_documents_newest_first_without_a_query() {
    let dir = indexed(&[&samples()]);
    let (json, code) = search_json(&dir, &[]);
    assert_eq!(code, 0);
    let dates: Vec<&str> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        [
            "2024-10-22",
            "2022-02-09",
            "2021-06-21",
            "2018-11-12",
            "2017-06-18"
        ]
    );
    let (json, _) = search_json(&dir, &["", "--year", "2022"]);
    assert_eq!(json["total"].as_u64(), Some(1));
    assert!(json["hits"][0]["source"]
        .as_str()
        .unwrap()
        .ends_with("003_d8e2c97ece163f82.txt"));
}

#[test]
fn it_matches_inflections_elisions_and_accents() {
    let dir = indexed(&[&samples()]);
    for (query, seed) in [
        ("embuscades", "004"),
        ("l'armée malienne FORSAT", "002"),
        ("l’armée malienne FORSAT", "002"),
        ("Ségou", "002"),
        ("Tin-Zaouatine", "004"),
        ("\"tin zaouatine\"", "004"),
        ("hélicoptères Tigre", "000"),
        ("kamikazes Gossi", "000"),
    ] {
        let (json, code) = search_json(&dir, &[query]);
        assert_eq!(code, 0, "{query}");
        assert!(
            hit_sources(&json)[0].contains(seed),
            "{query}: {:?}",
            hit_sources(&json)
        );
    }
}

#[test]
fn it_ranks_exact_forms_above_stem_only_matches() {
    let dir = TempDir::new().unwrap();
    let corpus = dir.path().join("docs.jsonl");
    fs::write(
        &corpus,
        concat!(
            r#"{"id": "armes", "title": "Saisie", "text": "Des armes légères, des armes lourdes et encore des armes ont été saisies."}"#, "\n",
            r#"{"id": "armee", "title": "Patrouille", "text": "Une patrouille de l'armée a été attaquée."}"#, "\n",
            r#"{"id": "mal", "title": "Santé", "text": "Le mal de dos frappe les soldats."}"#, "\n",
        ),
    )
    .unwrap();
    vigie()
        .arg("index")
        .arg("--index")
        .arg(dir.path().join("index"))
        .arg(&corpus)
        .assert()
        .success();
    let (json, _) = search_json(&dir, &["armée"]);
    let ids: Vec<&str> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["armee", "armes"]);
    // "Mali" is protected from the stemmer: it must not match "mal".
    let (_, code) = search_json(&dir, &["Mali"]);
    assert_eq!(code, 1);
}

#[test]
fn it_indexes_a_page_without_any_date() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("undated.txt");
    fs::write(&input, "Attaque contre un poste à Diafarabé\n\nDes hommes armés ont attaqué le poste de gendarmerie de Diafarabé, dans le centre du Mali, selon des sources locales.").unwrap();
    vigie()
        .arg("index")
        .arg("--index")
        .arg(dir.path().join("index"))
        .arg(&input)
        .assert()
        .success();
    let (json, code) = search_json(&dir, &["gendarmerie"]);
    assert_eq!(code, 0);
    assert_eq!(json["hits"][0]["date"], Value::Null);
    assert_eq!(json["hits"][0]["year"], Value::Null);
    assert_eq!(
        json["hits"][0]["title"],
        "Attaque contre un poste à Diafarabé"
    );
}

#[test]
fn it_survives_any_query_an_analyst_can_type() {
    let dir = indexed(&[&samples()]);
    let hostile = [
        // An excluded phrase repeating a word panicked inside tantivy (debug builds), found
        // by the query fuzzer.
        "Barkhane -\"armée armée\"",
        " NOT \" NOT  NOT \"",
        "l'armée malienne",
        "« attaque »",
        "Gao:",
        "\"attaque",
        "attaque\"",
        "((",
        ")",
        "[Gao",
        "Gao]",
        "{}",
        "title:",
        ":",
        "::Gao",
        "a:b:c",
        "*",
        "?",
        "~",
        "^2",
        "\\",
        "OR",
        "AND",
        "NOT",
        "-",
        "--",
        "-Mali",
        "Mali -",
        "\"\"",
        "« »",
        "'",
        "’",
        "l'",
        "embuscade~2",
        "Bandi*",
        "year:abcd",
        "year:2024",
        "lang:fr",
        "title:\"embuscade meurtrière\"",
        "id:",
        "source:x",
        "😀",
        "\u{7f}",
        "le la les",
        "a OR OR b",
        "NOT NOT Mali",
    ];
    for query in hostile {
        let out = vigie()
            .arg("search")
            .arg("--index")
            .arg(dir.path().join("index"))
            .arg("--")
            .arg(query)
            .output()
            .unwrap();
        let code = out.status.code().unwrap_or(-1);
        assert!(
            [0, 1, 2].contains(&code),
            "query {query:?} exited with {code}"
        );
        if code == 2 {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                stderr.starts_with("vigie: error: "),
                "query {query:?}: {stderr}"
            );
        }
    }
}

#[test]
fn it_exits_with_0_1_or_2() {
    let dir = indexed(&[&samples()]);
    let search = |index: &str, args: &[&str]| {
        vigie()
            .args(["search", "--index"])
            .arg(dir.path().join(index))
            .args(args)
            .assert()
    };
    search("index", &["Barkhane"]).code(0);
    search("index", &["zzyzx"]).code(1);
    search("nowhere", &["Barkhane"])
        .code(2)
        .stderr(predicates::str::contains("build one with `vigie index"));
    search("index", &["le"]).code(2);
    search("index", &["Mali", "--from", "hier"]).code(2);
}

#[test]
fn it_excludes_a_word_typed_with_a_dash() {
    let dir = indexed(&[&samples()]);
    let out = vigie()
        .args(["search", "--json", "--index"])
        .arg(dir.path().join("index"))
        .args(["Barkhane", "-Takuba"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["total"].as_u64(), Some(3));
}

#[test]
fn it_extracts_one_file_without_indexing() {
    let out = vigie()
        .args(["extract", "--json"])
        .arg(samples().join("002_0247bc0df2810914.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json[0]["title"],
        "URGENT : Attaque en cours contre un lieu à Bamako fréquenté par des expatriés"
    );
    assert_eq!(json[0]["date"], "2017-06-18");
    assert_eq!(json[0]["lang"], "fr");
    let human = vigie()
        .arg("extract")
        .arg(samples().join("004_db3b67613d57645f.txt"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("Nouvelle embuscade meurtrière au Mali"));
    assert!(text.contains("2024-10-22"));
}

#[test]
fn bench_tells_where_the_time_of_each_kind_of_query_goes() {
    let dir = indexed(&[&samples()]);
    let set = dir.path().join("queries.tsv");
    fs::write(
        &set,
        "one_word\tattaque\ntwo_words\tembuscade soldats\nfiltered\tattaque\t\t/Mali\t\n",
    )
    .unwrap();
    let out = vigie()
        .args(["bench", "--rounds", "2", "--breakdown", "--json", "--index"])
        .arg(dir.path().join("index"))
        .arg("--queries")
        .arg(&set)
        .output()
        .expect("vigie runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let breakdown = report["breakdown"].as_object().expect("a breakdown");
    assert_eq!(
        breakdown.keys().collect::<Vec<_>>(),
        ["filtered", "one_word", "two_words"]
    );
    for (kind, stages) in breakdown {
        let ms = |stage: &str| stages[stage].as_f64().unwrap_or(-1.0);
        for stage in [
            "query", "collect", "scoring", "stories", "facets", "near", "hits", "fill",
        ] {
            assert!(ms(stage) >= 0.0, "{kind}: {stage} = {}", stages[stage]);
        }
        // The one pass is split into its three parts, which add up to it.
        let parts = ms("scoring") + ms("stories") + ms("facets");
        assert!((parts - ms("collect")).abs() < 1e-6, "{kind}: {stages}");
        assert!(ms("collect") > 0.0 && ms("hits") > 0.0, "{kind}: {stages}");
    }
    // Two words are re-ranked by their nearness; one word is not.
    assert_eq!(breakdown["one_word"]["near"].as_f64(), Some(0.0));
    let text = vigie()
        .args(["bench", "--rounds", "1", "--breakdown", "--index"])
        .arg(dir.path().join("index"))
        .arg("--queries")
        .arg(&set)
        .output()
        .expect("vigie runs");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Where the time goes"), "{text}");
}

#[test]
fn a_search_run_on_several_threads_answers_as_on_one() {
    let dir = indexed(&[&samples()]);
    let index = dir.path().join("index");
    vigie()
        .arg("index")
        .arg("--index")
        .arg(&index)
        .arg(common::root().join("tests/fixtures/sahel/articles.jsonl"))
        .assert()
        .success();
    let segments = fs::read_dir(&index)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension() == Some("idx".as_ref()))
        .count();
    assert!(segments > 1, "the two runs left {segments} segment(s)");
    let answer = |threads: &str, args: &[&str]| {
        let out = vigie()
            .env("VIGIE_SEARCH_THREADS", threads)
            .arg("search")
            .arg("--index")
            .arg(&index)
            .arg("--json")
            .args(args)
            .output()
            .unwrap();
        let mut json: Value = serde_json::from_slice(&out.stdout).unwrap();
        json.as_object_mut().unwrap().remove("took_ms");
        json
    };
    for args in [
        &["attaque"][..],
        &["embuscade soldats"],
        &["Mali", "--sort", "date"],
        &["attaque", "--location", "Mali", "--year", "2019"],
    ] {
        let one = answer("1", args);
        assert!(one["total"].as_u64().unwrap() > 0, "{args:?}");
        assert_eq!(one, answer("2", args), "{args:?}");
    }
}
