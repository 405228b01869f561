//! Bytes → text: UTF-8, UTF-16 and UTF-8 with a byte-order mark, Windows-1252 as the repair
//! for text that is not valid UTF-8; binary and empty content refused.

use encoding_rs::{Encoding, WINDOWS_1252};

use dom_query::Document;

use super::{Problem, Repair};

/// Decoded text, with how it was repaired if it had to be.
#[derive(Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub repair: Option<Repair>,
}

/// How many leading bytes are inspected for binary content.
const SNIFF_BYTES: usize = 8192;

/// Bytes of the page read for its `<meta charset>` declaration (the HTML standard's prescan
/// reads 1024; pages saved by browsers put comments before it).
const PRESCAN_BYTES: usize = 4096;

/// The character set a page declares in its first bytes, if any.
pub fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    // Any ASCII-compatible decoding finds the ASCII-only declaration.
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(head);
    let doc = Document::from(text.as_ref());
    let from_charset = doc
        .select("meta[charset]")
        .iter()
        .find_map(|m| m.attr("charset"))
        .map(|c| c.to_string());
    let from_http_equiv = || {
        doc.select("meta[http-equiv]")
            .iter()
            .filter(|m| {
                m.attr("http-equiv")
                    .is_some_and(|h| h.eq_ignore_ascii_case("content-type"))
            })
            .find_map(|m| m.attr("content"))
            .and_then(|content| {
                let lower = content.to_ascii_lowercase();
                let at = lower.find("charset=")?;
                Some(
                    lower[at + "charset=".len()..]
                        .trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace())
                        .split(|c: char| c == ';' || c.is_whitespace())
                        .next()?
                        .to_string(),
                )
            })
    };
    let label = from_charset.or_else(from_http_equiv)?;
    let encoding = Encoding::for_label(label.trim().as_bytes())?;
    // A page that says UTF-16 in its ASCII bytes is not UTF-16 (the standard says UTF-8).
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        return Some(encoding_rs::UTF_8);
    }
    Some(encoding)
}

/// Decodes a file's bytes, or says why they are not text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, Problem> {
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
) -> Result<Decoded, Problem> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Problem::Empty);
    }
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        let repair =
            (encoding != encoding_rs::UTF_8).then(|| Repair::ByteOrderMark(encoding.name()));
        return text_or_binary(text.into_owned(), had_errors, repair);
    }
    if bytes[..bytes.len().min(SNIFF_BYTES)].contains(&0) {
        return Err(Problem::NulBytes);
    }
    // A page saved again as UTF-8 keeps its old declaration (`iso-8859-1`, `euc-kr`): bytes
    // that are valid UTF-8 and not all ASCII are UTF-8 (text in those encodings almost never
    // forms valid UTF-8 sequences).
    if let Some(encoding) = declared.filter(|e| *e != encoding_rs::UTF_8) {
        if !bytes.is_ascii() {
            if let Ok(text) = std::str::from_utf8(bytes) {
                return text_or_binary(
                    text.to_string(),
                    false,
                    Some(Repair::DeclaredButUtf8(encoding.name())),
                );
            }
        }
    }
    if let Some(encoding) = declared.filter(|e| *e != encoding_rs::UTF_8) {
        let (text, _, had_errors) = encoding.decode(bytes);
        return text_or_binary(text.into_owned(), had_errors, None);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text_or_binary(text.to_string(), false, None),
        Err(_) if utf8_with_stray_bytes(bytes, declared.is_some()) => {
            let (text, _, _) = encoding_rs::UTF_8.decode(bytes);
            let invalid = bytes
                .utf8_chunks()
                .filter(|c| !c.invalid().is_empty())
                .count();
            text_or_binary(text.into_owned(), false, Some(Repair::StrayBytes(invalid)))
        }
        Err(_) if markup => {
            // Markup: guess the encoding from the bytes (windows-1252 for French pages saved
            // by older sites, but also Cyrillic, Arabic… encodings).
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            let guess = detector.guess(None, true);
            let (text, _, had_errors) = guess.decode(bytes);
            let repair = match declared {
                Some(_) => Repair::NotAsDeclared(guess.name()),
                None => Repair::Guessed(guess.name()),
            };
            text_or_binary(text.into_owned(), had_errors, Some(repair))
        }
        Err(_) => {
            let (text, _, _) = WINDOWS_1252.decode(bytes);
            text_or_binary(text.into_owned(), false, Some(Repair::Windows1252))
        }
    }
}

