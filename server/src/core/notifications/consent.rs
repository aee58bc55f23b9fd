//! A person's say over SMS: the phone is optional, and whoever gave it can stop SMS at any time
//! from their page (their CIP can do it for them). E-mail, when they gave an address, goes on.

use crate::core::audit::Entry;
use crate::core::secrets::hash_token;
use crate::core::store::{participants, to_ts};
use crate::core::{Core, CoreError, CoreResult};
use sqlx::AnyConnection;
use toile_shared::ParticipantId;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::phone::same_phone;

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
        Entry::new(actor, if stop { AuditAction::SmsStopped } else { AuditAction::SmsRestarted })
            .participant(person)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// An event from the SMS provider; `stop`, the number that answered STOP, if it is one. SMS
    /// to that number stop, for everyone who gave it (people of one family may share a phone),
    /// as the button on their page would do. No one signs in: `secret`, in the address only the
    /// provider was given, shows the call is the provider's. Without a secret configured, or
    /// with another one, the address does not exist. Returns how many people were stopped (none
    /// for another event, or for a number Toile does not know).
    pub async fn sms_provider_event(&self, secret: &str, stop: Option<&str>) -> CoreResult<usize> {
        let expected = self.settings.messaging.sms_webhook_secret.as_deref();
        // Hashes compared, so the time taken does not tell how much of the secret was right.
        if expected.is_none_or(|expected| hash_token(expected) != hash_token(secret)) {
            return Err(CoreError::NotFound("Adresse"));
        }
        let Some(number) = stop else { return Ok(0) };
        let mut tx = self.store.write(self.clock.now()).await?;
        let at = to_ts(tx.at);
        let receiving = participants::receiving_sms(&mut tx).await?;
        let people: Vec<_> =
            receiving.into_iter().filter(|(_, phone)| same_phone(phone, number)).map(|(id, _)| id).collect();
        for &person in &people {
            participants::set_sms_stopped(&mut tx, person, Some(at)).await?;
            Entry::anonymous(AuditAction::SmsStopped)
                .participant(person)
                .details("STOP par SMS")
                .write(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(people.len())
    }
}
