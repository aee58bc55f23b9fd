//! The web pages: the Leptos app from `toile-app`, wired to the core.

pub mod assets;
pub mod body_limits;
pub mod client_address;
pub mod flash;
pub use crate::french;
pub mod guard;
pub mod personal_data;
pub mod port;
pub mod sheet;
