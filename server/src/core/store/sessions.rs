//! Sessions as stored: reading them with everything their views need, writing a proposal or a
//! change.

use super::seats::{self, SEAT_COLUMNS, SeatRow, Seats};
use super::sql::Sql;
use super::{from_ts, opt_from_ts, to_ts};
use sqlx::AnyConnection;
use std::collections::HashMap;
use toile_shared::session_input::{Location, ReservedSeats, SessionInput};
use toile_shared::{Audience, LocationKind, SessionId, SessionKind, StructureId, UserId, WorkshopTheme};

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct SessionRow {
    #[sqlx(flatten)]
    pub seats: SeatRow,
    pub series_id: Option<i64>,
    pub kind: SessionKind,
    pub theme: Option<WorkshopTheme>,
    pub title: String,
    pub description: String,
    pub location_kind: Option<LocationKind>,
    pub site_id: Option<i64>,
    pub location_text: Option<String>,
    /// The site's name and full address, for a session at a site.
    pub site_label: Option<String>,
    pub company_name: Option<String>,
    pub speaker: Option<String>,
    pub sequence: i64,
    pub updated_at: i64,
    /// Raised by every change of what an editor edits (`update`, `cancel`).
    pub version: i64,
    /// Who made the last change (none for the operator, or before versions were kept).
    pub updated_by: Option<UserId>,
    pub waitlist_count: i64,
    /// Why it was cancelled, for the people who were in it.
    pub cancel_reason: Option<String>,
    /// When its time or place last changed.
    pub schedule_changed_at: Option<i64>,
}

/// Everything a session's views need, read in a handful of queries however many sessions.
#[derive(Clone, Debug)]
pub struct LoadedSession {
    pub row: SessionRow,
    pub seats: Seats,
    pub facilitators: Vec<UserId>,
    pub waitlist_count: u32,
}

impl LoadedSession {
    pub fn id(&self) -> SessionId {
        self.row.seats.id
    }

    pub fn place_kind(&self) -> Option<LocationKind> {
        self.row.location_kind
    }

    pub fn location(&self) -> Option<Location> {
        let text = || self.row.location_text.clone().unwrap_or_default();
        match self.place_kind()? {
            LocationKind::Site => self.row.site_id.map(|site_id| Location::Site { site_id }),
            LocationKind::Address => Some(Location::Address { address: text() }),
            LocationKind::Video => Some(Location::Video { video_url: text() }),
        }
    }

    /// The place in words: the site's full address, the address typed, or the link.
    pub fn place(&self) -> Option<String> {
        match self.place_kind()? {
            LocationKind::Site => self.row.site_label.clone(),
            LocationKind::Address | LocationKind::Video => self.row.location_text.clone(),
        }
    }

    /// The session as it was proposed or last changed: what a change starts from.
    pub fn input(&self) -> SessionInput {
        let row = &self.row;
        let seats = &self.seats.row;
        SessionInput {
            title: row.title.clone(),
            kind: row.kind,
            theme: row.theme,
            description: row.description.clone(),
            starts_at: from_ts(seats.starts_at),
            ends_at: from_ts(seats.ends_at),
            capacity: u32::try_from(seats.capacity).unwrap_or(0),
            organiser_structure_id: seats.organiser_structure_id,
            location: self.location(),
            audience: self.seats.audience(),
            reserved_seats: self
                .seats
                .reservations
                .iter()
                .map(|r| ReservedSeats { structure_id: r.structure_id, seats: r.seats })
                .collect(),
            reserved_until: opt_from_ts(seats.reserved_until),
            enrolment_opens_at: opt_from_ts(seats.enrolment_opens_at),
            enrolment_closes_at: opt_from_ts(seats.enrolment_closes_at),
            cancellation_deadline: opt_from_ts(seats.cancellation_deadline),
            facilitator_ids: self.facilitators.clone(),
            company_name: row.company_name.clone(),
            speaker: row.speaker.clone(),
            status: seats.status,
        }
    }
}

/// The columns of `SessionRow`, over `sessions` alone (no join, so no column is ambiguous).
const SESSION_SELECT: &str = concat!(
    "series_id, kind, theme, title, description, location_kind, site_id, location_text, ",
    super::site_label!(),
    ", company_name, speaker, sequence, updated_at, version, updated_by, cancel_reason, schedule_changed_at,
    (SELECT COUNT(*) FROM enrolments w WHERE w.session_id = sessions.id AND w.status = 'waitlisted')
      AS waitlist_count FROM sessions"
);

/// Whether a list of sessions needs their facilitators (staff pages do; a participant's don't).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Facilitators {
    Load,
    Skip,
}

/// Sessions matching the condition `filter` writes (SQL over `sessions`, values bound), soonest
/// first: one query for the sessions, one for their facilitators if wanted, and the seats'
/// (`seats::load`, none for sessions open to all without reserved seats).
pub async fn load(
    conn: &mut AnyConnection,
    facilitators: Facilitators,
    filter: impl FnOnce(&mut Sql),
) -> Result<Vec<LoadedSession>, sqlx::Error> {
    load_first(conn, facilitators, filter, None).await
}

