//! What messages to participants cost. (1) A cancellation that gives the seat to the person
//! waiting, with the seat offer queued in its transaction (an SMS and an e-mail), next to the
//! same cancellation for people without a phone or address (nothing queued), interleaved in the
//! same run. (2) The delivery worker's throughput to a real SMTP server on this machine
//! (aiosmtpd), next to the worker alone (a sender that does nothing) and to the same SMTP sender
//! sending as many messages straight to the same server, without the worker. (3) An enrolment
//! with its confirmation queued (`TOILE_CONFIRM_ENROLMENTS`) next to the same enrolment without.
//! (4) The day-before pass with many people to remind and many facilitators' digests to write,
//! next to the same pass with nothing due.
//!
//! `cargo run --release -p tests --bin bench-notify` (SQLite; PostgreSQL too when
//! `TOILE_TEST_POSTGRES_URL` is set). `BENCH_OPS` sets cancellations per measurement (default
//! 200), `BENCH_MESSAGES` the messages delivered (default 500).

use chrono::Duration;
use serde_json::json;
use std::sync::Arc;
use std::time::Instant;
use tests::fixtures::OPERATOR;
use tests::smtp::SmtpServer;
use tests::{Store, TestApp, TestDb};
use toile_server::core::{Clock, Delivery, NewParticipant, Outgoing, digest_time, reminder_time};
use toile_server::notify::{LogSender, Sender, Senders, Smtp, deliver_due};
use toile_shared::enrolment::Request;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

async fn person(app: &TestApp, structure: i64, n: usize, reachable: bool) -> i64 {
    let new = NewParticipant {
        first_name: format!("P{n}"),
        last_name: "Bench".into(),
        structure_id: structure,
        referent_id: None,
        phone: reachable.then(|| "06 12 34 56 78".into()),
        email: reachable.then(|| format!("p{n}@exemple.fr")),
    };
    app.core.register_participant(&OPERATOR, new).await.unwrap().0.id
}

/// `count` sessions of one seat, each with someone in it and someone waiting: (session, seated).
async fn full_sessions(app: &TestApp, structure: i64, count: usize, reachable: bool, first: i64) -> Vec<(i64, i64)> {
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let starts = Duration::days(30 + first + i as i64);
        let session = app.session(&app.admin, structure, starts, 1, json!({})).await["id"].as_i64().unwrap();
        let seated = person(app, structure, i * 2, reachable).await;
        let waiting = person(app, structure, i * 2 + 1, reachable).await;
        for p in [seated, waiting] {
            app.core.enrol(&app.admin_actor(), session, p, Request::Normal).await.unwrap();
        }
        out.push((session, seated));
    }
    out
}

fn percentiles(mut latencies: Vec<std::time::Duration>) -> (f64, f64) {
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)].as_secs_f64() * 1e3;
    (at(0.5), at(0.99))
}

async fn cancellations(app: &TestApp, sessions: &[(i64, i64)]) -> (f64, f64) {
    let mut latencies = Vec::with_capacity(sessions.len());
    for &(session, seated) in sessions {
        let t = Instant::now();
        let promoted = app.core.unenrol(&app.admin_actor(), session, seated).await.unwrap();
        latencies.push(t.elapsed());
        assert!(promoted.is_some(), "the person waiting got the seat");
    }
    percentiles(latencies)
}

/// Says it sent, at once: the worker's own work (claim, record) alone.
struct Nothing;

#[async_trait::async_trait]
impl Sender for Nothing {
    fn provider(&self) -> &'static str {
        "nothing"
    }

    async fn send(&self, message: &Outgoing) -> Delivery {
        Delivery::Sent { provider: "nothing".into(), provider_id: message.id.to_string() }
    }
}

/// Queues `count` e-mails: a session of `count` people (with an address only) cancelled.
async fn queue_emails(app: &TestApp, structure: i64, count: usize, day: i64) {
    let session =
        app.session(&app.admin, structure, Duration::days(day), count as u32, json!({})).await["id"].as_i64().unwrap();
    for i in 0..count {
        let new = NewParticipant {
            first_name: format!("M{day}-{i}"),
            last_name: "Bench".into(),
            structure_id: structure,
            referent_id: None,
            phone: None,
            email: Some(format!("m{day}-{i}@exemple.fr")),
        };
        let id = app.core.register_participant(&OPERATOR, new).await.unwrap().0.id;
        app.core.enrol(&app.admin_actor(), session, id, Request::Normal).await.unwrap();
    }
    app.core.cancel_session(&app.admin_actor(), session, None).await.unwrap();
}

