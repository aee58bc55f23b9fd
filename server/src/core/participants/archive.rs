//! Archiving a participant who has left: no more sign-in, their places to come given up, their
//! past kept in the figures (erasing them is `erase`).

use crate::core::audit::Entry;
use crate::core::store::participants as stored;
use crate::core::store::to_ts;
use crate::core::{Core, CoreError, CoreResult};
use toile_shared::ParticipantId;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;

impl Core {
    /// Archives a participant who has left: they can no longer sign in, their places in
    /// sessions to come are given up (to the people waiting), their past stays in the figures.
    pub async fn archive_participant(&self, actor: &Actor, id: ParticipantId) -> CoreResult<()> {
        let record = self.participant_record(actor, id).await?;
        for session in &record.entry.coming {
            match self.unenrol(actor, session.session_id, id).await {
                Ok(_) | Err(CoreError::NotFound(_)) => {}
                Err(error) => return Err(error),
            }
        }
        let mut tx = self.store.write(self.clock.now()).await?;
        let at = to_ts(tx.at);
        stored::archive(&mut tx, id, at).await?;
        stored::sign_out_everywhere(&mut tx, id).await?;
        Entry::new(actor, AuditAction::ParticipantArchived).participant(id).write(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }
}
