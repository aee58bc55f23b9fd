//! The figures at the scale of a large network: 30 structures, 3 years, 20,000 sessions and
//! 200,000 enrolments with their attendance, written straight into a fresh database (the use
//! cases would take an hour to write that much; the rows are the ones they write). Then a year
//! of the whole group is read, one request at a time, as the core's figures, the JSON API and
//! the `/equipe/chiffres` page, next to the bare aggregate query (the enrolments of that year
//! counted per session, the heaviest read the figures make) timed on the same database in the
//! same run. On SQLite, and on PostgreSQL when `TOILE_TEST_POSTGRES_URL` is set.
//!
//! ```sh
//! cargo build --release -p tests --bin bench-figures
//! TOILE_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test target/release/bench-figures
//! ```
//! `BENCH_RUNS` sets the requests per measurement (default 40).

use chrono::{Duration, Utc};
use chrono_tz::Europe::Paris;
use std::time::Instant;
use tests::fixtures::OPERATOR;
use tests::http::sign_in_by_form;
use tests::{Store, TestApp, TestDb};
use toile_server::core::{FiguresQuery, NewUser};
use toile_shared::Role;

const STRUCTURES: usize = 30;
const PEOPLE_PER_STRUCTURE: usize = 150;
const SESSIONS: usize = 20_000;
const DAYS: i64 = 3 * 365;
const KINDS: [&str; 4] = ["workshop", "company_talk", "info_session", "company_visit"];

/// A small deterministic generator: the same network at every run.
struct Draw(u64);

impl Draw {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below as u64) as usize
    }
}

