//! Armed groups, forces and missions (`data/actors.tsv`): canonical names and the aliases
//! reporting uses, with the case and context some of them need; the groups a coalition is made
//! of, from the day each joined (`data/actor_members.tsv`).

use std::sync::OnceLock;

use chrono::NaiveDate;

use super::dict::Dict;
use super::words::{self, with_words, Word};
use crate::text::list;

const TABLE: &str = include_str!("../../data/actors.tsv");

/// How an alias must be written to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Any case, accents optional.
    Fold,
    /// Exactly in the written case (`FAN`, not `fan`).
    Case,
}

/// One way of writing an actor.
#[derive(Debug, Clone)]
pub struct Alias {
    /// Index of the canonical name.
    pub actor: usize,
    pub text: String,
    pub mode: Mode,
    /// Its words as written, for [`Mode::Case`].
    written: Vec<String>,
    /// Folded words of which one must occur in the article (empty: none needed).
    pub context: Vec<String>,
}

/// The actor vocabulary.
pub struct Actors {
    names: Vec<String>,
    kinds: Vec<String>,
    aliases: Vec<Alias>,
    dict: Dict<u32>,
    /// Actors also active far from the Sahel (`data/actor_context.tsv`).
    beyond_sahel: Vec<usize>,
    /// Actors whose name after an affiliation word is an allegiance, and those words.
    affiliated: Vec<usize>,
    affiliation: Vec<&'static str>,
    /// (whole, member, the day it joined), as the table says.
    members: Vec<(usize, usize, NaiveDate)>,
}

/// A group a coalition is made of, and the first day it is part of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub actor: usize,
    pub since: NaiveDate,
}

const CONTEXT: &str = include_str!("../../data/actor_context.tsv");
const MEMBERS: &str = include_str!("../../data/actor_members.tsv");

