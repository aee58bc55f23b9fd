//! The enrolment engine. Each change runs in one transaction that first takes the session's
//! lock (`lock_session`), then the participant's, always in that order so two transactions
//! never wait on each other in a cycle. Under those locks the domain rules decide on fresh
//! counts, a guarded UPDATE re-checks capacity, and a unique (session, participant) key makes
//! the same enrolment submitted twice one row.

use super::audit::{self, Entry};
use super::sessions::{LoadedSession, load_session, lock_session};
use super::time::{from_ts, now, opt_from_ts, paris, to_ts};
use super::views::EnrolmentView;
use super::{Core, CoreError, CoreResult};
use sqlx::AnyConnection;
use toile_shared::authz::Actor;
use toile_shared::enrolment::{self, Candidate, Decision, Refusal, Request, Reservation, SeatPool, SeatState};
use toile_shared::{Attendance, Audience, EnrolmentStatus, ParticipantId, SessionId, SessionStatus};

/// The enrolment, and whether this request created it (false: it already existed).
#[derive(Clone, Debug)]
pub struct EnrolResult {
    pub enrolment: EnrolmentView,
    pub created: bool,
}

#[derive(sqlx::FromRow, Clone)]
struct EnrolmentRow {
    session_id: i64,
    participant_id: i64,
    status: String,
    queue_tick: i64,
    enrolled_by_user_id: Option<i64>,
    attendance: String,
    overbooked: i64,
    created_at: i64,
}

const ENROLMENT_COLUMNS: &str = "SELECT session_id, participant_id, status, queue_tick,
    enrolled_by_user_id, attendance, overbooked, created_at FROM enrolments";

async fn find_enrolment(
    conn: &mut AnyConnection,
    session: SessionId,
    participant: ParticipantId,
) -> Result<Option<EnrolmentRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ENROLMENT_COLUMNS} WHERE session_id = $1 AND participant_id = $2"))
        .bind(session)
        .bind(participant)
        .fetch_optional(&mut *conn)
        .await
}

async fn view_of(conn: &mut AnyConnection, row: EnrolmentRow) -> Result<EnrolmentView, sqlx::Error> {
    let position = if row.status == EnrolmentStatus::Waitlisted.code() {
        let ahead: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM enrolments WHERE session_id = $1 AND status = 'waitlisted' AND queue_tick <= $2",
        )
        .bind(row.session_id)
        .bind(row.queue_tick)
        .fetch_one(&mut *conn)
        .await?;
        Some(ahead as u32)
    } else {
        None
    };
    Ok(EnrolmentView { waitlist_position: position, ..view_of_without_position(row) })
}

/// A participant's enrolment in a session, whatever its status, read on the caller's
/// connection (for the participant's own pages: no permission lookup needed).
pub(super) async fn own_enrolment(
    conn: &mut AnyConnection,
    session: SessionId,
    participant: ParticipantId,
) -> Result<Option<EnrolmentView>, sqlx::Error> {
    match find_enrolment(conn, session, participant).await? {
        Some(row) => Ok(Some(view_of(conn, row).await?)),
        None => Ok(None),
    }
}

/// Locks the participant's row and reads what the rules need about them for this session.
async fn lock_candidate(
    conn: &mut AnyConnection,
    participant: ParticipantId,
    session: &LoadedSession,
) -> CoreResult<Candidate> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("UPDATE participants SET active = active WHERE id = $1 RETURNING structure_id, active")
            .bind(participant)
            .fetch_optional(&mut *conn)
            .await?;
    let (structure_id, active) = row.ok_or(CoreError::NotFound("Participant"))?;
    let has_overlap =
        has_overlap(conn, participant, session.row.id, session.row.starts_at, session.row.ends_at).await?;
    Ok(Candidate { structure_id, active: active != 0, has_overlap })
}

