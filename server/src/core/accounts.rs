//! Staff accounts after they are made: turned off when someone leaves (their sign-ins and API
//! tokens stop at once), API tokens revoked.

use super::audit::Entry;
use super::store::{api_tokens, people};
use super::{Core, CoreError, CoreResult};
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::{Role, StructureId, UserId};

/// A staff account as the admin page lists it.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct Account {
    pub id: UserId,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub structure_id: Option<StructureId>,
    pub structure_name: Option<String>,
    pub active: i64,
    /// They have chosen a password (else their invitation is pending or was never sent).
    pub has_password: i64,
}

/// Which account: by id (the admin page) or by e-mail (the command line).
enum Key<'a> {
    Id(UserId),
    Email(&'a str),
}

impl Core {
    /// Every staff account, by name: admins and the operator only.
    pub async fn accounts(&self, actor: &Actor) -> CoreResult<Vec<Account>> {
        if !actor.may_administer() {
            return Err(CoreError::Forbidden);
        }
        let mut conn = self.store.read().await?;
        Ok(sqlx::query_as(
            "SELECT u.id, u.display_name, u.email, u.role, u.structure_id, s.name AS structure_name, u.active,
                    CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS has_password
             FROM users u LEFT JOIN structures s ON s.id = u.structure_id
             ORDER BY u.active DESC, u.display_name, u.id",
        )
        .fetch_all(&mut *conn)
        .await?)
    }

    /// Whether nobody can sign in yet: a fresh install, before `toile user add --role admin`.
    pub async fn is_empty_install(&self) -> CoreResult<bool> {
        let mut conn = self.store.read().await?;
        let accounts: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE active = 1 AND password_hash IS NOT NULL")
                .fetch_one(&mut *conn)
                .await?;
        Ok(accounts == 0)
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
        if !actor.may_administer() {
            return Err(CoreError::Forbidden);
        }
        let mut tx = self.store.write(self.clock.now()).await?;
        let user = match account {
            Key::Id(id) => people::staff(&mut tx, id).await?,
            Key::Email(email) => people::staff_by_email(&mut tx, email).await?,
        }
        .ok_or(CoreError::NotFound("Compte"))?;
        if actor.staff_user_id() == Some(user.id) {
            return Err(CoreError::conflict("self", "Un compte ne se désactive pas lui-même."));
        }
        sqlx::query("UPDATE users SET active = 0 WHERE id = $1").bind(user.id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM auth_sessions WHERE user_id = $1").bind(user.id).execute(&mut *tx).await?;
        api_tokens::delete_all(&mut tx, user.id).await?;
        Entry::new(actor, AuditAction::UserDeactivated).details(format!("user:{}", user.id)).write(&mut tx).await?;
        tx.commit().await?;
        Ok(user.id)
    }

    /// Revokes every API token of a staff member; returns how many there were.
    pub async fn revoke_api_tokens(&self, actor: &Actor, email: &str) -> CoreResult<u64> {
        if !actor.may_administer() {
            return Err(CoreError::Forbidden);
        }
        let email = email.trim().to_lowercase();
        let mut tx = self.store.write(self.clock.now()).await?;
        let user = people::staff_by_email(&mut tx, &email).await?.ok_or(CoreError::NotFound("Compte"))?;
        let revoked = api_tokens::delete_all(&mut tx, user.id).await?;
        Entry::new(actor, AuditAction::ApiTokensRevoked)
            .details(format!("user:{} count:{revoked}", user.id))
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(revoked)
    }
}
