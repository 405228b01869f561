//! Which place names in an article are places it talks about.
//!
//! Many names in the gazetteer are also ordinary words, first names or other things (`Niger`
//! the river, the hotel `campement Kangaba`, hamlets named like French words). A mention counts
//! only when it is capitalised, not part of an actor's name, and its rank fits its context:
//! countries and regional capitals stand on their own; towns, cercles and areas need the article
//! to be about the Sahel (a Sahel country, a confident place or a Sahel actor is named) or a
//! locative cue (`à`, `près de`, `village de`…); villages need both. When a name fits several
//! places, the likeliest wins, preferring places in a country or region already named.

use std::ops::Range;
use std::sync::OnceLock;

use super::gazetteer::{Gazetteer, Kind, Place};
use super::words::Word;
use crate::text::list;

/// Rank from which a place is confident without any context (countries, regions, capitals).
const SELF_EVIDENT: u8 = 90;
/// Rank below which a place is a village: it needs context and a cue.
const VILLAGE: u8 = 50;

const CONTEXT: &str = include_str!("../../data/place_context.tsv");

/// The words around a name that tell whether it is a place (`data/place_context.tsv`).
struct Context {
    /// Before a name, as written: `à`.
    cue_written: Vec<&'static str>,
    /// Before a name, folded: `vers`, `village`…
    cue: Vec<&'static str>,
    /// Partitives joining a locative noun to a name: `de`, `du`…
    of: Vec<&'static str>,
    /// Nouns that, before a partitive, announce a place: `région`, `près`…
    locative: Vec<&'static str>,
    /// Coordinations carrying the cue of the place before: `et`, `ou`.
    and: Vec<&'static str>,
    /// Before a name, an establishment: `campement`, `hôtel`…
    establishment: Vec<&'static str>,
    /// Before a name, a person's title: `président`…
    title: Vec<&'static str>,
    /// Names that are also a river's (`Niger`)...
    river_names: Vec<&'static str>,
    /// ...and the words before them that make them the river: `fleuve`, `rives`…
    river: Vec<&'static str>,
}

fn context() -> &'static Context {
    static CONTEXT_WORDS: OnceLock<Context> = OnceLock::new();
    CONTEXT_WORDS.get_or_init(|| {
        let kind = |kind| list::of_kind(CONTEXT, kind).collect();
        Context {
            cue_written: kind("cue-written"),
            cue: kind("cue"),
            of: kind("of"),
            locative: kind("locative"),
            and: kind("and"),
            establishment: kind("establishment"),
            title: kind("title"),
            river_names: kind("river-name"),
            river: kind("river"),
        }
    })
}

/// A place mention kept for an article.
#[derive(Debug, Clone)]
pub struct Mention<'g> {
    pub place: &'g Place,
    /// Word range in the text's words.
    pub words: Range<usize>,
}

fn has_cue(words: &[Word<'_>], i: usize, previous_place_end: Option<usize>) -> bool {
    let context = context();
    let before = |k: usize| i.checked_sub(k).map(|j| words[j].norm);
    let written_before = i.checked_sub(1).map(|j| words[j].raw);
    match before(1) {
        _ if written_before.is_some_and(|w| context.cue_written.contains(&w)) => true,
        Some(w) if context.cue.contains(&w) => true,
        Some(w) if context.of.contains(&w) => {
            (2..=4).any(|k| before(k).is_some_and(|w| context.locative.contains(&w)))
        }
        Some(w) if context.and.contains(&w) => previous_place_end == Some(i - 1),
        _ => false,
    }
}

/// Capitalised and joined to the name by a space only: the name is part of a person's or an
/// organisation's name ("Ibrahim Boubacar Keïta", "Léo Ferré").
fn in_proper_name(words: &[Word<'_>], range: &Range<usize>) -> bool {
    let before = range.start.checked_sub(1).map(|j| &words[j]);
    let after = words.get(range.end);
    let joined = |w: &Word<'_>, next: &Word<'_>| {
        !next.after_punctuation && w.capitalized() && !w.sentence_start
    };
    let titled = before.is_some_and(|b| context().title.contains(&b.norm));
    titled
        || before.is_some_and(|b| joined(b, &words[range.start]))
        || after.is_some_and(|a| !a.after_punctuation && a.capitalized())
}

fn is_river(words: &[Word<'_>], i: usize) -> bool {
    words[i.saturating_sub(3)..i]
        .iter()
        .any(|w| context().river.contains(&w.norm))
}

/// A name of the gazetteer in the text: its words, and the places it may name.
type Candidate<'g> = (Range<usize>, Vec<&'g Place>);

/// Every capitalised name outside actor names (and not an establishment's), longest first at
/// each word.
fn candidates<'g>(
    gazetteer: &'g Gazetteer,
    words: &[Word<'_>],
    taken: &[Range<usize>],
) -> Vec<Candidate<'g>> {
    let mut candidates = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let found = if !words[i].capitalized()
            || taken.iter().any(|r| r.contains(&i))
            || i > 0 && context().establishment.contains(&words[i - 1].norm)
        {
            None
        } else {
            gazetteer.names().matches_at(words, i).next()
        };
        match found {
            Some((len, ids)) => {
                let places = ids.iter().map(|&id| gazetteer.place(id)).collect();
                candidates.push((i..i + len, places));
                i += len;
            }
            None => i += 1,
        }
    }
    candidates
}

