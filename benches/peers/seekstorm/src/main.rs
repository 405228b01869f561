//! SeekStorm 4.x peer runner for Vigie's peer benchmark (protocol: ../../README.md).
//!
//!     seekstorm-bench --corpus enriched.jsonl --queries queries.tsv --stopwords stopwords.txt \
//!                     --work DIR --threads 2
//!
//! Builds a SeekStorm index under DIR/index (timed: from create_index, through reading the corpus,
//! to the end of the commit), runs the query set warm (one untimed round, then 5 timed rounds) and prints ONE JSON
//! object on stdout. Everything else goes to stderr: SeekStorm prints status lines on stdout,
//! so stdout is pointed at stderr for the whole run and the JSON is written on the saved stdout.
//!
//! Diagnostics only: `--shards N` (default: --threads), `--access mmap|ram` (default mmap),
//! `--rounds N` (default 5), `--split-hyphens` (see README.md), env SEEKSTORM_BENCH_VERBOSE=1
//! (facets and the first 3 snippets of every query, printed during the untimed round).

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::FromRawFd;
use std::path::{Path, PathBuf};
use std::time::Instant;

use indexmap::IndexMap;
use serde_json::Value;

use seekstorm::commit::Commit;
use seekstorm::highlighter::{Highlight, highlighter};
use seekstorm::index::{
    AccessType, Clustering, DocumentCompression, FieldType, FileType, FrequentwordType,
    IndexArc, IndexDocument, IndexMetaObject, LexicalSimilarity, NgramSet, SchemaField,
    StemmerType, StopwordType, TokenizerType, create_index,
};
use seekstorm::search::{
    FacetFilter, QueryFacet, QueryRewriting, QueryType, ResultType, Search, SearchMode,
};
use seekstorm::vector::Inference;

const TOP: usize = 10;
const FACET_TOP: u16 = 10;
const SNIPPET_BYTES: usize = 240; // Vigie's snippet is at most 240 characters; SeekStorm counts bytes

macro_rules! log {
    ($($arg:tt)*) => { eprintln!("[seekstorm] {}", format!($($arg)*)) };
}

// ------------------------------------------------------------------------------------ analysis

/// SeekStorm's own folding (`fold_diacritics_accents_ligatures_zalgo_umlaut` in its private
/// `tokenizer` module, Apache-2.0), reproduced so that the stop words are folded exactly as the
/// tokens they must match: SeekStorm compares the folded token with the stop word list as given.
fn seekstorm_fold(s: &str) -> String {
    use finl_unicode::categories::{CharacterCategories, MinorCategory};
    const ZALGO: [MinorCategory; 2] = [MinorCategory::Mn, MinorCategory::Me];
    let mut out = String::with_capacity(s.len());
    for c in s.to_lowercase().chars() {
        match c {
            'ﬀ' => out.push_str("ff"),
            'ﬃ' => out.push_str("ffi"),
            'ﬄ' => out.push_str("ffl"),
            'ﬁ' => out.push_str("fi"),
            'ﬂ' => out.push_str("fl"),
            'ﬆ' | 'ﬅ' => out.push_str("st"),
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            _ => {
                let mut base = None;
                unicode_normalization::char::decompose_canonical(c, |d| {
                    base.get_or_insert(d);
                });
                let mut base2 = None;
                unicode_normalization::char::decompose_compatible(base.unwrap(), |d| {
                    if d.is_alphanumeric() {
                        base2.get_or_insert(d);
                    }
                });
                let b = base2.or(base).unwrap();
                if !ZALGO.contains(&b.get_minor_category()) {
                    match b {
                        'ł' => out.push('l'),
                        'æ' => out.push('a'),
                        'œ' | 'ø' => out.push('o'),
                        'ð' | 'đ' | 'ɖ' => out.push('d'),
                        'þ' => out.push('t'),
                        'ħ' => out.push('h'),
                        'ı' => out.push('i'),
                        _ => out.push(b),
                    }
                }
            }
        }
    }
    out
}

fn load_stop_words(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("stop words");
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for line in text.lines() {
        let w = line.trim();
        if w.is_empty() || w.starts_with('#') {
            continue;
        }
        let f = seekstorm_fold(w);
        if seen.insert(f.clone()) {
            out.push(f);
        }
    }
    out
}

