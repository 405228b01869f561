//! The word hash shared by the name tables and the copy signatures.

/// Mixes the bits of `x` (splitmix64's finaliser): every output bit depends on every input bit.
pub fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a, one byte at a time: lets a scanner hash a word while it reads it.
#[derive(Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(FNV_OFFSET)
    }
}

impl Fnv {
    #[inline]
    pub fn push(&mut self, byte: u8) {
        self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(FNV_PRIME);
    }

    /// The hash of the bytes pushed, mixed.
    #[inline]
    pub fn finish(self) -> u64 {
        mix(self.0)
    }
}

/// The hash of a folded word (lowercase, accents off), as [`crate::entities::Word::hash`]
/// holds it.
pub fn word(folded: &str) -> u64 {
    let mut h = Fnv::default();
    folded.bytes().for_each(|b| h.push(b));
    h.finish()
}

/// The hash of any text with ASCII letters lowercased (paths, sources): for a folded word, the
/// same as [`word`].
pub fn caseless(text: &[u8]) -> u64 {
    let mut h = Fnv::default();
    text.iter().for_each(|b| h.push(b.to_ascii_lowercase()));
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_hash_apart_and_the_same_way_twice() {
        assert_eq!(word("bamako"), word("bamako"));
        assert_ne!(word("bamako"), word("bamak"));
        assert_ne!(word("ab"), word("ba"));
        assert_eq!(caseless(b"Bamako"), word("bamako"));
        // FNV-1a's published test vector, before mixing.
        let mut h = Fnv::default();
        b"a".iter().for_each(|&b| h.push(b));
        assert_eq!(h.0, 0xaf63_dc4c_8601_ec8c);
    }
}
