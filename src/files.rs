//! Which files the index holds documents from, and in which version: what makes re-indexing
//! incremental.
//!
//! Every document carries the canonical path of its file and the file's stamp (size,
//! modification time, content hash). The table of indexed files is read back from the last
//! commit (by the document mapper, which owns those columns), so it can never disagree with
//! the documents: a run killed before its commit leaves the previous table, and the next run
//! redoes the files it had not committed. A JSON Lines export committed in part is named in
//! the commit's payload, with its last committed line ([`Partial`]): the next run reads on
//! from there.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

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
    /// The table of these files, by canonical path.
    pub fn new(files: FxHashMap<String, Indexed>) -> FileTable {
        FileTable { files }
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

    /// Every file and what the index holds from it.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Indexed)> {
        self.files
            .iter()
            .map(|(path, indexed)| (path.as_str(), indexed))
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
}