/// Most invalid sequences a declared UTF-8 text may hold and still be read as UTF-8 when it
/// has no valid multi-byte letter to vouch for it (an English page with a stray byte).
const STRAY_BYTES_DECLARED: usize = 16;

/// Whether bytes that are not valid UTF-8 are UTF-8 all the same, spoilt by a few stray bytes
/// (a script comment, a truncated copy): browsers decode such a page as UTF-8 and replace the
/// bad bytes, rather than read every letter of it in another encoding. It is when its valid
/// multi-byte sequences outnumber its invalid ones twice over (text in Windows-1252 makes
/// almost none: `é` followed by a letter is not a UTF-8 sequence), or when it says UTF-8 and
/// has only a few bad sequences.
fn utf8_with_stray_bytes(bytes: &[u8], declared_utf8: bool) -> bool {
    let (mut valid_multibyte, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid_multibyte += chunk.valid().bytes().filter(|b| *b >= 0xC0).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    valid_multibyte >= 2 * invalid || declared_utf8 && invalid <= STRAY_BYTES_DECLARED
}

fn text_or_binary(
    text: String,
    had_errors: bool,
    repair: Option<Repair>,
) -> Result<Decoded, Problem> {
    let sample: Vec<char> = text.chars().take(SNIFF_BYTES).collect();
    let control = sample
        .iter()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if control * 20 > sample.len() || had_errors && text.contains('\u{fffd}') && control > 0 {
        return Err(Problem::ControlCharacters);
    }
    if text.trim().is_empty() {
        return Err(Problem::Empty);
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
        assert_eq!(d.repair, Some(Repair::Windows1252));
    }

    #[test]
    fn it_replaces_a_few_stray_bytes_of_a_utf8_page() {
        let mut page = "<meta charset=utf-8><p>Mäscot à Ségou, Ménaka.</p><script>// "
            .as_bytes()
            .to_vec();
        page.extend_from_slice(b"\xe9t\xe9</script>");
        let d = decode_markup(&page, declared_encoding(&page), true).unwrap();
        assert!(d.text.contains("Mäscot à Ségou, Ménaka."), "{}", d.text);
        assert_eq!(d.repair, Some(Repair::StrayBytes(2)));
        // Without a declaration, the valid letters vouch for UTF-8 all the same.
        let d = decode_markup(&page[20..], None, true).unwrap();
        assert!(d.text.contains("Mäscot à Ségou"), "{}", d.text);
        // A text in Windows-1252 is still read as such.
        let d = decode_markup(b"<p>S\xe9gou et M\xe9naka</p>", None, true).unwrap();
        assert_eq!(d.text, "<p>Ségou et Ménaka</p>");
    }

    #[test]
    fn a_page_declared_in_another_encoding_but_written_in_utf8_is_utf8() {
        let page = "<meta charset=iso-8859-1><h1>Forstærket håb løfter Norwegian-aktie</h1>";
        let d = decode_markup(page.as_bytes(), declared_encoding(page.as_bytes()), true).unwrap();
        assert!(d.text.contains("Forstærket håb løfter"), "{}", d.text);
        assert_eq!(d.repair, Some(Repair::DeclaredButUtf8("windows-1252")));
        // Really in the declared encoding: read so.
        let d = decode_markup(
            b"<meta charset=iso-8859-1><p>S\xe9gou</p>",
            Some(WINDOWS_1252),
            true,
        )
        .unwrap();
        assert_eq!(d.text, "<meta charset=iso-8859-1><p>Ségou</p>");
        assert_eq!(d.repair, None);
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
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap_err(),
            Problem::NulBytes
        );
        assert_eq!(
            decode(b"\x01\x02\x03\x04\x05\x06abc").unwrap_err(),
            Problem::ControlCharacters
        );
        assert_eq!(decode(b"  \n\t ").unwrap_err(), Problem::Empty);
        assert_eq!(decode(b"").unwrap_err(), Problem::Empty);
    }

    #[test]
    fn it_reads_the_declared_character_set() {
        let page = b"<!-- saved from url=(0042)https://www.maliweb.net/ --><html><head>\
            <meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">";
        assert_eq!(declared_encoding(page), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(
            declared_encoding(b"<meta charset='utf-8'>"),
            Some(encoding_rs::UTF_8)
        );
        assert_eq!(declared_encoding(b"<p>Bamako</p>"), None);
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
            let _ = declared_encoding(&bytes);
        }
    }
}
