//! A structure's participants: who may find, register, renew and archive them (a table, on
//! both backends); a new code ends the old one everywhere; archiving frees seats to come and
//! keeps the past; registering through the page answers with a card whose code signs in.

use chrono::Duration;
use serde_json::json;
use tests::fixtures::{OPERATOR, new_participant as person};
use tests::http::{sign_in_by_form, text_as, without_redirects as client};
use tests::{TestApp, TestDb, on_every_backend};
use toile_server::core::{CoreError, Device, FeedScope};
use toile_shared::ErrorCode;
use toile_shared::authz::Actor;
use toile_shared::enrolment::Request;
use toile_shared::{EnrolmentStatus, Role};

on_every_backend!(
    who_may_find_register_renew_and_archive_participants_follows_the_permission_table,
    a_search_finds_names_in_either_order_and_takes_wildcards_literally,
    a_new_code_turns_the_old_one_off_and_signs_the_person_out_everywhere,
    archiving_gives_up_seats_to_come_and_keeps_the_past,
    a_participant_registered_through_the_page_signs_in_with_the_code_on_the_card,
    the_card_s_qr_code_carries_a_link_without_the_code_that_signs_in_once,
    a_new_code_kills_the_card_s_unused_link,
    an_expired_card_link_opens_the_sign_in_page_with_the_plain_sentence,
    archiving_or_erasing_a_person_deletes_their_card_s_link,
    the_sign_in_page_never_fills_in_a_code_from_its_address,
);

fn allowed<T>(result: Result<T, CoreError>) -> bool {
    !matches!(result, Err(CoreError::Forbidden | CoreError::NotFound(_)))
}

async fn who_may_find_register_renew_and_archive_participants_follows_the_permission_table(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let core = &app.core;
    let (a, b) = (app.structure("Tremplin").await, app.structure("Envol").await);
    let staff =
        |id: i64, role: Role, structure: Option<i64>| Actor::Staff { user_id: id, role, structure_id: structure };
    let cip_a = staff(app.cip("cip-a@test.fr", a).await.id, Role::Cip, Some(a));
    let coordinator_a =
        staff(app.staff("coord-a@test.fr", Role::Coordinator, Some(a)).await.id, Role::Coordinator, Some(a));
    let cip_b = staff(app.cip("cip-b@test.fr", b).await.id, Role::Cip, Some(b));
    let group = staff(app.staff("groupe@test.fr", Role::GroupCoordinator, None).await.id, Role::GroupCoordinator, None);
    let (own, _) = app.participant(a, "Amina").await;
    let actors = [
        ("CIP of the structure", cip_a.clone()),
        ("coordinator of the structure", coordinator_a),
        ("CIP of another structure", cip_b),
        ("group coordinator", group.clone()),
        ("admin", app.admin_actor()),
        ("participant", Actor::Participant { participant_id: own, structure_id: a }),
    ];
    //                           cip A  coord A cip B  group  admin  participant
    let expected: [(&str, [bool; 6]); 4] = [
        ("see the record", [true, true, false, true, true, false]),
        ("register", [true, true, false, true, true, false]),
        ("give a new code", [true, true, false, true, true, false]),
        ("archive", [true, true, false, true, true, false]),
    ];
    for (action, expected) in expected {
        for ((who, actor), expected) in actors.iter().zip(expected) {
            // Each try on a person of its own: archiving one never decides the next.
            let (target, _) = core.register_participant(&OPERATOR, person(a, "Cible")).await.unwrap();
            let got = match action {
                "see the record" => allowed(core.participant_record(actor, target.id).await),
                "register" => allowed(core.register_participant(actor, person(a, "Nouvelle")).await),
                "give a new code" => allowed(core.renew_access_code(actor, target.id).await),
                _ => allowed(core.archive_participant(actor, target.id).await),
            };
            assert_eq!(got, expected, "{action} by the {who}");
        }
    }
    // The list: their structure's people for a CIP, everyone's for group-wide staff.
    app.participant(b, "Bilal").await;
    let names = |list: Vec<toile_server::core::ParticipantEntry>| {
        list.iter().map(|p| p.structure_id).collect::<std::collections::BTreeSet<_>>()
    };
    assert_eq!(names(core.find_participants(&cip_a, "").await.unwrap()), [a].into());
    assert_eq!(names(core.find_participants(&group, "").await.unwrap()), [a, b].into());
    let participant = Actor::Participant { participant_id: own, structure_id: a };
    assert!(matches!(core.find_participants(&participant, "").await, Err(CoreError::Forbidden)));
}

