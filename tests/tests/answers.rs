//! The day-before reminder and the answer link: everyone seated is reminded once at 10:00 Paris
//! time the day before, with their own link; "Je ne peux pas venir" frees the seat at once (even
//! after the cancellation deadline), records the person as excused and tells the next person
//! waiting; an unknown or expired link answers a clear French page, never a 500 — on both
//! backends, through the real server.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use tests::http::without_redirects;
use tests::{TestApp, TestDb, on_every_backend};
use toile_server::core::{Clock, Core, Reply, SMS_CHARS, morning_reminder_time, reminder_time};
use toile_shared::authz::Actor;
use toile_shared::enrolment::Request;

on_every_backend!(
    the_day_before_at_ten_everyone_seated_is_reminded_once_with_their_own_link,
    a_session_moved_to_another_day_is_reminded_again_for_its_new_date,
    someone_seated_after_the_reminder_time_gets_no_reminder,
    je_ne_peux_pas_frees_the_seat_after_the_deadline_and_the_next_person_is_told,
    je_viens_is_recorded_and_a_declined_seat_is_not_taken_back_through_the_link,
    an_unknown_or_expired_link_answers_a_clear_french_page_never_a_500,
    a_person_who_stopped_sms_is_reminded_by_e_mail_only,
    a_decline_tells_the_person_s_cips_by_e_mail_and_where_the_seat_went,
    a_decline_tells_only_the_referent_when_the_person_has_one,
    where_the_group_asks_people_are_reminded_again_at_eight_on_the_day,
    a_flood_of_wrong_answer_secrets_from_one_address_is_refused_in_french_and_writes_nothing,
);

/// (participant, kind, channel, body) of every message to a participant, in order.
async fn outbox(app: &TestApp) -> Vec<(i64, String, String, String)> {
    sqlx::query_as(
        "SELECT participant_id, kind, channel, body FROM outbox WHERE participant_id IS NOT NULL ORDER BY id",
    )
    .fetch_all(&app.sql)
    .await
    .unwrap()
}

/// (staff member, kind, subject, body) of every message to staff, in order.
async fn staff_mail(app: &TestApp) -> Vec<(i64, String, String, String)> {
    sqlx::query_as("SELECT user_id, kind, subject, body FROM outbox WHERE user_id IS NOT NULL ORDER BY id")
        .fetch_all(&app.sql)
        .await
        .unwrap()
}

/// The answer links in the messages of `kind` to `person`, as they were handed to the provider
/// (the outbox keeps only a stand-in: `links_are_made_when_sent_and_never_stored`).
async fn links(app: &TestApp, kind: &str, person: i64) -> Vec<String> {
    let person = person.to_string();
    app.sent()
        .await
        .into_iter()
        // The key: kind, session, person, channel, occasion.
        .filter(|m| m.kind == kind && m.idempotency_key.split(':').nth(2) == Some(person.as_str()))
        .filter_map(|m| m.body.split_whitespace().find(|w| w.contains("/r/")).map(str::to_string))
        .collect()
}

/// (status, attendance, answer) of the person's enrolment.
async fn enrolment(app: &TestApp, session: i64, person: i64) -> (String, String, Option<String>) {
    sqlx::query_as("SELECT status, attendance, answer FROM enrolments WHERE session_id = $1 AND participant_id = $2")
        .bind(session)
        .bind(person)
        .fetch_one(&app.sql)
        .await
        .unwrap()
}

/// A session of two seats in `days` days: Amina and Bilal in it, Chloé waiting.
async fn full_session(app: &TestApp, days: i64, extra: serde_json::Value) -> (i64, DateTime<Utc>, [i64; 3]) {
    let a = app.structure("Tremplin").await;
    let people = [app.reachable(a, "Amina").await, app.reachable(a, "Bilal").await, app.reachable(a, "Chloe").await];
    let session = app.session(&app.admin, a, Duration::days(days), 2, extra).await;
    let starts_at = DateTime::parse_from_rfc3339(session["starts_at"].as_str().unwrap()).unwrap().to_utc();
    let id = session["id"].as_i64().unwrap();
    for person in people {
        app.core.enrol(&app.admin_actor(), id, person, Request::Normal).await.unwrap();
    }
    (id, starts_at, people)
}

