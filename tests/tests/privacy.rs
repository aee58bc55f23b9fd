//! What the database and the server's log keep of the people messages go to: a person's answer
//! link exists in clear only in the message handed to its provider (the outbox keeps a stand-in,
//! the database the link's hash); the log says the channel, the recipient masked and the kind,
//! never a link, a code, a phone number, an address or a name; erasing a person deletes every
//! message for them or naming them at once; the SMS provider's webhook answers the same whatever
//! the number. On both backends, through the real server.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Europe::Paris;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Arc, LazyLock, Mutex, Once};
use tests::fixtures::OPERATOR;
use tests::{Store, TestApp, TestDb, on_every_backend};
use toile_server::core::{Clock, Core, Delivery, NewParticipant, Outgoing, digest_time, reminder_time};
use toile_server::notify::{LogSender, Sender, Senders, deliver_due};
use toile_shared::enrolment::Request;

on_every_backend!(
    after_reminders_offers_a_decline_and_an_erasure_no_table_nor_the_log_holds_a_link_a_code_or_the_person,
    the_sms_webhook_answers_the_same_whatever_the_number,
);

/// Everything the server logs while this file's tests run, as `toile serve` writes it (its
/// default filter, and the server's own debug lines).
static LOG: LazyLock<Mutex<Vec<u8>>> = LazyLock::new(Mutex::default);

struct Captured;

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        LOG.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_the_log() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("info,toile_server=debug,sqlx=warn,tower_http=warn"))
            .with_ansi(false)
            .with_writer(|| Captured)
            .init();
    });
}

fn the_log() -> String {
    String::from_utf8_lossy(&LOG.lock().unwrap()).into_owned()
}

/// The log transport, keeping what it was handed: the messages as they left, with their links.
#[derive(Default)]
struct Kept(Mutex<Vec<Outgoing>>);

#[async_trait]
impl Sender for Kept {
    fn provider(&self) -> &'static str {
        "log"
    }
    async fn send(&self, message: &Outgoing) -> Delivery {
        self.0.lock().unwrap().push(message.clone());
        LogSender.send(message).await
    }
}

fn core_at(app: &TestApp, at: DateTime<Utc>) -> Core {
    let clock = Clock::system();
    clock.advance(at - clock.now());
    app.core.with_clock(clock)
}

/// Every text value of every table of the database: (table, column, value).
async fn every_text(db: &TestDb, app: &TestApp) -> Vec<(String, String, String)> {
    let columns: Vec<(String, String)> = match db.store {
        Store::Sqlite => {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .fetch_all(&app.sql)
            .await
            .unwrap();
            let mut columns = vec![];
            for table in tables {
                let text: Vec<String> = sqlx::query_scalar(&format!(
                    "SELECT name FROM pragma_table_info('{table}') WHERE upper(type) LIKE '%TEXT%' OR type = ''"
                ))
                .fetch_all(&app.sql)
                .await
                .unwrap();
                columns.extend(text.into_iter().map(|column| (table.clone(), column)));
            }
            columns
        }
        Store::Postgres => sqlx::query_as(
            "SELECT table_name::TEXT, column_name::TEXT FROM information_schema.columns
             WHERE table_schema = 'public' AND data_type IN ('text', 'character varying') ORDER BY 1, 2",
        )
        .fetch_all(&app.sql)
        .await
        .unwrap(),
    };
    assert!(columns.iter().any(|(t, c)| t == "outbox" && c == "body"), "the schema is read: {columns:?}");
    let mut values = vec![];
    for (table, column) in columns {
        let rows: Vec<Option<String>> = sqlx::query_scalar(&format!("SELECT {column} FROM {table}"))
            .fetch_all(&app.sql)
            .await
            .unwrap_or_else(|e| panic!("{table}.{column}: {e}"));
        values.extend(rows.into_iter().flatten().map(|value| (table.clone(), column.clone(), value)));
    }
    values
}

