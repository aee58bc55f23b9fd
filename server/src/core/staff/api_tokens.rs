//! API tokens: a staff member's key for their own software (a spreadsheet, a script). Each has
//! a name, an end date (a year at most) and its last use; its owner lists and revokes theirs,
//! an admin or the command line revokes all of someone's.

use crate::core::audit::Entry;
use crate::core::secrets::{hash_token, new_token};
use crate::core::store::api_tokens::{self as stored, NewToken};
use crate::core::store::staff::{self, StaffRow};
use crate::core::store::{WriteTx, from_ts, to_ts};
use crate::core::{Core, CoreError, CoreResult};
use chrono::{DateTime, Duration, Utc};
use toile_shared::api_tokens::{MAX_TOKEN_DAYS, MAX_TOKEN_NAME_CHARS};
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::text;

/// A token's last use is written at most this often: not on every API call.
const TOUCH_EVERY_SECONDS: i64 = 3600;

/// A token just made: its secret is shown this once.
#[derive(Clone, Debug)]
pub struct CreatedToken {
    pub id: i64,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// A token in its owner's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiTokenLine {
    pub id: i64,
    pub label: String,
    pub created_at: DateTime<Utc>,
    /// Tokens made before tokens ended have none until the upgrade gave them a year.
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

impl Core {
    /// The staff member behind an API bearer token, unless it has ended (one query, and a
    /// write at most once an hour to say it was used).
    pub async fn actor_for_api_token(&self, token: &str) -> CoreResult<Actor> {
        let now = to_ts(self.clock.now());
        let owner = {
            let mut conn = self.store.read().await?;
            stored::owner(&mut conn, &hash_token(token)).await?
        };
        let owner = owner.ok_or(CoreError::Unauthenticated)?;
        if owner.expires_at.is_some_and(|end| end <= now) {
            return Err(CoreError::TokenExpired);
        }
        if owner.last_used_at.is_none_or(|used| now - used >= TOUCH_EVERY_SECONDS) {
            let touched = async {
                let mut tx = self.store.write(self.clock.now()).await?;
                stored::touch(&mut tx, owner.token_id, now).await?;
                tx.commit().await
            };
            if let Err(error) = touched.await {
                tracing::warn!(%error, "an API token's last use could not be written");
            }
        }
        Ok(Actor::Staff { user_id: owner.user_id, role: owner.role, structure_id: owner.structure_id })
    }

    /// Makes an API token for a staff member (themselves, or anyone for an admin or the
    /// operator), named `label` and valid `days` days; it is stored hashed.
    pub async fn create_api_token(
        &self,
        actor: &Actor,
        email: &str,
        label: &str,
        days: u32,
    ) -> CoreResult<CreatedToken> {
        let mut tx = self.store.write(self.clock.now()).await?;
        let user = staff::by_email(&mut tx, &email.trim().to_lowercase()).await?;
        issue(tx, actor, user, label, days).await
    }

    /// Makes an API token for the actor themselves (the tokens page).
    pub async fn create_own_api_token(&self, actor: &Actor, label: &str, days: u32) -> CoreResult<CreatedToken> {
        let me = actor.staff_user_id().ok_or(CoreError::Forbidden)?;
        let mut tx = self.store.write(self.clock.now()).await?;
        let user = staff::one(&mut tx, me).await?;
        issue(tx, actor, user, label, days).await
    }

    /// The actor's own API tokens, newest first.
    pub async fn my_api_tokens(&self, actor: &Actor) -> CoreResult<Vec<ApiTokenLine>> {
        let user = actor.staff_user_id().ok_or(CoreError::Forbidden)?;
        let mut conn = self.store.read().await?;
        let rows = stored::of_user(&mut conn, user).await?;
        Ok(rows
            .into_iter()
            .map(|row| ApiTokenLine {
                id: row.id,
                label: row.label,
                created_at: from_ts(row.created_at),
                expires_at: row.expires_at.map(from_ts),
                last_used_at: row.last_used_at.map(from_ts),
            })
            .collect())
    }

    /// Revokes one of the actor's own tokens: it stops working at once.
    pub async fn revoke_my_api_token(&self, actor: &Actor, id: i64) -> CoreResult<()> {
        let user = actor.staff_user_id().ok_or(CoreError::Forbidden)?;
        let mut tx = self.store.write(self.clock.now()).await?;
        if !stored::delete_one(&mut tx, user, id).await? {
            return Err(CoreError::NotFound("Jeton"));
        }
        Entry::new(actor, AuditAction::ApiTokenRevoked)
            .details(format!("token:{id} user:{user}"))
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Stores a token for `user`, named `label`, valid `days` days, if the actor may make it.
async fn issue(
    mut tx: WriteTx,
    actor: &Actor,
    user: Option<StaffRow>,
    label: &str,
    days: u32,
) -> CoreResult<CreatedToken> {
    let label = token_label(label)?;
    if !(1..=MAX_TOKEN_DAYS).contains(&days) {
        return Err(CoreError::invalid("jours", &format!("Un jeton vaut de 1 à {MAX_TOKEN_DAYS} jours.")));
    }
    let user = user.filter(|user| user.active == 1).ok_or(CoreError::NotFound("Utilisateur"))?;
    if !(actor.may_administer() || actor.staff_user_id() == Some(user.id)) {
        return Err(CoreError::Forbidden);
    }
    let token = new_token();
    let expires_at = tx.at + Duration::days(i64::from(days));
    let new = NewToken {
        token_hash: &hash_token(&token),
        user: user.id,
        label: &label,
        at: to_ts(tx.at),
        expires_at: to_ts(expires_at),
    };
    let id = stored::insert(&mut tx, new).await?;
    Entry::new(actor, AuditAction::ApiTokenCreated)
        .details(format!("token:{id} user:{} days:{days}", user.id))
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(CreatedToken { id, token, expires_at })
}

/// The name as typed, trimmed, or what is wrong with it.
fn token_label(label: &str) -> CoreResult<String> {
    let label = label.trim();
    if text::is_blank(label) {
        return Err(CoreError::invalid("nom", "Donnez un nom au jeton (le logiciel qui s'en servira)."));
    }
    if label.chars().count() > MAX_TOKEN_NAME_CHARS {
        return Err(CoreError::invalid("nom", &format!("{MAX_TOKEN_NAME_CHARS} caractères au plus.")));
    }
    if text::has_control(label) {
        return Err(CoreError::invalid("nom", "Le nom contient un caractère invisible."));
    }
    Ok(label.to_string())
}
