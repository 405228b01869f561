//! The Sahel gazetteer (`data/gazetteer.tsv`, derived from GeoNames, CC BY 4.0): places with
//! their hierarchy, kind, rank and spellings.

use std::sync::OnceLock;

use super::dict::Dict;
use super::words;
use crate::text::list;

const TABLE: &str = include_str!("../../data/gazetteer.tsv");
const COMMON_WORDS: &str = include_str!("../../data/place_words.txt");
const AREAS: &str = include_str!("../../data/areas.tsv");

/// The countries whose places are tracked below country level.
pub const SAHEL: [&str; 3] = ["Mali", "Burkina Faso", "Niger"];

/// What a place is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Country,
    Region,
    Cercle,
    City,
    Town,
    Area,
    Village,
}

impl Kind {
    fn parse(text: &str) -> Option<Kind> {
        Some(match text {
            "country" => Kind::Country,
            "region" => Kind::Region,
            "cercle" => Kind::Cercle,
            "city" => Kind::City,
            "town" => Kind::Town,
            "area" => Kind::Area,
            "village" => Kind::Village,
            _ => return None,
        })
    }

    /// The word analysts use for it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Country => "country",
            Kind::Region => "region",
            Kind::Cercle => "cercle/province/department",
            Kind::City => "city",
            Kind::Town => "town",
            Kind::Area => "area",
            Kind::Village => "village",
        }
    }
}

/// One place.
#[derive(Debug, Clone)]
pub struct Place {
    /// Facet path: `/Mali/Mopti/Bandiagara`.
    pub path: &'static str,
    pub kind: Kind,
    /// 0–100: how likely a mention of one of its names means this place.
    pub rank: u8,
    pub population: u64,
    /// Display name first, then the variants.
    pub names: Vec<&'static str>,
}

impl Place {
    /// The country, first level of the path.
    pub fn country(&self) -> &str {
        self.path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default()
    }

    /// The region (second level), if any.
    pub fn region(&self) -> Option<&str> {
        self.path.trim_start_matches('/').split('/').nth(1)
    }

    /// In Mali, Burkina Faso or Niger.
    pub fn in_sahel(&self) -> bool {
        SAHEL.contains(&self.country())
    }

    /// The display name.
    pub fn name(&self) -> &str {
        self.names[0]
    }
}

/// All places, and their names for matching.
pub struct Gazetteer {
    places: Vec<Place>,
    names: Dict<u32>,
    common: std::collections::HashSet<String>,
}

/// The rows of `data/areas.tsv`: (area path, or names '|'-separated; member paths).
fn areas() -> &'static [(&'static str, Vec<&'static str>)] {
    static AREAS_READ: OnceLock<Vec<(&'static str, Vec<&'static str>)>> = OnceLock::new();
    AREAS_READ.get_or_init(|| {
        crate::text::list::entries(AREAS)
            .filter_map(|line| {
                let (area, members) = line.split_once('\t')?;
                Some((area, members.split('|').collect()))
            })
            .collect()
    })
}

/// The cercles and regions inside an area of the gazetteer (`data/areas.tsv`): empty for a
/// place that is no such area.
pub fn area_members(path: &str) -> &'static [&'static str] {
    areas()
        .iter()
        .find(|(area, _)| area.starts_with('/') && *area == path)
        .map_or(&[], |(_, members)| members.as_slice())
}

/// The places of an area named `text` that has no place of its own in the gazetteer
/// (« Sahel »: the Sahel of the G5 countries), accents and case aside.
pub fn named_area(text: &str) -> Option<&'static [&'static str]> {
    let folded = crate::text::fold(text.trim()).to_lowercase();
    areas()
        .iter()
        .find(|(names, _)| {
            !names.starts_with('/')
                && names
                    .split('|')
                    .any(|name| crate::text::fold(name).to_lowercase() == folded)
        })
        .map(|(_, members)| members.as_slice())
}

