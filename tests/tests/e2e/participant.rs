//! A participant on their phone (enrolling, answering a reminder), and text fields that must
//! never run as script anywhere.

use super::{setup, site_server};
use chrono::Duration;
use serde_json::{Value, json};
use tests::browser::{self, Screen};
use tests::process::ServerProcess;
use tests::{TestApp, TestDb};
use toile_server::core::{Clock, reminder_time};
use toile_shared::enrolment::Request;

async fn enrolled_by_participant(app: &TestApp, session: &Value) -> Vec<(String, String)> {
    let (_, listed) = app.admin.get(&format!("/sessions/{}/enrolments", session["id"])).await;
    listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["status"].as_str().unwrap().to_string(), e["enrolled_by"].as_str().unwrap().to_string()))
        .collect()
}

/// Signs in with the code on a 360 px phone, opens the session from the list and enrols.
async fn sign_in_and_enrol(db: &TestDb, javascript: bool, code: &str, title: &str) -> String {
    let server = ServerProcess::start(&site_server(), &db.url);
    let page = browser::page(Screen::Phone, javascript).await;
    page.goto(&format!("{}/connexion", server.base)).await;
    let width = page.eval("return document.documentElement.clientWidth").await.as_i64().unwrap();
    assert!(width <= 360, "phone-sized viewport ({width})");
    // Nothing may widen the page past the phone: a tap would then miss its button.
    let content = page.eval("return document.documentElement.scrollWidth").await.as_i64().unwrap();
    assert!(content <= 360, "the sign-in page fits the phone ({content} px wide)");
    page.fill("code", code).await;
    page.button("Me connecter").await.click().await.unwrap();
    page.link(title).await.click().await.unwrap();
    page.button("M'inscrire").await.click().await.unwrap();
    let body = page.wait_for_text("Votre inscription est confirmée").await;
    if javascript {
        // The participant's pages ship no browser bundle: a phone downloads only the page,
        // the stylesheet and the read-aloud script.
        let loaded = page.eval("return performance.getEntriesByType('resource').map(r => r.name)").await;
        let loaded: Vec<&str> = loaded.as_array().unwrap().iter().filter_map(|r| r.as_str()).collect();
        assert!(loaded.iter().all(|r| !r.ends_with(".wasm") && !r.contains("/pkg/toile.js")), "{loaded:?}");
        assert!(loaded.iter().any(|r| r.ends_with("/lire.js")), "{loaded:?}");
    }
    body
}

#[test]
fn a_participant_enrols_from_a_phone_without_javascript() {
    browser::run(async {
        let (db, app, code, lille) = setup().await;
        let session =
            app.session(&app.admin, lille, Duration::days(3), 8, json!({"title": "Atelier sans JavaScript"})).await;
        let body = sign_in_and_enrol(&db, false, &code, "Atelier sans JavaScript").await;
        assert!(body.contains("Vous avez une place"), "outcome shown: {body}");
        assert_eq!(
            enrolled_by_participant(&app, &session).await,
            [("confirmed".to_string(), "participant".to_string())]
        );
    })
}

#[test]
fn a_participant_enrols_from_a_phone_with_javascript() {
    browser::run(async {
        let (db, app, code, lille) = setup().await;
        let session =
            app.session(&app.admin, lille, Duration::days(4), 8, json!({"title": "Atelier avec JavaScript"})).await;
        let body = sign_in_and_enrol(&db, true, &code, "Atelier avec JavaScript").await;
        assert!(body.contains("Vous avez une place"), "outcome shown: {body}");
        assert_eq!(
            enrolled_by_participant(&app, &session).await,
            [("confirmed".to_string(), "participant".to_string())]
        );
    })
}

/// Each text field of a session carries a different attack; any one that ran would change the
/// sentinel the browser sets on every new page before the page's own scripts.
const SENTINEL: &str = "window.__sentinel = 'intact';";
const TITLE: &str = "Atelier</title><script>window.__sentinel='pwned';document.title='PWNED'</script>";
const DESCRIPTION: &str = "<img src=x onerror=\"window.__sentinel='pwned'\"><script>window.__sentinel='pwned'</script>";
const ADDRESS: &str = "\"><svg onload=\"window.__sentinel='pwned'\">";
const COMPANY: &str = "</dd><img src=x onerror=window.__sentinel='pwned'>";
const SPEAKER: &str = "'><iframe src=\"javascript:parent.__sentinel='pwned'\"></iframe>";
const STRUCTURE: &str = "Relais <svg onload=window.__sentinel='pwned'>";

