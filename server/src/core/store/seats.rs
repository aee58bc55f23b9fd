//! A session's seats: the one way to read them and the one way to lock them, for enrolment,
//! cancellation, promotion, changes of capacity, the reserved-seat sweep and the participant's
//! page alike.
//!
//! The lock is the session row's: an `UPDATE … RETURNING` that also bumps the queue tick (which
//! orders the waiting list) takes it for the rest of the transaction (on SQLite, the database
//! write lock). Whoever changes a session's enrolments takes it first, then the participant's
//! row, always in that order, so two transactions never wait on each other in a cycle. Enrolments
//! reach the lock through a queue of their process (`Store::write_queued`): on PostgreSQL their
//! place in the session's line is given up as soon as the lock is held.
//!
//! Seats are counted, not assigned: `seats_taken` (kept in step under the lock, and guarded by
//! `seats_taken < capacity`) says how many are taken, and the confirmed enrolments of each
//! structure with reserved seats say how far its guarantee is met.

use super::sql::Sql;
use super::{WriteTx, from_ts, opt_from_ts};
use sqlx::AnyConnection;
use std::collections::HashMap;
use toile_shared::enrolment::{Reservation, SeatState};
use toile_shared::{Audience, SessionId, SessionStatus, StructureId};

/// The session columns the rules read.
pub const SEAT_COLUMNS: &str = "id, status, starts_at, ends_at, enrolment_opens_at, enrolment_closes_at,
    cancellation_deadline, capacity, seats_taken, audience_all, reserved_total, reserved_until,
    organiser_structure_id";

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct SeatRow {
    pub id: SessionId,
    pub status: SessionStatus,
    pub starts_at: i64,
    pub ends_at: i64,
    pub enrolment_opens_at: Option<i64>,
    pub enrolment_closes_at: Option<i64>,
    pub cancellation_deadline: Option<i64>,
    pub capacity: i64,
    pub seats_taken: i64,
    pub audience_all: i64,
    pub reserved_total: i64,
    pub reserved_until: Option<i64>,
    pub organiser_structure_id: StructureId,
}

/// Seats reserved for a structure, and how many of its people hold a seat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReservedCount {
    pub structure_id: StructureId,
    pub seats: u32,
    pub seated: u32,
}

/// A session's seats with what its rules depend on.
#[derive(Clone, Debug)]
pub struct Seats {
    pub row: SeatRow,
    /// The structures that may enrol, when not the whole group.
    pub audience: Vec<StructureId>,
    pub reservations: Vec<ReservedCount>,
}

impl Seats {
    pub fn audience(&self) -> Audience {
        if self.row.audience_all != 0 { Audience::all() } else { Audience::only(self.audience.clone()) }
    }

    pub fn state(&self) -> SeatState {
        let row = &self.row;
        SeatState {
            status: row.status,
            starts_at: from_ts(row.starts_at),
            enrolment_opens_at: opt_from_ts(row.enrolment_opens_at),
            enrolment_closes_at: opt_from_ts(row.enrolment_closes_at),
            capacity: u32::try_from(row.capacity).unwrap_or(0),
            audience: self.audience(),
            reservations: self
                .reservations
                .iter()
                .map(|r| Reservation { structure_id: r.structure_id, seats: r.seats })
                .collect(),
            reserved_until: opt_from_ts(row.reserved_until),
            seated: u32::try_from(row.seats_taken).unwrap_or(0),
            seated_by_structure: self.reservations.iter().map(|r| (r.structure_id, r.seated)).collect(),
        }
    }
}

/// Locks the session for the rest of the transaction and reads its seats. Returns the new
/// queue tick with them, or `None` for an unknown session.
pub async fn lock(tx: &mut WriteTx, id: SessionId) -> Result<Option<(i64, Seats)>, sqlx::Error> {
    let mut sql = Sql::new("UPDATE sessions SET queue_tick = queue_tick + 1 WHERE id = ");
    sql.bind(id).push(" RETURNING queue_tick, ").push(SEAT_COLUMNS);
    let row = sql.query_as::<TickedSeatRow>().fetch_optional(&mut **tx).await?;
    tx.leave_line();
    let Some(row) = row else {
        return Ok(None);
    };
    let seats = load(tx, vec![row.seats]).await?.pop().expect("one row in, one out");
    Ok(Some((row.queue_tick, seats)))
}

