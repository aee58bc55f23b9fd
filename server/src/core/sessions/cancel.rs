//! Cancelling a session: it stays visible, marked cancelled, and leaves calendars with a
//! raised SEQUENCE.

use super::super::audit::Entry;
use super::super::store::sessions as stored;
use super::super::store::{seats, to_ts};
use super::super::views::SessionView;
use super::super::{Core, CoreError, CoreResult};
use super::{scope, view, visible};
use toile_shared::authz::Actor;
use toile_shared::{SessionId, SessionStatus};

impl Core {
    pub async fn cancel_session(&self, actor: &Actor, id: SessionId) -> CoreResult<SessionView> {
        let mut tx = self.store.write(self.clock.now()).await?;
        seats::lock(&mut tx, id).await?.ok_or(CoreError::NotFound("Séance"))?;
        let current = visible(&mut tx, actor, id).await?;
        if !actor.may_manage_session(&scope(&current)) {
            return Err(CoreError::Forbidden);
        }
        if current.seats.row.status != SessionStatus::Cancelled {
            let at = to_ts(tx.at);
            stored::cancel(&mut tx, id, at).await?;
            Entry::new(actor, "session_cancelled").session(id).write(&mut tx).await?;
        }
        let session = stored::load_one(&mut tx, id).await?.expect("still there");
        tx.commit().await?;
        Ok(view(&session))
    }
}
