//! The query of an excluded clause (`-word`, `NOT "a phrase"`), whose scorer tolerates being
//! asked to seek behind its position.
//!
//! tantivy 0.27 excludes documents by seeking the excluded scorer to each candidate, and may
//! start below the excluded scorer's first document; a phrase scorer (a phrase repeating a
//! word, `-"armée armée"`) asserts on that in debug builds (quickwit-oss/tantivy#2811). The
//! wrapper answers such a seek with the current document, which is what the contract means.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// An excluded clause.
#[derive(Debug)]
pub struct Exclusion(pub Box<dyn Query>);

impl Clone for Exclusion {
    fn clone(&self) -> Self {
        Exclusion(self.0.box_clone())
    }
}

impl Query for Exclusion {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExclusionWeight(self.0.weight(scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct ExclusionWeight(Box<dyn Weight>);

impl Weight for ExclusionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(Tolerant(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

/// Forwards everything but a seek behind the current document, answered in place; `seek_danger`
/// keeps DocSet's default, which goes through `seek`.
struct Tolerant(Box<dyn Scorer>);

impl DocSet for Tolerant {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let doc = self.0.doc();
        if target <= doc {
            doc
        } else {
            self.0.seek(target)
        }
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl Scorer for Tolerant {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}