/// Whether the participant holds a confirmed seat in another live session overlapping this
/// one (back-to-back sessions do not overlap).
pub(super) async fn has_overlap(
    conn: &mut AnyConnection,
    participant: ParticipantId,
    session: SessionId,
    starts_at: i64,
    ends_at: i64,
) -> Result<bool, sqlx::Error> {
    let overlaps: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM enrolments e JOIN sessions s ON s.id = e.session_id
         WHERE e.participant_id = $1 AND e.status = 'confirmed' AND s.status <> 'cancelled'
           AND s.id <> $2 AND s.starts_at < $3 AND s.ends_at > $4",
    )
    .bind(participant)
    .bind(session)
    .bind(ends_at)
    .bind(starts_at)
    .fetch_one(&mut *conn)
    .await?;
    Ok(overlaps > 0)
}

/// Takes a seat: the guarded UPDATE refuses to go past capacity unless overbooking.
async fn take_seat(conn: &mut AnyConnection, session: SessionId, overbook: bool) -> Result<bool, sqlx::Error> {
    let guard = if overbook { "" } else { " AND seats_taken < capacity" };
    let taken = sqlx::query(&format!("UPDATE sessions SET seats_taken = seats_taken + 1 WHERE id = $1{guard}"))
        .bind(session)
        .execute(&mut *conn)
        .await?;
    Ok(taken.rows_affected() == 1)
}

/// Writes the enrolment row: a new one, or a cancelled one brought back.
async fn write_enrolment(
    conn: &mut AnyConnection,
    existed: bool,
    row: &EnrolmentRow,
    pool: Option<i64>,
) -> Result<(), sqlx::Error> {
    let sql = if existed {
        "UPDATE enrolments SET status = $3, seat_pool_structure_id = $4, overbooked = $5, queue_tick = $6,
         enrolled_by_user_id = $7, created_at = $8, updated_at = $8, attendance = 'unknown'
         WHERE session_id = $1 AND participant_id = $2"
    } else {
        "INSERT INTO enrolments (session_id, participant_id, status, seat_pool_structure_id, overbooked,
         queue_tick, enrolled_by_user_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)"
    };
    sqlx::query(sql)
        .bind(row.session_id)
        .bind(row.participant_id)
        .bind(&row.status)
        .bind(pool)
        .bind(row.overbooked)
        .bind(row.queue_tick)
        .bind(row.enrolled_by_user_id)
        .bind(row.created_at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The session's seat-relevant columns, read by the statement that takes its lock.
#[derive(sqlx::FromRow)]
struct SeatRow {
    queue_tick: i64,
    status: String,
    starts_at: i64,
    ends_at: i64,
    enrolment_opens_at: Option<i64>,
    enrolment_closes_at: Option<i64>,
    capacity: i64,
    seats_taken: i64,
    audience_all: i64,
    reserved_total: i64,
    reserved_until: Option<i64>,
}

impl SeatRow {
    /// The seat state as one structure's participant meets it: the audience is reduced to
    /// whether it includes that structure, and reservations are read only if there are any.
    async fn seat_state(
        &self,
        conn: &mut AnyConnection,
        session: SessionId,
        structure: i64,
    ) -> Result<SeatState, sqlx::Error> {
        let audience = if self.audience_all != 0 {
            Audience::all()
        } else {
            let listed: Option<i64> = sqlx::query_scalar(
                "SELECT structure_id FROM session_audience WHERE session_id = $1 AND structure_id = $2",
            )
            .bind(session)
            .bind(structure)
            .fetch_optional(&mut *conn)
            .await?;
            Audience::only(listed.into_iter().collect())
        };
        let reservations: Vec<(i64, i64, i64)> = if self.reserved_total > 0 {
            sqlx::query_as(
                "SELECT r.structure_id, r.seats, (SELECT COUNT(*) FROM enrolments e WHERE e.session_id = r.session_id
                   AND e.status = 'confirmed' AND e.seat_pool_structure_id = r.structure_id)
                 FROM session_reservations r WHERE r.session_id = $1",
            )
            .bind(session)
            .fetch_all(&mut *conn)
            .await?
        } else {
            vec![]
        };
        let reserved_taken: i64 = reservations.iter().map(|r| r.2).sum();
        Ok(SeatState {
            status: SessionStatus::parse(&self.status).unwrap_or(SessionStatus::Draft),
            starts_at: from_ts(self.starts_at),
            enrolment_opens_at: opt_from_ts(self.enrolment_opens_at),
            enrolment_closes_at: opt_from_ts(self.enrolment_closes_at),
            capacity: self.capacity as u32,
            audience,
            reservations: reservations
                .into_iter()
                .map(|(structure_id, seats, taken)| Reservation {
                    structure_id,
                    seats: seats as u32,
                    taken: taken as u32,
                })
                .collect(),
            reserved_until: opt_from_ts(self.reserved_until),
            open_taken: (self.seats_taken - reserved_taken).max(0) as u32,
        })
    }
}

