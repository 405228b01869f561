//! Page reading measured on public page sets that nobody here wrote (`shared/bench`):
//! main text against Zyte's article-extraction benchmark with that benchmark's own metric,
//! publication day against htmldate's MediaCloud pages (exact day; no date counts as wrong).
//!
//! Vigie's own answers are made in-process from the saved pages; another extractor's are read
//! from a JSON Lines file (`{"source": …, "body": …, "date": …}`, the shape of `vigie extract
//! --jsonl`), so every tool is scored by this one code.

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::Path;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ingest::WalkOptions;
use crate::pipeline;

/// The article-extraction set under a bench folder.
pub const ARTICLES: &str = "article-extraction";
/// The publication-date set under a bench folder.
pub const DATES: &str = "htmldate-mediacloud";

/// What one tool made of one page.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Answer {
    /// The page's file (any folder; `.gz` and `.html` are not part of the key).
    pub source: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
}

/// Main text scored as the article-extraction benchmark's `evaluate.py` does.
#[derive(Debug, Clone, Serialize)]
pub struct TextScore {
    pub pages: usize,
    /// Pages given no text at all.
    pub empty: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// The pages with the lowest F1, worst first: (page, precision, recall).
    pub worst: Vec<(String, f64, f64)>,
}

/// Publication days against the truth; a page the set says gives no date is right when no
/// date is found.
#[derive(Debug, Clone, Serialize)]
pub struct DateScore {
    pub pages: usize,
    pub correct: usize,
    /// Pages given no date.
    pub missing: usize,
    pub accuracy: f64,
    /// Pages whose day is wrong or missing: (page, truth, answer).
    pub wrong: Vec<(String, Option<String>, Option<String>)>,
}

/// Titles against hand labels (`--titles`): the same once spaces, case, quotes and dashes are
/// written alike.
#[derive(Debug, Clone, Serialize)]
pub struct TitleScore {
    pub pages: usize,
    pub correct: usize,
    pub accuracy: f64,
    /// Pages whose title is wrong: (set/page, label, answer).
    pub wrong: Vec<(String, String, Option<String>)>,
}

/// What `vigie eval --pages` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Whose answers: `vigie`, or the answers file.
    pub tool: String,
    pub text: Option<TextScore>,
    pub dates: Option<DateScore>,
    pub titles: Option<TitleScore>,
}

/// A page's key: its file name without folders, `.gz` or `.html` (`1484494308.html.gz` and
/// `out/1484494308.html` are both `1484494308`).
pub fn page_key(source: &str) -> String {
    let source = source.split(':').next().unwrap_or(source);
    let name = Path::new(source)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(source);
    let name = name.strip_suffix(".gz").unwrap_or(name);
    let name = name.strip_suffix(".html").unwrap_or(name);
    name.to_string()
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path, what: &'static str) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    // Python writes a missing value as `NaN`, which JSON does not have.
    let text = text.replace(": NaN", ": null");
    serde_json::from_str(&text).map_err(|e| Error::Invalid {
        what,
        value: path.display().to_string(),
        hint: e.to_string(),
    })
}

/// Reads another tool's answers (JSON Lines); a malformed line is an error naming it.
pub fn load_answers(path: &Path) -> Result<Vec<Answer>> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut answers = Vec::new();
    for (number, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        answers.push(serde_json::from_str(&line).map_err(|e| Error::Invalid {
            what: "answers line",
            value: format!("{}:{}", path.display(), number + 1),
            hint: format!("expected {{\"source\": …, \"body\": …, \"date\": …}}: {e}"),
        })?);
    }
    Ok(answers)
}

/// Vigie's answers for every page under `folder`, read as `vigie extract` reads them.
fn vigie_answers(folder: &Path) -> Vec<Answer> {
    let mut answers = Vec::new();
    pipeline::extract_each(
        &[folder.to_path_buf()],
        &WalkOptions::default(),
        &mut |record| {
            if let Ok(extracted) = record {
                let article = extracted.article;
                answers.push(Answer {
                    source: article.source,
                    title: Some(article.title),
                    body: Some(article.body),
                    date: article.date.map(|d| d.to_string()),
                });
            }
        },
    );
    answers
}