// -------------------------------------------------------------------------------------- schema

fn field(name: &str, store: bool, indexed: bool, ty: FieldType, facet: bool) -> SchemaField {
    SchemaField::new(name.into(), store, indexed, false, ty, facet, false, 1.0, false, false)
}

fn schema() -> Vec<SchemaField> {
    let mut title = field("title", true, true, FieldType::Text, false);
    title.boost = 2.0; // as Lucene's title^2
    let mut body = field("body", true, true, FieldType::Text, false);
    body.longest = true;
    vec![
        field("id", true, false, FieldType::Text, false),
        title,
        body,
        // Facet fields: filtered and counted without touching the document store.
        field("year", false, false, FieldType::String16, true),
        // Every ancestor path of every tagged place (/Mali, /Mali/Mopti, ...): the filter field.
        field("location", false, false, FieldType::StringSet32, true),
        // The countries (children of the root): the location facet that is counted.
        field("country", false, false, FieldType::StringSet16, true),
        field("actor", false, false, FieldType::StringSet32, true),
    ]
}

fn str_array(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// One corpus line as a SeekStorm document. Every facet field is always present (an empty set,
/// an empty year): SeekStorm leaves the facet slot of a missing field at 0, which is the id of
/// the first value it saw, so a document without actors would be counted under someone else's.
fn to_document(line: &str, split_hyphens: bool) -> IndexMap<String, Value> {
    let v: Value = serde_json::from_str(line).expect("corpus line is not JSON");
    let text = |k: &str| -> String {
        let s = v.get(k).and_then(Value::as_str).unwrap_or("");
        if split_hyphens { s.replace('-', " ") } else { s.to_owned() }
    };
    let mut paths: Vec<String> = Vec::new();
    let mut countries: Vec<String> = Vec::new();
    for loc in str_array(v.get("locations")) {
        let mut prefix = String::new();
        for (i, part) in loc.split('/').filter(|p| !p.is_empty()).enumerate() {
            prefix.push('/');
            prefix.push_str(part);
            if i == 0 && !countries.contains(&prefix) {
                countries.push(prefix.clone());
            }
            if !paths.contains(&prefix) {
                paths.push(prefix.clone());
            }
        }
    }
    let mut actors: Vec<String> = Vec::new();
    for a in str_array(v.get("actors")) {
        if !actors.contains(&a) {
            actors.push(a);
        }
    }
    let year = v.get("year").and_then(Value::as_i64).map(|y| y.to_string()).unwrap_or_default();
    let id = match v.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let mut d = IndexMap::new();
    d.insert("id".into(), Value::String(id));
    d.insert("title".into(), Value::String(text("title")));
    d.insert("body".into(), Value::String(text("body")));
    d.insert("year".into(), Value::String(year));
    d.insert("location".into(), paths.into());
    d.insert("country".into(), countries.into());
    d.insert("actor".into(), actors.into());
    d
}

// ------------------------------------------------------------------------------------- queries

struct Q {
    kind: String,
    text: String,
    year: Option<String>,
    location: Option<String>,
    actor: Option<String>,
}

fn load_queries(path: &Path) -> Vec<Q> {
    let text = std::fs::read_to_string(path).expect("queries");
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if !line.contains('\t') {
            out.push(Q { kind: "query".into(), text: line.trim().into(), year: None, location: None, actor: None });
            continue;
        }
        let c: Vec<&str> = line.split('\t').collect();
        let col = |i: usize| c.get(i).map(|s| s.trim()).filter(|s| !s.is_empty()).map(str::to_owned);
        out.push(Q {
            kind: c[0].trim().into(),
            text: col(1).unwrap_or_default(),
            year: col(2),
            location: col(3),
            actor: col(4),
        });
    }
    out
}

struct Outcome {
    total: usize,
    snippets: Vec<(String, String)>, // (id, snippet)
    facets: BTreeMap<String, Vec<(String, usize)>>,
    phases: [u128; 3], // ns: search (match + total + top 10 + facet counts), highlighter setup, documents + snippets
}

