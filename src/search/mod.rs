//! Query and filters → ranked hits with snippets and facet counts. Formats nothing.
//!
//! A search runs one way: the [`Request`] as typed is checked once ([`request`]: dates,
//! names, words; a mistake is refused before the index is opened), turned into a tantivy
//! query ([`query`]), collected in one pass (the best document of each story and the counts,
//! [`collapse`] and [`facets`]), and the hits on the page are read back with their passages
//! ([`hits`], [`snippet`]).

mod collapse;
pub mod counts;
pub mod document;
mod exclusion;
pub mod facets;
mod hits;
mod langs;
mod months;
pub mod names;
mod near;
pub mod overview;
pub mod parse;
mod query;
pub mod request;
mod snippet;
mod spelling;
pub mod tolls;

use std::borrow::Cow;
use std::time::Instant;

use serde::Serialize;
use tantivy::{Executor, IndexReader, Searcher};

use crate::error::{Error, Result};
use crate::index::Store;
use collapse::{Collapse, Key};
pub use facets::Facets;
pub use hits::Hit;
pub use request::{Checked, Request, Sort};
pub use snippet::Snippet;

/// Most rows an export holds (the command line's and the server's).
pub const EXPORT_ROWS: usize = 100_000;

/// The answer to a [`Request`].
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    pub query: String,
    /// Matching documents.
    pub total: usize,
    /// Matching stories: documents that are copies of one another count once.
    pub stories: usize,
    pub took_ms: f64,
    pub sort: Sort,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// What the engine did with the query that the analyst should know (ignored words…).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A stage of a search, timed by [`Engine::breakdown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Building the tantivy query (names resolved, terms looked up).
    Query,
    /// The one pass over the matches: scoring, the best document of each story, facet counts
    /// and fatality totals.
    Collect,
    /// Re-ranking the best stories by the nearness of the query's words.
    Near,
    /// Reading the page's documents back and highlighting their passages.
    Hits,
    /// Filling a short first page with the stories that lack the commonest word.
    Fill,
    /// Turning the counts into facets (values decoded, children sorted).
    FacetValues,
}

/// Milliseconds a search spent per stage; `scoring`, `stories` and `facets` split the one
/// pass (`collect`) by timing simpler passes of the same query.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Breakdown {
    pub query: f64,
    pub collect: f64,
    pub scoring: f64,
    pub stories: f64,
    pub facets: f64,
    pub near: f64,
    pub hits: f64,
    pub fill: f64,
    pub facet_values: f64,
}

impl Breakdown {
    fn add(&mut self, stage: Stage, ms: f64) {
        *match stage {
            Stage::Query => &mut self.query,
            Stage::Collect => &mut self.collect,
            Stage::Near => &mut self.near,
            Stage::Hits => &mut self.hits,
            Stage::Fill => &mut self.fill,
            Stage::FacetValues => &mut self.facet_values,
        } += ms;
    }
}

/// The nearness query that re-ranks a search's best stories: with two plain words or more,
/// when the hits are ranked by relevance.
fn nearness<'b>(
    built: &'b query::Built,
    request: &Checked,
) -> Option<&'b dyn tantivy::query::Query> {
    built
        .near
        .as_deref()
        .filter(|_| request.sort == Sort::Relevance)
}

/// A searcher on an index's last commit.
pub struct Engine {
    store: Store,
    reader: IndexReader,
    /// Runs a search's pass over the segments: on a large index, one thread per core.
    executor: Executor,
    /// The facet values of the segments searched, decoded once.
    dictionaries: counts::Dictionaries,
}

/// Documents from which a search's pass runs its segments on every core: below it, handing
/// segments to threads costs more than it saves.
const PARALLEL_DOCUMENTS: u64 = 250_000;

