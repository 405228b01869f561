//! Query and filters → ranked hits with snippets and facet counts. Formats nothing.

mod collapse;
mod exclusion;
pub mod names;
pub mod overview;
pub mod parse;
mod snippet;

use std::collections::BTreeMap;
use std::ops::Bound;
use std::time::Instant;

use chrono::NaiveDate;
use indexmap::IndexMap;
use serde::Serialize;
use tantivy::collector::FacetCollector;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{DocAddress, IndexReader, Searcher, TantivyDocument, Term};

use crate::analysis::{self, Term as Token};
use crate::entities::Actors;
use crate::error::{Error, Result};
use crate::index::Store;
use crate::schema::{location_facet, to_datetime, year_facet};
use collapse::{Collapse, Key};
use parse::{Clause, Parsed, Target};
pub use snippet::Snippet;

/// Facet values listed per field.
const TOP_FACETS: usize = 10;

/// Score a document gets for being tagged with an actor the query names by an alias.
const EXPANSION_SCORE: f32 = 1.0;

/// How much more a title match weighs than a body match.
const TITLE_BOOST: f32 = 2.0;

/// Order of the hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best BM25 score first (the default with a query).
    #[default]
    Relevance,
    /// Newest first (the default without a query).
    Date,
}

/// What an analyst asks for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub query: String,
    pub years: Vec<i32>,
    /// Inclusive lower bound.
    pub from: Option<NaiveDate>,
    /// Inclusive upper bound.
    pub to: Option<NaiveDate>,
    pub langs: Vec<String>,
    pub limit: usize,
    pub offset: usize,
    /// `None`: by relevance with a query, by date without.
    pub sort: Option<Sort>,
    /// Places (names or paths), any level; several mean any of them.
    pub locations: Vec<String>,
    /// Actors (any alias); several mean any of them.
    pub actors: Vec<String>,
    /// The location whose children are counted (default: the countries).
    pub facet_location: Option<String>,
    /// Every copy of a story as its own hit (default: one hit per story).
    pub all_copies: bool,
}

/// One result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub source: String,
    pub title: String,
    pub date: Option<String>,
    pub year: Option<i32>,
    pub lang: Option<String>,
    /// BM25 score; `null` when sorted by date.
    pub score: Option<f32>,
    pub snippet: Snippet,
    pub locations: Vec<String>,
    pub actors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The story this document tells: documents with the same value are copies of it.
    pub story: String,
    /// Other matching copies of the story, not shown (0 with `all_copies`).
    pub copies: u64,
}

/// Counts over the whole result set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    pub year: BTreeMap<String, u64>,
    /// Children of `location_parent` (the countries by default), most frequent first.
    pub location: IndexMap<String, u64>,
    /// The location drilled into.
    pub location_parent: String,
    /// Actors, most frequent first.
    pub actor: IndexMap<String, u64>,
}

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

/// A searcher on an index's last commit.
pub struct Engine {
    store: Store,
    reader: IndexReader,
}

/// A query as built from a request: what ranks, and what only filters.
struct Built {
    scored: Option<Box<dyn Query>>,
    filters: Vec<Box<dyn Query>>,
    notes: Vec<String>,
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

fn facet_query(field: Field, facet: &Facet) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_facet(field, facet),
        IndexRecordOption::Basic,
    ))
}

fn any_of(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    match queries.len() {
        0 => Box::new(EmptyQuery),
        1 => queries.remove(0),
        _ => Box::new(BooleanQuery::new(
            queries.into_iter().map(|q| (Occur::Should, q)).collect(),
        )),
    }
}

/// Documents tagged with a place (a name at any level or a path) or any place under it.
fn location_query(field: Field, place: &str) -> Result<Box<dyn Query>> {
    let path = names::location_path(place)?;
    Ok(facet_query(field, &location_facet(&path)))
}

/// Documents tagged with an actor named by any of its aliases.
fn actor_query(field: Field, actor: &str) -> Result<Box<dyn Query>> {
    let name = names::actor_name(actor)?;
    Ok(facet_query(field, &Facet::from_path([name])))
}

/// Term or phrase query for analysed tokens on one field.
fn text_query(field: Field, tokens: &[Token]) -> Box<dyn Query> {
    match tokens {
        [] => Box::new(EmptyQuery),
        [one] => term_query(Term::from_field_text(field, &one.text)),
        many => {
            let first = many[0].position;
            let terms = many
                .iter()
                .map(|t| (t.position - first, Term::from_field_text(field, &t.text)))
                .collect();
            Box::new(PhraseQuery::new_with_offset(terms))
        }
    }
}

