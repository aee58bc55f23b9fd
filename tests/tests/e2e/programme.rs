//! The programme in the browser, the way CIPs and a coordinator run it: a CIP of one structure
//! proposes a weekly company talk with a CIP of another, who changes one session of it; a
//! participant enrols; a capacity too low is refused with the numbers; the coordinator finds the
//! talk under the partner structure; a session is cancelled with a reason the participant reads.
//! Once on a phone without JavaScript, once on a laptop with it, where axe-core also checks every
//! staff page on the way.

use super::site_server;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Europe::Paris;
use fantoccini::Locator;
use serde_json::{Value, json};
use tests::browser::{self, Page, Screen};
use tests::process::ServerProcess;
use tests::{Store, TestApp, TestDb};

const TITLE: &str = "Rencontre Boulangerie Paul";
const REASON: &str = "Le boulanger ne peut pas nous recevoir ce jour-là.";
const PASSWORD: &str = "motdepasse-test";

#[test]
fn cips_and_a_coordinator_run_a_co_facilitated_weekly_talk_on_a_phone_without_javascript() {
    browser::run(journey(Screen::Phone, false));
}

#[test]
fn cips_and_a_coordinator_run_a_co_facilitated_weekly_talk_on_a_laptop_with_javascript() {
    browser::run(journey(Screen::Laptop, true));
}

/// The accessibility check can fail: an image without a text alternative, slipped into a page,
/// is reported.
#[test]
fn the_accessibility_check_reports_an_image_without_a_text_alternative() {
    browser::run(async {
        let (db, _app, _, _) = super::setup().await;
        let server = ServerProcess::start(&site_server(), &db.url);
        let page = browser::page(Screen::Phone, true).await;
        page.goto(&format!("{}/connexion", server.base)).await;
        assert!(page.accessibility_violations().await.is_empty(), "the sign-in page is clean");
        page.eval("document.querySelector('main').append(document.createElement('img')); return null").await;
        let violations = page.accessibility_violations().await;
        assert!(violations.iter().any(|v| v.starts_with("image-alt:")), "{violations:#?}");
    })
}

/// The group: Tremplin Lille (A) with a site, Roubaix Insertion (B), a CIP in each, a
/// coordinator, a participant of B.
struct Group {
    _db: TestDb,
    app: TestApp,
    server: ServerProcess,
    lille: i64,
    roubaix: i64,
    cip_b: i64,
    participant_b: (i64, String),
}

