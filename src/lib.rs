//! Vigie: full-text search for conflict reporting on the Sahel.
//!
//! The pipeline runs one way. [`ingest`] walks folders and reads text pages and JSON exports
//! into raw records; [`clean`] turns each into an [`clean::Article`] (page furniture out,
//! title, publication date and language in); [`entities`] finds the places and actors it
//! names; [`schema`] maps articles to tantivy documents, analysed by the French analyzer of
//! [`analysis`]; [`index`] writes them. On the way back,
//! [`search`] turns a query and filters into ranked hits with snippets and facet counts, and
//! [`render`] prints them for a terminal or as JSON.

pub mod analysis;
pub mod bench;
pub mod clean;
pub mod dedup;
pub mod entities;
pub mod error;
pub mod eval;
pub mod files;
pub mod hash;
pub mod index;
pub mod ingest;
pub mod lang;
pub mod mapper;
pub mod pipeline;
pub mod render;
pub mod search;
pub mod text;
