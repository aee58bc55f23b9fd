//! The page router driven in-process with a fake backend: redirects, cookies, and the no-JS
//! form flows (here errors come back through the `__err` query parameter, as the app alone
//! writes it; the server around it moves them into a signed flash cookie, `web::flash`).

mod fake;

use axum::body::{Body, to_bytes};
use axum::http::{Request, Response, StatusCode, header};
use fake::Fake;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;
use toile_app::port::SharedPort;
use tower::ServiceExt;

fn router() -> axum::Router {
    let options = LeptosOptions::builder().output_name("toile").site_root("target/site").build();
    let port: SharedPort = Arc::new(Fake::default());
    toile_app::web_router(options, port, toile_app::assets::SiteAssets { base: "/s/test".into() })
}

const HTML: &str = "text/html,application/xhtml+xml";

/// The answer to `request`, from a fresh router over the fake port.
async fn send(request: Request<Body>) -> Response<Body> {
    router().oneshot(request).await.unwrap()
}

/// A staff member's form posted from its own page, without JavaScript.
async fn staff_post(path: &str, body: &str) -> Response<Body> {
    send(form(path, path, body, Some("s-token"))).await
}

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
    let res = send(get("/connexion", None)).await;
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
    assert_eq!(cookie, "toile_session=p-token; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax");

    let mut req = form("/fn/sign_in_staff", "/connexion", "email=claire%40example.org&password=secret", None);
    req.headers_mut().insert("x-forwarded-proto", "https".parse().unwrap());
    let res = app.oneshot(req).await.unwrap();
    assert_eq!(location(&res), "/equipe");
    let cookie = res.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("__Host-toile_session=s-token;") && cookie.ends_with("; Secure"), "{cookie}");
}

#[tokio::test]
async fn on_a_shared_phone_the_sign_in_cookie_ends_with_the_browser() {
    let page = text(send(get("/connexion", None)).await).await;
    assert!(page.contains(r#"name="shared_phone""#) && page.contains("Ce téléphone n'est pas le mien"), "{page}");
    let posted = form("/fn/sign_in_participant", "/connexion", "code=KP4T-9WXA&shared_phone=on", None);
    let res = send(posted).await;
    let cookie = res.headers()[header::SET_COOKIE].to_str().unwrap();
    assert_eq!(cookie, "toile_session=p-token; Path=/; HttpOnly; SameSite=Lax", "no Max-Age: gone with the browser");
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
    let res = send(req).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "a wrong code is the person's mistake, not a fault of ours");
    let body = text(res).await;
    assert!(body.contains(r#""code":"bad_credentials""#), "{body}");
}

#[tokio::test]
async fn protected_pages_send_strangers_to_sign_in() {
    let app = router();
    for path in ["/seances", "/seances/1", "/equipe", "/equipe/programme", "/equipe/seances/nouvelle"] {
        let res = app.clone().oneshot(get(path, None)).await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&res), format!("/connexion?suivant={path}"), "{path}");
        assert!(text(res).await.is_empty(), "{path}: a redirect shows nothing of the page");
    }
    let res = app.clone().oneshot(get("/equipe/chiffres?du=2026-01-01", None)).await.unwrap();
    assert_eq!(location(&res), "/connexion?suivant=/equipe/chiffres%3Fdu%3D2026-01-01");
    let res = app.clone().oneshot(get("/seances", Some("expired"))).await.unwrap();
    assert_eq!(location(&res), "/connexion?suivant=/seances");
    let res = app.clone().oneshot(get("/", None)).await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND, "home sends strangers on");
    assert_eq!(location(&res), "/connexion");
}

