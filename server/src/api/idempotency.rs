//! `Idempotency-Key` on the API's POSTs (draft-ietf-httpapi-idempotency-key-header): the first
//! request with a key is done and its answer kept; the same key with the same request (method,
//! address and body) gets that answer again and does nothing; the same key with another
//! request is refused (422 `idempotency_key_mismatch`), and while the first is under way, 409
//! `idempotency_key_in_use`. An answer that shows a secret (an access code, a calendar link) is
//! kept without its body: the same request then gets 409 `idempotency_key_used`. Keys belong to
//! the token's account and are kept a day (the core's `idempotency`). Without the header, a
//! POST is done each time it is sent, as before.

use crate::core::{Core, Once, is_valid_key};
use crate::json_error::JsonError;
use crate::listen::STAFF_BODY_BYTES;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;
use toile_shared::ErrorCode;

pub const HEADER: &str = "Idempotency-Key";

/// Put in a response's extensions by a handler whose answer shows a secret once: it is not kept.
#[derive(Clone, Copy, Debug)]
pub struct ShowsSecret;

/// The middleware around the API's routes.
pub async fn layer(State(core): State<Core>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(value) = request.headers().get(HEADER) else { return next.run(request).await };
    let Some(key) = value.to_str().ok().map(unquoted).filter(|key| is_valid_key(key)).map(str::to_string) else {
        return JsonError::new(
            ErrorCode::BadRequest,
            "L'en-tête Idempotency-Key compte de 1 à 255 caractères ASCII visibles.",
        )
        .into_response();
    };
    // Nobody (or a token that has ended): the handler answers 401 as without the header.
    let actor = match super::extract::bearer_token(request.headers()) {
        Some(token) => core.actor_for_api_token(token).await.ok(),
        None => None,
    };
    let Some(actor) = actor else { return next.run(request).await };
    let (mut parts, body) = request.into_parts();
    // The handler's `ApiCaller` takes this actor rather than reading the token again.
    parts.extensions.insert(actor.clone());
    let Ok(body) = to_bytes(body, STAFF_BODY_BYTES).await else {
        return JsonError::new(ErrorCode::BodyTooLarge, "Requête trop longue.").into_response();
    };
    let asked = [parts.method.as_str().as_bytes(), b" ", parts.uri.to_string().as_bytes(), b"\n", &body].concat();
    match core.once(&actor, &key, &asked, Duration::ZERO).await {
        Ok(Once::First) => {}
        Ok(Once::Done { status, answer: Some(body) }) => return replayed(status, body),
        Ok(Once::Done { answer: None, .. }) => {
            return JsonError::new(ErrorCode::IdempotencyKeyUsed, "Cette requête a déjà été faite avec cette clé ; sa réponse montrait un secret une seule fois, qui n'est pas gardé.").into_response();
        }
        Ok(Once::OtherRequest) => {
            return JsonError::new(
                ErrorCode::IdempotencyKeyMismatch,
                "Cette clé d'idempotence a déjà servi pour une autre requête : prenez-en une nouvelle.",
            )
            .into_response();
        }
        Ok(Once::UnderWay) => {
            return JsonError::new(
                ErrorCode::IdempotencyKeyInUse,
                "La première requête avec cette clé est encore en cours : réessayez dans un instant.",
            )
            .into_response();
        }
        Err(error) => return super::ApiError::Core(error).into_response(),
    }
    let response = next.run(Request::from_parts(parts, Body::from(body))).await;
    let status = response.status();
    if !status.is_success() {
        // Refused, nothing made: the key is free for the corrected request.
        if let Err(error) = core.refused(&actor, &key).await {
            tracing::warn!(%error, "an idempotency key could not be freed");
        }
        return response;
    }
    if response.extensions().get::<ShowsSecret>().is_some() {
        if let Err(error) = core.answered(&actor, &key, status.as_u16(), None).await {
            tracing::warn!(%error, "an idempotency key's answer could not be kept");
        }
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let kept = core.answered(&actor, &key, status.as_u16(), Some(&String::from_utf8_lossy(&body))).await;
    if let Err(error) = kept {
        tracing::warn!(%error, "an idempotency key's answer could not be kept");
    }
    Response::from_parts(parts, Body::from(body))
}

/// The key as sent: a Structured Field string (`"…"`, as the draft writes it) or bare.
fn unquoted(value: &str) -> &str {
    let value = value.trim();
    value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value)
}

/// The first answer again.
fn replayed(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = (status, body).into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_read_quoted_as_the_draft_writes_it_or_bare() {
        assert_eq!(unquoted("\"8e03978e-40d5\""), "8e03978e-40d5");
        assert_eq!(unquoted("8e03978e-40d5"), "8e03978e-40d5");
    }
}
