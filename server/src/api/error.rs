//! API errors: `{"error": {"code", "message", "fields"?}}` with a status per kind. Internal
//! errors are logged and answered with a generic message.

use crate::core::CoreError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use toile_shared::session_input::FieldError;
use utoipa::ToSchema;

#[derive(Debug)]
pub enum ApiError {
    Core(CoreError),
    /// Malformed request: unreadable JSON, bad query or path.
    BadRequest(String),
    /// Well-formed JSON whose values do not fit.
    Unprocessable(String),
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable code, e.g. `session_full`, `not_in_audience`, `invalid`.
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

impl From<CoreError> for ApiError {
    fn from(error: CoreError) -> Self {
        ApiError::Core(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, fields) = match self {
            ApiError::BadRequest(message) => (StatusCode::BAD_REQUEST, "bad_request".to_string(), message, vec![]),
            ApiError::Unprocessable(message) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid".to_string(), message, vec![])
            }
            ApiError::Core(error) => {
                let status = match &error {
                    CoreError::Unauthenticated
                    | CoreError::BadCredentials
                    | CoreError::CodeExpired
                    | CoreError::TokenExpired => StatusCode::UNAUTHORIZED,
                    CoreError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
                    CoreError::Forbidden => StatusCode::FORBIDDEN,
                    CoreError::NotFound(_) => StatusCode::NOT_FOUND,
                    CoreError::Invalid(_) | CoreError::WeakPassword(_) => StatusCode::UNPROCESSABLE_ENTITY,
                    CoreError::Refused(_) | CoreError::Conflict { .. } | CoreError::EditedMeanwhile(_) => {
                        StatusCode::CONFLICT
                    }
                    CoreError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
                    CoreError::Internal(detail) => {
                        tracing::error!(%detail, "internal error");
                        StatusCode::INTERNAL_SERVER_ERROR
                    }
                };
                let code = error.code().to_string();
                let message = match &error {
                    CoreError::Internal(_) => "Erreur interne : réessayez plus tard.".to_string(),
                    other => other.to_string(),
                };
                let fields = match error {
                    CoreError::Invalid(fields) => fields,
                    _ => vec![],
                };
                (status, code, message, fields)
            }
        };
        (status, Json(ErrorBody { error: ErrorDetail { code, message, fields } })).into_response()
    }
}

/// An error in the same shape, answered by a layer before any handler (a body over its limit, a
/// request not answered in time: `web::layer_answers`).
pub fn layer_error(status: StatusCode, code: &str, message: &str) -> Response {
    let error = ErrorDetail { code: code.to_string(), message: message.to_string(), fields: vec![] };
    (status, Json(ErrorBody { error })).into_response()
}
