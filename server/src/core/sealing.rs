//! Closing a sign-in sheet: its content (each person, their structure, their attendance and
//! when it was last set, the signatures drawn on it) is sealed with an HMAC-SHA-256 keyed with
//! the server's secret key (kept outside the database), recorded in the audit trail: whoever can
//! write the database cannot seal a sheet again after changing it. Any later change to the
//! people or their attendance re-opens the sheet, visibly: a seal never covers a sheet that says
//! something else.
//!
//! Seals made by earlier releases are a plain SHA-256 of the same content. They still hold and
//! say so (`SealRule::LegacySha256`): the start that upgrades the database to keyed seals stamps
//! each with the key (`adopt`), once; a plain SHA-256 written into the database afterwards,
//! which carries no stamp, holds nothing, even after the server starts again.

use super::audit::Entry;
use super::secret_key::SecretKey;
use super::store::seals::{self as stored, SheetLine, SheetSignature};
use super::store::{Store, StoreError, WriteTx, from_ts, to_ts};
use super::{Core, CoreError, CoreResult};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use toile_shared::ErrorCode;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::{ParticipantId, SessionId};

/// The first migration of the release that keyed seals: a database without it was sealed by
/// the plain rule, and only the start that applies it stamps those seals.
pub(super) const KEYED_SEALS_MIGRATION: i64 = 16;

/// How a seal was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SealRule {
    /// HMAC-SHA-256 keyed with the server's secret key: today's rule.
    HmacSha256,
    /// A plain SHA-256, by a release before keyed seals, stamped with the key at the upgrade.
    LegacySha256,
}

impl SealRule {
    /// For the sheet and its page: "HMAC-SHA-256", "SHA-256, ancienne règle".
    pub fn label(self) -> &'static str {
        match self {
            SealRule::HmacSha256 => "HMAC-SHA-256",
            SealRule::LegacySha256 => "SHA-256, ancienne règle",
        }
    }
}

/// How a seal is stored in `sheet_seals.content_hash` (and `anonymised_hash`).
const HMAC_PREFIX: &str = "hmac-sha256:";
const LEGACY_PREFIX: &str = "sha256:";

/// The latest seal of a session's sheet.
#[derive(Clone, Debug)]
pub struct Seal {
    id: i64,
    pub sealed_at: DateTime<Utc>,
    pub sealed_by: Option<String>,
    /// The rule it was made with, which the sheet names.
    pub rule: SealRule,
    /// The seal's value, in hex (64 characters).
    pub content_hash: String,
    /// Re-opened by a correction since: when, and by whom.
    pub reopened: Option<(DateTime<Utc>, Option<String>)>,
    /// The content still hashes to the seal (only meaningful while it is not re-opened).
    pub intact: bool,
}

/// What a sheet says, one line per confirmed person in a stable order: what is sealed.
async fn content(conn: &mut AnyConnection, session: SessionId) -> Result<String, sqlx::Error> {
    let mut text = format!("toile-sheet-v1\t{session}\n");
    for line in stored::sheet_lines(conn, session).await? {
        let SheetLine { participant_id: id, last_name, first_name, structure_name, attendance, updated_at } = line;
        text.push_str(&format!("{id}\t{last_name}\t{first_name}\t{structure_name}\t{attendance}\t{updated_at}\n"));
    }
    // The signatures follow, when there are any: a sheet without them hashes as it did before
    // signatures existed, so seals made then still hold.
    for signature in stored::sheet_signatures(conn, session).await? {
        let SheetSignature { participant_id, user_id, strokes, signed_at } = signature;
        let signer = match (participant_id, user_id) {
            (Some(participant), _) => format!("participant {participant}"),
            (_, user) => format!("staff {}", user.unwrap_or_default()),
        };
        text.push_str(&format!("signature\t{signer}\t{signed_at}\t{strokes}\n"));
    }
    Ok(text)
}

/// The seal of `content` by today's rule, as stored.
fn seal_of(key: &SecretKey, content: &str) -> String {
    format!("{HMAC_PREFIX}{}", key.seal(content.as_bytes()))
}

/// What vouches, with the key, for a plain SHA-256 seal made before keyed seals, of `session`.
fn legacy_stamp(key: &SecretKey, session: SessionId, sha256: &str) -> String {
    key.seal(format!("toile-legacy-seal\t{session}\t{sha256}").as_bytes())
}

/// The rule of a stored seal and its value in hex; `None` for a plain SHA-256 without the
/// key's stamp (written into the database behind Toile's back, or not yet adopted).
fn parse(key: &SecretKey, session: SessionId, stored: &str) -> Option<(SealRule, String)> {
    if let Some(mac) = stored.strip_prefix(HMAC_PREFIX) {
        return Some((SealRule::HmacSha256, mac.to_string()));
    }
    let (sha256, stamp) = stored.strip_prefix(LEGACY_PREFIX)?.split_once(':')?;
    (legacy_stamp(key, session, sha256) == stamp).then(|| (SealRule::LegacySha256, sha256.to_string()))
}

/// Whether the stored seal covers `content`.
fn covers(key: &SecretKey, session: SessionId, stored: &str, content: &str) -> bool {
    match parse(key, session, stored) {
        Some((SealRule::HmacSha256, _)) => seal_of(key, content) == stored,
        Some((SealRule::LegacySha256, sha256)) => hex::encode(Sha256::digest(content.as_bytes())) == sha256,
        None => false,
    }
}

