//! A checked request → the tantivy query that ranks and filters. Nothing here can fail:
//! every name and word was resolved and analysed when the request was checked.
//!
//! Each text unit is scored on the stemmed and the exact fields of title and body, so exact
//! forms rank first and a title match weighs [`TITLE_BOOST`] times a body match. Words that
//! name an actor or a place also match the documents tagged with it, under any other name
//! or through a place under it, and score more in documents tagged with it
//! ([`TAGGED_SCORE`]: the recognizer saw the name in context), more again where it is
//! central — in the title, or named several times ([`CENTRAL_BONUS`]) — and more again where its
//! title names it by any name ([`TITLE_BONUS`]). A coalition also matches,
//! below, the documents tagged with a group it is made of since that group joined
//! ([`MEMBER_SCORE`]). Two words or more also score by how close they stand
//! ([`PROXIMITY_SLOP`]). Filters (years, dates, languages, places, actors) only select:
//! their score is 0.

use chrono::NaiveDate;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::exclusion::Exclusion;
use super::request::{Alternative, Checked, Group, Named, Scope, Unit};
use crate::analysis::Term as Token;
use crate::mapper::{Dated, DocMapper, FacetKind, Keyword};

/// How much more a title match weighs than a body match.
const TITLE_BOOST: f32 = 2.0;

/// Score of a document tagged with the actor, place, year or event type the words name:
/// added to the words' score where it has them (the recognizer saw the name in context),
/// alone where it is matched through the tag only (another alias, a place under the one
/// named), which ranks it below the documents that name it.
const TAGGED_SCORE: f32 = 5.0;

/// Added again where that actor or place is central to the document.
const CENTRAL_BONUS: f32 = 2.0;

/// Added again where its title names it, by any name (« Chef d'Aqmi tué » for « Al-Qaïda au
/// Maghreb islamique »; « Embuscade près de Bandiagara » for « Mopti »): the title says what the
/// article is about, whichever of its names it uses, and weighs as much as the tag.
const TITLE_BONUS: f32 = 5.0;

/// Score of a document matched only as tagged with a group the named coalition is made of
/// (« JNIM » → the katiba Macina since 2017): below every document tagged with the coalition.
const MEMBER_SCORE: f32 = 3.0;

/// Positions the words of a query may stand apart and still score as near one another.
const PROXIMITY_SLOP: u32 = 8;

