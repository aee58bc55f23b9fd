//! Participants as stored and as their CIPs list and follow them: registered, their access code
//! only ever as a hash (keyed), found by name with their referent, their coming sessions, their
//! history; their sign-ins and calendar links ended when they get a new code or leave; archived,
//! anonymised.

use super::is_unique_violation;
use super::sql::Sql;
use sqlx::AnyConnection;
use toile_shared::authz::Actor;
use toile_shared::{Attendance, EnrolmentStatus, ParticipantId, SessionId, StructureId, UserId};

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

pub async fn one(conn: &mut AnyConnection, id: ParticipantId) -> Result<Option<ParticipantRow>, sqlx::Error> {
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
pub async fn page(
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
pub async fn lock(conn: &mut AnyConnection, id: ParticipantId) -> Result<Option<(StructureId, bool)>, sqlx::Error> {
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

pub async fn insert(conn: &mut AnyConnection, new: &NewParticipant<'_>) -> Result<ParticipantId, sqlx::Error> {
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

/// `insert` with a freshly drawn code: `None` when the code is already another person's.
pub async fn insert_unless_code_taken(
    conn: &mut AnyConnection,
    new: &NewParticipant<'_>,
) -> Result<Option<ParticipantId>, sqlx::Error> {
    sqlx::query("SAVEPOINT new_code").execute(&mut *conn).await?;
    let inserted = insert(conn, new).await;
    undo_if_code_taken(conn, inserted).await
}

/// `set_access_code_hash` with a freshly drawn code: `None` when the code is already another
/// person's.
pub async fn set_code_unless_taken(
    conn: &mut AnyConnection,
    participant: ParticipantId,
    code_hash: &str,
    at: i64,
) -> Result<Option<bool>, sqlx::Error> {
    sqlx::query("SAVEPOINT new_code").execute(&mut *conn).await?;
    let set = set_access_code_hash(conn, participant, code_hash, at).await;
    undo_if_code_taken(conn, set).await
}

/// A drawn code collides with an existing one about once in 10^11: the write made since the
/// savepoint is undone alone, so the transaction stays usable for the next draw.
async fn undo_if_code_taken<T>(
    conn: &mut AnyConnection,
    written: Result<T, sqlx::Error>,
) -> Result<Option<T>, sqlx::Error> {
    match written {
        Ok(done) => Ok(Some(done)),
        Err(e) if is_unique_violation(&e) => {
            sqlx::query("ROLLBACK TO SAVEPOINT new_code").execute(&mut *conn).await?;
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// A participant in a list, with the names around them.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ListedParticipant {
    #[sqlx(flatten)]
    pub person: ParticipantRow,
    pub structure_name: String,
    pub referent_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub anonymised_at: Option<i64>,
}

const LISTED: &str = "SELECT p.id, p.first_name, p.last_name, p.structure_id, p.referent_id, st.name AS structure_name,
    u.display_name AS referent_name, p.phone, p.email, p.active, p.anonymised_at
    FROM participants p JOIN structures st ON st.id = p.structure_id LEFT JOIN users u ON u.id = p.referent_id";

/// `needle` with LIKE's wildcards taken literally.
fn like_pattern(needle: &str) -> String {
    let escaped: String = needle
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

/// Active participants of one structure (or the whole group), whose name contains `needle`.
pub async fn search(
    conn: &mut AnyConnection,
    structure: Option<StructureId>,
    needle: &str,
    limit: i64,
) -> Result<Vec<ListedParticipant>, sqlx::Error> {
    let mut sql = Sql::new(LISTED);
    sql.push(" WHERE p.active = 1");
    if let Some(structure) = structure {
        sql.push(" AND p.structure_id = ").bind(structure);
    }
    let needle = needle.trim();
    if !needle.is_empty() {
        sql.push(" AND (LOWER(p.first_name || ' ' || p.last_name) LIKE ").bind(like_pattern(needle));
        sql.push(" ESCAPE '\\' OR LOWER(p.last_name || ' ' || p.first_name) LIKE ").bind(like_pattern(needle));
        sql.push(" ESCAPE '\\')");
    }
    sql.push(" ORDER BY p.last_name, p.first_name, p.id LIMIT ").bind(limit);
    sql.query_as().fetch_all(&mut *conn).await
}

pub async fn listed(conn: &mut AnyConnection, id: ParticipantId) -> Result<Option<ListedParticipant>, sqlx::Error> {
    let mut sql = Sql::new(LISTED);
    sql.push(" WHERE p.id = ").bind(id);
    sql.query_as().fetch_optional(&mut *conn).await
}

/// A session a participant is or was in.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct Attended {
    pub participant_id: ParticipantId,
    pub session_id: SessionId,
    pub title: String,
    pub starts_at: i64,
    pub session_status: toile_shared::SessionStatus,
    pub status: EnrolmentStatus,
    pub attendance: Attendance,
    pub enrolled_by: Option<String>,
}

const ATTENDED: &str = "SELECT e.participant_id, s.id AS session_id, s.title, s.starts_at, s.status AS session_status,
    e.status, e.attendance, u.display_name AS enrolled_by
    FROM enrolments e JOIN sessions s ON s.id = e.session_id LEFT JOIN users u ON u.id = e.enrolled_by_user_id";

/// The live enrolments of these participants in sessions to come, soonest first.
pub async fn coming(
    conn: &mut AnyConnection,
    people: &[ParticipantId],
    from: i64,
) -> Result<Vec<Attended>, sqlx::Error> {
    if people.is_empty() {
        return Ok(vec![]);
    }
    let mut sql = Sql::new(ATTENDED);
    sql.push(" WHERE e.status IN ('confirmed', 'waitlisted') AND s.status <> 'cancelled' AND s.starts_at >= ");
    sql.bind(from).push(" AND e.participant_id IN ").bind_list(people.iter().copied());
    sql.push(" ORDER BY s.starts_at");
    sql.query_as().fetch_all(&mut *conn).await
}

/// Every enrolment of a participant, latest session first.
pub async fn history(conn: &mut AnyConnection, person: ParticipantId) -> Result<Vec<Attended>, sqlx::Error> {
    let mut sql = Sql::new(ATTENDED);
    sql.push(" WHERE e.participant_id = ").bind(person).push(" ORDER BY s.starts_at DESC");
    sql.query_as().fetch_all(&mut *conn).await
}

/// Ends the person's browser sign-ins, their own calendar links and their card's sign-in link.
pub async fn sign_out_everywhere(conn: &mut AnyConnection, person: ParticipantId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM auth_sessions WHERE participant_id = $1").bind(person).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM calendar_feeds WHERE owner_participant_id = $1").bind(person).execute(&mut *conn).await?;
    // The card's sign-in link too: a new code, an archived or erased person, and it is dead.
    super::sign_in_links::delete_for(conn, person).await?;
    Ok(())
}

/// Marks the person as gone since `at`: the retention period runs from then.
pub async fn archive(conn: &mut AnyConnection, person: ParticipantId, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE participants SET active = 0, archived_at = COALESCE(archived_at, $2) WHERE id = $1")
        .bind(person)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// What stands in for an anonymised person's name, everywhere it used to show.
pub const ANONYMISED_FIRST_NAME: &str = "Personne";
pub const ANONYMISED_LAST_NAME: &str = "anonymisée";

/// Removes everything that identifies the person: names, phone, e-mail, access code (replaced
/// by a value no code hashes to), sign-ins, calendar links by them or about them. What they
/// attended stays, under their structure, for the figures.
pub async fn anonymise(conn: &mut AnyConnection, person: ParticipantId, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE participants SET first_name = $2, last_name = $3, phone = NULL, email = NULL,
             access_code_hash = 'anonymised:' || CAST(id AS TEXT), code_used_at = NULL, active = 0,
             archived_at = COALESCE(archived_at, $4), anonymised_at = $4
         WHERE id = $1",
    )
    .bind(person)
    .bind(ANONYMISED_FIRST_NAME)
    .bind(ANONYMISED_LAST_NAME)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    sign_out_everywhere(conn, person).await?;
    sqlx::query("DELETE FROM calendar_feeds WHERE participant_id = $1").bind(person).execute(&mut *conn).await?;
    // A drawn signature is personal data: the sheet keeps the attendance, not the hand.
    sqlx::query("DELETE FROM signatures WHERE participant_id = $1").bind(person).execute(&mut *conn).await?;
    // Their answer links act for them: nobody may answer for an anonymous person.
    sqlx::query("DELETE FROM answer_links WHERE participant_id = $1").bind(person).execute(&mut *conn).await?;
    Ok(())
}

/// The person's structure, phone and when they stopped SMS (none while they receive them).
pub async fn sms_state(
    conn: &mut AnyConnection,
    person: ParticipantId,
) -> Result<Option<(StructureId, Option<String>, Option<i64>)>, sqlx::Error> {
    sqlx::query_as("SELECT structure_id, phone, sms_stopped_at FROM participants WHERE id = $1")
        .bind(person)
        .fetch_optional(conn)
        .await
}

/// Everyone who gets SMS (a phone given, SMS not stopped), with their phone as written.
pub async fn receiving_sms(conn: &mut AnyConnection) -> Result<Vec<(ParticipantId, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, phone FROM participants WHERE phone IS NOT NULL AND sms_stopped_at IS NULL ORDER BY id")
        .fetch_all(conn)
        .await
}

/// Stops SMS to the person from `at`, or starts them again (`None`).
pub async fn set_sms_stopped(
    conn: &mut AnyConnection,
    person: ParticipantId,
    at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE participants SET sms_stopped_at = $2 WHERE id = $1")
        .bind(person)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// People archived before `before` and not yet anonymised, oldest first.
pub async fn archived_before(
    conn: &mut AnyConnection,
    before: i64,
    limit: i64,
) -> Result<Vec<ParticipantId>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM participants WHERE anonymised_at IS NULL AND active = 0 AND archived_at < $1
         ORDER BY archived_at, id LIMIT $2",
    )
    .bind(before)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
}

/// What Toile holds on a person besides their sessions, for a copy of their data.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct Held {
    pub created_at: i64,
    pub code_used_at: Option<i64>,
    pub archived_at: Option<i64>,
    pub anonymised_at: Option<i64>,
    pub sign_ins: i64,
    pub calendar_links: i64,
}

pub async fn held(conn: &mut AnyConnection, person: ParticipantId) -> Result<Option<Held>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.created_at, p.code_used_at, p.archived_at, p.anonymised_at,
             (SELECT COUNT(*) FROM auth_sessions a WHERE a.participant_id = p.id) AS sign_ins,
             (SELECT COUNT(*) FROM calendar_feeds f WHERE f.owner_participant_id = p.id) AS calendar_links
         FROM participants p WHERE p.id = $1",
    )
    .bind(person)
    .fetch_optional(&mut *conn)
    .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn wildcards_typed_in_a_search_are_taken_literally() {
        assert_eq!(super::like_pattern("Ben_ali%"), "%ben\\_ali\\%%");
    }
}
