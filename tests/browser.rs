//! The search page in a real browser (headless Chromium through WebDriver): a search, a
//! place filter, a period dragged on the timeline, a document view, Back, an export, both
//! languages, screenshots at desktop and phone width; and scraped pages whose text tries to
//! run script, shown as text. Ignored, with the reason, where Chromium or chromedriver is
//! missing (`.ci/run` installs Debian's `chromium` and `chromium-driver`).

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use tempfile::TempDir;

mod common;
use common::{index, root, sample_index, serve};

/// `chromedriver` on a free port, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn driver() -> Driver {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver listens"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Driver { child, port }
}

/// A headless Chromium with no network but the loopback, a fresh profile.
async fn browser(driver: &Driver, profile: &Path) -> Client {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .unwrap_or("chromium");
    let capabilities = json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let Value::Object(capabilities) = capabilities else {
        unreachable!()
    };
    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a WebDriver session")
}

/// Waits (10 s at most) until the script `condition` returns true in the page.
async fn until(client: &Client, condition: &str) {
    let started = Instant::now();
    loop {
        let ready = client
            .execute(&format!("return Boolean({condition});"), vec![])
            .await;
        if matches!(ready, Ok(Value::Bool(true))) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "never true: {condition}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn click(client: &Client, css: &str) {
    let element = client.find(Locator::Css(css)).await;
    element
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

async fn text(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn page_url(client: &Client) -> String {
    client.current_url().await.unwrap().to_string()
}

/// Nothing absent shows as text (`null`, `undefined`).
async fn no_absent_value_shown(client: &Client) {
    let shown = client
        .execute("return document.body.innerText;", vec![])
        .await
        .unwrap();
    let shown = shown.as_str().unwrap();
    assert!(
        !shown.contains("null") && !shown.contains("undefined"),
        "{shown}"
    );
}

/// Where the tests write their screenshots.
fn screenshots() -> PathBuf {
    let dir = root().join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(vigie_browser),
    ignore = "needs chromium and chromedriver (Debian: chromium, chromium-driver)"
)]
async fn an_analyst_searches_filters_reads_and_exports_in_the_browser() {
    let dir = TempDir::new().unwrap();
    let served = serve(&sample_index(dir.path()), &[]);
    let driver = driver();
    let client = browser(&driver, &dir.path().join("profile")).await;
    client.goto(&format!("{}/", served.url)).await.unwrap();
    until(
        &client,
        "document.querySelectorAll('#hits .hit').length > 0",
    )
    .await;

    // Type a query, press Enter: seed 004 first, `embuscade` highlighted.
    let q = client.find(Locator::Css("#q")).await.unwrap();
    q.send_keys("embuscade Bandiagara\u{E007}").await.unwrap();
    until(&client, "location.search.includes('q=embuscade')").await;
    until(
        &client,
        "document.querySelector('#hits .hit h3')?.textContent.includes('Nouvelle embuscade')",
    )
    .await;
    until(
        &client,
        "document.querySelector('#hits li.hit .snippet mark') !== null",
    )
    .await;
    let marks = client
        .find_all(Locator::Css("#hits li.hit .snippet mark"))
        .await
        .unwrap();
    assert_eq!(marks[0].text().await.unwrap(), "embuscade");
    no_absent_value_shown(&client).await;

    // The place tree: Mali, then Mopti under it; a chip for the filter, the address says so.
    click(&client, "#places button[data-value='/Mali']").await;
    until(
        &client,
        "document.querySelector(\"#places button[data-value='/Mali/Mopti']\")",
    )
    .await;
    click(&client, "#places button[data-value='/Mali/Mopti']").await;
    until(
        &client,
        "location.search.includes('location=%2FMali%2FMopti')",
    )
    .await;
    assert!(
        !page_url(&client).await.contains("location=%2FMali&"),
        "Mali gives way to Mopti"
    );
    assert!(text(&client, "#chips").await.contains("/Mali/Mopti"));
    until(
        &client,
        "document.querySelector('#status').textContent.startsWith('1 ')",
    )
    .await;
    // A chip removes its filter.
    click(&client, "#chips .chip").await;
    until(
        &client,
        "!location.search.includes('location=') && !document.querySelector('#chips .chip')",
    )
    .await;

    // Events: the killed of the result set, the timeline of killed per month, an event type
    // as a filter, the coding of a hit and of its document.
    client
        .goto(&format!("{}/?q=attaque", served.url))
        .await
        .unwrap();
    until(
        &client,
        "document.querySelector(\"#events button[data-value='ambush']\")",
    )
    .await;
    let total: u64 = text(&client, "#killed-total")
        .await
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap();
    assert!(total >= 10, "{total}");
    click(&client, "#timeline-switch button[data-view='killed']").await;
    until(
        &client,
        "location.search.includes('timeline=killed') && document.querySelector(\"#timeline-switch button[data-view='killed']\").getAttribute('aria-pressed') === 'true'",
    )
    .await;
    // The bars are the killed per month, as the API counts them.
    let shown = client
        .execute(
            "return [...document.querySelectorAll('#timeline rect.month')].map(r => Number(r.querySelector('title').textContent.split(' : ')[1].replace(/\\D/g, ''))).reduce((a, b) => a + b, 0);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        shown.as_u64(),
        Some(total),
        "the killed timeline adds up to the total"
    );
    click(&client, "#events button[data-value='ambush']").await;
    until(&client, "location.search.includes('event=ambush')").await;
    until(
        &client,
        "document.querySelector('#status').textContent.startsWith('1 ')",
    )
    .await;
    assert!(text(&client, "#chips").await.contains("embuscade"));
    assert!(text(&client, "#hits .hit .coded").await.contains("10 tués"));
    click(&client, "#hits .hit h3 a").await;
    until(&client, "document.querySelector('#doc .coding')").await;
    let coding = text(&client, "#doc .coding").await;
    assert!(coding.contains("Tués : 10"), "{coding}");
    assert!(coding.contains("2024-10-22"), "{coding}");
    no_absent_value_shown(&client).await;

    // A period dragged across the timeline of a wider search.
    client
        .goto(&format!("{}/?q=attaque", served.url))
        .await
        .unwrap();
    until(
        &client,
        "document.querySelectorAll('#timeline rect.month').length > 12",
    )
    .await;
    no_absent_value_shown(&client).await;
    let shots = screenshots();
    std::fs::write(
        shots.join("results-desktop.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();
    client.set_window_size(390, 844).await.unwrap();
    std::fs::write(
        shots.join("results-phone.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();
    client.set_window_size(1280, 900).await.unwrap();
    let chart = client.find(Locator::Css("#timeline svg")).await.unwrap();
    let width = client
        .execute(
            "return document.querySelector('#timeline svg').getBoundingClientRect().width;",
            vec![],
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    let drag = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: chart.clone(),
            duration: None,
            x: -width / 4.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveToElement {
            element: chart.clone(),
            duration: Some(Duration::from_millis(200)),
            x: width / 4.0,
            y: 0.0,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    client.perform_actions(drag).await.unwrap();
    until(
        &client,
        "location.search.includes('from=') && location.search.includes('to=')",
    )
    .await;
    let address = page_url(&client).await;
    let month = |name: &str| {
        let at = address.find(&format!("{name}=")).unwrap() + name.len() + 1;
        address[at..at + 7].to_string()
    };
    assert!(month("from") < month("to"), "{address}");
    assert!(text(&client, "#chips").await.contains(&month("from")));
    until(
        &client,
        "document.querySelectorAll('#hits .hit').length > 0",
    )
    .await;

    // The document view, then Back.
    let results = page_url(&client).await;
    click(&client, "#hits .hit h3 a").await;
    until(
        &client,
        "!document.querySelector('#doc').hidden && document.querySelector('#doc h1')",
    )
    .await;
    assert!(page_url(&client).await.contains("doc="));
    until(
        &client,
        "document.querySelectorAll('#doc .body mark').length > 0",
    )
    .await;
    no_absent_value_shown(&client).await;
    client.back().await.unwrap();
    until(
        &client,
        "document.querySelector('#doc').hidden && !document.querySelector('#results').hidden",
    )
    .await;
    assert_eq!(page_url(&client).await, results);

    // The export of the search, as a spreadsheet would read it.
    let href = client
        .find(Locator::Css("#export-csv"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(
        href.starts_with("/api/export?")
            && href.contains("format=csv")
            && href.contains("q=attaque"),
        "{href}"
    );
    let csv = client
        .execute_async(
            "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done);",
            vec![json!(href)],
        )
        .await
        .unwrap();
    let csv = csv.as_str().unwrap().trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.get(1), Some("event_date"));
    assert!(header.iter().any(|c| c == "notes"), "{header:?}");
    assert!(reader.records().count() > 0);

    // English on request, and the state kept.
    click(&client, "#ui-toggle").await;
    until(&client, "document.documentElement.lang === 'en'").await;
    assert_eq!(text(&client, "#search button").await, "Search");
    assert!(page_url(&client).await.contains("q=attaque"));
    client.close().await.unwrap();
}

/// Scraped pages whose title, text, source and address hold script.
fn hostile_corpus(dir: &Path) -> PathBuf {
    let input = dir.join("hostile");
    std::fs::create_dir_all(&input).unwrap();
    let payloads = [
        r#"<script>window.__pwned = 1</script>Attaque à Gao"#,
        r#"<img src=x onerror="window.__pwned = 2">Embuscade à Ménaka"#,
        r#"Attaque "quoted' <b>bold</b> & Tombouctou"#,
    ];
    let lines: Vec<String> = payloads
        .iter()
        .enumerate()
        .map(|(i, payload)| {
            json!({
                "id": format!("hostile-{i}"),
                "title": payload,
                "date": "2024-03-0".to_string() + &(i + 1).to_string(),
                "text": format!("{payload} {}", [
                    "Une attaque a visé un poste militaire près de Gao, au Mali, dans la nuit de lundi.",
                    "Des hommes armés ont tendu une embuscade à un convoi de ravitaillement au nord de Ménaka.",
                    "Le marché de Tombouctou a été attaqué par des assaillants venus à moto, selon des témoins.",
                ][i]),
                "url": if i == 0 { "javascript:window.__pwned=3" } else { "https://example.org/a\"onmouseover=\"window.__pwned=4" },
                "source": "<script>window.__pwned=5</script>",
            })
            .to_string()
        })
        .collect();
    std::fs::write(input.join("hostile.jsonl"), lines.join("\n")).unwrap();
    std::fs::write(
        input.join("page.html"),
        "<html><head><title>Gao &lt;script&gt;window.__pwned=6&lt;/script&gt;</title></head><body><article><h1>Attaque &lt;img src=x onerror=window.__pwned=7&gt; près de Gao</h1><p>Une attaque a visé Gao, au Mali, selon l'armée. &lt;script&gt;window.__pwned=8&lt;/script&gt; Le bilan reste inconnu.</p></article></body></html>",
    )
    .unwrap();
    input
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(vigie_browser),
    ignore = "needs chromium and chromedriver (Debian: chromium, chromium-driver)"
)]
async fn the_text_of_scraped_pages_shows_as_text_and_never_runs() {
    let dir = TempDir::new().unwrap();
    let idx = dir.path().join("index");
    let (code, stderr) = index(&idx, &[&hostile_corpus(dir.path())], &["--quiet"]);
    assert_eq!(code, 0, "{stderr}");
    let served = serve(&idx, &[]);
    let driver = driver();
    let client = browser(&driver, &dir.path().join("profile")).await;
    client
        .goto(&format!("{}/?q=attaque&all_copies=1", served.url))
        .await
        .unwrap();
    until(
        &client,
        "document.querySelectorAll('#hits .hit').length >= 3",
    )
    .await;
    let titles: Vec<String> = {
        let mut out = Vec::new();
        for title in client
            .find_all(Locator::Css("#hits .hit h3"))
            .await
            .unwrap()
        {
            out.push(title.text().await.unwrap());
        }
        out
    };
    assert!(
        titles
            .iter()
            .any(|t| t.contains("<script>window.__pwned = 1</script>")),
        "{titles:?}"
    );
    assert!(
        titles.iter().any(|t| t.contains("<img src=x onerror=")),
        "{titles:?}"
    );
    // Every document, opened: still nothing runs.
    for i in 0..3 {
        client
            .goto(&format!("{}/?q=attaque&doc=hostile-{i}", served.url))
            .await
            .unwrap();
        until(&client, "document.querySelector('#doc h1')").await;
        until(&client, "document.querySelector('#doc .body')").await;
    }
    client
        .goto(&format!("{}/?q=attaque&all_copies=1", served.url))
        .await
        .unwrap();
    until(
        &client,
        "document.querySelectorAll('#hits .hit').length >= 3",
    )
    .await;
    let pwned = client
        .execute("return window.__pwned === undefined;", vec![])
        .await
        .unwrap();
    assert_eq!(pwned, Value::Bool(true), "a script of an article ran");
    let elements = client
        .execute("return document.querySelectorAll('#view img, #view script, #view [onerror], #view [onmouseover]').length;", vec![])
        .await
        .unwrap();
    assert_eq!(elements, json!(0), "markup of an article became elements");
    let links = client
        .execute("return [...document.querySelectorAll('#view a')].map(a => a.getAttribute('href')).filter(h => !/^(\\/|https?:)/.test(h));", vec![])
        .await
        .unwrap();
    assert_eq!(links, json!([]), "a link that is no web address");
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(vigie_browser),
    ignore = "needs chromium and chromedriver (Debian: chromium, chromium-driver)"
)]
async fn an_analyst_saves_a_search_and_sees_what_is_new() {
    let dir = TempDir::new().unwrap();
    let index = sample_index(dir.path());
    let added = common::vigie()
        .args([
            "watch",
            "add",
            "mali-attaques",
            "attaque",
            "--location",
            "Mali",
            "--index",
        ])
        .arg(&index)
        .output()
        .unwrap();
    assert!(added.status.success());
    let served = serve(&index, &[]);
    let driver = driver();
    let client = browser(&driver, &dir.path().join("profile")).await;
    client
        .goto(&format!("{}/?q=embuscade", served.url))
        .await
        .unwrap();
    // The saved search, its new stories counted, its feed linked.
    until(
        &client,
        "document.querySelector('#watch-list li[data-name=\"mali-attaques\"]')",
    )
    .await;
    let item = text(&client, "#watch-list li[data-name=\"mali-attaques\"]").await;
    assert!(item.contains("nouveaux récits"), "{item}");
    let feed = client
        .find(Locator::Css(
            "#watch-list li[data-name=\"mali-attaques\"] a.feed",
        ))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap();
    assert_eq!(feed.as_deref(), Some("/feeds/mali-attaques.atom"));
    // The page's search saved under a name: listed at once.
    client
        .find(Locator::Css("#watch-name"))
        .await
        .unwrap()
        .send_keys("embuscades")
        .await
        .unwrap();
    click(&client, "#watch-save button").await;
    until(
        &client,
        "document.querySelector('#watch-list li[data-name=\"embuscades\"]')",
    )
    .await;
    assert!(text(&client, "#watch-status").await.contains("embuscades"));
    // A bad name is refused with the server's sentence.
    client
        .find(Locator::Css("#watch-name"))
        .await
        .unwrap()
        .send_keys("Pas Un Nom")
        .await
        .unwrap();
    click(&client, "#watch-save button").await;
    until(
        &client,
        "document.querySelector('#watch-status').textContent.includes('name')",
    )
    .await;
    // Following a saved search runs it in the page.
    click(&client, "#watch-list li[data-name=\"mali-attaques\"] a").await;
    until(&client, "location.search.includes('location=Mali')").await;
    until(
        &client,
        "document.querySelectorAll('#hits .hit').length > 0",
    )
    .await;
    no_absent_value_shown(&client).await;
    client
        .screenshot()
        .await
        .map(|png| std::fs::write(screenshots().join("saved-searches.png"), png))
        .ok();
    client.close().await.unwrap();
    let list = common::vigie()
        .args(["watch", "list", "--json", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    let list: Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(list["searches"][1]["command"], "vigie search embuscade");
}