/// Longest run (two words or more) of plain required words at the start of `groups` that is
/// an actor's alias, with the actor.
fn actor_run(groups: &[parse::Group]) -> Option<(usize, usize)> {
    let plain = groups
        .iter()
        .take(8)
        .take_while(|g| {
            !g.negated
                && g.alternatives.len() == 1
                && g.alternatives[0].target == Target::All
                && !g.alternatives[0].phrase
        })
        .count();
    (2..=plain).rev().find_map(|len| {
        let text: Vec<&str> = groups[..len]
            .iter()
            .map(|g| g.alternatives[0].text.as_str())
            .collect();
        Actors::get()
            .resolve_query(&text.join(" "))
            .map(|actor| (len, actor))
    })
}

/// The actor a positive query word or phrase names by one of its aliases, if any.
fn expansion(clause: &Clause) -> Option<usize> {
    (clause.target == Target::All)
        .then(|| Actors::get().resolve_query(&clause.text))
        .flatten()
}

impl Engine {
    /// Opens the index in `dir` for searching.
    pub fn open(dir: &std::path::Path) -> Result<Self> {
        let store = Store::open(dir)?;
        let reader = store.reader()?;
        Ok(Engine { store, reader })
    }

    /// The index's store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A searcher on the last commit.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    fn analyze(&self, field: Field, text: &str) -> Result<Vec<Token>> {
        let mut analyzer = self.store.index().tokenizer_for_field(field)?;
        Ok(analysis::analyze(&mut analyzer, text))
    }

    /// The scoring query for one clause; `None` when it holds only stop words.
    fn clause_query(&self, clause: &Clause) -> Result<Option<Box<dyn Query>>> {
        let f = self.store.mapper().fields();
        let text = &clause.text;
        let text_fields: &[(Field, Field, f32)] = match clause.target {
            Target::All => &[
                (f.title, f.title_exact, TITLE_BOOST),
                (f.body, f.body_exact, 1.0),
            ],
            Target::Title => &[(f.title, f.title_exact, 1.0)],
            Target::Body => &[(f.body, f.body_exact, 1.0)],
            Target::Lang => {
                let code = crate::lang::normalize(text);
                return Ok(Some(term_query(Term::from_field_text(f.lang, &code))));
            }
            Target::Year => {
                let year: i32 = text.trim().parse().map_err(|_| Error::Invalid {
                    what: "year",
                    value: text.clone(),
                    hint: "write a year such as year:2024".into(),
                })?;
                return Ok(Some(facet_query(f.year, &year_facet(year))));
            }
            Target::Source => return Ok(Some(term_query(Term::from_field_text(f.source, text)))),
            Target::Id => return Ok(Some(term_query(Term::from_field_text(f.id, text)))),
            Target::Site => return Ok(Some(term_query(Term::from_field_text(f.site, text)))),
            Target::Location => return location_query(f.location, text).map(Some),
            Target::Actor => return actor_query(f.actor, text).map(Some),
        };
        let mut per_field: Vec<Box<dyn Query>> = Vec::new();
        for &(stemmed, exact, boost) in text_fields {
            let stems = self.analyze(stemmed, text)?;
            if stems.is_empty() {
                return Ok(None);
            }
            let exacts = self.analyze(exact, text)?;
            per_field.push(Box::new(BoostQuery::new(
                text_query(stemmed, &stems),
                boost,
            )));
            per_field.push(Box::new(BoostQuery::new(text_query(exact, &exacts), boost)));
        }
        Ok(Some(any_of(per_field)))
    }

    fn build(&self, request: &Request, parsed: &Parsed) -> Result<Built> {
        let f = self.store.mapper().fields();
        let mut notes = Vec::new();
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut has_positive = false;
        let mut skip = 0;
        for (at, group) in parsed.groups.iter().enumerate() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            // Plain words that together name an actor (`armée malienne`): all of them, or the tag.
            if let Some((len, actor)) = actor_run(&parsed.groups[at..]) {
                let mut words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for g in &parsed.groups[at..at + len] {
                    if let Some(q) = self.clause_query(&g.alternatives[0])? {
                        words.push((Occur::Must, q));
                    }
                }
                let name = Actors::get().name(actor).to_string();
                let tagged = facet_query(f.actor, &Facet::from_path([name.as_str()]));
                let text: Vec<&str> = parsed.groups[at..at + len]
                    .iter()
                    .map(|g| g.alternatives[0].text.as_str())
                    .collect();
                notes.push(format!(
                    "«{}» also matches documents tagged with the actor {name}, whatever name they use",
                    text.join(" ")
                ));
                must.push((
                    Occur::Must,
                    any_of(vec![
                        Box::new(BooleanQuery::new(words)),
                        Box::new(ConstScoreQuery::new(tagged, EXPANSION_SCORE)),
                    ]),
                ));
                has_positive = true;
                skip = len - 1;
                continue;
            }
            let mut alternatives = Vec::new();
            for clause in &group.alternatives {
                match self.clause_query(clause)? {
                    Some(q) => {
                        alternatives.push(q);
                        if let Some(actor) = expansion(clause) {
                            let name = Actors::get().name(actor).to_string();
                            let tagged = facet_query(f.actor, &Facet::from_path([name.as_str()]));
                            alternatives
                                .push(Box::new(ConstScoreQuery::new(tagged, EXPANSION_SCORE)));
                            let verb = if group.negated { "excludes" } else { "matches" };
                            notes.push(format!("«{}» also {verb} documents tagged with the actor {name}, whatever name they use", clause.text));
                        }
                    }
                    None => notes.push(format!(
                        "ignored «{}»: too common a word to search for",
                        clause.text
                    )),
                }
            }
            if alternatives.is_empty() {
                continue;
            }
            has_positive |= !group.negated;
            if group.negated {
                must.push((
                    Occur::MustNot,
                    Box::new(exclusion::Exclusion(any_of(alternatives))),
                ));
            } else {
                must.push((Occur::Must, any_of(alternatives)));
            }
        }
        if parsed.is_empty() && !request.query.trim().is_empty() {
            return Err(Error::Query(format!(
                "nothing to search for in «{}»: it holds no word; type words, \"a phrase\", or nothing at all to list documents",
                request.query.trim()
            )));
        }
        if !parsed.is_empty() && must.is_empty() {
            return Err(Error::Query(format!(
                "nothing to search for in «{}»: every word is too common (le, de, et…); add a meaningful word or use filters",
                request.query.trim()
            )));
        }
        let scored: Option<Box<dyn Query>> = match (must.is_empty(), has_positive) {
            (true, _) => None,
            (false, true) => Some(Box::new(BooleanQuery::new(must))),
            (false, false) => {
                must.push((Occur::Must, Box::new(AllQuery)));
                Some(Box::new(BooleanQuery::new(must)))
            }
        };
        let mut filters: Vec<Box<dyn Query>> = Vec::new();
        if !request.years.is_empty() {
            filters.push(any_of(
                request
                    .years
                    .iter()
                    .map(|&y| facet_query(f.year, &year_facet(y)))
                    .collect(),
            ));
        }
        if request.from.is_some() || request.to.is_some() {
            let bound = |d: Option<NaiveDate>, upper: bool| match d {
                None => Bound::Unbounded,
                Some(d) if upper => match d.succ_opt() {
                    Some(next) => {
                        Bound::Excluded(Term::from_field_date_for_search(f.date, to_datetime(next)))
                    }
                    None => Bound::Unbounded,
                },
                Some(d) => {
                    Bound::Included(Term::from_field_date_for_search(f.date, to_datetime(d)))
                }
            };
            filters.push(Box::new(RangeQuery::new(
                bound(request.from, false),
                bound(request.to, true),
            )));
        }
        if !request.langs.is_empty() {
            filters.push(any_of(
                request
                    .langs
                    .iter()
                    .map(|l| term_query(Term::from_field_text(f.lang, &crate::lang::normalize(l))))
                    .collect(),
            ));
        }
        if !request.locations.is_empty() {
            let places = request
                .locations
                .iter()
                .map(|l| location_query(f.location, l));
            filters.push(any_of(places.collect::<Result<_>>()?));
        }
        if !request.actors.is_empty() {
            let actors = request.actors.iter().map(|a| actor_query(f.actor, a));
            filters.push(any_of(actors.collect::<Result<_>>()?));
        }
        Ok(Built {
            scored,
            filters,
            notes,
        })
    }

    /// Runs `request`.
    pub fn search(&self, request: &Request) -> Result<Results> {
        let started = Instant::now();
        let parsed = parse::parse(&request.query);
        let built = self.build(request, &parsed)?;
        let sort = request.sort.unwrap_or(if built.scored.is_some() {
            Sort::Relevance
        } else {
            Sort::Date
        });
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let has_scored = built.scored.is_some();
        if let Some(q) = &built.scored {
            clauses.push((Occur::Must, q.box_clone()));
        }
        for filter in &built.filters {
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(filter.box_clone(), 0.0)),
            ));
        }
        let query: Box<dyn Query> = if clauses.is_empty() {
            Box::new(AllQuery)
        } else if clauses.len() == 1 && has_scored {
            clauses.remove(0).1
        } else {
            if !has_scored {
                clauses.push((
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0)),
                ));
            }
            Box::new(BooleanQuery::new(clauses))
        };
        let searcher = self.reader.searcher();
        let mut year_facets = FacetCollector::for_field("year");
        year_facets.add_facet(Facet::root());
        let location_parent = match &request.facet_location {
            Some(l) => names::location_path(l)?,
            None => "/".to_string(),
        };
        let mut location_facets = FacetCollector::for_field("location");
        location_facets.add_facet(location_facet(&location_parent));
        let mut actor_facets = FacetCollector::for_field("actor");
        actor_facets.add_facet(Facet::root());
        let year_facets = (year_facets, location_facets, actor_facets);
        let collapse = Collapse {
            limit: request.limit,
            offset: request.offset,
            key: match sort {
                Sort::Relevance => Key::Score,
                Sort::Date => Key::Date,
            },
            all_copies: request.all_copies,
        };
        let (collapsed, facet_counts) = searcher.search(&*query, &(collapse, year_facets))?;
        let top: Vec<(Option<f32>, DocAddress, u64)> = collapsed
            .stories
            .iter()
            .map(|story| {
                let score = (sort == Sort::Relevance).then_some(story.key as f32);
                (score, story.address, story.documents - 1)
            })
            .collect();
        let hits = self.hits(&searcher, built.scored.as_deref(), &top)?;
        let (years, locations, actors) = facet_counts;
        let year = years
            .get(Facet::root())
            .map(|(facet, count)| {
                (
                    facet.to_path_string().trim_start_matches('/').to_string(),
                    count,
                )
            })
            .collect();
        let location = locations
            .top_k(location_facet(&location_parent), TOP_FACETS)
            .into_iter()
            .map(|(facet, count)| (facet.to_path_string(), count))
            .collect();
        let actor = actors
            .top_k(Facet::root(), TOP_FACETS)
            .into_iter()
            .map(|(facet, count)| {
                (
                    facet.to_path_string().trim_start_matches('/').to_string(),
                    count,
                )
            })
            .collect();
        Ok(Results {
            query: request.query.clone(),
            total: collapsed.documents,
            stories: collapsed.story_count,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            sort,
            hits,
            facets: Facets {
                year,
                location,
                location_parent,
                actor,
            },
            notes: built.notes,
        })
    }

    fn hits(
        &self,
        searcher: &Searcher,
        scored: Option<&dyn Query>,
        top: &[(Option<f32>, DocAddress, u64)],
    ) -> Result<Vec<Hit>> {
        let mapper = self.store.mapper();
        let snippets = match scored {
            Some(q) => Some(snippet::Highlighter::new(
                searcher,
                q,
                mapper.fields().body,
            )?),
            None => None,
        };
        top.iter()
            .map(|&(score, address, copies)| {
                let doc: TantivyDocument = searcher.doc(address)?;
                let stored = mapper.from_document(&doc);
                let snippet = match &snippets {
                    Some(h) => h.snippet(&stored.body),
                    None => Snippet::lead(&stored.body),
                };
                Ok(Hit {
                    year: stored.year(),
                    date: stored.date.map(|d| d.to_string()),
                    id: stored.id,
                    source: stored.source,
                    title: stored.title,
                    lang: stored.lang,
                    score,
                    snippet,
                    locations: stored.locations,
                    actors: stored.actors,
                    url: stored.url,
                    story: format!("{:016x}", stored.cluster),
                    copies,
                })
            })
            .collect()
    }
}

