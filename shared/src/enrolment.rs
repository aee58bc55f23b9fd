//! The enrolment rules. The server reads a session's state inside a transaction that holds the
//! session's lock, asks these functions what to do, and writes the answer; so the rules live
//! here once and the database only guarantees that nobody decides on stale counts.

use crate::{Audience, ErrorCode, SessionStatus, StructureId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Seats reserved for one structure until the session's release time: a guarantee that the
/// structure can seat *at least* this many of its people, not a separate quota. Which seat a
/// person "holds" is bookkeeping; only the counts matter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservation {
    pub structure_id: StructureId,
    pub seats: u32,
}

/// What the rules need to know about a session, read under its lock.
#[derive(Clone, Debug)]
pub struct SeatState {
    pub status: SessionStatus,
    pub starts_at: DateTime<Utc>,
    pub enrolment_opens_at: Option<DateTime<Utc>>,
    pub enrolment_closes_at: Option<DateTime<Utc>>,
    pub capacity: u32,
    pub audience: Audience,
    pub reservations: Vec<Reservation>,
    /// After this instant unused reserved seats open to everyone. `None`: they never do.
    pub reserved_until: Option<DateTime<Utc>>,
    /// Confirmed enrolments (including staff overrides beyond capacity).
    pub seated: u32,
    /// Confirmed enrolments of each structure that holds a reservation (others may be absent).
    pub seated_by_structure: Vec<(StructureId, u32)>,
}

impl SeatState {
    pub fn reservations_hold(&self, now: DateTime<Utc>) -> bool {
        self.reserved_until.is_none_or(|release| now < release)
    }

    /// How many of this structure's people hold a seat.
    pub fn seated_of(&self, structure: StructureId) -> u32 {
        self.seated_by_structure.iter().find(|(id, _)| *id == structure).map_or(0, |(_, n)| *n)
    }

    /// How many of a reservation's seats its structure fills today (never more than reserved).
    pub fn reserved_taken(&self, reservation: &Reservation) -> u32 {
        self.seated_of(reservation.structure_id).min(reservation.seats)
    }

    /// Seats still guaranteed to structures other than `structure` and not yet filled by them.
    fn owed_to_others(&self, structure: StructureId, now: DateTime<Utc>) -> u32 {
        if !self.reservations_hold(now) {
            return 0;
        }
        self.reservations
            .iter()
            .filter(|r| r.structure_id != structure)
            .map(|r| r.seats.saturating_sub(self.seated_of(r.structure_id)))
            .sum()
    }

    /// How many seats this structure's people could still take now: the free seats, less those
    /// other structures are still guaranteed.
    pub fn free_seats_for(&self, structure: StructureId, now: DateTime<Utc>) -> u32 {
        self.capacity.saturating_sub(self.seated).saturating_sub(self.owed_to_others(structure, now))
    }

    /// Counts one more person of `structure` as seated.
    pub fn seat(&mut self, structure: StructureId) {
        self.seated += 1;
        match self.seated_by_structure.iter_mut().find(|(id, _)| *id == structure) {
            Some((_, n)) => *n += 1,
            None => self.seated_by_structure.push((structure, 1)),
        }
    }
}

/// What we know of the person asking for a seat.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub structure_id: StructureId,
    pub active: bool,
    /// Already confirmed in another session that overlaps this one.
    pub has_overlap: bool,
}

/// Why an enrolment is refused. Each has its own stable API code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("Cette séance n'est pas encore publiée.")]
    NotPublished,
    #[error("Cette séance est annulée.")]
    SessionCancelled,
    #[error("Les inscriptions ne sont pas encore ouvertes.")]
    NotYetOpen,
    #[error("Les inscriptions sont fermées.")]
    EnrolmentClosed,
    #[error("Cette séance a déjà commencé.")]
    SessionStarted,
    #[error("Cette séance n'est pas ouverte à votre structure.")]
    NotInAudience,
    #[error("Vous êtes déjà inscrit·e à une autre séance au même moment.")]
    Overlap,
    #[error("Ce compte participant n'est plus actif.")]
    InactiveParticipant,
    #[error("Cette séance est complète.")]
    Full,
    #[error("La date limite d'annulation est passée : contactez votre conseiller·ère.")]
    CancellationDeadlinePassed,
}

