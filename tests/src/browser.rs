//! One headless Chromium for every end-to-end test of a test binary: one ChromeDriver, one
//! WebDriver session, taken in turn by the tests (a browser start costs more than most tests).
//! Each test gets a clean page: no cookies, no storage, its own viewport, JavaScript on or off
//! (set through ChromeDriver's DevTools endpoint, so one browser does both).
//!
//! End-to-end tests are plain `#[test]` functions that call [`run`]: they share one Tokio
//! runtime, which the WebDriver connection lives on.

use fantoccini::elements::Element;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::future::Future;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::{Mutex, MutexGuard, OnceCell};

/// A phone the participants use, the narrowest phone still sold (320 px), and a laptop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Phone,
    SmallPhone,
    Laptop,
}

impl Screen {
    fn size(self) -> (u32, u32) {
        match self {
            Screen::Phone => (360, 640),
            Screen::SmallPhone => (320, 568),
            Screen::Laptop => (1280, 800),
        }
    }
}

/// Runs an end-to-end test on the runtime all of them share.
pub fn run<F: Future>(test: F) -> F::Output {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread().worker_threads(4).enable_all().build().expect("runtime")
        })
        .block_on(async {
            let _machine = crate::machine::shared().await;
            test.await
        })
}

/// The shared browser, for one test at a time.
pub struct Page {
    _turn: MutexGuard<'static, ()>,
    pub client: Client,
}

static TURN: Mutex<()> = Mutex::const_new(());
static CLIENT: OnceCell<Client> = OnceCell::const_new();

/// Takes the browser (waiting for the test before to finish with it) and gives it a clean
/// page of the given size, with or without JavaScript.
pub async fn page(screen: Screen, javascript: bool) -> Page {
    let turn = TURN.lock().await;
    let client = CLIENT.get_or_init(start).await.clone();
    let page = Page { _turn: turn, client };
    page.client.goto("about:blank").await.expect("blank page");
    page.cdp("Network.clearBrowserCookies", json!({})).await;
    page.cdp("Storage.clearDataForOrigin", json!({"origin": "*", "storageTypes": "all"})).await;
    let (width, height) = screen.size();
    page.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": screen != Screen::Laptop}),
    )
    .await;
    page.cdp("Emulation.setScriptExecutionDisabled", json!({"value": !javascript})).await;
    page
}

async fn start() -> Client {
    let port = start_chromedriver();
    for _ in 0..100 {
        if reqwest::get(format!("http://127.0.0.1:{port}/status")).await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let profile = tempfile::tempdir().expect("profile folder").keep();
    let options = json!({
        "binary": "/usr/bin/chromium",
        "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--window-size=1280,800",
            format!("--user-data-dir={}", profile.display()),
        ],
    });
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("browser session (chromium and chromedriver from scripts/setup.sh --tests)")
}

/// Starts ChromeDriver in a process group of its own, killed with the browser it started when
/// the test binary exits (the process is reaped by the system as the binary ends).
#[allow(clippy::zombie_processes)]
fn start_chromedriver() -> u16 {
    use std::os::unix::process::CommandExt;
    static GROUP: OnceLock<i32> = OnceLock::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("chromedriver is installed (scripts/setup.sh --tests)");
    GROUP.set(child.id() as i32).expect("one chromedriver per test binary");
    extern "C" fn kill_group() {
        if let Some(group) = GROUP.get() {
            // SAFETY: sends a signal to the process group this binary started; no memory involved.
            unsafe { libc::kill(-group, libc::SIGKILL) };
        }
    }
    // SAFETY: registers a plain function, run once as the process exits.
    unsafe { libc::atexit(kill_group) };
    port
}

/// A ChromeDriver DevTools command for the current page.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({"cmd": self.cmd, "params": self.params}).to_string()))
    }
}

impl Page {
    /// Runs a DevTools command on the page.
    pub async fn cdp(&self, cmd: &'static str, params: Value) -> Value {
        self.client.issue_cmd(Cdp { cmd, params }).await.unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    }

    pub async fn url(&self) -> String {
        self.client.current_url().await.map(|u| u.to_string()).unwrap_or_default()
    }

    /// The page's visible text, or nothing while a new page replaces it.
    pub async fn text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// The page's HTML as the browser holds it now.
    pub async fn html(&self) -> String {
        self.client.source().await.unwrap_or_default()
    }

