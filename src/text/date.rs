//! Date values, as exports, page metadata and analysts write them, and day arithmetic.
//!
//! A value is a year (`2024`), a month (`2024-10`), a day (`2024-10-22`, or day first as
//! French writes it: `22/10/2024`, `22-10-2024`, `22.10.2024`) or a moment (RFC 3339,
//! `2020-06-06T00:12:00+02:00`), read as the calendar day its writer meant: a moment is never
//! moved to another time zone. Dates written in prose (`mardi 22 octobre 2024`) are the
//! cleaner's business (`clean::date`).

use chrono::{Datelike, Months, NaiveDate};

/// The days a date value covers: one day, a month or a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

fn number<T: std::str::FromStr>(
    digits: &str,
    widths: std::ops::RangeInclusive<usize>,
) -> Option<T> {
    (widths.contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

impl Period {
    /// The period a value names, or `None` when it is no date value (or no real date).
    pub fn parse(value: &str) -> Option<Period> {
        let value = value.trim();
        // A moment: a day, then its time (`T00:12:00+02:00`, ` 10:22`, `Z`).
        let bytes = value.as_bytes();
        if bytes.len() > 10 && !bytes[10].is_ascii_digit() && value.is_char_boundary(10) {
            return Period::parse_day(&value[..10]);
        }
        let parts: Vec<&str> = value.split('-').collect();
        match parts[..] {
            [year] if year.len() == 4 => {
                let year = number(year, 4..=4)?;
                Some(Period {
                    first: NaiveDate::from_ymd_opt(year, 1, 1)?,
                    last: NaiveDate::from_ymd_opt(year, 12, 31)?,
                })
            }
            [year, month] if year.len() == 4 => {
                let first =
                    NaiveDate::from_ymd_opt(number(year, 4..=4)?, number(month, 1..=2)?, 1)?;
                let last = first.checked_add_months(Months::new(1))?.pred_opt()?;
                Some(Period { first, last })
            }
            _ => Period::parse_day(value),
        }
    }

    /// `YYYY-MM-DD`, or day first: `DD/MM/YYYY`, `DD-MM-YYYY`, `DD.MM.YYYY`.
    fn parse_day(value: &str) -> Option<Period> {
        let parts: Vec<&str> = value.split(['-', '/', '.']).collect();
        let day = match parts[..] {
            [y, m, d] if y.len() == 4 => {
                NaiveDate::from_ymd_opt(number(y, 4..=4)?, number(m, 1..=2)?, number(d, 1..=2)?)
            }
            [d, m, y] if y.len() == 4 => {
                NaiveDate::from_ymd_opt(number(y, 4..=4)?, number(m, 1..=2)?, number(d, 1..=2)?)
            }
            _ => None,
        }?;
        Some(Period {
            first: day,
            last: day,
        })
    }
}

/// The calendar day a value names (the first day of a month or a year).
pub fn parse_day(value: &str) -> Option<NaiveDate> {
    Period::parse(value).map(|p| p.first)
}

/// Days since 1970-01-01.
pub fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce() - NaiveDate::default().num_days_from_ce())
}

/// The month of a day given as days since 1970-01-01: `year × 12 + month − 1` (January 2024
/// is 24,288). Integer arithmetic only (Howard Hinnant's `civil_from_days`): it runs for every
/// match of a search that draws a timeline.
pub fn month_of_day(day: i64) -> i64 {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153; // March is 0
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    year * 12 + month - 1
}

/// Seconds since the epoch at midnight UTC starting `date`: how the index stores a day.
pub fn midnight_seconds(date: NaiveDate) -> i64 {
    day_number(date) * 86_400
}

/// The day of a moment given in seconds since the epoch (UTC).
pub fn day_of_seconds(seconds: i64) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp(seconds, 0).map(|d| d.date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(value: &str) -> Option<(String, String)> {
        Period::parse(value).map(|p| (p.first.to_string(), p.last.to_string()))
    }

    fn days(first: &str, last: &str) -> Option<(String, String)> {
        Some((first.to_string(), last.to_string()))
    }

    #[test]
    fn it_reads_years_months_and_days() {
        assert_eq!(period("2024"), days("2024-01-01", "2024-12-31"));
        assert_eq!(period("2024-02"), days("2024-02-01", "2024-02-29"));
        assert_eq!(period(" 2024-10-22 "), days("2024-10-22", "2024-10-22"));
        assert_eq!(period("22/10/2024"), days("2024-10-22", "2024-10-22"));
        assert_eq!(period("9.2.2022"), days("2022-02-09", "2022-02-09"));
    }

    #[test]
    fn it_reads_a_moment_as_the_day_its_writer_meant() {
        assert_eq!(
            parse_day("2020-06-06T00:12:00+02:00").map(|d| d.to_string()),
            Some("2020-06-06".into())
        );
        for moment in [
            "2020-06-18 10:22",
            "2020-06-18Z",
            "2020-06-18+02:00",
            "18/06/2020 à 10h22",
        ] {
            assert_eq!(
                parse_day(moment).map(|d| d.to_string()),
                Some("2020-06-18".into()),
                "{moment}"
            );
        }
    }

    #[test]
    fn it_refuses_what_is_no_date() {
        for value in [
            "hier",
            "2024-13",
            "24",
            "2024-02-30",
            "",
            "20245",
            "12/2024",
            "2020-1x",
        ] {
            assert_eq!(Period::parse(value), None, "{value}");
        }
    }

    #[test]
    fn it_finds_the_month_of_any_day() {
        let mut day = NaiveDate::from_ymd_opt(1899, 12, 1).unwrap();
        while day.year() < 2101 {
            let expected = i64::from(day.year()) * 12 + i64::from(day.month0());
            assert_eq!(month_of_day(day_number(day)), expected, "{day}");
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn it_counts_days_from_the_epoch() {
        let day = NaiveDate::from_ymd_opt(2024, 10, 22).unwrap();
        assert_eq!(day_number(NaiveDate::from_ymd_opt(1970, 1, 2).unwrap()), 1);
        assert_eq!(
            day_number(day),
            day.signed_duration_since(NaiveDate::default()).num_days()
        );
        assert_eq!(day_of_seconds(midnight_seconds(day)), Some(day));
        assert_eq!(day_of_seconds(midnight_seconds(day) + 86_399), Some(day));
    }
}
