//! The delivery worker and the ways out: e-mail through SMTP (`smtp`), SMS through Brevo's
//! transactional SMS API (`brevo`), and the server's log for whichever is not configured (for
//! development and the demo). The worker runs inside `toile serve`: it queues the day-before
//! reminders and the facilitators' digests due (`Core::queue_reminders`, `Core::queue_digests`), claims the messages due (`Core::claim_due`), sends
//! them, and records how it went (`Core::record_delivery`), which retries a temporary failure
//! later and shows a permanent one to staff.

mod brevo;
pub mod brevo_events;
pub mod mask;
mod smtp;

use crate::config::SenderSettings;
use crate::core::{Channel, Core, CoreResult, Delivery, Outgoing};
use async_trait::async_trait;
use std::sync::Arc;
use std::time::Duration;

pub use brevo::Brevo;
pub use smtp::Smtp;

/// A way to send a message out.
#[async_trait]
pub trait Sender: Send + Sync {
    /// How a sent message names its provider: `smtp`, `brevo`, `log`.
    fn provider(&self) -> &'static str;
    async fn send(&self, message: &Outgoing) -> Delivery;
}

/// Notes in the server's log that a message would have gone, instead of sending it: what
/// development and the demo use, and what shows a configuration is missing. Only the channel,
/// the recipient masked and the message's kind: never its text, which may carry a link.
pub struct LogSender;

/// The recipient of `message` as the log may show it (`mask`).
pub fn masked_recipient(message: &Outgoing) -> String {
    match message.channel {
        Channel::Sms => mask::phone(&message.to),
        Channel::Email => mask::email(&message.to),
    }
}

/// How a send went, with the recipient's number or address taken out of the provider's words:
/// they are kept for staff and written in the log.
fn scrubbed(message: &Outgoing, delivery: Delivery) -> Delivery {
    let masked = masked_recipient(message);
    match delivery {
        Delivery::Temporary(error) => Delivery::Temporary(mask::scrub(&error, &message.to, &masked)),
        Delivery::Permanent(error) => Delivery::Permanent(mask::scrub(&error, &message.to, &masked)),
        sent => sent,
    }
}

#[async_trait]
impl Sender for LogSender {
    fn provider(&self) -> &'static str {
        "log"
    }

    async fn send(&self, message: &Outgoing) -> Delivery {
        tracing::info!(
            channel = message.channel.code(),
            to = %masked_recipient(message),
            kind = %message.kind,
            "message not sent: no provider configured for its channel"
        );
        Delivery::Sent { provider: "log".into(), provider_id: message.idempotency_key.clone() }
    }
}

/// The sender for each channel.
#[derive(Clone)]
pub struct Senders {
    pub sms: Arc<dyn Sender>,
    pub email: Arc<dyn Sender>,
}

impl Senders {
    /// Both channels written to the log.
    pub fn log() -> Senders {
        Senders { sms: Arc::new(LogSender), email: Arc::new(LogSender) }
    }

    /// SMTP and Brevo when `settings` name them; the log otherwise.
    pub fn configured(settings: &SenderSettings) -> Result<Senders, String> {
        let mut senders = Senders::log();
        if let Some(smtp) = &settings.smtp {
            senders.email = Arc::new(Smtp::new(&smtp.url, &smtp.from)?);
        }
        if let Some(brevo) = &settings.brevo {
            senders.sms = Arc::new(Brevo::new(&brevo.url, &brevo.api_key, &brevo.sender)?);
        }
        Ok(senders)
    }

    fn of(&self, channel: Channel) -> &dyn Sender {
        match channel {
            Channel::Sms => self.sms.as_ref(),
            Channel::Email => self.email.as_ref(),
        }
    }
}

/// The longest a sender waits for its provider before the try counts as a temporary failure.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(20);

/// How many messages one claim takes: ten at the senders' 20-second timeout fit the claim's
/// lease (`core::CLAIM_LEASE`).
pub const BATCH: i64 = 10;

/// One pass of the worker: queues the reminders and digests due, claims what is due, sends it, records how
/// it went. Returns how many messages it handled.
pub async fn deliver_due(core: &Core, senders: &Senders) -> CoreResult<usize> {
    core.queue_reminders().await?;
    core.queue_digests().await?;
    let mut handled = 0;
    loop {
        let claimed = core.claim_due(BATCH).await?;
        if claimed.is_empty() {
            return Ok(handled);
        }
        handled += claimed.len();
        for message in &claimed {
            let delivery = scrubbed(message, senders.of(message.channel).send(message).await);
            if let Delivery::Temporary(error) | Delivery::Permanent(error) = &delivery {
                tracing::warn!(id = message.id, channel = message.channel.code(), kind = %message.kind, %error, "message not sent");
            }
            core.record_delivery(message, &delivery).await?;
        }
    }
}

/// The worker: a pass every `every`, until the server stops.
pub async fn run(core: Core, senders: Senders, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(error) = deliver_due(&core, &senders).await {
            tracing::warn!(%error, "delivery pass failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_batch_at_the_slowest_fits_in_its_claim() {
        let slowest = SEND_TIMEOUT * BATCH as u32;
        assert!(slowest + Duration::from_secs(60) <= crate::core::CLAIM_LEASE.to_std().unwrap(), "{slowest:?}");
    }
}
