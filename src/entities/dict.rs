//! A dictionary of multi-word names, matched on folded words, longest name first.

use rustc_hash::FxHashMap as HashMap;

use super::words::Word;

/// A name's folded words and the values filed under it.
type Entry<T> = (Vec<String>, Vec<T>);

/// Names (as folded word sequences) → values.
#[derive(Debug)]
pub struct Dict<T> {
    /// First word → entries, longest keys first.
    by_first: HashMap<String, Vec<Entry<T>>>,
}

impl<T> Default for Dict<T> {
    fn default() -> Self {
        Dict {
            by_first: HashMap::default(),
        }
    }
}

impl<T: PartialEq> Dict<T> {
    /// Adds `value` under `key` (folded words); an empty key is ignored.
    pub fn insert(&mut self, key: Vec<String>, value: T) {
        let Some(first) = key.first().cloned() else {
            return;
        };
        let slot = self.by_first.entry(first).or_default();
        match slot.iter_mut().find(|(k, _)| *k == key) {
            Some((_, values)) => {
                if !values.contains(&value) {
                    values.push(value);
                }
            }
            None => {
                slot.push((key, vec![value]));
                slot.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
            }
        }
    }

    /// The values of a key, if any.
    pub fn get(&self, key: &[String]) -> &[T] {
        key.first()
            .and_then(|first| self.by_first.get(first))
            .and_then(|slot| slot.iter().find(|(k, _)| k == key))
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// Every name starting at word `i`, longest first: (number of words, values).
    pub fn matches_at(&self, words: &[Word<'_>], i: usize) -> Vec<(usize, &[T])> {
        let Some(slot) = self.by_first.get(&words[i].norm) else {
            return Vec::new();
        };
        let rest = &words[i..];
        slot.iter()
            .filter(|(key, _)| {
                key.len() <= rest.len() && key.iter().zip(rest).all(|(k, w)| *k == w.norm)
            })
            .map(|(key, values)| (key.len(), values.as_slice()))
            .collect()
    }
}
