//! The agenda page: calendar links.

use serde::{Deserialize, Serialize};
use toile_shared::{SessionKind, StructureId};

/// What the viewer may follow in their calendar app, for the choices of the agenda page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalendarOptions {
    pub is_participant: bool,
    /// Staff: the whole group's programme.
    pub can_follow_group: bool,
    /// Staff: the structures whose programme they may follow, by name.
    pub structures: Vec<StructureChoice>,
    /// Their own sessions: for staff those they run and those their participants attend, for a
    /// participant those they hold a seat in.
    pub can_follow_own_sessions: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StructureChoice {
    pub id: StructureId,
    pub name: String,
}

/// Whose sessions a new calendar link lists.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum FeedChoice {
    /// The whole group's programme (staff).
    Group,
    /// A structure's programme (staff).
    Structure(StructureId),
    /// The viewer's own sessions (a staff member's, or a participant's).
    Mine,
}

/// A calendar link to create.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewFeed {
    pub scope: FeedChoice,
    /// Only sessions of this kind.
    pub kind: Option<SessionKind>,
}

/// One of the viewer's calendar links, without its secret address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedRow {
    pub id: i64,
    /// The calendar's name in calendar apps: "Toile — programme du groupe".
    pub name: String,
    /// "le mardi 3 mars 2026"
    pub created_label: String,
}

/// A calendar link just created or renewed: its secret address, shown this once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewFeedLink {
    pub feed_id: i64,
    pub name: String,
    /// `https://…/calendars/<token>.ics`, to paste into Google Agenda or Outlook.
    pub https_url: String,
    /// The same address as `webcal://…`, which calendar apps open as a subscription in one tap.
    pub webcal_url: String,
}

impl NewFeedLink {
    pub fn new(feed_id: i64, name: String, https_url: String) -> Self {
        let rest = https_url.split_once("://").map_or(https_url.as_str(), |(_, rest)| rest);
        let webcal_url = format!("webcal://{rest}");
        Self { feed_id, name, https_url, webcal_url }
    }
}

/// Everything on the agenda page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Agenda {
    pub options: CalendarOptions,
    pub feeds: Vec<FeedRow>,
    /// The link created or renewed by the form just posted without JavaScript, shown once.
    pub fresh: Option<NewFeedLink>,
}
