//! Fatality totals of a result set, over stories, not copies: a dispatch republished by four
//! sites counts once, with the lowest toll its copies give (ACLED's « lowest figure when
//! sources disagree »). Totals are given overall and per year, month, place (the children of
//! the place drilled into), actor and event type; a story counts in every place, actor and type
//! it names, so those totals may add up to more than the overall one.

use std::collections::BTreeMap;
use std::sync::Arc;

use indexmap::IndexMap;
use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::schema::Facet;
use tantivy::{DateTime, DocId, Score, SegmentOrdinal, SegmentReader};

use super::counts::{Dictionaries, FacetOrds, Mapping, Stories, TollColumn};
use crate::mapper::{Dated, DocMapper, FacetKind};
use crate::text::date;

/// People reported killed in the matching stories.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Killed {
    /// Over every matching story that reports deaths.
    pub total: u64,
    /// Matching stories that report deaths.
    pub stories: u64,
    pub year: BTreeMap<String, u64>,
    /// The months of `facets.month`, zeros included.
    pub month: IndexMap<String, u64>,
    /// Children of `facets.location_parent`, most killed first.
    pub location: IndexMap<String, u64>,
    /// Actors, most killed first.
    pub actor: IndexMap<String, u64>,
    /// Event types, most killed first.
    pub event: IndexMap<String, u64>,
}

/// The collector.
pub struct Tolls<'m> {
    pub mapper: &'m DocMapper,
    /// The segments' facet values, decoded once.
    pub dictionaries: &'m Dictionaries,
    pub dated: Dated,
    /// The place whose children the totals are given for (`/` for the countries).
    pub location_parent: String,
}

/// What a segment's stories are counted under: its date column, and per facet its reader,
/// the children each ordinal falls under, and the segment's values.
struct Source {
    mapper: DocMapper,
    dates: Column<DateTime>,
    /// Places (under the place drilled into), actors, event types.
    facets: [(FacetOrds, Arc<Mapping>, FacetKind); 3],
}

/// A segment's stories with a toll: story → (lowest toll, the document giving it), and
/// what to read their facets with once the segments' stories are merged.
pub struct SegmentTolls {
    source: Arc<Source>,
    lowest: FxHashMap<u64, (u64, DocId)>,
}

/// The totals of the stories' tolls, before the timeline names their months.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    total: u64,
    stories: u64,
    /// Month number (year × 12 + month − 1) → killed.
    by_month: FxHashMap<i64, u64>,
    /// Places, actors, event types → killed.
    by_value: [FxHashMap<String, u64>; 3],
}

