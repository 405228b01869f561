//! `vigie serve` facing the network: the token, the address it may listen on, the headers
//! that keep an article's text from running, and requests that fight back (malformed, huge,
//! idle) while normal searches keep being answered; a clean stop on SIGTERM.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use tempfile::TempDir;

mod common;
use common::{sample_index, serve, vigie, Served};

/// GET `path` with `headers`: (status, headers, body).
fn get(
    served: &Served,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, ureq::http::HeaderMap, String) {
    let mut request = common::http().get(format!("{}{path}", served.url));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut response = request.call().expect("the server answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    (status, headers, body)
}

/// The host and port of a server.
fn address(served: &Served) -> String {
    served.url.trim_start_matches("http://").to_string()
}

/// Sends raw bytes, returns what comes back before the server closes or 5 s pass.
fn raw(served: &Served, bytes: &[u8]) -> String {
    let mut stream = TcpStream::connect(address(served)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let _ = stream.write_all(bytes);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// A normal search answers, and quickly.
fn answers(served: &Served) {
    let started = Instant::now();
    let (status, _, body) = get(served, "/api/search?q=embuscade+Bandiagara", &[]);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("004_db3b67613d57645f"), "{body}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn with_a_token_every_request_needs_it() {
    let dir = TempDir::new().unwrap();
    let index = sample_index(dir.path());
    let served = serve(&index, &["--token", "s3cret-t0ken"]);
    let (status, _, body) = get(&served, "/api/search?q=Gao", &[]);
    assert_eq!(status, 401);
    assert!(body.contains("Authorization: Bearer"), "{body}");
    assert_eq!(get(&served, "/", &[]).0, 401);
    assert_eq!(get(&served, "/app.js", &[]).0, 401);
    let wrong = [("Authorization", "Bearer s3cret-t0keN")];
    assert_eq!(get(&served, "/api/search?q=Gao", &wrong).0, 401);
    let right = [("Authorization", "Bearer s3cret-t0ken")];
    assert_eq!(get(&served, "/api/search?q=Gao", &right).0, 200);
    assert_eq!(
        get(&served, "/api/search?q=Gao&token=s3cret-t0ken", &[]).0,
        200
    );
    // The page: the token goes to a cookie and out of the address.
    let (status, headers, _) = get(&served, "/?q=Gao&token=s3cret-t0ken&year=2020", &[]);
    assert_eq!(status, 303);
    assert_eq!(headers["location"], "/?q=Gao&year=2020");
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let cookie = cookie.split(';').next().unwrap().to_string();
    assert_eq!(get(&served, "/", &[("Cookie", &cookie)]).0, 200);
    assert_eq!(get(&served, "/api/facets", &[("Cookie", &cookie)]).0, 200);
    assert_eq!(get(&served, "/?token=nope", &[]).0, 401);
}

#[test]
fn beyond_loopback_without_a_token_the_server_refuses_to_start() {
    let dir = TempDir::new().unwrap();
    let index = sample_index(dir.path());
    let out = vigie()
        .args(["serve", "--bind", "0.0.0.0:0", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("invalid address `0.0.0.0:0`"), "{stderr}");
    assert!(stderr.contains("--token"), "{stderr}");
}

#[test]
fn every_answer_forbids_running_anything_but_the_servers_own_script() {
    let dir = TempDir::new().unwrap();
    let index = sample_index(dir.path());
    let served = serve(&index, &[]);
    for path in [
        "/",
        "/app.js",
        "/api/search?q=Gao",
        "/api/search?limit=x",
        "/nowhere",
    ] {
        let (_, headers, _) = get(&served, path, &[]);
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(policy.starts_with("default-src 'self'"), "{path}: {policy}");
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        assert!(!policy.contains("unsafe-inline"), "{path}: {policy}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
    }
    let (_, _, page) = get(&served, "/", &[]);
    assert!(page.contains(r#"<script src="/app.js" defer></script>"#));
    assert!(!page.contains("<script>"), "no inline script");
    assert!(
        !page.contains(" onclick=") && !page.contains(" onload="),
        "no inline handler"
    );
}

#[test]
fn malformed_huge_and_idle_requests_do_not_stop_the_searches() {
    let dir = TempDir::new().unwrap();
    let index = sample_index(dir.path());
    let served = serve(&index, &[]);
    // Not HTTP at all, a broken request line, a method nobody serves.
    assert!(raw(
        &served,
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n"
    )
    .starts_with("HTTP/1.1 400"));
    assert!(raw(&served, b"GET\r\n\r\n").starts_with("HTTP/1.1 400"));
    assert!(
        raw(&served, b"BREW /api/search HTTP/1.1\r\nHost: x\r\n\r\n").starts_with("HTTP/1.1 405")
    );
    // Invalid UTF-8 and percent-encoding in parameters and in a document id.
    for path in [
        "/api/search?q=%C3%28",
        "/api/search?%FF=1",
        "/api/doc/%FF%FE",
        "/api/search?q=%",
    ] {
        let (status, _, body) = get(&served, path, &[]);
        assert_eq!(status, 400, "{path}: {body}");
        assert!(body.starts_with("{\"error\":"), "{path}: {body}");
    }
    // A header of 1 MB: refused, the connection closed.
    let huge = format!(
        "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(1 << 20)
    );
    let answer = raw(&served, huge.as_bytes());
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "{answer}"
    );
    // A body of 10 MB on a search: answered or refused, never waited for.
    let mut body = format!(
        "GET /api/search?q=Gao HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        10 << 20
    )
    .into_bytes();
    body.extend(std::iter::repeat_n(b'x', 10 << 20));
    let answer = raw(&served, &body);
    assert!(
        answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.1 413"),
        "{}",
        &answer[..answer.len().min(200)]
    );
    answers(&served);
    // A thousand connections that say nothing: the next search is still answered.
    let idle: Vec<TcpStream> = (0..1000)
        .filter_map(|_| TcpStream::connect(address(&served)).ok())
        .collect();
    assert_eq!(idle.len(), 1000);
    answers(&served);
    // A slow client is not kept forever: the server closes a silent connection.
    let mut silent = TcpStream::connect(address(&served)).unwrap();
    silent
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let started = Instant::now();
    let mut buffer = [0u8; 16];
    let closed = matches!(silent.read(&mut buffer), Ok(0) | Err(_));
    assert!(closed, "the server wrote to a silent client");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "closed after {:?}",
        started.elapsed()
    );
    drop(idle);
    answers(&served);
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = TempDir::new().unwrap();
    let index = sample_index(dir.path());
    let mut served = serve(&index, &[]);
    answers(&served);
    // A connection kept alive, idle: the server still stops.
    let _keep = TcpStream::connect(address(&served)).unwrap();
    let pid = served.child.id().to_string();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    loop {
        if let Some(code) = served.child.try_wait().unwrap() {
            assert_eq!(code.code(), Some(0));
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(15), "still running");
        std::thread::sleep(Duration::from_millis(50));
    }
}
