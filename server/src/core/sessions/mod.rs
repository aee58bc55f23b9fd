//! Sessions: reading them with their fill (here), proposing them (`propose`), changing them
//! (`change`) and cancelling them (`cancel`).

mod cancel;
mod change;
mod duplicate;
mod edit;
mod overview;
mod patch;
mod programme;
mod propose;

pub use cancel::MAX_REASON_CHARS;
pub use change::SeriesScope;
pub use edit::{Edit, EditedMeanwhile, SessionField, changed_fields};
pub use overview::{Change, Occurrence, ReservedFor, SessionOverview, StaffMember};
pub use patch::SessionPatch;
pub use programme::{ProgrammeEntry, ProgrammeFilter, StaffHome};

use super::store::seats::{self, Seats};
use super::store::sessions::{self as stored, LoadedSession};
use super::store::{WriteTx, from_ts, to_ts};
use super::views::{LocationView, ReservationView, SessionView, paris};
use super::{Core, CoreError, CoreResult};
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;
use toile_shared::authz::{Actor, SessionScope};
use toile_shared::{SessionId, SessionStatus, StructureId};

/// Which sessions to list.
#[derive(Clone, Debug, Default)]
pub struct SessionFilter {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Sessions organised by this structure or open to it.
    pub structure_id: Option<StructureId>,
}

impl SessionFilter {
    fn listed(&self, after: Option<SessionCursor>) -> stored::Listed {
        stored::Listed {
            from: self.from.map(to_ts).unwrap_or(i64::MIN / 2),
            to: self.to.map(to_ts).unwrap_or(FAR_FUTURE),
            structure: self.structure_id,
            after: after.map(|after| (after.starts_at, after.id)),
        }
    }
}

/// Where a page of sessions starts: after this one, in the list's order (start, then id).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionCursor {
    pub starts_at: i64,
    pub id: SessionId,
}

impl SessionCursor {
    /// `1767225600_42`, as the `after` parameter carries it.
    pub fn parse(text: &str) -> Option<SessionCursor> {
        let (starts_at, id) = text.split_once('_')?;
        Some(SessionCursor { starts_at: starts_at.parse().ok()?, id: id.parse().ok()? })
    }
}

impl std::fmt::Display for SessionCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}_{}", self.starts_at, self.id)
    }
}

pub(super) fn scope(session: &LoadedSession) -> SessionScope<'_> {
    SessionScope {
        organiser_structure_id: session.seats.row.organiser_structure_id,
        facilitator_ids: &session.facilitators,
    }
}

/// Staff see every published or cancelled session and the drafts they could manage;
/// participants see what is open to their structure.
pub(super) fn may_see(actor: &Actor, session: &LoadedSession) -> bool {
    match (session.seats.row.status, actor) {
        (SessionStatus::Draft, _) => actor.may_see_draft(&scope(session)),
        (_, Actor::Participant { structure_id, .. }) => session.seats.audience().includes(*structure_id),
        (_, Actor::Staff { .. } | Actor::Operator) => true,
    }
}

/// Staff, or the command line acting as the operator: who reads the staff's side (the programme,
/// a session's page and its roster, what the forms offer). Participants are refused.
pub(super) fn staff_only(actor: &Actor) -> CoreResult<()> {
    match actor {
        Actor::Staff { .. } | Actor::Operator => Ok(()),
        Actor::Participant { .. } => Err(CoreError::Forbidden),
    }
}

/// The session if `actor` may see it; an unknown session and one they may not see look alike.
pub(super) async fn visible(conn: &mut AnyConnection, actor: &Actor, id: SessionId) -> CoreResult<LoadedSession> {
    match stored::load_one(conn, id).await? {
        Some(session) if may_see(actor, &session) => Ok(session),
        _ => Err(CoreError::NotFound("Séance")),
    }
}

