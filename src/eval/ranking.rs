//! Ranking measured against judged queries (`tests/fixtures/queries/queries.json`): each query
//! is searched as an analyst would (`vigie search QUERY`, first page of 10 stories), and its
//! hits are scored against graded judgments — 2 about what the query asks, 1 relevant in
//! part, 0 not relevant (unjudged documents count as 0). Judgments name documents; the engine
//! shows one copy per story, so a story takes the best grade of its judged copies.
//!
//! - nDCG@10: gains `2^grade − 1`, discounted by `log2(rank + 1)`, over the ideal order of
//!   the judged stories;
//! - recall@10: the relevant stories (grade ≥ 1) in the first 10, over the relevant stories
//!   (at most 10);
//! - reciprocal rank: 1 / the rank of the first relevant story (0 beyond 10).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::search::{Engine, Request};

/// Hits judged per query.
pub const DEPTH: usize = 10;

/// One judged query of the file.
#[derive(Debug, Clone, Deserialize)]
pub struct Judged {
    pub id: String,
    pub query: String,
    #[serde(default)]
    pub kind: String,
    /// Grade by document id.
    pub judgments: BTreeMap<String, u8>,
}

#[derive(Deserialize)]
struct File {
    queries: Vec<Judged>,
}

/// Reads a judged query file.
pub fn load(path: &Path) -> Result<Vec<Judged>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let file: File = serde_json::from_str(&text).map_err(|e| Error::Invalid {
        what: "judged queries file",
        value: path.display().to_string(),
        hint: format!(
            "expected {{\"queries\": [{{\"id\", \"query\", \"kind\", \"judgments\": {{id: 0–2}}}}]}}: {e}"
        ),
    })?;
    Ok(file.queries)
}

/// The scores of one query.
#[derive(Debug, Clone, Serialize)]
pub struct QueryScore {
    pub id: String,
    pub query: String,
    pub kind: String,
    pub ndcg: f64,
    pub recall: f64,
    pub reciprocal_rank: f64,
    /// Grades of the stories shown, in rank order.
    pub grades: Vec<u8>,
    /// Relevant stories not among the first 10: a judged document of each.
    pub missed: Vec<String>,
    /// Judged documents the index does not hold.
    pub not_indexed: Vec<String>,
}

/// Means over a set of queries.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Means {
    pub queries: usize,
    pub ndcg: f64,
    pub recall: f64,
    pub mrr: f64,
}

impl Means {
    fn of<'a>(scores: impl Iterator<Item = &'a QueryScore>) -> Means {
        let mut means = Means::default();
        for s in scores {
            means.queries += 1;
            means.ndcg += s.ndcg;
            means.recall += s.recall;
            means.mrr += s.reciprocal_rank;
        }
        if means.queries > 0 {
            let n = means.queries as f64;
            means.ndcg /= n;
            means.recall /= n;
            means.mrr /= n;
        }
        means
    }
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub all: Means,
    pub by_kind: BTreeMap<String, Means>,
    pub queries: Vec<QueryScore>,
}

/// The story of document `id`, if the index holds it.
fn story_of(engine: &Engine, id: &str) -> Result<Option<String>> {
    let request = Request {
        query: format!("id:\"{id}\""),
        limit: 1,
        all_copies: true,
        ..Request::default()
    };
    let results = engine.search(&request.check()?)?;
    Ok(results.hits.into_iter().next().map(|hit| hit.story))
}

fn gain(grade: u8) -> f64 {
    f64::from((1u32 << grade) - 1)
}

fn discount(rank: usize) -> f64 {
    ((rank + 2) as f64).log2()
}

