//! The indexing pipeline: files → raw records → articles → documents → index.

use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;

use crate::clean::{self, Article, Rejection};
use crate::entities::{Entities, Recognizer};
use crate::error::Result;
use crate::index::{Put, Store};
use crate::ingest::{self, Event, Notice, RawRecord, WalkOptions};

/// Hears about the pipeline's progress; the library itself prints nothing.
pub trait Progress {
    /// An input was skipped or repaired.
    fn notice(&mut self, _notice: &Notice) {}
    /// Documents and bytes done so far.
    fn advanced(&mut self, _documents: u64, _bytes: u64) {}
}

/// A [`Progress`] that ignores everything.
pub struct Silent;
impl Progress for Silent {}

/// How to index.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    pub walk: WalkOptions,
    pub threads: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            walk: WalkOptions::default(),
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
        }
    }
}

/// What an indexing run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexStats {
    /// New documents.
    pub added: u64,
    /// Documents that replaced one with the same id.
    pub replaced: u64,
    /// Files and records skipped.
    pub skipped: u64,
    /// Files and records repaired (re-encoded).
    pub repaired: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl IndexStats {
    /// Documents written.
    pub fn documents(&self) -> u64 {
        self.added + self.replaced
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

fn rejection_notice(record: &RawRecord, rejection: Rejection) -> Notice {
    let reason = match rejection {
        Rejection::NoText => "no article text left once the page furniture is removed".to_string(),
    };
    Notice::Skipped {
        origin: record.origin.clone(),
        reason,
    }
}

/// Records prepared together: large enough to keep every core busy, small enough to keep
/// memory flat.
const BATCH: usize = 256;

/// An article ready to be written, or why its record was dropped.
type Prepared = std::result::Result<(Article, Entities), Notice>;

/// Cleans and tags one record.
fn prepare(record: &RawRecord, recognizer: &mut Recognizer) -> Prepared {
    let article = clean::clean(record).map_err(|r| rejection_notice(record, r))?;
    let entities = recognizer.extract(&article.title, &article.body);
    Ok((article, entities))
}

/// Cleans and tags a batch of records on `threads` threads, keeping their order (so that of two
/// records with one id, the later one wins, as when run one by one).
fn prepare_batch(batch: &[RawRecord], threads: usize) -> Vec<Prepared> {
    if threads <= 1 || batch.len() < 2 {
        let mut recognizer = Recognizer::default();
        return batch.iter().map(|r| prepare(r, &mut recognizer)).collect();
    }
    let chunk = batch.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = batch
            .chunks(chunk)
            .map(|records| {
                scope.spawn(move || {
                    let mut recognizer = Recognizer::default();
                    records
                        .iter()
                        .map(|r| prepare(r, &mut recognizer))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Indexes every article under `paths` into `store`, replacing documents with the same id.
///
/// Records are read in order, cleaned and tagged in parallel batches, then written in order;
/// tantivy's own threads analyse and index them meanwhile.
pub fn index_paths(
    store: &Store,
    paths: &[PathBuf],
    options: &IndexOptions,
    progress: &mut dyn Progress,
) -> Result<IndexStats> {
    let started = Instant::now();
    let mut writer = store.writer(options.threads)?;
    let mut stats = IndexStats::default();
    let mut failure = None;
    let mut batch: Vec<RawRecord> = Vec::with_capacity(BATCH);
    let mut walk = options.walk.clone();
    walk.exclude = Some(store.dir().to_path_buf());
    let mut flush = |batch: &mut Vec<RawRecord>,
                     stats: &mut IndexStats,
                     failure: &mut Option<crate::error::Error>,
                     progress: &mut dyn Progress| {
        for prepared in prepare_batch(batch, options.threads) {
            match prepared {
                Ok((article, entities)) => {
                    match writer.put(
                        &article,
                        &entities.location_paths(),
                        &entities.actor_names(),
                    ) {
                        Ok(Put::Added) => stats.added += 1,
                        Ok(Put::Replaced) => stats.replaced += 1,
                        Err(e) => {
                            *failure = Some(e);
                            break;
                        }
                    }
                }
                Err(notice) => {
                    stats.skipped += 1;
                    progress.notice(&notice);
                }
            }
        }
        batch.clear();
        progress.advanced(stats.documents(), stats.bytes);
    };
    ingest::walk(paths, &walk, &mut |event| {
        if failure.is_some() {
            return;
        }
        match event {
            Event::Record(record) => {
                batch.push(record);
                if batch.len() == BATCH {
                    flush(&mut batch, &mut stats, &mut failure, progress);
                }
            }
            Event::Notice(notice) => {
                match notice {
                    Notice::Skipped { .. } => stats.skipped += 1,
                    Notice::Repaired { .. } => stats.repaired += 1,
                }
                progress.notice(&notice);
            }
            Event::FileRead(bytes) => stats.bytes += bytes,
        }
    });
    if failure.is_none() && !batch.is_empty() {
        flush(&mut batch, &mut stats, &mut failure, progress);
    }
    if let Some(e) = failure {
        return Err(e);
    }
    writer.finish()?;
    stats.seconds = started.elapsed().as_secs_f64();
    Ok(stats)
}

/// What the pipeline makes of each record under `path`, without indexing anything.
pub fn extract(
    path: &std::path::Path,
    walk: &WalkOptions,
) -> Vec<Result<(Article, Entities), Notice>> {
    let mut out = Vec::new();
    let mut recognizer = Recognizer::default();
    ingest::walk(&[path.to_path_buf()], walk, &mut |event| match event {
        Event::Record(record) => out.push(prepare(&record, &mut recognizer)),
        Event::Notice(notice) => out.push(Err(notice)),
        Event::FileRead(_) => {}
    });
    out
}
