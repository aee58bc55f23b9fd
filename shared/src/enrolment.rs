//! The enrolment rules. The server reads a session's state inside a transaction that holds the
//! session's lock, asks these functions what to do, and writes the answer; so the rules live
//! here once and the database only guarantees that nobody decides on stale counts.

use crate::{Audience, SessionStatus, StructureId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Seats reserved for one structure until the session's release time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservation {
    pub structure_id: StructureId,
    pub seats: u32,
    /// Confirmed enrolments currently holding one of these seats.
    pub taken: u32,
}

/// Where a confirmed enrolment sits: in a structure's reserved seats, or in the open seats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SeatPool {
    Open,
    Reserved(StructureId),
}

impl SeatPool {
    pub fn reserved_for(self) -> Option<StructureId> {
        match self {
            SeatPool::Open => None,
            SeatPool::Reserved(id) => Some(id),
        }
    }
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
    /// Confirmed enrolments in the open seats (including staff overrides beyond capacity).
    pub open_taken: u32,
}

impl SeatState {
    pub fn seats_taken(&self) -> u32 {
        self.open_taken + self.reservations.iter().map(|r| r.taken).sum::<u32>()
    }

    pub fn reservations_hold(&self, now: DateTime<Utc>) -> bool {
        self.reserved_until.is_none_or(|release| now < release)
    }

    /// Seats not reserved for anyone while reservations hold.
    fn open_capacity(&self) -> u32 {
        let reserved: u32 = self.reservations.iter().map(|r| r.seats).sum();
        self.capacity.saturating_sub(reserved)
    }

    /// How many seats this structure's participants could still take now.
    pub fn free_seats_for(&self, structure: StructureId, now: DateTime<Utc>) -> u32 {
        let free_total = self.capacity.saturating_sub(self.seats_taken());
        if !self.reservations_hold(now) {
            return free_total;
        }
        let own = self
            .reservations
            .iter()
            .find(|r| r.structure_id == structure)
            .map_or(0, |r| r.seats.saturating_sub(r.taken));
        let open = self.open_capacity().saturating_sub(self.open_taken);
        (own + open).min(free_total)
    }

    /// The seat this structure's participant would get now, if any is free.
    pub fn free_seat_for(&self, structure: StructureId, now: DateTime<Utc>) -> Option<SeatPool> {
        if self.seats_taken() >= self.capacity {
            return None;
        }
        if !self.reservations_hold(now) {
            return Some(SeatPool::Open);
        }
        let own = self.reservations.iter().find(|r| r.structure_id == structure);
        if let Some(reservation) = own.filter(|r| r.taken < r.seats) {
            return Some(SeatPool::Reserved(reservation.structure_id));
        }
        (self.open_taken < self.open_capacity()).then_some(SeatPool::Open)
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
    pub fn code(self) -> &'static str {
        match self {
            Refusal::NotPublished => "session_not_published",
            Refusal::SessionCancelled => "session_cancelled",
            Refusal::NotYetOpen => "enrolment_not_open",
            Refusal::EnrolmentClosed => "enrolment_closed",
            Refusal::SessionStarted => "session_started",
            Refusal::NotInAudience => "not_in_audience",
            Refusal::Overlap => "overlapping_enrolment",
            Refusal::InactiveParticipant => "participant_inactive",
            Refusal::Full => "session_full",
            Refusal::CancellationDeadlinePassed => "cancellation_deadline_passed",
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
    Confirm(SeatPool),
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
    match state.free_seat_for(candidate.structure_id, now) {
        Some(pool) => Ok(Decision::Confirm(pool)),
        None if request == Request::Overbook => Ok(Decision::ConfirmOverbooked),
        None => Ok(Decision::Waitlist),
    }
}

/// Picks who gets a freed seat: the first person waiting (in order) who is still eligible and
/// for whom a seat is free. Closing of enrolment does not stop promotion: the person had
/// queued in time. Returns the index into `waiting` and the seat they get.
pub fn pick_promotion(state: &SeatState, waiting: &[Candidate], now: DateTime<Utc>) -> Option<(usize, SeatPool)> {
    waiting.iter().enumerate().find_map(|(index, candidate)| {
        check_eligible(state, candidate, now).ok()?;
        state.free_seat_for(candidate.structure_id, now).map(|pool| (index, pool))
    })
}

/// Participants cancel themselves until the deadline; after it they ask their CIP.
pub fn participant_may_cancel(deadline: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
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
            open_taken: 0,
        }
    }

    fn from(structure_id: StructureId) -> Candidate {
        Candidate { structure_id, active: true, has_overlap: false }
    }

    #[test]
    fn a_free_seat_confirms_the_enrolment() {
        assert_eq!(decide(&session(2), &from(1), Request::Normal, now()), Ok(Decision::Confirm(SeatPool::Open)));
    }

