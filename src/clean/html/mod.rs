//! Saved HTML pages: the article's title, publication date and main text, with a real HTML
//! parser (html5ever through dom_query) and Mozilla's Readability algorithm (dom_smoothie) for
//! the main text.
//!
//! Title: `og:title`, else the `<h1>` (unless it is the site's name), else `<title>` minus the
//! site's name. Date: `article:published_time`, else a `<time datetime>` of the article, else
//! JSON-LD `datePublished`, else left to the byline the cleaner finds in the text ("AFP,
//! publié le vendredi 15 mai 2020 à 19h56"). A machine date is read as the calendar date the
//! publisher wrote (`2020-06-06T00:12:00+02:00` is 6 June), never converted to UTC.

use dom_query::{Document, Selection};
use dom_smoothie::{Config, Readability, TextMode};
use serde_json::Value;

mod published;
mod title;

use super::words::words;

use crate::ingest::Fields;
use crate::text::squash_spaces;

fn meta(doc: &Document, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|key| {
        doc.select(&format!("meta[property=\"{key}\"], meta[name=\"{key}\"]"))
            .iter()
            .find_map(|m| m.attr("content"))
            .map(|c| squash_spaces(&unescape_twice_escaped(&c)))
            .filter(|c| !c.is_empty())
    })
}

