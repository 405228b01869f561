//! What an analyst asks for, as typed ([`Request`]), checked once before any work
//! ([`Checked`]): dates read into bounds, place and actor names resolved, languages
//! normalised, the query parsed and its words analysed. A mistake is refused here, before the
//! index is opened, with a sentence that says what to type instead.

use chrono::NaiveDate;
use serde::Serialize;

use super::names;
use super::parse::{self, Clause, Target};
use crate::analysis::{self, Term as Token};
use crate::entities::{Actors, Gazetteer, Kind};
use crate::error::{Error, Result};
use crate::lang;
use crate::mapper::{Dated, FacetKind, Keyword};
use crate::text::date::Period;

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

/// A search as typed: the query, the filters and the page wanted.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub query: String,
    pub years: Vec<i32>,
    /// Published on or after: `2024`, `2024-10`, `2024-10-22` (the period's first day).
    pub from: Option<String>,
    /// Published on or before (the period's last day: `2024` is through 2024-12-31).
    pub to: Option<String>,
    pub langs: Vec<String>,
    pub limit: usize,
    pub offset: usize,
    /// `None`: by relevance with a query, by date without.
    pub sort: Option<Sort>,
    /// Places (names at any level, or paths); several mean any of them.
    pub locations: Vec<String>,
    /// Actors (any alias); several mean any of them.
    pub actors: Vec<String>,
    /// The place whose children are counted (default: the countries).
    pub facet_location: Option<String>,
    /// Every copy of a story as its own hit (default: one hit per story).
    pub all_copies: bool,
    /// Event types (names or French words); several mean any of them.
    pub events: Vec<String>,
    /// Documents reporting at least this many killed.
    pub min_killed: Option<u32>,
    /// Which day `years`, `from`, `to` and the timeline read: publication or event.
    pub dated: Dated,
    /// The query's words only: no actor or place they name is expanded to its tag.
    pub exact: bool,
}

/// Where a text unit is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Title and body.
    All,
    Title,
    Body,
}

/// What one word or phrase of a query looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// Words, analysed: the stemmed and the exact tokens (a phrase when several).
    Text {
        scope: Scope,
        stems: Vec<Token>,
        exacts: Vec<Token>,
    },
    /// Documents with a facet value (`year:2024`, `location:Mopti`, `actor:GSIM`, resolved).
    Facet { kind: FacetKind, value: String },
    /// Documents whose keyword field holds a value (`lang:fr`, `id:…`, `source:…`, `site:…`).
    Keyword { keyword: Keyword, value: String },
}

/// What words of a query name: an actor (by any alias) or places (by any spelling).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Named {
    /// An actor's canonical name, and the groups it is made of by the first day they are part
    /// of it, earliest first (`data/actor_members.tsv`): « JNIM » also means the katiba Macina
    /// since 2017.
    Actor {
        name: String,
        members: Vec<(NaiveDate, Vec<String>)>,
    },
    /// Location paths: the place, or the places an ambiguous name may mean. Each stands for
    /// the places under it too.
    Places(Vec<String>),
    /// A year (`JNIM 2020`): the documents published that year.
    Year(i32),
    /// An event type said in several words (`bombe artisanale`, `attentat suicide`): the
    /// documents coded with it, whatever words they use (`engin explosif improvisé`).
    Event(String),
}

/// One alternative of a group: its units, all required, or, when they name an actor or a
/// place, the documents tagged with it whatever name they use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative {
    pub units: Vec<Unit>,
    pub named: Option<Named>,
    /// Whether its word may match spellings one letter away ([`super::spelling`]).
    pub respell: Respell,
}

/// When a word of a query may match spellings one letter away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Respell {
    /// Quoted, excluded, named, several words, or under `--exact`: only as typed.
    No,
    /// A plain word in lower case: only when the index holds it nowhere (a typing slip).
    IfUnknown,
    /// A capitalized word (a name): when it is rare (a name transliterated another way).
    IfRare,
}

/// Alternatives (joined by OR), required, or excluded when `negated`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub alternatives: Vec<Alternative>,
    pub negated: bool,
}

