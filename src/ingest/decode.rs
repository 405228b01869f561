//! Bytes → text: UTF-8, UTF-16 and UTF-8 with a byte-order mark, Windows-1252 as the repair
//! for text that is not valid UTF-8; binary and empty content refused.

use encoding_rs::{Encoding, WINDOWS_1252};

/// Decoded text, with a note when it had to be repaired.
#[derive(Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub repair: Option<String>,
}

/// How many leading bytes are inspected for binary content.
const SNIFF_BYTES: usize = 8192;

/// Decodes a file's bytes, or says why they are not text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    decode_markup(bytes, None, false)
}

/// Decodes an HTML page: a byte-order mark first, then the encoding the page declares
/// (`<meta charset>`); a page that declares nothing, or UTF-8 but is not, is decoded with the
/// encoding its bytes look like (chardetng). With `markup` false, text that is not UTF-8 is
/// read as Windows-1252, the usual case for French text files.
pub fn decode_markup(
    bytes: &[u8],
    declared: Option<&'static Encoding>,
    markup: bool,
) -> Result<Decoded, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("empty file".to_string());
    }
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        let repair =
            (encoding != encoding_rs::UTF_8).then(|| format!("decoded from {}", encoding.name()));
        return text_or_binary(text.into_owned(), had_errors, repair);
    }
    if bytes[..bytes.len().min(SNIFF_BYTES)].contains(&0) {
        return Err("binary content (NUL bytes), not text".to_string());
    }
    if let Some(encoding) = declared.filter(|e| *e != encoding_rs::UTF_8) {
        let (text, _, had_errors) = encoding.decode(bytes);
        return text_or_binary(text.into_owned(), had_errors, None);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text_or_binary(text.to_string(), false, None),
        Err(_) if markup => {
            // Markup: guess the encoding from the bytes (windows-1252 for French pages saved
            // by older sites, but also Cyrillic, Arabic… encodings).
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            let guess = detector.guess(None, true);
            let (text, _, had_errors) = guess.decode(bytes);
            let note = match declared {
                Some(_) => format!("declared UTF-8 but is not: decoded as {}", guess.name()),
                None => format!(
                    "no character set declared and not UTF-8: decoded as {}",
                    guess.name()
                ),
            };
            text_or_binary(text.into_owned(), had_errors, Some(note))
        }
        Err(_) => {
            let (text, _, _) = WINDOWS_1252.decode(bytes);
            text_or_binary(
                text.into_owned(),
                false,
                Some("not valid UTF-8: decoded as Windows-1252".to_string()),
            )
        }
    }
}

fn text_or_binary(
    text: String,
    had_errors: bool,
    repair: Option<String>,
) -> Result<Decoded, String> {
    let sample: Vec<char> = text.chars().take(SNIFF_BYTES).collect();
    let control = sample
        .iter()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if control * 20 > sample.len() || had_errors && text.contains('\u{fffd}') && control > 0 {
        return Err("binary content (control characters), not text".to_string());
    }
    if text.trim().is_empty() {
        return Err("empty file".to_string());
    }
    Ok(Decoded { text, repair })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_reads_utf8_as_is() {
        let d = decode("Ségou".as_bytes()).unwrap();
        assert_eq!(
            d,
            Decoded {
                text: "Ségou".into(),
                repair: None
            }
        );
    }

    #[test]
    fn it_repairs_windows_1252() {
        let d = decode(b"S\xe9gou et M\xe9naka").unwrap();
        assert_eq!(d.text, "Ségou et Ménaka");
        assert!(d.repair.unwrap().contains("Windows-1252"));
    }

    #[test]
    fn it_reads_utf16_with_a_bom() {
        let mut bytes = vec![0xff, 0xfe];
        for unit in "Ménaka".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes).unwrap().text, "Ménaka");
    }

    #[test]
    fn it_refuses_binary_and_empty_content() {
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
            .unwrap_err()
            .contains("binary"));
        assert!(decode(b"\x01\x02\x03\x04\x05\x06abc")
            .unwrap_err()
            .contains("binary"));
        assert_eq!(decode(b"  \n\t ").unwrap_err(), "empty file");
        assert_eq!(decode(b"").unwrap_err(), "empty file");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn no_bytes_make_the_decoder_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
            if let Ok(decoded) = decode(&bytes) {
                proptest::prop_assert!(!decoded.text.trim().is_empty());
            }
            let _ = decode_markup(&bytes, None, true);
            let _ = decode_markup(&bytes, Some(encoding_rs::UTF_8), true);
        }
    }
}
