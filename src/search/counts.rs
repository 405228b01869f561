//! Facet counts over a result set, with each segment's facet values decoded once per engine.
//!
//! tantivy's `FacetCollector` reads a segment's whole facet dictionary to map its values to the
//! children counted, and decodes each counted value from the dictionary again, on every
//! search; `vigie bench --breakdown` showed these fixed costs to be most of a filtered query's
//! facet time (callgrind: the dictionary's streaming and `ord_to_term` a quarter of a search).
//! Segments never change, so [`Dictionaries`] keeps, per segment and facet, the values by
//! ordinal and the mapping of each set of parents asked for; [`Counter`] counts as tantivy's
//! collector does (a document counts once under each child), and [`Counts`] answers as
//! tantivy's `FacetCounts` does (same order, same ties).

use std::collections::{BTreeMap, BinaryHeap};
use std::ops::Bound;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, ColumnIndex, StrColumn};
use tantivy::index::SegmentId;
use tantivy::schema::Facet;
use tantivy::{DateTime, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::mapper::{Dated, DocMapper, FacetKind};

/// Segments whose values are kept; beyond, all are forgotten and decoded again as asked
/// (segments merged away are never asked for again).
const KEPT: usize = 512;

/// Mappings kept per segment and facet (one per set of parents drilled into); beyond, they are
/// forgotten and made again as asked, so that a server's memory does not grow with every place
/// an analyst drills into.
const MAPPINGS_KEPT: usize = 64;

/// The decoded facet values of the segments searched so far, and, for the segments searched
/// more than once, what every match reads laid out in arrays: each document's story, month,
/// language, toll and facet ordinals.
///
/// Laying out a segment's arrays reads every document of it once: a one-off `vigie
/// search` on a large index would pay more for it than its matches cost to read in place, so
/// a segment's arrays are laid out when a later search than its first asks for them.
#[derive(Default)]
pub struct Dictionaries {
    segments: Mutex<FxHashMap<(SegmentId, FacetKind), Arc<Decoded>>>,
    killed: Mutex<FxHashMap<SegmentId, Arc<Killed>>>,
    columns: Mutex<FxHashMap<SegmentId, Arc<Columns>>>,
    /// Searches begun ([`Dictionaries::begin`]).
    searches: AtomicU64,
}

/// The columns of a segment that every search reads, opened once per engine: opening a column
/// looks its name up in tantivy's column directory and reads its header, about 30,000
/// instructions, and a search read a dozen per segment (callgrind, a filtered search on the
/// corpus ×16: a seventh of its instructions; a large index has two dozen segments).
pub struct Columns {
    pub story: Column<u64>,
    published: Column<DateTime>,
    event: Column<DateTime>,
    pub lang: Option<StrColumn>,
    /// From a later search than its first, the story, month and language of each document,
    /// read at every match by the story grouping, the timeline and the languages: an array
    /// instead of a column whose optional index is searched and whose values are bit-packed
    /// (and, for months, a date turned into its month at each match).
    stories: Laid<Vec<u64>>,
    months: [Laid<Vec<u16>>; 2],
    langs: Laid<Vec<u16>>,
    max_doc: DocId,
}

impl Columns {
    /// The date column a search reads.
    pub fn dates(&self, dated: Dated) -> &Column<DateTime> {
        match dated {
            Dated::Published => &self.published,
            Dated::Event => &self.event,
        }
    }

    /// Each document's story.
    pub fn stories(&self, now: u64) -> Stories {
        let dense = self.stories.get(now, || {
            (0..self.max_doc)
                .map(|doc| self.story.first(doc).unwrap_or(NO_STORY))
                .collect()
        });
        Stories {
            column: self.story.clone(),
            dense,
        }
    }

    /// Each document's month by the day `dated` names, as `month` numbers it (0 for none),
    /// once laid out.
    pub(super) fn months(
        &self,
        now: u64,
        dated: Dated,
        month: impl Fn(DateTime) -> u16,
    ) -> Option<Arc<Vec<u16>>> {
        let at = match dated {
            Dated::Published => 0,
            Dated::Event => 1,
        };
        let dates = self.dates(dated);
        self.months[at].get(now, || {
            (0..self.max_doc)
                .map(|doc| dates.first(doc).map_or(0, &month))
                .collect()
        })
    }

    /// Each document's language, its ordinal in the segment's codes plus one (0 for none),
    /// once laid out.
    pub(super) fn langs(&self, now: u64) -> Option<Arc<Vec<u16>>> {
        let codes = self.lang.as_ref()?;
        self.langs.get(now, || {
            (0..self.max_doc)
                .map(|doc| {
                    codes
                        .term_ords(doc)
                        .next()
                        .map_or(0, |ord| u16::try_from(ord + 1).unwrap_or(0))
                })
                .collect()
        })
    }
}

/// No story: the story grouping gives such a document a story of its own.
const NO_STORY: u64 = u64::MAX;

/// Each document's story, in its column or laid out ([`Columns::stories`]).
pub struct Stories {
    column: Column<u64>,
    dense: Option<Arc<Vec<u64>>>,
}

impl Stories {
    /// The story of document `doc`, if it has one.
    #[inline]
    pub fn get(&self, doc: DocId) -> Option<u64> {
        match &self.dense {
            Some(dense) => dense.get(doc as usize).copied().filter(|&s| s != NO_STORY),
            None => self.column.first(doc),
        }
    }
}

/// A segment's `killed` column, and its array once laid out.
struct Killed {
    column: Column<u64>,
    laid: Laid<Vec<u32>>,
}

/// A segment's array (or arrays), laid out from a later search than the first that asked
/// for it.
pub(super) struct Laid<T> {
    first: u64,
    dense: OnceLock<Arc<T>>,
}

impl<T> Laid<T> {
    pub(super) fn new(first: u64) -> Laid<T> {
        Laid {
            first,
            dense: OnceLock::new(),
        }
    }

    /// The array, laid out by `lay` when search `now` is not the first that asked.
    pub(super) fn get(&self, now: u64, lay: impl FnOnce() -> T) -> Option<Arc<T>> {
        if let Some(dense) = self.dense.get() {
            return Some(Arc::clone(dense));
        }
        (now != self.first).then(|| Arc::clone(self.dense.get_or_init(|| Arc::new(lay()))))
    }
}

/// A segment's `killed` column. It is sparse (few articles report deaths), and reading a
/// sparse column at a document searches its block's list (a seventh of a one-word search's
/// instructions under callgrind, read by both the story grouping and the tolls): a segment
/// searched again reads an array instead, the toll plus one per document (0 for none).
pub struct TollColumn {
    column: Column<u64>,
    dense: Option<Arc<Vec<u32>>>,
}

impl TollColumn {
    fn lay_out(column: &Column<u64>, max_doc: DocId) -> Vec<u32> {
        let mut dense = vec![0u32; max_doc as usize];
        let stored = |v: u64| u32::try_from(v).unwrap_or(u32::MAX - 1).saturating_add(1);
        match &column.index {
            ColumnIndex::Empty { .. } => {}
            ColumnIndex::Optional(index) => {
                for (rank, doc) in index.iter_non_null_docs().enumerate() {
                    if let Some(slot) = dense.get_mut(doc as usize) {
                        *slot = stored(column.values.get_val(rank as u32));
                    }
                }
            }
            _ => {
                for (doc, slot) in dense.iter_mut().enumerate() {
                    if let Some(v) = column.first(doc as DocId) {
                        *slot = stored(v);
                    }
                }
            }
        }
        dense
    }

    /// The toll document `doc` reports, if any.
    #[inline]
    pub fn get(&self, doc: DocId) -> Option<u64> {
        match &self.dense {
            Some(dense) => match dense.get(doc as usize) {
                Some(&v) if v > 0 => Some(u64::from(v - 1)),
                _ => None,
            },
            None => self.column.first(doc),
        }
    }
}

/// A segment's values of one facet, by ordinal, and the mappings asked for.
pub struct Decoded {
    /// The facet's column: ordinals document by document, into the dictionary decoded below.
    column: StrColumn,
    pub facets: Vec<Facet>,
    mappings: Mutex<FxHashMap<Vec<Facet>, Arc<Mapping>>>,
    /// From a later search than its first: each document's ordinals ([`Rows`]).
    rows: Laid<Rows>,
}

/// A segment's facet ordinals laid out document by document: document `d`'s are
/// `ords[starts[d]..starts[d + 1]]`, in order.
///
/// tantivy finds a document's values in a multi-valued column through the rank of the
/// document among those with values, which in a sparse column (actors, event types: few
/// articles have them) is a search in its block's list, then reads the bit-packed start, end
/// and values: about a hundred instructions a document and facet, four facets a match, a
/// sixth of a one-word search under callgrind. A segment searched again reads two arrays
/// instead (4 bytes a document, and 4 a value).
pub struct Rows {
    starts: Vec<u32>,
    ords: Vec<u32>,
}

impl Rows {
    fn lay_out(column: &Column<u64>, max_doc: DocId) -> Rows {
        let mut starts = Vec::with_capacity(max_doc as usize + 1);
        let mut ords = Vec::new();
        starts.push(0);
        for doc in 0..max_doc {
            // Dictionaries of facet values are far below 2³² terms.
            ords.extend(column.values_for_doc(doc).map(|ord| ord as u32));
            starts.push(ords.len() as u32);
        }
        Rows { starts, ords }
    }
}

/// A segment's facet ordinals, document by document.
pub struct FacetOrds {
    column: Column<u64>,
    rows: Option<Arc<Rows>>,
}

impl FacetOrds {
    /// Calls `each` with every ordinal of document `doc`, in order.
    #[inline]
    pub fn each(&self, doc: DocId, mut each: impl FnMut(u64)) {
        if let Some(rows) = &self.rows {
            let doc = doc as usize;
            if let (Some(&start), Some(&end)) = (rows.starts.get(doc), rows.starts.get(doc + 1)) {
                for &ord in rows
                    .ords
                    .get(start as usize..end as usize)
                    .unwrap_or_default()
                {
                    each(u64::from(ord));
                }
            }
            return;
        }
        for ord in self.column.values_for_doc(doc) {
            each(ord);
        }
    }
}

/// Which counted child each ordinal falls under.
pub(super) struct Mapping {
    /// Ordinal → index in `children`, or `NONE`.
    pub(super) child_of: Vec<u32>,
    pub(super) children: Vec<Facet>,
    /// The children's values as the analyst reads them, decoded once (a facet's path is
    /// written out, an allocation or two a value; the fatality totals name their children
    /// at every search).
    names: OnceLock<Vec<String>>,
}

impl Mapping {
    /// Calls `each` with every child document `doc` is under, once each: its ordinals are
    /// sorted, so those under one child follow one another.
    #[inline]
    pub(super) fn each_child(&self, ords: &FacetOrds, doc: DocId, mut each: impl FnMut(u32)) {
        let mut previous = NONE;
        ords.each(doc, |ord| {
            let child = self.child_of.get(ord as usize).copied().unwrap_or(NONE);
            if child != NONE && child != previous {
                each(child);
            }
            previous = child;
        });
    }

    /// The value of child `child`, as `name` writes it (the same function every time).
    pub(super) fn name(&self, child: usize, name: impl Fn(&Facet) -> String) -> &str {
        self.names
            .get_or_init(|| self.children.iter().map(name).collect())
            .get(child)
            .map_or("", String::as_str)
    }
}

pub(super) const NONE: u32 = u32::MAX;

impl Dictionaries {
    /// The values of facet `kind` in segment `reader`, decoded on first use, and its
    /// ordinals document by document.
    pub fn decoded(
        &self,
        mapper: &DocMapper,
        reader: &SegmentReader,
        kind: FacetKind,
    ) -> tantivy::Result<(FacetOrds, Arc<Decoded>)> {
        let decoded = kept(&self.segments, (reader.segment_id(), kind), || {
            let column = mapper.facet_column(reader, kind)?;
            let dictionary = column.dictionary();
            let mut facets = Vec::with_capacity(dictionary.num_terms());
            let mut stream = dictionary.stream()?;
            while stream.advance() {
                facets.push(
                    Facet::from_encoded(stream.key().to_vec()).unwrap_or_else(|_| Facet::root()),
                );
            }
            Ok(Decoded {
                column,
                facets,
                mappings: Mutex::default(),
                rows: Laid::new(self.now()),
            })
        })?;
        // Nothing laid out on the search that decoded the segment (see `Laid`).
        let column = decoded.column.ords();
        let rows = decoded
            .rows
            .get(self.now(), || Rows::lay_out(column, reader.max_doc()));
        let ords = FacetOrds {
            column: column.clone(),
            rows,
        };
        Ok((ords, decoded))
    }

    /// Marks the start of a search (the arrays of a segment are laid out from its second).
    pub fn begin(&self) {
        self.searches.fetch_add(1, Ordering::Relaxed);
    }

    pub(super) fn now(&self) -> u64 {
        self.searches.load(Ordering::Relaxed)
    }

    /// The tolls of segment `reader`.
    pub fn killed(
        &self,
        mapper: &DocMapper,
        reader: &SegmentReader,
    ) -> tantivy::Result<TollColumn> {
        let killed = kept(&self.killed, reader.segment_id(), || {
            Ok(Killed {
                column: mapper.killed_column(reader)?,
                laid: Laid::new(self.now()),
            })
        })?;
        let dense = killed.laid.get(self.now(), || {
            TollColumn::lay_out(&killed.column, reader.max_doc())
        });
        Ok(TollColumn {
            column: killed.column.clone(),
            dense,
        })
    }

    /// The story, date and language columns of segment `reader`.
    pub fn columns(
        &self,
        mapper: &DocMapper,
        reader: &SegmentReader,
    ) -> tantivy::Result<Arc<Columns>> {
        kept(&self.columns, reader.segment_id(), || {
            Ok(Columns {
                story: mapper.story_column(reader)?,
                published: mapper.date_column(reader, Dated::Published)?,
                event: mapper.date_column(reader, Dated::Event)?,
                lang: mapper.lang_column(reader)?,
                stories: Laid::new(self.now()),
                months: [Laid::new(self.now()), Laid::new(self.now())],
                langs: Laid::new(self.now()),
                max_doc: reader.max_doc(),
            })
        })
    }
}

/// What `map` keeps under `key` (a segment, or a segment and facet), made by `make` on first
/// use (all forgotten past [`KEPT`] keys).
fn kept<K: std::hash::Hash + Eq, T>(
    map: &Mutex<FxHashMap<K, Arc<T>>>,
    id: K,
    make: impl FnOnce() -> tantivy::Result<T>,
) -> tantivy::Result<Arc<T>> {
    let known = map
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .get(&id)
        .cloned();
    if let Some(known) = known {
        return Ok(known);
    }
    let made = Arc::new(make()?);
    let mut map = map.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if map.len() >= KEPT {
        map.clear();
    }
    Ok(Arc::clone(map.entry(id).or_insert(made)))
}

impl Decoded {
    /// The mapping of ordinals to the children of `parents`, made on first use.
    pub(super) fn mapping(&self, parents: &[Facet]) -> Arc<Mapping> {
        let mut mappings = self
            .mappings
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(known) = mappings.get(parents) {
            return Arc::clone(known);
        }
        let mut children: Vec<Facet> = Vec::new();
        let mut index: FxHashMap<Facet, u32> = FxHashMap::default();
        let child_of = self
            .facets
            .iter()
            .map(|facet| {
                parents
                    .iter()
                    .find_map(|parent| child_under(parent, facet))
                    .map_or(NONE, |child| {
                        *index.entry(child.clone()).or_insert_with(|| {
                            children.push(child);
                            (children.len() - 1) as u32
                        })
                    })
            })
            .collect();
        let mapping = Arc::new(Mapping {
            child_of,
            children,
            names: OnceLock::new(),
        });
        if mappings.len() >= MAPPINGS_KEPT {
            mappings.clear();
        }
        mappings.insert(parents.to_vec(), Arc::clone(&mapping));
        mapping
    }
}

/// The child of `parent` that `facet` is, or is under; `None` when it is not under `parent`
/// (or is `parent`).
fn child_under(parent: &Facet, facet: &Facet) -> Option<Facet> {
    let (parent, facet) = (parent.encoded_str(), facet.encoded_str());
    let rest = if parent.is_empty() {
        facet
    } else {
        facet.strip_prefix(parent)?.strip_prefix('\0')?
    };
    if rest.is_empty() {
        return None;
    }
    let end = rest
        .find('\0')
        .map_or(facet.len(), |i| facet.len() - rest.len() + i);
    Facet::from_encoded(facet.as_bytes()[..end].to_vec()).ok()
}

/// Counts the children of `parents` (the root's when empty) of one facet over the matches.
pub struct Counter<'e> {
    pub mapper: &'e DocMapper,
    pub dictionaries: &'e Dictionaries,
    pub kind: FacetKind,
    pub parents: Vec<Facet>,
}

