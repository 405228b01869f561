//! Saved HTML pages: the article's title, publication date and main text, with a real HTML
//! parser (html5ever through dom_query) and Mozilla's Readability algorithm (dom_smoothie) for
//! the main text.
//!
//! Title: `og:title`, else the `<h1>` (unless it is the site's name), else `<title>` minus the
//! site's name. Date: `article:published_time`, else a `<time datetime>` of the article, else
//! JSON-LD `datePublished`, else left to the byline the cleaner finds in the text ("AFP,
//! publié le vendredi 15 mai 2020 à 19h56"). A machine date is read as the calendar date the
//! publisher wrote (`2020-06-06T00:12:00+02:00` is 6 June), never converted to UTC.

use std::sync::OnceLock;

use dom_query::{Document, Selection};
use dom_smoothie::{Config, Readability, TextMode};
use serde_json::Value;

use super::date::find_dates;
use crate::ingest::Fields;
use crate::text::{date, list, squash_spaces};

fn meta(doc: &Document, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|key| {
        doc.select(&format!("meta[property=\"{key}\"], meta[name=\"{key}\"]"))
            .iter()
            .find_map(|m| m.attr("content"))
            .map(|c| squash_spaces(&c))
            .filter(|c| !c.is_empty())
    })
}

fn text_of(selection: &Selection) -> String {
    squash_spaces(&selection.text())
}

/// JSON-LD objects of the page (`@graph` members and arrays flattened).
fn json_ld(doc: &Document) -> Vec<Value> {
    fn flatten(value: Value, out: &mut Vec<Value>) {
        match value {
            Value::Array(items) => items.into_iter().for_each(|v| flatten(v, out)),
            Value::Object(mut map) => {
                if let Some(graph) = map.remove("@graph") {
                    flatten(graph, out);
                }
                out.push(Value::Object(map));
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for script in doc.select("script[type=\"application/ld+json\"]").iter() {
        if let Ok(value) = serde_json::from_str::<Value>(script.text().trim()) {
            flatten(value, &mut out);
        }
    }
    out
}

fn ld_string(objects: &[Value], key: &str) -> Option<String> {
    objects.iter().find_map(|o| match o.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(squash_spaces(s)),
        _ => None,
    })
}

/// The site's name: `og:site_name`, JSON-LD publisher, or what `<title>` adds to the headline.
fn site_name(doc: &Document, ld: &[Value]) -> Option<String> {
    meta(doc, &["og:site_name", "application-name"]).or_else(|| {
        ld.iter()
            .find_map(|o| o.get("publisher")?.get("name")?.as_str().map(squash_spaces))
    })
}

/// Separators between a headline and the site's name in `<title>`.
const TITLE_SEPARATORS: [&str; 6] = [" | ", " - ", " – ", " — ", " :: ", " · "];

/// `<title>` without the site's name, before or after the headline.
fn strip_site(title: &str, site: Option<&str>) -> String {
    let parts: Vec<&str> = {
        let mut parts = vec![title];
        for sep in TITLE_SEPARATORS {
            parts = parts.iter().flat_map(|p| p.split(sep)).collect();
        }
        parts.into_iter().map(str::trim).collect()
    };
    if parts.len() < 2 {
        return title.trim().to_string();
    }
    let is_site = |part: &str| {
        site.is_some_and(|s| {
            let (p, s) = (part.to_lowercase(), s.to_lowercase());
            p.contains(&s) || s.contains(&p)
        })
    };
    // The headline is the longest part that is not the site's name.
    parts
        .iter()
        .filter(|p| !is_site(p))
        .max_by_key(|p| p.chars().count())
        .map_or_else(|| title.trim().to_string(), |p| p.to_string())
}

fn headline(doc: &Document, ld: &[Value], site: Option<&str>) -> Option<String> {
    let title_tag = doc
        .select("head title")
        .iter()
        .next()
        .map(|t| text_of(&t))
        .filter(|t| !t.is_empty());
    let site = site.map(str::to_string).or_else(|| {
        // No declared name: the shorter side of `<title>`'s separator ("Headline - Site",
        // "Site | Headline").
        title_tag.as_deref().and_then(|t| {
            TITLE_SEPARATORS
                .iter()
                .find_map(|sep| t.split_once(sep))
                .map(|(a, b)| {
                    if a.chars().count() < b.chars().count() {
                        a
                    } else {
                        b
                    }
                })
                .map(|s| s.trim().to_string())
        })
    });
    let is_site_name = |text: &str| {
        site.as_deref().is_some_and(|s| {
            let (t, s) = (text.to_lowercase(), s.to_lowercase());
            t == s || s.contains(&t)
        })
    };
    if let Some(og) = meta(doc, &["og:title", "twitter:title"]) {
        return Some(strip_site(&og, site.as_deref()));
    }
    if let Some(h1) = doc
        .select("h1")
        .iter()
        .map(|h| text_of(&h))
        .find(|h| !h.is_empty() && !is_site_name(h))
    {
        return Some(h1);
    }
    ld_string(ld, "headline")
        .or_else(|| title_tag.map(|t| strip_site(&t, site.as_deref())))
        .filter(|t| !t.is_empty())
}

const PAGE_WORDS: &str = include_str!("../../data/page_words.tsv");

/// The words of `data/page_words.tsv` that tell the parts of a page apart.
struct Words {
    /// A CSS selector of the elements that are never the article's text.
    furniture_tags: String,
    furniture_names: Vec<&'static str>,
    byline_names: Vec<&'static str>,
    date_names: Vec<&'static str>,
    published: Vec<&'static str>,
    update: Vec<&'static str>,
}

fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| {
        let kind = |kind| list::of_kind(PAGE_WORDS, kind).collect::<Vec<_>>();
        Words {
            furniture_tags: kind("furniture-tag").join(", "),
            furniture_names: kind("furniture-name"),
            byline_names: kind("byline-name"),
            date_names: kind("date-name"),
            published: kind("published"),
            update: kind("update"),
        }
    })
}

