//! The JSON API and the rules behind it, through the real HTTP server, on SQLite and PostgreSQL.

use chrono::{Duration, Utc};
use serde_json::json;
use tests::{TestApp, TestDb, on_every_backend};
use toile_shared::Role;

on_every_backend!(
    the_api_requires_a_valid_bearer_token,
    me_and_structures_describe_the_caller_and_the_group,
    a_created_session_reports_its_seats_and_status,
    unreadable_json_is_a_400_and_ill_typed_json_a_422,
    an_invalid_session_is_refused_with_every_field_at_fault,
    an_unknown_session_is_a_404,
    a_cip_cannot_propose_a_session_for_another_structure,
    a_full_session_puts_people_on_the_waiting_list_in_order,
    the_same_enrolment_submitted_twice_gives_one_row,
    a_participant_outside_the_audience_is_refused,
    overlapping_sessions_cannot_both_be_confirmed,
    no_enrolment_into_a_cancelled_draft_or_closed_session,
    a_cancellation_promotes_the_first_person_waiting,
    staff_may_overbook_only_explicitly,
    attendance_is_taken_for_confirmed_people_only,
    reserved_seats_are_kept_for_their_structure_until_release,
    raising_capacity_promotes_people_waiting,
    capacity_cannot_drop_below_the_seats_taken,
    seats_reserved_for_a_structure_that_does_not_exist_are_refused,
    a_registered_participant_gets_an_access_code_that_signs_in,
    a_cip_only_sees_and_enrols_participants_of_their_structure,
    a_weekly_series_creates_one_session_per_week,
    the_openapi_document_describes_the_endpoints,
);

async fn the_api_requires_a_valid_bearer_token(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let anonymous = app.admin.with_token("not-a-token");
    let (status, body) = anonymous.get("/me").await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "unauthenticated");
    let response = reqwest::get(format!("{}/api/v1/sessions", app.base)).await.unwrap();
    assert_eq!(response.status(), 401);
}

async fn me_and_structures_describe_the_caller_and_the_group(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let cip = app.cip("cip@lille.fr", lille).await;
    let (status, me) = cip.api.get("/me").await;
    assert_eq!(status, 200);
    assert_eq!(me["role"], "cip");
    assert_eq!(me["structure_id"], lille);
    let (_, structures) = cip.api.get("/structures").await;
    assert_eq!(structures, json!([{"id": lille, "name": "Tremplin Lille", "kind": "ei"}]));
}

async fn a_created_session_reports_its_seats_and_status(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let cip = app.cip("cip@lille.fr", lille).await;
    let session = app.session(&cip.api, lille, Duration::days(3), 12, json!({})).await;
    assert_eq!(session["capacity"], 12);
    assert_eq!(session["seats_taken"], 0);
    assert_eq!(session["waitlist_count"], 0);
    assert_eq!(session["status"], "published");
    assert_eq!(session["facilitator_ids"], json!([cip.id]), "the proposer facilitates by default");
    let starts = session["starts_at"].as_str().unwrap();
    assert!(starts.ends_with("+01:00") || starts.ends_with("+02:00"), "Paris offset: {starts}");
    let (status, fetched) = cip.api.get(&format!("/sessions/{}", session["id"])).await;
    assert_eq!(status, 200);
    assert_eq!(fetched, session);
    let (_, listed) = cip.api.get(&format!("/sessions?structure_id={lille}")).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let from = (Utc::now() + Duration::days(4)).to_rfc3339().replace('+', "%2B");
    let (_, later) = cip.api.get(&format!("/sessions?from={from}")).await;
    assert_eq!(later, json!([]));
}

async fn unreadable_json_is_a_400_and_ill_typed_json_a_422(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let response = app
        .admin
        .client
        .post(format!("{}/sessions", app.admin.base))
        .bearer_auth(&app.admin.token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");
    let (status, body) = app.admin.post("/sessions", json!({"title": 3})).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["code"], "invalid");
    let (status, _) = app.admin.get("/sessions?from=yesterday").await;
    assert_eq!(status, 400);
    let (status, _) = app.admin.get("/sessions/abc").await;
    assert_eq!(status, 400);
}

