//! Criterion benchmarks of Vigie's hot paths:
//!
//! - `analyzer/stemmed`, `analyzer/exact`: the French analyzers over the five seed pages
//!   (throughput in bytes, so criterion reports MB/s);
//! - `clean/page`: cleaning the five seed pages into articles (throughput in documents);
//! - `search/two_words`: `Engine::search` (top 10, snippets, year facets) on an index built once,
//!   untimed, from the seeds plus the first 5,000 OrangeSum articles when the shared corpus is
//!   found (`$VIGIE_SHARED/corpus/orangesum/articles.jsonl`, else `../shared/…` beside the crate).
//!
//! Run: `cargo bench --bench engine -- --warm-up-time 1 --measurement-time 2`
//! (add a filter such as `search` to run one group).

use std::fs;
use std::hint::black_box;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use vigie::analysis::{exact_analyzer, stemmed_analyzer};
use vigie::clean::clean;
use vigie::index::Store;
use vigie::ingest::{Content, Origin, RawRecord};
use vigie::pipeline::{index_paths, IndexOptions, Silent};
use vigie::search::{Engine, Hit, Request};

/// One seed page, as copied from the web: file name and text.
macro_rules! seed {
    ($name:literal) => {
        ($name, include_str!(concat!("../samples/", $name)))
    };
}

const SEEDS: [(&str, &str); 5] = [
    seed!("000_8f5ac768766ebcbc.txt"),
    seed!("001_6c0a91cd67c955b8.txt"),
    seed!("002_0247bc0df2810914.txt"),
    seed!("003_d8e2c97ece163f82.txt"),
    seed!("004_db3b67613d57645f.txt"),
];

/// OrangeSum articles added to the search index when the shared corpus is there.
const CORPUS_LINES: usize = 5_000;

/// Number of tokens `analyzer` emits for `text`, the way the indexer consumes them.
fn token_count(analyzer: &mut TextAnalyzer, text: &str) -> usize {
    let mut stream = analyzer.token_stream(text);
    let mut count = 0;
    while stream.advance() {
        black_box(stream.token());
        count += 1;
    }
    count
}

fn analyzers(c: &mut Criterion) {
    let text = SEEDS.map(|(_, t)| t).join("\n\n");
    let mut group = c.benchmark_group("analyzer");
    group.throughput(Throughput::Bytes(text.len() as u64));
    for (name, mut analyzer) in [("stemmed", stemmed_analyzer()), ("exact", exact_analyzer())] {
        assert!(
            token_count(&mut analyzer, &text) > 0,
            "{name} analyzer produced no token"
        );
        group.bench_function(name, |b| {
            b.iter(|| token_count(&mut analyzer, black_box(&text)))
        });
    }
    group.finish();
}

fn cleaning(c: &mut Criterion) {
    let records: Vec<RawRecord> = SEEDS
        .iter()
        .map(|(name, text)| RawRecord {
            origin: Origin {
                path: PathBuf::from(name),
                locator: None,
            },
            content: Content::Page(text.to_string()),
        })
        .collect();
    for record in &records {
        let article = clean(record).unwrap_or_else(|e| panic!("{}: {e:?}", record.origin));
        assert!(!article.body.is_empty(), "{}: empty body", record.origin);
    }
    let mut group = c.benchmark_group("clean");
    group.throughput(Throughput::Elements(records.len() as u64));
    group.bench_function("page", |b| {
        b.iter(|| {
            records
                .iter()
                .filter(|r| clean(black_box(r)).is_ok())
                .count()
        })
    });
    group.finish();
}

/// The shared OrangeSum export, if present.
fn orangesum() -> Option<PathBuf> {
    let shared = std::env::var_os("VIGIE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    Some(shared.join("corpus/orangesum/articles.jsonl")).filter(|p| p.is_file())
}

/// Writes the seeds and the corpus subset under `dir` and indexes them into `dir/index`.
fn build_index(dir: &Path) -> PathBuf {
    let sources = dir.join("sources");
    fs::create_dir_all(&sources).expect("create sources folder");
    for (name, text) in SEEDS {
        fs::write(sources.join(name), text).expect("write seed page");
    }
    match orangesum() {
        Some(path) => {
            let reader = BufReader::new(fs::File::open(&path).expect("open OrangeSum"));
            let mut out = fs::File::create(sources.join("orangesum.jsonl")).expect("create subset");
            for line in reader.lines().take(CORPUS_LINES) {
                writeln!(out, "{}", line.expect("read OrangeSum")).expect("write subset");
            }
            eprintln!(
                "search bench: 5 seed pages + first {CORPUS_LINES} lines of {}",
                path.display()
            );
        }
        None => eprintln!("search bench: 5 seed pages only (no OrangeSum corpus found)"),
    }
    let index = dir.join("index");
    let store = Store::open_or_create(&index).expect("create index");
    let stats =
        index_paths(&store, &[sources], &IndexOptions::default(), &mut Silent).expect("index");
    eprintln!("search bench: {} documents indexed", stats.documents());
    index
}

/// A search as the CLI sends it by default: top 10, snippets and year facets.
fn request(query: &str, years: &[i32]) -> Request {
    let (query, years) = (query.to_string(), years.to_vec());
    Request {
        query,
        years,
        limit: 10,
        ..Request::default()
    }
}

fn search(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let engine = Engine::open(&build_index(dir.path())).expect("open index");
    let ambush = request("embuscade Bandiagara", &[]);
    let army = request("armée malienne", &[2019, 2020]);

    let found = engine
        .search(&ambush)
        .expect("search «embuscade Bandiagara»");
    let first = found
        .hits
        .first()
        .expect("«embuscade Bandiagara» finds nothing");
    assert!(
        first.source.contains("004_"),
        "seed 004 not first: {}",
        first.source
    );
    assert!(!found.facets.year.is_empty(), "no year facet");
    let found = engine.search(&army).expect("search «armée malienne»");
    let in_years = |h: &Hit| matches!(h.year, Some(2019 | 2020));
    assert!(found.hits.iter().all(in_years), "the year filter leaks");
    // The seeds hold no 2019–2020 article: only the corpus can answer this one.
    if orangesum().is_some() {
        assert!(
            !found.hits.is_empty(),
            "«armée malienne» 2019–2020 finds nothing"
        );
    }

    let mut group = c.benchmark_group("search/two_words");
    for (name, req) in [
        ("embuscade_bandiagara", &ambush),
        ("armee_malienne_2019_2020", &army),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| engine.search(black_box(req)).expect("search").hits.len())
        });
    }
    group.finish();
}

criterion_group!(benches, analyzers, cleaning, search);
criterion_main!(benches);
