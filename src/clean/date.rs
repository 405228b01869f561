//! Publication dates in the forms French news writes them.
//!
//! `18 Juin 2017 à 18:48`, `09 - 02 - 2022`, `mardi 22 octobre 2024`, `1er août 2014`,
//! `Dans la nuit du 11 au 12 novembre 2018`, `15/05/2020`, `2020-05-15`, and a page's
//! `date 2021-06` marker completed by `ce lundi 21 juin`. [`find_dates`] lists every date
//! of a text with where it was found; [`parse_date`] reads one date value (a JSON field).

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

/// Earliest year accepted: older numbers are more likely counts than dates.
const MIN_YEAR: i32 = 1990;

/// Month names and abbreviations of the languages of the pages read (French first; English,
/// Spanish, Portuguese, Italian, German, Dutch, Russian and Ukrainian in the genitive that
/// dates use, Romanian, Bosnian and Croatian, Polish, Turkish, Indonesian, Arabic),
/// lowercase, with their number. A name two languages give different months (`listopad`) is
/// left out.
const MONTH_NAMES: &[(&str, u32)] = &[
    ("janvier", 1),
    ("janv", 1),
    ("jan", 1),
    ("january", 1),
    ("enero", 1),
    ("ene", 1),
    ("janeiro", 1),
    ("gennaio", 1),
    ("gen", 1),
    ("januar", 1),
    ("jänner", 1),
    ("januari", 1),
    ("января", 1),
    ("січня", 1),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("fevr", 2),
    ("fév", 2),
    ("fev", 2),
    ("february", 2),
    ("feb", 2),
    ("febrero", 2),
    ("fevereiro", 2),
    ("febbraio", 2),
    ("februar", 2),
    ("februari", 2),
    ("февраля", 2),
    ("лютого", 2),
    ("mars", 3),
    ("march", 3),
    ("mar", 3),
    ("marzo", 3),
    ("março", 3),
    ("marco", 3),
    ("märz", 3),
    ("maart", 3),
    ("марта", 3),
    ("березня", 3),
    ("avril", 4),
    ("avr", 4),
    ("april", 4),
    ("apr", 4),
    ("abril", 4),
    ("abr", 4),
    ("aprile", 4),
    ("апреля", 4),
    ("квітня", 4),
    ("mai", 5),
    ("may", 5),
    ("mayo", 5),
    ("maio", 5),
    ("maggio", 5),
    ("mei", 5),
    ("мая", 5),
    ("травня", 5),
    ("juin", 6),
    ("june", 6),
    ("jun", 6),
    ("junio", 6),
    ("junho", 6),
    ("giugno", 6),
    ("juni", 6),
    ("июня", 6),
    ("червня", 6),
    ("juillet", 7),
    ("juil", 7),
    ("july", 7),
    ("jul", 7),
    ("julio", 7),
    ("julho", 7),
    ("luglio", 7),
    ("juli", 7),
    ("июля", 7),
    ("липня", 7),
    ("août", 8),
    ("aout", 8),
    ("august", 8),
    ("aug", 8),
    ("agosto", 8),
    ("ago", 8),
    ("augustus", 8),
    ("августа", 8),
    ("серпня", 8),
    ("septembre", 9),
    ("sept", 9),
    ("sep", 9),
    ("september", 9),
    ("septiembre", 9),
    ("setiembre", 9),
    ("setembro", 9),
    ("set", 9),
    ("settembre", 9),
    ("сентября", 9),
    ("вересня", 9),
    ("octobre", 10),
    ("oct", 10),
    ("october", 10),
    ("octubre", 10),
    ("outubro", 10),
    ("out", 10),
    ("ottobre", 10),
    ("oktober", 10),
    ("okt", 10),
    ("октября", 10),
    ("жовтня", 10),
    ("novembre", 11),
    ("nov", 11),
    ("november", 11),
    ("noviembre", 11),
    ("novembro", 11),
    ("ноября", 11),
    ("листопада", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("déc", 12),
    ("dec", 12),
    ("december", 12),
    ("diciembre", 12),
    ("dic", 12),
    ("dezembro", 12),
    ("dez", 12),
    ("dicembre", 12),
    ("dezember", 12),
    ("декабря", 12),
    ("грудня", 12),
    // Romanian, Bosnian/Croatian/Serbian, Polish (genitive), Turkish, Indonesian.
    ("ianuarie", 1),
    ("stycznia", 1),
    ("ocak", 1),
    ("februarie", 2),
    ("veljače", 2),
    ("lutego", 2),
    ("şubat", 2),
    ("subat", 2),
    ("martie", 3),
    ("mart", 3),
    ("marca", 3),
    ("ožujka", 3),
    ("maret", 3),
    ("aprilie", 4),
    ("travnja", 4),
    ("kwietnia", 4),
    ("nisan", 4),
    ("maj", 5),
    ("svibnja", 5),
    ("maja", 5),
    ("mayıs", 5),
    ("iunie", 6),
    ("lipnja", 6),
    ("czerwca", 6),
    ("haziran", 6),
    ("iulie", 7),
    ("srpnja", 7),
    ("lipca", 7),
    ("temmuz", 7),
    ("kolovoza", 8),
    ("sierpnia", 8),
    ("ağustos", 8),
    ("agustus", 8),
    ("septembrie", 9),
    ("septembar", 9),
    ("rujna", 9),
    ("września", 9),
    ("eylül", 9),
    ("octombrie", 10),
    ("oktobar", 10),
    ("października", 10),
    ("ekim", 10),
    ("noiembrie", 11),
    ("novembar", 11),
    ("studenoga", 11),
    ("kasım", 11),
    ("decembrie", 12),
    ("decembar", 12),
    ("prosinca", 12),
    ("grudnia", 12),
    ("aralık", 12),
    ("desember", 12),
    // Arabic: the months of the Gregorian calendar by their Western names, and by their
    // Levantine names (often both: « 24 نيسان / أبريل 2020 »).
    ("يناير", 1),
    ("كانون الثاني", 1),
    ("فبراير", 2),
    ("شباط", 2),
    ("مارس", 3),
    ("آذار", 3),
    ("أبريل", 4),
    ("ابريل", 4),
    ("نيسان", 4),
    ("مايو", 5),
    ("أيار", 5),
    ("يونيو", 6),
    ("حزيران", 6),
    ("يوليو", 7),
    ("تموز", 7),
    ("أغسطس", 8),
    ("اغسطس", 8),
    ("آب", 8),
    ("سبتمبر", 9),
    ("أيلول", 9),
    ("أكتوبر", 10),
    ("اكتوبر", 10),
    ("تشرين الأول", 10),
    ("نوفمبر", 11),
    ("تشرين الثاني", 11),
    ("ديسمبر", 12),
    ("كانون الأول", 12),
];

/// Where a month's name stands in a date pattern: one or two words of letters, checked
/// against [`MONTH_NAMES`] once matched (an alternation of every name, in every case, would
/// cost more to compile than the pages it reads).
const MONTH_WORD: &str = r"(?-i:\p{L}+(?:\s\p{L}+)?)";

/// The English month names, which alone come before the day ("November 19, 2019"): another
/// language's abbreviation there is a word ("the set 12 …").
const MONTHS_EN: &str = r"january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec";

const WEEKDAYS: &str = r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche";
const WEEKDAYS_EN: &str = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun";

/// A date mentioned in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// The calendar date.
    pub date: NaiveDate,
    /// Byte offset of the mention in the text.
    pub offset: usize,
    /// The mention carries a time of day (`à 18:48`, `19h56`): typical of bylines.
    pub with_time: bool,
}

