//! The audit trail as stored: an entry written beside each change, read back for the people who
//! may see it.

use super::sql::Sql;
use sqlx::AnyConnection;
use toile_shared::audit::AuditAction;
use toile_shared::{ParticipantId, SessionId, StructureId, UserId};

/// An entry to write: who acted (`user:<id>`, `participant:<id>`, `operator`, `system`,
/// `anonymous`), what they did, to which session or person, and the details.
pub struct NewEntry<'a> {
    pub at: i64,
    pub actor: &'a str,
    pub action: &'a str,
    pub session_id: Option<SessionId>,
    pub participant_id: Option<ParticipantId>,
    pub details: &'a str,
}

pub async fn insert(conn: &mut AnyConnection, entry: NewEntry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, session_id, participant_id, details)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(entry.at)
    .bind(entry.actor)
    .bind(entry.action)
    .bind(entry.session_id)
    .bind(entry.participant_id)
    .bind(entry.details)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One entry, with the name of who acted when they were staff.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct AuditRow {
    pub at: i64,
    pub actor: String,
    pub actor_name: Option<String>,
    pub action: String,
    pub details: String,
}

/// A session's entries, newest first (at most `limit`).
pub async fn of_session(
    conn: &mut AnyConnection,
    session: SessionId,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    about(conn, "session_id", session, limit).await
}

/// A person's entries (what was done for, by or about them), newest first.
pub async fn of_participant(
    conn: &mut AnyConnection,
    person: ParticipantId,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    about(conn, "participant_id", person, limit).await
}

/// The entries whose `column` is `id`, newest first.
async fn about(
    conn: &mut AnyConnection,
    column: &'static str,
    id: i64,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    let mut sql = Sql::new(
        "SELECT a.at, a.actor, u.display_name AS actor_name, a.action, a.details
         FROM audit_log a LEFT JOIN users u ON a.actor = 'user:' || CAST(u.id AS TEXT) WHERE a.",
    );
    sql.push(column).push(" = ").bind(id).push(" ORDER BY a.at DESC, a.id DESC LIMIT ").bind(limit);
    sql.query_as().fetch_all(&mut *conn).await
}

/// One entry of the trail, with names when known (who acted if staff, the session's title, the
/// participant's name and structure).
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct TrailRow {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub actor_name: Option<String>,
    pub action: String,
    pub session_id: Option<SessionId>,
    pub session_title: Option<String>,
    pub participant_id: Option<ParticipantId>,
    pub participant_first_name: Option<String>,
    pub participant_last_name: Option<String>,
    pub participant_structure_id: Option<StructureId>,
    pub details: String,
}

/// Which entries: all, or a structure's; between two instants; about a session, a participant
/// or made by a staff member.
#[derive(Clone, Debug, Default)]
pub struct TrailFilter {
    pub structure: Option<StructureId>,
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub session: Option<SessionId>,
    pub participant: Option<ParticipantId>,
    pub staff: Option<UserId>,
    /// Only entries older than this one, `(at, id)`: the trail read a page at a time.
    pub before: Option<(i64, i64)>,
}

/// The entries that `filter` keeps, newest first, at most `limit`.
pub async fn trail(conn: &mut AnyConnection, filter: &TrailFilter, limit: i64) -> Result<Vec<TrailRow>, sqlx::Error> {
    let mut sql = Sql::new(
        "SELECT a.id, a.at, a.actor, u.display_name AS actor_name, a.action, a.session_id, s.title AS session_title,
                a.participant_id, p.first_name AS participant_first_name, p.last_name AS participant_last_name,
                p.structure_id AS participant_structure_id, a.details
         FROM audit_log a
         LEFT JOIN users u ON a.actor = 'user:' || CAST(u.id AS TEXT)
         LEFT JOIN sessions s ON s.id = a.session_id
         LEFT JOIN participants p ON p.id = a.participant_id
         WHERE 1 = 1",
    );
    if let Some(structure) = filter.structure {
        sql.push(" AND (u.structure_id = ").bind(structure);
        sql.push(" OR p.structure_id = ").bind(structure);
        sql.push(" OR s.organiser_structure_id = ").bind(structure).push(")");
    }
    if let Some(from) = filter.from {
        sql.push(" AND a.at >= ").bind(from);
    }
    if let Some(until) = filter.until {
        sql.push(" AND a.at < ").bind(until);
    }
    if let Some(session) = filter.session {
        sql.push(" AND a.session_id = ").bind(session);
    }
    if let Some(participant) = filter.participant {
        sql.push(" AND a.participant_id = ").bind(participant);
    }
    if let Some(staff) = filter.staff {
        sql.push(" AND a.actor = ").bind(format!("user:{staff}"));
    }
    if let Some((at, id)) = filter.before {
        sql.push(" AND (a.at < ").bind(at);
        sql.push(" OR (a.at = ").bind(at).push(" AND a.id < ").bind(id).push("))");
    }
    sql.push(" ORDER BY a.at DESC, a.id DESC LIMIT ").bind(limit);
    sql.query_as().fetch_all(&mut *conn).await
}

/// Forgets the free text staff wrote about a person (an overbooking's reason, which may say
/// much about their situation) once they are anonymised: the entries stay, saying what was done
/// but no longer why. An overbooking is always a confirmed seat, which is all the entry keeps.
pub async fn forget_reasons_about(conn: &mut AnyConnection, person: i64) -> Result<u64, sqlx::Error> {
    let kept = toile_shared::EnrolmentStatus::Confirmed.code();
    Ok(sqlx::query("UPDATE audit_log SET details = $2 WHERE participant_id = $1 AND action = $3")
        .bind(person)
        .bind(kept)
        .bind(AuditAction::EnrolledOverbooking.code())
        .execute(&mut *conn)
        .await?
        .rows_affected())
}

/// Deletes the entries written before `before` (the trail is kept for a set time); answers how
/// many.
pub async fn delete_before(conn: &mut AnyConnection, before: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM audit_log WHERE at < $1").bind(before).execute(&mut *conn).await?.rows_affected())
}
