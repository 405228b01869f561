//! Saved searches over HTTP: their list with the number of stories each has not shown yet
//! (`GET /api/watch`), saving the page's search (`POST /api/watch`, from this machine or with
//! the token), and an Atom feed per saved search (`GET /feeds/NAME.atom`).
//!
//! A feed holds the newest stories of its search, each under an id that never changes
//! (`urn:vigie:story:…`), so that a feed reader polling it shows each story once; reading a
//! feed marks nothing (`vigie watch run` keeps its own account).

use std::net::SocketAddr;
use std::sync::Arc;

use atom_syndication::{Content, Entry, Feed, Link, Person, Text};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::json;

use super::api::{blocking, ApiError};
use super::{params, Server};
use crate::search::{Hit, Sort};
use crate::watch::{self, Query, Watchlist};

/// Stories a feed holds, newest first.
const FEED_ENTRIES: usize = 50;

/// The address of the client a request came from (set by the accept loop).
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

/// The header a page's request to save a search carries: a form of another site cannot set it,
/// so no other page can make a browser save a search here.
pub const SAVE_HEADER: &str = "x-vigie-save";

fn list(server: &Server) -> Result<Watchlist, ApiError> {
    Ok(Watchlist::load(&server.index)?)
}

/// `GET /api/watch`: the saved searches, each with its page parameters, its feed and the
/// number of stories it has not shown yet.
pub async fn searches(State(server): State<Arc<Server>>) -> Result<Response, ApiError> {
    let list = list(&server)?;
    let rows = blocking(&server, move |engine| {
        list.searches
            .iter()
            .map(|saved| {
                let params: Vec<(String, String)> = saved
                    .search
                    .page_params()
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect();
                Ok(json!({
                    "name": saved.name,
                    "command": format!("vigie search {}", saved.search.command_line()),
                    "params": params::encode(&params),
                    "feed": format!("/feeds/{}.atom", saved.name),
                    "last_run": saved.last_run,
                    "new": watch::count_new(engine, saved)?,
                }))
            })
            .collect::<Result<Vec<_>, _>>()
    })
    .await?;
    Ok(Json(json!({ "searches": rows })).into_response())
}

/// `POST /api/watch?name=NAME&q=…&location=…`: saves the search of the page's parameters,
/// asked from this machine (or, when the server has a token, by one who carries it).
pub async fn save(
    State(server): State<Arc<Server>>,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let local = peer.is_some_and(|Extension(Peer(addr))| addr.ip().is_loopback());
    if !local && server.token.is_none() {
        return Err(ApiError {
            status: StatusCode::FORBIDDEN,
            message: "searches are saved from this machine, or with the server's token".into(),
        });
    }
    if !headers.contains_key(SAVE_HEADER) {
        return Err(ApiError::bad_request(format!(
            "a request to save a search carries the header {SAVE_HEADER} (the page sends it)"
        )));
    }
    let pairs =
        params::pairs(query.as_deref().unwrap_or_default()).map_err(ApiError::bad_request)?;
    let name = pairs
        .iter()
        .find(|(k, _)| k == "name")
        .map(|(_, v)| v.clone())
        .ok_or_else(|| ApiError::bad_request("parameter name: the saved search needs a name"))?;
    let request = params::request(&pairs, &["token", "name"]).map_err(ApiError::bad_request)?;
    let search = Query::of_request(&request);
    let index = server.index.clone();
    let saved = name.clone();
    tokio::task::spawn_blocking(move || watch::add(&index, &saved, search, || {}))
        .await
        .map_err(|_| ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "internal error while saving (reported on the server)".into(),
        })??;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "name": name, "feed": format!("/feeds/{name}.atom") })),
    )
        .into_response())
}

/// A day as the moment Atom wants (midnight UTC).
fn moment(day: Option<&str>) -> DateTime<FixedOffset> {
    let day = day
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .unwrap_or_default();
    day.and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc()
        .fixed_offset()
}

fn entry(hit: &Hit, base: &str) -> Entry {
    let link = format!("{base}/?doc={}", params::escape(&hit.id));
    let summary: String = hit.snippet.text.clone();
    Entry {
        id: format!("urn:vigie:story:{}", hit.story),
        title: Text::plain(hit.title.clone()),
        updated: moment(hit.date.as_deref()),
        published: Some(moment(hit.date.as_deref())),
        links: vec![Link {
            href: link,
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Link::default()
        }],
        summary: Some(Text::plain(summary)),
        authors: hit
            .site
            .iter()
            .map(|site| Person {
                name: site.clone(),
                ..Person::default()
            })
            .collect(),
        content: None::<Content>,
        ..Entry::default()
    }
}

/// `GET /feeds/NAME.atom`: the newest stories of a saved search as an Atom 1.0 feed.
pub async fn feed(
    State(server): State<Arc<Server>>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let not_found = |what: String| ApiError {
        status: StatusCode::NOT_FOUND,
        message: what,
    };
    let Some(name) = file.strip_suffix(".atom") else {
        return Err(not_found("feeds are at /feeds/NAME.atom".into()));
    };
    let list = list(&server)?;
    let Some(saved) = list.get(name).cloned() else {
        return Err(not_found(format!("no saved search is named `{name}`")));
    };
    // Links back to this server as the reader reached it (only a host name and a port).
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let base = format!("http://{host}");
    let mut request = saved.search.request();
    request.limit = FEED_ENTRIES;
    request.sort = Some(Sort::Date);
    let request = request.check()?;
    let results = blocking(&server, move |engine| engine.search(&request)).await?;
    let entries: Vec<Entry> = results.hits.iter().map(|h| entry(h, &base)).collect();
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or_else(|| moment(None));
    let feed = Feed {
        id: format!("urn:vigie:feed:{name}"),
        title: Text::plain(format!("Vigie — {name}")),
        subtitle: Some(Text::plain(format!(
            "vigie search {}",
            saved.search.command_line()
        ))),
        updated,
        links: vec![
            Link {
                href: format!("{base}/feeds/{name}.atom"),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Link::default()
            },
            Link {
                href: format!(
                    "{base}/?{}",
                    params::encode(
                        &saved
                            .search
                            .page_params()
                            .into_iter()
                            .map(|(k, v)| (k.to_string(), v))
                            .collect::<Vec<_>>()
                    )
                ),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Link::default()
            },
        ],
        entries,
        ..Feed::default()
    };
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.to_string(),
    )
        .into_response())
}
