//! The facet values of a whole index: years, the place tree, actors, languages.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::Serialize;
use tantivy::collector::{Count, FacetCollector};
use tantivy::query::{AllQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::Term;

use super::Engine;
use crate::error::Result;

/// A place and the places under it.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceCount {
    pub path: String,
    pub count: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<PlaceCount>,
}

/// Counts over the whole index.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub documents: u64,
    pub year: BTreeMap<String, u64>,
    pub location: Vec<PlaceCount>,
    pub actor: IndexMap<String, u64>,
    pub lang: IndexMap<String, u64>,
}

/// Years, places (to `depth` levels, `top` per level), actors and languages of the index.
pub fn overview(engine: &Engine, depth: usize, top: usize) -> Result<Overview> {
    let searcher = engine.searcher();
    let mut years = FacetCollector::for_field("year");
    years.add_facet(Facet::root());
    let mut places = FacetCollector::for_field("location");
    // Register every level down to `depth` so each has its children counted.
    places.add_facet(Facet::root());
    let mut actors = FacetCollector::for_field("actor");
    actors.add_facet(Facet::root());
    let (documents, years, root_places, actors) =
        searcher.search(&AllQuery, &(Count, years, places, actors))?;
    let mut levels = vec![root_places];
    let mut frontier: Vec<Facet> = levels[0]
        .top_k(Facet::root(), top)
        .into_iter()
        .map(|(f, _)| f.clone())
        .collect();
    for _ in 1..depth {
        if frontier.is_empty() {
            break;
        }
        let mut collector = FacetCollector::for_field("location");
        for facet in &frontier {
            collector.add_facet(facet.clone());
        }
        let counts = searcher.search(&AllQuery, &collector)?;
        frontier = frontier
            .iter()
            .flat_map(|f| {
                counts
                    .top_k(f.clone(), top)
                    .into_iter()
                    .map(|(c, _)| c.clone())
                    .collect::<Vec<_>>()
            })
            .collect();
        levels.push(counts);
    }
    let location = build_tree(&levels, &Facet::root(), 0, top);
    let lang_field = engine.store().mapper().fields().lang;
    let mut lang = IndexMap::new();
    for reader in searcher.segment_readers() {
        let index = reader.inverted_index(lang_field)?;
        let mut terms = index
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while terms.advance() {
            if let Ok(code) = std::str::from_utf8(terms.key()) {
                lang.entry(code.to_string()).or_insert(0);
            }
        }
    }
    for (code, count) in lang.iter_mut() {
        let query = TermQuery::new(
            Term::from_field_text(lang_field, code),
            IndexRecordOption::Basic,
        );
        *count = searcher.search(&query, &Count)? as u64;
    }
    lang.sort_by(|_, a, _, b| b.cmp(a));
    Ok(Overview {
        documents: documents as u64,
        year: years
            .get(Facet::root())
            .map(|(f, c)| (f.to_path_string().trim_start_matches('/').to_string(), c))
            .collect(),
        location,
        actor: {
            let mut all: IndexMap<String, u64> = actors
                .get(Facet::root())
                .map(|(f, c)| (f.to_path_string().trim_start_matches('/').to_string(), c))
                .collect();
            all.sort_by(|_, a, _, b| b.cmp(a));
            all
        },
        lang,
    })
}

fn build_tree(
    levels: &[tantivy::collector::FacetCounts],
    parent: &Facet,
    level: usize,
    top: usize,
) -> Vec<PlaceCount> {
    let Some(counts) = levels.get(level) else {
        return Vec::new();
    };
    counts
        .top_k(parent.clone(), top)
        .into_iter()
        .map(|(facet, count)| PlaceCount {
            path: facet.to_path_string(),
            count,
            children: build_tree(levels, facet, level + 1, top),
        })
        .collect()
}
