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

/// The sign-in page's query parameter naming the page to return to once signed in.
pub const RETURN_TO: &str = "suivant";

/// The sign-in page, saying which page to return to (`/connexion?suivant=%2Fequipe`).
pub fn sign_in_returning_to(here: Option<&str>) -> String {
    match here.and_then(local_path) {
        Some(here) => format!("{}?{}", paths::SIGN_IN, query_pair(RETURN_TO, here)),
        None => paths::SIGN_IN.to_string(),
    }
}

/// `name=value`, percent-encoded for a query.
fn query_pair(name: &str, value: &str) -> String {
    let encode = |text: &str| {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    format!("{}={}", encode(name), encode(value))
}

/// `path` when it is a page of this site (`/equipe/seances/4?x=1`): never another site
/// (`//evil.example`, `/\evil.example`, `https://…`) nor anything a header cannot carry.
pub fn local_path(path: &str) -> Option<&str> {
    let mut chars = path.chars();
    let local = chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && path.chars().all(|c| c.is_ascii_graphic())
        && !path.contains('\\');
    local.then_some(path)
}

/// The signed-in person, or `None`. Never redirects: the home page and header decide.
#[server(prefix = "/fn", endpoint = "viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, UiError> {
    Ok(visitor().map(|visitor| visitor.viewer))
}

/// Participant sign-in with the personal access code (`KP4T-9WXA`); `shared_phone` is the box
/// "this phone is not mine" (sent as `on` when ticked); `suivant` the page the person was sent
/// away from, followed only when it is one of Toile's.
#[server(prefix = "/fn", endpoint = "sign_in_participant")]
pub async fn sign_in_participant(
    code: String,
    shared_phone: Option<String>,
    suivant: Option<String>,
) -> Result<(), UiError> {
    let signed_in = port().sign_in_participant(code.trim(), client_address(), shared_phone.is_some()).await?;
    finish_sign_in(&signed_in, suivant.as_deref())
}

#[server(prefix = "/fn", endpoint = "sign_in_staff")]
pub async fn sign_in_staff(email: String, password: String, suivant: Option<String>) -> Result<(), UiError> {
    let signed_in = port().sign_in_staff(email.trim(), &password, client_address()).await?;
    finish_sign_in(&signed_in, suivant.as_deref())
}

/// The cookie, then the page the person came for when it is a local path, else their home.
#[cfg(feature = "ssr")]
fn finish_sign_in(signed_in: &crate::models::SignedIn, return_to: Option<&str>) -> Result<(), UiError> {
    set_sign_in_cookie(&signed_in.token, signed_in.cookie_max_age)?;
    leptos_axum::redirect(return_to.and_then(local_path).unwrap_or(home_path(signed_in.viewer.kind)));
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
    finish_sign_in(&signed_in, None)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_local_path_is_followed_after_signing_in() {
        assert_eq!(local_path("/equipe/seances/4"), Some("/equipe/seances/4"));
        assert_eq!(local_path("/equipe/chiffres?du=2026-01-01"), Some("/equipe/chiffres?du=2026-01-01"));
        for elsewhere in ["//evil.example", "/\\evil.example", "https://evil.example", "evil", "", "/a b", "/\tx"] {
            assert_eq!(local_path(elsewhere), None, "{elsewhere:?}");
        }
    }

    #[test]
    fn the_sign_in_page_names_the_page_to_return_to() {
        assert_eq!(sign_in_returning_to(Some("/equipe/seances/4")), "/connexion?suivant=/equipe/seances/4");
        assert_eq!(
            sign_in_returning_to(Some("/equipe/chiffres?du=1&au=2")),
            "/connexion?suivant=/equipe/chiffres%3Fdu%3D1%26au%3D2"
        );
        assert_eq!(sign_in_returning_to(Some("//evil.example")), "/connexion");
        assert_eq!(sign_in_returning_to(None), "/connexion");
    }
}
