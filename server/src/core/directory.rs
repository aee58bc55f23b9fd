//! The group's directory: structures, sites, staff and participants.

use super::audit::Entry;
use super::password_policy::check_new_password;
use super::secrets::{hash_password_in_turn, new_access_code};
use super::store::people::{self, ParticipantRow};
use super::store::{is_unique_violation, to_ts};
use super::views::{ParticipantView, StructureView};
use super::{Core, CoreError, CoreResult};
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::{ParticipantId, Role, StructureId, StructureKind, UserId, access_code, text};

pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub structure_id: Option<StructureId>,
    pub password: Option<String>,
}

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

pub struct NewSite {
    pub structure_id: StructureId,
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub city: String,
    pub access_notes: Option<String>,
}

impl From<ParticipantRow> for ParticipantView {
    fn from(row: ParticipantRow) -> Self {
        ParticipantView {
            id: row.id,
            first_name: row.first_name,
            last_name: row.last_name,
            structure_id: row.structure_id,
            referent_id: row.referent_id,
            active: row.active != 0,
        }
    }
}

/// A text as typed, measured before trimming: at most `max` characters, no control character.
fn check_text(field: &str, value: &str, max: usize) -> CoreResult<()> {
    if value.chars().count() > max || text::has_control(value) {
        return Err(CoreError::invalid(field, "Ce texte est trop long ou contient des caractères invalides."));
    }
    Ok(())
}

fn require_text(field: &str, value: &str, max: usize) -> CoreResult<String> {
    if text::is_blank(value) {
        return Err(CoreError::invalid(field, "Ce champ est obligatoire."));
    }
    check_text(field, value, max)?;
    Ok(value.trim().to_string())
}

/// `None` for no value or a blank one.
fn optional_text(field: &str, value: Option<String>, max: usize) -> CoreResult<Option<String>> {
    let Some(value) = value else { return Ok(None) };
    check_text(field, &value, max)?;
    Ok(Some(value.trim().to_string()).filter(|value| !value.is_empty()))
}

/// A password chosen by the person named `display_name` whose e-mail is `email`, checked against
/// the policy (`password_policy`) and hashed (argon2, off the async workers: it is slow on purpose).
pub(super) async fn hash_new_password(password: String, display_name: &str, email: &str) -> CoreResult<String> {
    check_new_password(&password, display_name, email).map_err(CoreError::WeakPassword)?;
    hash_password_in_turn(password).await.map_err(CoreError::Internal)
}

fn require_admin(actor: &Actor) -> CoreResult<()> {
    if actor.may_administer() { Ok(()) } else { Err(CoreError::Forbidden) }
}

impl Core {
    /// The structures of the group, for staff.
    pub async fn structures(&self, actor: &Actor) -> CoreResult<Vec<StructureView>> {
        if !(actor.is_staff() || actor.may_administer()) {
            return Err(CoreError::Forbidden);
        }
        let mut conn = self.store.read().await?;
        let rows = people::structures(&mut conn).await?;
        Ok(rows.into_iter().map(|row| StructureView { id: row.id, name: row.name, kind: row.kind }).collect())
    }