fn month_number(name: &str) -> Option<u32> {
    let find = |name: &str| {
        let name = name.trim_end_matches('.').to_lowercase();
        MONTH_NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, number)| number)
    };
    // Two words matched where one is the month ("نيسان أبريل"): either.
    find(name).or_else(|| {
        let (first, last) = name.split_once(char::is_whitespace)?;
        find(first).or_else(|| find(last.trim()))
    })
}

/// Whether a word is a month's name in one of the languages read.
pub(crate) fn is_month(word: &str) -> bool {
    month_number(word).is_some()
}

fn day_of_month(text: &str) -> Option<u32> {
    text.trim_end_matches("er").parse().ok()
}

fn valid(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    let today = chrono::Utc::now().date_naive();
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    (year >= MIN_YEAR && date <= today + chrono::Days::new(1)).then_some(date)
}

fn regexes() -> &'static [Regex; 9] {
    static RE: OnceLock<[Regex; 9]> = OnceLock::new();
    RE.get_or_init(|| {
        let months = MONTH_WORD;
        let time = r"(?:\s*(?:à|a|às|at|um|,|-|\|)?\s*\d{1,2}\s*(?:h|:)\s*\d{2})?";
        let re = |pattern: String| Regex::new(&pattern).expect("date patterns are valid");
        [
            // "du 11 au 12 novembre 2018", "entre le 25 et le 27 juillet 2024": the later day.
            re(format!(
                r"(?i)\b(?:du|entre\s+le)\s+(?:\d{{1,2}}|1er)\s+(?:au|et\s+le)\s+(\d{{1,2}}|1er)\s+({months})\.?\s+(\d{{4}})\b"
            )),
            // "mardi 22 octobre 2024", "18 Juin 2017 à 18:48", "1er août 2014", "27 Sep 2016",
            // "7 червня 2020", "24 نيسان / أبريل 2020"
            re(format!(
                r"(?i)\b(?:(?:{WEEKDAYS})\s+)?(\d{{1,2}}|1er)\s+({months})(?:\s*/\s*\p{{L}}+)?\.?,?\s+(\d{{4}})\b({time})"
            )),
            // "09 - 02 - 2022", "15/05/2020", "15.05.2020" (day first)
            re(format!(
                r"\b(\d{{1,2}})\s*([-/.])\s*(\d{{1,2}})\s*[-/.]\s*(\d{{4}})\b({time})"
            )),
            // "2020-05-15", "2020-05-15T10:00:00Z", "2020/05/15"
            re(r"\b(\d{4})([-/])(\d{1,2})[-/](\d{1,2})\b(T\d{2}:\d{2}|\s+\d{1,2}:\d{2})?".to_string()),
            // "November 19, 2019", "Nov. 20, 2019, 9:28 AM", "Tuesday, Nov 19th 2019"
            re(format!(
                r"(?i)\b(?:(?:{WEEKDAYS_EN}),?\s+)?({MONTHS_EN})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b({time})"
            )),
            // "17 de febrero de 2020", "22 de outubro de 2010 às 20:13"
            re(format!(
                r"(?i)\b(\d{{1,2}})\s+de\s+({months})\.?,?\s+(?:de\s+|del\s+)?(\d{{4}})\b({time})"
            )),
            // "6. August 2009"
            re(format!(r"(?i)\b(\d{{1,2}})\.\s*({months})\s+(\d{{4}})\b({time})")),
            // "mardi, novembre 26, 2019" (Blogger's French dates): month first in any language,
            // only with the comma after the day.
            re(format!(
                r"(?i)\b(?:(?:{WEEKDAYS}),?\s+)?({months})\s+(\d{{1,2}}),\s+(\d{{4}})\b({time})"
            )),
            // "28/11/19 à 12h27": a two-digit year, only with a time of day (a byline's).
            re(
                r"\b(\d{1,2})/(\d{1,2})/(\d{2})\s*(?:à|a|,|-)?\s*(\d{1,2}\s*[h:]\s*\d{2})"
                    .to_string(),
            ),
        ]
    })
}

