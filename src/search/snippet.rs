//! The best passage of a hit's cleaned body, with every matching word highlighted.

use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use tantivy::query::Query;
use tantivy::schema::Field;

use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use crate::analysis::{self, FrenchStemmer};
use crate::text::{
    self,
    words::{starts_word, word_end},
};

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

/// `text` with the five characters HTML gives a meaning escaped. The text between them is
/// copied whole (they are ASCII, so every byte before one is a whole character).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut from = 0;
    for (at, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[from..at]);
        out.push_str(entity);
        from = at + 1;
    }
    out.push_str(&text[from..]);
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
    /// The first letters every word that can match a term begins with (folded).
    prefixes: Vec<String>,
    /// Finds where such words may begin (see [`head_patterns`]).
    heads: Option<AhoCorasick>,
    exact: TextAnalyzer,
    stemmer: FrenchStemmer,
    cache: RefCell<HashMap<String, String>>,
}

/// Letters of a term a word must begin with to stem to it.
const PREFIX_CHARS: usize = 3;

/// Letters of a term's head searched for in the text; the rest of the head is checked on
/// each word found.
const SEARCH_CHARS: usize = 2;

/// The letters of the folding table whose folded form begins with `letter` (`é`, `É`, `ė`…
/// for `e`; `œ` for `o`), in UTF-8.
fn accented(letter: char) -> impl Iterator<Item = Vec<u8>> {
    ('\u{C0}'..='\u{17F}')
        .filter(move |&c| text::fold_letter(c).is_some_and(|f| f.starts_with(letter)))
        .map(|c| c.to_string().into_bytes())
}

/// The byte patterns that find where a word whose folded letters begin with `prefix` (one or
/// two letters) may start: its first letter in ASCII followed by its second letter in ASCII
/// or by the lead byte of an accented spelling of it (`é`, `ė`… start with 0xC3 or 0xC4),
/// or any accented spelling of its first letter. Each word found is then checked whole
/// ([`folded_head`]): spelling both letters out in full would take hundreds of patterns (19
/// spellings of `a` times 19 of `e`), and building the automaton would cost more than
/// searching ten bodies with it.
fn head_patterns(prefix: &str) -> Vec<Vec<u8>> {
    let mut letters = prefix.chars();
    let Some(first) = letters.next() else {
        return Vec::new();
    };
    if !first.is_ascii() {
        return vec![first.to_string().into_bytes()];
    }
    let mut seconds: Vec<u8> = match letters.next() {
        None => Vec::new(),
        Some(second) => std::iter::once(second.to_string().into_bytes())
            .chain(accented(second))
            .map(|spelling| spelling[0])
            .collect(),
    };
    seconds.sort_unstable();
    seconds.dedup();
    let mut patterns: Vec<Vec<u8>> = if seconds.is_empty() {
        vec![vec![first as u8]]
    } else {
        seconds.iter().map(|&b| vec![first as u8, b]).collect()
    };
    patterns.extend(accented(first));
    patterns
}

/// The first letters of `word`, lowercased and folded; `None` for a letter the folding
/// table does not hold (such a word is always looked at).
fn folded_head(word: &str) -> Option<([u8; PREFIX_CHARS], usize)> {
    let mut head = [0u8; PREFIX_CHARS];
    let bytes = word.as_bytes();
    if bytes.len() >= PREFIX_CHARS && bytes[..PREFIX_CHARS].is_ascii() {
        for (h, b) in head.iter_mut().zip(bytes) {
            *h = b.to_ascii_lowercase();
        }
        return Some((head, PREFIX_CHARS));
    }
    let mut len = 0;
    let mut ascii = [0u8; 1];
    for c in word.chars() {
        let folded = if c.is_ascii() {
            ascii[0] = c.to_ascii_lowercase() as u8;
            &ascii[..]
        } else {
            text::fold_letter(c)?.as_bytes()
        };
        for &b in folded {
            if len == PREFIX_CHARS {
                return Some((head, len));
            }
            head[len] = b;
            len += 1;
        }
    }
    Some((head, len))
}

/// Whether a word's first (folded) letters are a term's: Snowball turns the `y` of some words
/// into the `i` that ends their stem (`foyer` → `foi`), so a term's `i` may be a word's `y`.
fn same_letters(word: &[u8], term: &[u8]) -> bool {
    word.len() >= term.len()
        && word
            .iter()
            .zip(term)
            .all(|(&w, &t)| w == t || (t == b'i' && w == b'y'))
}

