//! Calendar feeds: secret-URL subscriptions to the sessions of a scope (a participant's own, a
//! staff member's, a structure's programme, the group's programme), who may create and manage
//! them, and which sessions they list. Rendering them is the `feeds` adapter's job.

use super::audit::{self, Entry};
use super::secrets::{hash_token, new_token};
use super::time::{from_ts, now, paris, to_ts};
use super::views::{CalendarReader, CalendarSession, FeedView, SessionCalendarEntry, SessionStamp, SessionView};
use super::{Core, CoreError, CoreResult};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use toile_shared::authz::Actor;
use toile_shared::session_input::FieldError;
use toile_shared::{EnrolmentStatus, ParticipantId, Role, SessionId, SessionKind, SessionStatus, StructureId, UserId};

pub type FeedId = i64;

/// What the API and the pages send to create a feed; `parse` checks it.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedRequest {
    /// `group`, `structure`, `staff` or `participant`.
    pub scope: String,
    /// Required for the `structure` scope, refused otherwise.
    pub structure_id: Option<StructureId>,
    /// The staff member whose sessions to follow: required for the `staff` scope.
    pub user_id: Option<UserId>,
    /// Required for the `participant` scope.
    pub participant_id: Option<ParticipantId>,
    /// Only sessions of this kind: `workshop`, `company_talk`, `info_session`, `company_visit`,
    /// `job_dating` or `other`.
    pub kind: Option<String>,
}

/// Whose sessions a feed lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FeedScope {
    Group,
    /// Sessions the structure organises or that are open to it.
    Structure(StructureId),
    /// Sessions the staff member facilitates, and those their participants attend.
    Staff(UserId),
    /// The participant's confirmed sessions.
    Participant(ParticipantId),
}

impl FeedScope {
    pub fn code(self) -> &'static str {
        match self {
            FeedScope::Group => "group",
            FeedScope::Structure(_) => "structure",
            FeedScope::Staff(_) => "staff",
            FeedScope::Participant(_) => "participant",
        }
    }

    /// (structure_id, user_id, participant_id) as stored.
    fn ids(self) -> (Option<i64>, Option<i64>, Option<i64>) {
        match self {
            FeedScope::Group => (None, None, None),
            FeedScope::Structure(id) => (Some(id), None, None),
            FeedScope::Staff(id) => (None, Some(id), None),
            FeedScope::Participant(id) => (None, None, Some(id)),
        }
    }

    pub fn reader(self) -> CalendarReader {
        match self {
            FeedScope::Participant(_) => CalendarReader::Participant,
            _ => CalendarReader::Staff,
        }
    }
}

impl FeedRequest {
    /// The scope and kind asked for, or every field at fault.
    pub fn parse(&self) -> CoreResult<(FeedScope, Option<SessionKind>)> {
        let mut errors = vec![];
        let mut fail =
            |field: &str, message: &str| errors.push(FieldError { field: field.into(), message: message.into() });
        let kind = match self.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            None => None,
            Some(code) => {
                let kind = SessionKind::parse(code);
                if kind.is_none() {
                    fail("kind", "Type de séance inconnu.");
                }
                kind
            }
        };
        let wanted = match self.scope.trim() {
            "group" => Some(""),
            "structure" => Some("structure_id"),
            "staff" => Some("user_id"),
            "participant" => Some("participant_id"),
            _ => {
                fail("scope", "Type d'agenda inconnu : group, structure, staff ou participant.");
                None
            }
        };
        let mut scope = None;
        if let Some(wanted) = wanted {
            for (field, value) in [
                ("structure_id", self.structure_id),
                ("user_id", self.user_id),
                ("participant_id", self.participant_id),
            ] {
                match (field == wanted, value) {
                    (true, None) => fail(field, "Ce champ est obligatoire pour ce type d'agenda."),
                    (false, Some(_)) => fail(field, "Ce champ ne s'applique pas à ce type d'agenda."),
                    (true, Some(id)) => {
                        scope = Some(match field {
                            "structure_id" => FeedScope::Structure(id),
                            "user_id" => FeedScope::Staff(id),
                            _ => FeedScope::Participant(id),
                        })
                    }
                    (false, None) => {}
                }
            }
            if wanted.is_empty() {
                scope = Some(FeedScope::Group);
            }
        }
        match scope {
            Some(scope) if errors.is_empty() => Ok((scope, kind)),
            _ => Err(CoreError::Invalid(errors)),
        }
    }
}

