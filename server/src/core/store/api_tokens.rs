//! API tokens as stored: hashed, with their owner, name, end date and last use.

use sqlx::AnyConnection;
use toile_shared::{Role, StructureId, UserId};

/// Who a token acts for, and whether it still may.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct TokenOwner {
    pub token_id: i64,
    pub user_id: UserId,
    pub role: Role,
    pub structure_id: Option<StructureId>,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

/// The active staff member behind a token, expired or not (one query: it runs on every API
/// call; the caller tells an expired token apart).
pub async fn owner(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<TokenOwner>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id AS token_id, u.id AS user_id, u.role, u.structure_id, t.expires_at, t.last_used_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND u.active = 1",
    )
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await
}

pub struct NewToken<'a> {
    pub token_hash: &'a str,
    pub user: UserId,
    pub label: &'a str,
    pub at: i64,
    pub expires_at: i64,
}

pub async fn insert(conn: &mut AnyConnection, new: NewToken<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO api_tokens (token_hash, user_id, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
         RETURNING id",
    )
    .bind(new.token_hash)
    .bind(new.user)
    .bind(new.label)
    .bind(new.at)
    .bind(new.expires_at)
    .fetch_one(&mut *conn)
    .await
}

/// A token as its owner sees it in their list (never its secret).
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct TokenRow {
    pub id: i64,
    pub label: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

/// A staff member's tokens, newest first.
pub async fn of_user(conn: &mut AnyConnection, user: UserId) -> Result<Vec<TokenRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, label, created_at, expires_at, last_used_at FROM api_tokens WHERE user_id = $1
         ORDER BY created_at DESC, id DESC",
    )
    .bind(user)
    .fetch_all(&mut *conn)
    .await
}

/// Deletes one of the user's tokens; answers whether there was one.
pub async fn delete_one(conn: &mut AnyConnection, user: UserId, id: i64) -> Result<bool, sqlx::Error> {
    let deleted = sqlx::query("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user)
        .execute(&mut *conn)
        .await?;
    Ok(deleted.rows_affected() > 0)
}

/// Deletes every token of the user; answers how many there were.
pub async fn delete_all(conn: &mut AnyConnection, user: UserId) -> Result<u64, sqlx::Error> {
    let deleted = sqlx::query("DELETE FROM api_tokens WHERE user_id = $1").bind(user).execute(&mut *conn).await?;
    Ok(deleted.rows_affected())
}

pub async fn touch(conn: &mut AnyConnection, id: i64, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1").bind(id).bind(at).execute(&mut *conn).await?;
    Ok(())
}
