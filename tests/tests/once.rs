//! Nothing done twice: a creating form posted again with its one-time token (a double tap, "back"
//! and send again) answers with what the first post made, and the API's `Idempotency-Key` does
//! the same for its POSTs (the same key and body: the first answer; another body: 422), on both
//! backends through the real server.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::fixtures::session_body;
use tests::http::{sign_in_by_form, text_as, without_redirects as client};
use tests::{TestApp, TestDb, on_every_backend};

on_every_backend!(
    the_new_session_form_posted_twice_with_its_token_makes_one_session,
    a_double_tap_on_the_new_session_form_makes_one_session_and_both_answers_show_it,
    the_same_token_with_other_values_makes_nothing_and_says_the_form_was_already_sent,
    a_refused_form_keeps_its_token_free_for_the_corrected_one,
    a_registration_posted_twice_makes_one_participant_and_never_shows_the_code_again,
    a_duplicate_posted_twice_makes_one_copy,
    post_sessions_twice_with_one_idempotency_key_makes_one_and_another_body_is_refused,
    an_idempotency_key_belongs_to_one_account_and_a_refused_request_frees_it,
    an_answer_that_showed_a_secret_is_not_kept_and_not_shown_again,
    keys_older_than_a_day_are_swept,
    the_openapi_document_offers_an_idempotency_key_on_every_post,
);

const PASSWORD: &str = "motdepasse-test";

/// A staff member signed in through the sign-in form, as a browser is.
async fn signed_in(app: &TestApp, email: &str) -> String {
    sign_in_by_form(&app.base, "/fn/sign_in_staff", &[("email", email), ("password", PASSWORD)]).await
}

/// The one-time token of the form on `path`, as a browser gets it with the form.
async fn token_of(app: &TestApp, path: &str, cookie: &str) -> String {
    let html = text_as(&format!("{}{path}", app.base), cookie).await;
    html.split(r#"name="form_token" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .filter(|token| token.len() >= 32)
        .unwrap_or_else(|| panic!("{path} carries a one-time token: {html}"))
        .to_string()
}

async fn post_form(app: &TestApp, path: &str, cookie: &str, fields: &[(&str, String)]) -> reqwest::Response {
    client()
        .post(format!("{}{path}", app.base))
        .header("cookie", cookie)
        .header("origin", &app.base)
        .header("accept", "text/html")
        .form(fields)
        .send()
        .await
        .unwrap()
}

fn location(answer: &reqwest::Response) -> String {
    answer.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default()
}

/// The new-session form as a person fills it in, with the token it came with.
fn session_fields(organiser: i64, title: &str, token: &str) -> Vec<(&'static str, String)> {
    let day = (Utc::now() + Duration::days(10)).format("%Y-%m-%d").to_string();
    vec![
        ("kind", "workshop".into()),
        ("theme", "cv".into()),
        ("title", title.into()),
        ("description", "Faire son CV en groupe.".into()),
        ("organiser", organiser.to_string()),
        ("date", day),
        ("start", "09:00".into()),
        ("end", "11:00".into()),
        ("weeks", "1".into()),
        ("place", "address".into()),
        ("address", "12 rue des Postes, 59000 Lille".into()),
        ("capacity", "12".into()),
        ("audience", "all".into()),
        ("status", "published".into()),
        ("form_token", token.into()),
    ]
}

async fn sessions_titled(app: &TestApp, title: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE title = $1").bind(title).fetch_one(&app.sql).await.unwrap()
}

async fn the_new_session_form_posted_twice_with_its_token_makes_one_session(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    app.cip("claire@test.fr", a).await;
    let cookie = signed_in(&app, "claire@test.fr").await;
    let token = token_of(&app, "/equipe/seances/nouvelle", &cookie).await;
    let fields = session_fields(a, "Atelier CV du mardi", &token);

    let first = post_form(&app, "/equipe/seances/nouvelle", &cookie, &fields).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let made = location(&first);
    assert!(made.ends_with("?fait=creee"), "{made}");
    let session = made.trim_end_matches("?fait=creee").to_string();

    // "Back", then the same form sent again.
    let again = post_form(&app, "/equipe/seances/nouvelle", &cookie, &fields).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&again), format!("{session}?fait=deja"), "the same session's page, saying so");
    assert_eq!(sessions_titled(&app, "Atelier CV du mardi").await, 1);
    let page = text_as(&format!("{}{}", app.base, location(&again)), &cookie).await;
    assert!(page.contains("déjà enregistré"), "{page}");
    assert!(page.contains("Atelier CV du mardi"), "{page}");

    // A form shown again carries a new token: a second session is then what the person asks.
    let other = token_of(&app, "/equipe/seances/nouvelle", &cookie).await;
    assert_ne!(other, token);
    let second =
        post_form(&app, "/equipe/seances/nouvelle", &cookie, &session_fields(a, "Atelier CV du mardi", &other)).await;
    assert!(location(&second).ends_with("?fait=creee"), "{}", location(&second));
    assert_eq!(sessions_titled(&app, "Atelier CV du mardi").await, 2);
}

