//! Any bytes, as a text page, an HTML page, a JSON document or a JSON Lines export (the first
//! byte picks which), through the whole indexing pipeline short of tantivy: reading and
//! decoding, HTML reading, cleaning, dates, places and actors, copy signature. Nothing may
//! panic; every record either yields an article or a notice.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigie::clean;
use vigie::dedup::Signature;
use vigie::entities::Recognizer;
use vigie::ingest::{self, Event, WalkOptions};

const EXTENSIONS: [&str; 4] = ["txt", "html", "json", "jsonl"];

fuzz_target!(|data: &[u8]| {
    let Some((&kind, bytes)) = data.split_first() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join(format!(
        "input.{}",
        EXTENSIONS[kind as usize % EXTENSIONS.len()]
    ));
    std::fs::write(&path, bytes).expect("temporary file");
    let mut recognizer = Recognizer::default();
    ingest::read(&path, &WalkOptions::default(), &mut |event| {
        let Event::Record(record) = event else {
            return;
        };
        if let Ok(article) = clean::clean(&record) {
            assert!(!article.title.contains('\n'));
            let entities = recognizer.extract(&article.title, &article.body);
            for place in entities.location_paths() {
                assert!(place.starts_with('/'));
            }
            let _ = Signature::of(article.story());
        }
    });
});