    /// Creates a structure, or returns the existing one of that name (command line, demo data).
    pub async fn ensure_structure(
        &self,
        actor: &Actor,
        name: &str,
        kind: StructureKind,
        siret: Option<&str>,
    ) -> CoreResult<StructureId> {
        require_admin(actor)?;
        let name = require_text("name", name, 150)?;
        let mut tx = self.store.write(self.clock.now()).await?;
        if let Some(id) = people::structure_named(&mut tx, &name).await? {
            return Ok(id);
        }
        let id = people::insert_structure(&mut tx, &name, kind, siret).await?;
        Entry::new(actor, AuditAction::StructureCreated).details(format!("structure:{id}")).write(&mut tx).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn add_site(&self, actor: &Actor, site: NewSite) -> CoreResult<i64> {
        require_admin(actor)?;
        let mut tx = self.store.write(self.clock.now()).await?;
        if people::structure(&mut tx, site.structure_id).await?.is_none() {
            return Err(CoreError::invalid("structure_id", "Cette structure n'existe pas."));
        }
        let access_notes = optional_text("access_notes", site.access_notes, 500)?;
        let stored = people::NewSite {
            structure_id: site.structure_id,
            name: &require_text("name", &site.name, 150)?,
            address: &require_text("address", &site.address, 300)?,
            postcode: &require_text("postcode", &site.postcode, 10)?,
            city: &require_text("city", &site.city, 100)?,
            access_notes: access_notes.as_deref(),
        };
        let id = people::insert_site(&mut tx, &stored).await?;
        Entry::new(actor, AuditAction::SiteCreated)
            .details(format!("site:{id} structure:{}", site.structure_id))
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Adds a staff member (admins and the operator at the command line).
    pub async fn add_user(&self, actor: &Actor, user: NewUser) -> CoreResult<UserId> {
        require_admin(actor)?;
        let email = user.email.trim().to_lowercase();
        if !email.contains('@') || email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(CoreError::invalid("email", "Adresse e-mail invalide."));
        }
        let display_name = require_text("name", &user.display_name, 120)?;
        if matches!(user.role, Role::Cip | Role::Coordinator) && user.structure_id.is_none() {
            return Err(CoreError::invalid(
                "structure",
                "Un·e CIP ou coordinateur·rice de structure appartient à une structure.",
            ));
        }
        let password_hash = match user.password {
            Some(password) => Some(hash_new_password(password, &display_name, &email).await?),
            None => None,
        };
        let mut tx = self.store.write(self.clock.now()).await?;
        if let Some(structure) = user.structure_id
            && people::structure(&mut tx, structure).await?.is_none()
        {
            return Err(CoreError::invalid("structure", "Cette structure n'existe pas."));
        }
        let new = people::NewStaff {
            email: &email,
            display_name: &display_name,
            role: user.role,
            structure_id: user.structure_id,
            password_hash,
            at: to_ts(tx.at),
        };
        let id = people::insert_staff(&mut tx, &new).await.map_err(|e| {
            if is_unique_violation(&e) {
                CoreError::conflict("duplicate_email", "Un compte existe déjà avec cette adresse e-mail.")
            } else {
                e.into()
            }
        })?;
        Entry::new(actor, AuditAction::UserCreated)
            .details(format!("user:{id} role:{}", user.role.code()))
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The staff member with this e-mail, if any (admins and the operator).
    pub async fn user_id_by_email(&self, actor: &Actor, email: &str) -> CoreResult<Option<UserId>> {
        require_admin(actor)?;
        let mut conn = self.store.read().await?;
        Ok(people::staff_by_email(&mut conn, &email.trim().to_lowercase()).await?.map(|row| row.id))
    }

    /// A structure's participants (the caller's own by default), or the whole group's for
    /// group-wide staff.
    /// A page of a structure's participants (the actor's, or everyone's for group-wide staff),
    /// by name: at most `limit` (up to `MAX_PAGE_SIZE`) after `after`, and the last one's id
    /// when there are more.
    pub async fn participants(
        &self,
        actor: &Actor,
        structure_id: Option<StructureId>,
        after: Option<ParticipantId>,
        limit: u32,
    ) -> CoreResult<(Vec<ParticipantView>, Option<ParticipantId>)> {
        let structure_id = match (structure_id, actor) {
            (Some(id), _) => Some(id),
            (None, Actor::Staff { structure_id: Some(own), .. }) => Some(*own),
            (None, _) if actor.is_group_wide() => None,
            (None, _) => return Err(CoreError::Forbidden),
        };
        if let Some(structure) = structure_id
            && !actor.may_manage_participants_of(structure)
        {
            return Err(CoreError::Forbidden);
        }
        let limit = limit.clamp(1, super::MAX_PAGE_SIZE) as usize;
        let mut conn = self.store.read().await?;
        let mut rows = people::participants(&mut conn, structure_id, after, limit as i64 + 1).await?;
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = rows.last().filter(|_| more).map(|last| last.id);
        Ok((rows.into_iter().map(Into::into).collect(), next))
    }

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
        if people::structure(&mut tx, new.structure_id).await?.is_none() {
            return Err(CoreError::invalid("structure_id", "Cette structure n'existe pas."));
        }
        let referent_id = match (new.referent_id, actor) {
            (Some(id), _) => {
                let referent = people::staff(&mut tx, id).await?;
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
        // A savepoint per try keeps the transaction usable after a collision.
        for _ in 0..5 {
            let code = new_access_code();
            let stored = people::NewParticipant {
                first_name: &first_name,
                last_name: &last_name,
                structure_id: new.structure_id,
                referent_id,
                phone: phone.as_deref(),
                email: email.as_deref(),
                code_hash: &self.settings.secret_key.stored_code(&code),
                at: to_ts(tx.at),
            };
            sqlx::query("SAVEPOINT new_code").execute(&mut *tx).await?;
            match people::insert_participant(&mut tx, &stored).await {
                Ok(id) => {
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
                Err(e) if is_unique_violation(&e) => {
                    sqlx::query("ROLLBACK TO SAVEPOINT new_code").execute(&mut *tx).await?;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(CoreError::Internal("could not draw a unique access code".into()))
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
        let person = people::participant(&mut tx, participant_id).await?.ok_or(CoreError::NotFound("Participant"))?;
        if !actor.may_manage_participants_of(person.structure_id) {
            return Err(CoreError::Forbidden);
        }
        let at = to_ts(tx.at);
        people::set_access_code_hash(&mut tx, participant_id, &self.settings.secret_key.stored_code(&code), at)
            .await
            .map_err(|e| {
            if is_unique_violation(&e) {
                CoreError::conflict("duplicate_code", "Ce code est déjà utilisé.")
            } else {
                e.into()
            }
        })?;
        // A card printed before carries a link that no longer matches its code.
        sqlx::query("DELETE FROM sign_in_links WHERE participant_id = $1")
            .bind(participant_id)
            .execute(&mut *tx)
            .await?;
        Entry::new(actor, AuditAction::AccessCodeSet).participant(participant_id).write(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }
}
