//! Enrolments as stored: one row per (session, participant), whatever its status, so the same
//! enrolment submitted twice is one row (a unique key holds it).

use super::sql::Sql;
use sqlx::{AnyConnection, FromRow, Row};
use toile_shared::{Attendance, EnrolmentStatus, ParticipantId, SessionId, StructureId, UserId};

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct EnrolmentRow {
    pub session_id: SessionId,
    pub participant_id: ParticipantId,
    /// The participant's structure when they enrolled: whose reserved seats they count in.
    pub structure_id: StructureId,
    pub status: EnrolmentStatus,
    /// Orders the waiting list: the session's queue tick when the row was last (re)written.
    pub queue_tick: i64,
    pub enrolled_by_user_id: Option<UserId>,
    pub attendance: Attendance,
    pub overbooked: i64,
    pub created_at: i64,
}

const COLUMNS: &str = "SELECT session_id, participant_id, structure_id, status, queue_tick, enrolled_by_user_id,
    attendance, overbooked, created_at FROM enrolments";

pub async fn find(
    conn: &mut AnyConnection,
    session: SessionId,
    participant: ParticipantId,
) -> Result<Option<EnrolmentRow>, sqlx::Error> {
    let mut sql = Sql::new(COLUMNS);
    sql.push(" WHERE session_id = ").bind(session).push(" AND participant_id = ").bind(participant);
    sql.query_as().fetch_optional(&mut *conn).await
}

/// A session's enrolments in queue order (a page, or all of them), all people or only those of
/// one structure.
pub async fn of_session(
    conn: &mut AnyConnection,
    session: SessionId,
    structure: Option<StructureId>,
    after: Option<EnrolmentCursor>,
    limit: Option<u32>,
) -> Result<Vec<EnrolmentRow>, sqlx::Error> {
    let mut sql = Sql::new(COLUMNS);
    sql.push(" WHERE session_id = ").bind(session);
    if let Some(structure) = structure {
        sql.push(" AND participant_id IN (SELECT id FROM participants WHERE structure_id = ").bind(structure);
        sql.push(")");
    }
    if let Some(EnrolmentCursor { queue_tick, participant_id }) = after {
        sql.push(" AND (queue_tick > ").bind(queue_tick);
        sql.push(" OR (queue_tick = ").bind(queue_tick).push(" AND participant_id > ").bind(participant_id);
        sql.push("))");
    }
    sql.push(" ORDER BY queue_tick, participant_id");
    if let Some(limit) = limit {
        sql.push(" LIMIT ").bind(i64::from(limit));
    }
    sql.query_as().fetch_all(&mut *conn).await
}

/// Where a page of a session's enrolments starts: after this row, in the order they came.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnrolmentCursor {
    pub queue_tick: i64,
    pub participant_id: ParticipantId,
}

impl EnrolmentCursor {
    pub fn of(row: &EnrolmentRow) -> EnrolmentCursor {
        EnrolmentCursor { queue_tick: row.queue_tick, participant_id: row.participant_id }
    }

    /// "tick_participant", as the API's `after` carries it.
    pub fn parse(text: &str) -> Option<EnrolmentCursor> {
        let (tick, participant) = text.split_once('_')?;
        Some(EnrolmentCursor { queue_tick: tick.parse().ok()?, participant_id: participant.parse().ok()? })
    }
}

impl std::fmt::Display for EnrolmentCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}_{}", self.queue_tick, self.participant_id)
    }
}

/// A participant's enrolments in these sessions.
pub async fn of_participant_in(
    conn: &mut AnyConnection,
    participant: ParticipantId,
    sessions: &[SessionId],
) -> Result<Vec<EnrolmentRow>, sqlx::Error> {
    let mut sql = Sql::new(COLUMNS);
    sql.push(" WHERE participant_id = ").bind(participant).push(" AND session_id IN ");
    sql.bind_list(sessions.iter().copied());
    sql.query_as().fetch_all(&mut *conn).await
}

/// 1-based place on the waiting list of a row with this queue tick.
pub async fn waitlist_position(
    conn: &mut AnyConnection,
    session: SessionId,
    queue_tick: i64,
) -> Result<u32, sqlx::Error> {
    let ahead: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM enrolments WHERE session_id = $1 AND status = 'waitlisted' AND queue_tick <= $2",
    )
    .bind(session)
    .bind(queue_tick)
    .fetch_one(&mut *conn)
    .await?;
    Ok(u32::try_from(ahead).unwrap_or(0))
}

/// Queue ticks of everyone waiting in these sessions, for positions without a query each.
pub async fn waiting_ticks(
    conn: &mut AnyConnection,
    sessions: &[SessionId],
) -> Result<Vec<(SessionId, i64)>, sqlx::Error> {
    let mut sql =
        Sql::new("SELECT session_id, queue_tick FROM enrolments WHERE status = 'waitlisted' AND session_id IN ");
    sql.bind_list(sessions.iter().copied()).push(" ORDER BY session_id, queue_tick");
    sql.query_as().fetch_all(&mut *conn).await
}

