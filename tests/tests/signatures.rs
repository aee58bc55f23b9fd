//! Signatures drawn with a finger on the sign-in sheet: only a present person signs, a changed
//! mark takes the signature off, the seal covers signatures, anonymising removes them, and the
//! PDF and CSV show them — through the page's server function, on both backends.

use chrono::Duration;
use serde_json::json;
use tests::http::{get_as, sign_in_by_form, text_as, without_redirects as client};
use tests::{TestApp, TestDb, on_every_backend};
use toile_server::core::{CoreError, SheetSigner};
use toile_shared::ErrorCode;
use toile_shared::authz::Actor;
use toile_shared::enrolment::Request;
use toile_shared::signature::{MAX_POINTS, Signature};
use toile_shared::{Attendance, Role};

on_every_backend!(
    a_present_person_signs_on_the_phone_and_the_pdf_and_csv_show_it,
    only_a_present_person_signs_and_a_changed_mark_takes_the_signature_off,
    a_signature_is_checked_before_it_is_kept,
    the_seal_covers_signatures_and_signing_a_closed_sheet_reopens_it,
    anonymising_a_person_removes_their_signature_and_the_seal_still_holds,
);

/// A signature as a finger draws one: a zigzag across the box.
fn zigzag(points: u32) -> String {
    let mut signature = Signature::new();
    signature.start(5.0, 50.0);
    for i in 1..points {
        signature.extend(5.0 + f64::from(i) * 290.0 / f64::from(points), if i % 2 == 0 { 20.0 } else { 80.0 });
    }
    signature.path()
}

struct Day {
    app: TestApp,
    session: i64,
    amina: i64,
    hugo: i64,
    facilitator: Actor,
}

/// A session of Tremplin run by Claire, with Amina and Hugo enrolled.
async fn day(db: &TestDb) -> Day {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let claire = app.cip("claire@test.fr", a).await;
    let (amina, _) = app.participant(a, "Amina").await;
    let (hugo, _) = app.participant(a, "Hugo").await;
    let body = json!({"facilitator_ids": [claire.id], "title": "Atelier CV du mardi"});
    let session = app.session(&app.admin, a, Duration::days(1), 6, body).await["id"].as_i64().unwrap();
    for person in [amina, hugo] {
        app.core.enrol(&app.admin_actor(), session, person, Request::Normal).await.unwrap();
    }
    let facilitator = Actor::Staff { user_id: claire.id, role: Role::Cip, structure_id: Some(a) };
    Day { app, session, amina, hugo, facilitator }
}

async fn a_present_person_signs_on_the_phone_and_the_pdf_and_csv_show_it(db: &TestDb) {
    let Day { app, session, amina, facilitator, .. } = day(db).await;
    app.core.set_attendance(&facilitator, session, amina, Attendance::Present).await.unwrap();
    let cookie = sign_in_by_form(
        &app.base,
        "/fn/sign_in_staff",
        &[("email", "claire@test.fr"), ("password", "motdepasse-test")],
    )
    .await;
    let sign = |participant: Option<i64>, strokes: String| {
        let mut form = vec![("session_id", session.to_string()), ("strokes", strokes)];
        form.extend(participant.map(|p| ("participant", p.to_string())));
        client()
            .post(format!("{}/fn/sign_sheet", app.base))
            .header("cookie", &cookie)
            .header("origin", &app.base)
            .header("accept", "application/json")
            .form(&form)
            .send()
    };
    // The largest signature a phone sends goes through its route's body limit.
    let largest = zigzag(MAX_POINTS as u32);
    let answer = sign(Some(amina), largest.clone()).await.unwrap();
    assert_eq!(answer.status(), 200, "{:?}", answer.text().await);
    let mark: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(mark["path"], largest.as_str(), "the signature comes back as stored");
    // Signing again replaces it; the facilitator signs for themselves.
    let answer = sign(Some(amina), zigzag(40)).await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(sign(None, zigzag(30)).await.unwrap().status(), 200);
    let signatures: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM signatures").fetch_one(&app.sql).await.unwrap();
    assert_eq!(signatures, 2, "one per signer");

    let page = text_as(&format!("{}/equipe/seances/{session}/presences", app.base), &cookie).await;
    assert!(page.contains(&format!("<path d=\"{}\"", zigzag(40))), "the signature is drawn back: {page}");

    let pdf = get_as(&format!("{}/equipe/seances/{session}/emargement.pdf", app.base), &cookie).await;
    let pdf = pdf.bytes().await.unwrap();
    let text = tests::pdf::text(&pdf);
    let time = toile_server::web::french::time(chrono::Utc::now()).replace('\u{a0}', " ");
    let hour = time.split(" h ").next().unwrap().to_string();
    assert!(text.contains("signé ") && text.contains(&format!("{hour} h")), "the row says when they signed:\n{text}");
    assert!(text.contains("claire@test.fr, "), "the facilitator's signature is named:\n{text}");

    let csv = text_as(&format!("{}/equipe/seances/{session}/emargement.csv", app.base), &cookie).await;
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].ends_with(";Surnombre;Signature"), "{csv}");
    assert!(lines.iter().any(|l| l.contains(";Amina;Tremplin;Présent·e;non;signée à ")), "{csv}");
    assert!(lines.iter().any(|l| l.contains(";Hugo;Tremplin;;non;")), "{csv}");
}

