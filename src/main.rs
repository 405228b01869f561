//! `vigie`: parses the command line, calls the library, maps the outcome to an exit code
//! (0 results, 1 no result, 2 error).

mod cli;

/// mimalloc rather than the system's allocator: indexing allocates and frees many small
/// buffers on several threads at once; with mimalloc it takes about a tenth less CPU time
/// (`benches/design.md`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{self, Write};
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use cli::{
    BenchArgs, Command, DateOfArg, EvalArgs, ExtractArgs, FacetsArgs, Filters, FormatArg,
    IndexArgs, SearchArgs, ServeArgs, SortArg, WatchArgs, WatchCommand,
};
use vigie::error::Error;
use vigie::eval::Labels;
use vigie::ingest::WalkOptions;
use vigie::mapper::Dated;
use vigie::pipeline::{self, Extracted, IndexOptions, Notice, Progress};
use vigie::render;
use vigie::search::{Engine, Request, Sort};

/// Exit status of a run that went through.
enum Outcome {
    Found,
    NothingFound,
}

struct Bar {
    bar: ProgressBar,
    quiet: bool,
}

impl Progress for Bar {
    fn notice(&mut self, notice: &Notice) {
        let line = render::notice(notice);
        self.bar.suspend(|| eprintln!("{line}"));
    }

    fn advanced(&mut self, documents: u64, bytes: u64) {
        self.bar.set_position(documents);
        self.bar
            .set_message(format!("{:.1} MB", bytes as f64 / 1e6));
    }

    fn committed(&mut self, documents: u64) {
        if !self.quiet {
            let line = format!("vigie: committed, {documents} documents written so far");
            self.bar.suspend(|| eprintln!("{line}"));
        }
    }

    fn merging(&mut self) {
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} {pos} documents, merging segments, {elapsed}")
        {
            self.bar.set_style(style);
        }
    }
}

fn index(args: IndexArgs) -> Result<Outcome, Error> {
    if args.rebuild {
        vigie::index::Store::delete(&args.index)?;
    }
    let store = vigie::index::Store::open_or_create(&args.index)?;
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {pos} documents, {msg} read, {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        )
    };
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let mut options = IndexOptions {
        walk: WalkOptions {
            max_file_bytes: args.max_file_mb.saturating_mul(1 << 20),
            exclude: None,
        },
        keep_missing: args.keep_missing,
        commit_documents: args.commit_every.max(1),
        ..IndexOptions::default()
    };
    if let Some(threads) = args.threads {
        options.threads = threads;
    }
    let mut progress = Bar {
        bar: bar.clone(),
        quiet: args.quiet,
    };
    let stats = pipeline::index_paths(&store, &args.paths, &options, &mut progress);
    bar.finish_and_clear();
    let stats = stats?;
    eprintln!(
        "{}",
        render::index_summary(&stats, store.dir(), store.size_bytes())
    );
    drop(store);
    announce_new_stories(&args.index);
    Ok(
        if stats.documents() + stats.unchanged_files + stats.resumed_files > 0 {
            Outcome::Found
        } else {
            Outcome::NothingFound
        },
    )
}

/// The request of a query and its filters.
fn request_of(query: &[String], filters: &Filters) -> Request {
    Request {
        query: query.join(" "),
        years: filters.years.clone(),
        from: filters.from.clone(),
        to: filters.to.clone(),
        langs: filters.langs.clone(),
        locations: filters.locations.clone(),
        actors: filters.actors.clone(),
        events: filters.events.clone(),
        min_killed: filters.min_killed,
        dated: match filters.date_of {
            DateOfArg::Published => Dated::Published,
            DateOfArg::Event => Dated::Event,
        },
        exact: filters.exact,
        ..Request::default()
    }
}

fn search(args: SearchArgs) -> Result<Outcome, Error> {
    let request = Request {
        limit: args.limit,
        offset: args.offset,
        facet_location: args.facet_location,
        all_copies: args.all_copies,
        sort: args.sort.map(|s| match s {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Date => Sort::Date,
        }),
        ..request_of(&args.query, &args.filters)
    }
    .check()?;
    let engine = Engine::open(&args.index)?;
    if let Some(format) = args.format {
        return export(&engine, &request, format);
    }
    let results = engine.search(&request)?;
    print(args.json, &results, |out| {
        render::results(out, &results, request.offset)?;
        if args.timeline {
            render::timeline(out, &results.facets.month)?;
        }
        Ok(())
    })?;
    Ok(if results.total > 0 {
        Outcome::Found
    } else {
        Outcome::NothingFound
    })
}

