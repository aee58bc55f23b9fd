//! A session's people as its staff see them, and what staff do with them: the confirmed list
//! and the waiting list, giving a waiting person a free seat, a walk-in. Overbooking by one is
//! an enrolment (`enrolment`); the staff page and the sign-in sheet are read in `staff_session`.
//!
//! **Least visibility.** The session's managers (its facilitators, who run it and need every name
//! on the sign-in sheet; its organising structure's staff; group-wide staff) see everyone by name.
//! Other staff see their own structure's people by name and only counts for the others.

use super::audit::Entry;
use super::enrolment::view;
use super::sessions::{scope, staff_only, visible};
use super::store::enrolments::{self, Update};
use super::store::roster::{self, NamedParticipant, RosterRow};
use super::store::sessions::LoadedSession;
use super::store::{from_ts, participants, seats, signatures, to_ts};
use super::views::EnrolmentView;
use super::{Core, CoreError, CoreResult};
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;
use toile_shared::ErrorCode;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::enrolment::{Candidate, Refusal};
use toile_shared::{Attendance, EnrolmentStatus, ParticipantId, SessionId, StructureId, UserId};

/// One person enrolled or waiting, as the viewer may see them.
#[derive(Clone, Debug)]
pub struct RosterLine {
    pub person: NamedParticipant,
    pub status: EnrolmentStatus,
    /// 1-based, for people waiting.
    pub waitlist_position: Option<u32>,
    pub attendance: Attendance,
    pub overbooked: bool,
    /// The staff member who enrolled them on their behalf.
    pub enrolled_by: Option<String>,
    /// The viewer may cancel this enrolment for the person (staff of their structure).
    pub may_cancel: bool,
    /// A seat is free for this waiting person and the viewer may give it to them.
    pub may_take_free_seat: bool,
    /// Their signature on the sheet, while they are marked present.
    pub signature: Option<Signed>,
    /// They said "je viens" through their reminder's link.
    pub said_coming: bool,
}

/// A signature on the sheet: the strokes drawn (SVG path data, see
/// `toile_shared::signature`) and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    pub path: String,
    pub at: DateTime<Utc>,
}

/// A staff member who signed the sheet for the session's running.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffSigned {
    pub user_id: UserId,
    pub name: String,
    pub signed: Signed,
}

/// How many people of a structure are confirmed and waiting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructureCount {
    pub structure_id: StructureId,
    pub structure_name: String,
    pub confirmed: u32,
    pub waiting: u32,
}

/// A session's roster for one viewer.
#[derive(Clone, Debug)]
pub struct Roster {
    pub session_id: SessionId,
    /// The people the viewer may see by name: confirmed, by last name.
    pub confirmed: Vec<RosterLine>,
    /// The people the viewer may see by name who wait, first in line first.
    pub waiting: Vec<RosterLine>,
    /// Everyone, counted per structure.
    pub by_structure: Vec<StructureCount>,
    /// The viewer sees everyone by name (they manage the session).
    pub names_of_everyone: bool,
    pub may_take_attendance: bool,
    pub may_overbook: bool,
    pub may_print_sheet: bool,
    pub capacity: u32,
    pub seats_taken: u32,
    /// The sheet's latest seal, if it was ever closed.
    pub seal: Option<super::Seal>,
    /// The staff who signed the sheet, in the order they signed.
    pub staff_signatures: Vec<StaffSigned>,
}

impl Roster {
    pub fn count(&self, attendance: Attendance) -> usize {
        self.confirmed.iter().filter(|line| line.attendance == attendance).count()
    }
}

fn counts(rows: &[RosterRow]) -> Vec<StructureCount> {
    let mut counts: Vec<StructureCount> = Vec::new();
    for row in rows {
        let person = &row.person;
        let index = match counts.iter().position(|c| c.structure_id == person.structure_id) {
            Some(index) => index,
            None => {
                counts.push(StructureCount {
                    structure_id: person.structure_id,
                    structure_name: person.structure_name.clone(),
                    confirmed: 0,
                    waiting: 0,
                });
                counts.len() - 1
            }
        };
        match row.status {
            EnrolmentStatus::Confirmed => counts[index].confirmed += 1,
            _ => counts[index].waiting += 1,
        }
    }
    counts.sort_by(|a, b| a.structure_name.cmp(&b.structure_name));
    counts
}

