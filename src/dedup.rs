//! Near-duplicates: the same wire story republished by several sites, or re-exported with a
//! new lead, a cut or a longer ending, an updated toll.
//!
//! Each cleaned body gets a MinHash signature of its 5-word shingles (one-permutation hashing
//! into [`BINS`] bins of 16 bits, densified) and its number of shingles. Signatures are
//! banded ([`BANDS`] bands of 2 bins) to find candidates in constant time. From the share of
//! equal bins comes the Jaccard similarity J of the two shingle sets, and with the set sizes
//! the containment C (shared shingles over the smaller set). Two texts are copies of one
//! story when C ≥ 0.5 and they were published at most two days apart, or J ≥ 0.9 whatever
//! their dates: the rule that best separated copies from distinct stories on 97 hand-labelled
//! OrangeSum pairs, computed exactly (precision 0.90, recall 0.94;
//! `tests/fixtures/neardup/README.md`). On estimates, with C ≥ 0.45: precision 0.90, recall
//! 0.91 on the same pairs (`tests/shared_corpus.rs`). A copy joins its original's *cluster*;
//! search shows one hit per cluster with the number of other copies.

use std::path::Path;

use rustc_hash::FxHashMap;

use crate::hash::{self, mix};

/// Bins of the signature: the standard error of the Jaccard estimate is √(J(1−J)/BINS), 0.027
/// at J = 0.25 (with 128 bins 0.038, and recall on the labelled pairs fell: BENCHMARKS.md).
pub const BINS: usize = 256;
/// Bands of [`ROWS`] bins over the first bins: two texts share a band with probability ≈ J²,
/// so a pair at J = 0.25 has 87% odds of sharing one of the 32.
const ROWS: usize = 2;
const BANDS: usize = 32;
/// Bytes of a stored signature: the bins, then the number of shingles.
pub const SIGNATURE_BYTES: usize = WIDE_BINS * 2 + (BINS - WIDE_BINS) + 4;
/// Bins kept on 16 bits: those the bands read (two texts share a 32-bit band key by chance
/// once in four billion). The other bins keep 8 bits: they only count agreements, and chance
/// agreements (one in 256) are taken out of the estimate; the signature takes 324 bytes
/// instead of 516.
const WIDE_BINS: usize = BANDS * ROWS;
/// Words per shingle.
const SHINGLE: usize = 5;
/// Containment from which two texts published close together are copies (the labels' rule
/// says 0.5 on exact values; estimates scatter around them, and the distinct stories of the
/// labels sit far below)...
const COPY_CONTAINMENT: f32 = 0.45;
/// ...that close, in days...
const COPY_DAYS: i64 = 2;
/// ...and the Jaccard similarity from which they are copies whatever their dates.
const COPY_JACCARD: f32 = 0.9;

/// A MinHash signature of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    bins: [u16; BINS],
    /// Shingles of the text (its size for the containment estimate).
    shingles: u32,
}

/// The hash of a shingle from its words' mixed hashes: each rotated by its position, so
/// order counts, then mixed once.
fn shingle_hash(words: &[u64]) -> u64 {
    mix(words
        .iter()
        .enumerate()
        .fold(0u64, |h, (i, &w)| h ^ w.rotate_left(13 * i as u32)))
}

impl Signature {
    /// The signature of a cleaned body, or `None` when it holds no word.
    pub fn of(text: &str) -> Option<Signature> {
        crate::entities::with_words(text, |words| {
            Signature::of_words(words.iter().map(|w| w.hash))
        })
    }

