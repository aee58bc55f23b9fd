//! `/equipe/jetons`: a staff member's API tokens.

use serde::{Deserialize, Serialize};

/// The page: the viewer's tokens, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokensPage {
    pub tokens: Vec<ApiTokenRow>,
    /// The longest a token may be valid, in days.
    pub max_days: u32,
    /// Where the API's description is.
    pub api_docs: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenRow {
    pub id: i64,
    pub name: String,
    /// "3 mars 2026"
    pub created: String,
    /// "Valable jusqu'au 3 mars 2027", "Expiré depuis le 3 mars 2027"
    pub validity: String,
    pub expired: bool,
    /// "Utilisé le 4 mars 2026 à 9 h 12", "Jamais utilisé"
    pub last_used: String,
}

/// A token just made: its secret, shown this once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiToken {
    pub name: String,
    pub token: String,
    /// "3 mars 2027"
    pub ends: String,
}

/// What a form of the page did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenDone {
    Created(NewApiToken),
    Revoked,
}

/// The page's forms: their `action` values and fields.
pub const TOKEN_CREATE: &str = "creer";
pub const TOKEN_REVOKE: &str = "revoquer";
pub const TOKEN_NAME: &str = "nom";
pub const TOKEN_DAYS: &str = "jours";
pub const TOKEN_ID: &str = "jeton";
/// The page's forms' fields, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApiTokenFormValues {
    /// `TOKEN_CREATE` or `TOKEN_REVOKE`.
    pub action: String,
    /// A new token's name (`TOKEN_NAME`).
    pub name: String,
    /// A new token's days of validity (`TOKEN_DAYS`).
    pub days: String,
    /// The id of the token to revoke (`TOKEN_ID`).
    pub token: String,
}

impl ApiTokenFormValues {
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let field = |name| super::typed_field(pairs, name);
        ApiTokenFormValues {
            action: field("action"),
            name: field(TOKEN_NAME),
            days: field(TOKEN_DAYS),
            token: field(TOKEN_ID),
        }
    }
}

/// The lengths of validity offered, in days, and in words.
pub const TOKEN_DURATIONS: [(u32, &str); 3] = [(30, "30 jours"), (90, "3 mois"), (365, "1 an")];
