//! What the pages show, already shaped and worded by the server (times in Europe/Paris, French
//! labels), so the browser bundle needs no time-zone data and no domain logic.

use serde::{Deserialize, Serialize};
use toile_shared::{EnrolmentStatus, Role, SessionId};

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
    pub mine: Option<MyEnrolment>,
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
    /// The viewer may still cancel their own enrolment.
    pub can_cancel: bool,
}

/// What happened when the viewer tapped "M'inscrire".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnrolOutcome {
    pub enrolment: MyEnrolment,
    /// "Vous êtes inscrit·e." / "La séance est complète : vous êtes 3ᵉ sur la liste d'attente."
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
