//! A server killed in the middle of a burst of enrolments loses none it acknowledged: an answer
//! is sent only once its enrolment is on disk (on SQLite, once its whole group commit is). Killed
//! amid cancellations, it leaves exactly one message per seat it gave away.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::HashMap;
use tests::process::ServerProcess;
use tests::{TestApp, TestDb, on_every_backend};

on_every_backend!(
    every_acknowledged_enrolment_survives_a_kill_9_in_the_middle_of_a_burst,
    a_kill_9_amid_cancellations_leaves_one_message_per_seat_given_and_none_sent_twice,
);

const PEOPLE: usize = 200;
const SEATS: i64 = 100;
const CLIENTS: usize = 64;
/// The server is killed as soon as this many enrolments have been answered: by then the seats are
/// gone, people are being waitlisted, and dozens of requests are still in flight.
const KILL_AFTER: usize = 150;

async fn every_acknowledged_enrolment_survives_a_kill_9_in_the_middle_of_a_burst(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let session = app.session(&app.admin, lille, chrono::Duration::days(3), SEATS as u32, json!({})).await;
    let session = session["id"].as_i64().unwrap();
    let mut people = vec![];
    for n in 0..PEOPLE {
        people.push(app.participant(lille, &format!("P{n}")).await.0);
    }
    let program = env!("CARGO_BIN_EXE_toile-test-server");
    let mut server = ServerProcess::start(program, &db.url);
    let api = tests::http::Api { base: format!("{}/api/v1", server.base), ..app.admin.clone() };

    // 64 clients work through the 200 people; every answer comes back on `answers`.
    let (answers, mut answered) = tokio::sync::mpsc::unbounded_channel();
    let people = std::sync::Arc::new(std::sync::Mutex::new(people));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (api, people, answers) = (api.clone(), people.clone(), answers.clone());
            tokio::spawn(async move {
                loop {
                    let Some(person) = people.lock().unwrap().pop() else { break };
                    let body = json!({"participant_id": person});
                    let answer =
                        api.try_call(Method::POST, &format!("/sessions/{session}/enrolments"), Some(body)).await;
                    let _ = answers.send((person, answer));
                }
            })
        })
        .collect();
    drop(answers);

    let mut acknowledged: HashMap<i64, String> = HashMap::new();
    let mut unanswered = 0;
    while let Some((person, answer)) = answered.recv().await {
        match answer {
            Some((status, body)) if status.is_success() => {
                assert_eq!(status, StatusCode::CREATED, "{body}");
                acknowledged.insert(person, body["status"].as_str().unwrap().to_string());
                if acknowledged.len() == KILL_AFTER {
                    server.kill_abruptly();
                }
            }
            Some((status, body)) => panic!("enrolment of {person} answered {status}: {body}"),
            None => unanswered += 1,
        }
    }
    for client in clients {
        client.await.unwrap();
    }
    assert!(acknowledged.len() >= KILL_AFTER);
    assert!(unanswered > 0, "the server was killed while requests were still in flight");

    // The same database, opened again after the crash.
    let server = ServerProcess::start(program, &db.url);
    let api = tests::http::Api { base: format!("{}/api/v1", server.base), ..app.admin.clone() };
    let (status, listed) = api.get(&format!("/sessions/{session}/enrolments")).await;
    assert_eq!(status, 200, "{listed}");
    let stored: HashMap<i64, String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e: &Value| (e["participant_id"].as_i64().unwrap(), e["status"].as_str().unwrap().to_string()))
        .collect();
    for (person, status) in &acknowledged {
        assert_eq!(stored.get(person), Some(status), "participant {person} was told {status}");
    }
    let confirmed = stored.values().filter(|s| *s == "confirmed").count() as i64;
    let (_, fetched) = api.get(&format!("/sessions/{session}")).await;
    // At least 150 enrolments were written before the kill: all the seats were taken, no more.
    assert_eq!(confirmed, SEATS);
    assert_eq!(fetched["seats_taken"].as_i64(), Some(confirmed), "the seat counter matches the confirmed enrolments");
    let over: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE seats_taken > capacity")
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(over, 0);
}

