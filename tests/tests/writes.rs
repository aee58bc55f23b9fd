//! Every write goes through one transaction path: a change and its audit entry land together or
//! not at all, and on SQLite writers queue instead of failing on the busy timeout.

use chrono::Duration;
use serde_json::json;
use tests::{Store, TestApp, TestDb, on_every_backend};
use toile_server::core::{CoreError, Device, NewParticipant};
use toile_shared::enrolment::Request;

on_every_backend!(
    a_sign_in_and_its_audit_entry_are_written_together,
    a_registration_and_its_audit_entry_are_written_together,
    enrolling_into_a_draft_answers_404_like_reading_it,
    a_write_refused_halfway_leaves_the_database_free_for_the_next_one,
);

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&app.sql).await.unwrap()
}

/// Makes every audit write fail, as a full disk or a lost table would.
async fn break_the_audit_trail(app: &TestApp) {
    sqlx::query("ALTER TABLE audit_log RENAME TO audit_log_unreachable").execute(&app.sql).await.unwrap();
}

async fn a_sign_in_and_its_audit_entry_are_written_together(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let (_, code) = app.participant(lille, "Amina").await;
    let before = count(&app, "auth_sessions").await;
    break_the_audit_trail(&app).await;
    let failed = app.core.sign_in_participant(&code, None, Device::Own).await;
    assert!(matches!(failed, Err(CoreError::Internal(_))), "{failed:?}");
    assert_eq!(count(&app, "auth_sessions").await, before, "no sign-in without its audit entry");
}

async fn a_registration_and_its_audit_entry_are_written_together(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let before = count(&app, "participants").await;
    break_the_audit_trail(&app).await;
    let new = NewParticipant {
        first_name: "Amina".into(),
        last_name: "Benali".into(),
        structure_id: lille,
        referent_id: None,
        phone: None,
        email: None,
    };
    let failed = app.core.register_participant(&app.admin_actor(), new).await;
    assert!(matches!(failed, Err(CoreError::Internal(_))), "{failed:?}");
    assert_eq!(count(&app, "participants").await, before, "no participant without the audit entry");
}

async fn enrolling_into_a_draft_answers_404_like_reading_it(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let roubaix = app.structure("Roubaix").await;
    let draft = app.session(&app.admin, lille, Duration::days(3), 5, json!({"status": "draft"})).await;
    let other_cip = app.cip("cip@roubaix.fr", roubaix).await;
    let (karim, _) = app.participant(roubaix, "Karim").await;
    let (status, _) = other_cip.api.get(&format!("/sessions/{}", draft["id"])).await;
    assert_eq!(status, 404, "a draft of another structure cannot be read");
    let (status, body) =
        other_cip.api.post(&format!("/sessions/{}/enrolments", draft["id"]), json!({"participant_id": karim})).await;
    assert_eq!(status, 404, "nor enrolled into: {body}");
    let (_, code) = app.participant(lille, "Amina").await;
    let signed = app.core.sign_in_participant(&code, None, Device::Own).await.unwrap();
    let Some(amina) = signed.actor.participant_id() else { panic!("a participant") };
    let refused = app.core.enrol(&signed.actor, draft["id"].as_i64().unwrap(), amina, Request::Normal).await;
    assert!(matches!(refused, Err(CoreError::NotFound(_))), "{refused:?}");
}

/// 200 people signing in at once on SQLite: every one gets in, nobody meets a 5xx.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_200_sign_ins_on_sqlite_gives_no_server_error() {
    let _machine = tests::machine::shared().await;
    let db = TestDb::create(Store::Sqlite).await.unwrap();
    // Each sign-in from its own phone: from one address, attempts under way count against the
    // guessing limit until answered (`core/throttle.rs`).
    let config = toile_server::config::Config { behind_proxy: true, ..Default::default() };
    let app = TestApp::spawn_with(&db, config, toile_server::core::StoreOptions::default()).await;
    let lille = app.structure("Lille").await;
    let mut codes = vec![];
    for n in 0..20 {
        codes.push(app.participant(lille, &format!("P{n}")).await.1);
    }
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let attempts = (0..200).map(|n| {
        let client = client.clone();
        let url = format!("{}/fn/sign_in_participant", app.base);
        let code = codes[n % codes.len()].clone();
        async move {
            client
                .post(url)
                .header("accept", "text/html")
                .header("x-forwarded-for", format!("10.0.{}.{}", n / 250, n % 250))
                .form(&[("code", code)])
                .send()
                .await
                .map(|response| response.status().as_u16())
                .unwrap_or(0)
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    let failed: Vec<&u16> = statuses.iter().filter(|s| **s >= 500 || **s == 0).collect();
    assert!(failed.is_empty(), "{} of 200 failed: {failed:?}", failed.len());
    assert!(statuses.iter().all(|s| *s == 302 || *s == 303), "{statuses:?}");
    assert_eq!(count(&app, "auth_sessions").await, 200);
}

/// A use case refused after it began to write (attendance for someone still waiting: the
/// session's row is locked first) is rolled back before the next writer goes: on SQLite the
/// next write, on another connection, was answered "database is locked" about one time in ten.
async fn a_write_refused_halfway_leaves_the_database_free_for_the_next_one(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let admin = app.admin_actor();
    let (waiting, _) = app.participant(lille, "Karim").await;
    let id = app.session(&app.admin, lille, Duration::days(3), 1, json!({})).await["id"].as_i64().unwrap();
    let (seated, _) = app.participant(lille, "Amina").await;
    app.core.enrol(&admin, id, seated, Request::Normal).await.unwrap();
    app.core.enrol(&admin, id, waiting, Request::Normal).await.unwrap();
    for round in 0..100 {
        let refused = app.core.set_attendance(&admin, id, waiting, toile_shared::Attendance::Present).await;
        assert!(matches!(refused, Err(CoreError::Conflict { .. })), "{refused:?}");
        // A write that reads before it writes: SQLite cannot make it wait for the lock.
        let person = NewParticipant {
            first_name: format!("Personne {round}"),
            last_name: "Test".into(),
            structure_id: lille,
            referent_id: None,
            phone: None,
            email: None,
        };
        let next = app.core.register_participant(&tests::fixtures::OPERATOR, person).await;
        assert!(next.is_ok(), "round {round}: the next write failed: {next:?}");
    }
}