/// The latest seal of the session's sheet, checked against what the sheet says now.
pub(super) async fn latest(conn: &mut AnyConnection, key: &SecretKey, session: SessionId) -> CoreResult<Option<Seal>> {
    let Some(row) = stored::latest(conn, session).await? else { return Ok(None) };
    let parsed = parse(key, session, &row.content_hash);
    let intact = parsed.is_some() && row.reopened_at.is_none() && {
        let now = content(conn, session).await?;
        covers(key, session, &row.content_hash, &now)
            || row.anonymised_hash.as_deref().is_some_and(|anonymised| covers(key, session, anonymised, &now))
    };
    // A seal without the key's stamp reads as today's rule and does not hold.
    let (rule, value) = parsed.unwrap_or((SealRule::HmacSha256, row.content_hash));
    Ok(Some(Seal {
        id: row.id,
        sealed_at: from_ts(row.sealed_at),
        sealed_by: row.sealed_by,
        rule,
        content_hash: value,
        reopened: row.reopened_at.map(|at| (from_ts(at), row.reopened_by)),
        intact,
    }))
}

/// The sealed sheets that name the person and still hold: anonymising them must not look like
/// a tampered sheet (see `record_anonymised`).
pub(super) async fn holding_seals_naming(
    conn: &mut AnyConnection,
    key: &SecretKey,
    person: ParticipantId,
) -> CoreResult<Vec<(i64, SessionId)>> {
    let sessions = stored::sealed_sessions_naming(conn, person).await?;
    let mut holding = vec![];
    for session in sessions {
        if let Some(seal) = latest(conn, key, session).await?.filter(|seal| seal.intact) {
            holding.push((seal.id, session));
        }
    }
    Ok(holding)
}

/// Records what those sheets say once their people are anonymised, sealed by today's rule:
/// their seals keep holding.
pub(super) async fn record_anonymised(
    conn: &mut AnyConnection,
    key: &SecretKey,
    seals: &[(i64, SessionId)],
) -> CoreResult<()> {
    for (seal, session) in seals {
        let hash = seal_of(key, &content(conn, *session).await?);
        stored::set_anonymised_hash(conn, *seal, &hash).await?;
    }
    Ok(())
}

/// Re-opens the session's sealed sheet, in the transaction of the change that alters it.
pub(super) async fn reopen_if_sealed(tx: &mut WriteTx, actor: &Actor, session: SessionId) -> CoreResult<()> {
    let at = to_ts(tx.at);
    let reopened = stored::reopen(tx, session, at, actor.staff_user_id()).await?;
    if reopened.is_some() {
        Entry::new(actor, AuditAction::SheetReopened).session(session).write(tx).await?;
    }
    Ok(())
}

/// At the start that upgrades to keyed seals (once): stamps with the key each plain SHA-256
/// seal an earlier release made (and the plain hash it kept for a sheet whose people were
/// anonymised), so that they keep holding under the rule they were made with, and a plain
/// SHA-256 written later holds nothing.
pub(super) async fn adopt(store: &Store, key: &SecretKey) -> Result<(), StoreError> {
    let plain = {
        let mut conn = store.read().await?;
        stored::unstamped(&mut conn).await?
    };
    if plain.is_empty() {
        return Ok(());
    }
    let stamped =
        |session: SessionId, hash: &str| match hash.starts_with(HMAC_PREFIX) || hash.starts_with(LEGACY_PREFIX) {
            true => hash.to_string(),
            false => format!("{LEGACY_PREFIX}{hash}:{}", legacy_stamp(key, session, hash)),
        };
    let mut tx = store.write(Utc::now()).await?;
    for seal in &plain {
        let content_hash = stamped(seal.session_id, &seal.content_hash);
        let anonymised_hash = seal.anonymised_hash.as_deref().map(|hash| stamped(seal.session_id, hash));
        stored::set_hashes(&mut tx, seal.id, &content_hash, anonymised_hash.as_deref()).await?;
    }
    tx.commit().await?;
    tracing::info!(seals = plain.len(), "sheet seals made by an earlier release are now stamped with the secret key");
    Ok(())
}

impl Core {
    /// Closes the session's sign-in sheet once everyone's attendance is said, sealing its
    /// content. For whoever takes attendance.
    pub async fn close_sheet(&self, actor: &Actor, session_id: SessionId) -> CoreResult<Seal> {
        let (mut tx, _, seats) = self.lock_for(actor, session_id, Actor::may_take_attendance).await?;
        if tx.at < from_ts(seats.row.starts_at) {
            return Err(CoreError::conflict(ErrorCode::NotStarted, "La feuille se clôt une fois la séance commencée."));
        }
        let key = &self.settings.secret_key;
        if latest(&mut tx, key, session_id).await?.is_some_and(|seal| seal.reopened.is_none()) {
            return Err(CoreError::conflict(ErrorCode::AlreadySealed, "La feuille est déjà close."));
        }
        let unsaid = stored::attendance_unsaid(&mut tx, session_id).await?;
        if unsaid > 0 {
            let message = match unsaid {
                1 => "Il reste 1 personne à noter avant de clore la feuille.".to_string(),
                n => format!("Il reste {n} personnes à noter avant de clore la feuille."),
            };
            return Err(CoreError::conflict(ErrorCode::AttendanceMissing, message));
        }
        let hash = seal_of(key, &content(&mut tx, session_id).await?);
        let seal =
            stored::NewSeal { session_id, at: to_ts(tx.at), sealed_by: actor.staff_user_id(), content_hash: &hash };
        stored::insert(&mut tx, seal).await?;
        Entry::new(actor, AuditAction::SheetSealed).session(session_id).details(&hash).write(&mut tx).await?;
        let seal = latest(&mut tx, key, session_id).await?.ok_or(CoreError::NotFound("Feuille"))?;
        tx.commit().await?;
        Ok(seal)
    }
}
