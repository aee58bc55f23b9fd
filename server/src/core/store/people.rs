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

/// The active participant whose code is stored as `code_hash`, and when it was last used.
pub async fn code_holder(
    conn: &mut AnyConnection,
    code_hash: &str,
) -> Result<Option<(ParticipantRow, Option<i64>)>, sqlx::Error> {
    let row: Option<CodeHolder> = sqlx::query_as(
        "SELECT id, first_name, last_name, structure_id, referent_id, active, code_used_at
         FROM participants WHERE access_code_hash = $1 AND active = 1",
    )
    .bind(code_hash)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|row| (row.participant, row.code_used_at)))
}

#[derive(sqlx::FromRow)]
struct CodeHolder {
    #[sqlx(flatten)]
    participant: ParticipantRow,
    code_used_at: Option<i64>,
}

/// The code was just used to sign in: it stays valid for as long again.
pub async fn mark_code_used(conn: &mut AnyConnection, participant: ParticipantId, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE participants SET code_used_at = $2 WHERE id = $1")
        .bind(participant)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The participants of a structure, or of the whole group, by name: the first `limit` after
/// the participant `after` in that order.
pub async fn participants(
    conn: &mut AnyConnection,
    structure: Option<StructureId>,
    after: Option<ParticipantId>,
    limit: i64,
) -> Result<Vec<ParticipantRow>, sqlx::Error> {
    let mut sql = Sql::new(PARTICIPANTS);
    sql.push(" WHERE 1 = 1");
    if let Some(structure) = structure {
        sql.push(" AND structure_id = ").bind(structure);
    }
    if let Some(after) = after {
        // The cursor is an id, never a name: addresses end up in logs.
        sql.push(" AND (last_name, first_name, id) > (SELECT last_name, first_name, id FROM participants WHERE id = ");
        sql.bind(after).push(")");
    }
    sql.push(" ORDER BY last_name, first_name, id LIMIT ").bind(limit);
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
         (first_name, last_name, structure_id, referent_id, phone, email, access_code_hash, created_at, code_used_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
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

/// A new code, issued at `at` (from when its unused months count).
pub async fn set_access_code_hash(
    conn: &mut AnyConnection,
    participant: ParticipantId,
    code_hash: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query("UPDATE participants SET access_code_hash = $2, code_used_at = $3 WHERE id = $1")
        .bind(participant)
        .bind(code_hash)
        .bind(at)
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
    pub last_seen_at: Option<i64>,
    pub idle_seconds: Option<i64>,
}

impl SignInOwner {
    /// Whether the sign-in has gone unused for longer than it may (sign-ins without a limit,
    /// which no release wrote after the limits came, never idle out).
    pub fn is_idle(&self, now: i64) -> bool {
        matches!((self.last_seen_at, self.idle_seconds), (Some(seen), Some(idle)) if now - seen >= idle)
    }

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
                p.active AS participant_active, a.last_seen_at, a.idle_seconds
         FROM auth_sessions a LEFT JOIN users u ON u.id = a.user_id
              LEFT JOIN participants p ON p.id = a.participant_id
         WHERE a.token_hash = $1 AND a.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
}

/// A new browser sign-in: who, when, until when at most, and after how long unused it ends.
pub struct NewSignIn<'a> {
    pub token_hash: &'a str,
    pub actor: &'a Actor,
    pub at: i64,
    pub expires_at: i64,
    pub idle_seconds: i64,
}

pub async fn insert_sign_in(conn: &mut AnyConnection, new: NewSignIn<'_>) -> Result<(), sqlx::Error> {
    let (user, participant) = match new.actor {
        Actor::Staff { user_id, .. } => (Some(*user_id), None),
        Actor::Participant { participant_id, .. } => (None, Some(*participant_id)),
        Actor::Operator => (None, None),
    };
    sqlx::query(
        "INSERT INTO auth_sessions (token_hash, user_id, participant_id, created_at, expires_at, last_seen_at, idle_seconds)
         VALUES ($1, $2, $3, $4, $5, $4, $6)",
    )
    .bind(new.token_hash)
    .bind(user)
    .bind(participant)
    .bind(new.at)
    .bind(new.expires_at)
    .bind(new.idle_seconds)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The sign-in was used at `at`: its idle time starts again.
pub async fn touch_sign_in(conn: &mut AnyConnection, token_hash: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE auth_sessions SET last_seen_at = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Deletes the sign-ins past their end or unused for too long; answers how many.
pub async fn purge_sign_ins(conn: &mut AnyConnection, now: i64) -> Result<u64, sqlx::Error> {
    let purged = sqlx::query(
        "DELETE FROM auth_sessions WHERE expires_at <= $1 OR (last_seen_at IS NOT NULL AND idle_seconds IS NOT NULL
         AND last_seen_at + idle_seconds <= $1)",
    )
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(purged.rows_affected())
}

pub async fn delete_sign_in(conn: &mut AnyConnection, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM auth_sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *conn).await?;
    Ok(())
}
