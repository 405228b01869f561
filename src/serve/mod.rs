//! `vigie serve`: the analysts' search page and a JSON API over the same engine as the
//! command line, in one process that follows the index's commits.
//!
//! The engine is synchronous: handlers call it on tokio's blocking pool ([`api`]). The page
//! is a few files embedded in the binary ([`page`]), working offline. Every request goes
//! through [`guard`]: the token when one is set, security headers, bounds on time and size.
//! The server never changes the index; it writes one file beside it, the saved searches
//! ([`watch`]), when the page saves one.

mod api;
mod guard;
mod page;
mod params;
mod watch;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::routing::get;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

use crate::error::{Error, Result};
use crate::search::Engine;

/// Longest a client may take to send a request's headers (an idle connection is closed
/// after that much silence).
const HEADER_SECONDS: u64 = 10;

/// Largest request head read, in bytes: a larger one is refused.
const HEAD_BYTES: usize = 64 * 1024;

/// How long requests under way may finish once asked to stop.
const DRAIN_SECONDS: u64 = 10;

/// How to serve.
#[derive(Debug, Clone)]
pub struct Options {
    pub index: PathBuf,
    pub bind: SocketAddr,
    /// Every request must carry it (`Authorization: Bearer`, the `vigie_token` cookie, or
    /// `?token=`).
    pub token: Option<String>,
    /// Allow an address beyond this machine without a token.
    pub public: bool,
}

/// What every request shares.
pub struct Server {
    pub engine: Engine,
    /// The index folder, where the saved searches are kept.
    pub index: PathBuf,
    pub token: Option<String>,
    /// Turns to search: how many searches run at once.
    pub searches: tokio::sync::Semaphore,
}

/// The address refused, and why, when it is not loopback and there is no token.
fn check_exposure(options: &Options) -> Result<()> {
    if options.bind.ip().is_loopback() || options.token.is_some() || options.public {
        return Ok(());
    }
    Err(Error::Invalid {
        what: "address",
        value: options.bind.to_string(),
        hint: "it can be reached from other machines, and anyone there could read the index: \
               set --token TOKEN (or allow it with --public)"
            .into(),
    })
}

/// The routes, behind the guards.
fn app(server: Arc<Server>) -> Router {
    let routes = Router::new()
        .route("/", get(page::index))
        .route("/app.js", get(page::script))
        .route("/app.css", get(page::style))
        .route("/favicon.svg", get(page::icon))
        .route("/api/search", get(api::search))
        .route("/api/doc/{id}", get(api::document))
        .route("/api/facets", get(api::facets))
        .route("/api/export", get(api::export))
        .route("/api/health", get(api::health))
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/watch", get(watch::searches).post(watch::save))
        .route("/feeds/{file}", get(watch::feed))
        .fallback(api::not_found);
    guard::layers(routes, Arc::clone(&server)).with_state(server)
}

/// Resolves when the process is asked to stop: Ctrl-C or SIGTERM.
async fn stop_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
}

/// Accepts connections until asked to stop, then lets the requests under way finish.
async fn accept(listener: TcpListener, app: Router) {
    let mut connections = http1::Builder::new();
    connections
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(HEADER_SECONDS))
        .max_buf_size(HEAD_BYTES);
    let graceful = GracefulShutdown::new();
    let mut stop = pin!(stop_signal());
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, peer)) = accepted else {
                    // Out of file descriptors, say: wait for connections to close.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                // Handlers that care (saving a search) know who asks.
                let service = TowerToHyperService::new(tower::ServiceExt::map_request(
                    app.clone(),
                    move |mut request: hyper::Request<hyper::body::Incoming>| {
                        request.extensions_mut().insert(watch::Peer(peer));
                        request
                    },
                ));
                let connection = connections.serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            _ = stop.as_mut() => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(DRAIN_SECONDS), graceful.shutdown()).await;
}

/// Serves the index until Ctrl-C or SIGTERM; `ready` hears the address once it is bound.
pub fn run(options: &Options, ready: impl FnOnce(SocketAddr, u64)) -> Result<()> {
    check_exposure(options)?;
    let engine = Engine::open_live(&options.index)?;
    let documents = engine.searcher().num_docs();
    // Twice as many searches at once as cores: enough to keep them busy while others parse
    // and write, few enough that a burst queues in order instead of slowing every search down
    // (BENCHMARKS.md, design choices).
    let searches = 2 * std::thread::available_parallelism().map_or(2, |n| n.get());
    let server = Arc::new(Server {
        engine,
        index: options.index.clone(),
        token: options.token.clone(),
        searches: tokio::sync::Semaphore::new(searches),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Io {
            path: options.index.clone(),
            source,
        })?;
    runtime.block_on(async {
        let listener = TcpListener::bind(options.bind)
            .await
            .map_err(|source| Error::Io {
                path: PathBuf::from(options.bind.to_string()),
                source,
            })?;
        let address = listener.local_addr().map_err(|source| Error::Io {
            path: PathBuf::from(options.bind.to_string()),
            source,
        })?;
        ready(address, documents);
        accept(listener, app(server)).await;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beyond_loopback_a_token_is_needed_or_public_said() {
        let options = |bind: &str, token: Option<&str>, public| Options {
            index: PathBuf::from("index"),
            bind: bind.parse().unwrap(),
            token: token.map(str::to_string),
            public,
        };
        assert!(check_exposure(&options("127.0.0.1:7700", None, false)).is_ok());
        assert!(check_exposure(&options("[::1]:7700", None, false)).is_ok());
        let refused = check_exposure(&options("0.0.0.0:7700", None, false)).unwrap_err();
        assert!(refused.to_string().contains("--token"), "{refused}");
        assert!(check_exposure(&options("0.0.0.0:7700", Some("s3cret"), false)).is_ok());
        assert!(check_exposure(&options("0.0.0.0:7700", None, true)).is_ok());
    }
}
