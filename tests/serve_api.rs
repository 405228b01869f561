//! `vigie serve`'s JSON API through the real binary, on a free loopback port: the same answers
//! as the command line, exports, errors as sentences, the OpenAPI document matching the
//! responses, and a server that follows `vigie index`.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::{sample_index, samples, serve, vigie, Served};

/// GET `path` of a server: (status, body).
fn get(served: &Served, path: &str) -> (u16, String) {
    common::http_get(served, path)
}

fn get_json(served: &Served, path: &str) -> (u16, Value) {
    let (status, body) = get(served, path);
    let json = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"));
    (status, json)
}

/// `vigie ARGS… --json` on `index`, `took_ms` left out.
fn cli_json(index: &Path, args: &[&str]) -> Value {
    let out = vigie()
        .arg(args[0])
        .arg("--index")
        .arg(index)
        .arg("--json")
        .args(&args[1..])
        .output()
        .unwrap();
    let mut json: Value = serde_json::from_slice(&out.stdout).unwrap();
    if let Some(object) = json.as_object_mut() {
        object.remove("took_ms");
    }
    json
}

fn without_time(mut json: Value) -> Value {
    json.as_object_mut().unwrap().remove("took_ms");
    json
}

#[test]
fn a_search_answers_exactly_what_the_command_line_prints() {
    let dir = TempDir::new().unwrap();
    let index = sample_index(dir.path());
    let served = serve(&index, &[]);
    let cases: [(&str, &[&str]); 7] = [
        ("q=embuscade+Bandiagara", &["embuscade Bandiagara"]),
        (
            "q=attaque&year=2020&year=2019&location=Mali&sort=date&limit=3&offset=1",
            &[
                "attaque",
                "--year",
                "2020",
                "--year",
                "2019",
                "--location",
                "Mali",
                "--sort",
                "date",
                "-n",
                "3",
                "--offset",
                "1",
            ],
        ),
        ("q=GSIM+%C2%AB+attaque+%C2%BB", &["GSIM « attaque »"]),
        (
            "q=&actor=Barkhane&facet_location=%2FMali",
            &["", "--actor", "Barkhane", "--facet-location", "/Mali"],
        ),
        (
            "q=soldats&from=2019-06&to=2020&lang=fr&all_copies=true",
            &[
                "soldats",
                "--from",
                "2019-06",
                "--to",
                "2020",
                "--lang",
                "fr",
                "--all-copies",
            ],
        ),
        ("q=le+de+Gao", &["le de Gao"]),
        ("", &[""]),
    ];
    for (query, args) in cases {
        let (status, api) = get_json(&served, &format!("/api/search?{query}"));
        assert_eq!(status, 200, "{query}: {api}");
        let mut cli_args = vec!["search"];
        cli_args.extend(args);
        assert_eq!(without_time(api), cli_json(&index, &cli_args), "{query}");
    }
}

