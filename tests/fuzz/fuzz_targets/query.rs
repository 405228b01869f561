//! Any string an analyst could type, as a query on an index of the sample articles, with
//! any sort order and with copies grouped or not: hits or a clear error, never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use vigie::error::Error;
use vigie::index::Store;
use vigie::pipeline::{self, IndexOptions};
use vigie::search::{Engine, Request, Sort};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<(tempfile::TempDir, Engine)> = OnceLock::new();
    &ENGINE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temporary folder");
            let store = Store::open_or_create(dir.path()).expect("index");
            let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples");
            pipeline::index_paths(
                &store,
                &[samples],
                &IndexOptions::default(),
                &mut pipeline::Silent,
            )
            .expect("samples indexed");
            let engine = Engine::open(dir.path()).expect("index opens");
            (dir, engine)
        })
        .1
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, text)) = data.split_first() else {
        return;
    };
    let Ok(query) = std::str::from_utf8(text) else {
        return;
    };
    let request = Request {
        query: query.to_string(),
        limit: 3,
        offset: usize::from(flags >> 4 & 3),
        sort: match flags & 3 {
            0 => None,
            1 => Some(Sort::Relevance),
            _ => Some(Sort::Date),
        },
        all_copies: flags & 4 != 0,
        ..Request::default()
    };
    match request.check().and_then(|checked| engine().search(&checked)) {
        Ok(results) => {
            assert!(results.hits.len() <= 3);
            for hit in &results.hits {
                for range in &hit.snippet.highlights {
                    assert!(hit.snippet.text.get(range[0]..range[1]).is_some());
                }
            }
        }
        Err(Error::Query(message)) => assert!(!message.is_empty()),
        Err(Error::Invalid { hint, .. }) => assert!(!hint.is_empty()),
        Err(other) => panic!("unexpected error {other}"),
    }
});
