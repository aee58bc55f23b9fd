//! Keeping personal data only as long as it serves (`server/src/core/retention.rs`): people
//! archived longer than kept are anonymised with the figures unchanged and the sealed sheets
//! still holding, old audit entries go, and a person's coordinator hands over a copy of their
//! data or erases it on request.

use chrono::Duration;
use serde_json::{Value, json};
use tests::http::{sign_in_by_form, without_redirects as client};
use tests::{TestApp, TestDb, on_every_backend};
use toile_server::core::{Clock, CoreError, Device};
use toile_shared::ErrorCode;
use toile_shared::authz::Actor;
use toile_shared::enrolment::Request;
use toile_shared::{Attendance, Role};

on_every_backend!(
    the_reasons_written_about_a_person_leave_the_journal_when_they_are_anonymised,
    people_archived_longer_than_kept_are_anonymised_with_the_figures_and_seals_unchanged,
    audit_entries_older_than_kept_are_deleted_and_the_deletion_is_recorded,
    messages_to_participants_are_deleted_once_older_than_the_journal,
    a_coordinator_erases_a_persons_data_on_request_their_seats_go_to_people_waiting,
    a_copy_of_a_persons_data_is_for_their_coordinator_as_json_and_as_an_inert_page,
);

/// Attendances per structure: what the figures count, which anonymising must not change.
async fn figures(app: &TestApp) -> Vec<(i64, String, String, i64)> {
    sqlx::query_as(
        "SELECT structure_id, status, attendance, COUNT(*) FROM enrolments
         GROUP BY structure_id, status, attendance ORDER BY structure_id, status, attendance",
    )
    .fetch_all(&app.sql)
    .await
    .unwrap()
}

fn staff(user_id: i64, role: Role, structure_id: i64) -> Actor {
    Actor::Staff { user_id, role, structure_id: Some(structure_id) }
}

async fn people_archived_longer_than_kept_are_anonymised_with_the_figures_and_seals_unchanged(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let claire = app.cip("claire@lille.fr", lille).await;
    let cip = staff(claire.id, Role::Cip, lille);
    let (amina, code) = app.participant(lille, "Amina").await;
    let (hugo, _) = app.participant(lille, "Hugo").await;
    sqlx::query("UPDATE participants SET phone = '0600000000', email = 'amina@example.org' WHERE id = $1")
        .bind(amina)
        .execute(&app.sql)
        .await
        .unwrap();
    let session = app.session(&claire.api, lille, Duration::days(1), 5, json!({})).await["id"].as_i64().unwrap();
    let admin = app.admin_actor();
    for person in [amina, hugo] {
        app.core.enrol(&admin, session, person, Request::Normal).await.unwrap();
    }
    let clock = Clock::system();
    let core = app.core.with_clock(clock.clone());
    clock.advance(Duration::days(1) + Duration::hours(3));
    core.set_attendance(&admin, session, amina, Attendance::Present).await.unwrap();
    core.set_attendance(&admin, session, hugo, Attendance::Absent).await.unwrap();
    let seal = core.close_sheet(&admin, session).await.unwrap();
    core.sign_in_participant(&code, None, Device::Own).await.expect("Amina's code works while she is here");
    core.archive_participant(&cip, amina).await.unwrap();
    let before = figures(&app).await;

    clock.advance(Duration::days(30 * 23));
    assert_eq!(core.apply_retention().await.unwrap().anonymised, 0, "23 months after leaving: still kept");
    clock.advance(Duration::days(31 * 2));
    assert_eq!(core.apply_retention().await.unwrap().anonymised, 1, "past 24 months");
    assert_eq!(core.apply_retention().await.unwrap().anonymised, 0, "once");

    let (first, last, phone, email, code_hash): (String, String, Option<String>, Option<String>, String) =
        sqlx::query_as("SELECT first_name, last_name, phone, email, access_code_hash FROM participants WHERE id = $1")
            .bind(amina)
            .fetch_one(&app.sql)
            .await
            .unwrap();
    assert_eq!((first.as_str(), last.as_str(), phone, email), ("Personne", "anonymisée", None, None));
    assert!(!code_hash.starts_with("k1:"), "no code is left to match: {code_hash}");
    let signed = core.sign_in_participant(&code, None, Device::Own).await;
    assert!(matches!(signed, Err(CoreError::BadCredentials)), "{signed:?}");
    let hugo_name: String = sqlx::query_scalar("SELECT first_name FROM participants WHERE id = $1")
        .bind(hugo)
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(hugo_name, "Hugo", "a person still here is untouched");
    assert_eq!(figures(&app).await, before, "the figures count the same attendances");

    let still = core.roster(&admin, session).await.unwrap().seal.unwrap();
    assert!(still.intact && still.reopened.is_none(), "the sheet's seal still holds once anonymised");
    assert_eq!(still.content_hash, seal.content_hash);
    let names: Vec<String> =
        core.roster(&admin, session).await.unwrap().confirmed.iter().map(|l| l.person.first_name.clone()).collect();
    assert!(names.contains(&"Personne".to_string()) && !names.contains(&"Amina".to_string()), "{names:?}");
    let said: String = sqlx::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'participant_anonymised' AND participant_id = $1 AND actor = 'system'",
    )
    .bind(amina)
    .fetch_one(&app.sql)
    .await
    .unwrap();
    assert_eq!(said, "durée de conservation");
}

