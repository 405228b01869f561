//! Command-line arguments (clap derive); the doc comments are the `--help` text.

use std::path::PathBuf;

use std::ffi::OsString;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

/// Vigie: full-text search for conflict reporting on the Sahel.
///
/// Index folders of articles (text copied from web pages, saved HTML pages, JSON and JSON Lines
/// exports), then search them with French analysis, dates, places, armed groups, and copies of
/// one story shown once.
#[derive(Debug, Parser)]
#[command(name = "vigie", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index the articles found under PATH... (folders are walked recursively). Run again, it
    /// reads only new and changed files and removes the documents of files gone.
    Index(IndexArgs),
    /// Search the index.
    Search(SearchArgs),
    /// Show what the pipeline makes of one file, without indexing it.
    Extract(ExtractArgs),
    /// List the values of the index's facets (years, places, actors, languages) with counts.
    Facets(FacetsArgs),
    /// Compare what is extracted from articles (places and actors, or event coding) with hand
    /// labels, or the ranking of an index with judged queries.
    Eval(EvalArgs),
    /// Time a query set on the index: latency percentiles, queries per second, hits.
    Bench(BenchArgs),
    /// Saved searches and what is new since each last ran.
    Watch(WatchArgs),
    /// Serve the search page and the JSON API (it follows the index while `vigie index`
    /// adds to it).
    Serve(ServeArgs),
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Index folder.
    #[arg(long, default_value = "index", env = "VIGIE_INDEX")]
    pub index: PathBuf,
    /// Address and port to listen on. Beyond this machine (not 127.0.0.1 or ::1) it needs
    /// --token, or --public.
    #[arg(long, default_value = "127.0.0.1:7700", value_name = "ADDR")]
    pub bind: std::net::SocketAddr,
    /// A secret every request must carry (`Authorization: Bearer TOKEN`, or open the page once
    /// with `/?token=TOKEN`: a cookie keeps it).
    #[arg(long, env = "VIGIE_TOKEN")]
    pub token: Option<String>,
    /// Allow an address beyond this machine without a token: anyone who reaches it can read
    /// the index.
    #[arg(long)]
    pub public: bool,
}

