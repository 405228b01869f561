//! Splits French text into word tokens, keeping apostrophes inside words.
//!
//! `l'armée` stays one token so that [`super::elision::ElisionFilter`] can strip the elided
//! article and report the offsets of `armée` alone; hyphens and every other punctuation split.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Apostrophes that join an elided particle to its word: ASCII, typographic, modifier letter.
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘')
}

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

/// The character at byte `i` and its width; ASCII without decoding.
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(i)?;
    if b.is_ascii() {
        return Some((b as char, 1));
    }
    let c = text[i..].chars().next()?;
    Some((c, c.len_utf8()))
}

/// A letter of Latin-1 or Latin Extended-A (`é`, `Ç`, `œ`…), known without Unicode tables.
pub fn is_latin_letter(c: char) -> bool {
    matches!(c, 'À'..='ÿ' | 'Ā'..='ſ') && c != '×' && c != '÷'
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        is_latin_letter(c) || c.is_alphanumeric()
    }
}

/// Whether a word can start at byte `at`: what comes before is not a letter or digit (an
/// apostrophe counts as a start: the word after an elided particle).
pub fn starts_word(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !is_word_char(c))
}

/// End of the word that starts at `start`: alphanumerics, joined by single apostrophes.
pub fn word_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = start;
    loop {
        // Runs of ASCII letters and digits without decoding.
        while bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
            i += 1;
        }
        let Some((c, width)) = char_at(text, i) else {
            return i;
        };
        let joins_words = is_apostrophe(c)
            && i > start
            && char_at(text, i + width).is_some_and(|(next, _)| is_word_char(next));
        if !is_word_char(c) && !joins_words {
            return i;
        }
        i += width;
    }
}

/// The byte range of the next word at or after `from`, as the tokenizer cuts it.
fn next_word(text: &str, from: usize) -> Option<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut start = from;
    loop {
        // ASCII spaces and punctuation without decoding.
        while bytes
            .get(start)
            .is_some_and(|b| b.is_ascii() && !b.is_ascii_alphanumeric())
        {
            start += 1;
        }
        match char_at(text, start) {
            None => return None,
            Some((c, _)) if is_word_char(c) => break,
            Some((_, width)) => start += width,
        }
    }
    Some(start..word_end(text, start))
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
