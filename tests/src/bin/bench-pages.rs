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
use std::time::Duration;
use tests::bench::{Ask, Figures, rss_mb};
use tests::http::{DEMO_PARTICIPANT_CODE as PARTICIPANT_CODE, DEMO_STAFF as STAFF, sign_in_by_form as sign_in};
use tests::process::ServerProcess;
use toile_server::config::open_core;
use toile_server::core::{Core, Device, StoreOptions};
use toile_shared::authz::Actor;

const CONCURRENCY: [usize; 3] = [1, 16, 64];

/// A GET of `url` with `cookie`, `requests` times from `connections` clients.
async fn load(url: &str, cookie: Option<&str>, requests: usize, connections: usize) -> Figures {
    let ask = Ask::Get { url: url.to_string(), cookie: cookie.map(str::to_string) };
    tests::bench::load(ask, requests, connections).await
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
    let core = open_core(&url, StoreOptions::default()).await.unwrap();
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
