//! Signatures drawn on a sign-in sheet: one per present participant, one per staff member who
//! signs for the session's running; signing again replaces the signature.

use sqlx::AnyConnection;
use toile_shared::{ParticipantId, SessionId, UserId};

/// Who signs: a participant (on the phone of whoever takes attendance), or that staff member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signer {
    Participant(ParticipantId),
    Staff(UserId),
}

/// A staff member's signature on a sheet, with their name.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct StaffSignatureRow {
    pub user_id: UserId,
    pub name: String,
    pub strokes: String,
    pub signed_at: i64,
}

/// Records the signer's signature on the session's sheet, replacing an earlier one.
pub async fn put(
    conn: &mut AnyConnection,
    session: SessionId,
    signer: Signer,
    strokes: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    let (participant, user) = match signer {
        Signer::Participant(id) => (Some(id), None),
        Signer::Staff(id) => (None, Some(id)),
    };
    sqlx::query(
        "DELETE FROM signatures WHERE session_id = $1
         AND (participant_id = $2 OR user_id = $3)",
    )
    .bind(session)
    .bind(participant)
    .bind(user)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO signatures (session_id, participant_id, user_id, strokes, signed_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(session)
    .bind(participant)
    .bind(user)
    .bind(strokes)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Takes a participant's signature off the sheet (they are no longer marked present).
pub async fn remove_participant(
    conn: &mut AnyConnection,
    session: SessionId,
    participant: ParticipantId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM signatures WHERE session_id = $1 AND participant_id = $2")
        .bind(session)
        .bind(participant)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The staff signatures on the session's sheet, in the order they were signed.
pub async fn of_staff(conn: &mut AnyConnection, session: SessionId) -> Result<Vec<StaffSignatureRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.user_id, u.display_name AS name, s.strokes, s.signed_at
         FROM signatures s JOIN users u ON u.id = s.user_id
         WHERE s.session_id = $1 AND s.user_id IS NOT NULL ORDER BY s.signed_at, s.id",
    )
    .bind(session)
    .fetch_all(conn)
    .await
}
