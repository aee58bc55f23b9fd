//! Answer links and the day-before reminders as stored: which person and session a link acts
//! for, what the person answered, and which start time they were last reminded of.

use super::sql::Sql;
use sqlx::AnyConnection;
use toile_shared::{ParticipantId, SessionId};

/// A person's answer, as stored in `enrolments.answer`.
pub const COMING: &str = "coming";
pub const DECLINED: &str = "declined";

pub async fn insert_link(
    conn: &mut AnyConnection,
    token_hash: &str,
    session: SessionId,
    participant: ParticipantId,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO answer_links (token_hash, session_id, participant_id, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(session)
    .bind(participant)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The session and the person a link acts for, and when the session ends.
pub async fn link(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> Result<Option<(SessionId, ParticipantId, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.session_id, l.participant_id, s.ends_at FROM answer_links l JOIN sessions s ON s.id = l.session_id
         WHERE l.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await
}

/// The person's answer, if they gave one.
pub async fn answer_of(
    conn: &mut AnyConnection,
    session: SessionId,
    participant: ParticipantId,
) -> Result<Option<String>, sqlx::Error> {
    let answer: Option<Option<String>> =
        sqlx::query_scalar("SELECT answer FROM enrolments WHERE session_id = $1 AND participant_id = $2")
            .bind(session)
            .bind(participant)
            .fetch_optional(conn)
            .await?;
    Ok(answer.flatten())
}

pub async fn set_answer(
    conn: &mut AnyConnection,
    session: SessionId,
    participant: ParticipantId,
    answer: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE enrolments SET answer = $3, answered_at = $4 WHERE session_id = $1 AND participant_id = $2")
        .bind(session)
        .bind(participant)
        .bind(answer)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Which reminder a column of `enrolments` records: the start time the person was last
/// reminded of, the day before (`reminded_for`) or on the morning (`morning_reminded_for`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReminderColumn {
    DayBefore,
    Morning,
}

impl ReminderColumn {
    fn name(self) -> &'static str {
        match self {
            ReminderColumn::DayBefore => "reminded_for",
            ReminderColumn::Morning => "morning_reminded_for",
        }
    }
}

/// A seated person of a published session starting between `from` and `until`, not yet
/// reminded of its present start time.
#[derive(sqlx::FromRow, Clone, Copy, Debug)]
pub struct Unreminded {
    pub session_id: SessionId,
    pub participant_id: ParticipantId,
    pub starts_at: i64,
    /// When their seat was last given or changed: someone seated after the reminder's time
    /// has just been told (by their CIP, or by the seat offer) and gets no reminder.
    pub seated_at: i64,
}

/// Everyone to remind (by `column`'s reminder) of sessions starting between `from` and
/// `until`, session by session.
pub async fn unreminded(
    conn: &mut AnyConnection,
    column: ReminderColumn,
    from: i64,
    until: i64,
) -> Result<Vec<Unreminded>, sqlx::Error> {
    let column = column.name();
    let mut sql = Sql::new(&format!(
        "SELECT e.session_id, e.participant_id, s.starts_at, e.updated_at AS seated_at
         FROM sessions s JOIN enrolments e ON e.session_id = s.id
         WHERE s.status = 'published' AND e.status = 'confirmed'
           AND (e.{column} IS NULL OR e.{column} <> s.starts_at) AND s.starts_at > "
    ));
    sql.bind(from).push(" AND s.starts_at < ").bind(until);
    sql.push(" ORDER BY s.starts_at, e.session_id, e.participant_id");
    sql.query_as().fetch_all(conn).await
}

/// Records that the person was reminded (by `column`'s reminder) of, or, seated late, need not
/// be reminded of, the session starting at `starts_at`.
pub async fn mark_reminded(
    conn: &mut AnyConnection,
    column: ReminderColumn,
    session: SessionId,
    people: &[ParticipantId],
    starts_at: i64,
) -> Result<(), sqlx::Error> {
    if people.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(&format!("UPDATE enrolments SET {} = ", column.name()));
    sql.bind(starts_at).push(" WHERE session_id = ").bind(session).push(" AND participant_id IN ");
    sql.bind_list(people.iter().copied());
    sql.query().execute(conn).await?;
    Ok(())
}