pub(super) fn view(session: &LoadedSession) -> SessionView {
    let row = &session.row;
    let seats = &session.seats.row;
    let state = session.seats.state();
    SessionView {
        id: seats.id,
        series_id: row.series_id,
        title: row.title.clone(),
        kind: row.kind,
        theme: row.theme,
        description: row.description.clone(),
        starts_at: paris(from_ts(seats.starts_at)),
        ends_at: paris(from_ts(seats.ends_at)),
        capacity: state.capacity,
        seats_taken: state.seated,
        waitlist_count: session.waitlist_count,
        status: seats.status,
        organiser_structure_id: seats.organiser_structure_id,
        location: session.place_kind().map(|kind| LocationView {
            kind,
            site_id: row.site_id,
            text: session.place().unwrap_or_default(),
        }),
        audience: session.seats.audience(),
        reserved_seats: state
            .reservations
            .iter()
            .map(|r| ReservationView { structure_id: r.structure_id, seats: r.seats, taken: state.reserved_taken(r) })
            .collect(),
        reserved_until: seats.reserved_until.map(|t| paris(from_ts(t))),
        enrolment_opens_at: seats.enrolment_opens_at.map(|t| paris(from_ts(t))),
        enrolment_closes_at: seats.enrolment_closes_at.map(|t| paris(from_ts(t))),
        cancellation_deadline: seats.cancellation_deadline.map(|t| paris(from_ts(t))),
        facilitator_ids: session.facilitators.clone(),
        company_name: row.company_name.clone(),
        speaker: row.speaker.clone(),
        sequence: row.sequence,
        version: row.version,
        updated_at: paris(from_ts(row.updated_at)),
        cancel_reason: row.cancel_reason.clone(),
    }
}

/// Far enough: no session starts in the year 3000.
const FAR_FUTURE: i64 = 32_503_680_000;

impl Core {
    /// A write transaction holding the session's lock (see `store::seats`), once `actor` is known
    /// to be allowed there what `allowed` says. Returns it with the session's new queue tick
    /// and its seats.
    pub(in crate::core) async fn lock_for(
        &self,
        actor: &Actor,
        id: SessionId,
        allowed: fn(&Actor, &SessionScope) -> bool,
    ) -> CoreResult<(WriteTx, i64, Seats)> {
        let mut tx = self.store.write(self.clock.now()).await?;
        let (queue_tick, seats) = seats::lock(&mut tx, id).await?.ok_or(CoreError::NotFound("Séance"))?;
        let session = visible(&mut tx, actor, id).await?;
        if !allowed(actor, &scope(&session)) {
            return Err(CoreError::Forbidden);
        }
        Ok((tx, queue_tick, seats))
    }

    /// Sessions the actor may see, soonest first.
    pub async fn list_sessions(&self, actor: &Actor, filter: &SessionFilter) -> CoreResult<Vec<SessionView>> {
        let mut conn = self.store.read().await?;
        let sessions = stored::list(&mut conn, &filter.listed(None), None).await?;
        Ok(sessions.iter().filter(|s| may_see(actor, s)).map(view).collect())
    }

    /// One page of that list: at most `limit` sessions (up to `MAX_PAGE_SIZE`) after
    /// `after`, and where the next page starts when there may be more. A page can hold fewer
    /// sessions than asked (some are not for the actor's eyes) and still have a next one.
    pub async fn sessions_page(
        &self,
        actor: &Actor,
        filter: &SessionFilter,
        after: Option<SessionCursor>,
        limit: u32,
    ) -> CoreResult<(Vec<SessionView>, Option<SessionCursor>)> {
        let limit = limit.clamp(1, super::MAX_PAGE_SIZE) as usize;
        let mut conn = self.store.read().await?;
        let mut sessions = stored::list(&mut conn, &filter.listed(after), Some(limit as i64 + 1)).await?;
        let more = sessions.len() > limit;
        sessions.truncate(limit);
        let next = sessions
            .last()
            .filter(|_| more)
            .map(|last| SessionCursor { starts_at: last.row.seats.starts_at, id: last.id() });
        Ok((sessions.iter().filter(|s| may_see(actor, s)).map(view).collect(), next))
    }

    /// One session, if the actor may see it.
    pub async fn session(&self, actor: &Actor, id: SessionId) -> CoreResult<SessionView> {
        let mut conn = self.store.read().await?;
        Ok(view(&visible(&mut conn, actor, id).await?))
    }
}
