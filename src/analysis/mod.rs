//! The French analyzer: defined once here, registered every time an index is opened.
//!
//! Two analyzers share one chain and differ only in the last step:
//!
//! `FrenchTokenizer → RemoveLong(40) → Lowercase → Elision → Fold → StopWords
//! → FrenchStemmer` is [`STEMMED`]; [`EXACT`] stops before the stemmer and backs the
//! `*_exact` fields, scored alongside the stemmed ones so exact forms rank first.
//!
//! Why folding comes *before* stemming: stemming the accented word and folding the stem
//! (`armée` → `arme`) conflates inflections well, but an analyst typing without accents
//! (`securite`) often misses the accented text's term, because Snowball strips `é`/`ée`
//! endings and not `e`/`ee`. Folding first makes accented and unaccented input always meet,
//! as `Ségou` = `Segou` demands; most of its loss of feminine conflation is repaired by
//! trimming the stem's trailing `e` (see [`stem`]). The measurements: BENCHMARKS.md,
//! "Measurements behind design choices". Stop words are folded too, so the list matches
//! `a`/`à` and `ou`/`où` alike.

mod elision;
mod letters;
mod memo;
mod stem;
mod tokenizer;

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

use tantivy::tokenizer::{
    RemoveLongFilter, StopWordFilter, TextAnalyzer, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::Index;

pub use elision::ElisionFilter;
pub use letters::{FOLD, LOWERCASE};
pub use stem::FrenchStemmer;
pub use tokenizer::FrenchTokenizer;

/// Name of the stemmed French analyzer in the index.
pub const STEMMED: &str = "vigie_fr";
/// Name of the exact (unstemmed, folded) French analyzer in the index.
pub const EXACT: &str = "vigie_fr_exact";

/// Tokens longer than this (in bytes) are noise: URLs, base64, tables without spaces.
const MAX_TOKEN_BYTES: usize = 40;

const STOP_WORDS: &str = include_str!("../../data/stopwords_fr.txt");
const PROTECTED: &str = include_str!("../../data/protected.txt");

fn word_list(text: &str) -> impl Iterator<Item = String> + '_ {
    crate::text::list::entries(text).map(crate::text::fold)
}

fn stop_words() -> &'static rustc_hash::FxHashSet<String> {
    static WORDS: OnceLock<rustc_hash::FxHashSet<String>> = OnceLock::new();
    WORDS.get_or_init(|| word_list(STOP_WORDS).collect())
}

/// Whether a folded word is a French stop word.
pub fn is_stop_word(word: &str) -> bool {
    stop_words().contains(word)
}

/// The normalised names that skip the stemmer.
pub fn protected_words() -> Arc<HashSet<String>> {
    static WORDS: OnceLock<Arc<HashSet<String>>> = OnceLock::new();
    WORDS
        .get_or_init(|| Arc::new(word_list(PROTECTED).collect()))
        .clone()
}

/// The chain both analyzers share, up to the stemmer.
fn french_chain() -> impl Tokenizer {
    let chain = RemoveLongFilter::limit(MAX_TOKEN_BYTES).transform(FrenchTokenizer::default());
    let chain = LOWERCASE.transform(chain);
    let chain = ElisionFilter.transform(chain);
    let chain = FOLD.transform(chain);
    StopWordFilter::remove(stop_words().iter().cloned()).transform(chain)
}

/// The analyzer of the `*_exact` fields: everything but the stemmer (replaying the chain's
/// tokens when the stemmed analyzer has just read the same text: [`memo`]). Built once; each
/// call gives a copy with its own buffers.
pub fn exact_analyzer() -> TextAnalyzer {
    static PROTOTYPE: OnceLock<TextAnalyzer> = OnceLock::new();
    PROTOTYPE
        .get_or_init(|| TextAnalyzer::builder(memo::Replay(french_chain())).build())
        .clone()
}

/// The analyzer of the stemmed fields (see [`exact_analyzer`]).
pub fn stemmed_analyzer() -> TextAnalyzer {
    static PROTOTYPE: OnceLock<TextAnalyzer> = OnceLock::new();
    PROTOTYPE
        .get_or_init(|| {
            TextAnalyzer::builder(french_chain())
                .filter(memo::Remember)
                .filter(FrenchStemmer::new(protected_words()))
                .build()
        })
        .clone()
}

/// Registers both analyzers on `index`; must run every time an index is opened or created.
pub fn register(index: &Index) {
    let manager = index.tokenizers();
    manager.register(STEMMED, stemmed_analyzer());
    manager.register(EXACT, exact_analyzer());
}

/// A token as the analyzer emits it: its text, position and byte range in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The indexed form.
    pub text: String,
    /// The word's position (stop words keep theirs, so phrases line up).
    pub position: usize,
    /// Byte range of the word in the analyzed text.
    pub range: std::ops::Range<usize>,
}

