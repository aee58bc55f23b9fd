//! What staff pages read. The forms that change things post to their own page (`form_posts`).

use crate::models::{
    AdminPage, ApiTokensPage, AuditFilters, AuditPage, FiguresFilters, FiguresPage, Programme, ProgrammeQuery,
    SessionFormPage, StaffDesk, StaffSession, UiError,
};
use leptos::prelude::*;
use toile_shared::{ParticipantId, SessionId};

#[cfg(feature = "ssr")]
use super::request::*;

#[server(prefix = "/fn", endpoint = "staff_desk")]
pub async fn fetch_staff_desk() -> Result<StaffDesk, UiError> {
    signed_in(port().staff_desk(&require_visitor()?).await)
}

#[server(prefix = "/fn", endpoint = "programme")]
pub async fn fetch_programme(query: ProgrammeQuery) -> Result<Programme, UiError> {
    signed_in(port().programme(&require_visitor()?, query).await)
}

#[server(prefix = "/fn", endpoint = "staff_session")]
pub async fn fetch_staff_session(id: SessionId) -> Result<StaffSession, UiError> {
    signed_in(port().staff_session(&require_visitor()?, id).await)
}

#[server(prefix = "/fn", endpoint = "session_form")]
pub async fn fetch_session_form(id: Option<SessionId>) -> Result<SessionFormPage, UiError> {
    signed_in(port().session_form(&require_visitor()?, id).await)
}

#[server(prefix = "/fn", endpoint = "admin")]
pub async fn fetch_admin_page() -> Result<AdminPage, UiError> {
    signed_in(port().admin_page(&require_visitor()?).await)
}

#[server(prefix = "/fn", endpoint = "audit")]
pub async fn fetch_audit(filters: AuditFilters) -> Result<AuditPage, UiError> {
    signed_in(port().audit_page(&require_visitor()?, filters).await)
}

#[server(prefix = "/fn", endpoint = "figures")]
pub async fn fetch_figures(filters: FiguresFilters) -> Result<FiguresPage, UiError> {
    signed_in(port().figures_page(&require_visitor()?, filters).await)
}

#[server(prefix = "/fn", endpoint = "notifications")]
pub async fn fetch_notifications() -> Result<crate::models::NotificationsPage, UiError> {
    signed_in(port().notifications_page(&require_visitor()?).await)
}

#[server(prefix = "/fn", endpoint = "api_tokens")]
pub async fn fetch_api_tokens() -> Result<ApiTokensPage, UiError> {
    signed_in(port().api_tokens_page(&require_visitor()?).await)
}

/// Marks a person present, absent or excused from the attendance page with JavaScript: the
/// same as its forms, without reloading the page.
#[server(prefix = "/fn", endpoint = "mark_attendance")]
pub async fn mark_attendance(session_id: SessionId, participant: ParticipantId, status: String) -> Result<(), UiError> {
    let Some(attendance) = toile_shared::Attendance::parse(&status) else {
        return Err(UiError::new("invalid", "Choisissez présent·e, absent·e ou excusé·e."));
    };
    let visitor = require_visitor()?;
    signed_in(
        port()
            .mark_attendance(&visitor, session_id, participant, attendance)
            .await
            .map_err(crate::models::FormRefusal::into_ui_error),
    )
}

/// Records a signature drawn on the attendance page: a present participant's (`participant`)
/// or the staff member's own (`None`). Answers the signature as the page now shows it. Its
/// route takes a larger body than other server functions (`web::body_limits`).
#[server(prefix = "/fn", endpoint = "sign_sheet")]
pub async fn sign_sheet(
    session_id: SessionId,
    participant: Option<ParticipantId>,
    strokes: String,
) -> Result<crate::models::SignatureMark, UiError> {
    let visitor = require_visitor()?;
    signed_in(
        port()
            .sign_sheet(&visitor, session_id, participant, strokes)
            .await
            .map_err(crate::models::FormRefusal::into_ui_error),
    )
}
