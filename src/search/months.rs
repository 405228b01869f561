//! The timeline of a result set: how many matching documents were published each month,
//! every month from the first to the last, the months without any included.

use chrono::Datelike;
use indexmap::IndexMap;
use rustc_hash::FxHashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DateTime, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::mapper::DocMapper;
use crate::text::date;

/// A month as a number: year × 12 + month − 1.
type Month = i32;

/// Counts matching documents per month of publication (undated ones are not counted).
pub struct Months<'m> {
    pub mapper: &'m DocMapper,
}

pub struct MonthsSegment {
    dates: Column<DateTime>,
    counts: FxHashMap<Month, u64>,
    /// The month of the last day seen, and that day: documents of a day come together often.
    last: (i64, Month),
}

impl Collector for Months<'_> {
    type Fruit = FxHashMap<Month, u64>;
    type Child = MonthsSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<MonthsSegment> {
        Ok(MonthsSegment {
            dates: self.mapper.date_column(reader)?,
            counts: FxHashMap::default(),
            last: (i64::MIN, 0),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<FxHashMap<Month, u64>>) -> tantivy::Result<Self::Fruit> {
        let mut all = FxHashMap::default();
        for segment in segments {
            for (month, n) in segment {
                *all.entry(month).or_insert(0) += n;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for MonthsSegment {
    type Fruit = FxHashMap<Month, u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(seconds) = self.dates.first(doc).map(|d| d.into_timestamp_secs()) else {
            return;
        };
        let day = seconds.div_euclid(86_400);
        if day != self.last.0 {
            let Some(d) = date::day_of_seconds(seconds) else {
                return;
            };
            self.last = (day, d.year() * 12 + d.month0() as i32);
        }
        *self.counts.entry(self.last.1).or_insert(0) += 1;
    }

    fn harvest(self) -> Self::Fruit {
        self.counts
    }
}

/// Every month from the first counted to the last, `YYYY-MM` → documents, in order.
pub fn timeline(counts: &FxHashMap<Month, u64>) -> IndexMap<String, u64> {
    let (Some(&first), Some(&last)) = (counts.keys().min(), counts.keys().max()) else {
        return IndexMap::new();
    };
    (first..=last)
        .map(|m| {
            let key = format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1);
            (key, counts.get(&m).copied().unwrap_or(0))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_month_of_the_span_is_listed_zeros_included() {
        let counts: FxHashMap<Month, u64> = [(2023 * 12 + 10, 2), (2024 * 12 + 1, 5)]
            .into_iter()
            .collect();
        let months = timeline(&counts);
        assert_eq!(
            months.into_iter().collect::<Vec<_>>(),
            [
                ("2023-11".to_string(), 2),
                ("2023-12".to_string(), 0),
                ("2024-01".to_string(), 0),
                ("2024-02".to_string(), 5)
            ]
        );
        assert!(timeline(&FxHashMap::default()).is_empty());
    }
}
