//! Criterion benchmarks of Vigie's hot paths:
//!
//! - `analyzer/stemmed`, `analyzer/exact`: the French analyzers over the five seed pages
//!   (throughput in bytes, so criterion reports MB/s);
//! - `clean/page`: cleaning the five seed pages into articles (throughput in documents);
//! - `pipeline/clean_and_tag`: cleaning, language and places/actors of news articles (docs/s);
//! - `index/mb`, `index/docs`: the whole indexing pipeline into a fresh index (MB/s, docs/s);
//! - `search/*`: `Engine::search` (top 10, snippets, year/location/actor facets) for one word, two
//!   words, a phrase and a query with year + location + actor filters, on an index built once.
//!
//! The corpus is the shared OrangeSum export when found (`$VIGIE_SHARED/corpus/orangesum/
//! articles.jsonl`, else `../shared/…` beside the crate), else the embedded fallback: the seeds
//! and the 40 labelled Sahel articles of `tests/fixtures/sahel`. Every bench asserts its result.
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
use vigie::entities::Recognizer;
use vigie::index::Store;
use vigie::ingest::{fields_from_value, Content, Origin, RawRecord};
use vigie::pipeline::{index_paths, IndexOptions, Silent};
use vigie::search::{Checked, Engine, Hit, Request};

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

/// Articles cleaned, tagged or indexed per iteration of the pipeline benches.
const PIPELINE_LINES: usize = 1_000;

/// 40 real Sahel articles (OrangeSum, CC BY-SA 4.0): the fallback corpus.
const SAHEL: &str = include_str!("../tests/fixtures/sahel/articles.jsonl");

/// JSON Lines of news articles for the pipeline benches: OrangeSum's first lines, or the fallback.
fn news_lines(count: usize) -> Vec<String> {
    match orangesum() {
        Some(path) => BufReader::new(fs::File::open(path).expect("open OrangeSum"))
            .lines()
            .take(count)
            .map(|l| l.expect("read OrangeSum"))
            .collect(),
        None => SAHEL.lines().map(str::to_string).collect(),
    }
}

fn records_of(lines: &[String]) -> Vec<RawRecord> {
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let value: serde_json::Value = serde_json::from_str(line).expect("valid JSON line");
            RawRecord {
                origin: Origin {
                    path: PathBuf::from("bench.jsonl"),
                    locator: Some(format!(":{}", i + 1)),
                },
                content: Content::Fields(fields_from_value(&value).expect("article fields")),
            }
        })
        .collect()
}

fn pipeline(c: &mut Criterion) {
    let records = records_of(&news_lines(PIPELINE_LINES));
    let mut recognizer = Recognizer::default();
    let tagged = records
        .iter()
        .filter_map(|r| clean(r).ok())
        .filter(|a| !recognizer.extract(&a.title, &a.body).locations.is_empty())
        .count();
    assert!(tagged > 0, "no article got a place");
    let mut group = c.benchmark_group("pipeline");
    group.throughput(Throughput::Elements(records.len() as u64));
    group.bench_function("clean_and_tag", |b| {
        b.iter(|| {
            records
                .iter()
                .filter_map(|r| clean(black_box(r)).ok())
                .map(|a| recognizer.extract(&a.title, &a.body).actors.len())
                .sum::<usize>()
        })
    });
    group.finish();

    let lines = news_lines(PIPELINE_LINES);
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("input.jsonl");
    fs::write(&input, lines.join("\n")).expect("write input");
    let bytes = fs::metadata(&input).expect("input size").len();
    let index_once = |n: usize| {
        let index = dir.path().join(format!("index-{n}"));
        let _ = fs::remove_dir_all(&index);
        let store = Store::open_or_create(&index).expect("create index");
        let stats = index_paths(
            &store,
            std::slice::from_ref(&input),
            &IndexOptions::default(),
            &mut Silent,
        )
        .expect("index");
        assert_eq!(stats.documents(), lines.len() as u64, "documents lost");
        stats.documents()
    };
    let mut group = c.benchmark_group("index");
    group.sample_size(10);
    let mut n = 0;
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("mb", |b| {
        b.iter(|| {
            n += 1;
            index_once(n)
        })
    });
    group.throughput(Throughput::Elements(lines.len() as u64));
    group.bench_function("docs", |b| {
        b.iter(|| {
            n += 1;
            index_once(n)
        })
    });
    group.finish();
}

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
    fs::write(sources.join("sahel.jsonl"), SAHEL).expect("write Sahel articles");
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

/// A search as the CLI sends it by default: top 10, snippets and facet counts.
fn request(query: &str, years: &[i32], location: Option<&str>, actor: Option<&str>) -> Checked {
    Request {
        query: query.to_string(),
        years: years.to_vec(),
        locations: location.map(|l| vec![l.to_string()]).unwrap_or_default(),
        actors: actor.map(|a| vec![a.to_string()]).unwrap_or_default(),
        limit: 10,
        ..Request::default()
    }
    .check()
    .unwrap_or_else(|e| panic!("«{query}»: {e}"))
}

fn search(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let engine = Engine::open(&build_index(dir.path())).expect("open index");
    let ambush = request("embuscade Bandiagara", &[], None, None);
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

    let kinds = [
        ("one_word", request("attaque", &[], None, None)),
        ("two_words", request("embuscade soldats", &[], None, None)),
        ("phrase", request("\"forces françaises\"", &[], None, None)),
        (
            "filtered",
            request("attaque", &[2020], Some("Mali"), Some("Barkhane")),
        ),
    ];
    for (name, req) in &kinds {
        let found = engine.search(req).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            !found.hits.is_empty(),
            "{name}: «{}» finds nothing",
            req.query
        );
        assert!(
            found.hits.iter().all(|h| !h.snippet.text.is_empty()),
            "{name}: empty snippet"
        );
        if *name == "filtered" {
            let ok = |h: &Hit| {
                h.year == Some(2020)
                    && h.actors.iter().any(|a| a == "Barkhane")
                    && h.locations.iter().any(|l| l.starts_with("/Mali"))
            };
            assert!(found.hits.iter().all(ok), "the filters leak");
        }
    }
    let mut group = c.benchmark_group("search");
    for (name, req) in &kinds {
        group.bench_function(*name, |b| {
            b.iter(|| engine.search(black_box(req)).expect("search").hits.len())
        });
    }
    group.finish();
}

criterion_group!(benches, analyzers, cleaning, pipeline, search);
criterion_main!(benches);
