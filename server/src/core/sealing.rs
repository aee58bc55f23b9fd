//! Closing a sign-in sheet: its content (each person, their structure, their attendance and
//! when it was last set, the signatures drawn on it) is sealed with a SHA-256 recorded in the audit trail. Any later change
//! to the people or their attendance re-opens the sheet, visibly: a seal never covers a sheet
//! that says something else.

use super::audit::Entry;
use super::sessions::lock_for;
use super::store::{WriteTx, from_ts, to_ts};
use super::{Core, CoreError, CoreResult};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use toile_shared::authz::Actor;
use toile_shared::{ParticipantId, SessionId};

/// The latest seal of a session's sheet.
#[derive(Clone, Debug)]
pub struct Seal {
    id: i64,
    pub sealed_at: DateTime<Utc>,
    pub sealed_by: Option<String>,
    pub content_hash: String,
    /// Re-opened by a correction since: when, and by whom.
    pub reopened: Option<(DateTime<Utc>, Option<String>)>,
    /// The content still hashes to the seal (only meaningful while it is not re-opened).
    pub intact: bool,
}

#[derive(sqlx::FromRow)]
struct SealRow {
    id: i64,
    sealed_at: i64,
    sealed_by: Option<String>,
    content_hash: String,
    anonymised_hash: Option<String>,
    reopened_at: Option<i64>,
    reopened_by: Option<String>,
}

/// What a sheet says, one line per confirmed person in a stable order, hashed.
async fn content_hash(conn: &mut AnyConnection, session: SessionId) -> Result<String, sqlx::Error> {
    let lines: Vec<(i64, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT e.participant_id, p.last_name, p.first_name, st.name, e.attendance, e.updated_at
         FROM enrolments e JOIN participants p ON p.id = e.participant_id JOIN structures st ON st.id = p.structure_id
         WHERE e.session_id = $1 AND e.status = 'confirmed' ORDER BY e.participant_id",
    )
    .bind(session)
    .fetch_all(&mut *conn)
    .await?;
    let mut hash = Sha256::new();
    hash.update(format!("toile-sheet-v1\t{session}\n"));
    for (id, last, first, structure, attendance, at) in lines {
        hash.update(format!("{id}\t{last}\t{first}\t{structure}\t{attendance}\t{at}\n"));
    }
    // The signatures follow, when there are any: a sheet without them hashes as it did before
    // signatures existed, so seals made then still hold.
    let signatures: Vec<(Option<i64>, Option<i64>, String, i64)> = sqlx::query_as(
        "SELECT s.participant_id, s.user_id, s.strokes, s.signed_at FROM signatures s
         LEFT JOIN enrolments e ON e.session_id = s.session_id AND e.participant_id = s.participant_id
         WHERE s.session_id = $1
           AND (s.user_id IS NOT NULL OR (e.status = 'confirmed' AND e.attendance = 'present'))
         ORDER BY COALESCE(s.participant_id, 0), COALESCE(s.user_id, 0)",
    )
    .bind(session)
    .fetch_all(&mut *conn)
    .await?;
    for (participant, user, strokes, at) in signatures {
        let signer = match (participant, user) {
            (Some(participant), _) => format!("participant {participant}"),
            (_, user) => format!("staff {}", user.unwrap_or_default()),
        };
        hash.update(format!("signature\t{signer}\t{at}\t{strokes}\n"));
    }
    Ok(hex::encode(hash.finalize()))
}

/// The latest seal of the session's sheet, checked against what the sheet says now.
pub(super) async fn latest(conn: &mut AnyConnection, session: SessionId) -> CoreResult<Option<Seal>> {
    let row: Option<SealRow> = sqlx::query_as(
        "SELECT s.id, s.sealed_at, u.display_name AS sealed_by, s.content_hash, s.anonymised_hash, s.reopened_at,
             r.display_name AS reopened_by
         FROM sheet_seals s LEFT JOIN users u ON u.id = s.sealed_by LEFT JOIN users r ON r.id = s.reopened_by
         WHERE s.session_id = $1 ORDER BY s.id DESC LIMIT 1",
    )
    .bind(session)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let intact = row.reopened_at.is_none() && {
        let now = content_hash(conn, session).await?;
        now == row.content_hash || Some(&now) == row.anonymised_hash.as_ref()
    };
    Ok(Some(Seal {
        id: row.id,
        sealed_at: from_ts(row.sealed_at),
        sealed_by: row.sealed_by,
        content_hash: row.content_hash,
        reopened: row.reopened_at.map(|at| (from_ts(at), row.reopened_by)),
        intact,
    }))
}

