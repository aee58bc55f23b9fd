//! Invitations: a staff member chooses their own password through a single-use link that lasts
//! seven days, sent by an admin when the account is made or when its password is reset. Nobody
//! else ever sees, sends or stores the password; only a hash of the link's secret is kept.

use super::audit::Entry;
use super::directory::hash_new_password;
use super::secrets::{hash_token, new_token};
use super::store::{WriteTx, api_tokens, from_ts, people, to_ts};
use super::{Core, CoreError, CoreResult, NewUser, SignIn};
use chrono::{DateTime, Duration, Utc};
use toile_shared::UserId;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 7;

/// A link just made: its secret (for the address, shown once) and until when it works.
#[derive(Clone, Debug)]
pub struct Invitation {
    pub user_id: UserId,
    pub display_name: String,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Who an invitation is for, as its page greets them.
#[derive(Clone, Debug)]
pub struct Invited {
    pub display_name: String,
    pub email: String,
}

#[derive(sqlx::FromRow)]
struct PendingRow {
    user_id: UserId,
    expires_at: i64,
    used_at: Option<i64>,
}

impl Core {
    /// Makes a staff account without a password and an invitation to choose one.
    pub async fn invite_user(&self, actor: &Actor, user: NewUser) -> CoreResult<Invitation> {
        let user = NewUser { password: None, ..user };
        let display_name = user.display_name.trim().to_string();
        let id = self.add_user(actor, user).await?;
        let mut tx = self.store.write(self.clock.now()).await?;
        let invitation = new_invitation(&mut tx, actor, id, display_name, AuditAction::UserInvited).await?;
        tx.commit().await?;
        Ok(invitation)
    }

    /// Resets a staff member's password: the old one stops at once, their browsers are signed
    /// out, their API tokens revoked (whoever learnt the password may have made one), and a new
    /// invitation lets them choose another.
    pub async fn reset_password(&self, actor: &Actor, user_id: UserId) -> CoreResult<Invitation> {
        if !actor.may_administer() {
            return Err(CoreError::Forbidden);
        }
        let mut tx = self.store.write(self.clock.now()).await?;
        let user = people::staff(&mut tx, user_id).await?.ok_or(CoreError::NotFound("Compte"))?;
        if user.active == 0 {
            return Err(CoreError::conflict("inactive", "Ce compte est désactivé."));
        }
        sqlx::query("UPDATE users SET password_hash = NULL WHERE id = $1").bind(user_id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM auth_sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        let revoked = api_tokens::delete_all(&mut tx, user_id).await?;
        if revoked > 0 {
            Entry::new(actor, AuditAction::ApiTokensRevoked)
                .details(format!("user:{user_id} count:{revoked}"))
                .write(&mut tx)
                .await?;
        }
        let invitation = new_invitation(&mut tx, actor, user_id, user.display_name, AuditAction::PasswordReset).await?;
        tx.commit().await?;
        Ok(invitation)
    }

    /// Who the link is for, if it still works (unused, not expired, the account active).
    pub async fn invitation(&self, token: &str) -> CoreResult<Invited> {
        let mut conn = self.store.read().await?;
        let row: Option<PendingRow> =
            sqlx::query_as("SELECT user_id, expires_at, used_at FROM invitations WHERE token_hash = $1")
                .bind(hash_token(token))
                .fetch_optional(&mut *conn)
                .await?;
        let row = row.ok_or_else(gone)?;
        if row.used_at.is_some() || from_ts(row.expires_at) <= self.now() {
            return Err(gone());
        }
        let user = people::staff(&mut conn, row.user_id).await?.filter(|u| u.active != 0).ok_or_else(gone)?;
        Ok(Invited { display_name: user.display_name, email: user.email })
    }

    /// Sets the password chosen through the link, uses the link up, and signs the person in.
    pub async fn accept_invitation(&self, token: &str, password: &str, confirmation: &str) -> CoreResult<SignIn> {
        let invited = self.invitation(token).await?;
        if password != confirmation {
            return Err(CoreError::invalid("confirmation", "Les deux mots de passe sont différents."));
        }
        let hash = hash_new_password(password.to_string(), &invited.display_name, &invited.email).await?;
        let mut tx = self.store.write(self.clock.now()).await?;
        let at = to_ts(tx.at);
        // Used once: the guarded UPDATE lets only one of two simultaneous submissions through.
        let user_id: Option<UserId> = sqlx::query_scalar(
            "UPDATE invitations SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
             RETURNING user_id",
        )
        .bind(hash_token(token))
        .bind(at)
        .fetch_optional(&mut *tx)
        .await?;
        let user_id = user_id.ok_or_else(gone)?;
        sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1 AND active = 1")
            .bind(user_id)
            .bind(hash)
            .execute(&mut *tx)
            .await?;
        let user = people::staff(&mut tx, user_id).await?.ok_or_else(gone)?;
        Entry::new(&user.actor(), AuditAction::InvitationAccepted).write(&mut tx).await?;
        tx.commit().await?;
        self.open_sign_in(user.actor(), user.display_name, super::identity::Device::Own).await
    }
}

/// A link for `user_id`, replacing any still unused, written in `tx` with its audit entry.
async fn new_invitation(
    tx: &mut WriteTx,
    actor: &Actor,
    user_id: UserId,
    display_name: String,
    action: AuditAction,
) -> CoreResult<Invitation> {
    let token = new_token();
    let expires_at = tx.at + Duration::days(INVITATION_DAYS);
    // One link at a time: a new one replaces any still unused.
    sqlx::query("DELETE FROM invitations WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO invitations (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(hash_token(&token))
        .bind(user_id)
        .bind(to_ts(tx.at))
        .bind(to_ts(expires_at))
        .execute(&mut **tx)
        .await?;
    Entry::new(actor, action).details(format!("user:{user_id}")).write(tx).await?;
    Ok(Invitation { user_id, display_name, token, expires_at })
}

fn gone() -> CoreError {
    CoreError::conflict(
        "invitation_gone",
        "Ce lien ne fonctionne plus (déjà utilisé, ou plus de 7 jours) : demandez-en un nouveau à l'administration.",
    )
}
