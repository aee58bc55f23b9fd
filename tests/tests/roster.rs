//! A session's people: who may see and do what (a table, on both backends), giving a waiting
//! person a free seat by hand, overbooking with a reason, attendance through the page's forms,
//! and the sign-in sheet read back from the PDF (`pdftotext`) and the CSV.

use chrono::{Duration, Utc};
use serde_json::json;
use tests::http::{sign_in_by_form, text_as, without_redirects as client};
use tests::{TestApp, TestDb, on_every_backend};
use toile_server::core::{Core, CoreError};
use toile_shared::ErrorCode;
use toile_shared::authz::Actor;
use toile_shared::enrolment::Request;
use toile_shared::{Attendance, Role};

on_every_backend!(
    who_may_do_what_with_a_session_s_people_follows_the_permission_table,
    a_waiting_person_passed_over_is_given_a_free_seat_by_hand_and_only_a_free_one,
    overbooking_takes_a_reason_and_the_session_s_managers,
    someone_who_came_without_enrolling_is_seated_and_marked_present_even_once_started_and_full,
    a_closed_sheet_is_sealed_and_a_later_correction_reopens_it_visibly,
    the_sign_in_sheet_reads_back_with_names_attendance_and_date,
    the_enrol_list_offers_only_the_people_the_session_is_open_to,
);

/// Whether the core let the actor do it (any answer but "forbidden" means it was allowed: a
/// conflict says the rule let them try). A person the actor may not act for is not there for
/// them at all: refused as an unknown participant.
fn allowed<T>(result: Result<T, CoreError>) -> bool {
    !matches!(result, Err(CoreError::Forbidden | CoreError::NotFound("Participant")))
}

#[derive(Clone, Copy, Debug)]
enum Action {
    SeeEveryName,
    EnrolOnBehalf,
    GiveWaitingSeat,
    Overbook,
    TakeAttendance,
    PrintSheet,
}

async fn try_action(core: &Core, actor: &Actor, action: Action, session: i64, people: &People) -> bool {
    match action {
        Action::SeeEveryName => core.roster(actor, session).await.is_ok_and(|r| r.names_of_everyone),
        Action::EnrolOnBehalf => allowed(core.enrol(actor, session, people.of_c, Request::Normal).await),
        Action::GiveWaitingSeat => allowed(core.move_from_waitlist(actor, session, people.of_a).await),
        Action::Overbook => {
            let own = match actor {
                Actor::Staff { structure_id: Some(s), .. } if *s == people.structures[1] => people.spare_b,
                Actor::Staff { structure_id: Some(s), .. } if *s == people.structures[2] => people.spare_c,
                _ => people.spare_a,
            };
            allowed(core.overbook(actor, session, own, "vient avec sa conseillère").await)
        }
        Action::TakeAttendance => allowed(core.set_attendance(actor, session, people.of_a, Attendance::Present).await),
        Action::PrintSheet => allowed(core.sign_in_sheet(actor, session).await),
    }
}

struct People {
    structures: [i64; 3],
    of_a: i64,
    of_c: i64,
    spare_a: i64,
    spare_b: i64,
    spare_c: i64,
}