async fn a_double_tap_on_the_new_session_form_makes_one_session_and_both_answers_show_it(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    app.cip("claire@test.fr", a).await;
    let cookie = signed_in(&app, "claire@test.fr").await;
    for round in 0..3 {
        let token = token_of(&app, "/equipe/seances/nouvelle", &cookie).await;
        let title = format!("Atelier {round}");
        let fields = session_fields(a, &title, &token);
        let (one, two) = tokio::join!(
            post_form(&app, "/equipe/seances/nouvelle", &cookie, &fields),
            post_form(&app, "/equipe/seances/nouvelle", &cookie, &fields)
        );
        assert_eq!((one.status(), two.status()), (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER));
        let page = |answer: &reqwest::Response| location(answer).split('?').next().unwrap().to_string();
        assert_eq!(page(&one), page(&two), "the browser shows the second answer: the session the first made");
        let mut said = [location(&one), location(&two)].map(|l| l.split('=').next_back().unwrap().to_string());
        said.sort();
        assert_eq!(said, ["creee", "deja"]);
        assert_eq!(sessions_titled(&app, &title).await, 1, "round {round}");
    }
}

async fn the_same_token_with_other_values_makes_nothing_and_says_the_form_was_already_sent(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    app.cip("claire@test.fr", a).await;
    let cookie = signed_in(&app, "claire@test.fr").await;
    let token = token_of(&app, "/equipe/seances/nouvelle", &cookie).await;
    let first = post_form(&app, "/equipe/seances/nouvelle", &cookie, &session_fields(a, "Atelier CV", &token)).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    // "Back", a change, and the same form sent again.
    let changed =
        post_form(&app, "/equipe/seances/nouvelle", &cookie, &session_fields(a, "Atelier lettre", &token)).await;
    assert_eq!(changed.status(), StatusCode::CONFLICT);
    let page = changed.text().await.unwrap();
    assert!(page.contains("déjà été envoyé"), "{page}");
    assert!(page.contains("Atelier lettre"), "what was typed comes back: {page}");
    assert!(!page.contains(&token), "the form shown again carries a new token");
    assert_eq!(sessions_titled(&app, "Atelier lettre").await, 0);
    assert_eq!(sessions_titled(&app, "Atelier CV").await, 1);
}

