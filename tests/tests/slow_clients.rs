//! Clients that are slow or send too much (`server/src/listen.rs`, `serve.rs`): connections that
//! trickle their headers are closed after the header timeout while others are served, a request
//! whose body never comes is answered 408, a shutdown waits for requests under way no longer than
//! its grace period, and a body beyond its route's limit is refused before it is read.

use std::time::{Duration, Instant};
use tests::{Store, TestApp, TestDb};
use toile_server::config::Config;
use toile_server::core::StoreOptions;
use toile_server::listen::ConnectionLimits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

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
    use toile_server::web::body_limits::{SMALL_BODY_BYTES, STAFF_BODY_BYTES};
    let db = TestDb::create(Store::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let huge = "x".repeat(STAFF_BODY_BYTES + 1);
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/sessions", app.base))
        .bearer_auth(&app.admin.token)
        .header("content-type", "application/json")
        .body(format!(r#"{{"title": "{huge}"}}"#))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    // A sign-in carries a code: a few KB more than any is refused before it is read.
    let long_code = "x".repeat(SMALL_BODY_BYTES + 1);
    let form = reqwest::Client::new()
        .post(format!("{}/fn/sign_in_participant", app.base))
        .header("accept", "application/json")
        .form(&[("code", long_code.as_str())])
        .send()
        .await
        .unwrap();
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
    let db = TestDb::create(Store::Sqlite).await.unwrap();
    let core = toile_server::core::Core::open_with(&db.url, StoreOptions::default()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let options = toile_server::serve::leptos_options().unwrap();
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
