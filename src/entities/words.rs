//! Splits text into the words names are matched on: folded for comparison, original for case.
//!
//! Apostrophes and hyphens separate words here (`Ti-n-Zaouâtene` is `ti n zaouatene`,
//! `l'islam` is `l islam`), so a name written with spaces, hyphens or apostrophes matches the
//! same table entry.

use crate::hash::{self, Fnv};
use crate::text::{fold_into, fold_letter, words::is_latin_letter};

/// One word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    /// As written.
    pub raw: &'a str,
    /// Lowercased, accents folded: a slice of the text when the word already is, else of the
    /// arena the words were folded into.
    pub norm: &'a str,
    /// [`hash::word`] of `norm`, computed while splitting: the name tables and the copy
    /// signatures look words up by it.
    pub hash: u64,
    /// Byte offset in the text.
    pub start: usize,
    /// First word of a sentence (or of the text, a line, a heading).
    pub sentence_start: bool,
    /// Punctuation (not only spaces) separates it from the previous word.
    pub after_punctuation: bool,
}

impl Word<'_> {
    /// Starts with a capital letter (or is all capitals).
    pub fn capitalized(&self) -> bool {
        match self.raw.as_bytes().first() {
            Some(&b) if b.is_ascii() => b.is_ascii_uppercase(),
            _ => self.raw.chars().next().is_some_and(char::is_uppercase),
        }
    }

    /// Written in capitals only, like an acronym or a shouted headline.
    pub fn all_caps(&self) -> bool {
        self.raw.chars().any(char::is_alphabetic) && !self.raw.chars().any(char::is_lowercase)
    }
}

/// What an ASCII byte is to the word splitter.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// A lowercase letter or a digit: part of a word, folded already.
    Lower,
    /// A capital letter: part of a word, to lowercase.
    Upper,
    Space,
    /// Punctuation that ends a sentence (or a heading).
    Boundary,
    /// The end of a line: a boundary, but no punctuation.
    LineBreak,
    /// Other punctuation.
    Mark,
}

const fn ascii_classes() -> [Class; 128] {
    let mut table = [Class::Mark; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            Class::Lower
        } else if c.is_ascii_uppercase() {
            Class::Upper
        } else if c == b'\n' {
            Class::LineBreak
        } else if matches!(c, b'.' | b'!' | b'?' | b':' | b'|') {
            Class::Boundary
        } else if c.is_ascii_whitespace() || c == 0x0b {
            Class::Space
        } else {
            Class::Mark
        };
        b += 1;
    }
    table
}

static ASCII_CLASSES: [Class; 128] = ascii_classes();

/// Bytes that are their own folded form inside a word: lowercase ASCII letters and digits.
static FOLDED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_lowercase() || c.is_ascii_digit();
        b += 1;
    }
    table
};

/// A character outside ASCII: part of a word (`None`), or the separator it is.
fn non_ascii_class(c: char) -> Option<Class> {
    if is_latin_letter(c) || c.is_alphanumeric() {
        None
    } else if c == '…' {
        Some(Class::Boundary)
    } else if c.is_whitespace() {
        Some(Class::Space)
    } else {
        Some(Class::Mark)
    }
}

/// The words of `text` (runs of letters and digits), with the folded forms that differ
/// from the text written into `arena` (cleared first). One pass over the bytes: ASCII is
/// classified by a table and hashed as it is read; only words with capitals or accents
/// are copied, folded, into the arena, and their `norm` is pointed there once it is whole.
///
/// A tuned hot loop kept in one function, over the 80 lines the project allows: it is most of
/// what recognising places and actors costs, and its states (between words, in a run of
/// lowercase letters, copying a word being folded) share the hash, the cursor and the arena,
/// which calls between smaller functions would pass back and forth on every byte.
pub fn words_in<'a>(text: &'a str, arena: &'a mut String) -> Vec<Word<'a>> {
    arena.clear();
    arena.reserve(text.len());
    let bytes = text.as_bytes();
    let mut words: Vec<Word<'a>> = Vec::with_capacity(text.len() / 4 + 8);
    // (word, its folded form's range in the arena)
    let mut folded: Vec<(usize, usize, usize)> = Vec::with_capacity(text.len() / 16);
    let mut boundary = true;
    let mut punctuation = true;
    let mut i = 0;
    while i < bytes.len() {
        // Between words: note what separates them. Most often one space.
        let b = bytes[i];
        if b == b' ' {
            i += 1;
            continue;
        }
        let class = if b < 0x80 {
            i += 1;
            ASCII_CLASSES[b as usize]
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            match non_ascii_class(c) {
                Some(class) => {
                    i += c.len_utf8();
                    class
                }
                None => Class::Upper,
            }
        };
        match class {
            Class::Lower | Class::Upper => {}
            Class::Boundary => {
                boundary = true;
                punctuation = true;
                continue;
            }
            Class::LineBreak => {
                boundary = true;
                continue;
            }
            Class::Mark => {
                punctuation = true;
                continue;
            }
            Class::Space => continue,
        }
        // A word: hashed as it is read, and copied folded into the arena from its first
        // capital or accent on (a word with neither is its own folded form).
        let start = if b < 0x80 { i - 1 } else { i };
        i = start;
        let from = arena.len();
        let mut hash = Fnv::default();
        let mut copying = false;
        let mut unusual = false;
        loop {
            // Lowercase letters and digits, the bulk of any word: hashed, then copied at
            // once when the word is being folded.
            let run = i;
            while let Some(&b) = bytes.get(i) {
                if !FOLDED[b as usize] {
                    break;
                }
                hash.push(b);
                i += 1;
            }
            if copying {
                arena.push_str(&text[run..i]);
            }
            let Some(&b) = bytes.get(i) else { break };
            if b.is_ascii_uppercase() {
                if !copying {
                    arena.push_str(&text[start..i]);
                    copying = true;
                }
                let lower = b.to_ascii_lowercase();
                arena.push(char::from(lower));
                hash.push(lower);
                i += 1;
                continue;
            }
            if b < 0x80 {
                break;
            }
            let c = text[i..].chars().next().unwrap_or(' ');
            if non_ascii_class(c).is_some() {
                break;
            }
            if !copying {
                arena.push_str(&text[start..i]);
                copying = true;
            }
            match fold_letter(c) {
                Some(folded) => {
                    arena.push_str(folded);
                    folded.bytes().for_each(|b| hash.push(b));
                }
                None => unusual = true,
            }
            i += c.len_utf8();
        }
        let raw = &text[start..i];
        let hash = if unusual {
            // A letter beyond the folding table's: folded as a whole word.
            arena.truncate(from);
            fold_into(raw, arena);
            hash::word(&arena[from..])
        } else {
            hash.finish()
        };
        if copying {
            folded.push((words.len(), from, arena.len()));
        }
        words.push(Word {
            raw,
            norm: raw,
            hash,
            start,
            sentence_start: boundary,
            after_punctuation: punctuation,
        });
        boundary = false;
        punctuation = false;
    }
    let arena: &'a str = arena;
    for (word, from, to) in folded {
        words[word].norm = &arena[from..to];
    }
    words
}

