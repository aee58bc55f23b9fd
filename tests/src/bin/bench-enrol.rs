//! Enrolment throughput and latency through the HTTP API at 1, 16 and 64 concurrent clients,
//! today's path and what changes it (group commit on SQLite, the session line on PostgreSQL),
//! next to the same database's bare guarded insert (the storage's own limit), all in the same
//! run, then a check that nothing was overbooked.
//!
//! `cargo run --release -p tests --bin bench-enrol` (SQLite; PostgreSQL too when
//! `TOILE_TEST_POSTGRES_URL` is set). `BENCH_OPS` sets operations per measurement (default 1200),
//! `BENCH_ROUNDS` how many times each is taken, interleaved, to report the median (default 3).

use chrono::Duration;
use serde_json::json;
use sqlx::AnyPool;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;
use tests::{Store, TestApp, TestDb};
use toile_server::config::Config;
use toile_server::core::StoreOptions;

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

/// A way of running the server, measured side by side with the others in the same run.
struct Variant {
    label: &'static str,
    options: StoreOptions,
}

/// Today's path first (each enrolment its own transaction, straight to the row lock), then what
/// changes it: on SQLite group commit, on PostgreSQL the session line.
fn variants(store: Store) -> Vec<Variant> {
    let today = StoreOptions { group_commit: false, session_lines: false };
    match store {
        Store::Sqlite => vec![
            Variant { label: "one transaction per enrolment (before)", options: today },
            Variant { label: "group commit (after)", options: StoreOptions::default() },
        ],
        Store::Postgres => vec![
            Variant { label: "16 connections, no line (before)", options: today },
            Variant { label: "line per session, 16 connections (after)", options: StoreOptions::default() },
        ],
    }
}

/// The server of one variant, on a database of its own, with its participants.
struct Server {
    _db: TestDb,
    app: TestApp,
    structure: i64,
    people: Arc<Vec<i64>>,
}

async fn server(store: Store, options: StoreOptions) -> Option<Server> {
    let db = TestDb::create(store).await?;
    let app = TestApp::spawn_with(&db, Config::default(), options).await;
    let structure = app.structure("Bench").await;
    let mut people = vec![];
    for n in 0..PARTICIPANTS {
        people.push(app.participant(structure, &format!("P{n}")).await.0);
    }
    Some(Server { _db: db, app, structure, people: Arc::new(people) })
}

/// On PostgreSQL, samples how many of the database's backends wait on a lock (the session row)
/// while `run` goes: the length of the row lock's queue, on average.
async fn with_lock_queue<T>(store: Store, pool: &AnyPool, run: impl Future<Output = T>) -> (T, Option<f64>) {
    if store != Store::Postgres {
        return (run.await, None);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (pool, stop) = (pool.clone(), stop.clone());
        tokio::spawn(async move {
            let mut samples = vec![];
            while !stop.load(Ordering::Relaxed) {
                let waiting: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
                )
                .fetch_one(&pool)
                .await
                .unwrap_or(0);
                samples.push(waiting as f64);
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
            samples.iter().sum::<f64>() / samples.len().max(1) as f64
        })
    };
    let done = run.await;
    stop.store(true, Ordering::Relaxed);
    (done, sampler.await.ok())
}

/// One measurement: its figures, and on PostgreSQL the row lock's mean queue.
struct Measure {
    figures: Figures,
    lock_queue: Option<f64>,
}

/// The storage's own limit: the guarded seat update and the insert, in one transaction.
async fn bare(store: Store, server: &Server, sessions: Vec<i64>, ops: usize, clients: usize) -> Measure {
    let (pool, structure, people, sessions) =
        (server.app.sql.clone(), server.structure, server.people.clone(), Arc::new(sessions));
    let (figures, lock_queue) = with_lock_queue(store, &server.app.sql, drive(ops, clients, move |k| {
        let pool = pool.clone();
        let (participant, session) = (people[k % PARTICIPANTS], sessions[k / PARTICIPANTS]);
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
    }))
    .await;
    Measure { figures, lock_queue }
}

