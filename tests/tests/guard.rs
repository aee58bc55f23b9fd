//! What every request and answer of the real server goes through (`server/src/web/guard.rs`):
//! writes forged by another site are refused before anything changes (sign-ins included), every
//! answer carries the security headers (a page's policy names the nonce its inline scripts carry),
//! answers with a secret or personal data are `no-store`, and over HTTPS only the `__Host-`
//! cookie signs a browser in.

use chrono::Duration;
use serde_json::json;
use tests::http::{sign_in_by_form, without_redirects as client};
use tests::{Store, TestApp, TestDb, on_every_backend};
use toile_shared::Role;

on_every_backend!(
    a_sign_in_posted_from_another_site_is_refused_with_no_cookie_and_the_same_from_toile_signs_in,
    the_api_and_the_sms_webhook_take_writes_whatever_site_they_come_from,
    over_https_the_plain_named_sign_in_cookie_signs_nobody_in,
    a_page_s_inline_scripts_carry_the_nonce_its_policy_names_and_each_answer_draws_its_own,
    answers_with_a_new_secret_or_personal_data_are_kept_by_no_cache,
);

/// A sign-in form posted as a browser on the page at `origin` would post it.
async fn sign_in_from(base: &str, path: &str, form: &[(&str, &str)], origin: (&str, &str)) -> reqwest::Response {
    client()
        .post(format!("{base}{path}"))
        .header("accept", "text/html")
        .header(origin.0, origin.1)
        .form(form)
        .send()
        .await
        .unwrap()
}

async fn a_sign_in_posted_from_another_site_is_refused_with_no_cookie_and_the_same_from_toile_signs_in(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let (_, code) = app.participant(lille, "Amina").await;
    app.staff("claire@tremplin.fr", Role::Cip, Some(lille)).await;
    let participant = ("/fn/sign_in_participant", vec![("code", code.as_str())]);
    let staff = ("/fn/sign_in_staff", vec![("email", "claire@tremplin.fr"), ("password", "motdepasse-test")]);

    for (path, form) in [participant, staff] {
        for forged in [("origin", "https://evil.example"), ("referer", "https://evil.example/toile.html")] {
            let refused = sign_in_from(&app.base, path, &form, forged).await;
            assert_eq!(refused.status(), 403, "{path} from {forged:?}");
            assert!(refused.headers().get("set-cookie").is_none(), "{path} from {forged:?}: no sign-in cookie");
            assert!(refused.text().await.unwrap().contains("ne vient pas d'une page de Toile"));
        }
        let own = sign_in_from(&app.base, path, &form, ("origin", &app.base)).await;
        assert!(own.status().is_redirection(), "{path} from Toile's page: {}", own.status());
        let cookie = own.headers().get("set-cookie").map(|value| value.to_str().unwrap().to_string());
        assert!(cookie.is_some_and(|cookie| cookie.starts_with("toile_session=")), "{path} signs in");
    }
    let signed_in: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM auth_sessions").fetch_one(&app.sql).await.unwrap();
    assert_eq!(signed_in, 2, "only the two sign-ins from Toile's own page");
}

