//! Pages under load: the participant's sessions page and the staff programme page of the demo
//! network, served by the release `toile` binary, at 1, 16 and 64 connections, next to a plain
//! axum handler that returns the same participant data as JSON (read through the same core from
//! the same database) in the same run. Also the server's memory, idle and under load.
//!
//! ```sh
//! cargo leptos build --release --precompress
//! cargo build --release -p tests --bin bench-pages && target/release/bench-pages
//! ```
//! `BENCH_REQUESTS` sets requests per measurement (default 3000).

use axum::extract::State;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tests::http::sign_in_by_form as sign_in;
use tests::process::ServerProcess;
use toile_server::core::{Core, Device};
use toile_shared::authz::Actor;

const CONCURRENCY: [usize; 3] = [1, 16, 64];
const PARTICIPANT_CODE: &str = "TRAM-4CAF";
const STAFF: (&str, &str) = ("claire.martin@demo.toile.fr", "demo-toile-2026");

struct Figures {
    rate: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// `requests` GETs of `url` from `connections` concurrent clients, each with its own kept-alive
/// connection; every answer must be a 200.
async fn load(url: &str, cookie: Option<&str>, requests: usize, connections: usize) -> Figures {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let (next, url, cookie) = (next.clone(), url.to_string(), cookie.map(str::to_string));
            tokio::spawn(async move {
                let client = reqwest::Client::builder().pool_max_idle_per_host(1).build().expect("client");
                let mut latencies = vec![];
                while next.fetch_add(1, Ordering::Relaxed) < requests {
                    let t = Instant::now();
                    let mut request = client.get(&url).header("accept-encoding", "br");
                    if let Some(cookie) = &cookie {
                        request = request.header("cookie", cookie);
                    }
                    let response = request.send().await.expect("answer");
                    assert_eq!(response.status(), 200, "{url}");
                    response.bytes().await.expect("body");
                    latencies.push(t.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = vec![];
    for task in tasks {
        latencies.extend(task.await.expect("client"));
    }
    let total = started.elapsed();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)].as_secs_f64() * 1e3;
    Figures { rate: latencies.len() as f64 / total.as_secs_f64(), p50_ms: at(0.5), p99_ms: at(0.99) }
}

fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// The baseline: the same participant data, through the same core, as JSON.
async fn json_baseline(core: Core, actor: Actor) -> String {
    async fn programme(State((core, actor)): State<(Core, Actor)>) -> axum::Json<serde_json::Value> {
        let programme = core.participant_programme(&actor).await.expect("programme");
        let sessions: Vec<_> = programme.iter().map(|item| &item.session).collect();
        axum::Json(serde_json::to_value(sessions).expect("json"))
    }
    let app = axum::Router::new().route("/", axum::routing::get(programme)).with_state((core, actor));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/")
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let requests: usize = std::env::var("BENCH_REQUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(3000);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let toile = root.join("target/release/toile");
    assert!(toile.exists(), "build the site first: cargo leptos build --release --precompress");
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("toile.db").display());
    let seeded =
        std::process::Command::new(&toile).args(["seed", "--demo"]).env("DATABASE_URL", &url).output().unwrap();
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    let server = ServerProcess::start(toile.to_str().unwrap(), &url);
    let base = server.base.clone();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle = rss_mb(server.pid());

    let participant = sign_in(&base, "/fn/sign_in_participant", &[("code", PARTICIPANT_CODE)]).await;
    let staff = sign_in(&base, "/fn/sign_in_staff", &[("email", STAFF.0), ("password", STAFF.1)]).await;
    let core = Core::open(&url).await.unwrap();
    let actor = core.sign_in_participant(PARTICIPANT_CODE, None, Device::Own).await.unwrap().actor;
    let baseline = json_baseline(core, actor).await;
    // Warm every path once.
    for (url, cookie) in [(&baseline, None), (&format!("{base}/seances"), Some(participant.as_str()))] {
        load(url, cookie, 50, 1).await;
    }

    println!("# bench-pages ({requests} requests per measurement, demo data, SQLite)\n");
    println!(
        "| connections | JSON baseline (req/s) | participant `/seances` (req/s) | vs baseline | p50 (ms) | p99 (ms) | staff `/equipe/programme` (req/s) | p50 (ms) | p99 (ms) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut peak = idle;
    for connections in CONCURRENCY {
        let json = load(&baseline, None, requests, connections).await;
        let page = load(&format!("{base}/seances"), Some(&participant), requests, connections).await;
        peak = peak.max(rss_mb(server.pid()));
        let programme = load(&format!("{base}/equipe/programme"), Some(&staff), requests, connections).await;
        peak = peak.max(rss_mb(server.pid()));
        println!(
            "| {connections} | {:.0} | {:.0} | {:.0} % | {:.2} | {:.2} | {:.0} | {:.2} | {:.2} |",
            json.rate,
            page.rate,
            100.0 * page.rate / json.rate,
            page.p50_ms,
            page.p99_ms,
            programme.rate,
            programme.p50_ms,
            programme.p99_ms
        );
    }
    println!(
        "\nServer memory (RSS): {idle:.0} MB idle, {peak:.0} MB at most under load, {:.0} MB after.",
        rss_mb(server.pid())
    );
}
