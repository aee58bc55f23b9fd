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
