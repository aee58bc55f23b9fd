//! `/connexion/carte/<secret>`: the code card's QR code. A working link signs the person in on
//! their own phone, as the typed code does, and sends them to their sessions (303); a used,
//! expired or replaced one opens the sign-in page with the sentence that says so, answered
//! 410 Gone: the link is gone for good, and the page still lets them type their code.

use crate::functions::auth::home_path;
use crate::functions::request::{cookie_header, served_over_https, sign_in_cookie};
use crate::models::CardLinkRefused;
use crate::render::{PageContext, render};
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, LOCATION, REFERRER_POLICY, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use leptos::prelude::*;
use toile_shared::paths;

pub fn routes(router: axum::Router<LeptosOptions>, pages: PageContext) -> axum::Router<LeptosOptions> {
    router.route(
        &format!("{}/{{secret}}", paths::CARD_SIGN_IN),
        get(move |request: Request| open(pages.clone(), request)),
    )
}

async fn open(pages: PageContext, request: Request) -> Response {
    let (mut parts, _) = request.into_parts();
    let secret = parts.uri.path().rsplit('/').next().unwrap_or_default().to_owned();
    match pages.port.sign_in_with_card_link(&secret).await {
        Ok(signed_in) => {
            let https = served_over_https(&parts);
            let cookie = cookie_header(https, &sign_in_cookie(https, &signed_in.token, signed_in.cookie_max_age), "/");
            let Ok(cookie) = HeaderValue::from_str(&cookie) else {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            };
            let mut response = (StatusCode::SEE_OTHER, [(LOCATION, home_path(signed_in.viewer.kind))]).into_response();
            let headers = response.headers_mut();
            headers.insert(SET_COOKIE, cookie);
            headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
            // The next page must not tell anyone where the person came from.
            headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
            response
        }
        Err(error) => {
            let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::GONE);
            // The sign-in page, as if opened at its own address, with the sentence.
            parts.uri = Uri::from_static(paths::SIGN_IN);
            let refused = CardLinkRefused(error.message);
            let mut response = render(pages, parts, status, move || provide_context(refused.clone())).await;
            response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
    }
}