impl<'m> Collector for Tolls<'m> {
    type Fruit = Totals;
    type Child = TollsSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<TollsSegment> {
        let m = self.mapper;
        let facet = |kind: FacetKind, parent: Option<&str>| -> tantivy::Result<_> {
            let (facets, decoded) = self.dictionaries.decoded(m, reader, kind)?;
            let parent = parent.map_or_else(Facet::root, |p| m.facet(kind, p));
            Ok((facets, decoded.mapping(&[parent]), kind))
        };
        let columns = self.dictionaries.columns(m, reader)?;
        let source = Source {
            mapper: m.clone(),
            dates: columns.dates(self.dated).clone(),
            facets: [
                facet(FacetKind::Location, Some(&self.location_parent))?,
                facet(FacetKind::Actor, None)?,
                facet(FacetKind::Event, None)?,
            ],
        };
        Ok(TollsSegment {
            story: columns.stories(self.dictionaries.now()),
            killed: self.dictionaries.killed(m, reader)?,
            tolls: SegmentTolls {
                source: Arc::new(source),
                lowest: FxHashMap::default(),
            },
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    /// Each story once, at the lowest toll its copies give in any segment (the first
    /// segment's on a tie); then each story's toll added under its month, its places, actors
    /// and types, by ordinal per segment, and each ordinal turned into its value once.
    fn merge_fruits(&self, segments: Vec<SegmentTolls>) -> tantivy::Result<Totals> {
        let mut lowest: FxHashMap<u64, (u64, usize, DocId)> = FxHashMap::default();
        for (at, segment) in segments.iter().enumerate() {
            for (&story, &(killed, doc)) in &segment.lowest {
                match lowest.get(&story) {
                    Some(known) if known.0 <= killed => {}
                    _ => {
                        lowest.insert(story, (killed, at, doc));
                    }
                }
            }
        }
        let mut totals = Totals::default();
        // Per segment and facet: killed by child.
        let mut by_child: Vec<[Vec<u64>; 3]> = segments
            .iter()
            .map(|s| {
                let sized = |i: usize| vec![0u64; s.source.facets[i].1.children.len()];
                [sized(0), sized(1), sized(2)]
            })
            .collect();
        for &(killed, at, doc) in lowest.values() {
            let source = &segments[at].source;
            totals.total += killed;
            totals.stories += 1;
            if let Some(day) = source.dates.first(doc) {
                let day = day.into_timestamp_secs().div_euclid(86_400);
                *totals.by_month.entry(date::month_of_day(day)).or_default() += killed;
            }
            for (i, (reader, mapping, _)) in source.facets.iter().enumerate() {
                // A story counts once under each child.
                let totals = &mut by_child[at][i];
                mapping.each_child(reader, doc, |child| {
                    if let Some(total) = totals.get_mut(child as usize) {
                        *total += killed;
                    }
                });
            }
        }
        for (segment, children) in segments.iter().zip(by_child) {
            for (i, killed) in children.into_iter().enumerate() {
                let (_, mapping, kind) = &segment.source.facets[i];
                for (child, killed) in killed.into_iter().enumerate().filter(|(_, k)| *k > 0) {
                    let mapper = &segment.source.mapper;
                    let value = mapping.name(child, |facet| mapper.facet_value(*kind, facet));
                    match totals.by_value[i].get_mut(value) {
                        Some(total) => *total += killed,
                        None => {
                            totals.by_value[i].insert(value.to_string(), killed);
                        }
                    }
                }
            }
        }
        Ok(totals)
    }
}

pub struct TollsSegment {
    story: Stories,
    killed: TollColumn,
    tolls: SegmentTolls,
}

impl SegmentCollector for TollsSegment {
    type Fruit = SegmentTolls;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(killed) = self.killed.get(doc) else {
            return;
        };
        let story = self.story.get(doc).unwrap_or(u64::MAX - u64::from(doc));
        self.tolls
            .lowest
            .entry(story)
            .and_modify(|known| {
                if killed < known.0 {
                    *known = (killed, doc);
                }
            })
            .or_insert((killed, doc));
    }

    fn harvest(self) -> SegmentTolls {
        self.tolls
    }
}

/// Most killed first (ties by name), at most `top`.
fn ranked(totals: FxHashMap<String, u64>, top: usize) -> IndexMap<String, u64> {
    let mut totals: Vec<(String, u64)> = totals.into_iter().collect();
    totals.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    totals.into_iter().take(top).collect()
}

/// The totals of the stories' tolls; `months` are the timeline's (`YYYY-MM`), every one
/// given, zeros included.
pub fn totals<'a>(totals: &Totals, months: impl Iterator<Item = &'a String>, top: usize) -> Killed {
    let mut killed = Killed {
        total: totals.total,
        stories: totals.stories,
        month: months.map(|m| (m.clone(), 0)).collect(),
        ..Killed::default()
    };
    for (&month, &n) in &totals.by_month {
        let (year, month) = (month.div_euclid(12), month.rem_euclid(12) + 1);
        *killed.year.entry(year.to_string()).or_default() += n;
        if let Some(total) = killed.month.get_mut(&format!("{year:04}-{month:02}")) {
            *total += n;
        }
    }
    let [places, actors, events] = totals.by_value.clone();
    killed.location = ranked(places, top);
    killed.actor = ranked(actors, top);
    killed.event = ranked(events, usize::MAX);
    killed
}
