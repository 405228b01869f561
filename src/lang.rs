//! Language of a cleaned body, by whatlang, kept only when the detection is reliable.

/// How much of the body is looked at: plenty for a reliable guess, cheap on long articles.
const SAMPLE_CHARS: usize = 2000;

/// ISO 639-1 code (`fr`, `en`…) of `body`'s language, or the ISO 639-3 code for languages
/// without a two-letter one; `None` when unsure.
pub fn detect(body: &str) -> Option<String> {
    let end = body
        .char_indices()
        .nth(SAMPLE_CHARS)
        .map_or(body.len(), |(i, _)| i);
    let info = whatlang::detect(&body[..end])?;
    info.is_reliable().then(|| code(info.lang()))
}

/// Two-letter code for the languages of the region's press, three-letter otherwise.
pub fn code(lang: whatlang::Lang) -> String {
    use whatlang::Lang::*;
    let two = match lang {
        Fra => "fr",
        Eng => "en",
        Ara => "ar",
        Spa => "es",
        Por => "pt",
        Deu => "de",
        Ita => "it",
        Nld => "nl",
        Rus => "ru",
        Tur => "tr",
        other => return other.code().to_string(),
    };
    two.to_string()
}

/// Normalises a language given by a user (`fr`, `FRA`, `français`) to the stored code.
pub fn normalize(input: &str) -> String {
    let lower = crate::analysis::fold(input.trim());
    match lower.as_str() {
        "fra" | "fre" | "francais" | "french" => "fr".into(),
        "eng" | "anglais" | "english" => "en".into(),
        "ara" | "arabe" | "arabic" => "ar".into(),
        _ => whatlang::Lang::from_code(&lower).map_or(lower, code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_detects_french_reporting() {
        let body = "Une trentaine de djihadistes ont été tués début février dans le Liptako malien par les forces spéciales européennes du groupement Takuba et les forces armées maliennes.";
        assert_eq!(detect(body).as_deref(), Some("fr"));
    }

    #[test]
    fn it_stays_silent_on_too_little_text() {
        assert_eq!(detect("Gao"), None);
        assert_eq!(detect(""), None);
    }

    #[test]
    fn it_normalises_user_input() {
        assert_eq!(normalize("FR"), "fr");
        assert_eq!(normalize("fra"), "fr");
        assert_eq!(normalize("Français"), "fr");
        assert_eq!(normalize("eng"), "en");
    }
}
