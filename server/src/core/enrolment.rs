//! Enrolling (overbooking by one too) and unenrolling, who enrolled, and attendance.
//!
//! **Nobody is overbooked.** Each change runs in one transaction that first takes the session's
//! lock, then the participant's (`store::seats`); under those locks the rules of
//! `toile_shared::enrolment` decide on fresh counts, a guarded UPDATE re-checks capacity, and a
//! unique (session, participant) key makes the same enrolment submitted twice one row.

use super::audit::Entry;
use super::notifications::{Messaging, Notice, queue};
use super::sessions::{scope, visible};
use super::store::enrolments::{self, EnrolmentCursor, EnrolmentRow, Update};
use super::store::{WriteTx, from_ts, opt_from_ts, participants, seats, to_ts};
use super::views::{EnrolmentView, paris};
use super::waitlist::promote_waiting;
use super::{Core, CoreError, CoreResult};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection};
use toile_shared::ErrorCode;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::enrolment::{self, Candidate, Decision, Request};
use toile_shared::{Attendance, EnrolmentStatus, ParticipantId, SessionId, SessionStatus};

/// The enrolment, and whether this request created it (false: it already existed).
#[derive(Clone, Debug)]
pub struct EnrolResult {
    pub enrolment: EnrolmentView,
    pub created: bool,
}

