//! What Vigie keeps in an index folder besides tantivy's own files, and in tantivy's commits:
//! the marker of the format that wrote the index, the file of copy signatures, and the
//! commit payload recording an export committed in part.

use std::path::{Path, PathBuf};

use crate::files::Partial;

/// Version of the on-disk layout (schema, analyzers, facet encodings, the files below);
/// bumped on any incompatible change.
pub const FORMAT: u32 = 5;

/// File that records which Vigie format wrote the index.
const MARKER: &str = "vigie.json";

/// File holding the signatures and stories of the texts indexed ([`crate::dedup::Clusters`]).
const COPIES: &str = "vigie-copies.bin";

/// [`COPIES`] while it is rewritten, renamed over it once whole.
const COPIES_SCRATCH: &str = "vigie-copies.tmp";

/// The files of an index folder.
#[derive(Debug, Clone)]
pub struct Layout {
    dir: PathBuf,
}

impl Layout {
    /// The layout of the index in `dir`.
    pub fn new(dir: &Path) -> Layout {
        Layout {
            dir: dir.to_path_buf(),
        }
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the folder holds an index (tantivy's metadata).
    pub fn exists(&self) -> bool {
        self.dir.join("meta.json").is_file()
    }

    /// The format marker file.
    pub fn marker(&self) -> PathBuf {
        self.dir.join(MARKER)
    }

    /// The marker's content for an index written by this version.
    pub fn marker_text() -> String {
        serde_json::json!({
            "format": FORMAT,
            "writer": concat!("vigie ", env!("CARGO_PKG_VERSION")),
        })
        .to_string()
    }

    /// The format a marker's text names, if it names one.
    pub fn marker_format(text: &str) -> Option<u64> {
        serde_json::from_str::<serde_json::Value>(text)
            .ok()?
            .get("format")?
            .as_u64()
    }

    /// The file of copy signatures, and the scratch file it is rewritten through.
    pub fn copies(&self) -> (PathBuf, PathBuf) {
        (self.dir.join(COPIES), self.dir.join(COPIES_SCRATCH))
    }

    /// Whether a file of an index folder is the index's: tantivy's metadata and segment files
    /// (`<32 hex digits>[.<opstamp>].<component>`), and Vigie's own. Anything else in the
    /// folder is the user's and stays when the index is deleted.
    pub fn is_index_file(name: &str) -> bool {
        if matches!(
            name,
            "meta.json" | ".managed.json" | MARKER | COPIES | COPIES_SCRATCH
        ) {
            return true;
        }
        let id_ok = name
            .split('.')
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
}

/// The commit payload recording an export committed in part.
pub fn payload(partial: &Partial) -> String {
    serde_json::json!({ "partial": partial }).to_string()
}

/// The export a commit's payload says is committed in part, if any.
pub fn partial(payload: Option<&str>) -> Option<Partial> {
    let value: serde_json::Value = serde_json::from_str(payload?).ok()?;
    serde_json::from_value(value.get("partial")?.clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_export_round_trips_through_a_commit_payload() {
        let recorded = Partial {
            path: "/data/exports/mali.jsonl".into(),
            stamp: "88419700 1795286763286027813 74e9d103a31d6b12685d4f64c206109f".into(),
            lines: 15_072,
        };
        assert_eq!(partial(Some(&payload(&recorded))), Some(recorded));
        assert_eq!(partial(None), None);
        assert_eq!(partial(Some("{}")), None);
        assert_eq!(partial(Some("not json")), None);
    }

    #[test]
    fn it_tells_index_files_from_the_users() {
        for name in [
            "meta.json",
            "vigie.json",
            "vigie-copies.bin",
            "vigie-copies.tmp",
            "612f17b204c940c5b4e00681031fc724.store",
            "612f17b204c940c5b4e00681031fc724.12.del",
        ] {
            assert!(Layout::is_index_file(name), "{name}");
        }
        for name in ["notes.txt", "612f17b2.store", "meta.json.bak"] {
            assert!(!Layout::is_index_file(name), "{name}");
        }
        assert_eq!(
            Layout::marker_format(&Layout::marker_text()),
            Some(u64::from(FORMAT))
        );
    }
}