fn extract(args: ExtractArgs) -> Result<Outcome, Error> {
    if let Some(missing) = args.paths.iter().find(|p| !p.exists()) {
        return Err(Error::Io {
            path: missing.clone(),
            source: io::Error::new(io::ErrorKind::NotFound, "no such file"),
        });
    }
    let mut out = anstream::stdout().lock();
    let mut found = false;
    let mut json_items = Vec::new();
    let mut written = Ok(());
    pipeline::extract_each(
        &args.paths,
        &WalkOptions::default(),
        &mut |record| match record {
            Ok(extracted) => {
                found = true;
                let Extracted {
                    article,
                    entities,
                    events,
                } = &extracted;
                if args.json || args.jsonl {
                    let item = json!({
                        "source": article.source,
                        "id": article.id,
                        "title": article.title,
                        "date": article.date.map(|d| d.to_string()),
                        "year": article.year(),
                        "lang": article.lang,
                        "url": article.url,
                        "body_chars": article.body.chars().count(),
                        "body": article.body,
                        "locations": entities.locations,
                        "actors": entities.actors,
                        "events": events.events,
                        "killed": events.killed,
                        "fatalities": events.fatalities,
                        "event_date": events.event_date,
                        "event_date_words": events.date_words,
                    });
                    if args.jsonl {
                        if written.is_ok() {
                            written = serde_json::to_writer(&mut out, &item)
                                .map_err(io::Error::other)
                                .and_then(|_| writeln!(out));
                        }
                    } else {
                        json_items.push(item);
                    }
                } else if written.is_ok() {
                    written = render::article(&mut out, &extracted, args.lines);
                }
            }
            Err(notice) => eprintln!("{}", render::notice(&notice)),
        },
    );
    if args.json {
        written = serde_json::to_writer(&mut out, &json_items)
            .map_err(io::Error::other)
            .and_then(|_| writeln!(out));
    }
    finish_output(written)?;
    Ok(if found {
        Outcome::Found
    } else {
        Outcome::NothingFound
    })
}

/// The saved searches of an index: added, listed, removed, run.
fn watch(args: WatchArgs) -> Result<Outcome, Error> {
    use vigie::watch::{self, Query, Watchlist};
    fn waiting(index: &std::path::Path) -> impl FnOnce() + '_ {
        move || {
            eprintln!(
                "vigie: another `vigie watch` is running on {}; waiting for it",
                index.display()
            )
        }
    }
    match args.command {
        WatchCommand::Add(add) => {
            // Its name and search (an unknown place or actor, a bad date) are checked when it
            // is added.
            let search = Query::of_request(&request_of(&add.query, &add.filters));
            if !add.index.join("meta.json").is_file() {
                return Err(Error::Invalid {
                    what: "index",
                    value: add.index.display().to_string(),
                    hint:
                        "saved searches are kept with an index: build it first with `vigie index`"
                            .into(),
                });
            }
            let line = search.command_line();
            watch::add(&add.index, &add.name, search, waiting(&add.index))?;
            eprintln!("vigie: saved {}: vigie search {line}", add.name);
            Ok(Outcome::Found)
        }
        WatchCommand::List(list_args) => {
            let list = Watchlist::load(&list_args.index)?;
            let rows: Vec<serde_json::Value> = list
                .searches
                .iter()
                .map(|s| {
                    json!({
                        "name": s.name,
                        "search": s.search,
                        "command": format!("vigie search {}", s.search.command_line()),
                        "added": s.added,
                        "last_run": s.last_run,
                        "seen_stories": s.seen_stories.len(),
                    })
                })
                .collect();
            print(list_args.json, &json!({ "searches": rows }), |out| {
                render::saved_searches(out, &list.searches)
            })?;
            Ok(if list.searches.is_empty() {
                Outcome::NothingFound
            } else {
                Outcome::Found
            })
        }
        WatchCommand::Rm(rm) => {
            let _lock = watch::lock(&rm.index, waiting(&rm.index))?;
            let mut list = Watchlist::load(&rm.index)?;
            let before = list.searches.len();
            list.searches.retain(|s| s.name != rm.name);
            if list.searches.len() == before {
                return Err(Error::Invalid {
                    what: "saved search",
                    value: rm.name,
                    hint: "no saved search has this name (`vigie watch list` shows them)".into(),
                });
            }
            list.save(&rm.index)?;
            eprintln!("vigie: removed {}", rm.name);
            Ok(Outcome::Found)
        }
        WatchCommand::Run(run) => {
            let since = run
                .since
                .as_deref()
                .map(|d| {
                    vigie::text::date::parse_day(d).ok_or_else(|| Error::Invalid {
                        what: "date",
                        value: d.to_string(),
                        hint: "expected YYYY-MM-DD".into(),
                    })
                })
                .transpose()?;
            let _lock = watch::lock(&run.index, waiting(&run.index))?;
            let mut list = Watchlist::load(&run.index)?;
            if let Some(unknown) = run.names.iter().find(|n| list.get(n).is_none()) {
                return Err(Error::Invalid {
                    what: "saved search",
                    value: unknown.clone(),
                    hint: "no saved search has this name (`vigie watch list` shows them)".into(),
                });
            }
            let engine = Engine::open(&run.index)?;
            let mut found = Vec::new();
            for saved in list
                .searches
                .iter_mut()
                .filter(|s| run.names.is_empty() || run.names.contains(&s.name))
            {
                found.push(watch::run(&engine, saved, since)?);
            }
            print(run.json, &json!({ "searches": found }), |out| {
                render::watch_run(out, &found)
            })?;
            // Shown first, marked after: a run killed in between shows them again next time.
            if !run.dry_run {
                list.save(&run.index)?;
            }
            Ok(if found.iter().any(|f| f.new > 0) {
                Outcome::Found
            } else {
                Outcome::NothingFound
            })
        }
    }
}