#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// Index folder (created if missing).
    #[arg(long, default_value = "index", env = "VIGIE_INDEX")]
    pub index: PathBuf,
    /// Files or folders to index: .txt, .md, .html, .htm, .json, .jsonl, .ndjson.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Skip text, HTML and JSON documents bigger than this many megabytes (JSONL is streamed).
    #[arg(long, default_value_t = 64)]
    pub max_file_mb: u64,
    /// Indexing threads (default: the machine's cores). Records are cleaned and tagged by
    /// half as many worker threads, by as many once HTML pages are met.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Keep the documents of files indexed earlier that are no longer under PATH... (by
    /// default they are removed from the index).
    #[arg(long)]
    pub keep_missing: bool,
    /// Delete the index and build it again from PATH... (for an index built by an
    /// incompatible version of vigie).
    #[arg(long)]
    pub rebuild: bool,
    /// Commit (make the work so far durable and searchable) after the file that brings the
    /// documents added since the last commit to this number, and at least every minute. A long
    /// JSON Lines export is committed as it is read, at a line, on either rule (a killed run
    /// is taken up after its last committed line).
    #[arg(long, value_name = "DOCUMENTS", default_value_t = vigie::pipeline::COMMIT_DOCUMENTS)]
    pub commit_every: u64,
    /// Do not show the progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Newest first.
    Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DateOfArg {
    /// The publication date.
    Published,
    /// The day of the main event the article reports.
    Event,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// CSV (UTF-8 with a byte-order mark, for spreadsheets).
    Csv,
    /// One JSON object a line.
    Jsonl,
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Index folder.
    #[arg(long, default_value = "index", env = "VIGIE_INDEX")]
    pub index: PathBuf,
    /// Words to find (all required); "a phrase", -excluded, a OR b, title:word, year:2024.
    /// Empty: list the (filtered) documents, newest first.
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: Filters,
    /// Count the places under this one (/Mali/Mopti shows its cercles) instead of the countries.
    #[arg(long, value_name = "PLACE")]
    pub facet_location: Option<String>,
    /// Number of hits to show.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Hits to skip (for paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Order of the hits (default: relevance with a query, date without).
    #[arg(long, value_enum)]
    pub sort: Option<SortArg>,
    /// Show every copy of a story (the same wire story republished by several sites) as its
    /// own hit; by default a story is shown once, with the number of other copies.
    #[arg(long)]
    pub all_copies: bool,
    /// Show the matches per month as a bar chart (per year when they span more than three
    /// years).
    #[arg(long)]
    pub timeline: bool,
    /// Print every match as an event table instead of a page: one row per story, with
    /// ACLED's column names (event_date, event_type, sub_event_type, fatalities, country,
    /// admin1, admin2, location, actor1…, notes).
    #[arg(long, value_enum, conflicts_with_all = ["json", "timeline"])]
    pub format: Option<FormatArg>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// What a search keeps of the matches: the filters `vigie search` and `vigie watch add` share.
#[derive(Debug, Clone, clap::Args)]
pub struct Filters {
    /// Only documents of this year (repeat for several).
    #[arg(long = "year", value_name = "YEAR")]
    pub years: Vec<i32>,
    /// Only documents published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only documents published on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only documents naming this place: a name at any level (Mopti, Bandiagara, Mali;
    /// accents optional) or a path (/Mali/Mopti). Repeat for any of several.
    #[arg(long = "location", value_name = "PLACE")]
    pub locations: Vec<String>,
    /// Only documents naming this actor, by any of its names (JNIM = GSIM = RVIM). Repeat for
    /// any of several.
    #[arg(long = "actor", value_name = "ACTOR")]
    pub actors: Vec<String>,
    /// Only documents reporting an event of this type: a name (ambush, attack,
    /// attack_on_civilians, armed_clash, military_operation, ied, suicide_bomb, air_strike,
    /// shelling, abduction, coup, protest) or a French word (embuscade, EEI, enlèvement…).
    /// Repeat for any of several.
    #[arg(long = "event", value_name = "TYPE")]
    pub events: Vec<String>,
    /// Only documents reporting at least N people killed.
    #[arg(long, value_name = "N")]
    pub min_killed: Option<u32>,
    /// Which day --year, --from, --to and the timeline read: the publication's or the
    /// reported event's.
    #[arg(long, value_enum, default_value = "published")]
    pub date_of: DateOfArg,
    /// Only documents in this language (fr, en, ar…; repeat for several).
    #[arg(long = "lang", value_name = "LANG")]
    pub langs: Vec<String>,
    /// Search the words as typed: an actor's alias or a place's name does not also match the
    /// documents tagged with it (a "quoted phrase" is searched so too).
    #[arg(long)]
    pub exact: bool,
}

#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    #[command(subcommand)]
    pub command: WatchCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum WatchCommand {
    /// Save a search: `vigie watch add mopti-attaques attaque --location Mopti`.
    Add(WatchAddArgs),
    /// List the saved searches.
    List(WatchIndexArgs),
    /// Remove a saved search.
    Rm(WatchRmArgs),
    /// Show the stories each saved search (or those named) found since its last run, newest
    /// first, and mark them seen. Exit 0 when something is new, 1 when nothing is: usable from
    /// cron.
    Run(WatchRunArgs),
}

#[derive(Debug, clap::Args)]
pub struct WatchIndexArgs {
    /// Index folder (the saved searches are kept in it).
    #[arg(long, default_value = "index", env = "VIGIE_INDEX")]
    pub index: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct WatchAddArgs {
    /// Index folder (the saved searches are kept in it).
    #[arg(long, default_value = "index", env = "VIGIE_INDEX")]
    pub index: PathBuf,
    /// A short name: lowercase letters, digits and dashes (mopti-attaques).
    pub name: String,
    /// Words to find, as `vigie search` takes them (empty: every document the filters keep).
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: Filters,
}

#[derive(Debug, clap::Args)]
pub struct WatchRmArgs {
    /// Index folder (the saved searches are kept in it).
    #[arg(long, default_value = "index", env = "VIGIE_INDEX")]
    pub index: PathBuf,
    pub name: String,
}

#[derive(Debug, clap::Args)]
pub struct WatchRunArgs {
    /// Index folder (the saved searches are kept in it).
    #[arg(long, default_value = "index", env = "VIGIE_INDEX")]
    pub index: PathBuf,
    /// The saved searches to run (default: all).
    pub names: Vec<String>,
    /// On a first run, the stories published since this day instead of the 20 newest
    /// (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Show what is new without marking it seen.
    #[arg(long)]
    pub dry_run: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct FacetsArgs {
    /// Index folder.
    #[arg(long, default_value = "index", env = "VIGIE_INDEX")]
    pub index: PathBuf,
    /// Depth of the place tree shown (1: countries, 2: regions, 3: cercles, 4: places).
    #[arg(long, default_value_t = 2)]
    pub depth: usize,
    /// Values shown per level.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Index folder.
    #[arg(long, default_value = "index", env = "VIGIE_INDEX")]
    pub index: PathBuf,
    /// Query set: one query per line, or `kind<TAB>query<TAB>year<TAB>location<TAB>actor`
    /// (default: the realistic set shipped in data/bench_queries.tsv).
    #[arg(long)]
    pub queries: Option<PathBuf>,
    /// Timed rounds over the set, after one untimed warm-up round.
    #[arg(long, default_value_t = 5)]
    pub rounds: usize,
    /// Also tell where the time goes: the mean time of each stage of a search (building the
    /// query, scoring, grouping stories, facet counts, nearness, passages, filling), per kind,
    /// timed in rounds of their own.
    #[arg(long)]
    pub breakdown: bool,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Labels in the format of shared/eval/seeds.labels.json (places and actors) or of
    /// shared/eval/seeds.events.json (event coding), keyed by file names or JSON ids.
    #[arg(long, required_unless_present_any = ["queries", "pages"], conflicts_with_all = ["queries", "pages"])]
    pub labels: Option<PathBuf>,
    /// Judged queries (tests/fixtures/queries/queries.json): measure the ranking of the index
    /// (nDCG@10, recall@10, MRR) instead.
    #[arg(long, conflicts_with = "pages")]
    pub queries: Option<PathBuf>,
    /// Public page sets (shared/bench: article-extraction/, htmldate-mediacloud/): measure how
    /// pages are read instead — main text by the article benchmark's own metric (F1 of 4-word
    /// shingles), publication day by exact match.
    #[arg(long, value_name = "DIR")]
    pub pages: Option<PathBuf>,
    /// With --pages: score another extractor's answers (JSON Lines of {"source", "body",
    /// "date"}, as `vigie extract --jsonl` writes) instead of Vigie's.
    #[arg(long, requires = "pages", value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// With --pages: hand labels of the pages' titles (tests/fixtures/bench_titles.json),
    /// to score titles too.
    #[arg(long, requires = "pages", value_name = "FILE")]
    pub titles: Option<PathBuf>,
    /// Index searched with --queries.
    #[arg(long, default_value = "index", env = "VIGIE_INDEX")]
    pub index: PathBuf,
    /// Files or folders holding the labelled articles (with --labels).
    #[arg(required_unless_present_any = ["queries", "pages"])]
    pub paths: Vec<PathBuf>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// The files and folders to look at (.txt, .md, .html, .json, .jsonl, compressed or not:
    /// every record of each, in one process).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print one JSON object per record and per line (JSON Lines), for exports of many records.
    #[arg(long, conflicts_with = "json")]
    pub jsonl: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Lines of the cleaned body to show.
    #[arg(long, default_value_t = 5)]
    pub lines: usize,
}

/// Parses the command line. `vigie search Niger -Mali` excludes Mali: a word starting with
/// `-` that is no option of `search` is moved behind `--` so clap reads it as a query word.
pub fn parse() -> Cli {
    let args: Vec<OsString> = std::env::args_os().collect();
    match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) if e.kind() == clap::error::ErrorKind::UnknownArgument => {
            Cli::try_parse_from(exclusions_as_words(args)).unwrap_or_else(|_| e.exit())
        }
        Err(e) => e.exit(),
    }
}

fn exclusions_as_words(args: Vec<OsString>) -> Vec<OsString> {
    let command = Cli::command();
    let Some(search) = command.find_subcommand("search") else {
        return args;
    };
    let is_option = |arg: &str| {
        let flag = arg.split('=').next().unwrap_or(arg);
        search.get_arguments().any(|a| {
            flag.strip_prefix("--")
                .is_some_and(|long| a.get_long() == Some(long))
                || (!flag.starts_with("--") && flag.chars().nth(1) == a.get_short())
                || flag == "-h"
                || flag == "--help"
        })
    };
    let Some(at) = args.iter().position(|a| a == "search") else {
        return args;
    };
    let (mut kept, mut words) = (args[..=at].to_vec(), Vec::new());
    let mut rest = args[at + 1..].iter();
    while let Some(arg) = rest.next() {
        let text = arg.to_string_lossy();
        if text == "--" {
            words.extend(rest.by_ref().cloned());
        } else if text.starts_with('-')
            && !text.starts_with("--")
            && text.len() > 1
            && !is_option(&text)
        {
            words.push(arg.clone());
        } else {
            kept.push(arg.clone());
        }
    }
    kept.push("--".into());
    kept.extend(words);
    kept
}
