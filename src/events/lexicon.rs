//! The words event coding looks for (`data/event_triggers.tsv`, `data/event_words.tsv`), and
//! where they stand in an article's words: phrases of folded words, a final `*` matching any
//! word that starts so. Phrases are found by their first word's first letters, so an article
//! costs one table lookup a word.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::entities::Word;
use crate::text::list;

const TRIGGERS: &str = include_str!("../../data/event_triggers.tsv");
const WORDS: &str = include_str!("../../data/event_words.tsv");
const TYPES: &str = include_str!("../../data/event_types.tsv");

/// What a phrase says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    /// A word of an event type (its index in [`types`]).
    Trigger(u8),
    Death,
    Wounded,
    Neutralised,
    Group(Group),
    CivilianTarget,
}

impl Tag {
    /// Which of the six kinds of phrase it is (an index).
    pub fn kind(self) -> usize {
        match self {
            Tag::Trigger(_) => 0,
            Tag::Death => 1,
            Tag::Wounded => 2,
            Tag::Neutralised => 3,
            Tag::Group(_) => 4,
            Tag::CivilianTarget => 5,
        }
    }
}

/// The victims a fatality figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Forces,
    Civilians,
    Assailants,
    /// People named by a role or a nationality (`guide`, `chauffeur`, `Français`): counted
    /// with the sides, in the sentence that names them.
    Others,
    /// People with no side said (`personnes`, `victimes`, `morts`): a total.
    People,
}

/// One word of a phrase.
#[derive(Debug, Clone)]
struct Part {
    word: &'static str,
    prefix: bool,
}

impl Part {
    fn matches(&self, folded: &str) -> bool {
        if self.prefix {
            folded.starts_with(self.word)
        } else {
            folded == self.word
        }
    }
}

#[derive(Debug, Clone)]
struct Phrase {
    parts: Vec<Part>,
    tag: Tag,
}

/// An event type of the vocabulary and what ACLED calls it.
#[derive(Debug, Clone)]
pub struct Type {
    pub name: &'static str,
    pub acled_event: &'static str,
    pub acled_sub_event: &'static str,
    pub label: &'static str,
}

/// The vocabulary, in the order of `data/event_types.tsv`.
pub fn types() -> &'static [Type] {
    static TYPES_READ: OnceLock<Vec<Type>> = OnceLock::new();
    TYPES_READ.get_or_init(|| {
        list::entries(TYPES)
            .filter_map(|line| {
                let mut cols = line.split('\t');
                Some(Type {
                    name: cols.next()?,
                    acled_event: cols.next()?,
                    acled_sub_event: cols.next()?,
                    label: cols.next()?,
                })
            })
            .collect()
    })
}

/// The index of a type named `name`.
pub fn type_index(name: &str) -> Option<u8> {
    types().iter().position(|t| t.name == name).map(|i| i as u8)
}

/// The first letters a phrase's first word is looked up by.
const KEY: usize = 3;

fn key(word: &str) -> [u8; KEY] {
    let mut key = [0u8; KEY];
    for (k, b) in key.iter_mut().zip(word.bytes()) {
        *k = b;
    }
    key
}

/// A set of two-letter word starts: 65,536 bits, one a pair of bytes.
struct Starts(Vec<u64>);

impl Starts {
    fn new() -> Self {
        Starts(vec![0; 1024])
    }

    fn bit(word: &str) -> usize {
        let b = word.as_bytes();
        usize::from(b.first().copied().unwrap_or(0)) << 8
            | usize::from(b.get(1).copied().unwrap_or(0))
    }

    fn insert(&mut self, word: &str) {
        let bit = Self::bit(word);
        self.0[bit / 64] |= 1 << (bit % 64);
    }

    fn contains(&self, word: &str) -> bool {
        let bit = Self::bit(word);
        self.0[bit / 64] & (1 << (bit % 64)) != 0
    }
}

/// Every phrase, by the first letters of its first word. Most words start no phrase: a bit
/// set of the phrases' first two letters says so before any table lookup.
pub struct Lexicon {
    by_key: FxHashMap<[u8; KEY], Vec<Phrase>>,
    /// The first two letters of every phrase, and of the triggers' and deaths'.
    starts: Starts,
    event_starts: Starts,
    /// The phrases of each type, as written in the table (for `--event` aliases).
    pub triggers: Vec<(u8, &'static str)>,
}

fn parse_phrase(text: &'static str, tag: Tag) -> Phrase {
    let parts = text
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| match w.strip_suffix('*') {
            Some(prefix) => Part {
                word: prefix,
                prefix: true,
            },
            None => Part {
                word: w,
                prefix: false,
            },
        })
        .collect();
    Phrase { parts, tag }
}