/// Scores one query: `shown` are the stories of the first hits, `judged` the grade of each
/// judged story.
fn score(
    judged: &Judged,
    shown: &[String],
    stories: &BTreeMap<String, (u8, String)>,
) -> QueryScore {
    let grades: Vec<u8> = shown
        .iter()
        .map(|story| stories.get(story).map_or(0, |(grade, _)| *grade))
        .collect();
    // A fold from 0.0, not `sum`: the sum of no hits is -0.0, printed « -0.000 ».
    let dcg: f64 = grades
        .iter()
        .enumerate()
        .fold(0.0, |dcg, (rank, &g)| dcg + gain(g) / discount(rank));
    let mut ideal: Vec<u8> = stories.values().map(|(grade, _)| *grade).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(DEPTH)
        .enumerate()
        .map(|(rank, &g)| gain(g) / discount(rank))
        .sum();
    let relevant = stories.values().filter(|(grade, _)| *grade > 0).count();
    let found = grades.iter().filter(|&&g| g > 0).count();
    let first = grades.iter().position(|&g| g > 0);
    let missed = stories
        .iter()
        .filter(|(story, (grade, _))| *grade > 0 && !shown.contains(story))
        .map(|(_, (_, id))| id.clone())
        .collect();
    QueryScore {
        id: judged.id.clone(),
        query: judged.query.clone(),
        kind: judged.kind.clone(),
        ndcg: if idcg > 0.0 { dcg / idcg } else { 1.0 },
        recall: if relevant > 0 {
            found as f64 / relevant.min(DEPTH) as f64
        } else {
            1.0
        },
        reciprocal_rank: first.map_or(0.0, |rank| 1.0 / (rank + 1) as f64),
        grades,
        missed,
        not_indexed: Vec::new(),
    }
}

/// Runs every judged query on the index of `engine`.
pub fn evaluate(engine: &Engine, queries: &[Judged]) -> Result<Report> {
    let mut scores = Vec::new();
    for judged in queries {
        // Each judged story, at the best grade of its judged copies.
        let mut stories: BTreeMap<String, (u8, String)> = BTreeMap::new();
        let mut not_indexed = Vec::new();
        for (id, &grade) in &judged.judgments {
            match story_of(engine, id)? {
                Some(story) => {
                    let entry = stories.entry(story).or_insert((grade, id.clone()));
                    if grade > entry.0 {
                        *entry = (grade, id.clone());
                    }
                }
                None => not_indexed.push(id.clone()),
            }
        }
        let request = Request {
            query: judged.query.clone(),
            limit: DEPTH,
            ..Request::default()
        };
        let results = engine.search(&request.check()?)?;
        let shown: Vec<String> = results.hits.into_iter().map(|hit| hit.story).collect();
        let mut scored = score(judged, &shown, &stories);
        scored.not_indexed = not_indexed;
        scores.push(scored);
    }
    let mut kinds: BTreeMap<String, Vec<&QueryScore>> = BTreeMap::new();
    for s in &scores {
        kinds.entry(s.kind.clone()).or_default().push(s);
    }
    Ok(Report {
        all: Means::of(scores.iter()),
        by_kind: kinds
            .into_iter()
            .map(|(kind, list)| (kind, Means::of(list.into_iter())))
            .collect(),
        queries: scores,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(grades: &[(&str, u8)]) -> (Judged, BTreeMap<String, (u8, String)>) {
        let judgments: BTreeMap<String, u8> =
            grades.iter().map(|&(id, g)| (id.to_string(), g)).collect();
        let stories = judgments
            .iter()
            .map(|(id, &g)| (format!("s{id}"), (g, id.clone())))
            .collect();
        let judged = Judged {
            id: "q".into(),
            query: "q".into(),
            kind: "k".into(),
            judgments,
        };
        (judged, stories)
    }

    #[test]
    fn a_perfect_ranking_scores_one_and_a_late_one_less() {
        let (q, stories) = judged(&[("a", 2), ("b", 1), ("c", 0)]);
        let perfect = score(&q, &["sa".into(), "sb".into(), "sc".into()], &stories);
        assert_eq!(
            (perfect.ndcg, perfect.recall, perfect.reciprocal_rank),
            (1.0, 1.0, 1.0)
        );
        let late = score(&q, &["sx".into(), "sb".into(), "sa".into()], &stories);
        assert_eq!(late.reciprocal_rank, 0.5);
        assert_eq!(late.recall, 1.0);
        assert!(late.ndcg < 0.7, "{}", late.ndcg);
        let missing = score(&q, &["sx".into(), "sa".into()], &stories);
        assert_eq!(missing.recall, 0.5);
        assert_eq!(missing.missed, vec!["b".to_string()]);
        // No hit at all: 0, not -0 (printed « -0.000 »).
        let none = score(&q, &[], &stories);
        assert!(
            none.ndcg == 0.0 && none.ndcg.is_sign_positive(),
            "{}",
            none.ndcg
        );
    }
}
