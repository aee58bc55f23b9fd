//! Schemas of request fields whose bounds the derive cannot tell (`#[schema(schema_with = …)]`):
//! a participant's details under the rules of the directory, and the attendance a request may
//! record. (A session's fields are in `toile_shared::openapi`.)

use crate::core::{MAX_EMAIL_CHARS, MAX_NAME_CHARS, MAX_PHONE_CHARS};
use toile_shared::Attendance;
use toile_shared::openapi::{line, or_null, plain};
use utoipa::openapi::schema::{ObjectBuilder, Type};

pub fn name() -> ObjectBuilder {
    line(MAX_NAME_CHARS)
}

pub fn phone_or_null() -> ObjectBuilder {
    or_null(plain(MAX_PHONE_CHARS), Type::String)
}

/// Kept as written (not checked as an address).
pub fn email_or_null() -> ObjectBuilder {
    or_null(plain(MAX_EMAIL_CHARS), Type::String)
}

/// Attendance as it is recorded: `unknown` is no answer.
pub fn attendance_mark() -> ObjectBuilder {
    let codes = Attendance::ALL.iter().filter(|a| **a != Attendance::Unknown).map(|a| a.code());
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(codes))
}
