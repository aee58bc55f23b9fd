//! Sessions seen by participants and staff, and the participant's own enrol / cancel actions.

use crate::models::{EnrolOutcome, SessionCard, SessionDetail, StaffSessionRow, UiError};
use leptos::prelude::*;
use toile_shared::SessionId;

#[cfg(feature = "ssr")]
use super::request::*;

#[server(prefix = "/fn", endpoint = "participant_sessions")]
pub async fn participant_sessions() -> Result<Vec<SessionCard>, UiError> {
    let token = require_token()?;
    signed_in(backend().participant_sessions(&token).await)
}

#[server(prefix = "/fn", endpoint = "session_detail")]
pub async fn fetch_session(id: SessionId) -> Result<SessionDetail, UiError> {
    let token = require_token()?;
    signed_in(backend().session_detail(&token, id).await)
}

/// Form field: `session_id`.
#[server(prefix = "/fn", endpoint = "enrol")]
pub async fn enrol(session_id: SessionId) -> Result<EnrolOutcome, UiError> {
    let token = require_token()?;
    signed_in(backend().enrol_self(&token, session_id).await)
}

/// Form field: `session_id`.
#[server(prefix = "/fn", endpoint = "cancel")]
pub async fn cancel_enrolment(session_id: SessionId) -> Result<(), UiError> {
    let token = require_token()?;
    signed_in(backend().cancel_self(&token, session_id).await)
}

#[server(prefix = "/fn", endpoint = "staff_sessions")]
pub async fn staff_sessions() -> Result<Vec<StaffSessionRow>, UiError> {
    let token = require_token()?;
    signed_in(backend().staff_sessions(&token).await)
}