async fn the_api_and_the_sms_webhook_take_writes_whatever_site_they_come_from(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let body = tests::fixtures::session_body(lille, chrono::Utc::now() + Duration::days(3), 8);
    let created = reqwest::Client::new()
        .post(format!("{}/api/v1/sessions", app.base))
        .bearer_auth(&app.admin.token)
        .header("origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201, "the API signs with a bearer token, which no other site can send");

    let secret = "a-webhook-secret-long-enough-0123456789";
    let webhook = app.serve_also(app.core.with_sms_webhook_secret(secret)).await;
    let event = json!({"to": "33612345678", "msg_status": "delivered", "messageId": 124});
    let answered = reqwest::Client::new()
        .post(format!("{webhook}{}/{secret}", toile_shared::paths::SMS_WEBHOOK))
        .header("origin", "https://evil.example")
        .json(&event)
        .send()
        .await
        .unwrap();
    assert_eq!(answered.status(), 200, "the webhook's address is its secret");
}

async fn over_https_the_plain_named_sign_in_cookie_signs_nobody_in(db: &TestDb) {
    let public_url = toile_server::links::PublicUrl::parse("https://toile.example.org").unwrap();
    let config = toile_server::config::Config { public_url: Some(public_url), ..Default::default() };
    let app = TestApp::spawn_with(db, config, toile_server::core::StoreOptions::default()).await;
    let lille = app.structure("Tremplin Lille").await;
    let (_, code) = app.participant(lille, "Amina").await;
    let form = [("code", code.as_str())];
    let signed =
        sign_in_from(&app.base, "/fn/sign_in_participant", &form, ("origin", "https://toile.example.org")).await;
    let cookie = signed.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let token = cookie.strip_prefix("__Host-toile_session=").expect("the host-bound name over https");

    let sessions = format!("{}/seances", app.base);
    let mine = tests::http::text_as(&sessions, &cookie).await;
    // The header names the account of a signed-in visitor.
    assert!(mine.contains("Compte : "), "the __Host- cookie signs in");
    // A sibling subdomain can set `toile_session` for the whole domain; a browser sends it here.
    let planted = tests::http::text_as(&sessions, &format!("toile_session={token}")).await;
    assert!(!planted.contains("Compte : "), "the plain name signs nobody in over https");
    let calendar = tests::http::get_as(&format!("{sessions}/1/agenda.ics"), &format!("toile_session={token}")).await;
    assert_eq!(calendar.status(), 303, "nor on the server's own routes: sent to sign in");
}

async fn a_page_s_inline_scripts_carry_the_nonce_its_policy_names_and_each_answer_draws_its_own(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    app.staff("claire@tremplin.fr", Role::Cip, Some(lille)).await;
    let form = [("email", "claire@tremplin.fr"), ("password", "motdepasse-test")];
    let cookie = sign_in_by_form(&app.base, "/fn/sign_in_staff", &form).await;

    let mut nonces = Vec::new();
    // The form that proposes a session has islands: Leptos writes their start-up inline.
    for _ in 0..2 {
        let page = tests::http::get_as(&format!("{}/equipe/seances/nouvelle", app.base), &cookie).await;
        assert_eq!(page.status(), 200);
        let policy = page.headers()["content-security-policy"].to_str().unwrap().to_string();
        let scripts = policy.split(';').map(str::trim).find(|d| d.starts_with("script-src")).unwrap().to_string();
        assert!(!scripts.contains("'unsafe-inline'"), "{policy}");
        let nonce = scripts.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce");
        let nonce = nonce.to_string();
        let html = page.text().await.unwrap();
        assert!(html.contains("<leptos-island"), "a page with islands");
        let inline: Vec<&str> = html
            .split("<script")
            .skip(1)
            .map(|tag| &tag[..tag.find('>').unwrap()])
            .filter(|attributes| !attributes.contains("src="))
            .collect();
        assert!(!inline.is_empty(), "the islands' start-up is inline");
        for attributes in inline {
            assert!(
                attributes.contains(&format!("nonce=\"{nonce}\"")),
                "<script{attributes}> without this answer's nonce {nonce}"
            );
        }
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "each answer draws its own nonce");

    let api = client().get(format!("{}/api/v1/openapi.json", app.base)).send().await.unwrap();
    let policy = api.headers()["content-security-policy"].to_str().unwrap();
    assert!(policy.starts_with("script-src 'self' 'wasm-unsafe-eval';") && !policy.contains("nonce-"), "{policy}");
}

/// The answer's `Cache-Control`, or "" when it has none.
fn cache_control(response: &reqwest::Response) -> String {
    response.headers().get("cache-control").map(|value| value.to_str().unwrap().to_string()).unwrap_or_default()
}

async fn answers_with_a_new_secret_or_personal_data_are_kept_by_no_cache(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let (_, code) = app.participant(lille, "Amina").await;
    app.staff("claire@tremplin.fr", Role::Cip, Some(lille)).await;
    let api = reqwest::Client::new();
    let participant =
        json!({"first_name": "Sara", "last_name": "Test", "structure_id": lille, "phone": "06 12 34 56 78"});
    let created = api
        .post(format!("{}/api/v1/participants", app.base))
        .bearer_auth(&app.admin.token)
        .json(&participant)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    assert!(cache_control(&created).contains("no-store"), "a new access code: {:?}", cache_control(&created));
    let feed =
        api.post(format!("{}/api/v1/feeds", app.base)).bearer_auth(&app.admin.token).json(&json!({"scope": "group"}));
    let feed = feed.send().await.unwrap();
    assert_eq!(feed.status(), 201);
    assert!(cache_control(&feed).contains("no-store"), "a new calendar link");
    let listed =
        api.get(format!("{}/api/v1/participants", app.base)).bearer_auth(&app.admin.token).send().await.unwrap();
    assert!(cache_control(&listed).contains("no-store"), "phone numbers");

    let amina = sign_in_by_form(&app.base, "/fn/sign_in_participant", &[("code", &code)]).await;
    let own_feed = client()
        .post(format!("{}/fn/create_feed", app.base))
        .header("accept", "application/json")
        .header("cookie", &amina)
        .header("origin", &app.base)
        .form(&[("scope", "mine")])
        .send()
        .await
        .unwrap();
    assert_eq!(own_feed.status(), 200);
    assert!(cache_control(&own_feed).contains("no-store"), "a new calendar link, from a page");
    let sessions = tests::http::get_as(&format!("{}/seances", app.base), &amina).await;
    assert!(cache_control(&sessions).contains("no-store"), "a signed-in participant's page");

    let form = [("email", "claire@tremplin.fr"), ("password", "motdepasse-test")];
    let claire = sign_in_by_form(&app.base, "/fn/sign_in_staff", &form).await;
    for path in ["/equipe/participants", "/equipe", "/equipe/notifications"] {
        let page = tests::http::get_as(&format!("{}{path}", app.base), &claire).await;
        assert!(cache_control(&page).contains("no-store"), "{path}: {:?}", cache_control(&page));
    }
    let nobody = client().get(format!("{}/equipe/participants", app.base)).send().await.unwrap();
    assert!(cache_control(&nobody).contains("no-store"), "staff places, whoever asks");

    // A calendar feed keeps its own policy, even fetched by a signed-in browser.
    let feed_url: serde_json::Value = feed.json().await.unwrap();
    let calendar = tests::http::get_as(feed_url["url"].as_str().unwrap(), &claire).await;
    assert_eq!(calendar.status(), 200);
    assert_eq!(cache_control(&calendar), "private, max-age=900", "calendar apps may keep a feed a while");
}

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
    let _machine = tests::machine::shared().await;
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
    let _machine = tests::machine::shared().await;
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
    let _machine = tests::machine::shared().await;
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