async fn an_invalid_session_is_refused_with_every_field_at_fault(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let starts = Utc::now() + Duration::days(2);
    let mut body = tests::fixtures::session_body(lille, starts, 0);
    body["title"] = json!(" ");
    body["ends_at"] = json!(starts.to_rfc3339());
    let (status, error) = app.admin.post("/sessions", body).await;
    assert_eq!(status, 422);
    assert_eq!(error["error"]["code"], "invalid");
    let fields: Vec<&str> =
        error["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["title", "ends_at", "capacity"]);
    let mut body = tests::fixtures::session_body(9999, starts, 5);
    body["kind"] = json!("workshop");
    let (status, error) = app.admin.post("/sessions", body).await;
    assert_eq!(status, 422, "an unknown structure is the caller's mistake: {error}");
    let (_, sessions) = app.admin.get("/sessions").await;
    assert_eq!(sessions, json!([]), "nothing stored");
}

async fn an_unknown_session_is_a_404(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let (status, body) = app.admin.get("/sessions/424242").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
    let (status, _) = app.admin.post("/sessions/424242/enrolments", json!({"participant_id": 1})).await;
    assert_eq!(status, 404);
    let (status, _) = app.admin.get("/nothing-here").await;
    assert_eq!(status, 404);
}

async fn a_cip_cannot_propose_a_session_for_another_structure(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let roubaix = app.structure("Roubaix").await;
    let cip = app.cip("cip@lille.fr", lille).await;
    let body = tests::fixtures::session_body(roubaix, Utc::now() + Duration::days(2), 10);
    let (status, error) = cip.api.post("/sessions", body).await;
    assert_eq!(status, 403);
    assert_eq!(error["error"]["code"], "forbidden");
    let session = app.session(&app.admin, roubaix, Duration::days(2), 10, json!({})).await;
    let (status, _) = cip.api.patch(&format!("/sessions/{}", session["id"]), json!({"title": "Pris"})).await;
    assert_eq!(status, 403);
    let (status, _) = cip.api.post(&format!("/sessions/{}/cancel", session["id"]), json!({})).await;
    assert_eq!(status, 403);
}

async fn a_full_session_puts_people_on_the_waiting_list_in_order(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let cip = app.cip("cip@lille.fr", lille).await;
    let session = app.session(&cip.api, lille, Duration::days(3), 2, json!({})).await;
    let path = format!("/sessions/{}/enrolments", session["id"]);
    let mut people = vec![];
    for name in ["Amina", "Kevin", "Fatou", "Lucas"] {
        people.push(app.participant(lille, name).await.0);
    }
    let mut outcomes = vec![];
    for id in &people {
        let (status, body) = cip.api.post(&path, json!({"participant_id": id})).await;
        assert_eq!(status, 201, "{body}");
        outcomes.push((body["status"].as_str().unwrap().to_string(), body["waitlist_position"].clone()));
    }
    assert_eq!(
        outcomes,
        [
            ("confirmed".into(), json!(null)),
            ("confirmed".into(), json!(null)),
            ("waitlisted".into(), json!(1)),
            ("waitlisted".into(), json!(2)),
        ]
    );
    let (_, listed) = cip.api.get(&path).await;
    let listed: Vec<(i64, String)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["participant_id"].as_i64().unwrap(), e["enrolled_by"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(listed.iter().map(|e| e.0).collect::<Vec<_>>(), people);
    assert!(listed.iter().all(|e| e.1 == format!("user:{}", cip.id)), "who enrolled whom is recorded");
    let (_, fetched) = cip.api.get(&format!("/sessions/{}", session["id"])).await;
    assert_eq!((fetched["seats_taken"].as_i64(), fetched["waitlist_count"].as_i64()), (Some(2), Some(2)));
}

async fn the_same_enrolment_submitted_twice_gives_one_row(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let session = app.session(&app.admin, lille, Duration::days(3), 5, json!({})).await;
    let (amina, _) = app.participant(lille, "Amina").await;
    let path = format!("/sessions/{}/enrolments", session["id"]);
    let (first, created) = app.admin.post(&path, json!({"participant_id": amina})).await;
    let (again, existing) = app.admin.post(&path, json!({"participant_id": amina})).await;
    assert_eq!((first.as_u16(), again.as_u16()), (201, 200));
    assert_eq!(created, existing);
    let requests = (0..8).map(|_| app.admin.post(&path, json!({"participant_id": amina})));
    let statuses: Vec<u16> = futures::future::join_all(requests).await.into_iter().map(|(s, _)| s.as_u16()).collect();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let (_, listed) = app.admin.get(&path).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let (_, fetched) = app.admin.get(&format!("/sessions/{}", session["id"])).await;
    assert_eq!(fetched["seats_taken"], 1);
}

async fn a_participant_outside_the_audience_is_refused(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let roubaix = app.structure("Roubaix").await;
    let session =
        app.session(&app.admin, lille, Duration::days(3), 5, json!({"audience": {"structure_ids": [lille]}})).await;
    let (karim, _) = app.participant(roubaix, "Karim").await;
    let (status, body) =
        app.admin.post(&format!("/sessions/{}/enrolments", session["id"]), json!({"participant_id": karim})).await;
    assert_eq!(status, 409);
    assert_eq!(body["error"]["code"], "not_in_audience");
}

async fn overlapping_sessions_cannot_both_be_confirmed(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let morning = app.session(&app.admin, lille, Duration::days(3), 5, json!({})).await;
    let overlapping = app.session(&app.admin, lille, Duration::days(3) + Duration::hours(1), 5, json!({})).await;
    let after = app.session(&app.admin, lille, Duration::days(3) + Duration::hours(2), 5, json!({})).await;
    let (amina, _) = app.participant(lille, "Amina").await;
    let enrol = |session: &serde_json::Value| {
        let path = format!("/sessions/{}/enrolments", session["id"]);
        let api = app.admin.clone();
        async move { api.post(&path, json!({"participant_id": amina})).await }
    };
    assert_eq!(enrol(&morning).await.0, 201);
    let (status, body) = enrol(&overlapping).await;
    assert_eq!(status, 409);
    assert_eq!(body["error"]["code"], "overlapping_enrolment");
    assert_eq!(enrol(&after).await.0, 201, "back-to-back sessions do not overlap");
}

async fn no_enrolment_into_a_cancelled_draft_or_closed_session(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let (amina, _) = app.participant(lille, "Amina").await;
    let cancelled = app.session(&app.admin, lille, Duration::days(3), 5, json!({})).await;
    let (status, body) = app.admin.post(&format!("/sessions/{}/cancel", cancelled["id"]), json!({})).await;
    assert_eq!((status.as_u16(), body["status"].as_str()), (200, Some("cancelled")));
    assert_eq!(body["sequence"], 1, "cancelling raises the calendar sequence");
    let draft = app.session(&app.admin, lille, Duration::days(4), 5, json!({"status": "draft"})).await;
    let closes = (Utc::now() + Duration::seconds(1)).to_rfc3339();
    let closed = app.session(&app.admin, lille, Duration::days(5), 5, json!({"enrolment_closes_at": closes})).await;
    app.core.clock().advance(Duration::seconds(3));
    for (session, code) in
        [(&cancelled, "session_cancelled"), (&draft, "session_not_published"), (&closed, "enrolment_closed")]
    {
        let (status, body) =
            app.admin.post(&format!("/sessions/{}/enrolments", session["id"]), json!({"participant_id": amina})).await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["error"]["code"], code);
    }
}

async fn a_cancellation_promotes_the_first_person_waiting(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let roubaix = app.structure("Roubaix").await;
    let session = app.session(&app.admin, lille, Duration::days(3), 1, json!({})).await;
    let path = format!("/sessions/{}/enrolments", session["id"]);
    let (amina, _) = app.participant(lille, "Amina").await;
    let (kevin, _) = app.participant(roubaix, "Kevin").await;
    let (fatou, _) = app.participant(lille, "Fatou").await;
    for id in [amina, kevin, fatou] {
        app.admin.post(&path, json!({"participant_id": id})).await;
    }
    // Kevin's structure leaves the audience: he is no longer eligible and is skipped.
    let (status, _) =
        app.admin.patch(&format!("/sessions/{}", session["id"]), json!({"audience": {"structure_ids": [lille]}})).await;
    assert_eq!(status, 200);
    let (status, body) = app.admin.delete(&format!("{path}/{amina}")).await;
    assert_eq!(status, 200);
    assert_eq!(body["promoted_participant_id"], fatou);
    let (_, listed) = app.admin.get(&path).await;
    let statuses: Vec<(i64, &str)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["participant_id"].as_i64().unwrap(), e["status"].as_str().unwrap()))
        .collect::<Vec<_>>();
    assert!(statuses.contains(&(amina, "cancelled_by_staff")));
    assert!(statuses.contains(&(fatou, "confirmed")));
    assert!(statuses.contains(&(kevin, "waitlisted")));
    let (status, _) = app.admin.delete(&format!("{path}/{amina}")).await;
    assert_eq!(status, 404, "nothing left to cancel");
}

