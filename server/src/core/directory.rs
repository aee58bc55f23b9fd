//! The group's directory: structures, sites, staff and participants.

use super::audit::{self, Entry};
use super::error::is_unique_violation;
use super::secrets::{hash_password, hash_token, new_access_code};
use super::time::{now, to_ts};
use super::views::{ParticipantView, StructureView};
use super::{Core, CoreError, CoreResult};
use toile_shared::authz::Actor;
use toile_shared::{Role, StructureId, StructureKind, UserId};

pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub structure_id: Option<StructureId>,
    pub password: Option<String>,
}

pub struct NewParticipant {
    pub first_name: String,
    pub last_name: String,
    pub structure_id: StructureId,
    pub referent_id: Option<UserId>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub support_needs: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ParticipantRow {
    id: i64,
    first_name: String,
    last_name: String,
    structure_id: i64,
    referent_id: Option<i64>,
    active: i64,
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

fn require_text(field: &str, value: &str, max: usize) -> CoreResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(CoreError::invalid(field, "Ce champ est obligatoire."));
    }
    if value.chars().count() > max || value.chars().any(char::is_control) {
        return Err(CoreError::invalid(field, "Ce texte est trop long ou contient des caractères invalides."));
    }
    Ok(value.to_string())
}

fn optional_text(field: &str, value: Option<String>, max: usize) -> CoreResult<Option<String>> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => require_text(field, text, max).map(Some),
    }
}

impl Core {
    pub async fn structures(&self, _actor: &Actor) -> CoreResult<Vec<StructureView>> {
        let rows: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT id, name, kind FROM structures ORDER BY name").fetch_all(&self.db.pool).await?;
        Ok(rows.into_iter().map(|(id, name, kind)| StructureView { id, name, kind }).collect())
    }

