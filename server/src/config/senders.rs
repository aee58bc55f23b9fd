//! Which providers send messages to participants, and how to reach them: SMTP when
//! `TOILE_SMTP_URL` is set, Brevo when `TOILE_BREVO_API_KEY` is. The senders themselves are
//! built from these values in `notify`, which checks them (an unreadable address stops the start).

use super::variable;

pub const SMTP_URL_ENV: &str = "TOILE_SMTP_URL";
pub const SMTP_FROM_ENV: &str = "TOILE_SMTP_FROM";
pub const BREVO_API_KEY_ENV: &str = "TOILE_BREVO_API_KEY";
pub const BREVO_URL_ENV: &str = "TOILE_BREVO_URL";
pub const SMS_SENDER_ENV: &str = "TOILE_SMS_SENDER";
/// Brevo's transactional SMS endpoint, unless `TOILE_BREVO_URL` says another (tests).
const BREVO_URL: &str = "https://api.brevo.com/v3/transactionalSMS/send";

/// E-mail through this SMTP server.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    /// E.g. `smtp://user:password@smtp.example.org:587`.
    pub url: String,
    /// E.g. `Toile <toile@example.org>`.
    pub from: String,
}

/// SMS through Brevo's API.
#[derive(Clone, PartialEq, Eq)]
pub struct BrevoSettings {
    pub url: String,
    pub api_key: String,
    /// The sender name the phone shows.
    pub sender: String,
}

/// The providers configured; `None` for a channel written to the log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SenderSettings {
    pub smtp: Option<SmtpSettings>,
    pub brevo: Option<BrevoSettings>,
}

impl SenderSettings {
    pub fn from_env() -> SenderSettings {
        let smtp = variable(SMTP_URL_ENV).filter(|u| !u.trim().is_empty()).map(|url| SmtpSettings {
            url: url.trim().to_string(),
            from: variable(SMTP_FROM_ENV).unwrap_or_else(|| "Toile <toile@localhost>".into()),
        });
        let brevo = variable(BREVO_API_KEY_ENV).filter(|k| !k.trim().is_empty()).map(|key| BrevoSettings {
            url: variable(BREVO_URL_ENV).unwrap_or_else(|| BREVO_URL.into()),
            api_key: key.trim().to_string(),
            sender: variable(SMS_SENDER_ENV).unwrap_or_else(|| "Toile".into()),
        });
        SenderSettings { smtp, brevo }
    }

    /// The providers' names as staff read them: (SMS, e-mail), `None` for the log.
    pub fn providers(&self) -> (Option<&'static str>, Option<&'static str>) {
        (self.brevo.as_ref().map(|_| "Brevo"), self.smtp.as_ref().map(|_| "SMTP"))
    }
}

// By hand, so that a printed configuration shows no password and no API key.
impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings").field("url", &"…").field("from", &self.from).finish()
    }
}

impl std::fmt::Debug for BrevoSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrevoSettings")
            .field("url", &self.url)
            .field("api_key", &"…")
            .field("sender", &self.sender)
            .finish()
    }
}
