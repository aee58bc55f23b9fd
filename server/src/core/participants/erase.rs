//! Erasing a participant: their names, phone, e-mail, code, sign-ins, signatures and the
//! messages for them or naming them go; what they attended stays in the figures, under their
//! structure, with no name. At their request at once (`erase_participant`), or by the
//! retention job once they have been archived long enough (`retention`).

use crate::core::audit::Entry;
use crate::core::sealing;
use crate::core::secret_key::SecretKey;
use crate::core::store::audit as trail;
use crate::core::store::participants as stored;
use crate::core::store::{WriteTx, outbox, to_ts};
use crate::core::{Core, CoreError, CoreResult};
use toile_shared::ErrorCode;
use toile_shared::ParticipantId;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;

/// Anonymises the person in `tx`, keeping the seals of the sign-in sheets that name them.
pub(in crate::core) async fn anonymise(
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
    outbox::forget(tx, person).await?;
    sealing::record_anonymised(tx, key, &seals).await?;
    Entry::new(actor, AuditAction::ParticipantAnonymised).participant(person).details(why).write(tx).await?;
    Ok(())
}

impl Core {
    /// Erases the person's data at their request: archived first if they were not (their
    /// places to come go to the people waiting), then anonymised at once. For their
    /// structure's coordinator or group-wide staff; cannot be undone.
    pub async fn erase_participant(&self, actor: &Actor, person: ParticipantId) -> CoreResult<()> {
        let record = self.participant_record(actor, person).await?;
        if !actor.may_answer_data_request_of(record.entry.structure_id) {
            return Err(CoreError::Forbidden);
        }
        if record.entry.anonymised {
            return Err(CoreError::conflict(
                ErrorCode::AlreadyAnonymised,
                "Les données de cette personne sont déjà effacées.",
            ));
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