/// Reads a date bound typed by an analyst: `2024`, `2024-10` or `2024-10-22` (also `22/10/2024`).
/// A lower bound starts the period, an upper bound ends it (`--to 2024` is 2024-12-31).
pub fn parse_bound(value: &str, upper: bool) -> Result<NaiveDate> {
    let period = crate::text::date::Period::parse(value).ok_or_else(|| Error::Invalid {
        what: "date",
        value: value.to_string(),
        hint: "write YYYY, YYYY-MM or YYYY-MM-DD".into(),
    })?;
    Ok(if upper { period.last } else { period.first })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_reads_date_bounds_at_any_precision() {
        let d = |s: &str, upper| parse_bound(s, upper).map(|d| d.to_string()).ok();
        assert_eq!(d("2024", false).as_deref(), Some("2024-01-01"));
        assert_eq!(d("2024", true).as_deref(), Some("2024-12-31"));
        assert_eq!(d("2024-02", true).as_deref(), Some("2024-02-29"));
        assert_eq!(d("2024-10-22", false).as_deref(), Some("2024-10-22"));
        assert_eq!(d("22/10/2024", false).as_deref(), Some("2024-10-22"));
        assert!(parse_bound("hier", false).is_err());
        assert!(parse_bound("2024-13", false).is_err());
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
                match engine().search(&request) {
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
                    Err(Error::Query(message)) => prop_assert!(!message.is_empty()),
                    Err(Error::Invalid { hint, .. }) => prop_assert!(!hint.is_empty()),
                    Err(other) => prop_assert!(false, "unexpected error {other}"),
                }
            }
        }
    }
}
