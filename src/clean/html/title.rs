//! The headline of a saved HTML page, and the site's name that surrounds it.
//!
//! The headline printed above the article (`<h1>`) is the title a reader sees; `og:title` and
//! `<title>` are often rewritten for search engines and shares, or carry the site's name.
//! In order: an `<h1>` the template marks as the post's title (`entry-title`, `post-title`,
//! `itemprop=headline`); else the first `<h1>` that is not the site's name or logo and says
//! what `og:title` says (most of its words); else `og:title`; else the first `<h1>`; else the
//! JSON-LD `headline`; else `<title>`. From `og:title` and `<title>` only the parts that are
//! the site's name are cut, at either end ("Headline – Section – Site" keeps "Headline –
//! Section"; "A – B" where neither is the site stays whole).

use dom_query::{Document, Selection};
use serde_json::Value;

use super::{meta, text_of};
use crate::text::squash_spaces;

/// Separators between a headline and the site's name in `<title>`.
const SEPARATORS: [&str; 9] = [" | ", " - ", " – ", " — ", " :: ", " · ", "｜", " » ", "--"];

/// Most words of a site's name read off `<title>`.
const SITE_MAX_WORDS: usize = 5;

/// Most words of an `<h1>` read as a headline.
const HEADLINE_MAX_WORDS: usize = 40;

/// Fewest words of an `<h1>` compared with `og:title` (a section's name is shorter).
const COMPARED_MIN_WORDS: usize = 3;

/// Share of an `<h1>`'s words that `og:title` must hold for the two to say the same thing.
const AGREEMENT: f64 = 0.5;

/// The site's names: the declared one (`og:site_name`, `application-name`, the JSON-LD
/// publisher) or else the shorter outer part of `<title>`, and the address's host.
pub(super) struct Site {
    names: Vec<String>,
}

impl Site {
    pub(super) fn of(doc: &Document, ld: &[Value], url: Option<&str>) -> Site {
        let mut names = Vec::new();
        if let Some(declared) = declared_name(doc, ld) {
            names.push(declared);
        }
        // Without a declared name, a short outer part of `<title>` ("Headline - Site",
        // "Site | Headline").
        let title = title_tag(doc).filter(|_| names.is_empty());
        if let Some(title) = title {
            let ends = SEPARATORS.iter().find_map(|sep| {
                let (_, last) = title.rsplit_once(sep)?;
                let (first, _) = title.split_once(sep)?;
                Some((first, last))
            });
            if let Some((first, last)) = ends {
                let shorter = if first.chars().count() < last.chars().count() {
                    first
                } else {
                    last
                };
                if shorter.split_whitespace().count() <= SITE_MAX_WORDS {
                    names.push(shorter.trim().to_string());
                }
            }
        }
        if let Some(host) = url.and_then(host_label) {
            names.push(host);
        }
        names.retain(|n| key(n).chars().count() >= 2);
        Site { names }
    }

    /// The declared name, for the `site` field.
    pub(super) fn declared(doc: &Document, ld: &[Value]) -> Option<String> {
        declared_name(doc, ld)
    }

    /// Whether `text` is the site's name, written any way (`Entermedia`, `엔터 미디어` is
    /// not matched, `BIGLOBEニュース` is by its host `biglobe`): the same letters, or one
    /// holding the other when the text is little longer than the name.
    fn is_name(&self, text: &str) -> bool {
        let text = key(text);
        !text.is_empty()
            && self.names.iter().any(|name| {
                let name = key(name);
                let (t, n) = (text.chars().count(), name.chars().count());
                text == name
                    || (n >= 4 && text.contains(&name) && t <= n + 10)
                    || (t >= 2 && name.contains(&text))
            })
    }
}

fn declared_name(doc: &Document, ld: &[Value]) -> Option<String> {
    meta(doc, &["og:site_name", "application-name"]).or_else(|| {
        ld.iter()
            .find_map(|o| o.get("publisher")?.get("name")?.as_str().map(squash_spaces))
    })
}

/// Letters and digits only, lowercase: how names are compared.
fn key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The main label of an address's host (`https://www.my6sense.com/…` → `my6sense`).
fn host_label(url: &str) -> Option<String> {
    let host = url
        .split("://")
        .nth(1)?
        .split(['/', '?', '#', ':'])
        .next()?;
    let labels: Vec<&str> = host.split('.').filter(|l| *l != "www").collect();
    // The label before the public suffix (`co.uk`, `com.br`: a short second-to-last label).
    let label = match labels.as_slice() {
        [.., name, second, _] if second.len() <= 3 && name.len() > 3 => name,
        [.., name, _] => name,
        _ => return None,
    };
    Some(label.to_string())
}

fn title_tag(doc: &Document) -> Option<String> {
    doc.select("head title")
        .iter()
        .next()
        .map(|t| text_of(&t))
        .filter(|t| !t.is_empty())
}

/// `title` without the parts at either end that are the site's name.
fn strip_site(title: &str, site: &Site) -> String {
    let mut title = title.trim();
    loop {
        let cut = SEPARATORS.iter().find_map(|sep| {
            let (head, tail) = title.rsplit_once(sep)?;
            if site.is_name(tail) && !head.trim().is_empty() {
                return Some(head.trim());
            }
            let (head, tail) = title.split_once(sep)?;
            (site.is_name(head) && !tail.trim().is_empty()).then(|| tail.trim())
        });
        match cut {
            Some(rest) => title = rest,
            None => return title.to_string(),
        }
    }
}