/// Opens `path`, lets the page hydrate and settle, and checks that nothing ran and that each
/// of `shown` is on screen as typed.
async fn inert(page: &browser::Page, base: &str, path: &str, shown: &[&str]) {
    page.goto(&format!("{base}{path}")).await;
    if page.eval("return document.querySelector('leptos-island') !== null").await == json!(true) {
        page.wait_for_hydration().await;
    }
    // onerror and onload handlers fire as soon as the element is parsed; give them time anyway.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let sentinel = page.eval("return window.__sentinel").await;
    assert_eq!(sentinel, json!("intact"), "a payload ran on {path}");
    let text = page.text().await;
    for expected in shown {
        assert!(text.contains(expected), "{path} shows {expected:?} as text; it shows:\n{text}");
    }
    let title = page.eval("return document.title").await;
    assert_ne!(title, json!("PWNED"), "{path}");
}

#[test]
fn no_text_field_of_a_session_runs_a_script_in_any_page() {
    browser::run(async {
        let (db, app, code, lille) = setup().await;
        let relais = app.structure(STRUCTURE).await;
        let cip = app.cip("cip@lille.fr", lille).await;
        // A video link must be a web address: no `javascript:` and nothing that leaves an attribute.
        for url in ["javascript:window.__sentinel='pwned'", "https://visio.example/\"><svg onload=alert(1)>"] {
            let (status, refused) = cip
                .api
                .post(
                    "/sessions",
                    tests::fixtures::session_body(lille, chrono::Utc::now() + Duration::days(2), 8)
                        .as_object()
                        .map(|body| {
                            let mut body = body.clone();
                            body.insert("location".into(), json!({"video_url": url}));
                            Value::Object(body)
                        })
                        .unwrap(),
                )
                .await;
            assert_eq!(status, 422, "{url} refused: {refused}");
        }
        let talk = json!({
            "kind": "company_talk", "theme": null, "title": TITLE, "description": DESCRIPTION,
            "location": {"address": ADDRESS}, "company_name": COMPANY, "speaker": SPEAKER,
        });
        let session = app.session(&cip.api, lille, Duration::days(5), 12, talk).await;
        let id = session["id"].as_i64().unwrap();
        let server = ServerProcess::start(&site_server(), &db.url);
        let base = server.base.as_str();

        let page = browser::page(Screen::Phone, true).await;
        let added = page.cdp("Page.addScriptToEvaluateOnNewDocument", json!({"source": SENTINEL})).await;
        page.sign_in_participant(base, &code).await;
        inert(&page, base, "/seances", &[TITLE, ADDRESS]).await;
        inert(&page, base, &format!("/seances/{id}"), &[TITLE, DESCRIPTION, ADDRESS, COMPANY, SPEAKER]).await;
        let title = page.eval("return document.title").await;
        assert_eq!(title, json!(format!("{TITLE} – Toile")), "the browser shows the title as typed");
        page.button("M'inscrire").await.click().await.unwrap();
        page.wait_for_text("Votre inscription est confirmée").await;
        inert(&page, base, &format!("/seances/{id}"), &[TITLE]).await;

        // Staff: the table of sessions, and the agenda page listing a link that follows the
        // structure with the hostile name (its name is in the link's name and the form's choices).
        let coordinator = app.staff("coordination@groupe.fr", toile_shared::Role::GroupCoordinator, None).await;
        let (status, _) = coordinator.api.post("/feeds", json!({"scope": "structure", "structure_id": relais})).await;
        assert_eq!(status, 201);
        // The CIP who runs it finds it on their desk and in its form (the texts as field values).
        page.cdp("Network.clearBrowserCookies", json!({})).await;
        page.sign_in_staff(base, "cip@lille.fr", "motdepasse-test").await;
        inert(&page, base, "/equipe", &[TITLE]).await;
        inert(&page, base, &format!("/equipe/seances/{id}/modifier"), &[]).await;
        let typed = page.eval("return ['title', 'description', 'address', 'company_name', 'speaker'].map(n => document.querySelector(`[name=${n}]:is(input, textarea)`).value)").await;
        assert_eq!(typed, json!([TITLE, DESCRIPTION, ADDRESS, COMPANY, SPEAKER]), "the form holds the texts as typed");
        page.cdp("Network.clearBrowserCookies", json!({})).await;
        page.sign_in_staff(base, "coordination@groupe.fr", "motdepasse-test").await;
        inert(&page, base, "/equipe/programme", &[TITLE]).await;
        inert(&page, base, &format!("/equipe/seances/{id}"), &[TITLE, DESCRIPTION, ADDRESS, COMPANY, SPEAKER]).await;
        inert(&page, base, &format!("/equipe/seances/{id}/annuler"), &[TITLE]).await;
        inert(&page, base, &format!("/equipe/seances/{id}/dupliquer"), &[TITLE]).await;
        inert(&page, base, "/agenda", &[&format!("Toile — {STRUCTURE}")]).await;
        let options = page.eval("return [...document.querySelectorAll('option')].map(o => o.textContent)").await;
        assert!(options.as_array().unwrap().iter().any(|o| o == STRUCTURE), "structure named as typed: {options}");
        // A new link for that structure: its name travels into an island's properties.
        page.eval("document.getElementById('suivre-structure').click()").await;
        page.eval(&format!("document.getElementById('structure').value = '{relais}'")).await;
        page.button("Créer le lien").await.click().await.unwrap();
        page.wait_for_text("Votre lien d'agenda").await;
        page.wait_for_hydration().await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(page.eval("return window.__sentinel").await, json!("intact"), "a payload ran in the island");
        let label = format!("Lien de l'agenda « Toile — {STRUCTURE} »");
        page.wait_for_text(&label).await;
        let copy = page.button("Copier le lien").await;
        assert!(copy.is_displayed().await.unwrap(), "the island is alive");
        page.cdp("Page.removeScriptToEvaluateOnNewDocument", json!({"identifier": added["identifier"]})).await;
    })
}

