//! Messages to participants: queued in the transaction of their cause (a promotion, a
//! cancellation, a change of time), sent by the delivery worker through a real SMTP server and
//! an SMS provider's HTTP API on this machine, retried when the provider fails for a while,
//! failed and shown when it refuses, never sent twice — on both backends.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use tests::smtp::SmtpServer;
use tests::{Store, TestApp, TestDb, on_every_backend};
use toile_server::config::open_core;
use toile_server::core::{Clock, Core, QuietHours, SMS_CHARS, StoreOptions};
use toile_server::notify::{Brevo, LogSender, Senders, Smtp, deliver_due};
use toile_shared::enrolment::Request;

on_every_backend!(
    a_freed_seat_tells_the_person_promoted_by_sms_and_e_mail_once,
    cancelling_or_moving_a_session_tells_everyone_in_it_or_waiting,
    an_e_mail_arrives_through_a_real_smtp_server_in_french,
    an_sms_provider_down_for_a_while_is_tried_again_and_a_refusal_is_shown,
    two_workers_never_send_the_same_message_twice,
    no_sms_leaves_at_night,
    a_running_server_sends_what_its_changes_queue,
    a_seat_is_confirmed_at_once_only_where_the_group_asks_for_it,
    facilitators_get_tomorrow_s_sessions_at_five_the_day_before_once,
    a_stop_answered_by_sms_stops_sms_to_that_number_only_through_the_secret_address,
    two_server_processes_on_one_database_send_each_message_once,
);

/// (participant, kind, channel, status, body) of every message to a participant, in order.
async fn outbox(app: &TestApp) -> Vec<(i64, String, String, String, String)> {
    sqlx::query_as(
        "SELECT participant_id, kind, channel, status, body FROM outbox WHERE participant_id IS NOT NULL ORDER BY id",
    )
    .fetch_all(&app.sql)
    .await
    .unwrap()
}

/// A clock at a time SMS may leave: now, or at 11:00 Paris time the next morning when now is in
/// the quiet hours (the tests run at any hour).
fn daytime_clock() -> Clock {
    let clock = Clock::system();
    let now = clock.now();
    if QuietHours::default().next_allowed(now) != now {
        let morning = (now.with_timezone(&chrono_tz::Europe::Paris) + Duration::hours(12)).date_naive();
        let eleven = morning.and_hms_opt(11, 0, 0).unwrap().and_local_timezone(chrono_tz::Europe::Paris).unwrap();
        clock.advance(eleven.with_timezone(&Utc) - now);
    }
    clock
}

/// The app's core at a time SMS may leave (`daytime_clock`).
fn daytime(app: &TestApp) -> Core {
    app.core.with_clock(daytime_clock())
}

/// A session of one seat: Amina in it, Bilal waiting.
async fn full_session(app: &TestApp) -> (i64, i64, i64) {
    let a = app.structure("Tremplin").await;
    let amina = app.reachable(a, "Amina").await;
    let bilal = app.reachable(a, "Bilal").await;
    let body = json!({"title": "Atelier CV"});
    let session = app.session(&app.admin, a, Duration::days(3), 1, body).await["id"].as_i64().unwrap();
    for person in [amina, bilal] {
        app.core.enrol(&app.admin_actor(), session, person, Request::Normal).await.unwrap();
    }
    (session, amina, bilal)
}