/// Words that mark a date as an update, not the publication.
fn is_update(text: &str) -> bool {
    let lower = text.to_lowercase();
    words().update.iter().any(|w| lower.contains(w))
}

/// The publication date of the article from `<time datetime>`: one marked as the publication
/// (`itemprop=datePublished`, `pubdate`), else the first inside `<article>` that is not an
/// update. Navigation lists of other headlines carry their own `<time>`s outside it.
fn time_element(doc: &Document) -> Option<String> {
    let marked = doc
        .select("time[itemprop=\"datePublished\"][datetime], time[pubdate][datetime]")
        .iter()
        .find_map(|t| t.attr("datetime").map(|d| d.to_string()));
    marked.or_else(|| {
        doc.select("article time[datetime]")
            .iter()
            .find(|t| {
                let context = t.parent().text();
                let before = context
                    .split(t.text().as_ref())
                    .next()
                    .unwrap_or_default()
                    .to_string();
                !is_update(&before) && !is_update(&t.text())
            })
            .and_then(|t| t.attr("datetime").map(|d| d.to_string()))
    })
}

/// Longest text of an element read as a byline.
const BYLINE_CHARS: usize = 200;

fn named(element: &Selection, names: &[&str]) -> bool {
    ["class", "id"].iter().any(|a| {
        element.attr(a).is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            names.iter().any(|n| v.contains(n))
        })
    })
}

/// The first date of `text` that is not an update ("publié le 5 septembre …, mis à jour le
/// 6 septembre" gives the 5th).
fn first_publication_date(text: &str) -> Option<String> {
    find_dates(text)
        .into_iter()
        .find(|m| {
            let before = &text[..m.offset];
            let start = before.char_indices().rev().nth(24).map_or(0, |(i, _)| i);
            !is_update(&before[start..])
        })
        .map(|m| m.date.to_string())
}

/// The publication date written in the page's byline: a machine date of hAtom or microdata
/// markup; else the first date of an element named like a byline, then of a short element
/// saying "publié le", then of an element named like a date. Elements in lists and links, or
/// holding a headline's link (other articles with their dates), are not bylines.
fn byline_date(doc: &Document) -> Option<String> {
    let machine = doc
        .select("[itemprop=\"datePublished\"][content], .published[title]")
        .iter()
        .find_map(|e| e.attr("content").or_else(|| e.attr("title")))
        .and_then(|d| calendar_date(&d));
    if machine.is_some() {
        return machine;
    }
    let candidates: Vec<(Selection, String)> = doc
        .select("body *")
        .iter()
        .filter(|e| !e.is("li *, a, a *, nav *, aside *, footer *, script, style"))
        .filter(|e| {
            !e.select("a")
                .iter()
                .any(|a| a.text().split_whitespace().count() >= 5)
        })
        .map(|e| {
            let text = squash_spaces(&e.text());
            (e, text)
        })
        .filter(|(_, text)| !text.is_empty() && text.chars().count() <= BYLINE_CHARS)
        .collect();
    type Tier<'t> = &'t dyn Fn(&Selection, &str) -> bool;
    let tiers: [Tier; 3] = [
        &|e, _| named(e, &words().byline_names),
        &|_, text| {
            let lower = text.to_lowercase();
            words().published.iter().any(|w| lower.contains(w))
        },
        &|e, _| named(e, &words().date_names),
    ];
    tiers.iter().find_map(|tier| {
        candidates
            .iter()
            .filter(|(e, text)| tier(e, text))
            .find_map(|(_, text)| first_publication_date(text))
    })
}

