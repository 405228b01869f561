//! The publication day of a saved HTML page, from the sources htmldate trusts, in its order:
//! the page's metadata (meta tags under the many names publishers use, the JSON-LD of the
//! article), then microdata and the article's own `<time>`, then the date in the page's
//! address, then the article's byline, then a date written near the headline.
//!
//! The element sources are read once the page's furniture is gone (the caller strips it
//! first): a `<time>` in a teaser, a "related articles" list or a navigation bar is never the
//! article's. A moment is read as the calendar day its writer wrote, never moved to another
//! time zone (`2020-05-02T02:54:29Z` is the 2nd, although New York was still on the 1st).

use chrono::NaiveDate;
use dom_query::{Document, Selection};
use regex::Regex;
use serde_json::Value;

use super::squash_spaces;
use crate::clean::date::{find_dates, parse_date};
use crate::clean::words::words;

/// A date read from metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Machine {
    day: NaiveDate,
}

/// Names of the meta tags that hold a page's publication date (lowercase; `name`,
/// `property` or `itemprop`), most specific first.
const META_NAMES: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article.published",
    "article_date_original",
    "datepublished",
    "date_published",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "pub_date",
    "bt:pubdate",
    "publication_date",
    "originalpublicationdate",
    "parsely-pub-date",
    "sailthru.date",
    "citation_publication_date",
    "citation_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "article.created",
    "rnews:datepublished",
    "datecreated",
    "created",
    "date",
];

/// A machine date: ISO 8601 in its long (`2020-03-16T13:00:00Z`, `2020-03-16 08:00:00`) or
/// compact (`20200316T13:00:00Z`) form, or a date written in words.
pub(super) fn machine(value: &str) -> Option<Machine> {
    let value = value.trim();
    let compact = || {
        let c = compact_iso().captures(value)?;
        NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
    };
    let day = compact().or_else(|| parse_date(value))?;
    Some(Machine { day })
}

fn compact_iso() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^(\d{4})(\d{2})(\d{2})(T|$)").expect("pattern is valid"))
}

/// The publication date the page's metadata gives: its meta tags, else the JSON-LD of the
/// article (an object typed as an article or a page before any other: a list of related
/// articles carries dates of its own).
pub(super) fn from_metadata(doc: &Document, ld: &[Value]) -> Option<Machine> {
    let metas: Vec<(String, String)> = doc
        .select("meta[content]")
        .iter()
        .filter_map(|m| {
            let key = m
                .attr("property")
                .or_else(|| m.attr("name"))
                .or_else(|| m.attr("itemprop"))?
                .to_lowercase();
            Some((key, m.attr("content")?.to_string()))
        })
        .collect();
    let from_meta = META_NAMES.iter().find_map(|name| {
        metas
            .iter()
            .filter(|(key, _)| key == name)
            .find_map(|(_, value)| machine(value))
    });
    from_meta.or_else(|| {
        let is_article = |o: &&Value| {
            o.get("@type").is_some_and(|t| {
                let t = t.to_string();
                ["Article", "Posting", "Report", "WebPage"]
                    .iter()
                    .any(|k| t.contains(k))
            })
        };
        let dated = |o: &Value| {
            ["datePublished", "dateCreated"]
                .iter()
                .find_map(|k| o.get(*k)?.as_str().and_then(machine))
        };
        ld.iter()
            .filter(is_article)
            .find_map(dated)
            .or_else(|| ld.iter().find_map(dated))
    })
}

/// Words that mark a date as an update, not the publication.
fn is_update(text: &str) -> bool {
    let lower = text.to_lowercase();
    words().update.iter().any(|w| lower.contains(w))
}

/// The date of the article's markup: microdata `itemprop="datePublished"` on any element (its
/// `content` or `datetime`, else its text), hAtom's `.published[title]`, a `<time>` marked as
/// the publication (`pubdate`), else the first `<time>` inside `<article>` that is not an
/// update.
fn from_markup(doc: &Document) -> Option<NaiveDate> {
    let marked = doc
        .select("[itemprop=\"datePublished\"], .published[title], time[pubdate]")
        .iter()
        .find_map(|e| {
            let value = e
                .attr("content")
                .or_else(|| e.attr("datetime"))
                .or_else(|| e.attr("title"))
                .map(|v| v.to_string())
                .unwrap_or_else(|| e.text().to_string());
            machine(&value)
        });
    if let Some(m) = marked {
        return Some(m.day);
    }
    // The article's own `<time>`, or one in a block named like a byline or a date (outside
    // `<article>` on many templates).
    doc.select("article time, time[datetime]")
        .iter()
        .filter(|t| {
            t.is("article time")
                || t.ancestors(Some(4))
                    .iter()
                    .any(|a| named(&a, &words().byline_names) || named(&a, &["date", "published"]))
        })
        .find(|t| {
            let context = t.parent().text();
            let before = context
                .split(t.text().as_ref())
                .next()
                .unwrap_or_default()
                .to_string();
            !is_update(&before) && !is_update(&t.text())
        })
        .and_then(|t| {
            t.attr("datetime")
                .map(|d| d.to_string())
                .or_else(|| Some(t.text().to_string()))
        })
        .and_then(|v| machine(&v))
        .map(|m| m.day)
}

