//! Finds an article inside text copied from a web page: its title, byline and body.
//!
//! Pages come with a run of unrelated site headlines, ads, photo credits, "read more" links,
//! comment forms, reader comments and cookie notices. Lines are classified one by one;
//! everything after the start of the comments section is dropped; the title is the first
//! headline-like line (a single sentence, short) that survives, or the one just before a
//! byline ("Publié dans … le 09 - 02 - 2022").

use std::sync::OnceLock;

use regex::{Regex, RegexSet};

use crate::text::squash_spaces;

/// What a page's text holds once the page around the article is gone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// The article's own headline, when one was found.
    pub title: Option<String>,
    /// Byline lines ("Rédigé par … le …", "Publié le …"), where the publication date is.
    pub bylines: Vec<String>,
    /// Lines that are only a date and time ("Updated Nov 19, 6:55 AM", "02/12/2019 07:12"):
    /// a byline's, or another headline's in a list, or a header's clock, so read after the
    /// bylines; those under the headline first.
    pub datelines: Vec<String>,
    /// A `date YYYY-MM` marker some scrapers put in front of the text.
    pub month_marker: Option<(i32, u32)>,
    /// The article's paragraphs, separated by blank lines.
    pub body: String,
}

/// Longest line that can be page furniture (a cookie notice is about 250 bytes).
const FURNITURE_MAX_BYTES: usize = 600;

/// Lines that are page furniture wherever they appear. A word's end is written `(\W|$)`, not
/// `\b`: the regex engine's fast automata cannot test Unicode word boundaries on text with
/// accents and fall back to a slow one, on the few lines with a `\b` test to make
/// (BENCHMARKS.md, design choices).
fn furniture() -> &'static RegexSet {
    static SET: OnceLock<RegexSet> = OnceLock::new();
    SET.get_or_init(|| {
        RegexSet::new([
            r"(?i)^(publicit[ée]|advertisement|annonce|sponsoris[ée]|contenu sponsoris[ée])\s*$",
            r"(?i)^cr[ée]dits?\s*(photos?)?\s*:",
            r"(?i)^(photo|image|illustration|foto|фото|bild)\s*:",
            r"(?i)^(image|photo) d['’]illustration\.?\s*$",
            r"(?i)^©",
            // A credit line on its own ("Orange avec AFP-Services,", "Le Globe Afrique avec AFP").
            r"(?i)^[^.!?:;]+\savec\s(l['’])?(afp|ap|reuters|media services|afp-services|ats|belga|agences?)(?-u:\b)[a-z -]*,?$",
            r"(?i)^(cliquez|clique) ici",
            r"(?i)^(à |a )?lire (aussi|également|egalement|la suite|plus)(\W|$)",
            r"(?i)^(voir aussi|sur le même sujet|articles? similaires?|dans la même rubrique|les plus lus)(\W|$)",
            r"(?i)^(partager|partagez|imprimer|envoyer à un ami|réagir)($|\W.{0,39}$)",
            r"(?i)^(suivez|abonnez)[- ](nous|vous)(\W|$)",
            r"(?i)^(newsletter|inscrivez-vous)(\W|$)",
            r"(?i)^merci d['’]avoir signal",
            r"(?i)^cette image sera automatiquement bloqu",
            r"(?i)^(signaler|signaler un abus)\s*!?$",
            r"(?i)^tous droits réservés",
            r"(?i)^copyright(\W|$)",
            r"(?i)^indiquer votre",
            r"(?i)^\*?\s*champs? obligatoires?",
            r"(?i)^conformément à la loi informatique",
            r"(?i)^votre commentaire",
            r"(?i)^vous souhaitez pouvoir ajouter un commentaire",
            r"(?i)cookies?(?-u:\b).*(?-u:\b)(navigation|accept|utilisation|consent|paramétr)",
            r"(?i)(en poursuivant|en continuant) votre navigation",
            // Pages in other languages (the public page sets): headings of other articles'
            // lists, calls to subscribe or share, ads.
            r"(?i)^\[?(related|read more|see more|more|also|related posts?|related news|related articles?|related stories|more news from \S.*|more great .* stories)\s*(:|\.\.\.|…|\]?$)",
            r"(?i)^(you may also like|you might also like|recommended for you|most read|most popular|don['’]t miss|trending now|trending\s*$|also on \S+\.\w+|join the conversation|tell us what you think|about the author|filed under:|report (an )?error\s*$)",
            r"(?i)^(sign up|subscribe)(\s+(to|for|now|today)(\W|$)|\s*[:!]|\s*$)",
            r"(?i)^(click here|get the .* app|read more on)",
            r"(?i)^(advert|advertisement|iklan|anzeige|publicidade|publicidad)\s*$",
            r"(?i)^(\d+\s+)?comments?\s*(\(\d+\))?\s*$",
            r"(?i)^((whatsapp|facebook|twitter|pinterest|pint|linkedin|e-?mail|print|imprimer|partager|share|tweet|reddit|telegram|messenger|copy link|baixar|flipboard)[\s|·•,]*){2,}$",
            r"(?i)(getty images|shutterstock|istock(photo)?|(?-u:\b)ap photo|afp photo)\W{0,3}$",
        ])
        .expect("furniture patterns are valid")
    })
}