async fn deliver(app: &TestApp, senders: &Senders, count: usize) -> f64 {
    let t = Instant::now();
    let handled = deliver_due(&app.core, senders).await.unwrap();
    assert_eq!(handled, count);
    count as f64 / t.elapsed().as_secs_f64()
}

async fn bench(store: Store, smtp: &SmtpServer) {
    let ops = env("BENCH_OPS", 200);
    let messages = env("BENCH_MESSAGES", 500);
    let db = TestDb::create(store).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let structure = app.structure("Tremplin").await;

    // (1) Two halves of each kind, interleaved: with messages, without, with, without.
    let with = full_sessions(&app, structure, ops, true, 0).await;
    let without = full_sessions(&app, structure, ops, false, ops as i64).await;
    let half = ops / 2;
    let mut with_figures = vec![];
    let mut without_figures = vec![];
    for part in [0..half, half..ops] {
        with_figures.push(cancellations(&app, &with[part.clone()]).await);
        without_figures.push(cancellations(&app, &without[part]).await);
    }
    let median = |f: &[(f64, f64)]| ((f[0].0 + f[1].0) / 2.0, (f[0].1 + f[1].1) / 2.0);
    let (w50, w99) = median(&with_figures);
    let (n50, n99) = median(&without_figures);
    println!(
        "{store:?}: a cancellation that gives the seat away, {ops} each, one at a time: \
         with the seat offer queued (SMS + e-mail) p50 {w50:.2} ms p99 {w99:.2} ms; \
         without (nobody to tell) p50 {n50:.2} ms p99 {n99:.2} ms; ratio p50 {:.2}",
        w50 / n50
    );
    // What those cancellations queued, out of the way of the throughput measurement.
    deliver_due(&app.core, &Senders { sms: Arc::new(Nothing), email: Arc::new(Nothing) }).await.unwrap();

    // (2) Throughput: the worker alone, then to the SMTP server, then the same sender without the worker.
    queue_emails(&app, structure, messages, 400).await;
    let alone = deliver(&app, &Senders { sms: Arc::new(Nothing), email: Arc::new(Nothing) }, messages).await;
    queue_emails(&app, structure, messages, 401).await;
    let smtp_sender = Smtp::new(&smtp.url(), "Toile <toile@exemple.fr>").unwrap();
    let to_smtp = deliver(&app, &Senders { sms: Arc::new(LogSender), email: Arc::new(smtp_sender) }, messages).await;
    let direct = Smtp::new(&smtp.url(), "Toile <toile@exemple.fr>").unwrap();
    let t = Instant::now();
    for i in 0..messages {
        let message = Outgoing {
            id: i as i64,
            idempotency_key: format!("bench:{i}"),
            kind: "session_cancelled".into(),
            channel: toile_server::core::Channel::Email,
            to: format!("direct{i}@exemple.fr"),
            subject: "Séance annulée : Atelier CV".into(),
            body: "Bonjour,\n\nCette séance n'aura pas lieu.\n".into(),
            attempts: 1,
            queued_at: chrono::Utc::now(),
        };
        assert!(matches!(direct.send(&message).await, Delivery::Sent { .. }));
    }
    let straight = messages as f64 / t.elapsed().as_secs_f64();
    println!(
        "{store:?}: delivering {messages} e-mails: the worker alone {alone:.0} msg/s; the worker to aiosmtpd \
         {to_smtp:.0} msg/s; the same sender straight to aiosmtpd, without the worker, {straight:.0} msg/s (the worker reaches {:.0} % of it)",
        100.0 * to_smtp / straight
    );

    let ((w50, w99), (n50, n99)) = enrolments(&app, structure, ops).await;
    println!(
        "{store:?}: an enrolment into a session with room, {ops} each, one at a time: with the confirmation \
         queued (SMS + e-mail) p50 {w50:.2} ms p99 {w99:.2} ms; without p50 {n50:.2} ms p99 {n99:.2} ms; ratio p50 {:.2}",
        w50 / n50
    );
    let (sessions, seated) = (env("BENCH_DAY_SESSIONS", 50), env("BENCH_DAY_SEATED", 20));
    let [remind, idle_remind, digest, idle_digest] = day_before(&app, structure, sessions, seated).await;
    println!(
        "{store:?}: the day before {sessions} sessions of {seated} people, each with its facilitator: \
         reminders queued for {} people in {remind:.0} ms ({:.0} people/s; the same pass with nothing due \
         {idle_remind:.1} ms); {sessions} digests written in {digest:.0} ms (with nothing due {idle_digest:.1} ms)",
        sessions * seated,
        (sessions * seated) as f64 / (remind / 1e3)
    );
}

