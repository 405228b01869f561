//! The document mapper: the one owner of the index's layout. It alone knows the fields and
//! their names, how an [`Article`] becomes a tantivy document and a document a
//! [`StoredArticle`], how facets (year, location, actor, event type) are encoded and decoded, which
//! columns hold a document's file and story, and which files Vigie keeps beside tantivy's
//! ([`layout`]). Everything else asks it for terms, collectors and columns.
//!
//! A new field or facet is added here: a field in [`Fields`] (with its name in the schema,
//! both when building a new schema and when reading an existing one), its value in
//! [`DocMapper::to_document`] and [`DocMapper::from_document`], and, for a facet, a
//! [`FacetKind`] variant with its encoding. Changing what an existing index holds means a new
//! [`layout::FORMAT`].

pub mod layout;

use std::ops::Bound;

use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHashMap;
use tantivy::columnar::{Column, StrColumn};
use tantivy::schema::{
    DateOptions, DateTimePrecision, Facet, FacetOptions, Field, IndexRecordOption, NumericOptions,
    Schema, TextFieldIndexing, TextOptions, Value, FAST, STORED, STRING,
};
use tantivy::{DateTime, Searcher, SegmentReader, TantivyDocument, Term};

use crate::analysis;
use crate::clean::Article;
use crate::files::{FileStamp, FileTable, Indexed};
use crate::text::date;

/// Field names, as the schema holds them.
mod names {
    pub const ID: &str = "id";
    pub const SOURCE: &str = "source";
    pub const TITLE: &str = "title";
    pub const TITLE_EXACT: &str = "title_exact";
    pub const BODY: &str = "body";
    pub const BODY_EXACT: &str = "body_exact";
    pub const DATE: &str = "date";
    pub const YEAR: &str = "year";
    pub const LANG: &str = "lang";
    pub const URL: &str = "url";
    pub const SITE: &str = "site";
    pub const LOCATION: &str = "location";
    pub const ACTOR: &str = "actor";
    pub const PATH: &str = "path";
    pub const FILE_STAMP: &str = "file_stamp";
    pub const CLUSTER: &str = "cluster";
    pub const EVENT: &str = "event";
    pub const KILLED: &str = "killed";
    pub const EVENT_DATE: &str = "event_date";
    pub const CENTRAL: &str = "central";
}

/// Fields of the index, by role.
#[derive(Debug, Clone)]
struct Fields {
    id: Field,
    source: Field,
    title: Field,
    title_exact: Field,
    body: Field,
    body_exact: Field,
    date: Field,
    year: Field,
    lang: Field,
    url: Field,
    site: Field,
    location: Field,
    actor: Field,
    /// Canonical path of the file the document was read from.
    path: Field,
    /// That file's [`FileStamp`] when it was read.
    file_stamp: Field,
    /// The story the document tells: copies share it.
    cluster: Field,
    /// The event types the article reports.
    event: Field,
    /// People it reports killed (absent when it reports no death).
    killed: Field,
    /// The day of its main event.
    event_date: Field,
    /// The places and actors the article is about (in its title, or named several times),
    /// under `/location` and `/actor`: indexed, not stored.
    central: Field,
}

/// What a document holds besides its article.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tags<'a> {
    /// Location facet paths.
    pub locations: &'a [String],
    /// Canonical actor names.
    pub actors: &'a [String],
    /// The file read (canonical path) and its version.
    pub file: Option<(&'a str, &'a FileStamp)>,
    /// The event types the article reports.
    pub events: &'a [String],
    /// People it reports killed.
    pub killed: Option<u32>,
    /// The day of its main event.
    pub event_date: Option<NaiveDate>,
    /// The places and actors it is about: named in its title, or several times.
    pub central_locations: &'a [String],
    pub central_actors: &'a [String],
    /// The places and actors its title names.
    pub title_locations: &'a [String],
    pub title_actors: &'a [String],
}

/// A document read back from the index: its article (where its story starts in the body is
/// not stored), the places and actors it names, and its story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredArticle {
    pub article: Article,
    pub locations: Vec<String>,
    pub actors: Vec<String>,
    /// The story the article tells: copies of one story share it.
    pub story: u64,
    /// The event types it reports.
    pub events: Vec<String>,
    /// People it reports killed.
    pub killed: Option<u32>,
    /// The day of its main event.
    pub event_date: Option<NaiveDate>,
}