/// Longest line read as a heading of a list of other articles.
const LIST_HEADING_MAX_BYTES: usize = 60;

/// A heading of a list of other articles, alone on its line.
fn list_heading() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)^((à |a )?lire (aussi|également|egalement)|voir aussi|sur le même sujet|articles? similaires?|dans la même rubrique|les plus lus|autres articles|dernières infos|sujets connexes|sujets associés|vous aimerez aussi|you may also like|you might also like|related( stories| articles| posts| news| coverage)?|more from .*|more news( from .*)?|more great .* stories|trending( now)?|most read( stories)?|most popular|don['’]t miss|recommended( for you)?|want more stories like this)[\s.…:!?]*$",
        )
        .expect("list heading pattern is valid")
    })
}

/// Most words of another article's headline in a list.
const LIST_ITEM_MAX_WORDS: usize = 20;

/// A line of a list of other articles: a headline, a kicker, a date — short, ending no
/// sentence.
fn is_list_item(line: &str) -> bool {
    let words = line.split_whitespace().count();
    // A headline may end with a quotation ("… de 33 \"terroristes\""); a short one.
    let quoted = line.ends_with(['»', '"', '”']);
    words <= LIST_ITEM_MAX_WORDS
        && !line.ends_with(['.', '!'])
        && (!quoted || words <= QUOTED_ITEM_MAX_WORDS)
        && !comments_start().is_match(line)
}

/// Most words of a listed headline that ends with a quotation.
const QUOTED_ITEM_MAX_WORDS: usize = 15;

/// A line where the reader comments begin: nothing after it belongs to the article.
fn comments_start() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)^((\d+\s+)?(commentaires?|réactions?)(\s*\(\d+\))?\s*:?|derniers commentaires|laisser un commentaire|ajouter un commentaire|commenter cet article|vos commentaires|les commentaires sont fermés.*|réagissez à cet article|\d+ (réflexions?|commentaires?|réponses?|responses?|comments?|thoughts?) (sur|à|on|to) .*|laisser un commentaire.*|leave a (comment|reply).*)\s*$",
        )
        .expect("comment pattern is valid")
    })
}

/// The words every byline holds one of (ASCII case ignored): a quick test before the
/// byline's pattern, which most lines of text never need.
fn byline_words() -> &'static aho_corasick::AhoCorasick {
    static WORDS: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    WORDS.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build([
                "par ",
                "par\u{a0}",
                "publi",
                "rédigé",
                "redige",
                "posté",
                "mis à jour",
                "mise à jour",
                "mis en ligne",
                "mise en ligne",
            ])
            .expect("byline words are valid")
    })
}