async fn a_freed_seat_tells_the_person_promoted_by_sms_and_e_mail_once(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let (session, amina, bilal) = full_session(&app).await;
    assert!(outbox(&app).await.is_empty(), "enrolling or waiting sends nothing");
    app.core.unenrol(&app.admin_actor(), session, amina).await.unwrap();
    let queued = outbox(&app).await;
    let channels: Vec<(i64, &str, &str)> = queued.iter().map(|m| (m.0, m.1.as_str(), m.2.as_str())).collect();
    assert_eq!(channels, [(bilal, "seat_offer", "sms"), (bilal, "seat_offer", "email")], "only the person promoted");
    let sms = &queued[0].4;
    assert!(sms.starts_with("Une place s'est libérée pour vous : Atelier CV, "), "{sms}");
    assert!(sms.chars().count() <= SMS_CHARS, "one SMS: {sms}");

    let sent = deliver_due(&daytime(&app), &Senders::log()).await.unwrap();
    assert_eq!(sent, 2);
    assert_eq!(deliver_due(&daytime(&app), &Senders::log()).await.unwrap(), 0, "nothing twice");
    let statuses: Vec<String> = outbox(&app).await.into_iter().map(|m| m.3).collect();
    assert_eq!(statuses, ["sent", "sent"]);

    // Staff see it: the people of their structure, by name.
    let lines = app.core.notifications(&app.admin_actor()).await.unwrap();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l.recipient == "Bilal Test" && l.status.code() == "sent"), "{lines:?}");
}

async fn cancelling_or_moving_a_session_tells_everyone_in_it_or_waiting(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let (session, amina, bilal) = full_session(&app).await;
    let admin = app.admin.clone();
    let later = (Utc::now() + Duration::days(4)).to_rfc3339();
    let ends = (Utc::now() + Duration::days(4) + Duration::hours(2)).to_rfc3339();
    let (status, _) = admin.patch(&format!("/sessions/{session}"), json!({"starts_at": later, "ends_at": ends})).await;
    assert_eq!(status, 200);
    let (status, _) = admin.patch(&format!("/sessions/{session}"), json!({"title": "Atelier CV (salle 2)"})).await;
    assert_eq!(status, 200);
    let changed: Vec<(i64, String)> =
        outbox(&app).await.into_iter().filter(|m| m.2 == "sms").map(|m| (m.0, m.1)).collect();
    assert_eq!(
        changed,
        [(amina, "session_changed".into()), (bilal, "session_changed".into())],
        "a new time is told; a new title alone is not"
    );
    let (status, _) = admin.post(&format!("/sessions/{session}/cancel"), json!({"reason": "Formatrice malade"})).await;
    assert_eq!(status, 200);
    let (status, _) = admin.post(&format!("/sessions/{session}/cancel"), json!({})).await;
    assert_eq!(status, 200);
    let cancelled: Vec<i64> =
        outbox(&app).await.into_iter().filter(|m| m.1 == "session_cancelled" && m.2 == "sms").map(|m| m.0).collect();
    assert_eq!(cancelled, [amina, bilal], "everyone in it or waiting, once");
}

async fn an_e_mail_arrives_through_a_real_smtp_server_in_french(db: &TestDb) {
    let Some(smtp) = SmtpServer::start() else { return };
    let app = TestApp::spawn(db).await;
    let (session, amina, _) = full_session(&app).await;
    app.core.unenrol(&app.admin_actor(), session, amina).await.unwrap();
    let senders = Senders {
        email: Arc::new(Smtp::new(&smtp.url(), "Toile <toile@exemple.fr>").unwrap()),
        sms: Arc::new(LogSender),
    };
    assert_eq!(deliver_due(&daytime(&app), &senders).await.unwrap(), 2);
    let received = smtp.received();
    let stored: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT channel, status, last_error FROM outbox").fetch_all(&app.sql).await.unwrap();
    assert_eq!(received.len(), 1, "{received:?} {stored:?}");
    let mail = &received[0];
    assert_eq!(mail.to, "bilal@exemple.fr");
    assert_eq!(mail.from, "Toile <toile@exemple.fr>");
    assert_eq!(mail.subject, "Une place s'est libérée : Atelier CV");
    assert!(mail.text.contains("vous êtes inscrit·e") && mail.text.contains("Atelier CV, "), "{}", mail.text);
    assert!(mail.html.contains("<p>Bonjour,</p>"), "{}", mail.html);
    assert!(mail.message_id.starts_with("<seat_offer."), "the idempotency key names the message: {}", mail.message_id);
    let provider: (String, String) = sqlx::query_as("SELECT provider, status FROM outbox WHERE channel = 'email'")
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(provider, ("smtp".into(), "sent".into()));
}

