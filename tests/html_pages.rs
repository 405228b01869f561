//! Saved HTML news pages (tests/fixtures/html: hand-made pages reproducing the structure of
//! Orange Actualités, the source of OrangeSum, and of other news sites, around real OrangeSum
//! articles): title, publication date and main text, without menus, headline lists, related
//! links, comments, scripts or footers.

use std::path::Path;

use serde::Deserialize;
use vigie::ingest::WalkOptions;

#[derive(Debug, Deserialize)]
struct Label {
    file: String,
    title: String,
    date: String,
    body_starts_with: String,
    body_ends_with: String,
    body_contains: Vec<String>,
    body_excludes: Vec<String>,
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_page_gives_its_title_date_and_article_text_only() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html");
    let labels: Vec<Label> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("labels.json")).unwrap()).unwrap();
    assert_eq!(labels.len(), 12);
    let mut failures = Vec::new();
    for label in &labels {
        let results = vigie::pipeline::extract(&dir.join(&label.file), &WalkOptions::default());
        let articles: Vec<_> = results.into_iter().filter_map(Result::ok).collect();
        let [vigie::pipeline::Extracted { article, .. }] = &articles[..] else {
            failures.push(format!("{}: {} articles", label.file, articles.len()));
            continue;
        };
        let body = squash(&article.body);
        let mut check = |ok: bool, what: String| {
            if !ok {
                failures.push(format!("{}: {what}", label.file));
            }
        };
        check(
            article.title == label.title,
            format!("title {:?}", article.title),
        );
        check(
            article.date.map(|d| d.to_string()).as_deref() == Some(label.date.as_str()),
            format!("date {:?}, expected {}", article.date, label.date),
        );
        check(
            body.starts_with(&squash(&label.body_starts_with)),
            format!(
                "body starts {:?}",
                body.chars().take(80).collect::<String>()
            ),
        );
        let tail: String = {
            let chars: Vec<char> = body.chars().collect();
            chars[chars.len().saturating_sub(80)..].iter().collect()
        };
        check(
            body.ends_with(&squash(&label.body_ends_with)),
            format!("body ends {tail:?}"),
        );
        for phrase in &label.body_contains {
            check(
                body.contains(&squash(phrase)),
                format!("missing {phrase:?}"),
            );
        }
        for furniture in &label.body_excludes {
            check(
                !body.contains(&squash(furniture)),
                format!("kept {furniture:?}"),
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
