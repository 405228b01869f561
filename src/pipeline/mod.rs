//! The indexing pipeline: files → raw records → articles → documents → index.
//!
//! The reader ([`reader`]) walks the files in name order and decides for each, from what the
//! index holds, what to do ([`plan`]: a pure function); it hands the records to read to the
//! workers in numbered batches. The workers ([`workers`]) clean, tag and sign them in
//! parallel and add the documents in the batches' order, so a run gives the same documents
//! and stories whatever the number of threads. Commits happen between files, or at a line of
//! a long JSON Lines export, recorded in the commit: a run killed at any point leaves the
//! last commit, and the next run redoes the rest.

mod notice;
pub mod plan;
mod reader;
mod workers;

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use rustc_hash::FxHashSet;
use serde::Serialize;

use crate::clean;
use crate::dedup;
use crate::entities::Recognizer;
use crate::error::Result;
use crate::index::Store;
use crate::ingest::{self, Event, WalkOptions};
use crate::mapper::layout;
pub use notice::{Notice, Reason};
use reader::Reader;
pub use workers::Extracted;
use workers::{work, workers_for, Shared};

/// Hears about the pipeline's progress; the library itself prints nothing.
pub trait Progress {
    /// An input was skipped or repaired.
    fn notice(&mut self, _notice: &Notice) {}
    /// Documents and bytes done so far.
    fn advanced(&mut self, _documents: u64, _bytes: u64) {}
    /// A commit made `documents` documents durable and searchable.
    fn committed(&mut self, _documents: u64) {}
    /// Everything is committed; the run's segments are being merged
    /// ([`crate::index::StoreWriter::finish`]: about 20 s at the end of the corpus ×64).
    fn merging(&mut self) {}
}

/// A [`Progress`] that ignores everything.
pub struct Silent;
impl Progress for Silent {}

/// Documents after which a run commits by default, besides once a minute. Each commit ends
/// tantivy's segments early and leaves it more merging, which costs indexing time on a long
/// export (BENCHMARKS.md, design choices); once a minute bounds the work a kill loses.
pub const COMMIT_DOCUMENTS: u64 = 1_000_000;

/// How to index.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    pub walk: WalkOptions,
    pub threads: usize,
    /// Keep the documents of indexed files that are gone from the folders walked.
    pub keep_missing: bool,
    /// Commit (make durable and searchable) after a file once this many documents were added
    /// since the last commit, or in the middle of a JSON Lines export that alone added this
    /// many ([`crate::files::Partial`])...
    pub commit_documents: u64,
    /// ...or this much time has passed.
    pub commit_interval: Duration,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            walk: WalkOptions::default(),
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            keep_missing: false,
            commit_documents: COMMIT_DOCUMENTS,
            commit_interval: Duration::from_secs(60),
        }
    }
}

/// What an indexing run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexStats {
    /// Files read for the first time, and their documents.
    pub new_files: u64,
    pub added: u64,
    /// Files changed since they were indexed, and the documents read from them again.
    pub changed_files: u64,
    pub updated: u64,
    /// Files gone from the folders, and the documents removed with them.
    pub removed_files: u64,
    pub removed: u64,
    /// Files gone but kept (`--keep-missing`), and their documents.
    pub kept_files: u64,
    pub kept: u64,
    /// Files indexed already and not changed since.
    pub unchanged_files: u64,
    /// JSON Lines exports a killed run had committed in part, taken up where it stopped.
    pub resumed_files: u64,
    /// Files and records skipped.
    pub skipped: u64,
    /// Files and records repaired (re-encoded).
    pub repaired: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Commits made.
    pub commits: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl IndexStats {
    /// Documents written.
    pub fn documents(&self) -> u64 {
        self.added + self.updated
    }

    /// Megabytes read per second.
    pub fn mb_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.bytes as f64 / 1e6 / self.seconds
        } else {
            0.0
        }
    }
}

/// Builds the cleaner's patterns (page furniture on one thread, dates on another) and the
/// place and actor tables (on a third) before the first article needs them: a run would
/// otherwise start on one core while its workers wait for them. Returns at once.
fn warm_up() {
    std::thread::spawn(clean::page::warm_up);
    std::thread::spawn(clean::date::warm_up);
    std::thread::spawn(|| {
        crate::entities::Gazetteer::get();
        crate::entities::Actors::get();
    });
}