/// The sealed sheets that name the person and still hold: anonymising them must not look like
/// a tampered sheet (see `record_anonymised`).
pub(super) async fn holding_seals_naming(
    conn: &mut AnyConnection,
    person: ParticipantId,
) -> CoreResult<Vec<(i64, SessionId)>> {
    let sessions: Vec<SessionId> = sqlx::query_scalar(
        "SELECT DISTINCT e.session_id FROM enrolments e JOIN sheet_seals s ON s.session_id = e.session_id
         WHERE e.participant_id = $1 AND e.status = 'confirmed' AND s.reopened_at IS NULL",
    )
    .bind(person)
    .fetch_all(&mut *conn)
    .await?;
    let mut holding = vec![];
    for session in sessions {
        if let Some(seal) = latest(conn, session).await?.filter(|seal| seal.intact) {
            holding.push((seal.id, session));
        }
    }
    Ok(holding)
}

/// Records what those sheets say once their people are anonymised: their seals keep holding.
pub(super) async fn record_anonymised(conn: &mut AnyConnection, seals: &[(i64, SessionId)]) -> CoreResult<()> {
    for (seal, session) in seals {
        let hash = content_hash(conn, *session).await?;
        sqlx::query("UPDATE sheet_seals SET anonymised_hash = $2 WHERE id = $1")
            .bind(seal)
            .bind(hash)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Re-opens the session's sealed sheet, in the transaction of the change that alters it.
pub(super) async fn reopen_if_sealed(tx: &mut WriteTx, actor: &Actor, session: SessionId) -> CoreResult<()> {
    let at = to_ts(tx.at);
    let reopened: Option<i64> = sqlx::query_scalar(
        "UPDATE sheet_seals SET reopened_at = $2, reopened_by = $3 WHERE session_id = $1 AND reopened_at IS NULL
         RETURNING id",
    )
    .bind(session)
    .bind(at)
    .bind(actor.staff_user_id())
    .fetch_optional(&mut **tx)
    .await?;
    if reopened.is_some() {
        Entry::new(actor, "sheet_reopened").session(session).write(tx).await?;
    }
    Ok(())
}

impl Core {
    /// Closes the session's sign-in sheet once everyone's attendance is said, sealing its
    /// content. For whoever takes attendance.
    pub async fn close_sheet(&self, actor: &Actor, session_id: SessionId) -> CoreResult<Seal> {
        let mut tx = self.store.write(self.clock.now()).await?;
        let (_, seats) = lock_for(&mut tx, actor, session_id, Actor::may_take_attendance).await?;
        if tx.at < from_ts(seats.row.starts_at) {
            return Err(CoreError::conflict("not_started", "La feuille se clôt une fois la séance commencée."));
        }
        if latest(&mut tx, session_id).await?.is_some_and(|seal| seal.reopened.is_none()) {
            return Err(CoreError::conflict("already_sealed", "La feuille est déjà close."));
        }
        let unsaid: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM enrolments WHERE session_id = $1 AND status = 'confirmed' AND attendance = 'unknown'",
        )
        .bind(session_id)
        .fetch_one(&mut *tx)
        .await?;
        if unsaid > 0 {
            let message = match unsaid {
                1 => "Il reste 1 personne à noter avant de clore la feuille.".to_string(),
                n => format!("Il reste {n} personnes à noter avant de clore la feuille."),
            };
            return Err(CoreError::conflict("attendance_missing", message));
        }
        let hash = content_hash(&mut tx, session_id).await?;
        sqlx::query("INSERT INTO sheet_seals (session_id, sealed_at, sealed_by, content_hash) VALUES ($1, $2, $3, $4)")
            .bind(session_id)
            .bind(to_ts(tx.at))
            .bind(actor.staff_user_id())
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
        Entry::new(actor, "sheet_sealed").session(session_id).details(format!("sha256:{hash}")).write(&mut tx).await?;
        let seal = latest(&mut tx, session_id).await?.ok_or(CoreError::NotFound("Feuille"))?;
        tx.commit().await?;
        Ok(seal)
    }
}