/// A facet of the index: the values an analyst counts and filters by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FacetKind {
    /// Publication year: `/2024`.
    Year,
    /// Place, as a path of the gazetteer's hierarchy: `/Mali/Mopti/Bandiagara`.
    Location,
    /// An actor's canonical name: `/JNIM`.
    Actor,
    /// An event type: `/ambush`.
    Event,
    /// A place the article is about (the places under it count): `/location/Mali/Mopti`.
    CentralLocation,
    /// An actor the article is about: `/actor/JNIM`.
    CentralActor,
    /// A place its title names (the places under it count): `/title/location/Mali/Mopti`.
    TitleLocation,
    /// An actor its title names, by any of its names: `/title/actor/JNIM`.
    TitleActor,
}

/// Which day of a document a date filter or a timeline reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dated {
    /// The publication date.
    #[default]
    Published,
    /// The day of the main event the article reports.
    Event,
}

/// Where a text query looks: a stemmed field and its exact twin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextField {
    pub stemmed: Field,
    pub exact: Field,
}

/// A value a keyword field holds, to look documents up by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    Lang,
    Source,
    Id,
    Site,
}

/// Owns the schema and the mapping between articles and documents.
#[derive(Debug, Clone)]
pub struct DocMapper {
    schema: Schema,
    fields: Fields,
}

