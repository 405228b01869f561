//! Opens and creates the index; adds, replaces and commits documents. Prints nothing.

use std::fs;
use std::path::{Path, PathBuf};

use tantivy::query::{Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::analysis;
use crate::clean::Article;
use crate::error::{Error, Result};
use crate::schema::DocMapper;

/// Version of the on-disk layout (schema and analyzers); bumped on any incompatible change.
pub const FORMAT: u32 = 1;

/// File beside tantivy's own that records which Vigie format wrote the index.
const MARKER: &str = "vigie.json";

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

    /// The tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The article ⇄ document mapping.
    pub fn mapper(&self) -> &DocMapper {
        &self.mapper
    }

    /// The index's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
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
        let before = self.reader()?.searcher();
        Ok(StoreWriter {
            writer,
            mapper: &self.mapper,
            before,
        })
    }
}

/// Whether a put added a new document or replaced one with the same id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Put {
    Added,
    Replaced,
}

/// Adds documents to the index; nothing is visible before [`StoreWriter::commit`].
pub struct StoreWriter<'a> {
    writer: IndexWriter<TantivyDocument>,
    mapper: &'a DocMapper,
    before: Searcher,
}

impl StoreWriter<'_> {
    /// Adds `article`, replacing any document with the same id.
    pub fn put(
        &mut self,
        article: &Article,
        locations: &[String],
        actors: &[String],
    ) -> Result<Put> {
        let id_term = Term::from_field_text(self.mapper.fields().id, &article.id);
        let existed =
            TermQuery::new(id_term.clone(), IndexRecordOption::Basic).count(&self.before)? > 0;
        self.writer.delete_term(id_term);
        self.writer
            .add_document(self.mapper.to_document(article, locations, actors))?;
        Ok(if existed { Put::Replaced } else { Put::Added })
    }

    /// Makes everything put so far durable and visible to searches.
    pub fn commit(&mut self) -> Result<()> {
        self.writer.commit()?;
        Ok(())
    }

    /// Commits and waits for background merges.
    pub fn finish(mut self) -> Result<()> {
        self.writer.commit()?;
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}
