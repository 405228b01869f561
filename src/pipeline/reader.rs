//! The reader's side of a run: walks the files, plans what to do with each ([`super::plan`]),
//! hands the records of those to read to the workers in numbered batches, and commits
//! between files or at a line of a long export.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use rustc_hash::FxHashSet;

use super::notice::Notice;
use super::plan::{plan, Action, Found};
use super::workers::{Batch, FileRef, Shared};
use super::{IndexOptions, IndexStats, Progress};
use crate::dedup;
use crate::error::Result;
use crate::files::{self, FileStamp, FileTable, Indexed, Partial};
use crate::ingest::{self, Content, Event, Origin, RawRecord};
use crate::mapper::layout;

/// Records handed to a worker at once: enough to make the hand-over cheap, few enough to keep
/// every worker busy.
const BATCH: usize = 32;

/// Batches sent and not yet added that the reader lets wait for a slow one (a huge page)
/// before it waits too: what is prepared waits for its turn in memory.
const AHEAD: u64 = 64;

/// How long the reader waits for the workers between two looks at their notices.
const PATIENCE: Duration = Duration::from_millis(2);

pub struct Reader<'a, 's> {
    pub shared: &'s Shared<'a>,
    pub options: &'s IndexOptions,
    pub table: FileTable,
    pub batches: Sender<Batch>,
    /// The spare workers, and how to wake them: at the first HTML page.
    pub spare: Option<(Sender<()>, usize)>,
    pub notices: Receiver<Notice>,
    pub progress: &'s mut dyn Progress,
    pub stats: IndexStats,
    /// Canonical paths walked this run.
    pub seen: FxHashSet<String>,
    /// Folders and files that could not be walked: what the index holds under them stays.
    pub unwalkable: Vec<PathBuf>,
    /// Batches sent.
    pub sent: u64,
    pub batch: Vec<(RawRecord, Arc<FileRef>)>,
    pub since_commit: u64,
    /// Records of the file being read since the last commit.
    pub file_since_commit: u64,
    pub last_commit: Instant,
    /// The export the last commit holds in part, from an earlier run.
    pub resume: Option<Partial>,
    /// The cleaner's patterns and the entity tables are being built.
    pub warmed: bool,
}

impl Reader<'_, '_> {
    pub fn notice(&mut self, notice: Notice) {
        match notice {
            Notice::Skipped { .. } => self.stats.skipped += 1,
            Notice::Repaired { .. } => self.stats.repaired += 1,
        }
        self.progress.notice(&notice);
    }

    fn drain_notices(&mut self) {
        while let Ok(notice) = self.notices.try_recv() {
            self.notice(notice);
        }
    }

    fn send(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        self.since_commit += batch.len() as u64;
        let html = |(record, _): &(RawRecord, _)| matches!(record.content, Content::Markup(_));
        if self.spare.is_some() && batch.iter().any(html) {
            if let Some((wake, spare)) = self.spare.take() {
                for _ in 0..spare {
                    let _ = wake.send(());
                }
            }
        }
        // Prepared batches wait in memory for a slow one before them: not too many.
        let behind = self.sent.saturating_sub(AHEAD);
        while !self.shared.wait_added(behind, PATIENCE) && !self.shared.failed() {
            self.drain_notices();
        }
        if self.batches.send((self.sent, batch)).is_ok() {
            self.sent += 1;
        }
        self.drain_notices();
        self.progress
            .advanced(self.shared.documents(), self.stats.bytes);
    }