/// A feed just created or given a new token: the token is shown this once (stored hashed).
#[derive(Clone, Debug)]
pub struct CreatedFeed {
    pub feed: FeedView,
    pub token: String,
}

/// A feed found by its token, whose owner may still follow it: what serving it needs.
#[derive(Clone, Debug)]
pub struct ResolvedFeed {
    pub id: FeedId,
    pub token_hash: String,
    pub name: String,
    pub scope: FeedScope,
    pub kind: Option<SessionKind>,
    pub reader: CalendarReader,
}

/// The sessions a feed lists: from 8 weeks back to a year ahead, by whole UTC days, so the
/// same data gives the same body all day; cancelled ones while cancelled less than 30 days ago.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FeedWindow {
    /// Days since 1970-01-01 (UTC).
    pub day: i64,
}

const DAY: i64 = 86_400;

impl FeedWindow {
    pub const WEEKS_BACK: i64 = 8;
    pub const DAYS_AHEAD: i64 = 366;
    pub const CANCELLED_SHOWN_DAYS: i64 = 30;

    pub fn today() -> Self {
        Self::on(now())
    }

    pub fn on(at: DateTime<Utc>) -> Self {
        FeedWindow { day: to_ts(at).div_euclid(DAY) }
    }

    /// First start included.
    pub fn from(&self) -> i64 {
        (self.day - Self::WEEKS_BACK * 7) * DAY
    }

    /// First start excluded: at least a year after any instant of the day.
    pub fn to(&self) -> i64 {
        (self.day + 1 + Self::DAYS_AHEAD) * DAY
    }

    /// Cancelled sessions changed since then are shown (less than 30 days ago all day long).
    pub fn cancelled_since(&self) -> i64 {
        (self.day - (Self::CANCELLED_SHOWN_DAYS - 1)) * DAY
    }
}

/// What a feed is about, with the facts its permission and name depend on.
#[derive(Clone, Debug)]
enum Target {
    Group,
    Structure { id: StructureId, name: String },
    Staff { id: UserId, structure_id: Option<StructureId>, name: String },
    Participant { id: ParticipantId, structure_id: StructureId },
}

fn may_follow(actor: &Actor, target: &Target) -> bool {
    match target {
        Target::Group => actor.may_follow_group_calendar(),
        Target::Structure { id, .. } => actor.may_follow_structure_calendar(*id),
        Target::Staff { id, structure_id, .. } => actor.may_follow_staff_calendar(*id, *structure_id),
        Target::Participant { id, structure_id } => actor.may_act_for_participant(*id, *structure_id),
    }
}

/// The calendar's name in French. A participant's feed carries no name at all.
fn feed_name(target: &Target, kind: Option<SessionKind>, owner_user: Option<UserId>) -> String {
    let base = match target {
        Target::Group => "Toile — programme du groupe".to_string(),
        Target::Structure { name, .. } => format!("Toile — {name}"),
        Target::Staff { id, name, .. } if owner_user == Some(*id) => format!("Toile — mes séances ({name})"),
        Target::Staff { name, .. } => format!("Toile — séances de {name}"),
        Target::Participant { .. } => "Toile — mes ateliers".to_string(),
    };
    match kind {
        Some(kind) => format!("{base} · {}", kind.label()),
        None => base,
    }
}

fn owner_ids(actor: &Actor) -> (Option<UserId>, Option<ParticipantId>) {
    match actor {
        Actor::Staff { user_id, .. } => (Some(*user_id), None),
        Actor::Participant { participant_id, .. } => (None, Some(*participant_id)),
    }
}