async fn who_may_do_what_with_a_session_s_people_follows_the_permission_table(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let core = &app.core;
    let (a, b, c) = (app.structure("Tremplin").await, app.structure("Envol").await, app.structure("Passerelle").await);
    let cip_a = app.cip("cip-a@test.fr", a).await;
    let facilitator_b = app.cip("anim-b@test.fr", b).await;
    let cip_b = app.cip("cip-b@test.fr", b).await;
    let coordinator_c = app.staff("coord-c@test.fr", Role::Coordinator, Some(c)).await;
    let group = app.staff("groupe@test.fr", Role::GroupCoordinator, None).await;
    let staff =
        |id: i64, role: Role, structure: Option<i64>| Actor::Staff { user_id: id, role, structure_id: structure };
    let (of_a, _) = app.participant(a, "Amina").await;
    let (of_b, _) = app.participant(b, "Bilal").await;
    let (of_c, _) = app.participant(c, "Chloé").await;
    let people = People {
        structures: [a, b, c],
        of_a,
        of_c,
        spare_a: app.participant(a, "Awa").await.0,
        spare_b: app.participant(b, "Basile").await.0,
        spare_c: app.participant(c, "Célia").await.0,
    };
    let actors = [
        ("CIP of the organising structure", staff(cip_a.id, Role::Cip, Some(a))),
        ("co-facilitator from another structure", staff(facilitator_b.id, Role::Cip, Some(b))),
        ("CIP of that structure, not facilitating", staff(cip_b.id, Role::Cip, Some(b))),
        ("coordinator of a third structure", staff(coordinator_c.id, Role::Coordinator, Some(c))),
        ("group coordinator", staff(group.id, Role::GroupCoordinator, None)),
        ("admin", app.admin_actor()),
        ("participant", Actor::Participant { participant_id: of_b, structure_id: b }),
    ];
    //                                  cip A  fac B  cip B  coord C group  admin  participant
    let table: [(Action, [bool; 7]); 6] = [
        (Action::SeeEveryName, [true, true, false, false, true, true, false]),
        (Action::EnrolOnBehalf, [false, false, false, true, true, true, false]),
        (Action::GiveWaitingSeat, [true, true, false, false, true, true, false]),
        (Action::Overbook, [true, true, false, false, true, true, false]),
        (Action::TakeAttendance, [true, true, false, false, true, true, false]),
        (Action::PrintSheet, [true, true, false, false, true, true, false]),
    ];
    for (day, (action, expected)) in (3..).zip(table) {
        // A fresh session each day for each action: what one action did never decides the next.
        let body = json!({"facilitator_ids": [facilitator_b.id]});
        let session = app.session(&cip_a.api, a, Duration::days(day), 3, body).await["id"].as_i64().unwrap();
        for person in [of_a, of_b] {
            core.enrol(&app.admin_actor(), session, person, Request::Normal).await.expect("enrolled");
        }
        for ((who, actor), expected) in actors.iter().zip(expected) {
            let got = try_action(core, actor, action, session, &people).await;
            assert_eq!(got, expected, "{action:?} by the {who}");
        }
    }
    // Staff who may not see every name see their own structure's people by name, the rest counted.
    let body = json!({"facilitator_ids": [facilitator_b.id]});
    let session = app.session(&cip_a.api, a, Duration::days(20), 3, body).await["id"].as_i64().unwrap();
    for person in [of_a, of_b] {
        core.enrol(&app.admin_actor(), session, person, Request::Normal).await.unwrap();
    }
    let roster = core.roster(&staff(cip_b.id, Role::Cip, Some(b)), session).await.unwrap();
    let names: Vec<&str> = roster.confirmed.iter().map(|line| line.person.first_name.as_str()).collect();
    assert_eq!(names, ["Bilal"], "only their structure's people by name");
    let counted: Vec<(&str, u32)> =
        roster.by_structure.iter().map(|c| (c.structure_name.as_str(), c.confirmed)).collect();
    assert_eq!(counted, [("Envol", 1), ("Tremplin", 1)], "everyone counted per structure");
}

async fn a_waiting_person_passed_over_is_given_a_free_seat_by_hand_and_only_a_free_one(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let core = &app.core;
    let admin = app.admin_actor();
    let a = app.structure("Tremplin").await;
    let (first, _) = app.participant(a, "Amina").await;
    let (second, _) = app.participant(a, "Bilal").await;
    let session = app.session(&app.admin, a, Duration::days(3), 1, json!({})).await["id"].as_i64().unwrap();
    core.enrol(&admin, session, first, Request::Normal).await.unwrap();
    core.enrol(&admin, session, second, Request::Normal).await.unwrap();
    let full = core.move_from_waitlist(&admin, session, second).await;
    assert!(matches!(full, Err(CoreError::Conflict { code: ErrorCode::NoFreeSeat, .. })), "{full:?}");
    // Bilal takes a seat at the same time elsewhere, so the freed seat passes him by…
    let other = app.session(&app.admin, a, Duration::days(3), 5, json!({})).await["id"].as_i64().unwrap();
    core.enrol(&admin, other, second, Request::Normal).await.unwrap();
    assert_eq!(core.unenrol(&admin, session, first).await.unwrap(), None, "nobody could take the seat");
    // …then he leaves the other one: the seat is free for him, and staff give it by hand.
    core.unenrol(&admin, other, second).await.unwrap();
    let seated = core.move_from_waitlist(&admin, session, second).await.expect("the free seat is his");
    assert_eq!(seated.status, toile_shared::EnrolmentStatus::Confirmed);
    let again = core.move_from_waitlist(&admin, session, second).await;
    assert!(matches!(again, Err(CoreError::Conflict { code: ErrorCode::NotWaiting, .. })), "{again:?}");
    let logged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'moved_from_waitlist'")
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(logged, 1);
}

