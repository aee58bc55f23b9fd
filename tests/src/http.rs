//! A small JSON client over reqwest: every call returns the status and the parsed body.

use reqwest::{Method, StatusCode};
use serde_json::Value;

#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub client: reqwest::Client,
    pub token: String,
}

impl Api {
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.try_call(method, path, body).await.expect("request sent and answered")
    }

    /// `None` when no whole answer came back: the server refused the connection or went away.
    pub async fn try_call(&self, method: Method, path: &str, body: Option<Value>) -> Option<(StatusCode, Value)> {
        let mut request = self.client.request(method, format!("{}{path}", self.base)).bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.ok()?;
        let status = response.status();
        let text = response.text().await.ok()?;
        let value =
            if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        Some((status, value))
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PATCH, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::DELETE, path, None).await
    }

    pub fn with_token(&self, token: &str) -> Api {
        Api { token: token.to_string(), ..self.clone() }
    }
}

/// A client that hands redirects back instead of following them, as a test of a form post
/// needs (the answer to a form is a redirect with its cookie).
pub fn without_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Signs in through the form at `path` (`/fn/sign_in_participant` or `/fn/sign_in_staff`), as a
/// browser without JavaScript would, and returns the cookie to send: `toile_session=…`.
pub async fn sign_in_by_form(base: &str, path: &str, form: &[(&str, &str)]) -> String {
    let response = without_redirects()
        .post(format!("{base}{path}"))
        .header("accept", "text/html")
        .form(form)
        .send()
        .await
        .unwrap();
    let cookie =
        response.headers().get("set-cookie").unwrap_or_else(|| panic!("{path} signs in: {}", response.status()));
    let cookie = cookie.to_str().unwrap().split(';').next().unwrap().to_string();
    assert!(cookie.starts_with("toile_session="), "{path} set {cookie:?}");
    cookie
}

/// A page or file fetched as the browser holding `cookie` (not following redirects).
pub async fn get_as(url: &str, cookie: &str) -> reqwest::Response {
    without_redirects().get(url).header("cookie", cookie).send().await.unwrap()
}

/// The text of a page fetched as the browser holding `cookie`.
pub async fn text_as(url: &str, cookie: &str) -> String {
    get_as(url, cookie).await.text().await.unwrap()
}

/// The demo network's participant code and staff sign-in (`toile seed --demo` prints them).
pub const DEMO_PARTICIPANT_CODE: &str = "TRAM-4CAF";
pub const DEMO_STAFF: (&str, &str) = ("claire.martin@demo.toile.fr", "demo-toile-2026");

/// Browsers signed in on a demo server: its participant and one of its CIPs (cookies), and the
/// first session in the participant's `/seances`.
pub struct DemoVisitors {
    pub participant: String,
    pub staff: String,
    pub session: String,
}

pub async fn demo_visitors(base: &str) -> DemoVisitors {
    let participant = sign_in_by_form(base, "/fn/sign_in_participant", &[("code", DEMO_PARTICIPANT_CODE)]).await;
    let (email, password) = DEMO_STAFF;
    let staff = sign_in_by_form(base, "/fn/sign_in_staff", &[("email", email), ("password", password)]).await;
    let session = first_session(base, &participant).await;
    DemoVisitors { participant, staff, session }
}

/// The first session linked from the participant's `/seances`.
pub async fn first_session(base: &str, cookie: &str) -> String {
    let response = get_as(&format!("{base}/seances"), cookie).await;
    assert_eq!(response.status(), 200, "/seances");
    let html = response.text().await.unwrap();
    let start = html.find("href=\"/seances/").expect("a session in /seances") + "href=\"".len();
    html[start..].split('"').next().unwrap().to_string()
}
