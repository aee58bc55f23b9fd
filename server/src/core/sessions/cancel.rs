//! Cancelling a session: it stays visible, marked cancelled with the reason given, and leaves
//! calendars with a raised SEQUENCE.

use super::super::audit::Entry;
use super::super::notifications::{self, Notice};
use super::super::store::sessions as stored;
use super::super::store::{enrolments, seats, to_ts};
use super::super::views::SessionView;
use super::super::{Core, CoreError, CoreResult};
use super::{scope, view, visible};
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::{SessionId, SessionStatus, text};

/// A reason fits in a few lines on a phone.
pub const MAX_REASON_CHARS: usize = 500;

impl Core {
    /// Cancels the session; `reason` is shown to the people who were enrolled or waiting.
    pub async fn cancel_session(
        &self,
        actor: &Actor,
        id: SessionId,
        reason: Option<String>,
    ) -> CoreResult<SessionView> {
        let reason = reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
        if let Some(reason) = &reason
            && (reason.chars().count() > MAX_REASON_CHARS || text::has_control_beyond_lines(reason))
        {
            return Err(CoreError::invalid(
                "reason",
                "La raison est trop longue ou contient des caractères invalides.",
            ));
        }
        let mut tx = self.store.write(self.clock.now()).await?;
        seats::lock(&mut tx, id).await?.ok_or(CoreError::NotFound("Séance"))?;
        let current = visible(&mut tx, actor, id).await?;
        if !actor.may_cancel_session(&scope(&current)) {
            return Err(CoreError::Forbidden);
        }
        if current.seats.row.status != SessionStatus::Cancelled {
            let at = to_ts(tx.at);
            stored::cancel(&mut tx, id, reason.as_deref(), (at, actor.staff_user_id())).await?;
            Entry::new(actor, AuditAction::SessionCancelled)
                .session(id)
                .details(reason.unwrap_or_default())
                .write(&mut tx)
                .await?;
            let people = enrolments::people_in(&mut tx, id).await?;
            notifications::queue(&mut tx, &self.settings.messaging, Notice::SessionCancelled, id, &people, 0).await?;
        }
        let session = stored::load_one(&mut tx, id).await?.expect("still there");
        tx.commit().await?;
        Ok(view(&session))
    }
}