async fn staff_may_overbook_only_explicitly(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let session = app.session(&app.admin, lille, Duration::days(3), 1, json!({})).await;
    let path = format!("/sessions/{}/enrolments", session["id"]);
    let (amina, _) = app.participant(lille, "Amina").await;
    let (kevin, _) = app.participant(lille, "Kevin").await;
    app.admin.post(&path, json!({"participant_id": amina})).await;
    // An overbooking says why, through the API as on the pages.
    for reason in [json!(null), json!("   ")] {
        let (status, body) =
            app.admin.post(&path, json!({"participant_id": kevin, "overbook": true, "reason": reason})).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            (body["error"]["code"].as_str(), body["error"]["fields"][0]["field"].as_str()),
            (Some("invalid"), Some("reason"))
        );
    }
    let (status, body) = app
        .admin
        .post(&path, json!({"participant_id": kevin, "overbook": true, "reason": "vient avec sa conseillère"}))
        .await;
    assert_eq!(status, 201);
    assert_eq!((body["status"].as_str(), body["overbooked"].as_bool()), (Some("confirmed"), Some(true)));
    let (_, fetched) = app.admin.get(&format!("/sessions/{}", session["id"])).await;
    assert_eq!(fetched["seats_taken"], 2);
    let logged: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'enrolled_overbooking' AND participant_id = $1",
    )
    .bind(kevin)
    .fetch_one(&app.sql)
    .await
    .unwrap();
    assert_eq!(logged, 1, "the override is recorded");
}

