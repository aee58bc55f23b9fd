//! The release build, as it is deployed: one `toile` file, copied alone into an empty folder,
//! serves every page and every file it needs; and what a phone downloads stays within budget.
//! Needs `cargo leptos build --release --precompress` (scripts/test.sh runs it).

use std::path::{Path, PathBuf};
use std::process::Command;
use tests::http::{DemoVisitors, demo_visitors, without_redirects as client};
use tests::process::ServerProcess;

/// Brotli bytes a first visit may cost.
const PARTICIPANT_HTML_AND_CSS: usize = 30 * 1024;
const PARTICIPANT_JS_AND_WASM: usize = 60 * 1024;
const STAFF_JS_AND_WASM: usize = 150 * 1024;

fn release_binary() -> PathBuf {
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release/toile");
    assert!(binary.exists(), "run `cargo leptos build --release --precompress` first (scripts/test.sh does)");
    binary
}

/// The release binary copied alone into an empty folder, with the demo network in an SQLite
/// file there, serving on a free port; it gets nothing but `DATABASE_URL` (and no site folder).
struct Deployed {
    server: ServerProcess,
    _dir: tempfile::TempDir,
}

fn deploy() -> Deployed {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("toile");
    std::fs::copy(release_binary(), &binary).unwrap();
    let url = format!("sqlite://{}", dir.path().join("toile.db").display());
    let seed = || {
        Command::new(&binary)
            .args(["seed", "--demo"])
            .current_dir(dir.path())
            .env_clear()
            .env("DATABASE_URL", &url)
            .output()
    };
    // A process that another test thread forks while the copy is still open for writing holds
    // the file until it execs: running it then fails with "text file busy" for a moment.
    let mut seeded = seed();
    for _ in 0..100 {
        match &seeded {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(std::time::Duration::from_millis(20));
                seeded = seed();
            }
            _ => break,
        }
    }
    let seeded = seeded.unwrap();
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    let server = ServerProcess::start_in(binary.to_str().unwrap(), &url, dir.path());
    Deployed { server, _dir: dir }
}

/// What a page costs a first visit, in bytes as sent with brotli: (HTML + CSS, JS + wasm).
async fn first_visit(base: &str, path: &str, cookie: Option<&str>) -> (usize, usize, Vec<String>) {
    let get = |url: String| {
        let mut request = client().get(url).header("accept-encoding", "br");
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send()
    };
    let response = get(format!("{base}{path}")).await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(response.headers().get("content-encoding").map(|v| v.to_str().unwrap()), Some("br"), "{path}");
    let html_bytes = response.bytes().await.unwrap();
    let html = String::from_utf8(brotli_decompress(&html_bytes)).unwrap();
    let mut html_css = html_bytes.len();
    let mut js_wasm = 0;
    let mut files = vec![];
    for file in referenced_files(&html) {
        let response = get(format!("{base}{file}")).await.unwrap();
        assert_eq!(response.status(), 200, "{file} of {path}");
        let cache = response.headers().get("cache-control").map(|v| v.to_str().unwrap().to_string());
        assert_eq!(cache.as_deref(), Some("public, max-age=31536000, immutable"), "{file}");
        let size = response.bytes().await.unwrap().len();
        if file.ends_with(".css") || file.ends_with(".svg") {
            html_css += size;
        } else {
            js_wasm += size;
        }
        files.push(file);
    }
    (html_css, js_wasm, files)
}

/// Every `href`/`src` of the page that points at a static file of this build (`/s/…`), and the
/// wasm bundle that a module preload implies.
fn referenced_files(html: &str) -> Vec<String> {
    let mut files: Vec<String> = html
        .split(['"', '\''])
        // `/s/<hash>/<file>`; the bundle's loader also names `/s/<hash>` alone, as its root.
        .filter(|piece| piece.starts_with("/s/") && piece.matches('/').count() >= 3)
        .map(str::to_string)
        .collect();
    files.sort();
    files.dedup();
    files
}

fn brotli_decompress(bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![];
    brotli::BrotliDecompress(&mut std::io::Cursor::new(bytes), &mut out).unwrap();
    out
}