/// The day a page's address names: `/2014/05/18/`, `/2020-11-23/`, `/news/20201123/`,
/// `…-20200113`.
pub(super) fn from_url(url: &str) -> Option<NaiveDate> {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"[/_-]((?:19|20)\d{2})[/_-]([01]?\d)[/_-]([0-3]?\d)(?:[/_.?#T-]|$)|[/_-]((?:19|20)\d{2})([01]\d)([0-3]\d)(?:[/_.?#-]|$)",
        )
        .expect("URL date pattern is valid")
    });
    re.captures_iter(url).find_map(|c| {
        let (y, m, d) = match c.get(1) {
            Some(_) => (&c[1], &c[2], &c[3]),
            None => (&c[4], &c[5], &c[6]),
        };
        let day = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
        parse_date(&day.to_string())
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
fn first_publication_date(text: &str) -> Option<NaiveDate> {
    find_dates(text)
        .into_iter()
        .find(|m| {
            let before = &text[..m.offset];
            let start = before.char_indices().rev().nth(24).map_or(0, |(i, _)| i);
            !is_update(&before[start..])
        })
        .map(|m| m.date)
}

/// The publication date written in the page's byline: the first date of an element named
/// like a byline, then of a short element saying "publié le", then of an element named like a
/// date. Elements in lists and links, or holding a headline's link (other articles with
/// their dates), are not bylines.
fn from_byline(doc: &Document) -> Option<NaiveDate> {
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

/// The `dc:date` of an RDF block that blogs leave in a comment (`<!-- <rdf:RDF …
/// dc:date="2020-07-03T17:16:22+09:00" -->`).
pub(super) fn from_rdf_comment(html: &str) -> Option<Machine> {
    let at = html.find("dc:date=\"")? + "dc:date=\"".len();
    let value = html[at..].split('"').next()?;
    machine(value)
}

/// Characters after a publication word where its date is looked for ("First Published on
/// Apr 8, 2020").
const AFTER_PUBLISHED_CHARS: usize = 60;

/// A date written just after a word of publication anywhere in the page's text.
fn after_published_word(doc: &Document) -> Option<NaiveDate> {
    let text = squash_spaces(&doc.select("body").text());
    let lower = text.to_lowercase();
    words().published.iter().find_map(|w| {
        lower.match_indices(w).find_map(|(at, _)| {
            // Lowercasing keeps byte offsets for the scripts these words are written in; a
            // position that is no boundary in the original text is passed over.
            let start = at + w.len();
            if !text.is_char_boundary(start) {
                return None;
            }
            let end = text[start..]
                .char_indices()
                .nth(AFTER_PUBLISHED_CHARS)
                .map_or(text.len(), |(i, _)| start + i);
            first_publication_date(&text[start..end])
        })
    })
}

/// Characters after the headline where a date is read as the article's ("Mise en ligne
/// 23 mai 2019" under the title).
const NEAR_TITLE_CHARS: usize = 400;

/// Fewest words of a paragraph that starts the article's text (under the headline, a date
/// is read only before it: a date in the text is the story's, not the publication's).
const ARTICLE_PARAGRAPH_WORDS: usize = 25;

/// A date written just under the page's headline (`<h1>`), before the article's text.
fn near_title(doc: &Document) -> Option<NaiveDate> {
    let h1 = doc.select("h1").iter().next()?;
    let title = squash_spaces(&h1.text());
    if title.is_empty() {
        return None;
    }
    let body = squash_spaces(&doc.select("body").text());
    let at = body.find(&title)? + title.len();
    let mut end = body[at..]
        .char_indices()
        .nth(NEAR_TITLE_CHARS)
        .map_or(body.len(), |(i, _)| at + i);
    // The header ends where the first paragraph of the article begins.
    let first_paragraph = doc
        .select("body p, body div")
        .iter()
        .map(|p| squash_spaces(&p.text()))
        .filter(|t| t.split_whitespace().count() >= ARTICLE_PARAGRAPH_WORDS)
        .find_map(|t| {
            let probe: String = t.chars().take(40).collect();
            body[at..].find(&probe).map(|i| at + i)
        });
    if let Some(paragraph) = first_paragraph {
        end = end.min(paragraph);
    }
    first_publication_date(&body[at..end])
}

/// The page's publication day: `metadata` (read before the furniture went), else from `doc`
/// once stripped of its furniture the markup's, the address's, the byline's, one written
/// under the headline or after a word of publication, else the main image's address's.
pub(super) fn day(doc: &Document, metadata: Option<Machine>, urls: &Urls) -> Option<NaiveDate> {
    if let Some(m) = metadata {
        return Some(m.day);
    }
    from_markup(doc)
        .or_else(|| urls.page.iter().find_map(|u| from_url(u)))
        .or_else(|| from_byline(doc))
        .or_else(|| near_title(doc))
        .or_else(|| after_published_word(doc))
        .or_else(|| urls.image.as_deref().and_then(from_image_url))
}

/// The day an image's address names: as a page's, or at the start of its file's name
/// (`/large/20201007120909561.jpg`: uploads are named by their moment).
fn from_image_url(url: &str) -> Option<NaiveDate> {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)/((?:19|20)\d{2})([01]\d)([0-3]\d)\d{0,12}\.(?:jpe?g|png|webp|gif)")
            .expect("image date pattern is valid")
    });
    from_url(url).or_else(|| {
        let c = re.captures(url)?;
        let day =
            NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
        parse_date(&day.to_string())
    })
}

