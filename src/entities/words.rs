//! Splits text into the words names are matched on: folded for comparison, original for case.
//!
//! Apostrophes and hyphens separate words here (`Ti-n-Zaouâtene` is `ti n zaouatene`,
//! `l'islam` is `l islam`), so a name written with spaces, hyphens or apostrophes matches the
//! same table entry.

use std::borrow::Cow;

use crate::analysis::{fold_letter, is_latin_letter};

use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RawTokenizer, TextAnalyzer, TokenStream};

/// One word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    /// As written.
    pub raw: &'a str,
    /// Lowercased, accents folded (borrowed when the word already is).
    pub norm: Cow<'a, str>,
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
        self.raw.chars().next().is_some_and(char::is_uppercase)
    }

    /// Written in capitals only, like an acronym or a shouted headline.
    pub fn all_caps(&self) -> bool {
        self.raw.chars().any(char::is_alphabetic) && !self.raw.chars().any(char::is_lowercase)
    }
}

/// Where a word is, and what precedes it.
struct Span {
    range: std::ops::Range<usize>,
    sentence_start: bool,
    after_punctuation: bool,
}

/// Already lowercase ASCII (or digits): its folded form is itself.
fn is_folded(raw: &str) -> bool {
    raw.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// What an ASCII byte is to the word splitter.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
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
        table[b] = if c.is_ascii_alphanumeric() {
            Class::Word
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

fn class_of(c: char) -> Class {
    if is_latin_letter(c) || c.is_alphanumeric() {
        Class::Word
    } else if c == '…' {
        Class::Boundary
    } else if c.is_whitespace() {
        Class::Space
    } else {
        Class::Mark
    }
}

/// The words of `text` (runs of letters and digits), ASCII read byte by byte.
fn spans(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut start = None;
    let mut boundary = true;
    let mut punctuation = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (class, width) = if b < 0x80 {
            (ASCII_CLASSES[b as usize], 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (class_of(c), c.len_utf8())
        };
        if class == Class::Word {
            start.get_or_insert(i);
            i += width;
            continue;
        }
        if let Some(s) = start.take() {
            out.push(Span {
                range: s..i,
                sentence_start: boundary,
                after_punctuation: punctuation,
            });
            boundary = false;
            punctuation = false;
        }
        match class {
            Class::Boundary => {
                boundary = true;
                punctuation = true;
            }
            Class::LineBreak => boundary = true,
            Class::Mark => punctuation = true,
            Class::Space | Class::Word => {}
        }
        i += width;
    }
    if let Some(s) = start {
        out.push(Span {
            range: s..bytes.len(),
            sentence_start: boundary,
            after_punctuation: punctuation,
        });
    }
    out
}

/// Lowercases and folds accents, reusing one analyzer.
pub struct Folder {
    analyzer: TextAnalyzer,
}

impl Default for Folder {
    fn default() -> Self {
        Folder {
            analyzer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .build(),
        }
    }
}

impl Folder {
    /// `Ségou` → `segou`, `Œuvre` → `oeuvre`: the analyzer's lowercasing and folding, with a
    /// fast path for the letters of French.
    pub fn fold(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        self.fold_into(text, &mut out);
        out
    }

    /// [`Folder::fold`], appended to `out`.
    pub fn fold_into(&mut self, text: &str, out: &mut String) {
        let start = out.len();
        out.push_str(text);
        if text.is_ascii() {
            out[start..].make_ascii_lowercase();
            return;
        }
        out.truncate(start);
        for c in text.chars() {
            match c {
                'a'..='z' | '0'..='9' => out.push(c),
                'A'..='Z' => out.push(c.to_ascii_lowercase()),
                c if fold_letter(c).is_some() => out.extend(fold_letter(c)),
                'œ' | 'Œ' => out.push_str("oe"),
                'æ' | 'Æ' => out.push_str("ae"),
                _ => {
                    // Anything else: the analyzer's own lowercasing and folding.
                    out.truncate(start);
                    let mut stream = self.analyzer.token_stream(text);
                    if let Some(token) = stream.next() {
                        out.push_str(&token.text);
                    }
                    return;
                }
            }
        }
    }

    /// The words of `text`; folded forms that differ from the text are allocated one by one.
    pub fn words<'a>(&mut self, text: &'a str) -> Vec<Word<'a>> {
        spans(text)
            .into_iter()
            .map(|span| {
                let raw = &text[span.range.clone()];
                Word {
                    raw,
                    norm: if is_folded(raw) {
                        Cow::Borrowed(raw)
                    } else {
                        Cow::Owned(self.fold(raw))
                    },
                    start: span.range.start,
                    sentence_start: span.sentence_start,
                    after_punctuation: span.after_punctuation,
                }
            })
            .collect()
    }

    /// The words of `text`, with the folded forms that differ from the text written once into
    /// `arena` (cleared first) instead of one allocation each: the hot path of indexing.
    pub fn words_in<'a>(&mut self, text: &'a str, arena: &'a mut String) -> Vec<Word<'a>> {
        arena.clear();
        let spans = spans(text);
        let mut folded: Vec<Option<std::ops::Range<usize>>> = Vec::with_capacity(spans.len());
        for span in &spans {
            let raw = &text[span.range.clone()];
            if is_folded(raw) {
                folded.push(None);
            } else {
                let start = arena.len();
                self.fold_into(raw, arena);
                folded.push(Some(start..arena.len()));
            }
        }
        let arena: &'a str = arena;
        spans
            .into_iter()
            .zip(folded)
            .map(|(span, norm)| {
                let raw = &text[span.range.clone()];
                Word {
                    raw,
                    norm: Cow::Borrowed(norm.map_or(raw, |r| &arena[r])),
                    start: span.range.start,
                    sentence_start: span.sentence_start,
                    after_punctuation: span.after_punctuation,
                }
            })
            .collect()
    }

    /// The folded words of a name, as the tables key them (the same words as [`Folder::words`]).
    pub fn key(&mut self, name: &str) -> String {
        let mut key = String::with_capacity(name.len());
        for word in name
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            if !key.is_empty() {
                key.push(' ');
            }
            self.fold_into(word, &mut key);
        }
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_folds_and_splits_on_hyphens_and_apostrophes() {
        let mut f = Folder::default();
        assert_eq!(f.key("Ti-n-Zaouâtene"), "ti n zaouatene");
        assert_eq!(
            f.key("Groupe de soutien à l’islam"),
            "groupe de soutien a l islam"
        );
        assert_eq!(f.key("Ménaka"), "menaka");
    }

    #[test]
    fn its_fast_path_folds_like_the_analyzer() {
        let mut f = Folder::default();
        for word in [
            "Ségou",
            "MÉNAKA",
            "Œuvre",
            "Ñandú",
            "çà",
            "Tombouctou",
            "Ti-n-Zaouâtene",
            "Ærø",
            "Ağadez",
            "İstanbul",
        ] {
            assert_eq!(f.fold(word), crate::analysis::fold(word), "{word}");
        }
    }

    #[test]
    fn words_in_an_arena_are_the_same_words() {
        let text = "Attaque à Ménaka, près de GAO: l’armée malienne.";
        let mut f = Folder::default();
        let mut arena = String::new();
        let owned = |words: Vec<Word<'_>>| -> Vec<(String, String, bool, bool)> {
            words
                .into_iter()
                .map(|w| {
                    let (raw, norm) = (w.raw.to_string(), w.norm.to_string());
                    (raw, norm, w.sentence_start, w.after_punctuation)
                })
                .collect()
        };
        let a = owned(f.words(text));
        let b = owned(f.words_in(text, &mut arena));
        assert_eq!(a, b);
    }

    #[test]
    fn it_marks_sentence_starts() {
        let mut f = Folder::default();
        let w = f.words("Attaque à Gao. Bamako réagit");
        let starts: Vec<(&str, bool)> = w.iter().map(|w| (w.raw, w.sentence_start)).collect();
        assert_eq!(
            starts,
            [
                ("Attaque", true),
                ("à", false),
                ("Gao", false),
                ("Bamako", true),
                ("réagit", false)
            ]
        );
    }
}
