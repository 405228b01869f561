//! What the pipeline tells the analyst besides the documents: inputs skipped, with why, and
//! inputs repaired.

use crate::clean::Rejection;
use crate::ingest::{self, Origin, Problem, Repair};

/// Why an input (a file, a line of an export, a record) gave no document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Reason {
    /// It could not be read.
    #[error(transparent)]
    Input(#[from] Problem),
    /// It was read, and holds no article.
    #[error(transparent)]
    Rejected(#[from] Rejection),
    /// A bug met while cleaning or tagging it (the panic message is printed above).
    #[error("internal error while cleaning or tagging it (reported above)")]
    Failed,
}

/// An input skipped or repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Nothing was indexed from it; `kept` documents indexed from it earlier stay.
    Skipped {
        origin: Origin,
        reason: Reason,
        kept: u64,
    },
    /// Indexed, after repairing it.
    Repaired { origin: Origin, repair: Repair },
}

impl Notice {
    /// An input that gave nothing, and held nothing in the index.
    pub fn skipped(origin: &Origin, reason: impl Into<Reason>) -> Notice {
        Notice::Skipped {
            origin: origin.clone(),
            reason: reason.into(),
            kept: 0,
        }
    }
}

impl From<ingest::Notice> for Notice {
    fn from(notice: ingest::Notice) -> Self {
        match notice {
            ingest::Notice::Skipped { origin, problem } => Notice::Skipped {
                origin,
                reason: Reason::Input(problem),
                kept: 0,
            },
            ingest::Notice::Repaired { origin, repair } => Notice::Repaired { origin, repair },
        }
    }
}
