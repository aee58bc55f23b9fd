//! Staff pages: the programme, a staff member's desk, a session's page.

use serde::{Deserialize, Serialize};
use toile_shared::{Attendance, ParticipantId, SessionId, SessionKind, SessionStatus, StructureId, UserId};

/// A session in the programme or on a desk, worded for staff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeRow {
    pub id: SessionId,
    pub title: String,
    pub kind: SessionKind,
    /// "Atelier CV", "Rencontre avec une entreprise"…
    pub kind_label: String,
    /// "mar. 3 mars"
    pub when_label: String,
    /// "9 h 00 – 11 h 00"
    pub time_label: String,
    pub organiser: String,
    pub facilitators: Vec<String>,
    /// "Atelier Tremplin, 12 rue des Postes, 59000 Lille", "En visio", or empty.
    pub place: String,
    pub status: SessionStatus,
    pub capacity: u32,
    pub seats_taken: u32,
    pub waitlist_count: u32,
    /// Fewer than half the seats taken three days before.
    pub at_risk: bool,
    /// Full, with people waiting.
    pub full_with_waitlist: bool,
    /// Not a draft: it can go into a calendar.
    pub addable_to_calendar: bool,
}

/// Sessions of one week (or one day, in the month view).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeGroup {
    /// "Semaine du lundi 7 décembre"
    pub label: String,
    pub rows: Vec<ProgrammeRow>,
}

/// A choice in a filter: its value in the address, its words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// The programme page: the filters offered, the ones chosen, the sessions by week.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Programme {
    pub structures: Vec<Choice>,
    pub facilitators: Vec<Choice>,
    pub sites: Vec<Choice>,
    pub filter: ProgrammeQuery,
    pub groups: Vec<ProgrammeGroup>,
    /// "décembre 2026", in the month view.
    pub month_label: Option<String>,
    /// Addresses of the previous and next months, in the month view.
    pub previous_month: Option<String>,
    pub next_month: Option<String>,
}

/// What the programme's filter form asks for (as the address carries it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeQuery {
    pub structure: Option<StructureId>,
    pub kind: Option<SessionKind>,
    pub facilitator: Option<UserId>,
    pub site: Option<i64>,
    pub mine_only: bool,
    /// `Some("2026-12")` for the month view of December 2026.
    pub month: Option<String>,
}

/// A staff member's desk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffDesk {
    pub next: Vec<ProgrammeRow>,
    pub soon: Vec<ProgrammeRow>,
    pub seats_and_waiting: Vec<ProgrammeRow>,
    pub drafts: Vec<ProgrammeRow>,
    pub may_propose: bool,
}

/// One line of facts on a session's page: "Lieu" → "Atelier Tremplin…".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// A staff member, named with their structure: "Claire Martin (Tremplin 59)".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: UserId,
    pub label: String,
}

/// A line of a session's history: "3 déc., 14 h 05 — Claire Martin : séance modifiée".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub when: String,
    pub who: String,
    pub what: String,
}

/// A session's page for staff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffSession {
    pub row: ProgrammeRow,
    pub description: String,
    pub facts: Vec<Fact>,
    pub facilitators: Vec<String>,
    /// "4 places réservées à Roubaix Insertion (2 prises), jusqu'au lundi 2 mars à 9 h 00".
    pub reservations: Vec<String>,
    pub cancel_reason: Option<String>,
    /// The other sessions of its series: (id, "mar. 10 mars, 9 h 00", still on).
    pub series: Vec<SeriesLine>,
    pub history: Vec<HistoryLine>,
    /// The viewer reads the audit trail: the history links to the session's whole part of it.
    pub audit_link: Option<String>,
    pub may_edit: bool,
    pub may_cancel: bool,
    pub may_duplicate: bool,
    pub roster: StaffRoster,
}

/// A person on a session's roster, as staff see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterPerson {
    pub participant_id: ParticipantId,
    /// "Amina Benali"
    pub name: String,
    pub structure: String,
    pub attendance: Attendance,
    /// Place on the waiting list, for those waiting.
    pub waitlist_position: Option<u32>,
    pub overbooked: bool,
    /// "Inscrite par Claire Martin", or empty when the person enrolled themselves.
    pub enrolled_by: String,
    pub may_cancel: bool,
    pub may_take_free_seat: bool,
    /// Their signature on the sheet, while marked present.
    pub signature: Option<SignatureMark>,
    /// They answered "je viens" to the reminder.
    pub said_coming: bool,
}

/// A signature drawn on the sign-in sheet, to show: its strokes (SVG path data in the box of
/// `toile_shared::signature`) and when, "9 h 32".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureMark {
    pub path: String,
    pub time: String,
}

/// A staff member's signature on the sheet: "Claire Martin", and the mark.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSignatureLine {
    pub name: String,
    pub mark: SignatureMark,
    /// The viewer's own.
    pub mine: bool,
}

/// How many people of a structure are in and waiting: "Tremplin 59 : 3 inscrites, 1 en attente".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterCount {
    pub structure: String,
    pub confirmed: u32,
    pub waiting: u32,
}

/// Who is in a session, as far as the viewer may know, and what they may do about it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRoster {
    pub confirmed: Vec<RosterPerson>,
    pub waiting: Vec<RosterPerson>,
    pub counts: Vec<RosterCount>,
    /// The viewer sees everyone by name; otherwise only their structure's people.
    pub names_of_everyone: bool,
    pub may_take_attendance: bool,
    pub may_print_sheet: bool,
    pub may_overbook: bool,
    /// The viewer's participants not yet in the session, to enrol on their behalf.
    pub enrollable: Vec<Choice>,
    /// Where the sign-in sheet stands: closed under a hash, re-opened by a correction, or
    /// changed since it was closed (a warning). Empty when it was never closed.
    pub seal: String,
    pub seal_warning: bool,
    /// The viewer may close the sheet now (it is not closed).
    pub may_close: bool,
    /// The viewer may sign the sheet for the session's running (they take its attendance).
    pub may_sign: bool,
    /// The staff who signed the sheet.
    pub staff_signatures: Vec<StaffSignatureLine>,
    /// Confirmed people by attendance: present, absent, excused, not said.
    pub present: u32,
    pub absent: u32,
    pub excused: u32,
    pub unknown: u32,
}

/// What staff do on a session's roster (a form on its page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RosterAction {
    /// Enrol a participant on their behalf (confirmed if a seat is free, else waiting).
    Enrol(ParticipantId),
    /// Enrol beyond capacity, with the reason.
    Overbook(ParticipantId, String),
    /// Cancel the person's enrolment on their behalf.
    Cancel(ParticipantId),
    /// Give a waiting person a seat free for them.
    GiveSeat(ParticipantId),
}

impl RosterAction {
    /// The form's fields: `action` (`inscrire`, `surnombre`, `desinscrire`, `donner-place`),
    /// `participant`, and `reason` for an overbooking. `None` when they make no sense.
    pub fn from_pairs(pairs: &[(String, String)]) -> Option<RosterAction> {
        let field = |name: &str| pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        let participant = field("participant")?.trim().parse().ok()?;
        Some(match field("action")? {
            "inscrire" => RosterAction::Enrol(participant),
            "surnombre" => RosterAction::Overbook(participant, field("reason").unwrap_or_default().to_string()),
            "desinscrire" => RosterAction::Cancel(participant),
            "donner-place" => RosterAction::GiveSeat(participant),
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesLine {
    pub id: SessionId,
    pub when: String,
    pub status: SessionStatus,
    pub is_this_one: bool,
}