/// Runs `analyzer` over `text`.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Term> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push(Term {
            text: token.text.clone(),
            position: token.position,
            range: token.offset_from..token.offset_to,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        analyze(&mut stemmed_analyzer(), text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    fn exact(text: &str) -> Vec<String> {
        analyze(&mut exact_analyzer(), text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn it_matches_plural_and_singular() {
        assert_eq!(
            stems("Nouvelle embuscade meurtrière"),
            stems("nouvelles embuscades meurtrières")
        );
        assert_eq!(stems("les soldats maliens"), stems("un soldat malien"));
    }

    #[test]
    fn it_removes_elision_with_both_apostrophes() {
        assert_eq!(stems("l'armée"), stems("armée"));
        assert_eq!(stems("l’armée malienne"), stems("armée malienne"));
        assert_eq!(stems("d’explosifs"), stems("explosifs"));
        assert_eq!(exact("qu'Ansongo s'agrandit"), ["ansongo", "agrandit"]);
    }

    #[test]
    fn it_folds_accents_both_ways() {
        assert_eq!(stems("Ségou"), stems("Segou"));
        assert_eq!(stems("Ménaka"), stems("MENAKA"));
        assert_eq!(stems("sécurité"), stems("securite"));
        assert_eq!(stems("mise en œuvre"), stems("mise en oeuvre"));
        assert_eq!(exact("Ségou, Ménaka, œuvre"), ["segou", "menaka", "oeuvre"]);
    }

    #[test]
    fn it_removes_stop_words_but_keeps_positions() {
        let terms = analyze(&mut stemmed_analyzer(), "attaque de la base de Gao");
        let kept: Vec<(&str, usize)> = terms
            .iter()
            .map(|t| (t.text.as_str(), t.position))
            .collect();
        assert_eq!(kept, [("attaqu", 0), ("bas", 3), ("gao", 5)]);
    }

    #[test]
    fn it_protects_place_and_group_names() {
        assert_eq!(stems("Mali"), ["mali"]);
        assert_ne!(stems("Mali"), stems("mal"));
        assert_eq!(stems("Gao"), ["gao"]);
        assert_eq!(stems("Niger"), ["niger"]);
        assert_eq!(stems("Barkhane"), ["barkhane"]);
    }

    #[test]
    fn it_keeps_exact_forms_apart_from_stems() {
        // "armée" and "armes" share a stem; only the exact field tells them apart.
        assert_eq!(stems("armée"), stems("armes"));
        assert_ne!(exact("armée"), exact("armes"));
    }

    #[test]
    fn it_highlights_the_word_without_its_particle() {
        let terms = analyze(&mut stemmed_analyzer(), "l’armée");
        assert_eq!(&"l’armée"[terms[0].range.clone()], "armée");
    }

    /// Sentences of the seed pages, as the analyzer cuts them: each word, then its indexed
    /// exact and stemmed forms. A change of the analyzer shows as a reviewed snapshot diff.
    #[test]
    fn its_tokens_on_seed_sentences_are_as_reviewed() {
        const SEEDS: [&str; 5] = [
            include_str!("../../samples/000_8f5ac768766ebcbc.txt"),
            include_str!("../../samples/001_6c0a91cd67c955b8.txt"),
            include_str!("../../samples/002_0247bc0df2810914.txt"),
            include_str!("../../samples/003_d8e2c97ece163f82.txt"),
            include_str!("../../samples/004_db3b67613d57645f.txt"),
        ];
        let sentences = [
            "Barkhane a été la cible d'une attaque kamikaze, ce lundi 21 juin, dans la localité de Gossi, au nord Mali.",
            "Dans la nuit du 11 au 12 novembre 2018, dans la région du Gourma au Mali, les forces françaises de l’opération Barkhane ont mené une opération contre un groupe terroriste",
            "Une fumée s'élevait au-dessus du site, vers lequel ont convergé des soldats de l'armée malienne et de la force française antijihadiste Barkhane.",
            "Une trentaine de djihadistes ont été tués début février dans le Liptako malien par les forces spéciales européennes du groupement Takuba et les forces armées maliennes qu'elles accompagnent au combat",
            "Le mardi 22 octobre 2024, une embuscade meurtrière a visé des soldats des forces armées maliennes, accompagnés de mercenaires russes du groupe Wagner, entre Bankass et Bandiagara, dans le centre du Mali.",
            "L’attaque a été orchestrée par le Groupe de soutien à l’islam et aux musulmans (JNIM)",
        ];
        let mut out = String::new();
        for sentence in sentences {
            assert!(
                SEEDS.iter().any(|seed| seed.contains(sentence)),
                "{sentence}"
            );
            let exact = analyze(&mut exact_analyzer(), sentence);
            let stemmed = analyze(&mut stemmed_analyzer(), sentence);
            assert_eq!(exact.len(), stemmed.len(), "{sentence}");
            out.push_str(&format!("{sentence}\n"));
            for (e, s) in exact.iter().zip(&stemmed) {
                assert_eq!(e.range, s.range);
                let word = &sentence[e.range.clone()];
                out.push_str(&format!(
                    "  {:>2} {word:<16} {:<16} {}\n",
                    e.position, e.text, s.text
                ));
            }
        }
        insta::assert_snapshot!(out);
    }
}