/// A stand-in for Brevo's API on this machine: answers the statuses given, in order (then
/// 201), and keeps each request's API key and body.
#[derive(Clone, Default)]
struct FakeBrevo {
    answers: Arc<Mutex<Vec<u16>>>,
    requests: Arc<Mutex<Vec<(String, Value)>>>,
}

async fn brevo_answer(
    State(fake): State<FakeBrevo>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let key = headers.get("api-key").and_then(|k| k.to_str().ok()).unwrap_or_default().to_string();
    fake.requests.lock().unwrap().push((key, body));
    let status = { fake.answers.lock().unwrap().pop().unwrap_or(201) };
    let answer = match status {
        201 => json!({"reference": "ab1", "messageId": 1511882900176220u64, "smsCount": 1}),
        _ => json!({"code": "invalid_parameter", "message": "refused"}),
    };
    (StatusCode::from_u16(status).unwrap(), Json(answer))
}

async fn fake_brevo(fake: FakeBrevo) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app =
        axum::Router::new().route("/v3/transactionalSMS/send", axum::routing::post(brevo_answer)).with_state(fake);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/v3/transactionalSMS/send")
}

async fn an_sms_provider_down_for_a_while_is_tried_again_and_a_refusal_is_shown(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let fake = FakeBrevo::default();
    // Answers are popped from the end: first a 503, then the 201.
    fake.answers.lock().unwrap().push(503);
    let url = fake_brevo(fake.clone()).await;
    let senders =
        Senders { sms: Arc::new(Brevo::new(&url, "cle-secrete", "Toile").unwrap()), email: Arc::new(LogSender) };
    let (session, amina, bilal) = full_session(&app).await;
    app.core.unenrol(&app.admin_actor(), session, amina).await.unwrap();

    let clock = daytime_clock();
    let core = app.core.with_clock(clock.clone());
    deliver_due(&core, &senders).await.unwrap();
    let sms: (String, i64, Option<String>) =
        sqlx::query_as("SELECT status, attempts, last_error FROM outbox WHERE channel = 'sms'")
            .fetch_one(&app.sql)
            .await
            .unwrap();
    assert_eq!((sms.0.as_str(), sms.1), ("queued", 1), "a 503 is tried again later: {sms:?}");
    assert!(sms.2.unwrap().contains("503"));
    assert_eq!(deliver_due(&core, &senders).await.unwrap(), 0, "not before its wait");
    clock.advance(Duration::seconds(31));
    deliver_due(&core, &senders).await.unwrap();
    let sent: (String, String) = sqlx::query_as("SELECT status, provider_id FROM outbox WHERE channel = 'sms'")
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(sent, ("sent".into(), "1511882900176220".into()));
    {
        let requests = fake.requests.lock().unwrap();
        assert_eq!(requests.len(), 2);
        let (key, body) = &requests[1];
        assert_eq!(key, "cle-secrete");
        assert_eq!(body["sender"], "Toile");
        assert_eq!(body["recipient"], "33612345678", "the number with its country code");
        assert_eq!(body["type"], "transactional");
        assert!(body["content"].as_str().unwrap().starts_with("Une place s'est libérée pour vous"), "{body}");
    }

    // A refusal (4xx) is not tried again: it is shown to staff.
    fake.answers.lock().unwrap().push(400);
    app.core.unenrol(&app.admin_actor(), session, bilal).await.unwrap();
    let someone = app.reachable(app.structure("Tremplin").await, "Chloe").await;
    app.core.enrol(&app.admin_actor(), session, someone, Request::Normal).await.unwrap();
    let cancelled = app.admin.post(&format!("/sessions/{session}/cancel"), json!({})).await.0;
    assert_eq!(cancelled, 200);
    deliver_due(&core, &senders).await.unwrap();
    let lines = core.notifications(&app.admin_actor()).await.unwrap();
    let failed: Vec<_> = lines.iter().filter(|l| l.status.code() == "failed").collect();
    assert_eq!(failed.len(), 1, "{lines:?}");
    assert!(failed[0].last_error.as_deref().unwrap().contains("400"), "{failed:?}");

    // The staff of Chloe's structure see it on their page, first, with Brevo's words.
    app.cip("cip@test.fr", app.structure("Tremplin").await).await;
    let form = [("email", "cip@test.fr"), ("password", "motdepasse-test")];
    let cookie = tests::http::sign_in_by_form(&app.base, "/fn/sign_in_staff", &form).await;
    let page = tests::http::text_as(&format!("{}/equipe/notifications", app.base), &cookie).await;
    assert!(
        page.contains("1 message n&#x27;a pas pu partir") || page.contains("1 message n'a pas pu partir"),
        "{page}"
    );
    let first_row = &page[page.find("<tbody>").unwrap()..];
    assert!(first_row.find("Chloe Test").unwrap() < first_row.find("Bilal Test").unwrap(), "failures first");
    assert!(page.contains("Brevo a répondu 400"), "{page}");
}

