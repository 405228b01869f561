//! The ceiling of Vigie's indexing: the same tantivy schema and French analyzer, fed straight
//! from a JSON Lines export with no cleaning, language detection or entity extraction.
//!
//!     cargo run --release --example bare_tantivy -- CORPUS.jsonl INDEX_DIR [THREADS]
//!
//! Prints one JSON object: documents, seconds, input bytes, MB/s.

use std::io::{BufRead, BufReader};
use std::time::Instant;

use chrono::NaiveDate;
use serde_json::Value;
use vigie::clean::Article;
use vigie::index::Store;
use vigie::mapper::Tags;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(corpus), Some(dir)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: bare_tantivy CORPUS.jsonl INDEX_DIR [THREADS]");
        std::process::exit(2);
    };
    let threads = args.get(3).and_then(|t| t.parse().ok()).unwrap_or(2);
    let started = Instant::now();
    let store = Store::open_or_create(std::path::Path::new(dir))?;
    let writer = store.writer(threads)?;
    let (mut documents, mut bytes) = (0u64, 0u64);
    for line in BufReader::new(std::fs::File::open(corpus)?).lines() {
        let line = line?;
        bytes += line.len() as u64 + 1;
        let v: Value = serde_json::from_str(&line)?;
        let text = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let heading = text("heading");
        let body = [
            heading.as_str(),
            v.get("article")
                .or(v.get("body"))
                .and_then(Value::as_str)
                .unwrap_or_default(),
        ]
        .join("\n\n");
        let article = Article {
            id: v
                .get("id")
                .map(|i| i.to_string().trim_matches('"').to_string())
                .unwrap_or_default(),
            source: corpus.clone(),
            title: text("title"),
            body,
            date: NaiveDate::parse_from_str(&text("date"), "%Y-%m-%d").ok(),
            lang: None,
            url: None,
            site: None,
            story_start: 0,
        };
        writer.add(store.mapper().to_document(&article, &Tags::default()))?;
        documents += 1;
    }
    writer.finish(None)?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "engine": "tantivy-bare",
            "documents": documents,
            "index_seconds": seconds,
            "input_bytes": bytes,
            "mb_per_s": bytes as f64 / 1e6 / seconds,
            "index_bytes": store.size_bytes(),
        })
    );
    Ok(())
}