async fn a_refused_form_keeps_its_token_free_for_the_corrected_one(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    app.cip("claire@test.fr", a).await;
    let cookie = signed_in(&app, "claire@test.fr").await;
    let token = token_of(&app, "/equipe/seances/nouvelle", &cookie).await;
    let mut fields = session_fields(a, "Atelier CV", &token);
    fields.retain(|(name, _)| *name != "capacity");
    fields.push(("capacity", "0".into()));
    let refused = post_form(&app, "/equipe/seances/nouvelle", &cookie, &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let corrected =
        post_form(&app, "/equipe/seances/nouvelle", &cookie, &session_fields(a, "Atelier CV", &token)).await;
    assert_eq!(corrected.status(), StatusCode::SEE_OTHER);
    assert!(location(&corrected).ends_with("?fait=creee"), "{}", location(&corrected));
    assert_eq!(sessions_titled(&app, "Atelier CV").await, 1);
}

async fn a_registration_posted_twice_makes_one_participant_and_never_shows_the_code_again(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let cip = app.cip("claire@test.fr", a).await;
    let cookie = signed_in(&app, "claire@test.fr").await;
    let token = token_of(&app, "/equipe/participants/nouvelle", &cookie).await;
    let fields = [
        ("first_name", "Amina".to_string()),
        ("last_name", "Benali".into()),
        ("structure", a.to_string()),
        ("referent", cip.id.to_string()),
        ("phone", String::new()),
        ("email", String::new()),
        ("form_token", token),
    ];
    let first = post_form(&app, "/equipe/participants/nouvelle", &cookie, &fields).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert!(first.text().await.unwrap().contains("code-personnel"), "the card, with its code");
    let again = post_form(&app, "/equipe/participants/nouvelle", &cookie, &fields).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let id: i64 = sqlx::query_scalar("SELECT id FROM participants WHERE first_name = 'Amina'")
        .fetch_one(&app.sql)
        .await
        .expect("one person");
    assert_eq!(location(&again), format!("/equipe/participants/{id}?fait=deja"));
    let record = text_as(&format!("{}{}", app.base, location(&again)), &cookie).await;
    assert!(record.contains("déjà inscrite"), "{record}");
    assert!(!record.contains("code-personnel"), "the code is shown once only");
}

async fn a_duplicate_posted_twice_makes_one_copy(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let cip = app.cip("claire@test.fr", a).await;
    let cookie = signed_in(&app, "claire@test.fr").await;
    let session = app.session(&cip.api, a, Duration::days(3), 12, json!({"title": "Visite"})).await;
    let path = format!("/equipe/seances/{}/dupliquer", session["id"]);
    let token = token_of(&app, &path, &cookie).await;
    let day = (Utc::now() + Duration::days(17)).format("%Y-%m-%d").to_string();
    let fields = [("date", day), ("form_token", token)];
    let first = post_form(&app, &path, &cookie, &fields).await;
    let again = post_form(&app, &path, &cookie, &fields).await;
    let copy = location(&first).trim_end_matches("?fait=copiee").to_string();
    assert_eq!(location(&again), format!("{copy}?fait=deja"));
    assert_eq!(sessions_titled(&app, "Visite").await, 2, "the session and one copy");
}

/// A POST with an `Idempotency-Key`.
async fn post_keyed(app: &TestApp, token: &str, path: &str, key: &str, body: &Value) -> (StatusCode, Value) {
    let answer = reqwest::Client::new()
        .post(format!("{}/api/v1{path}", app.base))
        .bearer_auth(token)
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = answer.status();
    (status, answer.json().await.unwrap())
}

async fn post_sessions_twice_with_one_idempotency_key_makes_one_and_another_body_is_refused(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let cip = app.cip("claire@test.fr", a).await;
    let mut body = session_body(a, Utc::now() + Duration::days(5), 12);
    body["title"] = json!("Job dating");
    let key = "\"8e03978e-40d5-43e8-bc93-6894a57f9324\"";
    let (status, first) = post_keyed(&app, &cip.api.token, "/sessions", key, &body).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, again) = post_keyed(&app, &cip.api.token, "/sessions", key, &body).await;
    assert_eq!(status, StatusCode::CREATED, "the first answer, again");
    assert_eq!(again, first);
    assert_eq!(sessions_titled(&app, "Job dating").await, 1);

    body["capacity"] = json!(20);
    let (status, refused) = post_keyed(&app, &cip.api.token, "/sessions", key, &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused["error"]["code"], "idempotency_key_mismatch");
    let (status, _) = post_keyed(&app, &cip.api.token, "/sessions/1/duplicate", key, &json!({"starts_at": null})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the same key on another address is another request");
    assert_eq!(sessions_titled(&app, "Job dating").await, 1);

    // Without the header, a POST is done each time, as before.
    let (status, _) = cip.api.post("/sessions", body.clone()).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(sessions_titled(&app, "Job dating").await, 2);

    let (status, bad) = post_keyed(&app, &cip.api.token, "/sessions", "", &body).await;
    assert_eq!((status, bad["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("bad_request")));
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT key_hash FROM idempotency_keys").fetch_all(&app.sql).await.unwrap();
    assert!(stored.iter().all(|hash| !hash.contains("8e03978e")), "only the key's hash is stored");
}

async fn an_idempotency_key_belongs_to_one_account_and_a_refused_request_frees_it(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let b = app.structure("Envol").await;
    let claire = app.cip("claire@test.fr", a).await;
    let hugo = app.cip("hugo@test.fr", b).await;
    let mut mine = session_body(a, Utc::now() + Duration::days(5), 12);
    mine["title"] = json!("Atelier de Claire");
    let (status, first) = post_keyed(&app, &claire.api.token, "/sessions", "same-key", &mine).await;
    assert_eq!(status, StatusCode::CREATED);
    // Another account's same key is its own: it never gets Claire's answer.
    let (status, refused) = post_keyed(&app, &hugo.api.token, "/sessions", "same-key", &mine).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "Hugo may not propose for Claire's structure: {refused}");
    assert_ne!(refused, first);
    let mut his = session_body(b, Utc::now() + Duration::days(5), 12);
    his["title"] = json!("Atelier de Hugo");
    his["capacity"] = json!(0);
    let (status, _) = post_keyed(&app, &hugo.api.token, "/sessions", "same-key", &his).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "refused: nothing made, the key is free");
    his["capacity"] = json!(8);
    let (status, made) = post_keyed(&app, &hugo.api.token, "/sessions", "same-key", &his).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(made["title"], "Atelier de Hugo");
    assert_eq!(sessions_titled(&app, "Atelier de Claire").await, 1);
    assert_eq!(sessions_titled(&app, "Atelier de Hugo").await, 1);
}

async fn an_answer_that_showed_a_secret_is_not_kept_and_not_shown_again(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let cip = app.cip("claire@test.fr", a).await;
    let body = json!({"first_name": "Amina", "last_name": "Benali", "structure_id": a});
    let (status, first) = post_keyed(&app, &cip.api.token, "/participants", "k-1", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let code = first["access_code"].as_str().unwrap().to_string();
    let (status, again) = post_keyed(&app, &cip.api.token, "/participants", "k-1", &body).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(again["error"]["code"], "idempotency_key_used");
    assert!(!again.to_string().contains(&code));
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM participants WHERE first_name = 'Amina'")
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(count, 1);
    let kept: Vec<Option<String>> =
        sqlx::query_scalar("SELECT answer FROM idempotency_keys").fetch_all(&app.sql).await.unwrap();
    assert_eq!(kept, [None], "no answer with a code in it is stored");
}

async fn keys_older_than_a_day_are_swept(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let cip = app.cip("claire@test.fr", a).await;
    let body = session_body(a, Utc::now() + Duration::days(5), 12);
    let (status, _) = post_keyed(&app, &cip.api.token, "/sessions", "old-key", &body).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(app.core.sweep_idempotency_keys().await.unwrap(), 0, "a fresh key stays");
    sqlx::query("UPDATE idempotency_keys SET created_at = created_at - 86401").execute(&app.sql).await.unwrap();
    // A key past its day is free again even before the sweep.
    let (status, _) = post_keyed(&app, &cip.api.token, "/sessions", "old-key", &body).await;
    assert_eq!(status, StatusCode::CREATED);
    sqlx::query("UPDATE idempotency_keys SET created_at = created_at - 86401").execute(&app.sql).await.unwrap();
    assert_eq!(app.core.sweep_idempotency_keys().await.unwrap(), 1);
}

async fn the_openapi_document_offers_an_idempotency_key_on_every_post(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let document: Value =
        reqwest::get(format!("{}/api/v1/openapi.json", app.base)).await.unwrap().json().await.unwrap();
    let posts: Vec<_> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter_map(|(path, item)| Some((path, item.get("post")?)))
        .collect();
    assert!(posts.len() >= 6, "{posts:?}");
    for (path, post) in posts {
        let header = post["parameters"]
            .as_array()
            .and_then(|parameters| parameters.iter().find(|p| p["name"] == "Idempotency-Key" && p["in"] == "header"));
        assert!(header.is_some_and(|h| h["required"] == false), "{path}: {post}");
        for status in ["400", "409", "422"] {
            assert!(post["responses"].get(status).is_some(), "{path} declares {status}");
        }
    }
}
