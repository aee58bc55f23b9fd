//! Clients that are slow or send too much (`server/src/listen.rs`, `serve.rs`): connections that
//! send nothing, or trickle their headers, are closed after the header timeout while others are
//! served, a request whose body never comes is answered 408, a shutdown waits for requests under
//! way no longer than its grace period, and a body beyond its route's limit is refused before it
//! is read. Those refusals speak JSON on the API and French elsewhere (`web/layer_answers.rs`).

use std::time::{Duration, Instant};
use tests::{Store, TestApp, TestDb, on_every_backend};
use toile_server::config::Config;
use toile_server::core::StoreOptions;
use toile_server::listen::ConnectionLimits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

on_every_backend!(
    a_thousand_connections_that_send_nothing_are_closed_at_the_header_timeout_while_a_normal_client_is_served,
    a_body_over_its_limit_is_refused_in_json_on_the_api_and_with_a_french_page_elsewhere,
    a_request_not_answered_in_time_is_refused_in_json_on_the_api_and_with_a_french_page_elsewhere,
);

/// Waits until the server closes `stream`, which sends nothing; answers how long that took from
/// `opened`, or `None` if it was still open after 20 s.
async fn closed_by_the_server(mut stream: TcpStream, opened: Instant) -> Option<Duration> {
    let mut buffer = [0u8; 64];
    let read = tokio::time::timeout(Duration::from_secs(20), stream.read(&mut buffer)).await.ok()?;
    // The server closes without a word (0 bytes) or resets the connection.
    assert!(!matches!(read, Ok(n) if n > 0), "the server wrote to a connection that asked nothing");
    Some(opened.elapsed())
}

async fn a_thousand_connections_that_send_nothing_are_closed_at_the_header_timeout_while_a_normal_client_is_served(
    db: &TestDb,
) {
    let app = TestApp::spawn(db).await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let page = format!("{}/connexion", app.base);
    assert_eq!(reqwest::get(&page).await.unwrap().status(), 200, "the page renders once before the test");

    let mut silent = Vec::new();
    for _ in 0..1000 {
        silent.push(TcpStream::connect(&addr).await.expect("connected"));
    }
    let opened = Instant::now();
    let watched: Vec<_> = silent.into_iter().map(|stream| tokio::spawn(closed_by_the_server(stream, opened))).collect();

    let started = Instant::now();
    let answer = reqwest::Client::new().get(&page).send().await.unwrap();
    assert_eq!(answer.status(), 200, "a normal client is served meanwhile");
    assert!(started.elapsed() < Duration::from_secs(1), "and at once: {:?}", started.elapsed());

    // The default header timeout is 10 s, counted from each connection's start.
    for connection in watched {
        let held = connection.await.unwrap().expect("the server closed the silent connection");
        assert!(held >= Duration::from_secs(8) && held < Duration::from_secs(15), "held for {held:?}");
    }
}

/// The answer's status, `Content-Type` and body.
async fn read_answer(response: reqwest::Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string());
    (status, content_type.unwrap_or_default(), response.text().await.unwrap())
}

/// A French page: its language, a title and one sentence; nothing of tower-http's English.
fn assert_french_page(answer: &(u16, String, String), title: &str) {
    let (status, content_type, body) = answer;
    assert!(content_type.starts_with("text/html"), "{status}: {content_type}");
    assert!(body.contains("<html lang=\"fr\">") && body.contains(&format!("<title>{title}")), "{status}: {body}");
    assert!(!body.contains("length limit") && !body.contains("exceeded"), "{body}");
}

/// A JSON error of the API with its code.
fn assert_api_error(answer: &(u16, String, String), code: &str) {
    let (status, content_type, body) = answer;
    assert!(content_type.starts_with("application/json"), "{status}: {content_type}");
    let error: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("{status}: {body}"));
    assert_eq!(error["error"]["code"], code, "{body}");
    assert!(error["error"]["message"].as_str().is_some_and(|message| !message.is_empty()), "{body}");
}