/// What a list of sessions keeps: those starting in `[from, to)`, organised by or open to
/// `structure` when given, after `after` (a start and an id) in the list's order.
pub struct Listed {
    pub from: i64,
    pub to: i64,
    pub structure: Option<StructureId>,
    pub after: Option<(i64, SessionId)>,
}

/// The first `limit` sessions of the list (all of them without a limit), soonest first.
pub async fn list(
    conn: &mut AnyConnection,
    listed: &Listed,
    limit: Option<i64>,
) -> Result<Vec<LoadedSession>, sqlx::Error> {
    let filter = |sql: &mut Sql| {
        sql.push("starts_at >= ").bind(listed.from).push(" AND starts_at < ").bind(listed.to);
        if let Some(structure) = listed.structure {
            sql.push(" AND (organiser_structure_id = ").bind(structure).push(" OR audience_all = 1");
            sql.push(" OR id IN (SELECT session_id FROM session_audience WHERE structure_id = ").bind(structure);
            sql.push("))");
        }
        if let Some((starts_at, id)) = listed.after {
            sql.push(" AND (starts_at > ").bind(starts_at);
            sql.push(" OR (starts_at = ").bind(starts_at).push(" AND id > ").bind(id).push("))");
        }
    };
    load_first(conn, Facilitators::Load, filter, limit).await
}

/// The first `limit` sessions `filter` keeps (all of them without a limit), in their order.
async fn load_first(
    conn: &mut AnyConnection,
    facilitators: Facilitators,
    filter: impl FnOnce(&mut Sql),
    limit: Option<i64>,
) -> Result<Vec<LoadedSession>, sqlx::Error> {
    let mut sql = Sql::new("SELECT ");
    sql.push(SEAT_COLUMNS).push(", ").push(SESSION_SELECT).push(" WHERE ");
    filter(&mut sql);
    sql.push(" ORDER BY starts_at, id");
    if let Some(limit) = limit {
        sql.push(" LIMIT ").bind(limit);
    }
    let rows: Vec<SessionRow> = sql.query_as().fetch_all(&mut *conn).await?;
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let mut by_session: HashMap<SessionId, Vec<UserId>> = HashMap::new();
    if facilitators == Facilitators::Load {
        let mut sql = Sql::new("SELECT session_id, user_id FROM session_facilitators WHERE session_id IN ");
        sql.bind_list(rows.iter().map(|r| r.seats.id)).push(" ORDER BY user_id");
        for (session, user) in sql.query_as::<(i64, i64)>().fetch_all(&mut *conn).await? {
            by_session.entry(session).or_default().push(user);
        }
    }
    let seats = seats::load(conn, rows.iter().map(|r| r.seats.clone()).collect()).await?;
    Ok(rows
        .into_iter()
        .zip(seats)
        .map(|(row, seats)| LoadedSession {
            facilitators: by_session.remove(&row.seats.id).unwrap_or_default(),
            waitlist_count: u32::try_from(row.waitlist_count).unwrap_or(0),
            row,
            seats,
        })
        .collect())
}

/// One session, if it exists.
pub async fn load_one(conn: &mut AnyConnection, id: SessionId) -> Result<Option<LoadedSession>, sqlx::Error> {
    Ok(load(conn, Facilitators::Load, |sql| {
        sql.push("id = ").bind(id);
    })
    .await?
    .pop())
}

