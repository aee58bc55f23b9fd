//! Staff accounts as stored: who they are, their role and structure, their password only ever as
//! a hash.

use super::sql::Sql;
use sqlx::AnyConnection;
use toile_shared::authz::Actor;
use toile_shared::{Role, StructureId, UserId};

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

pub async fn one(conn: &mut AnyConnection, id: UserId) -> Result<Option<StaffRow>, sqlx::Error> {
    let mut sql = Sql::new(STAFF);
    sql.push(" WHERE id = ").bind(id);
    sql.query_as().fetch_optional(&mut *conn).await
}

/// Every staff account, active or not, by name.
pub async fn all(conn: &mut AnyConnection) -> Result<Vec<StaffRow>, sqlx::Error> {
    let mut sql = Sql::new(STAFF);
    sql.push(" ORDER BY display_name, id");
    sql.query_as().fetch_all(&mut *conn).await
}

pub async fn by_email(conn: &mut AnyConnection, email: &str) -> Result<Option<StaffRow>, sqlx::Error> {
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

pub async fn insert(conn: &mut AnyConnection, user: &NewStaff<'_>) -> Result<UserId, sqlx::Error> {
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

/// Every staff account, active ones first, by name.
pub async fn accounts(conn: &mut AnyConnection) -> Result<Vec<Account>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.display_name, u.email, u.role, u.structure_id, s.name AS structure_name, u.active,
                CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS has_password
         FROM users u LEFT JOIN structures s ON s.id = u.structure_id
         ORDER BY u.active DESC, u.display_name, u.id",
    )
    .fetch_all(&mut *conn)
    .await
}

/// How many accounts can sign in: active, with a password chosen.
pub async fn count_able_to_sign_in(conn: &mut AnyConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE active = 1 AND password_hash IS NOT NULL")
        .fetch_one(&mut *conn)
        .await
}

pub async fn deactivate(conn: &mut AnyConnection, user: UserId) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET active = 0 WHERE id = $1").bind(user).execute(&mut *conn).await?;
    Ok(())
}

/// Ends every browser sign-in of the account.
pub async fn sign_out_everywhere(conn: &mut AnyConnection, user: UserId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM auth_sessions WHERE user_id = $1").bind(user).execute(&mut *conn).await?;
    Ok(())
}

/// The password stops working at once: none is stored until a new one is chosen.
pub async fn forget_password(conn: &mut AnyConnection, user: UserId) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = NULL WHERE id = $1").bind(user).execute(&mut *conn).await?;
    Ok(())
}

/// The password chosen by the person, if their account is still active.
pub async fn set_password_hash(conn: &mut AnyConnection, user: UserId, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1 AND active = 1")
        .bind(user)
        .bind(hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
