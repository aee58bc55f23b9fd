//! Two editors of one session, through the real server on both backends: a form saves what its
//! editor changed (the values posted against the values it showed), merged with what someone
//! else changed meanwhile; when both changed the same field, nothing is written and the form
//! comes back (409) saying who changed what and when. The API's form of this: `ETag` and
//! `If-Match` (412). Sessions are the only records edited through a form of fields shown (the
//! participant's record, the admin's and the tokens' forms create, archive, reset or revoke).

use chrono::{DateTime, Duration, NaiveTime, Utc};
use chrono_tz::Europe::Paris;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::fixtures::OPERATOR;
use tests::form::{self, decode};
use tests::http::{sign_in_by_form, text_as, without_redirects};
use tests::{TestApp, TestDb, on_every_backend};
use toile_server::core::NewUser;
use toile_shared::Role;
use toile_shared::enrolment::Request;

on_every_backend!(
    a_stale_form_saves_only_what_its_editor_changed_on_top_of_the_other_editor_s_change,
    both_editors_changing_the_time_is_a_conflict_page_that_writes_nothing_and_lets_the_editor_choose,
    a_stale_form_changing_this_and_the_following_sessions_carries_only_its_editor_s_change,
    a_stale_if_match_answers_412_and_writes_nothing_and_a_patch_without_it_patches_the_fields_sent,
);

const PASSWORD: &str = "motdepasse-test";

/// A session of Tremplin a week ahead, 9:00 to 11:00 in Paris, 12 seats, two people in it who
/// get messages; Claire (its CIP) and Hélène Fontaine (the group's coordinator) signed in.
struct Scene {
    app: TestApp,
    session: i64,
    claire: String,
    helene: String,
}

/// 9:00 (or `hour`) in Paris, a week from today.
fn next_week_at(hour: u32) -> DateTime<Utc> {
    let day = (Utc::now() + Duration::days(7)).with_timezone(&Paris).date_naive();
    day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap()).and_local_timezone(Paris).unwrap().to_utc()
}

async fn staff(app: &TestApp, email: &str, name: &str, role: Role, structure: Option<i64>) -> String {
    let user = NewUser {
        email: email.into(),
        display_name: name.into(),
        role,
        structure_id: structure,
        password: Some(PASSWORD.into()),
    };
    app.core.add_user(&OPERATOR, user).await.expect("staff");
    sign_in_by_form(&app.base, "/fn/sign_in_staff", &[("email", email), ("password", PASSWORD)]).await
}

async fn scene(db: &TestDb, weeks: u32) -> Scene {
    let app = TestApp::spawn(db).await;
    let tremplin = app.structure("Tremplin").await;
    let claire = staff(&app, "claire@tremplin.fr", "Claire Martin", Role::Cip, Some(tremplin)).await;
    let helene = staff(&app, "helene@groupe.fr", "Hélène Fontaine", Role::GroupCoordinator, None).await;
    let starts = next_week_at(9);
    let mut body = tests::fixtures::session_body(tremplin, starts, 12);
    body["weekly_occurrences"] = json!(weeks);
    let (status, session) = app.admin.post("/sessions", body).await;
    assert_eq!(status, 201, "{session}");
    let session = session["id"].as_i64().unwrap();
    for name in ["Amina", "Bilal"] {
        let person = app.reachable(tremplin, name).await;
        app.core.enrol(&app.admin_actor(), session, person, Request::Normal).await.unwrap();
    }
    Scene { app, session, claire, helene }
}

impl Scene {
    fn edit_path(&self, session: i64) -> String {
        format!("{}/equipe/seances/{session}/modifier", self.app.base)
    }

    /// The edit form's fields as the browser holding `cookie` gets them.
    async fn open(&self, cookie: &str, session: i64) -> Vec<(String, String)> {
        let html = text_as(&self.edit_path(session), cookie).await;
        form::fields(&html, "session-form")
    }

    /// Posts the form; returns the status and the page as sent (empty for a redirect).
    async fn save(&self, cookie: &str, session: i64, fields: &[(String, String)]) -> (StatusCode, String) {
        let response = without_redirects()
            .post(self.edit_path(session))
            .header("cookie", cookie)
            .form(fields)
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }

    async fn stored(&self, session: i64) -> Value {
        let (status, body) = self.app.admin.get(&format!("/sessions/{session}")).await;
        assert_eq!(status, 200);
        body
    }

    /// (participant, channel) of every change notice queued, in order.
    async fn change_notices(&self) -> Vec<(i64, String)> {
        sqlx::query_as("SELECT participant_id, channel FROM outbox WHERE kind = 'session_changed' ORDER BY id")
            .fetch_all(&self.app.sql)
            .await
            .unwrap()
    }
}

fn paris_time(value: &Value) -> String {
    let at: DateTime<Utc> = value.as_str().unwrap().parse().unwrap();
    at.with_timezone(&Paris).format("%H:%M").to_string()
}

