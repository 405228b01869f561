//! Precision and recall of the extracted places and actors against hand labels in the format
//! of `shared/eval/seeds.labels.json`. Places are compared by leaf name (any spelling the
//! gazetteer knows) and country, within the labels' scope: places in Mali, Burkina Faso and
//! Niger. Actors are compared by canonical name.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{pair, read_labels, Score};
use crate::entities::gazetteer::SAHEL;
use crate::entities::words;
use crate::entities::Gazetteer;
use crate::error::Result;
use crate::pipeline::Extracted;

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

/// Labels by document key, in the format of `shared/eval/seeds.labels.json`.
pub fn load_labels(path: &Path) -> Result<BTreeMap<String, Label>> {
    read_labels(path, "seeds.labels.json")
}

/// Compares extracted entities with labels.
pub fn evaluate(labels: &BTreeMap<String, Label>, extracted: &[Extracted]) -> Report {
    let gazetteer = Gazetteer::get();
    let (pairs, not_found) = pair(labels, extracted);
    let mut report = Report {
        documents: pairs.len(),
        not_found,
        ..Report::default()
    };
    for (key, label, Extracted { entities, .. }) in pairs {
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
    report
}
