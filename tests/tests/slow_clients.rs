//! Clients that are slow or send too much (`server/src/listen.rs`, `serve.rs`): connections that
//! trickle their headers are closed after the header timeout while others are served, and a body
//! beyond the limit is refused before it is read.

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
async fn a_body_beyond_the_limit_is_refused_with_413_and_nothing_is_stored() {
    let db = TestDb::create(Store::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let huge = "x".repeat(toile_server::serve::MAX_BODY_BYTES + 1);
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/sessions", app.base))
        .bearer_auth(&app.admin.token)
        .header("content-type", "application/json")
        .body(format!(r#"{{"title": "{huge}"}}"#))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let form = reqwest::Client::new()
        .post(format!("{}/fn/sign_in_participant", app.base))
        .header("accept", "application/json")
        .form(&[("code", huge.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 413, "server functions are bounded too");
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&app.sql).await.unwrap();
    assert_eq!(sessions, 0);
}
