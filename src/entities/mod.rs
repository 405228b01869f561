//! Finds the places (gazetteer) and actors (alias table) an article names: the location and
//! actor facets of the index.

pub mod actors;
mod dict;
pub mod gazetteer;
mod places;
pub mod words;

use serde::Serialize;

pub use actors::Actors;
pub use gazetteer::{area_members, named_area, Gazetteer, Kind, Place};
pub use words::{with_words, Word};

/// One entity found in an article, with the words that named it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Found {
    /// The facet value: a location path (`/Mali/Mopti/Bandiagara`) or an actor's canonical name.
    pub value: String,
    /// The distinct forms of the text that matched, as written.
    pub words: Vec<String>,
    /// How many times the article names it.
    #[serde(skip)]
    pub mentions: u32,
    /// Whether its title names it.
    #[serde(skip)]
    pub in_title: bool,
}

impl Found {
    /// Whether the article is about it rather than mentioning it in passing: its title names
    /// it, or its text does more than once.
    pub fn central(&self) -> bool {
        self.in_title || self.mentions > 1
    }
}

/// The places and actors of an article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Entities {
    pub locations: Vec<Found>,
    pub actors: Vec<Found>,
}

impl Entities {
    /// Location facet paths.
    pub fn location_paths(&self) -> Vec<String> {
        self.locations.iter().map(|f| f.value.clone()).collect()
    }

    /// Actor canonical names.
    pub fn actor_names(&self) -> Vec<String> {
        self.actors.iter().map(|f| f.value.clone()).collect()
    }

    /// The location paths and actor names its title names.
    pub fn in_title(&self) -> (Vec<String>, Vec<String>) {
        self.values_where(|f| f.in_title)
    }

    /// The location paths and actor names the article is about ([`Found::central`]).
    pub fn central(&self) -> (Vec<String>, Vec<String>) {
        self.values_where(Found::central)
    }

    /// The location paths and actor names of the entities `keep` keeps.
    fn values_where(&self, keep: impl Fn(&Found) -> bool) -> (Vec<String>, Vec<String>) {
        let values = |found: &[Found]| {
            found
                .iter()
                .filter(|f| keep(f))
                .map(|f| f.value.clone())
                .collect()
        };
        (values(&self.locations), values(&self.actors))
    }
}

fn add(found: &mut Vec<Found>, value: &str, written: &str, in_title: bool) {
    let written = crate::text::squash_spaces(written);
    match found.iter_mut().find(|f| f.value == value) {
        Some(f) => {
            if !f.words.contains(&written) {
                f.words.push(written);
            }
            f.mentions += 1;
            f.in_title |= in_title;
        }
        None => found.push(Found {
            value: value.to_string(),
            words: vec![written],
            mentions: 1,
            in_title,
        }),
    }
}

/// Finds entities; keeps its buffer from one article to the next.
#[derive(Default)]
pub struct Recognizer {
    /// Folded words of the last article, reused from one article to the next.
    arena: String,
}

impl Recognizer {
    /// The places and actors named in an article's title and body.
    pub fn extract(&mut self, title: &str, body: &str) -> Entities {
        self.extract_with(title, body, |_, _, _| ()).0
    }

    /// [`Recognizer::extract`], also handing the words it split to `then` with the text they
    /// are words of (`"{title}\n{body}"`) and the byte offset where the body starts, for work
    /// that needs the same words (the signature of copies, event coding).
    pub fn extract_with<R>(
        &mut self,
        title: &str,
        body: &str,
        then: impl FnOnce(&str, &[Word<'_>], usize) -> R,
    ) -> (Entities, R) {
        let text = format!("{title}\n{body}");
        let mut arena = std::mem::take(&mut self.arena);
        let words = words::words_in(&text, &mut arena);
        let span_text = |range: std::ops::Range<usize>| {
            let start = words[range.start].start;
            let last = &words[range.end - 1];
            &text[start..last.start + last.raw.len()]
        };
        let in_title = |at: usize| words[at].start < title.len();
        let catalogue = Actors::get();
        let actor_hits = catalogue.find(&words);
        let mut entities = Entities::default();
        for &(actor, at, len) in &actor_hits {
            add(
                &mut entities.actors,
                catalogue.name(actor),
                span_text(at..at + len),
                in_title(at),
            );
        }
        let taken: Vec<std::ops::Range<usize>> = actor_hits
            .iter()
            .map(|&(_, at, len)| at..at + len)
            .collect();
        let sahel_actor = actor_hits
            .iter()
            .any(|&(actor, _, _)| !catalogue.beyond_sahel(actor));
        for mention in places::find(Gazetteer::get(), &words, &taken, sahel_actor) {
            add(
                &mut entities.locations,
                mention.place.path,
                span_text(mention.words.clone()),
                in_title(mention.words.start),
            );
        }
        let result = then(&text, &words, title.len() + 1);
        drop(words);
        self.arena = arena;
        (entities, result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(text: &str) -> Vec<String> {
        Recognizer::default().extract("", text).location_paths()
    }

    #[test]
    fn it_finds_places_with_their_hierarchy() {
        assert_eq!(
            places("une embuscade entre Bankass et Bandiagara, dans le centre du Mali"),
            ["/Mali/Mopti/Bankass", "/Mali/Mopti/Bandiagara", "/Mali"]
        );
    }

    #[test]
    fn it_reads_spelling_variants() {
        let a = places("des combats près de Tin Zaouatine, au Mali");
        let b = places("des combats près de Tinzaouaten, au Mali");
        assert_eq!(a, b);
        assert!(a[0].ends_with("Ti-n-Zaouâtene"));
        assert_eq!(places("à Menaka, au Mali"), places("à Ménaka, au Mali"));
    }

    #[test]
    fn it_does_not_take_the_river_for_the_country() {
        assert_eq!(
            places("les rives du fleuve Niger à Bamako"),
            ["/Mali/Bamako"]
        );
        assert!(places("au Niger, l'armée").contains(&"/Niger".to_string()));
    }

    #[test]
    fn it_ignores_names_inside_actor_names_and_lowercase_words() {
        assert!(
            !places("les Forces armées maliennes et le Front de libération du Macina")
                .iter()
                .any(|p| p.contains("Macina"))
        );
        assert!(places("le campement fut attaqué, la route coupée").is_empty());
    }

    #[test]
    fn it_does_not_take_ordinary_words_acronyms_or_people_for_places() {
        // Diré (a cercle) is also the verb "dire"; GAO is a police unit; Keïta a president.
        assert!(places("Dire que la réforme passera. Le GAO de Lyon intervient.").is_empty());
        assert!(!places("au Mali, le président Ibrahim Boubacar Keïta")
            .iter()
            .any(|p| p.contains("Keïta")));
        assert!(!places("au Mali, le président Keïta a parlé")
            .iter()
            .any(|p| p.contains("Keïta")));
    }

    #[test]
    fn it_keeps_places_a_sahel_article_points_at() {
        let found = places(
            "Au Niger, l'attaque a eu lieu dans la réserve de girafes de Kouré, près de Niamey.",
        );
        assert!(found.iter().any(|p| p.ends_with("/Kouré")), "{found:?}");
        assert!(found.contains(&"/Niger/Niamey".to_string()));
    }

    #[test]
    fn it_needs_context_for_villages() {
        // "Kona" is a town in Mopti; a village homonym in a French story is not a place.
        assert!(places("Le chanteur Akon a sorti un album.").is_empty());
    }
}
