//! What was sent to participants and staff, as staff see it.

use serde::{Deserialize, Serialize};
use toile_shared::{ParticipantId, SessionId};

/// One message to a participant or a staff member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationRow {
    /// "3 déc., 14 h 05"
    pub when: String,
    /// None for a message to a staff member.
    pub participant_id: Option<ParticipantId>,
    /// The participant's or the staff member's name.
    pub recipient: String,
    /// None for a message about a whole day (a facilitator's digest).
    pub session_id: Option<SessionId>,
    pub session: String,
    /// "séance annulée", "place libérée pour la personne"…
    pub what: String,
    /// "SMS", "e-mail"
    pub channel: String,
    /// "envoyé", "en attente (8 h 00)", "échec"…
    pub status: String,
    pub failed: bool,
    /// Why it failed or waits, as the provider said it.
    pub error: String,
    /// What it says (an e-mail's subject first), each answer link shown as "[lien personnel]":
    /// the person's link is made when the message leaves and is never kept.
    pub text: String,
}

/// `/equipe/notifications`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationsPage {
    /// "Tout le groupement" or the viewer's structure.
    pub scope: String,
    pub rows: Vec<NotificationRow>,
    /// How many failed among them: shown first, to act on.
    pub failed: u32,
    /// At most this many are shown, newest first.
    pub shown_at_most: u32,
    /// How messages go out on this server: "SMS : Brevo · e-mail : SMTP", or that they are
    /// only written in the server's log.
    pub channels: String,
}
