//! A session's roster and attendance, worded for staff.

use super::french;
use super::session_form::refusal;
use crate::core::views::ParticipantView;
use crate::core::{Core, Roster, RosterLine, Seal, SheetSigner, Signed};
use toile_app::models::*;
use toile_shared::authz::Actor;
use toile_shared::done::Done;
use toile_shared::{Attendance, ParticipantId, SessionId};

fn person(line: &RosterLine) -> RosterPerson {
    RosterPerson {
        participant_id: line.person.participant_id,
        name: format!("{} {}", line.person.first_name, line.person.last_name),
        structure: line.person.structure_name.clone(),
        attendance: line.attendance,
        waitlist_position: line.waitlist_position,
        overbooked: line.overbooked,
        enrolled_by: line.enrolled_by.as_ref().map(|name| format!("Inscription faite par {name}")).unwrap_or_default(),
        may_cancel: line.may_cancel,
        may_take_free_seat: line.may_take_free_seat,
        signature: line.signature.as_ref().map(signature_mark),
        said_coming: line.said_coming,
    }
}

/// A signature as the page shows it: its strokes and "9 h 32".
fn signature_mark(signed: &Signed) -> SignatureMark {
    SignatureMark { path: signed.path.clone(), time: french::time(signed.at) }
}

/// Where the sheet stands, in words, and whether it is a warning.
pub(crate) fn seal_words(seal: Option<&Seal>) -> (String, bool) {
    let Some(seal) = seal else { return (String::new(), false) };
    let by = |name: &Option<String>| name.as_ref().map(|n| format!(" par {n}")).unwrap_or_default();
    let closed = format!("Feuille close le {}{}", french::date_and_time(seal.sealed_at), by(&seal.sealed_by));
    match &seal.reopened {
        Some((at, who)) => (
            format!(
                "{closed}, puis rouverte le {}{} pour une correction : closez-la de nouveau.",
                french::date_and_time(*at),
                by(who)
            ),
            false,
        ),
        None if !seal.intact => (format!("Attention : la feuille a changé depuis sa clôture ({closed})."), true),
        None => (format!("{closed}, scellée ({}). Empreinte : {}.", seal.rule.label(), seal.content_hash), false),
    }
}

/// The roster as the session's staff page shows it, with the viewer's participants who could
/// still be enrolled (`Core::staff_session` says who).
pub(super) fn staff_roster(actor: &Actor, roster: &Roster, enrollable: &[ParticipantView]) -> StaffRoster {
    let enrollable = enrollable
        .iter()
        .map(|p| Choice { value: p.id.to_string(), label: format!("{} {}", p.last_name, p.first_name) })
        .collect();
    let count = |attendance| roster.count(attendance) as u32;
    let (seal, seal_warning) = seal_words(roster.seal.as_ref());
    let open = roster.seal.as_ref().is_none_or(|s| s.reopened.is_some());
    StaffRoster {
        seal,
        seal_warning,
        may_close: roster.may_take_attendance && open,
        may_sign: roster.may_take_attendance && actor.staff_user_id().is_some(),
        staff_signatures: roster
            .staff_signatures
            .iter()
            .map(|signed| StaffSignatureLine {
                name: signed.name.clone(),
                mark: signature_mark(&signed.signed),
                mine: Some(signed.user_id) == actor.staff_user_id(),
            })
            .collect(),
        confirmed: roster.confirmed.iter().map(person).collect(),
        waiting: roster.waiting.iter().map(person).collect(),
        counts: roster
            .by_structure
            .iter()
            .map(|c| RosterCount { structure: c.structure_name.clone(), confirmed: c.confirmed, waiting: c.waiting })
            .collect(),
        names_of_everyone: roster.names_of_everyone,
        may_take_attendance: roster.may_take_attendance,
        may_print_sheet: roster.may_print_sheet,
        may_overbook: roster.may_overbook,
        enrollable,
        present: count(Attendance::Present),
        absent: count(Attendance::Absent),
        excused: count(Attendance::Excused),
        unknown: count(Attendance::Unknown),
    }
}

/// Does what a roster form asks; answers what was done.
pub(super) async fn act(
    core: &Core,
    actor: &Actor,
    session: SessionId,
    action: RosterAction,
) -> Result<Done, FormRefusal> {
    let done = match action {
        RosterAction::Enrol(participant) => {
            let result = core
                .enrol(actor, session, participant, toile_shared::enrolment::Request::Normal)
                .await
                .map_err(refusal)?;
            Done::enrolled(result.enrolment.status)
        }
        RosterAction::Overbook(participant, reason) => {
            core.overbook(actor, session, participant, &reason).await.map_err(refusal)?;
            Done::Overbooked
        }
        RosterAction::Cancel(participant) => {
            core.unenrol(actor, session, participant).await.map_err(refusal)?;
            Done::Unenrolled
        }
        RosterAction::GiveSeat(participant) => {
            core.move_from_waitlist(actor, session, participant).await.map_err(refusal)?;
            Done::SeatGiven
        }
    };
    Ok(done)
}

pub(super) async fn mark(
    core: &Core,
    actor: &Actor,
    session: SessionId,
    participant: ParticipantId,
    attendance: Attendance,
) -> Result<(), FormRefusal> {
    core.set_attendance(actor, session, participant, attendance).await.map(|_| ()).map_err(refusal)
}

pub(super) async fn walk_in(
    core: &Core,
    actor: &Actor,
    session: SessionId,
    participant: ParticipantId,
) -> Result<(), FormRefusal> {
    core.walk_in(actor, session, participant).await.map(|_| ()).map_err(refusal)
}

pub(super) async fn sign(
    core: &Core,
    actor: &Actor,
    session: SessionId,
    participant: Option<ParticipantId>,
    strokes: &str,
) -> Result<SignatureMark, FormRefusal> {
    let signer = participant.map_or(SheetSigner::Myself, SheetSigner::Participant);
    core.sign_sheet(actor, session, signer, strokes).await.map(|signed| signature_mark(&signed)).map_err(refusal)
}

pub(super) async fn close_sheet(core: &Core, actor: &Actor, session: SessionId) -> Result<(), FormRefusal> {
    core.close_sheet(actor, session).await.map(|_| ()).map_err(refusal)
}
