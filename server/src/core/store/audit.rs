//! The audit trail as stored, read back for the people who may see it.

use sqlx::AnyConnection;
use toile_shared::SessionId;

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
    sqlx::query_as(
        "SELECT a.at, a.actor, u.display_name AS actor_name, a.action, a.details
         FROM audit_log a LEFT JOIN users u ON a.actor = 'user:' || CAST(u.id AS TEXT)
         WHERE a.session_id = $1 ORDER BY a.at DESC, a.id DESC LIMIT $2",
    )
    .bind(session)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
}
