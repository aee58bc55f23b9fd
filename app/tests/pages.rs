//! The page router driven in-process with a fake backend: redirects, cookies, and the no-JS
//! form flows (errors come back through the `__err` query parameter).

mod fake;

use axum::body::{Body, to_bytes};
use axum::http::{Request, Response, StatusCode, header};
use fake::Fake;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;
use toile_app::backend::SharedBackend;
use tower::ServiceExt;

fn router() -> axum::Router {
    let options = LeptosOptions::builder().output_name("toile").site_root("target/site").build();
    let backend: SharedBackend = Arc::new(Fake::default());
    toile_app::web_router(options, backend)
}

const HTML: &str = "text/html,application/xhtml+xml";

fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::get(path).header(header::ACCEPT, HTML);
    if let Some(token) = cookie {
        req = req.header(header::COOKIE, format!("other=1; toile_session={token}"));
    }
    req.body(Body::empty()).unwrap()
}

/// A plain browser form post (no JavaScript), coming from `from`.
fn form(path: &str, from: &str, body: &str, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::post(path)
        .header(header::ACCEPT, HTML)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::REFERER, format!("http://localhost{from}"));
    if let Some(token) = cookie {
        req = req.header(header::COOKIE, format!("toile_session={token}"));
    }
    req.body(Body::from(body.to_owned())).unwrap()
}

fn location(res: &Response<Body>) -> String {
    res.headers()[header::LOCATION].to_str().unwrap().to_owned()
}

async fn text(res: Response<Body>) -> String {
    String::from_utf8(to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec()).unwrap()
}

#[tokio::test]
async fn sign_in_page_renders_both_forms() {
    let res = router().oneshot(get("/connexion", None)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = text(res).await;
    assert!(html.contains(r#"<html lang="fr""#), "{html}");
    assert!(html.contains("Votre code personnel"));
    assert!(html.contains(r#"action="/fn/sign_in_participant""#), "{html}");
    assert!(html.contains(r#"action="/fn/sign_in_staff""#));
    assert!(html.contains("<title>Connexion – Toile</title>"), "{html}");
}

#[tokio::test]
async fn participant_sign_in_sets_cookie_and_redirects() {
    let app = router();
    let res = app.clone().oneshot(form("/fn/sign_in_participant", "/connexion", "code=KP4T-9WXA", None)).await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/seances");
    let cookie = res.headers()[header::SET_COOKIE].to_str().unwrap();
    assert_eq!(cookie, "toile_session=p-token; Path=/; HttpOnly; SameSite=Lax");

    let mut req = form("/fn/sign_in_staff", "/connexion", "email=claire%40example.org&password=secret", None);
    req.headers_mut().insert("x-forwarded-proto", "https".parse().unwrap());
    let res = app.oneshot(req).await.unwrap();
    assert_eq!(location(&res), "/equipe/seances");
    let cookie = res.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.ends_with("; Secure"), "{cookie}");
}

#[tokio::test]
async fn failed_sign_in_without_js_shows_the_message() {
    let app = router();
    let res = app.clone().oneshot(form("/fn/sign_in_participant", "/connexion", "code=NOPE", None)).await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert!(res.headers().get(header::SET_COOKIE).is_none());
    let back = location(&res);
    assert!(back.starts_with("http://localhost/connexion?__path="), "{back}");

    let html = text(app.oneshot(get(&back, None)).await.unwrap()).await;
    assert!(
        html.contains(r#"<div role="alert" class="alert" id="code-erreur"><p>Ce code n&#x27;est pas reconnu.</p>"#)
            || html.contains("Ce code n'est pas reconnu."),
        "{html}"
    );
    assert!(html.contains(r#"aria-invalid="true""#), "{html}");
}

#[tokio::test]
async fn failed_sign_in_with_js_returns_the_ui_error() {
    let req = Request::post("/fn/sign_in_participant")
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("code=NOPE"))
        .unwrap();
    let res = router().oneshot(req).await.unwrap();
    assert!(res.status().is_server_error(), "{}", res.status());
    let body = text(res).await;
    assert!(body.contains(r#""code":"bad_code""#), "{body}");
}

#[tokio::test]
async fn protected_pages_send_strangers_to_sign_in() {
    let app = router();
    for path in ["/seances", "/seances/1", "/equipe/seances", "/"] {
        let res = app.clone().oneshot(get(path, None)).await.unwrap();
        assert_eq!(res.status(), StatusCode::FOUND, "{path}");
        assert_eq!(location(&res), "/connexion", "{path}");
    }
    let res = app.clone().oneshot(get("/seances", Some("expired"))).await.unwrap();
    assert_eq!(location(&res), "/connexion");
}

#[tokio::test]
async fn home_sends_people_to_their_start_page() {
    let app = router();
    let res = app.clone().oneshot(get("/", Some("p-token"))).await.unwrap();
    assert_eq!(location(&res), "/seances");
    let res = app.oneshot(get("/", Some("s-token"))).await.unwrap();
    assert_eq!(location(&res), "/equipe/seances");
}

#[tokio::test]
async fn participant_list_shows_cards() {
    let res = router().oneshot(get("/seances", Some("p-token"))).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = text(res).await;
    assert!(html.contains(r#"<a href="/seances/1">Atelier CV</a>"#), "{html}");
    assert!(html.contains("4 places libres"));
    assert!(html.contains("Amina"));
    assert!(html.contains(r#"action="/fn/sign_out""#));
}

#[tokio::test]
async fn enrol_without_js_then_page_shows_the_outcome() {
    let app = router();
    let html = text(app.clone().oneshot(get("/seances/1", Some("p-token"))).await.unwrap()).await;
    assert!(html.contains("M&#x27;inscrire") || html.contains("M'inscrire"), "{html}");
    assert!(html.contains(r#"action="/fn/enrol""#));

    let res = app.clone().oneshot(form("/fn/enrol", "/seances/1", "session_id=1", Some("p-token"))).await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    // Leptos strips any earlier `__err` from the Referer and may leave a bare `?`.
    let back = location(&res);
    assert!(back.trim_end_matches('?') == "http://localhost/seances/1", "{back}");

    let html = text(app.oneshot(get("/seances/1", Some("p-token"))).await.unwrap()).await;
    assert!(
        html.contains("liste d&#x27;attente : 3ᵉ position") || html.contains("liste d'attente : 3ᵉ position"),
        "{html}"
    );
    assert!(html.contains("Me désinscrire"));
    assert!(html.contains(r#"action="/fn/cancel""#));
}

#[tokio::test]
async fn unknown_session_shows_the_message() {
    let html = text(router().oneshot(get("/seances/99", Some("p-token"))).await.unwrap()).await;
    assert!(html.contains("Séance introuvable."), "{html}");
}

#[tokio::test]
async fn staff_table() {
    let res = router().oneshot(get("/equipe/seances", Some("s-token"))).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = text(res).await;
    assert!(html.contains("<caption>"), "{html}");
    assert!(html.contains("8 / 8"));
}

#[tokio::test]
async fn sign_out_clears_the_cookie() {
    let res = router().oneshot(form("/fn/sign_out", "/seances", "", Some("p-token"))).await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/connexion");
    let cookie = res.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("toile_session=; Max-Age=0; Path=/; HttpOnly"), "{cookie}");
}

#[tokio::test]
async fn unknown_page_is_404() {
    let res = router().oneshot(get("/nulle-part", None)).await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(text(res).await.contains("Page introuvable"));
}