/// A stored feed with its owner's and subject's current state, in one query.
#[derive(sqlx::FromRow)]
struct FeedRow {
    id: i64,
    owner_user_id: Option<i64>,
    owner_participant_id: Option<i64>,
    scope: String,
    structure_id: Option<i64>,
    user_id: Option<i64>,
    participant_id: Option<i64>,
    kind: Option<String>,
    created_at: i64,
    owner_role: Option<String>,
    owner_structure_id: Option<i64>,
    owner_user_active: Option<i64>,
    owner_participant_structure_id: Option<i64>,
    owner_participant_active: Option<i64>,
    structure_name: Option<String>,
    user_name: Option<String>,
    user_structure_id: Option<i64>,
    user_active: Option<i64>,
    participant_structure_id: Option<i64>,
    participant_active: Option<i64>,
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

impl FeedRow {
    fn scope(&self) -> Option<FeedScope> {
        match self.scope.as_str() {
            "group" => Some(FeedScope::Group),
            "structure" => self.structure_id.map(FeedScope::Structure),
            "staff" => self.user_id.map(FeedScope::Staff),
            "participant" => self.participant_id.map(FeedScope::Participant),
            _ => None,
        }
    }

    /// `Err` for a code this build does not know.
    fn kind(&self) -> Result<Option<SessionKind>, ()> {
        self.kind.as_deref().map(|code| SessionKind::parse(code).ok_or(())).transpose()
    }

    /// What the feed is about, if it still exists (a deactivated person is gone).
    fn target(&self) -> Option<Target> {
        Some(match self.scope()? {
            FeedScope::Group => Target::Group,
            FeedScope::Structure(id) => Target::Structure { id, name: self.structure_name.clone()? },
            FeedScope::Staff(id) => {
                (self.user_active == Some(1)).then_some(())?;
                Target::Staff { id, structure_id: self.user_structure_id, name: self.user_name.clone()? }
            }
            FeedScope::Participant(id) => {
                (self.participant_active == Some(1)).then_some(())?;
                Target::Participant { id, structure_id: self.participant_structure_id? }
            }
        })
    }

    /// The owner as they act today, if still active.
    fn owner(&self) -> Option<Actor> {
        match (self.owner_user_id, self.owner_participant_id) {
            (Some(user_id), _) if self.owner_user_active == Some(1) => Some(Actor::Staff {
                user_id,
                role: Role::parse(self.owner_role.as_deref()?)?,
                structure_id: self.owner_structure_id,
            }),
            (None, Some(participant_id)) if self.owner_participant_active == Some(1) => {
                Some(Actor::Participant { participant_id, structure_id: self.owner_participant_structure_id? })
            }
            _ => None,
        }
    }

    fn view(&self) -> FeedView {
        let name = match (self.target(), self.kind()) {
            (Some(target), Ok(kind)) => feed_name(&target, kind, self.owner_user_id),
            _ => "Toile — agenda".to_string(),
        };
        FeedView {
            id: self.id,
            scope: self.scope.clone(),
            structure_id: self.structure_id,
            user_id: self.user_id,
            participant_id: self.participant_id,
            kind: self.kind.clone(),
            name,
            created_at: paris(from_ts(self.created_at)),
        }
    }
}

/// A value bound to a feed query.
#[derive(Clone, Copy)]
enum Bind {
    Int(i64),
    Text(&'static str),
}

/// The SQL condition (over `sessions s`) selecting a feed's sessions, with its bound values.
fn feed_condition(scope: FeedScope, kind: Option<SessionKind>, window: &FeedWindow) -> (String, Vec<Bind>) {
    let mut sql = String::from(
        "s.starts_at >= $1 AND s.starts_at < $2
         AND (s.status = 'published' OR (s.status = 'cancelled' AND s.updated_at >= $3))",
    );
    let mut binds = vec![Bind::Int(window.from()), Bind::Int(window.to()), Bind::Int(window.cancelled_since())];
    let (clause, id) = match scope {
        FeedScope::Group => ("", None),
        FeedScope::Structure(id) => (
            " AND (s.organiser_structure_id = $4 OR s.audience_all = 1
               OR s.id IN (SELECT session_id FROM session_audience WHERE structure_id = $4))",
            Some(id),
        ),
        FeedScope::Staff(id) => (
            " AND (s.id IN (SELECT session_id FROM session_facilitators WHERE user_id = $4)
               OR s.id IN (SELECT e.session_id FROM enrolments e JOIN participants p ON p.id = e.participant_id
                           WHERE p.referent_id = $4 AND e.status = 'confirmed'))",
            Some(id),
        ),
        FeedScope::Participant(id) => (
            " AND s.id IN (SELECT session_id FROM enrolments WHERE participant_id = $4 AND status = 'confirmed')",
            Some(id),
        ),
    };
    sql.push_str(clause);
    binds.extend(id.map(Bind::Int));
    if let Some(kind) = kind {
        binds.push(Bind::Text(kind.code()));
        sql.push_str(&format!(" AND s.kind = ${}", binds.len()));
    }
    (sql, binds)
}

