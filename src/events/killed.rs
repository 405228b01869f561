//! How many people an article reports killed, by the conventions of `shared/eval/events.md`
//! (ACLED's): figures in digits and words, victims' groups added up, the lowest figure when
//! sources disagree, deaths with no figure counted as « plusieurs » (10), `neutralisés` alone,
//! the wounded, subsets (« dont six Français ») and cumulative tolls not counted.
//!
//! A sentence is read as a run of *victims* (a figure and the noun it counts: « douze
//! soldats », « une dizaine de morts », « des assaillants ») and *states* (tués, morts,
//! blessés, neutralisés). Victims take the state that follows them (« 5 soldats et 10
//! assaillants tués »), or the one just before when it is a killing verb (« tuant 12 civils »,
//! « la mort de trois soldats »).
//!
//! An article often gives one toll several times (the title, the lead, a quote), and several
//! events (an IED, then an ambush). So figures are kept per event type (the trigger of their
//! sentence, else of the sentence before) and per group: the lowest figure of each, then an
//! event's toll is the larger of its groups' sum and of its figures without a group.

use std::collections::BTreeMap;

use serde::Serialize;

use super::lexicon::{types, Group, Tag};
use super::{Article, Sentence};
use crate::entities::Word;

/// A fatality phrase of the article, counted or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fatality {
    /// The words, as written.
    pub words: String,
    /// The figure they give (10 for deaths with no figure).
    pub figure: u32,
    pub group: Group,
    /// Why it was not counted; `None` when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejected: Option<&'static str>,
}

/// What happened to victims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Death,
    Wounded,
    Neutralised,
}

/// A figure and the noun it counts.
#[derive(Debug, Clone)]
struct Victims {
    /// Words of the figure and noun.
    from: usize,
    to: usize,
    figure: u32,
    /// Written with a figure (not « des soldats »).
    counted: bool,
    group: Group,
    /// The noun is the state itself (« 12 morts », « 12 blessés »).
    state: Option<State>,
    /// A part of victims named before (« dont six Français », « parmi eux »).
    subset: bool,
    /// People who were with the victims (« avec leur chauffeur et leur guide »): added to
    /// the victims however they are counted.
    companion: bool,
}

/// Figures written in words.
const UNITS: [(&str, u32); 22] = [
    ("un", 1),
    ("une", 1),
    ("deux", 2),
    ("trois", 3),
    ("quatre", 4),
    ("cinq", 5),
    ("six", 6),
    ("sept", 7),
    ("huit", 8),
    ("neuf", 9),
    ("dix", 10),
    ("onze", 11),
    ("douze", 12),
    ("treize", 13),
    ("quatorze", 14),
    ("quinze", 15),
    ("seize", 16),
    ("vingt", 20),
    ("trente", 30),
    ("quarante", 40),
    ("cinquante", 50),
    ("soixante", 60),
];

/// Approximate figures: « une dizaine » (the figure), « des dizaines » (events.md's).
const ROUGHLY: [(&str, u32, u32); 11] = [
    ("dizaine", 10, 12),
    ("douzaine", 12, 12),
    ("quinzaine", 15, 15),
    ("vingtaine", 20, 20),
    ("trentaine", 30, 30),
    ("quarantaine", 40, 40),
    ("cinquantaine", 50, 50),
    ("soixantaine", 60, 60),
    ("centaine", 100, 100),
    ("millier", 1000, 1000),
    ("milliers", 1000, 1000),
];

/// How many words after its victims a state may stand (« six humanitaires de l'ONG Acted
/// ainsi que leur chauffeur et un guide nigériens, ont été exécutés »).
const AFTER: usize = 20;

/// The words, other than figures, that victims may start with.
const STARTS: [&str; 14] = [
    "une",
    "des",
    "plusieurs",
    "quelques",
    "de",
    "leur",
    "son",
    "sa",
    "les",
    "ces",
    "leurs",
    "le",
    "la",
    "l",
];

/// What « plusieurs », « de nombreux », « des morts » count as.
const SEVERAL: u32 = 10;