impl Lexicon {
    /// The tables, read once.
    pub fn get() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(Lexicon::read)
    }

    fn read() -> Lexicon {
        let mut phrases = Vec::new();
        let mut triggers = Vec::new();
        for line in list::entries(TRIGGERS) {
            let Some((name, words)) = line.split_once('\t') else {
                continue;
            };
            if let Some(index) = type_index(name.trim()) {
                triggers.push((index, words.trim()));
                phrases.push(parse_phrase(words.trim(), Tag::Trigger(index)));
            }
        }
        let kinds = [
            ("death", Tag::Death),
            ("wounded", Tag::Wounded),
            ("neutralised", Tag::Neutralised),
            ("forces", Tag::Group(Group::Forces)),
            ("civilians", Tag::Group(Group::Civilians)),
            ("assailants", Tag::Group(Group::Assailants)),
            ("people", Tag::Group(Group::People)),
            ("others", Tag::Group(Group::Others)),
            ("civilian-target", Tag::CivilianTarget),
        ];
        for (kind, tag) in kinds {
            phrases.extend(list::of_kind(WORDS, kind).map(|w| parse_phrase(w, tag)));
        }
        let mut by_key: FxHashMap<[u8; KEY], Vec<Phrase>> = FxHashMap::default();
        let (mut starts, mut event_starts) = (Starts::new(), Starts::new());
        for phrase in phrases {
            if let Some(first) = phrase.parts.first() {
                starts.insert(first.word);
                if matches!(phrase.tag, Tag::Trigger(_) | Tag::Death) {
                    event_starts.insert(first.word);
                }
                by_key.entry(key(first.word)).or_default().push(phrase);
            }
        }
        // Longest phrases first at each word.
        for slot in by_key.values_mut() {
            slot.sort_by_key(|p| std::cmp::Reverse(p.parts.len()));
        }
        Lexicon {
            by_key,
            starts,
            event_starts,
            triggers,
        }
    }

    /// Whether any word starts a trigger, or a death told with its killer (« tué par
    /// l'armée »): an article without either reports no event (its deaths are counted for
    /// none), and is coded without reading its sentences — most articles of a general corpus.
    pub fn any_event_word(&self, words: &[Word<'_>]) -> bool {
        (0..words.len()).any(|i| {
            self.event_starts.contains(words[i].norm)
                && self.at(words, i).any(|(tag, n)| match tag {
                    Tag::Trigger(_) => true,
                    Tag::Death => words[i + n..].iter().take(4).any(|w| w.norm == "par"),
                    _ => false,
                })
        })
    }

    /// The phrases starting at word `i`: (what it says, how many words), longest first.
    pub fn at<'a>(
        &'a self,
        words: &'a [Word<'_>],
        i: usize,
    ) -> impl Iterator<Item = (Tag, usize)> + 'a {
        let norm = words[i].norm;
        self.starts
            .contains(norm)
            .then(|| self.by_key.get(&key(norm)))
            .flatten()
            .into_iter()
            .flatten()
            .filter_map(move |phrase| {
                let n = phrase.parts.len();
                let fits = i + n <= words.len()
                    && phrase
                        .parts
                        .iter()
                        .zip(&words[i..i + n])
                        .all(|(part, word)| part.matches(word.norm));
                fits.then_some((phrase.tag, n))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::with_words;

    fn tags(text: &str) -> Vec<(Tag, usize)> {
        with_words(text, |words| {
            (0..words.len())
                .flat_map(|i| Lexicon::get().at(words, i).next())
                .collect()
        })
    }

    #[test]
    fn it_reads_every_type_and_finds_phrases_by_their_first_letters() {
        assert_eq!(types().len(), 12);
        assert!(Lexicon::get()
            .triggers
            .iter()
            .all(|(t, _)| (*t as usize) < types().len()));
        let ambush = Tag::Trigger(type_index("ambush").unwrap());
        let ied = Tag::Trigger(type_index("ied").unwrap());
        assert_eq!(tags("Les embuscades"), [(ambush, 1)]);
        assert_eq!(tags("un engin explosif improvisé"), [(ied, 3)]);
        assert_eq!(
            tags("12 soldats tués"),
            [(Tag::Group(Group::Forces), 1), (Tag::Death, 1)]
        );
    }
}