/// Where a byline begins inside a line ("… expatriés Rédigé par Massene Diop le 18 Juin 2017").
fn byline_start() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i:(^|\s)(rédigé par|redige par|publié le|publie le|publié dans|publié par|publiée le|posté le|mis à jour le|mise à jour le|mis en ligne|mise en ligne))|(^|\s)Par\s+\p{Lu}[^,;:!?()«»\x22]{1,50}?(\s+le\s+|\s*[-–,•|·]\s*)\d{1,2}(\W|$)",
        )
        .expect("byline pattern is valid")
    })
}

/// A line that says when (and by whom) the article was published and nothing else: "Updated
/// Nov 19, 6:55 AM;Posted Nov 19, 6:51 AM", "PUBLISHED: 10:48, Tue, Nov 19, 2019", "By Justine
/// Coleman - 11/18/19 11:04 PM EST", "sexta-feira, 22 de outubro de 2010 às 20:13",
/// "September 15, 2014".
fn is_dateline(line: &str) -> bool {
    if line.len() > DATELINE_MAX_BYTES || !line.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    if dateline_opening().is_match(line) {
        return true;
    }
    // Nothing left once the date's words, numbers and punctuation are gone, and a date there:
    // a month's name, a time, or a date in figures (not a list of numbers).
    let mut words = line
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .peekable();
    let has_words = words.peek().is_some();
    words.all(|w| {
        let w = w.to_lowercase();
        super::date::is_month(&w) || DATELINE_WORDS.contains(&w.as_str())
    }) && (has_words || line.contains(':') || !super::date::find_dates(line).is_empty())
}

/// Whether a line speaks of its article's publication or update (the `published` and
/// `update` words of `data/page_words.tsv`).
fn says_published(line: &str) -> bool {
    let lower = line.to_lowercase();
    let words = super::words::words();
    words
        .published
        .iter()
        .chain(&words.update)
        .any(|w| lower.contains(w))
}

/// Whether the words just before a date make it an update ("mis à jour le …").
pub(crate) fn is_update_context(before: &str) -> bool {
    let lower = before.to_lowercase();
    super::words::words()
        .update
        .iter()
        .any(|w| lower.contains(w))
}

/// Longest line read as a dateline.
const DATELINE_MAX_BYTES: usize = 160;

/// The words a dateline holds beside months and figures: weekdays, times of day, time zones,
/// the little words between.
const DATELINE_WORDS: &[&str] = &[
    "mon",
    "monday",
    "tue",
    "tues",
    "tuesday",
    "wed",
    "wednesday",
    "thu",
    "thur",
    "thurs",
    "thursday",
    "fri",
    "friday",
    "sat",
    "saturday",
    "sun",
    "sunday",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "segunda",
    "terça",
    "quarta",
    "quinta",
    "sexta",
    "sábado",
    "domingo",
    "feira",
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "am",
    "pm",
    "a",
    "p",
    "m",
    "utc",
    "gmt",
    "est",
    "edt",
    "pst",
    "pdt",
    "cst",
    "cdt",
    "cet",
    "cest",
    "de",
    "às",
    "à",
    "at",
    "on",
    "le",
    "the",
    "of",
    "h",
    "min",
    "er",
    "st",
    "nd",
    "rd",
    "th",
];

fn dateline_opening() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)^[\s|:·•*-]{0,3}(published|updated|posted|last updated|publicado|atualizado|actualizado|publié|mis à jour|modifié|veröffentlicht|aktualisiert)(\W|$)|^(by|par|por|von)\s+[^.!?]*?\d{1,2}(:|h)\d{2}",
        )
        .expect("dateline pattern is valid")
    })
}

fn month_marker() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^date\s+(\d{4})-(\d{2})\b\s*").expect("marker pattern is valid"))
}

