//! The JSON error `{"error": {"code", "message", "fields"?}}`, answered with its code's status
//! (`ErrorCode::status`): the API's errors, the refusals of the layers in front of it
//! (`web::layer_answers`) and the SMS webhook's. Internal errors are logged and answered with a
//! generic message.

use crate::core::CoreError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use toile_shared::ErrorCode;
use toile_shared::session_input::FieldError;
use utoipa::ToSchema;

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

/// An error about to be answered as JSON.
#[derive(Debug)]
pub struct JsonError {
    code: ErrorCode,
    message: String,
    fields: Vec<FieldError>,
}

impl JsonError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        JsonError { code, message: message.into(), fields: vec![] }
    }
}

impl From<CoreError> for JsonError {
    fn from(error: CoreError) -> Self {
        let (code, message) = (error.error_code(), error.to_string());
        match error {
            CoreError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                JsonError::new(code, "Erreur interne : réessayez plus tard.")
            }
            CoreError::Invalid(fields) => JsonError { code, message, fields },
            _ => JsonError::new(code, message),
        }
    }
}

/// The code's status (`ErrorCode::status`) as axum takes it, whatever the answer's form.
pub fn http_status(code: ErrorCode) -> StatusCode {
    StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

impl IntoResponse for JsonError {
    fn into_response(self) -> Response {
        let status = http_status(self.code);
        let error = ErrorDetail { code: self.code.code().to_string(), message: self.message, fields: self.fields };
        (status, Json(ErrorBody { error })).into_response()
    }
}
