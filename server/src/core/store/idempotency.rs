//! One-time keys as stored (see `core::idempotency`): by account and the key's hash, with what
//! was asked and, once done, the answer.

use sqlx::AnyConnection;

/// A key already taken: what it was taken for and, when done, its answer.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct Taken {
    pub request_hash: String,
    pub status: Option<i64>,
    pub answer: Option<String>,
}

pub struct Key<'a> {
    pub account: i64,
    pub key_hash: &'a str,
}

/// Takes the key for this request; false when it is already taken (a key older than `expired`
/// counts as free: the sweep has not passed yet).
pub async fn take(
    conn: &mut AnyConnection,
    key: &Key<'_>,
    request_hash: &str,
    at: i64,
    expired: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM idempotency_keys WHERE account_id = $1 AND key_hash = $2 AND created_at < $3")
        .bind(key.account)
        .bind(key.key_hash)
        .bind(expired)
        .execute(&mut *conn)
        .await?;
    let taken = sqlx::query(
        "INSERT INTO idempotency_keys (account_id, key_hash, request_hash, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(key.account)
    .bind(key.key_hash)
    .bind(request_hash)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(taken.rows_affected() == 1)
}

pub async fn taken(conn: &mut AnyConnection, key: &Key<'_>) -> Result<Option<Taken>, sqlx::Error> {
    sqlx::query_as("SELECT request_hash, status, answer FROM idempotency_keys WHERE account_id = $1 AND key_hash = $2")
        .bind(key.account)
        .bind(key.key_hash)
        .fetch_optional(&mut *conn)
        .await
}

/// The first request is done: its answer, given again to the same request.
pub async fn answer(
    conn: &mut AnyConnection,
    key: &Key<'_>,
    status: i64,
    answer: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE idempotency_keys SET status = $3, answer = $4 WHERE account_id = $1 AND key_hash = $2")
        .bind(key.account)
        .bind(key.key_hash)
        .bind(status)
        .bind(answer)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The first request made nothing (refused): the key is free again.
pub async fn free(conn: &mut AnyConnection, key: &Key<'_>) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM idempotency_keys WHERE account_id = $1 AND key_hash = $2 AND status IS NULL")
        .bind(key.account)
        .bind(key.key_hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Deletes the keys taken before `before`; answers how many.
pub async fn sweep(conn: &mut AnyConnection, before: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(before)
        .execute(&mut *conn)
        .await?
        .rows_affected())
}
