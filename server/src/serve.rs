//! `toile serve`: the pages and the API on one listener, and the background jobs (released
//! reserved seats handed to people waiting, ended sign-ins deleted, messages to participants
//! delivered). Stops cleanly on SIGINT or SIGTERM.

use crate::config::Config;
use crate::core::Core;
use crate::web::port::WebPort;
use axum::http::StatusCode;
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// How often the delivery worker looks for messages due.
const DELIVERY_EVERY: Duration = Duration::from_secs(2);

/// Serves `core` on `addr` as `config` and the site's `options` say (`config::site_options`).
pub async fn serve(core: Core, config: Config, mut options: LeptosOptions, addr: SocketAddr) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    options.site_addr = local;
    let limits = config.connections;
    // Links in messages lead back here when no public address is configured (development, the
    // demo); a real installation sets `TOILE_PUBLIC_URL`.
    let core = match &config.public_url {
        Some(url) => core.with_link_base(url.base()),
        None => core.with_link_base(&format!("http://{local}")),
    };
    let senders = crate::notify::Senders::configured(&config.senders).map_err(std::io::Error::other)?;
    let app = app(core.clone(), config, options);

    let sweeper = tokio::spawn(background_jobs(core.clone()));
    let delivery = tokio::spawn(crate::notify::run(core.clone(), senders, DELIVERY_EVERY));
    // Printed on standard output so scripts (and tests) can read the chosen port.
    println!("Toile écoute sur http://{local}");
    print_demo_sign_ins(&core).await;
    let served = crate::listen::serve_until(listener, app, limits, shutdown_signal()).await;
    sweeper.abort();
    delivery.abort();
    core.store().close().await;
    served
}

/// The whole HTTP surface: the JSON API, the calendars, the static files and the pages. The
/// pages' router comes last: it has the fallback (the 404 page). Every request passes the guard
/// (forged writes refused, security headers on every answer), has its address's `__path` and
/// `__err` replaced by the server's own signed error cookie (`web::flash`), is answered within
/// `config.connections.request` (else 408) and may carry at most its route's body limit (else 413,
/// `web::body_limits`); those refusals are JSON on the API and French pages elsewhere
/// (`web::layer_answers`). Answers are
/// compressed (br or gzip) when the client accepts it; static files come compressed already.
pub fn app(core: Core, config: Config, options: LeptosOptions) -> axum::Router {
    let config = Arc::new(config);
    let timeout = config.connections.request;
    let guard = crate::web::guard::Guard::new(config.public_url.clone());
    let served = crate::web::client_address::Served {
        behind_proxy: config.behind_proxy,
        over_https: config.public_url.as_ref().is_some_and(crate::links::PublicUrl::is_https),
    };
    let flash = crate::web::flash::FlashKey::new(core.flash_key());
    routes(core, config, options)
        .layer(axum::middleware::from_fn_with_state(flash, crate::web::flash::flash))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        .layer(axum::middleware::from_fn(crate::web::body_limits::limit_body))
        .layer(axum::middleware::from_fn(crate::web::layer_answers::in_the_asker_s_language))
        .layer(axum::middleware::from_fn_with_state(guard, crate::web::guard::guard))
        .layer(axum::middleware::from_fn_with_state(served, crate::web::client_address::client_address))
        .layer(tower_http::compression::CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest))
        .layer(tower_http::trace::TraceLayer::new_for_http())
}

/// The routes alone, without the layers `app` puts around them: the benchmark measures what
/// those layers cost a page.
pub fn routes(core: Core, config: Arc<Config>, options: LeptosOptions) -> axum::Router {
    let port: toile_app::port::SharedPort = Arc::new(WebPort { core: core.clone(), config: config.clone() });
    let assets = toile_app::assets::SiteAssets { base: crate::web::assets::base().to_string() };
    // Who is signed in, resolved once per request by the one middleware: the pages' router puts
    // it before its own routes, this before the downloads and the calendars (`signed_in`).
    let visitor = axum::middleware::from_fn_with_state(port.clone(), toile_app::resolve_visitor);
    let downloads = crate::feeds::router(core.clone(), &config)
        .merge(crate::web::sheet::router(core.clone(), config.clone()))
        .route_layer(visitor);
    crate::api::router(core.clone(), config.clone())
        .merge(downloads)
        .merge(crate::notify::brevo_events::router(core))
        .merge(crate::web::assets::router())
        .merge(toile_app::web_router(options, port, assets))
}

/// The server's own jobs: every minute, released reserved seats go to people waiting; every
/// hour, browser sign-ins that have ended are deleted, and one-time keys older than a day.
async fn background_jobs(core: Core) {
    let mut every = tokio::time::interval(Duration::from_secs(60));
    for minute in 0u64.. {
        every.tick().await;
        match core.promote_released_seats().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(promoted = n, "released reserved seats given to people waiting"),
            Err(error) => tracing::warn!(%error, "reserved-seat sweep failed"),
        }
        if minute % 60 == 0 {
            match core.purge_sign_ins().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(purged = n, "ended browser sign-ins deleted"),
                Err(error) => tracing::warn!(%error, "sign-in purge failed"),
            }
            match core.sweep_idempotency_keys().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(swept = n, "one-time keys older than a day forgotten"),
                Err(error) => tracing::warn!(%error, "one-time key sweep failed"),
            }
        }
        // Once a day, starting a few minutes after the server does.
        if minute % (24 * 60) == 5 {
            match core.apply_retention().await {
                Ok(pass) => tracing::info!(
                    anonymised = pass.anonymised,
                    audit_entries_deleted = pass.audit_entries_deleted,
                    messages_deleted = pass.messages_deleted,
                    "retention rules applied"
                ),
                Err(error) => tracing::warn!(%error, "retention job failed"),
            }
        }
    }
}

async fn print_demo_sign_ins(core: &Core) {
    if let Ok(Some(lines)) = crate::seed::demo_sign_ins(core).await {
        println!("{lines}");
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("arrêt demandé : fin des requêtes en cours");
}
