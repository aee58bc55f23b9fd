//! The sign-in path and the cost of the layers every request passes, in one run, on SQLite:
//! - participant sign-ins with a right code (keyed lookup, throttle, a sign-in row and its
//!   audit entry written), staff sign-ins with a right password (Argon2, bounded), both next to
//!   the sign-in page itself (a read) as baseline;
//! - the participant's `/seances` page through the whole app (guard: forged-write check and
//!   security headers; client address; timeout; body limit; trace) and through the same routes
//!   with only compression, side by side.
//!
//! ```sh
//! cargo build --release -p tests --bin bench-sign-in && target/release/bench-sign-in
//! ```
//! `BENCH_REQUESTS` sets requests per measurement (default 2000; staff sign-ins: a tenth).

use std::sync::Arc;
use std::time::Duration;
use tests::bench::{Ask, Figures, load};
use tests::http::sign_in_by_form as sign_in;
use tests::{Store, TestApp, TestDb};
use toile_server::config::Config;
use toile_server::listen::{ConnectionLimits, serve_until};

fn row(what: &str, connections: usize, figures: &Figures, baseline: &Figures) {
    println!(
        "| {what} | {connections} | {:.0} | {:.0} % | {:.2} | {:.2} |",
        figures.rate,
        100.0 * figures.rate / baseline.rate,
        figures.p50_ms,
        figures.p99_ms
    );
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let requests: usize = std::env::var("BENCH_REQUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    let db = TestDb::create(Store::Sqlite).await.expect("database");
    let app = TestApp::spawn(&db).await;
    let lille = app.structure("Tremplin Lille").await;
    let mut staff_forms = vec![];
    for n in 0..16 {
        let email = format!("cip{n}@lille.fr");
        app.cip(&email, lille).await;
        staff_forms.push(vec![("email".into(), email), ("password".into(), "motdepasse-test".into())]);
    }
    let (_, code) = app.participant(lille, "Amina").await;
    let base = app.base.clone();

    // The same routes on the same core, with compression only: what the layers cost.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("port");
    let bare_base = format!("http://{}", listener.local_addr().expect("address"));
    let mut options = toile_server::config::site_options().expect("options");
    options.site_addr = listener.local_addr().expect("address");
    let bare = toile_server::serve::routes(app.core.clone(), Arc::new(Config::default()), options)
        .layer(tower_http_compression());
    tokio::spawn(serve_until(listener, bare, ConnectionLimits::default(), std::future::pending()));

    let participant = sign_in(&base, "/fn/sign_in_participant", &[("code", &code)]).await;
    let page = |base: &str| Ask::Get { url: format!("{base}/seances"), cookie: Some(participant.clone()) };
    let sign_in_page = Ask::Get { url: format!("{base}/connexion"), cookie: None };
    let by_code =
        Ask::Post { url: format!("{base}/fn/sign_in_participant"), forms: vec![vec![("code".into(), code.clone())]] };
    let by_password = Ask::Post { url: format!("{base}/fn/sign_in_staff"), forms: staff_forms };
    for ask in [page(&base), page(&bare_base), sign_in_page.clone()] {
        load(ask, 100, 1).await;
    }

    println!("# bench-sign-in ({requests} requests per measurement, SQLite, in one process)\n");
    println!("| what | connections | req/s | vs baseline | p50 (ms) | p99 (ms) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for connections in [1, 16] {
        let baseline = load(sign_in_page.clone(), requests, connections).await;
        row("baseline: `GET /connexion`", connections, &baseline, &baseline);
        row("participant sign-in (code)", connections, &load(by_code.clone(), requests, connections).await, &baseline);
        let staff = load(by_password.clone(), (requests / 10).max(20), connections).await;
        row("staff sign-in (Argon2)", connections, &staff, &baseline);
    }
    println!();
    println!("| `/seances` | connections | req/s | vs bare | p50 (ms) | p99 (ms) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for connections in [1, 16] {
        // Alternated, so that neither side runs on a warmer machine.
        let bare = load(page(&bare_base), requests, connections).await;
        let whole = load(page(&base), requests, connections).await;
        let bare_again = load(page(&bare_base), requests, connections).await;
        let bare = Figures {
            rate: (bare.rate + bare_again.rate) / 2.0,
            p50_ms: (bare.p50_ms + bare_again.p50_ms) / 2.0,
            p99_ms: (bare.p99_ms + bare_again.p99_ms) / 2.0,
        };
        row("routes + compression only", connections, &bare, &bare);
        row("whole app (guard, headers, limits, trace)", connections, &whole, &bare);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
}

fn tower_http_compression() -> tower_http::compression::CompressionLayer {
    tower_http::compression::CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest)
}