impl<'e> Counter<'e> {
    /// A counter of the children of each of `parents` (values of the facet; the root when
    /// there is none).
    pub fn new(
        mapper: &'e DocMapper,
        dictionaries: &'e Dictionaries,
        kind: FacetKind,
        parents: &[&str],
    ) -> Self {
        let mut parents: Vec<Facet> = parents.iter().map(|p| mapper.facet(kind, p)).collect();
        if parents.is_empty() {
            parents.push(Facet::root());
        }
        Counter {
            mapper,
            dictionaries,
            kind,
            parents,
        }
    }
}

pub struct CounterSegment {
    facets: FacetOrds,
    mapping: Arc<Mapping>,
    counts: Vec<u64>,
}

impl Collector for Counter<'_> {
    type Fruit = Counts;
    type Child = CounterSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<CounterSegment> {
        let (facets, decoded) = self.dictionaries.decoded(self.mapper, reader, self.kind)?;
        let mapping = decoded.mapping(&self.parents);
        let counts = vec![0; mapping.children.len()];
        Ok(CounterSegment {
            facets,
            mapping,
            counts,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut all = Counts::default();
        for segment in segments {
            for (facet, count) in segment.0 {
                *all.0.entry(facet).or_default() += count;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for CounterSegment {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        // A document counts once under each child, however many of its values are under it.
        let counts = &mut self.counts;
        self.mapping.each_child(&self.facets, doc, |child| {
            if let Some(n) = counts.get_mut(child as usize) {
                *n += 1;
            }
        });
    }

    fn harvest(self) -> Counts {
        Counts(
            self.counts
                .iter()
                .enumerate()
                .filter(|(_, &count)| count > 0)
                .map(|(child, &count)| (self.mapping.children[child].clone(), count))
                .collect(),
        )
    }
}

/// The counts of the children counted, as tantivy's `FacetCounts` gives them.
#[derive(Debug, Clone, Default)]
pub struct Counts(BTreeMap<Facet, u64>);

/// A child and its count, ordered as tantivy's `top_k` orders them.
#[derive(PartialEq, Eq)]
struct Hit<'a> {
    count: u64,
    facet: &'a Facet,
}

impl Ord for Hit<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other
            .count
            .cmp(&self.count)
            .then_with(|| self.facet.cmp(other.facet))
    }
}

impl PartialOrd for Hit<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Counts {
    /// The counted values under `facet`, in order.
    pub fn get(&self, facet: &Facet) -> impl Iterator<Item = (&Facet, u64)> {
        let upper = if facet.is_root() {
            Bound::Unbounded
        } else {
            let mut after = facet.encoded_str().as_bytes().to_vec();
            after.push(1);
            Facet::from_encoded(after).map_or(Bound::Unbounded, Bound::Excluded)
        };
        self.0
            .range((Bound::Excluded(facet.clone()), upper))
            .map(|(facet, count)| (facet, *count))
    }

    /// The `k` values under `facet` counted most, most first.
    pub fn top_k(&self, facet: &Facet, k: usize) -> Vec<(&Facet, u64)> {
        let mut heap = BinaryHeap::with_capacity(k);
        let mut it = self.get(facet);
        for (facet, count) in (&mut it).take(k) {
            heap.push(Hit { count, facet });
        }
        let mut lowest = heap.peek().map_or(u64::MIN, |hit| hit.count);
        for (facet, count) in it {
            if count > lowest {
                if let Some(mut head) = heap.peek_mut() {
                    *head = Hit { count, facet };
                }
                if let Some(head) = heap.peek() {
                    lowest = head.count;
                }
            }
        }
        heap.into_sorted_vec()
            .into_iter()
            .map(|hit| (hit.facet, hit.count))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facet(path: &str) -> Facet {
        Facet::from_text(path).unwrap()
    }

    #[test]
    fn a_value_counts_under_the_child_of_the_parent_it_is_under() {
        let child = |parent: &str, value: &str| {
            let parent = if parent == "/" {
                Facet::root()
            } else {
                facet(parent)
            };
            child_under(&parent, &facet(value)).map(|f| f.to_path_string())
        };
        assert_eq!(
            child("/", "/Mali/Mopti/Bandiagara").as_deref(),
            Some("/Mali")
        );
        assert_eq!(
            child("/Mali", "/Mali/Mopti/Bandiagara").as_deref(),
            Some("/Mali/Mopti")
        );
        assert_eq!(child("/Mali", "/Mali"), None);
        assert_eq!(child("/Mali", "/Malika/X"), None);
        assert_eq!(child("/Mali", "/Niger/Tillabéri"), None);
    }

    #[test]
    fn the_top_values_are_ordered_as_tantivy_orders_them() {
        let counts = Counts(
            [
                ("/Mali", 3),
                ("/Niger", 5),
                ("/Burkina Faso", 3),
                ("/Tchad", 1),
            ]
            .into_iter()
            .map(|(f, n)| (facet(f), n))
            .collect(),
        );
        let top: Vec<(String, u64)> = counts
            .top_k(&Facet::root(), 3)
            .into_iter()
            .map(|(f, n)| (f.to_path_string(), n))
            .collect();
        assert_eq!(
            top,
            [
                ("/Niger".to_string(), 5),
                ("/Burkina Faso".to_string(), 3),
                ("/Mali".to_string(), 3)
            ]
        );
        assert_eq!(counts.get(&facet("/Mali")).count(), 0);
    }
}