    /// Runs a script in the page and returns its value.
    pub async fn eval(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Waits up to 20 s for an element; on failure says where the browser is and what it shows.
    pub async fn wait_for(&self, locator: Locator<'_>) -> Element {
        match self.client.wait().at_most(Duration::from_secs(20)).for_element(locator).await {
            Ok(element) => element,
            Err(error) => panic!("{error}: at {}, the page shows:\n{}", self.url().await, self.text().await),
        }
    }

    /// Waits up to 20 s until the page's text contains `wanted`, and returns that text.
    pub async fn wait_for_text(&self, wanted: &str) -> String {
        let mut text = String::new();
        for _ in 0..200 {
            text = self.text().await;
            if text.contains(wanted) {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{wanted:?} never appeared at {}; the page shows:\n{text}", self.url().await);
    }

    /// The button whose text is `label`.
    pub async fn button(&self, label: &str) -> Element {
        self.wait_for(Locator::XPath(&format!("//button[normalize-space()={}]", xpath_literal(label)))).await
    }

    /// The link whose text is `label`.
    pub async fn link(&self, label: &str) -> Element {
        self.wait_for(Locator::XPath(&format!("//a[normalize-space()={}]", xpath_literal(label)))).await
    }

    /// Types into the field named `name`.
    pub async fn fill(&self, name: &str, value: &str) {
        // Form fields only: the document's `<meta name="description">` has a name too.
        let field = self.wait_for(Locator::Css(&format!(":is(input, textarea, select)[name=\"{name}\"]"))).await;
        field.clear().await.ok();
        field.send_keys(value).await.unwrap_or_else(|e| panic!("typing in {name}: {e}"));
    }

    /// Waits until the wasm bundle has taken the page over (`App` marks the document).
    pub async fn wait_for_hydration(&self) {
        for _ in 0..150 {
            if self.eval("return document.documentElement.dataset.hydrated === 'true'").await == json!(true) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page never hydrated: is the browser bundle built (cargo leptos build)?");
    }

    /// Sets an input's value as the server would have written it (its `value` attribute),
    /// through DevTools, so it works with JavaScript off too: for the native date and time
    /// inputs, whose typing depends on the browser's language. The input must not have been
    /// typed in (typing wins over the attribute).
    pub async fn set_value(&self, css: &str, value: &str) {
        let document = self.cdp("DOM.getDocument", json!({"depth": 0})).await;
        let root = document["root"]["nodeId"].clone();
        let found = self.cdp("DOM.querySelector", json!({"nodeId": root, "selector": css})).await;
        let node = found["nodeId"].as_i64().filter(|id| *id != 0).unwrap_or_else(|| panic!("no {css} here"));
        self.cdp("DOM.setAttributeValue", json!({"nodeId": node, "name": "value", "value": value})).await;
    }

    /// Picks an option of a `<select>` by its value, as a click would.
    pub async fn select(&self, name: &str, value: &str) {
        let option = format!("select[name=\"{name}\"] option[value=\"{value}\"]");
        self.wait_for(Locator::Css(&option)).await.click().await.unwrap_or_else(|e| panic!("{option}: {e}"));
    }

    /// Clicks the element `css` (a radio button, a checkbox, a link).
    pub async fn click(&self, css: &str) {
        let element = self.wait_for(Locator::Css(css)).await;
        element.click().await.unwrap_or_else(|e| panic!("clicking {css}: {e}"));
    }

    /// What axe-core (from the npm registry, see tests/lighthouse/package.json) finds against
    /// the WCAG 2.1 A and AA rules on the page as it is now: one line per rule broken, with
    /// where. Needs JavaScript on.
    pub async fn accessibility_violations(&self) -> Vec<String> {
        static AXE: OnceLock<String> = OnceLock::new();
        let axe = AXE.get_or_init(|| {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/lighthouse/node_modules/axe-core/axe.min.js");
            std::fs::read_to_string(path).expect("axe-core is installed (scripts/setup.sh --tests)")
        });
        self.eval(&format!("{axe}\nreturn typeof axe;")).await;
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
              .then(r => done(r.violations.map(v =>
                  `${v.id}: ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)))
              .catch(e => done([`axe-core failed: ${e}`]));
        "#;
        let found = self.client.execute_async(script, vec![]).await.unwrap_or_else(|e| panic!("axe-core: {e}"));
        let found = found.as_array().unwrap_or_else(|| panic!("axe-core gave no list of violations: {found}"));
        found.iter().map(|s| s.as_str().unwrap_or_default().to_string()).collect()
    }

    /// Signs a participant in with their code, from the sign-in page of `base`.
    pub async fn sign_in_participant(&self, base: &str, code: &str) {
        self.goto(&format!("{base}/connexion")).await;
        self.fill("code", code).await;
        self.button("Me connecter").await.click().await.expect("click");
        self.wait_for(Locator::Css("nav.menu")).await;
    }

    /// Signs a staff member in, from the sign-in page of `base`.
    pub async fn sign_in_staff(&self, base: &str, email: &str, password: &str) {
        self.goto(&format!("{base}/connexion")).await;
        self.fill("email", email).await;
        self.fill("password", password).await;
        self.button("Se connecter").await.click().await.expect("click");
        self.wait_for(Locator::Css("nav.menu")).await;
    }
}

/// `text` as an XPath string literal, whatever quotes it holds.
pub fn xpath_literal(text: &str) -> String {
    if !text.contains('"') {
        format!("\"{text}\"")
    } else if !text.contains('\'') {
        format!("'{text}'")
    } else {
        let parts: Vec<String> = text.split('"').map(|part| format!("\"{part}\"")).collect();
        format!("concat({})", parts.join(", '\"', "))
    }
}