/// Runs `statement_start` + `rows` as multi-row inserts of 500 rows, in one transaction.
async fn insert(pool: &sqlx::AnyPool, statement_start: &str, rows: &[String]) {
    let mut tx = pool.begin().await.unwrap();
    for chunk in rows.chunks(500) {
        let sql = format!("{statement_start} VALUES {}", chunk.join(", "));
        sqlx::query(&sql).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
}

/// The network; answers how many enrolments it wrote.
async fn generate(app: &TestApp, store: Store) -> usize {
    let pool = &app.sql;
    let now = Utc::now().timestamp();
    let first_day = now - DAYS * 86_400;
    let mut draw = Draw(7);
    let structures: Vec<String> = (1..=STRUCTURES).map(|s| format!("({s}, 'Structure {s:02}', 'ei')")).collect();
    insert(pool, "INSERT INTO structures (id, name, kind)", &structures).await;
    // Three CIPs per structure: ids 1000 + 3 × structure + k.
    let users: Vec<String> = (1..=STRUCTURES)
        .flat_map(|s| {
            (0..3).map(move |k| {
                let id = 1000 + 3 * s + k;
                format!("({id}, 'cip{id}@bench.fr', 'CIP {id}', 'cip', {s}, 1, {now})")
            })
        })
        .collect();
    insert(pool, "INSERT INTO users (id, email, display_name, role, structure_id, active, created_at)", &users).await;
    let people: Vec<String> = (0..STRUCTURES * PEOPLE_PER_STRUCTURE)
        .map(|p| {
            let structure = p / PEOPLE_PER_STRUCTURE + 1;
            format!("({}, 'Prénom', 'Nom', {structure}, 'bench-{p}', {now})", p + 1)
        })
        .collect();
    insert(
        pool,
        "INSERT INTO participants (id, first_name, last_name, structure_id, access_code_hash, created_at)",
        &people,
    )
    .await;
    let (mut sessions, mut facilitators, mut enrolments) = (vec![], vec![], vec![]);
    for id in 1..=SESSIONS {
        let organiser = draw.next(STRUCTURES) + 1;
        let day = first_day + (id as i64 * DAYS / SESSIONS as i64) * 86_400;
        let starts = day - day % 86_400 + if id % 2 == 0 { 7 * 3600 } else { 12 * 3600 };
        let kind = KINDS[draw.next(KINDS.len())];
        let theme = if kind == "workshop" { "'cv'" } else { "NULL" };
        let company =
            if kind.starts_with("company") { format!("'Entreprise {}'", draw.next(40)) } else { "NULL".into() };
        let capacity = 8 + draw.next(8);
        let status = if draw.next(50) == 0 { "cancelled" } else { "published" };
        // Ten people on average: some sessions half empty, some with a waiting list.
        let wanted = 4 + draw.next(13);
        let mut chosen: Vec<usize> = Vec::with_capacity(wanted);
        while chosen.len() < wanted {
            let structure = if draw.next(10) < 7 { organiser } else { draw.next(STRUCTURES) + 1 };
            let person = (structure - 1) * PEOPLE_PER_STRUCTURE + draw.next(PEOPLE_PER_STRUCTURE) + 1;
            if !chosen.contains(&person) {
                chosen.push(person);
            }
        }
        let seated = chosen.len().min(capacity);
        for (k, person) in chosen.iter().enumerate() {
            let structure = (person - 1) / PEOPLE_PER_STRUCTURE + 1;
            let confirmed = k < capacity;
            let attendance = match (confirmed && starts < now, draw.next(20)) {
                (false, _) => "unknown",
                (true, 0..=14) => "present",
                (true, 15..=17) => "absent",
                (true, 18) => "excused",
                (true, _) => "unknown",
            };
            let status = if confirmed { "confirmed" } else { "waitlisted" };
            enrolments.push(format!(
                "({id}, {person}, {structure}, '{status}', {k}, {}, {}, '{attendance}')",
                starts - 86_400 * 7,
                starts - 86_400 * 7
            ));
        }
        sessions.push(format!(
            "({id}, '{kind}', {theme}, 'Séance {id}', '', {starts}, {}, {capacity}, {seated}, {organiser}, {company}, 1, '{status}', {}, {})",
            starts + 7200,
            starts - 86_400 * 14,
            starts - 86_400 * 14
        ));
        facilitators.push(format!("({id}, {})", 1000 + 3 * organiser + draw.next(3)));
        if draw.next(10) == 0 {
            let partner = draw.next(STRUCTURES) + 1;
            if partner != organiser {
                facilitators.push(format!("({id}, {})", 1000 + 3 * partner));
            }
        }
    }
    insert(
        pool,
        "INSERT INTO sessions (id, kind, theme, title, description, starts_at, ends_at, capacity, seats_taken, \
         organiser_structure_id, company_name, audience_all, status, created_at, updated_at)",
        &sessions,
    )
    .await;
    insert(pool, "INSERT INTO session_facilitators (session_id, user_id)", &facilitators).await;
    insert(
        pool,
        "INSERT INTO enrolments (session_id, participant_id, structure_id, status, queue_tick, created_at, \
         updated_at, attendance)",
        &enrolments,
    )
    .await;
    if store == Store::Postgres {
        // Ids were given: the sequences must move past them.
        for table in ["structures", "users", "participants", "sessions"] {
            let sql = format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))");
            sqlx::query(&sql).execute(pool).await.unwrap();
        }
    }
    // The planners' statistics, as a database that grew over three years would have them.
    sqlx::query("ANALYZE").execute(pool).await.unwrap();
    enrolments.len()
}

/// p50 and p95 of `runs` timings of `work`, in ms.
async fn time<F: std::future::Future<Output = ()>>(runs: usize, mut work: impl FnMut() -> F) -> (f64, f64) {
    work().await;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        work().await;
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    (at(0.5), at(0.95))
}

