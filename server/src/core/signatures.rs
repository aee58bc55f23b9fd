//! Signing the sign-in sheet with a finger: each present participant on the phone of whoever
//! takes attendance, and the staff who ran the session for themselves. A signature is part of
//! what the sheet's seal covers, so signing after the sheet was closed re-opens it, visibly.

use super::audit::Entry;
use super::roster::Signed;
use super::store::signatures::{self, Signer};
use super::store::{enrolments, to_ts};
use super::{Core, CoreError, CoreResult};
use toile_shared::ErrorCode;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::signature::Signature;
use toile_shared::{Attendance, EnrolmentStatus, ParticipantId, SessionId};

/// Who is signing, as the caller says it: a participant, or the staff member asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetSigner {
    Participant(ParticipantId),
    Myself,
}

impl Core {
    /// Records a signature drawn on the session's sheet (replacing the signer's earlier one).
    /// For whoever takes attendance; a participant signs once marked present. Answers the
    /// signature as stored.
    pub async fn sign_sheet(
        &self,
        actor: &Actor,
        session_id: SessionId,
        signer: SheetSigner,
        strokes: &str,
    ) -> CoreResult<Signed> {
        let signature =
            Signature::parse(strokes).map_err(|error| CoreError::invalid("signature", &error.to_string()))?;
        let (mut tx, ..) = self.lock_for(actor, session_id, Actor::may_take_attendance).await?;
        let signer = match signer {
            SheetSigner::Participant(participant) => {
                let row = enrolments::find(&mut tx, session_id, participant)
                    .await?
                    .ok_or(CoreError::NotFound("Inscription"))?;
                if row.status != EnrolmentStatus::Confirmed || row.attendance != Attendance::Present {
                    return Err(CoreError::conflict(
                        ErrorCode::NotPresent,
                        "Notez d'abord la personne présente : seules les personnes présentes signent.",
                    ));
                }
                Signer::Participant(participant)
            }
            SheetSigner::Myself => Signer::Staff(actor.staff_user_id().ok_or(CoreError::Forbidden)?),
        };
        let path = signature.path();
        let at = to_ts(tx.at);
        signatures::put(&mut tx, session_id, signer, &path, at).await?;
        super::sealing::reopen_if_sealed(&mut tx, actor, session_id).await?;
        let entry = Entry::new(actor, AuditAction::Signed).session(session_id);
        let entry = match signer {
            Signer::Participant(participant) => entry.participant(participant).details("participant"),
            Signer::Staff(_) => entry.details("staff"),
        };
        entry.write(&mut tx).await?;
        let at = tx.at;
        tx.commit().await?;
        Ok(Signed { path, at })
    }
}
