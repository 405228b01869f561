//! Opens and creates the index; adds, replaces and commits documents. Prints nothing.

use std::fs;
use std::path::Path;

use std::sync::RwLock;

use tantivy::directory::{Directory, MmapDirectory, INDEX_WRITER_LOCK};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

use crate::analysis;
use crate::error::{Error, Result};
use crate::mapper::layout::{Layout, FORMAT};
use crate::mapper::DocMapper;

/// Indexing memory shared by the writer threads: larger segments mean fewer merges, which keeps
/// indexing time linear in the corpus size (BENCHMARKS.md, design choices).
const WRITER_HEAP_BYTES: usize = 512 << 20;

/// Documents a merge may make a segment of at most. A merge reads every byte of the segments
/// it merges (about 3 KB a document), and those pages stay in the process's memory until the
/// merge ends: unbounded, tantivy merged the 2.3 million documents of the corpus ×64 into
/// segments of 0.9 and 1.1 million, and its last merge kept 2.9 GB of files in memory
/// (BENCHMARKS.md). Segments of up to this size keep a merge under about 0.6 GB, and a
/// search runs segments in parallel, so more of them cost a large index little.
///
/// Merges wait for the end of a run ([`StoreWriter::finish`]) and run one at a time: a merge
/// running while the writer threads' memory is full added its 0.6 GB of segment files to
/// their 0.8 GB (the corpus ×64 peaked at 1.3 to 1.65 GB), and so did two merges at once.
/// This is the bulk loader's usual order (Lucene's and Elasticsearch's advice: no merges while
/// loading, merge after); searches during a long run see more segments until it ends.
const MERGED_DOCS: u32 = 200_000;

/// tantivy's log merge policy (segments of similar sizes merged together, eight at a time at
/// least), with no merge making a segment of more than [`MERGED_DOCS`] documents.
#[derive(Debug)]
struct BoundedMerges {
    log: tantivy::indexer::LogMergePolicy,
}

impl BoundedMerges {
    fn new() -> BoundedMerges {
        let mut log = tantivy::indexer::LogMergePolicy::default();
        // A segment above half the bound could only be merged with smaller ones.
        log.set_max_docs_before_merge(MERGED_DOCS as usize / 2);
        BoundedMerges { log }
    }
}

impl tantivy::indexer::MergePolicy for BoundedMerges {
    fn compute_merge_candidates(
        &self,
        segments: &[tantivy::index::SegmentMeta],
    ) -> Vec<tantivy::indexer::MergeCandidate> {
        let docs: std::collections::HashMap<_, _> =
            segments.iter().map(|s| (s.id(), s.num_docs())).collect();
        self.log
            .compute_merge_candidates(segments)
            .into_iter()
            .flat_map(|candidate| {
                let sized = candidate
                    .0
                    .into_iter()
                    .map(|id| (id, docs.get(&id).copied().unwrap_or(0)))
                    .collect();
                bounded(sized, MERGED_DOCS)
            })
            .map(tantivy::indexer::MergeCandidate)
            .collect()
    }
}

/// A merge of `segments` (each with its documents) cut into merges of at most `bound`
/// documents, each of two segments at least, the smallest segments together first; a
/// segment that fits with no other is left out.
fn bounded<T>(mut segments: Vec<(T, u32)>, bound: u32) -> Vec<Vec<T>> {
    segments.sort_by_key(|&(_, docs)| docs);
    let (mut merges, mut merge, mut sum) = (Vec::new(), Vec::new(), 0u64);
    for (segment, docs) in segments {
        if sum + u64::from(docs) > u64::from(bound) {
            if merge.len() >= 2 {
                merges.push(std::mem::take(&mut merge));
            }
            merge.clear();
            sum = 0;
        }
        merge.push(segment);
        sum += u64::from(docs);
    }
    if merge.len() >= 2 && sum <= u64::from(bound) {
        merges.push(merge);
    }
    merges
}

