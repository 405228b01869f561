//! Raw record → [`Article`]: page furniture out, title, body, publication date and language in.
//!
//! Text copied from web pages is read line by line ([`page`]); saved HTML pages with an HTML
//! parser and Readability ([`html`]), into the fields a JSON export gives; dates written in
//! prose are found by [`date`].

pub mod date;
mod html;
pub mod page;
mod words;

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::ingest::{Content, Fields, RawRecord};
use crate::lang;

/// One article, cleaned, ready to be indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Stable identity: the export's `id`, else a hash of title and body.
    pub id: String,
    /// Where it came from: a path, and `:LINE` for a line of a JSONL file.
    pub source: String,
    /// The article's own headline.
    pub title: String,
    /// The cleaned text, paragraphs separated by blank lines.
    pub body: String,
    /// Publication date (or the reported event's date when no other is printed).
    pub date: Option<NaiveDate>,
    /// ISO 639-1 code of the body's language, when the detection is reliable.
    pub lang: Option<String>,
    /// The page's address, when the export gives it.
    pub url: Option<String>,
    /// The publishing site or agency, when the export gives it.
    pub site: Option<String>,
    /// Where the story starts in the body: after the lead an export or a page's description
    /// gives apart (sites rewrite leads and keep the dispatch); 0 when there is none.
    pub story_start: usize,
}

impl Article {
    /// The publication year, if the date is known.
    pub fn year(&self) -> Option<i32> {
        use chrono::Datelike;
        self.date.map(|d| d.year())
    }

    /// The body without its lead: the text whose copies are looked for.
    pub fn story(&self) -> &str {
        &self.body[self.story_start..]
    }
}

/// Why a record produced no article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// An HTML page with neither a headline nor a text.
    #[error("no article text found in the page")]
    NoArticle,
    /// Nothing left once the page furniture is gone.
    #[error("no article text left once the page furniture is removed")]
    NoText,
}

/// What a record's content gives, before the rest is derived from it.
struct Parts {
    title: String,
    body: String,
    date: Option<NaiveDate>,
    story_start: usize,
}

/// Longest title kept when a title has to be made from the body's first words.
const FALLBACK_TITLE_CHARS: usize = 120;

fn title_from_body(body: &str) -> String {
    let first = body.lines().next().unwrap_or_default();
    if first.chars().count() <= FALLBACK_TITLE_CHARS {
        return first.to_string();
    }
    let cut: String = first.chars().take(FALLBACK_TITLE_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// The publication date of a page: the byline's (not an update's; one with a time of day
/// first), else that of a line that is only a date (one with a time of day first: a header's
/// clock and the lists of other headlines show the day alone), else a month marker completed
/// by a partial date, else the first date with a time of day, else the first date of the
/// article.
fn page_date(page: &page::Page, title: &str) -> Option<NaiveDate> {
    let in_bylines: Vec<date::Mention> = page
        .bylines
        .iter()
        .flat_map(|b| {
            date::find_dates(b).into_iter().filter(move |m| {
                let before = &b[..m.offset];
                let start = before.char_indices().rev().nth(24).map_or(0, |(i, _)| i);
                !page::is_update_context(&before[start..])
            })
        })
        .collect();
    let datelines: Vec<date::Mention> = page
        .datelines
        .iter()
        .filter_map(|d| date::find_dates(d).first().copied())
        .collect();
    for mentions in [&in_bylines, &datelines] {
        if let Some(m) = mentions.iter().find(|m| m.with_time).or(mentions.first()) {
            return Some(m.date);
        }
    }
    if let Some((year, month)) = page.month_marker {
        if let Some(d) = date::complete_partial(&page.body, year, month) {
            return Some(d);
        }
    }
    text_date(&format!("{title}\n\n{}", page.body))
}

fn text_date(text: &str) -> Option<NaiveDate> {
    let mentions = date::find_dates(text);
    mentions
        .iter()
        .find(|m| m.with_time)
        .or(mentions.first())
        .map(|m| m.date)
}

fn content_id(title: &str, body: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(title.as_bytes());
    hasher.update(b"\n");
    hasher.update(body.as_bytes());
    hasher.finalize().to_hex()[..16].to_string()
}

fn from_page(text: &str) -> Parts {
    let page = page::read_page(text);
    let title = page
        .title
        .clone()
        .unwrap_or_else(|| title_from_body(&page.body));
    let date = page_date(&page, &title);
    Parts {
        title,
        body: page.body,
        date,
        story_start: 0,
    }
}

fn from_fields(fields: &Fields) -> Parts {
    let text = fields.body.as_deref().unwrap_or_default();
    let page = page::read_page_body(text);
    let mut body = page.body.clone();
    let mut story_start = 0;
    if let Some(summary) = fields
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if !body.starts_with(summary) {
            body = if body.is_empty() {
                summary.to_string()
            } else {
                format!("{summary}\n\n{body}")
            };
        }
        if !body[summary.len()..].trim().is_empty() {
            story_start = summary.len();
        }
    }
    let title = match fields
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(t) => crate::text::squash_spaces(t),
        None => title_from_body(&body),
    };
    let date = fields
        .date
        .as_deref()
        .and_then(date::parse_date)
        .or_else(|| page_date(&page, &title));
    Parts {
        title,
        body,
        date,
        story_start,
    }
}