#[tokio::test]
async fn refused_and_unknown_pages_answer_403_and_404_with_the_french_page() {
    let res = send(get("/equipe/chiffres", Some("p-token"))).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(text(res).await.contains(r#"role="alert""#));
    let res = send(get("/seances/99", Some("p-token"))).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(text(res).await.contains("Séance introuvable."));
}

#[tokio::test]
async fn the_sign_in_page_carries_the_page_to_return_to_and_follows_only_a_local_one() {
    let html = text(send(get("/connexion?suivant=%2Fequipe%2Fseances%2F1", None)).await).await;
    assert!(html.contains(r#"<input type="hidden" name="suivant" value="/equipe/seances/1""#), "{html}");
    let html = text(send(get("/connexion?suivant=%2F%2Fevil.example", None)).await).await;
    assert!(!html.contains(r#"name="suivant""#), "{html}");
    let back = form("/fn/sign_in_participant", "/connexion", "code=KP4T-9WXA&suivant=%2Fseances%2F2", None);
    assert_eq!(location(&send(back).await), "/seances/2");
    let elsewhere = form("/fn/sign_in_participant", "/connexion", "code=KP4T-9WXA&suivant=%2F%2Fevil.example", None);
    assert_eq!(location(&send(elsewhere).await), "/seances");
}

#[tokio::test]
async fn home_sends_people_to_their_start_page() {
    let app = router();
    let res = app.clone().oneshot(get("/", Some("p-token"))).await.unwrap();
    assert_eq!(location(&res), "/seances");
    let res = app.oneshot(get("/", Some("s-token"))).await.unwrap();
    assert_eq!(location(&res), "/equipe");
}

/// The text of the page, without its tags, for wording checks.
fn words(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&#x27;", "'")
}

#[tokio::test]
async fn participant_list_shows_cards() {
    let res = send(get("/seances", Some("p-token"))).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = text(res).await;
    assert!(html.contains(r#"<a href="/seances/1">Atelier CV</a>"#), "{html}");
    assert!(words(&html).contains("Il reste 4 places"), "{html}");
    assert!(html.contains("Amina"));
    assert!(html.contains(r#"action="/fn/sign_out""#));
}

#[tokio::test]
async fn a_participants_own_sessions_come_first_then_the_open_ones_by_week() {
    let app = router();
    let before = words(&text(app.clone().oneshot(get("/seances", Some("p-token"))).await.unwrap()).await);
    assert!(before.contains("Vous n'avez pas encore de séance"), "{before}");
    let mine = before.find("Mes inscriptions").unwrap();
    let open = before.find("Séances ouvertes").unwrap();
    let week = before.find("Semaine du lundi 2 mars").unwrap();
    assert!(mine < open && open < week, "{before}");
    app.clone().oneshot(form("/fn/enrol", "/seances/1", "session_id=1", Some("p-token"))).await.unwrap();
    let after = words(&text(app.oneshot(get("/seances", Some("p-token"))).await.unwrap()).await);
    let card = after.find("Atelier CV").unwrap();
    assert!(card < after.find("Séances ouvertes").unwrap(), "now under Mes inscriptions: {after}");
    assert!(after.contains("Liste d'attente : vous êtes 3ᵉ"), "{after}");
}

#[tokio::test]
async fn the_kind_filter_is_a_plain_form_and_keeps_the_choice() {
    let html = text(send(get("/seances?type=job_dating", Some("p-token"))).await).await;
    assert!(html.contains(r#"<form method="get" action="/seances""#), "{html}");
    assert!(html.contains(r#"<option value="job_dating" selected"#), "{html}");
    assert!(!html.contains(r#"<a href="/seances/1">"#), "the workshop is filtered out: {html}");
}

#[tokio::test]
async fn participant_pages_load_no_browser_bundle() {
    let app = router();
    for (path, scripts) in [("/connexion", 0), ("/seances", 0), ("/seances/1", 1)] {
        let cookie = (path != "/connexion").then_some("p-token");
        let html = text(app.clone().oneshot(get(path, cookie)).await.unwrap()).await;
        assert!(!html.contains(".wasm"), "{path} loads no wasm: {html}");
        assert_eq!(html.matches("<script").count(), scripts, "{path}: {html}");
    }
    let html = text(app.oneshot(get("/seances/1", Some("p-token"))).await.unwrap()).await;
    assert!(html.contains(r#"<script src="/s/test/lire.js" defer"#), "the read-aloud script, and only it: {html}");
}

#[tokio::test]
async fn no_median_dot_on_the_participants_pages() {
    let app = router();
    for path in ["/seances", "/seances/1"] {
        let page = words(&text(app.clone().oneshot(get(path, Some("p-token"))).await.unwrap()).await);
        assert!(!page.contains('·'), "{path}: {page}");
    }
}

#[tokio::test]
async fn enrol_without_js_then_page_shows_the_outcome() {
    let app = router();
    let html = text(app.clone().oneshot(get("/seances/1", Some("p-token"))).await.unwrap()).await;
    assert!(html.contains("M&#x27;inscrire") || html.contains("M'inscrire"), "{html}");
    assert!(html.contains(r#"action="/fn/enrol""#));

    let res = app.clone().oneshot(form("/fn/enrol", "/seances/1", "session_id=1", Some("p-token"))).await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let back = location(&res);
    assert_eq!(back, "/seances/1?message=attente", "back to the session, saying what happened");

    let html = text(app.oneshot(get(&back, Some("p-token"))).await.unwrap()).await;
    let said = words(&html);
    assert!(said.contains("vous êtes sur la liste d'attente"), "{said}");
    assert!(said.contains("Vous êtes sur la liste d'attente, en 3ᵉ position"), "{said}");
    assert!(html.contains("Me désinscrire"));
    assert!(html.contains(r#"action="/fn/cancel""#));
}

#[tokio::test]
async fn a_session_title_cannot_break_out_of_the_document_title() {
    let html = text(send(get("/seances/2", Some("p-token"))).await).await;
    let escaped = "Atelier&lt;/title&gt;&lt;script&gt;document.title=\"PWNED\"&lt;/script&gt; – Toile";
    assert!(html.contains(&format!("<title>{escaped}</title>")), "{html}");
    assert!(!html.contains("<script>document.title"), "no payload reaches the page as markup: {html}");
}

#[tokio::test]
async fn unknown_session_shows_the_message() {
    let html = text(send(get("/seances/99", Some("p-token"))).await).await;
    assert!(html.contains("Séance introuvable."), "{html}");
}

#[tokio::test]
async fn the_staff_desk_shows_the_next_sessions_and_the_shortcuts() {
    let res = send(get("/equipe", Some("s-token"))).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = page(res).await;
    assert!(html.contains(r#"href="/equipe/seances/nouvelle""#), "{html}");
    assert!(html.contains(r#"href="/equipe/programme""#), "{html}");
    assert!(html.contains(r#"href="/equipe/seances/1""#), "{html}");
    assert!(words(&html).contains("8/8 places · 3 en attente"), "{html}");
}

#[tokio::test]
async fn the_old_staff_table_address_leads_to_the_programme() {
    let res = send(get("/equipe/seances", Some("s-token"))).await;
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(location(&res), "/equipe/programme");
}

#[tokio::test]
async fn the_programme_filters_by_structure_from_the_address() {
    let app = router();
    let html = page(app.clone().oneshot(get("/equipe/programme", Some("s-token"))).await.unwrap()).await;
    assert!(html.contains(r#"<form method="get""#), "a plain GET form works without JS: {html}");
    assert!(html.contains("Atelier CV"), "{html}");
    let html = page(app.oneshot(get("/equipe/programme?structure=2", Some("s-token"))).await.unwrap()).await;
    assert!(!html.contains(r#"href="/equipe/seances/1""#), "{html}");
    assert!(html.contains(r#"<option value="2" selected"#), "the filter stays chosen: {html}");
}

#[tokio::test]
async fn a_refused_session_form_comes_back_with_what_was_typed_and_the_message_by_its_field() {
    let app = router();
    let body = "kind=workshop&title=&description=Deux+lignes&date=2026-03-03&start=09%3A30&end=11%3A30&capacity=7&organiser=1&audience=all&status=draft";
    let res = app
        .clone()
        .oneshot(form("/equipe/seances/nouvelle", "/equipe/seances/nouvelle", body, Some("s-token")))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = page(res).await;
    assert!(html.contains(r#"id="title-erreur" class="field-error">Le titre est obligatoire.</p>"#), "{html}");
    assert!(html.contains(r#"aria-invalid="true""#), "{html}");
    assert!(html.contains(r#"value="7""#), "capacity kept: {html}");
    assert!(html.contains("Deux lignes"), "description kept: {html}");
    assert!(html.contains(r#"value="draft" checked"#), "status kept: {html}");

    let accepted = body.replace("title=&", "title=Atelier+CV&");
    let res = app
        .oneshot(form("/equipe/seances/nouvelle", "/equipe/seances/nouvelle", &accepted, Some("s-token")))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/equipe/seances/3?fait=creee");
}

#[tokio::test]
async fn a_creating_form_carries_a_one_time_token_and_a_button_that_needs_no_script() {
    for path in ["/equipe/seances/nouvelle", "/equipe/participants/nouvelle", "/equipe/seances/1/dupliquer"] {
        let html = page(send(get(path, Some("s-token"))).await).await;
        assert!(
            html.contains(r#"<input type="hidden" name="form_token" value="jeton-de-formulaire""#),
            "{path}: {html}"
        );
        let mut islands =
            html.split("<leptos-island").skip(1).filter_map(|island| island.split("</leptos-island>").next());
        assert!(
            islands.any(|island| island.contains(r#"<button type="submit""#)),
            "{path}: the button is an island: {html}"
        );
    }
    let edit = page(send(get("/equipe/seances/1/modifier", Some("s-token"))).await).await;
    assert!(!edit.contains("form_token"), "changing a session makes nothing: no token");
    let again = page(send(get("/equipe/seances/1?fait=deja", Some("s-token"))).await).await;
    assert!(again.contains("déjà enregistré"), "{again}");
}

#[tokio::test]
async fn a_session_staff_page_offers_the_allowed_actions() {
    let html = page(send(get("/equipe/seances/1?fait=modifiee", Some("s-token"))).await).await;
    for action in ["/equipe/seances/1/modifier", "/equipe/seances/1/annuler", "/equipe/seances/1/dupliquer"] {
        assert!(html.contains(&format!(r#"href="{action}""#)), "{action}: {html}");
    }
    assert!(html.contains("role=\"status\""), "the change is confirmed: {html}");
    assert!(words(&html).contains("Claire Martin (Tremplin 59)"), "{html}");
}

#[tokio::test]
async fn a_session_staff_page_lists_its_people_with_the_day_s_links() {
    let html = page(send(get("/equipe/seances/1", Some("s-token"))).await).await;
    let text = words(&html);
    assert!(text.contains("Amina Benali · Tremplin 59 · Présent·e"), "{text}");
    assert!(text.contains("Inscription faite par Claire Martin"), "{text}");
    for link in ["/equipe/seances/1/presences", "/equipe/seances/1/emargement.pdf", "/equipe/seances/1/emargement.csv"]
    {
        assert!(html.contains(&format!(r#"href="{link}""#)), "{link}: {html}");
    }
    assert!(html.contains(r#"<option value="8">Durand Kevin</option>"#), "someone to enrol: {html}");
}

#[tokio::test]
async fn enrolling_on_behalf_without_js_returns_to_the_people_of_the_session() {
    let res = staff_post("/equipe/seances/1", "action=inscrire&participant=8").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/equipe/seances/1?fait=inscrit#inscriptions");
}

#[tokio::test]
async fn an_overbooking_without_a_reason_comes_back_with_the_message_by_the_reason() {
    let res = staff_post("/equipe/seances/1", "action=surnombre&participant=8&reason=+").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(res).await;
    assert!(html.contains(r#"id="reason-erreur""#) && html.contains("Dites pourquoi."), "{html}");
    assert!(html.contains("<details open"), "the overbooking form stays open: {html}");
}

#[tokio::test]
async fn attendance_is_three_buttons_per_person_each_a_form_without_js() {
    let html = page(send(get("/equipe/seances/1/presences", Some("s-token"))).await).await;
    assert!(html.contains(r#"id="p-7""#), "{html}");
    assert!(html.contains(r#"name="status" value="present""#) && html.contains(r#"value="excused""#), "{html}");
    assert!(html.contains(r#"aria-pressed="true""#), "the recorded choice shows: {html}");
    assert!(words(&html).contains("1 présentes"), "the count on top: {html}");
    assert!(
        html.contains(r#"value="walk_in""#)
            && html.contains(r#"<option value="8">Durand Kevin</option>"#)
            && html.contains(r#"value="close""#),
        "{html}"
    );
    let res = staff_post("/equipe/seances/1/presences", "participant=7&status=absent").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/equipe/seances/1/presences#p-7");
    let res = staff_post("/equipe/seances/1/presences", "participant=7&status=").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "no choice: the page comes back with the message");
    let res = staff_post("/equipe/seances/1/presences", "action=close").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("Il reste 1 personne à noter"), "closing too early says why");
}

#[tokio::test]
async fn drawn_signatures_show_without_js_and_the_drawing_buttons_wait_for_it() {
    let html = page(send(get("/equipe/seances/1/presences", Some("s-token"))).await).await;
    assert!(
        html.contains(r#"<path d="M10 50 200 60""#) && html.contains("Signature de Amina Benali, à 9 h 32"),
        "the participant's signature is drawn back: {html}"
    );
    assert!(
        html.contains("Karim Haddad") && html.contains(r#"<path d="M20 40 250 70""#),
        "another facilitator's signature, named: {html}"
    );
    assert!(html.contains("Votre signature (animation)"), "the viewer may sign: {html}");
    let words = words(&html);
    assert!(
        words.contains("Sans JavaScript, les personnes présentes signent la feuille imprimée"),
        "without JavaScript the page says to sign on paper: {words}"
    );
    for button in ["Faire signer", "Signer de nouveau", "Signer la feuille"] {
        if let Some(at) = html.find(&format!(">{button}")) {
            let tag = &html[html[..at].rfind("<button").unwrap()..at];
            assert!(tag.contains("hidden"), "a drawing button without JavaScript would do nothing: {tag}");
        }
    }
}

#[tokio::test]
async fn the_messages_page_shows_failures_first_with_the_provider_s_words() {
    let html = page(send(get("/equipe/notifications", Some("s-token"))).await).await;
    let words = words(&html);
    assert!(words.contains("1 message n'a pas pu partir : prévenez la personne autrement."), "{words}");
    assert!(words.contains("Brevo a répondu 400") && words.contains("échec après 1 essai"), "{words}");
    assert!(html.contains(r#"href="/equipe/participants/7""#), "{html}");
}

#[tokio::test]
async fn the_messages_page_lists_e_mails_to_staff_without_a_link_to_a_person() {
    let html = page(send(get("/equipe/notifications", Some("s-token"))).await).await;
    let words = words(&html);
    assert!(words.contains("Claire Martin (équipe)"), "{words}");
    assert!(words.contains("séances du lendemain, à l'animateur"), "{words}");
    assert_eq!(
        html.matches("/equipe/participants/").count(),
        1,
        "only the participant's row links to a person: {html}"
    );
}

#[tokio::test]
async fn the_participants_list_searches_by_name_with_a_plain_form() {
    let html = page(send(get("/equipe/participants?q=amina", Some("s-token"))).await).await;
    assert!(html.contains(r#"href="/equipe/participants/7""#) && html.contains(r#"value="amina""#), "{html}");
    assert!(words(&html).contains("Tremplin 59 · suivi par Claire Martin"), "{html}");
    let html = page(send(get("/equipe/participants?q=zz", Some("s-token"))).await).await;
    assert!(words(&html).contains("Personne ne porte ce nom."), "{html}");
}

#[tokio::test]
async fn registering_answers_with_the_code_card_at_once_and_never_caches_it() {
    let html = page(send(get("/equipe/participants/nouvelle", Some("s-token"))).await).await;
    assert!(html.contains("Pour lui envoyer un rappel par SMS"), "the purpose by the phone field: {html}");
    assert!(!html.to_lowercase().contains("besoin"), "no field about support needs: {html}");
    let res =
        staff_post("/equipe/participants/nouvelle", "first_name=Amina&last_name=Benali&structure=1&referent=1").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store");
    let html = text(res).await;
    assert!(html.contains("KP4T-9WXA") && html.contains(r#"class="code-card-qr""#), "{html}");
    assert!(words(&html).contains("Scannez") && words(&html).contains("Choisissez une séance"), "{html}");
}

#[tokio::test]
async fn a_refused_registration_keeps_what_was_typed() {
    let res =
        staff_post("/equipe/participants/nouvelle", "first_name=+&last_name=Benali&structure=1&phone=0612345678").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(res).await;
    assert!(html.contains(r#"id="first_name-erreur""#), "{html}");
    assert!(html.contains(r#"value="Benali""#) && html.contains(r#"value="0612345678""#), "{html}");
}

#[tokio::test]
async fn the_sign_in_page_never_fills_in_a_code_from_its_address() {
    let html = page(send(get("/connexion?code=KP4T-9WXA", None)).await).await;
    assert!(html.contains(r#"name="code""#) && !html.contains("KP4T-9WXA\""), "{html}");
}

#[tokio::test]
async fn a_card_s_link_signs_in_and_goes_to_the_sessions_once_then_says_to_type_the_code() {
    let res = send(get("/connexion/carte/lien-de-carte", None)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/seances");
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("toile_session=p-token; Max-Age=2592000; Path=/; HttpOnly"), "{cookie}");

    let res = send(get("/connexion/carte/deja-servi", None)).await;
    assert_eq!(res.status(), StatusCode::GONE);
    assert!(res.headers().get("set-cookie").is_none());
    let html = text(res).await;
    assert!(words(&html).contains("Ce lien a déjà servi : tapez le code écrit sur votre carte."), "{html}");
    assert!(html.contains(r#"name="code""#), "the sign-in page, to type the code: {html}");
}

#[tokio::test]
async fn a_participant_s_page_offers_the_sessions_open_to_them_each_a_form() {
    let html = page(send(get("/equipe/participants/7", Some("s-token"))).await).await;
    assert!(
        html.contains(r#"action="/equipe/seances/1""#) && html.contains(r#"name="participant" value="7""#),
        "{html}"
    );
    assert!(words(&html).contains("mar. 3 mars, 9 h 00 : Atelier CV (3 places)"), "{html}");
}

#[tokio::test]
async fn archiving_returns_to_the_list_which_says_so() {
    let res = staff_post("/equipe/participants/7", "").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/equipe/participants?fait=archivee");
}

#[tokio::test]
async fn a_coordinator_finds_the_copy_of_a_persons_data_and_an_erase_form_that_asks_for_confirmation() {
    let html = page(send(get("/equipe/participants/7", Some("s-token"))).await).await;
    assert!(
        html.contains(r#"href="/equipe/participants/7/donnees.html""#)
            && html.contains(r#"href="/equipe/participants/7/donnees.json""#),
        "{html}"
    );
    assert!(html.contains(r#"name="action" value="effacer""#) && html.contains(r#"name="confirmation""#), "{html}");
    let path = "/equipe/participants/7";
    let unconfirmed = send(form(path, path, "action=effacer", Some("s-token"))).await;
    assert_eq!(unconfirmed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(unconfirmed).await;
    assert!(html.contains(r#"id="confirmation-erreur""#), "the message is by the box: {html}");
    let erased = send(form(path, path, "action=effacer&confirmation=oui", Some("s-token"))).await;
    assert_eq!(location(&erased), "/equipe/participants?fait=effacee");
    let list = page(send(get("/equipe/participants?fait=effacee", Some("s-token"))).await).await;
    assert!(words(&list).contains("Les données de la personne sont effacées"), "{list}");
}

#[tokio::test]
async fn a_token_made_on_the_tokens_page_is_shown_once_and_never_cached() {
    let html = page(send(get("/equipe/jetons", Some("s-token"))).await).await;
    assert!(words(&html).contains("Tableur de suivi · créé le 3 mars 2026"), "{html}");
    assert!(html.contains(r#"name="jeton" value="4""#), "a revoke form per token: {html}");
    let made = staff_post("/equipe/jetons", "action=creer&nom=Script&jours=90").await;
    assert_eq!(made.status(), StatusCode::OK);
    assert_eq!(made.headers()[header::CACHE_CONTROL], "no-store");
    let html = text(made).await;
    assert!(
        html.contains(r#"value="secret-du-jeton-0123""#) && words(&html).contains("jusqu'au 1 juin 2026"),
        "{html}"
    );
    let refused = staff_post("/equipe/jetons", "action=creer&nom=&jours=30").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(refused).await;
    assert!(html.contains(r#"id="nom-erreur""#) && html.contains(r#"<option value="30" selected"#), "{html}");
    let revoked = staff_post("/equipe/jetons", "action=revoquer&jeton=4").await;
    assert_eq!(location(&revoked), "/equipe/jetons?fait=revoque");
}

#[tokio::test]
async fn an_invitation_made_on_the_admin_page_is_shown_once_and_never_cached() {
    let html = page(send(get("/admin", Some("s-token"))).await).await;
    assert!(words(&html).contains("Claire Martin · claire@tremplin.fr · CIP · Tremplin 59"), "{html}");
    let res = staff_post("/admin", "action=invite&name=Hugo&email=hugo%40x.fr&role=cip&structure=1").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store");
    let html = text(res).await;
    assert!(html.contains(r#"value="http://localhost/invitation/secret""#), "{html}");
    let res = staff_post("/admin", "action=invite&name=Hugo&email=&role=cip").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(res).await;
    assert!(html.contains(r#"id="email-erreur""#) && html.contains(r#"value="Hugo""#), "{html}");
    let res = staff_post("/admin", "action=structure&name=X&kind=ei").await;
    assert_eq!(location(&res), "/admin?fait=structure");
}

#[tokio::test]
async fn an_answer_link_offers_two_buttons_without_script_and_comes_back_with_the_answer() {
    let res = send(get("/r/reponse-valable", None)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = page(res).await;
    assert!(words(&html).contains("Vous venez ?") && html.contains("Atelier CV"), "{html}");
    assert!(html.contains(r#"action="/fn/answer""#) && html.contains(r#"value="non""#), "{html}");
    assert!(html.contains("Je viens") && html.contains("Je ne peux pas venir"), "{html}");
    assert!(!html.contains("<script"), "no script on the answer page: {html}");

    let app = router();
    let posted = form("/fn/answer", "/r/reponse-valable", "secret=reponse-valable&reponse=non", None);
    let res = app.clone().oneshot(posted).await.unwrap();
    assert_eq!(location(&res), "/r/reponse-valable", "back to the link's page");
    let html = page(app.oneshot(get("/r/reponse-valable", None)).await.unwrap()).await;
    assert!(words(&html).contains("Votre place est donnée à une autre personne"), "{html}");
    assert!(!html.contains("Je viens"), "{html}");
}

#[tokio::test]
async fn an_unknown_answer_link_says_so_with_a_404() {
    let res = send(get("/r/inconnu", None)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let html = page(res).await;
    assert!(words(&html).contains("Ce lien ne marche pas"), "{html}");
}

#[tokio::test]
async fn a_participant_stops_sms_from_their_page_without_script() {
    let app = router();
    let html = page(app.clone().oneshot(get("/seances", Some("p-token"))).await.unwrap()).await;
    assert!(words(&html).contains("Vous recevez un SMS la veille de vos séances"), "{html}");
    assert!(html.contains(r#"action="/fn/sms""#) && html.contains("Ne plus recevoir de SMS"), "{html}");
    let res = app.clone().oneshot(form("/fn/sms", "/seances", "arreter=oui", Some("p-token"))).await.unwrap();
    assert_eq!(location(&res), "/seances");
    let html = page(app.oneshot(get("/seances", Some("p-token"))).await.unwrap()).await;
    assert!(
        words(&html).contains("Vous ne recevez plus de SMS") && html.contains("Recevoir à nouveau les SMS"),
        "{html}"
    );
}

#[tokio::test]
async fn an_invitation_page_greets_the_person_or_says_the_link_is_gone() {
    let html = page(send(get("/invitation/secret", None)).await).await;
    assert!(
        words(&html).contains("Bienvenue, Claire Martin") && html.contains(r#"autocomplete="new-password""#),
        "{html}"
    );
    let html = page(send(get("/invitation/autre", None)).await).await;
    assert!(words(&html).contains("Ce lien ne fonctionne plus."), "{html}");
}

#[tokio::test]
async fn forms_posted_without_a_sign_in_lead_to_sign_in() {
    let res = send(form("/equipe/seances/1/annuler", "/equipe/seances/1/annuler", "reason=x", None)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/connexion");
}

#[tokio::test]
async fn sign_out_clears_the_cookie() {
    let res = send(form("/fn/sign_out", "/seances", "", Some("p-token"))).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/connexion");
    let cookie = res.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("toile_session=; Max-Age=0; Path=/; HttpOnly"), "{cookie}");
}

#[tokio::test]
async fn unknown_page_is_404() {
    let res = send(get("/nulle-part", None)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(text(res).await.contains("Page introuvable"));
}

// ---------------------------------------------------------------------------------------------
// Calendars.

/// The page's HTML with apostrophes as typed (Leptos escapes them in some places only).
async fn page(res: Response<Body>) -> String {
    text(res).await.replace("&#x27;", "'")
}

/// The value of a `Set-Cookie` named `name` on the response, if any (`name=value`).
fn set_cookie(res: &Response<Body>, name: &str) -> Option<String> {
    res.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

/// A page request with the session cookie and another cookie the browser holds.
fn get_with(path: &str, token: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header(header::ACCEPT, HTML)
        .header(header::COOKIE, format!("toile_session={token}; {cookie}"))
        .body(Body::empty())
        .unwrap()
}

/// Posts a no-JS calendar form from `/agenda` to a browser that reached `toile.example`; returns
/// the `name=value` of the cookie carrying the new link, after checking the redirect.
async fn post_for_link(app: &axum::Router, path: &str, body: &str, token: &str) -> String {
    let mut req = form(path, "/agenda", body, Some(token));
    req.headers_mut().insert(header::HOST, "toile.example".parse().unwrap());
    req.headers_mut().insert("x-forwarded-proto", "https".parse().unwrap());
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/agenda");
    let cookie = set_cookie(&res, "toile_nouveau_lien").expect("the link travels to the page");
    assert!(cookie.contains("; Path=/agenda; HttpOnly; SameSite=Lax; Secure"), "{cookie}");
    assert!(cookie.contains("Max-Age="), "short-lived: {cookie}");
    cookie.split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_header_leads_everyone_signed_in_to_their_agenda() {
    let app = router();
    for (token, path) in [("p-token", "/seances"), ("s-token", "/equipe")] {
        let html = page(app.clone().oneshot(get(path, Some(token))).await.unwrap()).await;
        assert!(html.contains(r#"<a href="/agenda">Mon agenda</a>"#), "{html}");
    }
    let html = page(app.clone().oneshot(get("/agenda", Some("p-token"))).await.unwrap()).await;
    assert!(html.contains(r#"<a href="/agenda" aria-current="page">Mon agenda</a>"#), "{html}");
    let res = app.oneshot(get("/agenda", None)).await.unwrap();
    assert_eq!(location(&res), "/connexion?suivant=/agenda", "strangers sign in first");
}

#[tokio::test]
async fn a_participant_creates_their_link_without_js_and_sees_it_once() {
    let app = router();
    let res = app.clone().oneshot(get("/agenda", Some("p-token"))).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = page(res).await;
    assert!(html.contains("<title>Mon agenda – Toile</title>"), "{html}");
    assert!(html.contains(r#"action="/fn/create_feed""#), "{html}");
    assert!(html.contains(r#"<input type="hidden" name="scope" value="mine""#), "{html}");
    assert!(html.contains("Créer mon lien d'agenda"), "{html}");
    assert!(!html.contains("Tout le programme du groupe"), "no staff choices for participants");

    let flash = post_for_link(&app, "/fn/create_feed", "scope=mine", "p-token").await;
    let res = app.clone().oneshot(get_with("/agenda", "p-token", &flash)).await.unwrap();
    assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store", "the secret is not kept in caches");
    let cleared = set_cookie(&res, "toile_nouveau_lien").expect("the page clears the link's cookie");
    assert!(cleared.starts_with("toile_nouveau_lien=; Max-Age=0; Path=/agenda"), "{cleared}");
    let html = page(res).await;
    assert!(html.contains(r#"value="https://toile.example/calendars/secret-1-1.ics""#), "{html}");
    assert!(html.contains(r#"href="webcal://toile.example/calendars/secret-1-1.ics""#), "{html}");
    assert!(html.contains("il ne sera plus jamais affiché"), "{html}");
    assert!(html.contains("Copier le lien"));
    assert!(html.contains("À partir de l'URL"), "Google steps");
    assert!(html.contains("S'abonner à partir du web"), "Outlook steps");
    assert!(html.contains("Ajouter un calendrier avec abonnement"), "Apple steps");
    assert!(html.contains("<h3>Toile — mes ateliers</h3>"), "listed: {html}");
    assert!(!html.contains(r#"name="scope" value="mine""#), "one link is enough: no second create button");

    // The browser dropped the cleared cookie: the secret is not on the page any more.
    let html = page(app.oneshot(get("/agenda", Some("p-token"))).await.unwrap()).await;
    assert!(!html.contains("secret-1-1"), "{html}");
    assert!(html.contains("<h3>Toile — mes ateliers</h3>"));
}

#[tokio::test]
async fn the_new_link_is_shown_only_to_its_owner() {
    let app = router();
    let flash = post_for_link(&app, "/fn/create_feed", "scope=mine", "p-token").await;
    let html = page(app.oneshot(get_with("/agenda", "s-token", &flash)).await.unwrap()).await;
    assert!(!html.contains("secret-1-1"), "{html}");
}

#[tokio::test]
async fn staff_choose_a_scope_and_a_kind_and_get_their_link() {
    let app = router();
    let html = page(app.clone().oneshot(get("/agenda", Some("s-token"))).await.unwrap()).await;
    for words in [
        "Suivre dans mon agenda",
        "Tout le programme du groupe",
        "Le programme d'une structure",
        r#"<option value="1">Tremplin 59</option>"#,
        "Mes séances",
        r#"<option value="">Tous les types</option>"#,
        r#"<option value="company_talk">Rencontre avec une entreprise</option>"#,
        r#"<label for="kind">"#,
        r#"<label for="structure">"#,
        "<legend>",
    ] {
        assert!(html.contains(words), "{words} in {html}");
    }
    assert!(html.contains(r#"value="group" checked"#), "a choice is made already: {html}");

    let body = "scope=structure&structure_id=1&kind=job_dating";
    let flash = post_for_link(&app, "/fn/create_feed", body, "s-token").await;
    let html = page(app.oneshot(get_with("/agenda", "s-token", &flash)).await.unwrap()).await;
    assert!(html.contains("https://toile.example/calendars/secret-1-1.ics"), "{html}");
    assert!(html.contains("Toile — Tremplin 59 · Job dating"), "{html}");
}

#[tokio::test]
async fn a_scope_staff_may_not_follow_shows_the_refusal() {
    let app = router();
    let res = app
        .clone()
        .oneshot(form("/fn/create_feed", "/agenda", "scope=structure&structure_id=2&kind=", Some("s-token")))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert!(set_cookie(&res, "toile_nouveau_lien").is_none());
    let back = location(&res);
    assert!(back.starts_with("http://localhost/agenda?__path="), "{back}");
    let html = page(app.oneshot(get(&back, Some("s-token"))).await.unwrap()).await;
    assert!(html.contains("Vous n'avez pas le droit de faire cela."), "{html}");
    assert!(html.contains("Vous n'avez pas encore de lien d'agenda."), "nothing created: {html}");
}

#[tokio::test]
async fn a_form_without_a_structure_asks_for_one() {
    let app = router();
    let res =
        app.clone().oneshot(form("/fn/create_feed", "/agenda", "scope=structure", Some("s-token"))).await.unwrap();
    let html = page(app.oneshot(get(&location(&res), Some("s-token"))).await.unwrap()).await;
    assert!(html.contains("Choisissez la structure à suivre."), "{html}");
}

#[tokio::test]
async fn renewing_a_link_without_js_shows_the_new_one_and_says_the_old_stops() {
    let app = router();
    post_for_link(&app, "/fn/create_feed", "scope=group", "s-token").await;
    let html = page(app.clone().oneshot(get("/agenda", Some("s-token"))).await.unwrap()).await;
    assert!(html.contains(r#"action="/fn/regenerate_feed""#), "{html}");
    assert!(html.contains(r#"<input type="hidden" name="id" value="1""#), "{html}");
    assert!(html.contains("l'ancienne ne marche plus"), "{html}");
    assert!(html.contains("Créé le mardi 3 mars 2026"), "{html}");

    let flash = post_for_link(&app, "/fn/regenerate_feed", "id=1", "s-token").await;
    let html = page(app.oneshot(get_with("/agenda", "s-token", &flash)).await.unwrap()).await;
    assert!(html.contains("https://toile.example/calendars/secret-1-2.ics"), "{html}");
    assert!(html.contains("webcal://toile.example/calendars/secret-1-2.ics"), "{html}");
    assert!(!html.contains("secret-1-1"));
}

#[tokio::test]
async fn deleting_a_link_without_js_removes_it_and_says_so() {
    let app = router();
    post_for_link(&app, "/fn/create_feed", "scope=mine", "s-token").await;
    let html = page(app.clone().oneshot(get("/agenda", Some("s-token"))).await.unwrap()).await;
    assert!(html.contains(r#"action="/fn/delete_feed""#), "{html}");
    let res = app.clone().oneshot(form("/fn/delete_feed", "/agenda", "id=1", Some("s-token"))).await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/agenda?lien=supprime");
    let html = page(app.oneshot(get("/agenda?lien=supprime", Some("s-token"))).await.unwrap()).await;
    assert!(
        html.contains(r#"<div role="status" class="news"><p>Le lien est supprimé : il ne marche plus.</p>"#),
        "{html}"
    );
    assert!(!html.contains("<h3>Toile — mes séances"), "{html}");
}

#[tokio::test]
async fn with_js_the_link_comes_back_in_the_answer_and_no_cookie_is_left() {
    let req = Request::post("/fn/create_feed")
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "toile.example")
        .header(header::COOKIE, "toile_session=p-token")
        .body(Body::from("scope=mine"))
        .unwrap();
    let res = send(req).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(set_cookie(&res, "toile_nouveau_lien").is_none());
    let body = page(res).await;
    assert!(body.contains(r#""https_url":"http://toile.example/calendars/secret-1-1.ics""#), "{body}");
    assert!(body.contains(r#""webcal_url":"webcal://toile.example/calendars/secret-1-1.ics""#), "{body}");
}

#[tokio::test]
async fn the_session_page_offers_the_calendar_file_once_enrolled() {
    let app = router();
    let link = r#"href="/seances/1/agenda.ics" download"#;
    let html = page(app.clone().oneshot(get("/seances/1", Some("p-token"))).await.unwrap()).await;
    assert!(!html.contains("agenda.ics"), "not before enrolling: {html}");
    app.clone().oneshot(form("/fn/enrol", "/seances/1", "session_id=1", Some("p-token"))).await.unwrap();
    let html = page(app.oneshot(get("/seances/1", Some("p-token"))).await.unwrap()).await;
    assert!(html.contains(link), "waitlisted: {html}");
    assert!(html.contains("Ajouter à mon agenda"));
}

#[tokio::test]
async fn staff_rows_offer_the_calendar_file() {
    let html = page(send(get("/equipe/programme", Some("s-token"))).await).await;
    assert!(html.contains(r#"href="/seances/1/agenda.ics" download"#), "{html}");
    assert!(html.contains(r#"<span class="visually-hidden"> : Atelier CV</span>"#), "{html}");
}

#[tokio::test]
async fn the_audit_trail_lists_who_did_what_with_its_filters_and_file_and_names_no_one_from_elsewhere() {
    let html = text(send(get("/equipe/journal?du=2026-11-01", Some("s-token"))).await).await;
    assert!(html.contains("<h1>Journal des actions</h1>"), "{html}");
    assert!(html.contains(r#"<a href="/equipe/participants/7">Amina Benali</a>"#), "{html}");
    assert!(
        html.contains("une personne d&#x27;une autre structure") || html.contains("une personne d'une autre structure")
    );
    assert!(html.contains(r#"href="/equipe/seances/4">Atelier CV</a>"#), "{html}");
    assert!(html.contains(r#"name="du" type="date" value="2026-11-01""#), "the filter kept: {html}");
    assert!(html.contains(r#"href="/equipe/journal.csv?du=2026-11-01""#), "the same entries as a file: {html}");
    assert!(!html.contains(r#"href="/equipe/journal">Journal</a>"#), "not in a CIP's menu: {html}");
}

#[tokio::test]
async fn a_participants_record_links_to_their_part_of_the_audit_trail_for_those_who_read_it() {
    let html = text(send(get("/equipe/participants/7", Some("s-token"))).await).await;
    assert!(html.contains(r#"<a href="/equipe/journal?participant=7">"#), "{html}");
}

#[tokio::test]
async fn the_audit_trail_says_when_it_is_not_for_the_reader() {
    let html = text(send(get("/equipe/journal", Some("p-token"))).await).await;
    assert!(html.contains("Le journal est pour les coordinations et l") && !html.contains("<table"), "{html}");
}

#[tokio::test]
async fn the_figures_page_draws_its_charts_as_named_svg_followed_by_their_tables_and_files() {
    let html = text(send(get("/equipe/chiffres?type=workshop", Some("s-token"))).await).await;
    assert!(html.contains("<h1>Chiffres</h1>"), "{html}");
    assert!(html.contains(r#"href="/equipe/chiffres" aria-current="page">Chiffres</a>"#), "in the staff menu: {html}");
    // Each chart is an image named by its title and description, drawn on the server.
    for chart in ["graphique-mois", "graphique-structures", "graphique-types", "graphique-mutualisation"] {
        assert!(
            html.contains(&format!(r#"role="img" aria-labelledby="{chart}-titre {chart}-desc""#)),
            "{chart} is named: {html}"
        );
        assert!(html.contains(&format!(r#"<title id="{chart}-titre">"#)), "{chart}'s title: {html}");
    }
    assert!(html.contains("75 % des places occupées de septembre à novembre 2026."), "{html}");
    // The numbers are also in tables, and each table downloads with the page's filters.
    assert!(html.contains(r#"<th scope="row" data-label="Mois">octobre 2026</th>"#), "{html}");
    assert!(
        html.contains(
            r#"href="/equipe/chiffres.csv?tableau=mois&amp;du=2026-09-01&amp;au=2026-11-30&amp;type=workshop""#
        ),
        "{html}"
    );
    assert!(html.contains(r#"<th scope="row">Coup de Main</th><td>5</td>"#), "the pooling table: {html}");
    assert!(html.contains(r#"name="du" type="date" value="2026-09-01""#), "the period as answered: {html}");
    assert!(html.contains(r#"<option value="workshop" selected"#), "the kind kept: {html}");
    // Drawn on the server: the page brings no chart code.
    assert!(!html.contains("<canvas"), "{html}");
}

#[tokio::test]
async fn the_figures_page_says_when_it_is_not_for_the_reader_or_a_filter_does_not_read() {
    let html = text(send(get("/equipe/chiffres", Some("p-token"))).await).await;
    assert!(html.contains("Vous n&#x27;avez pas le droit") || html.contains("Vous n'avez pas le droit"), "{html}");
    assert!(!html.contains("<svg"), "{html}");
    let html = text(send(get("/equipe/chiffres?du=hier", Some("s-token"))).await).await;
    assert!(html.contains("Cette date n") && html.contains(r#"role="alert""#), "{html}");
}
