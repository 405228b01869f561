//! Event coding: what an article reports as news (event types of `shared/eval/events.md`,
//! mapped to ACLED's), how many were killed (ACLED's conventions), and on which day the main
//! event took place.
//!
//! It reads the words the place and actor recognizer split ([`crate::entities::Word`]), cut
//! into sentences. A sentence that recaps earlier events (a year before the article's, `depuis
//! 2013`, `l'an dernier`, `il y a deux ans`, `la précédente attaque`) or tells of an accident is
//! background: its words trigger nothing, its deaths are not counted. An article without any
//! word of violence is coded in one pass over its words.

mod killed;
pub mod lexicon;
mod types;
mod when;

use std::ops::Range;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::entities::Word;
pub use killed::Fatality;
pub use lexicon::{types as vocabulary, Group, Type};
use lexicon::{Lexicon, Tag};

/// An event type an article reports, with the words that said it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// The type's name (`ambush`, `ied`…).
    #[serde(rename = "type")]
    pub kind: String,
    /// The words of the text that said it, as written.
    pub words: Vec<String>,
}

/// What an article reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coded {
    pub events: Vec<Event>,
    /// People reported killed in the events reported as news; `None` when no death is.
    pub killed: Option<u32>,
    /// Every fatality phrase read, counted or not (and why not).
    pub fatalities: Vec<Fatality>,
    /// The day of the main event.
    pub event_date: Option<NaiveDate>,
    /// The words that gave it.
    pub date_words: Option<String>,
}

impl Coded {
    /// The event types' names.
    pub fn types(&self) -> Vec<String> {
        self.events.iter().map(|e| e.kind.clone()).collect()
    }
}

/// A sentence of the article.
struct Sentence {
    words: Range<usize>,
    /// Part of the title.
    title: bool,
    /// A recap of earlier events, or an accident: not news.
    background: bool,
    /// The title, the lead, or a sentence dated in the week before publication: what the
    /// article reports, not what it mentions in passing.
    salient: bool,
    /// Tells of something going on (« en cours »).
    ongoing: bool,
    /// The dates it writes (none read in background).
    dates: Vec<when::Found>,
    /// The phrases of the lexicon in it: (first word, what it says, words).
    tags: Vec<(usize, Tag, usize)>,
}

/// The article as event coding reads it.
struct Article<'t, 'w> {
    text: &'t str,
    words: &'w [Word<'t>],
    sentences: Vec<Sentence>,
    published: Option<NaiveDate>,
}

impl Article<'_, '_> {
    /// The text of words `range`, as written.
    fn span(&self, range: Range<usize>) -> &str {
        let first = &self.words[range.start];
        let last = &self.words[range.end - 1];
        &self.text[first.start..last.start + last.raw.len()]
    }

    /// The sentences reporting news.
    fn news(&self) -> impl Iterator<Item = &Sentence> {
        self.sentences.iter().filter(|s| !s.background)
    }

    /// The sentences saying what the article reports.
    fn salient(&self) -> impl Iterator<Item = &Sentence> {
        self.sentences.iter().filter(|s| s.salient)
    }
}

/// The sentences of the body that are its lead.
const LEAD: usize = 3;
/// How many days before publication a sentence's date may be for it to report news.
const RECENT_DAYS: i64 = 7;

/// How many days before publication an event may be and still be the article's news.
const STALE_DAYS: i64 = 14;

/// Words that make a sentence tell of an accident, a disaster or a disease, not an event.
const ACCIDENT: [&str; 18] = [
    "accident",
    "accidents",
    "collision",
    "accidentel",
    "accidentelle",
    "inondations",
    "seisme",
    "naufrage",
    "noyade",
    "epidemie",
    "pandemie",
    "coronavirus",
    "covid",
    "virus",
    "manipulait",
    "manipulant",
    "manipulation",
    "involontaire",
];
/// Words (beginnings) of mourning: a gathering with them is no protest, and their day is no
/// event's (« la cérémonie d'hommage de mardi »).
const MOURNING: [&str; 6] = [
    "hommage",
    "ceremonie",
    "recueillement",
    "obseques",
    "funerailles",
    "commemor",
];