/// The day-before reminder's link on a 360 px phone without JavaScript: the person says they
/// cannot come, their seat goes at once to the person waiting. axe-core checks the page first.
#[test]
fn a_participant_declines_from_the_reminder_link_without_javascript() {
    browser::run(async {
        let (db, app, _, lille) = setup().await;
        let (bilal, _) = app.participant(lille, "Bilal").await;
        sqlx::query("UPDATE participants SET phone = '06 12 34 56 78'").execute(&app.sql).await.unwrap();
        let amina: i64 = sqlx::query_scalar("SELECT id FROM participants WHERE first_name = 'Amina'")
            .fetch_one(&app.sql)
            .await
            .unwrap();
        let session = app.session(&app.admin, lille, Duration::days(3), 1, json!({"title": "Atelier du rappel"})).await;
        let id = session["id"].as_i64().unwrap();
        for person in [amina, bilal] {
            app.core.enrol(&app.admin_actor(), id, person, Request::Normal).await.unwrap();
        }
        // The worker's pass at 10:00 the day before, through a core whose clock reads that time.
        let starts_at = chrono::DateTime::parse_from_rfc3339(session["starts_at"].as_str().unwrap()).unwrap().to_utc();
        let clock = Clock::system();
        clock.advance(reminder_time(starts_at) + Duration::minutes(1) - clock.now());
        assert_eq!(app.core.with_clock(clock).queue_reminders().await.unwrap(), 1);
        // The SMS as it was handed to its provider: only it carries the link.
        let sent = app.sent().await;
        let sms = &sent.iter().find(|m| m.kind == "reminder" && m.channel.code() == "sms").unwrap().body;
        let path = &sms[sms.find("/r/").expect("the reminder carries the link")..];

        let server = ServerProcess::start(&site_server(), &db.url);
        {
            // One page at a time holds the shared browser: this one goes before the next.
            let checked = browser::page(Screen::Phone, true).await;
            checked.goto(&format!("{}{path}", server.base)).await;
            checked.wait_for_text("Atelier du rappel").await;
            let violations = checked.accessibility_violations().await;
            assert!(violations.is_empty(), "{violations:#?}");
        }

        let page = browser::page(Screen::Phone, false).await;
        page.goto(&format!("{}{path}", server.base)).await;
        let content = page.eval("return document.documentElement.scrollWidth").await.as_i64().unwrap();
        assert!(content <= 360, "the page fits the phone ({content} px wide)");
        page.button("Je ne peux pas venir").await.click().await.unwrap();
        let body = page.wait_for_text("Votre place est donnée à une autre personne").await;
        assert!(!body.contains("Je viens"), "{body}");
        let seated: Vec<(i64, String)> = sqlx::query_as(
            "SELECT participant_id, status FROM enrolments WHERE session_id = $1 ORDER BY participant_id",
        )
        .bind(id)
        .fetch_all(&app.sql)
        .await
        .unwrap();
        assert_eq!(seated, [(amina, "cancelled_by_participant".into()), (bilal, "confirmed".into())]);
    })
}
