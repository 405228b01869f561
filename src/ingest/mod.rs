//! Walks the sources and reads text pages, HTML pages and JSON exports into raw records:
//! bytes decoded to text, JSON objects to their fields. Reading what a page says (its title,
//! date and article) is the cleaner's business.
//!
//! Nothing here stops on bad input: an unreadable, binary, empty or oversized file, or a
//! malformed JSON line, becomes a [`Notice`] naming the file (and line) and what was wrong
//! ([`Problem`]), and the walk goes on.

mod decode;
mod json;
mod problem;

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

pub use json::fields_from_value;
pub use problem::{Problem, Repair, EXTENSIONS};

/// Where a record comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file.
    pub path: PathBuf,
    /// Inside the file: `:LINE` for JSONL, `[INDEX]` for a JSON array.
    pub locator: Option<String>,
}

impl Origin {
    pub fn file(path: &Path) -> Self {
        Origin {
            path: path.to_path_buf(),
            locator: None,
        }
    }

    pub fn line(path: &Path, line: usize) -> Self {
        Origin {
            path: path.to_path_buf(),
            locator: Some(format!(":{line}")),
        }
    }

    /// The line of a JSON Lines export this comes from.
    pub fn line_number(&self) -> Option<usize> {
        self.locator.as_deref()?.strip_prefix(':')?.parse().ok()
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}",
            self.path.display(),
            self.locator.as_deref().unwrap_or("")
        )
    }
}

/// Fields of a structured record (JSON): any may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    /// The export's own identifier.
    pub id: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Publication date as written.
    pub date: Option<String>,
    /// Article text (`text`, `article`, `body` or `content`).
    pub body: Option<String>,
    /// Summary or standfirst (`summary`, `heading`).
    pub summary: Option<String>,
    /// Page address.
    pub url: Option<String>,
    /// Publishing site or agency.
    pub site: Option<String>,
}

/// A record's content before cleaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Text copied from a web page, furniture and all.
    Page(String),
    /// A structured record.
    Fields(Fields),
    /// An HTML page, decoded but not yet read: reading it (parsing, finding the article) is
    /// the costly part, left to the cleaner on the pipeline's workers, not to the walk.
    Markup(String),
}

/// One article as read from a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRecord {
    /// Where it was read.
    pub origin: Origin,
    /// What was read.
    pub content: Content,
}

/// Something the reader did instead of, or on top of, producing records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Nothing was read from this file or line.
    Skipped { origin: Origin, problem: Problem },
    /// Read, after repairing it.
    Repaired { origin: Origin, repair: Repair },
}

/// What the walk reports, in order.
#[derive(Debug)]
pub enum Event {
    /// A record to clean and index.
    Record(RawRecord),
    /// A skipped or repaired input.
    Notice(Notice),
    /// A file was read through; its size in bytes.
    FileRead(u64),
}

/// Limits of the walk.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Files bigger than this (text and JSON documents) are skipped; JSONL is streamed.
    pub max_file_bytes: u64,
    /// A folder never to enter (the index itself).
    pub exclude: Option<PathBuf>,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            max_file_bytes: 64 << 20,
            exclude: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Page,
    Json,
    JsonLines,
    Html,
}

/// A file's format by its extension; a compressed file (`.gz`) by the extension under it
/// (`page.html.gz`).
fn format_of(path: &Path) -> Result<Format, Problem> {
    let extension = |path: &Path| {
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default()
    };
    let mut ext = extension(path);
    if ext == "gz" {
        ext = extension(Path::new(path.file_stem().unwrap_or_default()));
    }
    match ext.as_str() {
        "txt" | "md" | "text" => Ok(Format::Page),
        "json" => Ok(Format::Json),
        "jsonl" | "ndjson" => Ok(Format::JsonLines),
        "html" | "htm" | "xhtml" => Ok(Format::Html),
        "" => Err(Problem::NoExtension),
        other => Err(Problem::UnsupportedType(other.to_string())),
    }
}

/// Whether a file is gzip-compressed (by its name: `.gz`).
fn is_gzip(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// A file's bytes as a stream, decompressed when the file is (`.gz`).
fn open(path: &Path) -> std::io::Result<Box<dyn std::io::Read>> {
    let file = fs::File::open(path)?;
    Ok(if is_gzip(path) {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    })
}

/// A whole file's bytes, decompressed; a file that holds more than `limit` bytes once
/// decompressed is refused, however small it is on disk.
fn read_whole(path: &Path, limit: u64) -> Result<Vec<u8>, Problem> {
    use std::io::Read;
    let mut bytes = Vec::new();
    open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)
        // Once the file is open, what fails while reading a compressed one is its data.
        .map_err(|e| {
            if is_gzip(path) {
                Problem::BadGzip(e.to_string())
            } else {
                e.into()
            }
        })?;
    if bytes.len() as u64 > limit {
        return Err(Problem::TooLarge {
            size_mb: (bytes.len() as u64) >> 20,
            limit_mb: limit >> 20,
        });
    }
    Ok(bytes)
}