/// An `<h1>` that is the site's logo: named so, or only a link to the site's home page.
fn is_logo(h1: &Selection) -> bool {
    let named = |e: &Selection| {
        ["class", "id"].iter().any(|a| {
            e.attr(a).is_some_and(|v| {
                let v = v.to_ascii_lowercase();
                [
                    "logo",
                    "site-title",
                    "site-name",
                    "sitename",
                    "brand",
                    "masthead",
                ]
                .iter()
                .any(|n| v.contains(n))
            })
        })
    };
    let home_link = |e: &Selection| {
        e.is("a")
            && e.attr("href").is_some_and(|h| {
                let h = h.trim_end_matches('/');
                h.is_empty()
                    || h.ends_with(".com")
                    || !h.contains('/')
                    || h.matches('/').count() <= 2
            })
    };
    named(h1)
        || h1
            .ancestors(Some(3))
            .iter()
            .any(|a| named(&a) || home_link(&a))
        || h1
            .select("a")
            .iter()
            .any(|a| home_link(&a) && text_of(&a) == text_of(h1))
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether an `<h1>` says what `og:title` says: most of its words are there.
fn agrees(h1: &str, og: &str) -> bool {
    let h = words(h1);
    if h.len() < COMPARED_MIN_WORDS {
        return false;
    }
    let o = words(og);
    let shared = h.iter().filter(|w| o.contains(w)).count();
    shared as f64 >= AGREEMENT * h.len() as f64
}

/// The page's headline.
pub(super) fn headline(doc: &Document, ld: &[Value], site: &Site) -> Option<String> {
    let h1s: Vec<(Selection, String)> = doc
        .select("h1")
        .iter()
        .map(|h| {
            let text = text_of(&h);
            (h, text)
        })
        .filter(|(h, text)| {
            !text.is_empty()
                && text.split_whitespace().count() <= HEADLINE_MAX_WORDS
                && !site.is_name(text)
                && !is_logo(h)
        })
        .collect();
    let marked = h1s.iter().find(|(h, _)| {
        h.is("[itemprop=\"headline\"]")
            || ["class", "id"].iter().any(|a| {
                h.attr(a).is_some_and(|v| {
                    ["entry-title", "post-title", "article-title", "headline"]
                        .iter()
                        .any(|n| v.contains(n))
                })
            })
    });
    if let Some((_, text)) = marked {
        return Some(text.clone());
    }
    let og = meta(doc, &["og:title", "twitter:title"]).map(|og| strip_site(&og, site));
    if let Some(og) = og.filter(|o| !o.is_empty()) {
        let agreeing = h1s.iter().find(|(_, text)| agrees(text, &og));
        return Some(agreeing.map_or(og, |(_, text)| text.clone()));
    }
    if let Some((_, text)) = h1s.first() {
        return Some(text.clone());
    }
    super::ld_string(ld, "headline")
        .or_else(|| title_tag(doc).map(|t| strip_site(&t, site)))
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title_of(html: &str, url: Option<&str>) -> Option<String> {
        let doc = Document::from(html);
        let ld = super::super::json_ld(&doc);
        headline(&doc, &ld, &Site::of(&doc, &ld, url))
    }

    #[test]
    fn only_the_sites_name_is_cut() {
        let page = r#"<head><title>Die elektronische Patientenakte (ePA) – der lange Marsch – heise online</title>
            <meta property="og:site_name" content="heise online"></head>"#;
        assert_eq!(
            title_of(page, None).as_deref(),
            Some("Die elektronische Patientenakte (ePA) – der lange Marsch")
        );
        // The site's name inside the headline stays.
        let page = r#"<head><meta property="og:title" content="Native Ad Platform my6sense Names Ivan Braiker | my6sense">
            <meta property="og:site_name" content="my6sense"></head>"#;
        assert_eq!(
            title_of(page, None).as_deref(),
            Some("Native Ad Platform my6sense Names Ivan Braiker")
        );
        // Known by its address only.
        let page = "<head><title>乃木坂46・与田祐希の一枚｜BIGLOBEニュース</title></head>";
        assert_eq!(
            title_of(page, Some("https://news.biglobe.ne.jp/x.html")).as_deref(),
            Some("乃木坂46・与田祐希の一枚")
        );
    }

    #[test]
    fn the_printed_headline_wins_over_the_one_for_shares() {
        // A blog: the site's name in a logo h1, the post's title marked.
        let page = r#"<head><meta property="og:title" content="Simple Hiking Survival Kit - The Anti-June Cleaver">
            <meta property="og:site_name" content="The Anti-June Cleaver"></head>
            <body><h1 class="logo"><a href="/">The Anti-June Cleaver</a></h1>
            <h1 class="post-title entry-title">Hiking the Boulder Flat Irons</h1></body>"#;
        assert_eq!(
            title_of(page, None).as_deref(),
            Some("Hiking the Boulder Flat Irons")
        );
        // The h1 says what og:title says, in other words: the h1.
        let page = r#"<head><meta property="og:title" content="House Hitler was born in to become police station"></head>
            <body><h1>House Hitler was born in will become a police station, Austria says</h1></body>"#;
        assert_eq!(
            title_of(page, None).as_deref(),
            Some("House Hitler was born in will become a police station, Austria says")
        );
        // A section's name in the h1: og:title.
        let page = r#"<head><meta property="og:title" content="Incêndio atinge casa em Rondônia"></head>
            <body><h1>Rondônia</h1></body>"#;
        assert_eq!(
            title_of(page, None).as_deref(),
            Some("Incêndio atinge casa em Rondônia")
        );
        // A logo h1 linking home is not the headline.
        let page = r#"<head><title>엘제이-류화영 진흙탕 싸움 - Entermedia</title></head>
            <body><h1 id="site-title"><a href="/"><h1>엔터 미디어</h1></a></h1></body>"#;
        assert_eq!(
            title_of(page, None).as_deref(),
            Some("엘제이-류화영 진흙탕 싸움")
        );
    }
}
