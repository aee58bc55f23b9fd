//! What the database knows of the server's secret key: its fingerprint, and which access codes
//! are still stored the way releases before keys stored them (a plain SHA-256).

use sqlx::AnyConnection;
use toile_shared::ParticipantId;

/// Stored codes start with this: the keyed form, as opposed to the plain SHA-256 of before.
pub const KEYED_PREFIX: &str = "k1:";

pub async fn fingerprint(conn: &mut AnyConnection) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT fingerprint FROM secret_key_check").fetch_optional(&mut *conn).await
}

pub async fn insert_fingerprint(conn: &mut AnyConnection, fingerprint: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO secret_key_check (fingerprint) VALUES ($1)").bind(fingerprint).execute(&mut *conn).await?;
    Ok(())
}

/// Participants whose code is stored as a plain SHA-256, with that hash.
pub async fn plain_code_hashes(conn: &mut AnyConnection) -> Result<Vec<(ParticipantId, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, access_code_hash FROM participants WHERE access_code_hash NOT LIKE $1")
        .bind(format!("{KEYED_PREFIX}%"))
        .fetch_all(&mut *conn)
        .await
}

/// Replaces a plain hash by its keyed form (leaving when the code was last used as it was).
pub async fn key_code_hash(conn: &mut AnyConnection, id: ParticipantId, keyed: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE participants SET access_code_hash = $2 WHERE id = $1")
        .bind(id)
        .bind(keyed)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
