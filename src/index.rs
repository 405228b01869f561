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
        let writer: IndexWriter<TantivyDocument> = self
            .index
            .writer_with_num_threads(threads, WRITER_HEAP_BYTES.max(threads * (16 << 20)))
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => Error::Busy(self.dir().to_path_buf()),
                other => Error::Index(other),
            })?;
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

    /// Commits (with `payload`) and waits for background merges.
    pub fn finish(self, payload: Option<&str>) -> Result<()> {
        let mut writer = self
            .writer
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
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