fn is_active(row: &EnrolmentRow) -> bool {
    EnrolmentStatus::parse(&row.status).is_some_and(EnrolmentStatus::is_active)
}

fn staff_id(actor: Option<&Actor>) -> Option<i64> {
    match actor {
        Some(Actor::Staff { user_id, .. }) => Some(*user_id),
        _ => None,
    }
}

/// Gives freed seats to the first eligible people waiting, in order, while seats are free.
/// Runs inside the caller's transaction, which must hold the session's lock.
pub(super) async fn promote_waiting(
    conn: &mut AnyConnection,
    session_id: SessionId,
    actor: Option<&Actor>,
) -> CoreResult<Vec<ParticipantId>> {
    let mut promoted = Vec::new();
    let mut skipped: Vec<ParticipantId> = Vec::new();
    loop {
        let session = load_session(conn, session_id).await?;
        let state = session.seat_state();
        if state.seats_taken() >= state.capacity {
            break;
        }
        let waiting: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT e.participant_id, p.structure_id, p.active FROM enrolments e
             JOIN participants p ON p.id = e.participant_id
             WHERE e.session_id = $1 AND e.status = 'waitlisted' ORDER BY e.queue_tick",
        )
        .bind(session_id)
        .fetch_all(&mut *conn)
        .await?;
        let waiting: Vec<(i64, Candidate)> = waiting
            .into_iter()
            .map(|(id, structure_id, active)| {
                let has_overlap = skipped.contains(&id);
                (id, Candidate { structure_id, active: active != 0, has_overlap })
            })
            .collect();
        let candidates: Vec<Candidate> = waiting.iter().map(|(_, c)| c.clone()).collect();
        let Some((index, pool)) = enrolment::pick_promotion(&state, &candidates, now()) else {
            break;
        };
        let participant = waiting[index].0;
        // Check the chosen person's other sessions under their lock before giving the seat.
        if lock_candidate(conn, participant, &session).await?.has_overlap {
            skipped.push(participant);
            continue;
        }
        if !take_seat(conn, session_id, false).await? {
            break;
        }
        sqlx::query(
            "UPDATE enrolments SET status = 'confirmed', seat_pool_structure_id = $3, updated_at = $4
             WHERE session_id = $1 AND participant_id = $2",
        )
        .bind(session_id)
        .bind(participant)
        .bind(pool.reserved_for())
        .bind(to_ts(now()))
        .execute(&mut *conn)
        .await?;
        audit::record(
            conn,
            Entry {
                actor,
                action: "promoted_from_waitlist",
                session_id: Some(session_id),
                participant_id: Some(participant),
                details: String::new(),
            },
        )
        .await?;
        promoted.push(participant);
    }
    Ok(promoted)
}