/// Who the session concerns beyond its row: facilitators, listed audience, reserved seats.
pub async fn write_relations(conn: &mut AnyConnection, id: SessionId, input: &SessionInput) -> Result<(), sqlx::Error> {
    for table in ["session_facilitators", "session_audience", "session_reservations"] {
        let mut sql = Sql::new("DELETE FROM ");
        sql.push(table).push(" WHERE session_id = ").bind(id);
        sql.query().execute(&mut *conn).await?;
    }
    for user in dedup(&input.facilitator_ids) {
        sqlx::query("INSERT INTO session_facilitators (session_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(user)
            .execute(&mut *conn)
            .await?;
    }
    if let Audience::Structures { structure_ids } = &input.audience {
        for structure in dedup(structure_ids) {
            sqlx::query("INSERT INTO session_audience (session_id, structure_id) VALUES ($1, $2)")
                .bind(id)
                .bind(structure)
                .execute(&mut *conn)
                .await?;
        }
    }
    for reservation in &input.reserved_seats {
        sqlx::query("INSERT INTO session_reservations (session_id, structure_id, seats) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(reservation.structure_id)
            .bind(i64::from(reservation.seats))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Who wrote a new session, and when.
pub struct Origin {
    pub series_id: Option<i64>,
    pub created_by: Option<UserId>,
    pub at: i64,
}

/// Stores a new session (its relations too) and returns its id.
pub async fn insert(conn: &mut AnyConnection, input: &SessionInput, origin: &Origin) -> Result<SessionId, sqlx::Error> {
    let mut sql = Sql::new("INSERT INTO sessions (");
    for column in EDITABLE_COLUMNS {
        sql.push(column).push(", ");
    }
    sql.push("organiser_structure_id, series_id, created_by, created_at, updated_at) VALUES (");
    for value in editable_values(input) {
        sql.bind(value).push(", ");
    }
    sql.bind(input.organiser_structure_id).push(", ").bind(origin.series_id).push(", ");
    sql.bind(origin.created_by).push(", ").bind(origin.at).push(", ").bind(origin.at).push(") RETURNING id");
    let id: i64 = sql.query_scalar().fetch_one(&mut *conn).await?;
    write_relations(conn, id, input).await?;
    Ok(id)
}

/// What a change changed, for calendars and the people enrolled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Changed {
    /// Time, place or status: calendars get a raised SEQUENCE.
    pub calendar: bool,
    /// Time or place: the people enrolled are told on their card.
    pub schedule: bool,
}

/// Rewrites what a change may change, raising the version; `by` made the change.
pub async fn update(
    conn: &mut AnyConnection,
    id: SessionId,
    input: &SessionInput,
    changed: Changed,
    (at, by): (i64, Option<UserId>),
) -> Result<(), sqlx::Error> {
    let mut sql = Sql::new("UPDATE sessions SET ");
    for (column, value) in EDITABLE_COLUMNS.iter().zip(editable_values(input)) {
        sql.push(column).push(" = ").bind(value).push(", ");
    }
    sql.push("sequence = sequence + ").bind(i64::from(changed.calendar));
    if changed.schedule {
        sql.push(", schedule_changed_at = ").bind(at);
    }
    sql.push(", version = version + 1, updated_by = ").bind(by);
    sql.push(", updated_at = ").bind(at).push(" WHERE id = ").bind(id);
    sql.query().execute(&mut *conn).await?;
    write_relations(conn, id, input).await
}

/// Marks the session cancelled, with the reason shown to the people who were in it; `by`
/// cancelled it.
pub async fn cancel(
    conn: &mut AnyConnection,
    id: SessionId,
    reason: Option<&str>,
    (at, by): (i64, Option<UserId>),
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sessions SET status = 'cancelled', cancel_reason = $3, sequence = sequence + 1, updated_at = $2,
         version = version + 1, updated_by = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(at)
    .bind(reason)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The sessions of a series: (id, start, status), in order.
pub async fn series(
    conn: &mut AnyConnection,
    series: i64,
) -> Result<Vec<(SessionId, i64, toile_shared::SessionStatus)>, sqlx::Error> {
    sqlx::query_as("SELECT id, starts_at, status FROM sessions WHERE series_id = $1 ORDER BY starts_at, id")
        .bind(series)
        .fetch_all(&mut *conn)
        .await
}

/// A new weekly series of `occurrences` sessions.
pub async fn insert_series(conn: &mut AnyConnection, occurrences: u32, at: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO series (occurrences, created_at) VALUES ($1, $2) RETURNING id")
        .bind(i64::from(occurrences))
        .bind(at)
        .fetch_one(&mut *conn)
        .await
}

/// The columns a proposal sets and a change may rewrite, in the order of `editable_values`.
const EDITABLE_COLUMNS: [&str; 19] = [
    "kind",
    "theme",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "location_kind",
    "site_id",
    "location_text",
    "capacity",
    "company_name",
    "speaker",
    "audience_all",
    "reserved_until",
    "enrolment_opens_at",
    "enrolment_closes_at",
    "cancellation_deadline",
    "status",
    "reserved_total",
];

fn editable_values(input: &SessionInput) -> [super::sql::Value; 19] {
    let (kind, site, text) = match &input.location {
        None => (None, None, None),
        Some(Location::Site { site_id }) => (Some(LocationKind::Site), Some(*site_id), None),
        Some(Location::Address { address }) => (Some(LocationKind::Address), None, Some(address.trim().to_string())),
        Some(Location::Video { video_url }) => (Some(LocationKind::Video), None, Some(video_url.trim().to_string())),
    };
    [
        input.kind.code().into(),
        input.theme.map(WorkshopTheme::code).into(),
        input.title.trim().into(),
        input.description.trim().into(),
        to_ts(input.starts_at).into(),
        to_ts(input.ends_at).into(),
        kind.map(LocationKind::code).into(),
        site.into(),
        text.into(),
        i64::from(input.capacity).into(),
        trimmed(&input.company_name).into(),
        trimmed(&input.speaker).into(),
        i64::from(input.audience.is_everyone()).into(),
        input.reserved_until.map(to_ts).into(),
        input.enrolment_opens_at.map(to_ts).into(),
        input.enrolment_closes_at.map(to_ts).into(),
        input.cancellation_deadline.map(to_ts).into(),
        input.status.code().into(),
        input.reserved_seats.iter().map(|r| i64::from(r.seats)).sum::<i64>().into(),
    ]
}

fn dedup(ids: &[i64]) -> Vec<i64> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn trimmed(text: &Option<String>) -> Option<String> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(String::from)
}