/// A request checked and resolved: everything the search needs, nothing left to refuse.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// The query as typed.
    pub query: String,
    /// What the query's words ask for; empty without a query.
    pub groups: Vec<Group>,
    pub years: Vec<i32>,
    /// Inclusive bounds of the publication day.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Language codes, as stored.
    pub langs: Vec<String>,
    /// Location paths (any of them).
    pub locations: Vec<String>,
    /// Canonical actor names (any of them).
    pub actors: Vec<String>,
    /// Event type names (any of them).
    pub events: Vec<String>,
    pub min_killed: Option<u32>,
    /// Which day `years`, `from` and `to` bound, and the timeline counts.
    pub dated: Dated,
    /// The location path whose children are counted; `/` counts the countries.
    pub facet_location: String,
    pub limit: usize,
    pub offset: usize,
    pub sort: Sort,
    pub all_copies: bool,
    /// What the engine does with the query that the analyst should know (ignored words…).
    pub notes: Vec<String>,
}

/// Longest query read, in characters.
pub const MAX_QUERY_CHARS: usize = 2_000;
/// Most hits a page may show (an export gives every match).
pub const MAX_LIMIT: usize = 1_000;
/// Farthest a page may start: deeper pages are an export's work.
pub const MAX_OFFSET: usize = 10_000;

/// Refuses a query, a page size or a page start beyond the bounds.
fn check_bounds(request: &Request) -> Result<()> {
    let chars = request.query.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(Error::Query(format!(
            "the query is {chars} characters long; at most {MAX_QUERY_CHARS} are read: shorten it"
        )));
    }
    let beyond = |what: &'static str, value: usize, max: usize, hint: &str| Error::Invalid {
        what,
        value: value.to_string(),
        hint: format!("at most {max}; {hint}"),
    };
    if request.limit > MAX_LIMIT {
        return Err(beyond(
            "limit",
            request.limit,
            MAX_LIMIT,
            "an export gives every match",
        ));
    }
    if request.offset > MAX_OFFSET {
        return Err(beyond(
            "offset",
            request.offset,
            MAX_OFFSET,
            "narrow the search or export it",
        ));
    }
    Ok(())
}

/// The first (or, for an upper bound, the last) day of a date typed for `--from`/`--to`.
fn bound(value: &str, upper: bool) -> Result<NaiveDate> {
    let period = Period::parse(value).ok_or_else(|| Error::Invalid {
        what: "date",
        value: value.to_string(),
        hint: "write YYYY, YYYY-MM or YYYY-MM-DD".into(),
    })?;
    Ok(if upper { period.last } else { period.first })
}

impl Request {
    /// Checks and resolves everything typed, or says what is wrong with it.
    pub fn check(&self) -> Result<Checked> {
        check_bounds(self)?;
        let mut notes = Vec::new();
        let groups = groups(&self.query, self.exact, &mut notes)?;
        let sort = self.sort.unwrap_or(if groups.is_empty() {
            Sort::Date
        } else {
            Sort::Relevance
        });
        Ok(Checked {
            query: self.query.clone(),
            groups,
            years: self.years.clone(),
            from: self.from.as_deref().map(|d| bound(d, false)).transpose()?,
            to: self.to.as_deref().map(|d| bound(d, true)).transpose()?,
            langs: self.langs.iter().map(|l| lang::normalize(l)).collect(),
            // An area (`--location Macina`) also selects the places inside it.
            locations: self
                .locations
                .iter()
                .map(|l| names::location_paths(l))
                .collect::<Result<Vec<_>>>()?
                .concat(),
            actors: self
                .actors
                .iter()
                .map(|a| names::actor_name(a))
                .collect::<Result<_>>()?,
            events: self
                .events
                .iter()
                .map(|e| names::event_type(e))
                .collect::<Result<_>>()?,
            min_killed: self.min_killed,
            dated: self.dated,
            facet_location: match &self.facet_location {
                Some(place) => names::location_path(place)?,
                None => "/".to_string(),
            },
            limit: self.limit,
            offset: self.offset,
            sort,
            all_copies: self.all_copies,
            notes,
        })
    }
}

/// Words or a phrase in `scope`, analysed; `None` when it holds only stop words.
fn text_unit(scope: Scope, text: &str) -> Option<Unit> {
    let stems = analysis::analyze(&mut analysis::stemmed_analyzer(), text);
    if stems.is_empty() {
        return None;
    }
    let exacts = analysis::analyze(&mut analysis::exact_analyzer(), text);
    Some(Unit::Text {
        scope,
        stems,
        exacts,
    })
}

