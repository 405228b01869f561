//! The indexing pipeline: files → raw records → articles → documents → index.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use rustc_hash::FxHashSet;
use serde::Serialize;

use crate::clean::{self, Article, Rejection};
use crate::dedup::{self, Clusters, Signature};
use crate::entities::{Entities, Recognizer};
use crate::error::{Error, Result};
use crate::files::{self, FileStamp, FileTable};
use crate::index::{Store, StoreWriter};
use crate::ingest::{self, Event, Notice, Origin, RawRecord, WalkOptions};
use crate::mapper::{layout, Tags};

/// Hears about the pipeline's progress; the library itself prints nothing.
pub trait Progress {
    /// An input was skipped or repaired.
    fn notice(&mut self, _notice: &Notice) {}
    /// Documents and bytes done so far.
    fn advanced(&mut self, _documents: u64, _bytes: u64) {}
    /// A commit made `documents` documents durable and searchable.
    fn committed(&mut self, _documents: u64) {}
}

/// A [`Progress`] that ignores everything.
pub struct Silent;
impl Progress for Silent {}

/// Documents after which a run commits by default, besides once a minute. Each commit ends
/// tantivy's segments early and leaves it more merging: committing a 577,000-document export
/// every 100,000 documents cost 11% of its indexing time (78.7 s against 70.8 s); once a
/// minute bounds the work a kill loses as well.
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
    /// many ([`files::Partial`])...
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

fn rejection_notice(record: &RawRecord, rejection: Rejection) -> Notice {
    let reason = match rejection {
        Rejection::NoText => "no article text left once the page furniture is removed".to_string(),
    };
    Notice::Skipped {
        origin: record.origin.clone(),
        reason,
    }
}

/// Records handed to a worker at once: enough to make the hand-over cheap, few enough to keep
/// every worker busy.
const BATCH: usize = 32;

/// Cleans and tags one record, and signs its story for the clusters of copies, from the
/// words the recognizer split.
fn prepare(
    record: &RawRecord,
    recognizer: &mut Recognizer,
) -> Result<(Article, Entities, Option<Signature>), Notice> {
    let read = ingest::read_markup(record)?;
    let record = read.as_ref().unwrap_or(record);
    let article = clean::clean(record).map_err(|r| rejection_notice(record, r))?;
    let story_start = article.body.len() - story_text(record, &article).len();
    let (entities, signature) =
        recognizer.extract_with(&article.title, &article.body, |words, body_start| {
            let from = body_start + story_start;
            Signature::of_words(words.iter().filter(|w| w.start >= from).map(|w| w.hash))
        });
    Ok((article, entities, signature))
}

/// The file a record comes from, as stored with its documents.
struct FileRef {
    key: String,
    stamp: FileStamp,
    origin: dedup::Origin,
    /// Indexed before (its documents are updates).
    changed: bool,
}

type Batch = Vec<(RawRecord, Arc<FileRef>)>;

/// State shared by the reader and the workers.
struct Shared<'a> {
    store: &'a Store,
    writer: StoreWriter<'a>,
    /// Read when the first new document needs them: a run that finds nothing new never
    /// reads them.
    clusters: Mutex<Option<Clusters>>,
    /// The file versions the index holds: texts of other versions are dropped from the
    /// clusters.
    live: FxHashSet<dedup::Origin>,
    added: AtomicU64,
    updated: AtomicU64,
    /// Batches finished.
    done: AtomicU64,
    failure: Mutex<Option<Error>>,
}

