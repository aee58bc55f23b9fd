//! The web pages: the Leptos app from `toile-app`, wired to the core.

pub mod backend;
pub mod french;