    /// Waits for the workers to add everything sent, then commits.
    pub fn commit(&mut self, last: bool, partial: Option<Partial>) -> Result<()> {
        // An export an earlier run committed in part, not read this run (not among the
        // paths, or not reached yet), stays recorded as such.
        let partial = partial.or_else(|| self.resume.clone());
        self.send();
        while !self.shared.wait_added(self.sent, PATIENCE) && !self.shared.failed() {
            self.drain_notices();
        }
        self.drain_notices();
        if let Some(e) = self.shared.take_failure() {
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

    /// A notice that `path` was skipped, and keeps what the index holds of it.
    fn kept(&self, path: &Path, known: Option<&Indexed>, problem: ingest::Problem) -> Notice {
        Notice::Skipped {
            origin: Origin::file(path),
            reason: problem.into(),
            kept: known.map_or(0, |k| k.documents),
        }
    }

    /// The action for the file at `path` and the version to store its documents as, its
    /// content hashed when the plan needs it; `None` when it cannot be read (said).
    fn plan_file(
        &mut self,
        path: &Path,
        known: Option<&Indexed>,
        partial: Option<&Partial>,
    ) -> Option<(Action, FileStamp)> {
        let failed = |reader: &mut Self, problem| {
            reader.notice(reader.kept(path, known, problem));
            None
        };
        let stamp = match FileStamp::stat(path) {
            Ok(stamp) => stamp,
            Err(e) => return failed(self, e.into()),
        };
        if let Err(problem) = ingest::check(path, stamp.size, &self.options.walk) {
            return failed(self, problem);
        }
        let keep_missing = self.options.keep_missing;
        let action = plan(known, Found::File(&stamp), partial, keep_missing);
        if action != Action::Unchanged && !self.warmed {
            super::warm_up();
            self.warmed = true;
        }
        if action != Action::Hash {
            return Some((action, stamp));
        }
        let stamp = match stamp.hashed(path) {
            Ok(stamp) => stamp,
            Err(e) => return failed(self, e.into()),
        };
        Some((
            plan(known, Found::File(&stamp), partial, keep_missing),
            stamp,
        ))
    }

    /// One file found by the walk.
    pub fn file(&mut self, path: &Path) -> Result<()> {
        let key = files::key(path);
        if !self.seen.insert(key.clone()) {
            return Ok(()); // reached twice (overlapping folders or links)
        }
        let known = self.table.get(&key).cloned();
        let partial = self.resume.take_if(|p| p.path == key);
        let Some((action, stamp)) = self.plan_file(path, known.as_ref(), partial.as_ref()) else {
            // Unreadable: an export recorded as committed in part stays so.
            self.resume = self.resume.take().or(partial);
            return Ok(());
        };
        let (skip, changed, stamp) = match (action, known) {
            (Action::New, _) => {
                self.stats.new_files += 1;
                (0, false, stamp)
            }
            (Action::Replace, _) => {
                self.shared.writer.delete_file(&key);
                self.stats.changed_files += 1;
                (0, true, stamp)
            }
            (Action::Resume { lines }, Some(known)) => {
                self.stats.resumed_files += 1;
                (lines, false, known.stamp)
            }
            _ => {
                self.stats.unchanged_files += 1;
                return Ok(());
            }
        };
        let file = Arc::new(FileRef {
            origin: dedup::Origin::new(&key, &stamp.encode()),
            key,
            stamp,
            changed,
        });
        self.read(path, file, skip)?;
        if self.due(self.since_commit) {
            self.commit(false, None)?;
        }
        Ok(())
    }

    /// Reads the records of `file` after its first `skip` lines, and commits a long export
    /// at a line, with how far it got, whenever a commit is due.
    fn read(&mut self, path: &Path, file: Arc<FileRef>, skip: usize) -> Result<()> {
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
                if let (Some(lines), Ok(())) = (line, &result) {
                    if self.due(self.file_since_commit) {
                        let partial = Partial {
                            path: file.key.clone(),
                            stamp: file.stamp.encode(),
                            lines,
                        };
                        result = self.commit(false, Some(partial));
                    }
                }
            }
            Event::Notice(notice) => self.notice(notice.into()),
            Event::FileRead(bytes) => self.stats.bytes += bytes,
        });
        result
    }

    /// Whether a commit is due, with `pending` documents added since the last one.
    fn due(&self, pending: u64) -> bool {
        pending >= self.options.commit_documents
            || (pending > 0 && self.last_commit.elapsed() >= self.options.commit_interval)
    }

    /// Removes (or keeps) the documents of indexed files under `roots` that the walk did not
    /// find.
    pub fn missing(&mut self, roots: &[PathBuf]) {
        let mut gone = Vec::new();
        for root in roots {
            // A root that is not there (a typo, an unmounted disk) removes nothing.
            let Ok(root) = std::fs::canonicalize(root) else {
                continue;
            };
            for (path, indexed) in self.table.under(&root) {
                if self.seen.contains(path) {
                    continue;
                }
                let unreachable = self
                    .unwalkable
                    .iter()
                    .any(|u| Path::new(path).starts_with(u));
                let found = if unreachable {
                    Found::Unreachable
                } else {
                    Found::Gone
                };
                let action = plan(Some(indexed), found, None, self.options.keep_missing);
                gone.push((path.to_string(), indexed.documents, action));
            }
        }
        gone.sort_by(|a, b| a.0.cmp(&b.0));
        gone.dedup_by(|a, b| a.0 == b.0);
        for (path, documents, action) in gone {
            match action {
                Action::Keep => {
                    self.stats.kept_files += 1;
                    self.stats.kept += documents;
                }
                Action::Remove => {
                    self.shared.writer.delete_file(&path);
                    self.stats.removed_files += 1;
                    self.stats.removed += documents;
                    if self.resume.as_ref().is_some_and(|p| p.path == path) {
                        self.resume = None;
                    }
                }
                _ => {}
            }
        }
    }
}
