//! The workers: each cleans, tags and signs the records of the batches it takes, in
//! parallel; the documents are then added to the index in the order the reader sent them, so
//! that which story a copy joins, and the story ids, never depend on which worker was faster.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};
use rustc_hash::FxHashSet;
use tantivy::TantivyDocument;

use super::notice::{Notice, Reason};
use crate::clean::{self, Article};
use crate::dedup::{self, Clusters, Signature};
use crate::entities::{Entities, Recognizer};
use crate::error::{Error, Result};
use crate::events::{self, Coded};
use crate::files::FileStamp;
use crate::index::{Store, StoreWriter};
use crate::ingest::RawRecord;
use crate::mapper::Tags;
use crate::text::date;

/// What indexing reads in a record: the article, the places and actors it names, the events
/// it reports.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub article: Article,
    pub entities: Entities,
    pub events: Coded,
}

/// The file a record comes from, as stored with its documents.
pub struct FileRef {
    /// Canonical path.
    pub key: String,
    /// The version its documents are stored as.
    pub stamp: FileStamp,
    pub origin: dedup::Origin,
    /// Indexed before (its documents are updates).
    pub changed: bool,
}

/// Records handed to a worker at once, numbered in the order the reader sent them.
pub type Batch = (u64, Vec<(RawRecord, Arc<FileRef>)>);

/// Cleans, tags and codes one record, and signs its story for the clusters of copies, from
/// the words the recognizer split.
pub fn prepare(
    record: &RawRecord,
    recognizer: &mut Recognizer,
) -> Result<(Extracted, Option<Signature>), Notice> {
    let article =
        clean::clean(record).map_err(|rejection| Notice::skipped(&record.origin, rejection))?;
    let (entities, (events, signature)) =
        recognizer.extract_with(&article.title, &article.body, |text, words, body_start| {
            let events = events::code(text, words, body_start, article.date);
            let from = body_start + article.story_start;
            let signature =
                Signature::of_words(words.iter().filter(|w| w.start >= from).map(|w| w.hash));
            (events, signature)
        });
    let extracted = Extracted {
        article,
        entities,
        events,
    };
    Ok((extracted, signature))
}

/// A document ready to be added but for its story.
struct Prepared {
    doc: TantivyDocument,
    signature: Option<Signature>,
    /// Publication day, days since the epoch.
    day: Option<i64>,
    /// Its story when it copies no known text.
    fresh: u64,
    file: Arc<FileRef>,
}

/// Batches prepared out of order, waiting for their turn.
#[derive(Default)]
struct Queue {
    /// The number of the next batch to add.
    next: u64,
    ready: BTreeMap<u64, Vec<Prepared>>,
    /// A worker is adding batches.
    adding: bool,
}