/// Words between a figure and its noun that change nothing (« 12 jeunes soldats »).
const BETWEEN: [&str; 6] = ["de", "d", "des", "jeunes", "autres", "nouveaux"];

/// Words that make a toll a conflict's, not an event's (« les violences ont fait des
/// milliers de morts »).
const CONFLICT: [&str; 7] = [
    "conflit",
    "violences",
    "crise",
    "guerre",
    "insurrection",
    "insurge",
    "attaques",
];

/// Words that make a figure a cumulative toll (« portant à 50 le nombre de soldats tués »).
const CUMULATIVE: [[&str; 2]; 6] = [
    ["portant", "a"],
    ["porte", "a"],
    ["au", "total"],
    ["nombre", "total"],
    ["bilan", "total"],
    ["en", "comptant"],
];

fn plural(word: &str) -> bool {
    word.ends_with('s') || word.ends_with('x')
}

/// The figure written at word `i`: (value, words it takes), digits (`12`, `12 000`,
/// `12.000`) or words (`douze`, `vingt et un`, `quatre-vingt-dix`, `deux cents`).
fn figure(words: &[Word<'_>], i: usize) -> Option<(u32, usize)> {
    let first = words.get(i)?.norm;
    if first.bytes().all(|b| b.is_ascii_digit()) {
        let mut value: u32 = first.parse().ok()?;
        let mut n = 1;
        // Thousands written apart: « 12 000 », « 12.000 ».
        while let Some(next) = words.get(i + n) {
            let group = next.norm.len() == 3 && next.norm.bytes().all(|b| b.is_ascii_digit());
            if !group || value >= 1000 || first.len() > 3 {
                break;
            }
            value = value * 1000 + next.norm.parse::<u32>().ok()?;
            n += 1;
        }
        return Some((value, n));
    }
    let (mut total, mut current, mut n) = (0u32, 0u32, 0usize);
    while let Some(word) = words.get(i + n) {
        let w = word.norm;
        if let Some(&(_, v)) = UNITS.iter().find(|(u, _)| *u == w) {
            current = if v == 20 && current % 100 == 4 {
                current - 4 + 80
            } else {
                current + v
            };
        } else if w == "vingts" && current % 100 == 4 {
            current = current - 4 + 80;
        } else if matches!(w, "cent" | "cents") {
            current = current.max(1) * 100;
        } else if w == "mille" {
            total += current.max(1) * 1000;
            current = 0;
        } else if w == "et"
            && n > 0
            && words
                .get(i + n + 1)
                .is_some_and(|w| matches!(w.norm, "un" | "une" | "onze"))
        {
            // « vingt et un »
        } else {
            break;
        }
        n += 1;
    }
    (n > 0).then_some((total + current, n))
}

/// The phrases of the sentence starting at word `at`: (what it says, words).
fn tags_at(sentence: &Sentence, at: usize) -> impl Iterator<Item = (Tag, usize)> + '_ {
    sentence
        .tags
        .iter()
        .filter(move |(start, _, _)| *start == at)
        .map(|&(_, tag, n)| (tag, n))
}

/// A victims' noun or a state at word `at`.
fn noun_at(sentence: &Sentence, at: usize) -> Option<(Tag, usize)> {
    tags_at(sentence, at).find(|(tag, _)| matches!(tag, Tag::Group(_)) || state_of(*tag).is_some())
}

fn state_of(tag: Tag) -> Option<State> {
    match tag {
        Tag::Death => Some(State::Death),
        Tag::Wounded => Some(State::Wounded),
        Tag::Neutralised => Some(State::Neutralised),
        _ => None,
    }
}