async fn bench(store: Store, runs: usize) {
    let Some(db) = TestDb::create(store).await else { return };
    let app = TestApp::spawn(&db).await;
    let started = Instant::now();
    let enrolments = generate(&app, store).await;
    let generated = started.elapsed().as_secs_f64();
    app.core
        .add_user(
            &OPERATOR,
            NewUser {
                email: "groupe@bench.fr".into(),
                display_name: "Coordination".into(),
                role: Role::GroupCoordinator,
                structure_id: None,
                password: Some("motdepasse-bench".into()),
            },
        )
        .await
        .unwrap();
    let token = app.core.create_api_token(&OPERATOR, "groupe@bench.fr", "bench", 30).await.unwrap().token;
    let cookie = sign_in_by_form(
        app.base.as_str(),
        "/fn/sign_in_staff",
        &[("email", "groupe@bench.fr"), ("password", "motdepasse-bench")],
    )
    .await;
    let actor = app.core.actor_for_api_token(&token).await.unwrap();
    let today = Utc::now().with_timezone(&Paris).date_naive();
    let query = FiguresQuery {
        from: today - Duration::days(365),
        to: today - Duration::days(1),
        structure: None,
        kind: None,
        theme: None,
    };
    let range = format!("du={}&au={}", query.from, query.to);
    let api_range = format!("from={}&to={}", query.from, query.to);
    let (from_ts, to_ts) = ((Utc::now() - Duration::days(366)).timestamp(), Utc::now().timestamp());

    let bare = format!(
        "SELECT e.session_id, COUNT(*) FROM sessions s JOIN enrolments e ON e.session_id = s.id \
         WHERE s.starts_at >= {from_ts} AND s.starts_at < {to_ts} AND s.status = 'published' GROUP BY e.session_id"
    );
    let pool = app.sql.clone();
    let bare_time = time(runs, || {
        let (pool, bare) = (pool.clone(), bare.clone());
        async move {
            sqlx::query(&bare).fetch_all(&pool).await.unwrap();
        }
    })
    .await;
    let core_time = time(runs, || {
        let (core, actor, query) = (app.core.clone(), actor.clone(), query.clone());
        async move {
            core.figures(&actor, &query).await.unwrap();
        }
    })
    .await;
    let client = reqwest::Client::new();
    let api_url = format!("{}/api/v1/figures?{api_range}", app.base);
    let api_time = time(runs, || {
        let (client, url, token) = (client.clone(), api_url.clone(), token.clone());
        async move {
            let answer = client.get(url).bearer_auth(token).send().await.unwrap();
            assert!(answer.status().is_success(), "{}", answer.status());
            answer.bytes().await.unwrap();
        }
    })
    .await;
    let page_url = format!("{}/equipe/chiffres?{range}", app.base);
    let page_time = time(runs, || {
        let (client, url, cookie) = (client.clone(), page_url.clone(), cookie.clone());
        async move {
            let answer = client.get(url).header("cookie", cookie).send().await.unwrap();
            assert!(answer.status().is_success(), "{}", answer.status());
            let body = answer.text().await.unwrap();
            assert!(body.contains("graphique-mutualisation"), "the page with its figures");
        }
    })
    .await;
    let figures = app.core.figures(&actor, &query).await.unwrap();
    println!(
        "\n## {store:?}: {STRUCTURES} structures, {} participants, {SESSIONS} sessions over 3 years, {enrolments} enrolments (written in {generated:.0} s)",
        STRUCTURES * PEOPLE_PER_STRUCTURE
    );
    println!(
        "A year of the whole group ({} to {}): {} sessions held, {} seats taken, {} attendances.\n",
        query.from, query.to, figures.held, figures.total.seated, figures.total.present
    );
    println!("| {runs} requests, one at a time | p50 (ms) | p95 (ms) | p95 / bare query |");
    println!("|---|---:|---:|---:|");
    for (what, (p50, p95)) in [
        ("bare aggregate query (baseline)", bare_time),
        ("core: `Core::figures`", core_time),
        ("API: `GET /api/v1/figures`", api_time),
        ("page: `GET /equipe/chiffres`", page_time),
    ] {
        println!("| {what} | {p50:.1} | {p95:.1} | {:.1} |", p95 / bare_time.1);
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(40);
    println!("# bench-figures");
    bench(Store::Sqlite, runs).await;
    bench(Store::Postgres, runs).await;
}