impl Actors {
    /// The embedded vocabulary, parsed once.
    pub fn get() -> &'static Actors {
        static ACTORS: OnceLock<Actors> = OnceLock::new();
        ACTORS.get_or_init(|| Actors::parse(TABLE))
    }

    fn parse(table: &str) -> Actors {
        let mut actors = Actors {
            names: Vec::new(),
            kinds: Vec::new(),
            aliases: Vec::new(),
            dict: Dict::default(),
            beyond_sahel: Vec::new(),
            affiliated: Vec::new(),
            affiliation: list::of_kind(CONTEXT, "affiliation").collect(),
            members: Vec::new(),
        };
        for line in table
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let cols: Vec<&str> = line.split('\t').collect();
            let (canonical, kind, mode, text) = match cols[..] {
                [c, k, m, t] | [c, k, m, t, _] => (c, k, m, t),
                _ => continue,
            };
            let actor = match actors.names.iter().position(|n| n == canonical) {
                Some(i) => i,
                None => {
                    actors.names.push(canonical.to_string());
                    actors.kinds.push(kind.to_string());
                    actors.names.len() - 1
                }
            };
            let context = cols
                .get(4)
                .map(|c| {
                    c.split('|')
                        .filter(|w| !w.is_empty())
                        .map(crate::text::fold)
                        .collect()
                })
                .unwrap_or_default();
            let id = actors.aliases.len() as u32;
            actors.dict.insert(words::key(text), id);
            actors.aliases.push(Alias {
                actor,
                text: text.to_string(),
                mode: if mode == "case" {
                    Mode::Case
                } else {
                    Mode::Fold
                },
                written: with_words(text, |words| {
                    words.iter().map(|w| w.raw.to_string()).collect()
                }),
                context,
            });
        }
        actors.dict.finish();
        let index = |names: &[String], kind| -> Vec<usize> {
            list::of_kind(CONTEXT, kind)
                .filter_map(|name| names.iter().position(|n| n == name))
                .collect()
        };
        actors.beyond_sahel = index(&actors.names, "beyond-sahel");
        actors.affiliated = index(&actors.names, "affiliated");
        actors.members = list::entries(MEMBERS)
            .filter_map(|line| {
                let cols: Vec<&str> = line.split('\t').collect();
                let position = |name: &str| actors.names.iter().position(|n| n == name);
                let since = crate::text::date::Period::parse(cols.get(2)?)?.first;
                Some((position(cols[0])?, position(cols.get(1)?)?, since))
            })
            .collect();
        actors
    }

    /// The groups `actor` is made of, directly or through a member of a member, each from the
    /// first day it is part of the whole (the later of the days along the way).
    pub fn members(&self, actor: usize) -> Vec<Member> {
        let mut found: Vec<Member> = Vec::new();
        let mut todo = vec![(actor, NaiveDate::MIN)];
        while let Some((whole, from)) = todo.pop() {
            for &(w, member, since) in &self.members {
                if w != whole || member == actor {
                    continue;
                }
                let since = since.max(from);
                match found.iter_mut().find(|m| m.actor == member) {
                    Some(known) if known.since <= since => continue,
                    Some(known) => known.since = since,
                    None => found.push(Member {
                        actor: member,
                        since,
                    }),
                }
                todo.push((member, since));
            }
        }
        found
    }

    /// Whether an actor is active far from the Sahel too: naming it does not make an article
    /// about the Sahel.
    pub fn beyond_sahel(&self, actor: usize) -> bool {
        self.beyond_sahel.contains(&actor)
    }

    /// Canonical names, in the vocabulary's order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The kind of an actor (group, force, militia, operation, mission).
    pub fn kind(&self, actor: usize) -> &str {
        &self.kinds[actor]
    }

    /// The canonical name of an actor.
    pub fn name(&self, actor: usize) -> &str {
        &self.names[actor]
    }

    /// The canonical actor an analyst means by `name` (any alias, any case).
    pub fn resolve(&self, name: &str) -> Option<&str> {
        let key = words::key(name);
        let ids = self.dict.get(&key);
        let first = ids.first()?;
        Some(&self.names[self.aliases[*first as usize].actor])
    }

    /// The canonical actor a query word means, if it is one of its aliases as written
    /// (case-sensitive aliases only in their case).
    pub fn resolve_query(&self, text: &str) -> Option<usize> {
        with_words(text, |words| {
            let key = words.iter().map(|w| w.norm).collect::<Vec<_>>().join(" ");
            self.dict
                .get(&key)
                .iter()
                .map(|&id| &self.aliases[id as usize])
                .find_map(|alias| {
                    let written_ok = alias.mode == Mode::Fold
                        || alias.written.iter().zip(words).all(|(a, w)| a == w.raw);
                    written_ok.then_some(alias.actor)
                })
        })
    }

    /// The aliases of an actor.
    pub fn aliases_of(&self, actor: usize) -> impl Iterator<Item = &Alias> {
        self.aliases.iter().filter(move |a| a.actor == actor)
    }

    /// Actor mentions in `words`: (actor, first word, number of words), leftmost-longest.
    pub fn find(&self, words: &[Word<'_>]) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < words.len() {
            if !self.dict.may_start(words[i].hash) {
                i += 1;
                continue;
            }
            let hit = self.dict.matches_at(words, i).find_map(|(len, ids)| {
                ids.iter()
                    .map(|&id| &self.aliases[id as usize])
                    .find_map(|alias| {
                        let span = &words[i..i + len];
                        let case_ok = alias.mode == Mode::Fold
                            || alias.written.iter().zip(span).all(|(a, w)| a == w.raw);
                        let context_ok = alias.context.is_empty()
                            || words
                                .iter()
                                .any(|w| alias.context.iter().any(|c| *c == w.norm));
                        (case_ok && context_ok).then_some((alias.actor, len))
                    })
            });
            match hit {
                Some((actor, len)) => {
                    let affiliation = self.affiliated.contains(&actor)
                        && words[i.saturating_sub(2)..i]
                            .iter()
                            .any(|w| self.affiliation.contains(&w.norm));
                    if !affiliation {
                        found.push((actor, i, len));
                    }
                    i += len;
                }
                None => i += 1,
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actors_in(text: &str) -> Vec<String> {
        let a = Actors::get();
        let mut names: Vec<String> = with_words(text, |words| {
            a.find(words)
                .into_iter()
                .map(|(id, _, _)| a.name(id).to_string())
                .collect()
        });
        names.dedup();
        names
    }

    #[test]
    fn it_maps_every_alias_to_its_canonical_name() {
        let a = Actors::get();
        assert_eq!(a.resolve("GSIM"), Some("JNIM"));
        assert_eq!(a.resolve("rvim"), Some("JNIM"));
        assert_eq!(
            a.resolve("Groupe de soutien à l’islam et aux musulmans"),
            Some("JNIM")
        );
        assert_eq!(a.resolve("armée malienne"), Some("FAMa"));
        assert_eq!(a.resolve("mercenaires russes"), Some("Wagner"));
        assert_eq!(a.resolve("Etat islamique au Grand Sahara"), Some("EIGS"));
    }

    #[test]
    fn a_coalition_is_made_of_its_members_from_the_day_they_joined() {
        let a = Actors::get();
        let id = |name: &str| a.names().iter().position(|n| n == name).unwrap();
        let members = |whole: &str| -> Vec<(String, String)> {
            let mut m: Vec<(String, String)> = a
                .members(id(whole))
                .into_iter()
                .map(|m| (a.name(m.actor).to_string(), m.since.to_string()))
                .collect();
            m.sort();
            m
        };
        let pair = |name: &str, since: &str| (name.to_string(), since.to_string());
        assert_eq!(
            members("JNIM"),
            [
                pair("Al-Mourabitoune", "2017-03-02"),
                pair("Ansar Dine", "2017-03-02"),
                pair("Katiba Macina", "2017-03-02"),
            ]
        );
        // Through JNIM, from the day JNIM joined, not from AQMI's 2007.
        assert!(members("Al-Qaïda").contains(&pair("Katiba Macina", "2017-03-02")));
        assert!(members("Al-Qaïda").contains(&pair("AQMI", "2007-01-24")));
        assert!(members("CSP-DPA").contains(&pair("MNLA", "2021-01-01")));
        // A member is not its whole.
        assert!(members("Katiba Macina").is_empty());
        // Every row of the table names known actors and a day.
        let rows = list::entries(MEMBERS).count();
        assert_eq!(
            a.members.len(),
            rows,
            "a row of actor_members.tsv was not read"
        );
    }

    #[test]
    fn it_finds_generic_forms_in_text() {
        assert_eq!(
            actors_in("des soldats maliens et des mercenaires russes"),
            ["FAMa", "Wagner"]
        );
        assert_eq!(
            actors_in("revendiqué par Al-Qaïda au Maghreb islamique (Aqmi)"),
            ["AQMI"]
        );
    }

    #[test]
    fn it_matches_ambiguous_acronyms_only_in_their_case_and_context() {
        assert!(actors_in("un fan de football au Niger").is_empty());
        assert_eq!(actors_in("les FAN ont riposté à Niamey, au Niger"), ["FAN"]);
        assert!(actors_in("la MSA verse les retraites agricoles").is_empty());
        assert!(actors_in("le groupe CMA CGM affrète un navire").is_empty());
        assert_eq!(
            actors_in("la CMA, ex-rébellion de Kidal, dans l'Azawad"),
            ["CMA"]
        );
    }

    #[test]
    fn every_actor_of_the_context_table_is_in_the_vocabulary() {
        let actors = Actors::get();
        for kind in ["beyond-sahel", "affiliated"] {
            for name in list::of_kind(CONTEXT, kind) {
                assert!(actors.names().iter().any(|n| n == name), "{kind} {name}");
            }
        }
        assert!(!actors.affiliation.is_empty());
    }

    #[test]
    fn it_ignores_al_qaida_as_a_mere_affiliation() {
        assert!(actors_in("une organisation affiliée à Al-Qaïda").is_empty());
        assert_eq!(actors_in("Al-Qaïda a revendiqué l'attentat"), ["Al-Qaïda"]);
    }
}
