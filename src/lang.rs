//! Language of a cleaned body, by whatlang, kept only when the detection is reliable.

/// How much of the body is looked at: enough for a reliable guess on news text (whatlang's
/// trigram model), cheap on long articles.
const SAMPLE_CHARS: usize = 400;

/// What a short word tells of French: (a French function word, in French prose a fifth to a
/// half of the words; a French function word that Spanish, Italian, Portuguese and Catalan do
/// not share). `word` is lowercase ASCII; one `match` instead of scanning word lists, since
/// this runs on the first words of every article.
fn french_marks(word: &[u8]) -> (bool, bool) {
    match word {
        b"les" | b"des" | b"du" | b"et" | b"est" | b"elle" | b"ont" | b"au" | b"aux" | b"dans"
        | b"pour" | b"sur" | b"pas" | b"plus" | b"qui" => (true, true),
        b"le" | b"la" | b"de" | b"un" | b"une" | b"que" | b"par" | b"ne" | b"il" => (true, false),
        b"ce" | b"cette" | b"sont" => (false, true),
        _ => (false, false),
    }
}

/// Words looked at by the French shortcut, and the shares of each kind it needs: nearly every
/// OrangeSum article long enough qualifies (BENCHMARKS.md); Spanish, Italian, Portuguese,
/// Catalan and English news text has no French-only word.
const SHORTCUT_WORDS: usize = 80;
const FUNCTION_SHARE: f64 = 0.15;
const FRENCH_ONLY_SHARE: f64 = 0.05;

/// Unmistakably French prose, by its function words. This shortcut answers for most of a
/// French corpus at a fraction of whatlang's cost (its trigram profiles cost the same whatever
/// the length of the text: most of the cleaning time, before this shortcut);
/// anything less clear goes to whatlang.
fn clearly_french(body: &str) -> bool {
    // Words of letters; any non-ASCII character (é, ç…) counts as one, so `été` is a word.
    let words = body
        .split(|c: char| {
            if c.is_ascii() {
                !c.is_ascii_alphabetic()
            } else {
                !c.is_alphabetic()
            }
        })
        .filter(|w| !w.is_empty())
        .take(SHORTCUT_WORDS);
    let (mut count, mut function, mut french_only) = (0usize, 0usize, 0usize);
    let mut lower = [0u8; 5];
    for word in words {
        count += 1;
        // No marked word is longer than five letters.
        if word.len() > lower.len() {
            continue;
        }
        let lower = &mut lower[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        let (f, o) = french_marks(lower);
        function += usize::from(f);
        french_only += usize::from(o);
    }
    if count < SHORTCUT_WORDS / 2 {
        return false;
    }
    let share = |hits: usize| hits as f64 / count as f64;
    share(function) >= FUNCTION_SHARE && share(french_only) >= FRENCH_ONLY_SHARE
}

/// ISO 639-1 code (`fr`, `en`…) of `body`'s language, or the ISO 639-3 code for languages
/// without a two-letter one; `None` when unsure.
pub fn detect(body: &str) -> Option<String> {
    if clearly_french(body) {
        return Some("fr".to_string());
    }
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
    let lower = crate::text::fold(input.trim());
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
    fn it_detects_english_and_arabic_too() {
        let en = "The jihadist group claimed responsibility for the attack on the military camp near the border with Niger, the army said on Tuesday in a statement.";
        assert_eq!(detect(en).as_deref(), Some("en"));
        let ar =
            "أعلنت الجماعة المسلحة مسؤوليتها عن الهجوم على المعسكر العسكري قرب الحدود مع النيجر";
        assert_eq!(detect(ar).as_deref(), Some("ar"));
    }

    #[test]
    fn its_french_shortcut_agrees_with_whatlang_and_stays_out_of_other_languages() {
        let fr = "Une trentaine de djihadistes ont été tués début février dans le Liptako malien par les forces spéciales européennes du groupement Takuba et les forces armées maliennes qu'elles accompagnent au combat, a annoncé mardi l'état-major français, en pleine période de tension diplomatique entre Bamako et Paris.";
        assert!(clearly_french(fr));
        assert_eq!(
            whatlang::detect(fr).map(|i| i.lang()),
            Some(whatlang::Lang::Fra)
        );
        let en = "The jihadist group claimed responsibility for the attack on the military camp near the border with Niger, the army said on Tuesday in a statement released in the capital, adding that the soldiers had repelled the assailants after hours of fighting in the area.";
        assert!(!clearly_french(en));
        let es = "El grupo yihadista reivindicó el ataque contra el campamento militar cerca de la frontera con Níger, según informó el ejército el martes en un comunicado publicado en la capital del país, donde los soldados repelieron a los asaltantes después de varias horas de combates en la zona, y el gobierno pidió calma a la población que vive en las aldeas cercanas al lugar.";
        assert!(!clearly_french(es));
        let it = "Il gruppo jihadista ha rivendicato l'attacco contro il campo militare vicino al confine con il Niger, ha detto martedì l'esercito in un comunicato diffuso nella capitale, aggiungendo che i soldati hanno respinto gli assalitori dopo ore di combattimenti nella zona e che il governo ha chiesto calma alla popolazione dei villaggi vicini.";
        assert!(!clearly_french(it));
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
