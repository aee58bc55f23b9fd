//! Two `toile serve` processes on one database behave as one: they never overbook together.

use serde_json::{Value, json};
use tests::process::ServerProcess;
use tests::{TestApp, TestDb, on_every_backend};

on_every_backend!(two_server_processes_on_one_database_never_overbook);

async fn two_server_processes_on_one_database_never_overbook(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Lille").await;
    let session = app.session(&app.admin, lille, chrono::Duration::days(3), 10, json!({})).await;
    let mut people = vec![];
    for n in 0..64 {
        people.push(app.participant(lille, &format!("P{n}")).await.0);
    }
    let program = env!("CARGO_BIN_EXE_toile-test-server");
    let servers = [ServerProcess::start(program, &db.url), ServerProcess::start(program, &db.url)];
    let path = format!("/sessions/{}/enrolments", session["id"]);
    let requests = people.iter().enumerate().map(|(n, id)| {
        let api = tests::http::Api { base: format!("{}/api/v1", servers[n % 2].base), ..app.admin.clone() };
        let path = path.clone();
        let id = *id;
        tokio::spawn(async move { api.post(&path, json!({"participant_id": id})).await })
    });
    let responses: Vec<(reqwest::StatusCode, Value)> =
        futures::future::join_all(requests).await.into_iter().map(|r| r.unwrap()).collect();
    assert!(responses.iter().all(|(s, _)| *s == 201), "{:?}", responses.iter().find(|(s, _)| *s != 201));
    assert_eq!(responses.iter().filter(|(_, b)| b["status"] == "confirmed").count(), 10);
    let confirmed: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM enrolments WHERE session_id = $1 AND status = 'confirmed'")
            .bind(session["id"].as_i64().unwrap())
            .fetch_one(&app.sql)
            .await
            .unwrap();
    let taken: i64 = sqlx::query_scalar("SELECT seats_taken FROM sessions WHERE id = $1")
        .bind(session["id"].as_i64().unwrap())
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!((confirmed, taken), (10, 10));
    drop(servers);
}