async fn only_a_present_person_signs_and_a_changed_mark_takes_the_signature_off(db: &TestDb) {
    let Day { app, session, amina, hugo, facilitator } = day(db).await;
    let core = &app.core;
    let signer = SheetSigner::Participant(hugo);
    let unsaid = core.sign_sheet(&facilitator, session, signer, &zigzag(30)).await;
    assert!(matches!(unsaid, Err(CoreError::Conflict { code: ErrorCode::NotPresent, .. })), "{unsaid:?}");
    core.set_attendance(&facilitator, session, hugo, Attendance::Absent).await.unwrap();
    let absent = core.sign_sheet(&facilitator, session, signer, &zigzag(30)).await;
    assert!(matches!(absent, Err(CoreError::Conflict { code: ErrorCode::NotPresent, .. })), "{absent:?}");

    core.set_attendance(&facilitator, session, amina, Attendance::Present).await.unwrap();
    let signed = core.sign_sheet(&facilitator, session, SheetSigner::Participant(amina), &zigzag(30)).await.unwrap();
    let line = |roster: &toile_server::core::Roster| {
        roster.confirmed.iter().find(|l| l.person.participant_id == amina).cloned()
    };
    let roster = core.roster(&facilitator, session).await.unwrap();
    assert_eq!(line(&roster).unwrap().signature.unwrap().path, signed.path);
    let logged: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'signed' AND participant_id = $1")
            .bind(amina)
            .fetch_one(&app.sql)
            .await
            .unwrap();
    assert_eq!(logged, 1, "the trail says who signed, not the strokes");

    // Marked excused after all: the signature goes, and does not come back with "present".
    core.set_attendance(&facilitator, session, amina, Attendance::Excused).await.unwrap();
    core.set_attendance(&facilitator, session, amina, Attendance::Present).await.unwrap();
    let roster = core.roster(&facilitator, session).await.unwrap();
    assert!(line(&roster).unwrap().signature.is_none(), "a signature says the person was there");

    // Only whoever takes attendance collects signatures.
    let b = app.structure("Envol").await;
    let stranger = app.cip("autre@test.fr", b).await;
    let stranger = Actor::Staff { user_id: stranger.id, role: Role::Cip, structure_id: Some(b) };
    let refused = core.sign_sheet(&stranger, session, SheetSigner::Participant(amina), &zigzag(30)).await;
    assert!(matches!(refused, Err(CoreError::Forbidden)), "{refused:?}");
    let refused = core.sign_sheet(&stranger, session, SheetSigner::Myself, &zigzag(30)).await;
    assert!(matches!(refused, Err(CoreError::Forbidden)), "{refused:?}");
}

