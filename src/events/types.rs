//! The event types an article reports as news: the trigger words of its news sentences, with
//! the rules of `shared/eval/events.md` that words alone do not give.

use super::lexicon::{type_index, types, Group, Tag};
use super::{Article, Event, Fatality};

/// Types that say more than a plain attack: an attack that is one of them is not also coded
/// `attack` (a car bomb against a convoy is a suicide bomb, not also an attack).
const MORE_THAN_AN_ATTACK: [&str; 6] = [
    "ambush",
    "attack_on_civilians",
    "ied",
    "suicide_bomb",
    "air_strike",
    "shelling",
];

/// Words after `par` that make the killing of assailants an army's operation.
const ARMY: [&str; 12] = [
    "armee",
    "armees",
    "forces",
    "force",
    "militaires",
    "soldats",
    "barkhane",
    "takuba",
    "fama",
    "minusma",
    "gendarmerie",
    "aviation",
];

fn add(found: &mut Vec<Event>, kind: u8, words: &str) {
    let name = types()[kind as usize].name;
    let words = crate::text::squash_spaces(words);
    match found.iter_mut().find(|e| e.kind == name) {
        Some(event) => {
            if !event.words.contains(&words) {
                event.words.push(words);
            }
        }
        None => found.push(Event {
            kind: name.to_string(),
            words: vec![words],
        }),
    }
}

fn index(name: &str) -> u8 {
    type_index(name).unwrap_or_else(|| panic!("{name} is a type of data/event_types.tsv"))
}

/// The event types of the salient sentences (the title, the lead, the recently dated), in
/// the order they first appear: an attack recalled in the tenth paragraph is not the news.
pub(super) fn events(article: &Article<'_, '_>) -> Vec<Event> {
    let (attack, on_civilians, operation, protest) = (
        index("attack"),
        index("attack_on_civilians"),
        index("military_operation"),
        index("protest"),
    );
    let mut found = Vec::new();
    for sentence in article.salient() {
        let civilian_target = sentence
            .tags
            .iter()
            .any(|(_, tag, _)| *tag == Tag::CivilianTarget);
        let dates = &sentence.dates;
        let words = &article.words[sentence.words.clone()];
        // « rassemblements et recueillement », « la cérémonie d'hommage »: a gathering to
        // mourn is not a protest.
        let mourning = words.iter().any(|w| super::mourning(w.norm));
        for &(at, tag, n) in &sentence.tags {
            if let Tag::Trigger(kind) = tag {
                if recalled(article, at, at + n, dates, sentence.ongoing)
                    || (kind == protest && mourning)
                {
                    continue;
                }
                let kind = if kind == attack && civilian_target {
                    on_civilians
                } else {
                    kind
                };
                add(&mut found, kind, article.span(at..at + n));
            }
        }
        // People (not civilians) killed by an army: an operation (« djihadistes tués par les
        // forces », « le chef d'Aqmi tué par l'armée française »).
        let has = |wanted: Tag| sentence.tags.iter().any(|(_, tag, _)| *tag == wanted);
        let assailants_killed = has(Tag::Death) && !has(Tag::Group(Group::Civilians));
        let by_army = words.windows(3).position(|w| {
            w[0].norm == "par" && (ARMY.contains(&w[1].norm) || ARMY.contains(&w[2].norm))
        });
        if let (true, Some(at)) = (assailants_killed, by_army) {
            let from = sentence.words.start + at;
            add(&mut found, operation, article.span(from..from + 3));
        }
    }
    // A car bomb driven by a kamikaze is a suicide bomb, not also an IED (events.md).
    if found.iter().any(|e| e.kind == "suicide_bomb") {
        found.retain(|e| e.kind != "ied" || !e.words.iter().all(|w| folded_has(w, "pieg")));
    }
    // An attack on aid workers, on a village: on civilians, when the article names no forces.
    let salient_has = |wanted: Tag| {
        article
            .salient()
            .any(|s| s.tags.iter().any(|(_, tag, _)| *tag == wanted))
    };
    if salient_has(Tag::CivilianTarget) && !salient_has(Tag::Group(Group::Forces)) {
        if let Some(at) = found.iter().position(|e| e.kind == "attack") {
            let attack = found.remove(at);
            for words in attack.words {
                add(&mut found, on_civilians, &words);
            }
        }
    }
    // « affrontements entre manifestants et policiers »: the clashes of a protest are the
    // protest's (events.md: armed clashes are between armed groups or forces and groups).
    if found.iter().any(|e| e.kind == "protest") {
        found.retain(|e| {
            e.kind != "armed_clash"
                || !e
                    .words
                    .iter()
                    .all(|w| folded_has(w, "affrontement") || folded_has(w, "heurts"))
        });
    }
    let specific = found
        .iter()
        .any(|e| MORE_THAN_AN_ATTACK.contains(&e.kind.as_str()));
    if specific {
        found.retain(|e| e.kind != "attack");
    }
    found
}