/// An index on disk with Vigie's schema and analyzers.
pub struct Store {
    index: Index,
    mapper: DocMapper,
    layout: Layout,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn check_format(layout: &Layout) -> Result<()> {
    let found = fs::read_to_string(layout.marker())
        .ok()
        .and_then(|text| Layout::marker_format(&text));
    match found {
        Some(f) if f == u64::from(FORMAT) => Ok(()),
        other => Err(Error::IncompatibleIndex {
            path: layout.dir().to_path_buf(),
            found: other.map_or("unknown".to_string(), |f| f.to_string()),
            expected: FORMAT,
        }),
    }
}

impl Store {
    /// Opens the index in `dir`; it must exist.
    pub fn open(dir: &Path) -> Result<Self> {
        let layout = Layout::new(dir);
        if !layout.exists() {
            return Err(Error::NoIndex(dir.to_path_buf()));
        }
        check_format(&layout)?;
        let index = Index::open_in_dir(dir)?;
        let mapper =
            DocMapper::from_schema(index.schema()).map_err(|_| Error::IncompatibleIndex {
                path: dir.to_path_buf(),
                found: "unknown schema".into(),
                expected: FORMAT,
            })?;
        analysis::register(&index);
        Ok(Store {
            index,
            mapper,
            layout,
        })
    }

    /// Opens the index in `dir`, creating it (and the folder) when there is none.
    pub fn open_or_create(dir: &Path) -> Result<Self> {
        let layout = Layout::new(dir);
        if layout.exists() {
            return Self::open(dir);
        }
        fs::create_dir_all(dir).map_err(io(dir))?;
        let mapper = DocMapper::new();
        let index = Index::create_in_dir(dir, mapper.schema().clone())?;
        fs::write(layout.marker(), Layout::marker_text()).map_err(io(dir))?;
        analysis::register(&index);
        Ok(Store {
            index,
            mapper,
            layout,
        })
    }

    /// Deletes the index in `dir` (its files only: the folder and anything else in it stay),
    /// unless another process is writing to it.
    pub fn delete(dir: &Path) -> Result<()> {
        if !dir.is_dir() {
            return Ok(());
        }
        let directory = MmapDirectory::open(dir).map_err(|e| Error::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let _lock = directory
            .acquire_lock(&INDEX_WRITER_LOCK)
            .map_err(|_| Error::Busy(dir.to_path_buf()))?;
        for entry in fs::read_dir(dir).map_err(io(dir))? {
            let entry = entry.map_err(io(dir))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if Layout::is_index_file(&name) {
                fs::remove_file(entry.path()).map_err(io(&entry.path()))?;
            }
        }
        Ok(())
    }

    /// The tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The article ⇄ document mapping.
    pub fn mapper(&self) -> &DocMapper {
        &self.mapper
    }

    /// The files of the index folder.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The index's folder.
    pub fn dir(&self) -> &Path {
        self.layout.dir()
    }

    /// The payload of the last commit ([`StoreWriter::commit`]), if it has one.
    pub fn payload(&self) -> Result<Option<String>> {
        Ok(self.index.load_metas()?.payload)
    }

    /// A reader on the last commit.
    pub fn reader(&self) -> Result<IndexReader> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?)
    }

    /// A reader that follows the commits: a new one is seen within about half a second
    /// (tantivy watches the index's metadata), while another process indexes.
    pub fn live_reader(&self) -> Result<IndexReader> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?)
    }

    /// Size of the index folder in bytes.
    pub fn size_bytes(&self) -> u64 {
        walkdir::WalkDir::new(self.dir())
            .into_iter()
            .filter_map(|e| e.ok())
            .filter_map(|e| e.metadata().ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum()
    }

    /// A writer; fails with [`Error::Busy`] while another process writes.
    pub fn writer(&self, threads: usize) -> Result<StoreWriter<'_>> {
        let threads = threads.clamp(1, 8);
        let options = tantivy::indexer::IndexWriterOptions::builder()
            .num_worker_threads(threads)
            .memory_budget_per_thread(WRITER_HEAP_BYTES.max(threads * (16 << 20)) / threads)
            .num_merge_threads(1)
            .build();
        let writer: IndexWriter<TantivyDocument> = self
            .index
            .writer_with_options(options)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => Error::Busy(self.dir().to_path_buf()),
                other => Error::Index(other),
            })?;
        // Merges wait for the run's end (`MERGED_DOCS`).
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        Ok(StoreWriter {
            writer: RwLock::new(writer),
            mapper: &self.mapper,
        })
    }
}

