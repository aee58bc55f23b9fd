//! Server-side plumbing shared by the server functions: the port, who is signed in (resolved
//! once per request by `web::resolve_visitor`), the redirect to the sign-in page when nobody
//! is, the sign-in cookie, what the request says about itself (no-JS form post, the address it
//! came to), and the cookie that carries a new calendar link to the agenda page.

use crate::models::{RequestOrigin, UiError};
use crate::port::{SECURE_SIGN_IN_COOKIE, SIGN_IN_COOKIE, ServedOverHttps, SharedPort, Visitor};
use axum::http::{HeaderValue, StatusCode, header, request::Parts};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use toile_shared::paths;

pub fn port() -> SharedPort {
    expect_context::<SharedPort>()
}

/// The signed-in person of this request, if any.
pub fn visitor() -> Option<Visitor> {
    use_context::<Parts>()?.extensions.get::<Visitor>().cloned()
}

/// The address this request came from, when the server knows it.
pub fn client_address() -> Option<std::net::IpAddr> {
    use_context::<Parts>()?.extensions.get::<crate::port::ClientAddress>().map(|client| client.0)
}

/// A cookie's value from the request, if any and not empty.
fn cookie(wanted: &str) -> Option<String> {
    let parts = use_context::<Parts>()?;
    crate::port::cookie(&parts.headers, wanted).map(str::to_owned)
}

/// A browser posting a form without JavaScript asks for HTML; the server-function client asks
/// for the encoded answer (the test Leptos itself uses to choose between 302 and a redirect
/// header).
pub fn is_plain_form_post() -> bool {
    use_context::<Parts>()
        .and_then(|parts| parts.headers.get(header::ACCEPT).cloned())
        .and_then(|accept| accept.to_str().ok().map(|a| a.contains("text/html")))
        .unwrap_or(false)
}

/// The address the request came to, for links the server builds back to itself.
pub fn request_origin() -> RequestOrigin {
    use_context::<Parts>().map(|parts| origin_of(&parts)).unwrap_or_default()
}

/// The address a request came to, from its headers.
pub fn origin_of(parts: &Parts) -> RequestOrigin {
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    RequestOrigin {
        // HTTP/2 carries the host in the URI's authority instead of a `Host` header.
        host: header("host").or_else(|| parts.uri.authority().map(|a| a.to_string())),
        forwarded_proto: header("x-forwarded-proto"),
    }
}

/// Carries a calendar link just created by a form posted without JavaScript to the agenda page
/// it redirects to, which shows it once and clears it. Only the agenda page receives it.
const NEW_LINK_COOKIE: &str = "toile_nouveau_lien";
/// Long enough for a slow phone to follow the redirect.
const NEW_LINK_SECONDS: u32 = 600;

pub fn set_new_link_cookie(feed_id: i64, https_url: &str) -> Result<(), UiError> {
    let value = hex_encode(&format!("{feed_id} {https_url}"));
    write_cookie(&format!("{NEW_LINK_COOKIE}={value}; Max-Age={NEW_LINK_SECONDS}"), paths::AGENDA)
}