async fn overbooking_takes_a_reason_and_the_session_s_managers(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let core = &app.core;
    let (a, b) = (app.structure("Tremplin").await, app.structure("Envol").await);
    let cip_b = app.cip("cip-b@test.fr", b).await;
    let cip_b = Actor::Staff { user_id: cip_b.id, role: Role::Cip, structure_id: Some(b) };
    let (seated, _) = app.participant(a, "Amina").await;
    let (extra, _) = app.participant(b, "Bilal").await;
    let session = app.session(&app.admin, a, Duration::days(3), 1, json!({})).await["id"].as_i64().unwrap();
    core.enrol(&app.admin_actor(), session, seated, Request::Normal).await.unwrap();
    let without_reason = core.overbook(&app.admin_actor(), session, extra, "  ").await;
    assert!(
        matches!(&without_reason, Err(CoreError::Invalid(fields)) if fields[0].field == "reason"),
        "{without_reason:?}"
    );
    let not_managing = core.overbook(&cip_b, session, extra, "vient avec sa conseillère").await;
    assert!(matches!(not_managing, Err(CoreError::Forbidden)), "the CIP of the person does not manage the session");
    let through_api = core.enrol(&cip_b, session, extra, Request::Overbook).await;
    assert!(matches!(through_api, Err(CoreError::Forbidden)), "nor through a plain enrolment with the override");
    let done = core.overbook(&app.admin_actor(), session, extra, "vient avec sa conseillère").await.unwrap();
    assert!(done.overbooked);
    let details: String = sqlx::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'enrolled_overbooking' AND participant_id = $1",
    )
    .bind(extra)
    .fetch_one(&app.sql)
    .await
    .unwrap();
    assert!(details.contains("vient avec sa conseillère"), "{details}");
}

async fn someone_who_came_without_enrolling_is_seated_and_marked_present_even_once_started_and_full(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let (a, b) = (app.structure("Tremplin").await, app.structure("Envol").await);
    let facilitator = app.cip("anim@test.fr", a).await;
    let facilitator = Actor::Staff { user_id: facilitator.id, role: Role::Cip, structure_id: Some(a) };
    let (seated, _) = app.participant(a, "Amina").await;
    let (came, _) = app.participant(a, "Hugo").await;
    let (other, _) = app.participant(b, "Bilal").await;
    let body = json!({"facilitator_ids": [match facilitator { Actor::Staff { user_id, .. } => user_id, _ => 0 }]});
    let session = app.session(&app.admin, a, Duration::days(1), 1, body).await["id"].as_i64().unwrap();
    app.core.enrol(&app.admin_actor(), session, seated, Request::Normal).await.unwrap();

    // The session has begun: enrolling is closed, a walk-in is not.
    let clock = toile_server::core::Clock::system();
    clock.advance(Duration::days(1) + Duration::minutes(10));
    let on_the_day = app.core.with_clock(clock);
    let late = on_the_day.enrol(&facilitator, session, came, Request::Normal).await;
    assert!(matches!(late, Err(CoreError::Refused(_))), "{late:?}");
    let walked_in = on_the_day.walk_in(&facilitator, session, came).await.unwrap();
    assert_eq!(walked_in.status, toile_shared::EnrolmentStatus::Confirmed);
    assert_eq!(walked_in.attendance, Attendance::Present);
    assert!(walked_in.overbooked, "the session was full: flagged over capacity");
    let seats: i64 = sqlx::query_scalar("SELECT seats_taken FROM sessions WHERE id = $1")
        .bind(session)
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(seats, 2);
    let again = on_the_day.walk_in(&facilitator, session, came).await.unwrap();
    assert_eq!(again.attendance, Attendance::Present, "twice is once");
    let seats: i64 = sqlx::query_scalar("SELECT seats_taken FROM sessions WHERE id = $1")
        .bind(session)
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(seats, 2, "no seat taken twice");
    let someone_else_s = on_the_day.walk_in(&facilitator, session, other).await;
    assert!(matches!(someone_else_s, Err(CoreError::Forbidden)), "only people of a structure they act for");
}