    /// The signature of a text given as the hashes its words carry ([`crate::hash::word`] of
    /// their folded forms), or `None` when there is none. The words stream through a window of
    /// [`SHINGLE`] hashes.
    pub fn of_words(words: impl Iterator<Item = u64>) -> Option<Signature> {
        let mut mins = [u64::MAX; BINS];
        let mut shingles = 0u32;
        let mut add = |h: u64| {
            // The top bits pick the bin, the rest is the value: one hash per shingle.
            let bin = (h >> (64 - BINS.trailing_zeros())) as usize;
            let value = h & ((1 << 57) - 1);
            mins[bin] = mins[bin].min(value);
            shingles += 1;
        };
        let mut window = [0u64; SHINGLE];
        let mut seen = 0usize;
        for word in words {
            window.copy_within(1.., 0);
            window[SHINGLE - 1] = word;
            seen += 1;
            if seen >= SHINGLE {
                add(mix(window[0]
                    ^ window[1].rotate_left(13)
                    ^ window[2].rotate_left(26)
                    ^ window[3].rotate_left(39)
                    ^ window[4].rotate_left(52)));
            }
        }
        match seen {
            0 => return None,
            // Fewer words than a shingle: the whole text is its one shingle.
            n if n < SHINGLE => add(shingle_hash(&window[SHINGLE - n..])),
            _ => {}
        }
        // Densification: an empty bin borrows the next filled bin's value, rehashed with the
        // distance so two texts only agree there when they agree on the borrowed bin.
        let mut bins = [0u16; BINS];
        for (bin, out) in bins.iter_mut().enumerate() {
            let (value, distance) = (0..BINS)
                .map(|d| (mins[(bin + d) % BINS], d as u64))
                .find(|(v, _)| *v != u64::MAX)
                .unwrap_or((0, 0));
            *out = (mix(value ^ distance.wrapping_mul(0x9e37_79b9_7f4a_7c15)) & 0xffff) as u16;
        }
        for bin in &mut bins[WIDE_BINS..] {
            *bin &= 0xff;
        }
        Some(Signature { bins, shingles })
    }

    /// The stored form: [`SIGNATURE_BYTES`] bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(SIGNATURE_BYTES);
        self.write(&mut out);
        out
    }

    /// Appends the stored form to `out`.
    fn write(&self, out: &mut Vec<u8>) {
        for bin in &self.bins[..WIDE_BINS] {
            out.extend_from_slice(&bin.to_le_bytes());
        }
        out.extend(self.bins[WIDE_BINS..].iter().map(|&b| b as u8));
        out.extend_from_slice(&self.shingles.to_le_bytes());
    }

    /// Reads [`Signature::to_bytes`]'s form.
    pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
        if bytes.len() != SIGNATURE_BYTES {
            return None;
        }
        let mut bins = [0u16; BINS];
        let (wide, rest) = bytes.split_at(WIDE_BINS * 2);
        let (narrow, shingles) = rest.split_at(BINS - WIDE_BINS);
        for (bin, pair) in bins.iter_mut().zip(wide.chunks_exact(2)) {
            *bin = u16::from_le_bytes([pair[0], pair[1]]);
        }
        for (bin, &byte) in bins[WIDE_BINS..].iter_mut().zip(narrow) {
            *bin = u16::from(byte);
        }
        let shingles = u32::from_le_bytes(shingles.try_into().ok()?);
        Some(Signature { bins, shingles })
    }

    /// Estimated Jaccard similarity of the two texts' shingle sets (0–1).
    pub fn jaccard(&self, other: &Signature) -> f32 {
        let equal = |range: std::ops::Range<usize>| {
            self.bins[range.clone()]
                .iter()
                .zip(&other.bins[range])
                .filter(|(a, b)| a == b)
                .count() as f32
        };
        let narrow = (BINS - WIDE_BINS) as f32;
        let chance = 1.0 / 256.0;
        let narrow_share = ((equal(WIDE_BINS..BINS) / narrow - chance) / (1.0 - chance)).max(0.0);
        (equal(0..WIDE_BINS) + narrow_share * narrow) / BINS as f32
    }

    /// Estimated share of the smaller text's shingles found in the other (0–1).
    pub fn containment(&self, other: &Signature) -> f32 {
        let j = self.jaccard(other);
        let (a, b) = (self.shingles as f32, other.shingles as f32);
        if a.min(b) == 0.0 {
            return 0.0;
        }
        // |A∩B| = J·(|A|+|B|)/(1+J)
        (j * (a + b) / (1.0 + j) / a.min(b)).min(1.0)
    }

    /// Copies of one story: `days` apart (`None` when a date is unknown).
    pub fn is_copy(&self, other: &Signature, days: Option<i64>) -> bool {
        self.jaccard(other) >= COPY_JACCARD
            || (self.containment(other) >= COPY_CONTAINMENT
                && days.is_none_or(|d| d.abs() <= COPY_DAYS))
    }

    /// Keys of the bands: equal keys mean equal bins in that band.
    fn band_keys(&self) -> impl Iterator<Item = u32> + '_ {
        self.bins
            .chunks(ROWS)
            .take(BANDS)
            .enumerate()
            .map(|(band, rows)| {
                let h = rows
                    .iter()
                    .fold(band as u64, |h, &r| (h << 16) | u64::from(r));
                (mix(h) >> 32) as u32
            })
    }
}

