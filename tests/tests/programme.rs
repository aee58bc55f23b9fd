//! The programme's rules, through the API and the core, on SQLite and PostgreSQL: cancelling
//! with a reason, who may cancel, duplicating, changing a series from one session on, what the
//! programme marks, and a staff member's desk.

use chrono::{Duration, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use serde_json::json;
use tests::{TestApp, TestDb, on_every_backend};
use toile_server::core::{Device, ProgrammeFilter, SeriesScope, SessionPatch};
use toile_shared::enrolment::Request;

on_every_backend!(
    a_cancellation_reason_is_kept_and_shown_to_the_people_enrolled,
    a_co_facilitator_from_another_structure_edits_but_does_not_cancel,
    a_published_session_with_people_in_it_does_not_go_back_to_draft,
    a_session_is_duplicated_to_another_day_without_its_enrolments,
    a_change_to_this_and_the_following_sessions_keeps_their_paris_time_across_the_clock_change,
    a_new_time_is_flagged_on_the_cards_of_the_people_enrolled,
    the_programme_marks_sessions_at_risk_and_full_ones_and_filters_by_facilitator,
    a_staff_home_shows_their_sessions_their_drafts_and_free_seats_with_people_waiting,
    the_programme_of_a_structure_holds_what_it_organises_and_what_its_staff_co_facilitate,
);

async fn a_cancellation_reason_is_kept_and_shown_to_the_people_enrolled(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let session = app.session(&app.admin, lille, Duration::days(3), 5, json!({})).await;
    let (amina, code) = app.participant(lille, "Amina").await;
    app.admin.post(&format!("/sessions/{}/enrolments", session["id"]), json!({"participant_id": amina})).await;
    let reason = "L'intervenante est malade : la séance est reportée.";
    let (status, cancelled) =
        app.admin.post(&format!("/sessions/{}/cancel", session["id"]), json!({"reason": reason})).await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["cancel_reason"], reason);
    let signed = app.core.sign_in_participant(&code, None, Device::Own).await.unwrap();
    let seen = app.core.participant_session(&signed.actor, session["id"].as_i64().unwrap()).await.unwrap();
    assert_eq!(seen.session.cancel_reason.as_deref(), Some(reason), "the participant reads why");
    // No body at all is a cancellation without a reason.
    let other = app.session(&app.admin, lille, Duration::days(4), 5, json!({})).await;
    let response = app
        .admin
        .client
        .post(format!("{}/sessions/{}/cancel", app.admin.base, other["id"]))
        .bearer_auth(&app.admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let (status, _) =
        app.admin.post(&format!("/sessions/{}/cancel", other["id"]), json!({"reason": "x".repeat(501)})).await;
    assert_eq!(status, 422, "a reason fits in 500 characters");
}

async fn a_co_facilitator_from_another_structure_edits_but_does_not_cancel(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let roubaix = app.structure("Roubaix").await;
    let organiser = app.cip("cip@lille.fr", lille).await;
    let partner = app.cip("cip@roubaix.fr", roubaix).await;
    let session = app
        .session(&organiser.api, lille, Duration::days(3), 5, json!({"facilitator_ids": [organiser.id, partner.id]}))
        .await;
    let path = format!("/sessions/{}", session["id"]);
    let (status, changed) = partner.api.patch(&path, json!({"title": "Atelier CV, à deux voix"})).await;
    assert_eq!((status.as_u16(), changed["title"].as_str()), (200, Some("Atelier CV, à deux voix")));
    let (status, _) = partner.api.post(&format!("{path}/cancel"), json!({})).await;
    assert_eq!(status, 403, "a co-facilitator of another structure does not cancel");
    let (status, _) = partner.api.patch(&path, json!({"status": "draft"})).await;
    assert_eq!(status, 403, "nor withdraws it into a draft");
    let (status, _) = organiser.api.post(&format!("{path}/cancel"), json!({})).await;
    assert_eq!(status, 200);
}

async fn a_published_session_with_people_in_it_does_not_go_back_to_draft(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let session = app.session(&app.admin, lille, Duration::days(3), 5, json!({})).await;
    let path = format!("/sessions/{}", session["id"]);
    let (amina, _) = app.participant(lille, "Amina").await;
    app.admin.post(&format!("{path}/enrolments"), json!({"participant_id": amina})).await;
    let (status, body) = app.admin.patch(&path, json!({"status": "draft"})).await;
    assert_eq!((status.as_u16(), body["error"]["code"].as_str()), (409, Some("session_has_enrolments")));
    let empty = app.session(&app.admin, lille, Duration::days(4), 5, json!({})).await;
    let (status, body) = app.admin.patch(&format!("/sessions/{}", empty["id"]), json!({"status": "draft"})).await;
    assert_eq!((status.as_u16(), body["status"].as_str()), (200, Some("draft")), "an empty one may");
}

async fn a_session_is_duplicated_to_another_day_without_its_enrolments(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let session = app.session(&app.admin, lille, Duration::days(3), 5, json!({"title": "Atelier à refaire"})).await;
    let (amina, _) = app.participant(lille, "Amina").await;
    app.admin.post(&format!("/sessions/{}/enrolments", session["id"]), json!({"participant_id": amina})).await;
    let day = (Utc::now() + Duration::days(20)).with_timezone(&Paris).date_naive();
    let (status, copy) =
        app.admin.post(&format!("/sessions/{}/duplicate", session["id"]), json!({"date": day.to_string()})).await;
    assert_eq!(status, 201, "{copy}");
    assert_ne!(copy["id"], session["id"]);
    assert_eq!((copy["title"].as_str(), copy["seats_taken"].as_i64()), (Some("Atelier à refaire"), Some(0)));
    assert_eq!(&copy["starts_at"].as_str().unwrap()[..10], day.to_string(), "on the day asked");
    assert_eq!(
        copy["starts_at"].as_str().unwrap()[11..16],
        session["starts_at"].as_str().unwrap()[11..16],
        "same time"
    );
    let (status, _) = app.admin.post(&format!("/sessions/{}/duplicate", session["id"]), json!({"date": "hier"})).await;
    assert_eq!(status, 422);
}

async fn a_change_to_this_and_the_following_sessions_keeps_their_paris_time_across_the_clock_change(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    // Tuesdays at 9:00 in Paris from 16 March 2027; Paris moves to summer time on 28 March.
    let first = Paris.with_ymd_and_hms(2027, 3, 16, 9, 0, 0).unwrap().with_timezone(&Utc);
    let mut body = tests::fixtures::session_body(lille, first, 8);
    body["weekly_occurrences"] = json!(4);
    let (status, created) = app.admin.post("/sessions", body).await;
    assert_eq!(status, 201, "{created}");
    let (_, all) = app.admin.get(&format!("/sessions?structure_id={lille}")).await;
    let ids: Vec<i64> = all.as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 4);
    // The second one moves to 10:00, and the ones after it with it.
    let second = &all[1];
    let new_start = Paris.with_ymd_and_hms(2027, 3, 23, 10, 0, 0).unwrap().with_timezone(&Utc);
    let (status, moved) = app
        .admin
        .patch(
            &format!("/sessions/{}?series=this_and_following", second["id"]),
            json!({"starts_at": new_start.to_rfc3339(), "ends_at": (new_start + Duration::hours(2)).to_rfc3339(), "title": "Atelier CV du mardi"}),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    let (_, all) = app.admin.get(&format!("/sessions?structure_id={lille}")).await;
    let local = |s: &serde_json::Value| {
        let at = chrono::DateTime::parse_from_rfc3339(s["starts_at"].as_str().unwrap()).unwrap();
        at.with_timezone(&Paris).format("%d/%m %H:%M").to_string()
    };
    let seen: Vec<(String, &str)> =
        all.as_array().unwrap().iter().map(|s| (local(s), s["title"].as_str().unwrap())).collect();
    assert_eq!(
        seen,
        [
            ("16/03 09:00".to_string(), "Atelier CV"),
            ("23/03 10:00".to_string(), "Atelier CV du mardi"),
            ("30/03 10:00".to_string(), "Atelier CV du mardi"),
            ("06/04 10:00".to_string(), "Atelier CV du mardi"),
        ]
    );
    // "This session only" leaves the others alone.
    let patch = SessionPatch { title: Some("Dernier atelier".into()), ..Default::default() };
    app.core.update_session(&app.admin_actor(), ids[3], patch, SeriesScope::ThisSession).await.unwrap();
    let (_, third) = app.admin.get(&format!("/sessions/{}", ids[2])).await;
    assert_eq!(third["title"], "Atelier CV du mardi");
}

async fn a_new_time_is_flagged_on_the_cards_of_the_people_enrolled(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let session = app.session(&app.admin, lille, Duration::days(3), 5, json!({})).await;
    let id = session["id"].as_i64().unwrap();
    let (amina, code) = app.participant(lille, "Amina").await;
    app.core.enrol(&app.admin_actor(), id, amina, Request::Normal).await.unwrap();
    let amina_actor = app.core.sign_in_participant(&code, None, Device::Own).await.unwrap().actor;
    assert!(!app.core.participant_session(&amina_actor, id).await.unwrap().schedule_changed);
    app.core.clock().advance(Duration::seconds(5));
    app.admin.patch(&format!("/sessions/{id}"), json!({"title": "Un autre titre"})).await;
    assert!(!app.core.participant_session(&amina_actor, id).await.unwrap().schedule_changed, "a title is not a time");
    let later = Utc::now() + Duration::days(3) + Duration::hours(1);
    let (status, _) = app
        .admin
        .patch(
            &format!("/sessions/{id}"),
            json!({"starts_at": later.to_rfc3339(), "ends_at": (later + Duration::hours(2)).to_rfc3339()}),
        )
        .await;
    assert_eq!(status, 200);
    assert!(app.core.participant_session(&amina_actor, id).await.unwrap().schedule_changed);
}

async fn the_programme_marks_sessions_at_risk_and_full_ones_and_filters_by_facilitator(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let cip = app.cip("cip@lille.fr", lille).await;
    let soon_empty = app.session(&cip.api, lille, Duration::days(2), 10, json!({"title": "Bientôt et vide"})).await;
    let full = app.session(&app.admin, lille, Duration::days(10), 1, json!({"title": "Complet"})).await;
    for name in ["Amina", "Kevin"] {
        let (id, _) = app.participant(lille, name).await;
        app.admin.post(&format!("/sessions/{}/enrolments", full["id"]), json!({"participant_id": id})).await;
    }
    let entries = app.core.programme(&app.admin_actor(), &ProgrammeFilter::default()).await.unwrap();
    let entry = |id: &serde_json::Value| entries.iter().find(|e| e.session.id == id.as_i64().unwrap()).unwrap();
    assert!(entry(&soon_empty["id"]).at_risk, "under half full two days before");
    assert!(!entry(&full["id"]).at_risk);
    assert!(entry(&full["id"]).full_with_waitlist);
    assert_eq!(entry(&full["id"]).organiser_name, "Lille");
    let filter = ProgrammeFilter { facilitator: Some(cip.id), ..Default::default() };
    let theirs = app.core.programme(&app.admin_actor(), &filter).await.unwrap();
    assert_eq!(theirs.iter().map(|e| e.session.title.as_str()).collect::<Vec<_>>(), ["Bientôt et vide"]);
}

async fn a_staff_home_shows_their_sessions_their_drafts_and_free_seats_with_people_waiting(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let roubaix = app.structure("Roubaix").await;
    let cip = app.cip("cip@lille.fr", lille).await;
    let next = app.session(&cip.api, lille, Duration::days(1), 4, json!({"title": "Demain"})).await;
    let draft =
        app.session(&cip.api, lille, Duration::days(9), 4, json!({"title": "À finir", "status": "draft"})).await;
    // Two seats, one kept for Roubaix: a Lille person waits while that seat is free.
    let release = (Utc::now() + Duration::days(5)).to_rfc3339();
    let reserved = app
        .session(
            &cip.api,
            lille,
            Duration::days(8),
            2,
            json!({"title": "Places gardées", "reserved_seats": [{"structure_id": roubaix, "seats": 1}], "reserved_until": release}),
        )
        .await;
    for name in ["Amina", "Kevin"] {
        let (id, _) = app.participant(lille, name).await;
        cip.api.post(&format!("/sessions/{}/enrolments", reserved["id"]), json!({"participant_id": id})).await;
    }
    let actor = app.core.actor_for_api_token(&cip.api.token).await.unwrap();
    let home = app.core.staff_home(&actor).await.unwrap();
    let titles =
        |list: &[toile_server::core::ProgrammeEntry]| list.iter().map(|e| e.session.title.clone()).collect::<Vec<_>>();
    assert_eq!(titles(&home.soon), ["Demain"]);
    assert!(titles(&home.next).contains(&"Demain".to_string()));
    assert_eq!(titles(&home.drafts), ["À finir"]);
    assert_eq!(titles(&home.seats_and_waiting), ["Places gardées"]);
    let _ = (next, draft);
}

async fn the_programme_of_a_structure_holds_what_it_organises_and_what_its_staff_co_facilitate(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let roubaix = app.structure("Roubaix").await;
    let tourcoing = app.structure("Tourcoing").await;
    let lille_cip = app.cip("cip@lille.fr", lille).await;
    let roubaix_cip = app.cip("cip@roubaix.fr", roubaix).await;
    let together = json!({"title": "À deux voix", "facilitator_ids": [lille_cip.id, roubaix_cip.id]});
    app.session(&lille_cip.api, lille, Duration::days(3), 5, together).await;
    app.session(&lille_cip.api, lille, Duration::days(4), 5, json!({"title": "Lille seule"})).await;
    app.session(&roubaix_cip.api, roubaix, Duration::days(5), 5, json!({"title": "Roubaix seule"})).await;
    app.session(&app.admin, tourcoing, Duration::days(6), 5, json!({"title": "Tourcoing"})).await;
    let titles = |structure| {
        let filter = ProgrammeFilter { structure: Some(structure), ..Default::default() };
        let core = app.core.clone();
        let actor = app.admin_actor();
        async move {
            core.programme(&actor, &filter).await.unwrap().into_iter().map(|e| e.session.title).collect::<Vec<_>>()
        }
    };
    assert_eq!(titles(roubaix).await, ["À deux voix", "Roubaix seule"]);
    assert_eq!(titles(lille).await, ["À deux voix", "Lille seule"]);
    assert_eq!(titles(tourcoing).await, ["Tourcoing"]);
}