#[derive(sqlx::FromRow)]
struct CalendarRow {
    id: i64,
    kind: String,
    theme: Option<String>,
    title: String,
    description: String,
    starts_at: i64,
    ends_at: i64,
    location_kind: Option<String>,
    location_text: Option<String>,
    site_label: Option<String>,
    capacity: i64,
    seats_taken: i64,
    company_name: Option<String>,
    speaker: Option<String>,
    status: String,
    sequence: i64,
    updated_at: i64,
}

const CALENDAR_SELECT: &str = "SELECT s.id, s.kind, s.theme, s.title, s.description, s.starts_at, s.ends_at,
    s.location_kind, s.location_text,
    si.name || ', ' || si.address || ', ' || si.postcode || ' ' || si.city AS site_label,
    s.capacity, s.seats_taken, s.company_name, s.speaker, s.status, s.sequence, s.updated_at
    FROM sessions s LEFT JOIN sites si ON si.id = s.site_id";

impl From<CalendarRow> for CalendarSession {
    fn from(row: CalendarRow) -> Self {
        let place = match row.location_kind.as_deref() {
            Some("site") => row.site_label,
            Some(_) => row.location_text,
            None => None,
        };
        CalendarSession {
            id: row.id,
            kind: row.kind,
            theme: row.theme,
            title: row.title,
            description: row.description,
            starts_at: from_ts(row.starts_at),
            ends_at: from_ts(row.ends_at),
            place,
            is_video: row.location_kind.as_deref() == Some("video"),
            capacity: u32::try_from(row.capacity).unwrap_or(0),
            seats_taken: u32::try_from(row.seats_taken).unwrap_or(0),
            company_name: row.company_name,
            speaker: row.speaker,
            cancelled: row.status == SessionStatus::Cancelled.code(),
            sequence: row.sequence,
            updated_at: from_ts(row.updated_at),
        }
    }
}

fn calendar_session(view: SessionView, place: Option<String>) -> CalendarSession {
    CalendarSession {
        id: view.id,
        is_video: view.location.as_ref().is_some_and(|l| l.kind == "video"),
        kind: view.kind,
        theme: view.theme,
        title: view.title,
        description: view.description,
        starts_at: view.starts_at.with_timezone(&Utc),
        ends_at: view.ends_at.with_timezone(&Utc),
        place,
        capacity: view.capacity,
        seats_taken: view.seats_taken,
        company_name: view.company_name,
        speaker: view.speaker,
        cancelled: view.status == SessionStatus::Cancelled.code(),
        sequence: view.sequence,
        updated_at: view.updated_at.with_timezone(&Utc),
    }
}

