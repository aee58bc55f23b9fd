//! Small pieces shared by the pages.

mod alert;
mod header;
mod status_line;

pub use alert::{Alert, action_error};
pub use header::SiteHeader;
pub use status_line::StatusLine;
