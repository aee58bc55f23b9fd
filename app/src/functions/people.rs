//! What the staff pages about participants read. Registering, a new code and archiving are
//! forms that post to their own page (`form_posts`).

use crate::models::{ParticipantPage, ParticipantsPage, RegistrationForm, UiError};
use leptos::prelude::*;
use toile_shared::ParticipantId;

#[cfg(feature = "ssr")]
use super::request::*;

#[server(prefix = "/fn", endpoint = "participants")]
pub async fn fetch_participants(search: String) -> Result<ParticipantsPage, UiError> {
    signed_in(port().participants(&require_visitor()?, search).await)
}

#[server(prefix = "/fn", endpoint = "participant")]
pub async fn fetch_participant(id: ParticipantId) -> Result<ParticipantPage, UiError> {
    signed_in(port().participant(&require_visitor()?, id).await)
}

#[server(prefix = "/fn", endpoint = "registration_form")]
pub async fn fetch_registration_form() -> Result<RegistrationForm, UiError> {
    signed_in(port().registration_form(&require_visitor()?).await)
}
