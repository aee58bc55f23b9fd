//! Who is asking: staff passwords, participants' access codes, browser sessions, API tokens.

use super::audit::{self, Entry};
use super::secrets::{hash_token, new_token, verify_password};
use super::time::{now, to_ts};
use super::views::MeView;
use super::{Core, CoreError, CoreResult};
use toile_shared::authz::Actor;
use toile_shared::{Role, access_code};

pub const SESSION_LIFETIME_DAYS: i64 = 30;

/// A browser session just opened.
#[derive(Clone, Debug)]
pub struct SignedInActor {
    pub token: String,
    pub actor: Actor,
    pub display_name: String,
}

#[derive(sqlx::FromRow)]
struct StaffRow {
    id: i64,
    role: String,
    structure_id: Option<i64>,
    display_name: String,
    email: String,
    password_hash: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ParticipantRow {
    id: i64,
    structure_id: i64,
    first_name: String,
}

const STAFF_COLUMNS: &str = "SELECT id, role, structure_id, display_name, email, password_hash FROM users";

impl StaffRow {
    fn actor(&self) -> CoreResult<Actor> {
        let role = Role::parse(&self.role).ok_or_else(|| CoreError::Internal(format!("unknown role {}", self.role)))?;
        Ok(Actor::Staff { user_id: self.id, role, structure_id: self.structure_id })
    }
}

impl Core {
    pub async fn sign_in_staff(&self, email: &str, password: &str) -> CoreResult<SignedInActor> {
        let row: Option<StaffRow> = sqlx::query_as(&format!("{STAFF_COLUMNS} WHERE email = $1 AND active = 1"))
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.db.pool)
            .await?;
        let Some(row) = row else {
            return Err(CoreError::BadCredentials);
        };
        let stored = row.password_hash.clone().unwrap_or_default();
        let password = password.to_string();
        // argon2 is deliberately slow: keep it off the async workers.
        let valid = tokio::task::spawn_blocking(move || verify_password(&password, &stored)).await.unwrap_or(false);
        if !valid {
            return Err(CoreError::BadCredentials);
        }
        let actor = row.actor()?;
        self.open_session(actor, row.display_name).await
    }

    pub async fn sign_in_participant(&self, typed_code: &str) -> CoreResult<SignedInActor> {
        let code = access_code::normalize(typed_code).ok_or(CoreError::BadCredentials)?;
        let row: Option<ParticipantRow> = sqlx::query_as(
            "SELECT id, structure_id, first_name FROM participants
             WHERE access_code_hash = $1 AND active = 1",
        )
        .bind(hash_token(&code))
        .fetch_optional(&self.db.pool)
        .await?;
        let row = row.ok_or(CoreError::BadCredentials)?;
        let actor = Actor::Participant { participant_id: row.id, structure_id: row.structure_id };
        self.open_session(actor, row.first_name).await
    }