impl Shared<'_> {
    fn documents(&self) -> u64 {
        self.added.load(Ordering::Relaxed) + self.updated.load(Ordering::Relaxed)
    }

    fn fail(&self, error: Error) {
        if let Ok(mut failure) = self.failure.lock() {
            failure.get_or_insert(error);
        }
    }

    /// The cluster of copies a new document joins.
    fn cluster(
        &self,
        signature: Signature,
        day: Option<i64>,
        origin: dedup::Origin,
        fresh: u64,
    ) -> u64 {
        let Ok(mut clusters) = self.clusters.lock() else {
            return fresh;
        };
        let clusters = clusters.get_or_insert_with(|| {
            Clusters::load(&self.store.layout().copies().0, |o| self.live.contains(o))
        });
        clusters.assign(signature, day, origin, fresh)
    }

    /// Writes the clusters beside the index, after a commit.
    fn save_clusters(&self) -> Result<()> {
        let (path, scratch) = self.store.layout().copies();
        match self.clusters.lock().as_deref_mut() {
            Ok(Some(clusters)) => clusters
                .save(&path, &scratch)
                .map_err(|source| Error::Io { path, source }),
            _ => Ok(()),
        }
    }

    fn failed(&self) -> bool {
        self.failure
            .lock()
            .map_or(true, |failure| failure.is_some())
    }
}

/// Workers at the start of a run of `threads` threads, and spare workers woken when the run
/// meets HTML pages. Cleaning and tagging a JSON record or a text page costs about a quarter
/// of what tantivy's indexing threads spend on it, so half as many workers as threads keep
/// them busy; more only take cache and time slices from them (on 2 cores, JSON Lines indexing
/// with 1 worker ran at a median 0.85 of bare tantivy's speed, with 2 at 0.79). Reading an
/// HTML page (parsing, Readability) costs several times what indexing it does: there every
/// thread is a worker (3,600 pages in 2.9 s instead of 4.1 s).
fn workers_for(threads: usize) -> (usize, usize) {
    let threads = threads.max(1);
    let start = threads.div_ceil(2);
    (start, threads - start)
}

/// A worker: cleans, tags, fingerprints and adds the records of each batch it receives. A
/// spare worker first waits to be woken (`wake`), and ends at once if the run ends first.
fn work(
    shared: &Shared<'_>,
    batches: Receiver<Batch>,
    notices: Sender<Notice>,
    wake: Option<Receiver<()>>,
) {
    if wake.is_some_and(|wake| wake.recv().is_err()) {
        return;
    }
    let mut recognizer = Recognizer::default();
    for batch in batches {
        for (record, file) in batch {
            // A bug met by one record costs that record, not the run (nor a reader left
            // waiting for a batch that never finishes).
            let prepared = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                prepare(&record, &mut recognizer)
            }))
            .unwrap_or_else(|_| {
                recognizer = Recognizer::default();
                Err(Notice::Skipped {
                    origin: record.origin.clone(),
                    reason: "internal error while cleaning or tagging it (reported above)"
                        .to_string(),
                })
            });
            let (article, entities, signature) = match prepared {
                Ok(prepared) => prepared,
                Err(notice) => {
                    let _ = notices.send(notice);
                    continue;
                }
            };
            let fresh = dedup::fresh_cluster(&article.source);
            let day = article.date.map(crate::text::date::day_number);
            let cluster = match signature {
                Some(signature) => shared.cluster(signature, day, file.origin, fresh),
                None => fresh,
            };
            let (locations, actors) = (entities.location_paths(), entities.actor_names());
            let tags = Tags {
                locations: &locations,
                actors: &actors,
                file: Some((&file.key, &file.stamp)),
            };
            let mapper = shared.store.mapper();
            let mut doc = mapper.to_document(&article, &tags);
            mapper.set_story(&mut doc, cluster);
            match shared.writer.add(doc) {
                Ok(()) if file.changed => shared.updated.fetch_add(1, Ordering::Relaxed),
                Ok(()) => shared.added.fetch_add(1, Ordering::Relaxed),
                Err(e) => {
                    shared.fail(e);
                    0
                }
            };
        }
        shared.done.fetch_add(1, Ordering::Release);
    }
}

