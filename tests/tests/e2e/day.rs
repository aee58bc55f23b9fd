//! The day of a session in the browser, on a 360 px phone: the facilitator finds the people of
//! the session, enrols one more person on their behalf, then takes attendance with one thumb;
//! once without JavaScript and once with it, where axe-core checks each page on the way.

use super::site_server;
use chrono::Duration;
use fantoccini::Locator;
use serde_json::json;
use tests::browser::{self, Screen};
use tests::process::ServerProcess;
use tests::{Store, TestApp, TestDb};

#[test]
fn a_facilitator_enrols_someone_and_takes_attendance_on_a_phone_without_javascript() {
    browser::run(day(false));
}

#[test]
fn a_facilitator_enrols_someone_and_takes_attendance_on_a_phone_with_javascript() {
    browser::run(day(true));
}

async fn day(javascript: bool) {
    let db = TestDb::create(Store::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let lille = app.structure("Tremplin Lille").await;
    let cip = app.cip("cip.a@tremplin.fr", lille).await;
    let (amina, _) = app.participant(lille, "Amina").await;
    let (hugo, _) = app.participant(lille, "Hugo").await;
    let body = json!({"facilitator_ids": [cip.id], "title": "Atelier entretien"});
    let id = app.session(&cip.api, lille, Duration::days(2), 8, body).await["id"].as_i64().unwrap();
    let (status, _) = cip.api.post(&format!("/sessions/{id}/enrolments"), json!({"participant_id": amina})).await;
    assert_eq!(status, 201);
    let server = ServerProcess::start(&site_server(), &db.url);
    let base = server.base.as_str();
    let page = browser::page(Screen::Phone, javascript).await;
    let accessible = |what: &'static str| {
        let page = &page;
        async move {
            if javascript {
                let violations = page.accessibility_violations().await;
                assert!(violations.is_empty(), "{what}: {violations:#?}");
            }
        }
    };

    page.sign_in_staff(base, "cip.a@tremplin.fr", "motdepasse-test").await;
    page.wait_for_text("Proposer une séance").await;
    page.goto(&format!("{base}/equipe/seances/{id}")).await;
    let text = page.wait_for_text("Inscrites (1)").await;
    assert!(text.contains("Amina Test · Tremplin Lille"), "{text}");
    accessible("a session's people").await;

    // Hugo is enrolled on his behalf.
    page.select("participant", &hugo.to_string()).await;
    page.button("Inscrire").await.click().await.unwrap();
    let text = page.wait_for_text("La personne est inscrite.").await;
    assert!(text.contains("Inscrites (2)") && text.contains("Inscription faite par cip.a@tremplin.fr"), "{text}");

    // Attendance, one tap per person.
    page.link("Faire l'appel").await.click().await.unwrap();
    page.wait_for_text("0 présentes · 0 absentes · 0 excusées · 2 à noter, sur 2 inscrites").await;
    accessible("attendance").await;
    page.click(&format!("#p-{amina} button[value=present]")).await;
    page.wait_for(Locator::Css(&format!("#p-{amina} button[value=present][aria-pressed=true]"))).await;
    page.click(&format!("#p-{hugo} button[value=excused]")).await;
    page.wait_for(Locator::Css(&format!("#p-{hugo} button[value=excused][aria-pressed=true]"))).await;
    page.wait_for_text("1 présentes · 0 absentes · 1 excusées · 0 à noter, sur 2 inscrites").await;
    accessible("attendance, taken").await;
    if javascript {
        a_present_person_signs_with_a_finger(&page, base, id, amina).await;
        accessible("attendance, signed").await;
        marks_wait_for_the_network_and_go_when_it_returns(&page, &app, id, hugo).await;
    } else {
        page.wait_for_text("Sans JavaScript, les personnes présentes signent la feuille imprimée").await;
    }
    let width = page.eval("return document.documentElement.scrollWidth").await;
    assert!(width.as_u64().unwrap() <= 360, "nothing wider than the phone: {width}");

    let (_, enrolments) = app.admin.get(&format!("/sessions/{id}/enrolments")).await;
    let attendance: Vec<(i64, String)> = enrolments
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["participant_id"].as_i64().unwrap(), e["attendance"].as_str().unwrap().to_string()))
        .collect();
    let hugo_marked = if javascript { "absent" } else { "excused" };
    assert!(
        attendance.contains(&(amina, "present".into())) && attendance.contains(&(hugo, hugo_marked.into())),
        "{attendance:?}"
    );
    if javascript {
        a_refused_tap_goes_back_and_says_why(&page, &app, id, amina).await;
    }
}