#[tokio::test]
async fn the_release_binary_serves_every_page_from_an_empty_directory() {
    let _machine = tests::machine::shared().await;
    let deployed = deploy();
    let base = &deployed.server.base;
    let DemoVisitors { participant, staff, session } = demo_visitors(base).await;
    for (path, cookie) in [
        ("/connexion", None),
        ("/seances", Some(&participant)),
        (session.as_str(), Some(&participant)),
        ("/agenda", Some(&participant)),
        ("/equipe", Some(&staff)),
        ("/equipe/programme", Some(&staff)),
        ("/equipe/seances/nouvelle", Some(&staff)),
        ("/equipe/participants", Some(&staff)),
        ("/equipe/participants/nouvelle", Some(&staff)),
        ("/agenda", Some(&staff)),
    ] {
        let (_, _, files) = first_visit(base, path, cookie.map(String::as_str)).await;
        assert!(files.iter().any(|f| f.ends_with("/pkg/toile.css")), "{path} has its stylesheet: {files:?}");
    }
    let missing = client().get(format!("{base}/s/not-this-build/pkg/toile.css")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn what_a_phone_downloads_stays_within_budget() {
    let _machine = tests::machine::shared().await;
    let deployed = deploy();
    let base = &deployed.server.base;
    let DemoVisitors { participant, staff, session } = demo_visitors(base).await;
    println!("| page | HTML + CSS (brotli) | JS + wasm (brotli) |\n|---|---:|---:|");
    for (path, cookie) in
        [("/connexion", None), ("/seances", Some(&participant)), (session.as_str(), Some(&participant))]
    {
        let (html_css, js_wasm, _) = first_visit(base, path, cookie.map(String::as_str)).await;
        println!("| participant `{path}` | {html_css} B | {js_wasm} B |");
        assert!(html_css <= PARTICIPANT_HTML_AND_CSS, "{path}: HTML + CSS {html_css} B");
        assert!(js_wasm <= PARTICIPANT_JS_AND_WASM, "{path}: JS + wasm {js_wasm} B");
    }
    // A staff page with an island: the agenda page showing a new calendar link.
    let created = client()
        .post(format!("{base}/fn/create_feed"))
        .header("accept", "text/html")
        .header("cookie", &staff)
        .form(&[("scope", "group")])
        .send()
        .await
        .unwrap();
    let new_link =
        created.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    let cookies = format!("{staff}; {new_link}");
    let (html_css, js_wasm, files) = first_visit(base, "/agenda", Some(&cookies)).await;
    assert!(files.iter().any(|f| f.ends_with(".wasm")), "the agenda page with a new link loads the bundle: {files:?}");
    println!("| staff `/agenda` with an island | {html_css} B | {js_wasm} B |");
    assert!(js_wasm <= STAFF_JS_AND_WASM, "staff JS + wasm {js_wasm} B");
    // Attendance, taken on a phone on the day: forms that work without script, and an island
    // that records each tap in the background and keeps it while the network is gone.
    let desk =
        client().get(format!("{base}/equipe")).header("cookie", &staff).send().await.unwrap().text().await.unwrap();
    let session = desk
        .split("href=\"")
        .filter_map(|piece| piece.split('"').next())
        .find(|link| link.strip_prefix("/equipe/seances/").is_some_and(|id| id.parse::<i64>().is_ok()))
        .expect("a session on the desk");
    let attendance = format!("{session}/presences");
    let (html_css, js_wasm, _) = first_visit(base, &attendance, Some(&staff)).await;
    println!("| staff `{attendance}` on a phone | {html_css} B | {js_wasm} B |");
    assert!(js_wasm <= STAFF_JS_AND_WASM, "attendance: staff JS + wasm {js_wasm} B");
    // The session form, whose island picks co-facilitators.
    let (html_css, js_wasm, files) = first_visit(base, "/equipe/seances/nouvelle", Some(&staff)).await;
    assert!(files.iter().any(|f| f.ends_with(".wasm")), "the session form loads the bundle: {files:?}");
    println!("| staff `/equipe/seances/nouvelle` | {html_css} B | {js_wasm} B |");
    assert!(js_wasm <= STAFF_JS_AND_WASM, "staff JS + wasm {js_wasm} B");
}