/// Cleans one raw record into an article.
pub fn clean(record: &RawRecord) -> Result<Article, Rejection> {
    let (parts, fields) = match &record.content {
        Content::Page(text) => (from_page(text), None),
        Content::Fields(fields) => (from_fields(fields), Some(Cow::Borrowed(fields))),
        Content::Markup(markup) => {
            let fields = html::fields(markup).ok_or(Rejection::NoArticle)?;
            (from_fields(&fields), Some(Cow::Owned(fields)))
        }
    };
    let Parts {
        title,
        body,
        date,
        story_start,
    } = parts;
    if body.trim().is_empty() && title.trim().is_empty() {
        return Err(Rejection::NoText);
    }
    let fields = fields.unwrap_or_default();
    Ok(Article {
        id: fields
            .id
            .clone()
            .unwrap_or_else(|| content_id(&title, &body)),
        source: record.origin.to_string(),
        lang: lang::detect(&body),
        title,
        body,
        date,
        url: fields.url.clone(),
        site: fields.site.clone(),
        story_start,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Origin;
    use proptest::prelude::*;

    /// Pages made of what scraped pages hold: headlines, bylines, dates, furniture, blank
    /// lines, wide gaps, stray punctuation and any other characters.
    fn page_soup() -> impl Strategy<Value = String> {
        let line = prop_oneof![
            Just("Nouvelle embuscade meurtrière au Mali".to_string()),
            Just("Rédigé par Kassim Traoré le mardi 22 octobre 2024 à 18:48".to_string()),
            Just("AFP, publié le vendredi 15 mai 2020 à 19h56".to_string()),
            Just("Par Jean Dupont - 12/05/2020 à 10h00".to_string()),
            Just("Publicité".to_string()),
            Just("© AFP/Archives - MICHELE CATTANI".to_string()),
            Just("Cliquez ici pour vous abonner".to_string()),
            Just("Commentaires".to_string()),
            Just("Mali    Burkina    Niger    Sahel    Monde".to_string()),
            Just("date 2024-10".to_string()),
            Just("DES SOLDATS TUÉS".to_string()),
            Just(String::new()),
            "[A-Za-zÀ-ÿ' ,.:«»\"-]{0,120}",
            "\\PC{0,80}",
        ];
        prop::collection::vec(line, 0..30).prop_map(|lines| lines.join("\n"))
    }

    fn check(record: &RawRecord) -> Result<(), TestCaseError> {
        if let Ok(article) = clean(record) {
            prop_assert!(!article.id.is_empty());
            prop_assert!(!article.title.contains('\n'));
            prop_assert!(!article.body.trim().is_empty() || !article.title.trim().is_empty());
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        #[test]
        fn no_page_makes_the_cleaner_panic(text in page_soup()) {
            check(&RawRecord {
                origin: Origin::file(std::path::Path::new("fuzz.txt")),
                content: Content::Page(text),
            })?;
        }

        #[test]
        fn no_record_makes_the_cleaner_panic(
            title in proptest::option::of("\\PC{0,60}"),
            date in proptest::option::of("\\PC{0,30}"),
            body in proptest::option::of(page_soup()),
            summary in proptest::option::of("\\PC{0,60}"),
        ) {
            check(&RawRecord {
                origin: Origin::line(std::path::Path::new("fuzz.jsonl"), 1),
                content: Content::Fields(Fields { id: None, title, date, body, summary, url: None, site: None }),
            })?;
        }
    }
}