fn text(analyzer: &str, stored: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// A facet's path as tantivy's `Facet::to_path_string` writes it (`/` before each step, a
/// `/` or `\` in a step written `\/`), without its formatter and its regular expression
/// per step: facet values are written for every hit and every facet counted, and tantivy's way
/// cost about 2,000 instructions a value (callgrind, `vigie bench`).
fn path_string(facet: &Facet) -> String {
    let encoded = facet.encoded_str();
    let mut path = String::with_capacity(encoded.len() + 1);
    // tantivy separates the steps of an encoded facet with a NUL.
    for step in encoded.split('\0') {
        path.push('/');
        if step.contains(['/', '\\']) {
            for c in step.chars() {
                match c {
                    '/' | '\\' => path.push_str("\\/"),
                    c => path.push(c),
                }
            }
        } else {
            path.push_str(step);
        }
    }
    path
}

/// A calendar date as an indexed date (midnight UTC).
fn to_datetime(day: NaiveDate) -> DateTime {
    DateTime::from_timestamp_secs(date::midnight_seconds(day))
}

impl DocMapper {
    /// The schema of a new index.
    pub fn new() -> Self {
        let mut b = Schema::builder();
        let date_options = DateOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds);
        let facet = || FacetOptions::default().set_stored();
        let fields = Fields {
            id: b.add_text_field(names::ID, STRING | STORED),
            source: b.add_text_field(names::SOURCE, STRING | STORED),
            title: b.add_text_field(names::TITLE, text(analysis::STEMMED, true)),
            title_exact: b.add_text_field(names::TITLE_EXACT, text(analysis::EXACT, false)),
            body: b.add_text_field(names::BODY, text(analysis::STEMMED, true)),
            body_exact: b.add_text_field(names::BODY_EXACT, text(analysis::EXACT, false)),
            date: b.add_date_field(names::DATE, date_options.clone()),
            year: b.add_facet_field(names::YEAR, facet()),
            lang: b.add_text_field(names::LANG, STRING | STORED | FAST),
            url: b.add_text_field(names::URL, STORED),
            site: b.add_text_field(names::SITE, STRING | STORED),
            location: b.add_facet_field(names::LOCATION, facet()),
            actor: b.add_facet_field(names::ACTOR, facet()),
            path: b.add_text_field(names::PATH, STRING | STORED | FAST),
            file_stamp: b.add_text_field(names::FILE_STAMP, TextOptions::default().set_fast("raw")),
            cluster: b.add_u64_field(
                names::CLUSTER,
                NumericOptions::default()
                    .set_indexed()
                    .set_fast()
                    .set_stored(),
            ),
            event: b.add_facet_field(names::EVENT, facet()),
            killed: b.add_u64_field(
                names::KILLED,
                NumericOptions::default()
                    .set_indexed()
                    .set_fast()
                    .set_stored(),
            ),
            event_date: b.add_date_field(names::EVENT_DATE, date_options.clone()),
            central: b.add_facet_field(names::CENTRAL, FacetOptions::default()),
        };
        DocMapper {
            schema: b.build(),
            fields,
        }
    }

    /// Reads the fields of an existing index's schema.
    pub fn from_schema(schema: Schema) -> tantivy::Result<Self> {
        let f = |name: &str| schema.get_field(name);
        let fields = Fields {
            id: f(names::ID)?,
            source: f(names::SOURCE)?,
            title: f(names::TITLE)?,
            title_exact: f(names::TITLE_EXACT)?,
            body: f(names::BODY)?,
            body_exact: f(names::BODY_EXACT)?,
            date: f(names::DATE)?,
            year: f(names::YEAR)?,
            lang: f(names::LANG)?,
            url: f(names::URL)?,
            site: f(names::SITE)?,
            location: f(names::LOCATION)?,
            actor: f(names::ACTOR)?,
            path: f(names::PATH)?,
            file_stamp: f(names::FILE_STAMP)?,
            cluster: f(names::CLUSTER)?,
            event: f(names::EVENT)?,
            killed: f(names::KILLED)?,
            event_date: f(names::EVENT_DATE)?,
            central: f(names::CENTRAL)?,
        };
        Ok(DocMapper { schema, fields })
    }

    /// The schema.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The document indexed for `article`, without its story ([`DocMapper::set_story`]).
    pub fn to_document(&self, article: &Article, tags: &Tags<'_>) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &article.id);
        doc.add_text(f.source, &article.source);
        doc.add_text(f.title, &article.title);
        doc.add_text(f.title_exact, &article.title);
        doc.add_text(f.body, &article.body);
        doc.add_text(f.body_exact, &article.body);
        if let Some(day) = article.date {
            doc.add_date(f.date, to_datetime(day));
            doc.add_facet(f.year, self.facet(FacetKind::Year, &day.year().to_string()));
        }
        if let Some(lang) = &article.lang {
            doc.add_text(f.lang, lang);
        }
        if let Some(url) = &article.url {
            doc.add_text(f.url, url);
        }
        if let Some(site) = &article.site {
            doc.add_text(f.site, site);
        }
        for path in tags.locations {
            doc.add_facet(f.location, self.facet(FacetKind::Location, path));
        }
        for actor in tags.actors {
            doc.add_facet(f.actor, self.facet(FacetKind::Actor, actor));
        }
        if let Some((path, stamp)) = tags.file {
            doc.add_text(f.path, path);
            doc.add_text(f.file_stamp, stamp.encode());
        }
        for kind in tags.events {
            doc.add_facet(f.event, self.facet(FacetKind::Event, kind));
        }
        for path in tags.central_locations {
            doc.add_facet(f.central, self.facet(FacetKind::CentralLocation, path));
        }
        for actor in tags.central_actors {
            doc.add_facet(f.central, self.facet(FacetKind::CentralActor, actor));
        }
        for path in tags.title_locations {
            doc.add_facet(f.central, self.facet(FacetKind::TitleLocation, path));
        }
        for actor in tags.title_actors {
            doc.add_facet(f.central, self.facet(FacetKind::TitleActor, actor));
        }
        if let Some(killed) = tags.killed {
            doc.add_u64(f.killed, u64::from(killed));
        }
        if let Some(day) = tags.event_date {
            doc.add_date(f.event_date, to_datetime(day));
        }
        doc
    }

    /// Records the story a document tells (copies of one story share it).
    pub fn set_story(&self, doc: &mut TantivyDocument, story: u64) {
        doc.add_u64(self.fields.cluster, story);
    }

    /// The stored article of a document read from the index.
    pub fn from_document(&self, doc: &TantivyDocument) -> StoredArticle {
        let f = &self.fields;
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let facets = |field: Field, kind: FacetKind| -> Vec<String> {
            doc.get_all(field)
                .filter_map(|v| v.as_facet())
                .filter_map(|encoded| Facet::from_encoded(encoded.as_bytes().to_vec()).ok())
                .map(|facet| self.facet_value(kind, &facet))
                .collect()
        };
        let day = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_datetime())
                .and_then(|dt| date::day_of_seconds(dt.into_timestamp_secs()))
        };
        let date = day(f.date);
        StoredArticle {
            article: Article {
                id: text(f.id).unwrap_or_default(),
                source: text(f.source).unwrap_or_default(),
                title: text(f.title).unwrap_or_default(),
                body: text(f.body).unwrap_or_default(),
                date,
                lang: text(f.lang),
                url: text(f.url),
                site: text(f.site),
                story_start: 0,
            },
            locations: facets(f.location, FacetKind::Location),
            actors: facets(f.actor, FacetKind::Actor),
            story: doc
                .get_first(f.cluster)
                .and_then(|v| v.as_u64())
                .unwrap_or_default(),
            events: facets(f.event, FacetKind::Event),
            killed: doc
                .get_first(f.killed)
                .and_then(|v| v.as_u64())
                .and_then(|n| u32::try_from(n).ok()),
            event_date: day(f.event_date),
        }
    }

    fn facet_field(&self, kind: FacetKind) -> Field {
        match kind {
            FacetKind::Year => self.fields.year,
            FacetKind::Location => self.fields.location,
            FacetKind::Actor => self.fields.actor,
            FacetKind::Event => self.fields.event,
            FacetKind::CentralLocation
            | FacetKind::CentralActor
            | FacetKind::TitleLocation
            | FacetKind::TitleActor => self.fields.central,
        }
    }

    /// The facet of a value: a year (`2024`), a location path (`/Mali/Mopti`, `/` for the
    /// root) or an actor's canonical name (`JNIM`).
    pub fn facet(&self, kind: FacetKind, value: &str) -> Facet {
        match kind {
            FacetKind::Location => Facet::from_path(value.split('/').filter(|s| !s.is_empty())),
            FacetKind::Year | FacetKind::Actor | FacetKind::Event => Facet::from_path([value]),
            FacetKind::CentralLocation => Facet::from_path(
                std::iter::once("location").chain(value.split('/').filter(|s| !s.is_empty())),
            ),
            FacetKind::CentralActor => Facet::from_path(["actor", value]),
            FacetKind::TitleLocation => Facet::from_path(
                ["title", "location"]
                    .into_iter()
                    .chain(value.split('/').filter(|s| !s.is_empty())),
            ),
            FacetKind::TitleActor => Facet::from_path(["title", "actor", value]),
        }
    }

    /// The value of a facet, as [`DocMapper::facet`] takes it.
    pub fn facet_value(&self, kind: FacetKind, facet: &Facet) -> String {
        let mut path = path_string(facet);
        let prefix = match kind {
            FacetKind::Location => return path,
            FacetKind::Year | FacetKind::Actor | FacetKind::Event => "/",
            FacetKind::CentralLocation => "/location",
            FacetKind::CentralActor => "/actor/",
            FacetKind::TitleLocation => "/title/location",
            FacetKind::TitleActor => "/title/actor/",
        };
        let cut = path.len() - path.trim_start_matches(prefix).len();
        path.replace_range(..cut, "");
        path
    }

    /// The term of documents with a facet value (a location also matches the places under it).
    pub fn facet_term(&self, kind: FacetKind, value: &str) -> Term {
        Term::from_facet(self.facet_field(kind), &self.facet(kind, value))
    }

    /// The title and the body, stemmed and exact.
    pub fn title(&self) -> TextField {
        TextField {
            stemmed: self.fields.title,
            exact: self.fields.title_exact,
        }
    }

    /// See [`DocMapper::title`].
    pub fn body(&self) -> TextField {
        TextField {
            stemmed: self.fields.body,
            exact: self.fields.body_exact,
        }
    }

    fn keyword_field(&self, keyword: Keyword) -> Field {
        match keyword {
            Keyword::Lang => self.fields.lang,
            Keyword::Source => self.fields.source,
            Keyword::Id => self.fields.id,
            Keyword::Site => self.fields.site,
        }
    }

    /// The term of documents whose keyword field holds `value` as is.
    pub fn keyword_term(&self, keyword: Keyword, value: &str) -> Term {
        Term::from_field_text(self.keyword_field(keyword), value)
    }

    /// The values a keyword field holds in the index (the languages, say).
    pub fn keyword_values(
        &self,
        searcher: &Searcher,
        keyword: Keyword,
    ) -> tantivy::Result<Vec<String>> {
        let field = self.keyword_field(keyword);
        let mut values = Vec::new();
        for reader in searcher.segment_readers() {
            let index = reader.inverted_index(field)?;
            let mut terms = index.terms().stream()?;
            while terms.advance() {
                if let Ok(value) = std::str::from_utf8(terms.key()) {
                    if !values.iter().any(|v| v == value) {
                        values.push(value.to_string());
                    }
                }
            }
        }
        Ok(values)
    }

    fn date_field(&self, dated: Dated) -> Field {
        match dated {
            Dated::Published => self.fields.date,
            Dated::Event => self.fields.event_date,
        }
    }

    /// The bounds of publication (or event) dates from `from` to `to`, both days included.
    pub fn date_bounds(
        &self,
        dated: Dated,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> (Bound<Term>, Bound<Term>) {
        let field = self.date_field(dated);
        let term = |day: NaiveDate| Term::from_field_date_for_search(field, to_datetime(day));
        let lower = from.map_or(Bound::Unbounded, |d| Bound::Included(term(d)));
        let upper = match to.map(|d| d.succ_opt()) {
            Some(Some(next)) => Bound::Excluded(term(next)),
            _ => Bound::Unbounded,
        };
        (lower, upper)
    }

    /// The bounds of documents reporting at least `min` killed.
    pub fn killed_bounds(&self, min: u32) -> (Bound<Term>, Bound<Term>) {
        (
            Bound::Included(Term::from_field_u64(self.fields.killed, u64::from(min))),
            Bound::Unbounded,
        )
    }

    /// The field of the day `dated` names, and of killed (range queries take field names).
    pub fn date_field_name(&self, dated: Dated) -> &str {
        self.schema.get_field_name(self.date_field(dated))
    }

    /// The term of the documents read from the file at canonical `path`.
    pub fn file_term(&self, path: &str) -> Term {
        Term::from_field_text(self.fields.path, path)
    }

    /// The term of the documents that tell `story` (copies of one another).
    pub fn story_term(&self, story: u64) -> Term {
        Term::from_field_u64(self.fields.cluster, story)
    }

    /// The story column of a segment.
    pub fn story_column(&self, reader: &SegmentReader) -> tantivy::Result<Column<u64>> {
        reader.fast_fields().u64(names::CLUSTER)
    }

    /// The language column of a segment (none in a segment without any language).
    pub fn lang_column(&self, reader: &SegmentReader) -> tantivy::Result<Option<StrColumn>> {
        reader.fast_fields().str(names::LANG)
    }

    /// The publication (or event) date column of a segment.
    pub fn date_column(
        &self,
        reader: &SegmentReader,
        dated: Dated,
    ) -> tantivy::Result<Column<DateTime>> {
        reader.fast_fields().date(match dated {
            Dated::Published => names::DATE,
            Dated::Event => names::EVENT_DATE,
        })
    }

    /// The killed column of a segment (no value where no death is reported).
    pub fn killed_column(&self, reader: &SegmentReader) -> tantivy::Result<Column<u64>> {
        reader.fast_fields().u64(names::KILLED)
    }

    /// The values of a facet, document by document, in a segment: its column of ordinals into
    /// its dictionary of encoded facets.
    pub fn facet_column(
        &self,
        reader: &SegmentReader,
        kind: FacetKind,
    ) -> tantivy::Result<tantivy::columnar::StrColumn> {
        let name = self.schema.get_field_name(self.facet_field(kind));
        reader.fast_fields().str(name)?.ok_or_else(|| {
            tantivy::TantivyError::SchemaError(format!("the facet field {name} has no column"))
        })
    }

    /// The files the documents visible to `searcher` were read from, with their versions.
    pub fn file_table(&self, searcher: &Searcher) -> tantivy::Result<FileTable> {
        let mut files: FxHashMap<String, Indexed> = FxHashMap::default();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let (Some(paths), Some(stamps)) =
                (fast.str(names::PATH)?, fast.str(names::FILE_STAMP)?)
            else {
                continue;
            };
            // Documents of a segment share few files: count by dictionary ordinals first.
            let mut counts: FxHashMap<(u64, u64), u64> = FxHashMap::default();
            for doc in segment.doc_ids_alive() {
                let (Some(p), Some(s)) =
                    (paths.term_ords(doc).next(), stamps.term_ords(doc).next())
                else {
                    continue;
                };
                *counts.entry((p, s)).or_default() += 1;
            }
            let (mut path, mut stamp) = (String::new(), String::new());
            for ((p, s), n) in counts {
                paths.ord_to_str(p, &mut path)?;
                stamps.ord_to_str(s, &mut stamp)?;
                let Some(decoded) = FileStamp::decode(&stamp) else {
                    continue;
                };
                files
                    .entry(path.clone())
                    .and_modify(|known| known.documents += n)
                    .or_insert(Indexed {
                        stamp: decoded,
                        documents: n,
                    });
            }
        }
        Ok(FileTable::new(files))
    }
}

