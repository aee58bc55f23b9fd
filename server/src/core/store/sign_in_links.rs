//! The code card's sign-in links as stored: the hash of the link's secret, whose it is, until
//! when it works. One a person at most.

use sqlx::AnyConnection;
use toile_shared::ParticipantId;

pub struct NewSignInLink<'a> {
    pub token_hash: &'a str,
    pub participant_id: ParticipantId,
    pub at: i64,
    pub expires_at: i64,
}

/// The person's link, if they have one: a new one replaces it, a new code or their leaving ends it.
pub async fn delete_for(conn: &mut AnyConnection, person: ParticipantId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_links WHERE participant_id = $1").bind(person).execute(&mut *conn).await?;
    Ok(())
}

pub async fn insert(conn: &mut AnyConnection, link: NewSignInLink<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sign_in_links (token_hash, participant_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(link.token_hash)
    .bind(link.participant_id)
    .bind(link.at)
    .bind(link.expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whose the link is, while it works: a read, so a wrong, used or expired link never waits for
/// the writer.
pub async fn holder(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> Result<Option<ParticipantId>, sqlx::Error> {
    sqlx::query_scalar("SELECT participant_id FROM sign_in_links WHERE token_hash = $1 AND expires_at > $2")
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await
}

/// Uses the link up and answers whose it was, while it works: of two simultaneous uses, only one
/// deletes it.
pub async fn use_up(conn: &mut AnyConnection, token_hash: &str, at: i64) -> Result<Option<ParticipantId>, sqlx::Error> {
    sqlx::query_scalar("DELETE FROM sign_in_links WHERE token_hash = $1 AND expires_at > $2 RETURNING participant_id")
        .bind(token_hash)
        .bind(at)
        .fetch_optional(&mut *conn)
        .await
}
