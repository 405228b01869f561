//! Results → terminal text or JSON. Owns every colour decision: colour only on a terminal
//! and never with `NO_COLOR` (anstream strips the styles otherwise).

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use indexmap::IndexMap;

use crate::entities::Found;
use crate::events::Coded;
use crate::pipeline::{Extracted, IndexStats, Notice};
use crate::search::tolls::Killed;
use crate::search::{Hit, Results, Snippet};

const TITLE: Style = Style::new().bold();
const MATCH: Style = AnsiColor::Yellow.on_default().bold();
const DIM: Style = Style::new().dimmed();
const NUMBER: Style = AnsiColor::Cyan.on_default();

fn styled(out: &mut dyn Write, style: Style, text: &str) -> io::Result<()> {
    write!(out, "{style}{text}{style:#}")
}

fn snippet_line(out: &mut dyn Write, snippet: &Snippet) -> io::Result<()> {
    let mut at = 0;
    for [start, end] in &snippet.highlights {
        write!(out, "{}", &snippet.text[at..*start])?;
        styled(out, MATCH, &snippet.text[*start..*end])?;
        at = *end;
    }
    write!(out, "{}", &snippet.text[at..])
}

/// Thousands separated by a thin space, as French typography does (36 083).
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// Human-readable search results: notes, hits, then the totals and counts.
pub fn results(out: &mut dyn Write, results: &Results, offset: usize) -> io::Result<()> {
    for note in &results.notes {
        styled(out, DIM, &format!("note: {note}"))?;
        writeln!(out)?;
    }
    for i in 0..results.hits.len() {
        if results.hits[i].partial && (i == 0 || !results.hits[i - 1].partial) {
            styled(out, DIM, "  — with all the words but one:")?;
            writeln!(out)?;
        }
        hit(out, &results.hits, i, offset)?;
    }
    summary(out, results, offset)
}

/// `vigie watch list`: each saved search, its command, when it last ran.
pub fn saved_searches(out: &mut dyn Write, searches: &[crate::watch::Saved]) -> io::Result<()> {
    if searches.is_empty() {
        writeln!(
            out,
            "no saved search (vigie watch add NAME QUERY [filters])"
        )?;
    }
    for s in searches {
        styled(out, TITLE, &s.name)?;
        writeln!(out, "  vigie search {}", s.search.command_line())?;
        let last = s.last_run.as_deref().unwrap_or("never");
        styled(
            out,
            DIM,
            &format!(
                "    saved {}, last run {last}, {} stories seen",
                s.added,
                count(s.seen_stories.len() as u64)
            ),
        )?;
        writeln!(out)?;
    }
    Ok(())
}

/// The line `vigie index` prints for a saved search with new stories.
pub fn new_stories_line(name: &str, new: usize) -> String {
    match new {
        1 => format!("{name}: 1 new story"),
        n => format!("{name}: {} new stories", count(n as u64)),
    }
}

/// `vigie watch run`: per saved search, its new stories as search hits.
pub fn watch_run(out: &mut dyn Write, found: &[crate::watch::Found]) -> io::Result<()> {
    for f in found {
        let line = if f.new == 0 {
            format!("{}: nothing new", f.name)
        } else {
            new_stories_line(&f.name, f.new)
        };
        styled(out, TITLE, &line)?;
        if f.hits.len() < f.new {
            styled(out, DIM, &format!(" ({} newest shown)", f.hits.len()))?;
        }
        writeln!(out)?;
        for i in 0..f.hits.len() {
            hit(out, &f.hits, i, 0)?;
        }
    }
    Ok(())
}

