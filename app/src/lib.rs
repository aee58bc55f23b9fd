#![recursion_limit = "256"]
//! Toile's pages: Leptos components, the server functions behind them, and (under `ssr`) the
//! axum router that serves both. The same crate compiles to wasm (`hydrate`) for the browser.

pub mod app;
pub mod assets;
#[cfg(feature = "ssr")]
mod card_sign_in;
mod components;
mod document_title;
#[cfg(feature = "ssr")]
mod form_posts;
pub mod forms;
pub mod functions;
pub mod models;
#[cfg(feature = "ssr")]
pub mod port;
#[cfg(feature = "ssr")]
mod render;
mod routes;
mod shell;
mod ui_error;
#[cfg(feature = "ssr")]
mod web;

pub use app::App;
pub use shell::shell;
#[cfg(feature = "ssr")]
pub use web::{page_routes, resolve_visitor, web_router};

/// Entry point of the wasm bundle: brings the page's islands to life (the rest of the page is
/// plain server-rendered HTML). Marks the document for the end-to-end tests, which wait for it
/// before they test the JavaScript path.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