/// Whether a folded word is one of mourning ([`MOURNING`]).
fn mourning(norm: &str) -> bool {
    MOURNING.iter().any(|m| norm.starts_with(m))
}

/// Words that make a sentence a recap: `précédente attaque`, `antérieures`.
const RECAP: [&str; 4] = ["precedent", "precedente", "precedents", "precedentes"];
pub(crate) const MONTHS: [&str; 12] = [
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
];

/// The year word `i` names: four digits not after a name (« Mirage 2000 »).
fn year_of(words: &[Word<'_>], i: usize) -> Option<i32> {
    let word = &words[i];
    let after_name =
        i > 0 && words[i - 1].capitalized() && !words[i - 1].sentence_start && !word.sentence_start;
    (word.norm.len() == 4 && !after_name)
        .then(|| word.norm.parse::<i32>().ok())
        .flatten()
        .filter(|y| (1950..2100).contains(y))
}

/// Whether the words of a sentence recap earlier events or tell of an accident.
fn is_background(words: &[Word<'_>], published: Option<NaiveDate>) -> bool {
    let norm = |i: usize| words.get(i).map_or("", |w| w.norm);
    let year = published.map(|p| p.year());
    (0..words.len()).any(|i| {
        let w = norm(i);
        let earlier_year = year_of(words, i).is_some_and(|y| year.is_some_and(|p| y < p));
        let since = w == "depuis"
            && (i + 1 < words.len() && year_of(words, i + 1).is_some()
                || matches!(norm(i + 1), "le" | "des" | "plusieurs" | "son" | "sa")
                    && matches!(
                        norm(i + 2),
                        "debut" | "mois" | "annees" | "ans" | "creation" | "lancement"
                    )
                || matches!(norm(i + 1), "des" | "plusieurs")
                    && matches!(norm(i + 2), "annees" | "mois"));
        let last_year = matches!(
            (w, norm(i + 1)),
            ("an", "dernier") | ("annee", "derniere") | ("annees", "passees")
        );
        let last_month = MONTHS.contains(&w)
            && matches!(norm(i + 1), "dernier")
            && published.is_some_and(|p| MONTHS[p.month0() as usize] != w);
        // « en septembre », « début septembre » in a November article: an earlier month (a
        // later one is last year's).
        let other_month = matches!(w, "en" | "debut" | "fin" | "mi" | "courant")
            && MONTHS.contains(&norm(i + 1))
            && published.is_some_and(|p| MONTHS[p.month0() as usize] != norm(i + 1));
        let ago = w == "il"
            && norm(i + 1) == "y"
            && norm(i + 2) == "a"
            && (i + 3..i + 7).any(|k| matches!(norm(k), "ans" | "an" | "mois" | "semaines"));
        earlier_year
            || since
            || last_year
            || last_month
            || other_month
            || ago
            || RECAP.contains(&w)
            || ACCIDENT.contains(&w)
    })
}

/// Whether words from `at` are reported speech (« Macron a annoncé que 33 terroristes
/// avaient été neutralisés »), where the pluperfect tells of the news, not of earlier events.
fn reported(words: &[Word<'_>], at: usize) -> bool {
    let mut k = at.min(words.len());
    while k > 0 && at - k < 6 && !words[k].sentence_start {
        k -= 1;
        // « après qu'ils eurent été tués » is no speech.
        let conjunction = k > 0 && matches!(words[k - 1].norm, "apres" | "avant" | "depuis");
        if matches!(words[k].norm, "que" | "qu") && !conjunction {
            return true;
        }
    }
    false
}

/// Whether `next` continues the figure `word` across a full stop: « 12.000 ».
fn thousands(text: &str, word: &Word<'_>, next: &Word<'_>) -> bool {
    let digits = |w: &Word<'_>| w.raw.bytes().all(|b| b.is_ascii_digit());
    digits(word)
        && digits(next)
        && next.raw.len() == 3
        && text.get(word.start + word.raw.len()..next.start) == Some(".")
}

fn sentences(
    text: &str,
    words: &[Word<'_>],
    body_start: usize,
    published: Option<NaiveDate>,
) -> Vec<Sentence> {
    let lexicon = Lexicon::get();
    let mut out: Vec<Sentence> = Vec::new();
    let mut start = 0;
    for i in 1..=words.len() {
        let ends = i == words.len()
            || (words[i].sentence_start && !thousands(text, &words[i - 1], &words[i]))
            || (words[i].start >= body_start && words[i - 1].start < body_start);
        if !ends {
            continue;
        }
        let range = start..i;
        let title = words[start].start < body_start;
        // Every phrase, the longest of each kind where phrases of one kind overlap: « civils
        // tués » is a trigger, and also a group and a death.
        let mut tags: Vec<(usize, Tag, usize)> = Vec::new();
        let mut covered: [usize; 6] = [0; 6];
        for at in range.clone() {
            for (tag, n) in lexicon.at(words, at) {
                let kind = tag.kind();
                if at + n <= range.end && at >= covered[kind] {
                    covered[kind] = at + n;
                    tags.push((at, tag, n));
                }
            }
        }
        let background = !title && is_background(&words[range.clone()], published);
        let lead = out.iter().filter(|s| !s.title).count() < LEAD;
        // The dates of news (read once: the types, the salience and the event's day use them).
        let dates = if background {
            Vec::new()
        } else {
            when::dates_in(words, range.clone(), published)
        };
        let recent = dates
            .iter()
            .any(|&(_, _, day)| published.is_some_and(|p| (p - day).num_days() <= RECENT_DAYS));
        // « Les échanges de tirs sont en cours »: what is going on is news.
        let ongoing = words[range.clone()]
            .windows(2)
            .any(|w| w[0].norm == "en" && w[1].norm == "cours");
        let salient = !background && (title || lead || (!tags.is_empty() && (ongoing || recent)));
        out.push(Sentence {
            background,
            salient,
            ongoing,
            words: range,
            title,
            tags,
            dates,
        });
        start = i;
    }
    out
}

/// Codes an article: `text` is its title, a line break and its body, `words` the recognizer's
/// words of it, `body_start` where the body starts, `published` its publication date.
pub fn code(
    text: &str,
    words: &[Word<'_>],
    body_start: usize,
    published: Option<NaiveDate>,
) -> Coded {
    // The prefilter: one table lookup a word.
    if !Lexicon::get().any_event_word(words) {
        return Coded::default();
    }
    let sentences = sentences(text, words, body_start, published);
    let article = Article {
        text,
        words,
        sentences,
        published,
    };
    let events = types::events(&article);
    let kinds: Vec<String> = events.iter().map(|e| e.kind.clone()).collect();
    let (killed, fatalities) = killed::killed(&article, &kinds);
    let events = types::on_civilians(events, &fatalities);
    // An article that reports no event dates none (a funeral's day is not an event's).
    let (event_date, date_words) = match when::event_date(&article).filter(|_| !events.is_empty()) {
        Some((day, words)) => (Some(day), Some(words)),
        None => (None, None),
    };
    // An article whose event is weeks old recalls it (a claim, a funeral, a feature): it
    // reports no event.
    let stale = match (event_date, published) {
        (Some(day), Some(p)) => (p - day).num_days() > STALE_DAYS,
        _ => false,
    };
    if stale {
        let recalled = "the event is dated weeks before the article: a recall";
        return Coded {
            fatalities: fatalities
                .into_iter()
                .map(|f| Fatality {
                    rejected: f.rejected.or(Some(recalled)),
                    ..f
                })
                .collect(),
            ..Coded::default()
        };
    }
    Coded {
        events,
        killed,
        fatalities,
        event_date,
        date_words,
    }
}

/// Codes a title and a body (what `vigie extract` and the tests do; indexing codes the words
/// the recognizer already split).
pub fn code_article(title: &str, body: &str, published: Option<NaiveDate>) -> Coded {
    let text = format!("{title}\n{body}");
    crate::entities::with_words(&text, |words| {
        code(&text, words, title.len() + 1, published)
    })
}