impl Refusal {
    /// The refusal's code in the errors' vocabulary.
    pub fn code(self) -> ErrorCode {
        match self {
            Refusal::NotPublished => ErrorCode::SessionNotPublished,
            Refusal::SessionCancelled => ErrorCode::SessionCancelled,
            Refusal::NotYetOpen => ErrorCode::EnrolmentNotOpen,
            Refusal::EnrolmentClosed => ErrorCode::EnrolmentClosed,
            Refusal::SessionStarted => ErrorCode::SessionStarted,
            Refusal::NotInAudience => ErrorCode::NotInAudience,
            Refusal::Overlap => ErrorCode::OverlappingEnrolment,
            Refusal::InactiveParticipant => ErrorCode::ParticipantInactive,
            Refusal::Full => ErrorCode::SessionFull,
            Refusal::CancellationDeadlinePassed => ErrorCode::CancellationDeadlinePassed,
        }
    }
}

/// How a request for a seat is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    /// A participant, or staff on their behalf: confirmed if a seat is free, else waitlisted.
    Normal,
    /// Staff explicitly overbook: confirmed even when full (the override is recorded).
    Overbook,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Confirm,
    /// Confirmed beyond capacity by an explicit staff override.
    ConfirmOverbooked,
    Waitlist,
}

/// The rules that hold for anyone, at enrolment and at promotion alike.
fn check_eligible(state: &SeatState, candidate: &Candidate, now: DateTime<Utc>) -> Result<(), Refusal> {
    match state.status {
        SessionStatus::Draft => return Err(Refusal::NotPublished),
        SessionStatus::Cancelled => return Err(Refusal::SessionCancelled),
        SessionStatus::Published => {}
    }
    if now >= state.starts_at {
        return Err(Refusal::SessionStarted);
    }
    if !candidate.active {
        return Err(Refusal::InactiveParticipant);
    }
    if !state.audience.includes(candidate.structure_id) {
        return Err(Refusal::NotInAudience);
    }
    if candidate.has_overlap {
        return Err(Refusal::Overlap);
    }
    Ok(())
}

/// Decides a new enrolment request.
pub fn decide(
    state: &SeatState,
    candidate: &Candidate,
    request: Request,
    now: DateTime<Utc>,
) -> Result<Decision, Refusal> {
    check_eligible(state, candidate, now)?;
    if state.enrolment_opens_at.is_some_and(|opens| now < opens) {
        return Err(Refusal::NotYetOpen);
    }
    if state.enrolment_closes_at.is_some_and(|closes| now >= closes) {
        return Err(Refusal::EnrolmentClosed);
    }
    if state.free_seats_for(candidate.structure_id, now) > 0 {
        Ok(Decision::Confirm)
    } else if request == Request::Overbook {
        Ok(Decision::ConfirmOverbooked)
    } else {
        Ok(Decision::Waitlist)
    }
}

/// Picks who gets a freed seat: the first person waiting (in order) who is still eligible and
/// for whom a seat is free. Closing of enrolment does not stop promotion: the person had
/// queued in time. Returns the index into `waiting`.
pub fn pick_promotion(state: &SeatState, waiting: &[Candidate], now: DateTime<Utc>) -> Option<usize> {
    waiting.iter().position(|candidate| {
        check_eligible(state, candidate, now).is_ok() && state.free_seats_for(candidate.structure_id, now) > 0
    })
}

/// Where a person stands in a session, as the page of their answer link says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnswerStatus {
    /// Seated, no answer yet: both buttons.
    Seated,
    /// Seated and said they are coming: they may still say they cannot.
    Coming,
    /// Said they cannot come: the seat went to the next person.
    Declined,
    /// On the waiting list: they may leave it.
    Waiting,
    /// No longer enrolled.
    NotEnrolled,
    /// The session will not take place.
    SessionCancelled,
    /// The session has begun.
    Started,
}

/// Whether participants may still cancel their own enrolment: until the session starts and
/// before its cancellation deadline; after it they ask their CIP (staff cancel at any time).
pub fn may_cancel(
    starts_at: DateTime<Utc>,
    deadline: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    if now >= starts_at {
        return Err(Refusal::SessionStarted);
    }
    if !participant_may_cancel(deadline, now) {
        return Err(Refusal::CancellationDeadlinePassed);
    }
    Ok(())
}

