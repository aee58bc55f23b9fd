//! Registering a participant: their details checked, their referent chosen, an access code
//! drawn for them (shown once, stored only keyed with the server's secret).

use crate::core::audit::Entry;
use crate::core::secrets::new_access_code;
use crate::core::store::participants as stored;
use crate::core::store::to_ts;
use crate::core::store::{staff, structures};
use crate::core::text_fields::{optional_text, require_text};
use crate::core::views::ParticipantView;
use crate::core::{Core, CoreError, CoreResult};
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::{StructureId, UserId};

/// The bounds of a participant's details, in characters as typed.
pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_PHONE_CHARS: usize = 30;
pub const MAX_EMAIL_CHARS: usize = 254;

pub struct NewParticipant {
    pub first_name: String,
    pub last_name: String,
    pub structure_id: StructureId,
    pub referent_id: Option<UserId>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl Core {
    /// Registers a participant and returns them with their access code (shown this once).
    pub async fn register_participant(
        &self,
        actor: &Actor,
        new: NewParticipant,
    ) -> CoreResult<(ParticipantView, String)> {
        if !actor.may_manage_participants_of(new.structure_id) {
            return Err(CoreError::Forbidden);
        }
        let first_name = require_text("first_name", &new.first_name, MAX_NAME_CHARS)?;
        let last_name = require_text("last_name", &new.last_name, MAX_NAME_CHARS)?;
        let phone = optional_text("phone", new.phone, MAX_PHONE_CHARS)?;
        let email = optional_text("email", new.email, MAX_EMAIL_CHARS)?;
        let mut tx = self.store.write(self.clock.now()).await?;
        if structures::one(&mut tx, new.structure_id).await?.is_none() {
            return Err(CoreError::invalid("structure_id", "Cette structure n'existe pas."));
        }
        let referent_id = match (new.referent_id, actor) {
            (Some(id), _) => {
                let referent = staff::one(&mut tx, id).await?;
                if referent.and_then(|r| r.structure_id) != Some(new.structure_id) {
                    return Err(CoreError::invalid(
                        "referent_id",
                        "Le ou la référent·e doit être de la même structure.",
                    ));
                }
                Some(id)
            }
            (None, Actor::Staff { user_id, structure_id: Some(own), .. }) if *own == new.structure_id => Some(*user_id),
            _ => None,
        };
        // A fresh code collides with an existing one about once in 10^11: retry, don't fail.
        for _ in 0..5 {
            let code = new_access_code();
            let person = stored::NewParticipant {
                first_name: &first_name,
                last_name: &last_name,
                structure_id: new.structure_id,
                referent_id,
                phone: phone.as_deref(),
                email: email.as_deref(),
                code_hash: &self.settings.secret_key.stored_code(&code),
                at: to_ts(tx.at),
            };
            if let Some(id) = stored::insert_unless_code_taken(&mut tx, &person).await? {
                Entry::new(actor, AuditAction::ParticipantRegistered).participant(id).write(&mut tx).await?;
                tx.commit().await?;
                let view = ParticipantView {
                    id,
                    first_name,
                    last_name,
                    structure_id: new.structure_id,
                    referent_id,
                    active: true,
                };
                return Ok((view, code));
            }
        }
        Err(CoreError::Internal("could not draw a unique access code".into()))
    }
}
