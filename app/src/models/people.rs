//! Staff pages about participants: the list, one person's record, registering, the code card.

use serde::{Deserialize, Serialize};
use toile_shared::{ParticipantId, SessionId};

use super::Choice;

/// A participant in the list: "Benali Amina", their referent, their coming sessions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantRow {
    pub id: ParticipantId,
    /// "Benali Amina"
    pub name: String,
    pub structure: String,
    /// "Claire Martin", or empty.
    pub referent: String,
    /// "mar. 3 mars : Atelier CV", soonest first.
    pub coming: Vec<String>,
}

/// `/equipe/participants`
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantsPage {
    /// The name searched for, as typed.
    pub search: String,
    pub rows: Vec<ParticipantRow>,
    /// More people match than are shown: type more of the name.
    pub capped: bool,
}

/// A session in a participant's record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordLine {
    pub session_id: SessionId,
    /// "mar. 3 mars 2026"
    pub when: String,
    pub title: String,
    /// "Inscrite", "En attente", "Désinscrite", "Séance annulée"…
    pub status: String,
    /// "Présent·e", or empty when not said.
    pub attendance: String,
    /// "Inscription faite par Claire Martin", or empty.
    pub enrolled_by: String,
}

/// `/equipe/participants/:id`
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantPage {
    pub id: ParticipantId,
    pub name: String,
    pub structure: String,
    pub referent: String,
    pub phone: String,
    pub email: String,
    pub active: bool,
    pub coming: Vec<RecordLine>,
    pub history: Vec<RecordLine>,
    /// Sessions to come open to their structure that they are not in: (session id, "mar. 3 mars,
    /// 9 h 00 : Atelier CV").
    pub open_sessions: Vec<(SessionId, String)>,
    /// The viewer reads the audit trail: the record links to this person's part of it.
    pub audit_link: Option<String>,
    /// The viewer answers this person's requests about their data (a copy, its erasure).
    pub data_requests: bool,
    /// Their data was erased: only what they attended is left.
    pub anonymised: bool,
}

/// The record's erase form: its `action` value, and the box saying the person asked.
pub const ERASE_ACTION: &str = "effacer";
pub const ERASE_CONFIRMATION: &str = "confirmation";

/// The registration form's choices.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationForm {
    /// The structures the viewer registers for (one, unless they are group-wide).
    pub structures: Vec<Choice>,
    /// Staff who may be the person's referent, "Claire Martin (Tremplin 59)".
    pub referents: Vec<Choice>,
    /// The viewer, as the default referent.
    pub default_referent: String,
}

/// The registration form's fields, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegistrationValues {
    pub first_name: String,
    pub last_name: String,
    /// The structure's id.
    pub structure: String,
    /// The referent's user id, or empty.
    pub referent: String,
    pub phone: String,
    pub email: String,
}

impl RegistrationValues {
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let field = |name| super::typed_field(pairs, name);
        RegistrationValues {
            first_name: field("first_name"),
            last_name: field("last_name"),
            structure: field("structure"),
            referent: field("referent"),
            phone: field("phone"),
            email: field("email"),
        }
    }
}

/// A QR code as one SVG path over a square of `size` modules (quiet zone included).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrCode {
    pub size: u32,
    pub path: String,
}

/// The printable card with a person's access code, shown once after it is drawn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeCard {
    pub participant_id: ParticipantId,
    pub first_name: String,
    /// "KP4T-9WXA"
    pub code: String,
    /// "toile.groupe.fr/connexion", as printed.
    pub address: String,
    /// The card's single-use sign-in link, as the QR code carries it (never the code).
    pub link: String,
    pub qr: QrCode,
}

/// The sign-in page opened by a card's link that no longer works (used, expired, or the card
/// replaced): the plain sentence that says so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardLinkRefused(pub String);