async fn a_stale_form_saves_only_what_its_editor_changed_on_top_of_the_other_editor_s_change(db: &TestDb) {
    let scene = scene(db, 1).await;
    let id = scene.session;
    // Both open the form; Hélène raises the capacity and moves the start, and saves.
    let mut claire = scene.open(&scene.claire, id).await;
    let mut helene = scene.open(&scene.helene, id).await;
    assert_eq!(form::value(&claire, "version"), "1");
    form::set(&mut helene, "capacity", "16");
    form::set(&mut helene, "start", "10:00");
    form::set(&mut helene, "end", "12:00");
    assert_eq!(scene.save(&scene.helene, id, &helene).await.0, StatusCode::SEE_OTHER);
    let told = scene.change_notices().await;
    assert!(!told.is_empty(), "the people in it are told of the new time");
    // Claire's form still shows 12 seats and 9:00: she corrects the title.
    form::set(&mut claire, "title", "Atelier CV et lettre de motivation");
    assert_eq!(scene.save(&scene.claire, id, &claire).await.0, StatusCode::SEE_OTHER);

    let stored = scene.stored(id).await;
    assert_eq!(stored["title"], "Atelier CV et lettre de motivation");
    assert_eq!(stored["capacity"], 16);
    assert_eq!((paris_time(&stored["starts_at"]), paris_time(&stored["ends_at"])), ("10:00".into(), "12:00".into()));
    assert_eq!(stored["version"], 3);
    // One notice of the change of time each, not a second one for a time nobody changed back.
    assert_eq!(scene.change_notices().await, told);
    let mut each = told.clone();
    each.dedup();
    assert_eq!(each, told, "no one is told twice on one channel");
}

async fn both_editors_changing_the_time_is_a_conflict_page_that_writes_nothing_and_lets_the_editor_choose(db: &TestDb) {
    let scene = scene(db, 1).await;
    let id = scene.session;
    let mut claire = scene.open(&scene.claire, id).await;
    let mut helene = scene.open(&scene.helene, id).await;
    form::set(&mut helene, "capacity", "16");
    form::set(&mut helene, "start", "10:00");
    form::set(&mut helene, "end", "12:00");
    assert_eq!(scene.save(&scene.helene, id, &helene).await.0, StatusCode::SEE_OTHER);
    let before = scene.stored(id).await;
    let told = scene.change_notices().await;

    // Claire moves it to 14:00 from her stale form, and fixes the title.
    form::set(&mut claire, "start", "14:00");
    form::set(&mut claire, "end", "16:00");
    form::set(&mut claire, "title", "Atelier CV et lettre de motivation");
    let (status, html) = scene.save(&scene.claire, id, &claire).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let page = decode(&html);
    assert!(page.contains("Hélène Fontaine a changé l'horaire à "), "who changed what and when: {page}");
    assert!(page.contains("10\u{a0}h\u{a0}00 – 12\u{a0}h\u{a0}00"), "their value");
    assert!(page.contains("Vous aviez mis : 14\u{a0}h\u{a0}00 – 16\u{a0}h\u{a0}00"), "and hers");
    assert!(page.contains("Rien n'a été enregistré"));
    assert_eq!(scene.stored(id).await, before, "nothing written");
    assert_eq!(scene.change_notices().await, told, "nobody told");

    // The form comes back with her values where she changed something, the stored ones
    // elsewhere, from the stored version: saved as it is, she keeps her time.
    let again = form::fields(&html, "session-form");
    assert_eq!(form::value(&again, "version"), "2");
    assert_eq!(form::value(&again, "start"), "14:00");
    assert_eq!(form::value(&again, "title"), "Atelier CV et lettre de motivation");
    assert_eq!(form::value(&again, "capacity"), "16", "Hélène's change is not undone");
    assert_eq!(scene.save(&scene.claire, id, &again).await.0, StatusCode::SEE_OTHER);
    let stored = scene.stored(id).await;
    assert_eq!((stored["capacity"].as_i64(), paris_time(&stored["starts_at"])), (Some(16), "14:00".into()));
    assert_eq!(stored["title"], "Atelier CV et lettre de motivation");

    // Hélène's form is stale now: she moves it to 15:00 and names the speaker; told Claire
    // Martin moved it meanwhile, she takes Claire's time and saves her other change.
    form::set(&mut helene, "start", "15:00");
    form::set(&mut helene, "end", "17:00");
    form::set(&mut helene, "speaker", "Nadia, conseillère");
    let (status, html) = scene.save(&scene.helene, id, &helene).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(decode(&html).contains("Claire Martin a changé l'horaire à "), "{html}");
    let mut theirs = form::fields(&html, "session-form");
    assert_eq!(form::value(&theirs, "theirs"), "starts_at", "the fields at stake go with the other choice");
    theirs.push(("choice".into(), "theirs".into()));
    assert_eq!(scene.save(&scene.helene, id, &theirs).await.0, StatusCode::SEE_OTHER);
    let stored = scene.stored(id).await;
    assert_eq!(
        (paris_time(&stored["starts_at"]), stored["speaker"].as_str()),
        ("14:00".into(), Some("Nadia, conseillère"))
    );
}

