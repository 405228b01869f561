//! The best passage of a hit's cleaned body, with every matching word highlighted.

use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;
use tantivy::query::Query;
use tantivy::schema::Field;

use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use crate::analysis::{self, is_apostrophe, word_ranges, FrenchStemmer};

use crate::error::Result;

/// Longest passage shown, in bytes (about as many characters of French).
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
///
/// Works like tantivy's `SnippetGenerator` (the passage of at most [`SNIPPET_CHARS`] with the
/// most weight of query terms, a term weighing 1 / (1 + document frequency)), with two
/// differences that make it several times faster: bodies are tokenised by the exact analyzer,
/// and only the words that can stem to a query term (Snowball keeps a word's first letters) go
/// through the stemmer, with a cache kept across the hits of one search.
pub struct Highlighter {
    /// Stemmed query terms of the body field and their weights.
    terms: HashMap<String, f32>,
    /// The first letters every word that can match a term begins with.
    prefixes: Vec<String>,
    exact: TextAnalyzer,
    stemmer: FrenchStemmer,
    cache: RefCell<HashMap<String, String>>,
}

/// Letters of a term a word must begin with to stem to it.
const PREFIX_CHARS: usize = 3;

impl Highlighter {
    /// A highlighter for the terms `query` searches in `field` (a stemmed text field).
    pub fn new(searcher: &Searcher, query: &dyn Query, field: Field) -> Result<Self> {
        let mut found: Vec<Term> = Vec::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field {
                found.push(term.clone());
            }
        });
        let mut terms = HashMap::new();
        for term in found {
            if let Some(text) = term.value().as_str() {
                let doc_freq = searcher.doc_freq(&term)?;
                if doc_freq > 0 {
                    terms.insert(text.to_string(), 1.0 / (1.0 + doc_freq as f32));
                }
            }
        }
        let mut prefixes: Vec<String> = terms
            .keys()
            .map(|t| t.chars().take(PREFIX_CHARS).collect())
            .collect();
        prefixes.sort();
        prefixes.dedup();
        Ok(Highlighter {
            terms,
            prefixes,
            exact: analysis::exact_analyzer(),
            stemmer: FrenchStemmer::new(analysis::protected_words()),
            cache: RefCell::new(HashMap::new()),
        })
    }

    /// The weight of the query term a body word (folded) stems to, if any.
    fn weight(&self, word: &str) -> Option<f32> {
        if !self.prefixes.iter().any(|p| word.starts_with(p.as_str())) {
            return None;
        }
        let mut cache = self.cache.borrow_mut();
        if let Some(stem) = cache.get(word) {
            return self.terms.get(stem).copied();
        }
        let mut stem = String::new();
        self.stemmer.stem_word(word, &mut stem);
        let weight = self.terms.get(&stem).copied();
        cache.insert(word.to_string(), stem);
        weight
    }

    /// Could this word (as written, elided particle included) stem to a query term? A few byte
    /// comparisons rule out most words before the analyzer and the stemmer see them.
    fn may_match(&self, word: &str) -> bool {
        // After an elided particle (`l'armée`): apostrophes are ASCII or start with byte 0xE2
        // (’ ‘) or 0xCA (ʼ); words without those bytes are read from their start.
        let start = if word.bytes().any(|b| matches!(b, b'\'' | 0xE2 | 0xCA)) {
            word.char_indices()
                .find(|(_, c)| is_apostrophe(*c))
                .map_or(word, |(i, c)| &word[i + c.len_utf8()..])
        } else {
            word
        };
        // The word's first letters, lowercased and folded for the letters of French.
        let mut head = [0u8; PREFIX_CHARS];
        let mut len = 0;
        let bytes = start.as_bytes();
        if bytes.len() >= PREFIX_CHARS && bytes[..PREFIX_CHARS].is_ascii() {
            for (h, b) in head.iter_mut().zip(bytes) {
                *h = b.to_ascii_lowercase();
            }
            return self.prefixes.iter().any(|p| {
                let n = p.len().min(PREFIX_CHARS);
                head[..n] == p.as_bytes()[..n]
            });
        }
        for c in start.chars().take(PREFIX_CHARS) {
            let folded = match c.to_ascii_lowercase() {
                c if c.is_ascii() => c,
                'à' | 'â' | 'ä' | 'À' | 'Â' => 'a',
                'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => 'e',
                'î' | 'ï' | 'Î' => 'i',
                'ô' | 'ö' | 'Ô' => 'o',
                'ù' | 'û' | 'ü' => 'u',
                'ç' | 'Ç' => 'c',
                _ => return true,
            };
            head[len] = folded as u8;
            len += 1;
        }
        self.prefixes.iter().any(|p| {
            let n = p.len().min(len);
            head[..n] == p.as_bytes()[..n]
        })
    }

    /// Byte ranges of the words of `body` that match a query term, with the term's weight.
    fn matches(&self, body: &str) -> Vec<(std::ops::Range<usize>, f32)> {
        let mut analyzer = self.exact.clone();
        let mut out = Vec::new();
        // The tokenizer's words, seen in place: most are ruled out before any copy.
        for word in word_ranges(body) {
            let text = &body[word.clone()];
            if !self.may_match(text) {
                continue;
            }
            let from = word.start;
            for term in analysis::analyze(&mut analyzer, text) {
                if let Some(weight) = self.weight(&term.text) {
                    out.push((from + term.range.start..from + term.range.end, weight));
                }
            }
        }
        out
    }

    /// The best passage of `body`; its opening when no word of the query is in it.
    pub fn snippet(&self, body: &str) -> Snippet {
        let matches = self.matches(body);
        if matches.is_empty() {
            return Snippet::lead(body);
        }
        // The window of matches that fits in the passage and weighs the most.
        let (mut best, mut best_score, mut end) = ((0, 0), f32::MIN, 0);
        let mut score = 0.0;
        for start in 0..matches.len() {
            if end < start {
                end = start;
                score = 0.0;
            }
            while end < matches.len()
                && matches[end].0.end - matches[start].0.start <= SNIPPET_CHARS
            {
                score += matches[end].1;
                end += 1;
            }
            if score > best_score {
                (best, best_score) = ((start, end), score);
            }
            score -= matches[start].1;
        }
        let (first, last) = (&matches[best.0].0, &matches[best.1 - 1].0);
        // Some context before the first match, cut at a word boundary, then fill the passage.
        let room = SNIPPET_CHARS.saturating_sub(last.end - first.start);
        let mut from = first.start.saturating_sub(room / 3);
        while !body.is_char_boundary(from) {
            from -= 1;
        }
        if from > 0 {
            from = body[from..first.start]
                .find(' ')
                .map_or(first.start, |i| from + i + 1);
        }
        let mut to = (from + SNIPPET_CHARS).max(last.end).min(body.len());
        while !body.is_char_boundary(to) {
            to += 1;
        }
        if to < body.len() {
            to = body[last.end..to].rfind(' ').map_or(to, |i| last.end + i);
        }
        let text = one_line(&body[from..to]);
        let highlights: Vec<[usize; 2]> = matches[best.0..best.1]
            .iter()
            .map(|(r, _)| [r.start - from, r.end - from])
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