/// A line of several headlines run together, as a page's navigation copies into the text.
fn is_headline_run(line: &str) -> bool {
    // Cheap test first: a run needs wide gaps between its headlines.
    if !(line.contains("   ") || line.contains('\t') || line.contains("\u{a0}\u{a0}")) {
        return false;
    }
    let segments = gaps().split(line).filter(|s| !s.trim().is_empty()).count();
    segments >= 4
}

/// Wide gaps between the headlines of a run.
fn gaps() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\s{3,}|\t+").expect("run pattern is valid"))
}

/// A sentence ending and the next one starting.
fn sentence_break() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"[.!?…]\s+[A-ZÀ-ÖØ-Þ«\x22]").expect("sentence pattern is valid"))
}

/// Compiles the patterns now rather than when the first page needs them (the pipeline warms
/// up on its own threads).
pub(crate) fn warm_up() {
    furniture();
    comments_start();
    byline_words();
    list_heading();
    byline_start();
    month_marker();
    dateline_opening();
    gaps();
    sentence_break();
}

/// Longest signature line, in bytes.
const SIGNATURE_MAX_BYTES: usize = 160;

/// A short all-capitals line (a site's signature such as "LSI AFRICA").
fn is_signature(line: &str) -> bool {
    // Four words of capitals are never this long: paragraphs are not scanned.
    if line.len() > SIGNATURE_MAX_BYTES {
        return false;
    }
    let words = line.split_whitespace().count();
    words <= 4
        && line.chars().any(char::is_alphabetic)
        && !line.chars().any(char::is_lowercase)
        && !line.ends_with(['.', ':'])
}

/// Looks like a headline: one sentence, short, starting with a capital or a digit.
pub fn is_headline(line: &str) -> bool {
    // 220 characters are at most 880 bytes: longer lines are paragraphs.
    if line.len() > 880 {
        return false;
    }
    let sentence_break = sentence_break();
    let len = line.chars().count();
    let words = line.split_whitespace().count();
    let first = line.chars().next().unwrap_or(' ');
    (15..=220).contains(&len)
        && (3..=35).contains(&words)
        && (first.is_uppercase() || first.is_ascii_digit() || first == '«' || first == '"')
        && !sentence_break.is_match(line)
        && !line.ends_with([':', ','])
}

/// How a line is spaced: whether it holds two spaces in a row, and whether it holds
/// whitespace other than the plain space (tab, no-break space, thin space…). A line with
/// neither is neither a run of headlines nor in need of tidying, and most lines are like that.
fn spacing(line: &str) -> (bool, bool) {
    let bytes = line.as_bytes();
    let double = memchr::memmem::find(bytes, b"  ").is_some();
    // Multi-byte whitespace starts with one of four lead bytes; only those are decoded.
    let other = memchr::memchr3(b'\t', b'\n', b'\r', bytes).is_some()
        || memchr::memchr2(0x0b, 0x0c, bytes).is_some()
        || memchr::memchr3_iter(0xC2, 0xE1, 0xE2, bytes)
            .chain(memchr::memchr_iter(0xE3, bytes))
            .any(|i| line[i..].chars().next().is_some_and(char::is_whitespace));
    (double, other)
}

/// Lines after the first where the tab title's headline is looked for.
const TAB_TITLE_REACH: usize = 120;

/// Separators between a headline and the site's name in a tab title.
const TAB_TITLE_SEPARATORS: [&str; 6] = [" - ", " – ", " | ", " — ", " · ", ": "];

/// Where the headline of a copy that opens with the browser's tab title is repeated: the
/// first later line that the tab title holds whole, beside the site's name ("Headline -
/// Site", "Site | Headline"), or starts with when the tab title is cut ("Headline, la…").
fn tab_title_repeated(kept: &[String]) -> Option<usize> {
    let tab = kept.first()?;
    kept.iter()
        .enumerate()
        .skip(1)
        .take(TAB_TITLE_REACH)
        .find(|(_, line)| repeats_tab_title(tab, line))
        .map(|(i, _)| i)
}

