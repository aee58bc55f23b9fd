//! Keeping personal data only as long as it serves (the CNIL's rule for social support): people
//! archived when they left are anonymised after a set time (`participants::erase`), the audit
//! trail is kept for a set time, and so are the messages sent. A person's own requests, a copy
//! of their data or its erasure, are in `participants` (`copy`, `erase`).

use super::audit::Entry;
use super::participants::anonymise;
use super::store::audit as trail;
use super::store::participants::{self as stored};
use super::store::{outbox, to_ts};
use super::{Core, CoreResult};
use chrono::{DateTime, Months, Utc};
use toile_shared::audit::AuditAction;

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

/// People anonymised per transaction by the job: short transactions, however many are due.
const ANONYMISED_PER_BATCH: i64 = 50;

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
        pass.messages_deleted = outbox::delete_ended_before(&mut tx, journal_start).await?;
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
}

/// The instant `months` calendar months before `now` (the 31st falls back to the month's last).
fn months_before(now: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(months)).unwrap_or(DateTime::<Utc>::MIN_UTC)
}
