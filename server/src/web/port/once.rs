//! Creating forms posted twice: their one-time token taken and answered through the core's
//! `idempotency` (the form's fields are what the token was taken for).

use crate::core::{Core, Once, is_valid_key};
use std::time::Duration;
use toile_app::models::FormOnce;
use toile_shared::authz::Actor;

/// How long a second post waits for the first one with its token: a double tap's second post
/// is the one the browser shows, so it should show what the first made.
const PATIENCE: Duration = Duration::from_secs(10);

pub(super) async fn form_once(core: &Core, actor: &Actor, token: &str, request: &str) -> FormOnce {
    if !is_valid_key(token) {
        return FormOnce::First;
    }
    match core.once(actor, token, request.as_bytes(), PATIENCE).await {
        Ok(Once::First) => FormOnce::First,
        // Only local addresses are kept for forms; anything else is not a form's answer.
        Ok(Once::Done { answer: Some(address), .. }) if address.starts_with('/') && !address.starts_with("//") => {
            FormOnce::Made(address)
        }
        Ok(Once::Done { .. } | Once::OtherRequest) => FormOnce::OtherForm,
        Ok(Once::UnderWay) => FormOnce::UnderWay,
        Err(error) => {
            // The work itself will meet the same trouble and say so.
            tracing::warn!(%error, "a form's one-time token could not be taken");
            FormOnce::First
        }
    }
}

pub(super) async fn form_answered(core: &Core, actor: &Actor, token: &str, made: Option<String>) {
    if !is_valid_key(token) {
        return;
    }
    let kept = match made {
        Some(address) => core.answered(actor, token, 303, Some(&address)).await,
        None => core.refused(actor, token).await,
    };
    if let Err(error) = kept {
        tracing::warn!(%error, "a form's answer could not be kept for its one-time token");
    }
}
