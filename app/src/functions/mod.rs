//! Server functions: the only door from the pages to the domain. Each one takes the visitor
//! resolved from the sign-in cookie, calls the `PagesPort`, and maps failures to `UiError`.
//! URLs live under `/fn/` so they never collide with the JSON API under `/api/v1/`.

pub mod auth;
pub mod calendars;
pub mod people;
#[cfg(feature = "ssr")]
pub(crate) mod request;
pub mod sessions;
pub mod staff;

pub use auth::*;
pub use calendars::*;
pub use people::*;
pub use sessions::*;
pub use staff::*;