/// A session of 60 seats, all taken by people with a phone and an e-mail address.
async fn session_of_sixty(app: &TestApp) -> i64 {
    let a = app.structure("Tremplin").await;
    let body = json!({"title": "Atelier numérique"});
    let session = app.session(&app.admin, a, Duration::days(3), 60, body).await["id"].as_i64().unwrap();
    for i in 0..60 {
        let person = app.reachable(a, &format!("P{i}")).await;
        app.core.enrol(&app.admin_actor(), session, person, Request::Normal).await.unwrap();
    }
    session
}

async fn two_workers_never_send_the_same_message_twice(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let session = session_of_sixty(&app).await;
    app.core.cancel_session(&app.admin_actor(), session, None).await.unwrap();
    // Two servers on one database (on PostgreSQL, two processes would be two pools).
    let other = open_core(&db.url, StoreOptions::default()).await.unwrap().with_clock(daytime_clock());
    let counted = Arc::new(Mutex::new(Vec::<i64>::new()));
    let senders = Senders { sms: Arc::new(Counting(counted.clone())), email: Arc::new(Counting(counted.clone())) };
    let one = daytime(&app);
    let (one, two) = tokio::join!(deliver_due(&one, &senders), deliver_due(&other, &senders));
    assert_eq!(one.unwrap() + two.unwrap(), 120);
    let mut sent = counted.lock().unwrap().clone();
    sent.sort();
    let before = sent.len();
    sent.dedup();
    assert_eq!((before, sent.len()), (120, 120), "every message once");
    if db.store == Store::Postgres {
        eprintln!("two workers on PostgreSQL shared 120 messages without a double");
    }
}

