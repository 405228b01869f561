//! Saved searches and what each has already shown: `vigie watch`.
//!
//! The saved searches of an index live beside it, in `vigie-watch.json` (not an index file:
//! `--rebuild` keeps it), rewritten whole through a temporary file and a rename, so that a
//! killed run leaves either the old state or the new one. A run of the searches holds
//! `vigie-watch.lock` (an advisory lock the system drops when the process ends), so that two
//! runs at once take turns.
//!
//! What a search has shown is kept by story and by document: a story is new unless the search
//! has shown it (a new copy of a known story is not new), or has shown one of its documents
//! with the same text (a document removed and added again, or a whole index rebuilt, is not
//! new). A story's key comes from where its first text was read: a document read again from
//! the same place under a new headline tells another story, and is new; with its text only
//! corrected, it is not.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::mapper::Dated;
use crate::search::{Checked, Engine, Hit, Request, EXPORT_ROWS};

/// The file of saved searches, in the index folder.
pub const FILE: &str = "vigie-watch.json";
/// The file held while the searches run.
const LOCK: &str = "vigie-watch.lock";
/// Stories a first run shows, newest first, when no `--since` is given.
pub const FIRST_RUN_STORIES: usize = 20;
/// Longest name of a saved search.
const NAME_MAX: usize = 48;

/// A search as saved: the query and the filters, none of the page's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    #[serde(default)]
    pub query: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub years: Vec<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub langs: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_killed: Option<u32>,
    /// Dates read as the event's day, not the publication's.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub event_dated: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exact: bool,
}

impl Query {
    /// The request that runs it: every match, one story each.
    pub fn request(&self) -> Request {
        Request {
            query: self.query.clone(),
            years: self.years.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            langs: self.langs.clone(),
            locations: self.locations.clone(),
            actors: self.actors.clone(),
            events: self.events.clone(),
            min_killed: self.min_killed,
            dated: if self.event_dated {
                Dated::Event
            } else {
                Dated::Published
            },
            exact: self.exact,
            limit: 10,
            ..Request::default()
        }
    }

    /// The saved form of a request's query and filters.
    pub fn of_request(request: &Request) -> Query {
        Query {
            query: request.query.clone(),
            years: request.years.clone(),
            from: request.from.clone(),
            to: request.to.clone(),
            langs: request.langs.clone(),
            locations: request.locations.clone(),
            actors: request.actors.clone(),
            events: request.events.clone(),
            min_killed: request.min_killed,
            event_dated: request.dated == Dated::Event,
            exact: request.exact,
        }
    }

    /// Its parameters as the search page and `/api/search` take them.
    pub fn page_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        if !self.query.is_empty() {
            params.push(("q", self.query.clone()));
        }
        params.extend(self.years.iter().map(|y| ("year", y.to_string())));
        params.extend(self.from.iter().map(|d| ("from", d.clone())));
        params.extend(self.to.iter().map(|d| ("to", d.clone())));
        params.extend(self.langs.iter().map(|l| ("lang", l.clone())));
        params.extend(self.locations.iter().map(|l| ("location", l.clone())));
        params.extend(self.actors.iter().map(|a| ("actor", a.clone())));
        params.extend(self.events.iter().map(|e| ("event", e.clone())));
        params.extend(
            self.min_killed
                .iter()
                .map(|k| ("min_killed", k.to_string())),
        );
        if self.event_dated {
            params.push(("date_of", "event".into()));
        }
        if self.exact {
            params.push(("exact", "true".into()));
        }
        params
    }

    /// The command line that runs it as a search.
    pub fn command_line(&self) -> String {
        let quote = |s: &str| {
            if s.is_empty() || s.contains(char::is_whitespace) || s.contains('"') {
                format!("'{}'", s.replace('\'', "'\\''"))
            } else {
                s.to_string()
            }
        };
        let mut words = vec![quote(&self.query)];
        let mut option = |name: &str, value: String| {
            words.push(format!("--{name}"));
            words.push(quote(&value));
        };
        self.years
            .iter()
            .for_each(|y| option("year", y.to_string()));
        if let Some(from) = &self.from {
            option("from", from.clone());
        }
        if let Some(to) = &self.to {
            option("to", to.clone());
        }
        self.langs.iter().for_each(|l| option("lang", l.clone()));
        self.locations
            .iter()
            .for_each(|l| option("location", l.clone()));
        self.actors.iter().for_each(|a| option("actor", a.clone()));
        self.events.iter().for_each(|e| option("event", e.clone()));
        if let Some(k) = self.min_killed {
            option("min-killed", k.to_string());
        }
        if self.event_dated {
            option("date-of", "event".into());
        }
        if self.exact {
            words.push("--exact".into());
        }
        words.join(" ")
    }
}

