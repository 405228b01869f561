//! Bare tantivy with Vigie's schema and French analyzer: the ceiling of Vigie's indexing and the
//! floor of its query time.
//!
//!     cargo run --release --example bare_tantivy -- CORPUS.jsonl INDEX_DIR [THREADS]
//!     cargo run --release --example bare_tantivy -- query INDEX_DIR QUERIES.tsv [ROUNDS]
//!
//! Indexing feeds the JSON Lines export straight to tantivy, with no cleaning, language
//! detection or entity extraction; it prints one JSON object: documents, seconds, input bytes,
//! MB/s.
//!
//! `query` runs the query set of `vigie bench` (`kind<TAB>query<TAB>year<TAB>location<TAB>actor`)
//! on an index built by Vigie (the same schema, with its facets filled), the way a program using
//! tantivy alone would: tantivy's query parser over the stemmed title and body, every word
//! required, the year, location and actor filters as facet terms, then the total and the 10 best
//! by BM25 — no snippets, facet counts, story grouping, entity scoring or nearness. One untimed
//! round, then ROUNDS timed (5 by default); prints p50/p99 and mean hits per kind as JSON.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::time::Instant;

use chrono::NaiveDate;
use serde_json::Value;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::IndexRecordOption;
use vigie::clean::Article;
use vigie::index::Store;
use vigie::mapper::{FacetKind, Tags};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("query") {
        return query(&args[2..]);
    }
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

/// One query of the set, parsed into tantivy's query.
struct Timed {
    kind: String,
    query: Box<dyn Query>,
}

fn query(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let (Some(dir), Some(set)) = (args.first(), args.get(1)) else {
        eprintln!("usage: bare_tantivy query INDEX_DIR QUERIES.tsv [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let store = Store::open(std::path::Path::new(dir))?;
    let mapper = store.mapper();
    let mut parser = QueryParser::for_index(
        store.index(),
        vec![mapper.title().stemmed, mapper.body().stemmed],
    );
    parser.set_conjunction_by_default();
    let mut queries = Vec::new();
    for line in std::fs::read_to_string(set)?.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        let (kind, text) = match cols.len() {
            1 => ("query", cols[0]),
            _ => (cols[0], cols[1]),
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, parser.parse_query(text)?)];
        for (i, kind) in [
            (2, FacetKind::Year),
            (3, FacetKind::Location),
            (4, FacetKind::Actor),
        ] {
            if let Some(value) = cols.get(i).filter(|v| !v.is_empty()) {
                let term = mapper.facet_term(kind, value);
                clauses.push((
                    Occur::Must,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                ));
            }
        }
        queries.push(Timed {
            kind: kind.to_string(),
            query: Box::new(BooleanQuery::new(clauses)),
        });
    }
    let searcher = store.reader()?.searcher();
    let collector = (Count, TopDocs::with_limit(10).order_by_score());
    for q in &queries {
        searcher.search(&*q.query, &collector)?;
    }
    let mut samples: BTreeMap<&str, Vec<(f64, usize)>> = BTreeMap::new();
    for _ in 0..rounds {
        for q in &queries {
            let started = Instant::now();
            let (total, top) = searcher.search(&*q.query, &collector)?;
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            std::hint::black_box(top);
            samples.entry(&q.kind).or_default().push((ms, total));
        }
    }
    let percentile = |sorted: &[f64], p: f64| {
        sorted[((p / 100.0 * (sorted.len() - 1) as f64).round() as usize).min(sorted.len() - 1)]
    };
    let by_kind: serde_json::Map<String, Value> = samples
        .iter()
        .map(|(kind, samples)| {
            let mut times: Vec<f64> = samples.iter().map(|(t, _)| *t).collect();
            times.sort_by(f64::total_cmp);
            let hits = samples.iter().map(|(_, h)| *h as f64).sum::<f64>() / samples.len() as f64;
            let stats = serde_json::json!({"n": samples.len(), "p50_ms": percentile(&times, 50.0),
                "p99_ms": percentile(&times, 99.0), "mean_hits": hits});
            (kind.to_string(), stats)
        })
        .collect();
    println!(
        "{}",
        serde_json::json!({"engine": "tantivy-bare-queries", "documents": searcher.num_docs(),
            "rounds": rounds, "queries": by_kind})
    );
    Ok(())
}