fn partial() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"(?i)\b(?:(?:{WEEKDAYS})\s+)?(\d{{1,2}}|1er)\s+({MONTH_WORD})\b"
        ))
        .expect("partial date pattern is valid")
    })
}

/// Every date mentioned in `text`, in order of appearance.
pub fn find_dates(text: &str) -> Vec<Mention> {
    let [range, textual, numeric, iso, month_first, de, german, month_comma, short_year] =
        regexes();
    let mut found: Vec<Mention> = Vec::new();
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    let mut push = |m: regex::Match, date: Option<NaiveDate>, with_time: bool| {
        if taken.iter().any(|r| r.start < m.end() && m.start() < r.end) {
            return;
        }
        taken.push(m.range());
        if let Some(date) = date {
            found.push(Mention {
                date,
                offset: m.start(),
                with_time,
            });
        }
    };
    let timed = |c: &regex::Captures, group: usize| c.get(group).is_some_and(|t| !t.is_empty());
    for c in range.captures_iter(text) {
        let date = (|| {
            valid(
                c[3].parse().ok()?,
                month_number(&c[2])?,
                day_of_month(&c[1])?,
            )
        })();
        push(c.get(0).expect("group 0"), date, false);
    }
    // Day, month, year in words, in the orders and with the words each language uses.
    for (re, day, month) in [
        (textual, 1, 2),
        (de, 1, 2),
        (german, 1, 2),
        (month_first, 2, 1),
        (month_comma, 2, 1),
    ] {
        for c in re.captures_iter(text) {
            let date = (|| {
                valid(
                    c[3].parse().ok()?,
                    month_number(&c[month])?,
                    day_of_month(&c[day])?,
                )
            })();
            push(c.get(0).expect("group 0"), date, timed(&c, 4));
        }
    }
    for c in numeric.captures_iter(text) {
        let date = (|| valid(c[4].parse().ok()?, c[3].parse().ok()?, c[1].parse().ok()?))();
        push(c.get(0).expect("group 0"), date, timed(&c, 5));
    }
    for c in short_year.captures_iter(text) {
        let date = (|| {
            let year: i32 = c[3].parse().ok()?;
            valid(2000 + year, c[2].parse().ok()?, c[1].parse().ok()?)
        })();
        push(c.get(0).expect("group 0"), date, true);
    }
    for c in iso.captures_iter(text) {
        let date = (|| valid(c[1].parse().ok()?, c[3].parse().ok()?, c[4].parse().ok()?))();
        push(c.get(0).expect("group 0"), date, timed(&c, 5));
    }
    found.sort_by_key(|m| m.offset);
    found
}

