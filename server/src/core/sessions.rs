//! Sessions: reading them with their fill, proposing, changing and cancelling them.

use super::audit::{self, Entry};
use super::enrolment::promote_waiting;
use super::time::{from_ts, now, opt_from_ts, paris, same_paris_time_weeks_later, to_ts};
use super::views::{LocationView, ReservationView, SessionView};
use super::{Core, CoreError, CoreResult};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, Row};
use std::collections::HashMap;
use toile_shared::authz::{Actor, SessionScope};
use toile_shared::enrolment::{Reservation, SeatState};
use toile_shared::session_input::{Location, ReservedSeats, SessionInput};
use toile_shared::{Audience, SessionId, SessionKind, SessionStatus, StructureId, WorkshopTheme};

/// Which sessions to list.
#[derive(Clone, Debug, Default)]
pub struct SessionFilter {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Sessions organised by this structure or open to it.
    pub structure_id: Option<StructureId>,
}

/// A partial change: absent fields stay as they are; `Some(None)` clears an optional field.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionPatch {
    pub title: Option<String>,
    #[schema(value_type = Option<String>)]
    pub kind: Option<SessionKind>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>)]
    pub theme: Option<Option<WorkshopTheme>>,
    pub description: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub capacity: Option<u32>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<Object>)]
    pub location: Option<Option<Location>>,
    #[schema(value_type = Option<Object>)]
    pub audience: Option<Audience>,
    #[schema(value_type = Option<Vec<Object>>)]
    pub reserved_seats: Option<Vec<ReservedSeats>>,
    #[serde(default, deserialize_with = "some")]
    pub reserved_until: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "some")]
    pub enrolment_opens_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "some")]
    pub enrolment_closes_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "some")]
    pub cancellation_deadline: Option<Option<DateTime<Utc>>>,
    pub facilitator_ids: Option<Vec<i64>>,
    #[serde(default, deserialize_with = "some")]
    pub company_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    pub speaker: Option<Option<String>>,
    /// `draft` or `published`; cancelling has its own action.
    #[schema(value_type = Option<String>)]
    pub status: Option<SessionStatus>,
}

/// A present JSON field, even `null`, becomes `Some(..)`.
fn some<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub(super) struct SessionRow {
    pub id: i64,
    pub series_id: Option<i64>,
    pub kind: String,
    pub theme: Option<String>,
    pub title: String,
    pub description: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub location_kind: Option<String>,
    pub site_id: Option<i64>,
    pub location_text: Option<String>,
    pub site_label: Option<String>,
    pub capacity: i64,
    pub seats_taken: i64,
    pub organiser_structure_id: i64,
    pub company_name: Option<String>,
    pub speaker: Option<String>,
    pub audience_all: i64,
    pub reserved_until: Option<i64>,
    pub enrolment_opens_at: Option<i64>,
    pub enrolment_closes_at: Option<i64>,
    pub cancellation_deadline: Option<i64>,
    pub status: String,
    pub sequence: i64,
    pub updated_at: i64,
}

const SESSION_SELECT: &str = "SELECT s.id, s.series_id, s.kind, s.theme, s.title, s.description,
    s.starts_at, s.ends_at, s.location_kind, s.site_id, s.location_text,
    si.name || ', ' || si.address || ', ' || si.postcode || ' ' || si.city AS site_label,
    s.capacity, s.seats_taken, s.organiser_structure_id, s.company_name, s.speaker,
    s.audience_all, s.reserved_until, s.enrolment_opens_at, s.enrolment_closes_at,
    s.cancellation_deadline, s.status, s.sequence, s.updated_at
    FROM sessions s LEFT JOIN sites si ON si.id = s.site_id";

/// A session with everything the rules and the views need.
#[derive(Clone, Debug)]
pub(super) struct LoadedSession {
    pub row: SessionRow,
    pub facilitators: Vec<i64>,
    pub audience: Vec<i64>,
    /// (structure, seats reserved, confirmed in those seats)
    pub reservations: Vec<(i64, u32, u32)>,
    pub open_taken: u32,
    pub waitlist_count: u32,
}

impl LoadedSession {
    pub fn status(&self) -> SessionStatus {
        SessionStatus::parse(&self.row.status).unwrap_or(SessionStatus::Draft)
    }

    pub fn audience(&self) -> Audience {
        if self.row.audience_all != 0 { Audience::all() } else { Audience::only(self.audience.clone()) }
    }

