//! One hit per story: a collector that groups the matching documents by their cluster of
//! copies, keeps the best of each, and counts the others.

use std::collections::BinaryHeap;

use rustc_hash::FxHashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DateTime, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::counts::{Dictionaries, Stories, TollColumn};
use crate::mapper::{Dated, DocMapper};

/// What ranks the hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// The query's score.
    Score,
    /// The publication date, newest first (undated last).
    Date,
}

/// A story's best document and how many documents of it matched.
#[derive(Debug, Clone, Copy)]
pub struct Story {
    /// Score, or the date in seconds.
    pub key: f64,
    pub address: DocAddress,
    /// Matching documents of the story, the shown one included.
    pub documents: u64,
    /// The lowest toll its matching documents report (ACLED's « lowest figure when sources
    /// disagree »), whichever is shown.
    pub killed: Option<u64>,
    /// The story's key in the collector (with `all_copies`, the document's).
    pub cluster: u64,
}

/// Best first: the higher key, then the lower address.
pub fn order(a: &Story, b: &Story) -> std::cmp::Ordering {
    b.key
        .total_cmp(&a.key)
        .then_with(|| a.address.cmp(&b.address))
}

impl Story {
    fn better_than(&self, other: &Story) -> bool {
        self.key > other.key || (self.key == other.key && self.address < other.address)
    }

    fn absorb(&mut self, other: Story) {
        let documents = self.documents + other.documents;
        let killed = match (self.killed, other.killed) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if other.better_than(self) {
            *self = other;
        }
        self.documents = documents;
        self.killed = killed;
    }
}

/// The collector: `limit` stories after `offset`, best first, with the number of matching
/// documents and stories. With `all_copies`, every document is its own story.
pub struct Collapse<'m> {
    /// Where the story and date columns are.
    pub mapper: &'m DocMapper,
    /// The segments' tolls, laid out once.
    pub dictionaries: &'m Dictionaries,
    pub limit: usize,
    pub offset: usize,
    pub key: Key,
    pub all_copies: bool,
}

/// What [`Collapse`] returns.
#[derive(Debug, Default)]
pub struct Collapsed {
    pub stories: Vec<Story>,
    /// Matching documents.
    pub documents: usize,
    /// Matching stories.
    pub story_count: usize,
}

pub struct CollapseSegment {
    segment: SegmentOrdinal,
    key: Key,
    all_copies: bool,
    cluster: Stories,
    date: Option<Column<DateTime>>,
    killed: TollColumn,
    stories: FxHashMap<u64, Story>,
}

impl Collector for Collapse<'_> {
    type Fruit = Collapsed;
    type Child = CollapseSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<CollapseSegment> {
        let columns = self.dictionaries.columns(self.mapper, reader)?;
        let date = match self.key {
            Key::Date => Some(columns.dates(Dated::Published).clone()),
            Key::Score => None,
        };
        Ok(CollapseSegment {
            segment,
            key: self.key,
            all_copies: self.all_copies,
            cluster: columns.stories(self.dictionaries.now()),
            killed: self.dictionaries.killed(self.mapper, reader)?,
            date,
            stories: FxHashMap::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.key == Key::Score
    }

    fn merge_fruits(&self, mut segments: Vec<FxHashMap<u64, Story>>) -> tantivy::Result<Collapsed> {
        // The largest segment's stories take in the others', its table grown once at most.
        let largest = (0..segments.len()).max_by_key(|&i| segments[i].len());
        let mut all = largest.map_or_else(FxHashMap::default, |i| segments.swap_remove(i));
        all.reserve(segments.iter().map(FxHashMap::len).sum());
        for segment in segments {
            for (cluster, story) in segment {
                all.entry(cluster)
                    .and_modify(|known| known.absorb(story))
                    .or_insert(story);
            }
        }
        let story_count = all.len();
        let wanted = self.offset + self.limit;
        // The best `wanted` stories, the worst kept on top of a heap: most stories are
        // compared with it once and let go.
        let mut best: BinaryHeap<Ranked> = BinaryHeap::with_capacity(wanted.min(story_count));
        let mut documents = 0;
        for story in all.into_values() {
            documents += story.documents as usize;
            if best.len() < wanted {
                best.push(Ranked(story));
            } else if let Some(mut worst) = best.peek_mut() {
                if order(&story, &worst.0).is_lt() {
                    *worst = Ranked(story);
                }
            }
        }
        let stories = best
            .into_sorted_vec()
            .into_iter()
            .map(|ranked| ranked.0)
            .skip(self.offset)
            .take(self.limit)
            .collect();
        Ok(Collapsed {
            stories,
            documents,
            story_count,
        })
    }
}

/// A story ordered by [`order`]: the greatest is the worst.
struct Ranked(Story);

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        order(&self.0, &other.0)
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Ranked {}

impl SegmentCollector for CollapseSegment {
    type Fruit = FxHashMap<u64, Story>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let key = match (&self.date, self.key) {
            (Some(date), _) => date
                .first(doc)
                .map_or(f64::MIN, |d| d.into_timestamp_secs() as f64),
            (None, _) => f64::from(score),
        };
        let story = Story {
            key,
            address: DocAddress::new(self.segment, doc),
            documents: 1,
            killed: self.killed.get(doc),
            cluster: if self.all_copies {
                // Unique per document across segments.
                (u64::from(self.segment) << 32) | u64::from(doc)
            } else {
                self.cluster.get(doc).unwrap_or(u64::MAX - u64::from(doc))
            },
        };
        let cluster = story.cluster;
        self.stories
            .entry(cluster)
            .and_modify(|known| known.absorb(story))
            .or_insert(story);
    }

    fn harvest(self) -> Self::Fruit {
        self.stories
    }
}