/// Everything the protocol times: parse, filter, total, top 10, snippets, facet counts.
async fn run_query(index: &IndexArc, q: &Q) -> Outcome {
    let t0 = Instant::now();
    let mut filters = Vec::new();
    if let Some(y) = &q.year {
        filters.push(FacetFilter::String16 { field: "year".into(), filter: vec![y.clone()] });
    }
    if let Some(l) = &q.location {
        filters.push(FacetFilter::StringSet32 { field: "location".into(), filter: vec![l.clone()] });
    }
    if let Some(a) = &q.actor {
        filters.push(FacetFilter::StringSet32 { field: "actor".into(), filter: vec![a.clone()] });
    }
    let query_facets = vec![
        QueryFacet::String16 { field: "year".into(), prefix: String::new(), length: FACET_TOP },
        QueryFacet::StringSet16 { field: "country".into(), prefix: String::new(), length: FACET_TOP },
        QueryFacet::StringSet32 { field: "actor".into(), prefix: String::new(), length: FACET_TOP as u32 },
    ];
    let result = index
        .search(
            q.text.clone(),
            None,
            QueryType::Intersection, // every word required; "..." is a phrase
            SearchMode::Lexical,
            false,
            0,
            TOP,
            ResultType::TopkCount, // exact total and facet counts over the whole result set
            false,
            Vec::new(), // all indexed fields: title and body
            query_facets,
            filters,
            Vec::new(), // ranked by score
            QueryRewriting::SearchOnly,
        )
        .await;
    let t1 = Instant::now();
    let highlights = vec![Highlight {
        field: "body".into(),
        name: String::new(), // the snippet replaces the body in the returned document
        fragment_number: 1,
        fragment_size: SNIPPET_BYTES,
        highlight_markup: true,
        ..Default::default()
    }];
    let hl = Some(highlighter(index, highlights, result.query_terms.clone()).await);
    let t2 = Instant::now();
    let fields: HashSet<String> = ["id".to_string(), "body".to_string()].into();
    let mut snippets = Vec::with_capacity(result.results.len());
    {
        let idx = index.read().await;
        for r in result.results.iter() {
            let doc = idx.get_document(r.doc_id, false, &hl, &fields, &[]).await.expect("document");
            let id = doc.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
            let snippet = doc.get("body").and_then(Value::as_str).unwrap_or("").to_owned();
            snippets.push((id, snippet));
        }
    }
    let t3 = Instant::now();
    let mut facets = BTreeMap::new();
    for (name, values) in result.facets.iter() {
        let v: Vec<(String, usize)> =
            values.iter().filter(|(k, _)| !k.is_empty()).cloned().collect();
        facets.insert(name.clone(), v);
    }
    Outcome {
        total: result.result_count_total,
        snippets,
        facets,
        phases: [
            (t1 - t0).as_nanos(),
            (t2 - t1).as_nanos(),
            (t3 - t2).as_nanos(),
        ],
    }
}

// -------------------------------------------------------------------------------------- helpers

fn dir_bytes(dir: &Path) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    let (mut apparent, mut allocated) = (0u64, 0u64);
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if let Ok(m) = std::fs::symlink_metadata(&p) {
                if m.is_dir() {
                    let (a, b) = dir_bytes(&p);
                    apparent += a;
                    allocated += b;
                } else if m.is_file() {
                    apparent += m.len();
                    allocated += m.blocks() * 512;
                }
            }
        }
    }
    (apparent, allocated)
}

/// A `/proc/self/status` line in kB: VmHWM (peak resident set) or VmRSS (current).
fn status_kb(key: &str) -> i64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with(key)).map(|l| {
                l.chars().filter(|c| c.is_ascii_digit()).collect::<String>().parse().unwrap_or(-1)
            })
        })
        .unwrap_or(-1)
}

fn peak_rss_kb() -> i64 {
    status_kb("VmHWM:")
}

fn cpu_seconds() -> f64 {
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(u.ru_utime) + tv(u.ru_stime)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((p / 100.0 * sorted.len() as f64).ceil() as isize - 1).clamp(0, sorted.len() as isize - 1);
    sorted[idx as usize] // nearest rank, as the Lucene runner
}