#[derive(sqlx::FromRow)]
struct TickedSeatRow {
    queue_tick: i64,
    #[sqlx(flatten)]
    seats: SeatRow,
}

/// The seats of these sessions, in the same order: two more queries at most, and none for a
/// session open to the whole group without reserved seats.
pub async fn load(conn: &mut AnyConnection, rows: Vec<SeatRow>) -> Result<Vec<Seats>, sqlx::Error> {
    let listed: Vec<SessionId> = rows.iter().filter(|r| r.audience_all == 0).map(|r| r.id).collect();
    let reserved: Vec<SessionId> = rows.iter().filter(|r| r.reserved_total > 0).map(|r| r.id).collect();
    let mut audiences: HashMap<SessionId, Vec<StructureId>> = HashMap::new();
    if !listed.is_empty() {
        let mut sql = Sql::new("SELECT session_id, structure_id FROM session_audience WHERE session_id IN ");
        sql.bind_list(listed).push(" ORDER BY structure_id");
        for (session, structure) in sql.query_as::<(i64, i64)>().fetch_all(&mut *conn).await? {
            audiences.entry(session).or_default().push(structure);
        }
    }
    let mut reservations: HashMap<SessionId, Vec<ReservedCount>> = HashMap::new();
    if !reserved.is_empty() {
        let mut sql = Sql::new(
            "SELECT r.session_id, r.structure_id, r.seats,
               (SELECT COUNT(*) FROM enrolments e WHERE e.session_id = r.session_id
                  AND e.status = 'confirmed' AND e.structure_id = r.structure_id)
             FROM session_reservations r WHERE r.session_id IN ",
        );
        sql.bind_list(reserved).push(" ORDER BY r.structure_id");
        for (session, structure_id, seats, seated) in
            sql.query_as::<(i64, i64, i64, i64)>().fetch_all(&mut *conn).await?
        {
            reservations.entry(session).or_default().push(ReservedCount {
                structure_id,
                seats: u32::try_from(seats).unwrap_or(0),
                seated: u32::try_from(seated).unwrap_or(0),
            });
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| Seats {
            audience: audiences.remove(&row.id).unwrap_or_default(),
            reservations: reservations.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect())
}

/// Takes a seat: the guarded UPDATE refuses to go past capacity unless overbooking.
pub async fn take(conn: &mut AnyConnection, session: SessionId, overbook: bool) -> Result<bool, sqlx::Error> {
    let mut sql = Sql::new("UPDATE sessions SET seats_taken = seats_taken + 1 WHERE id = ");
    sql.bind(session);
    if !overbook {
        sql.push(" AND seats_taken < capacity");
    }
    Ok(sql.query().execute(&mut *conn).await?.rows_affected() == 1)
}

/// Gives a seat back.
pub async fn free(conn: &mut AnyConnection, session: SessionId) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET seats_taken = seats_taken - 1 WHERE id = $1")
        .bind(session)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Sessions to come whose reserved seats were released at or before `now`, with a seat free and
/// people waiting: those the reserved-seat sweep looks at.
pub async fn released_with_waiting(conn: &mut AnyConnection, now: i64) -> Result<Vec<SessionId>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT s.id FROM sessions s WHERE s.status = 'published' AND s.starts_at > $1
         AND s.seats_taken < s.capacity AND s.reserved_until IS NOT NULL AND s.reserved_until <= $1
         AND EXISTS (SELECT 1 FROM enrolments e WHERE e.session_id = s.id AND e.status = 'waitlisted')",
    )
    .bind(now)
    .fetch_all(&mut *conn)
    .await
}
