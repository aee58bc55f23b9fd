//! Serves the pages with the tests' in-memory backend, to look at them in a browser without the
//! database: `SITE_ROOT=target/site cargo run -p toile-app --example preview --features ssr`
//! (the site root must hold `pkg/toile.js`, `pkg/toile_bg.wasm` and `pkg/toile.css`).

#[path = "../tests/fake/mod.rs"]
mod fake;

use leptos::prelude::LeptosOptions;
use std::sync::Arc;

#[tokio::main]
async fn main() {
    let site_root = std::env::var("SITE_ROOT").unwrap_or_else(|_| "target/site".to_owned());
    let addr = std::env::var("ADDR").unwrap_or_else(|_| "127.0.0.1:3456".to_owned());
    let options = LeptosOptions::builder().output_name("toile").site_root(site_root).build();
    let app = toile_app::web_router(
        options,
        Arc::new(fake::Fake::default()),
        toile_app::assets::SiteAssets { base: "/s/preview".into() },
    );
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    println!("preview on http://{addr}");
    axum::serve(listener, app).await.expect("serve");
}