impl Gazetteer {
    /// The embedded gazetteer, parsed once.
    pub fn get() -> &'static Gazetteer {
        static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
        GAZETTEER.get_or_init(|| {
            let lines = memchr::memchr_iter(b'\n', TABLE.as_bytes()).count();
            Gazetteer::parse(TABLE.lines(), lines)
        })
    }

    /// The gazetteer without its villages: countries, regions, cercles, towns and areas, a
    /// hundredth of the table, parsed in a fraction of the time. A name that names one of these
    /// outranks every village of that name, so resolving an analyst's place name looks here first.
    pub fn major() -> &'static Gazetteer {
        static MAJOR: OnceLock<Gazetteer> = OnceLock::new();
        MAJOR.get_or_init(|| {
            // Lines are found with memchr and most are skipped on their kind, the second
            // column, alone: the table is read through in a few milliseconds.
            let bytes = TABLE.as_bytes();
            let mut start = 0;
            let lines = memchr::memchr_iter(b'\n', bytes).map(move |end| {
                let line = &TABLE[start..end];
                start = end + 1;
                line
            });
            let major = lines.filter(|line| {
                let bytes = line.as_bytes();
                let kind = memchr::memchr(b'\t', bytes).map_or(&[][..], |tab| &bytes[tab + 1..]);
                memchr::memchr(b'\t', kind).is_some_and(|end| &kind[..end] != b"village")
            });
            Gazetteer::parse(major, 0)
        })
    }

    /// Reads the lines of the table. Places borrow their path and names from the embedded
    /// text, and each line is split once: parsing is what every indexing run waits for before
    /// its first article.
    fn parse(lines: impl Iterator<Item = &'static str>, expected: usize) -> Gazetteer {
        let mut places = Vec::with_capacity(expected);
        let mut names = Dict::with_capacity(expected * 3 / 2);
        for line in lines.filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let mut cols = line.splitn(6, '\t');
            let (Some(path), Some(kind)) = (cols.next(), cols.next()) else {
                continue;
            };
            let (Some(rank), Some(population), Some(_id), Some(variants)) =
                (cols.next(), cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            if variants.contains('\t') {
                continue;
            }
            let Some(kind) = Kind::parse(kind) else {
                continue;
            };
            let id = places.len() as u32;
            let variants: Vec<&'static str> = variants.split('|').collect();
            for name in &variants {
                let key = words::key(name);
                // Names made of function words only ("Je ne", a variant of Djenné) are noise.
                if key
                    .split(' ')
                    .all(|w| w.len() <= 2 || crate::analysis::is_stop_word(w))
                {
                    continue;
                }
                names.insert(key, id);
            }
            places.push(Place {
                path,
                kind,
                rank: rank.parse().unwrap_or(0),
                population: population.parse().unwrap_or(0),
                names: variants,
            });
        }
        names.finish();
        let common = list::entries(COMMON_WORDS).map(str::to_string).collect();
        Gazetteer {
            places,
            names,
            common,
        }
    }

    /// Whether a one-word name (folded) is also an ordinary French word (`dire` for Diré).
    pub fn is_common_word(&self, folded: &str) -> bool {
        self.common.contains(folded)
    }

    /// The place with id `id`.
    pub fn place(&self, id: u32) -> &Place {
        &self.places[id as usize]
    }

    /// The name dictionary.
    pub fn names(&self) -> &Dict<u32> {
        &self.names
    }

    /// The place at `path`, if any.
    pub fn by_path(&self, path: &str) -> Option<&Place> {
        self.places.iter().find(|p| p.path == path)
    }

    /// Places named `name` (any spelling, accents optional), most likely first.
    pub fn lookup(&self, name: &str) -> Vec<&Place> {
        let key = words::key(name);
        let mut found: Vec<&Place> = self
            .names
            .get(&key)
            .iter()
            .map(|&id| self.place(id))
            .collect();
        found.sort_by(|a, b| {
            b.rank
                .cmp(&a.rank)
                .then(b.population.cmp(&a.population))
                .then(a.path.cmp(b.path))
        });
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_area_and_member_of_the_areas_table_is_a_place_of_the_gazetteer() {
        let paths: std::collections::HashSet<&str> = crate::text::list::entries(TABLE)
            .filter_map(|line| line.split('\t').next())
            .collect();
        let areas: Vec<&str> = crate::text::list::entries(AREAS)
            .filter_map(|line| line.split('\t').next())
            .filter(|area| area.starts_with('/'))
            .collect();
        assert!(areas.len() >= 8);
        let sahel = named_area("sahel").unwrap();
        assert!(sahel.contains(&"/Mali") && sahel.iter().all(|m| paths.contains(m)));
        assert_eq!(named_area("Sahel occidental"), Some(sahel));
        assert_eq!(named_area("Mopti"), None);
        for area in areas {
            assert!(paths.contains(area), "{area}");
            let members = area_members(area);
            assert!(!members.is_empty(), "{area}");
            for member in members {
                assert!(paths.contains(member), "{area}: {member}");
            }
        }
        assert!(area_members("/Mali/Mopti").is_empty());
    }

    #[test]
    fn it_resolves_spelling_variants_to_one_place() {
        let g = Gazetteer::get();
        for name in ["Tin Zaouatine", "Ti-n-Zaouâtene", "Tinzaouaten"] {
            assert_eq!(
                g.lookup(name)[0].path,
                "/Mali/Kidal/Abeïbara/Ti-n-Zaouâtene",
                "{name}"
            );
        }
        assert_eq!(g.lookup("Menaka")[0].path, g.lookup("Ménaka")[0].path);
        assert_eq!(g.lookup("Timbuktu")[0].path, g.lookup("Tombouctou")[0].path);
        assert_eq!(
            g.lookup("Boulikessi")[0].path,
            g.lookup("Boulkessi")[0].path
        );
    }

    #[test]
    fn it_knows_the_hierarchy() {
        let g = Gazetteer::get();
        let bandiagara = g.lookup("Bandiagara")[0];
        assert_eq!(bandiagara.path, "/Mali/Mopti/Bandiagara");
        assert_eq!(bandiagara.region(), Some("Mopti"));
        assert_eq!(g.lookup("Mali")[0].path, "/Mali");
        assert_eq!(g.lookup("Taoudénit")[0].kind, Kind::Region);
        assert!(g.lookup("Algérie")[0].kind == Kind::Country);
    }
}
