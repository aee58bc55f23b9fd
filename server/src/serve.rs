//! `toile serve`: the pages and the API on one listener, and the background sweep that hands
//! released reserved seats to people waiting. Stops cleanly on SIGINT or SIGTERM.

use crate::config::Config;
use crate::core::Core;
use crate::web::port::WebPort;
use axum::serve::ListenerExt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

pub async fn serve(core: Core, config: Config, addr: SocketAddr) -> std::io::Result<()> {
    let mut options = leptos_options()?;
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    options.site_addr = local;
    let app = app(core.clone(), config, options);

    let sweeper = tokio::spawn(sweep_released_seats(core.clone()));
    // Printed on standard output so scripts (and tests) can read the chosen port.
    println!("Toile écoute sur http://{local}");
    print_demo_sign_ins(&core).await;
    // Small responses go out at once: without TCP_NODELAY, Nagle's algorithm and the client's
    // delayed ACK held each one back by about 40 ms on a kept-alive connection.
    let listener = listener.tap_io(|stream| {
        if let Err(error) = stream.set_nodelay(true) {
            tracing::warn!(%error, "TCP_NODELAY could not be set");
        }
    });
    let served = axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await;
    sweeper.abort();
    core.store().close().await;
    served
}

/// The whole HTTP surface: the JSON API, the calendars, the static files and the pages. The
/// pages' router comes last: it has the fallback (the 404 page). Every request passes the guard
/// (forged writes refused, security headers on every answer). Answers are compressed (br or
/// gzip) when the client accepts it; static files come compressed already.
pub fn app(core: Core, config: Config, options: leptos::prelude::LeptosOptions) -> axum::Router {
    let config = Arc::new(config);
    let port: toile_app::port::SharedPort = Arc::new(WebPort { core: core.clone(), config: config.clone() });
    let assets = toile_app::assets::SiteAssets { base: crate::web::assets::base().to_string() };
    let guard = crate::web::guard::Guard::new(config.public_url.clone());
    crate::api::router(core.clone(), config.clone())
        .merge(crate::feeds::router(core.clone(), &config))
        .merge(crate::web::sheet::router(core, config.clone()))
        .merge(crate::web::assets::router())
        .merge(toile_app::web_router(options, port, assets))
        .layer(axum::middleware::from_fn_with_state(guard, crate::web::guard::guard))
        .layer(tower_http::compression::CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest))
        .layer(tower_http::trace::TraceLayer::new_for_http())
}

/// Built by cargo-leptos, the binary knows its site from the environment; run otherwise (tests,
/// `cargo run`), it serves the site that `cargo leptos build` left in `target/site`.
pub fn leptos_options() -> std::io::Result<leptos::prelude::LeptosOptions> {
    if std::env::var_os("LEPTOS_OUTPUT_NAME").is_some() {
        return leptos::prelude::get_configuration(None)
            .map(|conf| conf.leptos_options)
            .map_err(|e| std::io::Error::other(e.to_string()));
    }
    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    Ok(leptos::prelude::LeptosOptions::builder().output_name("toile").site_root(site_root).site_pkg_dir("pkg").build())
}

async fn sweep_released_seats(core: Core) {
    let mut every = tokio::time::interval(Duration::from_secs(60));
    loop {
        every.tick().await;
        match core.promote_released_seats().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(promoted = n, "released reserved seats given to people waiting"),
            Err(error) => tracing::warn!(%error, "reserved-seat sweep failed"),
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