/// The `i`th hit shown: rank and title, what it is, its actors and places, its passage.
fn hit(out: &mut dyn Write, hits: &[Hit], i: usize, offset: usize) -> io::Result<()> {
    let hit = &hits[i];
    styled(out, NUMBER, &format!("{:>3}. ", offset + i + 1))?;
    styled(out, TITLE, &hit.title)?;
    writeln!(out)?;
    let mut meta = vec![hit.date.clone().unwrap_or_else(|| "undated".into())];
    if let Some(lang) = &hit.lang {
        meta.push(lang.clone());
    }
    if let Some(score) = hit.score {
        meta.push(format!("score {score:.2}"));
    }
    meta.push(hit.source.clone());
    match hit.copies {
        0 => {}
        1 => meta.push("1 other copy".to_string()),
        n => meta.push(format!("{} other copies", count(n))),
    }
    if let Some(first) = hits[..i].iter().position(|h| h.story == hit.story) {
        meta.push(format!("same story as {}.", offset + first + 1));
    }
    write!(out, "     ")?;
    styled(out, DIM, &meta.join(" · "))?;
    writeln!(out)?;
    if !hit.locations.is_empty() || !hit.actors.is_empty() {
        write!(out, "     ")?;
        let tags: Vec<&str> = hit
            .actors
            .iter()
            .chain(&hit.locations)
            .map(String::as_str)
            .collect();
        styled(out, DIM, &tags.join(" · "))?;
        writeln!(out)?;
    }
    if !hit.events.is_empty() || hit.killed.is_some() {
        let mut coded = vec![hit.events.join(", ")];
        if let Some(killed) = hit.killed {
            coded.push(format!("{} killed", count(u64::from(killed))));
        }
        if let Some(day) = &hit.event_date {
            coded.push(format!("on {day}"));
        }
        write!(out, "     ")?;
        styled(out, MATCH, &coded.join(" · "))?;
        writeln!(out)?;
    }
    write!(out, "     …")?;
    snippet_line(out, &hit.snippet)?;
    writeln!(out, "…")?;
    writeln!(out)
}

/// The number of matches and stories, the hits shown, and the counts per place, actor, year.
fn summary(out: &mut dyn Write, results: &Results, offset: usize) -> io::Result<()> {
    let shown = results.hits.len();
    let mut summary = match results.total {
        0 => "no match".to_string(),
        1 => "1 match".to_string(),
        n => format!("{} matches", count(n as u64)),
    };
    if results.stories < results.total {
        summary.push_str(&format!(
            " ({} stories; copies shown once, --all-copies shows them)",
            count(results.stories as u64)
        ));
    }
    // One hit per story (every document with --all-copies, where each is its own story).
    if shown > 0 && shown < results.stories {
        summary.push_str(&format!(", {}–{} shown", offset + 1, offset + shown));
    }
    styled(out, TITLE, &summary)?;
    styled(out, DIM, &format!(" ({:.1} ms)", results.took_ms))?;
    writeln!(out)?;
    let facets = &results.facets;
    let label = if facets.location_parent == "/" {
        "by country".to_string()
    } else {
        format!("in {}", facets.location_parent)
    };
    facet_line(out, &label, facets.location.iter())?;
    facet_line(out, "by actor", facets.actor.iter())?;
    facet_line(out, "by year", facets.year.iter().rev())?;
    facet_line(out, "by event", facets.event.iter())?;
    killed_lines(out, &facets.killed, &label)
}

/// The fatality totals of a result set, over stories.
fn killed_lines(out: &mut dyn Write, killed: &Killed, place_label: &str) -> io::Result<()> {
    if killed.stories == 0 {
        return Ok(());
    }
    let stories = match killed.stories {
        1 => "1 story".to_string(),
        n => format!("{} stories", count(n)),
    };
    styled(
        out,
        TITLE,
        &format!(
            "{} killed, in {stories} reporting deaths (a story counted once, at its copies' lowest toll)",
            count(killed.total)
        ),
    )?;
    writeln!(out)?;
    facet_line(
        out,
        &format!("  killed {place_label}"),
        killed.location.iter(),
    )?;
    facet_line(out, "  killed by actor", killed.actor.iter())?;
    facet_line(out, "  killed by event", killed.event.iter())?;
    facet_line(out, "  killed by year", killed.year.iter().rev())
}

/// Longest bar of a timeline, in characters.
const TIMELINE_WIDTH: usize = 40;

/// Months shown one a line; a longer span is shown a year a line.
const TIMELINE_MONTHS: usize = 36;

/// A bar of `value` out of `max`, `TIMELINE_WIDTH` characters long at most, to the eighth of a
/// character (block elements); a value above zero always shows.
fn bar(value: u64, max: u64) -> String {
    const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let eighths = (value * TIMELINE_WIDTH as u64 * 8).div_ceil(max.max(1)) as usize;
    let mut out = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        out.push(EIGHTHS[eighths % 8]);
    }
    out
}