/// `prefix` and every form of it with some of its `i`s written `y` (see [`same_letters`]).
fn with_y_for_i(prefix: &str) -> Vec<String> {
    let mut forms = vec![String::new()];
    for c in prefix.chars() {
        let mut more = Vec::new();
        for form in &mut forms {
            if c == 'i' {
                more.push(format!("{form}y"));
            }
            form.push(c);
        }
        forms.extend(more);
    }
    forms
}

/// Pattern sets whose automata are kept; past this many, all are forgotten.
const AUTOMATA_KEPT: usize = 64;

/// The automaton that finds `patterns` (`None` for none), built once per set of patterns.
///
/// A few dozen short patterns searched in ten bodies: the DFA searches fastest (see
/// BENCHMARKS.md, highlighting), but building it cost 300,000 instructions, 5% of a one-word
/// search under callgrind. The same words are searched again and again (the next page, a saved
/// search run again, a server's users), so a built automaton is kept; a query with new first
/// letters pays for its own.
fn automaton(patterns: &[Vec<u8>]) -> Option<AhoCorasick> {
    type Built = Mutex<HashMap<Vec<Vec<u8>>, AhoCorasick>>;
    static BUILT: OnceLock<Built> = OnceLock::new();
    if patterns.is_empty() {
        return None;
    }
    let built = BUILT.get_or_init(Built::default);
    let lock = || {
        built
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    };
    if let Some(known) = lock().get(patterns) {
        return Some(known.clone());
    }
    let made = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(AhoCorasickKind::DFA))
        .build(patterns)
        .ok()?;
    let mut kept = lock();
    if kept.len() >= AUTOMATA_KEPT {
        kept.clear();
    }
    kept.insert(patterns.to_vec(), made.clone());
    Some(made)
}

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
        Ok(Highlighter::with_terms(terms))
    }

    /// A highlighter for stemmed terms and their weights.
    fn with_terms(terms: HashMap<String, f32>) -> Self {
        let mut prefixes: Vec<String> = terms
            .keys()
            .map(|t| t.chars().take(PREFIX_CHARS).collect())
            .collect();
        prefixes.sort();
        prefixes.dedup();
        let mut searched: Vec<String> = prefixes
            .iter()
            .flat_map(|p| with_y_for_i(&p.chars().take(SEARCH_CHARS).collect::<String>()))
            .collect();
        searched.sort();
        searched.dedup();
        let mut patterns: Vec<Vec<u8>> = searched.iter().flat_map(|p| head_patterns(p)).collect();
        patterns.sort();
        patterns.dedup();
        let heads = automaton(&patterns);
        Highlighter {
            terms,
            prefixes,
            heads,
            exact: analysis::exact_analyzer(),
            stemmer: FrenchStemmer::new(analysis::protected_words()),
            cache: RefCell::new(HashMap::new()),
        }
    }

    /// The weight of the query term a body word (folded) stems to, if any.
    fn weight(&self, word: &str) -> Option<f32> {
        if !self
            .prefixes
            .iter()
            .any(|p| same_letters(word.as_bytes(), p.as_bytes()))
        {
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

    /// Could `word` stem to a query term? Its folded first letters must be a term's.
    fn head_matches(&self, word: &str) -> bool {
        let Some((head, len)) = folded_head(word) else {
            return true;
        };
        self.prefixes.iter().any(|p| {
            let n = p.len().min(len);
            same_letters(&head[..n], &p.as_bytes()[..n])
        })
    }

    /// Byte ranges of the words of `body` that match a query term, with the term's weight.
    ///
    /// Only the places where a word may begin with a term's first letters (any case, any
    /// accent) are looked at: a multi-pattern search finds them, the word's folded head is
    /// checked, then the word goes through the exact analyzer and the stemmer.
    fn matches(&self, body: &str) -> Vec<(std::ops::Range<usize>, f32)> {
        let Some(heads) = &self.heads else {
            return Vec::new();
        };
        let mut analyzer = self.exact.clone();
        let mut out = Vec::new();
        let mut done = 0;
        for found in heads.find_iter(body) {
            let from = found.start();
            if from < done || !starts_word(body, from) {
                continue;
            }
            let to = word_end(body, from);
            done = to;
            if !self.head_matches(&body[from..to]) {
                continue;
            }
            for term in analysis::analyze(&mut analyzer, &body[from..to]) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A highlighter for the stems of `words`, as the index stems them.
    fn highlighter(words: &[&str]) -> Highlighter {
        let mut stemmed = analysis::stemmed_analyzer();
        let terms = words
            .iter()
            .flat_map(|w| analysis::analyze(&mut stemmed, w))
            .map(|t| (t.text, 1.0))
            .collect();
        Highlighter::with_terms(terms)
    }

    fn marked(h: &Highlighter, body: &str) -> Vec<String> {
        h.matches(body)
            .into_iter()
            .map(|(range, _)| body[range].to_string())
            .collect()
    }

    #[test]
    fn html_characters_are_escaped_and_the_rest_copied_whole() {
        assert_eq!(
            escape("Élé <b>\"l'été\"</b> & çà"),
            "Élé &lt;b&gt;&quot;l&#39;été&quot;&lt;/b&gt; &amp; çà"
        );
        assert_eq!(escape(""), "");
        assert_eq!(escape("&"), "&amp;");
        assert_eq!(escape("œuvre"), "œuvre");
    }

    #[test]
    fn it_marks_inflected_accented_elided_and_capitalised_forms() {
        let h = highlighter(&["élection", "armée", "soldats", "tués", "oeuvre"]);
        let body = "Les ÉLECTIONS ont eu lieu. L’armée malienne et l'Armée française : \
                    trois soldats tués, un soldat blessé. Une œuvre. Les électeurs, l'armement.";
        assert_eq!(
            marked(&h, body),
            [
                "ÉLECTIONS",
                "armée",
                "Armée",
                "soldats",
                "tués",
                "soldat",
                "œuvre"
            ]
        );
        // No word of the query: nothing marked, the passage is the opening.
        assert!(marked(&h, "Rien à voir, ici. Électricité, élevage.").is_empty());
    }

    #[test]
    fn it_marks_words_that_begin_with_any_accented_capital() {
        // á, ã, í, ñ, ó and ú once had no spelling in the highlighter: such words went unmarked.
        let h = highlighter(&["Ñandú", "Óscar", "Íñigo", "Ávila"]);
        assert_eq!(
            marked(
                &h,
                "Le nandou de Ñandú, l’ÓSCAR d’Óscar, Íñigo et Inigo, Ávila."
            ),
            ["Ñandú", "ÓSCAR", "Óscar", "Íñigo", "Inigo", "Ávila"]
        );
        // Snowball stems `foyer` as `foi`: the word's `y` is the term's `i`.
        assert_eq!(
            marked(&highlighter(&["foyer"]), "Un foyer de tension."),
            ["foyer"]
        );
        let typed_plain = highlighter(&["nandu", "oscar"]);
        assert_eq!(marked(&typed_plain, "Ñandú et Óscar"), ["Ñandú", "Óscar"]);
    }

    mod folding {
        use super::*;
        use proptest::prelude::*;

        /// The analyzer (what the index holds), the recognizer (places and actors) and the
        /// highlighter fold `word` alike: the same folded form, and the word is marked whether
        /// the query writes it as the text does or without accents.
        fn folds_alike(word: &str) -> Result<(), TestCaseError> {
            let exact = analysis::analyze(&mut analysis::exact_analyzer(), word);
            let [token] = &exact[..] else {
                return Ok(()); // a stop word
            };
            let recognized = crate::entities::with_words(word, |w| {
                w.iter().map(|w| w.norm.to_string()).collect::<Vec<_>>()
            });
            prop_assert_eq!(
                &recognized,
                &vec![token.text.clone()],
                "recognizer on {}",
                word
            );
            prop_assert_eq!(
                text::fold(word),
                token.text.clone(),
                "text::fold on {}",
                word
            );
            let (head, len) = folded_head(word).expect("every letter is in the table");
            prop_assert_eq!(
                &head[..len],
                &token.text.as_bytes()[..len],
                "head of {}",
                word
            );
            // As the text writes it, and without accents (where the folded form is ASCII:
            // `İ` folds to `i` and a combining dot, in the index too).
            let plain = Some(token.text.clone()).filter(|t| t.is_ascii());
            for query in std::iter::once(word.to_string()).chain(plain) {
                prop_assert_eq!(
                    marked(&highlighter(&[&query]), word),
                    vec![word.to_string()],
                    "{} typed as {}",
                    word,
                    query
                );
            }
            Ok(())
        }

        #[test]
        fn every_letter_of_latin_1_and_latin_extended_a_folds_alike_everywhere() {
            for code in 0xC0..0x180 {
                let letter = char::from_u32(code).unwrap();
                if letter.is_alphabetic() {
                    folds_alike(&format!("{letter}rbre")).unwrap();
                    folds_alike(&format!("ka{letter}")).unwrap();
                }
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(500))]
            #[test]
            fn any_word_of_those_letters_folds_alike_everywhere(
                word in "[a-zA-ZÀ-ÖØ-öø-ſ][a-zA-ZÀ-ÖØ-öø-ſ0-9]{0,11}"
            ) {
                folds_alike(&word)?;
            }
        }
    }
}