/// The executor of an index's searches: segments on every core (at most 4) when the index is
/// large and in several segments, one thread otherwise. The environment's `VIGIE_SEARCH_THREADS`
/// sets the number whatever the size (1: one thread). Decided when the engine opens.
fn executor(reader: &IndexReader) -> Executor {
    let searcher = reader.searcher();
    let asked = std::env::var("VIGIE_SEARCH_THREADS")
        .ok()
        .and_then(|n| n.parse::<usize>().ok());
    let threads = match asked {
        Some(n) => n,
        None if searcher.num_docs() >= PARALLEL_DOCUMENTS => {
            std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
        }
        None => 1,
    };
    if threads > 1 && searcher.segment_readers().len() > 1 {
        Executor::multi_thread(threads, "vigie-search-").unwrap_or(Executor::SingleThread)
    } else {
        Executor::SingleThread
    }
}

impl Engine {
    /// Opens the index in `dir` for searching.
    pub fn open(dir: &std::path::Path) -> Result<Self> {
        let store = Store::open(dir)?;
        let reader = store.reader()?;
        Ok(Engine::on(store, reader))
    }

    /// Opens the index in `dir` for a long-lived process: every commit made since (by a
    /// `vigie index` running beside it) is searched within about a second.
    pub fn open_live(dir: &std::path::Path) -> Result<Self> {
        let store = Store::open(dir)?;
        let reader = store.live_reader()?;
        Ok(Engine::on(store, reader))
    }

    fn on(store: Store, reader: IndexReader) -> Self {
        Engine {
            executor: executor(&reader),
            store,
            reader,
            dictionaries: counts::Dictionaries::default(),
        }
    }

    /// The facet values of the segments searched so far.
    pub fn dictionaries(&self) -> &counts::Dictionaries {
        &self.dictionaries
    }

