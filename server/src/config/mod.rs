//! Toile's configuration: the only place that reads the environment. It is read once at start-up
//! into plain values handed down: the core's `Settings` (`core_settings`, with the secret key
//! from `secret_key`), the senders' settings (`senders`), what the pages, the API and the feeds
//! need (`Config`), and the site's Leptos options (`site`). Nothing below reads a variable.

mod core_settings;
mod secret_key;
mod senders;
mod site;

pub use core_settings::{
    CODE_VALID_MONTHS_ENV, CONFIRM_ENROLMENTS_ENV, KEEP_ARCHIVED_MONTHS_ENV, KEEP_AUDIT_MONTHS_ENV,
    MORNING_REMINDERS_ENV, QUIET_HOURS_ENV, SMS_WEBHOOK_SECRET_ENV, core_settings,
};
pub use secret_key::{SECRET_KEY_ENV, SECRET_KEY_FILE_ENV, load_secret_key};
pub use senders::{
    BREVO_API_KEY_ENV, BREVO_URL_ENV, BrevoSettings, SMS_SENDER_ENV, SMTP_FROM_ENV, SMTP_URL_ENV, SenderSettings,
    SmtpSettings,
};
pub use site::site_options;

use crate::core::{Core, StoreError, StoreOptions};
use crate::links::PublicUrl;
use crate::listen::ConnectionLimits;

/// Names the installation's public address, e.g. `https://toile.mon-groupe.fr`.
pub const PUBLIC_URL_ENV: &str = "TOILE_PUBLIC_URL";
/// Names the group on printed documents, e.g. `Groupe Solidaire des Flandres`.
pub const GROUP_NAME_ENV: &str = "TOILE_GROUP_NAME";
/// The funders' mention on sign-in sheets, e.g. `Action cofinancée par le FSE+`.
pub const SHEET_MENTION_ENV: &str = "TOILE_SHEET_MENTION";
/// `1` when Toile runs behind one reverse proxy (`web::client_address`).
pub const BEHIND_PROXY_ENV: &str = "TOILE_BEHIND_PROXY";

/// Printed when no mention is configured: a line the facilitator fills by hand.
const MENTION_TO_FILL: &str = "Financeurs : ………………………………………………………………………";

/// What `toile serve` is told besides the core's settings.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where links (calendar URLs, pages) point; when unset, each request's own address.
    pub public_url: Option<PublicUrl>,
    /// The group's name on printed documents.
    pub group_name: String,
    /// The funders' mention on sign-in sheets.
    pub sheet_mention: String,
    /// Toile runs behind one reverse proxy: a request's address is the last of `X-Forwarded-For`.
    pub behind_proxy: bool,
    /// How long a client may take to send its headers, how many connections at once, how long
    /// requests under way get at shutdown.
    pub connections: ConnectionLimits,
    /// What the delivery worker's senders are built from (`notify::Senders::configured`); its
    /// `providers()` tell staff which send SMS and e-mail.
    pub senders: SenderSettings,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            public_url: None,
            group_name: "Toile".into(),
            sheet_mention: MENTION_TO_FILL.into(),
            behind_proxy: false,
            connections: ConnectionLimits::default(),
            senders: SenderSettings::default(),
        }
    }
}

impl Config {
    pub fn from_env() -> Config {
        let value = variable(PUBLIC_URL_ENV).unwrap_or_default();
        let public_url = PublicUrl::parse(&value);
        if public_url.is_none() && !value.trim().is_empty() {
            tracing::warn!(%value, "{PUBLIC_URL_ENV} is not an http(s) URL: using each request's address");
        }
        let default = Config::default();
        Config {
            public_url,
            group_name: text(GROUP_NAME_ENV).unwrap_or(default.group_name),
            sheet_mention: text(SHEET_MENTION_ENV).unwrap_or(default.sheet_mention),
            behind_proxy: text(BEHIND_PROXY_ENV).is_some_and(|v| v == "1" || v == "true"),
            connections: default.connections,
            senders: SenderSettings::from_env(),
        }
    }
}

/// A core over the database at `url`, written as `options` say, configured from the
/// environment as `toile` is: what the command line, the tests and the benchmarks open.
pub async fn open_core(url: &str, options: StoreOptions) -> Result<Core, StoreError> {
    Core::open(url, options, core_settings(url)?).await
}

/// The environment variable `name`, when it is set (and readable as text).
fn variable(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The variable `name` trimmed, when it says something.
fn text(name: &str) -> Option<String> {
    variable(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}