#[test]
fn a_document_comes_with_the_words_that_named_its_places_and_actors_and_its_copies() {
    let dir = TempDir::new().unwrap();
    let index = sample_index(dir.path());
    let served = serve(&index, &[]);
    let (_, search) = get_json(&served, "/api/search?q=embuscade+Bandiagara");
    let id = search["hits"][0]["id"].as_str().unwrap().to_string();
    let (status, doc) = get_json(&served, &format!("/api/doc/{id}"));
    assert_eq!(status, 200, "{doc}");
    // What `vigie extract --json` shows of the same page.
    let out = vigie()
        .arg("extract")
        .arg("--json")
        .arg(samples().join("004_db3b67613d57645f.txt"))
        .output()
        .unwrap();
    let extracted: Value = serde_json::from_slice(&out.stdout).unwrap();
    for field in [
        "id",
        "title",
        "date",
        "year",
        "lang",
        "body",
        "locations",
        "actors",
    ] {
        assert_eq!(doc[field], extracted[0][field], "{field}");
    }
    assert!(doc["locations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["value"] == "/Mali/Mopti/Bandiagara" && l["words"][0] == "Bandiagara"));
    // A story told by the export and by an HTML page: each lists the other as a copy.
    let (_, search) = get_json(&served, "/api/search?q=Droukdal+chef&all_copies=1");
    let hits = search["hits"].as_array().unwrap();
    let story = hits[0]["story"].as_str().unwrap();
    let copies: Vec<&Value> = hits.iter().filter(|h| h["story"] == story).collect();
    assert!(copies.len() >= 2, "{search}");
    let first = copies[0]["id"].as_str().unwrap();
    let (_, doc) = get_json(&served, &format!("/api/doc/{first}"));
    let listed: Vec<&str> = doc["copies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(listed.contains(&copies[1]["id"].as_str().unwrap()), "{doc}");
    assert!(!listed.contains(&first));
    let (status, missing) = get_json(&served, "/api/doc/no-such-id");
    assert_eq!(status, 404);
    assert_eq!(
        missing["error"],
        "no document with the id `no-such-id` in the index"
    );
}

#[test]
fn the_facets_and_the_health_answer_as_the_command_line() {
    let dir = TempDir::new().unwrap();
    let index = sample_index(dir.path());
    let served = serve(&index, &[]);
    let (status, facets) = get_json(&served, "/api/facets?depth=3&top=5");
    assert_eq!(status, 200);
    assert_eq!(
        facets,
        cli_json(&index, &["facets", "--depth", "3", "--top", "5"])
    );
    let (status, health) = get_json(&served, "/api/health");
    assert_eq!(status, 200);
    assert_eq!(health["status"], "ok");
    assert_eq!(health["documents"], 5 + 40 + 12);
}

#[test]
fn an_export_holds_every_match_as_csv_or_json_lines() {
    let dir = TempDir::new().unwrap();
    let index = sample_index(dir.path());
    let served = serve(&index, &[]);
    let (_, search) = get_json(&served, "/api/search?q=attaque");
    let stories = search["stories"].as_u64().unwrap() as usize;
    let total = search["total"].as_u64().unwrap() as usize;
    assert!(stories > 10, "more than a page: {stories}");
    let (status, csv) = get(&served, "/api/export?q=attaque&format=csv&limit=2");
    assert_eq!(status, 200, "{csv}");
    assert!(
        csv.starts_with('\u{feff}'),
        "a byte-order mark for spreadsheets"
    );
    let (header, rows) = common::export_rows(&csv);
    assert_eq!(rows.len(), stories, "every story, not one page");
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let ambush = rows
        .iter()
        .find(|r| r[column("source")].ends_with("samples/004_db3b67613d57645f.txt"))
        .expect("seed 004 exported");
    let notes = &ambush[column("notes")];
    assert!(notes.contains("meurtrière"), "accents intact: {notes}");
    let places = &ambush[column("locations")];
    assert!(places.contains("/Mali/Mopti/Bandiagara; "), "{places}");
    // The event table: ACLED's columns for the ambush of 22 October 2024.
    assert_eq!(&ambush[column("event_date")], "2024-10-22");
    assert_eq!(&ambush[column("event_type")], "Battles");
    assert_eq!(&ambush[column("types")], "ambush");
    assert_eq!(&ambush[column("fatalities")], "10");
    let (status, lines) = get(&served, "/api/export?q=attaque&format=jsonl&all_copies=1");
    assert_eq!(status, 200);
    let rows: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), total, "every copy with all_copies");
    assert!(rows.iter().all(|r| r["snippet"].as_str().is_some()));
    let (status, error) = get_json(&served, "/api/export?q=attaque&format=xlsx");
    assert_eq!(status, 400);
    assert_eq!(error["error"], "invalid format `xlsx`: write csv or jsonl");
}

/// What `vigie search ARGS` says on stderr, without its prefix.
fn cli_error(index: &Path, args: &[&str]) -> String {
    let out = vigie()
        .arg("search")
        .arg("--index")
        .arg(index)
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    String::from_utf8_lossy(&out.stderr)
        .trim()
        .trim_start_matches("vigie: error: ")
        .to_string()
}

#[test]
fn bad_parameters_get_a_400_with_the_command_line_sentence_never_a_500() {
    let dir = TempDir::new().unwrap();
    let index = sample_index(dir.path());
    let served = serve(&index, &[]);
    let same: [(&str, &[&str]); 6] = [
        ("location=Atlantide", &["--location", "Atlantide"]),
        ("location=Sirakoro&q=x", &["x", "--location", "Sirakoro"]),
        ("actor=Inconnus", &["--actor", "Inconnus"]),
        ("from=hier", &["--from", "hier"]),
        ("q=le+de", &["le de"]),
        ("q=year%3Adeux", &["year:deux"]),
    ];
    for (query, args) in same {
        let (status, error) = get_json(&served, &format!("/api/search?{query}"));
        assert_eq!(status, 400, "{query}");
        assert_eq!(error["error"], cli_error(&index, args), "{query}");
    }
    let long = format!("/api/search?q={}", "attaque+".repeat(300));
    let bounds = [
        (long.as_str(), "at most 2000"),
        (
            "/api/search?limit=5000",
            "invalid limit `5000`: at most 1000",
        ),
        (
            "/api/search?offset=20000",
            "invalid offset `20000`: at most 10000",
        ),
        ("/api/search?limit=-1", "invalid limit `-1`: write a number"),
        ("/api/search?locaton=Mopti", "unknown parameter `locaton`"),
        ("/api/search?q=%E9t%E9", "not valid UTF-8"),
        ("/api/search?q=100%", "two hexadecimal digits"),
        ("/api/facets?depth=9", "from 1 to 4"),
    ];
    for (path, expected) in bounds {
        let (status, error) = get_json(&served, path);
        assert_eq!(status, 400, "{path}");
        assert!(
            error["error"].as_str().unwrap().contains(expected),
            "{path}: {error}"
        );
    }
    let (status, error) = get_json(&served, "/nowhere");
    assert_eq!(status, 404);
    assert!(error["error"].as_str().unwrap().contains("/api/"));
}

/// Every schema of the OpenAPI document, with its components reachable as `$ref`s.
fn validator(openapi: &Value, name: &str) -> jsonschema::Validator {
    let mut schema = serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
    schema["components"] = openapi["components"].clone();
    jsonschema::validator_for(&schema).expect("a valid schema")
}

#[test]
fn the_openapi_document_describes_the_responses() {
    let dir = TempDir::new().unwrap();
    let index = sample_index(dir.path());
    let served = serve(&index, &[]);
    let (status, openapi) = get_json(&served, "/api/openapi.json");
    assert_eq!(status, 200);
    assert_eq!(openapi["openapi"], "3.1.0");
    for path in [
        "/api/search",
        "/api/doc/{id}",
        "/api/facets",
        "/api/export",
        "/api/health",
    ] {
        assert!(openapi["paths"][path]["get"].is_object(), "{path}");
    }
    let check = |schema: &str, value: &Value| {
        let errors: Vec<String> = validator(&openapi, schema)
            .iter_errors(value)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{schema}: {errors:?}\n{value}");
    };
    for query in [
        "q=attaque&limit=50",
        "q=GSIM",
        "q=&sort=date",
        "q=Bandiagara&all_copies=1",
        "q=-Barkhane+attaque",
    ] {
        check(
            "Results",
            &get_json(&served, &format!("/api/search?{query}")).1,
        );
    }
    let (_, search) = get_json(&served, "/api/search?q=Droukdal&all_copies=1");
    let id = search["hits"][0]["id"].as_str().unwrap();
    check("Document", &get_json(&served, &format!("/api/doc/{id}")).1);
    check("Overview", &get_json(&served, "/api/facets?depth=4").1);
    check("Health", &get_json(&served, "/api/health").1);
    check("Error", &get_json(&served, "/api/search?limit=x").1);
    check("Error", &get_json(&served, "/api/doc/none").1);
    let (_, rows) = get(&served, "/api/export?q=attaque&format=jsonl");
    for row in rows.lines() {
        check("ExportRow", &serde_json::from_str(row).unwrap());
    }
    // And the schemas are strict: an unknown field fails.
    let mut extra = get_json(&served, "/api/health").1;
    extra["surprise"] = 1.into();
    assert!(!validator(&openapi, "Health").is_valid(&extra));
}

#[test]
fn the_server_follows_vigie_index_without_a_restart() {
    let dir = TempDir::new().unwrap();
    let index = dir.path().join("index");
    let (code, _) = common::index(&index, &[&samples()], &["--quiet"]);
    assert_eq!(code, 0);
    let served = serve(&index, &[]);
    let (_, before) = get_json(&served, "/api/search?q=Gossi");
    let known = before["total"].as_u64().unwrap();
    let extra = dir.path().join("extra.jsonl");
    std::fs::write(
        &extra,
        r#"{"id": "new-1", "title": "Attaque près de Gossi", "date": "2024-11-02", "text": "Une nouvelle attaque a visé un poste près de Gossi, dans le cercle de Gourma-Rharous, au Mali."}"#,
    )
    .unwrap();
    let (code, stderr) = common::index(&index, &[&samples(), &extra], &["--quiet"]);
    assert_eq!(code, 0, "{stderr}");
    let committed = Instant::now();
    loop {
        let (_, after) = get_json(&served, "/api/search?q=Gossi");
        if after["total"].as_u64().unwrap() == known + 1 {
            break;
        }
        assert!(
            committed.elapsed() < Duration::from_secs(3),
            "not seen after 3 s: {after}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
