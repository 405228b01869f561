//! Removes French elided particles (`l'`, `d'`, `qu'`, `jusqu'`…) in front of words.
//!
//! Runs after lowercasing. The token's start offset moves past the particle so that a
//! highlight covers `armée`, not `l'armée`. Apostrophes left inside a word after that
//! (`aujourd'hui`, `Jama'at`, `Aguel'hoc`) are dropped so both spellings meet.

use std::sync::OnceLock;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use crate::text::{list, words::is_apostrophe};

/// The particles French elides before a vowel (`data/elisions.txt`).
fn elided() -> &'static [&'static str] {
    static PARTICLES: OnceLock<Vec<&'static str>> = OnceLock::new();
    PARTICLES.get_or_init(|| list::entries(include_str!("../../data/elisions.txt")).collect())
}

/// Token filter removing elided particles.
#[derive(Clone, Copy, Default)]
pub struct ElisionFilter;

impl TokenFilter for ElisionFilter {
    type Tokenizer<T: Tokenizer> = ElisionWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ElisionWrapper<T> {
        ElisionWrapper { inner: tokenizer }
    }
}

/// [`ElisionFilter`] applied to a tokenizer.
#[derive(Clone)]
pub struct ElisionWrapper<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for ElisionWrapper<T> {
    type TokenStream<'a> = ElisionStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ElisionStream {
            tail: self.inner.token_stream(text),
        }
    }
}

/// [`ElisionFilter`]'s token stream.
pub struct ElisionStream<T> {
    tail: T,
}

/// Strips the particle from `token`; returns false when nothing is left of the word.
fn strip(token: &mut Token) -> bool {
    let Some((pos, apostrophe)) = token.text.char_indices().find(|(_, c)| is_apostrophe(*c)) else {
        return true;
    };
    let cut = pos + apostrophe.len_utf8();
    if elided().contains(&&token.text[..pos]) {
        token.text.drain(..cut);
        token.offset_from = (token.offset_from + cut).min(token.offset_to);
    }
    if token.text.chars().any(is_apostrophe) {
        token.text.retain(|c| !is_apostrophe(c));
    }
    !token.text.is_empty()
}

impl<T: TokenStream> TokenStream for ElisionStream<T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            if strip(self.tail.token_mut()) {
                return true;
            }
        }
        false
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

    fn stripped(text: &str) -> (String, usize) {
        let mut token = Token {
            text: text.to_string(),
            offset_to: text.len(),
            ..Token::default()
        };
        strip(&mut token);
        (token.text, token.offset_from)
    }

    #[test]
    fn it_removes_both_apostrophes() {
        assert_eq!(stripped("l'armée"), ("armée".to_string(), 2));
        assert_eq!(stripped("l’armée"), ("armée".to_string(), 4));
        assert_eq!(stripped("jusqu'à").0, "à");
        assert_eq!(stripped("qu’il").0, "il");
        assert_eq!(stripped("lorsqu'elle").0, "elle");
    }

    #[test]
    fn it_joins_apostrophes_inside_names() {
        assert_eq!(stripped("aujourd'hui").0, "aujourdhui");
        assert_eq!(stripped("jama'at").0, "jamaat");
        assert_eq!(stripped("aguel’hoc").0, "aguelhoc");
    }
}