/// One saved search and what it has shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub name: String,
    pub search: Query,
    /// When it was saved (RFC 3339).
    pub added: String,
    /// When it last ran and marked what it showed (RFC 3339).
    #[serde(default)]
    pub last_run: Option<String>,
    /// The stories it has shown.
    #[serde(default)]
    pub seen_stories: BTreeSet<String>,
    /// The documents it has shown, by id.
    #[serde(default)]
    pub seen_documents: BTreeMap<String, SeenDocument>,
}

/// A document a search has shown: its title and a hash of its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeenDocument {
    pub title: String,
    pub text: String,
}

/// The saved searches of an index.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Watchlist {
    #[serde(default)]
    pub searches: Vec<Saved>,
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Whether `name` is a short slug: lowercase letters, digits and dashes.
pub fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= NAME_MAX
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid {
            what: "saved search name",
            value: name.to_string(),
            hint: format!(
                "a name is 1 to {NAME_MAX} lowercase letters, digits and dashes, starting with a letter or a digit (mopti-attaques)"
            ),
        })
    }
}

impl Watchlist {
    fn path(index: &Path) -> PathBuf {
        index.join(FILE)
    }

    /// The saved searches of the index in `index` (none when the file does not exist yet).
    pub fn load(index: &Path) -> Result<Watchlist> {
        let path = Watchlist::path(index);
        match fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| Error::Invalid {
                what: "saved searches file",
                value: path.display().to_string(),
                hint: format!(
                    "it is not what `vigie watch` writes ({e}); move it away to start afresh"
                ),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Watchlist::default()),
            Err(e) => Err(io_error(&path)(e)),
        }
    }

    /// Writes the saved searches whole: to a temporary file, synced, then renamed over the
    /// file, so that the file is always either the old list or the new one.
    pub fn save(&self, index: &Path) -> Result<()> {
        let path = Watchlist::path(index);
        let scratch = index.join(format!("{FILE}.tmp"));
        let text = serde_json::to_vec_pretty(self).map_err(|e| Error::Io {
            path: path.clone(),
            source: std::io::Error::other(e),
        })?;
        let mut file = fs::File::create(&scratch).map_err(io_error(&scratch))?;
        file.write_all(&text).map_err(io_error(&scratch))?;
        file.sync_all().map_err(io_error(&scratch))?;
        fs::rename(&scratch, &path).map_err(io_error(&path))
    }

    pub fn get(&self, name: &str) -> Option<&Saved> {
        self.searches.iter().find(|s| s.name == name)
    }
}

/// The lock held while the saved searches of an index change or run.
pub struct Lock {
    _file: fs::File,
}

/// Takes the lock of the index's saved searches; when another `vigie watch` holds it,
/// `waiting` is called once and the lock is waited for.
pub fn lock(index: &Path, waiting: impl FnOnce()) -> Result<Lock> {
    let path = index.join(LOCK);
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io_error(&path))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            waiting();
            file.lock().map_err(io_error(&path))?;
        }
        Err(fs::TryLockError::Error(e)) => return Err(io_error(&path)(e)),
    }
    Ok(Lock { _file: file })
}

