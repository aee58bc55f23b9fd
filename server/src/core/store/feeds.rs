//! Calendar feeds as stored, and the sessions a feed lists.

use super::sql::Sql;
use sqlx::AnyConnection;
use toile_shared::authz::Actor;
use toile_shared::{
    LocationKind, ParticipantId, Role, SessionId, SessionKind, SessionStatus, StructureId, UserId, WorkshopTheme,
};

/// A stored feed with its owner's and subject's current state, read in one query.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct FeedRow {
    pub id: i64,
    pub owner_user_id: Option<UserId>,
    pub owner_participant_id: Option<ParticipantId>,
    pub scope: String,
    pub structure_id: Option<StructureId>,
    pub user_id: Option<UserId>,
    pub participant_id: Option<ParticipantId>,
    pub kind: Option<String>,
    pub created_at: i64,
    pub owner_role: Option<Role>,
    pub owner_structure_id: Option<StructureId>,
    pub owner_user_active: Option<i64>,
    pub owner_participant_structure_id: Option<StructureId>,
    pub owner_participant_active: Option<i64>,
    pub structure_name: Option<String>,
    pub user_name: Option<String>,
    pub user_structure_id: Option<StructureId>,
    pub user_active: Option<i64>,
    pub participant_structure_id: Option<StructureId>,
    pub participant_active: Option<i64>,
}

const FEED_SELECT: &str = "SELECT f.id, f.owner_user_id, f.owner_participant_id, f.scope,
    f.structure_id, f.user_id, f.participant_id, f.kind, f.created_at,
    ou.role AS owner_role, ou.structure_id AS owner_structure_id, ou.active AS owner_user_active,
    op.structure_id AS owner_participant_structure_id, op.active AS owner_participant_active,
    st.name AS structure_name,
    tu.display_name AS user_name, tu.structure_id AS user_structure_id, tu.active AS user_active,
    tp.structure_id AS participant_structure_id, tp.active AS participant_active
    FROM calendar_feeds f
    LEFT JOIN users ou ON ou.id = f.owner_user_id
    LEFT JOIN participants op ON op.id = f.owner_participant_id
    LEFT JOIN structures st ON st.id = f.structure_id
    LEFT JOIN users tu ON tu.id = f.user_id
    LEFT JOIN participants tp ON tp.id = f.participant_id";

/// Feeds by one column: `f.id`, `f.token_hash`, or an owner column (then oldest first).
pub enum FeedKey<'a> {
    Id(i64),
    TokenHash(&'a str),
}

pub async fn find(conn: &mut AnyConnection, key: FeedKey<'_>) -> Result<Vec<FeedRow>, sqlx::Error> {
    let mut sql = Sql::new(FEED_SELECT);
    match key {
        FeedKey::Id(id) => sql.push(" WHERE f.id = ").bind(id),
        FeedKey::TokenHash(hash) => sql.push(" WHERE f.token_hash = ").bind(hash),
    };
    sql.push(" ORDER BY f.id");
    sql.query_as().fetch_all(&mut *conn).await
}

/// The feeds `owner` made, oldest first, after the feed `after`: all, or at most `limit`.
pub async fn owned(
    conn: &mut AnyConnection,
    owner: &Actor,
    after: Option<i64>,
    limit: Option<u32>,
) -> Result<Vec<FeedRow>, sqlx::Error> {
    let mut sql = Sql::new(FEED_SELECT);
    match owner {
        Actor::Staff { user_id, .. } => sql.push(" WHERE f.owner_user_id = ").bind(*user_id),
        Actor::Participant { participant_id, .. } => sql.push(" WHERE f.owner_participant_id = ").bind(*participant_id),
        Actor::Operator => return Ok(vec![]),
    };
    if let Some(after) = after {
        sql.push(" AND f.id > ").bind(after);
    }
    sql.push(" ORDER BY f.id");
    if let Some(limit) = limit {
        sql.push(" LIMIT ").bind(i64::from(limit));
    }
    sql.query_as().fetch_all(&mut *conn).await
}

/// A feed to store: who owns it, what it follows (as stored ids), its filter.
pub struct NewFeed<'a> {
    pub token_hash: &'a str,
    pub owner_user_id: Option<UserId>,
    pub owner_participant_id: Option<ParticipantId>,
    pub scope: &'static str,
    pub structure_id: Option<StructureId>,
    pub user_id: Option<UserId>,
    pub participant_id: Option<ParticipantId>,
    pub kind: Option<SessionKind>,
    pub at: i64,
}

