//! Toile's configuration, read once at start-up from the environment and handed to whoever
//! needs it.

use crate::links::PublicUrl;
use crate::listen::ConnectionLimits;

/// Names the installation's public address, e.g. `https://toile.mon-groupe.fr`.
pub const PUBLIC_URL_ENV: &str = "TOILE_PUBLIC_URL";
/// Names the group on printed documents, e.g. `Groupe Solidaire des Flandres`.
pub const GROUP_NAME_ENV: &str = "TOILE_GROUP_NAME";
/// The funders' mention on sign-in sheets, e.g. `Action cofinancée par le FSE+`.
pub const SHEET_MENTION_ENV: &str = "TOILE_SHEET_MENTION";

/// Printed when no mention is configured: a line the facilitator fills by hand.
const MENTION_TO_FILL: &str = "Financeurs : ………………………………………………………………………";

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
    /// Which providers send messages to participants: (SMS, e-mail); `None` for the log.
    pub message_providers: (Option<&'static str>, Option<&'static str>),
}

impl Default for Config {
    fn default() -> Config {
        Config {
            public_url: None,
            group_name: "Toile".into(),
            sheet_mention: MENTION_TO_FILL.into(),
            behind_proxy: false,
            connections: ConnectionLimits::default(),
            message_providers: (None, None),
        }
    }
}

impl Config {
    pub fn from_env() -> Config {
        let value = std::env::var(PUBLIC_URL_ENV).unwrap_or_default();
        let public_url = PublicUrl::parse(&value);
        if public_url.is_none() && !value.trim().is_empty() {
            tracing::warn!(%value, "{PUBLIC_URL_ENV} is not an http(s) URL: using each request's address");
        }
        let text = |name: &str| std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let default = Config::default();
        Config {
            public_url,
            group_name: text(GROUP_NAME_ENV).unwrap_or(default.group_name),
            sheet_mention: text(SHEET_MENTION_ENV).unwrap_or(default.sheet_mention),
            behind_proxy: text(crate::web::client_address::BEHIND_PROXY_ENV).is_some_and(|v| v == "1" || v == "true"),
            connections: default.connections,
            message_providers: crate::notify::configured(),
        }
    }
}