/// Where a text was read: hashes of its file's path and of that file's version, so that the
/// texts of files since changed or removed can be told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Origin {
    pub file: u64,
    pub version: u64,
}

impl Origin {
    /// The origin of texts read from the file at `path` in the version `version`.
    pub fn new(path: &str, version: &str) -> Origin {
        Origin {
            file: hash::caseless(path.as_bytes()),
            version: hash::caseless(version.as_bytes()),
        }
    }
}

/// A text known to the clusters. Its signature is not here: see [`Clusters`].
#[derive(Debug, Clone, Copy)]
struct Entry {
    cluster: u64,
    /// Publication day, days since the epoch.
    day: Option<i64>,
    origin: Origin,
    /// Its entry's number in the file, once saved ([`UNSAVED`] before).
    in_file: u32,
}

/// [`Entry::in_file`] of a text recorded since the last save.
const UNSAVED: u32 = u32::MAX;

/// Clusters of copies known so far: texts with their cluster, date and origin, findable by
/// band. Kept beside the index (see [`Clusters::save`]), not in it: only indexing needs them,
/// and as a tantivy column they cost a fifth of the index's size and of its writing.
///
/// Memory holds 48 bytes a text and the band keys; a saved text's signature is read back from
/// the file when a band makes it a candidate (one `pread` of [`SIGNATURE_BYTES`], for the few
/// texts a new one shares a band with), and only the texts recorded since the last save keep
/// theirs in memory, [`SPILL_BYTES`] at most when the pipeline says where to spill them. Held
/// whole, the signatures of 2.3 million articles took 1.3 GB, which was most of what indexing
/// them kept in memory (BENCHMARKS.md, the corpus ×64).
#[derive(Debug, Default)]
pub struct Clusters {
    /// Band key → the last entry seen with it.
    bands: FxHashMap<u32, u32>,
    entries: Vec<Entry>,
    /// The signatures of `entries[saved..]`, in their stored form.
    unsaved: Vec<u8>,
    /// The file the saved signatures are read from (`None` before the first save, or when it
    /// could not be opened: saved texts are then no longer compared).
    file: Option<std::fs::File>,
    /// What the file holds, as last read or written: the first `saved` entries are in it,
    /// among `in_file` entries in all (the others are texts no longer in the index).
    saved: usize,
    in_file: usize,
    /// Where the signatures waiting in memory go past a size (see [`Clusters::spill_to`]).
    spill: Option<Spill>,
}

/// The file and its scratch to write to once the signatures waiting in memory pass `bytes`.
#[derive(Debug)]
struct Spill {
    path: std::path::PathBuf,
    scratch: std::path::PathBuf,
    bytes: usize,
}

/// Signatures kept in memory between saves at most, in bytes (about 50,000 texts): a run
/// commits every minute, and the corpus ×64 recorded 600,000 texts a minute (190 MB).
const SPILL_BYTES: usize = 16 << 20;

/// First bytes of a clusters file, with its layout's version.
const MAGIC: &[u8; 8] = b"VIGCOPY2";
/// Bytes of one entry in the file: origin (file, version), cluster, day, then the signature.
const ENTRY_BYTES: usize = 8 * 4 + SIGNATURE_BYTES;
/// Where the signature starts in an entry.
const SIGNATURE_AT: usize = 8 * 4;

impl Clusters {
    /// Records a text already in a cluster, its signature waiting for the next save.
    fn insert(&mut self, signature: &Signature, entry: Entry) {
        self.index(signature, entry);
        signature.write(&mut self.unsaved);
        if self
            .spill
            .as_ref()
            .is_some_and(|s| self.unsaved.len() >= s.bytes)
        {
            if let Some(spill) = self.spill.take() {
                // A failure here leaves the signatures in memory; the save after the next
                // commit reports it.
                let _ = self.save(&spill.path, &spill.scratch);
                self.spill = Some(spill);
            }
        }
    }

