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

const MONTHS: &str = r"janvier|janv|jan|f[ée]vrier|f[ée]vr|f[ée]v|mars|avril|avr|mai|juin|juillet|juil|ao[uû]t|septembre|sept|sep|octobre|oct|novembre|nov|d[ée]cembre|d[ée]c|january|february|march|april|may|june|july|august|september|october|november|december";
const WEEKDAYS: &str = r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche";

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
    let name = crate::text::fold(name);
    let n = match name.get(..3)? {
        "jan" => 1,
        "fev" | "feb" => 2,
        "mar" => 3,
        "avr" | "apr" => 4,
        "mai" | "may" => 5,
        "jui" if name.starts_with("juil") => 7,
        "jui" => 6,
        "jun" => 6,
        "jul" => 7,
        "aou" | "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

fn day_of_month(text: &str) -> Option<u32> {
    text.trim_end_matches("er").parse().ok()
}

fn valid(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    let today = chrono::Utc::now().date_naive();
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    (year >= MIN_YEAR && date <= today + chrono::Days::new(1)).then_some(date)
}

fn regexes() -> &'static [Regex; 4] {
    static RE: OnceLock<[Regex; 4]> = OnceLock::new();
    RE.get_or_init(|| {
        let time = r"(?:\s*(?:à|a|,|-)?\s*\d{1,2}\s*(?:h|:)\s*\d{2})?";
        let re = |pattern: String| Regex::new(&pattern).expect("date patterns are valid");
        [
            // "du 11 au 12 novembre 2018", "entre le 25 et le 27 juillet 2024": the later day.
            re(format!(
                r"(?i)\b(?:du|entre\s+le)\s+(?:\d{{1,2}}|1er)\s+(?:au|et\s+le)\s+(\d{{1,2}}|1er)\s+({MONTHS})\.?\s+(\d{{4}})\b"
            )),
            // "mardi 22 octobre 2024", "18 Juin 2017 à 18:48", "1er août 2014"
            re(format!(
                r"(?i)\b(?:(?:{WEEKDAYS})\s+)?(\d{{1,2}}|1er)\s+({MONTHS})\.?\s+(\d{{4}})\b({time})"
            )),
            // "09 - 02 - 2022", "15/05/2020", "15.05.2020" (day first)
            re(format!(
                r"\b(\d{{1,2}})\s*([-/.])\s*(\d{{1,2}})\s*[-/.]\s*(\d{{4}})\b({time})"
            )),
            // "2020-05-15", "2020-05-15T10:00:00Z"
            re(r"\b(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2})?".to_string()),
        ]
    })
}

fn partial() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"(?i)\b(?:(?:{WEEKDAYS})\s+)?(\d{{1,2}}|1er)\s+({MONTHS})\b"
        ))
        .expect("partial date pattern is valid")
    })
}

/// Every date mentioned in `text`, in order of appearance.
pub fn find_dates(text: &str) -> Vec<Mention> {
    let [range, textual, numeric, iso] = regexes();
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
    for c in textual.captures_iter(text) {
        let date = (|| {
            valid(
                c[3].parse().ok()?,
                month_number(&c[2])?,
                day_of_month(&c[1])?,
            )
        })();
        let with_time = c.get(4).is_some_and(|t| !t.is_empty());
        push(c.get(0).expect("group 0"), date, with_time);
    }
    for c in numeric.captures_iter(text) {
        let date = (|| valid(c[4].parse().ok()?, c[3].parse().ok()?, c[1].parse().ok()?))();
        let with_time = c.get(5).is_some_and(|t| !t.is_empty());
        push(c.get(0).expect("group 0"), date, with_time);
    }
    for c in iso.captures_iter(text) {
        let date = (|| valid(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?))();
        push(c.get(0).expect("group 0"), date, c.get(4).is_some());
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
