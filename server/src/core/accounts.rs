//! Staff accounts after they are made: turned off when someone leaves (their sign-ins and API
//! tokens stop at once), API tokens revoked.

use super::audit::Entry;
use super::store::people;
use super::{Core, CoreError, CoreResult};
use toile_shared::UserId;
use toile_shared::authz::Actor;

impl Core {
    /// Turns a staff account off: it can no longer sign in, its browsers are signed out and
    /// its API tokens stop working. Admins and the operator only.
    pub async fn deactivate_user(&self, actor: &Actor, email: &str) -> CoreResult<UserId> {
        if !actor.may_administer() {
            return Err(CoreError::Forbidden);
        }
        let email = email.trim().to_lowercase();
        let mut tx = self.store.write(self.clock.now()).await?;
        let user = people::staff_by_email(&mut tx, &email).await?.ok_or(CoreError::NotFound("Compte"))?;
        if actor.staff_user_id() == Some(user.id) {
            return Err(CoreError::conflict("self", "Un compte ne se désactive pas lui-même."));
        }
        sqlx::query("UPDATE users SET active = 0 WHERE id = $1").bind(user.id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM auth_sessions WHERE user_id = $1").bind(user.id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM api_tokens WHERE user_id = $1").bind(user.id).execute(&mut *tx).await?;
        Entry::new(actor, "user_deactivated").details(format!("user:{}", user.id)).write(&mut tx).await?;
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
        let revoked = sqlx::query("DELETE FROM api_tokens WHERE user_id = $1")
            .bind(user.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        Entry::new(actor, "api_tokens_revoked")
            .details(format!("user:{} count:{revoked}", user.id))
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(revoked)
    }
}
