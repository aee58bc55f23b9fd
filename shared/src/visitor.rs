//! Who is behind a browser's request: resolved once per request from the sign-in cookie, by the
//! one middleware in front of the pages, the downloads and the calendars (`toile_app`'s
//! `resolve_visitor`), and read by each of them from the request's extensions.

use crate::Role;
use crate::authz::Actor;
use serde::{Deserialize, Serialize};

/// The signed-in person behind a request.
#[derive(Clone, Debug)]
pub struct Visitor {
    pub actor: Actor,
    pub viewer: Viewer,
    /// The sign-in's secret token (the cookie's value), for signing out.
    pub token: String,
}

/// The signed-in person as the pages name them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    /// "Amina" for a participant, "Claire Martin" for staff.
    pub display_name: String,
    pub kind: ViewerKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum ViewerKind {
    Participant,
    Staff(Role),
}
