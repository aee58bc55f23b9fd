//! A copy of everything Toile holds on a participant, which their structure's coordinator hands
//! over when the person asks for it (their right of access); the copy is in the audit trail.

use crate::core::audit::Entry;
use crate::core::participants::ParticipantRecord;
use crate::core::store::audit::{self as trail, AuditRow};
use crate::core::store::from_ts;
use crate::core::store::participants as stored;
use crate::core::{Core, CoreError, CoreResult};
use chrono::{DateTime, Utc};
use toile_shared::ParticipantId;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;

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

impl Core {
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
}