pub(super) fn view_without_position(row: &EnrolmentRow) -> EnrolmentView {
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

/// The enrolment as its person sees it, with their place on the waiting list.
pub(super) async fn view(conn: &mut AnyConnection, row: &EnrolmentRow) -> Result<EnrolmentView, sqlx::Error> {
    let position = match row.status {
        EnrolmentStatus::Waitlisted => Some(enrolments::waitlist_position(conn, row.session_id, row.queue_tick).await?),
        _ => None,
    };
    Ok(EnrolmentView { waitlist_position: position, ..view_without_position(row) })
}

/// The longest reason for an overbooking.
pub const MAX_OVERBOOK_REASON_CHARS: usize = 300;

/// An overbooking always says why, wherever it comes from (pages, API, command line): the
/// reason, trimmed, or the French words that ask for one.
fn overbook_reason(note: Option<&str>) -> CoreResult<String> {
    let reason = note.unwrap_or_default().trim();
    if reason.is_empty() {
        return Err(CoreError::invalid("reason", "Dites en quelques mots pourquoi cette personne passe en surnombre."));
    }
    if reason.chars().count() > MAX_OVERBOOK_REASON_CHARS {
        return Err(CoreError::invalid("reason", "La raison est trop longue (300 caractères au plus)."));
    }
    Ok(reason.to_string())
}

/// Someone the actor may not act for answers as an unknown id would: trying ids must not tell
/// which people another structure has.
fn not_theirs() -> CoreError {
    CoreError::NotFound("Participant")
}

/// Enrols in `tx` (a transaction of its own, or its savepoint in a batch), which the caller
/// commits when this succeeds. It reads only what the rules need, in as few statements as it
/// can, while it holds the session's lock.
async fn enrol_in(
    tx: &mut WriteTx,
    messaging: &Messaging,
    actor: &Actor,
    session_id: SessionId,
    participant_id: ParticipantId,
    request: Request,
    note: Option<String>,
) -> CoreResult<EnrolResult> {
    let (queue_tick, seats) = seats::lock(tx, session_id).await?.ok_or(CoreError::NotFound("Séance"))?;
    let (structure, active) =
        participants::lock(tx, participant_id).await?.ok_or(CoreError::NotFound("Participant"))?;
    if !actor.may_act_for_participant(participant_id, structure) {
        return Err(not_theirs());
    }
    // A draft is not there for whoever may not read it (the rules refuse it for the others).
    if seats.row.status == SessionStatus::Draft || request == Request::Overbook {
        let session = visible(tx, actor, session_id).await?;
        if request == Request::Overbook && !actor.may_overbook(&scope(&session)) {
            return Err(CoreError::Forbidden);
        }
    }
    let note = match request {
        Request::Overbook => Some(overbook_reason(note.as_deref())?),
        _ => note,
    };
    let (starts_at, ends_at) = (seats.row.starts_at, seats.row.ends_at);
    let (existing, has_overlap) =
        enrolments::find_with_overlap(tx, participant_id, session_id, starts_at, ends_at).await?;
    let existed = existing.is_some();
    if let Some(row) = existing.filter(|row| row.status.is_active()) {
        return Ok(EnrolResult { enrolment: view(tx, &row).await?, created: false });
    }
    let candidate = Candidate { structure_id: structure, active, has_overlap };
    let decision = enrolment::decide(&seats.state(), &candidate, request, tx.at)?;
    let (status, overbooked) = match decision {
        Decision::Confirm if seats::take(tx, session_id, false).await? => (EnrolmentStatus::Confirmed, false),
        // The counter disagrees with the rules' counts: trust the guard, never overbook.
        Decision::Confirm | Decision::Waitlist => (EnrolmentStatus::Waitlisted, false),
        Decision::ConfirmOverbooked => {
            seats::take(tx, session_id, true).await?;
            (EnrolmentStatus::Confirmed, true)
        }
    };
    let row = EnrolmentRow {
        session_id,
        participant_id,
        structure_id: structure,
        status,
        queue_tick,
        enrolled_by_user_id: actor.staff_user_id(),
        attendance: Attendance::Unknown,
        overbooked: i64::from(overbooked),
        created_at: to_ts(tx.at),
    };
    enrolments::write(tx, existed, &row).await?;
    let action = if overbooked { AuditAction::EnrolledOverbooking } else { AuditAction::Enrolled };
    let details = match note {
        Some(note) if overbooked => format!("{} : {note}", status.code()),
        _ => status.code().to_string(),
    };
    Entry::new(actor, action).session(session_id).participant(participant_id).details(details).write(tx).await?;
    if status == EnrolmentStatus::Confirmed && messaging.confirm_enrolments {
        // The occasion is the moment of enrolment: someone who comes back is told again.
        queue(tx, messaging, Notice::Enrolled, session_id, &[participant_id], to_ts(tx.at)).await?;
    }
    let enrolment = view(tx, &row).await?;
    Ok(EnrolResult { enrolment, created: true })
}

impl Core {
    /// Enrols a participant: confirmed if a seat is free for them, else waitlisted. Asking
    /// again returns the existing enrolment unchanged. The hot path of the product: on SQLite,
    /// enrolments that arrive together are written in one batch (`Store::write_queued`).
    pub async fn enrol(
        &self,
        actor: &Actor,
        session_id: SessionId,
        participant_id: ParticipantId,
        request: Request,
    ) -> CoreResult<EnrolResult> {
        self.enrol_noted(actor, session_id, participant_id, request, None).await
    }

    /// Enrols, with a note kept in the audit trail beside an overbooking (its reason).
    async fn enrol_noted(
        &self,
        actor: &Actor,
        session_id: SessionId,
        participant_id: ParticipantId,
        request: Request,
        note: Option<String>,
    ) -> CoreResult<EnrolResult> {
        // Overbooking is for the session's managers: checked under the lock (`enrol_in`).
        if request == Request::Overbook && !actor.is_staff() {
            return Err(CoreError::Forbidden);
        }
        let actor = actor.clone();
        let settings = self.settings.clone();
        self.store
            .write_queued(self.clock.now(), session_id, move |tx| {
                let note = note.clone();
                let settings = settings.clone();
                Box::pin(async move {
                    enrol_in(tx, &settings.messaging, &actor, session_id, participant_id, request, note).await
                })
            })
            .await
    }

    /// Enrols a participant beyond capacity, with the reason recorded: the session's managers
    /// only, for one person at a time.
    pub async fn overbook(
        &self,
        actor: &Actor,
        session_id: SessionId,
        participant_id: ParticipantId,
        reason: &str,
    ) -> CoreResult<EnrolmentView> {
        Ok(self.enrol_overbooking(actor, session_id, participant_id, reason).await?.enrolment)
    }

    /// `overbook`, saying whether the enrolment is new (the API answers 201 or 200).
    pub async fn enrol_overbooking(
        &self,
        actor: &Actor,
        session_id: SessionId,
        participant_id: ParticipantId,
        reason: &str,
    ) -> CoreResult<EnrolResult> {
        self.enrol_noted(actor, session_id, participant_id, Request::Overbook, Some(reason.to_string())).await
    }

    /// Cancels an enrolment; a freed seat goes at once to the first eligible person waiting.
    /// Returns who was promoted, if anyone.
    pub async fn unenrol(
        &self,
        actor: &Actor,
        session_id: SessionId,
        participant_id: ParticipantId,
    ) -> CoreResult<Option<ParticipantId>> {
        self.read_acting_for(actor, participant_id).await?;
        let mut tx = self.store.write(self.clock.now()).await?;
        let (_, seats) = seats::lock(&mut tx, session_id).await?.ok_or(CoreError::NotFound("Séance"))?;
        let existing = enrolments::find(&mut tx, session_id, participant_id).await?;
        let Some(row) = existing.filter(|row| row.status.is_active()) else {
            return Err(CoreError::NotFound("Inscription"));
        };
        let by_participant = !actor.is_staff();
        if by_participant {
            let row = &seats.row;
            enrolment::may_cancel(from_ts(row.starts_at), opt_from_ts(row.cancellation_deadline), tx.at)?;
        }
        let status =
            if by_participant { EnrolmentStatus::CancelledByParticipant } else { EnrolmentStatus::CancelledByStaff };
        let at = to_ts(tx.at);
        enrolments::update(&mut tx, session_id, participant_id, Update::Status(status), at).await?;
        let was_confirmed = row.status == EnrolmentStatus::Confirmed;
        if was_confirmed {
            seats::free(&mut tx, session_id).await?;
            super::sealing::reopen_if_sealed(&mut tx, actor, session_id).await?;
        }
        Entry::new(actor, AuditAction::Unenrolled)
            .session(session_id)
            .participant(participant_id)
            .details(status.code())
            .write(&mut tx)
            .await?;
        let promoted = if was_confirmed {
            promote_waiting(&mut tx, &self.settings.messaging, session_id, Some(actor)).await?
        } else {
            vec![]
        };
        tx.commit().await?;
        Ok(promoted.first().copied())
    }

    /// Who enrolled in a session. Managers see everyone; other staff see their structure's.
    pub async fn enrolments(&self, actor: &Actor, session_id: SessionId) -> CoreResult<Vec<EnrolmentView>> {
        Ok(self.listed_enrolments(actor, session_id, None, None).await?.0)
    }

    /// A page of `enrolments`: at most `limit`, after `after` in the order people came, and
    /// where the next page starts if there may be more.
    pub async fn enrolments_page(
        &self,
        actor: &Actor,
        session_id: SessionId,
        after: Option<EnrolmentCursor>,
        limit: u32,
    ) -> CoreResult<(Vec<EnrolmentView>, Option<EnrolmentCursor>)> {
        self.listed_enrolments(actor, session_id, after, Some(limit.clamp(1, super::MAX_PAGE_SIZE))).await
    }

    /// `enrolments` after `after`, `limit` of them if given, and where the next page starts.
    async fn listed_enrolments(
        &self,
        actor: &Actor,
        session_id: SessionId,
        after: Option<EnrolmentCursor>,
        limit: Option<u32>,
    ) -> CoreResult<(Vec<EnrolmentView>, Option<EnrolmentCursor>)> {
        let mut conn = self.store.read().await?;
        let session = visible(&mut conn, actor, session_id).await?;
        let only = match actor {
            _ if actor.may_see_roster_names(&scope(&session)) => None,
            Actor::Staff { structure_id: Some(own), .. } => Some(*own),
            _ => return Err(CoreError::Forbidden),
        };
        let rows = enrolments::of_session(&mut conn, session_id, only, after, limit).await?;
        let full = limit.is_some_and(|limit| rows.len() == limit as usize);
        let next = rows.last().filter(|_| full).map(EnrolmentCursor::of);
        // Positions count everyone waiting, not only the people listed.
        let ticks: Vec<i64> =
            enrolments::waiting_ticks(&mut conn, &[session_id]).await?.into_iter().map(|(_, tick)| tick).collect();
        let views = rows
            .iter()
            .map(|row| {
                let position = (row.status == EnrolmentStatus::Waitlisted)
                    .then(|| ticks.iter().filter(|tick| **tick <= row.queue_tick).count() as u32);
                EnrolmentView { waitlist_position: position, ..view_without_position(row) }
            })
            .collect();
        Ok((views, next))
    }

    /// One participant's enrolment in a session, if any.
    pub async fn enrolment(
        &self,
        actor: &Actor,
        session_id: SessionId,
        participant_id: ParticipantId,
    ) -> CoreResult<Option<EnrolmentView>> {
        let mut conn = self.read_acting_for(actor, participant_id).await?;
        match enrolments::find(&mut conn, session_id, participant_id).await? {
            Some(row) => Ok(Some(view(&mut conn, &row).await?)),
            None => Ok(None),
        }
    }

    /// Marks a confirmed person present, absent or excused (not "unknown": that is no answer).
    /// Someone no longer present no longer has a signature on the sheet.
    pub async fn set_attendance(
        &self,
        actor: &Actor,
        session_id: SessionId,
        participant_id: ParticipantId,
        attendance: Attendance,
    ) -> CoreResult<EnrolmentView> {
        if attendance == Attendance::Unknown {
            return Err(CoreError::invalid("status", "Choisissez présent·e, absent·e ou excusé·e."));
        }
        let (mut tx, ..) = self.lock_for(actor, session_id, Actor::may_take_attendance).await?;
        let row =
            enrolments::find(&mut tx, session_id, participant_id).await?.ok_or(CoreError::NotFound("Inscription"))?;
        if row.status != EnrolmentStatus::Confirmed {
            return Err(CoreError::conflict(
                ErrorCode::NotConfirmed,
                "Seules les personnes inscrites ont une présence.",
            ));
        }
        let at = to_ts(tx.at);
        enrolments::update(&mut tx, session_id, participant_id, Update::Attendance(attendance), at).await?;
        if attendance != Attendance::Present {
            // A signature says the person was there.
            super::store::signatures::remove_participant(&mut tx, session_id, participant_id).await?;
        }
        super::sealing::reopen_if_sealed(&mut tx, actor, session_id).await?;
        Entry::new(actor, AuditAction::Attendance)
            .session(session_id)
            .participant(participant_id)
            .details(attendance.code())
            .write(&mut tx)
            .await?;
        let row = EnrolmentRow { attendance, ..row };
        let view = view(&mut tx, &row).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// A read of the database, once `actor` is known to act for the participant (checked
    /// against the participant's structure).
    async fn read_acting_for(&self, actor: &Actor, participant: ParticipantId) -> CoreResult<PoolConnection<Any>> {
        let mut conn = self.store.read().await?;
        let person = participants::one(&mut conn, participant).await?.ok_or(CoreError::NotFound("Participant"))?;
        if !actor.may_act_for_participant(participant, person.structure_id) {
            return Err(not_theirs());
        }
        Ok(conn)
    }
}
