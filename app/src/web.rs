//! The axum router for pages, server functions and static files. The server merges it with its
//! JSON API router.

use crate::{App, backend::SharedBackend, shell};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use std::sync::OnceLock;

/// Pages (SSR), server functions under `/fn/` and, as fallback, files from the site root
/// (`/pkg/…`, favicon) or the rendered 404 page. The backend is provided as context both to
/// pages (server functions called while rendering) and to the server-function handler, which
/// `leptos_routes_with_context` registers with the same context.
pub fn web_router(options: LeptosOptions, backend: SharedBackend) -> Router {
    let context = move || provide_context(backend.clone());
    Router::new()
        .leptos_routes_with_context(&options, route_list(), context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(file_and_error_handler_with_context(context, shell))
        .with_state(options)
}

/// The route list, generated once per process. Generating it sets a process-wide Leptos flag
/// that makes any resource first polled meanwhile (a page rendering on another thread) wait
/// forever (leptos-rs/leptos#4773), so a second router built while the first one serves, as
/// parallel tests do, must not generate it again.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}