async fn audit_entries_older_than_kept_are_deleted_and_the_deletion_is_recorded(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    app.participant(lille, "Amina").await;
    let count = || async {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log").fetch_one(&app.sql).await.unwrap();
        n
    };
    let clock = Clock::system();
    let core = app.core.with_clock(clock.clone());
    clock.advance(Duration::days(300));
    assert_eq!(core.apply_retention().await.unwrap().audit_entries_deleted, 0, "ten months: kept");
    let all = count().await;
    assert!(all > 0);
    clock.advance(Duration::days(70));
    let pass = core.apply_retention().await.unwrap();
    assert_eq!(pass.audit_entries_deleted as i64, all, "every entry older than twelve months");
    let left: Vec<(String, String)> =
        sqlx::query_as("SELECT action, details FROM audit_log ORDER BY id").fetch_all(&app.sql).await.unwrap();
    assert_eq!(left, [("audit_trimmed".to_string(), format!("count:{all} months:12"))]);
}

async fn a_coordinator_erases_a_persons_data_on_request_their_seats_go_to_people_waiting(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let (lille, douai) = (app.structure("Tremplin Lille").await, app.structure("Tremplin Douai").await);
    let claire = app.cip("claire@lille.fr", lille).await;
    let lea = app.staff("lea@lille.fr", Role::Coordinator, Some(lille)).await;
    let paul = app.staff("paul@douai.fr", Role::Coordinator, Some(douai)).await;
    let (amina, code) = app.participant(lille, "Amina").await;
    let (hugo, _) = app.participant(lille, "Hugo").await;
    let session = app.session(&claire.api, lille, Duration::days(3), 1, json!({})).await["id"].as_i64().unwrap();
    let admin = app.admin_actor();
    app.core.enrol(&admin, session, amina, Request::Normal).await.unwrap();
    app.core.enrol(&admin, session, hugo, Request::Normal).await.unwrap();

    let by_cip = app.core.erase_participant(&staff(claire.id, Role::Cip, lille), amina).await;
    assert!(matches!(by_cip, Err(CoreError::Forbidden)), "a CIP passes the request on: {by_cip:?}");
    let elsewhere = app.core.erase_participant(&staff(paul.id, Role::Coordinator, douai), amina).await;
    assert!(matches!(elsewhere, Err(CoreError::NotFound(_))), "another structure's person is not there: {elsewhere:?}");

    let coordinator = staff(lea.id, Role::Coordinator, lille);
    app.core.erase_participant(&coordinator, amina).await.unwrap();
    let record = app.core.participant_record(&coordinator, amina).await.unwrap();
    assert!(record.entry.anonymised && !record.entry.active);
    assert_eq!((record.entry.first_name.as_str(), record.entry.last_name.as_str()), ("Personne", "anonymisée"));
    let seated: Vec<(i64, String)> =
        sqlx::query_as("SELECT participant_id, status FROM enrolments WHERE session_id = $1 ORDER BY participant_id")
            .bind(session)
            .fetch_all(&app.sql)
            .await
            .unwrap();
    assert_eq!(
        seated,
        [(amina, "cancelled_by_staff".to_string()), (hugo, "confirmed".to_string())],
        "her seat went to Hugo"
    );
    let signed = app.core.sign_in_participant(&code, None, Device::Own).await;
    assert!(matches!(signed, Err(CoreError::BadCredentials)), "{signed:?}");
    let twice = app.core.erase_participant(&coordinator, amina).await;
    assert!(matches!(twice, Err(CoreError::Conflict { code: ErrorCode::AlreadyAnonymised, .. })), "{twice:?}");
    let said: (String, String) = sqlx::query_as(
        "SELECT actor, details FROM audit_log WHERE action = 'participant_anonymised' AND participant_id = $1",
    )
    .bind(amina)
    .fetch_one(&app.sql)
    .await
    .unwrap();
    assert_eq!(said, (format!("user:{}", lea.id), "à sa demande".to_string()));
}