/// State shared by the reader and the workers.
pub struct Shared<'a> {
    pub store: &'a Store,
    pub writer: StoreWriter<'a>,
    /// Read when the first new document needs them: a run that finds nothing new never
    /// reads them.
    clusters: Mutex<Option<Clusters>>,
    /// The file versions the index holds: texts of other versions are dropped from the
    /// clusters.
    live: FxHashSet<dedup::Origin>,
    pub added: AtomicU64,
    pub updated: AtomicU64,
    queue: Mutex<Queue>,
    /// Batches added, and its signal.
    done: Mutex<u64>,
    progress: Condvar,
    failure: Mutex<Option<Error>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl<'a> Shared<'a> {
    pub fn new(store: &'a Store, writer: StoreWriter<'a>, live: FxHashSet<dedup::Origin>) -> Self {
        Shared {
            store,
            writer,
            clusters: Mutex::new(None),
            live,
            added: AtomicU64::new(0),
            updated: AtomicU64::new(0),
            queue: Mutex::new(Queue::default()),
            done: Mutex::new(0),
            progress: Condvar::new(),
            failure: Mutex::new(None),
        }
    }

    /// The writer, everything else let go (the clusters of copies before the run's merges).
    pub fn into_writer(self) -> StoreWriter<'a> {
        self.writer
    }

    /// Documents added so far.
    pub fn documents(&self) -> u64 {
        self.added.load(Ordering::Relaxed) + self.updated.load(Ordering::Relaxed)
    }

    pub fn fail(&self, error: Error) {
        lock(&self.failure).get_or_insert(error);
        self.progress.notify_all();
    }

    pub fn failed(&self) -> bool {
        lock(&self.failure).is_some()
    }

    pub fn take_failure(&self) -> Option<Error> {
        lock(&self.failure).take()
    }

    /// Waits (at most `patience`) until `batches` batches are added; whether they are.
    pub fn wait_added(&self, batches: u64, patience: Duration) -> bool {
        let done = lock(&self.done);
        let (done, _) = self
            .progress
            .wait_timeout_while(done, patience, |done| *done < batches && !self.failed())
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *done >= batches
    }

    /// Writes the clusters beside the index, after a commit.
    pub fn save_clusters(&self) -> Result<()> {
        let (path, scratch) = self.store.layout().copies();
        match lock(&self.clusters).as_mut() {
            Some(clusters) => clusters
                .save(&path, &scratch)
                .map_err(|source| Error::Io { path, source }),
            None => Ok(()),
        }
    }

    /// Hands over batch `number`, prepared; adds it, and every batch after it that is
    /// ready, once its turn comes. One worker at a time adds, in the order of the numbers.
    fn deliver(&self, number: u64, prepared: Vec<Prepared>) {
        let mut queue = lock(&self.queue);
        queue.ready.insert(number, prepared);
        if queue.adding {
            return;
        }
        queue.adding = true;
        loop {
            let next = queue.next;
            let Some(batch) = queue.ready.remove(&next) else {
                queue.adding = false;
                return;
            };
            queue.next += 1;
            drop(queue);
            self.add(batch);
            *lock(&self.done) += 1;
            self.progress.notify_all();
            queue = lock(&self.queue);
        }
    }

    /// Gives each document its story, in order, and adds it.
    fn add(&self, batch: Vec<Prepared>) {
        let mapper = self.store.mapper();
        let mut clusters = lock(&self.clusters);
        for mut prepared in batch {
            let story = match prepared.signature {
                Some(signature) => clusters
                    .get_or_insert_with(|| {
                        let (path, scratch) = self.store.layout().copies();
                        let mut clusters = Clusters::load(&path, |o| self.live.contains(o));
                        clusters.spill_to(&path, &scratch);
                        clusters
                    })
                    .assign(
                        signature,
                        prepared.day,
                        prepared.file.origin,
                        prepared.fresh,
                    ),
                None => prepared.fresh,
            };
            mapper.set_story(&mut prepared.doc, story);
            match self.writer.add(prepared.doc) {
                Ok(()) if prepared.file.changed => self.updated.fetch_add(1, Ordering::Relaxed),
                Ok(()) => self.added.fetch_add(1, Ordering::Relaxed),
                Err(e) => {
                    self.fail(e);
                    0
                }
            };
        }
    }
}

/// Workers at the start of a run of `threads` threads, and spare workers woken when the run
/// meets HTML pages. Cleaning and tagging a JSON record or a text page costs a fraction of
/// what tantivy's indexing threads spend on it, so half as many workers as threads keep them
/// busy, and more would only take cache and time slices from them; reading an HTML page
/// (parsing, Readability) costs several times what indexing it does, so there every thread
/// is a worker (measurements: BENCHMARKS.md).
pub fn workers_for(threads: usize) -> (usize, usize) {
    let threads = threads.max(1);
    let start = threads.div_ceil(2);
    (start, threads - start)
}

/// One record made ready: cleaned, tagged, signed, mapped to its document. A bug met by one
/// record costs that record, not the run (nor a reader left waiting for its batch).
fn ready(
    shared: &Shared<'_>,
    record: &RawRecord,
    file: &Arc<FileRef>,
    recognizer: &mut Recognizer,
) -> Result<Prepared, Notice> {
    let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let (
            Extracted {
                article,
                entities,
                events,
            },
            signature,
        ) = prepare(record, recognizer)?;
        let (locations, actors) = (entities.location_paths(), entities.actor_names());
        let (central_locations, central_actors) = entities.central();
        let (title_locations, title_actors) = entities.in_title();
        let kinds = events.types();
        let tags = Tags {
            locations: &locations,
            actors: &actors,
            file: Some((&file.key, &file.stamp)),
            events: &kinds,
            killed: events.killed,
            event_date: events.event_date,
            central_locations: &central_locations,
            central_actors: &central_actors,
            title_locations: &title_locations,
            title_actors: &title_actors,
        };
        Ok(Prepared {
            doc: shared.store.mapper().to_document(&article, &tags),
            signature,
            day: article.date.map(date::day_number),
            fresh: dedup::fresh_cluster(&article.source),
            file: Arc::clone(file),
        })
    }));
    made.unwrap_or_else(|_| {
        *recognizer = Recognizer::default();
        Err(Notice::skipped(&record.origin, Reason::Failed))
    })
}