    /// Creates a structure, or returns the existing one of that name (CLI and demo data).
    pub async fn ensure_structure(
        &self,
        name: &str,
        kind: StructureKind,
        siret: Option<&str>,
    ) -> CoreResult<StructureId> {
        if let Some(id) = sqlx::query_scalar::<_, i64>("SELECT id FROM structures WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.db.pool)
            .await?
        {
            return Ok(id);
        }
        Ok(sqlx::query_scalar("INSERT INTO structures (name, kind, siret) VALUES ($1, $2, $3) RETURNING id")
            .bind(name)
            .bind(kind.code())
            .bind(siret)
            .fetch_one(&self.db.pool)
            .await?)
    }

    pub async fn add_site(
        &self,
        structure_id: StructureId,
        name: &str,
        address: &str,
        postcode: &str,
        city: &str,
        access_notes: Option<&str>,
    ) -> CoreResult<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO sites (structure_id, name, address, postcode, city, access_notes)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(structure_id)
        .bind(name)
        .bind(address)
        .bind(postcode)
        .bind(city)
        .bind(access_notes)
        .fetch_one(&self.db.pool)
        .await?)
    }

    /// Adds a staff member (CLI: no actor, the operator owns the machine).
    pub async fn add_user(&self, user: NewUser) -> CoreResult<UserId> {
        let email = user.email.trim().to_lowercase();
        if !email.contains('@') || email.len() > 254 {
            return Err(CoreError::invalid("email", "Adresse e-mail invalide."));
        }
        let display_name = require_text("name", &user.display_name, 120)?;
        let needs_structure = matches!(user.role, Role::Cip | Role::Coordinator);
        if needs_structure && user.structure_id.is_none() {
            return Err(CoreError::invalid(
                "structure",
                "Un·e CIP ou coordinateur·rice de structure appartient à une structure.",
            ));
        }
        if let Some(structure) = user.structure_id {
            self.require_structure(structure, "structure").await?;
        }
        let password_hash = match user.password {
            Some(password) if password.chars().count() < 8 => {
                return Err(CoreError::invalid("password", "Le mot de passe doit faire au moins 8 caractères."));
            }
            Some(password) => Some(
                tokio::task::spawn_blocking(move || hash_password(&password))
                    .await
                    .map_err(|e| CoreError::Internal(e.to_string()))?
                    .map_err(CoreError::Internal)?,
            ),
            None => None,
        };
        sqlx::query_scalar(
            "INSERT INTO users (email, display_name, role, structure_id, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&email)
        .bind(display_name)
        .bind(user.role.code())
        .bind(user.structure_id)
        .bind(password_hash)
        .bind(to_ts(now()))
        .fetch_one(&self.db.pool)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                CoreError::conflict("duplicate_email", "Un compte existe déjà avec cette adresse e-mail.")
            } else {
                e.into()
            }
        })
    }

    pub async fn user_id_by_email(&self, email: &str) -> CoreResult<Option<UserId>> {
        Ok(sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.db.pool)
            .await?)
    }

    pub(super) async fn require_structure(&self, id: StructureId, field: &str) -> CoreResult<()> {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM structures WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.db.pool)
            .await?;
        found.map(|_| ()).ok_or_else(|| CoreError::invalid(field, "Cette structure n'existe pas."))
    }

    pub async fn participants(
        &self,
        actor: &Actor,
        structure_id: Option<StructureId>,
    ) -> CoreResult<Vec<ParticipantView>> {
        let structure_id = match (structure_id, actor) {
            (Some(id), _) => id,
            (None, Actor::Staff { structure_id: Some(own), .. }) => *own,
            (None, _) if actor.is_group_wide() => {
                return self.all_participants().await;
            }
            (None, _) => return Err(CoreError::Forbidden),
        };
        if !actor.may_manage_participants_of(structure_id) {
            return Err(CoreError::Forbidden);
        }
        let rows: Vec<ParticipantRow> = sqlx::query_as(
            "SELECT id, first_name, last_name, structure_id, referent_id, active FROM participants
             WHERE structure_id = $1 ORDER BY last_name, first_name, id",
        )
        .bind(structure_id)
        .fetch_all(&self.db.pool)
        .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn all_participants(&self) -> CoreResult<Vec<ParticipantView>> {
        let rows: Vec<ParticipantRow> = sqlx::query_as(
            "SELECT id, first_name, last_name, structure_id, referent_id, active FROM participants
             ORDER BY last_name, first_name, id",
        )
        .fetch_all(&self.db.pool)
        .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Registers a participant and returns them with their access code (shown this once).
    pub async fn register_participant(
        &self,
        actor: Option<&Actor>,
        new: NewParticipant,
    ) -> CoreResult<(ParticipantView, String)> {
        if let Some(actor) = actor
            && !actor.may_manage_participants_of(new.structure_id)
        {
            return Err(CoreError::Forbidden);
        }
        let first_name = require_text("first_name", &new.first_name, 80)?;
        let last_name = require_text("last_name", &new.last_name, 80)?;
        let phone = optional_text("phone", new.phone, 30)?;
        let email = optional_text("email", new.email, 254)?;
        let support_needs = optional_text("support_needs", new.support_needs, 500)?;
        self.require_structure(new.structure_id, "structure_id").await?;
        let referent_id = match (new.referent_id, actor) {
            (Some(id), _) => {
                let structure: Option<Option<i64>> = sqlx::query_scalar("SELECT structure_id FROM users WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.db.pool)
                    .await?;
                if structure != Some(Some(new.structure_id)) {
                    return Err(CoreError::invalid(
                        "referent_id",
                        "Le ou la référent·e doit être de la même structure.",
                    ));
                }
                Some(id)
            }
            (None, Some(Actor::Staff { user_id, structure_id: Some(own), .. })) if *own == new.structure_id => {
                Some(*user_id)
            }
            _ => None,
        };
        let mut conn = self.db.pool.acquire().await?;
        // A fresh code collides with an existing one about once in 10^11: retry, don't fail.
        for _ in 0..5 {
            let code = new_access_code();
            let inserted = sqlx::query_scalar::<_, i64>(
                "INSERT INTO participants
                 (first_name, last_name, structure_id, referent_id, phone, email, support_needs, access_code_hash, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(&first_name)
            .bind(&last_name)
            .bind(new.structure_id)
            .bind(referent_id)
            .bind(&phone)
            .bind(&email)
            .bind(&support_needs)
            .bind(hash_token(&code))
            .bind(to_ts(now()))
            .fetch_one(&mut *conn)
            .await;
            match inserted {
                Ok(id) => {
                    audit::record(
                        &mut conn,
                        Entry {
                            actor,
                            action: "participant_registered",
                            session_id: None,
                            participant_id: Some(id),
                            details: String::new(),
                        },
                    )
                    .await?;
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
                Err(e) if is_unique_violation(&e) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(CoreError::Internal("could not draw a unique access code".into()))
    }

    /// Where a participant belongs, for permission checks.
    pub(super) async fn participant_structure(&self, participant_id: i64) -> CoreResult<StructureId> {
        let structure: Option<i64> = sqlx::query_scalar("SELECT structure_id FROM participants WHERE id = $1")
            .bind(participant_id)
            .fetch_optional(&self.db.pool)
            .await?;
        structure.ok_or(CoreError::NotFound("Participant"))
    }
}

impl Core {
    /// Replaces a participant's access code (demo data, and a CIP reprinting a lost code).
    pub async fn set_access_code(&self, participant_id: i64, typed_code: &str) -> CoreResult<()> {
        let code = toile_shared::access_code::normalize(typed_code)
            .ok_or_else(|| CoreError::invalid("access_code", "Code invalide."))?;
        sqlx::query("UPDATE participants SET access_code_hash = $2 WHERE id = $1")
            .bind(participant_id)
            .bind(hash_token(&code))
            .execute(&self.db.pool)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    CoreError::conflict("duplicate_code", "Ce code est déjà utilisé.")
                } else {
                    e.into()
                }
            })?;
        Ok(())
    }
}
