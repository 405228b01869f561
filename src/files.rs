//! Which files the index holds documents from, and in which version: what makes re-indexing
//! incremental.
//!
//! Every document carries the canonical path of its file and the file's stamp (size,
//! modification time, content hash) as fast fields. The table of indexed files is read back
//! from the last commit, so it can never disagree with the documents: a run killed before its
//! commit leaves the previous table, and the next run redoes the files it had not committed.
//! A JSON Lines export committed in part is named in the commit's payload, with its last
//! committed line ([`Partial`]): the next run reads on from there.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;
use tantivy::Searcher;

use crate::error::Result;
use crate::schema::Fields;

/// A version of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStamp {
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub modified: i128,
    /// blake3 of the content, hex (first 16 bytes).
    pub hash: String,
}

impl FileStamp {
    /// Size and modification time of `path`, without reading it (hash left empty).
    pub fn stat(path: &Path) -> std::io::Result<FileStamp> {
        let meta = fs::metadata(path)?;
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        Ok(FileStamp {
            size: meta.len(),
            modified,
            hash: String::new(),
        })
    }

    /// Fills in the content hash by reading the file through.
    pub fn hashed(mut self, path: &Path) -> std::io::Result<FileStamp> {
        let mut hasher = blake3::Hasher::new();
        let mut file = fs::File::open(path)?;
        let mut buffer = vec![0u8; 256 << 10];
        loop {
            let n = file.read(&mut buffer)?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
        }
        self.hash = hasher.finalize().to_hex()[..32].to_string();
        Ok(self)
    }

    /// Same size and modification time: unchanged without reading it.
    pub fn same_metadata(&self, other: &FileStamp) -> bool {
        self.size == other.size && self.modified == other.modified
    }

    /// The form stored in the index.
    pub fn encode(&self) -> String {
        format!("{} {} {}", self.size, self.modified, self.hash)
    }

    /// Reads [`FileStamp::encode`]'s form.
    pub fn decode(text: &str) -> Option<FileStamp> {
        let mut parts = text.split(' ');
        Some(FileStamp {
            size: parts.next()?.parse().ok()?,
            modified: parts.next()?.parse().ok()?,
            hash: parts.next()?.to_string(),
        })
    }
}

/// A JSON Lines export committed in part: a commit made in the middle of a long export
/// says how far it got, in its payload, so that a run killed later takes the file up
/// from there instead of reading it again from the start.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Partial {
    /// Canonical path ([`key`]).
    pub path: String,
    /// The version read ([`FileStamp::encode`]).
    pub stamp: String,
    /// Lines whose records are all in the commit.
    pub lines: usize,
}

impl Partial {
    /// The commit payload that records it.
    pub fn to_payload(&self) -> String {
        serde_json::json!({ "partial": self }).to_string()
    }

    /// The export a commit's payload says is committed in part, if any.
    pub fn from_payload(payload: Option<&str>) -> Option<Partial> {
        let value: serde_json::Value = serde_json::from_str(payload?).ok()?;
        serde_json::from_value(value.get("partial")?.clone()).ok()
    }
}

/// A file as the index knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indexed {
    pub stamp: FileStamp,
    /// Documents from it in the index.
    pub documents: u64,
}

/// The files the last commit holds documents from, by canonical path.
#[derive(Debug, Default)]
pub struct FileTable {
    files: FxHashMap<String, Indexed>,
}

impl FileTable {
    /// Reads the table from the documents visible to `searcher`.
    pub fn read(searcher: &Searcher, fields: &Fields) -> Result<FileTable> {
        let schema = searcher.schema();
        let path_name = schema.get_field_name(fields.path);
        let stamp_name = schema.get_field_name(fields.file_stamp);
        let mut files: FxHashMap<String, Indexed> = FxHashMap::default();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let (Some(paths), Some(stamps)) = (fast.str(path_name)?, fast.str(stamp_name)?) else {
                continue;
            };
            // Documents of a segment share few files: count by dictionary ordinals first.
            let mut counts: FxHashMap<(u64, u64), u64> = FxHashMap::default();
            for doc in segment.doc_ids_alive() {
                let (Some(p), Some(s)) =
                    (paths.term_ords(doc).next(), stamps.term_ords(doc).next())
                else {
                    continue;
                };
                *counts.entry((p, s)).or_default() += 1;
            }
            let (mut path, mut stamp) = (String::new(), String::new());
            for ((p, s), n) in counts {
                paths
                    .ord_to_str(p, &mut path)
                    .map_err(tantivy::TantivyError::from)?;
                stamps
                    .ord_to_str(s, &mut stamp)
                    .map_err(tantivy::TantivyError::from)?;
                let Some(decoded) = FileStamp::decode(&stamp) else {
                    continue;
                };
                files
                    .entry(path.clone())
                    .and_modify(|known| known.documents += n)
                    .or_insert(Indexed {
                        stamp: decoded,
                        documents: n,
                    });
            }
        }
        Ok(FileTable { files })
    }

    /// What the index holds from the file at canonical `path`.
    pub fn get(&self, path: &str) -> Option<&Indexed> {
        self.files.get(path)
    }

    /// Indexed files under `root` (a canonical folder or file), sorted.
    pub fn under<'a>(&'a self, root: &'a Path) -> impl Iterator<Item = (&'a str, &'a Indexed)> {
        let mut found: Vec<_> = self
            .files
            .iter()
            .filter(move |(path, _)| Path::new(path.as_str()).starts_with(root))
            .map(|(path, indexed)| (path.as_str(), indexed))
            .collect();
        found.sort_by_key(|(path, _)| *path);
        found.into_iter()
    }

    /// The file versions held, as the clusters of copies know them.
    pub fn origins(&self) -> rustc_hash::FxHashSet<crate::dedup::Origin> {
        self.files
            .iter()
            .map(|(path, indexed)| crate::dedup::Origin::new(path, &indexed.stamp.encode()))
            .collect()
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// No file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// The key of a file in the table: its canonical path (symbolic links resolved), or the path
/// as given when it cannot be resolved.
pub fn key(path: &Path) -> String {
    fs::canonicalize(path)
        .unwrap_or_else(|_| PathBuf::from(path))
        .to_string_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_round_trips_and_notices_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "Embuscade près de Bandiagara").unwrap();
        let stamp = FileStamp::stat(&path).unwrap().hashed(&path).unwrap();
        assert_eq!(stamp.size, 29);
        assert_eq!(stamp.hash.len(), 32);
        assert_eq!(FileStamp::decode(&stamp.encode()), Some(stamp.clone()));
        fs::write(&path, "Embuscade près de Bandiagara, bis").unwrap();
        let changed = FileStamp::stat(&path).unwrap().hashed(&path).unwrap();
        assert!(!changed.same_metadata(&stamp));
        assert_ne!(changed.hash, stamp.hash);
        assert_eq!(FileStamp::decode("garbage"), None);
    }

    #[test]
    fn a_partial_export_round_trips_through_a_commit_payload() {
        let partial = Partial {
            path: "/data/exports/mali.jsonl".into(),
            stamp: "88419700 1795286763286027813 74e9d103a31d6b12685d4f64c206109f".into(),
            lines: 15_072,
        };
        assert_eq!(
            Partial::from_payload(Some(&partial.to_payload())),
            Some(partial)
        );
        assert_eq!(Partial::from_payload(None), None);
        assert_eq!(Partial::from_payload(Some("{}")), None);
        assert_eq!(Partial::from_payload(Some("not json")), None);
    }
}