async fn a_signature_is_checked_before_it_is_kept(db: &TestDb) {
    let Day { app, session, amina, facilitator, .. } = day(db).await;
    app.core.set_attendance(&facilitator, session, amina, Attendance::Present).await.unwrap();
    let signer = SheetSigner::Participant(amina);
    for (strokes, message) in [
        ("M10 10 12 11", "La signature est vide"),
        ("", "La signature est vide"),
        ("M10 10 20 20<script>alert(1)</script>", "n'a pas pu être lue"),
        ("M10 10 900 20", "n'a pas pu être lue"),
    ] {
        let refused = app.core.sign_sheet(&facilitator, session, signer, strokes).await;
        match refused {
            Err(CoreError::Invalid(fields)) => assert!(fields[0].message.contains(message), "{strokes}: {fields:?}"),
            other => panic!("{strokes}: {other:?}"),
        }
    }
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM signatures").fetch_one(&app.sql).await.unwrap();
    assert_eq!(kept, 0, "nothing refused is kept");

    // Through the page's function, the refusal says what to do, in French.
    let cookie = sign_in_by_form(
        &app.base,
        "/fn/sign_in_staff",
        &[("email", "claire@test.fr"), ("password", "motdepasse-test")],
    )
    .await;
    let refused = client()
        .post(format!("{}/fn/sign_sheet", app.base))
        .header("cookie", &cookie)
        .header("origin", &app.base)
        .header("accept", "application/json")
        .form(&[("session_id", session.to_string()), ("participant", amina.to_string()), ("strokes", "M1 1".into())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let body = refused.text().await.unwrap();
    assert!(body.contains("La signature est vide : signez dans le cadre avec le doigt."), "{body}");
}

async fn the_seal_covers_signatures_and_signing_a_closed_sheet_reopens_it(db: &TestDb) {
    let Day { app, session, amina, hugo, facilitator } = day(db).await;
    let clock = toile_server::core::Clock::system();
    clock.advance(Duration::days(1) + Duration::hours(1));
    let core = app.core.with_clock(clock);
    core.set_attendance(&facilitator, session, amina, Attendance::Present).await.unwrap();
    core.set_attendance(&facilitator, session, hugo, Attendance::Absent).await.unwrap();
    core.sign_sheet(&facilitator, session, SheetSigner::Participant(amina), &zigzag(30)).await.unwrap();
    core.sign_sheet(&facilitator, session, SheetSigner::Myself, &zigzag(20)).await.unwrap();
    let seal = core.close_sheet(&facilitator, session).await.unwrap();
    assert!(seal.intact);

    // A signature swapped behind Toile's back shows.
    sqlx::query("UPDATE signatures SET strokes = $1 WHERE participant_id = $2")
        .bind(zigzag(25))
        .bind(amina)
        .execute(&app.sql)
        .await
        .unwrap();
    assert!(!core.roster(&facilitator, session).await.unwrap().seal.unwrap().intact, "tampering is detected");
    sqlx::query("UPDATE signatures SET strokes = $1 WHERE participant_id = $2")
        .bind(zigzag(30))
        .bind(amina)
        .execute(&app.sql)
        .await
        .unwrap();
    assert!(core.roster(&facilitator, session).await.unwrap().seal.unwrap().intact);

    // Signing once closed re-opens the sheet, visibly.
    core.sign_sheet(&facilitator, session, SheetSigner::Myself, &zigzag(22)).await.unwrap();
    let seal = core.roster(&facilitator, session).await.unwrap().seal.unwrap();
    assert!(seal.reopened.is_some(), "re-opened, not silently changed");
}

async fn anonymising_a_person_removes_their_signature_and_the_seal_still_holds(db: &TestDb) {
    let Day { app, session, amina, hugo, facilitator } = day(db).await;
    let clock = toile_server::core::Clock::system();
    clock.advance(Duration::days(1) + Duration::hours(1));
    let core = app.core.with_clock(clock);
    for person in [amina, hugo] {
        core.set_attendance(&facilitator, session, person, Attendance::Present).await.unwrap();
        core.sign_sheet(&facilitator, session, SheetSigner::Participant(person), &zigzag(30)).await.unwrap();
    }
    core.close_sheet(&facilitator, session).await.unwrap();
    core.erase_participant(&app.admin_actor(), amina).await.unwrap();
    let theirs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM signatures WHERE participant_id = $1")
        .bind(amina)
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(theirs, 0, "a drawn signature is personal data");
    let others: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM signatures").fetch_one(&app.sql).await.unwrap();
    assert_eq!(others, 1, "the others' stay");
    let seal = core.roster(&facilitator, session).await.unwrap().seal.unwrap();
    assert!(seal.intact && seal.reopened.is_none(), "the sheet still reads as sealed: {seal:?}");
}
