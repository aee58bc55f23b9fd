//! A participant's pages: their sessions and one session.

use serde::{Deserialize, Serialize};
pub use toile_shared::enrolment::AnswerStatus;
use toile_shared::{EnrolmentStatus, SessionId, SessionKind};

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
    /// Why, in the organiser's words, when they gave a reason.
    pub cancel_reason: Option<String>,
    /// Its time or place changed since the participant enrolled.
    pub schedule_changed: bool,
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
    /// Whether the person gets SMS (reminders, seats freed for them, changes).
    pub sms: SmsChoice,
}

/// Whether a participant gets SMS, which they may stop from their page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SmsChoice {
    /// No phone number given.
    NoPhone,
    Receiving,
    Stopped,
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

/// `/r/<secret>`: "Je viens" / "Je ne peux pas venir", for one session, without signing in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerPage {
    pub title: String,
    /// "mardi 3 mars"
    pub date_label: String,
    /// "9 h 30 – 11 h 30"
    pub time_label: String,
    /// The address, or "En visio".
    pub place_label: String,
    /// The video link, for a seated person.
    pub video_link: Option<String>,
    pub status: AnswerStatus,
}