/// What one clause looks for; `None` when it holds only stop words.
fn unit(clause: &Clause) -> Result<Option<Unit>> {
    let text = clause.text.as_str();
    let keyword = |keyword, value| Ok(Some(Unit::Keyword { keyword, value }));
    let facet = |kind, value| Ok(Some(Unit::Facet { kind, value }));
    match clause.target {
        Target::All => Ok(text_unit(Scope::All, text)),
        Target::Title => Ok(text_unit(Scope::Title, text)),
        Target::Body => Ok(text_unit(Scope::Body, text)),
        Target::Lang => keyword(Keyword::Lang, lang::normalize(text)),
        Target::Source => keyword(Keyword::Source, text.to_string()),
        Target::Id => keyword(Keyword::Id, text.to_string()),
        Target::Site => keyword(Keyword::Site, text.to_string()),
        Target::Year => {
            let year: i32 = text.trim().parse().map_err(|_| Error::Invalid {
                what: "year",
                value: text.to_string(),
                hint: "write a year such as year:2024".into(),
            })?;
            facet(FacetKind::Year, year.to_string())
        }
        Target::Location => facet(FacetKind::Location, names::location_path(text)?),
        Target::Actor => facet(FacetKind::Actor, names::actor_name(text)?),
        Target::Event => facet(FacetKind::Event, names::event_type(text)?),
    }
}

/// Places a name may mean beyond which it is not expanded (`--location` with a path is the
/// way to say which).
const MAX_PLACES: usize = 4;

/// What a word or run of words names, and the note saying so: an actor's alias, else a
/// place of the gazetteer (countries, regions, cercles, towns and areas; villages are too
/// many and too ambiguous). Stop words, words that are also common French words (`dire`)
/// and words of fewer than three letters name nothing.
fn named(text: &str, negated: bool) -> Option<(Named, String)> {
    let verb = if negated { "excludes" } else { "matches" };
    let actors = Actors::get();
    if let Some(actor) = actors.resolve_query(text) {
        let name = actors.name(actor).to_string();
        let mut note = format!(
            "«{text}» also {verb} documents tagged with the actor {name}, whatever name they use"
        );
        // An excluded coalition excludes what it names, not what its members did; the others
        // by the day they joined (« Ansar Dine, Katiba Macina since 2017-03-02 »).
        let mut members: Vec<(NaiveDate, Vec<String>)> = Vec::new();
        if !negated {
            for member in actors.members(actor) {
                let name = actors.name(member.actor).to_string();
                match members.iter_mut().find(|(day, _)| *day == member.since) {
                    Some((_, names)) => names.push(name),
                    None => members.push((member.since, vec![name])),
                }
            }
        }
        members.sort();
        for (_, names) in &mut members {
            names.sort();
        }
        if !members.is_empty() {
            let listed: Vec<String> = members
                .iter()
                .map(|(day, names)| format!("{} since {day}", names.join(", ")))
                .collect();
            note.push_str(&format!(
                ", and, below them, those tagged with a group it is made of ({})",
                listed.join(", ")
            ));
        }
        return Some((Named::Actor { name, members }, note));
    }
    // Several words that say an event type: its other words too (a single word, as
    // « attaque », stays a word: matching every document coded with its type made common words
    // a quarter slower for a hundredth of nDCG, BENCHMARKS.md).
    if text.split_whitespace().count() >= 2 {
        if let Ok(kind) = names::event_type(text) {
            let note =
                format!("«{text}» also {verb} documents coded {kind}, whatever words they use");
            return Some((Named::Event(kind), note));
        }
    }
    let folded = crate::text::fold(text.trim());
    if let Some(year) = folded
        .parse::<i32>()
        .ok()
        .filter(|y| folded.len() == 4 && (1900..=2100).contains(y))
    {
        let note = format!("«{text}» also {verb} documents published in {year}");
        return Some((Named::Year(year), note));
    }
    let major = Gazetteer::major();
    if folded.chars().filter(|c| c.is_alphanumeric()).count() < 3
        || crate::analysis::is_stop_word(&folded)
        || major.is_common_word(&folded)
        || folded.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    // An area (« Macina », « Gourma », « trois frontières », « Sahel ») stands for the
    // cercles and regions inside it too: articles name the town, not the area.
    if let Some(area) = names::area(text) {
        let members = area.members.join(", ");
        let note = match area.path {
            Some(path) => format!(
                "«{text}» also {verb} documents tagged with {path} or a place in the area ({members})"
            ),
            None => format!(
                "«{text}» also {verb} documents tagged with a place of the area ({members})"
            ),
        };
        return Some((Named::Places(area.paths()), note));
    }
    let candidates = major.lookup(text);
    let best = candidates.first()?;
    let ties: Vec<&str> = candidates
        .iter()
        .filter(|p| p.rank == best.rank)
        .map(|p| p.path)
        .collect();
    if best.kind == Kind::Country || ties.len() == 1 {
        let note = format!(
            "«{text}» also {verb} documents tagged with {} or a place in it",
            best.path
        );
        return Some((Named::Places(vec![best.path.to_string()]), note));
    }
    if ties.len() > MAX_PLACES {
        // Said, so that the analyst knows why the places were not added.
        return Some((
            Named::Places(Vec::new()),
            format!(
                "«{text}» names {} places: only the word is searched; give --location a path to search a place",
                ties.len()
            ),
        ));
    }
    let note = format!(
        "«{text}» names {} places; it also {verb} documents tagged with any of them ({}), each article's place being the one its country allows",
        ties.len(),
        ties.join(", ")
    );
    Some((
        Named::Places(ties.into_iter().map(str::to_string).collect()),
        note,
    ))
}