/// (3) `ops` enrolments into sessions with room, one at a time, with the confirmation queued
/// and without, in interleaved halves: (p50, p99) of each.
async fn enrolments(app: &TestApp, structure: i64, ops: usize) -> ((f64, f64), (f64, f64)) {
    let confirming = app.core.with_enrolment_confirmations(true);
    let mut with = vec![];
    let mut without = vec![];
    for half in 0..2 {
        for (core, latencies) in [(&confirming, &mut with), (&app.core, &mut without)] {
            let days = 600 + half * 10 + latencies.len() as i64;
            let session = app.session(&app.admin, structure, Duration::days(days), ops as u32, json!({})).await;
            let session = session["id"].as_i64().unwrap();
            let mut people = Vec::with_capacity(ops / 2);
            for i in 0..ops / 2 {
                people.push(person(app, structure, 10_000 + days as usize * 1000 + i, true).await);
            }
            for p in people {
                let t = Instant::now();
                let result = core.enrol(&app.admin_actor(), session, p, Request::Normal).await.unwrap();
                latencies.push(t.elapsed());
                assert!(result.created);
            }
        }
    }
    (percentiles(with), percentiles(without))
}

/// (4) `sessions` sessions the same day, each run by its own facilitator with `seated` people:
/// the time of the day-before passes (reminders at 10:00, digests at 17:00) with all of them due,
/// and of the same passes with nothing due.
async fn day_before(app: &TestApp, structure: i64, sessions: usize, seated: usize) -> [f64; 4] {
    let day = Duration::days(900);
    let starts = chrono::Utc::now() + day;
    for s in 0..sessions {
        let cip = app.cip(&format!("cip{s}@bench.fr"), structure).await;
        let mut body = tests::fixtures::session_body(structure, starts, seated as u32);
        body["facilitator_ids"] = json!([cip.id]);
        let session = app.admin.post("/sessions", body).await.1["id"].as_i64().unwrap();
        for i in 0..seated {
            let p = person(app, structure, 500_000 + s * 1000 + i, true).await;
            app.core.enrol(&app.admin_actor(), session, p, Request::Normal).await.unwrap();
        }
    }
    let at = |when: chrono::DateTime<chrono::Utc>| {
        let clock = Clock::system();
        clock.advance(when - clock.now());
        app.core.with_clock(clock)
    };
    let timed = async |core: toile_server::core::Core, digests: bool| {
        let t = Instant::now();
        let done = if digests { core.queue_digests().await } else { core.queue_reminders().await }.unwrap();
        (t.elapsed().as_secs_f64() * 1e3, done)
    };
    let reminders = at(reminder_time(starts) + Duration::minutes(1));
    let (remind_ms, reminded) = timed(reminders.clone(), false).await;
    assert_eq!(reminded, sessions * seated);
    let (idle_remind_ms, again) = timed(reminders, false).await;
    assert_eq!(again, 0);
    let digests = at(digest_time(starts.with_timezone(&chrono_tz::Europe::Paris).date_naive()) + Duration::minutes(1));
    let (digest_ms, written) = timed(digests.clone(), true).await;
    assert_eq!(written, sessions);
    let (idle_digest_ms, again) = timed(digests, true).await;
    assert_eq!(again, 0);
    [remind_ms, idle_remind_ms, digest_ms, idle_digest_ms]
}

#[tokio::main]
async fn main() {
    let smtp = SmtpServer::start().expect("aiosmtpd (scripts/setup.sh --tests installs it)");
    bench(Store::Sqlite, &smtp).await;
    if std::env::var_os("TOILE_TEST_POSTGRES_URL").is_some() {
        bench(Store::Postgres, &smtp).await;
    }
}