/// Indexes the articles under `paths` into `store`, incrementally: files indexed before and
/// unchanged since are not read again, changed files replace their documents, and the
/// documents of files gone from `paths` are removed (unless [`IndexOptions::keep_missing`]).
pub fn index_paths(
    store: &Store,
    paths: &[PathBuf],
    options: &IndexOptions,
    progress: &mut dyn Progress,
) -> Result<IndexStats> {
    let started = Instant::now();
    let writer = store.writer(options.threads)?;
    let searcher = store.reader()?.searcher();
    let table = store.mapper().file_table(&searcher)?;
    let live: FxHashSet<dedup::Origin> = table
        .iter()
        .map(|(path, indexed)| dedup::Origin::new(path, &indexed.stamp.encode()))
        .collect();
    drop(searcher);
    let resume = layout::partial(store.payload()?.as_deref());
    let shared = Shared::new(store, writer, live);
    let mut walk = options.walk.clone();
    walk.exclude = Some(store.dir().to_path_buf());
    let (workers, spare) = workers_for(options.threads);
    let (batch_tx, batch_rx) = crossbeam_channel::bounded((workers + spare) * 2);
    let (notice_tx, notice_rx) = crossbeam_channel::unbounded();
    let (wake_tx, wake_rx) = crossbeam_channel::bounded::<()>(spare);
    let (mut stats, payload) = std::thread::scope(|scope| {
        for worker in 0..workers + spare {
            let (batches, notices, shared) = (batch_rx.clone(), notice_tx.clone(), &shared);
            let wake = (worker >= workers).then(|| wake_rx.clone());
            scope.spawn(move || work(shared, batches, notices, wake));
        }
        drop((batch_rx, notice_tx, wake_rx));
        let mut reader = Reader {
            shared: &shared,
            options,
            table,
            batches: batch_tx,
            spare: (spare > 0).then_some((wake_tx, spare)),
            notices: notice_rx,
            progress,
            stats: IndexStats::default(),
            seen: FxHashSet::default(),
            unwalkable: Vec::new(),
            sent: 0,
            batch: Vec::new(),
            since_commit: 0,
            file_since_commit: 0,
            last_commit: Instant::now(),
            resume,
            warmed: false,
        };
        walk_files(&mut reader, paths, &walk)?;
        reader.missing(paths);
        reader.commit(true, None)?;
        let payload = reader.resume.as_ref().map(layout::payload);
        Ok::<_, crate::error::Error>((reader.stats, payload))
    })?;
    stats.added = shared.added.load(Ordering::Relaxed);
    stats.updated = shared.updated.load(Ordering::Relaxed);
    progress.merging();
    shared.into_writer().finish(payload.as_deref())?;
    stats.seconds = started.elapsed().as_secs_f64();
    Ok(stats)
}

/// Walks `paths`, handing each file found to the reader; what cannot be walked is said, and
/// what the index holds under it stays.
fn walk_files(reader: &mut Reader<'_, '_>, paths: &[PathBuf], walk: &WalkOptions) -> Result<()> {
    let mut result = Ok(());
    ingest::files(paths, walk, &mut |found| {
        if result.is_err() || reader.shared.failed() {
            return;
        }
        match found {
            Ok(path) => result = reader.file(&path),
            Err(notice) => {
                if let ingest::Notice::Skipped { origin, .. } = &notice {
                    let path = std::fs::canonicalize(&origin.path).unwrap_or(origin.path.clone());
                    reader.unwalkable.push(path);
                }
                reader.notice(notice.into());
            }
        }
    });
    result
}

/// What the pipeline makes of each record under `path`, without indexing anything.
pub fn extract(path: &Path, walk: &WalkOptions) -> Vec<std::result::Result<Extracted, Notice>> {
    let mut out = Vec::new();
    extract_each(&[path.to_path_buf()], walk, &mut |record| out.push(record));
    out
}

/// [`extract`] over several files and folders, each record handed on as soon as it is made
/// (a folder of a thousand pages is never held whole).
pub fn extract_each(
    paths: &[PathBuf],
    walk: &WalkOptions,
    on: &mut dyn FnMut(std::result::Result<Extracted, Notice>),
) {
    let mut recognizer = Recognizer::default();
    ingest::walk(paths, walk, &mut |event| match event {
        Event::Record(record) => {
            on(workers::prepare(&record, &mut recognizer).map(|(extracted, _)| extracted))
        }
        Event::Notice(notice) => on(Err(notice.into())),
        Event::FileRead(_) => {}
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a run tells its progress, in order.
    #[derive(Default)]
    struct Heard(Vec<&'static str>);

    impl Progress for Heard {
        fn committed(&mut self, _: u64) {
            self.0.push("committed");
        }
        fn merging(&mut self) {
            self.0.push("merging");
        }
    }

    #[test]
    fn a_run_says_it_merges_once_after_everything_else() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_or_create(dir.path()).unwrap();
        let export =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sahel/articles.jsonl");
        // A commit every document of an export: the commits are heard before the merging.
        let options = IndexOptions {
            commit_documents: 1,
            ..IndexOptions::default()
        };
        let mut heard = Heard::default();
        index_paths(&store, &[export], &options, &mut heard).unwrap();
        assert!(heard.0.contains(&"committed"), "{:?}", heard.0);
        assert_eq!(heard.0.last(), Some(&"merging"));
        assert_eq!(heard.0.iter().filter(|&&h| h == "merging").count(), 1);
    }
}
