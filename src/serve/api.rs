//! The JSON API: each handler reads its parameters, calls the library on the blocking pool
//! (the engine is synchronous), and answers with the same serializer as the command line.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use tokio_stream::wrappers::ReceiverStream;

use super::params;
use super::Server;
use crate::error::Error;
use crate::render::{self, ExportFormat};
use crate::search::overview;
use crate::search::{Checked, Engine, EXPORT_ROWS};

/// Longest a search may take before it is cut.
pub const SEARCH_SECONDS: u64 = 2;

/// An answer that is an error: a status and the sentence to show.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.message }))).into_response()
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        let status = match error {
            Error::Query(_) | Error::Invalid { .. } => StatusCode::BAD_REQUEST,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError {
            status,
            message: error.to_string(),
        }
    }
}

/// The search a query string asks for, checked as `vigie search` checks its options.
fn checked(
    query: Option<&str>,
    also: &[&str],
) -> Result<(Checked, Vec<(String, String)>), ApiError> {
    let pairs = params::pairs(query.unwrap_or_default()).map_err(ApiError::bad_request)?;
    let request = params::request(&pairs, also).map_err(ApiError::bad_request)?;
    Ok((request.check()?, pairs))
}

/// Runs `work` with the engine on the blocking pool, cut after [`SEARCH_SECONDS`].
pub(super) async fn blocking<T: Send + 'static>(
    server: &Arc<Server>,
    work: impl FnOnce(&Engine) -> Result<T, Error> + Send + 'static,
) -> Result<T, ApiError> {
    let server = Arc::clone(server);
    let run = async move {
        // A few searches at once, the others waiting their turn in order.
        let _turn = server.searches.acquire().await;
        let engine = Arc::clone(&server);
        tokio::task::spawn_blocking(move || work(&engine.engine)).await
    };
    match tokio::time::timeout(Duration::from_secs(SEARCH_SECONDS), run).await {
        Ok(Ok(result)) => Ok(result?),
        Ok(Err(_)) => Err(ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "internal error while searching (reported on the server)".into(),
        }),
        Err(_) => Err(ApiError::bad_request(format!(
            "the search took more than {SEARCH_SECONDS} s and was stopped: narrow it (more words, dates, places, actors)"
        ))),
    }
}

/// `GET /api/search`: what `vigie search --json` prints.
pub async fn search(
    State(server): State<Arc<Server>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let (request, _) = checked(query.as_deref(), &["token"])?;
    let results = blocking(&server, move |engine| engine.search(&request)).await?;
    Ok(Json(results).into_response())
}

/// `GET /api/doc/{id}`: a document, what it names and the other copies of its story.
pub async fn document(
    State(server): State<Arc<Server>>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(|_| {
        ApiError::bad_request("the document id is not valid UTF-8 once percent-decoded")
    })?;
    let wanted = id.clone();
    match blocking(&server, move |engine| engine.document(&wanted)).await? {
        Some(document) => Ok(Json(document).into_response()),
        None => Err(ApiError {
            status: StatusCode::NOT_FOUND,
            message: format!("no document with the id `{id}` in the index"),
        }),
    }
}

/// `GET /api/facets`: what `vigie facets --json` prints (`depth` and `top` as its options).
pub async fn facets(
    State(server): State<Arc<Server>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let pairs =
        params::pairs(query.as_deref().unwrap_or_default()).map_err(ApiError::bad_request)?;
    let (mut depth, mut top) = (2usize, 20usize);
    for (name, value) in &pairs {
        let number = |max: usize| {
            value
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "invalid {name} `{value}`: write a number from 1 to {max}"
                    ))
                })
        };
        match name.as_str() {
            "depth" => depth = number(4)?,
            "top" => top = number(1000)?,
            "token" => {}
            other => {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter `{other}`: the parameters are depth, top"
                )))
            }
        }
    }
    let overview = blocking(&server, move |engine| {
        overview::overview(engine, depth, top)
    })
    .await?;
    Ok(Json(overview).into_response())
}

/// `GET /api/export`: every match of a search, one row a story (a copy with `all_copies`),
/// as CSV or JSON Lines, streamed as it is read.
pub async fn export(
    State(server): State<Arc<Server>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let (request, pairs) = checked(query.as_deref(), &["format", "token"])?;
    let format = match pairs
        .iter()
        .rev()
        .find(|(name, _)| name == "format")
        .map(|(_, v)| v.as_str())
    {
        None | Some("csv") => ExportFormat::Csv,
        Some("jsonl") => ExportFormat::JsonLines,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "invalid format `{other}`: write csv or jsonl"
            )))
        }
    };
    let (rows, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(64);
    let (started, start) = tokio::sync::oneshot::channel::<Result<(), Error>>();
    let engine_server = Arc::clone(&server);
    tokio::task::spawn_blocking(move || {
        let mut started = Some(started);
        let mut first = true;
        let outcome = engine_server.engine.export(&request, EXPORT_ROWS, |hit| {
            if first {
                first = false;
                if let Some(started) = started.take() {
                    let _ = started.send(Ok(()));
                }
            }
            rows.blocking_send(Ok(Bytes::from(render::export_row(format, &hit))))
                .is_ok()
        });
        if let Some(started) = started.take() {
            let _ = started.send(outcome.map(|_| ()));
        }
    });
    match tokio::time::timeout(Duration::from_secs(SEARCH_SECONDS), start).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(e))) => return Err(e.into()),
        Ok(Err(_)) => return Err(ApiError::from(Error::Internal("exporting"))),
        Err(_) => {
            return Err(ApiError::bad_request(format!(
                "the export's search took more than {SEARCH_SECONDS} s and was stopped: narrow it"
            )))
        }
    }
    let head = futures_head(render::export_head(format));
    let body = Body::from_stream(tokio_stream::StreamExt::chain(
        head,
        ReceiverStream::new(receiver),
    ));
    let (kind, name) = match format {
        ExportFormat::Csv => ("text/csv; charset=utf-8", "vigie-export.csv"),
        ExportFormat::JsonLines => ("application/x-ndjson; charset=utf-8", "vigie-export.jsonl"),
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// The first bytes of a stream.
fn futures_head(
    bytes: Vec<u8>,
) -> tokio_stream::Iter<std::vec::IntoIter<Result<Bytes, std::io::Error>>> {
    tokio_stream::iter(vec![Ok(Bytes::from(bytes))])
}

/// `GET /api/health`: the server answers, and how many documents it searches.
pub async fn health(State(server): State<Arc<Server>>) -> Response {
    let documents = server.engine.searcher().num_docs();
    Json(json!({ "status": "ok", "documents": documents })).into_response()
}

/// `GET /api/openapi.json`: the description of this API.
pub async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("openapi.json"),
    )
        .into_response()
}

/// Any other address.
pub async fn not_found() -> ApiError {
    ApiError {
        status: StatusCode::NOT_FOUND,
        message: "no such address: the API is under /api/ (see /api/openapi.json)".into(),
    }
}