/// Longest run (two to eight words) of plain required words at the start of `groups` that
/// names an actor or a place, with its length.
fn named_run(groups: &[parse::Group]) -> Option<(usize, Named, String)> {
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
        named(&text.join(" "), false)
            .filter(|(named, _)| named != &Named::Places(Vec::new()))
            .map(|(named, note)| (len, named, note))
    })
}

/// What a word or phrase of a query names, when it is searched in the text (not a field's
/// value) and not quoted: a phrase means its words only.
fn clause_named(clause: &Clause, negated: bool) -> Option<(Named, String)> {
    (clause.target == Target::All && !clause.phrase)
        .then(|| named(&clause.text, negated))
        .flatten()
}

/// The groups of a query, with what the analyst should know of them in `notes`.
fn groups(query: &str, exact: bool, notes: &mut Vec<String>) -> Result<Vec<Group>> {
    let parsed = parse::parse(query);
    let mut groups = Vec::new();
    let mut at = 0;
    while at < parsed.groups.len() {
        // Plain words that together name an actor or a place (`armée malienne`, `trois
        // frontières`): all of them, or the tag.
        let run = (!exact).then(|| named_run(&parsed.groups[at..])).flatten();
        if let Some((len, named, note)) = run {
            let clauses: Vec<&Clause> = parsed.groups[at..at + len]
                .iter()
                .map(|g| &g.alternatives[0])
                .collect();
            // The name's words as a phrase: « trois frontières » named, not « trois » here and
            // « frontières » there (a document tagged with it matches through the tag).
            let joined: Vec<&str> = clauses.iter().map(|c| c.text.as_str()).collect();
            let units: Vec<Unit> = text_unit(Scope::All, &joined.join(" "))
                .into_iter()
                .collect();
            notes.push(note);
            groups.push(Group {
                alternatives: vec![Alternative {
                    units,
                    named: Some(named),
                    respell: Respell::No,
                }],
                negated: false,
            });
            at += len;
            continue;
        }
        let group = &parsed.groups[at];
        at += 1;
        let mut alternatives = Vec::new();
        for clause in &group.alternatives {
            let Some(found) = unit(clause)? else {
                notes.push(format!(
                    "ignored «{}»: too common a word to search for",
                    clause.text
                ));
                continue;
            };
            let named = (!exact)
                .then(|| clause_named(clause, group.negated))
                .flatten()
                .map(|(named, note)| {
                    notes.push(note);
                    named
                })
                .filter(|named| named != &Named::Places(Vec::new()));
            alternatives.push(Alternative {
                units: vec![found],
                named,
                respell: match clause.text.chars().next() {
                    _ if exact || clause.phrase || group.negated => Respell::No,
                    Some(c) if c.is_uppercase() => Respell::IfRare,
                    _ => Respell::IfUnknown,
                },
            });
        }
        if !alternatives.is_empty() {
            groups.push(Group {
                alternatives,
                negated: group.negated,
            });
        }
    }
    if parsed.is_empty() && !query.trim().is_empty() {
        return Err(Error::Query(format!(
            "nothing to search for in «{}»: it holds no word; type words, \"a phrase\", or nothing at all to list documents",
            query.trim()
        )));
    }
    if !parsed.is_empty() && groups.is_empty() {
        return Err(Error::Query(format!(
            "nothing to search for in «{}»: every word is too common (le, de, et…); add a meaningful word or use filters",
            query.trim()
        )));
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(query: &str) -> Result<Checked> {
        Request {
            query: query.to_string(),
            ..Request::default()
        }
        .check()
    }

    #[test]
    fn it_reads_date_bounds_at_any_precision() {
        let d = |s: &str, upper| bound(s, upper).map(|d| d.to_string()).ok();
        assert_eq!(d("2024", false).as_deref(), Some("2024-01-01"));
        assert_eq!(d("2024", true).as_deref(), Some("2024-12-31"));
        assert_eq!(d("2024-02", true).as_deref(), Some("2024-02-29"));
        assert_eq!(d("2024-10-22", false).as_deref(), Some("2024-10-22"));
        assert_eq!(d("22/10/2024", false).as_deref(), Some("2024-10-22"));
        assert!(bound("hier", false).is_err());
        assert!(bound("2024-13", false).is_err());
    }

    #[test]
    fn it_resolves_names_and_dates_before_any_search() {
        let request = Request {
            query: "location:Mopti embuscade".into(),
            from: Some("2024".into()),
            to: Some("2024-10".into()),
            locations: vec!["Bandiagara".into()],
            actors: vec!["GSIM".into()],
            langs: vec!["Français".into()],
            facet_location: Some("mopti".into()),
            ..Request::default()
        };
        let checked = request.check().unwrap();
        assert_eq!(checked.from.unwrap().to_string(), "2024-01-01");
        assert_eq!(checked.to.unwrap().to_string(), "2024-10-31");
        assert_eq!(checked.locations, ["/Mali/Mopti/Bandiagara"]);
        assert_eq!(checked.actors, ["JNIM"]);
        assert_eq!(checked.langs, ["fr"]);
        assert_eq!(checked.facet_location, "/Mali/Mopti");
        // An area selects the places inside it, as the same word does in a query.
        for (area, inside) in [("Macina", "/Mali/Mopti"), ("Sahel", "/Niger")] {
            let filter = Request {
                locations: vec![area.into()],
                ..Request::default()
            };
            let query = super::tests::checked(area).unwrap();
            let named = query.groups[0].alternatives[0].named.clone();
            let Some(Named::Places(paths)) = named else {
                panic!("{area}: {named:?}");
            };
            assert_eq!(filter.check().unwrap().locations, paths, "{area}");
            assert!(paths.iter().any(|p| p == inside), "{area}: {paths:?}");
        }
        assert_eq!(checked.sort, Sort::Relevance);
        assert_eq!(
            checked.groups[0].alternatives[0].units,
            [Unit::Facet {
                kind: FacetKind::Location,
                value: "/Mali/Mopti".into()
            }]
        );
        for wrong in [
            Request {
                to: Some("hier".into()),
                ..Request::default()
            },
            Request {
                actors: vec!["Rebelles inconnus".into()],
                ..Request::default()
            },
            Request {
                query: "year:deux".into(),
                ..Request::default()
            },
        ] {
            assert!(matches!(wrong.check(), Err(Error::Invalid { .. })));
        }
    }

    #[test]
    fn it_expands_an_actor_alias_once_for_a_word_and_for_a_run_of_words() {
        // The actor's name and its members.
        let actor = |named: &Option<Named>| match named {
            Some(Named::Actor { name, members }) => {
                let members: Vec<String> = members
                    .iter()
                    .flat_map(|(since, names)| names.iter().map(move |m| format!("{m} {since}")))
                    .collect();
                (name.clone(), members)
            }
            other => panic!("{other:?}"),
        };
        let word = checked("GSIM attaque").unwrap();
        let (name, members) = actor(&word.groups[0].alternatives[0].named);
        assert_eq!(name, "JNIM");
        assert_eq!(
            members,
            [
                "Al-Mourabitoune 2017-03-02",
                "Ansar Dine 2017-03-02",
                "Katiba Macina 2017-03-02"
            ]
        );
        // Event words are searched as words: matching the documents coded with their type
        // too cost common words a quarter more time for a hundredth of nDCG (BENCHMARKS.md).
        assert_eq!(word.groups[1].alternatives[0].named, None);
        let run = checked("armée malienne Gao").unwrap();
        assert_eq!(run.groups.len(), 2);
        // The run's words are one phrase, the name.
        assert!(matches!(
            &run.groups[0].alternatives[0].units[..],
            [Unit::Text { stems, .. }] if stems.len() == 2
        ));
        let (name, members) = actor(&run.groups[0].alternatives[0].named);
        assert_eq!(name, "FAMa");
        assert!(members.is_empty());
        assert!(run.notes[0].contains("«armée malienne» also matches"));
        // Several words that say an event type match the documents coded with it; one word
        // stays a word.
        let event = checked("bombe artisanale Gao").unwrap();
        assert_eq!(
            event.groups[0].alternatives[0].named,
            Some(Named::Event("ied".into()))
        );
        assert_eq!(
            checked("embuscade").unwrap().groups[0].alternatives[0].named,
            None
        );
        let excluded = checked("attaque -Barkhane").unwrap();
        assert!(
            excluded.notes[0].contains("«Barkhane» also excludes"),
            "{:?}",
            excluded.notes
        );
    }

    #[test]
    fn it_expands_a_place_name_to_the_places_under_it_unless_told_not_to() {
        let places = |query: &str| {
            checked(query).unwrap().groups[1].alternatives[0]
                .named
                .clone()
        };
        assert_eq!(
            places("attaque Mopti"),
            Some(Named::Places(vec!["/Mali/Mopti".into()]))
        );
        assert_eq!(places("attaque mopti"), places("attaque Mopti"));
        let noted = checked("attaque Mopti").unwrap();
        assert!(
            noted
                .notes
                .iter()
                .any(|n| n.contains("/Mali/Mopti or a place in it")),
            "{:?}",
            noted.notes
        );
        // Common words, quoted phrases and --exact are the words only.
        assert_eq!(places("attaque dire"), None);
        assert_eq!(places("attaque \"Mopti\""), None);
        let exact = Request {
            query: "attaque Mopti".into(),
            exact: true,
            ..Request::default()
        };
        let exact = exact.check().unwrap();
        assert_eq!(exact.groups[1].alternatives[0].named, None);
        assert!(exact.notes.is_empty());
    }

    #[test]
    fn it_refuses_what_is_beyond_the_bounds() {
        let long = Request {
            query: "attaque ".repeat(300),
            ..Request::default()
        };
        assert!(matches!(long.check(), Err(Error::Query(m)) if m.contains("at most 2000")));
        for (limit, offset) in [(1001, 0), (10, 10_001)] {
            let request = Request {
                query: "attaque".into(),
                limit,
                offset,
                ..Request::default()
            };
            assert!(
                matches!(request.check(), Err(Error::Invalid { hint, .. }) if hint.starts_with("at most"))
            );
        }
        let bounds = Request {
            query: "attaque ".repeat(249),
            limit: MAX_LIMIT,
            offset: MAX_OFFSET,
            ..Request::default()
        };
        assert!(bounds.check().is_ok());
    }

    #[test]
    fn it_refuses_a_query_of_stop_words_or_no_words() {
        assert!(matches!(checked("le de"), Err(Error::Query(m)) if m.contains("too common")));
        assert!(matches!(checked("(( ) ]"), Err(Error::Query(m)) if m.contains("holds no word")));
        let note = checked("les attaques").unwrap();
        assert_eq!(
            note.notes[0],
            "ignored «les»: too common a word to search for"
        );
        assert_eq!(checked("").unwrap().sort, Sort::Date);
    }
}
