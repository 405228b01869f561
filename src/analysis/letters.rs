//! Lowercasing and accent folding, token by token, exactly as tantivy's `LowerCaser` and
//! `AsciiFoldingFilter` do, without their cost on French: tantivy lowercases any token holding
//! one accented letter through a per-character iterator (about 600 instructions for `Ségou`,
//! 4% of indexing), and folds it through a match over all of Unicode. Here the letters of
//! Latin-1 and Latin Extended-A go through tables (lowercase: [`LATIN`]; folding:
//! `text::fold`, which hands any other letter to tantivy's filters). Written by hand because
//! no filter crate does this; tests check both against tantivy's on every letter of Latin-1,
//! Latin Extended-A and B, Greek and Cyrillic.

use std::mem;
use std::sync::LazyLock;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use crate::text::fold::fold_into;

/// A token filter rewriting tokens letter by letter: ASCII tokens in place, the others
/// through a buffer.
#[derive(Clone, Copy)]
pub struct Letters {
    ascii: fn(&mut String),
    other: fn(&str, &mut String),
}

/// Lowercases every token, as tantivy's `LowerCaser`.
pub const LOWERCASE: Letters = Letters {
    ascii: |text| text.make_ascii_lowercase(),
    other: lowercase_into,
};

/// Folds the accents of every (lowercased) token off, as tantivy's `AsciiFoldingFilter`.
pub const FOLD: Letters = Letters {
    ascii: |_| {},
    other: |text, out| {
        out.clear();
        fold_into(text, out);
    },
};

impl TokenFilter for Letters {
    type Tokenizer<T: Tokenizer> = LettersWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> LettersWrapper<T> {
        LettersWrapper {
            inner: tokenizer,
            letters: self,
            buffer: String::new(),
        }
    }
}

/// [`Letters`] applied to a tokenizer.
#[derive(Clone)]
pub struct LettersWrapper<T> {
    inner: T,
    letters: Letters,
    buffer: String,
}

impl<T: Tokenizer> Tokenizer for LettersWrapper<T> {
    type TokenStream<'a> = LettersStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.buffer.clear();
        LettersStream {
            tail: self.inner.token_stream(text),
            letters: self.letters,
            buffer: &mut self.buffer,
        }
    }
}

/// [`Letters`]' token stream.
pub struct LettersStream<'a, T> {
    tail: T,
    letters: Letters,
    buffer: &'a mut String,
}

/// The first code point of [`LATIN`].
const LATIN_FIRST: u32 = 0xC0;

/// The lowercase of each letter of Latin-1 and Latin Extended-A (U+00C0 to U+017F) that has
/// one of a single character, `\0` for the one that has two (`İ`).
static LATIN: LazyLock<[char; 0xC0]> = LazyLock::new(|| {
    let mut table = ['\0'; 0xC0];
    for (slot, code) in table.iter_mut().zip(LATIN_FIRST..) {
        let mut lower = char::from_u32(code)
            .into_iter()
            .flat_map(char::to_lowercase);
        if let (Some(c), None) = (lower.next(), lower.next()) {
            *slot = c;
        }
    }
    table
});

/// `text` lowercased into `out`, as `text.chars().flat_map(char::to_lowercase)`.
fn lowercase_into(text: &str, out: &mut String) {
    out.clear();
    out.reserve(text.len());
    let latin = &*LATIN;
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match latin.get((c as u32).wrapping_sub(LATIN_FIRST) as usize) {
            Some(&lower) if lower != '\0' => out.push(lower),
            _ => out.extend(c.to_lowercase()),
        }
    }
}

impl<T: TokenStream> TokenStream for LettersStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if token.text.is_ascii() {
            (self.letters.ascii)(&mut token.text);
        } else {
            (self.letters.other)(&token.text, self.buffer);
            mem::swap(&mut token.text, self.buffer);
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
    use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, TextAnalyzer, WhitespaceTokenizer};

    fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    /// Every letter of Latin-1, Latin Extended-A and B, Greek and Cyrillic, alone, in a
    /// word and after ASCII, plus words where lengths change (İ, final sigma, ẞ, Kelvin).
    fn letters() -> String {
        let mut text = String::from(
            "Ségou SÉGOU ÉTAT İstanbul ΟΔΟΣ Œuvre ÆGIS ǅemal ẞ KELVIN\u{212A} l’armée ᴀ ",
        );
        for code in (0xC0..0x250).chain(0x370..0x530).chain(0x1D00..0x1D80) {
            if let Some(c) = char::from_u32(code) {
                text.push(c);
                text.push(' ');
                text.push_str(&format!("Ab{c}Cd{c}{c}E "));
            }
        }
        text
    }

    #[test]
    fn lowercases_as_tantivy_does() {
        let text = letters();
        let ours = tokens(
            TextAnalyzer::builder(WhitespaceTokenizer::default())
                .filter(LOWERCASE)
                .build(),
            &text,
        );
        let theirs = tokens(
            TextAnalyzer::builder(WhitespaceTokenizer::default())
                .filter(LowerCaser)
                .build(),
            &text,
        );
        assert!(ours.len() > 1000);
        assert_eq!(ours, theirs);
    }

    #[test]
    fn folds_as_tantivy_does() {
        let text = letters();
        let ours = tokens(
            TextAnalyzer::builder(WhitespaceTokenizer::default())
                .filter(LOWERCASE)
                .filter(FOLD)
                .build(),
            &text,
        );
        let theirs = tokens(
            TextAnalyzer::builder(WhitespaceTokenizer::default())
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .build(),
            &text,
        );
        assert!(ours.len() > 1000);
        assert_eq!(ours, theirs);
    }
}
