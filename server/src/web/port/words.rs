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

/// An audit action in words ("une inscription", "connexion refusée"); an unknown code as it is.
pub(crate) fn action_label(code: &str) -> &str {
    match code {
        "session_created" => "séance créée",
        "session_updated" => "séance modifiée",
        "session_cancelled" => "séance annulée",
        "enrolled" => "une inscription",
        "enrolled_overbooking" => "une inscription en surnombre",
        "unenrolled" => "une désinscription",
        "promoted_from_waitlist" => "une place donnée à la première personne en attente",
        "attendance" => "présence notée",
        "answered" => "réponse au rappel (vient, ou ne peut pas venir)",
        "sms_stopped" => "SMS arrêtés à sa demande",
        "sms_restarted" => "SMS repris à sa demande",
        "moved_from_waitlist" => "une place donnée à une personne en attente",
        "walk_in" => "une personne venue sans inscription",
        "sheet_sealed" => "feuille d'émargement close",
        "sheet_reopened" => "feuille d'émargement rouverte",
        "signed" => "signature sur la feuille d'émargement",
        "sign_in_sheet_downloaded" => "feuille d'émargement téléchargée",
        "sign_in" => "connexion",
        "sign_in_failed" => "connexion refusée",
        "sign_in_slowed" => "connexions ralenties : trop d'échecs",
        "sign_in_code_expired" => "connexion refusée : code expiré",
        "participant_registered" => "personne inscrite dans Toile",
        "participant_archived" => "personne archivée",
        "access_code_renewed" => "nouveau code d'accès",
        "access_code_set" => "code d'accès choisi",
        "history_exported" => "historique téléchargé",
        "feed_created" => "lien d'agenda créé",
        "feed_regenerated" => "lien d'agenda renouvelé",
        "feed_deleted" => "lien d'agenda supprimé",
        "api_token_created" => "jeton d'API créé",
        "api_tokens_revoked" => "jetons d'API révoqués",
        "api_token_revoked" => "jeton d'API révoqué",
        "participant_anonymised" => "données de la personne effacées",
        "personal_data_copied" => "copie de ses données remise",
        "audit_trimmed" => "entrées anciennes du journal supprimées",
        "user_created" => "compte créé",
        "user_deactivated" => "compte désactivé",
        "password_reset" => "nouveau lien de mot de passe",
        "user_invited" => "membre invité",
        "invitation_accepted" => "invitation acceptée",
        "structure_created" => "structure créée",
        "site_created" => "lieu créé",
        "audit_exported" => "journal téléchargé",
        other => other,
    }
}
