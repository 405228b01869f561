//! Results → terminal text or JSON. Owns every colour decision: colour only on a terminal
//! and never with `NO_COLOR` (anstream strips the styles otherwise).

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use crate::clean::Article;
use crate::ingest::Notice;
use crate::pipeline::IndexStats;
use crate::search::{Results, Snippet};

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

/// Human-readable search results.
pub fn results(out: &mut dyn Write, results: &Results, offset: usize) -> io::Result<()> {
    for note in &results.notes {
        styled(out, DIM, &format!("note: {note}"))?;
        writeln!(out)?;
    }
    for (i, hit) in results.hits.iter().enumerate() {
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
        write!(out, "     ")?;
        styled(out, DIM, &meta.join(" · "))?;
        writeln!(out)?;
        if !hit.locations.is_empty() || !hit.actors.is_empty() {
            write!(out, "     ")?;
            let tags: Vec<String> = hit
                .actors
                .iter()
                .cloned()
                .chain(hit.locations.iter().cloned())
                .collect();
            styled(out, DIM, &tags.join(" · "))?;
            writeln!(out)?;
        }
        write!(out, "     …")?;
        snippet_line(out, &hit.snippet)?;
        writeln!(out, "…")?;
        writeln!(out)?;
    }
    let shown = results.hits.len();
    let summary = match results.total {
        0 => "no match".to_string(),
        1 => "1 match".to_string(),
        n if shown < n => format!(
            "{} matches, {}–{} shown",
            count(n as u64),
            offset + 1,
            offset + shown
        ),
        n => format!("{} matches", count(n as u64)),
    };
    styled(out, TITLE, &summary)?;
    styled(out, DIM, &format!(" ({:.1} ms)", results.took_ms))?;
    writeln!(out)?;
    if !results.facets.year.is_empty() {
        let mut years: Vec<(&String, &u64)> = results.facets.year.iter().collect();
        years.sort_by(|a, b| b.0.cmp(a.0));
        let years: Vec<String> = years.iter().map(|(y, n)| format!("{y} ({n})")).collect();
        write!(out, "by year: ")?;
        styled(out, DIM, &years.join(" · "))?;
        writeln!(out)?;
    }
    Ok(())
}

/// One line on stderr for a skipped or repaired input.
pub fn notice(notice: &Notice) -> String {
    match notice {
        Notice::Skipped { origin, reason } => format!("vigie: skipped {origin}: {reason}"),
        Notice::Repaired { origin, note } => format!("vigie: repaired {origin}: {note}"),
    }
}

/// The closing summary of an indexing run.
pub fn index_summary(stats: &IndexStats, index_dir: &std::path::Path, index_bytes: u64) -> String {
    let mut line = format!(
        "indexed {} documents ({} new, {} replaced) from {:.1} MB in {:.1} s ({:.1} MB/s)",
        count(stats.documents()),
        count(stats.added),
        count(stats.replaced),
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
    line.push_str(&format!(
        "\nindex: {} ({:.1} MB)",
        index_dir.display(),
        index_bytes as f64 / 1e6
    ));
    line
}

/// What the pipeline made of one article, for `vigie extract`.
pub fn article(out: &mut dyn Write, article: &Article, lines: usize) -> io::Result<()> {
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