/// How many days before publication an event named with its date is a recall (« le coup
/// d'État du 18 août » in September), not news.
const RECALLED_AFTER_DAYS: i64 = 7;

/// Words before a plural trigger that make it general (« des attaques meurtrières », « ces
/// attaques »), not an event's.
const GENERAL: [&str; 8] = [
    "des",
    "ces",
    "les",
    "de",
    "d",
    "aux",
    "nombreuses",
    "nombreux",
];
/// Auxiliaries of the pluperfect, the past anterior and the past conditional: « avait été
/// enlevée », « après qu'ils eurent été assassinés », « si j'avais été kidnappée ».
const PLUPERFECT: [&str; 6] = ["avait", "avaient", "avais", "aurait", "eurent", "eut"];
/// Participles that say an event only with an auxiliary (« a été enlevée ») or a date
/// (« enlevée samedi »); alone they describe people (« deux Français enlevés au Bénin »).
const PARTICIPLES: [&str; 3] = ["enleve", "kidnappe", "sequestre"];

/// Whether the trigger at words `from..to` does not report an event: an earlier event
/// (« depuis le coup d'État », « l'attaque du 9 août » a month on, « avait été enlevée »),
/// attacks in general (« des attaques meurtrières », with no date, nothing going on), a
/// participle describing people, a thing (« la fabrication d'engins explosifs »), a guess.
fn recalled(
    article: &Article<'_, '_>,
    from: usize,
    to: usize,
    dates: &[super::when::Found],
    ongoing: bool,
) -> bool {
    let words = article.words;
    let before = |k: usize| from.checked_sub(k).map_or("", |i| words[i].norm);
    let since = (1..=3).any(|k| before(k) == "depuis");
    let pluperfect =
        (1..=3).any(|k| PLUPERFECT.contains(&before(k))) && !super::reported(words, from);
    let near = |start: usize, end: usize| start.abs_diff(to) <= 6 || end.abs_diff(from) <= 6;
    let dated_before = dates.iter().any(|&(start, end, day)| {
        near(start, end)
            && article
                .published
                .is_some_and(|p| (p - day).num_days() > RECALLED_AFTER_DAYS)
    });
    let first = words[from].norm;
    let general =
        first.ends_with('s') && GENERAL.contains(&before(1)) && dates.is_empty() && !ongoing;
    let hedged = (1..=4).any(|k| HEDGES.contains(&before(k)));
    // « il n'y a pas eu d'enlèvement », « aucune attaque »: denied.
    let denied = (1..=3).any(|k| matches!(before(k), "pas" | "aucun" | "aucune" | "jamais"));
    let participle = PARTICIPLES.iter().any(|p| first.starts_with(p))
        && !matches!(before(1), "ete" | "a" | "ont" | "est" | "sont")
        && !dates
            .iter()
            .any(|&(start, _, _)| start >= to && start - to <= 3);
    let after = |k: usize| words.get(to + k).map_or("", |w| w.norm);
    let things = (1..=3).any(|k| THINGS.iter().any(|t| before(k).starts_with(t)))
        || (first.starts_with("captur") && after(0) == "d" && after(1).starts_with("ecran"));
    // « régulièrement visées par des attaques », « des attaques récurrentes »: what happens
    // again and again, not the news.
    let habitual = (1..=5).any(|k| HABITUAL.iter().any(|h| before(k).starts_with(h)))
        || (0..=1).any(|k| HABITUAL.iter().any(|h| after(k).starts_with(h)));
    // « le Rassemblement national », « Attaque » in a name: a capital inside a sentence.
    let name = words[from].capitalized() && !words[from].sentence_start;
    // « Mélenchon attaque le matheux », « s'attaque à »: the verb, not an attack.
    let verb = matches!(first, "attaque" | "attaques")
        && from > 0
        && !words[from].sentence_start
        && !ATTACK_BEFORE.contains(&before(1));
    since
        || pluperfect
        || dated_before
        || general
        || participle
        || things
        || hedged
        || denied
        || habitual
        || name
        || verb
}

/// Words (beginnings) that make what a trigger tells habitual.
const HABITUAL: [&str; 6] = [
    "regulierement",
    "frequemment",
    "souvent",
    "recurrent",
    "repetition",
    "quotidienn",
];

