//! Keeping personal data only as long as it serves (the CNIL's rule for social support): people
//! archived when they left are anonymised after a set time, the audit trail is kept for a set
//! time, and a person may ask for a copy of their data or for its erasure, answered by their
//! structure's coordinator. What they attended stays in the figures, under their structure,
//! with no name; the messages for them or naming them are deleted at once.

use super::audit::Entry;
use super::participants::ParticipantRecord;
use super::sealing;
use super::secret_key::SecretKey;
use super::store::audit::{self as trail, AuditRow};
use super::store::participants::{self as stored};
use super::store::{WriteTx, from_ts, to_ts};
use super::{Core, CoreError, CoreResult};
use chrono::{DateTime, Months, Utc};
use toile_shared::ParticipantId;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;

/// How long archived people and the audit trail are kept, unless the environment says
/// (`TOILE_KEEP_ARCHIVED_MONTHS`, `TOILE_KEEP_AUDIT_MONTHS`).
#[derive(Clone, Copy, Debug)]
pub struct Retention {
    /// Months after a person is archived before they are anonymised.
    pub archived_months: u32,
    /// Months an audit entry is kept.
    pub audit_months: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Retention { archived_months: 24, audit_months: 12 }
    }
}

/// What one pass of the retention job did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RetentionPass {
    pub anonymised: u64,
    pub audit_entries_deleted: u64,
    /// Messages to participants that ended longer ago than the journal is kept.
    pub messages_deleted: u64,
}

/// Everything Toile holds on a person, for the copy they may ask for.
#[derive(Clone, Debug)]
pub struct PersonalData {
    pub record: ParticipantRecord,
    pub registered_at: DateTime<Utc>,
    pub code_last_used_at: Option<DateTime<Utc>>,
    pub archived_at: Option<DateTime<Utc>>,
    pub anonymised_at: Option<DateTime<Utc>>,
    /// Browsers signed in as them now.
    pub sign_ins: i64,
    /// Calendar links they made.
    pub calendar_links: i64,
    /// What the audit trail says was done for, by or about them, newest first.
    pub trail: Vec<AuditRow>,
    pub generated_at: DateTime<Utc>,
}

/// The most trail entries a copy lists (the trail itself is kept twelve months by default).
const TRAIL_IN_A_COPY: i64 = 5_000;
/// People anonymised per transaction by the job: short transactions, however many are due.
const ANONYMISED_PER_BATCH: i64 = 50;

/// Anonymises the person in `tx`, keeping the seals of the sign-in sheets that name them.
async fn anonymise(
    tx: &mut WriteTx,
    key: &SecretKey,
    actor: Option<&Actor>,
    person: ParticipantId,
    why: &str,
) -> CoreResult<()> {
    let seals = sealing::holding_seals_naming(tx, key, person).await?;
    let at = to_ts(tx.at);
    stored::anonymise(tx, person, at).await?;
    trail::forget_reasons_about(tx, person).await?;
    // Every message for them or naming them, queued or sent: what was said to whom goes with them.
    super::store::outbox::forget(tx, person).await?;
    sealing::record_anonymised(tx, key, &seals).await?;
    Entry::new(actor, AuditAction::ParticipantAnonymised).participant(person).details(why).write(tx).await?;
    Ok(())
}

impl Core {
    /// The retention job, run daily by the server (and by `toile retention`): anonymises the
    /// people archived longer than kept, deletes audit entries older than kept, and the
    /// messages sent to participants as long ago.
    pub async fn apply_retention(&self) -> CoreResult<RetentionPass> {
        let now = self.now();
        let keep = self.settings.retention;
        let archived_before = to_ts(months_before(now, keep.archived_months));
        let mut pass = RetentionPass::default();
        loop {
            let mut tx = self.store.write(self.clock.now()).await?;
            let due = stored::archived_before(&mut tx, archived_before, ANONYMISED_PER_BATCH).await?;
            for person in &due {
                anonymise(&mut tx, &self.settings.secret_key, None, *person, "durée de conservation").await?;
            }
            tx.commit().await?;
            pass.anonymised += due.len() as u64;
            if (due.len() as i64) < ANONYMISED_PER_BATCH {
                break;
            }
        }
        let mut tx = self.store.write(self.clock.now()).await?;
        let journal_start = to_ts(months_before(now, keep.audit_months));
        pass.audit_entries_deleted = trail::delete_before(&mut tx, journal_start).await?;
        pass.messages_deleted = super::store::outbox::delete_ended_before(&mut tx, journal_start).await?;
        if pass.audit_entries_deleted > 0 {
            // The deletion itself stays in the trail, the one entry that says entries are gone.
            Entry::new(None, AuditAction::AuditTrimmed)
                .details(format!("count:{} months:{}", pass.audit_entries_deleted, keep.audit_months))
                .write(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(pass)
    }

    /// A copy of everything Toile holds on the person, for their coordinator to hand over on
    /// request; the copy is recorded in the audit trail.
    pub async fn personal_data(&self, actor: &Actor, person: ParticipantId) -> CoreResult<PersonalData> {
        let record = self.participant_record(actor, person).await?;
        if !actor.may_answer_data_request_of(record.entry.structure_id) {
            return Err(CoreError::Forbidden);
        }
        let mut conn = self.store.read().await?;
        let held = stored::held(&mut conn, person).await?.ok_or(CoreError::NotFound("Participant"))?;
        let trail = trail::of_participant(&mut conn, person, TRAIL_IN_A_COPY).await?;
        drop(conn);
        let mut tx = self.store.write(self.clock.now()).await?;
        Entry::new(actor, AuditAction::PersonalDataCopied).participant(person).write(&mut tx).await?;
        tx.commit().await?;
        Ok(PersonalData {
            record,
            registered_at: from_ts(held.created_at),
            code_last_used_at: held.code_used_at.map(from_ts),
            archived_at: held.archived_at.map(from_ts),
            anonymised_at: held.anonymised_at.map(from_ts),
            sign_ins: held.sign_ins,
            calendar_links: held.calendar_links,
            trail,
            generated_at: self.now(),
        })
    }

    /// Erases the person's data at their request: archived first if they were not (their
    /// places to come go to the people waiting), then anonymised at once. For their
    /// structure's coordinator or group-wide staff; cannot be undone.
    pub async fn erase_participant(&self, actor: &Actor, person: ParticipantId) -> CoreResult<()> {
        let record = self.participant_record(actor, person).await?;
        if !actor.may_answer_data_request_of(record.entry.structure_id) {
            return Err(CoreError::Forbidden);
        }
        if record.entry.anonymised {
            return Err(CoreError::conflict("already_anonymised", "Les données de cette personne sont déjà effacées."));
        }
        if record.entry.active {
            self.archive_participant(actor, person).await?;
        }
        let mut tx = self.store.write(self.clock.now()).await?;
        anonymise(&mut tx, &self.settings.secret_key, Some(actor), person, "à sa demande").await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The instant `months` calendar months before `now` (the 31st falls back to the month's last).
fn months_before(now: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(months)).unwrap_or(DateTime::<Utc>::MIN_UTC)
}
