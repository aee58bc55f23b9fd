//! Duplicating a session to another day: everything but its enrolments, at the same times of
//! day in Paris.

use super::super::audit::Entry;
use super::super::store::sessions::{self as stored, Origin};
use super::super::store::to_ts;
use super::super::views::SessionView;
use super::super::{Core, CoreError, CoreResult};
use super::propose::{check_references, moved};
use super::{view, visible};
use chrono::NaiveDate;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::{SessionId, SessionStatus};

impl Core {
    /// A copy of the session on `date` (same times of day), without enrolments; a copy of a
    /// cancelled session is a draft to look at again, any other keeps its status.
    pub async fn duplicate_session(&self, actor: &Actor, id: SessionId, date: NaiveDate) -> CoreResult<SessionView> {
        let mut tx = self.store.write(self.clock.now()).await?;
        let original = visible(&mut tx, actor, id).await?;
        let mut input = original.input();
        if !actor.may_create_session(input.organiser_structure_id) {
            return Err(CoreError::Forbidden);
        }
        let days = (date - crate::core::paris::day_of(input.starts_at)).num_days();
        input = moved(&input, chrono::Duration::days(days));
        if input.status == SessionStatus::Cancelled {
            input.status = SessionStatus::Draft;
        }
        input.validate().map_err(CoreError::Invalid)?;
        check_references(&mut tx, &input).await?;
        let origin = Origin { series_id: None, created_by: actor.staff_user_id(), at: to_ts(tx.at) };
        let copy = stored::insert(&mut tx, &input, &origin).await?;
        Entry::new(actor, AuditAction::SessionCreated)
            .session(copy)
            .details(format!("copie de la séance {id}"))
            .write(&mut tx)
            .await?;
        let session = stored::load_one(&mut tx, copy).await?.expect("just stored");
        tx.commit().await?;
        Ok(view(&session))
    }
}
