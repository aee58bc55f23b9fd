//! The axum router for pages, server functions and static files. The server merges it with its
//! JSON API router.

use crate::assets::SiteAssets;
use crate::form_posts;
use crate::port::{SharedPort, sign_in_token};
use crate::render::PageContext;
use crate::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use std::sync::OnceLock;

/// Pages (SSR), server functions under `/fn/` and, as fallback, files from the site root
/// (`/pkg/…`, favicon) or the rendered 404 page. The page context is provided both to pages
/// (server functions called while rendering) and to the server-function handler, which
/// `leptos_routes_with_context` registers with the same context. Who is signed in is resolved
/// once per page or server-function request (`resolve_visitor`); static files skip it.
pub fn web_router(options: LeptosOptions, port: SharedPort, assets: SiteAssets) -> Router {
    let pages = PageContext { port: port.clone(), options: options.clone(), assets };
    let context = {
        let pages = pages.clone();
        move || pages.provide()
    };
    let routes = Router::new().leptos_routes_with_context(&options, route_list(), context.clone(), {
        let options = options.clone();
        move || shell(options.clone())
    });
    let routes = crate::card_sign_in::routes(routes, pages.clone());
    form_posts::routes(routes, pages)
        .route_layer(middleware::from_fn_with_state(port, resolve_visitor))
        .route_layer(middleware::from_fn(drop_unused_hydration_data))
        .route_layer(middleware::from_fn(redirects_show_no_page))
        .route_layer(middleware::from_fn(user_errors_are_not_server_errors))
        .fallback(file_and_error_handler_with_context(context, shell))
        .with_state(options)
}

/// The one way from a sign-in cookie to the person signed in: puts them (a `Visitor`) in the
/// request's extensions, where pages and server functions (`functions::request::visitor`), the
/// server's downloads and its calendar download read them. Nobody signed in (no cookie, or a
/// sign-in that ended) goes on without one; when the sign-in cannot be read at all, the answer
/// is the error's, and nothing is shown as if signed out.
pub async fn resolve_visitor(State(port): State<SharedPort>, mut request: Request, next: Next) -> Response {
    if let Some(token) = sign_in_token(request.headers()).map(str::to_owned) {
        match port.visitor(&token).await {
            Ok(Some(visitor)) => {
                request.extensions_mut().insert(visitor);
            }
            Ok(None) => {}
            Err(error) => {
                let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                return (status, [(CACHE_CONTROL, "no-store")], error.message).into_response();
            }
        }
    }
    next.run(request).await
}

/// Leptos follows every page with a `<script>` that hands the browser its state for hydration,
/// even when there is nothing to hydrate. A page without islands has no use for it: dropping it
/// keeps those pages free of any script (lighter, and no inline script for a strict CSP).
async fn drop_unused_hydration_data(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, PAGE_LIMIT).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "page too large").into_response();
    };
    let page = String::from_utf8_lossy(&bytes);
    let has_islands = page.contains("<leptos-island");
    let body = match page.find(END_OF_DOCUMENT) {
        Some(end) if !has_islands => bytes.slice(..end + END_OF_DOCUMENT.len()),
        _ => bytes,
    };
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

/// A page that sends the browser elsewhere (signed out: to the sign-in page) was rendered all
/// the same; its body is dropped, so that nothing of a page the visitor may not see leaves.
async fn redirects_show_no_page(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if !response.status().is_redirection() {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::empty())
}

/// Leptos answers every server-function error with 500. The error's code says whose fault it
/// was: a wrong code, a full session or a missing field is the person's, and answers 4xx.
async fn user_errors_are_not_server_errors(request: Request, next: Next) -> Response {
    let is_server_fn = request.uri().path().starts_with(toile_shared::paths::SERVER_FNS);
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("json"));
    if !is_server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR || !is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, ERROR_LIMIT).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "error too large").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<crate::models::UiError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Far above any error a server function sends.
const ERROR_LIMIT: usize = 64 * 1024;

const END_OF_DOCUMENT: &str = "</html>";
/// Far above any page Toile renders.
const PAGE_LIMIT: usize = 8 * 1024 * 1024;

/// Every page's route as the router has it (`/equipe/seances/{id}`): tests check that each one
/// is in their list of pages.
pub fn page_routes() -> Vec<String> {
    route_list().iter().map(|route| route.path().to_string()).collect()
}

/// The route list, generated once per process. Generating it sets a process-wide Leptos flag
/// that makes any resource first polled meanwhile (a page rendering on another thread) wait
/// forever (leptos-rs/leptos#4773), so a second router built while the first one serves, as
/// parallel tests do, must not generate it again.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}
