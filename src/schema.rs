//! The only place that converts an [`Article`] to a tantivy document and back.

use chrono::{Datelike, NaiveDate};
use tantivy::schema::{
    DateOptions, DateTimePrecision, Facet, FacetOptions, Field, IndexRecordOption, NumericOptions,
    Schema, TextFieldIndexing, TextOptions, Value, FAST, STORED, STRING,
};
use tantivy::{DateTime, TantivyDocument};

use crate::analysis;
use crate::clean::Article;
use crate::files::FileStamp;

/// Fields of the index, by role.
#[derive(Debug, Clone)]
pub struct Fields {
    pub id: Field,
    pub source: Field,
    pub title: Field,
    pub title_exact: Field,
    pub body: Field,
    pub body_exact: Field,
    pub date: Field,
    pub year: Field,
    pub lang: Field,
    pub url: Field,
    pub site: Field,
    pub location: Field,
    pub actor: Field,
    /// Canonical path of the file the document was read from.
    pub path: Field,
    /// That file's [`FileStamp`] when it was read.
    pub file_stamp: Field,
    /// Cluster of copies of one story.
    pub cluster: Field,
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
    /// Cluster of copies.
    pub cluster: u64,
}

/// An article as stored in the index, read back for display.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredArticle {
    pub id: String,
    pub source: String,
    pub title: String,
    pub body: String,
    pub date: Option<NaiveDate>,
    pub lang: Option<String>,
    pub url: Option<String>,
    pub locations: Vec<String>,
    pub actors: Vec<String>,
    /// Cluster of copies of the same story.
    pub cluster: u64,
}

impl StoredArticle {
    /// Publication year.
    pub fn year(&self) -> Option<i32> {
        self.date.map(|d| d.year())
    }
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

impl DocMapper {
    /// The schema of a new index.
    pub fn new() -> Self {
        let mut b = Schema::builder();
        let date_options = DateOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds);
        let fields = Fields {
            id: b.add_text_field("id", STRING | STORED),
            source: b.add_text_field("source", STRING | STORED),
            title: b.add_text_field("title", text(analysis::STEMMED, true)),
            title_exact: b.add_text_field("title_exact", text(analysis::EXACT, false)),
            body: b.add_text_field("body", text(analysis::STEMMED, true)),
            body_exact: b.add_text_field("body_exact", text(analysis::EXACT, false)),
            date: b.add_date_field("date", date_options),
            year: b.add_facet_field("year", FacetOptions::default().set_stored()),
            lang: b.add_text_field("lang", STRING | STORED | FAST),
            url: b.add_text_field("url", STORED),
            site: b.add_text_field("site", STRING | STORED),
            location: b.add_facet_field("location", FacetOptions::default().set_stored()),
            actor: b.add_facet_field("actor", FacetOptions::default().set_stored()),
            path: b.add_text_field("path", STRING | STORED | FAST),
            file_stamp: b.add_text_field("file_stamp", TextOptions::default().set_fast("raw")),
            cluster: b.add_u64_field(
                "cluster",
                NumericOptions::default()
                    .set_indexed()
                    .set_fast()
                    .set_stored(),
            ),
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
            id: f("id")?,
            source: f("source")?,
            title: f("title")?,
            title_exact: f("title_exact")?,
            body: f("body")?,
            body_exact: f("body_exact")?,
            date: f("date")?,
            year: f("year")?,
            lang: f("lang")?,
            url: f("url")?,
            site: f("site")?,
            location: f("location")?,
            actor: f("actor")?,
            path: f("path")?,
            file_stamp: f("file_stamp")?,
            cluster: f("cluster")?,
        };
        Ok(DocMapper { schema, fields })
    }

    /// The schema.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The document indexed for `article`.
    pub fn to_document(&self, article: &Article, tags: &Tags<'_>) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &article.id);
        doc.add_text(f.source, &article.source);
        doc.add_text(f.title, &article.title);
        doc.add_text(f.title_exact, &article.title);
        doc.add_text(f.body, &article.body);
        doc.add_text(f.body_exact, &article.body);
        if let Some(date) = article.date {
            doc.add_date(f.date, to_datetime(date));
            doc.add_facet(f.year, year_facet(date.year()));
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
            doc.add_facet(f.location, location_facet(path));
        }
        for actor in tags.actors {
            doc.add_facet(f.actor, Facet::from_path([actor.as_str()]));
        }
        if let Some((path, stamp)) = tags.file {
            doc.add_text(f.path, path);
            doc.add_text(f.file_stamp, stamp.encode());
        }
        doc.add_u64(f.cluster, tags.cluster);
        doc
    }

    /// The stored article of a document read from the index.
    pub fn from_document(&self, doc: &TantivyDocument) -> StoredArticle {
        let f = &self.fields;
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let facets = |field: Field| -> Vec<String> {
            doc.get_all(field)
                .filter_map(|v| v.as_facet())
                .filter_map(|encoded| Facet::from_encoded(encoded.as_bytes().to_vec()).ok())
                .map(|facet| facet.to_path_string())
                .collect()
        };
        let date = doc
            .get_first(f.date)
            .and_then(|v| v.as_datetime())
            .and_then(from_datetime);
        StoredArticle {
            id: text(f.id).unwrap_or_default(),
            source: text(f.source).unwrap_or_default(),
            title: text(f.title).unwrap_or_default(),
            body: text(f.body).unwrap_or_default(),
            date,
            lang: text(f.lang),
            url: text(f.url),
            locations: facets(f.location),
            actors: facets(f.actor)
                .into_iter()
                .map(|a| a.trim_start_matches('/').to_string())
                .collect(),
            cluster: doc
                .get_first(f.cluster)
                .and_then(|v| v.as_u64())
                .unwrap_or_default(),
        }
    }
}

impl Default for DocMapper {
    fn default() -> Self {
        Self::new()
    }
}

/// The facet of a publication year (`/2024`).
pub fn year_facet(year: i32) -> Facet {
    Facet::from_path([year.to_string()])
}

/// The facet of a location path (`/Mali/Mopti/Bandiagara`).
pub fn location_facet(path: &str) -> Facet {
    Facet::from_path(path.split('/').filter(|s| !s.is_empty()))
}

/// A calendar date as an indexed date (midnight UTC).
pub fn to_datetime(date: NaiveDate) -> DateTime {
    DateTime::from_timestamp_secs(crate::text::date::midnight_seconds(date))
}

fn from_datetime(dt: DateTime) -> Option<NaiveDate> {
    crate::text::date::day_of_seconds(dt.into_timestamp_secs())
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
        };
        let doc = mapper.to_document(
            &article,
            &Tags {
                locations: &["/Mali/Mopti/Bandiagara".into()],
                actors: &["JNIM".into()],
                cluster: 7,
                ..Tags::default()
            },
        );
        let back = mapper.from_document(&doc);
        assert_eq!(back.id, "a1");
        assert_eq!(back.date, article.date);
        assert_eq!(back.year(), Some(2024));
        assert_eq!(back.locations, ["/Mali/Mopti/Bandiagara"]);
        assert_eq!(back.actors, ["JNIM"]);
        assert_eq!(back.cluster, 7);
    }
}
