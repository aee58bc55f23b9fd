//! Nobody is overbooked: simultaneous enrolments through the real HTTP server, on both backends.

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use tests::{TestApp, TestDb, on_every_backend};

on_every_backend!(sixty_four_simultaneous_enrolments_fill_twelve_seats_and_queue_the_rest_in_order,);

/// Confirmed and waitlisted participant ids, each list in waiting-list order.
async fn enrolments(app: &TestApp, session: &Value) -> (Vec<i64>, Vec<i64>) {
    let (_, listed) = app.admin.get(&format!("/sessions/{}/enrolments", session["id"])).await;
    let mut confirmed = vec![];
    let mut waiting = vec![];
    for (index, e) in listed.as_array().unwrap().iter().enumerate() {
        let id = e["participant_id"].as_i64().unwrap();
        match e["status"].as_str().unwrap() {
            "confirmed" => confirmed.push(id),
            "waitlisted" => {
                waiting.push(id);
                assert_eq!(e["waitlist_position"].as_u64(), Some(waiting.len() as u64), "entry {index}");
            }
            _ => {}
        }
    }
    (confirmed, waiting)
}

async fn sixty_four_simultaneous_enrolments_fill_twelve_seats_and_queue_the_rest_in_order(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let roubaix = app.structure("Roubaix").await;
    let release = (Utc::now() + Duration::days(1)).to_rfc3339();
    let reserved = json!({"reserved_seats": [{"structure_id": lille, "seats": 4}], "reserved_until": release});
    let session = app.session(&app.admin, lille, Duration::days(3), 12, reserved).await;
    let mut people = vec![];
    for n in 0..64 {
        let structure = if n % 2 == 0 { lille } else { roubaix };
        people.push((app.participant(structure, &format!("P{n}")).await.0, structure));
    }
    let path = format!("/sessions/{}/enrolments", session["id"]);
    let requests = people.iter().map(|(id, _)| {
        let api = app.admin.clone();
        let path = path.clone();
        let id = *id;
        tokio::spawn(async move { api.post(&path, json!({"participant_id": id})).await })
    });
    let responses: Vec<(reqwest::StatusCode, Value)> =
        futures::future::join_all(requests).await.into_iter().map(|r| r.unwrap()).collect();
    assert!(responses.iter().all(|(status, _)| *status == 201), "every request answered 201");
    let confirmed_answers = responses.iter().filter(|(_, b)| b["status"] == "confirmed").count();
    let positions: BTreeSet<u64> = responses.iter().filter_map(|(_, b)| b["waitlist_position"].as_u64()).collect();
    assert_eq!(confirmed_answers, 12);
    assert_eq!(positions, (1..=52).collect::<BTreeSet<u64>>(), "each waiting person told a distinct position");

    let (confirmed, waiting) = enrolments(&app, &session).await;
    assert_eq!((confirmed.len(), waiting.len()), (12, 52));
    let structure_of = |id: &i64| people.iter().find(|(p, _)| p == id).unwrap().1;
    let roubaix_confirmed = confirmed.iter().filter(|id| structure_of(id) == roubaix).count();
    assert!(roubaix_confirmed <= 8, "Roubaix cannot take Lille's 4 reserved seats ({roubaix_confirmed})");
    let (_, fetched) = app.admin.get(&format!("/sessions/{}", session["id"])).await;
    assert_eq!((fetched["seats_taken"].as_i64(), fetched["waitlist_count"].as_i64()), (Some(12), Some(52)));
    let reserved_taken = fetched["reserved_seats"][0]["taken"].as_i64().unwrap();
    assert_eq!(reserved_taken, 4, "Lille, half the applicants, used its reserved seats");

    // Cancellations promote in waiting-list order: a freed seat goes to the first person waiting
    // who can take it: anyone, unless Lille's guarantee of 4 seats would no longer be met.
    let open_holder =
        *confirmed.iter().find(|id| structure_of(id) == roubaix).expect("someone from Roubaix holds a seat");
    let (_, body) = app.admin.delete(&format!("{path}/{open_holder}")).await;
    assert_eq!(body["promoted_participant_id"], waiting[0]);
    let (confirmed, waiting_after) = enrolments(&app, &session).await;
    assert_eq!(waiting_after, waiting[1..]);
    let lille_seated: Vec<i64> = confirmed.iter().copied().filter(|id| structure_of(id) == lille).collect();
    let first_lille_waiting = *waiting_after.iter().find(|id| structure_of(id) == lille).unwrap();
    let (_, body) = app.admin.delete(&format!("{path}/{}", lille_seated[0])).await;
    let owed_to_lille = lille_seated.len() - 1 < 4;
    let expected = if owed_to_lille { first_lille_waiting } else { waiting_after[0] };
    assert_eq!(body["promoted_participant_id"], expected);
    let (confirmed, _) = enrolments(&app, &session).await;
    assert_eq!(confirmed.len(), 12, "still exactly full");
}

/// On PostgreSQL, enrolments waiting for a locked session wait in the server's line, first come
/// first served, and only the first of them waits on the row itself (holding a connection).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn on_postgres_enrolments_waiting_for_a_locked_session_wait_in_line_one_on_the_row_and_in_order() {
    let _machine = tests::machine::shared().await;
    let Some(db) = TestDb::create(tests::Store::Postgres).await else { return };
    let app = TestApp::spawn(&db).await;
    let lille = app.structure("Lille").await;
    let session = app.session(&app.admin, lille, Duration::days(3), 5, json!({})).await;
    let id = session["id"].as_i64().unwrap();
    let mut people = vec![];
    for n in 0..10 {
        people.push(app.participant(lille, &format!("P{n}")).await.0);
    }
    // Someone else holds the session's row.
    let mut holder = app.sql.begin().await.unwrap();
    sqlx::query("UPDATE sessions SET queue_tick = queue_tick WHERE id = $1")
        .bind(id)
        .execute(&mut *holder)
        .await
        .unwrap();
    let mut requests = vec![];
    for person in &people {
        let (api, person) = (app.admin.clone(), *person);
        requests.push(tokio::spawn(async move {
            api.post(&format!("/sessions/{id}/enrolments"), json!({"participant_id": person})).await
        }));
        // Each arrives after the one before.
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    }
    let on_the_row: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    )
    .fetch_one(&app.sql)
    .await
    .unwrap();
    assert_eq!(on_the_row, 1, "one transaction waits on the row, the nine others in line");
    holder.commit().await.unwrap();
    for request in requests {
        let (status, body) = request.await.unwrap();
        assert_eq!(status, 201, "{body}");
    }
    let (confirmed, waiting) = enrolments(&app, &session).await;
    let served: Vec<i64> = confirmed.into_iter().chain(waiting).collect();
    assert_eq!(served, people, "served in the order they came");
}
