//! Signing in and out, and who is signed in.

use crate::models::{UiError, Viewer, ViewerKind};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::request::*;

/// Where each kind of person lands after signing in (and when opening `/`).
pub fn home_path(kind: ViewerKind) -> &'static str {
    match kind {
        ViewerKind::Participant => "/seances",
        ViewerKind::Staff(_) => "/equipe/seances",
    }
}

/// The signed-in person, or `None`. Never redirects: the home page and header decide.
#[server(prefix = "/fn", endpoint = "viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, UiError> {
    Ok(match session_token() {
        Some(token) => backend().viewer(&token).await,
        None => None,
    })
}

/// Participant sign-in with the personal access code (`KP4T-9WXA`).
#[server(prefix = "/fn", endpoint = "sign_in_participant")]
pub async fn sign_in_participant(code: String) -> Result<(), UiError> {
    let signed_in = backend().sign_in_participant(code.trim()).await?;
    finish_sign_in(&signed_in.token, signed_in.viewer.kind)
}

#[server(prefix = "/fn", endpoint = "sign_in_staff")]
pub async fn sign_in_staff(email: String, password: String) -> Result<(), UiError> {
    let signed_in = backend().sign_in_staff(email.trim(), &password).await?;
    finish_sign_in(&signed_in.token, signed_in.viewer.kind)
}

#[cfg(feature = "ssr")]
fn finish_sign_in(token: &str, kind: ViewerKind) -> Result<(), UiError> {
    set_session_cookie(token)?;
    leptos_axum::redirect(home_path(kind));
    Ok(())
}

#[server(prefix = "/fn", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), UiError> {
    if let Some(token) = session_token() {
        backend().sign_out(&token).await;
    }
    clear_session_cookie()?;
    leptos_axum::redirect(SIGN_IN_PATH);
    Ok(())
}
