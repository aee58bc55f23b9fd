//! Who is asking: staff passwords, participants' access codes, browser sign-ins, API tokens.

use super::audit::Entry;
use super::secrets::{check_password, hash_token, new_token};
use super::store::{people, to_ts};
use super::views::{MeKind, MeView};
use super::{Core, CoreError, CoreResult};
use toile_shared::access_code;
use toile_shared::authz::Actor;

/// How long a browser stays signed in.
pub const SIGN_IN_LIFETIME_DAYS: i64 = 30;

/// A browser sign-in just opened: its secret token (the cookie's value) and who it is.
#[derive(Clone, Debug)]
pub struct SignIn {
    pub token: String,
    pub actor: Actor,
    pub display_name: String,
}

impl Core {
    pub async fn sign_in_staff(&self, email: &str, password: &str) -> CoreResult<SignIn> {
        let row = {
            let mut conn = self.store.read().await?;
            people::staff_by_email(&mut conn, &email.trim().to_lowercase()).await?
        };
        let row = row.filter(|row| row.active != 0);
        // Checked even without an account, in the same time: the answer tells nothing about who has one.
        let stored = row.as_ref().and_then(|row| row.password_hash.clone());
        let valid = check_password(password.to_string(), stored).await;
        let Some(row) = row.filter(|_| valid) else {
            return Err(CoreError::BadCredentials);
        };
        self.open_sign_in(row.actor(), row.display_name).await
    }

    pub async fn sign_in_participant(&self, typed_code: &str) -> CoreResult<SignIn> {
        let code = access_code::normalize(typed_code).ok_or(CoreError::BadCredentials)?;
        let row = {
            let mut conn = self.store.read().await?;
            people::participant_by_code_hash(&mut conn, &hash_token(&code)).await?
        };
        let row = row.ok_or(CoreError::BadCredentials)?;
        self.open_sign_in(row.actor(), row.first_name).await
    }

    /// Stores the sign-in with its audit entry, in one transaction.
    pub(super) async fn open_sign_in(&self, actor: Actor, display_name: String) -> CoreResult<SignIn> {
        let token = new_token();
        let mut tx = self.store.write(self.clock.now()).await?;
        let expires = tx.at + chrono::Duration::days(SIGN_IN_LIFETIME_DAYS);
        let at = to_ts(tx.at);
        people::insert_sign_in(&mut tx, &hash_token(&token), &actor, at, to_ts(expires)).await?;
        Entry::new(&actor, "sign_in").participant(actor.participant_id()).write(&mut tx).await?;
        tx.commit().await?;
        Ok(SignIn { token, actor, display_name })
    }

    /// The person behind a browser sign-in's token, with their display name.
    pub async fn actor_for_sign_in(&self, token: &str) -> CoreResult<(Actor, String)> {
        let mut conn = self.store.read().await?;
        let owner = people::sign_in_owner(&mut conn, &hash_token(token), to_ts(self.clock.now())).await?;
        owner.and_then(people::SignInOwner::actor).ok_or(CoreError::Unauthenticated)
    }

    pub async fn sign_out(&self, token: &str) -> CoreResult<()> {
        let mut tx = self.store.write(self.clock.now()).await?;
        people::delete_sign_in(&mut tx, &hash_token(token)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The staff member behind an API bearer token (one query: it runs on every API call).
    pub async fn actor_for_api_token(&self, token: &str) -> CoreResult<Actor> {
        let mut conn = self.store.read().await?;
        let row = people::api_token_owner(&mut conn, &hash_token(token)).await?;
        row.map(|row| row.actor()).ok_or(CoreError::Unauthenticated)
    }

    /// Creates an API token for a staff member (themselves, or anyone for an admin or the
    /// operator); the token is returned once, stored hashed.
    pub async fn create_api_token(&self, actor: &Actor, email: &str) -> CoreResult<String> {
        let mut tx = self.store.write(self.clock.now()).await?;
        let user = people::staff_by_email(&mut tx, &email.trim().to_lowercase()).await?;
        let user = user.ok_or(CoreError::NotFound("Utilisateur"))?;
        if !(actor.may_administer() || actor.staff_user_id() == Some(user.id)) {
            return Err(CoreError::Forbidden);
        }
        let token = new_token();
        let at = to_ts(tx.at);
        let id = people::insert_api_token(&mut tx, &hash_token(&token), user.id, at).await?;
        Entry::new(actor, "api_token_created").details(format!("token:{id} user:{}", user.id)).write(&mut tx).await?;
        tx.commit().await?;
        Ok(token)
    }

    pub async fn me(&self, actor: &Actor) -> CoreResult<MeView> {
        let mut conn = self.store.read().await?;
        match actor {
            Actor::Staff { user_id, role, structure_id } => {
                let row = people::staff(&mut conn, *user_id).await?.ok_or(CoreError::Unauthenticated)?;
                Ok(MeView {
                    kind: MeKind::Staff,
                    id: *user_id,
                    display_name: row.display_name,
                    email: Some(row.email),
                    role: Some(*role),
                    structure_id: *structure_id,
                })
            }
            Actor::Participant { participant_id, structure_id } => {
                let row = people::participant(&mut conn, *participant_id).await?.ok_or(CoreError::Unauthenticated)?;
                Ok(MeView {
                    kind: MeKind::Participant,
                    id: *participant_id,
                    display_name: row.first_name,
                    email: None,
                    role: None,
                    structure_id: Some(*structure_id),
                })
            }
            Actor::Operator => Err(CoreError::Unauthenticated),
        }
    }
}
