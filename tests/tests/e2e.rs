//! A participant signs in with their code and enrols from a 360×640 phone screen, in headless
//! Chromium: once with JavaScript (the hydrated ActionForm, no page reload) and once without.
//! Needs `chromium` and `chromedriver` (scripts/setup.sh --tests) and, for the JavaScript run,
//! the browser bundle that `cargo leptos build` writes to the site root.

use chrono::Duration;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::process::{Child, Command, Stdio};
use tests::process::ServerProcess;
use tests::{Store, TestApp, TestDb};

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start_chromedriver() -> (Driver, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    // Owned by the guard at once, so it is killed and reaped whatever happens next.
    let driver = Driver(
        Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed (scripts/setup.sh --tests)"),
    );
    for _ in 0..100 {
        if reqwest::get(format!("http://127.0.0.1:{port}/status")).await.is_ok() {
            return (driver, port);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start");
}

async fn phone(port: u16, javascript: bool, profile: &std::path::Path) -> Client {
    let mut options = json!({
        "binary": "/usr/bin/chromium",
        "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--window-size=360,640",
            format!("--user-data-dir={}", profile.display()),
        ],
        // Headless windows have a minimum width; emulation gives the page a phone's viewport.
        "mobileEmulation": {"deviceMetrics": {"width": 360, "height": 640, "pixelRatio": 2.0, "touch": false, "mobile": false}},
    });
    if !javascript {
        options["prefs"] = json!({"profile.managed_default_content_settings.javascript": 2});
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    ClientBuilder::rustls()
        .expect("tls")
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("browser session")
}

/// Waits up to 20 s for an element; on failure shows where the browser is and what it shows.
async fn wait_for(client: &Client, locator: Locator<'_>) -> fantoccini::elements::Element {
    match client.wait().at_most(std::time::Duration::from_secs(20)).for_element(locator).await {
        Ok(element) => element,
        Err(error) => {
            let url = client.current_url().await.map(|u| u.to_string()).unwrap_or_default();
            panic!("{error}: at {url}, the page shows:\n{}", text_of(client).await);
        }
    }
}

/// The page's text, or nothing while a new page replaces it.
async fn text_of(client: &Client) -> String {
    match client.find(Locator::Css("body")).await {
        Ok(body) => body.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// The server binary that `cargo leptos build` made with the browser bundle: hydration needs
/// both halves from the same build (a plain `cargo build` of the server renders markers the
/// bundle does not match).
fn site_server() -> String {
    let program = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/debug/toile");
    assert!(std::path::Path::new(program).exists(), "run `cargo leptos build` first (scripts/test.sh does)");
    program.to_string()
}

async fn sign_in_and_enrol(db: &TestDb, javascript: bool, code: &str, title: &str) -> String {
    let server = ServerProcess::start(&site_server(), &db.url);
    let (_driver, port) = start_chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let client = phone(port, javascript, profile.path()).await;
    client.goto(&format!("{}/connexion", server.base)).await.unwrap();
    let width: i64 =
        client.execute("return document.documentElement.clientWidth", vec![]).await.unwrap().as_i64().unwrap();
    assert!(width <= 360, "phone-sized viewport ({width})");
    if javascript {
        wait_for_hydration(&client).await;
    }
    client.find(Locator::Css("input[name=code]")).await.unwrap().send_keys(code).await.unwrap();
    client.find(Locator::XPath("//button[normalize-space()='Me connecter']")).await.unwrap().click().await.unwrap();
    wait_for(&client, Locator::XPath(&format!("//a[normalize-space()=\"{title}\"]"))).await.click().await.unwrap();
    wait_for(&client, Locator::XPath("//button[normalize-space()=\"M'inscrire\"]")).await;
    if javascript {
        wait_for_hydration(&client).await;
        // Survives only if the enrolment happens without a full page load.
        client.execute("window.__noReload = true", vec![]).await.unwrap();
    }
    client.find(Locator::XPath("//button[normalize-space()=\"M'inscrire\"]")).await.unwrap().click().await.unwrap();
    let mut body = String::new();
    for _ in 0..100 {
        body = text_of(&client).await;
        if body.contains("Vous êtes inscrit·e") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    if javascript {
        let kept = client.execute("return window.__noReload === true", vec![]).await.unwrap();
        assert_eq!(kept, json!(true), "with JavaScript the form is handled in place");
    }
    client.close().await.unwrap();
    body
}

async fn wait_for_hydration(client: &Client) {
    for _ in 0..150 {
        let hydrated =
            client.execute("return document.documentElement.dataset.hydrated === 'true'", vec![]).await.unwrap();
        if hydrated == json!(true) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the page never hydrated: is the browser bundle built (cargo leptos build) and served from the site root?");
}

async fn setup() -> (TestDb, TestApp, String, i64) {
    let db = TestDb::create(Store::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let lille = app.structure("Tremplin Lille").await;
    let (_, code) = app.participant(lille, "Amina").await;
    (db, app, code, lille)
}

async fn enrolled_by_participant(app: &TestApp, session: &serde_json::Value) -> Vec<(String, String)> {
    let (_, listed) = app.admin.get(&format!("/sessions/{}/enrolments", session["id"])).await;
    listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["status"].as_str().unwrap().to_string(), e["enrolled_by"].as_str().unwrap().to_string()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_participant_enrols_from_a_phone_without_javascript() {
    let (db, app, code, lille) = setup().await;
    let session =
        app.session(&app.admin, lille, Duration::days(3), 8, json!({"title": "Atelier sans JavaScript"})).await;
    let body = sign_in_and_enrol(&db, false, &code, "Atelier sans JavaScript").await;
    assert!(body.contains("Vous êtes inscrit·e"), "outcome shown: {body}");
    assert_eq!(enrolled_by_participant(&app, &session).await, [("confirmed".to_string(), "participant".to_string())]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_participant_enrols_from_a_phone_with_javascript() {
    let (db, app, code, lille) = setup().await;
    let session =
        app.session(&app.admin, lille, Duration::days(4), 8, json!({"title": "Atelier avec JavaScript"})).await;
    let body = sign_in_and_enrol(&db, true, &code, "Atelier avec JavaScript").await;
    assert!(body.contains("Vous êtes inscrit·e"), "outcome shown: {body}");
    assert_eq!(enrolled_by_participant(&app, &session).await, [("confirmed".to_string(), "participant".to_string())]);
}