/// A person of the test and every way their data could be written.
struct Person {
    id: i64,
    first_name: &'static str,
    last_name: &'static str,
    code: String,
    phones: Vec<String>,
    email: String,
}

async fn person(app: &TestApp, structure: i64, cip: i64, names: (&'static str, &'static str), phone: &str) -> Person {
    let email = format!("{}.{}@exemple.fr", names.0.to_lowercase(), names.1.to_lowercase());
    let new = NewParticipant {
        first_name: names.0.into(),
        last_name: names.1.into(),
        structure_id: structure,
        referent_id: Some(cip),
        phone: Some(phone.into()),
        email: Some(email.clone()),
    };
    let (view, code) = app.core.register_participant(&OPERATOR, new).await.unwrap();
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let phones = vec![phone.to_string(), digits.clone(), format!("33{}", &digits[1..]), format!("+33{}", &digits[1..])];
    Person { id: view.id, first_name: names.0, last_name: names.1, code, phones, email }
}

async fn after_reminders_offers_a_decline_and_an_erasure_no_table_nor_the_log_holds_a_link_a_code_or_the_person(
    db: &TestDb,
) {
    capture_the_log();
    let app = TestApp::spawn(db).await;
    let structure = app.structure("Tremplin Quimper").await;
    let cip = app.cip("cip@tremplin.fr", structure).await;
    // Names and numbers found nowhere else, so that any trace of them is theirs.
    let zelie = person(&app, structure, cip.id, ("Zelie", "Kerbrat"), "06 71 82 93 04").await;
    let yanis = person(&app, structure, cip.id, ("Yanis", "Lozachmeur"), "06 72 83 94 05").await;
    let xavier = person(&app, structure, cip.id, ("Xavier", "Quelennec"), "06 73 84 95 06").await;
    let body = json!({"title": "Atelier CV", "facilitator_ids": [cip.id]});
    let session = app.session(&app.admin, structure, Duration::days(3), 2, body).await;
    let id = session["id"].as_i64().unwrap();
    let starts_at = DateTime::parse_from_rfc3339(session["starts_at"].as_str().unwrap()).unwrap().to_utc();
    let other = app.session(&app.admin, structure, Duration::days(5), 5, json!({})).await["id"].as_i64().unwrap();
    for person in [&zelie, &yanis, &xavier] {
        app.core.enrol(&app.admin_actor(), id, person.id, Request::Normal).await.unwrap();
    }
    app.core.enrol(&app.admin_actor(), other, yanis.id, Request::Normal).await.unwrap();
    let kept = Arc::new(Kept::default());
    let senders = Senders { sms: kept.clone(), email: kept.clone() };

    // Zélie signs in with her code, through the sign-in form.
    tests::http::sign_in_by_form(&app.base, "/fn/sign_in_participant", &[("code", zelie.code.as_str())]).await;

    // 10:00 the day before: the worker reminds Zélie and Yanis, each with their own link.
    let ten = reminder_time(starts_at) + Duration::minutes(1);
    deliver_due(&core_at(&app, ten), &senders).await.unwrap();
    let link_of = |person: &Person, kind: &str| {
        let handed = kept.0.lock().unwrap().clone();
        let key = format!(":{}:email:", person.id);
        let keys: Vec<&str> = handed.iter().map(|m| m.idempotency_key.as_str()).collect();
        let found = handed.iter().find(|m| m.kind == kind && m.idempotency_key.contains(&key));
        let message = found.unwrap_or_else(|| panic!("{kind} {key} among {keys:?}"));
        message.body.split_whitespace().find(|w| w.contains("/r/")).unwrap().to_string()
    };
    let yanis_link = link_of(&yanis, "reminder");
    assert_ne!(link_of(&zelie, "reminder"), yanis_link);

    // Yanis answers "Je ne peux pas venir" through his link: Xavier, waiting, gets the seat and a
    // seat offer; Yanis's CIP is told by e-mail.
    let (base, secret) = yanis_link.split_once("/r/").unwrap();
    let answered = tests::http::without_redirects()
        .post(format!("{base}/fn/answer"))
        .header("accept", "text/html")
        .header("origin", base)
        .form(&[("secret", secret), ("reponse", "non")])
        .send()
        .await
        .unwrap();
    assert!(answered.status().is_redirection(), "{}", answered.status());
    let declined: Option<String> =
        sqlx::query_scalar("SELECT answer FROM enrolments WHERE session_id = $1 AND participant_id = $2")
            .bind(id)
            .bind(yanis.id)
            .fetch_one(&app.sql)
            .await
            .unwrap();
    assert_eq!(declined.as_deref(), Some("declined"), "{:?}", answered.headers().get("location"));
    deliver_due(&core_at(&app, ten + Duration::hours(1)), &senders).await.unwrap();
    // At 17:00, the facilitator's digest names who declined.
    let day = starts_at.with_timezone(&Paris).date_naive();
    deliver_due(&core_at(&app, digest_time(day) + Duration::minutes(1)), &senders).await.unwrap();
    let handed = kept.0.lock().unwrap().clone();
    let kinds: Vec<&str> = handed.iter().map(|m| m.kind.as_str()).collect();
    for kind in ["reminder", "seat_offer", "staff_declined", "staff_digest"] {
        assert!(kinds.contains(&kind), "{kind} sent: {kinds:?}");
    }
    let digest = handed.iter().find(|m| m.kind == "staff_digest").unwrap();
    assert!(digest.body.contains("Yanis Lozachmeur"), "the digest names who declined: {}", digest.body);
    let offer_link = link_of(&xavier, "seat_offer");
    let (status, page) = {
        let answer = reqwest::get(&offer_link).await.unwrap();
        (answer.status().as_u16(), answer.text().await.unwrap())
    };
    assert!(status == 200 && page.contains("Atelier CV"), "the link handed over works: {status} {page}");

    // Staff read what was sent, the links masked.
    let form = [("email", "cip@tremplin.fr"), ("password", "motdepasse-test")];
    let cookie = tests::http::sign_in_by_form(&app.base, "/fn/sign_in_staff", &form).await;
    let page = tests::http::text_as(&format!("{}/equipe/notifications", app.base), &cookie).await;
    assert!(page.contains("Vous venez ? Répondez ici : ") && page.contains("/r/[lien personnel]"), "{page}");

    // The other session is cancelled: Yanis's notice waits in the outbox; then he asks for his
    // data to be erased.
    app.core.cancel_session(&app.admin_actor(), other, None).await.unwrap();
    let waiting: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE participant_id = $1 AND status = 'queued'")
            .bind(yanis.id)
            .fetch_one(&app.sql)
            .await
            .unwrap();
    assert!(waiting > 0, "a message for him waits");
    app.core.erase_participant(&app.admin_actor(), yanis.id).await.unwrap();
    deliver_due(&core_at(&app, digest_time(day) + Duration::hours(1)), &senders).await.unwrap();

    // What must be found nowhere, in the database or the log.
    let handed = kept.0.lock().unwrap().clone();
    let secrets: Vec<String> = handed
        .iter()
        .flat_map(|m| m.body.split_whitespace().filter_map(|w| w.split("/r/").nth(1)).map(str::to_string))
        .collect();
    assert!(secrets.len() >= 6, "links were handed over: {secrets:?}");
    let mut nowhere: Vec<(String, &str)> = vec![];
    for secret in &secrets {
        nowhere.push((secret.clone(), "a live answer link"));
    }
    for person in [&zelie, &yanis, &xavier] {
        nowhere.push((person.code.clone(), "an access code"));
        nowhere.push((person.code.replace('-', ""), "an access code"));
    }
    for phone in &yanis.phones {
        nowhere.push((phone.clone(), "the erased person's phone"));
    }
    nowhere.push((yanis.email.clone(), "the erased person's e-mail"));
    nowhere.push((yanis.first_name.into(), "the erased person's name"));
    nowhere.push((yanis.last_name.into(), "the erased person's name"));
    // What only some columns may hold: the others' contacts (their record), their names (their
    // record, and the e-mails that tell staff about them).
    let mut only_in: Vec<(String, &[&str])> = vec![];
    for person in [&zelie, &xavier] {
        for phone in &person.phones {
            only_in.push((phone.clone(), &["participants.phone"]));
        }
        only_in.push((person.email.clone(), &["participants.email"]));
        for name in [person.first_name, person.last_name] {
            only_in.push((name.to_string(), &["participants.first_name", "participants.last_name", "outbox.body"]));
        }
    }

    let values = every_text(db, &app).await;
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (table, column, value) in &values {
        for (needle, what) in &nowhere {
            if value.contains(needle.as_str()) {
                found.entry(format!("{what} ({needle})")).or_default().push(format!("{table}.{column}: {value}"));
            }
        }
        for (needle, allowed) in &only_in {
            let place = format!("{table}.{column}");
            if value.contains(needle.as_str()) && !allowed.contains(&place.as_str()) {
                found.entry(needle.clone()).or_default().push(format!("{place}: {value}"));
            }
        }
    }
    assert!(found.is_empty(), "the database holds what it must not: {found:#?}");
    let bodies: Vec<&String> = values.iter().filter(|(t, c, _)| t == "outbox" && c == "body").map(|v| &v.2).collect();
    assert!(bodies.iter().any(|b| b.contains("/r/________________")), "the stand-in is kept: {bodies:?}");

    let log = the_log();
    assert!(log.contains("06 •• •• •• 04") && log.contains("z•••@exemple.fr"), "the log says who, masked: {log}");
    assert!(log.contains("kind=reminder") && log.contains("kind=staff_digest"), "and what kind of message: {log}");
    let mut in_log = vec![];
    for (needle, what) in &nowhere {
        if log.contains(needle.as_str()) {
            in_log.push(format!("{what}: {needle}"));
        }
    }
    for person in [&zelie, &xavier] {
        let mut theirs = person.phones.clone();
        theirs.extend([person.email.clone(), person.first_name.into(), person.last_name.into()]);
        in_log.extend(theirs.into_iter().filter(|needle| log.contains(needle.as_str())));
    }
    assert!(in_log.is_empty(), "the log holds {in_log:?}");
}