/// The noun a figure ending before word `at` counts: (group, state it names, words).
fn noun(
    sentence: &Sentence,
    words: &[Word<'_>],
    at: usize,
) -> Option<(Group, Option<State>, usize)> {
    let mut i = at;
    while i < sentence.words.end && i < at + 3 {
        match noun_at(sentence, i) {
            Some((Tag::Group(group), n)) => return Some((group, None, i + n - at)),
            Some((tag, n)) if state_of(tag).is_some() => {
                return Some((Group::People, state_of(tag), i + n - at))
            }
            _ => {}
        }
        if !BETWEEN.contains(&words[i].norm) {
            return None;
        }
        // « trois soldats tués et deux autres blessés »
        let noun_next = matches!(noun_at(sentence, i + 1), Some((Tag::Group(_), _)));
        if words[i].norm == "autres" && !noun_next {
            return Some((Group::People, None, i + 1 - at));
        }
        i += 1;
    }
    None
}

/// The victims written from word `i`: a figure, words or an approximation, and its noun.
fn victims_at(sentence: &Sentence, words: &[Word<'_>], i: usize) -> Option<Victims> {
    let norm = |k: usize| words.get(k).map_or("", |w| w.norm);
    // Most words start no victims: a figure starts with a digit or is a word of a few.
    let first = norm(i);
    let starts = first.as_bytes().first().is_some_and(u8::is_ascii_digit)
        || STARTS.contains(&first)
        || UNITS.iter().any(|(u, _)| *u == first);
    if !starts {
        return None;
    }
    let roughly = matches!(first, "une" | "des" | "plusieurs" | "quelques")
        .then(|| {
            let next = norm(i + 1).trim_end_matches('s');
            ROUGHLY.iter().find(|(r, _, _)| next == *r)
        })
        .flatten();
    let (figure, len, counted) = if let Some(&(_, one, many)) = roughly {
        (if norm(i) == "une" { one } else { many }, 2, true)
    } else if norm(i) == "plusieurs" || (norm(i) == "de" && norm(i + 1).starts_with("nombreu")) {
        (SEVERAL, if norm(i) == "de" { 2 } else { 1 }, true)
    } else if let Some((value, n)) = figure(words, i) {
        // A range (« 10 à 15 », « entre 10 et 15 »): its lowest figure.
        let (value, n) = match (norm(i + n), figure(words, i + n + 1)) {
            (w, Some((high, m))) if matches!(w, "a" | "ou" | "et") && high >= value => {
                (value, n + 1 + m)
            }
            _ => (value, n),
        };
        (value, n, true)
    } else if matches!(norm(i), "leur" | "son" | "sa") {
        // « avec leur guide »: one person, named as surely as by a figure.
        (1, 1, true)
    } else if matches!(
        norm(i),
        "des" | "les" | "de" | "ces" | "leurs" | "le" | "la" | "l"
    ) {
        (SEVERAL, 1, false)
    } else {
        return None;
    };
    // « dont quatre ont été tués »: a figure with no noun, of the victims just named.
    let auxiliary = matches!(norm(i + len), "ont" | "sont" | "avaient" | "auraient")
        && (i + len + 1..i + len + 4)
            .any(|k| tags_at(sentence, k).any(|(tag, _)| tag == Tag::Death));
    let (group, state, noun_len) = match noun(sentence, words, i + len) {
        Some(found) => found,
        None if counted && auxiliary => (Group::People, None, 0),
        None => return None,
    };
    let last = i + len + noun_len - 1;
    let figure = if counted {
        figure
    } else if plural(words[last].norm) {
        SEVERAL
    } else {
        1
    };
    let before = |k: usize| i.checked_sub(k).map_or("", norm);
    let companion = group == Group::Others && matches!(norm(i), "leur" | "leurs" | "son" | "sa");
    // « l'un des militaires tués »: one of victims counted with their figure.
    let one_of = matches!(norm(i), "un" | "une") && matches!(norm(i + 1), "des" | "d" | "de");
    let subset = one_of
        || before(1) == "dont"
        || (before(2) == "parmi"
            && matches!(before(1), "eux" | "elles" | "lesquels" | "lesquelles"));
    Some(Victims {
        from: i,
        to: i + len + noun_len,
        figure,
        counted,
        group,
        state,
        subset,
        companion,
    })
}

/// Verbs whose victims follow them (« tuant 12 civils », « ont tué trois soldats », « et
/// blessé cinq autres »).
fn takes_object(words: &[Word<'_>], at: usize) -> bool {
    let w = words[at].norm;
    let before = at.checked_sub(1).map_or("", |k| words[k].norm);
    w == "tuant"
        || w == "blessant"
        || (w.starts_with("blesse") && matches!(before, "a" | "ont" | "et" | "avoir"))
        || w == "coute"
        || (matches!(w, "mort" | "deces" | "assassinat" | "massacre" | "meurtre")
            && words
                .get(at + 1)
                .is_some_and(|n| matches!(n.norm, "de" | "d")))
        || (matches!(
            before,
            "a" | "ont" | "avait" | "avaient" | "aurait" | "auraient"
        ) && ["tue", "abattu", "execute", "massacre", "assassine"]
            .iter()
            .any(|v| w.starts_with(v)))
}

/// A fatality phrase: the victims, the state they were in, its first word, one past its last.
type Phrase = (Victims, State, usize, usize);

/// A state's words: (first, one past the last, the state).
type StateAt = (usize, usize, State);

/// The victims written in a sentence, in order; those of « dont quatre » take the group of
/// the victims named before.
fn victims_of(sentence: &Sentence, words: &[Word<'_>]) -> Vec<Victims> {
    let mut victims: Vec<Victims> = Vec::new();
    let mut i = sentence.words.start;
    while i < sentence.words.end {
        match victims_at(sentence, words, i) {
            Some(mut v) => {
                i = v.to;
                if let (true, Group::People, Some(named)) = (v.subset, v.group, victims.last()) {
                    v.group = named.group;
                }
                victims.push(v);
            }
            None => i += 1,
        }
    }
    victims
}

/// Whether the army's word ending at word `at` is said to be deaths: « neutralisés (tués) »,
/// « tués ou neutralisés » (but « neutralisés, c'est-à-dire tués ou capturés » is its
/// definition).
fn said_killed(states: &[StateAt], words: &[Word<'_>], at: usize) -> bool {
    states.iter().any(|&(b, end, s)| {
        let defined = matches!(words.get(end).map(|w| w.norm), Some("ou"))
            && words.get(end + 1).is_some_and(|w| {
                ["captur", "fait", "arret", "blesse"]
                    .iter()
                    .any(|p| w.norm.starts_with(p))
            });
        s == State::Death && (b.abs_diff(at) <= 2 || end.abs_diff(at) <= 2) && !defined
    })
}

/// The state victims `v` were in: the noun's own (« 12 morts »), the killing verb just before
/// (« tuant 12 civils »), the state after (« 12 soldats ont été tués »), or the state of the
/// victims they are joined to (« tués avec leur chauffeur et leur guide »).
fn state_for(
    v: &Victims,
    states: &[StateAt],
    words: &[Word<'_>],
    read: &[Phrase],
) -> Option<Phrase> {
    let neutralised_or_killed = |state: State, end: usize| {
        if state == State::Neutralised && said_killed(states, words, end) {
            State::Death
        } else {
            state
        }
    };
    if let Some(state) = v.state {
        return Some((v.clone(), neutralised_or_killed(state, v.to), v.from, v.to));
    }
    let before = states
        .iter()
        .rev()
        .find(|&&(a, end, _)| end <= v.from && v.from - end <= 3 && takes_object(words, a));
    // « Plusieurs centaines de personnes ont assisté aux obsèques d'un des militaires tués »:
    // a verb of their own between victims and a state makes the state another's.
    let own_verb = |a: usize| {
        (v.to..a).any(|k| {
            matches!(words[k].norm, "ont" | "a" | "sont" | "est")
                && words.get(k + 1).is_some_and(|next| {
                    next.norm != "ete"
                        && !states.iter().any(|&(b, _, _)| b == k + 1)
                        && next.norm.len() > 2
                })
        })
    };
    let after = states.iter().find(|&&(a, _, _)| {
        a >= v.to && a - v.to <= AFTER && !takes_object(words, a) && !own_verb(a)
    });
    let joined = v.from.checked_sub(1).map(|k| words[k].norm);
    let chained = matches!(joined, Some("avec" | "et" | "que"))
        .then(|| {
            read.last()
                .filter(|(_, _, _, to)| v.from.saturating_sub(*to) <= 6)
        })
        .flatten()
        .map(|&(_, state, from, to)| (from, to, state));
    let (a, end, state) = before.or(after).copied().or(chained)?;
    Some((
        v.clone(),
        neutralised_or_killed(state, end),
        v.from.min(a),
        v.to.max(end),
    ))
}

/// Deaths with no victims named (« a fait des morts » names some; « ont été tués »,
/// « pertes humaines importantes » do not): one when the word is singular, else several.
fn unnamed_deaths(states: &[StateAt], words: &[Word<'_>], read: &[Phrase]) -> Vec<Phrase> {
    states
        .iter()
        .filter(|&&(a, _, state)| {
            let taken = read.iter().any(|(_, _, from, to)| a >= *from && a < *to);
            state == State::Death && !taken && !takes_object(words, a)
        })
        .map(|&(a, end, state)| {
            let word = words[end - 1].norm;
            let figure = if plural(word) || word == "humaines" {
                SEVERAL
            } else {
                1
            };
            // One person (« le chef d'Aqmi, tué ») is as sure as a figure.
            let victims = Victims {
                from: a,
                to: end,
                figure,
                counted: figure == 1,
                group: Group::People,
                state: None,
                subset: false,
                companion: false,
            };
            (victims, state, a, end)
        })
        .collect()
}

/// The fatality phrases of one sentence.
fn read_sentence(sentence: &Sentence, words: &[Word<'_>]) -> Vec<Phrase> {
    let states: Vec<StateAt> = sentence
        .tags
        .iter()
        .filter_map(|&(at, tag, n)| state_of(tag).map(|s| (at, at + n, s)))
        .collect();
    // No death, wound or « neutralisés »: no fatality phrase.
    if states.is_empty() {
        return Vec::new();
    }
    let mut read: Vec<Phrase> = Vec::new();
    for v in victims_of(sentence, words) {
        if let Some(phrase) = state_for(&v, &states, words, &read) {
            read.push(phrase);
        }
    }
    let unnamed = unnamed_deaths(&states, words, &read);
    read.extend(unnamed);
    read
}

/// Why a fatality phrase is not counted, if it is not.
fn rejection(
    v: &Victims,
    state: State,
    phrase: std::ops::Range<usize>,
    superset: bool,
    sentence: &Sentence,
    words: &[Word<'_>],
) -> Option<&'static str> {
    let norms: Vec<&str> = words[sentence.words.clone()]
        .iter()
        .map(|w| w.norm)
        .collect();
    // Before background: « au total, 45 soldats sont morts depuis 2013, en comptant les
    // deux tués samedi » counts the news too, so its figures are no recap's.
    if CUMULATIVE
        .iter()
        .any(|pair| norms.windows(2).any(|w| w == pair))
    {
        return Some("a cumulative toll");
    }
    if sentence.background {
        return Some("background: a recap of earlier events or an accident");
    }
    match state {
        State::Wounded => return Some("wounded, not killed"),
        State::Neutralised => return Some("« neutralisés » alone: killed or captured"),
        State::Death => {}
    }
    if v.subset && (superset || v.figure == 1) {
        return Some("a part of victims counted already");
    }
    let start = phrase.start;
    let pluperfect = words[phrase]
        .iter()
        .any(|w| matches!(w.norm, "avait" | "avaient" | "eurent" | "eut"))
        && !super::reported(words, start);
    if pluperfect {
        return Some("told in the pluperfect: an earlier event");
    }
    if norms.iter().any(|w| CONFLICT.contains(w)) {
        return Some("a conflict's toll, not an event's");
    }
    None
}

/// The event type the deaths of a sentence belong to: its trigger nearest to word `at`, else
/// the last of the news before. `None` when that is an event the article only mentions in
/// passing (not among `kinds`, the types it reports).
fn kind_of(
    triggers: &[(usize, &'static str)],
    at: usize,
    last: Option<&'static str>,
    kinds: &[String],
) -> Option<String> {
    let name = triggers
        .iter()
        .min_by_key(|(t, _)| t.abs_diff(at))
        .map(|&(_, k)| k)
        .or(last);
    match name {
        None => kinds.first().cloned(),
        Some(name) if kinds.iter().any(|k| k == name) => Some(name.to_string()),
        // An attack the article codes as more than one (a suicide bomb, an ambush).
        Some("attack") => kinds.first().cloned(),
        // The clashes of a protest (types.rs codes them so).
        Some("armed_clash") if kinds.iter().any(|k| k == "protest") => Some("protest".into()),
        Some(_) => None,
    }
}

/// A fatality phrase counted so far: (fatality, its sentence, its event type, written with a
/// figure, companions of the victims).
type Counted = (Fatality, usize, String, bool, bool);

/// The article's toll and every fatality phrase read, given the event types it reports.
pub(super) fn killed(article: &Article<'_, '_>, kinds: &[String]) -> (Option<u32>, Vec<Fatality>) {
    let (read, mut fatalities) = read_article(article, kinds);
    let salient: Vec<u8> = article
        .sentences
        .iter()
        .map(|s| u8::from(s.salient) + u8::from(s.title))
        .collect();
    let total = total(read, &salient, &mut fatalities);
    (total, fatalities)
}

/// The fatality phrases of the article: those counted so far, and those rejected.
fn read_article(article: &Article<'_, '_>, kinds: &[String]) -> (Vec<Counted>, Vec<Fatality>) {
    let names = types();
    let mut read: Vec<Counted> = Vec::new();
    let mut fatalities = Vec::new();
    let mut last: Option<&'static str> = None;
    for (index, sentence) in article.sentences.iter().enumerate() {
        let triggers: Vec<(usize, &'static str)> = sentence
            .tags
            .iter()
            .filter_map(|&(at, tag, _)| match tag {
                Tag::Trigger(k) => Some((at, names[k as usize].name)),
                _ => None,
            })
            .collect();
        let phrases = read_sentence(sentence, article.words);
        for (n, (v, state, from, to)) in phrases.iter().cloned().enumerate() {
            // « sept humanitaires tués, dont six Français »; but « les ravisseurs, dont
            // quatre ont été tués » counts the four.
            let superset = phrases[..n]
                .iter()
                .any(|(w, s, _, _)| w.counted && *s == State::Death && !w.subset);
            let kind = kind_of(&triggers, from, last, kinds);
            let rejection = rejection(&v, state, from..to, superset, sentence, article.words);
            let rejected = rejection.or(match kind {
                None if kinds.is_empty() => Some("no event reported"),
                None => Some("an event the article mentions in passing"),
                Some(_) => None,
            });
            let fatality = Fatality {
                words: crate::text::squash_spaces(article.span(from..to)),
                figure: v.figure,
                group: v.group,
                rejected,
            };
            match (rejected, kind) {
                (None, Some(kind)) => read.push((fatality, index, kind, v.counted, v.companion)),
                _ => fatalities.push(fatality),
            }
        }
        // Later sentences without a trigger tell of the last event reported.
        let reported = triggers
            .iter()
            .rev()
            .find(|(_, k)| *k == "attack" || kinds.iter().any(|r| r == k));
        if let (false, Some(&(_, k))) = (sentence.background, reported) {
            last = Some(k);
        }
    }
    (read, fatalities)
}

/// The toll of the phrases counted so far, the ones it leaves out added to `fatalities` with
/// why: a recap's toll told again, deaths with no figure in an article that gives one.
fn total(read: Vec<Counted>, salient: &[u8], fatalities: &mut Vec<Fatality>) -> Option<u32> {
    // A toll that is an accident's or an earlier event's, told again without its context
    // (« 13 soldats français morts » of a helicopter collision).
    let recapped = |f: &Fatality| {
        f.figure > 1
            && fatalities.iter().any(|r: &Fatality| {
                r.rejected.is_some_and(|why| why.starts_with("background"))
                    && r.figure == f.figure
                    && r.group == f.group
            })
    };
    let (recaps, read): (Vec<_>, Vec<_>) = read.into_iter().partition(|(f, ..)| recapped(f));
    fatalities.extend(recaps.into_iter().map(|(f, ..)| Fatality {
        rejected: Some("the toll of an accident or earlier event the article tells"),
        ..f
    }));
    // Deaths with no figure count only when the article gives none.
    let figures = read.iter().any(|(.., counted, _)| *counted);
    let mut sentences: BTreeMap<(String, usize), Toll> = BTreeMap::new();
    for (fatality, sentence, kind, counted, companion) in read {
        if figures && !counted {
            fatalities.push(Fatality {
                rejected: Some("no figure, and the article gives one"),
                ..fatality
            });
            continue;
        }
        let toll = sentences.entry((kind, sentence)).or_default();
        toll.salience = salient.get(sentence).copied().unwrap_or(0);
        if companion {
            toll.companions += fatality.figure;
        } else {
            toll.add(fatality.group, fatality.figure);
        }
        fatalities.push(fatality);
    }
    if sentences.is_empty() {
        return None;
    }
    let mut by_kind: BTreeMap<String, Vec<Toll>> = BTreeMap::new();
    for ((kind, _), toll) in sentences {
        by_kind.entry(kind).or_default().push(toll);
    }
    Some(by_kind.values().map(|tolls| event_toll(tolls)).sum())
}

/// The figures one sentence gives, by group.
#[derive(Debug, Default, Clone)]
struct Toll {
    by_group: BTreeMap<Group, u32>,
    /// The victims' companions it names (« avec leur chauffeur »).
    companions: u32,
    /// 2 in the title, 1 in the lead or a recently dated sentence, else 0.
    salience: u8,
}

impl Toll {
    fn add(&mut self, group: Group, figure: u32) {
        *self.by_group.entry(group).or_default() += figure;
    }

    /// The sentence's total without companions: its sides and others added up, or its total
    /// of people if larger.
    fn total(&self) -> u32 {
        let people = self.by_group.get(&Group::People).copied();
        let sides: u32 = self
            .by_group
            .iter()
            .filter(|(g, _)| **g != Group::People)
            .map(|(_, n)| n)
            .sum();
        match people {
            // Companions are among the people: counted as the sides' others.
            Some(people) => people.max(sides + self.companions),
            None => sides,
        }
    }
}

/// One event's toll from the sentences telling of it. Sentences naming the same groups give
/// the same toll, perhaps from sources that disagree: the lowest. Sentences naming different
/// groups tell of different victims (« deux militaires tués », then « quatre ravisseurs
/// tués »): the sides' lowest figures add up; and no toll is below any sentence's. The
/// victims' companions are added once (the most any sentence names).
fn event_toll(tolls: &[Toll]) -> u32 {
    // (salience, lowest total) by shape: a title's toll outranks the lead's, which outranks
    // the parts told further down (« sept tués à Bogota », « un homme décédé »).
    let mut by_shape: BTreeMap<Vec<Group>, (u8, u32)> = BTreeMap::new();
    let mut lowest: BTreeMap<Group, u32> = BTreeMap::new();
    for toll in tolls {
        let shape: Vec<Group> = toll.by_group.keys().copied().collect();
        let low = by_shape.entry(shape).or_insert((0, u32::MAX));
        *low = match low.0.cmp(&toll.salience) {
            std::cmp::Ordering::Less => (toll.salience, toll.total()),
            std::cmp::Ordering::Greater => *low,
            std::cmp::Ordering::Equal => (low.0, low.1.min(toll.total())),
        };
        for (&group, &n) in &toll.by_group {
            let low = lowest.entry(group).or_insert(u32::MAX);
            *low = (*low).min(n);
        }
    }
    let sides: u32 = [Group::Forces, Group::Civilians, Group::Assailants]
        .iter()
        .filter_map(|g| lowest.get(g))
        .sum();
    // Companions named within a total of people (« huit personnes - six Français, leur guide
    // et leur chauffeur ») are in it already.
    let companions = tolls
        .iter()
        .filter(|t| !t.by_group.contains_key(&Group::People))
        .map(|t| t.companions)
        .max()
        .unwrap_or(0);
    let shapes = by_shape.values().map(|&(_, low)| low).max().unwrap_or(0);
    shapes.max(sides) + companions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::code_article;

    fn toll(text: &str) -> Option<u32> {
        code_article("Mali", text, None).killed
    }

    #[test]
    fn it_reads_figures_in_digits_and_words() {
        let figure_of = |text: &str| crate::entities::with_words(text, |w| figure(w, 0));
        assert_eq!(figure_of("12 000 morts"), Some((12_000, 2)));
        assert_eq!(figure_of("12.000 morts"), Some((12_000, 2)));
        assert_eq!(figure_of("vingt et un"), Some((21, 3)));
        assert_eq!(figure_of("quatre-vingt-dix"), Some((90, 3)));
        assert_eq!(figure_of("deux cents"), Some((200, 2)));
        assert_eq!(figure_of("soixante-dix"), Some((70, 2)));
        assert_eq!(figure_of("soldats"), None);
    }

    #[test]
    fn it_follows_the_conventions_of_events_md() {
        assert_eq!(toll("Une embuscade a tué 12 soldats"), Some(12));
        assert_eq!(toll("Attaque : 5 soldats et 10 assaillants tués"), Some(15));
        assert_eq!(toll("Attaque : au moins 20 civils tués"), Some(20));
        assert_eq!(toll("Attaque : entre 10 et 15 villageois tués"), Some(10));
        assert_eq!(toll("Attaque : une dizaine de soldats tués"), Some(10));
        assert_eq!(toll("Attaque : des dizaines de morts"), Some(12));
        assert_eq!(toll("L'attaque a fait des morts et des blessés"), Some(10));
        assert_eq!(toll("L'attaque a fait 3 morts et 12 blessés"), Some(3));
        assert_eq!(toll("Opération : sept terroristes neutralisés"), None);
        assert_eq!(
            toll("Opération : sept terroristes neutralisés (tués)"),
            Some(7)
        );
        assert_eq!(toll("L'embuscade a fait douze blessés"), None);
        assert_eq!(
            toll("Une embuscade a tué 12 soldats et blessé 5 autres"),
            Some(12)
        );
        assert_eq!(toll("L'attaque a fait 42 morts depuis 2013"), None);
        assert_eq!(toll("Deux soldats ont été tués pendant l'assaut. Les ravisseurs, dont quatre ont été tués."), Some(6));
        assert_eq!(
            toll("L'attaque a tué sept humanitaires, dont six Français, et leur guide."),
            Some(8)
        );
    }

    #[test]
    fn companions_cumulative_tolls_and_other_verbs() {
        // Companions named apart from the victims' figure are added once.
        assert_eq!(
            toll(
                "Six humanitaires français ont été tués dimanche dans une attaque. Les \
                 humanitaires ont été assassinés avec leur chauffeur et leur guide."
            ),
            Some(8)
        );
        // Within a total of people they are in it already.
        assert_eq!(
            toll(
                "Attaque : huit personnes - six Français, leur guide et leur chauffeur - ont \
                 été tuées dimanche."
            ),
            Some(8)
        );
        // A cumulative toll that counts the news is no recap of it.
        assert_eq!(
            toll(
                "Deux soldats français tués. Deux militaires ont été tués samedi par un engin \
                 explosif. Au total, 45 soldats, en comptant les deux militaires tués samedi, \
                 sont morts depuis 2013."
            ),
            Some(2)
        );
        // « ont assisté »: the crowd is the subject of another verb than « tués ».
        assert_eq!(
            toll(
                "Attaque : deux soldats tués. Plusieurs centaines de personnes ont assisté aux \
                 obsèques de l'un des militaires tués."
            ),
            Some(2)
        );
        // The past anterior tells of an earlier event.
        assert_eq!(
            toll(
                "Attaque contre un poste. La zone est risquée depuis qu'en février, quatre \
                 douaniers eurent été assassinés."
            ),
            None
        );
    }

    #[test]
    fn the_title_toll_outranks_the_parts_told_below() {
        assert_eq!(
            code_article(
                "Colombie : 11 morts dans des manifestations",
                "Des manifestants ont défilé mercredi. Les heurts ont duré deux jours. Sept \
                 manifestants ont été tués par balle à Bogota. Trois autres sont morts à Soacha.",
                None
            )
            .killed,
            Some(11)
        );
    }
}
