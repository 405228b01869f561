//! Splits French text into word tokens, keeping apostrophes inside words.
//!
//! `l'armée` stays one token so that [`super::elision::ElisionFilter`] can strip the elided
//! article and report the offsets of `armée` alone; hyphens and every other punctuation split.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::text::words::next_word;

/// Word tokenizer for French news text.
#[derive(Clone, Default)]
pub struct FrenchTokenizer {
    token: Token,
}

/// The token stream of [`FrenchTokenizer`].
pub struct FrenchTokenStream<'a> {
    text: &'a str,
    cursor: usize,
    token: &'a mut Token,
}

impl Tokenizer for FrenchTokenizer {
    type TokenStream<'a> = FrenchTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FrenchTokenStream<'a> {
        self.token.reset();
        FrenchTokenStream {
            text,
            cursor: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for FrenchTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        let Some(word) = next_word(self.text, self.cursor) else {
            self.cursor = self.text.len();
            return false;
        };
        self.token.position = self.token.position.wrapping_add(1);
        self.token.offset_from = word.start;
        self.token.offset_to = word.end;
        self.token.text.push_str(&self.text[word.clone()]);
        self.cursor = word.end;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, usize, usize)> {
        let mut tokenizer = FrenchTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn it_keeps_elided_articles_attached() {
        let w = words("l'armée et l’attaque d'Al-Qaïda");
        let texts: Vec<&str> = w.iter().map(|(t, _, _)| t.as_str()).collect();
        assert_eq!(texts, ["l'armée", "et", "l’attaque", "d'Al", "Qaïda"]);
    }

    #[test]
    fn it_drops_dangling_apostrophes_and_splits_punctuation() {
        let w = words("« attaque » ' Gao: Tin-Zaouatine 19h56 (JNIM)'");
        let texts: Vec<&str> = w.iter().map(|(t, _, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            ["attaque", "Gao", "Tin", "Zaouatine", "19h56", "JNIM"]
        );
    }

    #[test]
    fn it_reports_byte_offsets_of_accented_words() {
        let w = words("à Ségou");
        assert_eq!(w[1], ("Ségou".to_string(), 3, 9));
    }
}
