//! Enrolment throughput and latency through the HTTP API at 1, 16 and 64 concurrent clients,
//! next to the same database's bare guarded insert (the storage's own limit) measured in the
//! same run, then a check that nothing was overbooked.
//!
//! `cargo run --release -p tests --bin bench-enrol` (SQLite; PostgreSQL too when
//! `TOILE_TEST_POSTGRES_URL` is set). `BENCH_OPS` sets operations per measurement (default 1200).

use chrono::Duration;
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use tests::{Store, TestApp, TestDb};

const CONCURRENCY: [usize; 3] = [1, 16, 64];
const PARTICIPANTS: usize = 300;

struct Figures {
    rate: f64,
    p50_ms: f64,
    p99_ms: f64,
}

fn figures(total: std::time::Duration, mut latencies: Vec<std::time::Duration>) -> Figures {
    latencies.sort();
    let at =
        |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)].as_secs_f64() * 1000.0;
    Figures { rate: latencies.len() as f64 / total.as_secs_f64(), p50_ms: at(0.50), p99_ms: at(0.99) }
}

/// Runs `ops` operations from `clients` concurrent tasks; `op(k)` performs operation `k`.
async fn drive<F, Fut>(ops: usize, clients: usize, op: F) -> Figures
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let op = Arc::new(op);
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let next = next.clone();
            let op = op.clone();
            tokio::spawn(async move {
                let mut latencies = vec![];
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= ops {
                        break latencies;
                    }
                    let t = Instant::now();
                    op(k).await;
                    latencies.push(t.elapsed());
                }
            })
        })
        .collect();
    let mut latencies = vec![];
    for task in tasks {
        latencies.extend(task.await.expect("client task"));
    }
    figures(started.elapsed(), latencies)
}

/// Sessions far apart in time (no overlaps), each with room for every participant.
async fn sessions(app: &TestApp, organiser: i64, count: usize, first_day: i64) -> Vec<i64> {
    let mut ids = vec![];
    for n in 0..count {
        let session = app
            .session(&app.admin, organiser, Duration::days(first_day + n as i64), PARTICIPANTS as u32, json!({}))
            .await;
        ids.push(session["id"].as_i64().unwrap());
    }
    ids
}

async fn bench(store: Store, ops: usize) {
    let Some(db) = TestDb::create(store).await else { return };
    let app = TestApp::spawn(&db).await;
    let structure = app.structure("Bench").await;
    let mut people = vec![];
    for n in 0..PARTICIPANTS {
        people.push(app.participant(structure, &format!("P{n}")).await.0);
    }
    let people = Arc::new(people);
    let per_run = ops.div_ceil(PARTICIPANTS);
    println!("\n## {store:?} — {ops} enrolments per measurement");
    println!(
        "| clients | bare guarded insert (tx/s) | HTTP API (enrolments/s) | HTTP / bare | HTTP p50 (ms) | HTTP p99 (ms) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    let mut day = 2;
    for clients in CONCURRENCY {
        // The storage's own limit: the guarded seat update and the insert, in one transaction.
        let bare_sessions = Arc::new(sessions(&app, structure, per_run, day).await);
        day += per_run as i64 + 1;
        let pool = app.sql.clone();
        let (p, s) = (people.clone(), bare_sessions.clone());
        let bare = drive(ops, clients, move |k| {
            let pool = pool.clone();
            let (participant, session) = (p[k % PARTICIPANTS], s[k / PARTICIPANTS]);
            async move {
                let mut tx = pool.begin().await.expect("begin");
                let taken = sqlx::query("UPDATE sessions SET seats_taken = seats_taken + 1 WHERE id = $1 AND seats_taken < capacity")
                    .bind(session)
                    .execute(&mut *tx)
                    .await
                    .expect("guarded update");
                assert_eq!(taken.rows_affected(), 1);
                sqlx::query("INSERT INTO enrolments (session_id, participant_id, structure_id, status, queue_tick, created_at, updated_at) VALUES ($1, $2, $3, 'confirmed', 0, 0, 0)")
                    .bind(session)
                    .bind(participant)
                    .bind(structure)
                    .execute(&mut *tx)
                    .await
                    .expect("insert");
                tx.commit().await.expect("commit");
            }
        })
        .await;

        let http_sessions = Arc::new(sessions(&app, structure, per_run, day).await);
        day += per_run as i64 + 1;
        let api = app.admin.clone();
        let (p, s) = (people.clone(), http_sessions.clone());
        let http = drive(ops, clients, move |k| {
            let api = api.clone();
            let (participant, session) = (p[k % PARTICIPANTS], s[k / PARTICIPANTS]);
            async move {
                let (status, body) =
                    api.post(&format!("/sessions/{session}/enrolments"), json!({"participant_id": participant})).await;
                assert_eq!(status, 201, "{body}");
            }
        })
        .await;
        println!(
            "| {clients} | {:.0} | {:.0} | {:.0} % | {:.2} | {:.2} |",
            bare.rate,
            http.rate,
            100.0 * http.rate / bare.rate,
            http.p50_ms,
            http.p99_ms
        );
    }

    // Overbooking check: 64 clients race for 40 seats.
    let full = app.session(&app.admin, structure, Duration::days(day + 1), 40, json!({})).await;
    let id = full["id"].as_i64().unwrap();
    let api = app.admin.clone();
    let p = people.clone();
    drive(200, 64, move |k| {
        let api = api.clone();
        let participant = p[k];
        async move {
            api.post(&format!("/sessions/{id}/enrolments"), json!({"participant_id": participant})).await;
        }
    })
    .await;
    let confirmed: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM enrolments WHERE session_id = $1 AND status = 'confirmed'")
            .bind(id)
            .fetch_one(&app.sql)
            .await
            .unwrap();
    let over: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE seats_taken > capacity")
        .fetch_one(&app.sql)
        .await
        .unwrap();
    println!(
        "\nOverbooking check: 200 requests from 64 clients for 40 seats → {confirmed} confirmed; sessions over capacity: {over}"
    );
    assert_eq!((confirmed, over), (40, 0), "overbooked");
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let ops: usize = std::env::var("BENCH_OPS").ok().and_then(|v| v.parse().ok()).unwrap_or(1200);
    println!("# bench-enrol (machine: {} cores)", std::thread::available_parallelism().map_or(0, |n| n.get()));
    bench(Store::Sqlite, ops).await;
    bench(Store::Postgres, ops).await;
}