/// Scores the answers (Vigie's when `answers` is `None`) on the sets found under `bench`, and
/// their titles against `titles` (labels keyed `set/page`) when given.
pub fn evaluate(bench: &Path, answers: Option<&Path>, titles: Option<&Path>) -> Result<Report> {
    let articles = bench.join(ARTICLES);
    let dates = bench.join(DATES);
    if !articles.is_dir() && !dates.is_dir() {
        return Err(Error::Invalid {
            what: "page sets folder",
            value: bench.display().to_string(),
            hint: format!("expected {ARTICLES}/ or {DATES}/ in it (shared/bench)"),
        });
    }
    let given = answers.map(load_answers).transpose()?;
    let answers_for = |set: &Path| -> HashMap<String, Answer> {
        let list = match &given {
            Some(list) => list.clone(),
            None => vigie_answers(&set.join("html")),
        };
        list.into_iter().map(|a| (page_key(&a.source), a)).collect()
    };
    let mut by_set: BTreeMap<&str, HashMap<String, Answer>> = BTreeMap::new();
    for (name, folder) in [(ARTICLES, &articles), (DATES, &dates)] {
        if folder.is_dir() {
            by_set.insert(name, answers_for(folder));
        }
    }
    // Another tool's answers are scored on what they answer: a date finder gives no text.
    let answers_text = given
        .as_ref()
        .is_none_or(|list| list.iter().any(|a| a.body.is_some()));
    let answers_dates = given
        .as_ref()
        .is_none_or(|list| list.iter().any(|a| a.date.is_some()));
    let text = if articles.is_dir() && answers_text {
        let truth: BTreeMap<String, ArticleTruth> =
            read_json(&articles.join("ground-truth.json"), "ground truth")?;
        Some(score_text(&truth, &by_set[ARTICLES]))
    } else {
        None
    };
    let dates = if dates.is_dir() && answers_dates {
        let truth: BTreeMap<String, DateTruth> =
            read_json(&dates.join("truth.json"), "date truth")?;
        Some(score_dates(&truth, &by_set[DATES]))
    } else {
        None
    };
    let answers_titles = given
        .as_ref()
        .is_none_or(|list| list.iter().any(|a| a.title.is_some()));
    let titles = match titles.filter(|_| answers_titles) {
        Some(path) => {
            let labels: BTreeMap<String, serde_json::Value> = read_json(path, "title labels")?;
            Some(score_titles(&labels, &by_set))
        }
        None => None,
    };
    Ok(Report {
        tool: answers.map_or_else(|| "vigie".to_string(), |p| p.display().to_string()),
        text,
        dates,
        titles,
    })
}

/// A title as compared: spaces squashed, lowercase, typographic quotes, apostrophes and
/// dashes written plainly.
fn title_form(title: &str) -> String {
    crate::text::squash_spaces(title)
        .to_lowercase()
        .replace(['’', '‘', '`'], "'")
        .replace(['“', '”', '«', '»'], "\"")
        .replace(['–', '—'], "-")
}

fn score_titles(
    labels: &BTreeMap<String, serde_json::Value>,
    by_set: &BTreeMap<&str, HashMap<String, Answer>>,
) -> TitleScore {
    let mut wrong = Vec::new();
    let mut pages = 0;
    for (key, label) in labels.iter().filter(|(k, _)| !k.starts_with('_')) {
        // A page labelled null holds no article: it is not scored.
        let Some(label) = label.as_str() else {
            continue;
        };
        let Some((set, page)) = key.split_once('/') else {
            continue;
        };
        let Some(answers) = by_set.get(set) else {
            continue;
        };
        pages += 1;
        let found = answers.get(page).and_then(|a| a.title.clone());
        if found.as_deref().map(title_form) != Some(title_form(label)) {
            wrong.push((key.clone(), label.to_string(), found));
        }
    }
    let correct = pages - wrong.len();
    TitleScore {
        pages,
        correct,
        accuracy: if pages == 0 {
            0.0
        } else {
            correct as f64 / pages as f64
        },
        wrong,
    }
}

#[derive(Debug, Deserialize)]
struct ArticleTruth {
    #[serde(rename = "articleBody", default)]
    article_body: String,
}

#[derive(Debug, Deserialize)]
struct DateTruth {
    file: String,
    /// `None` for the pages that give no date (written `NaN` in the set).
    date: Option<String>,
}

/// How many of the worst pages a report lists.
const WORST: usize = 15;

fn score_text(
    truth: &BTreeMap<String, ArticleTruth>,
    answers: &HashMap<String, Answer>,
) -> TextScore {
    let mut scores = Vec::new();
    let mut empty = 0;
    for (key, t) in truth {
        let predicted = answers
            .get(key)
            .and_then(|a| a.body.as_deref())
            .unwrap_or("");
        if predicted.trim().is_empty() {
            empty += 1;
        }
        scores.push((key.clone(), shingle_matching(&t.article_body, predicted)));
    }
    let (precision, recall) = means(scores.iter().map(|(_, s)| *s));
    let mut worst: Vec<(String, f64, f64)> = scores
        .iter()
        .map(|(key, s)| {
            (
                key.clone(),
                s.precision().unwrap_or(0.0),
                s.recall().unwrap_or(0.0),
            )
        })
        .collect();
    worst.sort_by(|a, b| harmonic(a.1, a.2).total_cmp(&harmonic(b.1, b.2)));
    worst.truncate(WORST);
    TextScore {
        pages: truth.len(),
        empty,
        precision,
        recall,
        f1: harmonic(precision, recall),
        worst,
    }
}

