//! Invitations as stored: the hash of the link's secret, whose account it is for, until when it
//! works and when it was used.

use sqlx::AnyConnection;
use toile_shared::UserId;

#[derive(sqlx::FromRow)]
pub struct InvitationRow {
    pub user_id: UserId,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

pub async fn find(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<InvitationRow>, sqlx::Error> {
    sqlx::query_as("SELECT user_id, expires_at, used_at FROM invitations WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(&mut *conn)
        .await
}

/// Uses the link up and answers whose account it is for, while it works: the guarded UPDATE
/// lets only one of two simultaneous submissions through.
pub async fn use_up(conn: &mut AnyConnection, token_hash: &str, at: i64) -> Result<Option<UserId>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE invitations SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
         RETURNING user_id",
    )
    .bind(token_hash)
    .bind(at)
    .fetch_optional(&mut *conn)
    .await
}

pub struct NewInvitation<'a> {
    pub token_hash: &'a str,
    pub user_id: UserId,
    pub at: i64,
    pub expires_at: i64,
}

/// Stores a new link for the account, replacing any still unused: one link at a time.
pub async fn replace(conn: &mut AnyConnection, new: NewInvitation<'_>) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM invitations WHERE user_id = $1 AND used_at IS NULL")
        .bind(new.user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO invitations (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(new.token_hash)
        .bind(new.user_id)
        .bind(new.at)
        .bind(new.expires_at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