/// The matches per month (`YYYY-MM` → count, every month of the span), as a bar chart: a line
/// a month, or a year when the span is longer than [`TIMELINE_MONTHS`].
pub fn timeline(out: &mut dyn Write, months: &IndexMap<String, u64>) -> io::Result<()> {
    let rows: Vec<(String, u64)> = if months.len() <= TIMELINE_MONTHS {
        months.iter().map(|(m, n)| (m.clone(), *n)).collect()
    } else {
        let mut years: IndexMap<String, u64> = IndexMap::new();
        for (month, n) in months {
            *years.entry(month[..4].to_string()).or_insert(0) += n;
        }
        years.into_iter().collect()
    };
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0);
    if max == 0 {
        return Ok(());
    }
    let width = rows.iter().map(|(label, _)| label.len()).max().unwrap_or(0);
    writeln!(out)?;
    for (label, n) in rows {
        write!(out, "{label:>width$} ")?;
        styled(out, MATCH, &bar(n, max))?;
        writeln!(out, " {}", count(n))?;
    }
    Ok(())
}

/// The formats of an export of every match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// RFC 4180, UTF-8 with a byte-order mark so that spreadsheets keep the accents.
    Csv,
    /// One JSON object a line.
    JsonLines,
}

/// The columns of an export: an event table, one row per story, with ACLED's names where
/// ACLED has the column (`event_date` … `notes`), then Vigie's own. `event_date` is the
/// day of the main event, else the publication date (`date_source` says which);
/// `event_type` and `sub_event_type` are ACLED's for the first type reported, `types` every
/// type; `actor1`, `actor2` and `assoc_actor_1` are the actors in the order the article
/// names them (Vigie does not tell the sides apart); `country`, `admin1`, `admin2` and
/// `location` are the levels of the first place named.
pub const EXPORT_COLUMNS: [&str; 23] = [
    "id",
    "event_date",
    "date_source",
    "year",
    "event_type",
    "sub_event_type",
    "types",
    "fatalities",
    "actor1",
    "actor2",
    "assoc_actor_1",
    "country",
    "admin1",
    "admin2",
    "location",
    "source",
    "notes",
    "url",
    "publication_date",
    "story",
    "copies",
    "locations",
    "snippet",
];

/// What an export starts with: the byte-order mark and the header row of a CSV file.
pub fn export_head(format: ExportFormat) -> Vec<u8> {
    match format {
        ExportFormat::Csv => {
            let mut out = "\u{feff}".as_bytes().to_vec();
            out.extend(csv_record(EXPORT_COLUMNS.iter().map(|c| c.to_string())));
            out
        }
        ExportFormat::JsonLines => Vec::new(),
    }
}

fn csv_record(fields: impl IntoIterator<Item = String>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(fields);
    writer.into_inner().unwrap_or_default()
}