/// The text whose copies are looked for: the body without the lead an export gives apart
/// (sites rewrite leads and keep the dispatch).
fn story_text<'a>(record: &RawRecord, article: &'a Article) -> &'a str {
    let lead = match &record.content {
        ingest::Content::Fields(fields) => fields.summary.as_deref().map(str::trim),
        ingest::Content::Page(_) | ingest::Content::Markup(_) => None,
    };
    match lead.and_then(|lead| article.body.strip_prefix(lead)) {
        Some(rest) if !rest.trim().is_empty() => rest,
        _ => &article.body,
    }
}

/// The reader's side of a run: walks the files, decides what to read again, hands records to
/// the workers and commits between files.
struct Reader<'a, 's> {
    shared: &'s Shared<'a>,
    options: &'s IndexOptions,
    table: FileTable,
    batches: Sender<Batch>,
    /// The spare workers, and how to wake them: at the first HTML page.
    spare: Option<(Sender<()>, usize)>,
    notices: Receiver<Notice>,
    progress: &'s mut dyn Progress,
    stats: IndexStats,
    /// Canonical paths walked this run.
    seen: FxHashSet<String>,
    /// Folders and files that could not be walked: what the index holds under them stays.
    unwalkable: Vec<PathBuf>,
    sent: u64,
    batch: Batch,
    since_commit: u64,
    /// Records of the file being read since the last commit.
    file_since_commit: u64,
    last_commit: Instant,
    /// The export the last commit holds in part, from an earlier run.
    resume: Option<files::Partial>,
    /// The cleaner's patterns and the entity tables are being built.
    warmed: bool,
}

impl Reader<'_, '_> {
    fn notice(&mut self, notice: &Notice) {
        match notice {
            Notice::Skipped { .. } => self.stats.skipped += 1,
            Notice::Repaired { .. } => self.stats.repaired += 1,
        }
        self.progress.notice(notice);
    }

    fn drain_notices(&mut self) {
        while let Ok(notice) = self.notices.try_recv() {
            self.notice(&notice);
        }
    }

    fn send(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        self.since_commit += batch.len() as u64;
        if self.spare.is_some()
            && batch
                .iter()
                .any(|(record, _)| matches!(record.content, ingest::Content::Markup(_)))
        {
            if let Some((wake, spare)) = self.spare.take() {
                for _ in 0..spare {
                    let _ = wake.send(());
                }
            }
        }
        if self.batches.send(batch).is_ok() {
            self.sent += 1;
        }
        self.drain_notices();
        self.progress
            .advanced(self.shared.documents(), self.stats.bytes);
    }

    /// Waits for the workers to add everything sent, then commits.
    fn commit(&mut self, last: bool, partial: Option<files::Partial>) -> Result<()> {
        // An export an earlier run committed in part, not read this run (not among the
        // paths, or not reached yet), stays recorded as such.
        let partial = partial.or_else(|| self.resume.clone());
        self.send();
        while self.shared.done.load(Ordering::Acquire) < self.sent && !self.shared.failed() {
            self.drain_notices();
            std::thread::sleep(Duration::from_millis(2));
        }
        self.drain_notices();
        if let Some(e) = self.take_failure() {
            return Err(e);
        }
        let payload = partial.as_ref().map(layout::payload);
        self.shared.writer.commit(payload.as_deref())?;
        self.shared.save_clusters()?;
        self.stats.commits += 1;
        self.since_commit = 0;
        self.file_since_commit = 0;
        self.last_commit = Instant::now();
        if !last {
            self.progress.committed(self.shared.documents());
        }
        Ok(())
    }

    fn take_failure(&self) -> Option<Error> {
        self.shared.failure.lock().ok().and_then(|mut f| f.take())
    }