    /// Writes the signatures waiting in memory to the file at `path` (as [`Clusters::save`]
    /// does) whenever they pass [`SPILL_BYTES`], not only after a commit. The file may then
    /// hold texts a crash leaves out of the index: read again, as the run taken up after the
    /// crash reads them, each meets its own entry and gets the same cluster, so stories stay
    /// as a run without a crash makes them; texts of files the index never committed are not
    /// loaded (their origin is not live).
    pub fn spill_to(&mut self, path: &Path, scratch: &Path) {
        self.spill = Some(Spill {
            path: path.to_path_buf(),
            scratch: scratch.to_path_buf(),
            bytes: SPILL_BYTES,
        });
    }

    /// Makes a text findable by its bands.
    fn index(&mut self, signature: &Signature, entry: Entry) {
        let slot = self.entries.len() as u32;
        for key in signature.band_keys() {
            self.bands.insert(key, slot);
        }
        self.entries.push(entry);
    }

    /// The signature of the text at `slot`: in memory since the last save, else read from
    /// the file.
    fn signature(&self, slot: usize) -> std::io::Result<Signature> {
        use std::os::unix::fs::FileExt;
        let damaged = || std::io::Error::new(std::io::ErrorKind::InvalidData, "a damaged entry");
        if slot >= self.saved {
            let at = (slot - self.saved) * SIGNATURE_BYTES;
            return Signature::from_bytes(&self.unsaved[at..at + SIGNATURE_BYTES])
                .ok_or_else(damaged);
        }
        let file = self
            .file
            .as_ref()
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no file"))?;
        let number = self.entries[slot].in_file;
        if number == UNSAVED {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "not saved",
            ));
        }
        let mut bytes = [0u8; SIGNATURE_BYTES];
        let at = MAGIC.len() + number as usize * ENTRY_BYTES + SIGNATURE_AT;
        file.read_exact_at(&mut bytes, at as u64)?;
        Signature::from_bytes(&bytes).ok_or_else(damaged)
    }

    /// The cluster of a new text from `origin`, published on `day`: that of the most similar
    /// known copy, else `fresh`.
    pub fn assign(
        &mut self,
        signature: Signature,
        day: Option<i64>,
        origin: Origin,
        fresh: u64,
    ) -> u64 {
        let mut best: Option<(f32, u64)> = None;
        // A copy shares many bands with its original: each known text is compared once.
        let mut slots: Vec<u32> = signature
            .band_keys()
            .filter_map(|key| self.bands.get(&key).copied())
            .collect();
        slots.sort_unstable();
        slots.dedup();
        for slot in slots {
            // A signature that cannot be read back only means a copy goes unnoticed.
            let Ok(other) = self.signature(slot as usize) else {
                continue;
            };
            let Entry {
                cluster,
                day: other_day,
                ..
            } = self.entries[slot as usize];
            let days = day.zip(other_day).map(|(a, b)| a - b);
            if signature.is_copy(&other, days) {
                let similarity = signature.containment(&other);
                if best.is_none_or(|(s, _)| similarity > s) {
                    best = Some((similarity, cluster));
                }
            }
        }
        let cluster = best.map_or(fresh, |(_, cluster)| cluster);
        self.insert(
            &signature,
            Entry {
                cluster,
                day,
                origin,
                in_file: UNSAVED,
            },
        );
        cluster
    }

    /// Reads the clusters saved at `path`, keeping the texts whose origin `live` accepts (the
    /// file versions the index holds): a missing or unreadable file gives no clusters, which
    /// only means copies of older texts go unnoticed. The file is read through, not into
    /// memory: only each text's cluster, day, origin and band keys are kept.
    pub fn load(path: &Path, live: impl Fn(&Origin) -> bool) -> Clusters {
        use std::io::Read;
        let mut clusters = Clusters::default();
        let Ok(file) = std::fs::File::open(path) else {
            return clusters;
        };
        let mut reader = std::io::BufReader::with_capacity(1 << 16, &file);
        let mut magic = [0u8; MAGIC.len()];
        if reader.read_exact(&mut magic).is_err() || &magic != MAGIC {
            return clusters;
        }
        let u64_at = |chunk: &[u8], at: usize| {
            u64::from_le_bytes(chunk[at..at + 8].try_into().unwrap_or_default())
        };
        // A crash while appending leaves a piece of an entry at the end: it is not read, and
        // the next save rewrites the file.
        let mut chunk = [0u8; ENTRY_BYTES];
        let mut number = 0u32;
        while reader.read_exact(&mut chunk).is_ok() {
            let at = number;
            number += 1;
            let origin = Origin {
                file: u64_at(&chunk, 0),
                version: u64_at(&chunk, 8),
            };
            if !live(&origin) {
                continue;
            }
            let day = u64_at(&chunk, 24) as i64;
            if let Some(signature) = Signature::from_bytes(&chunk[SIGNATURE_AT..]) {
                clusters.index(
                    &signature,
                    Entry {
                        cluster: u64_at(&chunk, 16),
                        day: (day != i64::MIN).then_some(day),
                        origin,
                        in_file: at,
                    },
                );
            }
        }
        drop(reader);
        clusters.in_file = number as usize;
        clusters.saved = clusters.entries.len();
        clusters.file = Some(file);
        clusters
    }

    /// Brings the file at `path` up to date. The texts recorded since the last save are
    /// appended, so a run that commits often writes each text once, not the whole file at
    /// every commit. The file is rewritten instead (through `scratch`, renamed over it, so a
    /// crash leaves the old file or the new one) when it is not as last read or written, or
    /// when texts no longer in the index are more than half of it. Either way the signatures
    /// leave memory.
    pub fn save(&mut self, path: &Path, scratch: &Path) -> std::io::Result<()> {
        use std::io::Write;
        let expected = (MAGIC.len() + self.in_file * ENTRY_BYTES) as u64;
        let dead = self.in_file.saturating_sub(self.saved);
        let appendable = self.in_file > 0
            && self.file.is_some()
            && dead <= self.saved
            && std::fs::metadata(path).is_ok_and(|m| m.len() == expected);
        if appendable {
            let file = std::fs::OpenOptions::new().append(true).open(path)?;
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            for slot in self.saved..self.entries.len() {
                self.write_entry(&mut out, slot)?;
            }
            out.flush()?;
            for (number, slot) in (self.in_file..).zip(self.saved..self.entries.len()) {
                self.entries[slot].in_file = number as u32;
            }
            self.in_file += self.entries.len() - self.saved;
        } else {
            let mut out =
                std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(scratch)?);
            out.write_all(MAGIC)?;
            // A saved signature that cannot be read back (the file was removed or damaged by
            // another program) is left out: that text's copies go unnoticed.
            let mut numbers = Vec::with_capacity(self.entries.len());
            let mut written = 0u32;
            for slot in 0..self.entries.len() {
                if self.write_entry(&mut out, slot).is_ok() {
                    numbers.push(written);
                    written += 1;
                } else {
                    numbers.push(UNSAVED);
                }
            }
            out.flush()?;
            drop(out);
            std::fs::rename(scratch, path)?;
            for (entry, number) in self.entries.iter_mut().zip(numbers) {
                entry.in_file = number;
            }
            self.in_file = written as usize;
            self.file = None;
        }
        self.saved = self.entries.len();
        self.unsaved = Vec::new();
        if self.file.is_none() {
            self.file = Some(std::fs::File::open(path)?);
        }
        Ok(())
    }

    /// Writes the text at `slot` as an entry of the file.
    fn write_entry(&self, out: &mut impl std::io::Write, slot: usize) -> std::io::Result<()> {
        let e = &self.entries[slot];
        let mut bytes = Vec::with_capacity(ENTRY_BYTES);
        bytes.extend_from_slice(&e.origin.file.to_le_bytes());
        bytes.extend_from_slice(&e.origin.version.to_le_bytes());
        bytes.extend_from_slice(&e.cluster.to_le_bytes());
        bytes.extend_from_slice(&e.day.unwrap_or(i64::MIN).to_le_bytes());
        self.signature(slot)?.write(&mut bytes);
        out.write_all(&bytes)
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
    hash::caseless(source.as_bytes()) | 1
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
        assert!(original.is_copy(&republished, Some(0)));
        assert!(original.jaccard(&other) < 0.1);
        assert!(!original.is_copy(&other, Some(0)));
        let mut clusters = Clusters::default();
        let (a, b) = (Origin::new("a.jsonl", "v1"), Origin::new("b.jsonl", "v1"));
        assert_eq!(clusters.assign(original, Some(100), a, 11), 11);
        assert_eq!(clusters.assign(republished, Some(101), b, 12), 11);
        assert_eq!(clusters.assign(other, Some(100), a, 13), 13);
        assert_eq!(Signature::from_bytes(&original.to_bytes()), Some(original));
        // Saved and read back, without the texts of b.jsonl (since changed).
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("copies.bin");
        clusters
            .save(&path, &dir.path().join("copies.tmp"))
            .unwrap();
        let mut again = Clusters::load(&path, |o| *o != b);
        assert_eq!(again.len(), 2);
        assert_eq!(again.assign(republished, Some(101), b, 14), 11);
        assert!(Clusters::load(&dir.path().join("none"), |_| true).is_empty());
    }

    #[test]
    fn saving_appends_new_texts_and_rewrites_a_file_it_does_not_recognise() {
        let texts: Vec<Signature> = (0..6)
            .map(|i| {
                Signature::of(&format!("{STORY} Dépêche numéro {i} sur un autre sujet.")).unwrap()
            })
            .collect();
        let (a, b) = (Origin::new("a.jsonl", "v1"), Origin::new("b.jsonl", "v1"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("copies.bin");
        let scratch = dir.path().join("copies.tmp");
        let size = |path: &Path| std::fs::metadata(path).unwrap().len() as usize;
        let mut clusters = Clusters::default();
        clusters.assign(texts[0], Some(1), a, 1);
        clusters.assign(texts[1], Some(1), b, 2);
        clusters.save(&path, &scratch).unwrap();
        assert_eq!(size(&path), MAGIC.len() + 2 * ENTRY_BYTES);
        // A later commit appends only what is new; the file reads back whole.
        clusters.assign(texts[2], Some(1), a, 3);
        clusters.save(&path, &scratch).unwrap();
        assert_eq!(size(&path), MAGIC.len() + 3 * ENTRY_BYTES);
        assert!(!dir.path().join("copies.tmp").exists());
        assert_eq!(Clusters::load(&path, |_| true).len(), 3);
        // A crash in the middle of an append: the piece is not read, and the next save
        // rewrites the file rather than append after it.
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        std::io::Write::write_all(&mut file, &[7; 100]).unwrap();
        let mut again = Clusters::load(&path, |_| true);
        assert_eq!(again.len(), 3);
        again.assign(texts[3], Some(1), a, 4);
        again.save(&path, &scratch).unwrap();
        assert_eq!(size(&path), MAGIC.len() + 4 * ENTRY_BYTES);
        assert_eq!(Clusters::load(&path, |_| true).len(), 4);
        // Signatures are read back from the rewritten file: a copy of a saved text finds it.
        let copy = format!("{STORY} Dépêche numéro 0 sur un autre sujet.");
        let copy = Signature::of(&copy).unwrap();
        assert_eq!(again.assign(copy, Some(1), a, 99), 1);
        // Texts of b.jsonl left the index: read past, kept in the file while they are the
        // smaller part of it, dropped when they are more than half.
        let mut without_b = Clusters::load(&path, |o| *o != b);
        assert_eq!(without_b.len(), 3);
        without_b.assign(texts[4], Some(1), a, 5);
        without_b.save(&path, &scratch).unwrap();
        assert_eq!(size(&path), MAGIC.len() + 5 * ENTRY_BYTES);
        let mut only_b = Clusters::load(&path, |o| *o == b);
        assert_eq!(only_b.len(), 1);
        only_b.assign(texts[5], Some(1), b, 6);
        only_b.save(&path, &scratch).unwrap();
        assert_eq!(size(&path), MAGIC.len() + 2 * ENTRY_BYTES);
        assert_eq!(Clusters::load(&path, |_| true).len(), 2);
        // A file another program overwrote: the saved signatures it held cannot be read
        // back, so those texts are left out (their copies go unnoticed); the others are kept.
        let other = dir.path().join("other.bin");
        let mut damaged = Clusters::default();
        damaged.assign(texts[0], Some(1), a, 1);
        damaged.assign(texts[1], Some(1), a, 2);
        damaged.save(&other, &scratch).unwrap();
        damaged.assign(texts[2], Some(1), a, 3);
        std::fs::write(&other, b"VIGCOPY2 damaged by another program").unwrap();
        damaged.save(&other, &scratch).unwrap();
        assert_eq!(size(&other), MAGIC.len() + ENTRY_BYTES);
        assert_eq!(Clusters::load(&other, |_| true).len(), 1);
        // ...and the next save appends to the file as rewritten.
        damaged.assign(texts[3], Some(1), a, 4);
        damaged.save(&other, &scratch).unwrap();
        assert_eq!(size(&other), MAGIC.len() + 2 * ENTRY_BYTES);
        assert_eq!(Clusters::load(&other, |_| true).len(), 2);
    }

    #[test]
    fn signatures_waiting_in_memory_go_to_the_file_past_a_bound() {
        let dir = tempfile::tempdir().unwrap();
        let (path, scratch) = (dir.path().join("copies.bin"), dir.path().join("copies.tmp"));
        let mut clusters = Clusters::default();
        clusters.spill_to(&path, &scratch);
        let signature = Signature::of(STORY).unwrap();
        let origin = Origin::new("a.jsonl", "v1");
        let texts = SPILL_BYTES.div_ceil(SIGNATURE_BYTES);
        for cluster in 0..texts as u64 {
            let entry = Entry {
                cluster,
                day: None,
                origin,
                in_file: UNSAVED,
            };
            clusters.insert(&signature, entry);
            assert_eq!(path.exists(), cluster + 1 == texts as u64);
        }
        assert!(clusters.unsaved.is_empty());
        let size = std::fs::metadata(&path).unwrap().len() as usize;
        assert_eq!(size, MAGIC.len() + texts * ENTRY_BYTES);
        // A copy meets the last of them, read back from the file.
        assert_eq!(
            clusters.assign(signature, None, origin, 0),
            texts as u64 - 1
        );
    }

    #[test]
    fn texts_spilled_before_a_crash_get_the_stories_of_a_run_without_one() {
        // A story, a copy, another story, a second copy of the first.
        let copy = |line: &str| Signature::of(&format!("{STORY} {line}")).unwrap();
        let other = Signature::of(
            "Le gouvernement du Niger a annoncé jeudi la réouverture des écoles de la région de \
             Tillabéri, fermées depuis des mois en raison de l'insécurité.",
        )
        .unwrap();
        let texts = [
            Signature::of(STORY).unwrap(),
            copy("Le bilan pourrait s'alourdir."),
            other,
            copy("Une enquête a été ouverte."),
        ];
        let origin = Origin::new("export.jsonl", "v1");
        let assign = |clusters: &mut Clusters, i: usize| {
            clusters.assign(texts[i], Some(100), origin, 10 + i as u64)
        };
        let mut clean = Clusters::default();
        let want: Vec<u64> = (0..4).map(|i| assign(&mut clean, i)).collect();
        assert_eq!(want, vec![10, 10, 12, 10]);
        // A run that spills every text, commits (saves) after two and is killed after four.
        let dir = tempfile::tempdir().unwrap();
        let (path, scratch) = (dir.path().join("copies.bin"), dir.path().join("copies.tmp"));
        let mut killed = Clusters::default();
        killed.spill_to(&path, &scratch);
        killed.spill.as_mut().unwrap().bytes = 1;
        let mut got: Vec<u64> = (0..2).map(|i| assign(&mut killed, i)).collect();
        killed.save(&path, &scratch).unwrap();
        (2..4).for_each(|i| {
            assign(&mut killed, i);
        });
        drop(killed);
        let in_file = std::fs::metadata(&path).unwrap().len() as usize;
        assert_eq!(in_file, MAGIC.len() + 4 * ENTRY_BYTES);
        // The run taken up after the last committed text reads all four back.
        let mut again = Clusters::load(&path, |_| true);
        got.extend((2..4).map(|i| assign(&mut again, i)));
        assert_eq!(got, want);
    }

    #[test]
    fn a_short_version_inside_a_long_one_is_a_copy_only_close_in_time() {
        let long = format!(
            "{STORY} Dans un communiqué publié mercredi, le gouvernement malien a dénoncé une \
             attaque lâche et promis de poursuivre les auteurs. Les forces armées ont renforcé \
             leur présence dans la zone, où plusieurs villages ont été désertés par leurs \
             habitants au cours des derniers mois. L'ONU a condamné l'attaque et appelé au \
             dialogue entre les communautés du centre du pays, où les violences ont fait des \
             centaines de morts depuis le début de l'année."
        );
        let (short, long) = (Signature::of(STORY).unwrap(), Signature::of(&long).unwrap());
        assert!(short.jaccard(&long) < COPY_JACCARD);
        assert!(short.containment(&long) >= COPY_CONTAINMENT);
        assert!(short.is_copy(&long, Some(1)));
        assert!(short.is_copy(&long, None));
        // The same paragraph a week later is background in another story.
        assert!(!short.is_copy(&long, Some(7)));
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
