//! Turns the place, actor and event names an analyst types into facet values.

use crate::entities::{Actors, Gazetteer, Kind};
use crate::error::{Error, Result};

/// An area an analyst names, and the places it stands for.
pub struct Area {
    /// Its own place in the gazetteer, if it has one (« Sahel » has none).
    pub path: Option<&'static str>,
    /// The cercles and regions inside it (`data/areas.tsv`).
    pub members: &'static [&'static str],
}

impl Area {
    /// Its own path, then its members'.
    pub fn paths(&self) -> Vec<String> {
        self.path
            .into_iter()
            .chain(self.members.iter().copied())
            .map(str::to_string)
            .collect()
    }
}

/// The area `input` names — a path or a name, accents optional — when `data/areas.tsv` lists
/// it: « Macina » is the area, not the cercle of that name inside it; « Sahel » the countries
/// of the Sahel, not the Burkinabè region.
pub fn area(input: &str) -> Option<Area> {
    let input = input.trim();
    if let Some(members) = crate::entities::named_area(input) {
        return Some(Area {
            path: None,
            members,
        });
    }
    let major = Gazetteer::major();
    let candidates = if input.starts_with('/') {
        major
            .by_path(input.trim_end_matches('/'))
            .into_iter()
            .collect()
    } else {
        major.lookup(input)
    };
    candidates.into_iter().find_map(|place| {
        let members = crate::entities::area_members(place.path);
        (!members.is_empty()).then_some(Area {
            path: Some(place.path),
            members,
        })
    })
}

/// The facet paths a location filter selects: an area's own and those of the places inside it
/// ([`area`]), else the one place [`location_path`] resolves.
pub fn location_paths(input: &str) -> Result<Vec<String>> {
    match area(input) {
        Some(area) => Ok(area.paths()),
        None => Ok(vec![location_path(input)?]),
    }
}

/// The facet path of a location given as a path (`/Mali/Mopti`) or a name (`Mopti`,
/// accents optional). An ambiguous name is refused with its candidates.
pub fn location_path(input: &str) -> Result<String> {
    let input = input.trim();
    let major = Gazetteer::major();
    if input.starts_with('/') {
        let path = input.trim_end_matches('/');
        let found = major
            .by_path(path)
            .or_else(|| Gazetteer::get().by_path(path));
        return match found {
            Some(place) => Ok(place.path.to_string()),
            None => Err(Error::Invalid {
                what: "location",
                value: input.to_string(),
                hint: "no such place path; give a name (--location Mopti) or a path such as /Mali/Mopti".into(),
            }),
        };
    }
    // Villages rank below every other kind: the full table is read only for a village's name.
    let mut candidates = major.lookup(input);
    if candidates.is_empty() {
        candidates = Gazetteer::get().lookup(input);
    }
    let Some(best) = candidates.first() else {
        return Err(Error::Invalid {
            what: "location",
            value: input.to_string(),
            hint: "no place of that name in the gazetteer (Mali, Burkina Faso, Niger and neighbouring countries)".into(),
        });
    };
    let ties: Vec<_> = candidates.iter().filter(|p| p.rank == best.rank).collect();
    if ties.len() == 1 || best.kind == Kind::Country {
        return Ok(best.path.to_string());
    }
    let listed: Vec<String> = ties
        .iter()
        .take(8)
        .map(|p| format!("{} ({})", p.path, p.kind.label()))
        .collect();
    let more = if ties.len() > 8 {
        format!(" and {} more", ties.len() - 8)
    } else {
        String::new()
    };
    Err(Error::Invalid {
        what: "location",
        value: input.to_string(),
        hint: format!(
            "{} places have that name: {}{more}; give the path instead",
            ties.len(),
            listed.join(", ")
        ),
    })
}

/// The canonical name of an actor given by any alias (`GSIM` → `JNIM`).
pub fn actor_name(input: &str) -> Result<String> {
    let actors = Actors::get();
    if let Some(name) = actors
        .names()
        .iter()
        .find(|n| n.eq_ignore_ascii_case(input.trim()))
    {
        return Ok(name.clone());
    }
    actors
        .resolve(input)
        .map(str::to_string)
        .ok_or_else(|| Error::Invalid {
            what: "actor",
            value: input.to_string(),
            hint: format!("unknown actor; known actors: {}", actors.names().join(", ")),
        })
}

/// The event type named by its name (`ambush`), its French label (`embuscade`, `coup
/// d'État`) or a French word that triggers it (`embuscades`, `EEI`, `kamikaze`), accents
/// and case optional.
pub fn event_type(input: &str) -> Result<String> {
    let types = crate::events::vocabulary();
    let folded = crate::text::fold(input.trim()).to_lowercase();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .collect();
    let spaced = words.join(" ");
    if let Some(t) = types.iter().find(|t| {
        t.name == folded
            || crate::text::fold(t.label)
                .to_lowercase()
                .replace(['\'', '-'], " ")
                == spaced
    }) {
        return Ok(t.name.to_string());
    }
    let lexicon = crate::events::lexicon::Lexicon::get();
    let matches = |phrase: &str| {
        let parts: Vec<&str> = phrase.split(' ').collect();
        parts.len() == words.len()
            && parts
                .iter()
                .zip(&words)
                .all(|(part, word)| match part.strip_suffix('*') {
                    Some(prefix) => word.starts_with(prefix),
                    None => part == word,
                })
    };
    if let Some(&(index, _)) = lexicon.triggers.iter().find(|(_, phrase)| matches(phrase)) {
        return Ok(types[index as usize].name.to_string());
    }
    let known: Vec<String> = types
        .iter()
        .map(|t| format!("{} ({})", t.name, t.label))
        .collect();
    Err(Error::Invalid {
        what: "event type",
        value: input.to_string(),
        hint: format!("unknown event type; known types: {}", known.join(", ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_resolves_places_at_any_level() {
        assert_eq!(location_path("Mopti").unwrap(), "/Mali/Mopti");
        assert_eq!(location_path("menaka").unwrap(), "/Mali/Ménaka");
        assert_eq!(location_path("/Mali/Mopti/").unwrap(), "/Mali/Mopti");
        assert_eq!(location_path("Mali").unwrap(), "/Mali");
        assert!(location_path("Atlantide").is_err());
    }

    #[test]
    fn it_reports_an_ambiguous_place_with_its_candidates() {
        let err = location_path("Sirakoro").unwrap_err().to_string();
        assert!(err.contains("places have that name"), "{err}");
        assert!(err.contains("/Mali/"), "{err}");
    }

    #[test]
    fn it_resolves_event_types_by_name_label_or_french_word() {
        assert_eq!(event_type("ambush").unwrap(), "ambush");
        assert_eq!(event_type("embuscade").unwrap(), "ambush");
        assert_eq!(event_type("Embuscades").unwrap(), "ambush");
        assert_eq!(event_type("coup d'État").unwrap(), "coup");
        assert_eq!(event_type("EEI").unwrap(), "ied");
        assert_eq!(event_type("enlèvement").unwrap(), "abduction");
        let err = event_type("pique-nique").unwrap_err().to_string();
        assert!(
            err.contains("known types") && err.contains("ambush (embuscade)"),
            "{err}"
        );
    }

    #[test]
    fn it_resolves_actors_by_any_alias() {
        assert_eq!(actor_name("GSIM").unwrap(), "JNIM");
        assert_eq!(actor_name("jnim").unwrap(), "JNIM");
        assert_eq!(actor_name("armée malienne").unwrap(), "FAMa");
        assert!(actor_name("Rebelles inconnus")
            .unwrap_err()
            .to_string()
            .contains("known actors"));
    }
}
