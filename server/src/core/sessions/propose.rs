//! Proposing a session, or a weekly series of them.

use super::super::audit::Entry;
use super::super::store::sessions::{self as stored, Origin};
use super::super::store::{staff, structures, to_ts};
use super::super::views::SessionView;
use super::super::{Core, CoreError, CoreResult};
use super::view;
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::session_input::{Location, SessionInput};
use toile_shared::{Audience, SessionStatus};

/// A series holds one session a week, for up to a year.
pub const MAX_WEEKLY_OCCURRENCES: u32 = 52;

impl Core {
    /// Proposes a session, or a weekly series of `occurrences` sessions; returns the first.
    pub async fn create_session(
        &self,
        actor: &Actor,
        mut input: SessionInput,
        occurrences: u32,
    ) -> CoreResult<SessionView> {
        if !(1..=MAX_WEEKLY_OCCURRENCES).contains(&occurrences) {
            return Err(CoreError::invalid("weekly_occurrences", "Une série compte de 1 à 52 séances."));
        }
        if input.status == SessionStatus::Cancelled {
            return Err(CoreError::invalid("status", "Une nouvelle séance est publiée ou en brouillon."));
        }
        if let Actor::Staff { user_id, .. } = actor
            && input.facilitator_ids.is_empty()
        {
            input.facilitator_ids.push(*user_id);
        }
        input.validate().map_err(CoreError::Invalid)?;
        if !actor.may_create_session(input.organiser_structure_id) {
            return Err(CoreError::Forbidden);
        }
        let mut tx = self.store.write(self.clock.now()).await?;
        check_references(&mut tx, &input).await?;
        let at = to_ts(tx.at);
        let series_id = match occurrences {
            1 => None,
            n => Some(stored::insert_series(&mut tx, n, at).await?),
        };
        let created_by = match actor {
            Actor::Staff { user_id, .. } => Some(*user_id),
            _ => None,
        };
        let origin = Origin { series_id, created_by, at };
        let mut first = None;
        for week in 0..i64::from(occurrences) {
            let occurrence = moved(&input, chrono::Duration::weeks(week));
            // A series may run past the last year a session may fall in.
            occurrence.validate().map_err(CoreError::Invalid)?;
            let id = stored::insert(&mut tx, &occurrence, &origin).await?;
            Entry::new(actor, AuditAction::SessionCreated)
                .session(id)
                .details(occurrence.title.clone())
                .write(&mut tx)
                .await?;
            first.get_or_insert(id);
        }
        let first = first.expect("at least one occurrence");
        let session = stored::load_one(&mut tx, first).await?.expect("just stored");
        tx.commit().await?;
        Ok(view(&session))
    }
}

/// The session moved by `delta` on the Paris wall clock (a week later, a day earlier, an hour
/// later): its times stay the same local times whatever the daylight-saving changes between.
pub(super) fn moved(input: &SessionInput, delta: chrono::Duration) -> SessionInput {
    let shift = |t: DateTime<Utc>| same_paris_time_later(t, delta);
    SessionInput {
        starts_at: shift(input.starts_at),
        ends_at: shift(input.ends_at),
        reserved_until: input.reserved_until.map(shift),
        enrolment_opens_at: input.enrolment_opens_at.map(shift),
        enrolment_closes_at: input.enrolment_closes_at.map(shift),
        cancellation_deadline: input.cancellation_deadline.map(shift),
        ..input.clone()
    }
}

/// The wall-clock time `delta` later in Paris, so a weekly 9:00 stays at 9:00 across a
/// daylight-saving change.
pub(super) fn same_paris_time_later(at: DateTime<Utc>, delta: chrono::Duration) -> DateTime<Utc> {
    use chrono::TimeZone;
    let local = at.with_timezone(&chrono_tz::Europe::Paris).naive_local() + delta;
    chrono_tz::Europe::Paris
        .from_local_datetime(&local)
        .earliest()
        // A wall time skipped by the spring change does not exist: keep the UTC step instead.
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(at + delta)
}

/// Rejects ids that point nowhere with a 422 on their field, not a foreign-key failure.
pub(super) async fn check_references(conn: &mut AnyConnection, input: &SessionInput) -> CoreResult<()> {
    let mut structures = vec![("organiser_structure_id", input.organiser_structure_id)];
    if let Audience::Structures { structure_ids } = &input.audience {
        structures.extend(structure_ids.iter().map(|id| ("audience", *id)));
    }
    structures.extend(input.reserved_seats.iter().map(|reserved| ("reserved_seats", reserved.structure_id)));
    for (field, id) in structures {
        if structures::one(conn, id).await?.is_none() {
            return Err(CoreError::invalid(field, "Cette structure n'existe pas."));
        }
    }
    for id in &input.facilitator_ids {
        if staff::one(conn, *id).await?.is_none_or(|user| user.active == 0) {
            return Err(CoreError::invalid("facilitator_ids", "Cet·te animateur·rice n'existe pas."));
        }
    }
    if let Some(Location::Site { site_id }) = &input.location
        && !structures::site_exists(conn, *site_id).await?
    {
        return Err(CoreError::invalid("location", "Ce lieu n'existe pas."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_weekly_series_keeps_its_paris_time_across_the_clock_change() {
        // Tuesday 24 March 2026, 9:00 in Paris (UTC+1); a week later Paris is UTC+2.
        let first = Utc.with_ymd_and_hms(2026, 3, 24, 8, 0, 0).unwrap();
        let next = same_paris_time_later(first, chrono::Duration::weeks(1));
        assert_eq!(next, Utc.with_ymd_and_hms(2026, 3, 31, 7, 0, 0).unwrap());
        assert_eq!(super::super::super::views::paris(next).format("%H:%M").to_string(), "09:00");
    }
}
