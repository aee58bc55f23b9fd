//! Words shared by the pages: errors, who is signed in, kinds, times.

use crate::core::CoreError;
use chrono::{DateTime, Utc};
use toile_app::models::{SignedIn, UiError, Viewer, ViewerKind};
use toile_shared::authz::Actor;
use toile_shared::{SessionKind, WorkshopTheme};

pub(super) fn ui_error(error: CoreError) -> UiError {
    let message = match &error {
        CoreError::Unauthenticated => return UiError::not_signed_in(),
        CoreError::Internal(detail) => {
            tracing::error!(%detail, "internal error on a page");
            "Un problème technique est survenu. Réessayez dans un moment.".to_string()
        }
        CoreError::BadCredentials => "Ce code ou ces identifiants ne sont pas reconnus. Vérifiez et réessayez.".into(),
        CoreError::Invalid(fields) if !fields.is_empty() => {
            fields.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join(" ")
        }
        other => other.to_string(),
    };
    UiError { code: error.code().to_string(), message }
}

/// A sign-in as the pages carry it: who, the cookie's value and how long the browser keeps it.
pub(super) fn signed_in(signed: crate::core::SignIn) -> SignedIn {
    SignedIn {
        viewer: viewer(&signed.actor, signed.display_name),
        token: signed.token,
        cookie_max_age: signed.cookie_max_age,
    }
}

pub(super) fn viewer(actor: &Actor, display_name: String) -> Viewer {
    let kind = match actor {
        Actor::Staff { role, .. } => ViewerKind::Staff(*role),
        Actor::Participant { .. } => ViewerKind::Participant,
        Actor::Operator => ViewerKind::Staff(toile_shared::Role::Admin),
    };
    Viewer { display_name, kind }
}

pub(crate) fn utc(at: chrono::DateTime<chrono::FixedOffset>) -> DateTime<Utc> {
    at.with_timezone(&Utc)
}

/// "Atelier CV", "Rencontre avec une entreprise"…
pub(crate) fn kind_label(kind: SessionKind, theme: Option<WorkshopTheme>) -> String {
    match (kind, theme) {
        (SessionKind::Workshop, Some(theme)) => format!("Atelier {}", theme.label()),
        (kind, _) => kind.label().to_string(),
    }
}
