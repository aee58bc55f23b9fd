//! A text typed into a form or sent to the API: required or optional, at most so many
//! characters as typed, no control character; kept trimmed once it passes.

use super::{CoreError, CoreResult};
use toile_shared::text;

/// A text as typed, measured before trimming: at most `max` characters, no control character.
fn check_text(field: &str, value: &str, max: usize) -> CoreResult<()> {
    if value.chars().count() > max || text::has_control(value) {
        return Err(CoreError::invalid(field, "Ce texte est trop long ou contient des caractères invalides."));
    }
    Ok(())
}

pub(super) fn require_text(field: &str, value: &str, max: usize) -> CoreResult<String> {
    if text::is_blank(value) {
        return Err(CoreError::invalid(field, "Ce champ est obligatoire."));
    }
    check_text(field, value, max)?;
    Ok(value.trim().to_string())
}

/// `None` for no value or a blank one.
pub(super) fn optional_text(field: &str, value: Option<String>, max: usize) -> CoreResult<Option<String>> {
    let Some(value) = value else { return Ok(None) };
    check_text(field, &value, max)?;
    Ok(Some(value.trim().to_string()).filter(|value| !value.is_empty()))
}
