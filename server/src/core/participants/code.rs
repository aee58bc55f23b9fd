//! A participant's access code after registration: a new one drawn for a new card (the old one
//! ends everywhere), or one chosen (demo data; a code reprinted that the person already knows).

use crate::core::audit::Entry;
use crate::core::secrets::new_access_code;
use crate::core::store::participants as stored;
use crate::core::store::{is_unique_violation, sign_in_links, to_ts};
use crate::core::{Core, CoreError, CoreResult};
use toile_shared::ErrorCode;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::{ParticipantId, access_code};

impl Core {
    /// Draws a new access code for the person (to print on a new card): the old code stops
    /// working, and their browsers and calendar links are signed out. Returns the code, shown
    /// this once.
    pub async fn renew_access_code(&self, actor: &Actor, id: ParticipantId) -> CoreResult<String> {
        let mut tx = self.store.write(self.clock.now()).await?;
        let person = stored::one(&mut tx, id).await?.ok_or(CoreError::NotFound("Participant"))?;
        if !actor.is_staff() || !actor.may_manage_participants_of(person.structure_id) {
            return Err(CoreError::NotFound("Participant"));
        }
        if person.active == 0 {
            return Err(CoreError::conflict(
                ErrorCode::Archived,
                "Cette personne est archivée : elle n'a plus de code.",
            ));
        }
        // A fresh code collides with another about once in 10^11: draw again.
        let mut code = None;
        let at = to_ts(tx.at);
        for _ in 0..5 {
            let candidate = new_access_code();
            let hash = self.settings.secret_key.stored_code(&candidate);
            if stored::set_code_unless_taken(&mut tx, id, &hash, at).await?.is_some() {
                code = Some(candidate);
                break;
            }
        }
        let code = code.ok_or_else(|| CoreError::Internal("could not draw a unique access code".into()))?;
        stored::sign_out_everywhere(&mut tx, id).await?;
        Entry::new(actor, AuditAction::AccessCodeRenewed).participant(id).write(&mut tx).await?;
        tx.commit().await?;
        Ok(code)
    }

    /// Replaces a participant's access code with a chosen one (demo data; a CIP reprinting a
    /// code the person already knows).
    pub async fn set_access_code(
        &self,
        actor: &Actor,
        participant_id: ParticipantId,
        typed_code: &str,
    ) -> CoreResult<()> {
        let code =
            access_code::normalize(typed_code).ok_or_else(|| CoreError::invalid("access_code", "Code invalide."))?;
        let mut tx = self.store.write(self.clock.now()).await?;
        let person = stored::one(&mut tx, participant_id).await?.ok_or(CoreError::NotFound("Participant"))?;
        if !actor.may_manage_participants_of(person.structure_id) {
            return Err(CoreError::Forbidden);
        }
        let at = to_ts(tx.at);
        stored::set_access_code_hash(&mut tx, participant_id, &self.settings.secret_key.stored_code(&code), at)
            .await
            .map_err(|e| {
            if is_unique_violation(&e) {
                CoreError::conflict(ErrorCode::DuplicateCode, "Ce code est déjà utilisé.")
            } else {
                e.into()
            }
        })?;
        // A card printed before carries a link that no longer matches its code.
        sign_in_links::delete_for(&mut tx, participant_id).await?;
        Entry::new(actor, AuditAction::AccessCodeSet).participant(participant_id).write(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }
}
