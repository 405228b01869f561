//! The facet values of a whole index: years, the place tree, actors, languages.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::Serialize;
use tantivy::collector::Count;
use tantivy::query::{AllQuery, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::counts::{Counter, Counts as FacetCounts};
use super::facets;
use super::Engine;
use crate::error::Result;
use crate::mapper::{DocMapper, FacetKind, Keyword};

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
    let mapper = engine.store().mapper();
    let counter =
        |kind, parents: &[&str]| Counter::new(mapper, engine.dictionaries(), kind, parents);
    let (documents, years, root_places, actors) = searcher.search(
        &AllQuery,
        &(
            Count,
            counter(FacetKind::Year, &[]),
            counter(FacetKind::Location, &[]),
            counter(FacetKind::Actor, &[]),
        ),
    )?;
    // Each level down to `depth` is counted under the places kept of the level above.
    let mut levels = vec![root_places];
    let mut frontier: Vec<String> = facets::top(mapper, FacetKind::Location, &levels[0], None, top)
        .into_keys()
        .collect();
    for _ in 1..depth {
        if frontier.is_empty() {
            break;
        }
        let parents: Vec<&str> = frontier.iter().map(String::as_str).collect();
        let collector = counter(FacetKind::Location, &parents);
        let counts = searcher.search(&AllQuery, &collector)?;
        frontier = frontier
            .iter()
            .flat_map(|parent| {
                facets::top(mapper, FacetKind::Location, &counts, Some(parent), top).into_keys()
            })
            .collect();
        levels.push(counts);
    }
    let location = build_tree(mapper, &levels, None, 0, top);
    let mut lang = IndexMap::new();
    for code in mapper.keyword_values(&searcher, Keyword::Lang)? {
        let query = TermQuery::new(
            mapper.keyword_term(Keyword::Lang, &code),
            IndexRecordOption::Basic,
        );
        let count = searcher.search(&query, &Count)? as u64;
        lang.insert(code, count);
    }
    lang.sort_by(|_, a, _, b| b.cmp(a));
    let mut actor: IndexMap<String, u64> = facets::all(mapper, FacetKind::Actor, &actors)
        .into_iter()
        .collect();
    actor.sort_by(|_, a, _, b| b.cmp(a));
    Ok(Overview {
        documents: documents as u64,
        year: facets::all(mapper, FacetKind::Year, &years)
            .into_iter()
            .collect(),
        location,
        actor,
        lang,
    })
}

fn build_tree(
    mapper: &DocMapper,
    levels: &[FacetCounts],
    parent: Option<&str>,
    level: usize,
    top: usize,
) -> Vec<PlaceCount> {
    let Some(counts) = levels.get(level) else {
        return Vec::new();
    };
    facets::top(mapper, FacetKind::Location, counts, parent, top)
        .into_iter()
        .map(|(path, count)| PlaceCount {
            children: build_tree(mapper, levels, Some(&path), level + 1, top),
            path,
            count,
        })
        .collect()
}
