//! What every request and answer of the real server goes through (`server/src/web/guard.rs`):
//! writes forged by another site are refused before anything changes, and every answer carries
//! the security headers.

use chrono::Duration;
use serde_json::json;
use tests::http::{sign_in_by_form, without_redirects as client};
use tests::{Store, TestApp, TestDb};

async fn enrol(base: &str, cookie: &str, session: i64, origin: &str) -> reqwest::Response {
    client()
        .post(format!("{base}/fn/enrol"))
        .header("accept", "text/html")
        .header("cookie", cookie)
        .header("origin", origin)
        .form(&[("session_id", session.to_string())])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_enrolment_posted_from_another_site_with_the_sign_in_cookie_is_refused_and_changes_nothing() {
    let db = TestDb::create(Store::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let lille = app.structure("Tremplin Lille").await;
    let (_, code) = app.participant(lille, "Amina").await;
    let session = app.session(&app.admin, lille, Duration::days(4), 8, json!({})).await;
    let id = session["id"].as_i64().unwrap();
    let cookie = sign_in_by_form(&app.base, "/fn/sign_in_participant", &[("code", &code)]).await;

    let forged = enrol(&app.base, &cookie, id, "https://evil.example").await;
    assert_eq!(forged.status(), 403);
    assert!(forged.text().await.unwrap().contains("ne vient pas d'une page de Toile"));
    let (_, listed) = app.admin.get(&format!("/sessions/{id}/enrolments")).await;
    assert_eq!(listed, json!([]), "nothing stored");

    let own = enrol(&app.base, &cookie, id, &app.base).await;
    assert!(own.status().is_redirection(), "the same form from Toile's page goes through: {}", own.status());
    let (_, listed) = app.admin.get(&format!("/sessions/{id}/enrolments")).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let db = TestDb::create(Store::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    for path in ["/connexion", "/api/v1/openapi.json", "/no-such-page", "/api/v1/sessions"] {
        let response = client().get(format!("{}{path}", app.base)).send().await.unwrap();
        let headers = response.headers();
        let csp = headers.get("content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(csp.to_str().unwrap().contains("frame-ancestors 'none'"), "{path}: {csp:?}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        assert!(headers.get("strict-transport-security").is_none(), "{path}: served over plain http here");
    }
}

#[tokio::test]
async fn behind_an_https_address_the_sign_in_cookie_is_secure_and_host_bound_and_hsts_is_sent() {
    let db = TestDb::create(Store::Sqlite).await.unwrap();
    let public_url = toile_server::links::PublicUrl::parse("https://toile.example.org").unwrap();
    let config = toile_server::config::Config { public_url: Some(public_url), ..Default::default() };
    let app = TestApp::spawn_with(&db, config, toile_server::core::StoreOptions::default()).await;
    let lille = app.structure("Tremplin Lille").await;
    let (_, code) = app.participant(lille, "Amina").await;

    // The proxy in front speaks https; it reaches Toile over plain http, saying nothing about it.
    let signed = client()
        .post(format!("{}/fn/sign_in_participant", app.base))
        .header("accept", "text/html")
        .header("origin", "https://toile.example.org")
        .form(&[("code", code.as_str())])
        .send()
        .await
        .unwrap();
    assert!(signed.status().is_redirection(), "{}", signed.status());
    let cookie = signed.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("__Host-toile_session="), "{cookie}");
    assert!(cookie.contains("; Secure") && cookie.contains("Path=/") && !cookie.contains("Domain="), "{cookie}");
    let hsts = signed.headers().get("strict-transport-security").map(|v| v.to_str().unwrap().to_string());
    assert!(hsts.is_some_and(|hsts| hsts.contains("max-age=")), "HSTS over https");

    // The same form from the plain address is another site for this installation.
    let forged = client()
        .post(format!("{}/fn/sign_in_participant", app.base))
        .header("accept", "text/html")
        .header("origin", &app.base)
        .header("cookie", cookie.split(';').next().unwrap())
        .form(&[("code", code.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
}
