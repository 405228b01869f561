//! Saved searches through `vigie serve`: the Atom feed of each (valid Atom 1.0, read with a
//! feed parser; a reader polling it sees each story once, and a story indexed meanwhile
//! appears), the list with the count of new stories, and saving the page's search (from this
//! machine, with the page's header; with the token when the server has one).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::{index, root, serve, vigie, Served};

fn get(served: &Served, path: &str) -> (u16, String) {
    common::http_get(served, path)
}

fn post(served: &Served, path: &str, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut request = common::http().post(format!("{}{path}", served.url));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut response = request.send_empty().expect("the server answers");
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().unwrap();
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

/// The feed's entries: (id, title, link) each, parsed as a feed reader would.
fn entries(served: &Served, name: &str) -> Vec<(String, String, String)> {
    let (status, body) = get(served, &format!("/feeds/{name}.atom"));
    assert_eq!(status, 200, "{body}");
    let feed = feed_rs::parser::parse(body.as_bytes()).expect("a valid feed");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    feed.entries
        .iter()
        .map(|e| {
            (
                e.id.clone(),
                e.title
                    .as_ref()
                    .map(|t| t.content.clone())
                    .unwrap_or_default(),
                e.links.first().map(|l| l.href.clone()).unwrap_or_default(),
            )
        })
        .collect()
}

fn indexed_with_search(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let input = dir.join("input");
    fs::create_dir(&input).unwrap();
    fs::copy(
        root().join("tests/fixtures/sahel/articles.jsonl"),
        input.join("sahel.jsonl"),
    )
    .unwrap();
    let idx = dir.join("index");
    let (code, stderr) = index(&idx, &[&input], &[]);
    assert_eq!(code, 0, "{stderr}");
    let out = vigie()
        .args([
            "watch",
            "add",
            "niger",
            "attaque",
            "--location",
            "Niger",
            "--index",
        ])
        .arg(&idx)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (idx, input)
}

#[test]
fn a_feed_reader_sees_each_story_once_and_the_new_ones_appear() {
    let dir = TempDir::new().unwrap();
    let (idx, input) = indexed_with_search(dir.path());
    let served = serve(&idx, &[]);
    let first = entries(&served, "niger");
    assert!(!first.is_empty());
    // Each entry a story, under an id of its own, linking to its document in the page.
    let ids: BTreeSet<&String> = first.iter().map(|(id, _, _)| id).collect();
    assert_eq!(ids.len(), first.len());
    for (id, title, link) in &first {
        assert!(id.starts_with("urn:vigie:story:"), "{id}");
        assert!(!title.is_empty());
        assert!(link.starts_with(&format!("{}/?doc=", served.url)), "{link}");
    }
    // Polled again: the same entries under the same ids, nothing to show twice.
    assert_eq!(entries(&served, "niger"), first);
    // A story indexed meanwhile appears, and the others keep their ids.
    let story = r#"{"id": "niger-new", "title": "Niger : une attaque contre un poste militaire près de Tillabéri", "date": "2020-12-30", "article": "Des hommes armés ont mené une attaque contre un poste militaire près de Tillabéri, dans l'ouest du Niger, a annoncé le ministère de la Défense."}"#;
    fs::write(input.join("new.jsonl"), format!("{story}\n")).unwrap();
    let (code, stderr) = index(&idx, &[&input], &[]);
    assert_eq!(code, 0);
    assert!(stderr.contains("niger: "), "{stderr}");
    let deadline = Instant::now() + Duration::from_secs(10);
    let next = loop {
        let next = entries(&served, "niger");
        if next.len() > first.len() || Instant::now() > deadline {
            break next;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let seen: BTreeSet<&String> = first.iter().map(|(id, _, _)| id).collect();
    let fresh: Vec<_> = next
        .iter()
        .filter(|(id, _, _)| !seen.contains(id))
        .collect();
    assert_eq!(fresh.len(), 1, "{next:?}");
    assert!(fresh[0].1.contains("Tillabéri"));
    assert!(first.iter().all(|e| next.contains(e)));
    // Unknown feeds are 404s, with a sentence.
    assert_eq!(get(&served, "/feeds/inconnue.atom").0, 404);
    assert_eq!(get(&served, "/feeds/niger.rss").0, 404);
}

#[test]
fn the_page_lists_counts_and_saves_searches() {
    let dir = TempDir::new().unwrap();
    let (idx, _) = indexed_with_search(dir.path());
    let served = serve(&idx, &[]);
    let (status, body) = get(&served, "/api/watch");
    assert_eq!(status, 200);
    let list: Value = serde_json::from_str(&body).unwrap();
    let niger = &list["searches"][0];
    assert_eq!(niger["name"], "niger");
    assert_eq!(niger["params"], "q=attaque&location=Niger");
    assert_eq!(niger["feed"], "/feeds/niger.atom");
    let new = niger["new"].as_u64().unwrap();
    assert!(new > 0);
    // Once `vigie watch run` has shown them, nothing is new.
    let out = vigie()
        .args(["watch", "run", "--index"])
        .arg(&idx)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let list: Value = serde_json::from_str(&get(&served, "/api/watch").1).unwrap();
    assert_eq!(list["searches"][0]["new"], 0);
    // Saving the page's search: the page's header is needed, the name must be a slug and free.
    let save = "/api/watch?name=mopti&q=attaque&location=Mopti";
    assert_eq!(post(&served, save, &[]).0, 400);
    let header = [("X-Vigie-Save", "1")];
    let (status, body) = post(&served, save, &header);
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["feed"], "/feeds/mopti.atom");
    let (status, body) = post(&served, save, &header);
    assert_eq!(status, 400);
    assert!(
        body["error"].as_str().unwrap().contains("already"),
        "{body}"
    );
    let (status, _) = post(&served, "/api/watch?name=Pas%20un%20nom&q=x", &header);
    assert_eq!(status, 400);
    let (status, body) = post(
        &served,
        "/api/watch?name=ailleurs&location=Nulle-Part",
        &header,
    );
    assert_eq!(status, 400);
    assert!(
        body["error"].as_str().unwrap().contains("location"),
        "{body}"
    );
    let out = vigie()
        .args(["watch", "list", "--json", "--index"])
        .arg(&idx)
        .output()
        .unwrap();
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        list["searches"][1]["command"],
        "vigie search attaque --location Mopti"
    );
}

#[test]
fn with_a_token_only_its_holder_saves() {
    let dir = TempDir::new().unwrap();
    let (idx, _) = indexed_with_search(dir.path());
    let served = serve(&idx, &["--token", "s3cret"]);
    let header = ("X-Vigie-Save", "1");
    let (status, _) = post(&served, "/api/watch?name=mopti&q=attaque", &[header]);
    assert_eq!(status, 401);
    let (status, body) = post(
        &served,
        "/api/watch?name=mopti&q=attaque",
        &[header, ("Authorization", "Bearer s3cret")],
    );
    assert_eq!(status, 201, "{body}");
}