/// The query of a request: what ranks (`None` without a query), and the whole.
pub struct Built {
    pub scored: Option<Box<dyn Query>>,
    pub query: Box<dyn Query>,
    /// With two plain words or more: their nearness, scored on the best stories only
    /// ([`super::near`]).
    pub near: Option<Box<dyn Query>>,
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

fn filter_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
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

fn unit_query(mapper: &DocMapper, unit: &Unit) -> Box<dyn Query> {
    match unit {
        Unit::Text {
            scope,
            stems,
            exacts,
        } => {
            let fields = match scope {
                Scope::All => vec![(mapper.title(), TITLE_BOOST), (mapper.body(), 1.0)],
                Scope::Title => vec![(mapper.title(), 1.0)],
                Scope::Body => vec![(mapper.body(), 1.0)],
            };
            let mut per_field: Vec<Box<dyn Query>> = Vec::new();
            for (field, boost) in fields {
                per_field.push(Box::new(BoostQuery::new(
                    text_query(field.stemmed, stems),
                    boost,
                )));
                per_field.push(Box::new(BoostQuery::new(
                    text_query(field.exact, exacts),
                    boost,
                )));
            }
            any_of(per_field)
        }
        Unit::Facet { kind, value } => filter_query(mapper.facet_term(*kind, value)),
        Unit::Keyword { keyword, value } => term_query(mapper.keyword_term(*keyword, value)),
    }
}

/// An alternative: its units, all required, or the documents tagged with the actor, places,
/// year or event type it names.
fn alternative_query(mapper: &DocMapper, alternative: &Alternative) -> Box<dyn Query> {
    let mut units: Vec<Box<dyn Query>> = alternative
        .units
        .iter()
        .map(|unit| unit_query(mapper, unit))
        .collect();
    let words: Box<dyn Query> = if units.len() == 1 {
        units.remove(0)
    } else {
        Box::new(BooleanQuery::new(
            units.into_iter().map(|q| (Occur::Must, q)).collect(),
        ))
    };
    let Some(named) = &alternative.named else {
        return words;
    };
    // The tag, and for actors and places, where the document is about it and where its title
    // names it.
    let (kind, values) = tag_values(named);
    let central_kinds = match kind {
        FacetKind::Actor => Some((FacetKind::CentralActor, FacetKind::TitleActor)),
        FacetKind::Location => Some((FacetKind::CentralLocation, FacetKind::TitleLocation)),
        _ => None,
    };
    let tags = |kind: FacetKind| {
        any_of(
            values
                .iter()
                .map(|v| filter_query(mapper.facet_term(kind, v)))
                .collect(),
        )
    };
    // One union: the words, the tag, and (a subset of the tag) the central tag. A document
    // naming it gets the words' score and both constants; one matched through the tag alone,
    // the constants only; one with the words the recognizer did not tag, the words only.
    let mut union: Vec<(Occur, Box<dyn Query>)> = vec![
        (Occur::Should, words),
        (
            Occur::Should,
            Box::new(ConstScoreQuery::new(tags(kind), TAGGED_SCORE)),
        ),
    ];
    if let Some((central, title)) = central_kinds {
        union.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(tags(central), CENTRAL_BONUS)),
        ));
        union.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(tags(title), TITLE_BONUS)),
        ));
    }
    if let Named::Actor { members, .. } = named {
        if let Some(query) = members_query(mapper, members) {
            union.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(query, MEMBER_SCORE)),
            ));
        }
    }
    Box::new(BooleanQuery::new(union))
}

/// The facet, and its values, of the documents tagged with what words name.
fn tag_values(named: &Named) -> (FacetKind, Vec<String>) {
    match named {
        Named::Actor { name, .. } => (FacetKind::Actor, vec![name.clone()]),
        Named::Places(paths) => (FacetKind::Location, paths.clone()),
        Named::Year(year) => (FacetKind::Year, vec![year.to_string()]),
        Named::Event(kind) => (FacetKind::Event, vec![kind.clone()]),
    }
}

/// The documents tagged with a member group and published on or after the day it joined.
fn members_query(
    mapper: &DocMapper,
    members: &[(NaiveDate, Vec<String>)],
) -> Option<Box<dyn Query>> {
    if members.is_empty() {
        return None;
    }
    Some(any_of(
        members
            .iter()
            .map(|(day, names)| {
                let tagged = any_of(
                    names
                        .iter()
                        .map(|name| filter_query(mapper.facet_term(FacetKind::Actor, name)))
                        .collect(),
                );
                let (lower, upper) = mapper.date_bounds(Dated::Published, Some(*day), None);
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, tagged),
                    (Occur::Must, Box::new(RangeQuery::new(lower, upper))),
                ])) as Box<dyn Query>
            })
            .collect(),
    ))
}

/// The nearness of a query's plain words (two or more, each one word): a phrase with slop
/// over the stemmed body, which ranks documents where they stand close above
/// those where they are far apart, and drops none.
fn proximity(mapper: &DocMapper, request: &Checked) -> Option<Box<dyn Query>> {
    let stems: Vec<&Token> = request
        .groups
        .iter()
        .filter(|g| !g.negated && g.alternatives.len() == 1)
        .flat_map(|g| &g.alternatives[0].units)
        .filter_map(|unit| match unit {
            Unit::Text {
                scope: Scope::All,
                stems,
                ..
            } if stems.len() == 1 => Some(&stems[0]),
            _ => None,
        })
        .collect();
    if stems.len() < 2 {
        return None;
    }
    let near = |field: Field| -> Box<dyn Query> {
        let terms = stems
            .iter()
            .enumerate()
            .map(|(offset, t)| (offset, Term::from_field_text(field, &t.text)))
            .collect();
        let mut phrase = PhraseQuery::new_with_offset(terms);
        phrase.set_slop(PROXIMITY_SLOP);
        Box::new(phrase)
    };
    // The body only: a title is short, its words are near by construction, and scoring its
    // nearness too cost the two-word queries of `vigie bench` a quarter more instructions.
    Some(near(mapper.body().stemmed))
}

