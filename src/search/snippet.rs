//! The best passage of a hit's cleaned body, with every matching word highlighted.

use serde::Serialize;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::Searcher;

use crate::error::Result;

/// Longest passage shown, in characters.
const SNIPPET_CHARS: usize = 240;

/// A passage and where its matches are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The passage, on one line.
    pub text: String,
    /// The passage as HTML, matches in `<b>…</b>`.
    pub html: String,
    /// Byte ranges of the matches in `text`.
    pub highlights: Vec<[usize; 2]>,
}

fn one_line(text: &str) -> String {
    // Same byte length: highlight offsets stay valid.
    text.replace(['\n', '\r', '\t'], " ")
}

impl Snippet {
    /// The opening of a body, when nothing is to be highlighted.
    pub fn lead(body: &str) -> Snippet {
        let end = body
            .char_indices()
            .nth(SNIPPET_CHARS)
            .map_or(body.len(), |(i, _)| body[..i].rfind(' ').unwrap_or(i));
        let text = one_line(&body[..end]);
        let generator_free_html = escape(&text);
        Snippet {
            text,
            html: generator_free_html,
            highlights: Vec::new(),
        }
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Highlights a query's matches in bodies, stemmed variants included.
pub struct Highlighter {
    generator: SnippetGenerator,
}

impl Highlighter {
    /// A highlighter for the terms `query` searches in `field`.
    pub fn new(searcher: &Searcher, query: &dyn Query, field: Field) -> Result<Self> {
        let mut generator = SnippetGenerator::create(searcher, query, field)?;
        generator.set_max_num_chars(SNIPPET_CHARS);
        Ok(Highlighter { generator })
    }

    /// The best passage of `body`; its opening when no word of the query is in it.
    pub fn snippet(&self, body: &str) -> Snippet {
        let found = self.generator.snippet(body);
        if found.is_empty() || found.highlighted().is_empty() {
            return Snippet::lead(body);
        }
        let text = one_line(found.fragment());
        let highlights: Vec<[usize; 2]> = found
            .highlighted()
            .iter()
            .map(|r| [r.start, r.end])
            .collect();
        let mut html = String::new();
        let mut at = 0;
        for [start, end] in &highlights {
            html.push_str(&escape(&text[at..*start]));
            html.push_str("<b>");
            html.push_str(&escape(&text[*start..*end]));
            html.push_str("</b>");
            at = *end;
        }
        html.push_str(&escape(&text[at..]));
        Snippet {
            text,
            html,
            highlights,
        }
    }
}
