//! What a participant sees: the sessions open to them and their own, with what they can do.

use crate::core::enrolment::view_without_position;
use crate::core::sessions::{may_see, view};
use crate::core::store::enrolments::{self, EnrolmentRow};
use crate::core::store::sessions::{self as stored, Facilitators, LoadedSession};
use crate::core::store::{from_ts, opt_from_ts, to_ts};
use crate::core::views::{EnrolmentView, SessionView};
use crate::core::{Core, CoreError, CoreResult};
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;
use std::collections::HashMap;
use toile_shared::authz::Actor;
use toile_shared::enrolment::{self, Candidate, Refusal, Request};
use toile_shared::{EnrolmentStatus, LocationKind, ParticipantId, SessionId, SessionStatus, StructureId};

/// A session from one participant's point of view.
#[derive(Clone, Debug)]
pub struct ParticipantSession {
    /// The session; a video link is left out unless the participant holds a seat.
    pub session: SessionView,
    /// The place in words (full address), or the video link for someone with a seat.
    pub place: Option<String>,
    /// Seats this participant could still take.
    pub free_seats: u32,
    pub mine: Option<EnrolmentView>,
    /// Why the participant cannot enrol now, when they cannot (detail only).
    pub refusal: Option<Refusal>,
    pub can_cancel: bool,
    /// The session's time or place changed since the participant enrolled.
    pub schedule_changed: bool,
}

fn participant_of(actor: &Actor) -> CoreResult<(ParticipantId, StructureId)> {
    match actor {
        Actor::Participant { participant_id, structure_id } => Ok((*participant_id, *structure_id)),
        _ => Err(CoreError::Forbidden),
    }
}

/// How long a session stays in the participant's list after it starts: today's stay visible.
const STILL_LISTED_SECS: i64 = 12 * 3600;

impl Core {
    /// Upcoming sessions open to the participant's structure, and those they are enrolled in.
    pub async fn participant_programme(&self, actor: &Actor) -> CoreResult<Vec<ParticipantSession>> {
        let (participant, structure) = participant_of(actor)?;
        let now = self.clock.now();
        let mut conn = self.store.read().await?;
        // Seats and places only: a participant's page names no facilitator.
        let sessions = stored::load(&mut conn, Facilitators::Skip, |sql| {
            sql.push("ends_at >= ").bind(to_ts(now) - STILL_LISTED_SECS);
            sql.push(" AND status <> 'draft' AND ((status = 'published' AND (audience_all = 1 OR id IN");
            sql.push(" (SELECT session_id FROM session_audience WHERE structure_id = ").bind(structure);
            sql.push("))) OR id IN (SELECT session_id FROM enrolments WHERE participant_id = ").bind(participant);
            sql.push(" AND status IN ('confirmed', 'waitlisted')))");
        })
        .await?;
        let mine = own_enrolments(&mut conn, participant, &sessions).await?;
        Ok(sessions.iter().map(|s| participant_view(actor, s, mine.get(&s.id()).cloned(), None, now)).collect())
    }

    /// One session as the participant sees it, with why they cannot enrol if they cannot.
    pub async fn participant_session(&self, actor: &Actor, id: SessionId) -> CoreResult<ParticipantSession> {
        let (participant, structure) = participant_of(actor)?;
        let now = self.clock.now();
        let mut conn = self.store.read().await?;
        let session = stored::load_one(&mut conn, id).await?.ok_or(CoreError::NotFound("Séance"))?;
        let mine = own_enrolments(&mut conn, participant, std::slice::from_ref(&session)).await?.remove(&id);
        if !(may_see(actor, &session) || mine.is_some()) || session.seats.row.status == SessionStatus::Draft {
            return Err(CoreError::NotFound("Séance"));
        }
        let row = &session.seats.row;
        let has_overlap = enrolments::has_overlap(&mut conn, participant, id, row.starts_at, row.ends_at).await?;
        let candidate = Candidate { structure_id: structure, active: true, has_overlap };
        let refusal = enrolment::decide(&session.seats.state(), &candidate, Request::Normal, now).err();
        Ok(participant_view(actor, &session, mine, Some(refusal), now))
    }
}

/// The participant's enrolments in these sessions (cancelled ones too: a session someone was
/// enrolled in stays theirs to see), with waiting positions, read at once.
async fn own_enrolments(
    conn: &mut AnyConnection,
    participant: ParticipantId,
    sessions: &[LoadedSession],
) -> CoreResult<HashMap<SessionId, EnrolmentView>> {
    let ids: Vec<SessionId> = sessions.iter().map(LoadedSession::id).collect();
    let rows: Vec<EnrolmentRow> = enrolments::of_participant_in(conn, participant, &ids).await?;
    let waiting: Vec<SessionId> =
        rows.iter().filter(|row| row.status == EnrolmentStatus::Waitlisted).map(|row| row.session_id).collect();
    let ticks = if waiting.is_empty() { vec![] } else { enrolments::waiting_ticks(conn, &waiting).await? };
    Ok(rows
        .iter()
        .map(|row| {
            let position = (row.status == EnrolmentStatus::Waitlisted).then(|| {
                ticks.iter().filter(|(session, tick)| *session == row.session_id && *tick <= row.queue_tick).count()
                    as u32
            });
            (row.session_id, EnrolmentView { waitlist_position: position, ..view_without_position(row) })
        })
        .collect())
}

/// `refusal` is `Some` on the session's own page: why the participant cannot enrol, if so.
fn participant_view(
    actor: &Actor,
    session: &LoadedSession,
    mine: Option<EnrolmentView>,
    refusal: Option<Option<Refusal>>,
    now: DateTime<Utc>,
) -> ParticipantSession {
    let structure = match actor {
        Actor::Participant { structure_id, .. } => *structure_id,
        _ => 0,
    };
    let mine = mine.filter(|m| m.status.is_active());
    let seated = mine.as_ref().is_some_and(|m| m.status == EnrolmentStatus::Confirmed);
    let mut shown = view(session);
    let video = session.place_kind() == Some(LocationKind::Video);
    // The link to a video session is for the people who hold a seat in it.
    if video
        && !seated
        && let Some(location) = shown.location.as_mut()
    {
        location.text.clear();
    }
    let place = if video && !seated { None } else { session.place() };
    let row = &session.seats.row;
    let can_cancel = mine.is_some()
        && enrolment::may_cancel(from_ts(row.starts_at), opt_from_ts(row.cancellation_deadline), now).is_ok();
    let schedule_changed = match (&mine, session.row.schedule_changed_at) {
        (Some(mine), Some(changed)) => changed >= mine.enrolled_at.timestamp(),
        _ => false,
    };
    ParticipantSession {
        schedule_changed,
        session: shown,
        place,
        free_seats: session.seats.state().free_seats_for(structure, now),
        refusal: if mine.is_some() { None } else { refusal.flatten() },
        mine,
        can_cancel,
    }
}
