//! Where words begin and end in French text, and whitespace squashed to single spaces.
//!
//! A word is a run of letters and digits; single apostrophes join an elided particle to the
//! word after it (`l'armée`, `aujourd’hui`); hyphens and every other punctuation separate.

use std::ops::Range;

/// Apostrophes that join an elided particle to its word: ASCII, typographic, modifier letter.
#[inline]
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘')
}

/// A letter of Latin-1 or Latin Extended-A (`é`, `Ç`, `œ`…), known without Unicode tables:
/// the letters [`super::fold_letter`] folds.
#[inline]
pub fn is_latin_letter(c: char) -> bool {
    matches!(c, 'À'..='ÿ' | 'Ā'..='ſ') && c != '×' && c != '÷'
}

/// A character of a word: a letter or a digit.
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        is_latin_letter(c) || c.is_alphanumeric()
    }
}

/// The character at byte `i` and its width; ASCII without decoding.
#[inline]
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(i)?;
    if b.is_ascii() {
        return Some((b as char, 1));
    }
    let c = text[i..].chars().next()?;
    Some((c, c.len_utf8()))
}

/// Whether a word can start at byte `at`: what comes before is not a letter or digit (an
/// apostrophe counts as a start: the word after an elided particle).
#[inline]
pub fn starts_word(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !is_word_char(c))
}

/// End of the word that starts at `start`: letters and digits, joined by single apostrophes.
#[inline]
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

/// The byte range of the next word at or after `from`.
#[inline]
pub fn next_word(text: &str, from: usize) -> Option<Range<usize>> {
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

/// Runs of spaces, tabs, line breaks and other whitespace squashed to single spaces, and
/// none at either end.
pub fn squash_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(word) = next_word(text, at) {
            at = word.end;
            out.push(&text[word]);
        }
        out
    }

    #[test]
    fn it_keeps_elided_particles_on_their_word() {
        assert_eq!(
            words("l'armée et l’attaque d'Al-Qaïda"),
            ["l'armée", "et", "l’attaque", "d'Al", "Qaïda"]
        );
        assert_eq!(
            words("« attaque » ' Gao: Tin-Zaouatine 19h56 (JNIM)'"),
            ["attaque", "Gao", "Tin", "Zaouatine", "19h56", "JNIM"]
        );
    }

    #[test]
    fn it_finds_where_words_start() {
        let text = "l’armée, Ségou";
        assert!(starts_word(text, 0));
        assert!(!starts_word(text, 1));
        assert!(starts_word(text, "l’".len()));
        assert_eq!(word_end(text, 0), "l’armée".len());
        assert!(starts_word(text, text.find('S').unwrap()));
    }

    #[test]
    fn it_squashes_whitespace() {
        assert_eq!(
            squash_spaces("  Mali    Burkina\u{a0}\u{a0}Niger\n\tSahel "),
            "Mali Burkina Niger Sahel"
        );
        assert_eq!(squash_spaces(" \n "), "");
    }
}