impl Core {
    /// Creates a feed owned by `actor`; returns it with its token (shown this once).
    pub async fn create_feed(&self, actor: &Actor, request: FeedRequest) -> CoreResult<CreatedFeed> {
        let (scope, kind) = request.parse()?;
        let target = self.feed_target(scope).await?;
        if !may_follow(actor, &target) {
            return Err(CoreError::Forbidden);
        }
        let (owner_user, owner_participant) = owner_ids(actor);
        let (structure_id, user_id, participant_id) = scope.ids();
        let token = new_token();
        let at = now();
        let mut tx = self.db.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO calendar_feeds (token_hash, owner_user_id, owner_participant_id, scope, structure_id,
             user_id, participant_id, kind, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(hash_token(&token))
        .bind(owner_user)
        .bind(owner_participant)
        .bind(scope.code())
        .bind(structure_id)
        .bind(user_id)
        .bind(participant_id)
        .bind(kind.map(SessionKind::code))
        .bind(to_ts(at))
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            Entry {
                actor: Some(actor),
                action: "feed_created",
                session_id: None,
                participant_id,
                details: format!("feed:{id} scope:{}", scope.code()),
            },
        )
        .await?;
        tx.commit().await?;
        let feed = FeedView {
            id,
            scope: scope.code().into(),
            structure_id,
            user_id,
            participant_id,
            kind: kind.map(|k| k.code().to_string()),
            name: feed_name(&target, kind, owner_user),
            created_at: paris(at),
        };
        Ok(CreatedFeed { feed, token })
    }

    /// The feeds `actor` created, oldest first, without their tokens.
    pub async fn list_feeds(&self, actor: &Actor) -> CoreResult<Vec<FeedView>> {
        let (column, id) = match owner_ids(actor) {
            (Some(user), _) => ("owner_user_id", user),
            (_, Some(participant)) => ("owner_participant_id", participant),
            (None, None) => return Ok(vec![]),
        };
        let rows: Vec<FeedRow> = sqlx::query_as(&format!("{FEED_SELECT} WHERE f.{column} = $1 ORDER BY f.id"))
            .bind(id)
            .fetch_all(&self.db.pool)
            .await?;
        Ok(rows.iter().map(FeedRow::view).collect())
    }

