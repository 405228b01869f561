//! Nearness of the query's words, as a re-ranking of the best stories: the phrase with slop
//! of [`super::query`] is scored only on the best document of each of the first
//! [`RERANK_STORIES`] stories (or of the page, if deeper), and its score, weighted, is added to
//! theirs. Scored over every match, as a clause of the query, it cost `vigie bench`'s two-word
//! queries up to 60% more time (positions read for thousands of documents); here it reads the
//! positions of a few dozen.

use tantivy::query::{EnableScoring, Query};
use tantivy::{DocSet, Searcher, TERMINATED};

use super::collapse::{order, Story};
use crate::error::Result;

/// Stories re-ranked by nearness at least.
pub const RERANK_STORIES: usize = 50;

/// Weight of the nearness score against the words' own.
const PROXIMITY_BOOST: f32 = 0.5;

/// Adds the nearness score of each story's shown document to its key, and sorts them again.
pub fn rerank(searcher: &Searcher, near: &dyn Query, stories: &mut [Story]) -> Result<()> {
    let weight = near.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let mut by_address: Vec<usize> = (0..stories.len()).collect();
    by_address.sort_by_key(|&i| stories[i].address);
    let mut current = None;
    for i in by_address {
        let address = stories[i].address;
        let scorer = match &mut current {
            Some((segment, scorer)) if *segment == address.segment_ord => scorer,
            _ => {
                let reader = searcher.segment_reader(address.segment_ord);
                &mut current
                    .insert((address.segment_ord, weight.scorer(reader, 1.0)?))
                    .1
            }
        };
        // Addresses come in order: a scorer past this one has no match for it.
        let doc = if scorer.doc() < address.doc_id {
            scorer.seek(address.doc_id)
        } else {
            scorer.doc()
        };
        if doc == address.doc_id && doc != TERMINATED {
            stories[i].key += f64::from(PROXIMITY_BOOST * scorer.score());
        }
    }
    stories.sort_unstable_by(order);
    Ok(())
}