/// Two `toile serve` processes on one database, both running the delivery worker, share a
/// cancellation's 60 e-mails: every one arrives at the SMTP server once.
async fn two_server_processes_on_one_database_send_each_message_once(db: &TestDb) {
    let Some(smtp) = SmtpServer::start() else { return };
    let app = TestApp::spawn(db).await;
    let session = session_of_sixty(&app).await;
    let program = env!("CARGO_BIN_EXE_toile-test-server");
    let url = smtp.url();
    let env = [("TOILE_SMTP_URL", url.as_str()), ("TOILE_SMTP_FROM", "Toile <toile@exemple.fr>")];
    let servers = [
        tests::process::ServerProcess::start_with(program, &db.url, &env),
        tests::process::ServerProcess::start_with(program, &db.url, &env),
    ];
    let admin = tests::http::Api { base: format!("{}/api/v1", servers[0].base), ..app.admin.clone() };
    assert_eq!(admin.post(&format!("/sessions/{session}/cancel"), json!({})).await.0, 200);
    let started = std::time::Instant::now();
    while smtp.received().len() < 60 && started.elapsed() < std::time::Duration::from_secs(60) {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // A little longer: a double would come now.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let mut to: Vec<String> = smtp.received().into_iter().map(|m| m.to).collect();
    let arrived = to.len();
    to.sort();
    to.dedup();
    assert_eq!((arrived, to.len()), (60, 60), "60 people, one e-mail each");
    let sent_by: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM outbox WHERE channel = 'email' GROUP BY status")
            .fetch_all(&app.sql)
            .await
            .unwrap();
    assert_eq!(sent_by, [("sent".to_string(), 60)], "and the outbox says each was sent");
    drop(servers);
}

/// Counts what it is asked to send.
struct Counting(Arc<Mutex<Vec<i64>>>);

#[async_trait::async_trait]
impl toile_server::notify::Sender for Counting {
    fn provider(&self) -> &'static str {
        "counting"
    }

    async fn send(&self, message: &toile_server::core::Outgoing) -> toile_server::core::Delivery {
        self.0.lock().unwrap().push(message.id);
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        toile_server::core::Delivery::Sent { provider: "counting".into(), provider_id: message.id.to_string() }
    }
}

async fn no_sms_leaves_at_night(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let (session, amina, _) = full_session(&app).await;
    // 22:30 in Paris tomorrow: the SMS waits until 8:00, the e-mail goes at once.
    let tomorrow = (Utc::now() + Duration::days(1)).with_timezone(&chrono_tz::Europe::Paris).date_naive();
    let paris = |h, m| tomorrow.and_hms_opt(h, m, 0).unwrap().and_local_timezone(chrono_tz::Europe::Paris).unwrap();
    let night = paris(22, 30).with_timezone(&Utc);
    let morning = (paris(8, 0) + Duration::days(1)).with_timezone(&Utc).timestamp();
    let clock = Clock::system();
    clock.advance(night - Utc::now());
    let core = app.core.with_clock(clock.clone());
    core.unenrol(&app.admin_actor(), session, amina).await.unwrap();
    let due: Vec<(String, i64)> =
        sqlx::query_as("SELECT channel, due_at FROM outbox ORDER BY channel").fetch_all(&app.sql).await.unwrap();
    assert_eq!(due[0].0, "email");
    assert!((due[0].1 - night.timestamp()).abs() < 5, "the e-mail at once: {due:?}");
    assert_eq!(due[1], ("sms".into(), morning), "the SMS at 8:00");
    assert_eq!(deliver_due(&core, &Senders::log()).await.unwrap(), 1, "only the e-mail at night");
    clock.advance(Duration::hours(9) + Duration::minutes(31));
    assert_eq!(deliver_due(&core, &Senders::log()).await.unwrap(), 1, "the SMS in the morning");
}

