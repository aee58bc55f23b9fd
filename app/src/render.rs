//! What every page is rendered with (the port, Leptos's options, where the site's files are,
//! the answer's nonce), for the pages' routes and for the handlers that render a page
//! themselves: a form shown again with its messages, the sign-in page after a card's link.

use crate::assets::SiteAssets;
use crate::port::SharedPort;
use crate::shell;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use leptos::prelude::*;

/// Everything a page needs in its context.
#[derive(Clone)]
pub struct PageContext {
    pub port: SharedPort,
    pub options: LeptosOptions,
    pub assets: SiteAssets,
}

impl PageContext {
    /// Provides it to the page being rendered (called in every render's context).
    pub fn provide(&self) {
        provide_context(self.port.clone());
        provide_context(self.options.clone());
        provide_context(self.assets.clone());
        adopt_the_answer_s_nonce();
    }
}

/// The server draws a nonce for each answer and names it in the answer's Content-Security-Policy
/// (`server/src/web/guard.rs`), putting it in the request's extensions: Leptos writes its inline
/// scripts (islands' start-up, hydration data) with the nonce in context, so this one replaces
/// the one Leptos drew. Called in every render's context, after Leptos's own.
fn adopt_the_answer_s_nonce() {
    let nonce = use_context::<Parts>().and_then(|parts| parts.extensions.get::<leptos::nonce::Nonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(nonce);
    }
}

/// The page at the request's address, rendered with `extra` context and answered with `status`.
pub(crate) async fn render(
    pages: PageContext,
    parts: Parts,
    status: StatusCode,
    extra: impl Fn() + Clone + Send + Sync + 'static,
) -> Response {
    let options = pages.options.clone();
    let context = move || {
        pages.provide();
        extra();
    };
    let render = leptos_axum::render_app_async_with_context(context, move || shell(options.clone()));
    let mut response = render(Request::from_parts(parts, Body::empty())).await;
    *response.status_mut() = status;
    response
}
