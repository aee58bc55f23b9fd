//! The group's people and places as stored: structures, sites, staff, participants, and the
//! secrets that let them in (browser sign-ins, API tokens, access codes), only ever as hashes.

use super::sql::Sql;
use sqlx::AnyConnection;
use toile_shared::authz::Actor;
use toile_shared::{ParticipantId, Role, StructureId, StructureKind, UserId};

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct StructureRow {
    pub id: StructureId,
    pub name: String,
    pub kind: StructureKind,
}

pub async fn structures(conn: &mut AnyConnection) -> Result<Vec<StructureRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, kind FROM structures ORDER BY name").fetch_all(&mut *conn).await
}

pub async fn structure(conn: &mut AnyConnection, id: StructureId) -> Result<Option<StructureRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, kind FROM structures WHERE id = $1").bind(id).fetch_optional(&mut *conn).await
}

pub async fn structure_named(conn: &mut AnyConnection, name: &str) -> Result<Option<StructureId>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM structures WHERE name = $1").bind(name).fetch_optional(&mut *conn).await
}

pub async fn insert_structure(
    conn: &mut AnyConnection,
    name: &str,
    kind: StructureKind,
    siret: Option<&str>,
) -> Result<StructureId, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO structures (name, kind, siret) VALUES ($1, $2, $3) RETURNING id")
        .bind(name)
        .bind(kind.code())
        .bind(siret)
        .fetch_one(&mut *conn)
        .await
}

pub struct NewSite<'a> {
    pub structure_id: StructureId,
    pub name: &'a str,
    pub address: &'a str,
    pub postcode: &'a str,
    pub city: &'a str,
    pub access_notes: Option<&'a str>,
}

pub async fn insert_site(conn: &mut AnyConnection, site: &NewSite<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO sites (structure_id, name, address, postcode, city, access_notes)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(site.structure_id)
    .bind(site.name)
    .bind(site.address)
    .bind(site.postcode)
    .bind(site.city)
    .bind(site.access_notes)
    .fetch_one(&mut *conn)
    .await
}

/// A site of a structure, with its name and address in words.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct SiteRow {
    pub id: i64,
    pub structure_id: StructureId,
    pub label: String,
}

/// Every site of the group, by structure then name.
pub async fn sites(conn: &mut AnyConnection) -> Result<Vec<SiteRow>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT si.id, si.structure_id, ",
        super::site_words!("si"),
        " AS label FROM sites si JOIN structures st ON st.id = si.structure_id ORDER BY st.name, si.name"
    ))
    .fetch_all(&mut *conn)
    .await
}

pub async fn site_exists(conn: &mut AnyConnection, id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM sites WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?;
    Ok(found.is_some())
}

/// A staff member as stored.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct StaffRow {
    pub id: UserId,
    pub role: Role,
    pub structure_id: Option<StructureId>,
    pub display_name: String,
    pub email: String,
    pub password_hash: Option<String>,
    pub active: i64,
}

impl StaffRow {
    pub fn actor(&self) -> Actor {
        Actor::Staff { user_id: self.id, role: self.role, structure_id: self.structure_id }
    }
}

const STAFF: &str = "SELECT id, role, structure_id, display_name, email, password_hash, active FROM users";

pub async fn staff(conn: &mut AnyConnection, id: UserId) -> Result<Option<StaffRow>, sqlx::Error> {
    let mut sql = Sql::new(STAFF);
    sql.push(" WHERE id = ").bind(id);
    sql.query_as().fetch_optional(&mut *conn).await
}

/// Every staff account, active or not, by name.
pub async fn staff_members(conn: &mut AnyConnection) -> Result<Vec<StaffRow>, sqlx::Error> {
    let mut sql = Sql::new(STAFF);
    sql.push(" ORDER BY display_name, id");
    sql.query_as().fetch_all(&mut *conn).await
}

pub async fn staff_by_email(conn: &mut AnyConnection, email: &str) -> Result<Option<StaffRow>, sqlx::Error> {
    let mut sql = Sql::new(STAFF);
    sql.push(" WHERE email = ").bind(email);
    sql.query_as().fetch_optional(&mut *conn).await
}

pub struct NewStaff<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub structure_id: Option<StructureId>,
    pub password_hash: Option<String>,
    pub at: i64,
}

pub async fn insert_staff(conn: &mut AnyConnection, user: &NewStaff<'_>) -> Result<UserId, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (email, display_name, role, structure_id, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(user.email)
    .bind(user.display_name)
    .bind(user.role.code())
    .bind(user.structure_id)
    .bind(&user.password_hash)
    .bind(user.at)
    .fetch_one(&mut *conn)
    .await
}

/// A participant as stored (never their code, which is kept only as a hash).
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ParticipantRow {
    pub id: ParticipantId,
    pub first_name: String,
    pub last_name: String,
    pub structure_id: StructureId,
    pub referent_id: Option<UserId>,
    pub active: i64,
}

impl ParticipantRow {
    pub fn actor(&self) -> Actor {
        Actor::Participant { participant_id: self.id, structure_id: self.structure_id }
    }
}

const PARTICIPANTS: &str = "SELECT id, first_name, last_name, structure_id, referent_id, active FROM participants";