    pub fn scope(&self) -> SessionScope<'_> {
        SessionScope { organiser_structure_id: self.row.organiser_structure_id, facilitator_ids: &self.facilitators }
    }

    pub fn seat_state(&self) -> SeatState {
        SeatState {
            status: self.status(),
            starts_at: from_ts(self.row.starts_at),
            enrolment_opens_at: opt_from_ts(self.row.enrolment_opens_at),
            enrolment_closes_at: opt_from_ts(self.row.enrolment_closes_at),
            capacity: self.row.capacity as u32,
            audience: self.audience(),
            reservations: self
                .reservations
                .iter()
                .map(|(structure_id, seats, taken)| Reservation {
                    structure_id: *structure_id,
                    seats: *seats,
                    taken: *taken,
                })
                .collect(),
            reserved_until: opt_from_ts(self.row.reserved_until),
            open_taken: self.open_taken,
        }
    }

    pub fn location(&self) -> Option<Location> {
        match self.row.location_kind.as_deref() {
            Some("site") => self.row.site_id.map(|site_id| Location::Site { site_id }),
            Some("address") => Some(Location::Address { address: self.row.location_text.clone().unwrap_or_default() }),
            Some("video") => Some(Location::Video { video_url: self.row.location_text.clone().unwrap_or_default() }),
            _ => None,
        }
    }

    /// The place in words: the site's full address, the address typed, or the link.
    pub fn location_text(&self) -> Option<String> {
        match self.row.location_kind.as_deref() {
            Some("site") => self.row.site_label.clone(),
            Some(_) => self.row.location_text.clone(),
            None => None,
        }
    }

    pub fn input(&self) -> SessionInput {
        SessionInput {
            title: self.row.title.clone(),
            kind: SessionKind::parse(&self.row.kind).unwrap_or(SessionKind::Other),
            theme: self.row.theme.as_deref().and_then(WorkshopTheme::parse),
            description: self.row.description.clone(),
            starts_at: from_ts(self.row.starts_at),
            ends_at: from_ts(self.row.ends_at),
            capacity: self.row.capacity as u32,
            organiser_structure_id: self.row.organiser_structure_id,
            location: self.location(),
            audience: self.audience(),
            reserved_seats: self
                .reservations
                .iter()
                .map(|(structure_id, seats, _)| ReservedSeats { structure_id: *structure_id, seats: *seats })
                .collect(),
            reserved_until: opt_from_ts(self.row.reserved_until),
            enrolment_opens_at: opt_from_ts(self.row.enrolment_opens_at),
            enrolment_closes_at: opt_from_ts(self.row.enrolment_closes_at),
            cancellation_deadline: opt_from_ts(self.row.cancellation_deadline),
            facilitator_ids: self.facilitators.clone(),
            company_name: self.row.company_name.clone(),
            speaker: self.row.speaker.clone(),
            status: self.status(),
        }
    }

    pub fn view(&self) -> SessionView {
        let row = &self.row;
        SessionView {
            id: row.id,
            series_id: row.series_id,
            title: row.title.clone(),
            kind: row.kind.clone(),
            theme: row.theme.clone(),
            description: row.description.clone(),
            starts_at: paris(from_ts(row.starts_at)),
            ends_at: paris(from_ts(row.ends_at)),
            capacity: row.capacity as u32,
            seats_taken: row.seats_taken as u32,
            waitlist_count: self.waitlist_count,
            status: row.status.clone(),
            organiser_structure_id: row.organiser_structure_id,
            location: row.location_kind.clone().map(|kind| LocationView {
                kind,
                site_id: row.site_id,
                text: self.location_text().unwrap_or_default(),
            }),
            audience: self.audience(),
            reserved_seats: self
                .reservations
                .iter()
                .map(|(structure_id, seats, taken)| ReservationView {
                    structure_id: *structure_id,
                    seats: *seats,
                    taken: *taken,
                })
                .collect(),
            reserved_until: row.reserved_until.map(|t| paris(from_ts(t))),
            enrolment_opens_at: row.enrolment_opens_at.map(|t| paris(from_ts(t))),
            enrolment_closes_at: row.enrolment_closes_at.map(|t| paris(from_ts(t))),
            cancellation_deadline: row.cancellation_deadline.map(|t| paris(from_ts(t))),
            facilitator_ids: self.facilitators.clone(),
            company_name: row.company_name.clone(),
            speaker: row.speaker.clone(),
            sequence: row.sequence,
            updated_at: paris(from_ts(row.updated_at)),
        }
    }
}

