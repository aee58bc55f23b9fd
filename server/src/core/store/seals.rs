//! Sign-in sheet seals as stored (see `core::sealing`): what a sheet says, read the same way each
//! time it is sealed or checked, and the seals themselves, re-opened by a later correction.

use sqlx::AnyConnection;
use toile_shared::{ParticipantId, SessionId, UserId};

/// A confirmed person on a sheet, in the order the seal reads them.
#[derive(sqlx::FromRow)]
pub struct SheetLine {
    pub participant_id: ParticipantId,
    pub last_name: String,
    pub first_name: String,
    pub structure_name: String,
    pub attendance: String,
    pub updated_at: i64,
}

pub async fn sheet_lines(conn: &mut AnyConnection, session: SessionId) -> Result<Vec<SheetLine>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.participant_id, p.last_name, p.first_name, st.name AS structure_name, e.attendance, e.updated_at
         FROM enrolments e JOIN participants p ON p.id = e.participant_id JOIN structures st ON st.id = p.structure_id
         WHERE e.session_id = $1 AND e.status = 'confirmed' ORDER BY e.participant_id",
    )
    .bind(session)
    .fetch_all(&mut *conn)
    .await
}

/// A signature a seal covers: a present participant's, or a staff member's.
#[derive(sqlx::FromRow)]
pub struct SheetSignature {
    pub participant_id: Option<ParticipantId>,
    pub user_id: Option<UserId>,
    pub strokes: String,
    pub signed_at: i64,
}

pub async fn sheet_signatures(
    conn: &mut AnyConnection,
    session: SessionId,
) -> Result<Vec<SheetSignature>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.participant_id, s.user_id, s.strokes, s.signed_at FROM signatures s
         LEFT JOIN enrolments e ON e.session_id = s.session_id AND e.participant_id = s.participant_id
         WHERE s.session_id = $1
           AND (s.user_id IS NOT NULL OR (e.status = 'confirmed' AND e.attendance = 'present'))
         ORDER BY COALESCE(s.participant_id, 0), COALESCE(s.user_id, 0)",
    )
    .bind(session)
    .fetch_all(&mut *conn)
    .await
}

/// How many confirmed people of the session have no attendance said yet.
pub async fn attendance_unsaid(conn: &mut AnyConnection, session: SessionId) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM enrolments WHERE session_id = $1 AND status = 'confirmed' AND attendance = 'unknown'",
    )
    .bind(session)
    .fetch_one(&mut *conn)
    .await
}

/// A seal with the names of who sealed and who re-opened it.
#[derive(sqlx::FromRow)]
pub struct SealRow {
    pub id: i64,
    pub sealed_at: i64,
    pub sealed_by: Option<String>,
    pub content_hash: String,
    pub anonymised_hash: Option<String>,
    pub reopened_at: Option<i64>,
    pub reopened_by: Option<String>,
}

/// The session's latest seal.
pub async fn latest(conn: &mut AnyConnection, session: SessionId) -> Result<Option<SealRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.sealed_at, u.display_name AS sealed_by, s.content_hash, s.anonymised_hash, s.reopened_at,
             r.display_name AS reopened_by
         FROM sheet_seals s LEFT JOIN users u ON u.id = s.sealed_by LEFT JOIN users r ON r.id = s.reopened_by
         WHERE s.session_id = $1 ORDER BY s.id DESC LIMIT 1",
    )
    .bind(session)
    .fetch_optional(&mut *conn)
    .await
}

/// The sessions whose sheet names the person as confirmed and is sealed, not re-opened.
pub async fn sealed_sessions_naming(
    conn: &mut AnyConnection,
    person: ParticipantId,
) -> Result<Vec<SessionId>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT e.session_id FROM enrolments e JOIN sheet_seals s ON s.session_id = e.session_id
         WHERE e.participant_id = $1 AND e.status = 'confirmed' AND s.reopened_at IS NULL",
    )
    .bind(person)
    .fetch_all(&mut *conn)
    .await
}

pub struct NewSeal<'a> {
    pub session_id: SessionId,
    pub at: i64,
    pub sealed_by: Option<UserId>,
    pub content_hash: &'a str,
}

pub async fn insert(conn: &mut AnyConnection, seal: NewSeal<'_>) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO sheet_seals (session_id, sealed_at, sealed_by, content_hash) VALUES ($1, $2, $3, $4)")
        .bind(seal.session_id)
        .bind(seal.at)
        .bind(seal.sealed_by)
        .bind(seal.content_hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Re-opens the session's seal still standing, if any; answers its id.
pub async fn reopen(
    conn: &mut AnyConnection,
    session: SessionId,
    at: i64,
    by: Option<UserId>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE sheet_seals SET reopened_at = $2, reopened_by = $3 WHERE session_id = $1 AND reopened_at IS NULL
         RETURNING id",
    )
    .bind(session)
    .bind(at)
    .bind(by)
    .fetch_optional(&mut *conn)
    .await
}

/// What the sheet says once its people are anonymised, sealed: the seal keeps holding.
pub async fn set_anonymised_hash(conn: &mut AnyConnection, seal: i64, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sheet_seals SET anonymised_hash = $2 WHERE id = $1")
        .bind(seal)
        .bind(hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A seal whose hashes carry no rule: a plain SHA-256 made before seals were keyed.
#[derive(sqlx::FromRow)]
pub struct UnstampedSeal {
    pub id: i64,
    pub session_id: SessionId,
    pub content_hash: String,
    pub anonymised_hash: Option<String>,
}

pub async fn unstamped(conn: &mut AnyConnection) -> Result<Vec<UnstampedSeal>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, session_id, content_hash, anonymised_hash FROM sheet_seals
         WHERE content_hash NOT LIKE 'hmac-sha256:%' AND content_hash NOT LIKE 'sha256:%'
            OR anonymised_hash NOT LIKE 'hmac-sha256:%' AND anonymised_hash NOT LIKE 'sha256:%'",
    )
    .fetch_all(&mut *conn)
    .await
}

pub async fn set_hashes(
    conn: &mut AnyConnection,
    seal: i64,
    content_hash: &str,
    anonymised_hash: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sheet_seals SET content_hash = $2, anonymised_hash = $3 WHERE id = $1")
        .bind(seal)
        .bind(content_hash)
        .bind(anonymised_hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
