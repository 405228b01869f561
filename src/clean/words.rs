//! The words of `data/page_words.tsv` that tell the parts of a page apart, for the readers of
//! HTML pages and of copied text alike.

use std::sync::OnceLock;

use crate::text::list;

const PAGE_WORDS: &str = include_str!("../../data/page_words.tsv");

/// The words of `data/page_words.tsv` that tell the parts of a page apart.
pub(crate) struct Words {
    /// A CSS selector of the elements that are never the article's text.
    pub(crate) furniture_tags: String,
    pub(crate) furniture_names: Vec<&'static str>,
    pub(crate) byline_names: Vec<&'static str>,
    pub(crate) date_names: Vec<&'static str>,
    pub(crate) published: Vec<&'static str>,
    pub(crate) update: Vec<&'static str>,
}

pub(crate) fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| {
        let kind = |kind| list::of_kind(PAGE_WORDS, kind).collect::<Vec<_>>();
        Words {
            furniture_tags: kind("furniture-tag").join(", "),
            furniture_names: kind("furniture-name"),
            byline_names: kind("byline-name"),
            date_names: kind("date-name"),
            published: kind("published"),
            update: kind("update"),
        }
    })
}