/// Loads sessions matching `condition` (SQL over `s`, with `$1`.. bound from `binds`), with
/// their facilitators, audience, reservations and counts, in three more queries in all.
pub(super) async fn load_sessions(
    conn: &mut AnyConnection,
    condition: &str,
    binds: &[i64],
) -> Result<Vec<LoadedSession>, sqlx::Error> {
    let sql = format!("{SESSION_SELECT} WHERE {condition} ORDER BY s.starts_at, s.id");
    let mut query = sqlx::query_as::<_, SessionRow>(&sql);
    for bind in binds {
        query = query.bind(*bind);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    if rows.is_empty() {
        return Ok(vec![]);
    }
    // Ids are integers we just read: safe to inline, and it keeps one query per table.
    let ids = rows.iter().map(|r| r.id.to_string()).collect::<Vec<_>>().join(",");
    let mut sessions: Vec<LoadedSession> = rows
        .into_iter()
        .map(|row| LoadedSession {
            row,
            facilitators: vec![],
            audience: vec![],
            reservations: vec![],
            open_taken: 0,
            waitlist_count: 0,
        })
        .collect();
    let index: HashMap<i64, usize> = sessions.iter().enumerate().map(|(i, s)| (s.row.id, i)).collect();

    let pairs: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT session_id, user_id FROM session_facilitators WHERE session_id IN ({ids}) ORDER BY user_id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    for (session, user) in pairs {
        sessions[index[&session]].facilitators.push(user);
    }
    let pairs: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT session_id, structure_id FROM session_audience WHERE session_id IN ({ids}) ORDER BY structure_id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    for (session, structure) in pairs {
        sessions[index[&session]].audience.push(structure);
    }
    let triples: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT session_id, structure_id, seats FROM session_reservations WHERE session_id IN ({ids}) ORDER BY structure_id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    for (session, structure, seats) in triples {
        sessions[index[&session]].reservations.push((structure, seats as u32, 0));
    }
    let counts: Vec<(i64, String, Option<i64>, i64)> = sqlx::query_as(&format!(
        "SELECT session_id, status, seat_pool_structure_id, COUNT(*) FROM enrolments
         WHERE session_id IN ({ids}) AND status IN ('confirmed', 'waitlisted')
         GROUP BY session_id, status, seat_pool_structure_id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    for (session, status, pool, count) in counts {
        let session = &mut sessions[index[&session]];
        let count = count as u32;
        match (status.as_str(), pool) {
            ("waitlisted", _) => session.waitlist_count += count,
            (_, None) => session.open_taken += count,
            (_, Some(structure)) => match session.reservations.iter_mut().find(|r| r.0 == structure) {
                Some(reservation) => reservation.2 += count,
                // A reservation since removed: its seats count as open ones.
                None => session.open_taken += count,
            },
        }
    }
    Ok(sessions)
}

pub(super) async fn load_session(conn: &mut AnyConnection, id: SessionId) -> CoreResult<LoadedSession> {
    load_sessions(conn, "s.id = $1", &[id]).await?.pop().ok_or(CoreError::NotFound("Séance"))
}

/// Takes the session's row lock for the rest of the transaction (and, on SQLite, the database
/// write lock), so that concurrent enrolments decide one after the other on fresh counts.
/// Returns the session's new queue tick, which orders the waiting list.
pub(super) async fn lock_session(conn: &mut AnyConnection, id: SessionId) -> CoreResult<i64> {
    let tick: Option<i64> =
        sqlx::query_scalar("UPDATE sessions SET queue_tick = queue_tick + 1 WHERE id = $1 RETURNING queue_tick")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    tick.ok_or(CoreError::NotFound("Séance"))
}

const FAR_FUTURE: i64 = 32_503_680_000; // year 3000

impl Core {
    /// Sessions the actor may see, soonest first.
    pub async fn list_sessions(&self, actor: &Actor, filter: &SessionFilter) -> CoreResult<Vec<SessionView>> {
        let from = filter.from.map(to_ts).unwrap_or(i64::MIN / 2);
        let to = filter.to.map(to_ts).unwrap_or(FAR_FUTURE);
        let structure = filter.structure_id.unwrap_or(0);
        let mut conn = self.db.pool.acquire().await?;
        let sessions = load_sessions(
            &mut conn,
            "s.starts_at >= $1 AND s.starts_at < $2 AND ($3 = 0 OR s.organiser_structure_id = $3
             OR s.audience_all = 1 OR s.id IN (SELECT session_id FROM session_audience WHERE structure_id = $3))",
            &[from, to, structure],
        )
        .await?;
        Ok(sessions.iter().filter(|s| self.may_see(actor, s)).map(LoadedSession::view).collect())
    }

    pub async fn session(&self, actor: &Actor, id: SessionId) -> CoreResult<SessionView> {
        let mut conn = self.db.pool.acquire().await?;
        let session = load_session(&mut conn, id).await?;
        if !self.may_see(actor, &session) {
            return Err(CoreError::NotFound("Séance"));
        }
        Ok(session.view())
    }

    pub(super) fn may_see(&self, actor: &Actor, session: &LoadedSession) -> bool {
        match (session.status(), actor) {
            (SessionStatus::Draft, _) => actor.may_see_draft(&session.scope()),
            (_, Actor::Staff { .. }) => true,
            (_, Actor::Participant { structure_id, .. }) => session.audience().includes(*structure_id),
        }
    }

    /// Proposes a session, or a weekly series of `occurrences` sessions; returns the first.
    pub async fn create_session(
        &self,
        actor: &Actor,
        mut input: SessionInput,
        occurrences: u32,
    ) -> CoreResult<SessionView> {
        if !(1..=52).contains(&occurrences) {
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
        self.check_references(&input).await?;
        let created_by = match actor {
            Actor::Staff { user_id, .. } => Some(*user_id),
            Actor::Participant { .. } => None,
        };
        let mut tx = self.db.begin_write().await?;
        let at = to_ts(now());
        let series_id: Option<i64> = if occurrences > 1 {
            Some(
                sqlx::query_scalar("INSERT INTO series (occurrences, created_at) VALUES ($1, $2) RETURNING id")
                    .bind(i64::from(occurrences))
                    .bind(at)
                    .fetch_one(&mut *tx)
                    .await?,
            )
        } else {
            None
        };
        let mut first = None;
        for week in 0..i64::from(occurrences) {
            let shift = |t: DateTime<Utc>| same_paris_time_weeks_later(t, week);
            let occurrence = SessionInput {
                starts_at: shift(input.starts_at),
                ends_at: shift(input.ends_at),
                reserved_until: input.reserved_until.map(shift),
                enrolment_opens_at: input.enrolment_opens_at.map(shift),
                enrolment_closes_at: input.enrolment_closes_at.map(shift),
                cancellation_deadline: input.cancellation_deadline.map(shift),
                ..input.clone()
            };
            let sql = format!(
                "INSERT INTO sessions ({}, organiser_structure_id, series_id, created_by, created_at, updated_at)
                 VALUES ({}, ${n1}, ${n2}, ${n3}, ${n4}, ${n4}) RETURNING id",
                EDITABLE_COLUMNS.join(", "),
                (1..=EDITABLE_COLUMNS.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", "),
                n1 = EDITABLE_COLUMNS.len() + 1,
                n2 = EDITABLE_COLUMNS.len() + 2,
                n3 = EDITABLE_COLUMNS.len() + 3,
                n4 = EDITABLE_COLUMNS.len() + 4,
            );
            let id: i64 = bind_editable(sqlx::query(&sql), &occurrence)
                .bind(occurrence.organiser_structure_id)
                .bind(series_id)
                .bind(created_by)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
            write_relations(&mut tx, id, &occurrence).await?;
            audit::record(
                &mut tx,
                Entry {
                    actor: Some(actor),
                    action: "session_created",
                    session_id: Some(id),
                    participant_id: None,
                    details: occurrence.title.clone(),
                },
            )
            .await?;
            first.get_or_insert(id);
        }
        let first = first.expect("at least one occurrence");
        let view = load_session(&mut tx, first).await?.view();
        tx.commit().await?;
        Ok(view)
    }

    /// Rejects ids that point nowhere with a 422, not a foreign-key failure.
    async fn check_references(&self, input: &SessionInput) -> CoreResult<()> {
        self.require_structure(input.organiser_structure_id, "organiser_structure_id").await?;
        if let Audience::Structures { structure_ids } = &input.audience {
            for id in structure_ids {
                self.require_structure(*id, "audience").await?;
            }
        }
        for id in &input.facilitator_ids {
            let found: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND active = 1")
                .bind(id)
                .fetch_optional(&self.db.pool)
                .await?;
            if found.is_none() {
                return Err(CoreError::invalid("facilitator_ids", "Cet·te animateur·rice n'existe pas."));
            }
        }
        if let Some(Location::Site { site_id }) = &input.location {
            let found: Option<i64> = sqlx::query_scalar("SELECT id FROM sites WHERE id = $1")
                .bind(site_id)
                .fetch_optional(&self.db.pool)
                .await?;
            if found.is_none() {
                return Err(CoreError::invalid("location", "Ce lieu n'existe pas."));
            }
        }
        Ok(())
    }

    pub async fn update_session(&self, actor: &Actor, id: SessionId, patch: SessionPatch) -> CoreResult<SessionView> {
        let mut tx = self.db.begin_write().await?;
        lock_session(&mut tx, id).await?;
        let current = load_session(&mut tx, id).await?;
        if !self.may_see(actor, &current) {
            return Err(CoreError::NotFound("Séance"));
        }
        if !actor.may_manage_session(&current.scope()) {
            return Err(CoreError::Forbidden);
        }
        if current.status() == SessionStatus::Cancelled {
            return Err(CoreError::conflict(
                "session_cancelled",
                "Cette séance est annulée : elle ne peut plus être modifiée.",
            ));
        }
        if patch.status == Some(SessionStatus::Cancelled) {
            return Err(CoreError::invalid("status", "Pour annuler une séance, utilisez l'action d'annulation."));
        }
        let before = current.input();
        let after = apply(before.clone(), patch);
        after.validate().map_err(CoreError::Invalid)?;
        if after.organiser_structure_id != before.organiser_structure_id {
            return Err(CoreError::invalid("organiser_structure_id", "La structure organisatrice ne change pas."));
        }
        self.check_references(&after).await?;
        let taken = current.row.seats_taken as u32;
        if after.capacity < taken {
            return Err(CoreError::conflict(
                "capacity_below_taken",
                format!("{taken} personnes sont déjà inscrites : la capacité ne peut pas descendre en dessous."),
            ));
        }
        for (structure, _, held) in &current.reservations {
            let seats = after.reserved_seats.iter().find(|r| r.structure_id == *structure).map_or(0, |r| r.seats);
            if *held > seats && after.reserved_seats.iter().any(|r| r.structure_id == *structure) {
                return Err(CoreError::conflict(
                    "reserved_below_taken",
                    "Des places réservées sont déjà prises : réduisez moins.",
                ));
            }
        }
        let bump = before.starts_at != after.starts_at
            || before.ends_at != after.ends_at
            || before.location != after.location
            || before.status != after.status;
        let n = EDITABLE_COLUMNS.len();
        let sql = format!(
            "UPDATE sessions SET {}, sequence = sequence + ${}, updated_at = ${} WHERE id = ${}",
            EDITABLE_COLUMNS
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ${}", i + 1))
                .collect::<Vec<_>>()
                .join(", "),
            n + 1,
            n + 2,
            n + 3,
        );
        bind_editable(sqlx::query(&sql), &after)
            .bind(i64::from(bump))
            .bind(to_ts(now()))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for table in ["session_facilitators", "session_audience", "session_reservations"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE session_id = $1")).bind(id).execute(&mut *tx).await?;
        }
        write_relations(&mut tx, id, &after).await?;
        // Seats held in a reservation that no longer exists become open seats.
        let kept = after.reserved_seats.iter().map(|r| r.structure_id.to_string()).collect::<Vec<_>>().join(",");
        let kept = if kept.is_empty() { "0".to_string() } else { kept };
        sqlx::query(&format!(
            "UPDATE enrolments SET seat_pool_structure_id = NULL WHERE session_id = $1
             AND seat_pool_structure_id IS NOT NULL AND seat_pool_structure_id NOT IN ({kept})"
        ))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            Entry {
                actor: Some(actor),
                action: "session_updated",
                session_id: Some(id),
                participant_id: None,
                details: String::new(),
            },
        )
        .await?;
        // More seats, a wider audience or released reservations may let people in.
        promote_waiting(&mut tx, id, Some(actor)).await?;
        let view = load_session(&mut tx, id).await?.view();
        tx.commit().await?;
        Ok(view)
    }

    pub async fn cancel_session(&self, actor: &Actor, id: SessionId) -> CoreResult<SessionView> {
        let mut tx = self.db.begin_write().await?;
        lock_session(&mut tx, id).await?;
        let current = load_session(&mut tx, id).await?;
        if !self.may_see(actor, &current) {
            return Err(CoreError::NotFound("Séance"));
        }
        if !actor.may_manage_session(&current.scope()) {
            return Err(CoreError::Forbidden);
        }
        if current.status() != SessionStatus::Cancelled {
            sqlx::query(
                "UPDATE sessions SET status = 'cancelled', sequence = sequence + 1, updated_at = $2 WHERE id = $1",
            )
            .bind(id)
            .bind(to_ts(now()))
            .execute(&mut *tx)
            .await?;
            audit::record(
                &mut tx,
                Entry {
                    actor: Some(actor),
                    action: "session_cancelled",
                    session_id: Some(id),
                    participant_id: None,
                    details: String::new(),
                },
            )
            .await?;
        }
        let view = load_session(&mut tx, id).await?.view();
        tx.commit().await?;
        Ok(view)
    }
}

/// The columns a proposal sets and a change may rewrite, bound by `bind_editable` in order.
const EDITABLE_COLUMNS: [&str; 19] = [
    "kind",
    "theme",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "location_kind",
    "site_id",
    "location_text",
    "capacity",
    "company_name",
    "speaker",
    "audience_all",
    "reserved_until",
    "enrolment_opens_at",
    "enrolment_closes_at",
    "cancellation_deadline",
    "status",
    "reserved_total",
];

fn bind_editable<'q>(
    query: Query<'q, Any, AnyArguments<'q>>,
    input: &'q SessionInput,
) -> Query<'q, Any, AnyArguments<'q>> {
    query
        .bind(input.kind.code())
        .bind(input.theme.map(|t| t.code()))
        .bind(input.title.trim())
        .bind(input.description.trim())
        .bind(to_ts(input.starts_at))
        .bind(to_ts(input.ends_at))
        .bind(location_kind(&input.location))
        .bind(location_site(&input.location))
        .bind(location_text(&input.location))
        .bind(i64::from(input.capacity))
        .bind(trimmed(&input.company_name))
        .bind(trimmed(&input.speaker))
        .bind(i64::from(input.audience.is_everyone()))
        .bind(input.reserved_until.map(to_ts))
        .bind(input.enrolment_opens_at.map(to_ts))
        .bind(input.enrolment_closes_at.map(to_ts))
        .bind(input.cancellation_deadline.map(to_ts))
        .bind(input.status.code())
        .bind(reserved_total(input))
}

fn apply(mut input: SessionInput, patch: SessionPatch) -> SessionInput {
    macro_rules! set {
        ($($field:ident),+) => { $(if let Some(value) = patch.$field { input.$field = value; })+ };
    }
    set!(title, kind, theme, description, starts_at, ends_at, capacity, location, audience, reserved_seats);
    set!(reserved_until, enrolment_opens_at, enrolment_closes_at, cancellation_deadline, facilitator_ids);
    set!(company_name, speaker, status);
    input
}

async fn write_relations(conn: &mut AnyConnection, id: SessionId, input: &SessionInput) -> Result<(), sqlx::Error> {
    for user in dedup(&input.facilitator_ids) {
        sqlx::query("INSERT INTO session_facilitators (session_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(user)
            .execute(&mut *conn)
            .await?;
    }
    if let Audience::Structures { structure_ids } = &input.audience {
        for structure in dedup(structure_ids) {
            sqlx::query("INSERT INTO session_audience (session_id, structure_id) VALUES ($1, $2)")
                .bind(id)
                .bind(structure)
                .execute(&mut *conn)
                .await?;
        }
    }
    for reservation in &input.reserved_seats {
        sqlx::query("INSERT INTO session_reservations (session_id, structure_id, seats) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(reservation.structure_id)
            .bind(i64::from(reservation.seats))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

fn reserved_total(input: &SessionInput) -> i64 {
    input.reserved_seats.iter().map(|r| i64::from(r.seats)).sum()
}

fn dedup(ids: &[i64]) -> Vec<i64> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn trimmed(text: &Option<String>) -> Option<String> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(String::from)
}

fn location_kind(location: &Option<Location>) -> Option<&'static str> {
    location.as_ref().map(|l| match l {
        Location::Site { .. } => "site",
        Location::Address { .. } => "address",
        Location::Video { .. } => "video",
    })
}

fn location_site(location: &Option<Location>) -> Option<i64> {
    match location {
        Some(Location::Site { site_id }) => Some(*site_id),
        _ => None,
    }
}

fn location_text(location: &Option<Location>) -> Option<String> {
    match location {
        Some(Location::Address { address }) => Some(address.trim().to_string()),
        Some(Location::Video { video_url }) => Some(video_url.trim().to_string()),
        _ => None,
    }
}
