//! The timeline of a result set: how many matching documents were published each month,
//! every month from the first to the last, the months without any included.

use std::sync::Arc;

use indexmap::IndexMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DateTime, DocId, Score, SegmentOrdinal, SegmentReader};

use super::counts::Dictionaries;
use crate::mapper::{Dated, DocMapper};
use crate::text::date;

/// The first month counted (January 1990): the cleaner keeps no publication date before.
const FIRST: i64 = 1990 * 12;
/// Months counted from [`FIRST`] on: a century and a half.
const MONTHS: usize = 150 * 12;

/// Matching documents per month, from [`FIRST`] on.
pub type Counts = Vec<u64>;

/// Counts matching documents per month of publication, or of their event (undated ones are
/// not counted).
pub struct Months<'m> {
    pub mapper: &'m DocMapper,
    pub dictionaries: &'m Dictionaries,
    pub dated: Dated,
}

pub struct MonthsSegment {
    dates: Column<DateTime>,
    /// Each document's month from [`FIRST`] plus one (0 for none), once laid out.
    months: Option<Arc<Vec<u16>>>,
    counts: Counts,
}

/// The month of `date` from [`FIRST`] on, plus one; 0 out of the months counted.
fn month(date: DateTime) -> u16 {
    let month = date::month_of_day(date.into_timestamp_secs().div_euclid(86_400)) - FIRST;
    usize::try_from(month)
        .ok()
        .filter(|&m| m < MONTHS)
        .map_or(0, |m| m as u16 + 1)
}

impl Collector for Months<'_> {
    type Fruit = Counts;
    type Child = MonthsSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<MonthsSegment> {
        let columns = self.dictionaries.columns(self.mapper, reader)?;
        Ok(MonthsSegment {
            dates: columns.dates(self.dated).clone(),
            months: columns.months(self.dictionaries.now(), self.dated, month),
            counts: vec![0; MONTHS],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut segments = segments.into_iter();
        let mut all = segments.next().unwrap_or_else(|| vec![0; MONTHS]);
        for segment in segments {
            all.iter_mut().zip(segment).for_each(|(a, n)| *a += n);
        }
        Ok(all)
    }
}

impl SegmentCollector for MonthsSegment {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        let at = match &self.months {
            Some(months) => months.get(doc as usize).copied().unwrap_or(0),
            None => self.dates.first(doc).map_or(0, month),
        };
        if let Some(count) = (at as usize)
            .checked_sub(1)
            .and_then(|m| self.counts.get_mut(m))
        {
            *count += 1;
        }
    }

    fn harvest(self) -> Counts {
        self.counts
    }
}

/// Every month from the first counted to the last, `YYYY-MM` → documents, in order.
pub fn timeline(counts: &[u64]) -> IndexMap<String, u64> {
    let (Some(first), Some(last)) = (
        counts.iter().position(|&n| n > 0),
        counts.iter().rposition(|&n| n > 0),
    ) else {
        return IndexMap::new();
    };
    (first..=last)
        .map(|m| {
            let month = FIRST + m as i64;
            let key = format!(
                "{:04}-{:02}",
                month.div_euclid(12),
                month.rem_euclid(12) + 1
            );
            (key, counts[m])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_month_of_the_span_is_listed_zeros_included() {
        let mut counts = vec![0; MONTHS];
        counts[(2023 * 12 + 10 - FIRST) as usize] = 2;
        counts[(2024 * 12 + 1 - FIRST) as usize] = 5;
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
        assert!(timeline(&vec![0; MONTHS]).is_empty());
    }
}
