//! Browser sign-ins as stored: the hash of the cookie's secret, whose it is, until when it lasts
//! and after how long unused it ends.

use sqlx::AnyConnection;
use toile_shared::authz::Actor;
use toile_shared::{ParticipantId, Role, StructureId, UserId};

/// Who a browser sign-in belongs to, as they are now.
#[derive(sqlx::FromRow)]
pub struct SignInOwner {
    user_id: Option<UserId>,
    role: Option<Role>,
    user_structure_id: Option<StructureId>,
    display_name: Option<String>,
    user_active: Option<i64>,
    participant_id: Option<ParticipantId>,
    participant_structure_id: Option<StructureId>,
    first_name: Option<String>,
    participant_active: Option<i64>,
    pub last_seen_at: Option<i64>,
    pub idle_seconds: Option<i64>,
}

impl SignInOwner {
    /// Whether the sign-in has gone unused for longer than it may (sign-ins without a limit,
    /// which no release wrote after the limits came, never idle out).
    pub fn is_idle(&self, now: i64) -> bool {
        matches!((self.last_seen_at, self.idle_seconds), (Some(seen), Some(idle)) if now - seen >= idle)
    }

    /// The actor and their display name, if their account is still active.
    pub fn actor(self) -> Option<(Actor, String)> {
        match (self.user_id, self.participant_id) {
            (Some(user_id), _) if self.user_active == Some(1) => Some((
                Actor::Staff { user_id, role: self.role?, structure_id: self.user_structure_id },
                self.display_name?,
            )),
            (None, Some(participant_id)) if self.participant_active == Some(1) => Some((
                Actor::Participant { participant_id, structure_id: self.participant_structure_id? },
                self.first_name?,
            )),
            _ => None,
        }
    }
}

/// The person a browser sign-in belongs to, if it has not expired: one query, as it runs for
/// every page.
pub async fn owner(conn: &mut AnyConnection, token_hash: &str, now: i64) -> Result<Option<SignInOwner>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.user_id, u.role, u.structure_id AS user_structure_id, u.display_name, u.active AS user_active,
                a.participant_id, p.structure_id AS participant_structure_id, p.first_name,
                p.active AS participant_active, a.last_seen_at, a.idle_seconds
         FROM auth_sessions a LEFT JOIN users u ON u.id = a.user_id
              LEFT JOIN participants p ON p.id = a.participant_id
         WHERE a.token_hash = $1 AND a.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
}

/// A new browser sign-in: who, when, until when at most, and after how long unused it ends.
pub struct NewSignIn<'a> {
    pub token_hash: &'a str,
    pub actor: &'a Actor,
    pub at: i64,
    pub expires_at: i64,
    pub idle_seconds: i64,
}

pub async fn insert(conn: &mut AnyConnection, new: NewSignIn<'_>) -> Result<(), sqlx::Error> {
    let (user, participant) = match new.actor {
        Actor::Staff { user_id, .. } => (Some(*user_id), None),
        Actor::Participant { participant_id, .. } => (None, Some(*participant_id)),
        Actor::Operator => (None, None),
    };
    sqlx::query(
        "INSERT INTO auth_sessions (token_hash, user_id, participant_id, created_at, expires_at, last_seen_at, idle_seconds)
         VALUES ($1, $2, $3, $4, $5, $4, $6)",
    )
    .bind(new.token_hash)
    .bind(user)
    .bind(participant)
    .bind(new.at)
    .bind(new.expires_at)
    .bind(new.idle_seconds)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The sign-in was used at `at`: its idle time starts again.
pub async fn touch(conn: &mut AnyConnection, token_hash: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE auth_sessions SET last_seen_at = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Deletes the sign-ins past their end or unused for too long; answers how many.
pub async fn purge(conn: &mut AnyConnection, now: i64) -> Result<u64, sqlx::Error> {
    let purged = sqlx::query(
        "DELETE FROM auth_sessions WHERE expires_at <= $1 OR (last_seen_at IS NOT NULL AND idle_seconds IS NOT NULL
         AND last_seen_at + idle_seconds <= $1)",
    )
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(purged.rows_affected())
}

pub async fn delete(conn: &mut AnyConnection, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM auth_sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *conn).await?;
    Ok(())
}