    /// Gives the feed a new token: its old URL stops working at once.
    pub async fn regenerate_feed(&self, actor: &Actor, id: FeedId) -> CoreResult<CreatedFeed> {
        let row = self.managed_feed(actor, id).await?;
        let token = new_token();
        let mut tx = self.db.begin_write().await?;
        let updated = sqlx::query("UPDATE calendar_feeds SET token_hash = $2 WHERE id = $1")
            .bind(id)
            .bind(hash_token(&token))
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() != 1 {
            return Err(CoreError::NotFound("Agenda"));
        }
        audit::record(
            &mut tx,
            Entry {
                actor: Some(actor),
                action: "feed_regenerated",
                session_id: None,
                participant_id: row.participant_id,
                details: format!("feed:{id}"),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(CreatedFeed { feed: row.view(), token })
    }

    /// Deletes the feed: its URL answers 404 from now on.
    pub async fn delete_feed(&self, actor: &Actor, id: FeedId) -> CoreResult<()> {
        let row = self.managed_feed(actor, id).await?;
        let mut tx = self.db.begin_write().await?;
        let deleted = sqlx::query("DELETE FROM calendar_feeds WHERE id = $1").bind(id).execute(&mut *tx).await?;
        if deleted.rows_affected() != 1 {
            return Err(CoreError::NotFound("Agenda"));
        }
        audit::record(
            &mut tx,
            Entry {
                actor: Some(actor),
                action: "feed_deleted",
                session_id: None,
                participant_id: row.participant_id,
                details: format!("feed:{id} scope:{}", row.scope),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The feed behind a token, if it exists and its owner may still follow what it shows (an
    /// owner or subject who left, or a permission lost, turns the URL off).
    pub async fn resolve_feed(&self, token: &str) -> CoreResult<Option<ResolvedFeed>> {
        let token_hash = hash_token(token);
        let row: Option<FeedRow> = sqlx::query_as(&format!("{FEED_SELECT} WHERE f.token_hash = $1"))
            .bind(&token_hash)
            .fetch_optional(&self.db.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let (Some(owner), Some(target), Some(scope), Ok(kind)) = (row.owner(), row.target(), row.scope(), row.kind())
        else {
            return Ok(None);
        };
        if !may_follow(&owner, &target) {
            return Ok(None);
        }
        Ok(Some(ResolvedFeed {
            id: row.id,
            token_hash,
            name: feed_name(&target, kind, row.owner_user_id),
            scope,
            kind,
            reader: scope.reader(),
        }))
    }

    /// The versions of the feed's sessions in `window`, read without their text.
    pub async fn feed_stamps(&self, feed: &ResolvedFeed, window: &FeedWindow) -> CoreResult<Vec<SessionStamp>> {
        let (condition, binds) = feed_condition(feed.scope, feed.kind, window);
        let sql = format!("SELECT s.id, s.updated_at, s.seats_taken FROM sessions s WHERE {condition} ORDER BY s.id");
        let mut query = sqlx::query_as::<_, SessionStamp>(&sql);
        for bind in binds {
            query = match bind {
                Bind::Int(value) => query.bind(value),
                Bind::Text(value) => query.bind(value),
            };
        }
        Ok(query.fetch_all(&self.db.pool).await?)
    }

    /// The feed's sessions in `window`, soonest first.
    pub async fn feed_sessions(&self, feed: &ResolvedFeed, window: &FeedWindow) -> CoreResult<Vec<CalendarSession>> {
        let (condition, binds) = feed_condition(feed.scope, feed.kind, window);
        let sql = format!("{CALENDAR_SELECT} WHERE {condition} ORDER BY s.starts_at, s.id");
        let mut query = sqlx::query_as::<_, CalendarRow>(&sql);
        for bind in binds {
            query = match bind {
                Bind::Int(value) => query.bind(value),
                Bind::Text(value) => query.bind(value),
            };
        }
        Ok(query.fetch_all(&self.db.pool).await?.into_iter().map(CalendarSession::from).collect())
    }

    /// One session for the signed-in person's own calendar, if they may see it. Drafts are never
    /// offered; a participant gets a video link only when they hold a seat, as on the pages.
    pub async fn session_calendar_entry(&self, actor: &Actor, id: SessionId) -> CoreResult<SessionCalendarEntry> {
        let (session, reader) = match actor {
            Actor::Participant { .. } => {
                // Drafts are already refused here.
                let item = self.participant_session(actor, id).await?;
                let seated = item.mine.as_ref().is_some_and(|m| m.status == EnrolmentStatus::Confirmed.code());
                let is_video = item.session.location.as_ref().is_some_and(|l| l.kind == "video");
                let place = if is_video && !seated { None } else { item.place.clone() };
                (calendar_session(item.session, place), CalendarReader::Participant)
            }
            Actor::Staff { .. } => {
                let view = self.session(actor, id).await?;
                if view.status == SessionStatus::Draft.code() {
                    return Err(CoreError::NotFound("Séance"));
                }
                let place = view.location.as_ref().map(|l| l.text.clone()).filter(|t| !t.is_empty());
                (calendar_session(view, place), CalendarReader::Staff)
            }
        };
        let organiser_name: String = sqlx::query_scalar(
            "SELECT st.name FROM sessions s JOIN structures st ON st.id = s.organiser_structure_id WHERE s.id = $1",
        )
        .bind(id)
        .fetch_one(&self.db.pool)
        .await?;
        Ok(SessionCalendarEntry { session, reader, organiser_name })
    }

    /// The stored feed `id`, if `actor` may regenerate or delete it.
    async fn managed_feed(&self, actor: &Actor, id: FeedId) -> CoreResult<FeedRow> {
        let row: Option<FeedRow> =
            sqlx::query_as(&format!("{FEED_SELECT} WHERE f.id = $1")).bind(id).fetch_optional(&self.db.pool).await?;
        let row = row.ok_or(CoreError::NotFound("Agenda"))?;
        if !actor.may_manage_feed(row.owner_user_id, row.owner_participant_id) {
            return Err(CoreError::Forbidden);
        }
        Ok(row)
    }

    /// What a new feed is about, checked to exist (422 on the field otherwise).
    async fn feed_target(&self, scope: FeedScope) -> CoreResult<Target> {
        Ok(match scope {
            FeedScope::Group => Target::Group,
            FeedScope::Structure(id) => {
                let name: Option<String> = sqlx::query_scalar("SELECT name FROM structures WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.db.pool)
                    .await?;
                let name = name.ok_or_else(|| CoreError::invalid("structure_id", "Cette structure n'existe pas."))?;
                Target::Structure { id, name }
            }
            FeedScope::Staff(id) => {
                let row: Option<(Option<i64>, String)> =
                    sqlx::query_as("SELECT structure_id, display_name FROM users WHERE id = $1 AND active = 1")
                        .bind(id)
                        .fetch_optional(&self.db.pool)
                        .await?;
                let (structure_id, name) =
                    row.ok_or_else(|| CoreError::invalid("user_id", "Ce membre de l'équipe n'existe pas."))?;
                Target::Staff { id, structure_id, name }
            }
            FeedScope::Participant(id) => {
                let structure: Option<i64> =
                    sqlx::query_scalar("SELECT structure_id FROM participants WHERE id = $1 AND active = 1")
                        .bind(id)
                        .fetch_optional(&self.db.pool)
                        .await?;
                let structure_id =
                    structure.ok_or_else(|| CoreError::invalid("participant_id", "Cette personne n'existe pas."))?;
                Target::Participant { id, structure_id }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn request(scope: &str) -> FeedRequest {
        FeedRequest { scope: scope.into(), ..Default::default() }
    }

    fn fields(error: CoreError) -> Vec<String> {
        match error {
            CoreError::Invalid(fields) => fields.into_iter().map(|f| f.field).collect(),
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn each_scope_needs_its_id_and_only_it() {
        assert_eq!(request("group").parse().unwrap(), (FeedScope::Group, None));
        let structure = FeedRequest { structure_id: Some(3), kind: Some("job_dating".into()), ..request("structure") };
        assert_eq!(structure.parse().unwrap(), (FeedScope::Structure(3), Some(SessionKind::JobDating)));
        assert_eq!(fields(request("staff").parse().unwrap_err()), ["user_id"]);
        assert_eq!(fields(request("participant").parse().unwrap_err()), ["participant_id"]);
        let extra = FeedRequest { user_id: Some(1), ..request("group") };
        assert_eq!(fields(extra.parse().unwrap_err()), ["user_id"]);
    }

    #[test]
    fn an_unknown_scope_or_kind_names_its_field() {
        let bad = FeedRequest { kind: Some("party".into()), ..request("everyone") };
        assert_eq!(fields(bad.parse().unwrap_err()), ["kind", "scope"]);
    }

    #[test]
    fn the_window_runs_from_eight_weeks_back_to_a_year_ahead_by_whole_days() {
        let at = Utc.with_ymd_and_hms(2026, 3, 10, 15, 30, 0).unwrap();
        let window = FeedWindow::on(at);
        assert_eq!(window, FeedWindow::on(Utc.with_ymd_and_hms(2026, 3, 10, 0, 0, 0).unwrap()));
        assert_eq!(from_ts(window.from()), Utc.with_ymd_and_hms(2026, 1, 13, 0, 0, 0).unwrap());
        assert!(from_ts(window.to()) >= at + chrono::Duration::days(365));
        let cancelled_since = from_ts(window.cancelled_since());
        assert!(at - cancelled_since < chrono::Duration::days(30));
    }

    #[test]
    fn feed_names_never_carry_a_participants_name() {
        let participant = Target::Participant { id: 5, structure_id: 1 };
        assert_eq!(feed_name(&participant, None, Some(10)), "Toile — mes ateliers");
        let claire = Target::Staff { id: 10, structure_id: Some(1), name: "Claire Martin".into() };
        assert_eq!(feed_name(&claire, None, Some(10)), "Toile — mes séances (Claire Martin)");
        assert_eq!(feed_name(&claire, None, Some(11)), "Toile — séances de Claire Martin");
        assert_eq!(
            feed_name(&Target::Group, Some(SessionKind::JobDating), None),
            "Toile — programme du groupe · Job dating"
        );
    }
}
