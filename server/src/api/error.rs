//! The API's errors: a core error, or a request it cannot read; each answered as the JSON error
//! of `json_error`, with its code's status.

use crate::core::CoreError;
use crate::json_error::JsonError;
use axum::response::{IntoResponse, Response};
use toile_shared::ErrorCode;

pub use crate::json_error::ErrorBody;

#[derive(Debug)]
pub enum ApiError {
    Core(CoreError),
    /// Malformed request: unreadable JSON, bad query or path.
    BadRequest(String),
    /// Well-formed JSON whose values do not fit.
    Unprocessable(String),
}

impl From<CoreError> for ApiError {
    fn from(error: CoreError) -> Self {
        ApiError::Core(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let error = match self {
            ApiError::Core(error) => JsonError::from(error),
            ApiError::BadRequest(message) => JsonError::new(ErrorCode::BadRequest, message),
            ApiError::Unprocessable(message) => JsonError::new(ErrorCode::Invalid, message),
        };
        error.into_response()
    }
}
