//! The day of an article's main event, resolved against its publication date: « dimanche »
//! is the last Sunday on or before it, « dans la nuit de samedi à dimanche » the Sunday, « du
//! 1er au 6 février » the 1st, « le 22 octobre » without a year the last 22 October, « hier »,
//! « avant-hier », « la veille » the days before, « début février » the 1st.
//!
//! The main event is the first news sentence with a trigger or a death that dates something;
//! of its dates, the nearest to that word. An article that dates no event has none: the
//! publication date is not guessed.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::lexicon::Tag;
use super::{Article, MONTHS};
use crate::entities::Word;

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("lundi", Weekday::Mon),
    ("mardi", Weekday::Tue),
    ("mercredi", Weekday::Wed),
    ("jeudi", Weekday::Thu),
    ("vendredi", Weekday::Fri),
    ("samedi", Weekday::Sat),
    ("dimanche", Weekday::Sun),
];

/// How far after the publication date a date may be and still be the event's (an article
/// dated by its time zone's morning, a dispatch published at midnight).
const SLACK_DAYS: u64 = 1;

/// A date written in the text, before it is resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    /// A weekday; `last`: « mardi dernier ».
    Weekday { day: Weekday, last: bool },
    /// A day of a month, perhaps of a year.
    Day {
        day: u32,
        month: u32,
        year: Option<i32>,
    },
    /// A weekday and a day: « lundi 26 novembre ».
    Dated {
        weekday: Weekday,
        day: u32,
        month: u32,
        year: Option<i32>,
    },
    /// Days before publication: 0 today, 1 yesterday.
    DaysBefore(u64),
    /// A day without its month, first of a span (« du 1er au 6 février »).
    Bare(u32),
}

fn weekday(word: &str) -> Option<Weekday> {
    WEEKDAYS.iter().find(|(w, _)| *w == word).map(|&(_, d)| d)
}

fn month(word: &str) -> Option<u32> {
    MONTHS.iter().position(|m| *m == word).map(|i| i as u32 + 1)
}

fn day_number(word: &str) -> Option<u32> {
    let digits = word.strip_suffix("er").unwrap_or(word);
    (digits.len() <= 2)
        .then(|| digits.parse::<u32>().ok())
        .flatten()
        .filter(|d| (1..=31).contains(d))
}

fn year(word: Option<&Word<'_>>) -> Option<i32> {
    word.filter(|w| w.norm.len() == 4)
        .and_then(|w| w.norm.parse().ok())
        .filter(|y| (1950..2100).contains(y))
}

