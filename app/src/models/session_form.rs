//! The form that proposes or changes a session, kept as typed (text), so that a refused form
//! comes back with everything in it.

use super::UiError;
use super::staff::Choice;
use serde::{Deserialize, Serialize};
use toile_shared::SessionId;

/// The session form's fields, as the browser sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionFormValues {
    pub kind: String,
    pub theme: String,
    pub title: String,
    pub description: String,
    /// `2026-12-03`, `09:30`, `11:30`: Paris dates and times, as native inputs give them.
    pub date: String,
    pub start: String,
    pub end: String,
    /// `site`, `address` or `video`.
    pub place: String,
    pub site_id: String,
    pub address: String,
    pub video_url: String,
    pub capacity: String,
    pub organiser: String,
    pub facilitators: Vec<String>,
    pub company_name: String,
    pub speaker: String,
    /// `all` or `list`.
    pub audience: String,
    pub audience_ids: Vec<String>,
    /// (structure id, seats) for each structure of the group, as typed.
    pub reserved: Vec<(String, String)>,
    pub reserved_until_date: String,
    pub reserved_until_time: String,
    pub opens_date: String,
    pub opens_time: String,
    pub closes_date: String,
    pub closes_time: String,
    pub deadline_date: String,
    pub deadline_time: String,
    /// `draft` or `published`.
    pub status: String,
    /// Weeks the session repeats (new sessions only).
    pub weeks: String,
    /// `this` or `following` (a session of a series, when changed).
    pub series: String,
    /// The version of the session the form showed (a change only).
    pub version: String,
    /// The values the form showed, as JSON (a change only): a save applies what this editor
    /// changed from them, not the rest of a form someone else's change made stale.
    pub shown: String,
    /// `theirs` when the editor, told another changed the same fields, takes the other's values
    /// for the fields listed in `theirs` (and saves the rest).
    pub choice: String,
    pub theirs: Vec<String>,
}

/// The code of a change refused because another editor changed the same fields meanwhile.
pub const EDITED_MEANWHILE: &str = "edited_meanwhile";

/// The prefix of the reserved-seats fields: `reserved_3` holds the seats kept for structure 3.
pub const RESERVED_PREFIX: &str = "reserved_";

impl SessionFormValues {
    /// Reads the fields a browser posted (repeated names for the checkboxes).
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut values = SessionFormValues::default();
        // Each field by its own name; a repeated name (a checkbox) adds to its list.
        macro_rules! read {
            ($name:expr, $value:expr; $($text:ident),+; $($list:ident),+) => {
                match $name {
                    $(stringify!($text) => values.$text = $value,)+
                    $(stringify!($list) => values.$list.push($value),)+
                    other => {
                        if let Some(structure) = other.strip_prefix(RESERVED_PREFIX) {
                            values.reserved.push((structure.to_string(), $value));
                        }
                    }
                }
            };
        }
        for (name, value) in pairs {
            read!(name.as_str(), value.clone();
                kind, theme, title, description, date, start, end, place, site_id, address, video_url, capacity,
                organiser, company_name, speaker, audience, reserved_until_date, reserved_until_time, opens_date,
                opens_time, closes_date, closes_time, deadline_date, deadline_time, status, weeks, series, version,
                shown, choice;
                facilitators, audience_ids, theirs);
        }
        values
    }

    #[cfg(feature = "ssr")]
    /// The form shown again after another editor changed the same fields (`current` is the
    /// session as stored now, with its version): what this editor changed from the values
    /// their form showed stays as typed, everything else is as stored now, and the next save
    /// starts from the stored version.
    pub fn merged(&self, current: &SessionFormValues) -> SessionFormValues {
        let Ok(shown) = serde_json::from_str::<SessionFormValues>(&self.shown) else {
            return self.clone();
        };
        let mut merged = current.clone();
        macro_rules! mine {
            ($($field:ident),+) => { $(if self.$field != shown.$field { merged.$field = self.$field.clone(); })+ };
        }
        mine!(kind, theme, title, description, date, start, end, place, site_id, address, video_url, capacity);
        mine!(organiser, facilitators, company_name, speaker, audience, audience_ids, reserved);
        mine!(reserved_until_date, reserved_until_time, opens_date, opens_time, closes_date, closes_time);
        mine!(deadline_date, deadline_time, status);
        merged.series = self.series.clone();
        merged.choice = String::new();
        merged.theirs = vec![];
        merged
    }

    /// The seats typed for a structure.
    pub fn reserved_for(&self, structure: &str) -> &str {
        self.reserved.iter().find(|(id, _)| id == structure).map_or("", |(_, seats)| seats.as_str())
    }
}

/// A site to choose, with its structure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteOption {
    pub id: i64,
    pub label: String,
    pub structure: String,
}

/// A staff member who may facilitate, with their structure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacilitatorOption {
    pub id: i64,
    pub name: String,
    pub structure: String,
}

/// Everything the session form page needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionFormPage {
    /// `None` for a new session.
    pub editing: Option<SessionId>,
    /// The session belongs to a weekly series (a change may apply to the later ones).
    pub in_series: bool,
    pub values: SessionFormValues,
    /// Structures that may organise (a CIP's own; all for group-wide staff).
    pub organisers: Vec<Choice>,
    /// Every structure of the group, for the audience and reserved seats.
    pub structures: Vec<Choice>,
    pub sites: Vec<SiteOption>,
    pub facilitators: Vec<FacilitatorOption>,
}

/// Why a form was refused: a message per field, and one for the whole form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormRefusal {
    pub fields: Vec<(String, String)>,
    pub summary: String,
    /// The rule's error code when a rule refused (`forbidden`, `not_found`, `full`…); empty
    /// when fields are to be corrected.
    pub code: String,
}

impl FormRefusal {
    /// The status of the page shown again: the rule's own (403, 404, 409…) when a rule refused,
    /// so a refusal reads the same as on the JavaScript path and the API; 422 for fields to
    /// correct.
    pub fn status(&self) -> u16 {
        if self.code.is_empty() { 422 } else { UiError::new(&self.code, "").status() }
    }

    /// The refusal as a server function answers it: the rule's code (`invalid` for fields to
    /// correct) and what to do, the fields' own messages when there are any (a page calling
    /// in the background has no field to put them next to).
    pub fn into_ui_error(self) -> UiError {
        let code = if self.code.is_empty() { "invalid" } else { self.code.as_str() };
        let message = match self.fields.is_empty() {
            true => self.summary,
            false => self.fields.into_iter().map(|(_, message)| message).collect::<Vec<_>>().join(" "),
        };
        UiError::new(code, &message)
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn stored(capacity: &str, start: &str) -> SessionFormValues {
        SessionFormValues {
            title: "Atelier CV".into(),
            start: start.into(),
            capacity: capacity.into(),
            version: "1".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_form_shown_again_after_a_conflict_keeps_the_editor_s_changes_over_the_stored_session() {
        let shown = stored("12", "09:00");
        let posted = SessionFormValues {
            title: "Atelier CV et lettre".into(),
            start: "14:00".into(),
            shown: serde_json::to_string(&shown).unwrap(),
            ..shown.clone()
        };
        let now = SessionFormValues { version: "2".into(), shown: "maintenant".into(), ..stored("16", "10:00") };
        let merged = posted.merged(&now);
        assert_eq!((merged.title.as_str(), merged.start.as_str()), ("Atelier CV et lettre", "14:00"));
        assert_eq!(merged.capacity, "16", "the other editor's change stays");
        assert_eq!((merged.version.as_str(), merged.shown.as_str()), ("2", "maintenant"), "from the stored version");
    }
}