/// A hit as a row of the event table, in the order of [`EXPORT_COLUMNS`].
fn event_row<'a>(hit: &'a Hit) -> Vec<serde_json::Value> {
    use serde_json::Value;
    let text = |s: &str| Value::String(s.to_string());
    let optional = |s: Option<&str>| s.map_or(Value::Null, text);
    let main = hit
        .events
        .first()
        .and_then(|name| crate::events::vocabulary().iter().find(|t| t.name == name));
    let (event_date, date_source) = match (&hit.event_date, &hit.date) {
        (Some(day), _) => (text(day), text("event")),
        (None, Some(day)) => (text(day), text("publication")),
        (None, None) => (Value::Null, Value::Null),
    };
    let year = match &event_date {
        Value::String(day) => day
            .get(..4)
            .and_then(|y| y.parse::<i32>().ok())
            .map_or(Value::Null, Value::from),
        _ => Value::Null,
    };
    // In the country named first, the first place named at a cercle's precision or finer,
    // else the most precise.
    let split =
        |path: &'a str| -> Vec<&'a str> { path.split('/').filter(|l| !l.is_empty()).collect() };
    let country = hit
        .locations
        .first()
        .map(|p| split(p))
        .and_then(|l| l.first().copied());
    let places: Vec<Vec<&str>> = hit
        .locations
        .iter()
        .map(|p| split(p))
        .filter(|l| l.first().copied() == country)
        .collect();
    let levels: Vec<&str> = match places.iter().find(|l| l.len() >= 3) {
        Some(place) => place.clone(),
        None => places.into_iter().max_by_key(Vec::len).unwrap_or_default(),
    };
    let level = |i: usize| optional(levels.get(i).copied());
    let assoc = hit.actors.get(2..).unwrap_or_default().join("; ");
    vec![
        text(&hit.id),
        event_date,
        date_source,
        year,
        optional(main.map(|t| t.acled_event)),
        optional(main.map(|t| t.acled_sub_event)),
        Value::from(hit.events.clone()),
        hit.killed.map_or(Value::Null, Value::from),
        optional(hit.actors.first().map(String::as_str)),
        optional(hit.actors.get(1).map(String::as_str)),
        if assoc.is_empty() {
            Value::Null
        } else {
            text(&assoc)
        },
        level(0),
        level(1),
        level(2),
        optional(levels.last().copied()),
        text(hit.site.as_deref().unwrap_or(&hit.source)),
        text(&hit.title),
        optional(hit.url.as_deref()),
        optional(hit.date.as_deref()),
        text(&hit.story),
        Value::from(hit.copies),
        Value::from(hit.locations.clone()),
        text(&hit.snippet.text),
    ]
}

/// One row of an export (one story): a CSV record (lists joined by `; `, no value empty) or
/// a JSON line.
pub fn export_row(format: ExportFormat, hit: &Hit) -> Vec<u8> {
    let row = event_row(hit);
    match format {
        ExportFormat::Csv => csv_record(row.into_iter().map(|value| {
            match value {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s,
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join("; "),
                other => other.to_string(),
            }
        })),
        ExportFormat::JsonLines => {
            let object: serde_json::Map<String, serde_json::Value> = EXPORT_COLUMNS
                .iter()
                .map(|c| c.to_string())
                .zip(row)
                .collect();
            let mut line = serde_json::Value::Object(object).to_string().into_bytes();
            line.push(b'\n');
            line
        }
    }
}

/// One line on stderr for a skipped or repaired input.
pub fn notice(notice: &Notice) -> String {
    match notice {
        Notice::Skipped {
            origin,
            reason,
            kept,
        } => {
            let kept = match kept {
                0 => String::new(),
                1 => "; the document indexed from it earlier is kept".to_string(),
                n => format!(
                    "; the {} documents indexed from it earlier are kept",
                    count(*n)
                ),
            };
            format!("vigie: skipped {origin}: {reason}{kept}")
        }
        Notice::Repaired { origin, repair } => format!("vigie: repaired {origin}: {repair}"),
    }
}

/// The closing summary of an indexing run.
fn documents(n: u64) -> String {
    format!("{} document{}", count(n), if n == 1 { "" } else { "s" })
}

/// The closing line of `vigie index`.
pub fn index_summary(stats: &IndexStats, index_dir: &std::path::Path, index_bytes: u64) -> String {
    let files =
        |n: u64, what: &str| format!("{} {what}file{}", count(n), if n == 1 { "" } else { "s" });
    let mut parts = vec![format!(
        "indexed {} documents from {}",
        count(stats.added),
        files(stats.new_files, "new ")
    )];
    if stats.changed_files > 0 {
        parts.push(format!(
            "{} from {}",
            count(stats.updated),
            files(stats.changed_files, "changed ")
        ));
    }
    if stats.resumed_files > 0 {
        parts.push(format!(
            "{} taken up after the lines an earlier run committed",
            files(stats.resumed_files, "")
        ));
    }
    parts.push(files(stats.unchanged_files, "unchanged "));
    let mut line = format!(
        "{}; read {:.1} MB in {:.1} s ({:.1} MB/s)",
        parts.join(", "),
        stats.bytes as f64 / 1e6,
        stats.seconds,
        stats.mb_per_second()
    );
    if stats.skipped > 0 {
        line.push_str(&format!("; skipped {} (named above)", count(stats.skipped)));
    }
    if stats.repaired > 0 {
        line.push_str(&format!("; repaired {}", count(stats.repaired)));
    }
    if stats.removed_files > 0 {
        line.push_str(&format!(
            "\n{} gone from the folders: {} removed (keep them with --keep-missing)",
            files(stats.removed_files, ""),
            documents(stats.removed)
        ));
    }
    if stats.kept_files > 0 {
        line.push_str(&format!(
            "\n{} gone from the folders: {} kept (--keep-missing)",
            files(stats.kept_files, ""),
            documents(stats.kept)
        ));
    }
    line.push_str(&format!(
        "\nindex: {} ({:.1} MB)",
        index_dir.display(),
        index_bytes as f64 / 1e6
    ));
    line
}

