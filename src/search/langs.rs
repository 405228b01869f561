//! The languages of a result set: how many matching documents are in each.

use std::sync::Arc;

use indexmap::IndexMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::counts::Dictionaries;
use crate::mapper::DocMapper;

/// Counts matching documents per language code (those without a reliable language aside).
pub struct Langs<'m> {
    pub mapper: &'m DocMapper,
    pub dictionaries: &'m Dictionaries,
}

pub struct LangsSegment {
    codes: Option<StrColumn>,
    /// Each document's code's ordinal plus one (0 for none), once laid out.
    laid: Option<Arc<Vec<u16>>>,
    /// Documents per code's ordinal in the segment's dictionary.
    counts: Vec<u64>,
}

impl Collector for Langs<'_> {
    type Fruit = IndexMap<String, u64>;
    type Child = LangsSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<LangsSegment> {
        let columns = self.dictionaries.columns(self.mapper, reader)?;
        let codes = columns.lang.clone();
        let terms = codes.as_ref().map_or(0, |c| c.num_terms());
        Ok(LangsSegment {
            codes,
            laid: columns.langs(self.dictionaries.now()),
            counts: vec![0; terms],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<IndexMap<String, u64>>) -> tantivy::Result<Self::Fruit> {
        let mut all: IndexMap<String, u64> = IndexMap::new();
        for segment in segments {
            for (code, n) in segment {
                *all.entry(code).or_insert(0) += n;
            }
        }
        all.sort_by(|a, m, b, n| n.cmp(m).then_with(|| a.cmp(b)));
        Ok(all)
    }
}

impl SegmentCollector for LangsSegment {
    type Fruit = IndexMap<String, u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let ord = match &self.laid {
            Some(laid) => laid
                .get(doc as usize)
                .and_then(|&at| (at as usize).checked_sub(1)),
            None => self
                .codes
                .as_ref()
                .and_then(|c| c.term_ords(doc).next())
                .map(|ord| ord as usize),
        };
        if let Some(count) = ord.and_then(|ord| self.counts.get_mut(ord)) {
            *count += 1;
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut out = IndexMap::new();
        let Some(codes) = self.codes else {
            return out;
        };
        let mut code = String::new();
        for (ord, &n) in self.counts.iter().enumerate().filter(|(_, n)| **n > 0) {
            if codes.ord_to_str(ord as u64, &mut code).unwrap_or(false) {
                out.insert(code.clone(), n);
            }
        }
        out
    }
}