async fn attendance_is_taken_for_confirmed_people_only(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let session = app.session(&app.admin, lille, Duration::days(3), 1, json!({})).await;
    let id = &session["id"];
    let (amina, _) = app.participant(lille, "Amina").await;
    let (kevin, _) = app.participant(lille, "Kevin").await;
    app.admin.post(&format!("/sessions/{id}/enrolments"), json!({"participant_id": amina})).await;
    app.admin.post(&format!("/sessions/{id}/enrolments"), json!({"participant_id": kevin})).await;
    let (status, body) =
        app.admin.put(&format!("/sessions/{id}/attendance/{amina}"), json!({"status": "present"})).await;
    assert_eq!((status.as_u16(), body["attendance"].as_str()), (200, Some("present")));
    let (status, body) =
        app.admin.put(&format!("/sessions/{id}/attendance/{kevin}"), json!({"status": "present"})).await;
    assert_eq!((status.as_u16(), body["error"]["code"].as_str()), (409, Some("not_confirmed")));
    let (status, _) = app.admin.put(&format!("/sessions/{id}/attendance/{amina}"), json!({"status": "late"})).await;
    assert_eq!(status, 422);
}

async fn reserved_seats_are_kept_for_their_structure_until_release(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let roubaix = app.structure("Roubaix").await;
    let release = (Utc::now() + Duration::seconds(2)).to_rfc3339();
    let session = app
        .session(
            &app.admin,
            lille,
            Duration::days(3),
            3,
            json!({"reserved_seats": [{"structure_id": lille, "seats": 2}], "reserved_until": release}),
        )
        .await;
    let path = format!("/sessions/{}/enrolments", session["id"]);
    let mut roubaix_people = vec![];
    for name in ["Karim", "Sophie"] {
        let (id, _) = app.participant(roubaix, name).await;
        let (_, body) = app.admin.post(&path, json!({"participant_id": id})).await;
        roubaix_people.push((id, body["status"].as_str().unwrap().to_string()));
    }
    assert_eq!(roubaix_people[0].1, "confirmed");
    assert_eq!(roubaix_people[1].1, "waitlisted", "the two other seats are Lille's");
    let (amina, _) = app.participant(lille, "Amina").await;
    let (_, body) = app.admin.post(&path, json!({"participant_id": amina})).await;
    assert_eq!(body["status"], "confirmed");
    app.core.clock().advance(Duration::seconds(3));
    let promoted = app.core.promote_released_seats().await.unwrap();
    assert_eq!(promoted, 1, "after release the unused reserved seat goes to the first waiting");
    let (_, listed) = app.admin.get(&path).await;
    let sophie =
        listed.as_array().unwrap().iter().find(|e| e["participant_id"] == roubaix_people[1].0).unwrap().clone();
    assert_eq!(sophie["status"], "confirmed");
}