async fn a_search_finds_names_in_either_order_and_takes_wildcards_literally(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let mut amina = person(a, "Amina");
    amina.last_name = "Benali".into();
    app.core.register_participant(&OPERATOR, amina).await.unwrap();
    app.core.register_participant(&OPERATOR, person(a, "Hugo")).await.unwrap();
    let found = |search: &'static str| {
        let core = app.core.clone();
        let admin = app.admin_actor();
        async move {
            core.find_participants(&admin, search).await.unwrap().into_iter().map(|p| p.first_name).collect::<Vec<_>>()
        }
    };
    assert_eq!(found("amina ben").await, ["Amina"]);
    assert_eq!(found("BENALI AM").await, ["Amina"]);
    assert_eq!(found("hug").await, ["Hugo"]);
    assert_eq!(found("%").await, Vec::<String>::new(), "a % is a character to find, not 'anything'");
    assert_eq!(found("").await.len(), 2);
}

async fn a_new_code_turns_the_old_one_off_and_signs_the_person_out_everywhere(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let core = &app.core;
    let a = app.structure("Tremplin").await;
    let (id, old_code) = app.participant(a, "Amina").await;
    let signed_in = core.sign_in_participant(&old_code, None, Device::Own).await.unwrap();
    let feed = core.create_feed(&signed_in.actor, FeedScope::Participant(id), None).await.unwrap();
    assert!(core.resolve_feed(&feed.token).await.unwrap().is_some());

    let new_code = core.renew_access_code(&app.admin_actor(), id).await.unwrap();
    assert_ne!(new_code, old_code);
    assert!(
        matches!(core.sign_in_participant(&old_code, None, Device::Own).await, Err(CoreError::BadCredentials)),
        "the old code"
    );
    assert!(matches!(core.actor_for_sign_in(&signed_in.token).await, Err(CoreError::Unauthenticated)), "their phone");
    assert!(core.resolve_feed(&feed.token).await.unwrap().is_none(), "their calendar link");
    core.sign_in_participant(&new_code, None, Device::Own).await.expect("the new code works");
    let logged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'access_code_renewed'")
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(logged, 1);
}

async fn archiving_gives_up_seats_to_come_and_keeps_the_past(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let core = &app.core;
    let admin = app.admin_actor();
    let a = app.structure("Tremplin").await;
    let (leaving, code) = app.participant(a, "Amina").await;
    let (waiting, _) = app.participant(a, "Hugo").await;
    let session = app.session(&app.admin, a, Duration::days(3), 1, json!({})).await["id"].as_i64().unwrap();
    core.enrol(&admin, session, leaving, Request::Normal).await.unwrap();
    core.enrol(&admin, session, waiting, Request::Normal).await.unwrap();

    core.archive_participant(&admin, leaving).await.unwrap();
    let hugo = core.enrolment(&admin, session, waiting).await.unwrap().unwrap();
    assert_eq!(hugo.status, EnrolmentStatus::Confirmed, "the freed seat went to the person waiting");
    assert!(matches!(core.sign_in_participant(&code, None, Device::Own).await, Err(CoreError::BadCredentials)));
    let record = core.participant_record(&admin, leaving).await.unwrap();
    assert!(!record.entry.active);
    assert_eq!(record.history.len(), 1, "their past stays");
    assert!(core.find_participants(&admin, "Amina").await.unwrap().is_empty(), "no longer in the list");
    let again = core.renew_access_code(&admin, leaving).await;
    assert!(matches!(again, Err(CoreError::Conflict { code: ErrorCode::Archived, .. })), "{again:?}");
}

