//! The figures' reads: sessions of a period and their enrolments counted in the database, so a
//! year of a large group comes back as a few thousand rows, not its enrolments one by one.

use super::sql::Sql;
use sqlx::AnyConnection;
use toile_shared::{SessionId, SessionKind, SessionStatus, StructureId, WorkshopTheme};

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
}

/// The sessions of the period, organised by `organiser` when given, in time order.
pub async fn sessions(
    conn: &mut AnyConnection,
    period: &Period,
    organiser: Option<StructureId>,
) -> Result<Vec<SessionFacts>, sqlx::Error> {
    let mut sql = Sql::new(
        "SELECT s.id, s.kind, s.title, s.starts_at, s.ends_at, s.capacity, s.status, s.organiser_structure_id,
                s.company_name
         FROM sessions s WHERE 1 = 1",
    );
    period.push_filter(&mut sql);
    if let Some(organiser) = organiser {
        sql.push(" AND s.organiser_structure_id = ").bind(organiser);
    }
    sql.push(" ORDER BY s.starts_at, s.id");
    sql.query_as().fetch_all(&mut *conn).await
}

/// A session's enrolments of one structure's participants (the structure they belonged to when
/// seated), counted.
#[derive(sqlx::FromRow, Clone, Debug, Default)]
pub struct EnrolmentCounts {
    pub session_id: SessionId,
    pub organiser_structure_id: StructureId,
    pub structure_id: StructureId,
    pub seated: i64,
    pub waiting: i64,
    pub present: i64,
    pub absent: i64,
    pub excused: i64,
    /// Seats given back through the day-before answer.
    pub declined: i64,
}

/// The enrolments of the period's published sessions that started before `now`, counted per
/// session and participant's structure; with `structure`, those of its sessions or its people.
pub async fn enrolment_counts(
    conn: &mut AnyConnection,
    period: &Period,
    now: i64,
    structure: Option<StructureId>,
) -> Result<Vec<EnrolmentCounts>, sqlx::Error> {
    let mut sql = Sql::new(
        "SELECT e.session_id, s.organiser_structure_id, e.structure_id,
                SUM(CASE WHEN e.status = 'confirmed' THEN 1 ELSE 0 END) AS seated,
                SUM(CASE WHEN e.status = 'waitlisted' THEN 1 ELSE 0 END) AS waiting,
                SUM(CASE WHEN e.status = 'confirmed' AND e.attendance = 'present' THEN 1 ELSE 0 END) AS present,
                SUM(CASE WHEN e.status = 'confirmed' AND e.attendance = 'absent' THEN 1 ELSE 0 END) AS absent,
                SUM(CASE WHEN e.status = 'confirmed' AND e.attendance = 'excused' THEN 1 ELSE 0 END) AS excused,
                SUM(CASE WHEN e.answer = 'declined' THEN 1 ELSE 0 END) AS declined
         FROM sessions s JOIN enrolments e ON e.session_id = s.id
         WHERE s.status = 'published'",
    );
    period.push_filter(&mut sql);
    sql.push(" AND s.starts_at <= ").bind(now);
    if let Some(structure) = structure {
        sql.push(" AND (s.organiser_structure_id = ").bind(structure);
        sql.push(" OR e.structure_id = ").bind(structure).push(")");
    }
    sql.push(" GROUP BY e.session_id, s.organiser_structure_id, e.structure_id");
    sql.query_as().fetch_all(&mut *conn).await
}

/// How many different people came at least once, and how many times in all.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ReachRow {
    pub structure_id: Option<StructureId>,
    pub people: i64,
    pub attendances: i64,
}

/// People present at least once in the period's sessions held before `now`, per structure
/// (theirs when seated) and, with no structure, across the group (a person who moved is one).
pub async fn reach(
    conn: &mut AnyConnection,
    period: &Period,
    now: i64,
    structure: Option<StructureId>,
) -> Result<Vec<ReachRow>, sqlx::Error> {
    let mut rows = Vec::new();
    for per_structure in [true, false] {
        let mut sql = Sql::new(if per_structure {
            "SELECT e.structure_id AS structure_id, COUNT(DISTINCT e.participant_id) AS people, COUNT(*) AS attendances"
        } else {
            "SELECT CAST(NULL AS BIGINT) AS structure_id, COUNT(DISTINCT e.participant_id) AS people, COUNT(*) AS attendances"
        });
        sql.push(
            " FROM sessions s JOIN enrolments e ON e.session_id = s.id
              WHERE s.status = 'published' AND e.status = 'confirmed' AND e.attendance = 'present'",
        );
        period.push_filter(&mut sql);
        sql.push(" AND s.starts_at <= ").bind(now);
        if let Some(structure) = structure {
            sql.push(" AND e.structure_id = ").bind(structure);
        }
        if per_structure {
            sql.push(" GROUP BY e.structure_id");
        }
        let mut read: Vec<ReachRow> = sql.query_as().fetch_all(&mut *conn).await?;
        rows.append(&mut read);
    }
    Ok(rows)
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
