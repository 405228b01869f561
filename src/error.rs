//! The library's one error type: user errors say what to do next; the rest name the path.

use std::path::PathBuf;

/// Everything that can go wrong in Vigie.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No index where one was expected.
    #[error("no index at {}: build one with `vigie index --index {} FOLDER...`", .0.display(), .0.display())]
    NoIndex(PathBuf),
    /// The index was written by a version of Vigie with another on-disk format.
    #[error(
        "the index at {} was built by an incompatible version of vigie (format {found}, this version reads format {expected}): rebuild it with `vigie index --rebuild --index {} FOLDER...`",
        path.display(),
        path.display()
    )]
    IncompatibleIndex {
        path: PathBuf,
        found: String,
        expected: u32,
    },
    /// Another process is writing to the index.
    #[error("the index at {} is busy: another `vigie index` is writing to it; wait for it to finish", .0.display())]
    Busy(PathBuf),
    /// A query that cannot mean anything.
    #[error("{0}")]
    Query(String),
    /// A command-line value that cannot be used.
    #[error("invalid {what} `{value}`: {hint}")]
    Invalid {
        what: &'static str,
        value: String,
        hint: String,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The search library failed.
    #[error("index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// A bug stopped the work (its message is printed above); what was committed stays.
    #[error("internal error while {0} (reported above); the last commit is intact")]
    Internal(&'static str),
}

/// Vigie's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
