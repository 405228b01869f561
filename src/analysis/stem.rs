//! Snowball French stemming (rust-stemmers) as a tantivy token filter, with protected names.
//!
//! Runs on lowercased, accent-folded tokens (see the order and its reason in
//! [`super`]). Snowball leaves a final `e` on some unaccented forms (`tuee` → `tue`, but
//! `tues` → `tu`), so trailing `e`s are trimmed from stems longer than two letters: most of
//! the masculine/feminine conflation folding took away comes back (BENCHMARKS.md). Protected
//! words (place and group names) skip the stemmer: `mali` must not become `mal`, nor `niger`
//! `nig`.

use std::collections::HashSet;

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Token filter stemming French words, except the protected ones.
#[derive(Clone)]
pub struct FrenchStemmer {
    stemmer: Arc<Stemmer>,
    protected: Arc<HashSet<String>>,
}

impl FrenchStemmer {
    /// A stemmer that leaves the words of `protected` (already normalised) untouched.
    pub fn new(protected: Arc<HashSet<String>>) -> Self {
        FrenchStemmer {
            stemmer: Arc::new(Stemmer::create(Algorithm::French)),
            protected,
        }
    }

    /// The stem of one normalised word, as indexed.
    pub fn stem_word(&self, word: &str, out: &mut String) {
        out.clear();
        if self.protected.contains(word) || word.bytes().any(|b| b.is_ascii_digit()) {
            out.push_str(word);
            return;
        }
        out.push_str(&self.stemmer.stem(word));
        while out.len() > 2 && out.ends_with('e') {
            out.pop();
        }
    }
}

impl TokenFilter for FrenchStemmer {
    type Tokenizer<T: Tokenizer> = FrenchStemmerWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FrenchStemmerWrapper<T> {
        FrenchStemmerWrapper {
            stemmer: self,
            inner: tokenizer,
            buffer: String::new(),
            cache: HashMap::default(),
        }
    }
}

/// Distinct words whose stems a tokenizer remembers; French news vocabulary is Zipfian, so a
/// cache of this size answers most words without running Snowball again.
const CACHE_WORDS: usize = 100_000;

/// [`FrenchStemmer`] applied to a tokenizer.
#[derive(Clone)]
pub struct FrenchStemmerWrapper<T> {
    stemmer: FrenchStemmer,
    inner: T,
    buffer: String,
    cache: HashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for FrenchStemmerWrapper<T> {
    type TokenStream<'a> = FrenchStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.cache.len() > CACHE_WORDS {
            self.cache.clear();
        }
        FrenchStemmerStream {
            stemmer: &self.stemmer,
            tail: self.inner.token_stream(text),
            buffer: &mut self.buffer,
            cache: &mut self.cache,
        }
    }
}

/// [`FrenchStemmer`]'s token stream.
pub struct FrenchStemmerStream<'a, T> {
    stemmer: &'a FrenchStemmer,
    tail: T,
    buffer: &'a mut String,
    cache: &'a mut HashMap<String, String>,
}

impl<T: TokenStream> TokenStream for FrenchStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        match self.cache.get(&token.text) {
            Some(stem) => {
                token.text.clear();
                token.text.push_str(stem);
            }
            None => {
                self.stemmer.stem_word(&token.text, self.buffer);
                self.cache.insert(token.text.clone(), self.buffer.clone());
                std::mem::swap(&mut token.text, self.buffer);
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(word: &str) -> String {
        let protected = Arc::new(
            ["mali".to_string(), "gao".to_string()]
                .into_iter()
                .collect(),
        );
        let mut out = String::new();
        FrenchStemmer::new(protected).stem_word(word, &mut out);
        out
    }

    #[test]
    fn it_conflates_plural_and_feminine_forms() {
        assert_eq!(stem("embuscades"), stem("embuscade"));
        assert_eq!(stem("tuees"), stem("tues"));
        assert_eq!(stem("militaires"), stem("militaire"));
    }

    #[test]
    fn it_leaves_protected_names_alone() {
        assert_eq!(stem("mali"), "mali");
        assert_eq!(stem("gao"), "gao");
        // Unprotected, Snowball would stem «Mali» to «mal» (evil).
        assert_ne!(stem("mali"), stem("mal"));
    }

    #[test]
    fn it_does_not_stem_numbers() {
        assert_eq!(stem("2024"), "2024");
        assert_eq!(stem("g5"), "g5");
    }
}
