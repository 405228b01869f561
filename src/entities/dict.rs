//! A dictionary of multi-word names, matched on folded words, longest name first.

use rustc_hash::FxHashMap as HashMap;

use super::words::Word;
use crate::hash;

/// One name: its folded words, joined by single spaces, and the values it stands for.
#[derive(Debug)]
struct Entry<T> {
    key: String,
    words: usize,
    values: Vec<T>,
}

/// Names (folded words joined by single spaces) → values.
#[derive(Debug)]
pub struct Dict<T> {
    entries: Vec<Entry<T>>,
    /// Entries by key (the key is kept once, in the entry: the gazetteer has 60,000 names).
    by_key: hashbrown::HashTable<usize>,
    /// [`hash::word`] of the first word → entries, longest first (after [`Dict::finish`]).
    /// Text is looked up by the hash its words carry, so a word of an article costs one probe
    /// of integers, and no string is hashed again.
    by_first: HashMap<u64, Vec<usize>>,
    /// One bit per value of a hash's top [`FILTER_BITS`] bits, set for the first words of the
    /// names: most words of a text are no name's first word, and one load says so.
    filter: Vec<u64>,
}

/// Bits of the first-word filter's index (8 KB of bits).
const FILTER_BITS: u32 = 16;

fn filter_slot(hash: u64) -> (usize, u64) {
    let top = (hash >> (64 - FILTER_BITS)) as usize;
    (top / 64, 1 << (top % 64))
}

impl<T> Default for Dict<T> {
    fn default() -> Self {
        Dict {
            entries: Vec::new(),
            by_key: hashbrown::HashTable::new(),
            by_first: HashMap::default(),
            filter: vec![0; (1 << FILTER_BITS) / 64],
        }
    }
}

impl<T: PartialEq> Dict<T> {
    /// An empty dictionary with room for `names` names.
    pub fn with_capacity(names: usize) -> Self {
        Dict {
            entries: Vec::with_capacity(names),
            by_key: hashbrown::HashTable::with_capacity(names),
            by_first: HashMap::with_capacity_and_hasher(names, Default::default()),
            ..Dict::default()
        }
    }

    /// Adds `value` under `key` (folded words joined by spaces); an empty key is ignored. Call
    /// [`Dict::finish`] once everything is in.
    pub fn insert(&mut self, key: String, value: T) {
        if key.is_empty() {
            return;
        }
        let key_hash = hash::word(&key);
        let entries = &mut self.entries;
        if let Some(&id) = self.by_key.find(key_hash, |&id| entries[id].key == key) {
            let values = &mut entries[id].values;
            if !values.contains(&value) {
                values.push(value);
            }
            return;
        }
        let id = entries.len();
        let first = hash::word(key.split(' ').next().unwrap_or_default());
        let (at, bit) = filter_slot(first);
        self.filter[at] |= bit;
        self.by_first.entry(first).or_default().push(id);
        entries.push(Entry {
            words: key.split(' ').count(),
            key,
            values: vec![value],
        });
        self.by_key
            .insert_unique(key_hash, id, |&id| hash::word(&entries[id].key));
    }

    /// Orders every slot longest name first, for leftmost-longest matching.
    pub fn finish(&mut self) {
        let entries = &self.entries;
        for slot in self.by_first.values_mut() {
            slot.sort_by_key(|&id| std::cmp::Reverse(entries[id].words));
        }
    }

    /// The values of a key, if any.
    pub fn get(&self, key: &str) -> &[T] {
        self.by_key
            .find(hash::word(key), |&id| self.entries[id].key == key)
            .map_or(&[], |&id| self.entries[id].values.as_slice())
    }

    /// Whether some name may start with the word of this hash (if not, none does).
    #[inline]
    pub fn may_start(&self, hash: u64) -> bool {
        let (at, bit) = filter_slot(hash);
        self.filter[at] & bit != 0
    }

    /// Every name starting at word `i`, longest first: (number of words, values).
    pub fn matches_at<'d, 'w, 't>(
        &'d self,
        words: &'w [Word<'t>],
        i: usize,
    ) -> impl Iterator<Item = (usize, &'d [T])> + use<'d, 'w, 't, T> {
        let rest = &words[i..];
        let slot = if self.may_start(rest[0].hash) {
            self.by_first.get(&rest[0].hash)
        } else {
            None
        };
        slot.map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&id| &self.entries[id])
            .filter(move |entry| {
                entry.words <= rest.len()
                    && entry.key.split(' ').zip(rest).all(|(k, w)| k == w.norm)
            })
            .map(|entry| (entry.words, entry.values.as_slice()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::words::with_words;

    #[test]
    fn it_matches_longest_names_first_and_checks_every_word() {
        let mut dict = Dict::default();
        dict.insert("etat islamique".to_string(), 1);
        dict.insert("etat islamique au grand sahara".to_string(), 2);
        dict.insert("etat".to_string(), 3);
        dict.insert("etat".to_string(), 3);
        dict.finish();
        let found = with_words("l'État islamique au Grand Sahara", |w| {
            dict.matches_at(w, 1)
                .map(|(len, values)| (len, values.to_vec()))
                .collect::<Vec<_>>()
        });
        assert_eq!(found, [(5, vec![2]), (2, vec![1]), (1, vec![3])]);
        let found = with_words("État islamiste", |w| {
            dict.matches_at(w, 0)
                .map(|(len, _)| len)
                .collect::<Vec<_>>()
        });
        assert_eq!(found, [1]);
        assert_eq!(dict.get("etat"), [3]);
        assert!(dict.get("islamique").is_empty());
    }
}
