//! Server-side plumbing shared by the server functions: the backend, the session cookie, and
//! the redirect to the sign-in page when the session is missing or expired.

use crate::backend::{SESSION_COOKIE, SharedBackend};
use crate::models::UiError;
use axum::http::{HeaderValue, header, request::Parts};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

pub const SIGN_IN_PATH: &str = "/connexion";

pub fn backend() -> SharedBackend {
    expect_context::<SharedBackend>()
}

/// The session token from the request's `Cookie` headers, if any.
pub fn session_token() -> Option<String> {
    let parts = use_context::<Parts>()?;
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, token)| token.trim_matches('"').to_owned())
        .filter(|token| !token.is_empty())
}

/// The token, or a redirect to the sign-in page.
pub fn require_token() -> Result<String, UiError> {
    session_token().ok_or_else(|| {
        leptos_axum::redirect(SIGN_IN_PATH);
        UiError::not_signed_in()
    })
}

/// Error codes by which the backend says the session token is missing, unknown or expired.
const SIGNED_OUT_CODES: [&str; 2] = ["not_signed_in", "unauthenticated"];

/// Sends the person to the sign-in page when the backend says the session is gone.
pub fn signed_in<T>(result: Result<T, UiError>) -> Result<T, UiError> {
    if matches!(&result, Err(e) if SIGNED_OUT_CODES.contains(&e.code.as_str())) {
        leptos_axum::redirect(SIGN_IN_PATH);
    }
    result
}

pub fn set_session_cookie(token: &str) -> Result<(), UiError> {
    write_cookie(&format!("{SESSION_COOKIE}={token}"))
}

pub fn clear_session_cookie() -> Result<(), UiError> {
    write_cookie(&format!("{SESSION_COOKIE}=; Max-Age=0"))
}

/// A browser-session cookie: HttpOnly so scripts cannot read it, Lax so other sites cannot post
/// forms with it, Secure when the proxy in front says the request came over HTTPS.
fn write_cookie(name_value: &str) -> Result<(), UiError> {
    let secure = use_context::<Parts>()
        .and_then(|parts| parts.headers.get("x-forwarded-proto").cloned())
        .is_some_and(|proto| proto.as_bytes().eq_ignore_ascii_case(b"https"));
    let cookie = format!("{name_value}; Path=/; HttpOnly; SameSite=Lax{}", if secure { "; Secure" } else { "" });
    let value = HeaderValue::from_str(&cookie).map_err(|_| {
        leptos::logging::error!("session token is not a valid cookie value");
        UiError::new("internal", "Un problème technique est survenu. Réessayez dans un instant.")
    })?;
    expect_context::<ResponseOptions>().append_header(header::SET_COOKIE, value);
    Ok(())
}