/// A new session posted to the API with a title a byte longer than the staff's bodies may be.
async fn post_a_session_over_the_limit(app: &TestApp) -> reqwest::Response {
    let huge = "x".repeat(toile_server::web::body_limits::STAFF_BODY_BYTES + 1);
    reqwest::Client::new()
        .post(format!("{}/api/v1/sessions", app.base))
        .bearer_auth(&app.admin.token)
        .header("content-type", "application/json")
        .body(format!(r#"{{"title": "{huge}"}}"#))
        .send()
        .await
        .unwrap()
}

/// A sign-in with a code a byte longer than the small bodies may be, accepting `accept`.
async fn sign_in_over_the_limit(app: &TestApp, accept: &str) -> reqwest::Response {
    let long_code = "x".repeat(toile_server::web::body_limits::SMALL_BODY_BYTES + 1);
    reqwest::Client::new()
        .post(format!("{}/fn/sign_in_participant", app.base))
        .header("accept", accept)
        .form(&[("code", long_code.as_str())])
        .send()
        .await
        .unwrap()
}

async fn a_body_over_its_limit_is_refused_in_json_on_the_api_and_with_a_french_page_elsewhere(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let api = read_answer(post_a_session_over_the_limit(&app).await).await;
    assert_eq!(api.0, 413);
    assert_api_error(&api, "body_too_large");

    let form = read_answer(sign_in_over_the_limit(&app, "text/html").await).await;
    assert_eq!(form.0, 413);
    assert_french_page(&form, "Envoi trop long");
}

/// Sends `head` and answers what the server answered within 10 s, whole (it closes after).
async fn raw_answer(addr: &str, head: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    let _ = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    answer.extend_from_slice(&buffer[..n]);
                    if String::from_utf8_lossy(&answer).contains("</html>") || answer.ends_with(b"}") {
                        break;
                    }
                }
            }
        }
    })
    .await;
    String::from_utf8_lossy(&answer).into_owned()
}