    /// One file found by the walk.
    fn file(&mut self, path: &Path) -> Result<()> {
        let key = files::key(path);
        if !self.seen.insert(key.clone()) {
            return Ok(()); // reached twice (overlapping folders or links)
        }
        let known = self.table.get(&key).cloned();
        let keep = |reason: String| {
            let kept = known.as_ref().map_or(String::new(), |k| match k.documents {
                1 => "; the document indexed from it earlier is kept".to_string(),
                n => format!("; the {n} documents indexed from it earlier are kept"),
            });
            Notice::Skipped {
                origin: Origin::file(path),
                reason: format!("{reason}{kept}"),
            }
        };
        let stamp = match FileStamp::stat(path) {
            Ok(stamp) => stamp,
            Err(e) => {
                self.notice(&keep(e.to_string()));
                return Ok(());
            }
        };
        if let Err(reason) = ingest::check(path, stamp.size, &self.options.walk) {
            self.notice(&keep(reason));
            return Ok(());
        }
        // An export the last commit holds in part, in the same version: read on from there.
        let resume = self
            .resume
            .take_if(|p| p.path == key)
            .zip(known.as_ref())
            .filter(|(partial, known)| partial.stamp == known.stamp.encode());
        let same_metadata = known
            .as_ref()
            .is_some_and(|k| k.stamp.same_metadata(&stamp));
        if same_metadata && resume.is_none() {
            self.stats.unchanged_files += 1;
            return Ok(());
        }
        if !self.warmed {
            clean::warm_up();
            self.warmed = true;
        }
        let stamp = match (same_metadata, &known) {
            (true, Some(known)) => known.stamp.clone(),
            _ => match stamp.hashed(path) {
                Ok(stamp) => stamp,
                Err(e) => {
                    self.notice(&keep(e.to_string()));
                    return Ok(());
                }
            },
        };
        let (mut skip, mut resumed) = (0, false);
        if let Some(known) = &known {
            if known.stamp.hash != stamp.hash {
                self.shared.writer.delete_file(&key);
                self.stats.changed_files += 1;
            } else if let Some((partial, _)) = &resume {
                // The same content (perhaps touched since): the documents of its committed
                // lines stay, under the version they were read as.
                (skip, resumed) = (partial.lines, true);
                self.stats.resumed_files += 1;
            } else {
                // Touched, not changed.
                self.stats.unchanged_files += 1;
                return Ok(());
            }
        } else {
            self.stats.new_files += 1;
        }
        let stamp = match (&known, resumed) {
            (Some(known), true) => known.stamp.clone(),
            _ => stamp,
        };
        let file = Arc::new(FileRef {
            origin: dedup::Origin::new(&key, &stamp.encode()),
            key,
            stamp,
            changed: known.is_some() && !resumed,
        });
        self.file_since_commit = 0;
        let mut result = Ok(());
        ingest::read_from(path, &self.options.walk, skip, &mut |event| match event {
            Event::Record(record) => {
                let line = record.origin.line_number();
                self.batch.push((record, Arc::clone(&file)));
                self.file_since_commit += 1;
                if self.batch.len() < BATCH {
                    return;
                }
                self.send();
                // A long export is committed as it goes, with how far it got.
                if let (Some(lines), Ok(())) = (line, &result) {
                    if self.due(self.file_since_commit) {
                        let partial = files::Partial {
                            path: file.key.clone(),
                            stamp: file.stamp.encode(),
                            lines,
                        };
                        result = self.commit(false, Some(partial));
                    }
                }
            }
            Event::Notice(notice) => self.notice(&notice),
            Event::FileRead(bytes) => self.stats.bytes += bytes,
        });
        result?;
        if self.due(self.since_commit) {
            self.commit(false, None)?;
        }
        Ok(())
    }

    /// Whether a commit is due, with `pending` documents added since the last one.
    fn due(&self, pending: u64) -> bool {
        pending >= self.options.commit_documents
            || (pending > 0 && self.last_commit.elapsed() >= self.options.commit_interval)
    }