async fn a_participant_registered_through_the_page_signs_in_with_the_code_on_the_card(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let cip = app.cip("cip@test.fr", a).await;
    let cookie =
        sign_in_by_form(&app.base, "/fn/sign_in_staff", &[("email", "cip@test.fr"), ("password", "motdepasse-test")])
            .await;
    let answer = client()
        .post(format!("{}/equipe/participants/nouvelle", app.base))
        .header("cookie", &cookie)
        .header("origin", &app.base)
        .header("accept", "text/html")
        .form(&[
            ("first_name", "Amina"),
            ("last_name", "Benali"),
            ("structure", &a.to_string()),
            ("referent", &cip.id.to_string()),
            ("phone", ""),
            ("email", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["cache-control"], "no-store");
    let html = answer.text().await.unwrap();
    let code = code_on_card(&html);
    assert!(html.contains("code-card-qr"), "{html}");
    assert!(!html.contains(&format!("?code={code}")), "the QR code never carries the code: {html}");
    let participant = sign_in_by_form(&app.base, "/fn/sign_in_participant", &[("code", code)]).await;
    let page = text_as(&format!("{}/seances", app.base), &participant).await;
    assert!(page.contains("Amina"), "signed in as the person on the card: {page}");
    let stored: (String, Option<i64>) =
        sqlx::query_as("SELECT last_name, referent_id FROM participants WHERE first_name = 'Amina'")
            .fetch_one(&app.sql)
            .await
            .unwrap();
    assert_eq!(stored, ("Benali".to_string(), Some(cip.id)));

    // Their history as a CSV, once they were in a session: for their structure's staff only.
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM participants WHERE first_name = 'Amina'").fetch_one(&app.sql).await.unwrap();
    let session = app.session(&app.admin, a, chrono::Duration::days(2), 5, json!({"title": "Atelier CV"})).await;
    let session = session["id"].as_i64().unwrap();
    // Their page offers the session; its form enrols them on their behalf.
    let record = |cookie: String| {
        let url = format!("{}/equipe/participants/{id}", app.base);
        async move { client().get(url).header("cookie", cookie).send().await.unwrap().text().await.unwrap() }
    };
    let offer = format!(r#"action="/equipe/seances/{session}""#);
    assert!(record(cookie.clone()).await.contains(&offer), "the session is offered");
    let enrolled = client()
        .post(format!("{}/equipe/seances/{session}", app.base))
        .header("cookie", &cookie)
        .header("origin", &app.base)
        .form(&[("action", "inscrire"), ("participant", &id.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(enrolled.status(), 303);
    assert!(!record(cookie.clone()).await.contains(&offer), "no longer offered once in");
    let csv = text_as(&format!("{}/equipe/participants/{id}/historique.csv", app.base), &cookie).await;
    let lines: Vec<&str> = csv.strip_prefix('\u{feff}').expect("a byte-order mark").lines().collect();
    assert_eq!(lines[0], "Nom;Date;Séance;Inscription;Présence");
    assert!(lines[1].starts_with("Amina Benali;") && lines[1].ends_with(";Atelier CV;Inscrite;"), "{csv}");
    let b = app.structure("Envol").await;
    app.cip("autre@test.fr", b).await;
    let other =
        sign_in_by_form(&app.base, "/fn/sign_in_staff", &[("email", "autre@test.fr"), ("password", "motdepasse-test")])
            .await;
    let refused = client()
        .get(format!("{}/equipe/participants/{id}/historique.csv", app.base))
        .header("cookie", &other)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404, "another structure's staff do not get it");
    let unreadable = format!("{}/equipe/participants/x{id}/historique.csv", app.base);
    let missing = client().get(unreadable).header("cookie", &cookie).send().await.unwrap();
    assert_eq!((missing.status().as_u16(), missing.text().await.unwrap()), (404, "Participant introuvable.".into()));
}

/// The access code a card's page shows.
fn code_on_card(html: &str) -> &str {
    html.split(r#"id="code-personnel""#)
        .nth(1)
        .and_then(|rest| rest.split('>').nth(1))
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| panic!("the card shows the code: {html}"))
        .trim()
}

/// The link a card's QR code carries, read from the card's page, checked to be what its QR code
/// draws.
fn card_link(html: &str) -> String {
    let link = html
        .split(r#"data-link=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("the card has a QR code: {html}"))
        .to_string();
    let path = html
        .split(r#"<path d=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("the QR code is drawn: {html}"));
    assert_eq!(path, toile_server::web::port::card_qr_code(&link).path, "the QR code draws this link");
    link
}

/// The card's page after a new code for `person`, drawn through the page by `cookie`'s staff.
async fn new_card(app: &TestApp, cookie: &str, person: i64) -> String {
    let answer = client()
        .post(format!("{}/equipe/participants/{person}/code", app.base))
        .header("cookie", cookie)
        .header("origin", &app.base)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    answer.text().await.unwrap()
}

/// Opens a card's link as a phone that scanned it: (status, Location, cookie set, page).
async fn open(link: &str) -> (u16, String, Option<String>, String) {
    let response = client().get(link).send().await.unwrap();
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_string());
    let (location, cookie) = (header("location").unwrap_or_default(), header("set-cookie"));
    let cookie = cookie.map(|c| c.split(';').next().unwrap().to_string());
    (response.status().as_u16(), location, cookie, response.text().await.unwrap())
}

const USED: &str = "Ce lien a déjà servi : tapez le code écrit sur votre carte.";

async fn staff_of(app: &TestApp, a: i64) -> String {
    app.cip("cip@test.fr", a).await;
    sign_in_by_form(&app.base, "/fn/sign_in_staff", &[("email", "cip@test.fr"), ("password", "motdepasse-test")]).await
}

fn says_used(html: &str) -> bool {
    html.contains(USED) || html.contains(&USED.replace('\'', "&#x27;"))
}

async fn the_card_s_qr_code_carries_a_link_without_the_code_that_signs_in_once(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let staff = staff_of(&app, a).await;
    let (amina, _) = app.participant(a, "Amina").await;
    let html = new_card(&app, &staff, amina).await;
    let code = code_on_card(&html);
    let link = card_link(&html);
    assert!(link.starts_with(&format!("{}/connexion/carte/", app.base)), "{link}");
    let normalized = toile_shared::access_code::normalize(code).unwrap();
    assert!(!link.contains(code) && !link.to_uppercase().contains(&normalized), "no code in {link}");
    let secret = link.rsplit('/').next().unwrap();
    assert_eq!(secret.len(), 64, "256 random bits");
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT token_hash FROM sign_in_links").fetch_all(&app.sql).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].contains(secret), "only its hash is stored");

    let (status, location, cookie, _) = open(&link).await;
    assert_eq!((status, location.as_str()), (303, "/seances"), "signed in, sent to their sessions");
    let cookie = cookie.expect("the sign-in cookie");
    let page = text_as(&format!("{}/seances", app.base), &cookie).await;
    assert!(page.contains("Amina"), "signed in as the person on the card: {page}");
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in' AND participant_id = $1")
            .bind(amina)
            .fetch_one(&app.sql)
            .await
            .unwrap();
    assert_eq!(audited, 1, "audited as the typed code's sign-in is");

    let (status, _, cookie, html) = open(&link).await;
    assert_eq!(status, 410, "used once: {html}");
    assert!(cookie.is_none());
    assert!(says_used(&html) && html.contains(r#"name="code""#), "the sign-in page, with the sentence: {html}");
    sign_in_by_form(&app.base, "/fn/sign_in_participant", &[("code", code)]).await;
}

async fn a_new_code_kills_the_card_s_unused_link(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let staff = staff_of(&app, a).await;
    let (amina, _) = app.participant(a, "Amina").await;
    let first = card_link(&new_card(&app, &staff, amina).await);
    let second = card_link(&new_card(&app, &staff, amina).await);
    let (status, _, cookie, html) = open(&first).await;
    assert_eq!(status, 410, "{html}");
    assert!(cookie.is_none() && says_used(&html), "{html}");
    let (status, location, _, _) = open(&second).await;
    assert_eq!((status, location.as_str()), (303, "/seances"), "the new card's link works");
}

async fn an_expired_card_link_opens_the_sign_in_page_with_the_plain_sentence(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let (amina, _) = app.participant(a, "Amina").await;
    let secret = app.core.new_sign_in_link(&app.admin_actor(), amina).await.unwrap();
    let expires: i64 =
        sqlx::query_scalar("SELECT expires_at - created_at FROM sign_in_links").fetch_one(&app.sql).await.unwrap();
    assert_eq!(expires, 30 * 24 * 3600, "valid 30 days");
    let clock = toile_server::core::Clock::system();
    let later = app.core.with_clock(clock.clone());
    clock.advance(Duration::days(31));
    let refused = later.sign_in_with_link(&secret).await;
    assert!(matches!(&refused, Err(CoreError::Conflict { code: ErrorCode::SignInLinkGone, .. })), "{refused:?}");
    // Through the server: the same link, its 30 days gone by.
    sqlx::query("UPDATE sign_in_links SET expires_at = created_at - 1").execute(&app.sql).await.unwrap();
    let (status, _, cookie, html) = open(&format!("{}/connexion/carte/{secret}", app.base)).await;
    assert_eq!(status, 410, "{html}");
    assert!(cookie.is_none() && says_used(&html), "{html}");
    for forged in ["abc", "0000000000000000000000000000000000000000000000000000000000000000", "%3Cscript%3E"] {
        let (status, _, cookie, html) = open(&format!("{}/connexion/carte/{forged}", app.base)).await;
        assert_eq!(status, 410, "{forged}: {html}");
        assert!(cookie.is_none() && says_used(&html), "{forged}: {html}");
    }
}

async fn archiving_or_erasing_a_person_deletes_their_card_s_link(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let admin = app.admin_actor();
    let (amina, _) = app.participant(a, "Amina").await;
    let (bilal, _) = app.participant(a, "Bilal").await;
    let archived = app.core.new_sign_in_link(&admin, amina).await.unwrap();
    let erased = app.core.new_sign_in_link(&admin, bilal).await.unwrap();
    app.core.archive_participant(&admin, amina).await.unwrap();
    app.core.erase_participant(&admin, bilal).await.unwrap();
    for secret in [archived, erased] {
        let refused = app.core.sign_in_with_link(&secret).await;
        assert!(matches!(&refused, Err(CoreError::Conflict { code: ErrorCode::SignInLinkGone, .. })), "{refused:?}");
    }
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_links").fetch_one(&app.sql).await.unwrap();
    assert_eq!(left, 0);
}

async fn the_sign_in_page_never_fills_in_a_code_from_its_address(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let (_, code) = app.participant(a, "Amina").await;
    let html = client().get(format!("{}/connexion?code={code}", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(r#"name="code""#), "{html}");
    assert!(!html.contains(&code), "a code in the address is not filled in: {html}");
}
