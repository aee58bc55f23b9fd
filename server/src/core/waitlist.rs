//! The waiting list: a freed seat goes at once to the first person waiting who can take it
//! (eligible, and not owed to another structure), until no one can; each is told by SMS or
//! e-mail, queued with the promotion.

use super::audit::Entry;
use super::notifications::{self, Messaging, Notice};
use super::store::enrolments::{self, Update};
use super::store::{WriteTx, participants, seats, to_ts};
use super::{Core, CoreError, CoreResult};
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::enrolment::{self, Candidate};
use toile_shared::{ParticipantId, SessionId};

/// Gives free seats to the first eligible people waiting, in order. Runs inside the caller's
/// transaction, after its change to the session. Returns who got a seat, in order.
pub(super) async fn promote_waiting(
    tx: &mut WriteTx,
    messaging: &Messaging,
    session_id: SessionId,
    actor: Option<&Actor>,
) -> CoreResult<Vec<ParticipantId>> {
    let now = tx.at;
    // Read afresh through the lock (already held): the caller's change moved the counts.
    let (_, seats) = seats::lock(tx, session_id).await?.ok_or(CoreError::NotFound("Séance"))?;
    let mut state = seats.state();
    let mut waiting = enrolments::waiting(tx, session_id).await?;
    let mut promoted = Vec::new();
    loop {
        let candidates: Vec<Candidate> = waiting
            .iter()
            .map(|w| Candidate { structure_id: w.structure_id, active: w.active != 0, has_overlap: false })
            .collect();
        let Some(index) = enrolment::pick_promotion(&state, &candidates, now) else {
            break;
        };
        let person = waiting.remove(index);
        // Their other sessions are checked under their lock, as at enrolment.
        let (_, _) = participants::lock(tx, person.participant_id).await?.ok_or(CoreError::NotFound("Participant"))?;
        let row = &seats.row;
        if enrolments::has_overlap(tx, person.participant_id, session_id, row.starts_at, row.ends_at).await? {
            continue;
        }
        if !seats::take(tx, session_id, false).await? {
            break;
        }
        // Seated under their structure of today, which the decision was made for.
        let seated = Update::Seated { structure: person.structure_id };
        enrolments::update(tx, session_id, person.participant_id, seated, to_ts(now)).await?;
        Entry::new(actor, AuditAction::PromotedFromWaitlist)
            .session(session_id)
            .participant(person.participant_id)
            .write(tx)
            .await?;
        state.seat(person.structure_id);
        promoted.push(person.participant_id);
    }
    // They learn it at once, whether or not they open their page.
    notifications::queue(tx, messaging, Notice::SeatOffer, session_id, &promoted, to_ts(now)).await?;
    Ok(promoted)
}

impl Core {
    /// Sweeps sessions whose reserved seats were released and who have people waiting. Safe to
    /// run from several server processes: each session is handled under its lock.
    pub async fn promote_released_seats(&self) -> CoreResult<usize> {
        let now = self.clock.now();
        let ids = seats::released_with_waiting(&mut *self.store.read().await?, to_ts(now)).await?;
        let mut promoted = 0;
        for id in ids {
            let mut tx = self.store.write(now).await?;
            promoted += promote_waiting(&mut tx, &self.settings.messaging, id, None).await?.len();
            tx.commit().await?;
        }
        Ok(promoted)
    }
}