async fn raising_capacity_promotes_people_waiting(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let session = app.session(&app.admin, lille, Duration::days(3), 1, json!({})).await;
    let path = format!("/sessions/{}/enrolments", session["id"]);
    for name in ["Amina", "Kevin", "Fatou"] {
        let (id, _) = app.participant(lille, name).await;
        app.admin.post(&path, json!({"participant_id": id})).await;
    }
    let (status, body) = app.admin.patch(&format!("/sessions/{}", session["id"]), json!({"capacity": 2})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["seats_taken"].as_i64(), body["waitlist_count"].as_i64()), (Some(2), Some(1)));
    assert_eq!(body["sequence"], 0, "capacity is not a calendar change");
    let later = (Utc::now() + Duration::days(4)).to_rfc3339();
    let end = (Utc::now() + Duration::days(4) + Duration::hours(1)).to_rfc3339();
    let (_, moved) =
        app.admin.patch(&format!("/sessions/{}", session["id"]), json!({"starts_at": later, "ends_at": end})).await;
    assert_eq!(moved["sequence"], 1, "a new time raises the calendar sequence");
}

async fn capacity_cannot_drop_below_the_seats_taken(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let session = app.session(&app.admin, lille, Duration::days(3), 3, json!({})).await;
    for name in ["Amina", "Kevin"] {
        let (id, _) = app.participant(lille, name).await;
        app.admin.post(&format!("/sessions/{}/enrolments", session["id"]), json!({"participant_id": id})).await;
    }
    let (status, body) = app.admin.patch(&format!("/sessions/{}", session["id"]), json!({"capacity": 1})).await;
    assert_eq!(status, 409);
    assert_eq!(body["error"]["code"], "capacity_below_taken");
    let (status, _) = app.admin.patch(&format!("/sessions/{}", session["id"]), json!({"colour": "red"})).await;
    assert_eq!(status, 422, "unknown fields are refused, not ignored");
    let (_, fetched) = app.admin.get(&format!("/sessions/{}", session["id"])).await;
    assert_eq!(fetched["capacity"], 3, "nothing changed");
}

async fn seats_reserved_for_a_structure_that_does_not_exist_are_refused(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let unknown = json!([{"structure_id": lille + 1000, "seats": 1}]);
    let mut body = tests::fixtures::session_body(lille, Utc::now() + Duration::days(3), 8);
    body["reserved_seats"] = unknown.clone();
    let (status, refused) = app.admin.post("/sessions", body).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["error"]["fields"][0]["field"], "reserved_seats");
    let session = app.session(&app.admin, lille, Duration::days(3), 8, json!({})).await;
    let (status, refused) =
        app.admin.patch(&format!("/sessions/{}", session["id"]), json!({"reserved_seats": unknown})).await;
    assert_eq!(status, 422, "{refused}");
    let (_, fetched) = app.admin.get(&format!("/sessions/{}", session["id"])).await;
    assert_eq!(fetched["reserved_seats"], json!([]), "nothing changed");
}