async fn the_sign_in_sheet_reads_back_with_names_attendance_and_date(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let (a, b) = (app.structure("Tremplin").await, app.structure("Envol").await);
    let facilitator = app.cip("anim@test.fr", a).await;
    app.cip("autre@test.fr", b).await;
    let (amina, _) = app.participant(a, "Amina").await;
    let (bilal, _) = app.participant(b, "Bilal").await;
    let starts = Utc::now() + Duration::days(2);
    let body = json!({"facilitator_ids": [facilitator.id], "title": "Atelier CV du mardi"});
    let session = app.session(&app.admin, a, Duration::days(2), 8, body).await;
    let id = session["id"].as_i64().unwrap();
    for person in [amina, bilal] {
        app.core.enrol(&app.admin_actor(), id, person, Request::Normal).await.unwrap();
    }
    let staff = |email: &'static str| {
        let base = app.base.clone();
        async move {
            sign_in_by_form(&base, "/fn/sign_in_staff", &[("email", email), ("password", "motdepasse-test")]).await
        }
    };
    let cookie = staff("anim@test.fr").await;
    // Attendance through the page's own form, as a phone without JavaScript sends it.
    let marked = client()
        .post(format!("{}/equipe/seances/{id}/presences", app.base))
        .header("cookie", &cookie)
        .header("origin", &app.base)
        .form(&[("participant", amina.to_string()), ("status", "present".into())])
        .send()
        .await
        .unwrap();
    assert_eq!(marked.status(), 303);
    assert_eq!(marked.headers()["location"], format!("/equipe/seances/{id}/presences#p-{amina}").as_str());
    let page = text_as(&format!("{}/equipe/seances/{id}/presences", app.base), &cookie).await;
    assert!(page.contains("1 présentes · 0 absentes · 0 excusées · 1 à noter, sur 2 inscrites"), "{page}");

    let pdf = client()
        .get(format!("{}/equipe/seances/{id}/emargement.pdf", app.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let disposition = pdf.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.starts_with("attachment; filename=\"emargement-seance-"), "{disposition}");
    let bytes = pdf.bytes().await.unwrap();
    // The font is subset to the glyphs used: the whole of DejaVu Sans alone weighs 740 KB.
    assert!(bytes.len() < 60_000, "a small file to send and archive: {} bytes", bytes.len());
    eprintln!("sign-in sheet for 2 people: {} bytes", bytes.len());
    let text = tests::pdf::text(&bytes);
    let day = toile_server::web::french::date_with_year(starts);
    for expected in ["Feuille d'émargement", "Atelier CV du mardi", "TEST Amina", "TEST Bilal", "Présent·e", &day] {
        assert!(text.contains(expected), "{expected:?} in the sheet:\n{text}");
    }
    assert!(text.contains("2 inscrit·e(s) · 1 présent·e(s)"), "the totals:\n{text}");
    assert!(text.contains("Feuille non close."), "where the sheet stands:\n{text}");

    let csv = client()
        .get(format!("{}/equipe/seances/{id}/emargement.csv", app.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = csv.text().await.unwrap();
    let lines: Vec<&str> = csv.strip_prefix('\u{feff}').expect("a byte-order mark for Excel").lines().collect();
    assert_eq!(lines[0], "Séance;Date;Horaire;Nom;Prénom;Structure;Présence;Surnombre;Signature");
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines.iter().any(|l| l.contains(";Test;Amina;Tremplin;Présent·e;non")), "{csv}");

    // Another structure's CIP, a stranger: no sheet.
    let other = staff("autre@test.fr").await;
    let refused =
        client().get(format!("{}/equipe/seances/{id}/emargement.pdf", app.base)).header("cookie", &other).send().await;
    assert_eq!(refused.unwrap().status(), 403);
    let stranger = client().get(format!("{}/equipe/seances/{id}/emargement.csv", app.base)).send().await.unwrap();
    assert_eq!((stranger.status().as_u16(), stranger.headers()["location"].to_str().unwrap()), (303, "/connexion"));
    // An address that names no session answers in words, once signed in; signed out, sign in first.
    for wrong in ["abc", "999999"] {
        let url = format!("{}/equipe/seances/{wrong}/emargement.pdf", app.base);
        let missing = client().get(&url).header("cookie", &cookie).send().await.unwrap();
        assert_eq!((missing.status().as_u16(), missing.text().await.unwrap()), (404, "Séance introuvable.".into()));
        assert_eq!(client().get(&url).send().await.unwrap().status(), 303);
    }
}

async fn a_closed_sheet_is_sealed_and_a_later_correction_reopens_it_visibly(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let (amina, _) = app.participant(a, "Amina").await;
    let (hugo, _) = app.participant(a, "Hugo").await;
    let session = app.session(&app.admin, a, Duration::days(1), 5, json!({})).await["id"].as_i64().unwrap();
    let admin = app.admin_actor();
    for person in [amina, hugo] {
        app.core.enrol(&admin, session, person, Request::Normal).await.unwrap();
    }
    let early = app.core.close_sheet(&admin, session).await;
    assert!(matches!(early, Err(CoreError::Conflict { code: ErrorCode::NotStarted, .. })), "{early:?}");
    let clock = toile_server::core::Clock::system();
    clock.advance(Duration::days(1) + Duration::hours(1));
    let core = app.core.with_clock(clock);
    core.set_attendance(&admin, session, amina, Attendance::Present).await.unwrap();
    let missing = core.close_sheet(&admin, session).await;
    assert!(matches!(missing, Err(CoreError::Conflict { code: ErrorCode::AttendanceMissing, .. })), "{missing:?}");
    core.set_attendance(&admin, session, hugo, Attendance::Absent).await.unwrap();
    let seal = core.close_sheet(&admin, session).await.unwrap();
    assert!(seal.intact && seal.reopened.is_none());
    assert_eq!(seal.content_hash.len(), 64);
    let logged: String = sqlx::query_scalar("SELECT details FROM audit_log WHERE action = 'sheet_sealed'")
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(logged, format!("hmac-sha256:{}", seal.content_hash), "the seal is in the audit trail");
    let twice = core.close_sheet(&admin, session).await;
    assert!(matches!(twice, Err(CoreError::Conflict { code: ErrorCode::AlreadySealed, .. })));

    // A change made behind Toile's back shows: the content no longer matches its seal.
    sqlx::query("UPDATE enrolments SET attendance = 'present' WHERE participant_id = $1")
        .bind(hugo)
        .execute(&app.sql)
        .await
        .unwrap();
    let roster = core.roster(&admin, session).await.unwrap();
    assert!(!roster.seal.as_ref().unwrap().intact, "tampering is detected");
    sqlx::query("UPDATE enrolments SET attendance = 'absent' WHERE participant_id = $1")
        .bind(hugo)
        .execute(&app.sql)
        .await
        .unwrap();
    assert!(core.roster(&admin, session).await.unwrap().seal.unwrap().intact);

    // A correction through Toile re-opens the sheet, and says so.
    core.set_attendance(&admin, session, hugo, Attendance::Excused).await.unwrap();
    let seal = core.roster(&admin, session).await.unwrap().seal.unwrap();
    assert!(seal.reopened.is_some(), "re-opened, not silently changed");
    let reopened: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'sheet_reopened'")
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(reopened, 1);
    let again = core.close_sheet(&admin, session).await.unwrap();
    assert!(again.intact && again.reopened.is_none(), "closed again over the corrected content");
    assert_ne!(again.content_hash, seal.content_hash);
}

async fn the_enrol_list_offers_only_the_people_the_session_is_open_to(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let (lille, douai) = (app.structure("Tremplin Lille").await, app.structure("Tremplin Douai").await);
    app.staff("marc@groupe.fr", Role::GroupCoordinator, None).await;
    let (amina, _) = app.participant(lille, "Amina").await;
    let (yanis, _) = app.participant(douai, "Yanis").await;
    let only_lille = json!({"audience": {"structure_ids": [lille]}});
    let id = app.session(&app.admin, lille, Duration::days(3), 5, only_lille).await["id"].as_i64().unwrap();
    let cookie = sign_in_by_form(
        &app.base,
        "/fn/sign_in_staff",
        &[("email", "marc@groupe.fr"), ("password", "motdepasse-test")],
    )
    .await;
    let page = client().get(format!("{}/equipe/seances/{id}", app.base)).header("cookie", cookie).send().await.unwrap();
    let html = page.text().await.unwrap();
    let list = html.split(r#"<select id="participant""#).nth(1).unwrap_or_else(|| panic!("{html}"));
    let list = list.split("</select>").next().unwrap();
    assert!(list.contains(&format!(r#"value="{amina}""#)), "Lille's person is offered: {list}");
    assert!(!list.contains(&format!(r#"value="{yanis}""#)), "Douai's is not: the session is not open to them: {list}");
}