/// Enrolments through the HTTP API, with every domain rule.
async fn http(store: Store, server: &Server, sessions: Vec<i64>, ops: usize, clients: usize) -> Measure {
    let (api, people, sessions) = (server.app.admin.clone(), server.people.clone(), Arc::new(sessions));
    let (figures, lock_queue) = with_lock_queue(
        store,
        &server.app.sql,
        drive(ops, clients, move |k| {
            let api = api.clone();
            let (participant, session) = (people[k % PARTICIPANTS], sessions[k / PARTICIPANTS]);
            async move {
                let (status, body) =
                    api.post(&format!("/sessions/{session}/enrolments"), json!({"participant_id": participant})).await;
                assert_eq!(status, 201, "{body}");
            }
        }),
    )
    .await;
    Measure { figures, lock_queue }
}

/// The median of each figure over the rounds: the machine is shared, and a burst of someone
/// else's work in one round should not decide the figure.
fn median(measures: &[Measure]) -> Measure {
    let of = |value: &dyn Fn(&Measure) -> f64| {
        let mut values: Vec<f64> = measures.iter().map(value).collect();
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    Measure {
        figures: Figures {
            rate: of(&|m| m.figures.rate),
            p50_ms: of(&|m| m.figures.p50_ms),
            p99_ms: of(&|m| m.figures.p99_ms),
        },
        lock_queue: measures[0].lock_queue.map(|_| of(&|m| m.lock_queue.unwrap_or(0.0))),
    }
}

async fn bench(store: Store, ops: usize, rounds: usize) {
    let mut servers = vec![];
    for variant in variants(store) {
        let Some(server) = server(store, variant.options).await else { return };
        servers.push((variant, server));
    }
    let per_run = ops.div_ceil(PARTICIPANTS);
    println!("\n## {store:?} — {ops} enrolments per measurement, median of {rounds} rounds");
    println!("| clients | path | enrolments/s | / bare | p50 (ms) | p99 (ms) | waiting on the row lock |");
    println!("|---:|---|---:|---:|---:|---:|---:|");
    let mut day = 2;
    for clients in CONCURRENCY {
        // Each round measures every path once, one after the other, on sessions of its own.
        let mut measures: Vec<Vec<Measure>> = (0..=servers.len()).map(|_| vec![]).collect();
        for _ in 0..rounds {
            let first = &servers[0].1;
            let fresh = sessions(&first.app, first.structure, per_run, day).await;
            day += per_run as i64 + 1;
            measures[0].push(bare(store, first, fresh, ops, clients).await);
            for (n, (_, server)) in servers.iter().enumerate() {
                let fresh = sessions(&server.app, server.structure, per_run, day).await;
                day += per_run as i64 + 1;
                measures[n + 1].push(http(store, server, fresh, ops, clients).await);
            }
        }
        let paths = std::iter::once("bare guarded insert".to_string())
            .chain(servers.iter().map(|(variant, _)| format!("HTTP API, {}", variant.label)));
        let bare_rate = median(&measures[0]).figures.rate;
        for (path, measures) in paths.zip(&measures) {
            let Measure { figures, lock_queue } = median(measures);
            println!(
                "| {clients} | {path} | {:.0} | {:.0} % | {:.2} | {:.2} | {} |",
                figures.rate,
                100.0 * figures.rate / bare_rate,
                figures.p50_ms,
                figures.p99_ms,
                lock_queue.map_or("—".into(), |q| format!("{q:.1}"))
            );
        }
    }

    println!();
    for (variant, server) in &servers {
        overbooking_check(&server.app, server.structure, server.people.clone(), day + 1, variant.label).await;
    }
}

/// 64 clients race for 40 seats: exactly 40 confirmed, and no session anywhere over capacity.
async fn overbooking_check(app: &TestApp, structure: i64, people: Arc<Vec<i64>>, day: i64, label: &str) {
    let full = app.session(&app.admin, structure, Duration::days(day), 40, json!({})).await;
    let id = full["id"].as_i64().unwrap();
    let api = app.admin.clone();
    drive(200, 64, move |k| {
        let api = api.clone();
        let participant = people[k];
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
        "Overbooking check, {label}: 200 requests from 64 clients for 40 seats → {confirmed} confirmed; sessions over capacity: {over}"
    );
    assert_eq!((confirmed, over), (40, 0), "overbooked");
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let setting = |name: &str, default: usize| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let (ops, rounds) = (setting("BENCH_OPS", 1200), setting("BENCH_ROUNDS", 3));
    println!("# bench-enrol (machine: {} cores)", std::thread::available_parallelism().map_or(0, |n| n.get()));
    bench(Store::Sqlite, ops, rounds).await;
    bench(Store::Postgres, ops, rounds).await;
}
