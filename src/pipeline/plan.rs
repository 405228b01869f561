//! The incremental decision for one file: leave it, read it, read it again, read on after
//! the lines a killed run committed, or remove what the index holds of it. A pure function
//! of what the index holds, what the walk found and what the last commit recorded.

use crate::files::{FileStamp, Indexed, Partial};

/// What the walk found of a file.
#[derive(Debug, Clone, Copy)]
pub enum Found<'a> {
    /// The file, with its size and modification time, and its content hash once it was
    /// read through (empty before).
    File(&'a FileStamp),
    /// Not under the folders walked any more.
    Gone,
    /// Under a folder that could not be walked: nothing is known of it.
    Unreachable,
}

/// What to do with a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The index holds this version: nothing to read.
    Unchanged,
    /// Its size or modification time tell nothing for sure: hash its content, then decide
    /// again with the hash.
    Hash,
    /// Not in the index: read it.
    New,
    /// Another content than the index holds: remove its documents and read it again.
    Replace,
    /// An export whose first `lines` lines the last commit holds, in this content: read on
    /// after them (the documents read so far stay, under the version they were read as).
    Resume { lines: usize },
    /// Gone from the folders walked: remove its documents...
    Remove,
    /// ...or keep them, when asked to (`--keep-missing`).
    Keep,
    /// Nothing is known of it: what the index holds of it stays, unreported.
    Leave,
}

/// The action for a file the index holds as `known` (if it does), found as `found`, when
/// the last commit recorded `partial` of it (the caller passes only a record of this file).
pub fn plan(
    known: Option<&Indexed>,
    found: Found<'_>,
    partial: Option<&Partial>,
    keep_missing: bool,
) -> Action {
    let stamp = match found {
        Found::File(stamp) => stamp,
        Found::Gone if keep_missing => return Action::Keep,
        Found::Gone => return Action::Remove,
        Found::Unreachable => return Action::Leave,
    };
    let Some(known) = known else {
        // What is read is stored with its content hash.
        return if stamp.hash.is_empty() {
            Action::Hash
        } else {
            Action::New
        };
    };
    // A record of the export in another version than the index holds is stale.
    let resume = partial
        .filter(|p| p.stamp == known.stamp.encode())
        .map(|p| Action::Resume { lines: p.lines });
    if known.stamp.same_metadata(stamp) {
        return resume.unwrap_or(Action::Unchanged);
    }
    if stamp.hash.is_empty() {
        Action::Hash
    } else if stamp.hash != known.stamp.hash {
        Action::Replace
    } else {
        // Touched, not changed.
        resume.unwrap_or(Action::Unchanged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(size: u64, modified: i128, hash: &str) -> FileStamp {
        FileStamp {
            size,
            modified,
            hash: hash.to_string(),
        }
    }

    fn indexed(stamp: &FileStamp) -> Indexed {
        Indexed {
            stamp: stamp.clone(),
            documents: 100,
        }
    }

    fn partial_of(stamp: &FileStamp, lines: usize) -> Partial {
        Partial {
            path: "/exports/mali.jsonl".into(),
            stamp: stamp.encode(),
            lines,
        }
    }

    #[test]
    fn every_case_of_a_file_gets_its_action() {
        let v1 = stamp(1000, 1, "aaaa");
        let v1_unhashed = stamp(1000, 1, "");
        let touched = stamp(1000, 2, "");
        let touched_hashed = stamp(1000, 2, "aaaa");
        let changed = stamp(1200, 3, "");
        let changed_hashed = stamp(1200, 3, "bbbb");
        let older = stamp(900, 0, "cccc");
        let v1_indexed = indexed(&v1);
        let committed_part = partial_of(&v1, 300);
        let stale_part = partial_of(&older, 300);
        use Action::*;
        /// (case, what the index holds, what the walk found, the commit's record, keep
        /// missing files, the action)
        type Case<'a> = (
            &'a str,
            Option<&'a Indexed>,
            Found<'a>,
            Option<&'a Partial>,
            bool,
            Action,
        );
        #[rustfmt::skip]
        let cases: [Case<'_>; 15] = [
            ("a new file is hashed first", None, Found::File(&v1_unhashed), None, false, Hash),
            ("then read", None, Found::File(&v1), None, false, New),
            ("a file killed before its first commit is new again", None, Found::File(&v1), Some(&committed_part), false, New),
            ("the same size and time: unchanged, unread", Some(&v1_indexed), Found::File(&v1_unhashed), None, false, Unchanged),
            ("touched: hashed", Some(&v1_indexed), Found::File(&touched), None, false, Hash),
            ("touched, same content: unchanged", Some(&v1_indexed), Found::File(&touched_hashed), None, false, Unchanged),
            ("changed: hashed", Some(&v1_indexed), Found::File(&changed), None, false, Hash),
            ("changed content: replaced", Some(&v1_indexed), Found::File(&changed_hashed), None, false, Replace),
            ("committed in part, untouched: read on", Some(&v1_indexed), Found::File(&v1_unhashed), Some(&committed_part), false, Resume { lines: 300 }),
            ("committed in part, touched, same content: read on", Some(&v1_indexed), Found::File(&touched_hashed), Some(&committed_part), false, Resume { lines: 300 }),
            ("committed in part, then changed: replaced", Some(&v1_indexed), Found::File(&changed_hashed), Some(&committed_part), false, Replace),
            ("a record of an older version is stale", Some(&v1_indexed), Found::File(&v1_unhashed), Some(&stale_part), false, Unchanged),
            ("gone: removed", Some(&v1_indexed), Found::Gone, None, false, Remove),
            ("gone, asked to keep: kept", Some(&v1_indexed), Found::Gone, Some(&committed_part), true, Keep),
            ("its folder could not be walked: left", Some(&v1_indexed), Found::Unreachable, None, false, Leave),
        ];
        for (case, known, found, partial, keep_missing, expected) in cases {
            assert_eq!(
                plan(known, found, partial, keep_missing),
                expected,
                "{case}"
            );
        }
    }
}
