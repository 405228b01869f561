//! Splits text into the words names are matched on: folded for comparison, original for case.
//!
//! Apostrophes and hyphens separate words here (`Ti-n-Zaouâtene` is `ti n zaouatene`,
//! `l'islam` is `l islam`), so a name written with spaces, hyphens or apostrophes matches the
//! same table entry.

use std::borrow::Cow;

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
        if text.is_ascii() {
            return text.to_ascii_lowercase();
        }
        let mut out = String::with_capacity(text.len());
        for c in text.chars().flat_map(char::to_lowercase) {
            match c {
                'a'..='z' | '0'..='9' => out.push(c),
                'à' | 'â' | 'ä' | 'á' | 'ã' => out.push('a'),
                'é' | 'è' | 'ê' | 'ë' => out.push('e'),
                'î' | 'ï' | 'í' | 'ì' => out.push('i'),
                'ô' | 'ö' | 'ó' | 'ò' | 'õ' => out.push('o'),
                'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
                'ç' => out.push('c'),
                'ÿ' => out.push('y'),
                'ñ' => out.push('n'),
                'œ' => out.push_str("oe"),
                'æ' => out.push_str("ae"),
                _ => {
                    let mut stream = self.analyzer.token_stream(text);
                    return stream.next().map(|t| t.text.clone()).unwrap_or_default();
                }
            }
        }
        out
    }

    /// The words of `text`.
    pub fn words<'a>(&mut self, text: &'a str) -> Vec<Word<'a>> {
        let mut out = Vec::with_capacity(text.len() / 6);
        let bytes = text.as_bytes();
        let mut start = None;
        let mut boundary = true;
        let mut punctuation = true;
        let mut i = 0;
        while i <= bytes.len() {
            // ASCII is read byte by byte; other characters are decoded.
            let (c, width) = match bytes.get(i) {
                None => (' ', 1),
                Some(&b) if b.is_ascii() => (b as char, 1),
                Some(_) => {
                    let c = text[i..].chars().next().unwrap_or(' ');
                    (c, c.len_utf8())
                }
            };
            let alphanumeric = if c.is_ascii() {
                c.is_ascii_alphanumeric()
            } else {
                c.is_alphanumeric()
            };
            if alphanumeric {
                start.get_or_insert(i);
                i += width;
                continue;
            }
            if let Some(s) = start.take() {
                let raw = &text[s..i];
                let folded = raw
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
                out.push(Word {
                    raw,
                    norm: if folded {
                        Cow::Borrowed(raw)
                    } else {
                        Cow::Owned(self.fold(raw))
                    },
                    start: s,
                    sentence_start: boundary,
                    after_punctuation: punctuation,
                });
                boundary = false;
                punctuation = false;
            }
            if !c.is_whitespace() {
                punctuation = true;
            }
            if matches!(c, '.' | '!' | '?' | ':' | '\n' | '…' | '|') {
                boundary = true;
            }
            i += width;
        }
        out
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
            if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
                key.extend(word.chars().map(|c| c.to_ascii_lowercase()));
            } else {
                key.push_str(&self.fold(word));
            }
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