/// `toile serve` runs the delivery worker: a cancellation through its API reaches the SMTP
/// server it is configured with, without anything else being called.
async fn a_running_server_sends_what_its_changes_queue(db: &TestDb) {
    let Some(smtp) = SmtpServer::start() else { return };
    let app = TestApp::spawn(db).await;
    let (session, _, _) = full_session(&app).await;
    let program = env!("CARGO_BIN_EXE_toile-test-server");
    let url = smtp.url();
    let env = [("TOILE_SMTP_URL", url.as_str()), ("TOILE_SMTP_FROM", "Toile <toile@exemple.fr>")];
    let server = tests::process::ServerProcess::start_with(program, &db.url, &env);
    let admin = tests::http::Api { base: format!("{}/api/v1", server.base), ..app.admin.clone() };
    let (status, _) = admin.post(&format!("/sessions/{session}/cancel"), json!({})).await;
    assert_eq!(status, 200);
    let mut received = vec![];
    for _ in 0..100 {
        received = smtp.received();
        if received.len() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let mut subjects: Vec<(String, String)> = received.into_iter().map(|m| (m.to, m.subject)).collect();
    subjects.sort();
    assert_eq!(
        subjects,
        [
            ("amina@exemple.fr".to_string(), "Séance annulée : Atelier CV".to_string()),
            ("bilal@exemple.fr".to_string(), "Séance annulée : Atelier CV".to_string()),
        ],
        "the person seated and the person waiting"
    );
}

async fn a_seat_is_confirmed_at_once_only_where_the_group_asks_for_it(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let (amina, bilal) = (app.reachable(a, "Amina").await, app.reachable(a, "Bilal").await);
    let session = app.session(&app.admin, a, Duration::days(3), 1, json!({})).await["id"].as_i64().unwrap();
    let confirming = app.core.with_enrolment_confirmations(true);
    confirming.enrol(&app.admin_actor(), session, amina, Request::Normal).await.unwrap();
    let queued = outbox(&app).await;
    let to: Vec<(i64, &str, &str)> = queued.iter().map(|m| (m.0, m.1.as_str(), m.2.as_str())).collect();
    assert_eq!(to, [(amina, "enrolled", "sms"), (amina, "enrolled", "email")]);
    let sms = &queued[0].4;
    assert!(sms.starts_with("Inscription confirmée : Atelier CV, ") && sms.contains("12 rue des Postes"), "{sms}");
    assert!(sms.chars().count() <= SMS_CHARS, "one SMS: {sms}");

    confirming.enrol(&app.admin_actor(), session, bilal, Request::Normal).await.unwrap();
    confirming.enrol(&app.admin_actor(), session, amina, Request::Normal).await.unwrap();
    assert_eq!(outbox(&app).await.len(), 2, "a person waiting is not told they are in; asking twice tells once");

    let other = app.session(&app.admin, a, Duration::days(4), 5, json!({})).await["id"].as_i64().unwrap();
    app.core.enrol(&app.admin_actor(), other, bilal, Request::Normal).await.unwrap();
    assert_eq!(outbox(&app).await.len(), 2, "off unless the group asks");
}

/// What the day's digest says, to whom: (staff member, subject, body).
async fn digests(app: &TestApp) -> Vec<(i64, String, String)> {
    sqlx::query_as("SELECT user_id, subject, body FROM outbox WHERE kind = 'staff_digest' ORDER BY user_id")
        .fetch_all(&app.sql)
        .await
        .unwrap()
}

async fn facilitators_get_tomorrow_s_sessions_at_five_the_day_before_once(db: &TestDb) {
    use chrono_tz::Europe::Paris;
    use toile_server::core::{Reply, digest_time, reminder_time};
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let (claire, marc) = (app.cip("claire@tremplin.fr", a).await, app.cip("marc@tremplin.fr", a).await);
    // A day ten days ahead, whatever today is.
    let day = (Utc::now().with_timezone(&Paris) + Duration::days(10)).date_naive();
    let at = |h, m| day.and_hms_opt(h, m, 0).unwrap().and_local_timezone(Paris).unwrap().with_timezone(&Utc);
    let create = async |starts: chrono::DateTime<Utc>, capacity, title: &str, runs: i64| {
        let mut body = tests::fixtures::session_body(a, starts, capacity);
        body["title"] = json!(title);
        body["facilitator_ids"] = json!([runs]);
        let (status, session) = app.admin.post("/sessions", body).await;
        assert_eq!(status, 201, "{session}");
        session["id"].as_i64().unwrap()
    };
    let cv = create(at(9, 30), 2, "Atelier CV", claire.id).await;
    create(at(14, 0), 8, "Rencontre Transports Lebon", claire.id).await;
    create(at(9, 0) + Duration::days(1), 8, "Le jour d'après", marc.id).await;
    let people = [app.reachable(a, "Amina").await, app.reachable(a, "Bilal").await, app.reachable(a, "Chloe").await];
    for person in people {
        app.core.enrol(&app.admin_actor(), cv, person, Request::Normal).await.unwrap();
    }
    // Amina answers the reminder: she cannot come; Chloé, waiting, takes her seat.
    let core_at = |at: chrono::DateTime<Utc>| {
        let clock = Clock::system();
        clock.advance(at - clock.now());
        app.core.with_clock(clock)
    };
    core_at(reminder_time(at(9, 30)) + Duration::minutes(1)).queue_reminders().await.unwrap();
    // The link as the e-mail carried it: the outbox keeps only a stand-in.
    let key = format!(":{}:email:", people[0]);
    let sent = app.sent().await;
    let email = sent.iter().find(|m| m.kind == "reminder" && m.idempotency_key.contains(&key)).unwrap();
    let secret = email.body.split("/r/").nth(1).unwrap().split_whitespace().next().unwrap();
    core_at(reminder_time(at(9, 30)) + Duration::hours(1)).answer(secret, Reply::NotComing).await.unwrap();

    let five = digest_time(day);
    assert_eq!(core_at(five - Duration::minutes(1)).queue_digests().await.unwrap(), 0, "not before 17:00");
    let core = core_at(five + Duration::minutes(1));
    assert_eq!(core.queue_digests().await.unwrap(), 1, "Claire runs sessions tomorrow; Marc the day after");
    assert_eq!(core.queue_digests().await.unwrap(), 0, "once a day");
    let sent = digests(&app).await;
    assert_eq!(sent.len(), 1);
    let (to, subject, body) = &sent[0];
    assert_eq!(*to, claire.id);
    assert!(subject.starts_with("Vos 2 séances de demain, "), "{subject}");
    assert!(body.contains("• Atelier CV, 9 h 30 – 11 h 30, 12 rue des Postes"), "{body}");
    assert!(body.contains("2 inscrit·es pour 2 places, 0 en attente."), "{body}");
    assert!(body.contains("« Je ne peux pas venir » : Amina Test."), "{body}");
    assert!(body.contains("• Rencontre Transports Lebon, 14 h 00 – 16 h 00"), "{body}");
    assert!(body.contains(&format!("/equipe/seances/{cv}")), "{body}");
    assert!(body.find("Atelier CV").unwrap() < body.find("Rencontre").unwrap(), "in the day's order");

    // Staff see it among the messages, as one to a colleague about a day.
    let lines = core.notifications(&app.admin_actor()).await.unwrap();
    let line = lines.iter().find(|l| l.what == "séances du lendemain, à l'animateur").expect("listed");
    assert_eq!((line.recipient.as_str(), line.participant_id, line.session_id), ("claire@tremplin.fr", None, None));

    // It arrives by e-mail through a real SMTP server.
    let Some(smtp) = SmtpServer::start() else { return };
    let senders = Senders {
        email: Arc::new(Smtp::new(&smtp.url(), "Toile <toile@exemple.fr>").unwrap()),
        sms: Arc::new(LogSender),
    };
    deliver_due(&core, &senders).await.unwrap();
    let received = smtp.received();
    // Claire, a CIP of Amina's structure, was also told of her decline.
    let mail: Vec<&str> =
        received.iter().filter(|m| m.to == "claire@tremplin.fr").map(|m| m.subject.as_str()).collect();
    assert_eq!(mail, ["Désistement : Atelier CV", subject.as_str()], "{received:?}");
    let digest = received.iter().find(|m| &m.subject == subject).unwrap();
    assert!(digest.text.contains("« Je ne peux pas venir » : Amina Test."), "{}", digest.text);
}

/// When each person stopped SMS (None while they get them), by id.
async fn sms_stopped(app: &TestApp, people: &[i64]) -> Vec<Option<i64>> {
    let mut stopped = Vec::new();
    for person in people {
        let at: Option<i64> = sqlx::query_scalar("SELECT sms_stopped_at FROM participants WHERE id = $1")
            .bind(person)
            .fetch_one(&app.sql)
            .await
            .unwrap();
        stopped.push(at);
    }
    stopped
}

async fn a_stop_answered_by_sms_stops_sms_to_that_number_only_through_the_secret_address(db: &TestDb) {
    const SECRET: &str = "b7c1f0e2a9d84c35a61e0f2d";
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    // Two people of one family give the same phone (`reachable` gives everyone 06 12 34 56 78).
    let (amina, sara) = (app.reachable(a, "Amina").await, app.reachable(a, "Sara").await);
    let mut other = tests::fixtures::new_participant(a, "Hugo");
    other.phone = Some("07 00 00 00 01".into());
    let hugo = app.core.register_participant(&tests::fixtures::OPERATOR, other).await.unwrap().0.id;
    let people = [amina, sara, hugo];
    let base = app.serve_also(app.core.with_sms_webhook_secret(SECRET)).await;
    let client = reqwest::Client::new();
    let post = |url: String, body: Value| {
        let client = client.clone();
        async move {
            let answer = client.post(url).json(&body).send().await.unwrap();
            (answer.status(), answer.json::<Value>().await.unwrap())
        }
    };
    let path = |secret: &str| format!("{}/{secret}", toile_shared::paths::SMS_WEBHOOK);
    // Brevo's unsubscription event, as its documentation shows the payload: the number without `+`.
    let stop = json!({"id": 26570, "to": "33612345678", "sms_count": 1, "messageId": 123,
        "msg_status": "unsubscribe", "date": "2026-03-02 19:02:11", "type": "transactional"});

    let (status, body) = post(format!("{base}{}", path("not-the-secret-at-all-000")), stop.clone()).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    let (status, _) = post(format!("{}{}", app.base, path(SECRET)), stop.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no secret configured: the address does not exist");
    assert_eq!(sms_stopped(&app, &people).await, [None, None, None], "nothing stopped by a wrong call");

    let delivered = json!({"to": "33612345678", "msg_status": "delivered", "messageId": 124});
    assert_eq!(post(format!("{base}{}", path(SECRET)), delivered).await, (StatusCode::OK, json!({"received": true})));
    let unreadable = client.post(format!("{base}{}", path(SECRET))).body("STOP").send().await.unwrap();
    assert_eq!(unreadable.status(), StatusCode::BAD_REQUEST, "not JSON: a clear 400, never a 500");
    assert_eq!(sms_stopped(&app, &people).await, [None, None, None], "other events change nothing");

    assert_eq!(
        post(format!("{base}{}", path(SECRET)), stop.clone()).await,
        (StatusCode::OK, json!({"received": true}))
    );
    let stopped = sms_stopped(&app, &people).await;
    assert!(stopped[0].is_some() && stopped[1].is_some(), "both people with that phone: {stopped:?}");
    assert_eq!(stopped[2], None, "another number still gets SMS");
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'sms_stopped' AND details = 'STOP par SMS'")
            .fetch_one(&app.sql)
            .await
            .unwrap();
    assert_eq!(audited, 2, "each stop is in the audit trail, under the person");

    // A reply "Stop" from Hugo's phone, written with its `+`; then the same STOP again.
    let reply = json!({"to": "+33700000001", "msg_status": "replied", "reply": "Stop"});
    assert_eq!(post(format!("{base}{}", path(SECRET)), reply).await, (StatusCode::OK, json!({"received": true})));
    assert!(sms_stopped(&app, &people).await[2].is_some());
    assert_eq!(post(format!("{base}{}", path(SECRET)), stop).await, (StatusCode::OK, json!({"received": true})));
}
