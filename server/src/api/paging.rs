//! The API's lists come a page at a time: `limit` (1 to 500, the default) and `after` (where
//! the page starts). The answer stays a JSON array; `Link: <…>; rel="next"` (RFC 8288) gives
//! the next page's address, with the same filters, while there may be more.

use super::error::ApiError;
use crate::core::MAX_PAGE_SIZE;
use axum::http::HeaderValue;
use axum::http::header::LINK;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The page asked for: its size (`limit`) and where it starts (`after`, read with `parse`).
pub fn asked<T>(
    limit: Option<u32>,
    after: Option<&str>,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<(u32, Option<T>), ApiError> {
    Ok((page_size(limit)?, cursor(after, parse)?))
}

/// The page size asked for, or the largest.
fn page_size(limit: Option<u32>) -> Result<u32, ApiError> {
    match limit.unwrap_or(MAX_PAGE_SIZE) {
        limit @ 1..=MAX_PAGE_SIZE => Ok(limit),
        _ => Err(ApiError::BadRequest(format!("limit: de 1 à {MAX_PAGE_SIZE}"))),
    }
}

/// `after` read with `parse` (empty: the first page), or a bad request.
fn cursor<T>(after: Option<&str>, parse: impl FnOnce(&str) -> Option<T>) -> Result<Option<T>, ApiError> {
    after
        .filter(|text| !text.is_empty())
        .map(|text| {
            parse(text)
                .ok_or_else(|| ApiError::BadRequest("after: reprenez la valeur donnée par l'en-tête Link".into()))
        })
        .transpose()
}

/// The page's items as JSON, linked to the next page when `next` says where it starts.
/// `query` holds the list's own filters, repeated in the link.
pub fn answer(
    items: impl Serialize,
    path: &str,
    mut query: Vec<(&'static str, String)>,
    limit: u32,
    next: Option<String>,
) -> Response {
    let mut answer = axum::Json(items).into_response();
    if let Some(next) = next {
        query.push(("limit", limit.to_string()));
        query.push(("after", next));
        let link = format!("<{path}?{}>; rel=\"next\"", serde_urlencoded::to_string(query).unwrap_or_default());
        if let Ok(value) = HeaderValue::from_str(&link) {
            answer.headers_mut().insert(LINK, value);
        }
    }
    answer
}
