//! The search page: three files embedded in the binary (no CDN, no build step; analysts'
//! machines are often offline). The page reads its state from its address and asks the API.

use axum::http::header;
use axum::response::{IntoResponse, Response};

fn file(kind: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

pub async fn index() -> Response {
    file("text/html; charset=utf-8", include_str!("page/index.html"))
}

pub async fn script() -> Response {
    file(
        "text/javascript; charset=utf-8",
        include_str!("page/app.js"),
    )
}

pub async fn style() -> Response {
    file("text/css; charset=utf-8", include_str!("page/app.css"))
}

pub async fn icon() -> Response {
    file("image/svg+xml", include_str!("page/favicon.svg"))
}
