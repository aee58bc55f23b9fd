//! Invitations: a staff member chooses their own password through a single-use link that lasts
//! seven days, sent by an admin when the account is made or when its password is reset. Nobody
//! else ever sees, sends or stores the password; only a hash of the link's secret is kept.

use super::password_policy::hash_new_password;
use super::require_admin;
use crate::core::audit::Entry;
use crate::core::secrets::{hash_token, new_token};
use crate::core::store::invitations as stored;
use crate::core::store::{WriteTx, api_tokens, from_ts, staff, to_ts};
use crate::core::{Core, CoreError, CoreResult, NewUser, SignIn};
use chrono::{DateTime, Duration, Utc};
use toile_shared::ErrorCode;
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
        require_admin(actor)?;
        let mut tx = self.store.write(self.clock.now()).await?;
        let user = staff::one(&mut tx, user_id).await?.ok_or(CoreError::NotFound("Compte"))?;
        if user.active == 0 {
            return Err(CoreError::conflict(ErrorCode::Inactive, "Ce compte est désactivé."));
        }
        staff::forget_password(&mut tx, user_id).await?;
        staff::sign_out_everywhere(&mut tx, user_id).await?;
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
        let row = stored::find(&mut conn, &hash_token(token)).await?.ok_or_else(gone)?;
        if row.used_at.is_some() || from_ts(row.expires_at) <= self.now() {
            return Err(gone());
        }
        let user = staff::one(&mut conn, row.user_id).await?.filter(|u| u.active != 0).ok_or_else(gone)?;
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
        // Used once: of two simultaneous submissions, only one uses it.
        let user_id = stored::use_up(&mut tx, &hash_token(token), at).await?.ok_or_else(gone)?;
        staff::set_password_hash(&mut tx, user_id, &hash).await?;
        let user = staff::one(&mut tx, user_id).await?.ok_or_else(gone)?;
        Entry::new(&user.actor(), AuditAction::InvitationAccepted).write(&mut tx).await?;
        tx.commit().await?;
        self.open_sign_in(user.actor(), user.display_name, crate::core::identity::Device::Own).await
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
    let new = stored::NewInvitation {
        token_hash: &hash_token(&token),
        user_id,
        at: to_ts(tx.at),
        expires_at: to_ts(expires_at),
    };
    stored::replace(tx, new).await?;
    Entry::new(actor, action).details(format!("user:{user_id}")).write(tx).await?;
    Ok(Invitation { user_id, display_name, token, expires_at })
}

fn gone() -> CoreError {
    CoreError::conflict(
        ErrorCode::InvitationGone,
        "Ce lien ne fonctionne plus (déjà utilisé, ou plus de 7 jours) : demandez-en un nouveau à l'administration.",
    )
}