async fn group() -> Group {
    let db = TestDb::create(Store::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let lille = app.structure("Tremplin Lille").await;
    let roubaix = app.structure("Roubaix Insertion").await;
    app.site(lille, "Atelier Tremplin", "12 rue des Postes").await;
    app.cip("cip.a@tremplin.fr", lille).await;
    let cip_b = app.cip("cip.b@roubaix.fr", roubaix).await.id;
    app.staff("coordination@groupe.fr", toile_shared::Role::GroupCoordinator, None).await;
    let participant_b = app.participant(roubaix, "Moussa").await;
    let server = ServerProcess::start(&site_server(), &db.url);
    Group { _db: db, app, server, lille, roubaix, cip_b, participant_b }
}

/// A Monday at least ten days ahead: the reserved seats' release, three days before, is ahead too.
fn first_monday() -> NaiveDate {
    let mut day = Utc::now().with_timezone(&Paris).date_naive() + Duration::days(10);
    while day.weekday() != Weekday::Mon {
        day = day.succ_opt().unwrap();
    }
    day
}

fn paris_time(at: &Value) -> String {
    let at: DateTime<Utc> = at.as_str().unwrap().parse().unwrap();
    at.with_timezone(&Paris).format("%H:%M").to_string()
}

/// Checks the page with axe-core when JavaScript is on (axe runs in the page).
async fn accessible(page: &Page, javascript: bool, what: &str) {
    if javascript {
        let violations = page.accessibility_violations().await;
        assert!(violations.is_empty(), "{what} at {}: {violations:#?}", page.url().await);
    }
}

async fn sign_in_as(page: &Page, base: &str, email: &str) {
    page.cdp("Network.clearBrowserCookies", json!({})).await;
    page.sign_in_staff(base, email, PASSWORD).await;
}

/// The three sessions of the series, in order.
async fn series(app: &TestApp) -> Vec<Value> {
    let (_, all) = app.admin.get("/sessions").await;
    let mut talks: Vec<Value> =
        all.as_array().unwrap().iter().filter(|s| s["title"] == json!(TITLE)).cloned().collect();
    talks.sort_by_key(|s| s["starts_at"].as_str().unwrap().to_string());
    talks
}

async fn journey(screen: Screen, javascript: bool) {
    let g = group().await;
    let base = g.server.base.as_str();
    let page = browser::page(screen, javascript).await;
    let first = first_monday();

    // A CIP of Tremplin Lille lands on their desk and proposes the talk.
    sign_in_as(&page, base, "cip.a@tremplin.fr").await;
    assert!(page.url().await.ends_with("/equipe"), "staff land on their desk: {}", page.url().await);
    accessible(&page, javascript, "the desk").await;
    page.link("Proposer une séance").await.click().await.unwrap();
    page.wait_for(Locator::Css("form.session-form")).await;
    accessible(&page, javascript, "the empty session form").await;
    page.select("kind", "company_talk").await;
    page.fill("title", TITLE).await;
    page.fill("description", "Le boulanger présente ses métiers et ses postes à pourvoir.").await;
    page.set_value("#date", &first.format("%Y-%m-%d").to_string()).await;
    page.set_value("#start", "14:00").await;
    page.set_value("#end", "16:00").await;
    page.fill("weeks", "3").await;
    page.click("#place-site").await;
    page.fill("capacity", "10").await;
    if javascript {
        // The island filters the colleagues by name or structure as one types.
        page.wait_for_hydration().await;
        let search = page.wait_for(Locator::Id("recherche-animation")).await;
        search.send_keys("Roubaix").await.unwrap();
        let shown = page
            .eval("return [...document.querySelectorAll('.facilitator-list .choice')].filter(c => !c.hidden).length")
            .await;
        assert_eq!(shown, json!(1), "only the Roubaix CIP matches");
    }
    page.click(&format!("#animation-{}", g.cip_b)).await;
    page.fill("company_name", "Boulangerie Paul").await;
    page.fill("speaker", "M. Paul, gérant").await;
    page.click("#audience-list").await;
    page.click(&format!("#audience-{}", g.lille)).await;
    page.click(&format!("#audience-{}", g.roubaix)).await;
    page.fill(&format!("reserved_{}", g.roubaix), "4").await;
    let release = first - Duration::days(3);
    page.set_value("#reserved_until_date", &release.format("%Y-%m-%d").to_string()).await;
    page.set_value("#reserved_until_time", "14:00").await;
    page.button("Enregistrer la séance").await.click().await.unwrap();
    let text = page.wait_for_text("La séance est enregistrée.").await;
    assert!(text.contains("4 places pour Roubaix Insertion (0 prises)"), "{text}");
    assert!(text.contains("cip.b@roubaix.fr (Roubaix Insertion)"), "co-facilitator with their structure: {text}");
    accessible(&page, javascript, "a session's staff page").await;
    let talks = series(&g.app).await;
    assert_eq!(talks.len(), 3, "a weekly series of three");
    let ids: Vec<i64> = talks.iter().map(|t| t["id"].as_i64().unwrap()).collect();
    assert!(talks.iter().all(|t| paris_time(&t["starts_at"]) == "14:00"), "{talks:?}");
    assert_eq!(talks[0]["reserved_seats"], json!([{"structure_id": g.roubaix, "seats": 4, "taken": 0}]));

    // The Roubaix CIP finds it on their desk and moves the second session only.
    sign_in_as(&page, base, "cip.b@roubaix.fr").await;
    page.wait_for_text(TITLE).await;
    page.goto(&format!("{base}/equipe/seances/{}", ids[1])).await;
    page.link("Modifier").await.click().await.unwrap();
    page.wait_for(Locator::Css("#series-this")).await;
    accessible(&page, javascript, "the session form of a series").await;
    page.set_value("#start", "15:00").await;
    page.set_value("#end", "17:00").await;
    page.click("#series-this").await;
    // Meanwhile its organiser gives it two more seats: the form, stale, saves only its change.
    let (status, _) = g.app.admin.patch(&format!("/sessions/{}", ids[1]), json!({"capacity": 12})).await;
    assert_eq!(status, 200);
    page.button("Enregistrer les changements").await.click().await.unwrap();
    page.wait_for_text("Vos changements sont enregistrés.").await;
    let talks = series(&g.app).await;
    let times: Vec<String> = talks.iter().map(|t| paris_time(&t["starts_at"])).collect();
    assert_eq!(times, ["14:00", "15:00", "14:00"], "only the second session moved");
    let seats: Vec<i64> = talks.iter().map(|t| t["capacity"].as_i64().unwrap()).collect();
    assert_eq!(seats, [10, 12, 10], "the other editor's change is kept");

    // A participant of Roubaix sees the talks and takes a seat in the first and the third.
    page.cdp("Network.clearBrowserCookies", json!({})).await;
    page.sign_in_participant(base, &g.participant_b.1).await;
    page.wait_for_text(TITLE).await;
    for id in [ids[0], ids[2]] {
        page.goto(&format!("{base}/seances/{id}")).await;
        page.button("M'inscrire").await.click().await.unwrap();
        page.wait_for_text("Votre inscription est confirmée").await;
    }

    // Four people of Tremplin Lille join the first; its organiser then asks for four seats only
    // (as many as are reserved for Roubaix, so that only the seats taken stand in the way).
    let cip_a = g.app.cip("cip.a2@tremplin.fr", g.lille).await;
    for name in ["Lina", "Hugo", "Inès", "Théo"] {
        let (person, _) = g.app.participant(g.lille, name).await;
        let (status, _) =
            cip_a.api.post(&format!("/sessions/{}/enrolments", ids[0]), json!({"participant_id": person})).await;
        assert_eq!(status, 201);
    }
    sign_in_as(&page, base, "cip.a@tremplin.fr").await;
    page.goto(&format!("{base}/equipe/seances/{}/modifier", ids[0])).await;
    page.fill("capacity", "4").await;
    page.button("Enregistrer les changements").await.click().await.unwrap();
    let text = page.wait_for_text("5 personnes sont déjà inscrites").await;
    assert!(text.contains("la capacité ne peut pas descendre en dessous"), "{text}");
    let capacity = page.wait_for(Locator::Css("#capacity")).await;
    assert_eq!(capacity.prop("value").await.unwrap().as_deref(), Some("4"), "what was typed stays");
    assert_eq!(capacity.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
    let title = page.wait_for(Locator::Css("#title")).await;
    assert_eq!(title.prop("value").await.unwrap().as_deref(), Some(TITLE));
    accessible(&page, javascript, "a refused session form").await;
    let (_, first_talk) = g.app.admin.get(&format!("/sessions/{}", ids[0])).await;
    assert_eq!(first_talk["capacity"], json!(10), "nothing changed");

    // The coordinator filters the programme by Roubaix Insertion and finds the talk it co-runs.
    g.app.session(&g.app.admin, g.lille, Duration::days(12), 8, json!({"title": "Atelier CV de Lille"})).await;
    sign_in_as(&page, base, "coordination@groupe.fr").await;
    page.goto(&format!("{base}/equipe/programme")).await;
    page.wait_for_text("Atelier CV de Lille").await;
    accessible(&page, javascript, "the programme").await;
    page.select("structure", &g.roubaix.to_string()).await;
    page.button("Filtrer").await.click().await.unwrap();
    for _ in 0..100 {
        if page.url().await.contains(&format!("structure={}", g.roubaix)) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let text = page.wait_for_text(TITLE).await;
    assert!(!text.contains("Atelier CV de Lille"), "only what Roubaix runs: {text}");
    assert!(text.contains("5/10 places"), "fill of the first talk: {text}");
    page.link("Voir un mois").await.click().await.unwrap();
    page.wait_for(Locator::Css("nav.month-nav")).await;
    accessible(&page, javascript, "the month view").await;

    // Tremplin Lille's CIP cancels the third session with a reason.
    sign_in_as(&page, base, "cip.a@tremplin.fr").await;
    page.goto(&format!("{base}/equipe/seances/{}", ids[2])).await;
    page.link("Annuler la séance").await.click().await.unwrap();
    page.wait_for_text("1 personne est inscrite ou en attente").await;
    accessible(&page, javascript, "the cancel form").await;
    page.fill("reason", REASON).await;
    page.button("Annuler la séance").await.click().await.unwrap();
    let text = page.wait_for_text("La séance est annulée.").await;
    assert!(text.contains(REASON), "{text}");

    // The participant reads the reason on their page.
    page.cdp("Network.clearBrowserCookies", json!({})).await;
    page.sign_in_participant(base, &g.participant_b.1).await;
    let text = page.wait_for_text(REASON).await;
    assert!(text.contains("Séance annulée"), "{text}");
    page.goto(&format!("{base}/seances/{}", ids[2])).await;
    page.wait_for_text(REASON).await;
}
