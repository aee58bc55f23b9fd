//! The audit trail page, worded for coordinators and admins.

use super::Choice;
use serde::{Deserialize, Serialize};
use toile_shared::{ParticipantId, SessionId};

/// The filters as typed in the page's address (`?du=2026-11-01&au=…&seance=…&participant=…&equipe=…`),
/// kept as text: the server reads them and says what it could not.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilters {
    pub from: String,
    pub to: String,
    pub session: String,
    pub participant: String,
    pub staff: String,
    /// Where the page starts, in the older entries (`avant=…`, from a "plus anciennes" link).
    /// Optional in a call: a page opened before the journal had pages still asks its first.
    #[serde(default)]
    pub before: String,
}

impl AuditFilters {
    /// The filters' names in the page's address.
    pub const FROM: &str = "du";
    pub const TO: &str = "au";
    pub const SESSION: &str = "seance";
    pub const PARTICIPANT: &str = "participant";
    pub const STAFF: &str = "equipe";
    pub const BEFORE: &str = "avant";

    /// The filters from an address's query, `value(name)` giving each one's value.
    pub fn from_query(value: impl Fn(&str) -> Option<String>) -> AuditFilters {
        let text = |name: &str| value(name).unwrap_or_default();
        AuditFilters {
            from: text(Self::FROM),
            to: text(Self::TO),
            session: text(Self::SESSION),
            participant: text(Self::PARTICIPANT),
            staff: text(Self::STAFF),
            before: text(Self::BEFORE),
        }
    }
}

/// One entry, in words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// "lun. 30 nov. 2026, 9 h 05"
    pub when: String,
    /// A staff member's name, "Une personne accompagnée", "Toile, automatiquement"…
    pub who: String,
    /// "une inscription", "connexion refusée"…
    pub what: String,
    pub session: Option<(SessionId, String)>,
    /// The participant concerned, with their name when the reader may see it.
    pub participant: Option<(ParticipantId, Option<String>)>,
    pub details: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    /// "Tout le groupement" or the coordinator's structure.
    pub scope: String,
    /// One page of entries, newest first.
    pub entries: Vec<AuditEntry>,
    /// The address of the page of older entries, with the same filters, when there are any.
    pub older: Option<String>,
    /// The address of the newest entries, with the same filters, when this page is an older one.
    pub newest: Option<String>,
    pub staff: Vec<Choice>,
    pub filters: AuditFilters,
    /// The same filters for the CSV file's address.
    pub csv_query: String,
}
