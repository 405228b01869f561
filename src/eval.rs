//! Precision and recall of the extracted places and actors against hand labels in the format
//! of `shared/eval/seeds.labels.json`.
//!
//! Documents are matched to labels by JSON `id`, else by file name. Places are compared by
//! leaf name (any spelling the gazetteer knows) and country, within the labels' scope: places
//! in Mali, Burkina Faso and Niger. Actors are compared by canonical name.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::clean::Article;
use crate::entities::gazetteer::SAHEL;
use crate::entities::words;
use crate::entities::{Entities, Gazetteer};
use crate::error::{Error, Result};

/// A labelled place.
#[derive(Debug, Clone, Deserialize)]
pub struct LabelPlace {
    pub name: String,
    pub country: String,
}

/// The labels of one document.
#[derive(Debug, Clone, Deserialize)]
pub struct Label {
    #[serde(default)]
    pub locations: Vec<LabelPlace>,
    #[serde(default)]
    pub actors: Vec<String>,
}

/// Labels by document key (JSON id or file name).
pub fn load_labels(path: &Path) -> Result<BTreeMap<String, Label>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let raw: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(&text).map_err(|e| Error::Invalid {
            what: "labels file",
            value: path.display().to_string(),
            hint: format!("expected the format of seeds.labels.json: {e}"),
        })?;
    raw.into_iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .map(|(k, v)| {
            let label = serde_json::from_value(v).map_err(|e| Error::Invalid {
                what: "label",
                value: k.clone(),
                hint: e.to_string(),
            })?;
            Ok((k, label))
        })
        .collect()
}

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

/// Differences for one document.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DocDiff {
    pub key: String,
    pub missed: Vec<String>,
    pub extra: Vec<String>,
}

/// The result of an evaluation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub documents: usize,
    pub locations: Score,
    pub actors: Score,
    pub differences: Vec<DocDiff>,
    /// Labelled documents that were not among those extracted.
    pub not_found: Vec<String>,
}

fn key_of<'a>(
    article: &Article,
    labels: &'a BTreeMap<String, Label>,
) -> Option<(&'a String, &'a Label)> {
    if let Some(found) = labels.get_key_value(&article.id) {
        return Some(found);
    }
    let file = Path::new(&article.source).file_name()?.to_str()?;
    labels.get_key_value(file)
}

/// Compares extracted entities with labels.
pub fn evaluate(labels: &BTreeMap<String, Label>, extracted: &[(Article, Entities)]) -> Report {
    let gazetteer = Gazetteer::get();
    let mut report = Report::default();
    let mut seen = Vec::new();
    for (article, entities) in extracted {
        let Some((key, label)) = key_of(article, labels) else {
            continue;
        };
        seen.push(key.clone());
        report.documents += 1;
        let mut diff = DocDiff {
            key: key.clone(),
            ..DocDiff::default()
        };
        // Actors.
        for actor in &label.actors {
            if entities.actors.iter().any(|a| &a.value == actor) {
                report.actors.true_positives += 1;
            } else {
                report.actors.false_negatives += 1;
                diff.missed.push(format!("actor {actor}"));
            }
        }
        for found in &entities.actors {
            if !label.actors.contains(&found.value) {
                report.actors.false_positives += 1;
                diff.extra.push(format!(
                    "actor {} ({})",
                    found.value,
                    found.words.join(", ")
                ));
            }
        }
        // Places in the Sahel countries: leaf name (any known spelling) and country.
        let predicted: Vec<_> = entities
            .locations
            .iter()
            .filter_map(|f| gazetteer.by_path(&f.value).map(|p| (p, f)))
            .filter(|(p, _)| p.in_sahel())
            .collect();
        let matches = |place: &crate::entities::Place, wanted: &LabelPlace| {
            let name = words::key(&wanted.name);
            words::key(&wanted.country) == words::key(place.country())
                && place.names.iter().any(|n| words::key(n) == name)
        };
        let wanted: Vec<&LabelPlace> = label
            .locations
            .iter()
            .filter(|l| SAHEL.contains(&l.country.as_str()))
            .collect();
        for want in &wanted {
            if predicted.iter().any(|(p, _)| matches(p, want)) {
                report.locations.true_positives += 1;
            } else {
                report.locations.false_negatives += 1;
                diff.missed
                    .push(format!("place {} ({})", want.name, want.country));
            }
        }
        for (place, found) in &predicted {
            if !wanted.iter().any(|w| matches(place, w)) {
                report.locations.false_positives += 1;
                diff.extra
                    .push(format!("place {} ({})", place.path, found.words.join(", ")));
            }
        }
        if !diff.missed.is_empty() || !diff.extra.is_empty() {
            report.differences.push(diff);
        }
    }
    report.not_found = labels
        .keys()
        .filter(|k| !seen.contains(k))
        .cloned()
        .collect();
    report
}