/// Words before « attaque » that make it the noun (« l'attaque », « une nouvelle attaque »)
/// or the participle of an attack (« a été attaqué »).
const ATTACK_BEFORE: [&str; 22] = [
    "l",
    "la",
    "une",
    "cette",
    "d",
    "de",
    "des",
    "les",
    "ces",
    "nouvelle",
    "double",
    "sanglante",
    "violente",
    "meurtriere",
    "vaste",
    "premiere",
    "derniere",
    "ete",
    "son",
    "leur",
    "leurs",
    "du",
];

/// Words that make what follows a guess, not a report: « dans ce qu'il semble être une prise
/// d'otages ».
const HEDGES: [&str; 4] = ["semble", "semblerait", "pourrait", "apparemment"];

/// Words before a trigger that make it a thing, not an event: « la fabrication d'engins
/// explosifs », « des stocks de mines » (and « des captures d'écran », after).
const THINGS: [&str; 6] = [
    "fabrication",
    "composant",
    "saisi",
    "stock",
    "atelier",
    "detecteur",
];

/// Whether the words, folded, contain `part`.
fn folded_has(words: &str, part: &str) -> bool {
    crate::text::fold(words).contains(part)
}

/// An attack whose dead, as counted, are all civilians (« six humanitaires… exécutés », « huit
/// personnes, six Français, leur guide et leur chauffeur »: civilians, or people named by a role
/// or a nationality, and no soldier or assailant) is an attack on civilians (events.md; ACLED's
/// violence against civilians), not also a plain attack.
pub(super) fn on_civilians(mut events: Vec<Event>, fatalities: &[Fatality]) -> Vec<Event> {
    let counted = || fatalities.iter().filter(|f| f.rejected.is_none());
    let civilians = counted().any(|f| matches!(f.group, Group::Civilians | Group::Others))
        && !counted().any(|f| matches!(f.group, Group::Forces | Group::Assailants));
    let attack = types()[index("attack") as usize].name;
    let on_civilians = types()[index("attack_on_civilians") as usize].name;
    if !civilians {
        return events;
    }
    let Some(at) = events.iter().position(|e| e.kind == attack) else {
        return events;
    };
    let words = events.remove(at).words;
    match events.iter_mut().find(|e| e.kind == on_civilians) {
        Some(known) => {
            for word in words {
                if !known.words.contains(&word) {
                    known.words.push(word);
                }
            }
        }
        None => events.insert(
            at,
            Event {
                kind: on_civilians.to_string(),
                words,
            },
        ),
    }
    events
}

#[cfg(test)]
mod tests {
    use crate::events::code_article;
    use chrono::NaiveDate;

    fn types(title: &str, text: &str) -> Vec<String> {
        code_article(title, text, NaiveDate::from_ymd_opt(2020, 8, 10)).types()
    }

    #[test]
    fn an_attack_that_killed_only_civilians_is_an_attack_on_civilians() {
        assert_eq!(
            types(
                "Attaque au Niger",
                "Six humanitaires, leur guide et leur chauffeur ont été tués dimanche dans une \
                 attaque près de Kouré."
            ),
            ["attack_on_civilians"]
        );
        assert_eq!(
            types(
                "Attaque au Niger",
                "Six soldats ont été tués dimanche dans une attaque près de Kouré."
            ),
            ["attack"]
        );
    }

    #[test]
    fn what_happens_again_and_again_and_screen_captures_are_not_events() {
        assert!(types(
            "Le Mali, une région instable",
            "Les forces maliennes y sont régulièrement visées par des attaques meurtrières."
        )
        .is_empty());
        assert!(types(
            "Une nouvelle vidéo de l'otage",
            "Son fils a seulement pu consulter des captures d'écran de la vidéo."
        )
        .is_empty());
    }

    #[test]
    fn mourning_denial_and_the_clashes_of_a_protest_are_no_events_of_their_own() {
        assert!(types(
            "Militaires morts au Mali : rassemblements et recueillement à Pau",
            "Des rassemblements d'hommage se sont tenus mardi à Pau et à Gap."
        )
        .is_empty());
        assert!(types(
            "À Orly, un bus",
            "Selon le parquet, il n'y a pas eu d'enlèvement."
        )
        .is_empty());
        assert_eq!(
            types(
                "Colombie : affrontements à Bogota",
                "Des manifestants ont affronté la police mercredi ; les affrontements entre \
                 manifestants et policiers ont fait onze morts."
            ),
            ["protest"]
        );
    }
}