/// The link carried by the cookie (feed id, `https://` address), clearing the cookie.
pub fn take_new_link_cookie() -> Option<(i64, String)> {
    let value = cookie(NEW_LINK_COOKIE)?;
    if let Err(e) = write_cookie(&format!("{NEW_LINK_COOKIE}=; Max-Age=0"), paths::AGENDA) {
        leptos::logging::error!("could not clear the new-link cookie: {}", e.code);
    }
    // The page about to show the secret must not be kept by the browser or a proxy.
    if let Some(response) = use_context::<ResponseOptions>() {
        response.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let decoded = hex_decode(&value)?;
    let (id, url) = decoded.split_once(' ')?;
    let url_ok = (url.starts_with("https://") || url.starts_with("http://")) && url.contains("/calendars/");
    Some((id.parse().ok()?, url.to_owned())).filter(|_| url_ok)
}

/// Cookie values may not hold every character a configured public address could: hex can.
fn hex_encode(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

/// `None` for anything but pairs of hex digits (an odd length leaves a short last pair).
fn hex_decode(hex: &str) -> Option<String> {
    let bytes: Option<Vec<u8>> =
        (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect();
    String::from_utf8(bytes?).ok()
}

/// The signed-in person, or a redirect to the sign-in page.
pub fn require_visitor() -> Result<Visitor, UiError> {
    visitor().ok_or_else(|| {
        to_sign_in();
        UiError::not_signed_in()
    })
}

/// Sends the person to the sign-in page when the port says their sign-in is gone (an account
/// deactivated while they were on the page).
pub fn signed_in<T>(result: Result<T, UiError>) -> Result<T, UiError> {
    if matches!(&result, Err(e) if e.is_signed_out()) {
        to_sign_in();
    }
    result
}

/// A server function called over HTTP redirects to the sign-in page itself; a page rendering
/// leaves its answer to `set_page_status`, which knows the page to come back to.
fn to_sign_in() {
    let over_http = use_context::<Parts>().is_some_and(|parts| parts.uri.path().starts_with(paths::SERVER_FNS));
    if over_http {
        leptos_axum::redirect(paths::SIGN_IN);
    }
}

/// The status of the page being rendered, from the error that refused its data: nobody signed
/// in, a 303 to the sign-in page with this page to come back to; else the error's own status
/// (403 refused, 404 unknown…), with the same French page.
pub fn set_page_status(error: &UiError) {
    let Some(response) = use_context::<ResponseOptions>() else { return };
    let status = error.status();
    if status == 401 {
        let here = use_context::<Parts>().and_then(|parts| parts.uri.path_and_query().map(|pq| pq.to_string()));
        let location = crate::functions::sign_in_returning_to(here.as_deref());
        if let Ok(location) = HeaderValue::from_str(&location) {
            response.insert_header(header::LOCATION, location);
            response.set_status(StatusCode::SEE_OTHER);
            return;
        }
    }
    response.set_status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
}

/// The sign-in cookie, kept `max_age` seconds (the sign-in's lifetime) or, when `None`, until
/// the browser closes (a shared phone).
pub fn set_sign_in_cookie(token: &str, max_age: Option<i64>) -> Result<(), UiError> {
    write_cookie(&sign_in_cookie(is_https(), token, max_age), "/")
}

/// The sign-in cookie's name, value and lifetime, under its `__Host-` name over HTTPS.
pub fn sign_in_cookie(https: bool, token: &str, max_age: Option<i64>) -> String {
    let max_age = max_age.map(|seconds| format!("; Max-Age={seconds}")).unwrap_or_default();
    let name = if https { SECURE_SIGN_IN_COOKIE } else { SIGN_IN_COOKIE };
    format!("{name}={token}{max_age}")
}

/// Clears the sign-in cookie under both its names.
pub fn clear_sign_in_cookie() -> Result<(), UiError> {
    if is_https() {
        write_cookie(&format!("{SECURE_SIGN_IN_COOKIE}=; Max-Age=0"), "/")?;
    }
    write_cookie(&format!("{SIGN_IN_COOKIE}=; Max-Age=0"), "/")
}

/// Whether the request reached Toile over HTTPS: the server says so (`ServedOverHttps`, from
/// the configured address), or the proxy in front does.
fn is_https() -> bool {
    use_context::<Parts>().is_some_and(|parts| served_over_https(&parts))
}

/// Whether this request reached Toile over HTTPS (see `is_https`).
pub fn served_over_https(parts: &Parts) -> bool {
    parts.extensions.get::<ServedOverHttps>().is_some()
        || parts.headers.get("x-forwarded-proto").is_some_and(|proto| proto.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// A browser-session cookie: HttpOnly so scripts cannot read it, Lax so other sites cannot post
/// forms with it, Secure over HTTPS.
/// A `Set-Cookie` value: HttpOnly, Lax, Secure over HTTPS (see `write_cookie`).
pub fn cookie_header(https: bool, name_value: &str, path: &str) -> String {
    format!("{name_value}; Path={path}; HttpOnly; SameSite=Lax{}", if https { "; Secure" } else { "" })
}

fn write_cookie(name_value: &str, path: &str) -> Result<(), UiError> {
    let value = HeaderValue::from_str(&cookie_header(is_https(), name_value, path)).map_err(|_| {
        leptos::logging::error!("not a valid cookie value");
        UiError::new("internal", "Un problème technique est survenu. Réessayez dans un instant.")
    })?;
    expect_context::<ResponseOptions>().append_header(header::SET_COOKIE, value);
    Ok(())
}
