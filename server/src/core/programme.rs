//! What a participant sees: the sessions open to them and their own, with what they can do.

use super::enrolment::{has_overlap, own_enrolment};
use super::sessions::{LoadedSession, load_session, load_sessions};
use super::time::{from_ts, now, to_ts};
use super::views::{EnrolmentView, SessionView};
use super::{Core, CoreError, CoreResult};
use toile_shared::authz::Actor;
use toile_shared::enrolment::{self, Candidate, Refusal, Request};
use toile_shared::{EnrolmentStatus, SessionId, SessionStatus};

/// A session from one participant's point of view.
#[derive(Clone, Debug)]
pub struct ParticipantSession {
    pub session: SessionView,
    /// The place in words (full address or link).
    pub place: Option<String>,
    /// Seats this participant could still take.
    pub free_seats: u32,
    pub mine: Option<EnrolmentView>,
    /// Why the participant cannot enrol now, when they cannot (detail only).
    pub refusal: Option<Refusal>,
    pub can_cancel: bool,
}

fn participant_of(actor: &Actor) -> CoreResult<(i64, i64)> {
    match actor {
        Actor::Participant { participant_id, structure_id } => Ok((*participant_id, *structure_id)),
        Actor::Staff { .. } => Err(CoreError::Forbidden),
    }
}

impl Core {
    /// Upcoming sessions open to the participant's structure, and those they are enrolled in.
    pub async fn participant_programme(&self, actor: &Actor) -> CoreResult<Vec<ParticipantSession>> {
        let (participant, structure) = participant_of(actor)?;
        let mut conn = self.db.pool.acquire().await?;
        // From the start of the previous 12 hours: today's sessions stay visible.
        let since = to_ts(now()) - 12 * 3600;
        let sessions = load_sessions(
            &mut conn,
            "s.ends_at >= $1 AND (
               (s.status = 'published' AND (s.audience_all = 1 OR s.id IN
                  (SELECT session_id FROM session_audience WHERE structure_id = $2)))
               OR s.id IN (SELECT session_id FROM enrolments WHERE participant_id = $3
                  AND status IN ('confirmed', 'waitlisted')))",
            &[since, structure, participant],
        )
        .await?;
        let mut programme = Vec::with_capacity(sessions.len());
        for session in sessions.iter().filter(|s| s.status() != SessionStatus::Draft) {
            let mine = own_enrolment(&mut conn, session.row.id, participant).await?;
            programme.push(self.participant_view(&mut conn, actor, session, mine, false).await?);
        }
        Ok(programme)
    }

    pub async fn participant_session(&self, actor: &Actor, id: SessionId) -> CoreResult<ParticipantSession> {
        let (participant, _) = participant_of(actor)?;
        let mut conn = self.db.pool.acquire().await?;
        let session = load_session(&mut conn, id).await?;
        let mine = own_enrolment(&mut conn, id, participant).await?;
        if !(self.may_see(actor, &session) || mine.is_some()) || session.status() == SessionStatus::Draft {
            return Err(CoreError::NotFound("Séance"));
        }
        self.participant_view(&mut conn, actor, &session, mine, true).await
    }

    async fn participant_view(
        &self,
        conn: &mut sqlx::AnyConnection,
        actor: &Actor,
        session: &LoadedSession,
        mine: Option<EnrolmentView>,
        with_refusal: bool,
    ) -> CoreResult<ParticipantSession> {
        let (participant, structure) = participant_of(actor)?;
        let at = now();
        let mine = mine.filter(|e| EnrolmentStatus::parse(&e.status).is_some_and(EnrolmentStatus::is_active));
        let state = session.seat_state();
        let refusal = if with_refusal && mine.is_none() {
            let has_overlap =
                has_overlap(&mut *conn, participant, session.row.id, session.row.starts_at, session.row.ends_at)
                    .await?;
            let candidate = Candidate { structure_id: structure, active: true, has_overlap };
            enrolment::decide(&state, &candidate, Request::Normal, at).err()
        } else {
            None
        };
        let can_cancel = mine.is_some()
            && at < from_ts(session.row.starts_at)
            && enrolment::participant_may_cancel(session.input().cancellation_deadline, at);
        Ok(ParticipantSession {
            session: session.view(),
            place: session.location_text(),
            free_seats: state.free_seats_for(structure, at),
            mine,
            refusal,
            can_cancel,
        })
    }
}