/// A worker: makes ready the records of each batch it receives and hands them over. A spare
/// worker first waits to be woken (`wake`), and ends at once if the run ends first.
pub fn work(
    shared: &Shared<'_>,
    batches: Receiver<Batch>,
    notices: Sender<Notice>,
    wake: Option<Receiver<()>>,
) {
    if wake.is_some_and(|wake| wake.recv().is_err()) {
        return;
    }
    let mut recognizer = Recognizer::default();
    for (number, records) in batches {
        let mut prepared = Vec::with_capacity(records.len());
        for (record, file) in &records {
            match ready(shared, record, file, &mut recognizer) {
                Ok(made) => prepared.push(made),
                Err(notice) => {
                    let _ = notices.send(notice);
                }
            }
        }
        // A bug while adding stops the run with an error, not a reader waiting forever.
        let delivered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            shared.deliver(number, prepared);
        }));
        if delivered.is_err() {
            shared.fail(Error::Internal("adding documents to the index"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Content, Fields, Origin};

    /// A record of the story told in `body`, from line `line` of an export.
    fn record(line: usize, body: &str) -> RawRecord {
        RawRecord {
            origin: Origin::line(std::path::Path::new("export.jsonl"), line),
            content: Content::Fields(Fields {
                title: Some(format!("Dépêche {line}")),
                date: Some("2020-06-06".into()),
                body: Some(body.to_string()),
                ..Fields::default()
            }),
        }
    }

    #[test]
    fn batches_prepared_out_of_order_are_added_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_or_create(dir.path()).unwrap();
        let shared = Shared::new(&store, store.writer(1).unwrap(), FxHashSet::default());
        let file = Arc::new(FileRef {
            key: "/export.jsonl".into(),
            stamp: FileStamp {
                size: 1,
                modified: 1,
                hash: "h".into(),
            },
            origin: dedup::Origin::new("/export.jsonl", "v1"),
            changed: false,
        });
        let story = "Le chef d'Al-Qaïda au Maghreb islamique, Abdelmalek Droukdal, a été tué \
            jeudi dans le nord du Mali par les forces françaises, a annoncé la ministre des \
            Armées, Florence Parly, saluant un succès majeur dans la lutte contre le terrorisme.";
        let mut recognizer = Recognizer::default();
        let mut batch = |line: usize| {
            let made = ready(&shared, &record(line, story), &file, &mut recognizer);
            vec![made.unwrap_or_else(|_| panic!("line {line} is an article"))]
        };
        let (first, second, third) = (batch(1), batch(2), batch(3));
        // The third and the second are ready before the first: nothing is added until it is.
        shared.deliver(2, third);
        shared.deliver(1, second);
        assert!(!shared.wait_added(1, Duration::ZERO));
        assert_eq!(shared.documents(), 0);
        shared.deliver(0, first);
        assert!(shared.wait_added(3, Duration::ZERO));
        shared.writer.commit(None).unwrap();
        // Copies of one story: all of it is the story of line 1, the first sent.
        let searcher = store.reader().unwrap().searcher();
        let stories: Vec<(String, u64)> = searcher
            .search(
                &tantivy::query::AllQuery,
                &tantivy::collector::DocSetCollector,
            )
            .unwrap()
            .into_iter()
            .map(|address| {
                let doc: TantivyDocument = searcher.doc(address).unwrap();
                let stored = store.mapper().from_document(&doc);
                (stored.article.source, stored.story)
            })
            .collect();
        assert_eq!(stories.len(), 3);
        let first_story = dedup::fresh_cluster("export.jsonl:1");
        assert!(
            stories.iter().all(|(_, story)| *story == first_story),
            "{stories:?}"
        );
    }

    #[test]
    fn half_the_threads_work_from_the_start_and_the_rest_wait_for_html() {
        assert_eq!(workers_for(0), (1, 0));
        assert_eq!(workers_for(1), (1, 0));
        assert_eq!(workers_for(2), (1, 1));
        assert_eq!(workers_for(3), (2, 1));
        assert_eq!(workers_for(8), (4, 4));
    }
}
