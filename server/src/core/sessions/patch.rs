//! A partial change to a session, as the API's `PATCH` sends it and as an editor's form becomes
//! (`edit::merge`): the fields it names, and what it makes of a session's values (`apply`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};
use toile_shared::session_input::{Location, ReservedSeats, SessionInput};
use toile_shared::{Audience, SessionKind, SessionStatus, UserId, WorkshopTheme, openapi};

/// A partial change: absent fields stay as they are; `null` clears an optional field (and leaves
/// a required one as it is).
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionPatch {
    #[schema(schema_with = openapi::title_or_null)]
    pub title: Option<String>,
    pub kind: Option<SessionKind>,
    /// For workshops only.
    #[serde(default, deserialize_with = "present")]
    pub theme: Option<Option<WorkshopTheme>>,
    #[schema(schema_with = openapi::description_or_null)]
    pub description: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    #[schema(minimum = 1, maximum = 500)]
    pub capacity: Option<u32>,
    #[serde(default, deserialize_with = "present")]
    pub location: Option<Option<Location>>,
    pub audience: Option<Audience>,
    pub reserved_seats: Option<Vec<ReservedSeats>>,
    #[serde(default, deserialize_with = "present")]
    pub reserved_until: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "present")]
    pub enrolment_opens_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "present")]
    pub enrolment_closes_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "present")]
    pub cancellation_deadline: Option<Option<DateTime<Utc>>>,
    pub facilitator_ids: Option<Vec<UserId>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = openapi::short_text_or_null)]
    pub company_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = openapi::short_text_or_null)]
    pub speaker: Option<Option<String>>,
    #[schema(schema_with = openapi::draft_or_published_or_null)]
    pub status: Option<SessionStatus>,
}

/// A present JSON field, even `null`, becomes `Some(..)`.
fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

impl SessionPatch {
    /// `input` with the fields this change names set to its values.
    pub(super) fn apply(&self, mut input: SessionInput) -> SessionInput {
        macro_rules! set {
            ($($field:ident),+) => { $(if let Some(value) = &self.$field { input.$field = value.clone(); })+ };
        }
        set!(title, kind, theme, description, starts_at, ends_at, capacity, location, audience, reserved_seats);
        set!(reserved_until, enrolment_opens_at, enrolment_closes_at, cancellation_deadline, facilitator_ids);
        set!(company_name, speaker, status);
        input
    }
}