/// Amina's seat is cancelled from another screen while the page is open: her next tap is
/// refused, her mark goes back to the one recorded, and the page says why.
async fn a_refused_tap_goes_back_and_says_why(page: &browser::Page, app: &TestApp, id: i64, amina: i64) {
    let (status, _) = app.admin.delete(&format!("/sessions/{id}/enrolments/{amina}")).await;
    assert_eq!(status, 200);
    page.click(&format!("#p-{amina} button[value=absent]")).await;
    let said = page.wait_for(Locator::Css("[role=alert] p.alert")).await.text().await.unwrap();
    assert!(!said.trim().is_empty(), "the refusal says why");
    page.wait_for(Locator::Css(&format!("#p-{amina} button[value=present][aria-pressed=true]"))).await;
    let absent =
        format!("return document.querySelector('#p-{amina} button[value=absent]').getAttribute('aria-pressed')");
    assert_eq!(page.eval(&absent).await, json!("false"), "the refused mark is not shown as taken");
}

/// The hall's wifi drops: a tap still shows at once, says it waits for the network, and is
/// recorded once the network is back, without a reload.
async fn marks_wait_for_the_network_and_go_when_it_returns(page: &browser::Page, app: &TestApp, id: i64, hugo: i64) {
    let attendance_of = |person: i64| async move {
        let (_, enrolments) = app.admin.get(&format!("/sessions/{id}/enrolments")).await;
        let line = enrolments.as_array().unwrap().iter().find(|e| e["participant_id"] == person).cloned().unwrap();
        line["attendance"].as_str().unwrap().to_string()
    };
    page.wait_for_hydration().await;
    let offline = json!({"offline": true, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1});
    page.cdp("Network.enable", json!({})).await;
    page.cdp("Network.emulateNetworkConditions", offline).await;
    page.click(&format!("#p-{hugo} button[value=absent]")).await;
    page.wait_for(Locator::Css(&format!("#p-{hugo} button[value=absent][aria-pressed=true]"))).await;
    page.wait_for_text("1 présence en attente du réseau").await;
    page.wait_for_text("1 présentes · 1 absentes · 0 excusées · 0 à noter, sur 2 inscrites").await;
    assert_eq!(attendance_of(hugo).await, "excused", "nothing reached the server yet");

    let online = json!({"offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1});
    page.cdp("Network.emulateNetworkConditions", online).await;
    for _ in 0..100 {
        if attendance_of(hugo).await == "absent" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(attendance_of(hugo).await, "absent", "sent again once the network came back");
    let said = page.eval("return document.querySelector('.news[role=status]').hidden").await;
    assert_eq!(said, json!(true), "nothing waits any more");
}

/// Amina signs on the facilitator's phone with a finger: the drawing area follows it, the
/// signature is kept and shown on her line, and the sign-in sheet (PDF, read back with
/// pdftotext) says she signed.
async fn a_present_person_signs_with_a_finger(page: &browser::Page, base: &str, id: i64, amina: i64) {
    use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, PointerAction, TouchActions};
    page.wait_for_hydration().await;
    page.click(&format!("#p-{amina} .roll-signature button")).await;
    let surface = page.wait_for(Locator::Css(&format!("#p-{amina} .signature-surface"))).await;
    let step = |x: i64, y: i64| PointerAction::MoveBy { duration: Some(std::time::Duration::from_millis(30)), x, y };
    let finger = TouchActions::new("doigt".into())
        .then(PointerAction::MoveToElement { element: surface, duration: None, x: -100, y: 0 })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(step(30, -25))
        .then(step(30, 40))
        .then(step(30, -40))
        .then(step(30, 30))
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    page.client.perform_actions(finger).await.expect("a finger draws");
    let drawn = page
        .eval(&format!("return document.querySelector('#p-{amina} .signature-surface path').getAttribute('d')"))
        .await;
    assert!(drawn.as_str().is_some_and(|d| d.starts_with('M') && d.len() > 10), "the area follows the finger: {drawn}");
    page.button("Valider la signature").await.click().await.unwrap();
    let signed = page.wait_for(Locator::Css(&format!("#p-{amina} .signed"))).await.text().await.unwrap();
    assert!(signed.contains("Signé à"), "{signed}");

    // The sheet, as the facilitator downloads it.
    let cookies = page.client.get_all_cookies().await.unwrap();
    let cookie = cookies.iter().map(|c| format!("{}={}", c.name(), c.value())).collect::<Vec<_>>().join("; ");
    let pdf = reqwest::Client::new()
        .get(format!("{base}/equipe/seances/{id}/emargement.pdf"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    let text = tests::pdf::text(&pdf.bytes().await.unwrap());
    assert!(text.contains("TEST Amina") && text.contains("Présent·e") && text.contains("signé "), "{text}");
}