/// One line per saved search with new stories, after an indexing run.
fn announce_new_stories(index: &std::path::Path) {
    let Ok(list) = vigie::watch::Watchlist::load(index) else {
        return;
    };
    if list.searches.is_empty() {
        return;
    }
    let Ok(engine) = Engine::open(index) else {
        return;
    };
    for saved in &list.searches {
        // Counted only: nothing is marked, and the documents never shown are not read.
        match vigie::watch::count_new(&engine, saved) {
            Ok(0) => {}
            Ok(new) => eprintln!("{}", render::new_stories_line(&saved.name, new)),
            Err(e) => eprintln!("vigie: saved search {}: {e}", saved.name),
        }
    }
}

/// Every match as an event table on standard output.
fn export(
    engine: &Engine,
    request: &vigie::search::Checked,
    format: FormatArg,
) -> Result<Outcome, Error> {
    let format = match format {
        FormatArg::Csv => render::ExportFormat::Csv,
        FormatArg::Jsonl => render::ExportFormat::JsonLines,
    };
    let mut out = io::stdout().lock();
    let mut failed = out.write_all(&render::export_head(format)).err();
    let rows = engine.export(request, vigie::search::EXPORT_ROWS, |hit| {
        if failed.is_none() {
            failed = out.write_all(&render::export_row(format, &hit)).err();
        }
        failed.is_none()
    })?;
    finish_output(failed.map_or_else(|| out.flush(), Err))?;
    Ok(if rows > 0 {
        Outcome::Found
    } else {
        Outcome::NothingFound
    })
}

fn facets(args: FacetsArgs) -> Result<Outcome, Error> {
    let engine = Engine::open(&args.index)?;
    let overview = vigie::search::overview::overview(&engine, args.depth, args.top)?;
    print(args.json, &overview, |out| render::overview(out, &overview))?;
    Ok(if overview.documents > 0 {
        Outcome::Found
    } else {
        Outcome::NothingFound
    })
}