/// What the pipeline made of one article, for `vigie extract`.
pub fn article(out: &mut dyn Write, extracted: &Extracted, lines: usize) -> io::Result<()> {
    let Extracted {
        article,
        entities,
        events,
    } = extracted;
    let field = |out: &mut dyn Write, name: &str, value: &str| -> io::Result<()> {
        styled(out, DIM, &format!("{name:>9}  "))?;
        writeln!(out, "{value}")
    };
    field(out, "source", &article.source)?;
    styled(out, DIM, &format!("{:>9}  ", "title"))?;
    styled(out, TITLE, &article.title)?;
    writeln!(out)?;
    let date = match (article.date, article.year()) {
        (Some(d), Some(y)) => format!("{d} (year {y})"),
        _ => "not found".into(),
    };
    field(out, "date", &date)?;
    field(
        out,
        "language",
        article.lang.as_deref().unwrap_or("not detected reliably"),
    )?;
    field(out, "id", &article.id)?;
    field(
        out,
        "body",
        &format!(
            "{} characters, {} paragraphs",
            count(article.body.chars().count() as u64),
            article
                .body
                .split("\n\n")
                .filter(|p| !p.trim().is_empty())
                .count()
        ),
    )?;
    let found = |out: &mut dyn Write, name: &str, items: &[Found]| -> io::Result<()> {
        if items.is_empty() {
            return field(out, name, "none found");
        }
        for (i, item) in items.iter().enumerate() {
            styled(
                out,
                DIM,
                &format!("{:>9}  ", if i == 0 { name } else { "" }),
            )?;
            styled(out, TITLE, &item.value)?;
            styled(out, DIM, &format!("  ← {}", item.words.join(", ")))?;
            writeln!(out)?;
        }
        Ok(())
    };
    found(out, "locations", &entities.locations)?;
    found(out, "actors", &entities.actors)?;
    coded(out, events)?;
    for paragraph in article
        .body
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .take(lines)
    {
        let short: String = paragraph.chars().take(160).collect();
        let ellipsis = if short.len() < paragraph.len() {
            "…"
        } else {
            ""
        };
        writeln!(out, "{:>9}  {short}{ellipsis}", "")?;
    }
    writeln!(out)
}

/// What event coding found: the types and their words, the fatality phrases counted and
/// rejected (with why), the event's day and its words.
fn coded(out: &mut dyn Write, events: &Coded) -> io::Result<()> {
    let label = |out: &mut dyn Write, name: &str| styled(out, DIM, &format!("{name:>9}  "));
    label(out, "events")?;
    if events.events.is_empty() {
        writeln!(out, "none found")?;
    }
    for (i, event) in events.events.iter().enumerate() {
        if i > 0 {
            label(out, "")?;
        }
        styled(out, TITLE, &event.kind)?;
        styled(out, DIM, &format!("  ← {}", event.words.join(", ")))?;
        writeln!(out)?;
    }
    label(out, "killed")?;
    match events.killed {
        Some(n) => styled(out, TITLE, &n.to_string())?,
        None => write!(out, "none reported")?,
    }
    writeln!(out)?;
    for fatality in &events.fatalities {
        label(out, "")?;
        let group = format!("{:?}", fatality.group).to_lowercase();
        match fatality.rejected {
            None => write!(out, "counted   {} {group}", fatality.figure)?,
            Some(why) => styled(out, DIM, &format!("rejected  {why}"))?,
        }
        styled(out, DIM, &format!("  ← « {} »", fatality.words))?;
        writeln!(out)?;
    }
    label(out, "event day")?;
    match (&events.event_date, &events.date_words) {
        (Some(day), Some(words)) => {
            styled(out, TITLE, &day.to_string())?;
            styled(out, DIM, &format!("  ← « {words} »"))?;
        }
        _ => write!(out, "not dated")?,
    }
    writeln!(out)
}

