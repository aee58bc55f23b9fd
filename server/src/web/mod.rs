//! The web pages: the Leptos app from `toile-app`, wired to the core.

pub mod assets;
pub mod body_limits;
pub mod client_address;
pub mod flash;
pub use crate::french;
pub mod guard;
pub mod layer_answers;
pub mod no_store;
pub mod personal_data;
pub mod port;
pub mod sheet;

/// Whether `path` is `prefix` or below it: a prefix is a whole segment (`/administration` is not
/// under `/admin`).
pub fn is_under(path: &str, prefix: &str) -> bool {
    path == prefix || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
}