/// Adds documents to the index from any number of threads; nothing is visible before
/// [`StoreWriter::commit`].
pub struct StoreWriter<'a> {
    writer: RwLock<IndexWriter<TantivyDocument>>,
    mapper: &'a DocMapper,
}

impl StoreWriter<'_> {
    /// Adds a document (made by the [`DocMapper`]).
    pub fn add(&self, doc: TantivyDocument) -> Result<()> {
        self.lock_shared().add_document(doc)?;
        Ok(())
    }

    /// Deletes every document read from the file at canonical `path` (documents added after
    /// this call are kept).
    pub fn delete_file(&self, path: &str) {
        self.lock_shared().delete_term(self.mapper.file_term(path));
    }

    fn lock_shared(&self) -> std::sync::RwLockReadGuard<'_, IndexWriter<TantivyDocument>> {
        self.writer
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Makes everything added so far durable and visible to searches, with `payload` (what
    /// the indexer needs to know of this commit: see [`Store::payload`]). Waits for the
    /// threads adding documents to let go of the writer.
    pub fn commit(&self, payload: Option<&str>) -> Result<()> {
        let mut writer = self
            .writer
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        commit_with(&mut writer, payload)
    }

    /// Commits (with `payload`), then merges what the run wrote (one merge at a time, each
    /// of [`MERGED_DOCS`] documents at most) and waits for the merges.
    pub fn finish(self, payload: Option<&str>) -> Result<()> {
        let mut writer = self
            .writer
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        writer.set_merge_policy(Box::new(BoundedMerges::new()));
        commit_with(&mut writer, payload)?;
        writer.wait_merging_threads()?;
        Ok(())
    }
}

/// Commits what `writer` holds, recording `payload` with the commit.
fn commit_with(writer: &mut IndexWriter<TantivyDocument>, payload: Option<&str>) -> Result<()> {
    let mut commit = writer.prepare_commit()?;
    if let Some(payload) = payload {
        commit.set_payload(payload);
    }
    commit.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_are_cut_to_the_bound_smallest_segments_together() {
        // Sixteen segments of one level, as the corpus ×64 left them (tantivy merged them
        // into one): five merges of three, the last segment left for a later merge.
        let level: Vec<(usize, u32)> = (0..16).rev().map(|i| (i, 50_000 + i as u32)).collect();
        let merges = bounded(level, 200_000);
        assert_eq!(merges.len(), 5);
        assert!(merges.iter().all(|m| m.len() == 3));
        assert_eq!(merges[0], vec![0, 1, 2]);
        // Eight small segments fit in one merge; a segment alone is left out.
        let small: Vec<(char, u32)> = "abcdefgh".chars().map(|c| (c, 10_000)).collect();
        assert_eq!(
            bounded(small, 200_000),
            vec!["abcdefgh".chars().collect::<Vec<_>>()]
        );
        assert!(bounded(vec![('a', 150_000), ('b', 90_000)], 200_000).is_empty());
    }

    #[test]
    fn a_run_merges_its_segments_when_it_finishes_not_before() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_or_create(dir.path()).unwrap();
        let segments = |store: &Store| store.reader().unwrap().searcher().segment_readers().len();
        let writer = store.writer(1).unwrap();
        // Nine commits of a document each: nine segments, enough for a merge of one level.
        for _ in 0..9 {
            writer.add(TantivyDocument::default()).unwrap();
            writer.commit(None).unwrap();
        }
        assert_eq!(segments(&store), 9);
        writer.finish(None).unwrap();
        assert_eq!(segments(&store), 1);
        assert_eq!(store.reader().unwrap().searcher().num_docs(), 9);
    }
}