fn eval(args: EvalArgs) -> Result<Outcome, Error> {
    if let Some(path) = &args.queries {
        let queries = vigie::eval::ranking::load(path)?;
        let engine = Engine::open(&args.index)?;
        let report = vigie::eval::ranking::evaluate(&engine, &queries)?;
        print(args.json, &report, |out| {
            render::ranking_evaluation(out, &report)
        })?;
        return Ok(if report.all.queries > 0 {
            Outcome::Found
        } else {
            Outcome::NothingFound
        });
    }
    if let Some(bench) = &args.pages {
        let report =
            vigie::eval::pages::evaluate(bench, args.answers.as_deref(), args.titles.as_deref())?;
        print(args.json, &report, |out| {
            render::page_evaluation(out, &report)
        })?;
        let pages = report.text.as_ref().map_or(0, |t| t.pages)
            + report.dates.as_ref().map_or(0, |d| d.pages);
        return Ok(if pages > 0 {
            Outcome::Found
        } else {
            Outcome::NothingFound
        });
    }
    let Some(labels) = &args.labels else {
        unreachable!("clap requires --labels, --queries or --pages");
    };
    let labels = vigie::eval::load(labels)?;
    let mut extracted = Vec::new();
    for path in &args.paths {
        for record in pipeline::extract(path, &WalkOptions::default()) {
            match record {
                Ok(record) => extracted.push(record),
                Err(notice) => eprintln!("{}", render::notice(&notice)),
            }
        }
    }
    let documents = match labels {
        Labels::Entities(labels) => {
            let report = vigie::eval::evaluate(&labels, &extracted);
            print(args.json, &report, |out| render::evaluation(out, &report))?;
            report.documents
        }
        Labels::Events(labels) => {
            let report = vigie::eval::events::evaluate(&labels, &extracted);
            print(args.json, &report, |out| {
                render::event_evaluation(out, &report)
            })?;
            report.documents
        }
    };
    Ok(if documents > 0 {
        Outcome::Found
    } else {
        Outcome::NothingFound
    })
}

fn bench(args: BenchArgs) -> Result<Outcome, Error> {
    let text = match &args.queries {
        Some(path) => std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?,
        None => vigie::bench::DEFAULT_QUERIES.to_string(),
    };
    let queries = vigie::bench::parse_queries(&text)?;
    let engine = Engine::open(&args.index)?;
    let mut report = vigie::bench::run(&engine, &queries, args.rounds.max(1))?;
    if args.breakdown {
        report.breakdown = Some(vigie::bench::breakdown(
            &engine,
            &queries,
            args.rounds.max(1),
        )?);
    }
    print(args.json, &report, |out| render::bench(out, &report))?;
    Ok(Outcome::Found)
}

fn serve(args: ServeArgs) -> Result<Outcome, Error> {
    let options = vigie::serve::Options {
        index: args.index,
        bind: args.bind,
        token: args.token,
        public: args.public,
    };
    vigie::serve::run(&options, |address, documents| {
        let host = match address.ip() {
            ip if ip.is_unspecified() => "localhost".to_string(),
            std::net::IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        println!("http://{host}:{}/", address.port());
        eprintln!(
            "vigie: serving {} ({} documents) at http://{host}:{}/ — open it in a browser; Ctrl-C stops",
            options.index.display(),
            render::count(documents),
            address.port()
        );
    })?;
    Ok(Outcome::Found)
}

/// Prints `value` as one JSON object, or as text by `human`; colour only where anstream allows.
fn print<T: serde::Serialize>(
    json: bool,
    value: &T,
    human: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let mut out = anstream::stdout().lock();
    let written = if json {
        serde_json::to_writer(&mut out, value)
            .map_err(io::Error::other)
            .and_then(|_| writeln!(out))
    } else {
        human(&mut out)
    };
    finish_output(written)
}

/// A closed pipe (`vigie search … | head`) is not an error.
fn finish_output(written: io::Result<()>) -> Result<(), Error> {
    match written {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::Io {
            path: "<stdout>".into(),
            source: e,
        }),
        _ => Ok(()),
    }
}

fn main() -> ExitCode {
    let cli = cli::parse();
    let outcome = match cli.command {
        Command::Index(args) => index(args),
        Command::Search(args) => search(args),
        Command::Extract(args) => extract(args),
        Command::Facets(args) => facets(args),
        Command::Eval(args) => eval(args),
        Command::Bench(args) => bench(args),
        Command::Serve(args) => serve(args),
        Command::Watch(args) => watch(args),
    };
    match outcome {
        Ok(Outcome::Found) => ExitCode::SUCCESS,
        Ok(Outcome::NothingFound) => ExitCode::from(1),
        Err(e) => {
            eprintln!("vigie: error: {e}");
            ExitCode::from(2)
        }
    }
}