impl Default for DocMapper {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_round_trips_an_article() {
        let mapper = DocMapper::new();
        let article = Article {
            id: "a1".into(),
            source: "samples/a.txt".into(),
            title: "Embuscade près de Bandiagara".into(),
            body: "Le mardi 22 octobre 2024.".into(),
            date: NaiveDate::from_ymd_opt(2024, 10, 22),
            lang: Some("fr".into()),
            url: None,
            site: None,
            story_start: 0,
        };
        let mut doc = mapper.to_document(
            &article,
            &Tags {
                locations: &["/Mali/Mopti/Bandiagara".into()],
                actors: &["JNIM".into()],
                events: &["ambush".into()],
                killed: Some(12),
                event_date: NaiveDate::from_ymd_opt(2024, 10, 20),
                ..Tags::default()
            },
        );
        mapper.set_story(&mut doc, 7);
        let back = mapper.from_document(&doc);
        assert_eq!(back.article, article);
        assert_eq!(back.locations, ["/Mali/Mopti/Bandiagara"]);
        assert_eq!(back.actors, ["JNIM"]);
        assert_eq!(back.story, 7);
        assert_eq!(back.events, ["ambush"]);
        assert_eq!(back.killed, Some(12));
        assert_eq!(back.event_date, NaiveDate::from_ymd_opt(2024, 10, 20));
    }

