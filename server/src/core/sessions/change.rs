//! Changing a session: any field but its organiser, with the calendar SEQUENCE raised when
//! time, place or status change, and people waiting promoted when seats open up.

use super::super::audit::Entry;
use super::super::store::sessions as stored;
use super::super::store::{seats, to_ts};
use super::super::views::SessionView;
use super::super::waitlist::promote_waiting;
use super::super::{Core, CoreError, CoreResult};
use super::propose::check_references;
use super::{scope, view, visible};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};
use toile_shared::authz::Actor;
use toile_shared::session_input::{Location, ReservedSeats, SessionInput};
use toile_shared::{Audience, SessionId, SessionKind, SessionStatus, UserId, WorkshopTheme, openapi};

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
    fn apply(self, mut input: SessionInput) -> SessionInput {
        macro_rules! set {
            ($($field:ident),+) => { $(if let Some(value) = self.$field { input.$field = value; })+ };
        }
        set!(title, kind, theme, description, starts_at, ends_at, capacity, location, audience, reserved_seats);
        set!(reserved_until, enrolment_opens_at, enrolment_closes_at, cancellation_deadline, facilitator_ids);
        set!(company_name, speaker, status);
        input
    }
}

impl Core {
    pub async fn update_session(&self, actor: &Actor, id: SessionId, patch: SessionPatch) -> CoreResult<SessionView> {
        let mut tx = self.store.write(self.clock.now()).await?;
        seats::lock(&mut tx, id).await?.ok_or(CoreError::NotFound("Séance"))?;
        let current = visible(&mut tx, actor, id).await?;
        if !actor.may_manage_session(&scope(&current)) {
            return Err(CoreError::Forbidden);
        }
        if current.seats.row.status == SessionStatus::Cancelled {
            return Err(CoreError::conflict(
                "session_cancelled",
                "Cette séance est annulée : elle ne peut plus être modifiée.",
            ));
        }
        if patch.status == Some(SessionStatus::Cancelled) {
            return Err(CoreError::invalid("status", "Pour annuler une séance, utilisez l'action d'annulation."));
        }
        let before = current.input();
        let after = patch.apply(before.clone());
        after.validate().map_err(CoreError::Invalid)?;
        if after.organiser_structure_id != before.organiser_structure_id {
            return Err(CoreError::invalid("organiser_structure_id", "La structure organisatrice ne change pas."));
        }
        check_references(&mut tx, &after).await?;
        let taken = u32::try_from(current.seats.row.seats_taken).unwrap_or(0);
        if after.capacity < taken {
            return Err(CoreError::conflict(
                "capacity_below_taken",
                format!("{taken} personnes sont déjà inscrites : la capacité ne peut pas descendre en dessous."),
            ));
        }
        let calendar_change = before.starts_at != after.starts_at
            || before.ends_at != after.ends_at
            || before.location != after.location
            || before.status != after.status;
        let at = to_ts(tx.at);
        stored::update(&mut tx, id, &after, calendar_change, at).await?;
        Entry::new(actor, "session_updated").session(id).write(&mut tx).await?;
        // More seats, a wider audience or fewer reserved seats may let people in.
        promote_waiting(&mut tx, id, Some(actor)).await?;
        let session = stored::load_one(&mut tx, id).await?.expect("still there");
        tx.commit().await?;
        Ok(view(&session))
    }
}