async fn a_stale_form_changing_this_and_the_following_sessions_carries_only_its_editor_s_change(db: &TestDb) {
    let scene = scene(db, 3).await;
    let first = scene.session;
    let (_, all) = scene.app.admin.get("/sessions").await;
    let later: Vec<i64> =
        all.as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).filter(|id| *id != first).collect();
    assert_eq!(later.len(), 2, "a series of three");
    let mut claire = scene.open(&scene.claire, first).await;
    // Hélène gives the first session more seats, this one only.
    let mut helene = scene.open(&scene.helene, first).await;
    form::set(&mut helene, "capacity", "16");
    assert_eq!(scene.save(&scene.helene, first, &helene).await.0, StatusCode::SEE_OTHER);
    // Claire renames the series from her stale form of the first session.
    form::set(&mut claire, "title", "Atelier CV et lettre de motivation");
    form::set(&mut claire, "series", "following");
    assert_eq!(scene.save(&scene.claire, first, &claire).await.0, StatusCode::SEE_OTHER);
    let stored = scene.stored(first).await;
    assert_eq!(
        (stored["title"].as_str(), stored["capacity"].as_i64()),
        (Some("Atelier CV et lettre de motivation"), Some(16))
    );
    for id in later {
        let stored = scene.stored(id).await;
        assert_eq!(
            (stored["title"].as_str(), stored["capacity"].as_i64()),
            (Some("Atelier CV et lettre de motivation"), Some(12)),
            "session {id} takes the new title and keeps its own seats"
        );
    }
}

async fn a_stale_if_match_answers_412_and_writes_nothing_and_a_patch_without_it_patches_the_fields_sent(db: &TestDb) {
    let scene = scene(db, 1).await;
    let app = &scene.app;
    let url = format!("{}/api/v1/sessions/{}", app.base, scene.session);
    let client = reqwest::Client::new();
    let got = client.get(&url).bearer_auth(&app.admin.token).send().await.unwrap();
    assert_eq!(got.headers()["etag"], "\"1\"");
    let patch = |if_match: Option<&str>, body: Value| {
        let mut request = client.patch(&url).bearer_auth(&app.admin.token).json(&body);
        if let Some(tag) = if_match {
            request = request.header("if-match", tag);
        }
        request.send()
    };
    let changed = patch(Some("\"1\""), json!({"capacity": 16})).await.unwrap();
    assert_eq!(changed.status(), 200);
    assert_eq!(changed.headers()["etag"], "\"2\"");
    // Enrolments leave the version alone: the tag names what an editor edits.
    let person = app.reachable(scene.app.structure("Tremplin").await, "Chloé").await;
    app.core.enrol(&app.admin_actor(), scene.session, person, Request::Normal).await.unwrap();
    let before = scene.stored(scene.session).await;
    assert_eq!(before["version"], 2);

    for stale in ["\"1\"", "W/\"2\"", "\"2x\"", "\"1\", \"3\""] {
        let refused = patch(Some(stale), json!({"capacity": 20, "title": "Autre titre"})).await.unwrap();
        assert_eq!(refused.status(), 412, "If-Match: {stale}");
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["error"]["code"], "precondition_failed");
    }
    // A change no version would take is said so, not that the version is stale.
    let invalid = patch(Some("\"1\""), json!({"title": "   "})).await.unwrap();
    assert_eq!(invalid.status(), 422, "a blank title with a stale If-Match");
    assert_eq!(scene.stored(scene.session).await, before, "nothing written");
    assert!(scene.change_notices().await.is_empty());

    let listed = patch(Some("\"7\", \"2\""), json!({"speaker": "Nadia"})).await.unwrap();
    assert_eq!(listed.status(), 200, "one of the tags listed is current");
    let any = patch(Some("*"), json!({"capacity": 18})).await.unwrap();
    assert_eq!(any.status(), 200);
    // Without If-Match, the fields sent are written over whatever is stored, the rest kept.
    let blind = patch(None, json!({"title": "Atelier CV du lundi"})).await.unwrap();
    assert_eq!(blind.status(), 200);
    assert_eq!(blind.headers()["etag"], "\"5\"");
    let stored = scene.stored(scene.session).await;
    assert_eq!(
        (stored["title"].as_str(), stored["capacity"].as_i64(), stored["speaker"].as_str()),
        (Some("Atelier CV du lundi"), Some(18), Some("Nadia"))
    );
}