/// The folded words of a name, as the tables key them (the same words as [`words_in`]).
pub fn key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !key.is_empty() {
            key.push(' ');
        }
        fold_into(word, &mut key);
    }
    key
}

/// The words of `text` as the recognizer splits and folds them, handed to `then`.
pub fn with_words<R>(text: &str, then: impl FnOnce(&[Word<'_>]) -> R) -> R {
    let mut arena = String::new();
    let words = words_in(text, &mut arena);
    then(&words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_folds_and_splits_on_hyphens_and_apostrophes() {
        assert_eq!(key("Ti-n-Zaouâtene"), "ti n zaouatene");
        assert_eq!(
            key("Groupe de soutien à l’islam"),
            "groupe de soutien a l islam"
        );
        assert_eq!(key("Ménaka"), "menaka");
    }

    #[test]
    fn its_fast_path_folds_like_the_analyzer() {
        let mut exact = crate::analysis::exact_analyzer();
        for word in [
            "Ségou",
            "MÉNAKA",
            "Œuvre",
            "Ñandú",
            "çà",
            "Tombouctou",
            "Zaouâtene",
            "Ærø",
            "Ağadez",
            "İstanbul",
            "Ǎvel",
        ] {
            let analyzed = crate::analysis::analyze(&mut exact, word);
            with_words(word, |words| {
                assert_eq!(words[0].norm, analyzed[0].text, "{word}")
            });
        }
    }

    #[test]
    fn each_word_carries_its_folded_form_and_its_hash() {
        let text = "Attaque à Ménaka, près de GAO: l’armée malienne. Œuvre Ağadez İstanbul";
        let mut arena = String::from("left over from the last text");
        let words = words_in(text, &mut arena);
        let raws: Vec<&str> = words.iter().map(|w| w.raw).collect();
        assert_eq!(
            raws,
            [
                "Attaque",
                "à",
                "Ménaka",
                "près",
                "de",
                "GAO",
                "l",
                "armée",
                "malienne",
                "Œuvre",
                "Ağadez",
                "İstanbul"
            ]
        );
        for w in &words {
            assert_eq!(w.norm, crate::text::fold(w.raw), "{}", w.raw);
            assert_eq!(w.hash, hash::word(w.norm), "{}", w.raw);
            assert_eq!(&text[w.start..w.start + w.raw.len()], w.raw);
        }
        let flags: Vec<(bool, bool)> = words
            .iter()
            .map(|w| (w.sentence_start, w.after_punctuation))
            .collect();
        assert_eq!(flags[0], (true, true));
        assert_eq!(flags[3], (false, true), "after a comma");
        assert_eq!(flags[6], (true, true), "after a colon");
        assert_eq!(flags[7], (false, true), "after an apostrophe");
        assert_eq!(flags[8], (false, false));
        assert_eq!(flags[9], (true, true), "after a full stop");
    }
    #[test]
    fn it_marks_sentence_starts() {
        let starts = with_words("Attaque à Gao. Bamako réagit\nSégou", |w| {
            w.iter()
                .map(|w| (w.raw.to_string(), w.sentence_start, w.after_punctuation))
                .collect::<Vec<_>>()
        });
        let starts: Vec<(&str, bool, bool)> = starts
            .iter()
            .map(|(w, s, p)| (w.as_str(), *s, *p))
            .collect();
        assert_eq!(
            starts,
            [
                ("Attaque", true, true),
                ("à", false, false),
                ("Gao", false, false),
                ("Bamako", true, true),
                ("réagit", false, false),
                ("Ségou", true, false),
            ]
        );
    }
}
