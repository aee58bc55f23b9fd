//! Toile's configuration, read once at start-up from the environment and handed to whoever
//! needs it.

use crate::links::PublicUrl;

/// Names the installation's public address, e.g. `https://toile.mon-groupe.fr`.
pub const PUBLIC_URL_ENV: &str = "TOILE_PUBLIC_URL";

#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Where links (calendar URLs, pages) point; when unset, each request's own address.
    pub public_url: Option<PublicUrl>,
}

impl Config {
    pub fn from_env() -> Config {
        let value = std::env::var(PUBLIC_URL_ENV).unwrap_or_default();
        let public_url = PublicUrl::parse(&value);
        if public_url.is_none() && !value.trim().is_empty() {
            tracing::warn!(%value, "{PUBLIC_URL_ENV} is not an http(s) URL: using each request's address");
        }
        Config { public_url }
    }
}