/// A group: any of its alternatives.
fn group_query(mapper: &DocMapper, group: &Group) -> Box<dyn Query> {
    any_of(
        group
            .alternatives
            .iter()
            .map(|a| alternative_query(mapper, a))
            .collect(),
    )
}

/// What the query's words rank by: every group required but the one at `dropped` (the
/// relaxed query), excluded groups excluded (with only excluded groups, everything else
/// matches).
fn scored(mapper: &DocMapper, request: &Checked, dropped: Option<usize>) -> Option<Box<dyn Query>> {
    if request.groups.is_empty() {
        return None;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (i, group) in request.groups.iter().enumerate() {
        if Some(i) == dropped {
            continue;
        }
        let any = group_query(mapper, group);
        if group.negated {
            clauses.push((Occur::MustNot, Box::new(Exclusion(any))));
        } else {
            clauses.push((Occur::Must, any));
        }
    }
    if request.groups.iter().all(|g| g.negated) {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// What only selects: years, dates, languages, places, actors.
fn filters(mapper: &DocMapper, request: &Checked) -> Vec<Box<dyn Query>> {
    let mut filters: Vec<Box<dyn Query>> = Vec::new();
    let facets = |kind: FacetKind, values: &[String]| {
        any_of(
            values
                .iter()
                .map(|v| filter_query(mapper.facet_term(kind, v)))
                .collect(),
        )
    };
    let dated = request.dated;
    match dated {
        _ if request.years.is_empty() => {}
        Dated::Published => {
            let years: Vec<String> = request.years.iter().map(i32::to_string).collect();
            filters.push(facets(FacetKind::Year, &years));
        }
        // Event years are ranges of the event day (the year facet is the publication's).
        Dated::Event => filters.push(any_of(
            request
                .years
                .iter()
                .map(|&y| {
                    let (lower, upper) = mapper.date_bounds(
                        dated,
                        NaiveDate::from_ymd_opt(y, 1, 1),
                        NaiveDate::from_ymd_opt(y, 12, 31),
                    );
                    Box::new(RangeQuery::new(lower, upper)) as Box<dyn Query>
                })
                .collect(),
        )),
    }
    if request.from.is_some() || request.to.is_some() {
        let (lower, upper) = mapper.date_bounds(dated, request.from, request.to);
        filters.push(Box::new(RangeQuery::new(lower, upper)));
    }
    if !request.events.is_empty() {
        filters.push(facets(FacetKind::Event, &request.events));
    }
    if let Some(min) = request.min_killed {
        let (lower, upper) = mapper.killed_bounds(min);
        filters.push(Box::new(RangeQuery::new(lower, upper)));
    }
    if !request.langs.is_empty() {
        filters.push(any_of(
            request
                .langs
                .iter()
                .map(|l| term_query(mapper.keyword_term(Keyword::Lang, l)))
                .collect(),
        ));
    }
    if !request.locations.is_empty() {
        filters.push(facets(FacetKind::Location, &request.locations));
    }
    if !request.actors.is_empty() {
        filters.push(facets(FacetKind::Actor, &request.actors));
    }
    filters
}

/// The query of a checked request.
pub fn build(mapper: &DocMapper, request: &Checked) -> Built {
    let strict = scored(mapper, request, None);
    let query = whole(mapper, request, strict.as_deref());
    Built {
        scored: strict,
        query,
        near: proximity(mapper, request),
    }
}

/// The query of the documents with all the required groups but the commonest — the one
/// whose terms the most documents hold, by `doc_freq` — and the request's filters: what fills
/// a first page that the documents with every group do not. `None` with fewer than two
/// required groups. The rarer words are what the analyst asks for most precisely (`embuscade`
/// in `embuscade soldats`, the place in `attaque Mopti`), and their documents are few. From
/// [`ANY_ONE_FROM`] groups, all of them but any one.
pub fn relaxed(
    mapper: &DocMapper,
    request: &Checked,
    doc_freq: impl Fn(&Term) -> u64,
) -> Option<Box<dyn Query>> {
    let required: Vec<usize> = (0..request.groups.len())
        .filter(|&i| !request.groups[i].negated)
        .collect();
    if required.len() < 2 {
        return None;
    }
    let unit_freq = |unit: &Unit| match unit {
        Unit::Text { stems, .. } => stems
            .iter()
            .map(|t| doc_freq(&Term::from_field_text(mapper.body().stemmed, &t.text)))
            .min()
            .unwrap_or(0),
        Unit::Facet { kind, value } => doc_freq(&mapper.facet_term(*kind, value)),
        Unit::Keyword { keyword, value } => doc_freq(&mapper.keyword_term(*keyword, value)),
    };
    // An alternative that names an actor, places, a year or an event type matches through
    // the tag too: it is as common as the commoner of its words and its tag (« 2020 » is
    // written in few articles but is the year of many).
    let tag_freq = |named: &Named| -> u64 {
        let (kind, values) = tag_values(named);
        values
            .iter()
            .map(|v| doc_freq(&mapper.facet_term(kind, v)))
            .sum()
    };
    let group_freq = |i: usize| -> u64 {
        request.groups[i]
            .alternatives
            .iter()
            .map(|a| {
                let words = a.units.iter().map(unit_freq).min().unwrap_or(0);
                words.max(a.named.as_ref().map_or(0, &tag_freq))
            })
            .sum()
    };
    // Three words or more: any of them may be missing (« Macron Ouagadougou discours » goes on
    // with the articles on Macron in Ouagadougou that never say « discours »). Two: the rarer
    // one is kept (the union of both would be mostly the commoner's documents).
    if required.len() >= ANY_ONE_FROM {
        return Some(whole(mapper, request, Some(&*all_but_one(mapper, request))));
    }
    let commonest = required.into_iter().max_by_key(|&i| group_freq(i))?;
    scored(mapper, request, Some(commonest)).map(|q| whole(mapper, request, Some(&*q)))
}

/// From how many required groups a short page is filled with documents missing any one of
/// them, not only the commonest.
pub const ANY_ONE_FROM: usize = 3;

/// Every required group but any one, excluded groups excluded.
fn all_but_one(mapper: &DocMapper, request: &Checked) -> Box<dyn Query> {
    let mut required: Vec<Box<dyn Query>> = Vec::new();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for group in &request.groups {
        let any = group_query(mapper, group);
        if group.negated {
            clauses.push((Occur::MustNot, Box::new(Exclusion(any))));
        } else {
            required.push(any);
        }
    }
    let least = required.len() - 1;
    clauses.push((
        Occur::Must,
        Box::new(BooleanQuery::union_with_minimum_required_clauses(
            required, least,
        )),
    ));
    Box::new(BooleanQuery::new(clauses))
}

/// A scored query (if any) with the request's filters.
fn whole(mapper: &DocMapper, request: &Checked, scored: Option<&dyn Query>) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if let Some(q) = &scored {
        clauses.push((Occur::Must, q.box_clone()));
    }
    for filter in filters(mapper, request) {
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(filter, 0.0))));
    }
    match (clauses.len(), scored.is_some()) {
        (0, _) => Box::new(AllQuery),
        (1, true) => clauses.remove(0).1,
        (_, has_scored) => {
            if !has_scored {
                clauses.push((
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0)),
                ));
            }
            Box::new(BooleanQuery::new(clauses))
        }
    }
}