/// `2020-06-06T00:12:00+02:00` → `2020-06-06`: the calendar date as the publisher wrote it.
fn calendar_date(machine: &str) -> Option<String> {
    date::parse_day(machine).map(|d| d.to_string())
}

/// Whether a `class`/`id` value names furniture: a class holds one of the names, as one of
/// its words (split on `-` and `_`), or as the start of a word for names of four letters or
/// more (`socials`, `commentaires`, `legende`).
fn names_furniture(value: &str) -> bool {
    let value = value.to_ascii_lowercase();
    value.split_whitespace().any(|class| {
        words().furniture_names.iter().any(|name| {
            (name.contains('-') && class.contains(name))
                || class
                    .split(['-', '_'])
                    .any(|word| word == *name || (name.len() >= 4 && word.starts_with(name)))
        })
    })
}

/// Removes the page's furniture before Readability looks for the article, never an element
/// holding the headline or the article itself.
fn strip_furniture(doc: &Document) {
    let keeps_article = |element: &Selection| {
        element.is("h1, article, main") || element.select("h1, article, main").length() > 0
    };
    for element in doc.select(&words().furniture_tags).iter() {
        if !keeps_article(&element) {
            element.remove();
        }
    }
    for element in doc.select("[class], [id]").iter() {
        let named = element.attr("class").is_some_and(|c| names_furniture(&c))
            || element.attr("id").is_some_and(|i| names_furniture(&i));
        if named && !keeps_article(&element) {
            element.remove();
        }
    }
}

/// The main text: Readability's article, one paragraph per line.
fn main_text(html: &str) -> Option<String> {
    let config = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    let doc = Document::from(html);
    strip_furniture(&doc);
    let text = Readability::with_document(doc, None, Some(config))
        .ok()
        .and_then(|mut r| r.parse().ok())
        .map(|article| article.text_content.to_string())
        .filter(|t| !t.trim().is_empty());
    text.map(|t| {
        t.lines()
            .map(squash_spaces)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n")
    })
}

/// The fields of a saved article page; `None` when it holds no article (neither a title nor
/// a text).
pub fn fields(html: &str) -> Option<Fields> {
    let doc = Document::from(html);
    let ld = json_ld(&doc);
    let site = site_name(&doc, &ld);
    let title = headline(&doc, &ld, site.as_deref());
    let mut body = main_text(html);
    // Layouts without semantic tags leave the headline in the text.
    if let (Some(text), Some(title)) = (&mut body, &title) {
        if let Some(rest) = text.strip_prefix(title.as_str()) {
            *text = rest.trim_start().to_string();
        }
    }
    let date = meta(
        &doc,
        &[
            "article:published_time",
            "og:article:published_time",
            "datePublished",
            "date",
            "DC.date.issued",
        ],
    )
    .or_else(|| time_element(&doc))
    .or_else(|| ld_string(&ld, "datePublished"))
    .and_then(|d| calendar_date(&d))
    .or_else(|| byline_date(&doc));
    let url = meta(&doc, &["og:url"]).or_else(|| {
        doc.select("link[rel=\"canonical\"]")
            .iter()
            .find_map(|l| l.attr("href").map(|h| h.to_string()))
    });
    let found = body.is_some() || title.is_some();
    found.then_some(Fields {
        id: None,
        title,
        date,
        body,
        summary: meta(&doc, &["og:description", "description"]),
        url,
        site,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Markup made of the tags, attributes and text real pages mix, unbalanced and nested at
    /// random.
    fn markup_soup() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("<html><head>".to_string()),
            Just("<meta charset=\"windows-1252\">".to_string()),
            Just("<meta property=\"og:title\" content=\"Attaque à Gao\">".to_string()),
            Just(
                "<meta property=\"article:published_time\" content=\"2020-05-15T19:56:00+02:00\">"
                    .to_string()
            ),
            Just(
                "<script type=\"application/ld+json\">{\"datePublished\": \"2020-05\"".to_string()
            ),
            Just("<title>Mali | Site</title>".to_string()),
            Just("<h1>".to_string()),
            Just("</h1>".to_string()),
            Just("<article><p>".to_string()),
            Just("</p></article>".to_string()),
            Just("<time datetime=\"x\">".to_string()),
            Just("<li class=\"related\"><a href=#>".to_string()),
            Just("<div class=\"byline\">Publié le 3 mars 2019".to_string()),
            Just("</div>".to_string()),
            Just("<!--".to_string()),
            Just("&eacute;&#039;&".to_string()),
            "[A-Za-zÀ-ÿ' ,.:]{0,80}",
            "\\PC{0,20}",
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn no_markup_makes_the_page_reader_panic(html in markup_soup()) {
            let date = fields(&html).and_then(|f| f.date);
            if let Some(date) = date {
                prop_assert!(chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").is_ok());
            }
        }
    }
}
