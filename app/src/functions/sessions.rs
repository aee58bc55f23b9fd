//! Sessions seen by participants and staff, and the participant's own enrol / cancel actions.

use crate::models::{AnswerPage, MyEnrolment, ParticipantHome, SessionDetail, UiError};
use leptos::prelude::*;
use toile_shared::SessionId;
#[cfg(feature = "ssr")]
use toile_shared::done::Outcome;

#[cfg(feature = "ssr")]
use super::request::*;

/// The participant's start page; `kind` is a session kind code for the filter.
#[server(prefix = "/fn", endpoint = "participant_home")]
pub async fn fetch_participant_home(kind: Option<String>) -> Result<ParticipantHome, UiError> {
    let kind = kind.as_deref().and_then(toile_shared::SessionKind::parse);
    signed_in(port().participant_home(&require_visitor()?, kind).await)
}

/// Form field: `arreter` (`oui` stops SMS, anything else starts them again). Without
/// JavaScript the browser comes back to the participant's start page.
#[server(prefix = "/fn", endpoint = "sms")]
pub async fn set_sms(arreter: String) -> Result<(), UiError> {
    signed_in(port().set_sms(&require_visitor()?, arreter == YES).await)?;
    if is_plain_form_post() {
        leptos_axum::redirect(toile_shared::paths::PARTICIPANT_SESSIONS);
    }
    Ok(())
}

/// The page of an answer link: no sign-in, the link is the key.
#[server(prefix = "/fn", endpoint = "answer_page")]
pub async fn fetch_answer(secret: String) -> Result<AnswerPage, UiError> {
    port().answer_page(&secret).await
}

/// Form fields: `secret`, `reponse` (`oui`: "Je viens", anything else: "Je ne peux pas venir").
/// Without JavaScript the browser comes back to the link's page, which shows the new state.
#[server(prefix = "/fn", endpoint = "answer")]
pub async fn answer(secret: String, reponse: String) -> Result<AnswerPage, UiError> {
    let page = port().answer(&secret, reponse == YES, client_address()).await;
    if is_plain_form_post() {
        leptos_axum::redirect(&toile_shared::paths::answer(&secret));
    }
    page
}

/// The values of yes/no buttons ("Je viens", "Ne plus recevoir de SMS"…).
pub const YES: &str = "oui";
pub const NO: &str = "non";

#[server(prefix = "/fn", endpoint = "session_detail")]
pub async fn fetch_session(id: SessionId) -> Result<SessionDetail, UiError> {
    signed_in(port().session_detail(&require_visitor()?, id).await)
}

/// Form field: `session_id`.
#[server(prefix = "/fn", endpoint = "enrol")]
pub async fn enrol(session_id: SessionId) -> Result<MyEnrolment, UiError> {
    let enrolment = signed_in(port().enrol_self(&require_visitor()?, session_id).await)?;
    back_to_session(session_id, Outcome::enrolled(enrolment.status));
    Ok(enrolment)
}

/// Form field: `session_id`.
#[server(prefix = "/fn", endpoint = "cancel")]
pub async fn cancel_enrolment(session_id: SessionId) -> Result<(), UiError> {
    signed_in(port().cancel_self(&require_visitor()?, session_id).await)?;
    back_to_session(session_id, Outcome::Cancelled);
    Ok(())
}

/// A browser posting the form goes back to the session's page, which says what happened.
#[cfg(feature = "ssr")]
fn back_to_session(id: SessionId, outcome: Outcome) {
    if is_plain_form_post() {
        leptos_axum::redirect(&format!("{}?{}={}", toile_shared::paths::session(id), Outcome::QUERY, outcome.code()));
    }
}
