//! Near-duplicates: the same wire story republished by several sites, or re-exported with a
//! new lead or a longer ending.
//!
//! Each cleaned body gets a MinHash signature of its 5-word shingles (one-permutation hashing
//! into [`BINS`] bins, densified, 8 bits kept per bin: 64 bytes). Signatures are banded
//! ([`BANDS`] bands of [`ROWS`] bins) to find candidates in constant time, and a candidate is
//! a copy when the estimated Jaccard similarity of the two shingle sets reaches
//! [`COPY_SIMILARITY`]. A copy joins its original's *cluster*; search shows one hit per
//! cluster with the number of other copies.

use rustc_hash::FxHashMap;

/// Bins of the signature: its length in bytes.
pub const BINS: usize = 64;
/// Bands of [`ROWS`] bins each: two texts share a band with probability ≈ J⁴.
const BANDS: usize = 16;
const ROWS: usize = BINS / BANDS;
/// Words per shingle.
const SHINGLE: usize = 5;
/// Estimated Jaccard similarity of the shingle sets from which two texts are copies of one
/// story. See `tests/fixtures/neardup/README.md` for how it was chosen.
pub const COPY_SIMILARITY: f32 = 0.5;

/// A MinHash signature of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature(pub [u8; BINS]);

/// Mixes the bits of `x` (splitmix64's finaliser): every output bit depends on every input bit.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The hash of one word: lowercase ASCII, other bytes (accented letters) as they are.
fn word_hash(word: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in word {
        h = (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Hashes of the words of `text`: runs of letters and digits (any non-ASCII byte counts as a
/// letter, so `armée` is one word).
fn word_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(text.len() / 6);
    let bytes = text.as_bytes();
    let mut start = None;
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_alphanumeric() || b >= 0x80 {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(word_hash(&bytes[s..i]));
        }
    }
    if let Some(s) = start {
        out.push(word_hash(&bytes[s..]));
    }
    out
}

impl Signature {
    /// The signature of a cleaned body, or `None` when it holds no word.
    pub fn of(text: &str) -> Option<Signature> {
        let words = word_hashes(text);
        if words.is_empty() {
            return None;
        }
        let mut mins = [u64::MAX; BINS];
        let width = SHINGLE.min(words.len());
        for shingle in words.windows(width) {
            let h = mix(shingle
                .iter()
                .fold(0u64, |acc, &w| mix(acc.rotate_left(17) ^ w)));
            // The top bits pick the bin, the rest is the value: one hash per shingle.
            let bin = (h >> 58) as usize;
            let value = h & ((1 << 58) - 1);
            if value < mins[bin] {
                mins[bin] = value;
            }
        }
        // Densification: an empty bin borrows the next filled bin's value, rehashed with the
        // distance so two texts only agree there when they agree on the borrowed bin.
        let mut bytes = [0u8; BINS];
        for (bin, out) in bytes.iter_mut().enumerate() {
            let (value, distance) = (0..BINS)
                .map(|d| (mins[(bin + d) % BINS], d as u64))
                .find(|(v, _)| *v != u64::MAX)
                .unwrap_or((0, 0));
            *out = (mix(value ^ distance.wrapping_mul(0x9e37_79b9_7f4a_7c15)) & 0xff) as u8;
        }
        Some(Signature(bytes))
    }

    /// Estimated Jaccard similarity of the two texts' shingle sets (0–1).
    pub fn similarity(&self, other: &Signature) -> f32 {
        let equal = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        // Unrelated 8-bit values agree once in 256: remove that chance agreement.
        let chance = 1.0 / 256.0;
        ((equal as f32 / BINS as f32 - chance) / (1.0 - chance)).clamp(0.0, 1.0)
    }

    /// Keys of the bands: equal keys mean equal bins in that band.
    fn band_keys(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.chunks(ROWS).enumerate().map(|(band, rows)| {
            let mut h = band as u64;
            for &r in rows {
                h = (h << 8) | u64::from(r);
            }
            (mix(h) >> 32) as u32
        })
    }
}

/// Clusters of copies known so far: signatures with their cluster, findable by band.
#[derive(Debug, Default)]
pub struct Clusters {
    /// Band key → the last entry seen with it.
    bands: FxHashMap<u32, u32>,
    entries: Vec<(Signature, u64)>,
}

impl Clusters {
    /// Records a text already in a cluster (read back from the index).
    pub fn insert(&mut self, signature: Signature, cluster: u64) {
        let slot = self.entries.len() as u32;
        self.entries.push((signature, cluster));
        for key in signature.band_keys() {
            self.bands.insert(key, slot);
        }
    }

    /// The cluster of a new text: that of the most similar known copy, else `fresh`.
    pub fn assign(&mut self, signature: Signature, fresh: u64) -> u64 {
        let best = signature
            .band_keys()
            .filter_map(|key| self.bands.get(&key))
            .map(|&slot| &self.entries[slot as usize])
            .map(|(other, cluster)| (signature.similarity(other), *cluster))
            .filter(|(similarity, _)| *similarity >= COPY_SIMILARITY)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let cluster = best.map_or(fresh, |(_, cluster)| cluster);
        self.insert(signature, cluster);
        cluster
    }

    /// Texts recorded.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// No text recorded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A cluster number for a text that starts its own cluster, from where it was read.
pub fn fresh_cluster(source: &str) -> u64 {
    mix(word_hash(source.as_bytes())) | 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str =
        "Trois soldats maliens ont été tués mardi dans une embuscade tendue par des \
        hommes armés près de Bandiagara, dans le centre du Mali, a indiqué l'armée malienne dans \
        un communiqué. Les assaillants ont pris la fuite vers la frontière du Burkina Faso. Le \
        centre du Mali est le théâtre de violences depuis l'apparition en 2015 d'un groupe \
        jihadiste emmené par le prédicateur peul Amadou Koufa, qui a recruté prioritairement \
        parmi les Peuls.";

    #[test]
    fn a_republished_story_is_a_copy_and_another_story_is_not() {
        let original = Signature::of(STORY).unwrap();
        let republished = Signature::of(&format!(
            "BAMAKO (AFP) - {STORY} Le bilan pourrait s'alourdir, selon une source locale."
        ))
        .unwrap();
        let other = Signature::of(
            "Le gouvernement du Niger a annoncé jeudi la réouverture des écoles de la région de \
             Tillabéri, fermées depuis des mois en raison de l'insécurité, après une réunion \
             avec les chefs coutumiers et les représentants des parents d'élèves à Niamey.",
        )
        .unwrap();
        assert!(original.similarity(&republished) >= COPY_SIMILARITY);
        assert!(original.similarity(&other) < 0.2);
        let mut clusters = Clusters::default();
        let first = clusters.assign(original, 11);
        assert_eq!(first, 11);
        assert_eq!(clusters.assign(republished, 12), 11);
        assert_eq!(clusters.assign(other, 13), 13);
    }

    #[test]
    fn signatures_ignore_case_and_are_stable() {
        let a = Signature::of(STORY).unwrap();
        assert_eq!(a, Signature::of(&STORY.to_ascii_uppercase()).unwrap());
        assert_eq!(Signature::of("   ... "), None);
        // One or two words still give a signature.
        assert!(Signature::of("Gao").is_some());
    }
}
