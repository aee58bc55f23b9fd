//! What the pages show, already shaped and worded by the server (times in Europe/Paris, French
//! labels), so pages hold no domain logic: who is signed in (here), a participant's pages
//! (`participant`), staff pages (`staff`), the session form (`session_form`), calendars.

mod admin;
mod audit;
mod calendars;
mod figures;
mod notifications;
mod once;
mod participant;
mod people;
mod session_form;
mod staff;
mod tokens;

pub use admin::*;
pub use audit::*;
pub use calendars::*;
pub use figures::*;
pub use notifications::*;
pub use once::*;
pub use participant::*;
pub use people::*;
pub use session_form::*;
pub use staff::*;
pub use tokens::*;

use serde::{Deserialize, Serialize};

/// The signed-in person (the vocabulary the server's downloads and calendars share).
pub use toile_shared::visitor::{Viewer, ViewerKind};

/// Where the page's request came to (`Host`, `X-Forwarded-Proto`), so the server can build
/// links to itself when its public address is not configured.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RequestOrigin {
    pub host: Option<String>,
    pub forwarded_proto: Option<String>,
}

/// A browser sign-in just opened: the cookie value and who it belongs to.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub token: String,
    pub viewer: Viewer,
    /// How long the browser keeps the sign-in cookie, in seconds (`None`: until it closes).
    pub cookie_max_age: Option<i64>,
}

/// A posted form's field, by name (the first, if the name is repeated).
pub fn posted<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}

/// A posted form's field as typed, empty when absent.
fn typed_field(pairs: &[(String, String)], name: &str) -> String {
    posted(pairs, name).unwrap_or_default().to_string()
}

/// A failure shown to the person, in French.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UiError {
    /// Stable code ("session_full", "not_signed_in"…), for tests and logs.
    pub code: String,
    pub message: String,
}