impl Core {
    /// The session's roster as `actor` may see it. Participants have none.
    pub async fn roster(&self, actor: &Actor, session_id: SessionId) -> CoreResult<Roster> {
        staff_only(actor)?;
        let mut conn = self.store.read().await?;
        let session = visible(&mut conn, actor, session_id).await?;
        self.roster_of(&mut conn, actor, &session).await
    }

    /// The roster of a session already read and checked: staff only, and visible to `actor`.
    pub(super) async fn roster_of(
        &self,
        conn: &mut AnyConnection,
        actor: &Actor,
        session: &LoadedSession,
    ) -> CoreResult<Roster> {
        let session_id = session.id();
        let scope = scope(session);
        let names_of_everyone = actor.may_see_roster_names(&scope);
        let rows = roster::live(conn, session_id).await?;
        let state = session.seats.state();
        let now = self.now();
        let may_seat = actor.may_move_from_waitlist(&scope);
        let mut position = 0;
        let (mut confirmed, mut waiting) = (Vec::new(), Vec::new());
        for row in &rows {
            let waits = row.status == EnrolmentStatus::Waitlisted;
            if waits {
                position += 1;
            }
            let person = &row.person;
            let named = names_of_everyone || actor.sees_full_name_of(person.structure_id);
            if !named {
                continue;
            }
            let line = RosterLine {
                person: person.clone(),
                status: row.status,
                waitlist_position: waits.then_some(position),
                attendance: row.attendance,
                overbooked: row.overbooked != 0,
                enrolled_by: row.enrolled_by.clone(),
                said_coming: row.answer.as_deref() == Some(super::store::answers::COMING),
                may_cancel: actor.may_act_for_participant(person.participant_id, person.structure_id),
                may_take_free_seat: waits && may_seat && state.free_seats_for(person.structure_id, now) > 0,
                signature: row.signature.clone().zip(row.signed_at).map(|(path, at)| Signed { path, at: from_ts(at) }),
            };
            if waits { waiting.push(line) } else { confirmed.push(line) }
        }
        Ok(Roster {
            session_id,
            confirmed,
            waiting,
            by_structure: counts(&rows),
            names_of_everyone,
            may_take_attendance: actor.may_take_attendance(&scope),
            may_overbook: actor.may_overbook(&scope),
            may_print_sheet: actor.may_print_sign_in_sheet(&scope),
            capacity: state.capacity,
            seats_taken: state.seated,
            seal: super::sealing::latest(conn, &self.settings.secret_key, session_id).await?,
            staff_signatures: signatures::of_staff(conn, session_id)
                .await?
                .into_iter()
                .map(|row| StaffSigned {
                    user_id: row.user_id,
                    name: row.name,
                    signed: Signed { path: row.strokes, at: from_ts(row.signed_at) },
                })
                .collect(),
        })
    }