async fn a_request_not_answered_in_time_is_refused_in_json_on_the_api_and_with_a_french_page_elsewhere(db: &TestDb) {
    let limits = ConnectionLimits { request: Duration::from_secs(1), ..ConnectionLimits::default() };
    let config = Config { connections: limits, ..Config::default() };
    let app = TestApp::spawn_with(db, config, StoreOptions::default()).await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let token = &app.admin.token;

    let api = raw_answer(
        &addr,
        &format!(
            "POST /api/v1/sessions HTTP/1.1\r\nHost: toile\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{"
        ),
    )
    .await;
    assert!(api.starts_with("HTTP/1.1 408"), "{api}");
    let (head, body) = api.split_once("\r\n\r\n").unwrap();
    assert!(head.to_ascii_lowercase().contains("content-type: application/json"), "{head}");
    assert!(body.contains(r#""code":"request_timeout""#), "{body}");

    let page = raw_answer(&addr, FORM_NEVER_SENT).await;
    assert!(page.starts_with("HTTP/1.1 408"), "{page}");
    assert!(page.to_ascii_lowercase().contains("content-type: text/html"), "{page}");
    assert!(page.contains("<html lang=\"fr\">") && page.contains("<title>Délai dépassé"), "{page}");
}

/// A sign-in form that announces a body it never sends.
const FORM_NEVER_SENT: &str = "POST /fn/sign_in_participant HTTP/1.1\r\nHost: toile\r\nAccept: text/html\r\n\
    Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ncode=";

/// Sends a request's headers one byte a second, and answers how long the server kept the
/// connection open (or `None` if it was still open after 20 s).
async fn trickle(addr: String) -> Option<Duration> {
    let stream = TcpStream::connect(&addr).await.ok()?;
    let started = Instant::now();
    let (mut read, mut write) = stream.into_split();
    let writer = tokio::spawn(async move {
        for byte in b"GET /connexion HTTP/1.1\r\nHost: toile\r\nX-Slow: one byte a second\r\n\r\n" {
            if write.write_all(&[*byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
    let mut buffer = [0u8; 512];
    let closed = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            match read.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(_) => continue,
            }
        }
    })
    .await;
    writer.abort();
    closed.ok().map(|()| started.elapsed())
}

#[tokio::test]
async fn two_hundred_connections_trickling_headers_are_closed_after_the_timeout_while_a_normal_client_is_served() {
    let _machine = tests::machine::shared().await;
    let db = TestDb::create(Store::Sqlite).await.unwrap();
    let limits = ConnectionLimits { header_read: Duration::from_secs(2), ..ConnectionLimits::default() };
    let config = Config { connections: limits, ..Config::default() };
    let app = TestApp::spawn_with(&db, config, StoreOptions::default()).await;
    let addr = app.base.trim_start_matches("http://").to_string();

    let slow: Vec<_> = (0..200).map(|_| tokio::spawn(trickle(addr.clone()))).collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let started = Instant::now();
    let page = reqwest::get(format!("{}/connexion", app.base)).await.unwrap();
    assert_eq!(page.status(), 200, "a normal client is served meanwhile");
    assert!(started.elapsed() < Duration::from_secs(2), "and at once: {:?}", started.elapsed());

    for connection in slow {
        let held = connection.await.unwrap().expect("the server closed the trickling connection");
        // The headers alone would take over a minute at this pace: closed at the timeout.
        assert!(held >= Duration::from_millis(1500) && held < Duration::from_secs(8), "held for {held:?}");
    }
}

#[tokio::test]
async fn each_route_refuses_a_body_beyond_its_own_limit_with_413_and_nothing_is_stored() {
    let _machine = tests::machine::shared().await;
    let db = TestDb::create(Store::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let response = post_a_session_over_the_limit(&app).await;
    assert_eq!(response.status(), 413);
    // A sign-in carries a code: a few KB more than any is refused before it is read.
    let form = sign_in_over_the_limit(&app, "application/json").await;
    assert_eq!(form.status(), 413, "server functions are bounded, and tighter");
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&app.sql).await.unwrap();
    assert_eq!(sessions, 0);

    // The largest session a person may write fits: a description of 4,000 accented letters.
    let lille = app.structure("Tremplin Lille").await;
    let mut body = tests::fixtures::session_body(lille, chrono::Utc::now() + chrono::Duration::days(3), 8);
    body["description"] = "é".repeat(toile_shared::session_input::MAX_TEXT_CHARS).into();
    let (status, created) = app.admin.post("/sessions", body).await;
    assert_eq!(status, 201, "{created}");
}

/// Opens a connection and sends a request that announces a body it never sends: the server waits
/// for the body. Answers the open connection.
async fn announce_a_body_never_sent(addr: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let head = "POST /fn/sign_in_participant HTTP/1.1\r\nHost: toile\r\nAccept: application/json\r\n\
                Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ncode=";
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

#[tokio::test]
async fn a_request_whose_body_never_comes_is_answered_408_at_the_request_timeout() {
    let _machine = tests::machine::shared().await;
    let db = TestDb::create(Store::Sqlite).await.unwrap();
    let limits = ConnectionLimits { request: Duration::from_secs(1), ..ConnectionLimits::default() };
    let config = Config { connections: limits, ..Config::default() };
    let app = TestApp::spawn_with(&db, config, StoreOptions::default()).await;
    let addr = app.base.trim_start_matches("http://").to_string();

    let started = Instant::now();
    let mut stream = announce_a_body_never_sent(&addr).await;
    let mut answer = vec![0u8; 512];
    let read =
        tokio::time::timeout(Duration::from_secs(10), stream.read(&mut answer)).await.expect("answered").unwrap();
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(900) && waited < Duration::from_secs(5), "answered after {waited:?}");
}

#[tokio::test]
async fn a_shutdown_lets_requests_under_way_finish_for_the_grace_period_and_no_longer() {
    let _machine = tests::machine::shared().await;
    let db = TestDb::create(Store::Sqlite).await.unwrap();
    let core = toile_server::config::open_core(&db.url, StoreOptions::default()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let options = toile_server::config::site_options().unwrap();
    let limits = ConnectionLimits { shutdown_grace: Duration::from_secs(1), ..ConnectionLimits::default() };
    let app = toile_server::serve::app(core, Config { connections: limits, ..Config::default() }, options);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(toile_server::listen::serve_until(listener, app, limits, async {
        stopped.await.ok();
    }));
    // A request under way (its body still to come, for longer than the grace period).
    let _held = announce_a_body_never_sent(&addr).await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    let started = Instant::now();
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), server).await.expect("the server stopped").unwrap().unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(900) && waited < Duration::from_secs(4), "stopped after {waited:?}");
    assert!(TcpStream::connect(&addr).await.is_err(), "no new connection once stopped");
}