/// A hash of a document's text, to tell it again when it comes back unchanged.
fn text_hash(engine: &Engine, id: &str) -> Result<String> {
    let text = engine
        .document(id)?
        .map(|d| format!("{}\n{}", d.title, d.body))
        .unwrap_or_default();
    Ok(blake3::hash(text.as_bytes()).to_hex()[..16].to_string())
}

/// Adds a saved search to the index's list, under its lock; refused when the name is not a
/// slug or is taken, or when the search is not valid.
pub fn add(index: &Path, name: &str, search: Query, waiting: impl FnOnce()) -> Result<()> {
    check_name(name)?;
    search.request().check()?;
    let _lock = lock(index, waiting)?;
    let mut list = Watchlist::load(index)?;
    if list.get(name).is_some() {
        return Err(Error::Invalid {
            what: "saved search name",
            value: name.to_string(),
            hint: "a saved search already has it: remove it first, or choose another".into(),
        });
    }
    list.searches.push(Saved {
        name: name.to_string(),
        search,
        added: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        last_run: None,
        seen_stories: BTreeSet::new(),
        seen_documents: BTreeMap::new(),
    });
    list.save(index)
}

/// How many stories a saved search has not shown yet, without marking anything (and
/// without reading the documents it has never shown).
pub fn count_new(engine: &Engine, saved: &Saved) -> Result<usize> {
    let request: Checked = saved.search.request().check()?;
    let mut new = 0;
    let mut failed = None;
    engine.export(&request, EXPORT_ROWS, |hit| {
        let shown = saved.seen_documents.get(&hit.id);
        let is_new = if saved.seen_stories.contains(&hit.story) {
            shown.is_some_and(|d| d.title != hit.title)
        } else {
            match shown {
                None => true,
                Some(d) => match text_hash(engine, &hit.id) {
                    Ok(text) => d.text != text || d.title != hit.title,
                    Err(e) => {
                        failed = Some(e);
                        return false;
                    }
                },
            }
        };
        new += usize::from(is_new);
        true
    })?;
    match failed {
        Some(e) => Err(e),
        None => Ok(new),
    }
}

/// What a run of a saved search found.
#[derive(Debug, Serialize)]
pub struct Found {
    pub name: String,
    /// The new stories shown, newest first (one hit each: the best copy).
    pub hits: Vec<Hit>,
    /// New stories in all (on a first run, more than those shown).
    pub new: usize,
    /// Whether it ran before.
    pub first_run: bool,
}

/// Runs a saved search: the stories it has not shown yet, newest first (a first run shows
/// the [`FIRST_RUN_STORIES`] newest, or those published since `since`), and marks in `saved`
/// every current match as shown.
pub fn run(engine: &Engine, saved: &mut Saved, since: Option<chrono::NaiveDate>) -> Result<Found> {
    let request: Checked = saved.search.request().check()?;
    let mut matches = Vec::new();
    engine.export(&request, EXPORT_ROWS, |hit| {
        matches.push(hit);
        true
    })?;
    let first_run = saved.last_run.is_none();
    let mut new = Vec::new();
    for hit in matches {
        let shown = saved.seen_documents.get(&hit.id);
        if saved.seen_stories.contains(&hit.story) {
            // Read again from the same place: another story only under another headline.
            if shown.is_none_or(|d| d.title == hit.title) {
                continue;
            }
        }
        let text = text_hash(engine, &hit.id)?;
        let shown_before = shown.is_some_and(|d| d.text == text && d.title == hit.title);
        saved.seen_stories.insert(hit.story.clone());
        saved.seen_documents.insert(
            hit.id.clone(),
            SeenDocument {
                title: hit.title.clone(),
                text,
            },
        );
        if !shown_before {
            new.push(hit);
        }
    }
    new.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    let count = new.len();
    if let Some(since) = since {
        let since = since.to_string();
        new.retain(|h| h.date.as_deref().is_some_and(|d| d >= since.as_str()));
    } else if first_run {
        new.truncate(FIRST_RUN_STORIES);
    }
    saved.last_run = Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    Ok(Found {
        name: saved.name.clone(),
        new: count,
        hits: new,
        first_run,
    })
}
