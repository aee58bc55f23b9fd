//! A person's say over SMS: the phone is optional, and whoever gave it can stop SMS at any time
//! from their page (their CIP can do it for them). E-mail, when they gave an address, goes on.

use crate::core::audit::Entry;
use crate::core::store::{people, to_ts};
use crate::core::{Core, CoreError, CoreResult};
use toile_shared::ParticipantId;
use toile_shared::authz::Actor;

/// Whether a person gets SMS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmsConsent {
    /// No phone number: nothing to stop.
    NoPhone,
    Receiving,
    Stopped,
}

impl Core {
    /// Whether the person gets SMS, as they (or their structure's staff) may see it.
    pub async fn sms_consent(&self, actor: &Actor, person: ParticipantId) -> CoreResult<SmsConsent> {
        let mut conn = self.store.read().await?;
        let structure = people::participant(&mut conn, person).await?.ok_or(CoreError::NotFound("Participant"))?;
        if !actor.may_act_for_participant(person, structure.structure_id) {
            return Err(CoreError::NotFound("Participant"));
        }
        let (phone, stopped): (Option<String>, Option<i64>) =
            sqlx::query_as("SELECT phone, sms_stopped_at FROM participants WHERE id = $1")
                .bind(person)
                .fetch_one(&mut *conn)
                .await?;
        Ok(match (phone.filter(|p| !p.trim().is_empty()), stopped) {
            (None, _) => SmsConsent::NoPhone,
            (Some(_), None) => SmsConsent::Receiving,
            (Some(_), Some(_)) => SmsConsent::Stopped,
        })
    }

    /// Stops SMS to the person (`stop`), or starts them again. Messages already queued and not
    /// yet sent are set aside when their turn comes (`claim_due`).
    pub async fn stop_sms(&self, actor: &Actor, person: ParticipantId, stop: bool) -> CoreResult<()> {
        let mut tx = self.store.write(self.clock.now()).await?;
        let structure = people::participant(&mut tx, person).await?.ok_or(CoreError::NotFound("Participant"))?;
        if !actor.may_act_for_participant(person, structure.structure_id) {
            return Err(CoreError::NotFound("Participant"));
        }
        let at = to_ts(tx.at);
        sqlx::query("UPDATE participants SET sms_stopped_at = $2 WHERE id = $1")
            .bind(person)
            .bind(stop.then_some(at))
            .execute(&mut *tx)
            .await?;
        Entry::new(actor, if stop { "sms_stopped" } else { "sms_restarted" })
            .participant(person)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