/// Whether `line` is the headline that the tab title `tab` holds.
fn repeats_tab_title(tab: &str, line: &str) -> bool {
    let cut = tab
        .rsplit_once(" - ")
        .map_or(tab, |(head, _)| head)
        .trim_end_matches('…')
        .trim_end();
    // The headline is most of the tab title; the site's name, a line of its own too, is
    // the small rest.
    line.chars().count() >= 15
        && 2 * line.chars().count() >= tab.chars().count()
        && (tab == line
            || TAB_TITLE_SEPARATORS.iter().any(|sep| {
                tab.strip_prefix(line)
                    .is_some_and(|rest| rest.starts_with(sep))
                    || tab
                        .strip_suffix(line)
                        .is_some_and(|rest| rest.ends_with(sep))
            })
            || (tab.contains('…') && cut.chars().count() >= 15 && line.starts_with(cut)))
}

/// Splits a page's text into title, bylines and body.
pub fn read_page(text: &str) -> Page {
    read(text, true)
}

/// Cleans an article body whose title is known (a JSON export): furniture, comments and
/// bylines out, no title looked for.
pub fn read_page_body(text: &str) -> Page {
    read(text, false)
}

fn read(text: &str, find_title: bool) -> Page {
    let mut page = Page::default();
    let mut kept: Vec<String> = Vec::new();
    let mut byline_at: Option<usize> = None;
    // Datelines with the number of lines kept before them.
    let mut datelines: Vec<(usize, String)> = Vec::new();
    let mut in_list = false;
    let mut list_last: Option<String> = None;
    let tab_title = text.lines().map(str::trim).find(|l| !l.is_empty());
    for raw in text.lines() {
        let line = raw.trim().trim_start_matches('\u{feff}');
        if line.is_empty() {
            continue;
        }
        // Furniture and comment markers are short lines; an article paragraph is not checked.
        let short = line.len() <= FURNITURE_MAX_BYTES;
        if short && comments_start().is_match(line) {
            break;
        }
        // Under a heading of other articles ("A lire aussi", "You may also like"), their
        // headlines: short lines that end no sentence, up to the next paragraph.
        if in_list {
            let ends = byline_start().is_match(line)
                || is_dateline(line)
                || says_published(line)
                || tab_title.is_some_and(|tab| repeats_tab_title(tab, line));
            if !ends && is_list_item(line) {
                if is_headline(line) && !furniture().is_match(line) {
                    list_last = Some(line.to_string());
                }
                continue;
            }
            in_list = false;
            // A byline right under the list: its headline was the list's last line.
            if byline_start().is_match(line) || says_published(line) {
                if let Some(headline) = list_last.take() {
                    kept.push(headline);
                }
            }
            list_last = None;
        }
        if short && line.len() <= LIST_HEADING_MAX_BYTES && list_heading().is_match(line) {
            in_list = true;
            continue;
        }
        let (double, other) = spacing(line);
        let spaced = double || other;
        if short && furniture().is_match(line) || spaced && is_headline_run(line) {
            continue;
        }
        let mut line = if spaced {
            squash_spaces(line)
        } else {
            line.to_string()
        };
        // The marker opens its line: the pattern runs only on lines that start like it.
        let marker = line.starts_with("date") || line.starts_with("Date");
        if let Some(c) = marker.then(|| month_marker().captures(&line)).flatten() {
            if let (Ok(y), Ok(m)) = (c[1].parse(), c[2].parse()) {
                page.month_marker.get_or_insert((y, m));
            }
            let end = c.get(0).map_or(0, |m| m.end());
            line = line[end..].to_string();
            if line.is_empty() {
                continue;
            }
        }
        // Bylines sit in lines under 400 characters (at most 4 bytes each).
        if line.len() < 400 || (line.len() < 1600 && line.chars().count() < 400) {
            if let Some(m) = byline_words()
                .is_match(line.as_str())
                .then(|| byline_start().find(&line))
                .flatten()
            {
                let before = line[..m.start()].trim().to_string();
                page.bylines.push(line[m.start()..].trim().to_string());
                if before.is_empty() {
                    byline_at.get_or_insert(kept.len());
                    continue;
                }
                // The title shares the byline's line: it is the line just before it.
                byline_at.get_or_insert(kept.len() + 1);
                line = before;
            }
        }
        if is_dateline(&line) {
            datelines.push((kept.len(), line));
            continue;
        }
        // A short line with a date and a word of publication or update ("Sidi Ould Ahmed
        // |06.08.2020 - Mise À Jour : 07.08.2020") is a byline.
        if line.len() <= DATELINE_MAX_BYTES
            && line.bytes().any(|b| b.is_ascii_digit())
            && says_published(&line)
        {
            let dated = !super::date::find_dates(&line).is_empty();
            if dated {
                page.bylines.push(line);
                byline_at.get_or_insert(kept.len());
                continue;
            }
        }
        kept.push(line);
    }
    while kept.last().is_some_and(|l| is_signature(l)) {
        kept.pop();
    }
    let title_at = if !find_title {
        None
    } else if let Some(at) = tab_title_repeated(&kept) {
        // The browser's tab title opens the copy; the headline is its repetition.
        kept.remove(0);
        Some(at - 1)
    } else {
        byline_at
            .and_then(|b| {
                (b.saturating_sub(3)..b.min(kept.len()))
                    .rev()
                    .find(|&i| is_headline(&kept[i]))
            })
            .or_else(|| kept.iter().position(|l| is_headline(l)))
    };
    if let Some(i) = title_at {
        page.title = Some(kept.remove(i));
    }
    // Under the headline first: above it are the header's clock and the lists of others.
    let under = title_at.unwrap_or(0);
    let (after, before): (Vec<_>, Vec<_>) = datelines.into_iter().partition(|(at, _)| *at > under);
    page.datelines = after
        .into_iter()
        .chain(before)
        .map(|(_, line)| line)
        .collect();
    page.body = kept.join("\n\n");
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_drops_ads_credits_and_cookie_notices() {
        let page = read_page(
            "Publicité\n\nUne embuscade meurtrière près de Bandiagara\n\nLe mardi 22 octobre 2024, une embuscade a visé des soldats.\n\nCrédit Photo : DT.\nImage d’illustration.\n\nEn poursuivant votre navigation sur ce site, vous acceptez l'utilisation de cookies.",
        );
        assert_eq!(
            page.title.as_deref(),
            Some("Une embuscade meurtrière près de Bandiagara")
        );
        assert_eq!(
            page.body,
            "Le mardi 22 octobre 2024, une embuscade a visé des soldats."
        );
    }

    #[test]
    fn it_takes_datelines_out_of_the_text() {
        for line in [
            "Updated Nov 19, 6:55 AM;Posted Nov 19, 6:51 AM",
            "PUBLISHED: 10:48, Tue, Nov 19, 2019",
            "By Justine Coleman - 11/18/19 11:04 PM EST",
            "sexta-feira, 22 de outubro de 2010 às 20:13",
            "September 15, 2014",
            "Nov. 20, 2019, 9:28 AM UTC",
            "18 septembre 2020",
        ] {
            assert!(is_dateline(line), "{line}");
        }
        for line in [
            "Le 18 septembre 2020, des hommes armés ont attaqué le poste.",
            "Bilan : 12 morts",
            "2 000 déplacés",
            "34964, 35645, 36337, 6489).",
            "Published reports say 12 soldiers were killed in the attack on the base near the border with Niger, the army said on Monday in a statement read on the radio and relayed by the news agencies of the region since then",
        ] {
            assert!(!is_dateline(line), "{line}");
        }
    }

    #[test]
    fn it_drops_the_headlines_listed_under_a_heading_of_other_articles() {
        let page = read_page(
            "Un titre d'article assez long\n\nLe premier paragraphe de l'article.\n\nA lire aussi\n\nMONDE\nLa France s'insurge de la mise en cause de ses soldats\nAFRIQUE\nBarkhane neutralise plusieurs dizaines de jihadistes\n\nLe deuxième paragraphe de l'article.",
        );
        assert_eq!(
            page.body,
            "Le premier paragraphe de l'article.\n\nLe deuxième paragraphe de l'article."
        );
    }

    #[test]
    fn it_cuts_reader_comments() {
        let page = read_page(
            "Un titre d'article assez long\n\nLe corps de l'article.\n\nCommentaires (2)\n\nDjibril\n\nJe pense que la solution n'est pas militaire.",
        );
        assert_eq!(page.body, "Le corps de l'article.");
    }

    #[test]
    fn it_splits_a_byline_from_its_title() {
        let page = read_page(
            "URGENT : Attaque en cours à Bamako Rédigé par Massene Diop le 18 Juin 2017 à 18:48 | Lu 376 fois\n\nUne attaque était en cours.",
        );
        assert_eq!(
            page.title.as_deref(),
            Some("URGENT : Attaque en cours à Bamako")
        );
        assert_eq!(
            page.bylines,
            ["Rédigé par Massene Diop le 18 Juin 2017 à 18:48 | Lu 376 fois"]
        );
    }

    #[test]
    fn it_does_not_take_an_ordinary_par_for_a_byline() {
        let page = read_page(
            "Un lieu fréquenté par des expatriés Rédigé par Massene Diop le 18 Juin 2017\n\nTexte.",
        );
        assert_eq!(
            page.title.as_deref(),
            Some("Un lieu fréquenté par des expatriés")
        );
        let page = read_page("Attaque au nord du pays\nPar Jean Dupont - 12 mars 2019\n\nTexte.");
        assert_eq!(page.bylines, ["Par Jean Dupont - 12 mars 2019"]);
    }

    #[test]
    fn it_skips_a_run_of_site_headlines_separated_by_no_break_spaces() {
        let page = read_page("Le Maroc verse 5 M$\u{a0}\u{a0}\u{a0}\u{a0}Rabat et Niamey\u{a0}\u{a0}\u{a0}\u{a0}Coupe arabe\u{a0}\u{a0}\u{a0}\u{a0}Liga: un match\n\nUn titre assez long ici\n\nCorps.");
        assert!(!page.body.contains("Niamey"));
    }

    #[test]
    fn it_skips_a_run_of_site_headlines() {
        let page = read_page(
            "Coupe arabe : un malentendu    Le Maroc verse 5 M$ à Gavi    Rabat et Niamey scellent un partenariat    Liga: un match de suspension\n\nUne trentaine de djihadistes tués au Mali\nPublié dans Barlamane le 09 - 02 - 2022\n\nUne trentaine de djihadistes ont été tués.",
        );
        assert_eq!(
            page.title.as_deref(),
            Some("Une trentaine de djihadistes tués au Mali")
        );
        assert!(!page.body.contains("Niamey"));
    }

    #[test]
    fn it_reads_a_month_marker_and_skips_a_two_sentence_lede() {
        let page = read_page(
            " date 2021-06 Barkhane a été la cible d'une attaque, ce lundi 21 juin. Le véhicule a fait des morts.\n\nAttaque kamikaze contre une patrouille de Barkhane\n\nLa force Barkhane est confrontée à une adversité.",
        );
        assert_eq!(page.month_marker, Some((2021, 6)));
        assert_eq!(
            page.title.as_deref(),
            Some("Attaque kamikaze contre une patrouille de Barkhane")
        );
        assert!(page.body.starts_with("Barkhane a été la cible"));
    }

    #[test]
    fn it_keeps_a_page_without_headline_as_body() {
        let page = read_page("quelques mots sans titre. encore du texte ici.");
        assert_eq!(page.title, None);
        assert_eq!(page.body, "quelques mots sans titre. encore du texte ici.");
    }
}
