//! The audit trail: who changed what, kept in the same transaction as the change.

use super::time::{now, to_ts};
use sqlx::AnyConnection;
use toile_shared::authz::Actor;
use toile_shared::{ParticipantId, SessionId};

pub fn actor_label(actor: Option<&Actor>) -> String {
    match actor {
        Some(Actor::Staff { user_id, .. }) => format!("user:{user_id}"),
        Some(Actor::Participant { participant_id, .. }) => format!("participant:{participant_id}"),
        None => "system".into(),
    }
}

pub struct Entry<'a> {
    pub actor: Option<&'a Actor>,
    pub action: &'a str,
    pub session_id: Option<SessionId>,
    pub participant_id: Option<ParticipantId>,
    pub details: String,
}

pub async fn record(conn: &mut AnyConnection, entry: Entry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, session_id, participant_id, details)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(to_ts(now()))
    .bind(actor_label(entry.actor))
    .bind(entry.action)
    .bind(entry.session_id)
    .bind(entry.participant_id)
    .bind(entry.details)
    .execute(conn)
    .await?;
    Ok(())
}