/// Writes the enrolment row: a new one, or a cancelled one brought back (`existed`).
pub async fn write(conn: &mut AnyConnection, existed: bool, row: &EnrolmentRow) -> Result<(), sqlx::Error> {
    let sql = if existed {
        "UPDATE enrolments SET structure_id = $3, status = $4, overbooked = $5, queue_tick = $6,
         enrolled_by_user_id = $7, created_at = $8, updated_at = $8, attendance = 'unknown',
         answer = NULL, answered_at = NULL, reminded_for = NULL, morning_reminded_for = NULL
         WHERE session_id = $1 AND participant_id = $2"
    } else {
        "INSERT INTO enrolments (session_id, participant_id, structure_id, status, overbooked, queue_tick,
         enrolled_by_user_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)"
    };
    sqlx::query(sql)
        .bind(row.session_id)
        .bind(row.participant_id)
        .bind(row.structure_id)
        .bind(row.status.code())
        .bind(row.overbooked)
        .bind(row.queue_tick)
        .bind(row.enrolled_by_user_id)
        .bind(row.created_at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// What a change to one enrolment sets, besides the time of the change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Update {
    Status(EnrolmentStatus),
    Attendance(Attendance),
    /// A waiting person given a seat, counted for the structure they belong to now.
    Seated {
        structure: StructureId,
    },
}

/// Changes one enrolment as `update` says.
pub async fn update(
    conn: &mut AnyConnection,
    session: SessionId,
    participant: ParticipantId,
    update: Update,
    at: i64,
) -> Result<(), sqlx::Error> {
    let mut sql = Sql::new("UPDATE enrolments SET ");
    match update {
        Update::Status(status) => sql.push("status = ").bind(status.code()),
        Update::Attendance(attendance) => sql.push("attendance = ").bind(attendance.code()),
        Update::Seated { structure } => sql.push("status = 'confirmed', structure_id = ").bind(structure),
    };
    sql.push(", updated_at = ").bind(at);
    sql.push(" WHERE session_id = ").bind(session).push(" AND participant_id = ").bind(participant);
    sql.query().execute(&mut *conn).await?;
    Ok(())
}

/// Someone waiting, as promotion sees them: their current structure and whether they are active.
#[derive(sqlx::FromRow, Clone, Copy, Debug)]
pub struct Waiting {
    pub participant_id: ParticipantId,
    pub structure_id: StructureId,
    pub active: i64,
}

/// Who waits for a seat in the session, first in line first.
pub async fn waiting(conn: &mut AnyConnection, session: SessionId) -> Result<Vec<Waiting>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.participant_id, p.structure_id, p.active FROM enrolments e
         JOIN participants p ON p.id = e.participant_id
         WHERE e.session_id = $1 AND e.status = 'waitlisted' ORDER BY e.queue_tick",
    )
    .bind(session)
    .fetch_all(&mut *conn)
    .await
}

/// How many confirmed seats participant `$1` holds in live sessions other than `$2` that overlap
/// the time from `$4` to `$3` (back-to-back sessions do not overlap).
macro_rules! overlaps {
    () => {
        "SELECT COUNT(*) FROM enrolments o JOIN sessions s ON s.id = o.session_id
         WHERE o.participant_id = $1 AND o.status = 'confirmed' AND s.status <> 'cancelled'
           AND s.id <> $2 AND s.starts_at < $3 AND s.ends_at > $4"
    };
}

/// Whether the participant holds a confirmed seat in another live session overlapping this
/// one (back-to-back sessions do not overlap).
pub async fn has_overlap(
    conn: &mut AnyConnection,
    participant: ParticipantId,
    session: SessionId,
    starts_at: i64,
    ends_at: i64,
) -> Result<bool, sqlx::Error> {
    Ok(find_with_overlap(conn, participant, session, starts_at, ends_at).await?.1)
}

/// What enrolling reads once it holds the session's and the participant's locks, in one
/// statement (one round trip less while the session is locked): the participant's enrolment in
/// the session, if any, and whether they hold a seat in another session overlapping this one.
pub async fn find_with_overlap(
    conn: &mut AnyConnection,
    participant: ParticipantId,
    session: SessionId,
    starts_at: i64,
    ends_at: i64,
) -> Result<(Option<EnrolmentRow>, bool), sqlx::Error> {
    // One row whatever happens: the enrolment's columns are NULL when there is none.
    let row = sqlx::query(concat!(
        "SELECT e.session_id, e.participant_id, e.structure_id, e.status, e.queue_tick, e.enrolled_by_user_id,
           e.attendance, e.overbooked, e.created_at, (",
        overlaps!(),
        ") AS overlaps
         FROM (SELECT 1 AS here) AS here
         LEFT JOIN enrolments e ON e.participant_id = $1 AND e.session_id = $2"
    ))
    .bind(participant)
    .bind(session)
    .bind(ends_at)
    .bind(starts_at)
    .fetch_one(&mut *conn)
    .await?;
    let overlaps: i64 = row.try_get("overlaps")?;
    let found = match row.try_get::<Option<SessionId>, _>("session_id")? {
        Some(_) => Some(EnrolmentRow::from_row(&row)?),
        None => None,
    };
    Ok((found, overlaps > 0))
}

/// The people enrolled in the session or waiting for it: whom a change or a cancellation
/// concerns.
pub async fn people_in(conn: &mut AnyConnection, session: SessionId) -> Result<Vec<ParticipantId>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT participant_id FROM enrolments WHERE session_id = $1 AND status IN ('confirmed', 'waitlisted')
         ORDER BY participant_id",
    )
    .bind(session)
    .fetch_all(conn)
    .await
}