    async fn open_session(&self, actor: Actor, display_name: String) -> CoreResult<SignedInActor> {
        let token = new_token();
        let (user_id, participant_id) = match &actor {
            Actor::Staff { user_id, .. } => (Some(*user_id), None),
            Actor::Participant { participant_id, .. } => (None, Some(*participant_id)),
        };
        let at = now();
        let mut conn = self.db.pool.acquire().await?;
        sqlx::query(
            "INSERT INTO auth_sessions (token_hash, user_id, participant_id, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(hash_token(&token))
        .bind(user_id)
        .bind(participant_id)
        .bind(to_ts(at))
        .bind(to_ts(at + chrono::Duration::days(SESSION_LIFETIME_DAYS)))
        .execute(&mut *conn)
        .await?;
        audit::record(
            &mut conn,
            Entry { actor: Some(&actor), action: "sign_in", session_id: None, participant_id, details: String::new() },
        )
        .await?;
        Ok(SignedInActor { token, actor, display_name })
    }

    /// The actor behind a browser session token, with their display name.
    pub async fn actor_for_session(&self, token: &str) -> CoreResult<(Actor, String)> {
        let row: Option<(Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT user_id, participant_id FROM auth_sessions WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(hash_token(token))
        .bind(to_ts(now()))
        .fetch_optional(&self.db.pool)
        .await?;
        match row {
            Some((Some(user_id), _)) => self.staff_actor(user_id).await,
            Some((None, Some(participant_id))) => self.participant_actor(participant_id).await,
            _ => Err(CoreError::Unauthenticated),
        }
    }

    pub async fn sign_out(&self, token: &str) -> CoreResult<()> {
        sqlx::query("DELETE FROM auth_sessions WHERE token_hash = $1")
            .bind(hash_token(token))
            .execute(&self.db.pool)
            .await?;
        Ok(())
    }

    /// The staff member behind an API bearer token (one query: it runs on every API call).
    pub async fn actor_for_api_token(&self, token: &str) -> CoreResult<Actor> {
        let row: Option<(i64, String, Option<i64>)> = sqlx::query_as(
            "SELECT u.id, u.role, u.structure_id FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1 AND u.active = 1",
        )
        .bind(hash_token(token))
        .fetch_optional(&self.db.pool)
        .await?;
        let (user_id, role, structure_id) = row.ok_or(CoreError::Unauthenticated)?;
        let role = Role::parse(&role).ok_or_else(|| CoreError::Internal(format!("unknown role {role}")))?;
        Ok(Actor::Staff { user_id, role, structure_id })
    }

    /// Creates an API token for a staff member; the token is returned once, stored hashed.
    pub async fn create_api_token(&self, email: &str) -> CoreResult<String> {
        let user_id: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.db.pool)
            .await?;
        let user_id = user_id.ok_or(CoreError::NotFound("Utilisateur"))?;
        let token = new_token();
        sqlx::query("INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3)")
            .bind(hash_token(&token))
            .bind(user_id)
            .bind(to_ts(now()))
            .execute(&self.db.pool)
            .await?;
        Ok(token)
    }

    async fn staff_actor(&self, user_id: i64) -> CoreResult<(Actor, String)> {
        let row: Option<StaffRow> = sqlx::query_as(&format!("{STAFF_COLUMNS} WHERE id = $1 AND active = 1"))
            .bind(user_id)
            .fetch_optional(&self.db.pool)
            .await?;
        let row = row.ok_or(CoreError::Unauthenticated)?;
        Ok((row.actor()?, row.display_name))
    }

    async fn participant_actor(&self, participant_id: i64) -> CoreResult<(Actor, String)> {
        let row: Option<ParticipantRow> =
            sqlx::query_as("SELECT id, structure_id, first_name FROM participants WHERE id = $1 AND active = 1")
                .bind(participant_id)
                .fetch_optional(&self.db.pool)
                .await?;
        let row = row.ok_or(CoreError::Unauthenticated)?;
        let actor = Actor::Participant { participant_id: row.id, structure_id: row.structure_id };
        Ok((actor, row.first_name))
    }

    pub async fn me(&self, actor: &Actor) -> CoreResult<MeView> {
        match actor {
            Actor::Staff { user_id, role, structure_id } => {
                let row: StaffRow = sqlx::query_as(&format!("{STAFF_COLUMNS} WHERE id = $1"))
                    .bind(user_id)
                    .fetch_one(&self.db.pool)
                    .await?;
                Ok(MeView {
                    kind: "staff".into(),
                    id: *user_id,
                    display_name: row.display_name,
                    email: Some(row.email),
                    role: Some(role.code().into()),
                    structure_id: *structure_id,
                })
            }
            Actor::Participant { participant_id, structure_id } => {
                let (_, name) = self.participant_actor(*participant_id).await?;
                Ok(MeView {
                    kind: "participant".into(),
                    id: *participant_id,
                    display_name: name,
                    email: None,
                    role: None,
                    structure_id: Some(*structure_id),
                })
            }
        }
    }
}