/// A name that is no ordinary word (`Dire`) nor an acronym (`GAO`).
fn is_plain(gazetteer: &Gazetteer, words: &[Word<'_>], range: &Range<usize>) -> bool {
    let first = &words[range.start];
    range.len() > 1 || !(gazetteer.is_common_word(first.norm) || first.all_caps())
}

/// The countries and regions the article names with confidence: the context of the others.
fn confident<'g>(
    gazetteer: &Gazetteer,
    words: &[Word<'_>],
    candidates: &[Candidate<'g>],
) -> Vec<&'g Place> {
    candidates
        .iter()
        .filter_map(|(range, places)| {
            let best = places.iter().max_by_key(|p| p.rank)?;
            let unique = places.iter().filter(|p| p.rank == best.rank).count() == 1;
            let trusted = if best.kind == Kind::Country {
                !is_river(words, range.start)
            } else {
                is_plain(gazetteer, words, range) && !in_proper_name(words, range)
            };
            (best.rank >= SELF_EVIDENT && unique && trusted).then_some(*best)
        })
        .collect()
}

/// The place mentions of an article's words, given the word ranges taken by actor names and
/// whether the article names a Sahel actor.
pub fn find<'g>(
    gazetteer: &'g Gazetteer,
    words: &[Word<'_>],
    taken: &[Range<usize>],
    sahel_actor: bool,
) -> Vec<Mention<'g>> {
    let candidates = candidates(gazetteer, words, taken);
    let confident = confident(gazetteer, words, &candidates);
    let sahel = sahel_actor || confident.iter().any(|p| p.in_sahel());
    let score = |p: &Place| {
        let same_region = confident.iter().any(|c| {
            c.in_sahel()
                && c.region().is_some()
                && c.region() == p.region()
                && c.country() == p.country()
        });
        let same_country = confident.iter().any(|c| c.country() == p.country());
        (p.rank, same_region, same_country, p.population)
    };
    let mut mentions: Vec<Mention<'g>> = Vec::new();
    let mut previous_end = None;
    for (range, places) in candidates {
        let Some(best) = places.iter().copied().max_by_key(|p| score(p)) else {
            continue;
        };
        let at = range.start;
        let cue = has_cue(words, at, previous_end);
        let river = context().river_names.contains(&best.name()) && is_river(words, at);
        let keep = match best.rank {
            _ if best.kind == Kind::Country => !river,
            _ if in_proper_name(words, &range) => false,
            // An ordinary word ("Dire que…") or an acronym ("le GAO") is a place only when the
            // Sahel article points at it as one.
            _ if !is_plain(gazetteer, words, &range) => sahel && cue,
            r if r >= SELF_EVIDENT => true,
            r if r >= VILLAGE => sahel && (cue || !words[at].sentence_start),
            _ => sahel && cue && confident.iter().any(|c| c.country() == best.country()),
        };
        if keep {
            previous_end = Some(range.end - 1);
            mentions.push(Mention {
                place: best,
                words: range,
            });
        }
    }
    mentions
}
