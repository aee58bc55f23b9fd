//! The core's `Settings` from the environment: how long codes and personal data are kept, how
//! messages go out, and the secret key (`secret_key`). A value that makes no sense stops the
//! start with a French message naming its variable.

use super::{PUBLIC_URL_ENV, variable};
use crate::core::{CODE_VALID_MONTHS, Limits, Messaging, QuietHours, Retention, SMS_WEBHOOK_SECRET_MIN_CHARS};
use crate::core::{Settings, StoreError};
use crate::links::PublicUrl;

/// Months an access code left unused keeps working (`CODE_VALID_MONTHS` by default).
pub const CODE_VALID_MONTHS_ENV: &str = "TOILE_CODE_VALID_MONTHS";
pub const KEEP_ARCHIVED_MONTHS_ENV: &str = "TOILE_KEEP_ARCHIVED_MONTHS";
pub const KEEP_AUDIT_MONTHS_ENV: &str = "TOILE_KEEP_AUDIT_MONTHS";
pub const QUIET_HOURS_ENV: &str = "TOILE_QUIET_HOURS";
/// `1` to tell each person seated at once (`Notice::Enrolled`); off unless the group asks.
pub const CONFIRM_ENROLMENTS_ENV: &str = "TOILE_CONFIRM_ENROLMENTS";
/// `1` to remind people again on the morning of the session; off unless the group asks.
pub const MORNING_REMINDERS_ENV: &str = "TOILE_MORNING_REMINDERS";
/// The secret in the address the SMS provider posts its events to (a STOP answered by SMS):
/// `/webhooks/brevo/sms/<secret>`. Unset, that address does not exist.
pub const SMS_WEBHOOK_SECRET_ENV: &str = "TOILE_SMS_WEBHOOK_SECRET";

/// The key from the environment or its file (beside the SQLite database at `database_url` when
/// there is no home folder), the rest from the environment or defaults.
pub fn core_settings(database_url: &str) -> Result<Settings, StoreError> {
    let defaults = Retention::default();
    Ok(Settings {
        secret_key: super::load_secret_key(database_url).map_err(StoreError::SecretKey)?,
        code_valid_months: months(CODE_VALID_MONTHS_ENV, CODE_VALID_MONTHS)?,
        sign_in_limits: Limits::default(),
        retention: Retention {
            archived_months: months(KEEP_ARCHIVED_MONTHS_ENV, defaults.archived_months)?,
            audit_months: months(KEEP_AUDIT_MONTHS_ENV, defaults.audit_months)?,
        },
        messaging: Messaging {
            quiet_hours: match variable(QUIET_HOURS_ENV).filter(|v| !v.trim().is_empty()) {
                None => QuietHours::default(),
                Some(value) => QuietHours::parse(&value).ok_or_else(|| {
                    StoreError::Setting(format!(
                        "{QUIET_HOURS_ENV} dit de quelle heure à quelle heure aucun SMS ne part, par exemple 20-8 (reçu {value:?})."
                    ))
                })?,
            },
            // Without a public address, `toile serve` puts the one it listens on.
            link_base: variable(PUBLIC_URL_ENV)
                .and_then(|url| PublicUrl::parse(&url))
                .map_or(Messaging::default().link_base, |url| url.base().to_string()),
            confirm_enrolments: flag(CONFIRM_ENROLMENTS_ENV)?,
            morning_reminders: flag(MORNING_REMINDERS_ENV)?,
            sms_webhook_secret: sms_webhook_secret(variable(SMS_WEBHOOK_SECRET_ENV))?,
        },
    })
}

/// Whether the environment variable `name` says yes (`1`, `oui`, `true`); no when it is unset.
fn flag(name: &str) -> Result<bool, StoreError> {
    match variable(name).unwrap_or_default().trim().to_lowercase().as_str() {
        "" | "0" | "non" | "no" | "false" => Ok(false),
        "1" | "oui" | "yes" | "true" => Ok(true),
        other => Err(StoreError::Setting(format!("{name} vaut 1 (oui) ou 0 (non) (reçu {other:?})."))),
    }
}

/// The SMS provider's secret, when set: long, letters, digits, `-` or `_` only (it goes in an
/// address), or the start stops with a message saying so.
fn sms_webhook_secret(value: Option<String>) -> Result<Option<String>, StoreError> {
    let Some(secret) = value.filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    let min = SMS_WEBHOOK_SECRET_MIN_CHARS;
    if secret.chars().count() < min || !secret.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(StoreError::Setting(format!(
            "{SMS_WEBHOOK_SECRET_ENV} : au moins {min} lettres, chiffres, - ou _ (par exemple la sortie de `openssl rand -hex 16`)."
        )));
    }
    Ok(Some(secret))
}

/// A number of months from the environment variable `name`, or `default` when it is unset.
fn months(name: &str, default: u32) -> Result<u32, StoreError> {
    match variable(name).filter(|v| !v.trim().is_empty()) {
        None => Ok(default),
        Some(value) => value
            .trim()
            .parse()
            .ok()
            .filter(|m| *m > 0)
            .ok_or_else(|| StoreError::Setting(format!("{name} doit être un nombre de mois (reçu {value:?})."))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_or_spaced_sms_webhook_secret_stops_the_start_with_a_french_message() {
        assert!(matches!(sms_webhook_secret(None), Ok(None)));
        assert!(matches!(sms_webhook_secret(Some("  ".into())), Ok(None)), "blank is unset");
        let good = "b7c1f0e2a9d84c35a61e0f2d".to_string();
        assert_eq!(sms_webhook_secret(Some(good.clone())).unwrap(), Some(good));
        for bad in ["court", "b7c1f0e2a9d84c35 a61e0f2d00", "b7c1f0e2a9d84c35a61e0f2d/x"] {
            let Err(StoreError::Setting(message)) = sms_webhook_secret(Some(bad.into())) else {
                panic!("{bad:?} refused")
            };
            assert!(message.contains("au moins 24 lettres"), "{message}");
        }
    }
}
