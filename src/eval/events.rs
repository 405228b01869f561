//! Event coding measured against hand labels in the format of `shared/eval/seeds.events.json`:
//! event types (precision and recall over (article, type) pairs, and per type), `killed`
//! (exact matches, a null counting as a value, and the mean absolute error over the articles
//! where either side gives a figure, a null read as 0) and `event_date` (exact, and within a
//! day; a null matches only a null).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{pair, read_labels, Score};
use crate::error::Result;
use crate::pipeline::Extracted;

/// The labels of one article.
#[derive(Debug, Clone, Deserialize)]
pub struct Label {
    pub event_types: Vec<String>,
    pub killed: Option<u32>,
    pub event_date: Option<NaiveDate>,
}

/// Labels by document key.
pub fn load_labels(path: &Path) -> Result<BTreeMap<String, Label>> {
    read_labels(path, "seeds.events.json")
}

/// Where an article's coding differs from its label.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Difference {
    pub key: String,
    pub title: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missed_types: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra_types: Vec<String>,
    /// (labelled, coded), when they differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub killed: Option<(Option<u32>, Option<u32>)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_date: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
}

/// The result of an evaluation of event coding.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub documents: usize,
    /// Over (article, type) pairs.
    pub types: Score,
    pub by_type: BTreeMap<String, Score>,
    pub killed_exact: usize,
    /// Articles where the label or the coding gives a figure, and the sum of the absolute
    /// errors over them.
    pub killed_compared: usize,
    pub killed_error: u64,
    pub date_exact: usize,
    pub date_within_a_day: usize,
    pub differences: Vec<Difference>,
    /// Labelled documents that were not among those extracted.
    pub not_found: Vec<String>,
}

/// A share of the documents.
fn share(n: usize, of: usize) -> f64 {
    if of == 0 {
        1.0
    } else {
        n as f64 / of as f64
    }
}

impl Report {
    pub fn killed_exact_rate(&self) -> f64 {
        share(self.killed_exact, self.documents)
    }

    /// Mean absolute error of `killed` over the articles where either side gives a figure.
    pub fn killed_mean_error(&self) -> f64 {
        if self.killed_compared == 0 {
            0.0
        } else {
            self.killed_error as f64 / self.killed_compared as f64
        }
    }

    pub fn date_exact_rate(&self) -> f64 {
        share(self.date_exact, self.documents)
    }

    pub fn date_within_a_day_rate(&self) -> f64 {
        share(self.date_within_a_day, self.documents)
    }
}

fn count(
    score: &mut Score,
    by_type: &mut BTreeMap<String, Score>,
    kind: &str,
    field: fn(&mut Score) -> &mut usize,
) {
    *field(score) += 1;
    *field(by_type.entry(kind.to_string()).or_default()) += 1;
}

/// Compares the coding of the extracted articles with labels.
pub fn evaluate(labels: &BTreeMap<String, Label>, extracted: &[Extracted]) -> Report {
    let (pairs, not_found) = pair(labels, extracted);
    let mut report = Report {
        documents: pairs.len(),
        not_found,
        ..Report::default()
    };
    for (
        key,
        label,
        Extracted {
            article, events, ..
        },
    ) in pairs
    {
        let mut diff = Difference {
            key: key.clone(),
            title: article.title.clone(),
            ..Difference::default()
        };
        let coded = events.types();
        for kind in &label.event_types {
            if coded.contains(kind) {
                count(&mut report.types, &mut report.by_type, kind, |s| {
                    &mut s.true_positives
                });
            } else {
                count(&mut report.types, &mut report.by_type, kind, |s| {
                    &mut s.false_negatives
                });
                diff.missed_types.push(kind.clone());
            }
        }
        for kind in coded.iter().filter(|k| !label.event_types.contains(k)) {
            count(&mut report.types, &mut report.by_type, kind, |s| {
                &mut s.false_positives
            });
            diff.extra_types.push(kind.clone());
        }
        if events.killed == label.killed {
            report.killed_exact += 1;
        } else {
            diff.killed = Some((label.killed, events.killed));
        }
        if events.killed.is_some() || label.killed.is_some() {
            report.killed_compared += 1;
            let (a, b) = (events.killed.unwrap_or(0), label.killed.unwrap_or(0));
            report.killed_error += u64::from(a.abs_diff(b));
        }
        let within_a_day = match (events.event_date, label.event_date) {
            (Some(a), Some(b)) => (a - b).num_days().abs() <= 1,
            (a, b) => a == b,
        };
        if events.event_date == label.event_date {
            report.date_exact += 1;
        } else {
            diff.event_date = Some((label.event_date, events.event_date));
        }
        report.date_within_a_day += usize::from(within_a_day);
        let differs = !diff.missed_types.is_empty()
            || !diff.extra_types.is_empty()
            || diff.killed.is_some()
            || diff.event_date.is_some();
        if differs {
            report.differences.push(diff);
        }
    }
    report
}
