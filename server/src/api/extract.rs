//! Extractors that turn every malformed request into our JSON error, never axum's plain text.

use super::error::ApiError;
use crate::config::Config;
use crate::core::{Core, CoreError};
use crate::links::Links;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::convert::Infallible;
use std::sync::Arc;
use toile_shared::authz::Actor;

/// The staff member named by the `Authorization: Bearer <token>` header, with the core they
/// act on: every handler needs both, resolved once.
pub struct ApiCaller {
    pub core: Core,
    pub actor: Actor,
}

impl<S: Send + Sync> FromRequestParts<S> for ApiCaller
where
    Core: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let core = Core::from_ref(state);
        // Already resolved for this request by the `Idempotency-Key` layer.
        if let Some(actor) = parts.extensions.get::<Actor>() {
            return Ok(ApiCaller { actor: actor.clone(), core });
        }
        let token = bearer_token(&parts.headers).ok_or(ApiError::Core(CoreError::Unauthenticated))?;
        let actor = core.actor_for_api_token(token).await?;
        Ok(ApiCaller { core, actor })
    }
}

/// The token of an `Authorization: Bearer <token>` header.
pub fn bearer_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// Where the answer's links point: the public address when configured, else the request's.
pub struct RequestLinks(pub Links);

impl<S: Send + Sync> FromRequestParts<S> for RequestLinks
where
    Arc<Config>: FromRef<S>,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Infallible> {
        let config = Arc::<Config>::from_ref(state);
        Ok(RequestLinks(Links::for_request(config.public_url.as_ref(), &parts.headers)))
    }
}

/// JSON body: unreadable → 400, values that do not fit the type → 422 (naming where). A number
/// written with a zero fraction (`2.0`) is the integer it spells, as JSON Schema counts it.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let axum::Json(mut value) = axum::Json::<Value>::from_request(req, state)
            .await
            .map_err(|e: JsonRejection| ApiError::BadRequest(e.body_text()))?;
        whole_numbers_as_integers(&mut value);
        serde_path_to_error::deserialize(value).map(Json).map_err(|e| ApiError::Unprocessable(e.to_string()))
    }
}

/// A JSON body that may be left out: no body at all (nor a content type), or `null`, reads as
/// `None`, as for `POST …/cancel` sent without a reason.
pub struct OptionalJson<T>(pub Option<T>);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let empty = req.headers().get(axum::http::header::CONTENT_TYPE).is_none()
            && req.headers().get(axum::http::header::CONTENT_LENGTH).is_none_or(|length| length.as_bytes() == b"0");
        if empty {
            return Ok(OptionalJson(None));
        }
        Json::<Option<T>>::from_request(req, state).await.map(|Json(value)| OptionalJson(value))
    }
}

/// Beyond 2^53 a float no longer spells every integer: such numbers are left as they are.
const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;

fn whole_numbers_as_integers(value: &mut Value) {
    match value {
        Value::Number(number) => {
            if let Some(float) = number.as_f64().filter(|_| number.is_f64())
                && float.fract() == 0.0
                && float.abs() <= EXACT_INTEGERS
            {
                *number = (float as i64).into();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers_as_integers),
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}

pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(v)| Query(v))
            .map_err(|e: QueryRejection| ApiError::BadRequest(e.body_text()))
    }
}

pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| Path(v))
            .map_err(|e: PathRejection| ApiError::BadRequest(e.body_text()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_number_with_a_zero_fraction_is_the_integer_it_spells() {
        let mut value = json!({"capacity": 12.0, "ids": [3.0, -1.0, 2.5], "big": 1e300, "text": "4.0"});
        whole_numbers_as_integers(&mut value);
        assert_eq!(value, json!({"capacity": 12, "ids": [3, -1, 2.5], "big": 1e300, "text": "4.0"}));
        assert!(value["capacity"].is_i64());
    }
}
