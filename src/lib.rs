//! Vigie: full-text search for conflict reporting on the Sahel.
//!
//! The pipeline runs one way (ARCHITECTURE.md has the map). [`ingest`] walks folders and reads
//! text pages, HTML pages and JSON exports into raw records; [`clean`] turns each into a
//! [`clean::Article`] (page furniture out, title, publication date and language in);
//! [`entities`] finds the places and actors it names and [`dedup`] the story it tells; the
//! [`mapper`], sole owner of the index layout, maps it to a tantivy document analysed by the
//! French analyzer of [`analysis`]; [`index`] writes it; [`pipeline`] runs all of this,
//! incrementally and in parallel. On the way back, [`search`] checks a request, turns it into
//! ranked hits with snippets and facet counts, and [`render`] prints them for a terminal or as
//! JSON. Underneath, [`text`] owns folding, word boundaries and date values.

pub mod analysis;
pub mod bench;
pub mod clean;
pub mod dedup;
pub mod entities;
pub mod error;
pub mod eval;
pub mod events;
pub mod files;
pub mod hash;
pub mod index;
pub mod ingest;
pub mod lang;
pub mod mapper;
pub mod pipeline;
pub mod render;
pub mod search;
pub mod serve;
pub mod text;
pub mod watch;
