//! The calendar endpoints: conditional GET (strong ETag, `If-None-Match` → 304), HEAD (axum
//! answers it from the GET handler with the same headers and no body), a 404 that tells nothing
//! for a token that is unknown or revoked, and the sign-in redirect for the single download.

use super::{FeedState, content, render};
use crate::core::CoreError;
use crate::json_error::http_status;
use crate::links::Links;
use crate::signed_in::{SignedIn, to_sign_in};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, ETAG, IF_NONE_MATCH, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use toile_calendar::RenderedCalendar;
use toile_shared::{ErrorCode, SessionId};

/// Calendar apps poll; private: the URL is a secret, the download is personal.
const CACHE_POLICY: &str = "private, max-age=900";

/// `GET /calendars/{token}.ics`
pub(super) async fn feed(State(state): State<FeedState>, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(token) = file.strip_suffix(".ics").filter(|t| plausible_token(t)) else {
        return not_found();
    };
    let feed = match state.core.resolve_feed(token).await {
        Ok(Some(feed)) => feed,
        Ok(None) => return not_found(),
        Err(error) => return failed(error),
    };
    let links = Links::for_request(state.public.as_ref(), &headers);
    match render::feed(&state.core, &state.feeds, &feed, &links).await {
        Ok(rendered) => calendar(&rendered, &headers, None),
        Err(error) => failed(error),
    }
}

/// `GET /seances/{id}/agenda.ics`: one session for the signed-in person's own calendar. An id
/// that names nothing is a 404 before anything else.
pub(super) async fn session(
    State(state): State<FeedState>,
    Path(id): Path<String>,
    signed_in: Option<SignedIn>,
    headers: HeaderMap,
) -> Response {
    let Ok(id) = id.parse::<SessionId>() else {
        return not_found();
    };
    let Some(SignedIn(actor)) = signed_in else {
        return to_sign_in();
    };
    let entry = match state.core.session_calendar_entry(&actor, id).await {
        Ok(entry) => entry,
        // A session the person may not see is not said to exist.
        Err(CoreError::Forbidden) => return not_found(),
        Err(error) => return failed(error),
    };
    let links = Links::for_request(state.public.as_ref(), &headers);
    let rendered = state.events.single_event(&content::single_event(&entry, &links));
    calendar(&rendered, &headers, Some(format!("attachment; filename=\"seance-{id}.ics\"")))
}

/// 200 with the body, or 304 when the client already holds it; the same validators either way.
fn calendar(rendered: &RenderedCalendar, request: &HeaderMap, disposition: Option<String>) -> Response {
    let if_none_match: Vec<&str> = request.get_all(IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).collect();
    let mut response = if rendered.not_modified(Some(&if_none_match.join(","))) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = Response::new(Body::from(rendered.body.clone()));
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(toile_calendar::CONTENT_TYPE));
        if let Some(value) = disposition.and_then(|d| HeaderValue::from_str(&d).ok()) {
            headers.insert(CONTENT_DISPOSITION, value);
        }
        response
    };
    let headers = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&rendered.etag) {
        headers.insert(ETAG, etag);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(CACHE_POLICY));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// The same answer for a token never issued, regenerated, deleted or turned off.
fn not_found() -> Response {
    plain(ErrorCode::NotFound, "Introuvable.\n")
}

/// A calendar that could not be answered, with the error's status; our own fault is logged and
/// not described.
fn failed(error: CoreError) -> Response {
    match error {
        CoreError::NotFound(_) => not_found(),
        CoreError::Internal(_) => {
            tracing::error!(%error, "calendar request failed");
            plain(ErrorCode::Internal, "Erreur interne : réessayez plus tard.\n")
        }
        other => plain(other.error_code(), format!("{other}\n")),
    }
}

fn plain(code: ErrorCode, message: impl Into<String>) -> Response {
    let headers = [(CONTENT_TYPE, "text/plain; charset=utf-8"), (CACHE_CONTROL, "no-store")];
    (http_status(code), headers, message.into()).into_response()
}

/// Tokens are long hex strings: anything else is not worth a database lookup.
fn plausible_token(token: &str) -> bool {
    (32..=128).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_token_shaped_paths_reach_the_database() {
        assert!(plausible_token(&"a1".repeat(32)));
        assert!(!plausible_token("short"));
        assert!(!plausible_token(&"é".repeat(40)));
    }
}
