//! A dictionary of multi-word names, matched on folded words, longest name first.

use rustc_hash::FxHashMap as HashMap;

use super::words::Word;

/// Names (folded words joined by single spaces) → values.
#[derive(Debug)]
pub struct Dict<T> {
    /// Joined key → values.
    by_key: HashMap<String, Vec<T>>,
    /// First word → (joined key, its words), longest first (after [`Dict::finish`]).
    by_first: HashMap<String, Vec<(String, Vec<String>)>>,
}

impl<T> Default for Dict<T> {
    fn default() -> Self {
        Dict {
            by_key: HashMap::default(),
            by_first: HashMap::default(),
        }
    }
}

impl<T: PartialEq> Dict<T> {
    /// Adds `value` under `key` (folded words joined by spaces); an empty key is ignored. Call
    /// [`Dict::finish`] once everything is in.
    pub fn insert(&mut self, key: String, value: T) {
        if key.is_empty() {
            return;
        }
        if let Some(values) = self.by_key.get_mut(&key) {
            if !values.contains(&value) {
                values.push(value);
            }
            return;
        }
        let words: Vec<String> = key.split(' ').map(str::to_string).collect();
        let first = words[0].clone();
        match self.by_first.get_mut(&first) {
            Some(slot) => slot.push((key.clone(), words)),
            None => {
                self.by_first.insert(first, vec![(key.clone(), words)]);
            }
        }
        self.by_key.insert(key, vec![value]);
    }

    /// Orders every slot longest name first, for leftmost-longest matching.
    pub fn finish(&mut self) {
        for slot in self.by_first.values_mut() {
            slot.sort_by_key(|(_, words)| std::cmp::Reverse(words.len()));
        }
    }

    /// The values of a key, if any.
    pub fn get(&self, key: &str) -> &[T] {
        self.by_key.get(key).map_or(&[], Vec::as_slice)
    }

    /// Every name starting at word `i`, longest first: (number of words, values).
    pub fn matches_at(&self, words: &[Word<'_>], i: usize) -> Vec<(usize, &[T])> {
        let Some(slot) = self.by_first.get(&*words[i].norm) else {
            return Vec::new();
        };
        let rest = &words[i..];
        slot.iter()
            .filter(|(_, words)| {
                words.len() <= rest.len() && words.iter().zip(rest).all(|(k, w)| *k == w.norm)
            })
            .map(|(key, words)| (words.len(), self.get(key)))
            .collect()
    }
}