pub async fn participant(conn: &mut AnyConnection, id: ParticipantId) -> Result<Option<ParticipantRow>, sqlx::Error> {
    let mut sql = Sql::new(PARTICIPANTS);
    sql.push(" WHERE id = ").bind(id);
    sql.query_as().fetch_optional(&mut *conn).await
}

pub async fn participant_by_code_hash(
    conn: &mut AnyConnection,
    code_hash: &str,
) -> Result<Option<ParticipantRow>, sqlx::Error> {
    let mut sql = Sql::new(PARTICIPANTS);
    sql.push(" WHERE access_code_hash = ").bind(code_hash).push(" AND active = 1");
    sql.query_as().fetch_optional(&mut *conn).await
}

/// The participants of a structure, or of the whole group, by name.
pub async fn participants(
    conn: &mut AnyConnection,
    structure: Option<StructureId>,
) -> Result<Vec<ParticipantRow>, sqlx::Error> {
    let mut sql = Sql::new(PARTICIPANTS);
    if let Some(structure) = structure {
        sql.push(" WHERE structure_id = ").bind(structure);
    }
    sql.push(" ORDER BY last_name, first_name, id");
    sql.query_as().fetch_all(&mut *conn).await
}

/// Locks the participant's row for the rest of the transaction (taken after the session's).
pub async fn lock_participant(
    conn: &mut AnyConnection,
    id: ParticipantId,
) -> Result<Option<(StructureId, bool)>, sqlx::Error> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("UPDATE participants SET active = active WHERE id = $1 RETURNING structure_id, active")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(structure, active)| (structure, active != 0)))
}

pub struct NewParticipant<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub structure_id: StructureId,
    pub referent_id: Option<UserId>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub code_hash: &'a str,
    pub at: i64,
}

pub async fn insert_participant(
    conn: &mut AnyConnection,
    new: &NewParticipant<'_>,
) -> Result<ParticipantId, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO participants
         (first_name, last_name, structure_id, referent_id, phone, email, access_code_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(new.first_name)
    .bind(new.last_name)
    .bind(new.structure_id)
    .bind(new.referent_id)
    .bind(new.phone)
    .bind(new.email)
    .bind(new.code_hash)
    .bind(new.at)
    .fetch_one(&mut *conn)
    .await
}

pub async fn set_access_code_hash(
    conn: &mut AnyConnection,
    participant: ParticipantId,
    code_hash: &str,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query("UPDATE participants SET access_code_hash = $2 WHERE id = $1")
        .bind(participant)
        .bind(code_hash)
        .execute(&mut *conn)
        .await?;
    Ok(updated.rows_affected() == 1)
}

/// Who a browser sign-in belongs to, as they are now.
#[derive(sqlx::FromRow)]
pub struct SignInOwner {
    user_id: Option<UserId>,
    role: Option<Role>,
    user_structure_id: Option<StructureId>,
    display_name: Option<String>,
    user_active: Option<i64>,
    participant_id: Option<ParticipantId>,
    participant_structure_id: Option<StructureId>,
    first_name: Option<String>,
    participant_active: Option<i64>,
}

impl SignInOwner {
    /// The actor and their display name, if their account is still active.
    pub fn actor(self) -> Option<(Actor, String)> {
        match (self.user_id, self.participant_id) {
            (Some(user_id), _) if self.user_active == Some(1) => Some((
                Actor::Staff { user_id, role: self.role?, structure_id: self.user_structure_id },
                self.display_name?,
            )),
            (None, Some(participant_id)) if self.participant_active == Some(1) => Some((
                Actor::Participant { participant_id, structure_id: self.participant_structure_id? },
                self.first_name?,
            )),
            _ => None,
        }
    }
}

/// The person a browser sign-in belongs to, if it has not expired: one query, as it runs for
/// every page.
pub async fn sign_in_owner(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> Result<Option<SignInOwner>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.user_id, u.role, u.structure_id AS user_structure_id, u.display_name, u.active AS user_active,
                a.participant_id, p.structure_id AS participant_structure_id, p.first_name,
                p.active AS participant_active
         FROM auth_sessions a LEFT JOIN users u ON u.id = a.user_id
              LEFT JOIN participants p ON p.id = a.participant_id
         WHERE a.token_hash = $1 AND a.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
}

pub async fn insert_sign_in(
    conn: &mut AnyConnection,
    token_hash: &str,
    actor: &Actor,
    at: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    let (user, participant) = match actor {
        Actor::Staff { user_id, .. } => (Some(*user_id), None),
        Actor::Participant { participant_id, .. } => (None, Some(*participant_id)),
        Actor::Operator => (None, None),
    };
    sqlx::query(
        "INSERT INTO auth_sessions (token_hash, user_id, participant_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user)
    .bind(participant)
    .bind(at)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn delete_sign_in(conn: &mut AnyConnection, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM auth_sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *conn).await?;
    Ok(())
}

/// The active staff member behind an API token (one query: it runs on every API call).
pub async fn api_token_owner(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<StaffRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.role, u.structure_id, u.display_name, u.email, u.password_hash, u.active
         FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND u.active = 1",
    )
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await
}

pub async fn insert_api_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    user: UserId,
    at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(token_hash)
        .bind(user)
        .bind(at)
        .fetch_one(&mut *conn)
        .await
}