// ----------------------------------------------------------------------------------------- main

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // SeekStorm prints status messages with println!: keep stdout for the one JSON object.
    let json_out = unsafe {
        let saved = libc::dup(1);
        assert!(saved >= 0 && libc::dup2(2, 1) >= 0, "cannot redirect stdout");
        File::from_raw_fd(saved)
    };

    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut opt: BTreeMap<String, String> = BTreeMap::new();
    let mut split_hyphens = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let key = a.strip_prefix("--").unwrap_or_else(|| panic!("bad argument {a}"));
        if key == "split-hyphens" {
            split_hyphens = true;
            i += 1;
            continue;
        }
        let val = args.get(i + 1).unwrap_or_else(|| panic!("--{key} needs a value")).clone();
        opt.insert(key.into(), val);
        i += 2;
    }
    let need = |k: &str| -> PathBuf {
        PathBuf::from(opt.get(k).unwrap_or_else(|| panic!("missing --{k}")))
    };
    let corpus = need("corpus");
    let queries_path = need("queries");
    let stops_path = need("stopwords");
    let work = need("work");
    let threads: usize = opt.get("threads").map(|s| s.parse().unwrap()).unwrap_or(2);
    let shards: usize = opt.get("shards").map(|s| s.parse().unwrap()).unwrap_or(threads);
    let rounds: usize = opt.get("rounds").map(|s| s.parse().unwrap()).unwrap_or(5);
    let access = match opt.get("access").map(String::as_str).unwrap_or("mmap") {
        "mmap" => AccessType::Mmap,
        "ram" => AccessType::Ram,
        other => panic!("--access mmap|ram, not {other}"),
    };
    let verbose = std::env::var_os("SEEKSTORM_BENCH_VERBOSE").is_some();

    std::fs::create_dir_all(&work).unwrap();
    let index_dir = work.join("index");
    if index_dir.exists() {
        std::fs::remove_dir_all(&index_dir).unwrap();
    }

    let stop_words = load_stop_words(&stops_path);
    log!("{} stop words (folded as SeekStorm folds tokens)", stop_words.len());
    let meta = IndexMetaObject {
        id: 0,
        name: "vigie-peers".into(),
        lexical_similarity: LexicalSimilarity::Bm25f, // BM25 (k1 = 1.2, b = 0.75 are SeekStorm's constants)
        tokenizer: TokenizerType::UnicodeAlphanumericFolded, // lowercase + accent folding
        stemmer: StemmerType::French,                        // Snowball French
        stop_words: StopwordType::Custom { terms: stop_words },
        frequent_words: FrequentwordType::None, // its French list is mostly our stop words
        ngram_indexing: NgramSet::SingleTerm as u8,
        document_compression: DocumentCompression::Snappy,
        access_type: access.clone(),
        spelling_correction: None,
        query_completion: None,
        clustering: Clustering::None,
        inference: Inference::None,
        segment_number_bits: 11,
    };

    // ---- index build (timed: from create_index, through reading the corpus, to the end of the commit)
    log!(
        "indexing {} into {} shards ({:?}), SeekStorm {}{}",
        corpus.display(),
        shards,
        access,
        seekstorm::index::version(),
        if split_hyphens { ", hyphens split (diagnostic)" } else { "" }
    );
    let t0 = Instant::now();
    let index = create_index(&index_dir, meta, &schema(), &Vec::new(), true, Some(shards))
        .await
        .expect("create_index");
    let reader = BufReader::with_capacity(1 << 20, File::open(&corpus).expect("corpus"));
    let mut docs = 0usize;
    for line in reader.lines() {
        let line = line.expect("read corpus");
        if line.trim().is_empty() {
            continue;
        }
        index.index_document(to_document(&line, split_hyphens), FileType::None).await;
        docs += 1;
    }
    let added = t0.elapsed().as_secs_f64();
    index.commit().await;
    let index_seconds = t0.elapsed().as_secs_f64();
    let (index_bytes, allocated) = dir_bytes(&index_dir);
    let committed = index.read().await.committed_doc_count().await;
    log!(
        "{docs} documents added in {added:.2} s, commit {:.2} s; {committed} committed; process CPU so far {:.2} s",
        index_seconds - added,
        cpu_seconds()
    );
    log!(
        "index {index_bytes} bytes ({allocated} allocated on disk), peak RSS so far {} kB, RSS now {} kB",
        peak_rss_kb(),
        status_kb("VmRSS:")
    );

    // ---- queries
    let queries = load_queries(&queries_path);
    let mut hits: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for q in &queries {
        // untimed warm-up round, which also checks and logs every query
        let r = run_query(&index, q).await;
        if !order.contains(&q.kind) {
            order.push(q.kind.clone());
        }
        hits.entry(q.kind.clone()).or_default().push(r.total);
        let mut line = format!("{:<10} {:<28} {:>6} hits", q.kind, q.text, r.total);
        if q.year.is_some() || q.location.is_some() || q.actor.is_some() {
            line += &format!(" [year={:?} location={:?} actor={:?}]", q.year, q.location, q.actor);
        }
        log!("{line}");
        assert!(r.snippets.len() == r.total.min(TOP), "top {} of {} hits", r.snippets.len(), r.total);
        if verbose {
            for (dim, values) in &r.facets {
                let v: Vec<String> = values.iter().map(|(k, c)| format!("{k} ({c})")).collect();
                log!("    {dim}: {}", v.join(" "));
            }
            for (i, (id, s)) in r.snippets.iter().take(3).enumerate() {
                log!("    #{} id={id} {}", i + 1, s.replace('\n', " "));
            }
        }
    }

    let mut lat: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut phase_sums: BTreeMap<String, [u128; 3]> = BTreeMap::new();
    for _ in 0..rounds {
        for q in &queries {
            let s = Instant::now();
            let r = run_query(&index, q).await;
            let ms = s.elapsed().as_secs_f64() * 1e3;
            std::hint::black_box(&r);
            lat.entry(q.kind.clone()).or_default().push(ms);
            let acc = phase_sums.entry(q.kind.clone()).or_default();
            for k in 0..3 {
                acc[k] += r.phases[k];
            }
        }
    }
    for kind in &order {
        if let (Some(p), Some(v)) = (phase_sums.get(kind), lat.get(kind)) {
            let n = v.len() as f64;
            log!(
                "{kind:<10} mean ms: search (match + total + top 10 + facets) {:.3}, highlighter {:.3}, documents + snippets {:.3}",
                p[0] as f64 / 1e6 / n,
                p[1] as f64 / 1e6 / n,
                p[2] as f64 / 1e6 / n
            );
        }
    }
    let documents = index.read().await.indexed_doc_count().await;
    let rss = peak_rss_kb();
    log!("process CPU total {:.2} s, RSS now {} kB, peak {rss} kB", cpu_seconds(), status_kb("VmRSS:"));

    let mut qs = serde_json::Map::new();
    for kind in &order {
        let mut v = lat.get(kind).cloned().unwrap_or_default();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let h = &hits[kind];
        let mean_hits = h.iter().sum::<usize>() as f64 / h.len() as f64;
        let r3 = |x: f64| (x * 1000.0).round() / 1000.0;
        let mut o = serde_json::Map::new();
        o.insert("n".into(), v.len().into());
        o.insert("p50_ms".into(), r3(percentile(&v, 50.0)).into());
        o.insert("p99_ms".into(), r3(percentile(&v, 99.0)).into());
        o.insert("mean_hits".into(), ((mean_hits * 10.0).round() / 10.0).into());
        qs.insert(kind.clone(), Value::Object(o));
    }
    let mut out = serde_json::Map::new();
    out.insert("engine".into(), format!("seekstorm-{}", seekstorm::index::version()).into());
    out.insert("documents".into(), documents.into());
    out.insert("index_seconds".into(), ((index_seconds * 1000.0).round() / 1000.0).into());
    out.insert("input_bytes".into(), std::fs::metadata(&corpus).map(|m| m.len()).unwrap_or(0).into());
    out.insert("index_bytes".into(), index_bytes.into());
    out.insert("peak_rss_kb".into(), rss.into());
    out.insert("queries".into(), Value::Object(qs));

    let mut json_out = json_out;
    writeln!(json_out, "{}", Value::Object(out)).unwrap();
    json_out.flush().unwrap();
    // No close(): the index is only a benchmark artefact, and the process exits here (the
    // INDEX_RUNTIME's worker threads would otherwise keep it alive).
    std::process::exit(0);
}
