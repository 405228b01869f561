//! What every request goes through: the token (when one is set), security headers that keep
//! an indexed page's text from ever running as code, and bounds on time and size.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use subtle::ConstantTimeEq;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use super::api::ApiError;
use super::params;
use super::Server;

/// The cookie that carries the token for the page.
const COOKIE: &str = "vigie_token";

/// Largest request body accepted (no endpoint reads one).
const BODY_BYTES: usize = 16 * 1024;

/// Longest a request may take to be answered (an export's rows stream after that).
const REQUEST_SECONDS: u64 = 30;

/// The policy of every answer: only this server's own files, no inline script, no frame.
const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
    connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

/// The guards around `routes`.
pub fn layers(routes: Router<Arc<Server>>, server: Arc<Server>) -> Router<Arc<Server>> {
    routes
        .layer(middleware::from_fn_with_state(server, token))
        .layer(middleware::from_fn(headers))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(REQUEST_SECONDS),
        ))
        .layer(RequestBodyLimitLayer::new(BODY_BYTES))
}

async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, header::CONTENT_SECURITY_POLICY, POLICY);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// Whether `given` is the token, compared in constant time.
fn is_token(given: &str, token: &str) -> bool {
    given.as_bytes().ct_eq(token.as_bytes()).into()
}

/// The token a request carries: `Authorization: Bearer …`, the cookie, or `?token=…`.
fn carried(request: &Request) -> Vec<String> {
    let mut found = Vec::new();
    let headers = request.headers();
    if let Some(bearer) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        found.push(bearer.trim().to_string());
    }
    for cookies in headers.get_all(header::COOKIE) {
        for cookie in cookies.to_str().unwrap_or_default().split(';') {
            if let Some(value) = cookie
                .trim()
                .strip_prefix(COOKIE)
                .and_then(|c| c.strip_prefix('='))
            {
                found.push(value.to_string());
            }
        }
    }
    found
}

/// `?token=…` of a request, if any.
fn query_token(request: &Request) -> Option<String> {
    let pairs = params::pairs(request.uri().query()?).ok()?;
    pairs
        .into_iter()
        .find(|(name, _)| name == "token")
        .map(|(_, value)| value)
}

/// The address of the page without its `token=…`.
fn without_token(request: &Request) -> String {
    let kept: Vec<&str> = request
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("token="))
        .collect();
    match kept.is_empty() {
        true => request.uri().path().to_string(),
        false => format!("{}?{}", request.uri().path(), kept.join("&")),
    }
}

async fn token(State(server): State<Arc<Server>>, request: Request, next: Next) -> Response {
    let Some(token) = &server.token else {
        return next.run(request).await;
    };
    let in_query = query_token(&request);
    if carried(&request).iter().any(|given| is_token(given, token)) {
        return next.run(request).await;
    }
    let api = request.uri().path().starts_with("/api/");
    match in_query {
        Some(given) if is_token(&given, token) && api => next.run(request).await,
        // The page: the token goes into a cookie, out of the address one shares.
        Some(given) if is_token(&given, token) => {
            let cookie = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
            (
                StatusCode::SEE_OTHER,
                [
                    (header::LOCATION, without_token(&request)),
                    (header::SET_COOKIE, cookie),
                ],
            )
                .into_response()
        }
        _ if api => ApiError {
            status: StatusCode::UNAUTHORIZED,
            message: "this server needs its token: send `Authorization: Bearer TOKEN`".into(),
        }
        .into_response(),
        _ => (
            StatusCode::UNAUTHORIZED,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Vigie: ce serveur demande son jeton ; ouvrez l'adresse avec ?token=… \
             (this server needs its token: open the address with ?token=…)\n",
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_compared_whole() {
        assert!(is_token("s3cret", "s3cret"));
        assert!(!is_token("s3cre", "s3cret"));
        assert!(!is_token("s3cretx", "s3cret"));
        assert!(!is_token("", "s3cret"));
    }

    #[test]
    fn the_page_address_loses_only_its_token() {
        let request = |uri: &str| {
            Request::builder()
                .uri(uri)
                .body(axum::body::Body::empty())
                .unwrap()
        };
        assert_eq!(without_token(&request("/?token=abc")), "/");
        assert_eq!(
            without_token(&request("/?q=Gao&token=abc&year=2024")),
            "/?q=Gao&year=2024"
        );
        assert_eq!(
            query_token(&request("/?q=Gao&token=a%2Bb")).as_deref(),
            Some("a+b")
        );
    }
}