    /// Removes (or keeps) the documents of indexed files under `roots` that the walk did not
    /// find.
    fn missing(&mut self, roots: &[PathBuf]) {
        let mut gone = Vec::new();
        for root in roots {
            // A root that is not there (a typo, an unmounted disk) removes nothing.
            let Ok(root) = std::fs::canonicalize(root) else {
                continue;
            };
            for (path, indexed) in self.table.under(&root) {
                let blocked = self
                    .unwalkable
                    .iter()
                    .any(|u| Path::new(path).starts_with(u));
                if !self.seen.contains(path) && !blocked {
                    gone.push((path.to_string(), indexed.documents));
                }
            }
        }
        gone.sort();
        gone.dedup();
        for (path, documents) in gone {
            if self.options.keep_missing {
                self.stats.kept_files += 1;
                self.stats.kept += documents;
            } else {
                self.shared.writer.delete_file(&path);
                self.stats.removed_files += 1;
                self.stats.removed += documents;
                if self.resume.as_ref().is_some_and(|p| p.path == path) {
                    self.resume = None;
                }
            }
        }
    }
}

/// Indexes the articles under `paths` into `store`, incrementally: files indexed before and
/// unchanged since are not read again, changed files replace their documents, and the
/// documents of files gone from `paths` are removed (unless [`IndexOptions::keep_missing`]).
///
/// The reader walks the files in order and hands batches of records to worker threads that
/// clean, tag and add them; tantivy's own threads index them meanwhile. Commits happen
/// between files, or at a line of a long JSON Lines export, recorded in the commit: a run
/// killed at any point leaves the last commit, and the next run redoes the rest.
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
    let live = table
        .iter()
        .map(|(path, indexed)| dedup::Origin::new(path, &indexed.stamp.encode()))
        .collect();
    drop(searcher);
    let resume = layout::partial(store.payload()?.as_deref());
    let shared = Shared {
        store,
        writer,
        clusters: Mutex::new(None),
        live,
        added: AtomicU64::new(0),
        updated: AtomicU64::new(0),
        done: AtomicU64::new(0),
        failure: Mutex::new(None),
    };
    let mut walk = options.walk.clone();
    walk.exclude = Some(store.dir().to_path_buf());
    let (workers, spare) = workers_for(options.threads);
    let (batch_tx, batch_rx) = crossbeam_channel::bounded::<Batch>((workers + spare) * 2);
    let (notice_tx, notice_rx) = crossbeam_channel::unbounded::<Notice>();
    let (wake_tx, wake_rx) = crossbeam_channel::bounded::<()>(spare);
    let (mut stats, payload) =
        std::thread::scope(|scope| -> Result<(IndexStats, Option<String>)> {
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
                batch: Vec::with_capacity(BATCH),
                since_commit: 0,
                file_since_commit: 0,
                last_commit: Instant::now(),
                resume,
                warmed: false,
            };
            let mut result = Ok(());
            ingest::files(paths, &walk, &mut |found| {
                if result.is_err() || reader.shared.failed() {
                    return;
                }
                match found {
                    Ok(path) => result = reader.file(&path),
                    Err(notice) => {
                        if let Notice::Skipped { origin, .. } = &notice {
                            reader.unwalkable.push(
                                std::fs::canonicalize(&origin.path)
                                    .unwrap_or_else(|_| origin.path.clone()),
                            );
                        }
                        reader.notice(&notice);
                    }
                }
            });
            result?;
            reader.missing(paths);
            reader.commit(true, None)?;
            let payload = reader.resume.as_ref().map(layout::payload);
            Ok((reader.stats, payload))
        })?;
    stats.added = shared.added.load(Ordering::Relaxed);
    stats.updated = shared.updated.load(Ordering::Relaxed);
    shared.writer.finish(payload.as_deref())?;
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
        Event::Record(record) => out.push(
            prepare(&record, &mut recognizer).map(|(article, entities, _)| (article, entities)),
        ),
        Event::Notice(notice) => out.push(Err(notice)),
        Event::FileRead(_) => {}
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_the_threads_work_from_the_start_and_the_rest_wait_for_html() {
        assert_eq!(workers_for(0), (1, 0));
        assert_eq!(workers_for(1), (1, 0));
        assert_eq!(workers_for(2), (1, 1));
        assert_eq!(workers_for(3), (2, 1));
        assert_eq!(workers_for(8), (4, 4));
    }
}