async fn a_registered_participant_gets_an_access_code_that_signs_in(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let cip = app.cip("cip@lille.fr", lille).await;
    let (status, created) = cip
        .api
        .post("/participants", json!({"first_name": "Amina", "last_name": "Benali", "structure_id": lille}))
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["referent_id"], cip.id, "the CIP who registers becomes the referent");
    let code = created["access_code"].as_str().unwrap();
    assert_eq!(code.len(), 9);
    let signed = app
        .core
        .sign_in_participant(&code.to_lowercase(), None, toile_server::core::Device::Own)
        .await
        .expect("the code signs in");
    assert_eq!(signed.display_name, "Amina");
    assert!(app.core.sign_in_participant("AAAA-AAAA", None, toile_server::core::Device::Own).await.is_err());
    let (status, _) =
        cip.api.post("/participants", json!({"first_name": "", "last_name": "B", "structure_id": lille})).await;
    assert_eq!(status, 422);
}

async fn a_cip_only_sees_and_enrols_participants_of_their_structure(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let roubaix = app.structure("Roubaix").await;
    let cip = app.cip("cip@lille.fr", lille).await;
    let (_amina, _) = app.participant(lille, "Amina").await;
    let (karim, _) = app.participant(roubaix, "Karim").await;
    let (status, listed) = cip.api.get("/participants").await;
    assert_eq!(status, 200);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let (status, _) = cip.api.get(&format!("/participants?structure_id={roubaix}")).await;
    assert_eq!(status, 403);
    let session = app.session(&cip.api, lille, Duration::days(3), 5, json!({})).await;
    let (status, _) =
        cip.api.post(&format!("/sessions/{}/enrolments", session["id"]), json!({"participant_id": karim})).await;
    assert_eq!(status, 404, "another structure's person answers as an unknown id: trying ids tells nothing");
    let coordinator = app.staff("coord@groupe.fr", Role::GroupCoordinator, None).await;
    let (status, _) = coordinator
        .api
        .post(&format!("/sessions/{}/enrolments", session["id"]), json!({"participant_id": karim}))
        .await;
    assert_eq!(status, 201);
    let other_cip = app.cip("cip@roubaix.fr", roubaix).await;
    let (status, seen) = other_cip.api.get(&format!("/sessions/{}/enrolments", session["id"])).await;
    assert_eq!(status, 200);
    assert_eq!(seen.as_array().unwrap().len(), 1, "Roubaix sees only its own participant");
}

async fn a_weekly_series_creates_one_session_per_week(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let first = app.session(&app.admin, lille, Duration::days(2), 8, json!({"weekly_occurrences": 4})).await;
    let (_, all) = app.admin.get("/sessions").await;
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 4);
    assert!(all.iter().all(|s| s["series_id"] == first["series_id"] && !s["series_id"].is_null()));
    let times: Vec<String> = all.iter().map(|s| s["starts_at"].as_str().unwrap()[11..16].to_string()).collect();
    assert!(times.iter().all(|t| *t == times[0]), "same Paris time every week: {times:?}");
    let (status, _) = app
        .admin
        .post("/sessions", {
            let mut b = tests::fixtures::session_body(lille, Utc::now() + Duration::days(2), 8);
            b["weekly_occurrences"] = json!(60);
            b
        })
        .await;
    assert_eq!(status, 422);
}

async fn the_openapi_document_describes_the_endpoints(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let document: serde_json::Value =
        reqwest::get(format!("{}/api/v1/openapi.json", app.base)).await.unwrap().json().await.unwrap();
    let paths = document["paths"].as_object().unwrap();
    for path in [
        "/api/v1/me",
        "/api/v1/sessions",
        "/api/v1/sessions/{id}/enrolments",
        "/api/v1/sessions/{id}/attendance/{participant_id}",
    ] {
        assert!(paths.contains_key(path), "{path} documented");
    }
}