fn score_dates(
    truth: &BTreeMap<String, DateTruth>,
    answers: &HashMap<String, Answer>,
) -> DateScore {
    let mut wrong = Vec::new();
    let (mut correct, mut missing) = (0, 0);
    for t in truth.values() {
        let key = page_key(&t.file);
        let found = answers.get(&key).and_then(|a| a.date.clone());
        // Any tool's date value is compared by its day (`2020-06-07T10:00` is the 7th).
        let day = found
            .as_deref()
            .map(|d| d.get(..10).unwrap_or(d).to_string());
        // A page that gives no date is read right when no date is found.
        match day {
            day if day == t.date => correct += 1,
            other => {
                missing += usize::from(other.is_none());
                wrong.push((key, t.date.clone(), other));
            }
        }
    }
    wrong.sort();
    DateScore {
        pages: truth.len(),
        correct,
        missing,
        accuracy: if truth.is_empty() {
            0.0
        } else {
            correct as f64 / truth.len() as f64
        },
        wrong,
    }
}

/// True positives, false positives and false negatives of one page, divided by their sum so
/// that long texts weigh no more than short ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Matching {
    pub tp: f64,
    pub fp: f64,
    pub fn_: f64,
}

impl Matching {
    /// `None` where the benchmark leaves the page out of the mean (nothing predicted).
    fn precision(&self) -> Option<f64> {
        (self.tp + self.fp > 0.0).then(|| {
            if self.fp == 0.0 && self.fn_ == 0.0 {
                1.0
            } else {
                self.tp / (self.tp + self.fp)
            }
        })
    }

    /// `None` where the benchmark leaves the page out of the mean (nothing to find).
    fn recall(&self) -> Option<f64> {
        (self.tp + self.fn_ > 0.0).then(|| {
            if self.fp == 0.0 && self.fn_ == 0.0 {
                1.0
            } else {
                self.tp / (self.tp + self.fn_)
            }
        })
    }
}

fn harmonic(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// The benchmark's means: precision over the pages where something was predicted, recall
/// over the pages where something was to be found.
fn means(pages: impl Iterator<Item = Matching>) -> (f64, f64) {
    let (mut p, mut np, mut r, mut nr) = (0.0, 0usize, 0.0, 0usize);
    for m in pages {
        if let Some(x) = m.precision() {
            p += x;
            np += 1;
        }
        if let Some(x) = m.recall() {
            r += x;
            nr += 1;
        }
    }
    let mean = |sum: f64, n: usize| if n == 0 { 0.0 } else { sum / n as f64 };
    (mean(p, np), mean(r, nr))
}

fn token_re() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\w+").expect("token pattern is valid"))
}

/// The benchmark's shingles: runs of 4 `\w+` tokens with their counts (a text of fewer
/// tokens is one shorter shingle). Rust's `\w` is Unicode's word class, as Python's is but
/// for combining marks, which the benchmark's mostly English pages hardly have.
fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    const N: usize = 4;
    let tokens: Vec<&str> = token_re().find_iter(text).map(|m| m.as_str()).collect();
    let mut counts = HashMap::new();
    for i in 0..tokens.len().saturating_sub(N - 1).max(1) {
        let shingle = tokens[i..(i + N).min(tokens.len())].to_vec();
        if !shingle.is_empty() {
            *counts.entry(shingle).or_insert(0) += 1;
        }
    }
    counts
}

/// `string_shingle_matching` of the benchmark's `evaluate.py`.
pub fn shingle_matching(truth: &str, predicted: &str) -> Matching {
    let t = shingles(truth);
    let p = shingles(predicted);
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    for key in t.keys().chain(p.keys().filter(|k| !t.contains_key(*k))) {
        let tc = t.get(key).copied().unwrap_or(0) as f64;
        let pc = p.get(key).copied().unwrap_or(0) as f64;
        tp += tc.min(pc);
        fp += (pc - tc).max(0.0);
        fn_ += (tc - pc).max(0.0);
    }
    let sum = tp + fp + fn_;
    if sum > 0.0 {
        Matching {
            tp: tp / sum,
            fp: fp / sum,
            fn_: fn_ / sum,
        }
    } else {
        Matching { tp, fp, fn_ }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_scores_shingles_as_the_benchmark_does() {
        let m = shingle_matching("a b c d e", "a b c d e");
        assert_eq!((m.tp, m.fp, m.fn_), (1.0, 0.0, 0.0));
        // Truth: (a b c d), (b c d e); predicted: (a b c d), (b c d x): 1 tp, 1 fp, 1 fn.
        let m = shingle_matching("a b c d e", "a b c d x");
        assert!((m.tp - 1.0 / 3.0).abs() < 1e-12 && (m.fp - 1.0 / 3.0).abs() < 1e-12);
        // Fewer than four tokens: one shorter shingle.
        let m = shingle_matching("a b", "a b");
        assert_eq!(m.tp, 1.0);
        // Nothing predicted: no precision, recall 0.
        let m = shingle_matching("a b c d", "");
        assert_eq!(m.precision(), None);
        assert_eq!(m.recall(), Some(0.0));
    }

    #[test]
    fn it_keys_pages_by_their_file_name() {
        assert_eq!(
            page_key("../shared/bench/x/html/1484494308.html.gz"),
            "1484494308"
        );
        assert_eq!(page_key("out/1484494308.html"), "1484494308");
        assert_eq!(page_key("abc.html.gz:3"), "abc");
    }
}