/// The addresses whose dates count: the page's (`og:url`, the canonical link, the one a
/// browser noted when saving it: a syndicated copy links to its source's), and its main
/// image's (`og:image`: uploads are filed by day, `/media/2020/10/26/…`), the weakest source.
#[derive(Debug, Default)]
pub(super) struct Urls {
    pub page: Vec<String>,
    pub image: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day_of(html: &str, url: Option<&str>) -> Option<String> {
        let doc = Document::from(html);
        let ld = super::super::json_ld(&doc);
        let metadata = from_metadata(&doc, &ld);
        let urls = Urls {
            page: url.map(str::to_string).into_iter().collect(),
            image: None,
        };
        day(&doc, metadata, &urls).map(|d| d.to_string())
    }

    #[test]
    fn it_reads_machine_dates_in_every_form() {
        for (value, expected) in [
            ("2020-03-16T13:00:00Z", "2020-03-16"),
            ("20200316T13:00:00Z", "2020-03-16"),
            ("2020-03-16 08:00:00", "2020-03-16"),
            ("2020-06-06T00:12:00+02:00", "2020-06-06"),
        ] {
            assert_eq!(
                machine(value).map(|m| m.day.to_string()).as_deref(),
                Some(expected)
            );
        }
    }

    #[test]
    fn it_reads_dates_in_addresses() {
        for (url, expected) in [
            (
                "https://laprensafl.com/2020/02/17/tenemos-silvia",
                Some("2020-02-17"),
            ),
            (
                "https://www.recordonline.com/news/20200316/rockland",
                Some("2020-03-16"),
            ),
            (
                "https://www.news24.com/World/News/megablaze-20200113",
                Some("2020-01-13"),
            ),
            ("https://example.com/2014/05/18/", Some("2014-05-18")),
            ("https://example.com/article/123456789", None),
        ] {
            assert_eq!(
                from_url(url).map(|d| d.to_string()).as_deref(),
                expected,
                "{url}"
            );
        }
        let image = "https://Images.akhbarelyom.com/images/images/large/20201007120909561.jpg";
        assert_eq!(from_url(image), None);
        assert_eq!(
            from_image_url(image).map(|d| d.to_string()).as_deref(),
            Some("2020-10-07")
        );
    }

    #[test]
    fn it_prefers_metadata_then_the_article_over_teasers() {
        let html = r#"<html><head><script type="application/ld+json">
            {"@type": "NewsArticle", "datePublished": "2019-05-23T10:00:00+02:00"}</script></head>
            <body><div class="related"><time datetime="2019-06-01">1 juin</time></div>
            <article><h1>Titre</h1><time datetime="2019-05-23">23 mai</time></article></body></html>"#;
        assert_eq!(day_of(html, None).as_deref(), Some("2019-05-23"));
        // Microdata on an element that is not a meta tag.
        let html =
            r#"<body><h1>Titre</h1><span itemprop="datePublished">27 Sep 2016</span></body>"#;
        assert_eq!(day_of(html, None).as_deref(), Some("2016-09-27"));
        // A date written under the headline only.
        let html = r#"<body><h1>Le titre de la page</h1><div>Mise en ligne 23 mai 2019</div>
            <p>Le texte.</p></body>"#;
        assert_eq!(day_of(html, None).as_deref(), Some("2019-05-23"));
    }

    #[test]
    fn it_falls_back_on_the_address_then_words_of_publication() {
        let url = Some("https://laprensafl.com/2020/02/17/tenemos");
        assert_eq!(
            day_of("<body><p>Texto.</p></body>", url).as_deref(),
            Some("2020-02-17")
        );
        let html = "<body><h1>Goldman Sachs says</h1><p>A long paragraph of the article text \
            that runs on.</p><div>Register Now! First Published on Apr 8, 2020 04:25 pm tags \
            #Business</div></body>";
        assert_eq!(day_of(html, None).as_deref(), Some("2020-04-08"));
        assert_eq!(
            from_rdf_comment("<!-- <rdf:RDF dc:date=\"2020-07-03T17:16:22+09:00\" -->")
                .map(|m| m.day.to_string())
                .as_deref(),
            Some("2020-07-03")
        );
    }
}
