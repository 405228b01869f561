//! What can be wrong with an input, and how an input was repaired: each a sentence for the
//! analyst, naming what was wrong (the file or line is named beside it, in the notice).

use std::path::PathBuf;

/// The file types read, for messages.
pub const EXTENSIONS: &str =
    ".txt, .md, .html, .htm, .json, .jsonl or .ndjson, or one of those compressed (.gz)";

/// Why a file, a line of an export or a record of it was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The system refused to read it (permissions, a vanished file…): its own words.
    #[error("{0}")]
    Unreadable(String),
    #[error("no such file or directory")]
    NotFound,
    #[error("symbolic link loop back to {}", .0.display())]
    LinkLoop(PathBuf),
    #[error("no file extension (expected {EXTENSIONS})")]
    NoExtension,
    #[error("unsupported file type .{0} (expected {EXTENSIONS})")]
    UnsupportedType(String),
    #[error("too large ({size_mb} MB, the limit is {limit_mb} MB; raise it with --max-file-mb)")]
    TooLarge { size_mb: u64, limit_mb: u64 },
    #[error("empty file")]
    Empty,
    #[error("binary content (NUL bytes), not text")]
    NulBytes,
    #[error("binary content (control characters), not text")]
    ControlCharacters,
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    #[error("not a JSON object")]
    NotAnObject,
    #[error("no text: expected one of text, article, body, content or title")]
    NoText,
    #[error("line longer than {0} MB")]
    LineTooLong(usize),
    #[error("not a valid gzip file: {0}")]
    BadGzip(String),
    #[error("read error, rest of the file skipped: {0}")]
    ReadFailed(String),
}

impl From<std::io::Error> for Problem {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::NotFound => Problem::NotFound,
            _ => Problem::Unreadable(e.to_string()),
        }
    }
}

/// How text that was not valid UTF-8 was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Repair {
    /// Its byte-order mark named another encoding.
    #[error("decoded from {0}")]
    ByteOrderMark(&'static str),
    /// UTF-8 but for a few invalid byte sequences, replaced by `�` as browsers do.
    #[error("{0} invalid UTF-8 sequence(s) replaced")]
    StrayBytes(usize),
    #[error("not valid UTF-8: decoded as Windows-1252")]
    Windows1252,
    /// An HTML page that says UTF-8 and is not: the encoding its bytes look like.
    #[error("declared UTF-8 but is not: decoded as {0}")]
    NotAsDeclared(&'static str),
    /// An HTML page that declares another encoding but is valid UTF-8 (saved again as UTF-8).
    #[error("declared {0} but is UTF-8: read as UTF-8")]
    DeclaredButUtf8(&'static str),
    /// An HTML page that declares nothing and is not UTF-8.
    #[error("no character set declared and not UTF-8: decoded as {0}")]
    Guessed(&'static str),
}