/// A core whose clock reads `at`.
fn core_at(app: &TestApp, at: DateTime<Utc>) -> Core {
    let clock = Clock::system();
    clock.advance(at - clock.now());
    app.core.with_clock(clock)
}

/// Posts the answer form as a phone without JavaScript does; returns where it is sent back.
async fn answer(link: &str, value: &str) -> String {
    let (base, secret) = link.split_once("/r/").unwrap();
    let response = without_redirects()
        .post(format!("{base}/fn/answer"))
        .header("accept", "text/html")
        .form(&[("secret", secret), ("reponse", value)])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection(), "{}", response.status());
    response.headers()["location"].to_str().unwrap().to_string()
}

async fn page(link: &str) -> (u16, String) {
    let response = reqwest::get(link).await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn the_day_before_at_ten_everyone_seated_is_reminded_once_with_their_own_link(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let (session, starts_at, [amina, bilal, chloe]) = full_session(&app, 3, json!({})).await;
    let at = reminder_time(starts_at);

    assert_eq!(core_at(&app, at - Duration::minutes(1)).queue_reminders().await.unwrap(), 0, "not before 10:00");
    let core = core_at(&app, at + Duration::minutes(1));
    assert_eq!(core.queue_reminders().await.unwrap(), 2, "the two people seated");
    assert_eq!(core.queue_reminders().await.unwrap(), 0, "once");

    let reminders: Vec<(i64, String, String)> =
        outbox(&app).await.into_iter().filter(|m| m.1 == "reminder").map(|m| (m.0, m.2, m.3)).collect();
    let to: Vec<(i64, &str)> = reminders.iter().map(|m| (m.0, m.1.as_str())).collect();
    assert_eq!(to, [(amina, "sms"), (amina, "email"), (bilal, "sms"), (bilal, "email")], "nobody waiting: {to:?}");
    let sms = &reminders[0].2;
    assert!(sms.starts_with("Rappel : Atelier CV, "), "{sms}");
    assert!(sms.chars().count() <= SMS_CHARS, "one SMS: {sms}");
    let (amina_links, bilal_links) = (links(&app, "reminder", amina).await, links(&app, "reminder", bilal).await);
    assert_ne!(amina_links[0], bilal_links[0], "each person has their own link");
    assert!(amina_links[0].starts_with("http://127.0.0.1:"), "the link leads to this server: {}", amina_links[0]);
    assert!(links(&app, "reminder", chloe).await.is_empty());

    // The link opens the session's page, with the two buttons, without signing in.
    let (status, html) = page(&amina_links[0]).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Vous venez ?") && html.contains("Atelier CV"), "{html}");
    assert!(html.contains("Je viens") && html.contains("Je ne peux pas venir"), "{html}");
    let _ = session;
}

async fn a_session_moved_to_another_day_is_reminded_again_for_its_new_date(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let (session, starts_at, [amina, ..]) = full_session(&app, 3, json!({})).await;
    core_at(&app, reminder_time(starts_at) + Duration::minutes(1)).queue_reminders().await.unwrap();
    assert_eq!(links(&app, "reminder", amina).await.len(), 2, "SMS and e-mail");

    let later = starts_at + Duration::days(7);
    let (status, body) = app
        .admin
        .patch(
            &format!("/sessions/{session}"),
            json!({"starts_at": later.to_rfc3339(), "ends_at": (later + Duration::hours(2)).to_rfc3339()}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let core = core_at(&app, reminder_time(later) - Duration::minutes(1));
    assert_eq!(core.queue_reminders().await.unwrap(), 0, "the old date's reminder does not count twice, nor early");
    let core = core_at(&app, reminder_time(later) + Duration::minutes(1));
    assert_eq!(core.queue_reminders().await.unwrap(), 2, "reminded again for the new date");
    assert_eq!(links(&app, "reminder", amina).await.len(), 4);
}

async fn someone_seated_after_the_reminder_time_gets_no_reminder(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let (session, starts_at, [amina, bilal, chloe]) = full_session(&app, 3, json!({})).await;
    let at = reminder_time(starts_at);
    // Amina leaves after 10:00 the day before: Chloé gets her seat, and a seat offer with a link.
    let core = core_at(&app, at + Duration::minutes(5));
    core.unenrol(&app.admin_actor(), session, amina).await.unwrap();
    assert_eq!(links(&app, "seat_offer", chloe).await.len(), 2, "the seat offer carries the link");
    assert_eq!(core.queue_reminders().await.unwrap(), 1, "Bilal only");
    assert_eq!(links(&app, "reminder", bilal).await.len(), 2);
    assert!(links(&app, "reminder", chloe).await.is_empty(), "the seat offer just told her");
    assert_eq!(core.queue_reminders().await.unwrap(), 0);
}

async fn je_ne_peux_pas_frees_the_seat_after_the_deadline_and_the_next_person_is_told(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    // The cancellation deadline has passed: the person could not cancel from their page.
    let (session, starts_at, [amina, bilal, chloe]) = full_session(&app, 3, json!({})).await;
    sqlx::query("UPDATE sessions SET cancellation_deadline = $2 WHERE id = $1")
        .bind(session)
        .bind((Utc::now() - Duration::hours(1)).timestamp())
        .execute(&app.sql)
        .await
        .unwrap();
    core_at(&app, reminder_time(starts_at) + Duration::minutes(1)).queue_reminders().await.unwrap();
    let link = links(&app, "reminder", amina).await.remove(0);

    let back = answer(&link, "non").await;
    assert!(link.ends_with(&back), "back to the link's page: {back}");
    assert_eq!(
        enrolment(&app, session, amina).await,
        ("cancelled_by_participant".into(), "excused".into(), Some("declined".into())),
        "the seat is freed and the person recorded as excused"
    );
    assert_eq!(enrolment(&app, session, chloe).await.0, "confirmed", "the first person waiting gets the seat");
    assert_eq!(links(&app, "seat_offer", chloe).await.len(), 2, "and is told at once, with her own link");
    assert_eq!(enrolment(&app, session, bilal).await.0, "confirmed");
    let (status, html) = page(&link).await;
    assert_eq!(status, 200);
    assert!(html.contains("Votre place est donnée à une autre personne"), "{html}");
    assert!(!html.contains("Je viens"), "no button to take the seat back: {html}");

    // Answering again changes nothing, and the journal says who answered, once.
    answer(&link, "non").await;
    let seated: i64 = sqlx::query_scalar("SELECT seats_taken FROM sessions WHERE id = $1")
        .bind(session)
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(seated, 2, "Bilal and Chloé");
    let journal: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, details FROM audit_log WHERE participant_id = $1 AND action = 'answered' ORDER BY id",
    )
    .bind(amina)
    .fetch_all(&app.sql)
    .await
    .unwrap();
    assert_eq!(journal, [("answered".to_string(), "declined".to_string())]);
}

async fn je_viens_is_recorded_and_a_declined_seat_is_not_taken_back_through_the_link(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let (session, starts_at, [amina, bilal, _]) = full_session(&app, 3, json!({})).await;
    core_at(&app, reminder_time(starts_at) + Duration::minutes(1)).queue_reminders().await.unwrap();
    let amina_link = links(&app, "reminder", amina).await.remove(0);
    answer(&amina_link, "oui").await;
    assert_eq!(enrolment(&app, session, amina).await, ("confirmed".into(), "unknown".into(), Some("coming".into())));
    let (_, html) = page(&amina_link).await;
    assert!(html.contains("Vous avez dit que vous venez") && html.contains("Je ne peux plus venir"), "{html}");

    let bilal_link = links(&app, "reminder", bilal).await.remove(0);
    answer(&bilal_link, "non").await;
    answer(&bilal_link, "oui").await;
    assert_eq!(enrolment(&app, session, bilal).await.0, "cancelled_by_participant", "not taken back by a second click");
}

async fn an_unknown_or_expired_link_answers_a_clear_french_page_never_a_500(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let site = app.base.trim_end_matches("/api/v1").to_string();
    for forged in ["abcdefghijklmnop", "court", "%3Cscript%3E", "ABCDEFGHIJKLMNOP"] {
        let (status, html) = page(&format!("{site}/r/{forged}")).await;
        assert_eq!(status, 404, "{forged}: {html}");
        assert!(html.contains("Ce lien ne marche pas"), "{forged}: {html}");
    }
    let response = without_redirects()
        .post(format!("{site}/fn/answer"))
        .form(&[("secret", "abcdefghijklmnop"), ("reponse", "non")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404, "an answer through a forged link changes nothing");

    let (session, starts_at, [amina, ..]) = full_session(&app, 3, json!({})).await;
    core_at(&app, reminder_time(starts_at) + Duration::minutes(1)).queue_reminders().await.unwrap();
    let link = links(&app, "reminder", amina).await.remove(0);
    // The session is over (its times moved into the past, as time would).
    let past = (Utc::now() - Duration::hours(3)).timestamp();
    sqlx::query("UPDATE sessions SET starts_at = $2, ends_at = $3 WHERE id = $1")
        .bind(session)
        .bind(past)
        .bind(past + 3600)
        .execute(&app.sql)
        .await
        .unwrap();
    let (status, html) = page(&link).await;
    assert_eq!(status, 410, "{html}");
    assert!(html.contains("la séance est passée"), "{html}");
    answer(&link, "non").await;
    assert_eq!(enrolment(&app, session, amina).await.0, "confirmed", "an expired link changes nothing");
}

async fn a_person_who_stopped_sms_is_reminded_by_e_mail_only(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let (_, starts_at, [amina, bilal, _]) = full_session(&app, 3, json!({})).await;
    let structure: i64 = sqlx::query_scalar("SELECT structure_id FROM participants WHERE id = $1")
        .bind(amina)
        .fetch_one(&app.sql)
        .await
        .unwrap();
    let amina_actor = Actor::Participant { participant_id: amina, structure_id: structure };
    app.core.stop_sms(&amina_actor, amina, true).await.unwrap();
    core_at(&app, reminder_time(starts_at) + Duration::minutes(1)).queue_reminders().await.unwrap();
    let to: Vec<(i64, String)> =
        outbox(&app).await.into_iter().filter(|m| m.1 == "reminder").map(|m| (m.0, m.2)).collect();
    assert_eq!(
        to,
        [(amina, "email".into()), (bilal, "sms".into()), (bilal, "email".into())],
        "no SMS to whoever stopped them"
    );
}

async fn a_decline_tells_the_person_s_cips_by_e_mail_and_where_the_seat_went(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let (session, starts_at, [amina, bilal, _]) = full_session(&app, 3, json!({})).await;
    let tremplin: i64 = sqlx::query_scalar("SELECT structure_id FROM participants WHERE id = $1")
        .bind(amina)
        .fetch_one(&app.sql)
        .await
        .unwrap();
    let (claire, marc) = (app.cip("claire@tremplin.fr", tremplin).await, app.cip("marc@tremplin.fr", tremplin).await);
    let elsewhere = app.structure("Ailleurs").await;
    app.cip("zoe@ailleurs.fr", elsewhere).await;
    app.staff("coord@tremplin.fr", toile_shared::Role::Coordinator, Some(tremplin)).await;
    core_at(&app, reminder_time(starts_at) + Duration::minutes(1)).queue_reminders().await.unwrap();
    assert!(staff_mail(&app).await.is_empty(), "a reminder tells no staff");

    answer(&links(&app, "reminder", amina).await.remove(0), "oui").await;
    assert!(staff_mail(&app).await.is_empty(), "\"je viens\" tells no staff");
    answer(&links(&app, "reminder", bilal).await.remove(0), "non").await;
    let mail = staff_mail(&app).await;
    let to: Vec<(i64, &str, &str)> = mail.iter().map(|m| (m.0, m.1.as_str(), m.2.as_str())).collect();
    assert_eq!(
        to,
        [
            (claire.id, "staff_declined", "Désistement : Atelier CV"),
            (marc.id, "staff_declined", "Désistement : Atelier CV")
        ],
        "the CIPs of the person's structure, no one else"
    );
    let body = &mail[0].3;
    assert!(body.contains("Bilal Test a répondu « Je ne peux pas venir »"), "{body}");
    assert!(body.contains("Sa place est allée à la première personne en attente"), "{body}");
    assert!(body.contains(&format!("/equipe/seances/{session}")), "{body}");
    assert!(!body.contains("Amina") && !body.contains("Chloe"), "nobody else's name: {body}");

    // Answering again tells nobody twice.
    answer(&links(&app, "reminder", bilal).await.remove(0), "non").await;
    assert_eq!(staff_mail(&app).await.len(), 2);
}

async fn a_decline_tells_only_the_referent_when_the_person_has_one(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let (claire, marc) = (app.cip("claire@tremplin.fr", a).await, app.cip("marc@tremplin.fr", a).await);
    let person = toile_server::core::NewParticipant {
        first_name: "Amina".into(),
        last_name: "Benali".into(),
        structure_id: a,
        referent_id: Some(marc.id),
        phone: None,
        email: Some("amina@exemple.fr".into()),
    };
    let amina = app.core.register_participant(&Actor::Operator, person).await.unwrap().0.id;
    let session = app.session(&app.admin, a, Duration::days(3), 1, json!({})).await;
    let starts_at = DateTime::parse_from_rfc3339(session["starts_at"].as_str().unwrap()).unwrap().to_utc();
    app.core.enrol(&app.admin_actor(), session["id"].as_i64().unwrap(), amina, Request::Normal).await.unwrap();
    core_at(&app, reminder_time(starts_at) + Duration::minutes(1)).queue_reminders().await.unwrap();
    answer(&links(&app, "reminder", amina).await.remove(0), "non").await;
    let mail = staff_mail(&app).await;
    assert_eq!(mail.iter().map(|m| m.0).collect::<Vec<_>>(), [marc.id], "her referent only, not {}", claire.id);
    assert!(mail[0].3.contains("Sa place est libre : personne n'attendait."), "{}", mail[0].3);
}

async fn where_the_group_asks_people_are_reminded_again_at_eight_on_the_day(db: &TestDb) {
    use chrono_tz::Europe::Paris;
    let app = TestApp::spawn(db).await;
    // At 14:00 in three days, whatever the hour the test runs.
    let day = (Utc::now().with_timezone(&Paris) + Duration::days(3)).date_naive();
    let two = day.and_hms_opt(14, 0, 0).unwrap().and_local_timezone(Paris).unwrap().with_timezone(&Utc);
    let times = json!({"starts_at": two.to_rfc3339(), "ends_at": (two + Duration::hours(2)).to_rfc3339()});
    let (session, starts_at, [amina, bilal, chloe]) = full_session(&app, 3, times).await;
    core_at(&app, reminder_time(starts_at) + Duration::minutes(1)).queue_reminders().await.unwrap();
    // Bilal cannot come: Chloé, waiting, gets his seat that morning.
    let bilal_link = links(&app, "reminder", bilal).await.remove(0);
    let secret = bilal_link.split("/r/").nth(1).unwrap();
    core_at(&app, reminder_time(starts_at) + Duration::minutes(30)).answer(secret, Reply::NotComing).await.unwrap();

    let eight = morning_reminder_time(starts_at);
    assert_eq!(core_at(&app, eight + Duration::minutes(1)).queue_reminders().await.unwrap(), 0, "off unless asked");
    let morning = |at| core_at(&app, at).with_morning_reminders(true);
    assert_eq!(morning(eight - Duration::minutes(1)).queue_reminders().await.unwrap(), 0, "not before 8:00");
    assert_eq!(morning(eight + Duration::minutes(1)).queue_reminders().await.unwrap(), 2, "Amina and Chloé");
    assert_eq!(morning(eight + Duration::minutes(2)).queue_reminders().await.unwrap(), 0, "once");
    let sms: Vec<(i64, String)> = outbox(&app)
        .await
        .into_iter()
        .filter(|m| m.1 == "morning_reminder" && m.2 == "sms")
        .map(|m| (m.0, m.3))
        .collect();
    assert_eq!(sms.iter().map(|m| m.0).collect::<Vec<_>>(), [amina, chloe], "the people seated, not Bilal");
    assert!(sms[0].1.starts_with("C'est aujourd'hui : Atelier CV, ") && sms[0].1.contains("/r/"), "{}", sms[0].1);
    assert!(sms[0].1.chars().count() <= SMS_CHARS, "one SMS: {}", sms[0].1);

    // Chloé's morning link frees her seat as the day-before one would.
    answer(&links(&app, "morning_reminder", chloe).await.remove(0), "non").await;
    assert_eq!(enrolment(&app, session, chloe).await.0, "cancelled_by_participant");
}

/// An answer posted as the page's script does, from `address`: status and body.
async fn answer_from(base: &str, secret: &str, value: &str, address: &str) -> (u16, String) {
    let response = without_redirects()
        .post(format!("{base}/fn/answer"))
        .header("accept", "application/json")
        .header("x-forwarded-for", address)
        .form(&[("secret", secret), ("reponse", value)])
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn a_flood_of_wrong_answer_secrets_from_one_address_is_refused_in_french_and_writes_nothing(db: &TestDb) {
    let config = toile_server::config::Config { behind_proxy: true, ..Default::default() };
    let app = TestApp::spawn_with(db, config, toile_server::core::StoreOptions::default()).await;
    let (session, starts_at, [amina, ..]) = full_session(&app, 3, json!({})).await;
    core_at(&app, reminder_time(starts_at) + Duration::minutes(1)).queue_reminders().await.unwrap();
    let link = links(&app, "reminder", amina).await.remove(0);
    let (base, secret) = link.split_once("/r/").unwrap();
    let written = || async {
        let audit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log").fetch_one(&app.sql).await.unwrap();
        (audit, enrolment(&app, session, amina).await)
    };
    let before = written().await;

    for n in 0..20 {
        let (status, body) = answer_from(base, &format!("faux{n:012}"), "non", "203.0.113.7").await;
        assert_eq!(status, 404, "wrong secret {n}: {body}");
    }
    let (status, body) = answer_from(base, "fauxfauxfauxfaux", "non", "203.0.113.7").await;
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("rate_limited") && body.contains("Trop d'essais. Attendez "), "{body}");
    let (status, _) = answer_from(base, secret, "non", "203.0.113.7").await;
    assert_eq!(status, 429, "the address is held, even with a right secret");
    assert_eq!(written().await, before, "nothing written");

    let (status, body) = answer_from(base, secret, "non", "198.51.100.20").await;
    assert_eq!(status, 200, "a right secret from another address works: {body}");
    assert_eq!(enrolment(&app, session, amina).await.0, "cancelled_by_participant");
}
