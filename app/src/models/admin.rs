//! The admin page (structures, sites, staff accounts) and the invitation page.

use serde::{Deserialize, Serialize};
use toile_shared::UserId;
use toile_shared::done::Done;

use super::Choice;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructureLine {
    pub name: String,
    /// "Atelier chantier d'insertion (ACI)"
    pub kind: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteLine {
    /// "Atelier Tremplin, 12 rue des Postes, 59000 Lille"
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLine {
    pub id: UserId,
    pub name: String,
    pub email: String,
    /// "CIP · Tremplin 59"
    pub role: String,
    /// "Actif", "Invitation en attente", "Désactivé"
    pub state: String,
    pub active: bool,
    /// Not the viewer's own account (nobody turns themselves off).
    pub may_change: bool,
}

/// `/admin`
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminPage {
    pub structures: Vec<StructureLine>,
    pub sites: Vec<SiteLine>,
    pub accounts: Vec<AccountLine>,
    pub structure_kinds: Vec<Choice>,
    pub roles: Vec<Choice>,
    pub structure_choices: Vec<Choice>,
}

/// An invitation link just made, shown once to the admin who passes it on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationLink {
    pub name: String,
    pub url: String,
    /// "lundi 7 décembre 2026 à 9 h 00"
    pub expires: String,
}

/// The admin page's forms' fields, as typed: each form sends `action` and some of the others.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AdminFormValues {
    /// `structure`, `site`, `invite`, `reset` or `deactivate`.
    pub action: String,
    /// A structure's, a site's or a new member's name.
    pub name: String,
    /// A structure's kind (`StructureKind` code).
    pub kind: String,
    pub siret: String,
    /// The id of a site's or a new member's structure.
    pub structure: String,
    pub address: String,
    pub postcode: String,
    pub city: String,
    pub email: String,
    /// A new member's role (`Role` code).
    pub role: String,
    /// The id of the account to reset or turn off.
    pub user: String,
}

impl AdminFormValues {
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let field = |name| super::typed_field(pairs, name);
        AdminFormValues {
            action: field("action"),
            name: field("name"),
            kind: field("kind"),
            siret: field("siret"),
            structure: field("structure"),
            address: field("address"),
            postcode: field("postcode"),
            city: field("city"),
            email: field("email"),
            role: field("role"),
            user: field("user"),
        }
    }
}

/// What an admin form did: said on the page (`?fait=…`), or a link to show once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdminDone {
    Said(Done),
    Link(InvitationLink),
}

/// Who an invitation is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitedPerson {
    pub name: String,
    pub email: String,
}