    /// The index's store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A searcher on the last commit.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// The collector of the stories `request` asks for, `limit` after `offset`.
    fn collapse<'m>(&'m self, request: &Checked, limit: usize, offset: usize) -> Collapse<'m> {
        Collapse {
            mapper: self.store.mapper(),
            dictionaries: &self.dictionaries,
            limit,
            offset,
            key: match request.sort {
                Sort::Relevance => Key::Score,
                Sort::Date => Key::Date,
            },
            all_copies: request.all_copies,
        }
    }

    /// The stories a search's pass collects: the page, or the best stories when nearness
    /// re-ranks them before the page is cut.
    fn first_pass(&self, request: &Checked, reranked: bool) -> Collapse<'_> {
        if reranked {
            let deepest = (request.offset + request.limit).max(near::RERANK_STORIES);
            self.collapse(request, deepest, 0)
        } else {
            self.collapse(request, request.limit, request.offset)
        }
    }

    /// `searcher.search` on the engine's executor.
    fn pass<C: tantivy::collector::Collector>(
        &self,
        searcher: &Searcher,
        query: &dyn tantivy::query::Query,
        collector: &C,
    ) -> Result<C::Fruit> {
        let scoring = if collector.requires_scoring() {
            tantivy::query::EnableScoring::enabled_from_searcher(searcher)
        } else {
            tantivy::query::EnableScoring::disabled_from_searcher(searcher)
        };
        Ok(searcher.search_with_executor(query, collector, &self.executor, scoring)?)
    }

    /// The request with its rare words widened to the spellings one letter away
    /// ([`spelling`]), or as it is.
    fn respelled<'r>(&self, searcher: &Searcher, request: &'r Checked) -> Cow<'r, Checked> {
        let field = self.store.mapper().body().stemmed;
        match spelling::widen(searcher, field, request) {
            Some(widened) => Cow::Owned(widened),
            None => Cow::Borrowed(request),
        }
    }

    /// Runs a checked request.
    pub fn search(&self, request: &Checked) -> Result<Results> {
        self.search_timed(request, &mut |_, _| {})
    }

    /// Where the time of a search goes ([`Stage`]), for `vigie bench --breakdown`: the stages of
    /// one search, then the same query collected more simply, to tell scoring from grouping
    /// stories from counting facets (they share one pass in a search).
    pub fn breakdown(&self, request: &Checked) -> Result<(Results, Breakdown)> {
        let mut times = Breakdown::default();
        let results = self.search_timed(request, &mut |stage, ms| times.add(stage, ms))?;
        let mapper = self.store.mapper();
        let searcher = self.reader.searcher();
        let request = &*self.respelled(&searcher, request);
        let built = query::build(mapper, request);
        let t = Instant::now();
        let top = tantivy::collector::TopDocs::with_limit(request.limit).order_by_score();
        self.pass(&searcher, &*built.query, &(tantivy::collector::Count, top))?;
        let scoring = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let reranked = nearness(&built, request).is_some();
        self.pass(
            &searcher,
            &*built.query,
            &self.first_pass(request, reranked),
        )?;
        let stories = t.elapsed().as_secs_f64() * 1000.0;
        // The one pass of the search split by the two simpler passes: what scoring alone
        // takes, what grouping adds, and what the facet counts and fatality totals add.
        let pass = times.collect;
        times.scoring = scoring.min(pass);
        times.stories = (stories.min(pass) - times.scoring).max(0.0);
        times.facets = (pass - times.scoring - times.stories).max(0.0);
        Ok((results, times))
    }

    fn search_timed(
        &self,
        request: &Checked,
        stage: &mut dyn FnMut(Stage, f64),
    ) -> Result<Results> {
        let started = Instant::now();
        let mut lap = Instant::now();
        let mut done = |name: Stage| {
            stage(name, lap.elapsed().as_secs_f64() * 1000.0);
            lap = Instant::now();
        };
        self.dictionaries.begin();
        let mapper = self.store.mapper();
        let searcher = self.reader.searcher();
        let request = &*self.respelled(&searcher, request);
        let built = query::build(mapper, request);
        // Nearness re-ranks the best stories: they are collected, then the page is cut.
        let near = nearness(&built, request);
        let collapse = self.first_pass(request, near.is_some());
        let counters = facets::collectors(
            mapper,
            &self.dictionaries,
            &request.facet_location,
            request.dated,
        );
        done(Stage::Query);
        let (mut collapsed, counts) = self.pass(&searcher, &*built.query, &(collapse, counters))?;
        done(Stage::Collect);
        if let Some(near) = near {
            near::rerank(&searcher, near, &mut collapsed.stories)?;
            collapsed.stories = std::mem::take(&mut collapsed.stories)
                .into_iter()
                .skip(request.offset)
                .take(request.limit)
                .collect();
            done(Stage::Near);
        }
        let loader = hits::Loader::new(&searcher, mapper, built.scored.as_deref(), request.sort)?;
        let mut hits: Vec<Hit> = collapsed
            .stories
            .iter()
            .map(|story| loader.hit(story))
            .collect::<Result<_>>()?;
        done(Stage::Hits);
        let mut notes = request.notes.clone();
        // A first page that the stories with every word do not fill goes on with the stories
        // that have all of them but the commonest (all but any one, from three words), below,
        // marked (the counts stay those of every word).
        let room = request.limit.saturating_sub(hits.len());
        let relaxed = (room > 0 && request.offset == 0 && request.sort == Sort::Relevance)
            .then(|| query::relaxed(mapper, request, |term| searcher.doc_freq(term).unwrap_or(0)))
            .flatten();
        if let Some(relaxed) = relaxed {
            let collapse = self.collapse(request, request.limit + hits.len(), 0);
            let filled = self.pass(&searcher, &*relaxed, &collapse)?;
            let shown: Vec<u64> = collapsed.stories.iter().map(|s| s.cluster).collect();
            let more: Vec<Hit> = filled
                .stories
                .iter()
                .filter(|story| !shown.contains(&story.cluster))
                .take(room)
                .map(|story| {
                    loader.hit(story).map(|hit| Hit {
                        partial: true,
                        ..hit
                    })
                })
                .collect::<Result<_>>()?;
            if !more.is_empty() {
                let required = request.groups.iter().filter(|g| !g.negated).count();
                notes.push(format!(
                    "{} {} every word; below, {} with all of them but {}",
                    collapsed.story_count,
                    if collapsed.story_count == 1 {
                        "story has"
                    } else {
                        "stories have"
                    },
                    more.len(),
                    if required >= query::ANY_ONE_FROM {
                        "one"
                    } else {
                        "the commonest"
                    }
                ));
                hits.extend(more);
            }
        }
        done(Stage::Fill);
        let facets = facets::facets(mapper, counts, &request.facet_location);
        done(Stage::FacetValues);
        Ok(Results {
            query: request.query.clone(),
            total: collapsed.documents,
            stories: collapsed.story_count,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            sort: request.sort,
            hits,
            facets,
            notes,
        })
    }

    /// Every story matching `request` (every copy with `all_copies`), best first, its page
    /// aside, handed to `each` with its passage until `each` says to stop. Refused, before any
    /// is handed, when there are more than `max`. Returns how many were handed.
    pub fn export(
        &self,
        request: &Checked,
        max: usize,
        mut each: impl FnMut(Hit) -> bool,
    ) -> Result<usize> {
        self.dictionaries.begin();
        let mapper = self.store.mapper();
        let searcher = self.reader.searcher();
        let request = &*self.respelled(&searcher, request);
        let built = query::build(mapper, request);
        let collapsed = self.pass(&searcher, &*built.query, &self.collapse(request, max, 0))?;
        if collapsed.story_count > max {
            return Err(Error::Query(format!(
                "the export would hold {} rows, more than the {} an export may hold: narrow the search (words, dates, places, actors)",
                collapsed.story_count, max
            )));
        }
        let loader = hits::Loader::new(&searcher, mapper, built.scored.as_deref(), request.sort)?;
        let mut handed = 0;
        for story in &collapsed.stories {
            if !each(loader.hit(story)?) {
                break;
            }
            handed += 1;
        }
        Ok(handed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapper::Dated;

    /// A segment searched again reads its stories, months, languages, facets and tolls from
    /// the arrays laid out then (`counts::Columns`, `counts::Rows`, `counts::TollColumn`):
    /// the answers do not change, sorted by score or by date, by either day.
    #[test]
    fn a_segment_searched_again_answers_as_the_first_time() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_or_create(dir.path()).unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        crate::pipeline::index_paths(
            &store,
            &[
                root.join("samples"),
                root.join("tests/fixtures/sahel/articles.jsonl"),
                // Copies of one story: the story grouping is read at every match.
                root.join("tests/fixtures/copies"),
            ],
            &crate::pipeline::IndexOptions::default(),
            &mut crate::pipeline::Silent,
        )
        .unwrap();
        let engine = Engine::open(dir.path()).unwrap();
        let answer = |query: &str, location: Option<&str>, dated: Dated, sort: Option<Sort>| {
            let request = Request {
                query: query.to_string(),
                facet_location: location.map(str::to_string),
                limit: 10,
                dated,
                sort,
                ..Request::default()
            };
            let mut json =
                serde_json::to_value(engine.search(&request.check().unwrap()).unwrap()).unwrap();
            json.as_object_mut().unwrap().remove("took_ms");
            json
        };
        for (query, location, dated, sort) in [
            ("attaque", None, Dated::Published, None),
            ("Mali", Some("/Mali"), Dated::Published, None),
            ("", None, Dated::Published, None),
            (
                "soldats tués",
                Some("/Burkina Faso"),
                Dated::Published,
                None,
            ),
            ("attaque", None, Dated::Event, Some(Sort::Date)),
        ] {
            let first = answer(query, location, dated, sort);
            assert!(first["total"].as_u64().unwrap() > 0, "{query}");
            for _ in 0..2 {
                assert_eq!(answer(query, location, dated, sort), first, "{query}");
            }
        }
    }

    mod fuzz {
        use super::*;
        use proptest::prelude::*;
        use std::sync::OnceLock;

        /// The samples, indexed once for every case.
        fn engine() -> &'static Engine {
            static ENGINE: OnceLock<(tempfile::TempDir, Engine)> = OnceLock::new();
            &ENGINE
                .get_or_init(|| {
                    let dir = tempfile::tempdir().unwrap();
                    let store = Store::open_or_create(dir.path()).unwrap();
                    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
                    crate::pipeline::index_paths(
                        &store,
                        &[samples],
                        &crate::pipeline::IndexOptions::default(),
                        &mut crate::pipeline::Silent,
                    )
                    .unwrap();
                    let engine = Engine::open(dir.path()).unwrap();
                    (dir, engine)
                })
                .1
        }

        /// Queries made of what analysts type: words, accents, elisions, quotes of every
        /// kind, operators, field names, brackets, dashes, colons and any other characters.
        fn query_soup() -> impl Strategy<Value = String> {
            let piece = prop_oneof![
                Just("embuscade".to_string()),
                Just("Bandiagara".to_string()),
                Just("l'armée".to_string()),
                Just("aujourd’hui".to_string()),
                Just("\"".to_string()),
                Just("«".to_string()),
                Just("»".to_string()),
                Just("“".to_string()),
                Just(" OR ".to_string()),
                Just(" OU ".to_string()),
                Just(" NOT ".to_string()),
                Just("-".to_string()),
                Just("title:".to_string()),
                Just("year:".to_string()),
                Just("location:".to_string()),
                Just("actor:".to_string()),
                Just(":".to_string()),
                Just("(".to_string()),
                Just(")]".to_string()),
                Just("*".to_string()),
                Just(" ".to_string()),
                Just("le la les".to_string()),
                "[0-9]{1,6}",
                "\\PC{0,6}",
            ];
            prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
        }

        #[test]
        fn an_export_hands_every_story_in_order_or_refuses_beyond_its_bound() {
            let request = Request {
                query: "attaque".into(),
                ..Request::default()
            }
            .check()
            .unwrap();
            let mut handed = Vec::new();
            let count = engine()
                .export(&request, 100, |hit| {
                    handed.push(hit);
                    true
                })
                .unwrap();
            assert_eq!(count, handed.len());
            assert!(count >= 2, "{count}");
            let page = engine()
                .search(&Checked {
                    limit: 100,
                    ..request.clone()
                })
                .unwrap();
            let ids = |hits: &[Hit]| hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
            assert_eq!(
                ids(&handed),
                ids(&page.hits),
                "the same stories in the same order"
            );
            let refused = engine().export(&request, 1, |_| true).unwrap_err();
            assert!(
                refused
                    .to_string()
                    .contains("more than the 1 an export may hold"),
                "{refused}"
            );
            // Stopped by its reader after the first row.
            assert_eq!(engine().export(&request, 100, |_| false).unwrap(), 0);
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(500))]
            #[test]
            fn any_query_gives_hits_or_a_clear_error(
                query in query_soup(),
                sort in proptest::option::of(prop_oneof![Just(Sort::Relevance), Just(Sort::Date)]),
                all_copies in any::<bool>(),
                offset in 0usize..4,
            ) {
                let request = Request {
                    query,
                    limit: 3,
                    offset,
                    sort,
                    all_copies,
                    ..Request::default()
                };
                match request.check().and_then(|checked| engine().search(&checked)) {
                    Ok(results) => {
                        prop_assert!(results.hits.len() <= 3);
                        prop_assert!(results.stories <= results.total);
                        for hit in &results.hits {
                            let text = hit.snippet.text.as_str();
                            for range in &hit.snippet.highlights {
                                prop_assert!(text.get(range[0]..range[1]).is_some());
                            }
                        }
                    }
                    // A clear message for the analyst: a query with no word, a bad year…
                    Err(crate::error::Error::Query(message)) => prop_assert!(!message.is_empty()),
                    Err(crate::error::Error::Invalid { hint, .. }) => prop_assert!(!hint.is_empty()),
                    Err(other) => prop_assert!(false, "unexpected error {other}"),
                }
            }
        }
    }
}