pub async fn insert(conn: &mut AnyConnection, feed: &NewFeed<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO calendar_feeds (token_hash, owner_user_id, owner_participant_id, scope, structure_id,
         user_id, participant_id, kind, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(feed.token_hash)
    .bind(feed.owner_user_id)
    .bind(feed.owner_participant_id)
    .bind(feed.scope)
    .bind(feed.structure_id)
    .bind(feed.user_id)
    .bind(feed.participant_id)
    .bind(feed.kind.map(SessionKind::code))
    .bind(feed.at)
    .fetch_one(&mut *conn)
    .await
}

pub async fn set_token_hash(conn: &mut AnyConnection, id: i64, token_hash: &str) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query("UPDATE calendar_feeds SET token_hash = $2 WHERE id = $1")
        .bind(id)
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(updated.rows_affected() == 1)
}

pub async fn delete(conn: &mut AnyConnection, id: i64) -> Result<bool, sqlx::Error> {
    let deleted = sqlx::query("DELETE FROM calendar_feeds WHERE id = $1").bind(id).execute(&mut *conn).await?;
    Ok(deleted.rows_affected() == 1)
}

/// A session as a calendar shows it: no person's name, ever.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct CalendarRow {
    pub id: SessionId,
    pub kind: SessionKind,
    pub theme: Option<WorkshopTheme>,
    pub title: String,
    pub description: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub location_kind: Option<LocationKind>,
    pub location_text: Option<String>,
    pub site_label: Option<String>,
    pub capacity: i64,
    pub seats_taken: i64,
    pub company_name: Option<String>,
    pub speaker: Option<String>,
    pub status: SessionStatus,
    pub sequence: i64,
    pub updated_at: i64,
}

/// What a feed's SQL selects: the stamps of its sessions, or the sessions themselves.
pub const STAMP_COLUMNS: &str = "SELECT id, updated_at, seats_taken FROM sessions WHERE ";
pub const CALENDAR_COLUMNS: &str = concat!(
    "SELECT id, kind, theme, title, description, starts_at, ends_at, location_kind, location_text, ",
    super::site_label!(),
    ", capacity, seats_taken, company_name, speaker, status, sequence, updated_at FROM sessions WHERE "
);

/// Whose sessions a feed lists, as its SQL needs them.
#[derive(Clone, Copy, Debug)]
pub enum Followed {
    Group,
    Structure(StructureId),
    Staff(UserId),
    Participant(ParticipantId),
}

/// The sessions of a feed between `from` and `to` (starts), with cancelled ones changed since
/// `cancelled_since`, of one kind or all: `select` is `STAMP_COLUMNS` or `CALENDAR_COLUMNS`.
pub fn feed_query(
    select: &str,
    followed: Followed,
    kind: Option<SessionKind>,
    (from, to, cancelled_since): (i64, i64, i64),
) -> Sql {
    let mut sql = Sql::new(select);
    sql.push("starts_at >= ").bind(from).push(" AND starts_at < ").bind(to);
    sql.push(" AND (status = 'published' OR (status = 'cancelled' AND updated_at >= ").bind(cancelled_since);
    sql.push("))");
    match followed {
        Followed::Group => {}
        Followed::Structure(id) => {
            sql.push(" AND (organiser_structure_id = ").bind(id).push(" OR audience_all = 1");
            sql.push(" OR id IN (SELECT session_id FROM session_audience WHERE structure_id = ").bind(id);
            sql.push("))");
        }
        Followed::Staff(id) => {
            sql.push(" AND (id IN (SELECT session_id FROM session_facilitators WHERE user_id = ").bind(id);
            sql.push(
                ") OR id IN (SELECT e.session_id FROM enrolments e JOIN participants p ON p.id = e.participant_id",
            );
            sql.push(" WHERE p.referent_id = ").bind(id).push(" AND e.status = 'confirmed'))");
        }
        Followed::Participant(id) => {
            sql.push(" AND id IN (SELECT session_id FROM enrolments WHERE participant_id = ").bind(id);
            sql.push(" AND status = 'confirmed')");
        }
    }
    if let Some(kind) = kind {
        sql.push(" AND kind = ").bind(kind.code());
    }
    sql.push(" ORDER BY starts_at, id");
    sql
}

/// The name of the structure that organises the session.
pub async fn organiser_name(conn: &mut AnyConnection, session: SessionId) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT st.name FROM sessions s JOIN structures st ON st.id = s.organiser_structure_id WHERE s.id = $1",
    )
    .bind(session)
    .fetch_optional(&mut *conn)
    .await
}