impl Core {
    /// Enrols a participant: confirmed if a seat is free for them, else waitlisted. Asking
    /// again returns the existing enrolment unchanged. The hot path of the product: it reads
    /// only what the rules need, in as few statements as it can, while it holds the lock.
    pub async fn enrol(
        &self,
        actor: &Actor,
        session_id: SessionId,
        participant_id: ParticipantId,
        request: Request,
    ) -> CoreResult<EnrolResult> {
        if request == Request::Overbook && !actor.is_staff() {
            return Err(CoreError::Forbidden);
        }
        let mut tx = self.db.begin_write().await?;
        let seats: Option<SeatRow> = sqlx::query_as(
            "UPDATE sessions SET queue_tick = queue_tick + 1 WHERE id = $1
             RETURNING queue_tick, status, starts_at, ends_at, enrolment_opens_at, enrolment_closes_at,
                       capacity, seats_taken, audience_all, reserved_total, reserved_until",
        )
        .bind(session_id)
        .fetch_optional(&mut *tx)
        .await?;
        let seats = seats.ok_or(CoreError::NotFound("Séance"))?;
        let participant: Option<(i64, i64)> =
            sqlx::query_as("UPDATE participants SET active = active WHERE id = $1 RETURNING structure_id, active")
                .bind(participant_id)
                .fetch_optional(&mut *tx)
                .await?;
        let (structure, active) = participant.ok_or(CoreError::NotFound("Participant"))?;
        if !actor.may_act_for_participant(participant_id, structure) {
            return Err(CoreError::Forbidden);
        }
        if !actor.is_staff() && seats.status == SessionStatus::Draft.code() {
            return Err(CoreError::NotFound("Séance"));
        }
        let existing = find_enrolment(&mut tx, session_id, participant_id).await?;
        let existed = existing.is_some();
        if let Some(row) = existing.filter(is_active) {
            let enrolment = view_of(&mut tx, row).await?;
            tx.rollback().await?;
            return Ok(EnrolResult { enrolment, created: false });
        }
        let state = seats.seat_state(&mut tx, session_id, structure).await?;
        let has_overlap = has_overlap(&mut tx, participant_id, session_id, seats.starts_at, seats.ends_at).await?;
        let candidate = Candidate { structure_id: structure, active: active != 0, has_overlap };
        let decision = enrolment::decide(&state, &candidate, request, now())?;
        let (status, pool, overbooked) = match decision {
            Decision::Confirm(pool) if take_seat(&mut tx, session_id, false).await? => {
                (EnrolmentStatus::Confirmed, pool, false)
            }
            // The counter disagrees with the rows: trust the guard, never overbook.
            Decision::Confirm(_) | Decision::Waitlist => (EnrolmentStatus::Waitlisted, SeatPool::Open, false),
            Decision::ConfirmOverbooked => {
                take_seat(&mut tx, session_id, true).await?;
                (EnrolmentStatus::Confirmed, SeatPool::Open, true)
            }
        };
        let enrolled_by = staff_id(Some(actor));
        let row = EnrolmentRow {
            session_id,
            participant_id,
            status: status.code().into(),
            queue_tick: seats.queue_tick,
            enrolled_by_user_id: enrolled_by,
            attendance: Attendance::Unknown.code().into(),
            overbooked: i64::from(overbooked),
            created_at: to_ts(now()),
        };
        write_enrolment(&mut tx, existed, &row, pool.reserved_for()).await?;
        let action = if overbooked { "enrolled_overbooking" } else { "enrolled" };
        audit::record(
            &mut tx,
            Entry {
                actor: Some(actor),
                action,
                session_id: Some(session_id),
                participant_id: Some(participant_id),
                details: status.code().into(),
            },
        )
        .await?;
        let enrolment = view_of(&mut tx, row).await?;
        tx.commit().await?;
        Ok(EnrolResult { enrolment, created: true })
    }