async fn the_reasons_written_about_a_person_leave_the_journal_when_they_are_anonymised(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let lea = app.staff("lea@lille.fr", Role::Coordinator, Some(lille)).await;
    let (amina, _) = app.participant(lille, "Amina").await;
    let (hugo, _) = app.participant(lille, "Hugo").await;
    let session = app.session(&app.admin, lille, Duration::days(3), 1, json!({})).await["id"].as_i64().unwrap();
    let admin = app.admin_actor();
    app.core.enrol(&admin, session, hugo, Request::Normal).await.unwrap();
    app.core.overbook(&admin, session, amina, "sort de détention, vient avec sa conseillère").await.unwrap();
    let journal = |person: i64| {
        let sql = app.sql.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT details FROM audit_log WHERE participant_id = $1 ORDER BY id")
                .bind(person)
                .fetch_all(&sql)
                .await
                .unwrap()
                .join(" | ")
        }
    };
    assert!(journal(amina).await.contains("détention"), "the reason is kept while she is known");

    app.core.erase_participant(&staff(lea.id, Role::Coordinator, lille), amina).await.unwrap();
    let kept = journal(amina).await;
    assert!(!kept.contains("détention") && !kept.contains("conseillère"), "{kept}");
    assert!(kept.contains("confirmed"), "the overbooking itself stays: {kept}");
}

async fn a_copy_of_a_persons_data_is_for_their_coordinator_as_json_and_as_an_inert_page(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let claire = app.cip("claire@lille.fr", lille).await;
    app.staff("lea@lille.fr", Role::Coordinator, Some(lille)).await;
    let (amina, _) = app.participant(lille, "Amina").await;
    sqlx::query("UPDATE participants SET last_name = '<script>alert(1)</script>' WHERE id = $1")
        .bind(amina)
        .execute(&app.sql)
        .await
        .unwrap();
    let session = app.session(&claire.api, lille, Duration::days(3), 5, json!({"title": "Atelier CV"})).await;
    app.core.enrol(&app.admin_actor(), session["id"].as_i64().unwrap(), amina, Request::Normal).await.unwrap();
    let cookie = |email: &'static str| {
        let base = app.base.clone();
        async move {
            sign_in_by_form(&base, "/fn/sign_in_staff", &[("email", email), ("password", "motdepasse-test")]).await
        }
    };
    let get = |path: String, cookie: String| {
        let base = app.base.clone();
        async move { client().get(format!("{base}{path}")).header("cookie", cookie).send().await.unwrap() }
    };
    let lea = cookie("lea@lille.fr").await;
    let json_copy = get(format!("/equipe/participants/{amina}/donnees.json"), lea.clone()).await;
    assert_eq!(json_copy.status(), 200);
    assert_eq!(json_copy.headers()["cache-control"], "private, no-store");
    let copy: Value = json_copy.json().await.unwrap();
    assert_eq!(copy["personne"]["prenom"], "Amina");
    assert_eq!(copy["seances"][0]["titre"], "Atelier CV");
    assert!(copy["journal"].as_array().unwrap().iter().any(|e| e["action"] == "une inscription"), "{copy}");

    let page = get(format!("/equipe/participants/{amina}/donnees.html"), lea).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Vos données dans Toile") && html.contains("Atelier CV"), "{html}");
    assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"), "names are written inert: {html}");

    let by_cip = get(format!("/equipe/participants/{amina}/donnees.json"), cookie("claire@lille.fr").await).await;
    assert_eq!(by_cip.status(), 403, "a CIP passes the request on to the coordinator");
    let copies: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'personal_data_copied' AND participant_id = $1",
    )
    .bind(amina)
    .fetch_one(&app.sql)
    .await
    .unwrap();
    assert_eq!(copies, 2, "each copy handed over is recorded");
}

async fn messages_to_participants_are_deleted_once_older_than_the_journal(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let session =
        app.session(&app.admin, lille, Duration::days(3), 1, serde_json::json!({})).await["id"].as_i64().unwrap();
    let mut people = vec![];
    for name in ["Amina", "Bilal"] {
        let person = toile_server::core::NewParticipant {
            first_name: name.into(),
            last_name: "Test".into(),
            structure_id: lille,
            referent_id: None,
            phone: None,
            email: Some(format!("{name}@exemple.fr")),
        };
        let id = app.core.register_participant(&tests::fixtures::OPERATOR, person).await.unwrap().0.id;
        app.core.enrol(&app.admin_actor(), session, id, Request::Normal).await.unwrap();
        people.push(id);
    }
    // Amina cancels: Bilal gets the seat and an e-mail, sent; then the session is cancelled and
    // its notice stays queued (nobody sends it here).
    app.core.unenrol(&app.admin_actor(), session, people[0]).await.unwrap();
    toile_server::notify::deliver_due(&app.core, &toile_server::notify::Senders::log()).await.unwrap();
    app.core.cancel_session(&app.admin_actor(), session, None).await.unwrap();
    let clock = Clock::system();
    let core = app.core.with_clock(clock.clone());
    clock.advance(Duration::days(300));
    assert_eq!(core.apply_retention().await.unwrap().messages_deleted, 0, "ten months: kept");
    clock.advance(Duration::days(70));
    assert_eq!(core.apply_retention().await.unwrap().messages_deleted, 1, "the sent one, older than the journal");
    let left: Vec<String> = sqlx::query_scalar("SELECT status FROM outbox").fetch_all(&app.sql).await.unwrap();
    assert_eq!(left, ["queued"], "a message still to send is never deleted");
}
