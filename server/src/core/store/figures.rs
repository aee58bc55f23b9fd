//! The figures' reads: sessions of a period and their enrolments counted in the database, so a
//! year of a large group comes back as a few thousand rows, not its enrolments one by one.

use super::sql::Sql;
use sqlx::AnyConnection;
use toile_shared::{ParticipantId, SessionId, SessionKind, SessionStatus, StructureId, WorkshopTheme};

/// Which sessions: those starting in `[from, until)` (Unix seconds), not drafts, of a kind or
/// theme when asked. `organiser` keeps one structure's sessions.
#[derive(Clone, Debug, Default)]
pub struct Period {
    pub from: i64,
    pub until: i64,
    pub kind: Option<SessionKind>,
    pub theme: Option<WorkshopTheme>,
}

impl Period {
    /// ` AND …` for the sessions aliased `s`.
    fn push_filter(&self, sql: &mut Sql) {
        sql.push(" AND s.starts_at >= ").bind(self.from);
        sql.push(" AND s.starts_at < ").bind(self.until);
        sql.push(" AND s.status <> 'draft'");
        if let Some(kind) = self.kind {
            sql.push(" AND s.kind = ").bind(kind.code());
        }
        if let Some(theme) = self.theme {
            sql.push(" AND s.theme = ").bind(theme.code());
        }
    }
}

/// A session of the period with its enrolments counted (all of them, whoever's people).
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct SessionFacts {
    pub id: SessionId,
    pub kind: SessionKind,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
    pub status: SessionStatus,
    pub organiser_structure_id: StructureId,
    pub company_name: Option<String>,
    pub seated: i64,
    pub waiting: i64,
    pub present: i64,
    pub absent: i64,
    pub excused: i64,
    /// Seats given back through the day-before answer.
    pub declined: i64,
}

/// The sessions of the period, organised by `organiser` when given, in time order, each with
/// its enrolments counted: one row per session, so a year of a large group is a few thousand.
pub async fn sessions(
    conn: &mut AnyConnection,
    period: &Period,
    organiser: Option<StructureId>,
) -> Result<Vec<SessionFacts>, sqlx::Error> {
    // Grouped by the session's key: PostgreSQL reads its other columns through it.
    let mut sql = Sql::new(
        "SELECT s.id, s.kind, s.title, s.starts_at, s.ends_at, s.capacity, s.status, s.organiser_structure_id,
                s.company_name,
                SUM(CASE WHEN e.status = 'confirmed' THEN 1 ELSE 0 END) AS seated,
                SUM(CASE WHEN e.status = 'waitlisted' THEN 1 ELSE 0 END) AS waiting,
                SUM(CASE WHEN e.status = 'confirmed' AND e.attendance = 'present' THEN 1 ELSE 0 END) AS present,
                SUM(CASE WHEN e.status = 'confirmed' AND e.attendance = 'absent' THEN 1 ELSE 0 END) AS absent,
                SUM(CASE WHEN e.status = 'confirmed' AND e.attendance = 'excused' THEN 1 ELSE 0 END) AS excused,
                SUM(CASE WHEN e.answer = 'declined' THEN 1 ELSE 0 END) AS declined
         FROM sessions s LEFT JOIN enrolments e ON e.session_id = s.id
         WHERE 1 = 1",
    );
    period.push_filter(&mut sql);
    if let Some(organiser) = organiser {
        sql.push(" AND s.organiser_structure_id = ").bind(organiser);
    }
    sql.push(" GROUP BY s.starts_at, s.id ORDER BY s.starts_at, s.id");
    sql.query_as().fetch_all(&mut *conn).await
}

/// `columns` and `COUNT(*) AS attendances` of the attendances (present, seated) in the period's
/// published sessions held before `now`; the caller adds its filter and its grouping.
fn attendances(columns: &str, period: &Period, now: i64) -> Sql {
    let mut sql = Sql::new(&format!(
        "SELECT {columns}, COUNT(*) AS attendances FROM sessions s JOIN enrolments e ON e.session_id = s.id
         WHERE s.status = 'published' AND e.status = 'confirmed' AND e.attendance = 'present'"
    ));
    period.push_filter(&mut sql);
    sql.push(" AND s.starts_at <= ").bind(now);
    sql
}

/// Attendances of one structure's people (theirs when seated) in one structure's sessions.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct PoolingRow {
    pub structure_id: StructureId,
    pub organiser_structure_id: StructureId,
    pub attendances: i64,
}

/// The attendances of the period's published sessions that started before `now`, counted per
/// participant's structure and organiser; with `structure`, those with it on either side.
pub async fn pooling(
    conn: &mut AnyConnection,
    period: &Period,
    now: i64,
    structure: Option<StructureId>,
) -> Result<Vec<PoolingRow>, sqlx::Error> {
    let mut sql = attendances("e.structure_id, s.organiser_structure_id", period, now);
    if let Some(structure) = structure {
        sql.push(" AND (s.organiser_structure_id = ").bind(structure);
        sql.push(" OR e.structure_id = ").bind(structure).push(")");
    }
    sql.push(" GROUP BY e.structure_id, s.organiser_structure_id");
    sql.query_as().fetch_all(&mut *conn).await
}

/// A person present at least once, for the structure they belonged to when seated.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct Attendee {
    pub structure_id: StructureId,
    pub participant_id: ParticipantId,
    pub attendances: i64,
}

/// The people present in the period's sessions held before `now` (of `structure` only, when
/// given), once per structure they came for, with how many times.
pub async fn attendees(
    conn: &mut AnyConnection,
    period: &Period,
    now: i64,
    structure: Option<StructureId>,
) -> Result<Vec<Attendee>, sqlx::Error> {
    let mut sql = attendances("e.structure_id, e.participant_id", period, now);
    if let Some(structure) = structure {
        sql.push(" AND e.structure_id = ").bind(structure);
    }
    sql.push(" GROUP BY e.structure_id, e.participant_id");
    sql.query_as().fetch_all(&mut *conn).await
}

/// A structure among a session's facilitators.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct FacilitatorStructure {
    pub session_id: SessionId,
    pub organiser_structure_id: StructureId,
    pub structure_id: StructureId,
}

/// The structures of the facilitators of the period's sessions held before `now`.
pub async fn facilitator_structures(
    conn: &mut AnyConnection,
    period: &Period,
    now: i64,
) -> Result<Vec<FacilitatorStructure>, sqlx::Error> {
    let mut sql = Sql::new(
        "SELECT DISTINCT f.session_id, s.organiser_structure_id, u.structure_id
         FROM sessions s JOIN session_facilitators f ON f.session_id = s.id JOIN users u ON u.id = f.user_id
         WHERE s.status = 'published' AND u.structure_id IS NOT NULL",
    );
    period.push_filter(&mut sql);
    sql.push(" AND s.starts_at <= ").bind(now);
    sql.query_as().fetch_all(&mut *conn).await
}