    /// Cancels an enrolment; a freed seat goes at once to the first eligible person waiting.
    /// Returns who was promoted, if anyone.
    pub async fn unenrol(
        &self,
        actor: &Actor,
        session_id: SessionId,
        participant_id: ParticipantId,
    ) -> CoreResult<Option<ParticipantId>> {
        let structure = self.participant_structure(participant_id).await?;
        if !actor.may_act_for_participant(participant_id, structure) {
            return Err(CoreError::Forbidden);
        }
        let mut tx = self.db.begin_write().await?;
        lock_session(&mut tx, session_id).await?;
        let session = load_session(&mut tx, session_id).await?;
        let existing = find_enrolment(&mut tx, session_id, participant_id).await?;
        let Some(row) = existing.filter(is_active) else {
            return Err(CoreError::NotFound("Inscription"));
        };
        let by_participant = !actor.is_staff();
        if by_participant && now() >= from_ts(session.row.starts_at) {
            return Err(Refusal::SessionStarted.into());
        }
        if by_participant
            && !enrolment::participant_may_cancel(super::time::opt_from_ts(session.row.cancellation_deadline), now())
        {
            return Err(Refusal::CancellationDeadlinePassed.into());
        }
        let status =
            if by_participant { EnrolmentStatus::CancelledByParticipant } else { EnrolmentStatus::CancelledByStaff };
        sqlx::query("UPDATE enrolments SET status = $3, seat_pool_structure_id = NULL, updated_at = $4 WHERE session_id = $1 AND participant_id = $2")
            .bind(session_id)
            .bind(participant_id)
            .bind(status.code())
            .bind(to_ts(now()))
            .execute(&mut *tx)
            .await?;
        let was_confirmed = row.status == EnrolmentStatus::Confirmed.code();
        if was_confirmed {
            sqlx::query("UPDATE sessions SET seats_taken = seats_taken - 1 WHERE id = $1")
                .bind(session_id)
                .execute(&mut *tx)
                .await?;
        }
        audit::record(
            &mut tx,
            Entry {
                actor: Some(actor),
                action: "unenrolled",
                session_id: Some(session_id),
                participant_id: Some(participant_id),
                details: status.code().into(),
            },
        )
        .await?;
        let promoted = if was_confirmed { promote_waiting(&mut tx, session_id, Some(actor)).await? } else { vec![] };
        tx.commit().await?;
        Ok(promoted.first().copied())
    }

