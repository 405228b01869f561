//! Counts over the whole result set: publication years and months, the places under one (the
//! countries by default), actors, languages, event types; and the fatality totals ([`tolls`]).
//!
//! [`tolls`]: super::tolls

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::Serialize;

use super::counts::{Counter, Counts as FacetCounts, Dictionaries};
use super::langs::Langs;
use super::months::{timeline, Months};
use super::tolls::{totals, Killed, Tolls, Totals};
use crate::mapper::{Dated, DocMapper, FacetKind};

/// Facet values listed per facet (years are all listed).
const TOP_FACETS: usize = 10;

/// Counts over the whole result set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    pub year: BTreeMap<String, u64>,
    /// Every month from the first match's to the last's (`2024-10`), zeros included.
    pub month: IndexMap<String, u64>,
    /// Children of `location_parent` (the countries by default), most frequent first.
    pub location: IndexMap<String, u64>,
    /// The location drilled into.
    pub location_parent: String,
    /// Actors, most frequent first.
    pub actor: IndexMap<String, u64>,
    /// Languages (ISO 639-1 codes), most frequent first.
    pub lang: IndexMap<String, u64>,
    /// Event types, most frequent first.
    pub event: IndexMap<String, u64>,
    /// People reported killed, over stories, overall and per year, month, place, actor and
    /// event type.
    pub killed: Killed,
}

/// The collectors of [`Facets`]: years and months, the children of a place, actors and
/// languages, event types and tolls (tantivy combines at most four collectors in a tuple).
pub type Collectors<'m> = (
    (Counter<'m>, Months<'m>),
    Counter<'m>,
    (Counter<'m>, Langs<'m>),
    (Counter<'m>, Tolls<'m>),
);

/// What [`Collectors`] count.
pub type Counts = (
    (FacetCounts, Vec<u64>),
    FacetCounts,
    (FacetCounts, IndexMap<String, u64>),
    (FacetCounts, Totals),
);

/// The collectors counting the children of `location_parent` (a location path, `/` for the
/// countries), months and tolls by the day `dated` names.
pub fn collectors<'m>(
    mapper: &'m DocMapper,
    dictionaries: &'m Dictionaries,
    location_parent: &str,
    dated: Dated,
) -> Collectors<'m> {
    let counter = |kind, parents: &[&str]| Counter::new(mapper, dictionaries, kind, parents);
    (
        (
            counter(FacetKind::Year, &[]),
            Months {
                mapper,
                dictionaries,
                dated,
            },
        ),
        counter(FacetKind::Location, &[location_parent]),
        (
            counter(FacetKind::Actor, &[]),
            Langs {
                mapper,
                dictionaries,
            },
        ),
        (
            counter(FacetKind::Event, &[]),
            Tolls {
                mapper,
                dictionaries,
                dated,
                location_parent: location_parent.to_string(),
            },
        ),
    )
}

/// The values under `parent` (the root when `None`) of a facet, most frequent first, at most
/// `top` of them.
pub fn top(
    mapper: &DocMapper,
    kind: FacetKind,
    counts: &FacetCounts,
    parent: Option<&str>,
    top: usize,
) -> IndexMap<String, u64> {
    let parent = parent.map_or_else(tantivy::schema::Facet::root, |p| mapper.facet(kind, p));
    counts
        .top_k(&parent, top)
        .into_iter()
        .map(|(facet, count)| (mapper.facet_value(kind, facet), count))
        .collect()
}

/// Every value at the first level of a facet, with its count.
pub fn all(mapper: &DocMapper, kind: FacetKind, counts: &FacetCounts) -> Vec<(String, u64)> {
    counts
        .get(&tantivy::schema::Facet::root())
        .map(|(facet, count)| (mapper.facet_value(kind, facet), count))
        .collect()
}

/// The facets of what the collectors counted.
pub fn facets(
    mapper: &DocMapper,
    ((years, months), locations, (actors, lang), (events, tolls)): Counts,
    location_parent: &str,
) -> Facets {
    let month = timeline(&months);
    let killed = totals(&tolls, month.keys(), TOP_FACETS);
    Facets {
        year: all(mapper, FacetKind::Year, &years).into_iter().collect(),
        month,
        location: top(
            mapper,
            FacetKind::Location,
            &locations,
            Some(location_parent),
            TOP_FACETS,
        ),
        location_parent: location_parent.to_string(),
        actor: top(mapper, FacetKind::Actor, &actors, None, TOP_FACETS),
        lang,
        event: top(
            mapper,
            FacetKind::Event,
            &events,
            None,
            crate::events::vocabulary().len(),
        ),
        killed,
    }
}
