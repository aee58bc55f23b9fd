//! A person's say over SMS: the phone is optional, and whoever gave it can stop SMS at any time
//! from their page (their CIP can do it for them). E-mail, when they gave an address, goes on.

use crate::core::audit::Entry;
use crate::core::store::{participants, to_ts};
use crate::core::{Core, CoreError, CoreResult};
use sqlx::AnyConnection;
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

/// The person's SMS state, for whoever may act for them (others get "not found").
async fn consent_of(conn: &mut AnyConnection, actor: &Actor, person: ParticipantId) -> CoreResult<SmsConsent> {
    let not_found = || CoreError::NotFound("Participant");
    let (structure, phone, stopped) = participants::sms_state(conn, person).await?.ok_or_else(not_found)?;
    if !actor.may_act_for_participant(person, structure) {
        return Err(not_found());
    }
    Ok(match (phone.filter(|p| !p.trim().is_empty()), stopped) {
        (None, _) => SmsConsent::NoPhone,
        (Some(_), None) => SmsConsent::Receiving,
        (Some(_), Some(_)) => SmsConsent::Stopped,
    })
}

impl Core {
    /// Whether the person gets SMS, as they (or their structure's staff) may see it.
    pub async fn sms_consent(&self, actor: &Actor, person: ParticipantId) -> CoreResult<SmsConsent> {
        consent_of(&mut *self.store.read().await?, actor, person).await
    }

    /// Stops SMS to the person (`stop`), or starts them again. Messages already queued and not
    /// yet sent are set aside when their turn comes (`claim_due`).
    pub async fn stop_sms(&self, actor: &Actor, person: ParticipantId, stop: bool) -> CoreResult<()> {
        let mut tx = self.store.write(self.clock.now()).await?;
        consent_of(&mut tx, actor, person).await?;
        let at = to_ts(tx.at);
        participants::set_sms_stopped(&mut tx, person, stop.then_some(at)).await?;
        Entry::new(actor, if stop { "sms_stopped" } else { "sms_restarted" })
            .participant(person)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
