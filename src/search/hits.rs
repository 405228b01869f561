//! The hits shown: the best document of each story on the page, read back from the index,
//! with the best passage of its body.

use serde::Serialize;
use tantivy::query::Query;
use tantivy::{Searcher, TantivyDocument};

use super::collapse::Story;
use super::snippet::{Highlighter, Snippet};
use super::Sort;
use crate::error::Result;
use crate::mapper::DocMapper;

/// One result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub source: String,
    pub title: String,
    pub date: Option<String>,
    pub year: Option<i32>,
    pub lang: Option<String>,
    /// BM25 score; `null` when sorted by date.
    pub score: Option<f32>,
    pub snippet: Snippet,
    pub locations: Vec<String>,
    pub actors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The publishing site or agency, when the export gave it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// The story this document tells: documents with the same value are copies of it.
    pub story: String,
    /// Other matching copies of the story, not shown (0 with `all_copies`).
    pub copies: u64,
    /// The event types it reports.
    pub events: Vec<String>,
    /// People reported killed: the lowest figure among the story's matching copies
    /// (`null`: none reports a death).
    pub killed: Option<u32>,
    /// The day of the main event it reports.
    pub event_date: Option<String>,
    /// It has all the query's required words but one: shown after every story that has them
    /// all, when those do not fill the first page (not counted in `total`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

/// Reads hits back from the index, with passages highlighting what a query searches (the
/// opening of each body without a query).
pub struct Loader<'a> {
    searcher: &'a Searcher,
    mapper: &'a DocMapper,
    highlighter: Option<Highlighter>,
    sort: Sort,
}

impl<'a> Loader<'a> {
    pub fn new(
        searcher: &'a Searcher,
        mapper: &'a DocMapper,
        scored: Option<&dyn Query>,
        sort: Sort,
    ) -> Result<Self> {
        let highlighter = match scored {
            Some(q) => Some(Highlighter::new(searcher, q, mapper.body().stemmed)?),
            None => None,
        };
        Ok(Loader {
            searcher,
            mapper,
            highlighter,
            sort,
        })
    }

    /// The hit of a story: its best document, and how many other copies matched.
    pub fn hit(&self, story: &Story) -> Result<Hit> {
        let doc: TantivyDocument = self.searcher.doc(story.address)?;
        let stored = self.mapper.from_document(&doc);
        let article = stored.article;
        let snippet = match &self.highlighter {
            Some(h) => h.snippet(&article.body),
            None => Snippet::lead(&article.body),
        };
        Ok(Hit {
            year: article.year(),
            date: article.date.map(|d| d.to_string()),
            id: article.id,
            source: article.source,
            title: article.title,
            lang: article.lang,
            score: (self.sort == Sort::Relevance).then_some(story.key as f32),
            snippet,
            locations: stored.locations,
            actors: stored.actors,
            url: article.url,
            site: article.site,
            story: story_id(stored.story),
            copies: story.documents - 1,
            events: stored.events,
            killed: story.killed.and_then(|k| u32::try_from(k).ok()),
            event_date: stored.event_date.map(|d| d.to_string()),
            partial: false,
        })
    }
}

/// How a story is named in results: 16 hexadecimal digits.
pub fn story_id(story: u64) -> String {
    format!("{story:016x}")
}