/// Participants cancel themselves until the deadline; after it they ask their CIP.
fn participant_may_cancel(deadline: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    deadline.is_none_or(|deadline| now < deadline)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
    }

    fn session(capacity: u32) -> SeatState {
        SeatState {
            status: SessionStatus::Published,
            starts_at: now() + Duration::days(7),
            enrolment_opens_at: None,
            enrolment_closes_at: None,
            capacity,
            audience: Audience::all(),
            reservations: vec![],
            reserved_until: None,
            seated: 0,
            seated_by_structure: vec![],
        }
    }

    /// `state` with these structures' people seated, in order.
    fn seated(mut state: SeatState, structures: &[StructureId]) -> SeatState {
        for structure in structures {
            state.seat(*structure);
        }
        state
    }

    fn from(structure_id: StructureId) -> Candidate {
        Candidate { structure_id, active: true, has_overlap: false }
    }

    #[test]
    fn a_free_seat_confirms_the_enrolment() {
        assert_eq!(decide(&session(2), &from(1), Request::Normal, now()), Ok(Decision::Confirm));
    }

    #[test]
    fn a_full_session_puts_the_person_on_the_waiting_list() {
        let state = seated(session(2), &[1, 2]);
        assert_eq!(decide(&state, &from(1), Request::Normal, now()), Ok(Decision::Waitlist));
    }

    #[test]
    fn staff_may_overbook_only_with_an_explicit_override() {
        let state = seated(session(2), &[1, 2]);
        assert_eq!(decide(&state, &from(1), Request::Overbook, now()), Ok(Decision::ConfirmOverbooked));
    }

    #[test]
    fn no_enrolment_into_a_draft_cancelled_or_started_session() {
        let mut state = session(2);
        state.status = SessionStatus::Draft;
        assert_eq!(decide(&state, &from(1), Request::Normal, now()), Err(Refusal::NotPublished));
        state.status = SessionStatus::Cancelled;
        assert_eq!(decide(&state, &from(1), Request::Overbook, now()), Err(Refusal::SessionCancelled));
        let mut started = session(2);
        started.starts_at = now();
        assert_eq!(decide(&started, &from(1), Request::Normal, now()), Err(Refusal::SessionStarted));
    }

    #[test]
    fn no_enrolment_before_opening_or_after_closing() {
        let mut state = session(2);
        state.enrolment_opens_at = Some(now() + Duration::hours(1));
        assert_eq!(decide(&state, &from(1), Request::Normal, now()), Err(Refusal::NotYetOpen));
        state.enrolment_opens_at = None;
        state.enrolment_closes_at = Some(now());
        assert_eq!(decide(&state, &from(1), Request::Normal, now()), Err(Refusal::EnrolmentClosed));
    }

    #[test]
    fn the_participants_structure_must_be_in_the_audience() {
        let mut state = session(2);
        state.audience = Audience::only(vec![2, 3]);
        assert_eq!(decide(&state, &from(1), Request::Normal, now()), Err(Refusal::NotInAudience));
        assert!(decide(&state, &from(3), Request::Normal, now()).is_ok());
    }

    #[test]
    fn no_two_overlapping_confirmed_sessions_for_one_participant() {
        let candidate = Candidate { has_overlap: true, ..from(1) };
        assert_eq!(decide(&session(2), &candidate, Request::Normal, now()), Err(Refusal::Overlap));
    }

    #[test]
    fn an_inactive_participant_cannot_enrol() {
        let candidate = Candidate { active: false, ..from(1) };
        assert_eq!(decide(&session(2), &candidate, Request::Normal, now()), Err(Refusal::InactiveParticipant));
    }

    fn reserved_session() -> SeatState {
        // 4 seats: 2 guaranteed to structure 1 until tomorrow.
        let mut state = session(4);
        state.reservations = vec![Reservation { structure_id: 1, seats: 2 }];
        state.reserved_until = Some(now() + Duration::days(1));
        state
    }

    #[test]
    fn other_structures_cannot_take_reserved_seats_before_release() {
        let state = seated(reserved_session(), &[2, 3]);
        assert_eq!(decide(&state, &from(2), Request::Normal, now()), Ok(Decision::Waitlist));
        // ...but the structure with reserved seats still can.
        assert_eq!(decide(&state, &from(1), Request::Normal, now()), Ok(Decision::Confirm));
    }

    #[test]
    fn a_structure_past_its_reserved_seats_competes_for_the_others() {
        let state = seated(reserved_session(), &[1, 1, 1]);
        assert_eq!(state.free_seats_for(1, now()), 1);
        assert_eq!(state.free_seats_for(2, now()), 1, "the guarantee is met: the last seat is anyone's");
        assert_eq!(state.reserved_taken(&state.reservations[0]), 2);
    }

    #[test]
    fn unused_reserved_seats_open_to_all_after_release() {
        let state = seated(reserved_session(), &[2, 2]);
        let after_release = now() + Duration::days(2);
        assert_eq!(decide(&state, &from(2), Request::Normal, after_release), Ok(Decision::Confirm));
        let full = seated(state, &[2, 2]);
        assert_eq!(decide(&full, &from(2), Request::Normal, after_release), Ok(Decision::Waitlist));
    }

    #[test]
    fn capacity_holds_even_when_the_guarantee_is_not_met() {
        let mut state = seated(session(4), &[1, 2, 2, 2]);
        state.reservations = vec![Reservation { structure_id: 1, seats: 2 }];
        state.reserved_until = Some(now() + Duration::days(1));
        assert_eq!(decide(&state, &from(1), Request::Normal, now()), Ok(Decision::Waitlist));
    }

    #[test]
    fn free_seats_count_a_structures_guarantee_and_the_unreserved_seats() {
        let state = seated(reserved_session(), &[3]);
        assert_eq!(state.free_seats_for(1, now()), 3);
        assert_eq!(state.free_seats_for(2, now()), 1);
        assert_eq!(state.free_seats_for(2, now() + Duration::days(2)), 3);
    }

    #[test]
    fn two_guarantees_hold_together() {
        // 5 seats: 2 for structure 1, 2 for structure 2; one unreserved seat.
        let mut state = session(5);
        state.reservations = vec![Reservation { structure_id: 1, seats: 2 }, Reservation { structure_id: 2, seats: 2 }];
        state.reserved_until = Some(now() + Duration::days(1));
        let state = seated(state, &[1, 1, 1]);
        assert_eq!(state.free_seats_for(1, now()), 0, "structure 2 is still owed its two seats");
        assert_eq!(state.free_seats_for(3, now()), 0);
        assert_eq!(state.free_seats_for(2, now()), 2);
    }

    #[test]
    fn a_freed_seat_goes_to_the_first_eligible_person_waiting() {
        let mut state = seated(reserved_session(), &[3]);
        state.audience = Audience::only(vec![1, 2]);
        let waiting = [
            Candidate { active: false, ..from(2) }, // no longer eligible
            from(3),                                // not in the audience
            from(2),                                // first eligible
            from(1),
        ];
        assert_eq!(pick_promotion(&state, &waiting, now()), Some(2));
    }

    #[test]
    fn a_freed_seat_owed_to_a_structure_waits_for_it_until_release() {
        // The unreserved seats are full and structure 1 has one person seated: its second
        // guaranteed seat is free.
        let state = seated(reserved_session(), &[2, 3, 1]);
        let waiting = [from(2), from(1)];
        assert_eq!(pick_promotion(&state, &waiting, now()), Some(1));
        assert_eq!(pick_promotion(&state, &waiting[..1], now()), None);
        let after_release = now() + Duration::days(2);
        assert_eq!(pick_promotion(&state, &waiting, after_release), Some(0));
    }

    #[test]
    fn once_the_guarantee_is_met_a_freed_seat_goes_to_the_first_person_waiting() {
        // 4 seats, 2 guaranteed to structure 1 which has 2 seated, plus one other: one seat free.
        let state = seated(reserved_session(), &[1, 1, 2]);
        let waiting = [from(2), from(1)];
        assert_eq!(pick_promotion(&state, &waiting, now()), Some(0));
    }

    #[test]
    fn promotion_still_happens_after_enrolment_closes() {
        let mut state = session(1);
        state.enrolment_closes_at = Some(now() - Duration::hours(1));
        assert_eq!(pick_promotion(&state, &[from(1)], now()), Some(0));
    }

    #[test]
    fn participants_cancel_themselves_only_before_the_deadline() {
        assert!(participant_may_cancel(None, now()));
        assert!(participant_may_cancel(Some(now() + Duration::hours(1)), now()));
        assert!(!participant_may_cancel(Some(now()), now()));
    }

    #[test]
    fn a_started_session_is_no_longer_cancelled_by_its_participants_whatever_the_deadline() {
        let later = now() + Duration::hours(2);
        assert_eq!(may_cancel(later, None, now()), Ok(()));
        assert_eq!(may_cancel(later, Some(now()), now()), Err(Refusal::CancellationDeadlinePassed));
        assert_eq!(may_cancel(now(), None, now()), Err(Refusal::SessionStarted));
        assert_eq!(may_cancel(now(), Some(now() + Duration::hours(1)), now()), Err(Refusal::SessionStarted));
    }
}