/// Whoever holds the webhook's address learns nothing of who is a participant: the answer is
/// the same for a participant's number and any other; the stop is still recorded.
async fn the_sms_webhook_answers_the_same_whatever_the_number(db: &TestDb) {
    const SECRET: &str = "le-secret-du-webhook-assez-long";
    let app = TestApp::spawn(db).await;
    let structure = app.structure("Tremplin").await;
    let amina = app.reachable(structure, "Amina").await;
    let base = app.serve_also(app.core.with_sms_webhook_secret(SECRET)).await;
    let url = format!("{base}{}/{SECRET}", toile_shared::paths::SMS_WEBHOOK);
    let stop = |number: &str| json!({"to": number, "msg_status": "unsubscribe"});
    let post = |body: Value| {
        let url = url.clone();
        async move {
            let answer = reqwest::Client::new().post(url).json(&body).send().await.unwrap();
            (answer.status().as_u16(), answer.text().await.unwrap())
        }
    };
    let theirs = post(stop("33612345678")).await;
    let nobody = post(stop("33799999999")).await;
    let not_a_stop = post(json!({"to": "33612345678", "msg_status": "delivered"})).await;
    assert_eq!(theirs, nobody, "the same answer for a participant's number and another");
    assert_eq!(theirs, not_a_stop);
    assert_eq!(theirs.0, 200);
    let stopped: Option<i64> = sqlx::query_scalar("SELECT sms_stopped_at FROM participants WHERE id = $1")
        .bind(amina)
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert!(stopped.is_some(), "the stop is acted on");
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'sms_stopped' AND participant_id = $1")
            .bind(amina)
            .fetch_one(&app.sql)
            .await
            .unwrap();
    assert_eq!(audited, 1, "and recorded");
}
