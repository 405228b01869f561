//! Spellings one letter away: Sahel names reach French reporting through several
//! transliterations (Droukdel and Droukdal, Tillabéri and Tillabery, Ag Ghaly and Ag Ghali),
//! and an analyst types one of them. A capitalized word of a query that is rare in the index
//! (a name), or any plain word the index holds nowhere (a slip), also matches the indexed words
//! one edit away that are at least as common as it (tantivy's Levenshtein automaton over each segment's term dictionary), scored
//! on the stemmed fields only, so that the spelling typed ranks first. Common words, short
//! words, lower-case words the index holds (« contestation » is not « content »), quoted
//! phrases and `--exact` searches are left as typed.

use std::collections::BTreeMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use super::request::{Alternative, Checked, Respell, Unit};
use crate::analysis::Term as Token;

/// Shortest word (in characters) widened: shorter ones have too many neighbours that are other
/// words (Gao and Gap, Kidal and Kida…).
const MIN_CHARS: usize = 6;

/// A word is rare, and worth widening, in fewer documents than this…
const RARE_DOCS: u64 = 20;
/// …or than this share of the index, when larger.
const RARE_SHARE: f64 = 0.002;

/// Most spellings a word is widened to (the most frequent).
const MAX_VARIANTS: usize = 4;

/// The indexed words one edit from `stem` in `field`, with the documents holding each, most
/// frequent first: same first letter, as long as [`MIN_CHARS`].
fn variants(searcher: &Searcher, field: Field, stem: &str) -> Vec<(String, u64)> {
    let mut found: BTreeMap<String, u64> = BTreeMap::new();
    let query = FuzzyTermQuery::new(Term::from_field_text(field, stem), 1, true);
    let Ok(automaton) = query.automaton() else {
        return Vec::new();
    };
    let first = stem.chars().next();
    for segment in searcher.segment_readers() {
        let Ok(index) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = index.terms().search(&automaton).into_stream() else {
            continue;
        };
        while stream.advance() {
            let Ok(word) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            let similar =
                word != stem && word.chars().next() == first && word.chars().count() >= MIN_CHARS;
            if similar {
                *found.entry(word.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    let mut found: Vec<(String, u64)> = found.into_iter().collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    found.truncate(MAX_VARIANTS);
    found
}

/// The request with its rare words widened to the spellings one letter away, each noted;
/// `None` when no word is.
pub fn widen(searcher: &Searcher, field: Field, request: &Checked) -> Option<Checked> {
    let rare = RARE_DOCS.max((searcher.num_docs() as f64 * RARE_SHARE) as u64);
    let mut widened = request.clone();
    let mut any = false;
    for group in &mut widened.groups {
        let mut added = Vec::new();
        for alternative in &group.alternatives {
            let Some((scope, stem, respell)) = respellable(alternative) else {
                continue;
            };
            if stem.text.chars().count() < MIN_CHARS {
                continue;
            }
            let docs = searcher
                .doc_freq(&Term::from_field_text(field, &stem.text))
                .unwrap_or(0);
            let widens = match respell {
                Respell::IfRare => docs < rare,
                Respell::IfUnknown => docs == 0,
                Respell::No => false,
            };
            if !widens {
                continue;
            }
            // A name's commoner spelling (Droukdal for Droukdel), not a rarer word one letter
            // from it (Serval is not serial).
            let found: Vec<(String, u64)> = variants(searcher, field, &stem.text)
                .into_iter()
                .filter(|(_, n)| *n >= docs)
                .collect();
            if found.is_empty() {
                continue;
            }
            let names: Vec<String> = found.iter().map(|(w, _)| format!("«{w}…»")).collect();
            let typed = match alternative.units.first() {
                Some(Unit::Text { exacts, .. }) if !exacts.is_empty() => exacts[0].text.as_str(),
                _ => stem.text.as_str(),
            };
            widened.notes.push(format!(
                "«{typed}» also matches {}: a word spelled one letter apart, as common or more (--exact: only as typed)",
                names.join(", ")
            ));
            for (word, _) in found {
                added.push(Alternative {
                    units: vec![Unit::Text {
                        scope,
                        stems: vec![Token {
                            text: word,
                            position: stem.position,
                            range: stem.range.clone(),
                        }],
                        exacts: Vec::new(),
                    }],
                    named: None,
                    respell: Respell::No,
                });
            }
        }
        any |= !added.is_empty();
        group.alternatives.extend(added);
    }
    any.then_some(widened)
}

/// The one stemmed word an alternative may be respelled from, where it is looked for, and
/// when.
fn respellable(alternative: &Alternative) -> Option<(super::request::Scope, &Token, Respell)> {
    // A name of the actor or place tables has its spellings there already (Barkhane).
    if alternative.respell == Respell::No || alternative.named.is_some() {
        return None;
    }
    match alternative.units.as_slice() {
        [Unit::Text { scope, stems, .. }] if stems.len() == 1 => {
            Some((*scope, &stems[0], alternative.respell))
        }
        _ => None,
    }
}
