//! Signing in and out, and who is signed in.

use crate::models::{UiError, Viewer, ViewerKind};
use leptos::prelude::*;
use toile_shared::paths;

#[cfg(feature = "ssr")]
use super::request::*;

/// Where each kind of person lands after signing in (and when opening `/`).
pub fn home_path(kind: ViewerKind) -> &'static str {
    match kind {
        ViewerKind::Participant => paths::PARTICIPANT_SESSIONS,
        ViewerKind::Staff(_) => paths::STAFF_HOME,
    }
}

/// The signed-in person, or `None`. Never redirects: the home page and header decide.
#[server(prefix = "/fn", endpoint = "viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, UiError> {
    Ok(visitor().map(|visitor| visitor.viewer))
}

/// Participant sign-in with the personal access code (`KP4T-9WXA`); `shared_phone` is the box
/// "this phone is not mine" (sent as `on` when ticked).
#[server(prefix = "/fn", endpoint = "sign_in_participant")]
pub async fn sign_in_participant(code: String, shared_phone: Option<String>) -> Result<(), UiError> {
    let signed_in = port().sign_in_participant(code.trim(), client_address(), shared_phone.is_some()).await?;
    finish_sign_in(&signed_in)
}

#[server(prefix = "/fn", endpoint = "sign_in_staff")]
pub async fn sign_in_staff(email: String, password: String) -> Result<(), UiError> {
    let signed_in = port().sign_in_staff(email.trim(), &password, client_address()).await?;
    finish_sign_in(&signed_in)
}

#[cfg(feature = "ssr")]
fn finish_sign_in(signed_in: &crate::models::SignedIn) -> Result<(), UiError> {
    set_sign_in_cookie(&signed_in.token, signed_in.cookie_max_age)?;
    leptos_axum::redirect(home_path(signed_in.viewer.kind));
    Ok(())
}

/// Whether nobody can sign in yet (a fresh install): the sign-in page explains the first step.
#[server(prefix = "/fn", endpoint = "first_run")]
pub async fn fetch_first_run() -> Result<bool, UiError> {
    Ok(port().is_empty_install().await)
}

/// Who an invitation link is for, if it still works.
#[server(prefix = "/fn", endpoint = "invitation")]
pub async fn fetch_invitation(token: String) -> Result<crate::models::InvitedPerson, UiError> {
    port().invitation(&token).await
}

/// The password chosen through an invitation link; signs the person in.
#[server(prefix = "/fn", endpoint = "accept_invitation")]
pub async fn accept_invitation(token: String, password: String, confirmation: String) -> Result<(), UiError> {
    let signed_in = port().accept_invitation(&token, &password, &confirmation).await?;
    finish_sign_in(&signed_in)
}

#[server(prefix = "/fn", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), UiError> {
    if let Some(visitor) = visitor() {
        port().sign_out(&visitor).await;
    }
    clear_sign_in_cookie()?;
    leptos_axum::redirect(paths::SIGN_IN);
    Ok(())
}
