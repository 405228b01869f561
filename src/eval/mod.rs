//! Extraction measured against hand labels: places and actors ([`entities`], labels in the
//! format of `shared/eval/seeds.labels.json`), event coding ([`events`], the format of
//! `shared/eval/seeds.events.json`). Documents are matched to labels by JSON `id`, else by file
//! name; a labels file says which it holds by its fields. Ranking against judged queries:
//! [`ranking`].

pub mod entities;
pub mod events;
pub mod pages;
pub mod ranking;

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::clean::Article;
use crate::error::{Error, Result};
use crate::pipeline::Extracted;
pub use entities::{evaluate, load_labels, Report};

/// True and false positives and negatives.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Score {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl Score {
    /// Share of the found that are right (1 when nothing was found).
    pub fn precision(&self) -> f64 {
        let found = self.true_positives + self.false_positives;
        if found == 0 {
            1.0
        } else {
            self.true_positives as f64 / found as f64
        }
    }

    /// Share of the labelled that were found (1 when nothing was labelled).
    pub fn recall(&self) -> f64 {
        let labelled = self.true_positives + self.false_negatives;
        if labelled == 0 {
            1.0
        } else {
            self.true_positives as f64 / labelled as f64
        }
    }
}

/// What a labels file labels.
pub enum Labels {
    Entities(BTreeMap<String, entities::Label>),
    Events(BTreeMap<String, events::Label>),
}

/// Reads a labels file of either kind: labels of places and actors carry `locations` or
/// `actors`, labels of events `killed` and `event_date`.
pub fn load(path: &Path) -> Result<Labels> {
    let raw = read_json(path, "seeds.labels.json or seeds.events.json")?;
    let entities = raw
        .values()
        .any(|v| v.get("locations").is_some() || v.get("actors").is_some());
    let events = !entities && raw.values().any(|v| v.get("killed").is_some());
    Ok(if events {
        Labels::Events(parse(raw, path)?)
    } else {
        Labels::Entities(parse(raw, path)?)
    })
}

fn read_json(path: &Path, format: &str) -> Result<BTreeMap<String, serde_json::Value>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let raw: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(&text).map_err(|e| Error::Invalid {
            what: "labels file",
            value: path.display().to_string(),
            hint: format!("expected the format of {format}: {e}"),
        })?;
    Ok(raw
        .into_iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .collect())
}

fn parse<L: DeserializeOwned>(
    raw: BTreeMap<String, serde_json::Value>,
    path: &Path,
) -> Result<BTreeMap<String, L>> {
    raw.into_iter()
        .map(|(k, v)| {
            let label = serde_json::from_value(v).map_err(|e| Error::Invalid {
                what: "label",
                value: format!("{} in {}", k, path.display()),
                hint: e.to_string(),
            })?;
            Ok((k, label))
        })
        .collect()
}

/// Labels by document key, read from `path` in the format of `format` (`_` keys are notes).
fn read_labels<L: DeserializeOwned>(path: &Path, format: &str) -> Result<BTreeMap<String, L>> {
    parse(read_json(path, format)?, path)
}

/// The labelled documents among those extracted, each with its key and label, and the keys
/// of the labels no document had.
fn pair<'a, L>(
    labels: &'a BTreeMap<String, L>,
    extracted: &'a [Extracted],
) -> (Vec<(&'a String, &'a L, &'a Extracted)>, Vec<String>) {
    let pairs: Vec<_> = extracted
        .iter()
        .filter_map(|e| label_for(&e.article, labels).map(|(key, label)| (key, label, e)))
        .collect();
    let not_found = labels
        .keys()
        .filter(|k| !pairs.iter().any(|(key, _, _)| key == k))
        .cloned()
        .collect();
    (pairs, not_found)
}

/// The label of an article: by its id, else by its file's name.
fn label_for<'a, L>(
    article: &Article,
    labels: &'a BTreeMap<String, L>,
) -> Option<(&'a String, &'a L)> {
    if let Some(found) = labels.get_key_value(&article.id) {
        return Some(found);
    }
    let file = Path::new(&article.source).file_name()?.to_str()?;
    labels.get_key_value(file)
}
