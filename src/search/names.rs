//! Turns the place and actor names an analyst types into facet values.

use crate::entities::{Actors, Gazetteer, Kind};
use crate::error::{Error, Result};

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