/// Compiles the patterns now rather than when the first text needs them.
pub(crate) fn warm_up() {
    regexes();
    partial();
}

/// A day and month without a year (`ce lundi 21 juin`), completed with a year-month marker
/// such as a page's `date 2021-06`: only a mention in that month counts.
pub fn complete_partial(text: &str, year: i32, month: u32) -> Option<NaiveDate> {
    partial().captures_iter(text).find_map(|c| {
        let m = month_number(&c[2])?;
        (m == month)
            .then(|| valid(year, m, day_of_month(&c[1])?))
            .flatten()
    })
}

/// Reads one date value (a JSON field): a value of [`crate::text::date`] (`2020-06-18`, RFC
/// 3339, `2019-03`, `2019`), else the first date written in it (`18 juin 2017`); a date
/// before [`MIN_YEAR`] or in the future is none.
pub fn parse_date(value: &str) -> Option<NaiveDate> {
    match crate::text::date::parse_day(value) {
        Some(day) => valid(day.year(), day.month(), day.day()),
        None => find_dates(value).first().map(|m| m.date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> Option<String> {
        find_dates(text).first().map(|m| m.date.to_string())
    }

    #[test]
    fn it_reads_the_forms_french_news_uses() {
        assert_eq!(
            first("le 18 Juin 2017 à 18:48 | Lu 376 fois").as_deref(),
            Some("2017-06-18")
        );
        assert_eq!(
            first("Publié dans Barlamane le 09 - 02 - 2022").as_deref(),
            Some("2022-02-09")
        );
        assert_eq!(
            first("Le mardi 22 octobre 2024, une embuscade").as_deref(),
            Some("2024-10-22")
        );
        assert_eq!(
            first("AFP, publié le vendredi 15 mai 2020 à 19h56").as_deref(),
            Some("2020-05-15")
        );
        assert_eq!(
            first("mis en ligne le 15/05/2020").as_deref(),
            Some("2020-05-15")
        );
        assert_eq!(
            first("lancée le 1er août 2014").as_deref(),
            Some("2014-08-01")
        );
        assert_eq!(first("le 3 déc. 2019").as_deref(), Some("2019-12-03"));
        assert_eq!(first("le 3 fevrier 2019").as_deref(), Some("2019-02-03"));
    }

    #[test]
    fn it_reads_dates_of_pages_in_other_languages() {
        for (text, day) in [
            ("Published November 19, 2019 at 3:02pm", "2019-11-19"),
            ("Nov. 20, 2019, 9:28 AM UTC", "2019-11-20"),
            ("Tuesday, Nov 19th 2019", "2019-11-19"),
            ("27 Sep 2016", "2016-09-27"),
            ("Mise en ligne 23 mai 2019", "2019-05-23"),
            ("17 de Febrero 2020", "2020-02-17"),
            ("sexta-feira, 22 de outubro de 2010 às 20:13", "2010-10-22"),
            ("6. August 2009", "2009-08-06"),
            ("Datum: 03.11.2021", "2021-11-03"),
            ("7 червня 2020", "2020-06-07"),
            ("الجمعة 24 نيسان / أبريل 2020 09:22", "2020-04-24"),
            ("2020/03/16", "2020-03-16"),
            ("mardi, novembre 26, 2019", "2019-11-26"),
            ("Publié le 28/11/19 à 12h27", "2019-11-28"),
        ] {
            assert_eq!(first(text).as_deref(), Some(day), "{text}");
        }
        // Words that only look like months are not dates.
        assert_eq!(first("the set 12 2019 was out"), None);
        assert_eq!(first("le score 28/11/19 des votes"), None);
    }

    #[test]
    fn it_takes_the_end_of_a_night_or_a_range() {
        assert_eq!(
            first("Dans la nuit du 11 au 12 novembre 2018, dans la région").as_deref(),
            Some("2018-11-12")
        );
        assert_eq!(
            first("Entre le 25 et le 27 juillet 2024, des affrontements").as_deref(),
            Some("2024-07-27")
        );
    }

    #[test]
    fn it_marks_mentions_with_a_time_of_day() {
        let m = find_dates("Rédigé le 18 Juin 2017 à 18:48");
        assert!(m[0].with_time);
        let m = find_dates("le 18 juin 2017 dans la nuit");
        assert!(!m[0].with_time);
    }

    #[test]
    fn it_rejects_impossible_and_implausible_dates() {
        assert_eq!(first("le 31 février 2020"), None);
        assert_eq!(first("les 12 mai 1871"), None);
        assert_eq!(first("32/13/2020"), None);
        assert_eq!(first("le 1er janvier 2999"), None);
    }

    #[test]
    fn it_completes_a_partial_date_with_a_month_marker() {
        let text = "attaque kamikaze, ce lundi 21 juin, dans la localité de Gossi";
        assert_eq!(
            complete_partial(text, 2021, 6)
                .map(|d| d.to_string())
                .as_deref(),
            Some("2021-06-21")
        );
        assert_eq!(complete_partial(text, 2021, 7), None);
    }

    #[test]
    fn it_parses_field_values() {
        assert_eq!(
            parse_date("2020-06-18").map(|d| d.to_string()).as_deref(),
            Some("2020-06-18")
        );
        assert_eq!(
            parse_date("2020-06-18T10:22:00+02:00")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2020-06-18")
        );
        assert_eq!(
            parse_date("2019-03").map(|d| d.to_string()).as_deref(),
            Some("2019-03-01")
        );
        assert_eq!(
            parse_date("18 juin 2017").map(|d| d.to_string()).as_deref(),
            Some("2017-06-18")
        );
        assert_eq!(parse_date("n/a"), None);
        assert_eq!(parse_date(""), None);
    }

    mod fuzz {
        use super::*;
        use chrono::Datelike;
        use proptest::prelude::*;

        /// Text made of what dates are written with: numbers, month names, separators,
        /// times, and any other characters.
        fn date_soup() -> impl Strategy<Value = String> {
            let piece = prop_oneof![
                "[0-9]{1,5}",
                Just("janvier".to_string()),
                Just("févr.".to_string()),
                Just("DÉCEMBRE".to_string()),
                Just("1er".to_string()),
                Just(" à ".to_string()),
                Just("h".to_string()),
                Just("/".to_string()),
                Just("-".to_string()),
                Just(":".to_string()),
                Just("T".to_string()),
                Just("+02:00".to_string()),
                Just(" le ".to_string()),
                Just(" ".to_string()),
                Just("\u{a0}".to_string()),
                "\\PC{0,3}",
            ];
            prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
        }

        fn check(text: &str) -> Result<(), TestCaseError> {
            let today = chrono::Local::now().date_naive();
            for mention in find_dates(text) {
                prop_assert!(text.is_char_boundary(mention.offset));
                prop_assert!(mention.offset < text.len());
                prop_assert!(mention.date.year() >= MIN_YEAR);
                prop_assert!(mention.date <= today + chrono::Days::new(1));
            }
            if let Some(date) = parse_date(text) {
                prop_assert!(date.year() >= MIN_YEAR);
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]
            #[test]
            fn dates_found_are_plausible_and_point_into_the_text(text in date_soup()) {
                check(&text)?;
            }

            #[test]
            fn no_text_makes_the_date_reader_panic(text in "\\PC{0,200}") {
                check(&text)?;
            }
        }
    }
}
