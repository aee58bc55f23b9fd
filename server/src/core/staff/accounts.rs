//! Staff accounts: made by admins and the command line, listed, turned off when someone leaves
//! (their sign-ins and API tokens stop at once), their API tokens revoked.

use super::password_policy::hash_new_password;
use super::require_admin;
use crate::core::audit::Entry;
use crate::core::store::staff::{self, Account};
use crate::core::store::{api_tokens, is_unique_violation, structures, to_ts};
use crate::core::text_fields::require_text;
use crate::core::{Core, CoreError, CoreResult};
use toile_shared::ErrorCode;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::{Role, StructureId, UserId};

pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub structure_id: Option<StructureId>,
    pub password: Option<String>,
}

/// Which account: by id (the admin page) or by e-mail (the command line).
enum Key<'a> {
    Id(UserId),
    Email(&'a str),
}

impl Core {
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
            && structures::one(&mut tx, structure).await?.is_none()
        {
            return Err(CoreError::invalid("structure", "Cette structure n'existe pas."));
        }
        let new = staff::NewStaff {
            email: &email,
            display_name: &display_name,
            role: user.role,
            structure_id: user.structure_id,
            password_hash,
            at: to_ts(tx.at),
        };
        let id = staff::insert(&mut tx, &new).await.map_err(|e| {
            if is_unique_violation(&e) {
                CoreError::conflict(ErrorCode::DuplicateEmail, "Un compte existe déjà avec cette adresse e-mail.")
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
        Ok(staff::by_email(&mut conn, &email.trim().to_lowercase()).await?.map(|row| row.id))
    }

    /// Every staff account, by name: admins and the operator only.
    pub async fn accounts(&self, actor: &Actor) -> CoreResult<Vec<Account>> {
        require_admin(actor)?;
        let mut conn = self.store.read().await?;
        Ok(staff::accounts(&mut conn).await?)
    }

    /// Whether nobody can sign in yet: a fresh install, before `toile user add --role admin`.
    pub async fn is_empty_install(&self) -> CoreResult<bool> {
        let mut conn = self.store.read().await?;
        Ok(staff::count_able_to_sign_in(&mut conn).await? == 0)
    }

    /// Turns a staff account off by its id (the admin page's button).
    pub async fn deactivate_user_id(&self, actor: &Actor, user_id: UserId) -> CoreResult<UserId> {
        self.deactivate(actor, Key::Id(user_id)).await
    }

    /// Turns a staff account off by its e-mail (`toile user deactivate`).
    pub async fn deactivate_user(&self, actor: &Actor, email: &str) -> CoreResult<UserId> {
        self.deactivate(actor, Key::Email(&email.trim().to_lowercase())).await
    }

    /// Turns a staff account off: it can no longer sign in, its browsers are signed out and
    /// its API tokens stop working. Admins and the operator only.
    async fn deactivate(&self, actor: &Actor, account: Key<'_>) -> CoreResult<UserId> {
        require_admin(actor)?;
        let mut tx = self.store.write(self.clock.now()).await?;
        let user = match account {
            Key::Id(id) => staff::one(&mut tx, id).await?,
            Key::Email(email) => staff::by_email(&mut tx, email).await?,
        }
        .ok_or(CoreError::NotFound("Compte"))?;
        if actor.staff_user_id() == Some(user.id) {
            return Err(CoreError::conflict(ErrorCode::OwnAccount, "Un compte ne se désactive pas lui-même."));
        }
        staff::deactivate(&mut tx, user.id).await?;
        staff::sign_out_everywhere(&mut tx, user.id).await?;
        api_tokens::delete_all(&mut tx, user.id).await?;
        Entry::new(actor, AuditAction::UserDeactivated).details(format!("user:{}", user.id)).write(&mut tx).await?;
        tx.commit().await?;
        Ok(user.id)
    }

    /// Revokes every API token of a staff member; returns how many there were.
    pub async fn revoke_api_tokens(&self, actor: &Actor, email: &str) -> CoreResult<u64> {
        require_admin(actor)?;
        let email = email.trim().to_lowercase();
        let mut tx = self.store.write(self.clock.now()).await?;
        let user = staff::by_email(&mut tx, &email).await?.ok_or(CoreError::NotFound("Compte"))?;
        let revoked = api_tokens::delete_all(&mut tx, user.id).await?;
        Entry::new(actor, AuditAction::ApiTokensRevoked)
            .details(format!("user:{} count:{revoked}", user.id))
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(revoked)
    }
}
