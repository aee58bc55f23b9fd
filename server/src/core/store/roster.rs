//! A session's live enrolments with the names a roster shows and the signatures on its sheet,
//! in one query.

use toile_shared::{Attendance, EnrolmentStatus, ParticipantId, SessionId, StructureId};

/// A participant by name, with their structure's.
#[derive(sqlx::FromRow, Clone, Debug, PartialEq, Eq)]
pub struct NamedParticipant {
    pub participant_id: ParticipantId,
    pub first_name: String,
    pub last_name: String,
    pub structure_id: StructureId,
    pub structure_name: String,
}

/// A confirmed or waiting person of a session, named, with who enrolled them.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct RosterRow {
    #[sqlx(flatten)]
    pub person: NamedParticipant,
    pub status: EnrolmentStatus,
    pub attendance: Attendance,
    pub overbooked: i64,
    /// The staff member who enrolled them on their behalf; none when they enrolled themselves.
    pub enrolled_by: Option<String>,
    /// Their signature on the sheet (SVG path data) and when they signed, while marked present.
    pub signature: Option<String>,
    pub signed_at: Option<i64>,
    /// Their answer to the reminder or seat offer (`coming`), if any.
    pub answer: Option<String>,
}

/// Confirmed people by name, then those waiting in queue order.
pub async fn live(conn: &mut sqlx::AnyConnection, session: SessionId) -> Result<Vec<RosterRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.participant_id, p.first_name, p.last_name, p.structure_id, st.name AS structure_name,
                e.status, e.queue_tick, e.attendance, e.overbooked, u.display_name AS enrolled_by,
                sg.strokes AS signature, sg.signed_at, e.answer
         FROM enrolments e
         JOIN participants p ON p.id = e.participant_id
         JOIN structures st ON st.id = p.structure_id
         LEFT JOIN users u ON u.id = e.enrolled_by_user_id
         LEFT JOIN signatures sg ON sg.session_id = e.session_id AND sg.participant_id = e.participant_id
              AND e.status = 'confirmed' AND e.attendance = 'present'
         WHERE e.session_id = $1 AND e.status IN ('confirmed', 'waitlisted')
         ORDER BY CASE e.status WHEN 'confirmed' THEN 0 ELSE 1 END,
                  CASE e.status WHEN 'confirmed' THEN p.last_name ELSE '' END,
                  CASE e.status WHEN 'confirmed' THEN p.first_name ELSE '' END, e.queue_tick",
    )
    .bind(session)
    .fetch_all(conn)
    .await
}