/// `label: value (count) · value (count)…`, nothing when there is no value.
fn facet_line<'v>(
    out: &mut dyn Write,
    label: &str,
    values: impl Iterator<Item = (&'v String, &'v u64)>,
) -> io::Result<()> {
    let text: Vec<String> = values.map(|(v, n)| format!("{v} ({n})")).collect();
    if text.is_empty() {
        return Ok(());
    }
    write!(out, "{label}: ")?;
    styled(out, DIM, &text.join(" · "))?;
    writeln!(out)
}

/// The facet values of a whole index, for `vigie facets`.
pub fn overview(
    out: &mut dyn Write,
    overview: &crate::search::overview::Overview,
) -> io::Result<()> {
    styled(
        out,
        TITLE,
        &format!("{} documents", count(overview.documents)),
    )?;
    writeln!(out)?;
    facet_line(out, "years", overview.year.iter().rev())?;
    facet_line(out, "languages", overview.lang.iter())?;
    facet_line(out, "actors", overview.actor.iter())?;
    writeln!(out, "places:")?;
    fn tree(
        out: &mut dyn Write,
        nodes: &[crate::search::overview::PlaceCount],
        depth: usize,
    ) -> io::Result<()> {
        for node in nodes {
            let leaf = node.path.rsplit('/').next().unwrap_or(&node.path);
            write!(out, "{:indent$}{leaf} ", "", indent = 2 + depth * 2)?;
            styled(out, DIM, &format!("{} · {}", node.count, node.path))?;
            writeln!(out)?;
            tree(out, &node.children, depth + 1)?;
        }
        Ok(())
    }
    tree(out, &overview.location, 0)
}

/// An evaluation report, for `vigie eval`.
/// An evaluation of event coding, for `vigie eval` with event labels.
/// The ranking of an index measured against judged queries: a line per query (worst first),
/// then the means per kind and overall.
/// `vigie eval --pages`: the worst pages, then the scores.
pub fn page_evaluation(out: &mut dyn Write, report: &crate::eval::pages::Report) -> io::Result<()> {
    if let Some(text) = &report.text {
        writeln!(out, "  main text, worst pages (precision, recall):")?;
        for (page, p, r) in &text.worst {
            writeln!(out, "    {p:.3}  {r:.3}  {page}")?;
        }
    }
    if let Some(dates) = &report.dates {
        writeln!(out, "  publication day, pages wrong (truth, found):")?;
        for (page, truth, found) in &dates.wrong {
            writeln!(
                out,
                "    {:<10}  {:<10}  {page}",
                truth.as_deref().unwrap_or("-"),
                found.as_deref().unwrap_or("-")
            )?;
        }
    }
    if let Some(titles) = &report.titles {
        writeln!(out, "  titles wrong (label, found):")?;
        for (page, label, found) in &titles.wrong {
            writeln!(
                out,
                "    {page}\n      {label}\n      {}",
                found.as_deref().unwrap_or("-")
            )?;
        }
    }
    writeln!(out)?;
    if let Some(t) = &report.titles {
        writeln!(
            out,
            "  {}: titles {:.3}  ({} of {} labelled pages)",
            report.tool, t.accuracy, t.correct, t.pages
        )?;
    }
    if let Some(t) = &report.text {
        writeln!(
            out,
            "  {}: main text F1 {:.3}  precision {:.3}  recall {:.3}  ({} pages, {} without text)",
            report.tool, t.f1, t.precision, t.recall, t.pages, t.empty
        )?;
    }
    if let Some(d) = &report.dates {
        writeln!(
            out,
            "  {}: publication day {:.3}  ({} of {} pages, {} without a date)",
            report.tool, d.accuracy, d.correct, d.pages, d.missing
        )?;
    }
    Ok(())
}

