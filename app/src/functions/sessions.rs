//! Sessions seen by participants and staff, and the participant's own enrol / cancel actions.

use crate::models::{EnrolOutcome, SessionCard, SessionDetail, StaffSessionRow, UiError};
use leptos::prelude::*;
use toile_shared::SessionId;

#[cfg(feature = "ssr")]
use super::request::*;

#[server(prefix = "/fn", endpoint = "participant_sessions")]
pub async fn participant_sessions() -> Result<Vec<SessionCard>, UiError> {
    signed_in(port().participant_sessions(&require_visitor()?).await)
}

#[server(prefix = "/fn", endpoint = "session_detail")]
pub async fn fetch_session(id: SessionId) -> Result<SessionDetail, UiError> {
    signed_in(port().session_detail(&require_visitor()?, id).await)
}

/// Form field: `session_id`.
#[server(prefix = "/fn", endpoint = "enrol")]
pub async fn enrol(session_id: SessionId) -> Result<EnrolOutcome, UiError> {
    signed_in(port().enrol_self(&require_visitor()?, session_id).await)
}

/// Form field: `session_id`.
#[server(prefix = "/fn", endpoint = "cancel")]
pub async fn cancel_enrolment(session_id: SessionId) -> Result<(), UiError> {
    signed_in(port().cancel_self(&require_visitor()?, session_id).await)
}

#[server(prefix = "/fn", endpoint = "staff_sessions")]
pub async fn staff_sessions() -> Result<Vec<StaffSessionRow>, UiError> {
    signed_in(port().staff_sessions(&require_visitor()?).await)
}
