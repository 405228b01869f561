//! Opens and creates the index; adds, replaces and commits documents. Prints nothing.

use std::fs;
use std::path::{Path, PathBuf};

use std::sync::RwLock;

use tantivy::directory::{Directory, MmapDirectory, INDEX_WRITER_LOCK};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::analysis;
use crate::clean::Article;
use crate::error::{Error, Result};
use crate::schema::{DocMapper, Tags};

/// Version of the on-disk layout (schema and analyzers); bumped on any incompatible change.
pub const FORMAT: u32 = 2;

/// File beside tantivy's own that records which Vigie format wrote the index.
const MARKER: &str = "vigie.json";

/// File beside tantivy's own holding the clusters of copies ([`crate::dedup::Clusters`]).
const COPIES: &str = "vigie-copies.bin";

/// Indexing memory shared by the writer threads: larger segments mean fewer merges, which keeps
/// indexing time linear in the corpus size (×16 OrangeSum: 16.1× the time of ×1, against 17.5×
/// with 256 MB).
const WRITER_HEAP_BYTES: usize = 512 << 20;

/// An index on disk with Vigie's schema and analyzers.
pub struct Store {
    index: Index,
    mapper: DocMapper,
    dir: PathBuf,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn check_format(dir: &Path) -> Result<()> {
    let marker = dir.join(MARKER);
    let found = fs::read_to_string(&marker)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|v| v.get("format").and_then(|f| f.as_u64()));
    match found {
        Some(f) if f == u64::from(FORMAT) => Ok(()),
        other => Err(Error::IncompatibleIndex {
            path: dir.to_path_buf(),
            found: other.map_or("unknown".to_string(), |f| f.to_string()),
            expected: FORMAT,
        }),
    }
}

/// A file tantivy or Vigie writes in an index folder: the metadata, or a segment file
/// (`<32 hex digits>[.<opstamp>].<component>`).
fn is_index_file(name: &str) -> bool {
    if matches!(name, "meta.json" | ".managed.json" | MARKER | COPIES)
        || name == COPIES.replace(".bin", ".tmp")
    {
        return true;
    }
    let mut parts = name.split('.');
    let id_ok = parts
        .next()
        .is_some_and(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()));
    let component_ok = name.rsplit('.').next().is_some_and(|ext| {
        matches!(
            ext,
            "idx" | "pos" | "term" | "store" | "fast" | "fieldnorm" | "del"
        )
    });
    id_ok && component_ok
}

impl Store {
    /// Opens the index in `dir`; it must exist.
    pub fn open(dir: &Path) -> Result<Self> {
        if !dir.join("meta.json").is_file() {
            return Err(Error::NoIndex(dir.to_path_buf()));
        }
        check_format(dir)?;
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
            dir: dir.to_path_buf(),
        })
    }

    /// Opens the index in `dir`, creating it (and the folder) when there is none.
    pub fn open_or_create(dir: &Path) -> Result<Self> {
        if dir.join("meta.json").is_file() {
            return Self::open(dir);
        }
        fs::create_dir_all(dir).map_err(io(dir))?;
        let mapper = DocMapper::new();
        let index = Index::create_in_dir(dir, mapper.schema().clone())?;
        let marker = serde_json::json!({ "format": FORMAT, "writer": concat!("vigie ", env!("CARGO_PKG_VERSION")) });
        fs::write(dir.join(MARKER), marker.to_string()).map_err(io(dir))?;
        analysis::register(&index);
        Ok(Store {
            index,
            mapper,
            dir: dir.to_path_buf(),
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
            if is_index_file(&name) {
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

    /// Where the clusters of copies are kept.
    pub fn copies_path(&self) -> PathBuf {
        self.dir.join(COPIES)
    }

    /// The index's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
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

    /// Size of the index folder in bytes.
    pub fn size_bytes(&self) -> u64 {
        walkdir::WalkDir::new(&self.dir)
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
                tantivy::TantivyError::LockFailure(..) => Error::Busy(self.dir.clone()),
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
    /// Adds `article` with its tags.
    pub fn add(&self, article: &Article, tags: &Tags<'_>) -> Result<()> {
        let doc = self.mapper.to_document(article, tags);
        self.lock_shared().add_document(doc)?;
        Ok(())
    }

    /// Deletes every document read from the file at canonical `path` (documents added after
    /// this call are kept).
    pub fn delete_file(&self, path: &str) {
        let term = Term::from_field_text(self.mapper.fields().path, path);
        self.lock_shared().delete_term(term);
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