    /// Gives a waiting person a seat that is free for them (not owed to another structure): for
    /// when the automatic promotion passed them by, e.g. they held another seat at that time.
    pub async fn move_from_waitlist(
        &self,
        actor: &Actor,
        session_id: SessionId,
        participant_id: ParticipantId,
    ) -> CoreResult<EnrolmentView> {
        let (mut tx, _, seats) = self.lock_for(actor, session_id, Actor::may_move_from_waitlist).await?;
        let row =
            enrolments::find(&mut tx, session_id, participant_id).await?.ok_or(CoreError::NotFound("Inscription"))?;
        if row.status != EnrolmentStatus::Waitlisted {
            return Err(CoreError::conflict(ErrorCode::NotWaiting, "Cette personne n'est pas sur la liste d'attente."));
        }
        let (structure, active) =
            participants::lock(&mut tx, participant_id).await?.ok_or(CoreError::NotFound("Participant"))?;
        let (starts_at, ends_at) = (seats.row.starts_at, seats.row.ends_at);
        let has_overlap = enrolments::has_overlap(&mut tx, participant_id, session_id, starts_at, ends_at).await?;
        let state = seats.state();
        let candidate = Candidate { structure_id: structure, active, has_overlap };
        if toile_shared::enrolment::pick_promotion(&state, std::slice::from_ref(&candidate), tx.at).is_none() {
            return Err(match () {
                _ if has_overlap => Refusal::Overlap.into(),
                _ if state.free_seats_for(structure, tx.at) == 0 => CoreError::conflict(
                    ErrorCode::NoFreeSeat,
                    "Aucune place n'est libre pour cette personne : les places restantes sont prises ou réservées à d'autres structures.",
                ),
                _ => CoreError::conflict(
                    ErrorCode::NotEligible,
                    "Cette personne ne peut plus prendre de place à cette séance.",
                ),
            });
        }
        if !seats::take(&mut tx, session_id, false).await? {
            return Err(CoreError::conflict(ErrorCode::NoFreeSeat, "La séance est complète."));
        }
        let at = to_ts(tx.at);
        enrolments::update(&mut tx, session_id, participant_id, Update::Seated { structure }, at).await?;
        super::sealing::reopen_if_sealed(&mut tx, actor, session_id).await?;
        Entry::new(actor, AuditAction::MovedFromWaitlist)
            .session(session_id)
            .participant(participant_id)
            .write(&mut tx)
            .await?;
        let messaging = &self.settings.messaging;
        super::notifications::queue(&mut tx, messaging, super::Notice::SeatOffer, session_id, &[participant_id], at)
            .await?;
        let row =
            enrolments::find(&mut tx, session_id, participant_id).await?.ok_or(CoreError::NotFound("Inscription"))?;
        let view = view(&mut tx, &row).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Someone who came without being enrolled: seated (beyond capacity when the session is
    /// full, flagged so) and marked present. For whoever takes attendance, for a person they
    /// act for; unlike enrolling, it works once the session has started.
    pub async fn walk_in(
        &self,
        actor: &Actor,
        session_id: SessionId,
        participant_id: ParticipantId,
    ) -> CoreResult<EnrolmentView> {
        let (mut tx, queue_tick, seats) = self.lock_for(actor, session_id, Actor::may_take_attendance).await?;
        let (structure, active) =
            participants::lock(&mut tx, participant_id).await?.ok_or(CoreError::NotFound("Participant"))?;
        if !actor.may_act_for_participant(participant_id, structure) {
            return Err(CoreError::Forbidden);
        }
        match seats.row.status {
            _ if !active => return Err(Refusal::InactiveParticipant.into()),
            toile_shared::SessionStatus::Cancelled => return Err(Refusal::SessionCancelled.into()),
            toile_shared::SessionStatus::Draft => return Err(Refusal::NotPublished.into()),
            toile_shared::SessionStatus::Published => {}
        }
        let at = to_ts(tx.at);
        let existing = enrolments::find(&mut tx, session_id, participant_id).await?;
        let row = match existing {
            Some(row) if row.status == EnrolmentStatus::Confirmed => row,
            existing => {
                let overbooked = !seats::take(&mut tx, session_id, false).await?;
                if overbooked {
                    seats::take(&mut tx, session_id, true).await?;
                }
                let row = enrolments::EnrolmentRow {
                    session_id,
                    participant_id,
                    structure_id: structure,
                    status: EnrolmentStatus::Confirmed,
                    queue_tick,
                    enrolled_by_user_id: actor.staff_user_id(),
                    attendance: Attendance::Unknown,
                    overbooked: i64::from(overbooked),
                    created_at: at,
                };
                enrolments::write(&mut tx, existing.is_some(), &row).await?;
                let details = if overbooked { "over_capacity" } else { "seated" };
                Entry::new(actor, AuditAction::WalkIn)
                    .session(session_id)
                    .participant(participant_id)
                    .details(details)
                    .write(&mut tx)
                    .await?;
                row
            }
        };
        enrolments::update(&mut tx, session_id, participant_id, Update::Attendance(Attendance::Present), at).await?;
        super::sealing::reopen_if_sealed(&mut tx, actor, session_id).await?;
        Entry::new(actor, AuditAction::Attendance)
            .session(session_id)
            .participant(participant_id)
            .details(Attendance::Present.code())
            .write(&mut tx)
            .await?;
        let view = view(&mut tx, &enrolments::EnrolmentRow { attendance: Attendance::Present, ..row }).await?;
        tx.commit().await?;
        Ok(view)
    }
}