/// The date written at word `i`: (what it says, words it takes).
fn written_at(words: &[Word<'_>], i: usize) -> Option<(Written, usize)> {
    let norm = |k: usize| words.get(k).map_or("", |w| w.norm);
    let w = norm(i);
    if let Some(weekday) = weekday(w) {
        // « lundi 26 novembre [2018] »
        if let (Some(day), Some(month)) = (day_number(norm(i + 1)), month(norm(i + 2))) {
            let year = year(words.get(i + 3));
            let n = 3 + usize::from(year.is_some());
            return Some((
                Written::Dated {
                    weekday,
                    day,
                    month,
                    year,
                },
                n,
            ));
        }
        if norm(i + 1) == "prochain" {
            return None;
        }
        // « jeudi 9 » (in « la nuit de jeudi 9 à vendredi 10 mai »)
        if day_number(norm(i + 1)).is_some() {
            return Some((
                Written::Weekday {
                    day: weekday,
                    last: false,
                },
                2,
            ));
        }
        // « mardi dernier », « samedi soir dernier »
        let last = norm(i + 1) == "dernier" || norm(i + 2) == "dernier";
        return Some((Written::Weekday { day: weekday, last }, 1));
    }
    if let Some(day) = day_number(w) {
        let month = month(norm(i + 1))?;
        let year = year(words.get(i + 2));
        return Some((
            Written::Day { day, month, year },
            2 + usize::from(year.is_some()),
        ));
    }
    if matches!(w, "debut" | "mi" | "fin") {
        let month = month(norm(i + 1))?;
        let day = match w {
            "debut" => 1,
            "mi" => 15,
            _ => 28,
        };
        let year = year(words.get(i + 2));
        return Some((
            Written::Day { day, month, year },
            2 + usize::from(year.is_some()),
        ));
    }
    match (w, norm(i + 1)) {
        ("hier", _) => Some((Written::DaysBefore(1), 1)),
        ("avant", "hier") => Some((Written::DaysBefore(2), 2)),
        ("aujourd", "hui") => Some((Written::DaysBefore(0), 2)),
        ("la", "veille") => Some((Written::DaysBefore(1), 2)),
        ("ce", "matin" | "soir") | ("cette", "nuit") => Some((Written::DaysBefore(0), 2)),
        _ => None,
    }
}

/// The day `written` means in an article published on `published`.
fn resolve(written: Written, published: Option<NaiveDate>) -> Option<NaiveDate> {
    match (written, published) {
        (
            Written::Dated {
                weekday,
                day,
                month,
                year,
            },
            _,
        ) => {
            // A weekday and a day that disagree: the weekday, read against the publication
            // date, is trusted (the day is the likelier slip).
            let dated = resolve(Written::Day { day, month, year }, published);
            match dated {
                Some(d) if d.weekday() == weekday || published.is_none() => Some(d),
                _ => resolve(
                    Written::Weekday {
                        day: weekday,
                        last: false,
                    },
                    published,
                )
                .or(dated),
            }
        }
        (
            Written::Day {
                day,
                month,
                year: Some(year),
            },
            _,
        ) => NaiveDate::from_ymd_opt(year, month, day),
        (
            Written::Day {
                day,
                month,
                year: None,
            },
            Some(p),
        ) => {
            let this_year = NaiveDate::from_ymd_opt(p.year(), month, day)?;
            if this_year > p + Days::new(SLACK_DAYS) {
                NaiveDate::from_ymd_opt(p.year() - 1, month, day)
            } else {
                Some(this_year)
            }
        }
        (Written::Weekday { day, last }, Some(p)) => {
            let back = (7 + p.weekday().num_days_from_monday() - day.num_days_from_monday()) % 7;
            let back = if back == 0 && last { 7 } else { back };
            p.checked_sub_days(Days::new(u64::from(back)))
        }
        (Written::DaysBefore(n), Some(p)) => p.checked_sub_days(Days::new(n)),
        _ => None,
    }
}

/// Words of things to come: a weekday after them in a sentence is the next one.
const FUTURE: [&str; 14] = [
    "sera",
    "seront",
    "aura",
    "auront",
    "recevra",
    "recevront",
    "rendra",
    "tiendra",
    "tiendront",
    "prevu",
    "prevue",
    "prevus",
    "prevues",
    "demain",
];

/// A date of the text: (first word, one past its last, day).
pub(super) type Found = (usize, usize, NaiveDate);

/// A span of days at word `i`, after `du`/`de`: « [nuit] de samedi à dimanche », « [nuit]
/// du 11 au 12 novembre », « du 1er au 6 février ». A night is its second day, a span its
/// first (a bare day borrows the second's month).
fn span_at(words: &[Word<'_>], i: usize) -> Option<(Written, usize)> {
    let norm = |k: usize| words.get(k).map_or("", |w| w.norm);
    if !matches!(norm(i.checked_sub(1)?), "du" | "de") {
        return None;
    }
    let night = i >= 2 && norm(i - 2) == "nuit";
    let first = written_at(words, i).or_else(|| day_number(norm(i)).map(|d| (Written::Bare(d), 1)));
    let (first, len) = first?;
    if !matches!(norm(i + len), "au" | "a") {
        return None;
    }
    let (second, len2) = written_at(words, i + len + 1)?;
    let n = len + 1 + len2;
    let written = match (night, first, second) {
        (true, _, _) => second,
        (
            false,
            Written::Bare(day),
            Written::Day { month, year, .. } | Written::Dated { month, year, .. },
        ) => Written::Day { day, month, year },
        (false, Written::Bare(_), _) => return None,
        (false, first, _) => first,
    };
    Some((written, n))
}

/// The dates written in words `range`, in order.
pub(super) fn dates_in(
    words: &[Word<'_>],
    range: std::ops::Range<usize>,
    published: Option<NaiveDate>,
) -> Vec<Found> {
    let words = &words[..range.end];
    let mut found = Vec::new();
    let mut i = range.start;
    while i < range.end {
        let Some((written, n)) = span_at(words, i).or_else(|| written_at(words, i)) else {
            i += 1;
            continue;
        };
        // « recevra un dernier hommage lundi »: a weekday of things to come is after the
        // publication, never an event's.
        let coming = matches!(written, Written::Weekday { last: false, .. })
            && words[range.start..i]
                .iter()
                .any(|w| FUTURE.contains(&w.norm));
        if coming {
            i += n;
            continue;
        }
        if let Some(day) = resolve(written, published) {
            let future = published.is_some_and(|p| day > p + Days::new(SLACK_DAYS));
            if !future {
                found.push((i, i + n, day));
            }
        }
        i += n;
    }
    found
}

/// A news sentence's dates: (salient, tells of an event, each date with its distance to the
/// nearest word of an event).
type NewsDates = (bool, bool, Vec<(Found, usize)>);

/// How many words from a trigger or a death a date tells of it: « tués dimanche »,
/// « l'attaque survenue dimanche ».
const NEAR: usize = 3;

/// The main event's day and the words that gave it: a night in a sentence telling of an
/// event, else a date next to the words of an event, else the date nearest to them in the
/// first sentence telling of one, else the first date after it.
pub(super) fn event_date(article: &Article<'_, '_>) -> Option<(NaiveDate, String)> {
    let read: Vec<NewsDates> = article
        .news()
        .map(|sentence| {
            let events: Vec<usize> = sentence
                .tags
                .iter()
                .filter(|(_, tag, _)| matches!(tag, Tag::Trigger(_) | Tag::Death))
                .map(|&(at, _, n)| at + n)
                .collect();
            // « présents mardi 14 mai à la cérémonie d'hommage »: the day of a mourning is
            // not the event's.
            // (Read only where there is a date to judge.)
            let mourning: Vec<usize> = match sentence.dates.is_empty() {
                true => Vec::new(),
                false => sentence
                    .words
                    .clone()
                    .filter(|&k| super::mourning(article.words[k].norm))
                    .collect(),
            };
            let nearest = |points: &[usize], at: usize| {
                points
                    .iter()
                    .map(|&p| at.abs_diff(p))
                    .min()
                    .unwrap_or(usize::MAX)
            };
            let measured = sentence
                .dates
                .iter()
                .copied()
                .map(|d| (d, nearest(&events, d.0)))
                .filter(|&(d, distance)| nearest(&mourning, d.0) >= distance)
                .collect();
            (sentence.salient, !events.is_empty(), measured)
        })
        .collect();
    // « dans la nuit du 4 au 5 janvier » in a sentence telling of an event: the time of an
    // event, as reports write it, never of a statement or a ceremony.
    let night = read
        .iter()
        .filter(|(salient, events, _)| *salient && *events)
        .find_map(|(_, _, dates)| {
            dates
                .iter()
                .find(|((from, _, _), _)| *from >= 2 && article.words[from - 2].norm == "nuit")
        });
    let near = read
        .iter()
        .filter(|(salient, _, _)| *salient)
        .find_map(|(_, _, dates)| dates.iter().find(|(_, distance)| *distance <= NEAR));
    let first_event = read.iter().position(|(_, events, _)| *events)?;
    let nearest = read[first_event]
        .2
        .iter()
        .min_by_key(|(_, distance)| *distance);
    let after = read[first_event..]
        .iter()
        .find_map(|(_, _, dates)| dates.first());
    night
        .or(near)
        .or(nearest)
        .or(after)
        .map(|&(found, _)| said(article, found))
}

fn said(article: &Article<'_, '_>, (from, to, day): Found) -> (NaiveDate, String) {
    (day, crate::text::squash_spaces(article.span(from..to)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::code_article;

    fn day(text: &str, published: &str) -> Option<String> {
        let published = NaiveDate::parse_from_str(published, "%Y-%m-%d").ok();
        code_article("Attaque", text, published)
            .event_date
            .map(|d| d.to_string())
    }

    #[test]
    fn it_resolves_the_days_french_reporting_writes() {
        // Tuesday 11 August 2020 (events.md's example).
        let tuesday = "2020-08-11";
        assert_eq!(
            day("L'attaque a eu lieu dimanche.", tuesday).as_deref(),
            Some("2020-08-09")
        );
        assert_eq!(
            day("L'attaque a eu lieu samedi soir.", tuesday).as_deref(),
            Some("2020-08-08")
        );
        assert_eq!(
            day("L'attaque a eu lieu mardi dernier.", tuesday).as_deref(),
            Some("2020-08-04")
        );
        assert_eq!(
            day(
                "L'attaque a eu lieu dans la nuit de samedi à dimanche.",
                tuesday
            )
            .as_deref(),
            Some("2020-08-09")
        );
        assert_eq!(
            day(
                "L'attaque a eu lieu dans la nuit du 11 au 12 août.",
                "2020-08-13"
            )
            .as_deref(),
            Some("2020-08-12")
        );
        assert_eq!(
            day("L'opération menée du 1er au 6 février.", "2022-02-09").as_deref(),
            Some("2022-02-01")
        );
        assert_eq!(
            day("L'attaque a eu lieu hier.", tuesday).as_deref(),
            Some("2020-08-10")
        );
        assert_eq!(
            day("L'attaque a eu lieu avant-hier.", tuesday).as_deref(),
            Some("2020-08-09")
        );
        assert_eq!(
            day("L'attaque a eu lieu la veille.", tuesday).as_deref(),
            Some("2020-08-10")
        );
        // A day of a month without a year: the last one on or before publication.
        assert_eq!(
            day("L'attaque du 30 décembre.", "2021-01-04").as_deref(),
            Some("2020-12-30")
        );
        // A weekday and a day that disagree: the weekday (Monday 25 November 2019).
        assert_eq!(
            day("L'attaque a eu lieu lundi 26 novembre.", "2019-11-29").as_deref(),
            Some("2019-11-25")
        );
        assert_eq!(day("L'attaque aura lieu samedi prochain.", tuesday), None);
        assert_eq!(day("L'attaque a eu lieu.", tuesday), None);
    }

    #[test]
    fn a_night_of_the_event_outranks_the_day_of_a_statement() {
        let coded = code_article(
            "Barkhane frappe au Mali",
            "« Nos raids ont porté des coups durs », a déclaré jeudi 9 janvier le \
             porte-parole. Dans la nuit du 4 au 5 janvier, un raid a neutralisé une dizaine de \
             terroristes près de Serma.",
            NaiveDate::from_ymd_opt(2020, 1, 9),
        );
        assert_eq!(coded.event_date, NaiveDate::from_ymd_opt(2020, 1, 5));
    }

    #[test]
    fn a_weekday_of_things_to_come_is_not_the_event() {
        // Sunday 26 July 2020: the tribute is next Monday, the death last Thursday.
        let coded = code_article(
            "Un hommage sera rendu au soldat mort au Mali, lundi aux Invalides",
            "Le soldat tué jeudi au Mali par un véhicule suicide recevra un dernier hommage \
             lundi aux Invalides.",
            NaiveDate::from_ymd_opt(2020, 7, 26),
        );
        assert_eq!(coded.event_date, NaiveDate::from_ymd_opt(2020, 7, 23));
    }

    #[test]
    fn the_day_of_a_mourning_is_not_the_event() {
        // Friday 17 May 2019: the tribute was on Tuesday; the operation is not dated.
        let coded = code_article(
            "Hommage national aux militaires",
            "Les militaires présents mardi 14 mai à la cérémonie d'hommage national ont fait \
             leurs adieux à leurs deux camarades morts lors d'une opération de sauvetage.",
            NaiveDate::from_ymd_opt(2019, 5, 17),
        );
        assert_eq!(coded.types(), ["military_operation"]);
        assert_eq!(coded.event_date, None);
    }
}
