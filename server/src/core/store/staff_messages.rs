//! What the messages to staff read: who is told of a decline, who runs which session on a
//! day, and what the people of a session answered.

use sqlx::AnyConnection;
use toile_shared::{ParticipantId, SessionId, UserId};

/// Who hears that `person` declined: their referent when they have an active one, else every
/// active CIP of their structure.
pub async fn decline_recipients(conn: &mut AnyConnection, person: ParticipantId) -> Result<Vec<UserId>, sqlx::Error> {
    let referent: Option<UserId> = sqlx::query_scalar(
        "SELECT u.id FROM participants p JOIN users u ON u.id = p.referent_id WHERE p.id = $1 AND u.active = 1",
    )
    .bind(person)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(referent) = referent {
        return Ok(vec![referent]);
    }
    sqlx::query_scalar(
        "SELECT u.id FROM participants p JOIN users u ON u.structure_id = p.structure_id
         WHERE p.id = $1 AND u.active = 1 AND u.role = 'cip' ORDER BY u.id",
    )
    .bind(person)
    .fetch_all(conn)
    .await
}

/// (facilitator, session) for every published session starting in `[from, until)` that an
/// active staff member runs, by facilitator then start.
pub async fn facilitated(
    conn: &mut AnyConnection,
    from: i64,
    until: i64,
) -> Result<Vec<(UserId, SessionId)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.user_id, s.id FROM session_facilitators f JOIN sessions s ON s.id = f.session_id
         JOIN users u ON u.id = f.user_id
         WHERE s.status = 'published' AND s.starts_at >= $1 AND s.starts_at < $2 AND u.active = 1
         ORDER BY f.user_id, s.starts_at, s.id",
    )
    .bind(from)
    .bind(until)
    .fetch_all(conn)
    .await
}

/// A person of the session who answered the day-before question.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct Answered {
    pub participant_id: ParticipantId,
    pub first_name: String,
    pub last_name: String,
    pub status: String,
    pub answer: String,
}

/// Everyone of `session` who answered, first answers first (people anonymised since left out).
pub async fn answers(conn: &mut AnyConnection, session: SessionId) -> Result<Vec<Answered>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.participant_id, p.first_name, p.last_name, e.status, e.answer FROM enrolments e
         JOIN participants p ON p.id = e.participant_id
         WHERE e.session_id = $1 AND e.answer IS NOT NULL AND p.anonymised_at IS NULL
         ORDER BY e.answered_at, e.id",
    )
    .bind(session)
    .fetch_all(conn)
    .await
}

/// "Amina Benali": how a message to staff names a participant.
pub async fn participant_name(conn: &mut AnyConnection, person: ParticipantId) -> Result<String, sqlx::Error> {
    let (first, last): (String, String) =
        sqlx::query_as("SELECT first_name, last_name FROM participants WHERE id = $1")
            .bind(person)
            .fetch_one(conn)
            .await?;
    Ok(format!("{first} {last}"))
}
