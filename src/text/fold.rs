//! Letter folding: lowercase, accents off (`Ségou` → `segou`, `Œuvre` → `oeuvre`).
//!
//! The index folds as tantivy's `LowerCaser` and `AsciiFoldingFilter` do; the place and actor
//! recognizer and the highlighter must fold exactly the same way, and faster than running an
//! analyzer on every word. [`LETTERS`] is the one list of the letters of Latin-1 and Latin
//! Extended-A (every accented letter of French, and those of the names reporting borrows:
//! `Ñ`, `Ğ`, `Ł`…) with their folded form, as tantivy's filters give it; the table of
//! [`fold_letter`] is generated from it at compile time, and the highlighter finds the words
//! a query term may start with by folding their first letters through it. Letters outside it
//! (other scripts, rarer Latin) go through tantivy's own filters, so every letter folds as
//! the index does.

use std::cell::RefCell;

use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RawTokenizer, TextAnalyzer, TokenStream};

/// Each folded form with every letter of Latin-1 (U+00C0–U+00FF) and Latin Extended-A
/// (U+0100–U+017F) that folds to it: all 190 letters of the two blocks, each once.
const LETTERS: [(&str, &str); 26] = [
    ("a", "ÀÁÂÃÄÅàáâãäåĀāĂăĄą"),
    ("ae", "Ææ"),
    ("c", "ÇçĆćĈĉĊċČč"),
    ("d", "ÐðĎďĐđ"),
    ("e", "ÈÉÊËèéêëĒēĔĕĖėĘęĚě"),
    ("g", "ĜĝĞğĠġĢģ"),
    ("h", "ĤĥĦħ"),
    ("i", "ÌÍÎÏìíîïĨĩĪīĬĭĮįı"),
    // Lowercasing `İ` gives `i` and a combining dot, which no filter removes.
    ("i\u{307}", "İ"),
    ("ij", "Ĳĳ"),
    ("j", "Ĵĵ"),
    ("k", "Ķķ"),
    ("l", "ĹĺĻļĽľĿŀŁł"),
    ("n", "ÑñŃńŅņŇňŉŊŋ"),
    ("o", "ÒÓÔÕÖØòóôõöøŌōŎŏŐő"),
    ("oe", "Œœ"),
    ("q", "ĸ"),
    ("r", "ŔŕŖŗŘř"),
    ("s", "ŚśŜŝŞşŠšſ"),
    ("ss", "ß"),
    ("t", "ŢţŤťŦŧ"),
    ("th", "Þþ"),
    ("u", "ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų"),
    ("w", "Ŵŵ"),
    ("y", "ÝýÿŶŷŸ"),
    ("z", "ŹźŻżŽž"),
];

/// First code point of the table.
const FIRST: u32 = 0xC0;
/// Code points covered: U+00C0 to U+017F.
const SPAN: usize = 0x180 - FIRST as usize;

/// The forward table, by code point from [`FIRST`]; empty for `×` and `÷`, the two code
/// points of the blocks that are no letters. Built at compile time: every letter of the list
/// is two bytes of UTF-8, and a letter listed twice fails the build.
const fn forward() -> [&'static str; SPAN] {
    let mut table = [""; SPAN];
    let mut i = 0;
    while i < LETTERS.len() {
        let (folded, letters) = LETTERS[i];
        let bytes = letters.as_bytes();
        let mut j = 0;
        while j < bytes.len() {
            assert!(bytes[j] & 0xE0 == 0xC0, "a letter of two bytes");
            let code = ((bytes[j] as u32 & 0x1F) << 6) | (bytes[j + 1] as u32 & 0x3F);
            let slot = (code - FIRST) as usize;
            assert!(table[slot].is_empty(), "each letter listed once");
            table[slot] = folded;
            j += 2;
        }
        i += 1;
    }
    table
}

static FORWARD: [&str; SPAN] = forward();

/// The folded form of a letter of Latin-1 or Latin Extended-A (`É` → `e`, `Œ` → `oe`,
/// `ß` → `ss`); `None` for any other character, ASCII included.
#[inline]
pub fn fold_letter(c: char) -> Option<&'static str> {
    let slot = (c as u32).wrapping_sub(FIRST) as usize;
    FORWARD.get(slot).copied().filter(|f| !f.is_empty())
}

thread_local! {
    /// tantivy's lowercasing and folding, for the letters the table does not hold.
    static ANALYZER: RefCell<TextAnalyzer> = RefCell::new(
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
}

/// `text` lowercased and folded as the index folds it, appended to `out`.
pub fn fold_into(text: &str, out: &mut String) {
    if text.is_ascii() {
        let start = out.len();
        out.push_str(text);
        out[start..].make_ascii_lowercase();
        return;
    }
    let start = out.len();
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(folded) = fold_letter(c) {
            out.push_str(folded);
        } else {
            // A letter beyond the table: the whole text through tantivy's filters.
            out.truncate(start);
            ANALYZER.with_borrow_mut(|analyzer| {
                let mut stream = analyzer.token_stream(text);
                if let Some(token) = stream.next() {
                    out.push_str(&token.text);
                }
            });
            return;
        }
    }
}

/// `text` lowercased and folded as the index folds it.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_folds_every_letter_of_the_two_blocks() {
        for code in FIRST..0x180 {
            let c = char::from_u32(code).unwrap();
            assert_eq!(
                fold_letter(c).is_some(),
                c.is_alphabetic(),
                "U+{code:04X} {c}"
            );
        }
        assert_eq!(fold_letter('e'), None);
        assert_eq!(fold_letter('ǎ'), None);
    }

    #[test]
    fn it_folds_words_as_the_index_does() {
        assert_eq!(fold("Ségou"), "segou");
        assert_eq!(fold("MÉNAKA"), "menaka");
        assert_eq!(fold("Œuvre"), "oeuvre");
        assert_eq!(fold("Ñandú"), "nandu");
        assert_eq!(fold("Straße"), "strasse");
        // Beyond the table: tantivy's filters (Latin Extended-B, Greek).
        assert_eq!(fold("Ǎvel"), "avel");
        assert_eq!(fold("Σahel"), "σahel");
        let mut out = String::from("x ");
        fold_into("Gao", &mut out);
        assert_eq!(out, "x gao");
    }
}