/// A value some sites escape twice (`Australian &amp;#039;megablaze&amp;#039;` reads
/// `Australian &#039;megablaze&#039;` once parsed): its remaining character references
/// decoded, by the HTML parser itself.
fn unescape_twice_escaped(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let escaped = value.replace('<', "&lt;");
    Document::from(format!("<p>{escaped}</p>").as_str())
        .select("p")
        .text()
        .to_string()
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
        // Line breaks inside strings are invalid JSON that many sites write; outside strings
        // they are only spaces.
        let text = script.text().replace(['\n', '\r', '\t'], " ");
        if let Ok(value) = serde_json::from_str::<Value>(text.trim()) {
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

/// Whether a `class`/`id` value names furniture: a class holds one of the names, as one of
/// its words (split on `-` and `_`), or as the start of a word for names of four letters or
/// more (`socials`, `commentaires`, `legende`).
fn names_furniture(value: &str) -> bool {
    let value = value.to_ascii_lowercase();
    value.split_whitespace().any(|class| {
        // A class about the article's dates or byline (`m-pub-dates`: "pub" is not an ad
        // there) is not furniture.
        let dated = class.split(['-', '_']).any(|word| {
            word == "time" || ["date", "byline", "publi"].iter().any(|n| word.contains(n))
        });
        !dated
            && words().furniture_names.iter().any(|name| {
                (name.contains('-') && class.contains(name))
                    || class
                        .split(['-', '_'])
                        .any(|word| word == *name || (name.len() >= 4 && word.starts_with(name)))
            })
    })
}

/// Words of the paragraphs (`<p>`) under an element.
fn paragraph_words(element: &Selection) -> usize {
    element
        .select("p")
        .iter()
        .map(|p| p.text().split_whitespace().count())
        .sum()
}

/// Share of the page's paragraph words above which an element holds the article, whatever
/// its name says (`l-sidebar-fixed l-article-body-segment`, `content-with-sidebar-wrp`).
const ARTICLE_SHARE: f64 = 0.4;

/// Removes the page's furniture before Readability looks for the article, never an element
/// holding the headline or the article itself (most of the page's paragraphs).
fn strip_furniture(doc: &Document) {
    let total = doc
        .select("body")
        .iter()
        .map(|b| paragraph_words(&b))
        .sum::<usize>();
    let keeps_article = |element: &Selection| {
        element.is("h1, article, main")
            || element.select("h1, article, main").length() > 0
            || paragraph_words(element) as f64 > ARTICLE_SHARE * total as f64
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
    // Lists of other articles' headlines ("More news", "Trending", "You may also like"),
    // whatever their names: blocks made mostly of links.
    // Not tables: a page laid out in a table holds its article in one.
    for element in doc.select("ul, ol, dl, div, section").iter() {
        if is_link_list(&element) && !keeps_article(&element) {
            element.remove();
        }
    }
}

/// Fewest links of a block read as a list of links.
const LINK_LIST_LINKS: usize = 2;
/// Share of a block's letters inside links above which it is a list of links.
const LINK_LIST_DENSITY: f64 = 0.6;

/// A block whose text is mostly its links' (other headlines, tags, share buttons).
fn is_link_list(element: &Selection) -> bool {
    let links: Vec<usize> = element
        .select("a")
        .iter()
        .map(|a| a.text().chars().filter(|c| c.is_alphanumeric()).count())
        .filter(|&n| n > 0)
        .collect();
    if links.len() < LINK_LIST_LINKS {
        return false;
    }
    let all = element
        .text()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .count();
    all > 0 && links.iter().sum::<usize>() as f64 >= LINK_LIST_DENSITY * all as f64
}

/// The main text of a page stripped of its furniture: Readability's article, one paragraph
/// per line, or the `baseline` (the page's largest block of paragraphs) when Readability's
/// is much shorter.
fn main_text(doc: Document, baseline: Option<String>) -> Option<String> {
    let config = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    let text = Readability::with_document(doc, None, Some(config))
        .ok()
        .and_then(|mut r| r.parse().ok())
        .map(|article| article.text_content.to_string())
        .filter(|t| !t.trim().is_empty())
        .map(|t| {
            t.lines()
                .map(squash_spaces)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n\n")
        });
    // Readability sometimes keeps only a standfirst or a footer on templates it misreads:
    // when its text is much shorter than the page's largest block of paragraphs, that block
    // is the article (trafilatura likewise keeps the best of its own reading and baselines).
    let words = |t: &str| t.split_whitespace().count();
    match (text, baseline) {
        (Some(t), Some(b)) if (words(&t) as f64) < FALLBACK_SHARE * words(&b) as f64 => Some(b),
        (None, Some(b)) => Some(b),
        (t, _) => t,
    }
}

/// Share of the largest block of paragraphs below which Readability's text is not the
/// article.
const FALLBACK_SHARE: f64 = 0.3;

/// Fewest words of the paragraphs of a block that may stand for the article.
const BLOCK_MIN_WORDS: usize = 80;

/// The page's largest block of paragraphs: the element whose own `<p>` children hold the
/// most words, as their text, one paragraph per line.
fn largest_block(doc: &Document) -> Option<String> {
    doc.select("div, article, section, main, td, body")
        .iter()
        .map(|block| {
            let paragraphs: Vec<String> = block
                .children()
                .iter()
                .filter(|c| c.is("p, blockquote, h2, h3"))
                .map(|p| squash_spaces(&p.text()))
                .filter(|t| !t.is_empty())
                .collect();
            let words: usize = paragraphs
                .iter()
                .map(|p| p.split_whitespace().count())
                .sum();
            (words, paragraphs)
        })
        .filter(|(words, _)| *words >= BLOCK_MIN_WORDS)
        .max_by_key(|(words, _)| *words)
        .map(|(_, paragraphs)| paragraphs.join("\n\n"))
}

/// Characters of a description compared with the page's text.
const DESCRIPTION_PROBE_CHARS: usize = 100;

/// Most words of the lines before a standfirst that the main text may start with and lose
/// (a kicker, a breadcrumb, a byline): more is article text.
const BEFORE_STANDFIRST_WORDS: usize = 30;

/// The first characters of the page's description, to be looked for in its text.
fn description_probe(doc: &Document) -> Option<(String, String)> {
    let description = meta(
        doc,
        &["og:description", "description", "twitter:description"],
    )?;
    let probe: String = description
        .trim_end_matches(['…', '.', ' '])
        .trim_end_matches("...")
        .chars()
        .take(DESCRIPTION_PROBE_CHARS)
        .collect();
    (probe.chars().count() >= 20).then_some((description, probe))
}

/// The page's description, its first characters, and whether they are shown on the page
/// (read before the furniture goes: a standfirst may sit in a block named like one).
struct Description {
    text: String,
    probe: String,
    shown: bool,
}

fn shown_description(doc: &Document) -> Option<Description> {
    let (text, probe) = description_probe(doc)?;
    let shown = doc
        .select("body")
        .iter()
        .any(|b| squash_spaces(&b.text()).contains(&probe));
    Some(Description { text, probe, shown })
}

/// The page's description when it is its standfirst: shown on the page, above the article,
/// but outside what the main text kept; when the main text holds it after a few short lines
/// (a kicker, a breadcrumb, a byline), those lines go. A description that is not on the page
/// (a summary for search engines and shares) is not the article's text.
fn standfirst(description: Option<Description>, main_text: &mut Option<String>) -> Option<String> {
    let description = description?;
    if let Some(text) = main_text.as_mut() {
        if let Some(at) = text.find(&description.probe) {
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            if text[..line_start].split_whitespace().count() <= BEFORE_STANDFIRST_WORDS {
                text.drain(..line_start);
            }
            return None;
        }
    }
    description.shown.then_some(description.text)
}

/// The fields of a saved article page; `None` when it holds no article (neither a title nor
/// a text).
pub fn fields(html: &str) -> Option<Fields> {
    let doc = Document::from(html);
    let ld = json_ld(&doc);
    let urls = page_urls(&doc, html);
    let url = urls.first().cloned();
    let site = title::Site::declared(&doc, &ld);
    let title = title::headline(&doc, &ld, &title::Site::of(&doc, &ld, url.as_deref()));
    let metadata =
        published::from_metadata(&doc, &ld).or_else(|| published::from_rdf_comment(html));
    let urls = published::Urls {
        page: urls,
        image: meta(&doc, &["og:image", "twitter:image"]),
    };
    let description = shown_description(&doc);
    // Read before the furniture goes: a block named like furniture may hold the article.
    let baseline = largest_block(&doc);
    strip_furniture(&doc);
    let date = published::day(&doc, metadata, &urls).map(|d| d.to_string());
    let mut body = main_text(doc, baseline);
    // Layouts without semantic tags leave the headline in the text.
    if let (Some(text), Some(title)) = (&mut body, &title) {
        if let Some(rest) = text.strip_prefix(title.as_str()) {
            *text = rest.trim_start().to_string();
        }
    }
    let found = body.is_some() || title.is_some();
    let summary = standfirst(description, &mut body);
    found.then_some(Fields {
        id: None,
        title,
        date,
        body,
        summary,
        url,
        site,
    })
}

/// The page's addresses, best first: `og:url`, the canonical link, the one a browser notes
/// when it saves a page (`<!-- saved from url=(0042)https://… -->`).
fn page_urls(doc: &Document, html: &str) -> Vec<String> {
    let canonical = doc
        .select("link[rel=\"canonical\"]")
        .iter()
        .find_map(|l| l.attr("href").map(|h| h.to_string()));
    let saved = || {
        let mut end = html.len().min(2048);
        while !html.is_char_boundary(end) {
            end -= 1;
        }
        let head = &html[..end];
        let at = head.find("saved from url=(")?;
        let rest = &head[at..];
        let start = rest.find(')')? + 1;
        let url = rest[start..].split_whitespace().next()?;
        Some(url.trim_end_matches("-->").to_string())
    };
    let mut urls: Vec<String> = Vec::new();
    for url in [meta(doc, &["og:url"]), canonical, saved()]
        .into_iter()
        .flatten()
    {
        let url = url.trim().to_string();
        if !url.is_empty() && !urls.contains(&url) {
            urls.push(url);
        }
    }
    urls
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

    fn paragraphs(n: usize, words: usize) -> String {
        (0..n)
            .map(|i| format!("<p>{}</p>", vec![format!("mot{i}"); words].join(" ")))
            .collect()
    }

    #[test]
    fn a_standfirst_alone_gives_way_to_the_largest_block_of_paragraphs() {
        let page = format!(
            "<body><div class=\"chapo\"><p>Un chapô de quelques mots seulement.</p></div>\
             <div class=\"corps\">{}</div></body>",
            paragraphs(6, 40)
        );
        let doc = Document::from(page.as_str());
        let baseline = largest_block(&doc);
        assert_eq!(baseline.as_deref().map(|b| b.lines().count()), Some(11));
        // Readability reads the page whole: the block is the article.
        let text = main_text(Document::from(page.as_str()), baseline.clone()).unwrap();
        assert!(text.split_whitespace().count() >= 240, "{text}");
        // A page where only the standfirst is left to Readability (its article removed, as
        // a template it misreads does) falls back on the block.
        let short = "<body><div class=\"chapo\"><p>Un chapô de quelques mots seulement, \
            le reste manque.</p></div></body>";
        let text = main_text(Document::from(short), baseline.clone()).unwrap();
        assert_eq!(Some(text), baseline);
    }

    #[test]
    fn a_block_named_like_a_sidebar_that_holds_the_article_stays() {
        let page = format!(
            "<body><nav><a href=/>Accueil</a></nav><article><h1>Titre</h1>\
             <div class=\"l-sidebar-fixed l-article-body\">{}</div></article>\
             <div class=\"sidebar\"><p>Autre chose.</p></div></body>",
            paragraphs(5, 30)
        );
        let f = fields(&page).unwrap();
        assert!(f.body.unwrap().split_whitespace().count() >= 150);
    }

    #[test]
    fn lists_of_links_are_not_the_article() {
        let page = format!(
            "<body><article><h1>Titre</h1>{}<div class=\"x\"><a href=/a>Un autre titre ici</a> \
             <a href=/b>Encore un autre titre</a> <a href=/c>Et un troisième</a></div>\
             </article></body>",
            paragraphs(4, 30)
        );
        let body = fields(&page).unwrap().body.unwrap();
        assert!(!body.contains("Encore un autre titre"), "{body}");
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
