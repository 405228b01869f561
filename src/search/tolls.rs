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
use tantivy::fastfield::FacetReader;
use tantivy::{DateTime, DocId, Score, SegmentOrdinal, SegmentReader};

use super::counts::{Decoded as Values, Dictionaries};
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

/// A story's toll and what it is counted under.
#[derive(Debug, Clone, Default)]
pub struct StoryToll {
    killed: u64,
    /// Days since the epoch of its date (publication or event).
    day: Option<i64>,
    places: Vec<String>,
    actors: Vec<String>,
    events: Vec<String>,
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

pub struct TollsSegment {
    /// The mapper decodes the facets (a segment collector borrows nothing: a clone, its
    /// schema shared).
    mapper: DocMapper,
    location_parent: String,
    story: Column<u64>,
    killed: Column<u64>,
    dates: Column<DateTime>,
    places: (FacetReader, Arc<Values>),
    actors: (FacetReader, Arc<Values>),
    events: (FacetReader, Arc<Values>),
    /// Story → (lowest toll, the document giving it).
    lowest: FxHashMap<u64, (u64, DocId)>,
}

impl<'m> Collector for Tolls<'m> {
    type Fruit = FxHashMap<u64, StoryToll>;
    type Child = TollsSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<TollsSegment> {
        let m = self.mapper;
        Ok(TollsSegment {
            mapper: m.clone(),
            location_parent: self.location_parent.clone(),
            story: m.story_column(reader)?,
            killed: m.killed_column(reader)?,
            dates: m.date_column(reader, self.dated)?,
            places: self.dictionaries.decoded(m, reader, FacetKind::Location)?,
            actors: self.dictionaries.decoded(m, reader, FacetKind::Actor)?,
            events: self.dictionaries.decoded(m, reader, FacetKind::Event)?,
            lowest: FxHashMap::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        segments: Vec<FxHashMap<u64, StoryToll>>,
    ) -> tantivy::Result<FxHashMap<u64, StoryToll>> {
        let mut all: FxHashMap<u64, StoryToll> = FxHashMap::default();
        for segment in segments {
            for (story, toll) in segment {
                match all.get(&story) {
                    Some(known) if known.killed <= toll.killed => {}
                    _ => {
                        all.insert(story, toll);
                    }
                }
            }
        }
        Ok(all)
    }
}

/// Facet values by ordinal, as totalled: a segment's stories share few values, and turning a
/// facet into its value (a path as a string) costs more than the rest of a story's toll.
type Decoded = FxHashMap<u64, Option<String>>;

impl TollsSegment {
    /// The values of a facet a document holds, each decoded once per segment and turned
    /// into what is totalled by `keep`.
    fn values(
        &self,
        (reader, decoded): &(FacetReader, Arc<Values>),
        kind: FacetKind,
        doc: DocId,
        cache: &mut Decoded,
        keep: impl Fn(String) -> Option<String>,
    ) -> Vec<String> {
        let mut values: Vec<String> = reader
            .facet_ords(doc)
            .filter_map(|ord| {
                cache
                    .entry(ord)
                    .or_insert_with(|| {
                        let facet = decoded.facets.get(ord as usize)?;
                        keep(self.mapper.facet_value(kind, facet))
                    })
                    .clone()
            })
            .collect();
        values.sort();
        values.dedup();
        values
    }

    /// The child of the place drilled into that a place is in.
    fn child(&self, path: String) -> Option<String> {
        let parent = self.location_parent.trim_end_matches('/');
        let rest = path.strip_prefix(parent)?.strip_prefix('/')?;
        let child = rest.split('/').next().filter(|c| !c.is_empty())?;
        Some(format!("{parent}/{child}"))
    }
}

impl SegmentCollector for TollsSegment {
    type Fruit = FxHashMap<u64, StoryToll>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(killed) = self.killed.first(doc) else {
            return;
        };
        let story = self.story.first(doc).unwrap_or(u64::MAX - u64::from(doc));
        self.lowest
            .entry(story)
            .and_modify(|known| {
                if killed < known.0 {
                    *known = (killed, doc);
                }
            })
            .or_insert((killed, doc));
    }

    fn harvest(self) -> Self::Fruit {
        let (mut places, mut actors, mut events) = <(Decoded, Decoded, Decoded)>::default();
        self.lowest
            .iter()
            .map(|(&story, &(killed, doc))| {
                let toll = StoryToll {
                    killed,
                    day: self
                        .dates
                        .first(doc)
                        .map(|d| d.into_timestamp_secs().div_euclid(86_400)),
                    places: self.values(&self.places, FacetKind::Location, doc, &mut places, |p| {
                        self.child(p)
                    }),
                    actors: self.values(&self.actors, FacetKind::Actor, doc, &mut actors, Some),
                    events: self.values(&self.events, FacetKind::Event, doc, &mut events, Some),
                };
                (story, toll)
            })
            .collect()
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
pub fn totals<'a>(
    stories: &FxHashMap<u64, StoryToll>,
    months: impl Iterator<Item = &'a String>,
    top: usize,
) -> Killed {
    let mut killed = Killed {
        month: months.map(|m| (m.clone(), 0)).collect(),
        ..Killed::default()
    };
    let (mut places, mut actors, mut events): (
        FxHashMap<String, u64>,
        FxHashMap<_, _>,
        FxHashMap<_, _>,
    ) = Default::default();
    // By month number first: a story's month is named once per month, not once per story.
    let mut by_month: FxHashMap<i64, u64> = FxHashMap::default();
    for toll in stories.values() {
        killed.total += toll.killed;
        killed.stories += 1;
        if let Some(day) = toll.day {
            *by_month.entry(date::month_of_day(day)).or_default() += toll.killed;
        }
        for (names, totals) in [
            (&toll.places, &mut places),
            (&toll.actors, &mut actors),
            (&toll.events, &mut events),
        ] {
            for name in names {
                *totals.entry(name.clone()).or_default() += toll.killed;
            }
        }
    }
    for (month, n) in by_month {
        let (year, month) = (month.div_euclid(12), month.rem_euclid(12) + 1);
        *killed.year.entry(year.to_string()).or_default() += n;
        if let Some(total) = killed.month.get_mut(&format!("{year:04}-{month:02}")) {
            *total += n;
        }
    }
    killed.location = ranked(places, top);
    killed.actor = ranked(actors, top);
    killed.event = ranked(events, usize::MAX);
    killed
}
