//! What the pages show, already shaped and worded by the server (times in Europe/Paris, French
//! labels), so the browser bundle needs no time-zone data and no domain logic.

use serde::{Deserialize, Serialize};
use toile_shared::{EnrolmentStatus, Role, SessionId, SessionKind, StructureId};

/// The signed-in person.
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

/// The viewer's own place in a session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyEnrolment {
    pub status: EnrolmentStatus,
    /// 1-based position on the waiting list, when waitlisted.
    pub waitlist_position: Option<u32>,
}

/// A session in a participant's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionCard {
    pub id: SessionId,
    pub title: String,
    /// For the pictogram.
    pub kind: SessionKind,
    /// "Atelier CV", "Rencontre avec une entreprise"…
    pub kind_label: String,
    /// "mardi 3 mars"
    pub date_label: String,
    /// "9 h 00 – 11 h 00"
    pub time_label: String,
    /// "Maison de l'emploi, 12 rue des Lilas, 59000 Lille" or "En visio"
    pub place_label: String,
    /// Free seats for this viewer; 0 means the waiting list.
    pub seats_left: u32,
    /// How many people wait for a seat.
    pub waiting: u32,
    pub mine: Option<MyEnrolment>,
    /// The session is cancelled (it stays listed for the people who were in it).
    pub cancelled: bool,
}

/// A participant's start page: their own sessions first, then what is open to them by week.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParticipantHome {
    /// Sessions where they have a seat or wait for one, soonest first.
    pub mine: Vec<SessionCard>,
    /// Other sessions open to them, grouped by week, soonest first.
    pub weeks: Vec<Week>,
    /// The kinds of session on offer, for the filter.
    pub kinds: Vec<SessionKind>,
    /// The kind chosen in the filter, if any.
    pub kind: Option<SessionKind>,
}

/// The sessions of one week.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Week {
    /// "Semaine du lundi 7 décembre"
    pub label: String,
    pub sessions: Vec<SessionCard>,
}

/// Everything on a session's own page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionDetail {
    pub card: SessionCard,
    pub description: String,
    pub company_name: Option<String>,
    pub speaker: Option<String>,
    /// "Annulation possible jusqu'au lundi 2 mars à 18 h 00", when there is a deadline.
    pub cancellation_label: Option<String>,
    pub cancelled: bool,
    /// Shown instead of the button when the viewer may not enrol ("Les inscriptions sont
    /// fermées."). `None` when the button is offered.
    pub cannot_enrol_reason: Option<String>,
    /// The video link, for someone who holds a seat in a video session.
    pub video_link: Option<String>,
    /// The viewer may still cancel their own enrolment.
    pub can_cancel: bool,
}

/// What happened when the viewer tapped "M'inscrire".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnrolOutcome {
    pub enrolment: MyEnrolment,
    /// "Votre inscription est confirmée." / "La séance est complète : vous êtes 3ᵉ sur la liste d'attente."
    pub message: String,
}

/// A row of the staff list of sessions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffSessionRow {
    pub id: SessionId,
    pub title: String,
    pub kind_label: String,
    /// "mar. 3 mars, 9 h 00"
    pub when_label: String,
    pub organiser: String,
    pub status_label: String,
    pub capacity: u32,
    pub seats_taken: u32,
    pub waitlist_count: u32,
    /// The session can go into one's own calendar (`/seances/{id}/agenda.ics`): not a draft.
    pub addable_to_calendar: bool,
}

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

/// Where the page's request came to (`Host`, `X-Forwarded-Proto`), so the server can build
/// links to itself when its public address is not configured.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RequestOrigin {
    pub host: Option<String>,
    pub forwarded_proto: Option<String>,
}

/// Everything on the agenda page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Agenda {
    pub options: CalendarOptions,
    pub feeds: Vec<FeedRow>,
    /// The link created or renewed by the form just posted without JavaScript, shown once.
    pub fresh: Option<NewFeedLink>,
}

/// A signed-in browser session: the cookie value and who it belongs to.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub token: String,
    pub viewer: Viewer,
}

/// A failure shown to the person, in French.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UiError {
    /// Stable code ("session_full", "not_signed_in"…), for tests and logs.
    pub code: String,
    pub message: String,
}
