//! One document read back whole, for a document view: the cleaned article, the places and
//! actors it names with the words of the text that named them (what `vigie extract` shows),
//! and the other copies of its story.

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::hits::story_id;
use super::Engine;
use crate::clean::Article;
use crate::entities::{Found, Recognizer};
use crate::error::Result;
use crate::events::{Event, Fatality};
use crate::mapper::{DocMapper, Keyword, StoredArticle};

/// A document and what it names.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub id: String,
    pub source: String,
    pub title: String,
    pub date: Option<String>,
    pub year: Option<i32>,
    pub lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The cleaned text, paragraphs separated by blank lines.
    pub body: String,
    /// Places, each with the words of the text that named it.
    pub locations: Vec<Found>,
    /// Actors, each with the words of the text that named it.
    pub actors: Vec<Found>,
    pub story: String,
    /// The other documents of the story, oldest first.
    pub copies: Vec<Copy>,
    /// The event types it reports, each with the words that said it.
    pub events: Vec<Event>,
    /// People it reports killed.
    pub killed: Option<u32>,
    /// Every fatality phrase read, counted or not (and why not).
    pub fatalities: Vec<Fatality>,
    /// The day of its main event, and the words that gave it.
    pub event_date: Option<String>,
    pub event_date_words: Option<String>,
}

/// Another copy of a document's story.
#[derive(Debug, Clone, Serialize)]
pub struct Copy {
    pub id: String,
    pub title: String,
    pub date: Option<String>,
    pub source: String,
}

/// The documents matching `term`, in index order.
fn documents(searcher: &Searcher, mapper: &DocMapper, term: Term) -> Result<Vec<StoredArticle>> {
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    let mut addresses: Vec<DocAddress> = searcher
        .search(&query, &DocSetCollector)?
        .into_iter()
        .collect();
    addresses.sort();
    addresses
        .into_iter()
        .map(|address| {
            let doc: TantivyDocument = searcher.doc(address)?;
            Ok(mapper.from_document(&doc))
        })
        .collect()
}

fn day(article: &Article) -> Option<String> {
    article.date.map(|d| d.to_string())
}

impl Engine {
    /// The document of id `id` (the first indexed, if several share it), or `None`.
    pub fn document(&self, id: &str) -> Result<Option<Document>> {
        let searcher = self.searcher();
        let mapper = self.store().mapper();
        let Some(stored) = documents(&searcher, mapper, mapper.keyword_term(Keyword::Id, id))?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        let mut copies: Vec<Copy> = documents(&searcher, mapper, mapper.story_term(stored.story))?
            .into_iter()
            .filter(|other| other.article.id != id || other.article.source != stored.article.source)
            .map(|other| Copy {
                date: day(&other.article),
                id: other.article.id,
                title: other.article.title,
                source: other.article.source,
            })
            .collect();
        copies.sort_by(|a, b| (&a.date, &a.id).cmp(&(&b.date, &b.id)));
        // The words that named each entity and event are not stored: the recognizer and the
        // event coder find them again in the stored title and body, which they read when the
        // article was indexed.
        let article = stored.article;
        let (entities, coded) = Recognizer::default().extract_with(
            &article.title,
            &article.body,
            |text, words, body| crate::events::code(text, words, body, article.date),
        );
        Ok(Some(Document {
            date: day(&article),
            year: article.year(),
            id: article.id,
            source: article.source,
            title: article.title,
            lang: article.lang,
            url: article.url,
            body: article.body,
            locations: entities.locations,
            actors: entities.actors,
            story: story_id(stored.story),
            copies,
            events: coded.events,
            killed: coded.killed,
            fatalities: coded.fatalities,
            event_date: coded.event_date.map(|d| d.to_string()),
            event_date_words: coded.date_words,
        }))
    }
}