    #[test]
    fn a_full_session_puts_the_person_on_the_waiting_list() {
        let mut state = session(2);
        state.open_taken = 2;
        assert_eq!(decide(&state, &from(1), Request::Normal, now()), Ok(Decision::Waitlist));
    }

    #[test]
    fn staff_may_overbook_only_with_an_explicit_override() {
        let mut state = session(2);
        state.open_taken = 2;
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
        // 4 seats: 2 reserved for structure 1 until tomorrow, 2 open.
        let mut state = session(4);
        state.reservations = vec![Reservation { structure_id: 1, seats: 2, taken: 0 }];
        state.reserved_until = Some(now() + Duration::days(1));
        state
    }

    #[test]
    fn reserved_seats_go_first_to_their_structure() {
        assert_eq!(
            decide(&reserved_session(), &from(1), Request::Normal, now()),
            Ok(Decision::Confirm(SeatPool::Reserved(1)))
        );
    }

    #[test]
    fn other_structures_cannot_take_reserved_seats_before_release() {
        let mut state = reserved_session();
        state.open_taken = 2;
        assert_eq!(decide(&state, &from(2), Request::Normal, now()), Ok(Decision::Waitlist));
        // ...but the structure with reserved seats still can.
        assert_eq!(decide(&state, &from(1), Request::Normal, now()), Ok(Decision::Confirm(SeatPool::Reserved(1))));
    }

    #[test]
    fn a_structure_past_its_reserved_seats_uses_the_open_seats() {
        let mut state = reserved_session();
        state.reservations[0].taken = 2;
        assert_eq!(decide(&state, &from(1), Request::Normal, now()), Ok(Decision::Confirm(SeatPool::Open)));
    }

    #[test]
    fn unused_reserved_seats_open_to_all_after_release() {
        let mut state = reserved_session();
        state.open_taken = 2;
        let after_release = now() + Duration::days(2);
        assert_eq!(decide(&state, &from(2), Request::Normal, after_release), Ok(Decision::Confirm(SeatPool::Open)));
        state.open_taken = 4;
        assert_eq!(decide(&state, &from(2), Request::Normal, after_release), Ok(Decision::Waitlist));
    }

    #[test]
    fn capacity_holds_even_when_reserved_seats_are_spent() {
        let mut state = reserved_session();
        state.reservations[0].taken = 2;
        state.open_taken = 2;
        assert_eq!(decide(&state, &from(1), Request::Normal, now()), Ok(Decision::Waitlist));
    }

    #[test]
    fn free_seats_count_a_structures_reserved_seats_and_the_open_ones() {
        let mut state = reserved_session();
        state.open_taken = 1;
        assert_eq!(state.free_seats_for(1, now()), 3);
        assert_eq!(state.free_seats_for(2, now()), 1);
        assert_eq!(state.free_seats_for(2, now() + Duration::days(2)), 3);
    }

    #[test]
    fn a_freed_seat_goes_to_the_first_eligible_person_waiting() {
        let mut state = reserved_session();
        state.open_taken = 1; // one open seat free, two reserved for structure 1 free
        state.reservations[0].taken = 0;
        state.audience = Audience::only(vec![1, 2]);
        let waiting = [
            Candidate { active: false, ..from(2) }, // no longer eligible
            from(3),                                // not in the audience
            from(2),                                // first eligible
            from(1),
        ];
        assert_eq!(pick_promotion(&state, &waiting, now()), Some((2, SeatPool::Open)));
    }

    #[test]
    fn a_freed_reserved_seat_waits_for_its_structure_until_release() {
        let mut state = reserved_session();
        state.open_taken = 2; // open seats full; a reserved seat of structure 1 is free
        state.reservations[0].taken = 1;
        let waiting = [from(2), from(1)];
        assert_eq!(pick_promotion(&state, &waiting, now()), Some((1, SeatPool::Reserved(1))));
        assert_eq!(pick_promotion(&state, &waiting[..1], now()), None);
        let after_release = now() + Duration::days(2);
        assert_eq!(pick_promotion(&state, &waiting, after_release), Some((0, SeatPool::Open)));
    }

    #[test]
    fn promotion_still_happens_after_enrolment_closes() {
        let mut state = session(1);
        state.enrolment_closes_at = Some(now() - Duration::hours(1));
        assert_eq!(pick_promotion(&state, &[from(1)], now()), Some((0, SeatPool::Open)));
    }

    #[test]
    fn participants_cancel_themselves_only_before_the_deadline() {
        assert!(participant_may_cancel(None, now()));
        assert!(participant_may_cancel(Some(now() + Duration::hours(1)), now()));
        assert!(!participant_may_cancel(Some(now()), now()));
    }
}