pub fn ranking_evaluation(
    out: &mut dyn Write,
    report: &crate::eval::ranking::Report,
) -> io::Result<()> {
    let mut queries: Vec<_> = report.queries.iter().collect();
    queries.sort_by(|a, b| a.ndcg.total_cmp(&b.ndcg).then(a.id.cmp(&b.id)));
    writeln!(out, "  query  nDCG@10  R@10   RR     kind            query")?;
    for q in queries {
        writeln!(
            out,
            "  {:<5}  {:.3}    {:.3}  {:.3}  {:<14}  {}",
            q.id, q.ndcg, q.recall, q.reciprocal_rank, q.kind, q.query
        )?;
        if !q.missed.is_empty() {
            writeln!(out, "         missed: {}", q.missed.join(", "))?;
        }
        if !q.not_indexed.is_empty() {
            writeln!(
                out,
                "         not in the index: {}",
                q.not_indexed.join(", ")
            )?;
        }
    }
    writeln!(out)?;
    let line = |out: &mut dyn Write, name: &str, m: &crate::eval::ranking::Means| {
        writeln!(
            out,
            "  {name:>16}  nDCG@10 {:.3}  recall@10 {:.3}  MRR {:.3}  ({} queries)",
            m.ndcg, m.recall, m.mrr, m.queries
        )
    };
    for (kind, means) in &report.by_kind {
        line(out, kind, means)?;
    }
    line(out, "all", &report.all)
}

pub fn event_evaluation(
    out: &mut dyn Write,
    report: &crate::eval::events::Report,
) -> io::Result<()> {
    let show = |v: &Option<_>| v.map_or("null".to_string(), |v: u32| v.to_string());
    let show_day = |v: &Option<chrono::NaiveDate>| v.map_or("null".to_string(), |d| d.to_string());
    for diff in &report.differences {
        styled(out, TITLE, &format!("{}  {}", diff.key, diff.title))?;
        writeln!(out)?;
        for missed in &diff.missed_types {
            writeln!(out, "  missed     {missed}")?;
        }
        for extra in &diff.extra_types {
            writeln!(out, "  extra      {extra}")?;
        }
        if let Some((want, got)) = &diff.killed {
            let (want, got) = (show(want), show(got));
            writeln!(out, "  killed     {want} labelled, {got} coded")?;
        }
        if let Some((want, got)) = &diff.event_date {
            let (want, got) = (show_day(want), show_day(got));
            writeln!(out, "  event day  {want} labelled, {got} coded")?;
        }
    }
    evaluated(out, &report.not_found, report.documents)?;
    score_line(out, "types", &report.types, 10)?;
    for (kind, score) in &report.by_type {
        score_line(out, kind, score, 21)?;
    }
    writeln!(
        out,
        "    killed  exact {:.3} ({} of {})  mean absolute error {:.2} (over {} with a figure)",
        report.killed_exact_rate(),
        report.killed_exact,
        report.documents,
        report.killed_mean_error(),
        report.killed_compared
    )?;
    writeln!(
        out,
        " event day  exact {:.3} ({} of {})  within a day {:.3}",
        report.date_exact_rate(),
        report.date_exact,
        report.documents,
        report.date_within_a_day_rate()
    )
}

/// The labels not found among the articles, and the number of labelled documents.
fn evaluated(out: &mut dyn Write, not_found: &[String], documents: usize) -> io::Result<()> {
    for key in not_found {
        writeln!(out, "labelled but not among the articles read: {key}")?;
    }
    writeln!(out)?;
    styled(out, TITLE, &format!("{documents} labelled documents"))?;
    writeln!(out)
}

/// `name  precision P  recall R  (right, extra, missed)`, the name right-aligned in `width`.
fn score_line(
    out: &mut dyn Write,
    name: &str,
    score: &crate::eval::Score,
    width: usize,
) -> io::Result<()> {
    writeln!(
        out,
        "{name:>width$}  precision {:.3}  recall {:.3}  ({} right, {} extra, {} missed)",
        score.precision(),
        score.recall(),
        score.true_positives,
        score.false_positives,
        score.false_negatives
    )
}