/// 100 people seated and 100 waiting; the seated cancel in a burst, each cancellation giving the
/// seat to the next person waiting, whose seat offer (an e-mail) is written in the same
/// transaction. The server (sending as it goes, to a real SMTP server) is killed midway and
/// started again: every promotion stored has exactly one message, no other person has one, and
/// nothing reached the SMTP server twice.
async fn a_kill_9_amid_cancellations_leaves_one_message_per_seat_given_and_none_sent_twice(db: &TestDb) {
    let Some(smtp) = tests::smtp::SmtpServer::start() else { return };
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let session = app.session(&app.admin, lille, chrono::Duration::days(3), SEATS as u32, json!({})).await;
    let session = session["id"].as_i64().unwrap();
    let mut seated = vec![];
    for n in 0..PEOPLE {
        let person = toile_server::core::NewParticipant {
            first_name: format!("P{n}"),
            last_name: "Test".into(),
            structure_id: lille,
            referent_id: None,
            phone: None,
            email: Some(format!("p{n}@exemple.fr")),
        };
        let id = app.core.register_participant(&tests::fixtures::OPERATOR, person).await.unwrap().0.id;
        let enrolled = app.core.enrol(&app.admin_actor(), session, id, toile_shared::enrolment::Request::Normal).await;
        if enrolled.unwrap().enrolment.status == toile_shared::EnrolmentStatus::Confirmed {
            seated.push(id);
        }
    }
    let program = env!("CARGO_BIN_EXE_toile-test-server");
    let url = smtp.url();
    let env = [("TOILE_SMTP_URL", url.as_str())];
    let mut server = ServerProcess::start_with(program, &db.url, &env);
    let api = tests::http::Api { base: format!("{}/api/v1", server.base), ..app.admin.clone() };
    let (answers, mut answered) = tokio::sync::mpsc::unbounded_channel();
    let seated = std::sync::Arc::new(std::sync::Mutex::new(seated));
    let clients: Vec<_> = (0..16)
        .map(|_| {
            let (api, seated, answers) = (api.clone(), seated.clone(), answers.clone());
            tokio::spawn(async move {
                loop {
                    let Some(person) = seated.lock().unwrap().pop() else { break };
                    let path = format!("/sessions/{session}/enrolments/{person}");
                    let _ = answers.send(api.try_call(Method::DELETE, &path, None).await);
                }
            })
        })
        .collect();
    drop(answers);
    let mut done = 0;
    while let Some(answer) = answered.recv().await {
        if answer.is_some_and(|(status, _)| status.is_success()) {
            done += 1;
            if done == SEATS as usize / 2 {
                server.kill_abruptly();
            }
        }
    }
    for client in clients {
        client.await.unwrap();
    }

    // Started again: it sends what is left.
    let _server = ServerProcess::start_with(program, &db.url, &env);
    let promoted: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT participant_id FROM audit_log WHERE action = 'promoted_from_waitlist' ORDER BY participant_id",
    )
    .fetch_all(&app.sql)
    .await
    .unwrap();
    assert!(promoted.len() >= SEATS as usize / 2, "{} seats given before the kill", promoted.len());
    let messages: Vec<i64> =
        sqlx::query_scalar("SELECT participant_id FROM outbox WHERE kind = 'seat_offer' ORDER BY participant_id")
            .fetch_all(&app.sql)
            .await
            .unwrap();
    assert_eq!(messages, promoted, "one message for each seat given, none for anything else");
    // Messages claimed by the killed server wait for their claim to lapse; the others go now.
    let held: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sending'").fetch_one(&app.sql).await.unwrap();
    let mut received = vec![];
    for _ in 0..200 {
        received = smtp.received();
        if received.len() as i64 + held >= promoted.len() as i64 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let mut ids: Vec<String> = received.iter().map(|m| m.message_id.clone()).collect();
    ids.sort();
    let all = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), all, "nothing sent twice");
    assert!(all as i64 + held >= promoted.len() as i64, "{all} sent, {held} held by the dead server");
    assert!(held <= toile_server::notify::BATCH, "at most one batch waits for its claim to lapse: {held}");
    eprintln!("{} seats given, {all} e-mails received once each, {held} held by the killed server", promoted.len());
}
