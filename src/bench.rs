//! `vigie bench`: runs a query set on an index, warm, and reports latency percentiles,
//! throughput and hit counts per kind of query.

use std::time::Instant;

use indexmap::IndexMap;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::search::{Breakdown, Checked, Engine, Request};

/// The query set shipped with Vigie (`data/bench_queries.tsv`).
pub const DEFAULT_QUERIES: &str = include_str!("../data/bench_queries.tsv");

/// Hits asked for per query, as an analyst's first page.
const PAGE: usize = 10;

/// One query of the set.
#[derive(Debug, Clone)]
pub struct BenchQuery {
    /// one_word, two_words, phrase, filtered… or "query" for a plain line.
    pub kind: String,
    pub request: Checked,
}

/// Reads a query set: `kind <TAB> query <TAB> year <TAB> location <TAB> actor` per line, or a
/// plain query per line; `#` starts a comment. Every request is checked here, before any runs.
pub fn parse_queries(text: &str) -> Result<Vec<BenchQuery>> {
    let mut out = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let (kind, query) = match cols.len() {
            1 => ("query", cols[0]),
            _ => (cols[0], cols[1]),
        };
        let column = |i: usize| cols.get(i).map(|c| c.trim()).filter(|c| !c.is_empty());
        let years = match column(2) {
            Some(y) => vec![y.parse().map_err(|_| Error::Invalid {
                what: "year in query set",
                value: y.to_string(),
                hint: format!("line {}: write a year such as 2020", number + 1),
            })?],
            None => Vec::new(),
        };
        let request = Request {
            query: query.to_string(),
            years,
            locations: column(3).map(|l| vec![l.to_string()]).unwrap_or_default(),
            actors: column(4).map(|a| vec![a.to_string()]).unwrap_or_default(),
            limit: PAGE,
            ..Request::default()
        };
        let request = request.check().map_err(|e| match e {
            Error::Invalid { what, value, hint } => Error::Invalid {
                what,
                value,
                hint: format!("line {}: {hint}", number + 1),
            },
            Error::Query(message) => Error::Query(format!("line {}: {message}", number + 1)),
            other => other,
        })?;
        out.push(BenchQuery {
            kind: kind.to_string(),
            request,
        });
    }
    if out.is_empty() {
        return Err(Error::Invalid {
            what: "query set",
            value: "(empty)".into(),
            hint: "write one query per line".into(),
        });
    }
    Ok(out)
}

/// Latency and hits of a group of queries.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Timed executions.
    pub n: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    /// Mean total number of matches.
    pub mean_hits: f64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (p / 100.0 * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn stats(samples: &[(f64, usize)]) -> Stats {
    let mut times: Vec<f64> = samples.iter().map(|(t, _)| *t).collect();
    times.sort_by(|a, b| a.total_cmp(b));
    Stats {
        n: samples.len(),
        p50_ms: percentile(&times, 50.0),
        p95_ms: percentile(&times, 95.0),
        p99_ms: percentile(&times, 99.0),
        mean_hits: samples.iter().map(|(_, h)| *h as f64).sum::<f64>()
            / samples.len().max(1) as f64,
    }
}

/// What a benchmark run measured.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub engine: String,
    pub documents: u64,
    pub index_bytes: u64,
    /// Distinct queries in the set.
    pub query_set: usize,
    /// Timed rounds over the set (after one untimed warm-up round).
    pub rounds: usize,
    /// Sequential queries per second over the timed rounds.
    pub queries_per_second: f64,
    pub all: Stats,
    /// Per kind of query.
    pub queries: IndexMap<String, Stats>,
    /// With `--breakdown`: per kind of query, the mean milliseconds of each stage of a search
    /// (their own rounds, after the timed ones; means, so that the parts add up).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<IndexMap<String, Breakdown>>,
}

/// The mean of each stage over the searches of one kind.
fn mean_stages(samples: &[Breakdown]) -> Breakdown {
    let mean = |get: fn(&Breakdown) -> f64| {
        samples.iter().map(get).sum::<f64>() / samples.len().max(1) as f64
    };
    Breakdown {
        query: mean(|b| b.query),
        collect: mean(|b| b.collect),
        scoring: mean(|b| b.scoring),
        stories: mean(|b| b.stories),
        facets: mean(|b| b.facets),
        near: mean(|b| b.near),
        hits: mean(|b| b.hits),
        fill: mean(|b| b.fill),
        facet_values: mean(|b| b.facet_values),
    }
}

/// Runs `rounds` rounds of [`Engine::breakdown`] over `queries`: where each kind's time goes.
pub fn breakdown(
    engine: &Engine,
    queries: &[BenchQuery],
    rounds: usize,
) -> Result<IndexMap<String, Breakdown>> {
    let mut samples: IndexMap<String, Vec<Breakdown>> = IndexMap::new();
    for _ in 0..rounds {
        for q in queries {
            let (_, stages) = engine.breakdown(&q.request)?;
            samples.entry(q.kind.clone()).or_default().push(stages);
        }
    }
    Ok(samples
        .iter()
        .map(|(kind, v)| (kind.clone(), mean_stages(v)))
        .collect())
}

/// Runs `queries` once to warm up, then `rounds` times, timing each search (top 10 with
/// snippets and facet counts, as `vigie search` does).
pub fn run(engine: &Engine, queries: &[BenchQuery], rounds: usize) -> Result<Report> {
    for q in queries {
        engine.search(&q.request)?;
    }
    let mut samples: IndexMap<String, Vec<(f64, usize)>> = IndexMap::new();
    let started = Instant::now();
    for _ in 0..rounds {
        for q in queries {
            let t = Instant::now();
            let results = engine.search(&q.request)?;
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            samples
                .entry(q.kind.clone())
                .or_default()
                .push((ms, results.total));
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let all: Vec<(f64, usize)> = samples.values().flatten().copied().collect();
    let searcher = engine.searcher();
    Ok(Report {
        engine: concat!("vigie-", env!("CARGO_PKG_VERSION")).to_string(),
        documents: searcher.num_docs(),
        index_bytes: engine.store().size_bytes(),
        query_set: queries.len(),
        rounds,
        queries_per_second: if elapsed > 0.0 {
            all.len() as f64 / elapsed
        } else {
            0.0
        },
        all: stats(&all),
        queries: samples.iter().map(|(k, v)| (k.clone(), stats(v))).collect(),
        breakdown: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_reads_the_default_query_set() {
        let set = parse_queries(DEFAULT_QUERIES).unwrap();
        assert!(set.len() >= 20);
        let filtered = set.iter().find(|q| q.kind == "filtered").unwrap();
        assert_eq!(filtered.request.years.len(), 1);
        assert_eq!(filtered.request.locations.len(), 1);
        assert_eq!(filtered.request.actors.len(), 1);
    }

    #[test]
    fn it_reads_plain_lines_and_rejects_bad_years() {
        let set = parse_queries("# comment\nembuscade Bandiagara\n\n").unwrap();
        assert_eq!(
            (set[0].kind.as_str(), set[0].request.query.as_str()),
            ("query", "embuscade Bandiagara")
        );
        assert!(parse_queries("filtered\tattaque\tdeux mille").is_err());
        assert!(parse_queries("").is_err());
    }

    #[test]
    fn it_computes_percentiles() {
        let s = stats(&(1..=100).map(|i| (i as f64, 1)).collect::<Vec<_>>());
        assert_eq!((s.p50_ms, s.p95_ms, s.p99_ms), (51.0, 95.0, 99.0));
    }
}
