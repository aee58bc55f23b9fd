//! The group's structures and their sites as stored.

use sqlx::AnyConnection;
use toile_shared::{StructureId, StructureKind};

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct StructureRow {
    pub id: StructureId,
    pub name: String,
    pub kind: StructureKind,
}

pub async fn all(conn: &mut AnyConnection) -> Result<Vec<StructureRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, kind FROM structures ORDER BY name").fetch_all(&mut *conn).await
}

pub async fn one(conn: &mut AnyConnection, id: StructureId) -> Result<Option<StructureRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, kind FROM structures WHERE id = $1").bind(id).fetch_optional(&mut *conn).await
}

pub async fn named(conn: &mut AnyConnection, name: &str) -> Result<Option<StructureId>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM structures WHERE name = $1").bind(name).fetch_optional(&mut *conn).await
}

pub async fn insert(
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