fn is_hidden(entry: &walkdir::DirEntry) -> bool {
    entry.depth() > 0
        && entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with('.'))
}

/// Walks `paths` recursively and reports every record, skipped input and file read.
pub fn walk(paths: &[PathBuf], options: &WalkOptions, on: &mut dyn FnMut(Event)) {
    files(paths, options, &mut |found| match found {
        Ok(path) => read(&path, options, on),
        Err(notice) => on(Event::Notice(notice)),
    });
}

/// Walks `paths` recursively (in name order, following symbolic links, without hidden files
/// or the index folder) and reports every file found, or why a folder or file could not be
/// walked.
pub fn files(
    paths: &[PathBuf],
    options: &WalkOptions,
    on: &mut dyn FnMut(Result<PathBuf, Notice>),
) {
    let exclude = options
        .exclude
        .as_ref()
        .and_then(|p| fs::canonicalize(p).ok());
    for root in paths {
        let walker = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let is_index = e.file_type().is_dir()
                    && exclude
                        .as_ref()
                        .is_some_and(|x| fs::canonicalize(e.path()).ok().as_ref() == Some(x));
                !is_hidden(e) && !is_index
            });
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() => on(Ok(entry.into_path())),
                Ok(_) => {}
                Err(err) => {
                    let path = err.path().unwrap_or(root).to_path_buf();
                    on(Err(Notice::Skipped {
                        origin: Origin::file(&path),
                        problem: walk_error(err),
                    }));
                }
            }
        }
    }
}

fn walk_error(err: walkdir::Error) -> Problem {
    if let Some(ancestor) = err.loop_ancestor() {
        return Problem::LinkLoop(ancestor.to_path_buf());
    }
    match err.into_io_error() {
        Some(io) => io.into(),
        None => Problem::Unreadable("cannot be walked".into()),
    }
}

/// Why the file at `path`, of `size` bytes, will not be read: an unsupported type, or too
/// large to read whole.
pub fn check(path: &Path, size: u64, options: &WalkOptions) -> Result<(), Problem> {
    let format = format_of(path)?;
    if format != Format::JsonLines && size > options.max_file_bytes {
        return Err(Problem::TooLarge {
            size_mb: size >> 20,
            limit_mb: options.max_file_bytes >> 20,
        });
    }
    Ok(())
}

/// Reads one file and reports its records, what was skipped or repaired, and its size.
pub fn read(path: &Path, options: &WalkOptions, on: &mut dyn FnMut(Event)) {
    read_from(path, options, 0, on)
}

/// [`read`], passing over the first `skip` lines of a JSON Lines export (an earlier run
/// committed them); `skip` means nothing for other files.
pub fn read_from(path: &Path, options: &WalkOptions, lines_done: usize, on: &mut dyn FnMut(Event)) {
    let skip = |on: &mut dyn FnMut(Event), problem: Problem| {
        on(Event::Notice(Notice::Skipped {
            origin: Origin::file(path),
            problem,
        }))
    };
    let size = match fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => return skip(on, e.into()),
    };
    if let Err(problem) = check(path, size, options) {
        return skip(on, problem);
    }
    let format = match format_of(path) {
        Ok(f) => f,
        Err(problem) => return skip(on, problem),
    };
    if format == Format::JsonLines {
        return json::read_lines(path, lines_done, on);
    }
    let bytes = match read_whole(path, options.max_file_bytes) {
        Ok(b) => b,
        Err(problem) => return skip(on, problem),
    };
    let decoded = match format {
        Format::Html => decode::decode_markup(&bytes, decode::declared_encoding(&bytes), true),
        _ => decode::decode(&bytes),
    };
    let text = match decoded {
        Ok(decoded) => {
            if let Some(repair) = decoded.repair {
                on(Event::Notice(Notice::Repaired {
                    origin: Origin::file(path),
                    repair,
                }));
            }
            decoded.text
        }
        Err(problem) => return skip(on, problem),
    };
    match format {
        Format::Page => on(Event::Record(RawRecord {
            origin: Origin::file(path),
            content: Content::Page(text),
        })),
        Format::Html => on(Event::Record(RawRecord {
            origin: Origin::file(path),
            content: Content::Markup(text),
        })),
        Format::Json => json::read_document(path, &text, on),
        Format::JsonLines => unreachable!("JSONL is streamed above"),
    }
    on(Event::FileRead(size));
}