/// An evaluation of places and actors, for `vigie eval`.
pub fn evaluation(out: &mut dyn Write, report: &crate::eval::Report) -> io::Result<()> {
    for diff in &report.differences {
        styled(out, TITLE, &diff.key)?;
        writeln!(out)?;
        for missed in &diff.missed {
            writeln!(out, "  missed  {missed}")?;
        }
        for extra in &diff.extra {
            writeln!(out, "  extra   {extra}")?;
        }
    }
    evaluated(out, &report.not_found, report.documents)?;
    for (name, score) in [("actors", report.actors), ("places", report.locations)] {
        score_line(out, name, &score, 7)?;
    }
    Ok(())
}

/// A benchmark report, for `vigie bench`.
pub fn bench(out: &mut dyn Write, report: &crate::bench::Report) -> io::Result<()> {
    styled(
        out,
        TITLE,
        &format!(
            "{} documents, index {:.1} MB; {} queries × {} rounds, warm",
            count(report.documents),
            report.index_bytes as f64 / 1e6,
            report.query_set,
            report.rounds
        ),
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<12} {:>6} {:>9} {:>9} {:>9} {:>11}",
        "kind", "n", "p50 ms", "p95 ms", "p99 ms", "mean hits"
    )?;
    let rows = report
        .queries
        .iter()
        .map(|(k, s)| (k.as_str(), s))
        .chain(std::iter::once(("all", &report.all)));
    for (kind, s) in rows {
        writeln!(
            out,
            "{kind:<12} {:>6} {:>9.2} {:>9.2} {:>9.2} {:>11.1}",
            s.n, s.p50_ms, s.p95_ms, s.p99_ms, s.mean_hits
        )?;
    }
    writeln!(
        out,
        "{:.0} queries per second (one thread, top 10 with snippets and facet counts)",
        report.queries_per_second
    )?;
    if let Some(breakdown) = &report.breakdown {
        writeln!(out)?;
        styled(out, TITLE, "Where the time goes (mean ms per stage)")?;
        writeln!(out)?;
        writeln!(
            out,
            "{:<12} {:>7} {:>8} {:>8} {:>8} {:>7} {:>8} {:>7} {:>8}",
            "kind", "query", "scoring", "stories", "facets", "near", "passages", "fill", "values"
        )?;
        for (kind, b) in breakdown {
            writeln!(
                out,
                "{kind:<12} {:>7.3} {:>8.3} {:>8.3} {:>8.3} {:>7.3} {:>8.3} {:>7.3} {:>8.3}",
                b.query, b.scoring, b.stories, b.facets, b.near, b.hits, b.fill, b.facet_values
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(months: &[(&str, u64)]) -> String {
        let months = months.iter().map(|(m, n)| (m.to_string(), *n)).collect();
        let mut out = Vec::new();
        timeline(&mut out, &months).unwrap();
        // As on a pipe: anstream strips the styles.
        anstream::adapter::strip_str(&String::from_utf8(out).unwrap()).to_string()
    }

    #[test]
    fn a_timeline_draws_a_bar_a_month_to_the_eighth() {
        // 40 characters for 48 matches: 25 matches are 20 characters and 5/6, drawn 20⅞.
        let text = chart(&[
            ("2024-09", 48),
            ("2024-10", 0),
            ("2024-11", 1),
            ("2024-12", 25),
        ]);
        let lines: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(lines[0], format!("2024-09 {} 48", "█".repeat(40)));
        assert_eq!(lines[1], "2024-10  0");
        assert_eq!(lines[2], "2024-11 ▉ 1");
        assert_eq!(lines[3], format!("2024-12 {}▉ 25", "█".repeat(20)));
        assert_eq!(chart(&[("2024-01", 0)]), "");
    }

    #[test]
    fn a_timeline_of_more_than_three_years_draws_a_bar_a_year() {
        let months: Vec<(String, u64)> = (0..48)
            .map(|i| (format!("{}-{:02}", 2020 + i / 12, i % 12 + 1), 1))
            .collect();
        let months: Vec<(&str, u64)> = months.iter().map(|(m, n)| (m.as_str(), *n)).collect();
        let text = chart(&months);
        let lines: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(lines.len(), 4);
        assert!(
            lines[3].starts_with("2023 ") && lines[3].ends_with(" 12"),
            "{text}"
        );
    }
}