    /// Sweeps sessions whose reserved seats were released and who have people waiting.
    /// Safe to run from several server processes: each session is handled under its lock.
    pub async fn promote_released_seats(&self) -> CoreResult<usize> {
        let at = to_ts(now());
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT s.id FROM sessions s WHERE s.status = 'published' AND s.starts_at > $1
             AND s.seats_taken < s.capacity AND s.reserved_until IS NOT NULL AND s.reserved_until <= $1
             AND EXISTS (SELECT 1 FROM enrolments e WHERE e.session_id = s.id AND e.status = 'waitlisted')",
        )
        .bind(at)
        .fetch_all(&self.db.pool)
        .await?;
        let mut promoted = 0;
        for id in ids {
            let mut tx = self.db.begin_write().await?;
            lock_session(&mut tx, id).await?;
            promoted += promote_waiting(&mut tx, id, None).await?.len();
            tx.commit().await?;
        }
        Ok(promoted)
    }

    /// Who enrolled in a session. Managers see everyone; other staff see their structure's.
    pub async fn enrolments(&self, actor: &Actor, session_id: SessionId) -> CoreResult<Vec<EnrolmentView>> {
        let mut conn = self.db.pool.acquire().await?;
        let session = load_session(&mut conn, session_id).await?;
        if !self.may_see(actor, &session) {
            return Err(CoreError::NotFound("Séance"));
        }
        let structure_filter = match actor {
            _ if actor.may_manage_session(&session.scope()) => 0,
            Actor::Staff { structure_id: Some(own), .. } => *own,
            _ => return Err(CoreError::Forbidden),
        };
        let rows: Vec<EnrolmentRow> = sqlx::query_as(&format!(
            "{ENROLMENT_COLUMNS} WHERE session_id = $1 AND ($2 = 0 OR participant_id IN
             (SELECT id FROM participants WHERE structure_id = $2)) ORDER BY queue_tick"
        ))
        .bind(session_id)
        .bind(structure_filter)
        .fetch_all(&mut *conn)
        .await?;
        let mut views = Vec::with_capacity(rows.len());
        let mut waiting = 0;
        for row in rows {
            let mut view = view_of_without_position(row);
            if view.status == EnrolmentStatus::Waitlisted.code() {
                waiting += 1;
                view.waitlist_position = Some(waiting);
            }
            views.push(view);
        }
        if structure_filter != 0 {
            // Positions must count everyone waiting, not only this structure's people.
            for view in views.iter_mut().filter(|v| v.waitlist_position.is_some()) {
                let row = find_enrolment(&mut conn, session_id, view.participant_id).await?.expect("listed");
                view.waitlist_position = view_of(&mut conn, row).await?.waitlist_position;
            }
        }
        Ok(views)
    }

    /// One participant's enrolment in a session, if any.
    pub async fn enrolment(
        &self,
        actor: &Actor,
        session_id: SessionId,
        participant_id: ParticipantId,
    ) -> CoreResult<Option<EnrolmentView>> {
        let structure = self.participant_structure(participant_id).await?;
        if !actor.may_act_for_participant(participant_id, structure) {
            return Err(CoreError::Forbidden);
        }
        let mut conn = self.db.pool.acquire().await?;
        match find_enrolment(&mut conn, session_id, participant_id).await? {
            Some(row) => Ok(Some(view_of(&mut conn, row).await?)),
            None => Ok(None),
        }
    }

    pub async fn set_attendance(
        &self,
        actor: &Actor,
        session_id: SessionId,
        participant_id: ParticipantId,
        attendance: Attendance,
    ) -> CoreResult<EnrolmentView> {
        let mut tx = self.db.begin_write().await?;
        lock_session(&mut tx, session_id).await?;
        let session = load_session(&mut tx, session_id).await?;
        if !self.may_see(actor, &session) {
            return Err(CoreError::NotFound("Séance"));
        }
        if !actor.may_manage_session(&session.scope()) {
            return Err(CoreError::Forbidden);
        }
        let row =
            find_enrolment(&mut tx, session_id, participant_id).await?.ok_or(CoreError::NotFound("Inscription"))?;
        if row.status != EnrolmentStatus::Confirmed.code() {
            return Err(CoreError::conflict("not_confirmed", "Seules les personnes inscrites ont une présence."));
        }
        sqlx::query(
            "UPDATE enrolments SET attendance = $3, updated_at = $4 WHERE session_id = $1 AND participant_id = $2",
        )
        .bind(session_id)
        .bind(participant_id)
        .bind(attendance.code())
        .bind(to_ts(now()))
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            Entry {
                actor: Some(actor),
                action: "attendance",
                session_id: Some(session_id),
                participant_id: Some(participant_id),
                details: attendance.code().into(),
            },
        )
        .await?;
        let row = find_enrolment(&mut tx, session_id, participant_id).await?.expect("exists");
        let view = view_of(&mut tx, row).await?;
        tx.commit().await?;
        Ok(view)
    }
}

fn view_of_without_position(row: EnrolmentRow) -> EnrolmentView {
    EnrolmentView {
        session_id: row.session_id,
        participant_id: row.participant_id,
        status: row.status,
        waitlist_position: None,
        enrolled_by: match row.enrolled_by_user_id {
            Some(user) => format!("user:{user}"),
            None => "participant".into(),
        },
        attendance: row.attendance,
        overbooked: row.overbooked != 0,
        enrolled_at: paris(from_ts(row.created_at)),
    }
}