    #[test]
    fn it_encodes_each_facet_and_reads_it_back() {
        let mapper = DocMapper::new();
        for (kind, value, encoded) in [
            (FacetKind::Year, "2024", "/2024"),
            (FacetKind::Location, "/Mali/Mopti", "/Mali/Mopti"),
            (FacetKind::Actor, "JNIM", "/JNIM"),
            (FacetKind::Event, "ambush", "/ambush"),
            (
                FacetKind::CentralLocation,
                "/Mali/Mopti",
                "/location/Mali/Mopti",
            ),
            (FacetKind::CentralActor, "JNIM", "/actor/JNIM"),
            (
                FacetKind::TitleLocation,
                "/Mali/Mopti",
                "/title/location/Mali/Mopti",
            ),
            (FacetKind::TitleActor, "JNIM", "/title/actor/JNIM"),
        ] {
            let facet = mapper.facet(kind, value);
            assert_eq!(facet.to_path_string(), encoded);
            assert_eq!(mapper.facet_value(kind, &facet), value);
        }
        assert_eq!(mapper.facet(FacetKind::Location, "/"), Facet::root());
    }

    #[test]
    fn a_facet_path_is_written_as_tantivy_writes_it() {
        for path in [
            "/",
            "/Mali",
            "/Mali/Mopti/Bandiagara",
            "/Burkina Faso/Boucle du Mouhoun/Dédougou",
            "/a\\/b/c",
            "/x\\\\y",
            "/Côte d\u{2019}Ivoire/Séguéla",
        ] {
            let facet = Facet::from_text(path).unwrap();
            assert_eq!(path_string(&facet), facet.to_path_string(), "{path}");
        }
        let slash = Facet::from_path(["a/b", "c\\d"]);
        assert_eq!(path_string(&slash), slash.to_path_string());
    }

    #[test]
    fn an_existing_schema_gives_the_same_fields() {
        let mapper = DocMapper::new();
        let read = DocMapper::from_schema(mapper.schema().clone()).unwrap();
        assert_eq!(read.body(), mapper.body());
        assert_eq!(read.file_term("/a"), mapper.file_term("/a"));
        let mut other = Schema::builder();
        other.add_text_field("title", STRING);
        assert!(DocMapper::from_schema(other.build()).is_err());
    }
}
