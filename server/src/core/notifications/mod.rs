//! Telling participants what changed for them, by SMS and e-mail, never lost and never twice:
//! a notice is queued in the transaction of the change that causes it (`queue`), and the
//! delivery worker (`crate::notify`) claims what is due, sends it and records how it went
//! (`claim_due`, `record`). Staff see what was sent, queued or failed (`notifications`).

mod consent;
mod messages;
mod quiet;
mod reminders;
mod staff;

pub use consent::SmsConsent;
pub use messages::{Notice, SMS_CHARS};
pub use quiet::QuietHours;
pub use reminders::{MORNING_HOUR, REMINDER_HOUR, morning_reminder_time, reminder_time};
pub(super) use staff::tell_referents_of_decline;
pub use staff::{DIGEST_HOUR, StaffNotice, digest_time};

use super::answer_links;
use super::store::outbox::{self, Claimed, NewMessage, Outcome, Recipient};
use super::store::{Engine, WriteTx, from_ts, sessions as stored, to_ts};
use super::{Core, CoreError, CoreResult};
use chrono::{DateTime, Duration, Utc};
use toile_shared::authz::Actor;
use toile_shared::{LocationKind, MessageStatus, ParticipantId, SessionId};

/// The SMS provider's secret (`Messaging::sms_webhook_secret`) is at least this long, so that
/// nobody guesses it.
pub const SMS_WEBHOOK_SECRET_MIN_CHARS: usize = 24;

/// How messages go out at this installation.
#[derive(Clone, Debug)]
pub struct Messaging {
    /// When no SMS goes out.
    pub quiet_hours: QuietHours,
    /// What the links in messages start with: the public address, without a trailing slash.
    pub link_base: String,
    /// Whether a person seated is told at once (`Notice::Enrolled`): a choice of the group.
    pub confirm_enrolments: bool,
    /// Whether people are reminded again on the morning of the session: a choice of the group.
    pub morning_reminders: bool,
    /// What proves a call comes from the SMS provider: the secret in the address it posts its
    /// events to (a STOP answered by SMS), `/webhooks/brevo/sms/<secret>`; `None`, that address
    /// does not exist.
    pub sms_webhook_secret: Option<String>,
}

impl Default for Messaging {
    fn default() -> Self {
        Messaging {
            quiet_hours: QuietHours::default(),
            link_base: "http://127.0.0.1:3000".into(),
            confirm_enrolments: false,
            morning_reminders: false,
            sms_webhook_secret: None,
        }
    }
}

/// How a message goes out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Sms,
    Email,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }

    pub fn parse(code: &str) -> Option<Channel> {
        [Channel::Sms, Channel::Email].into_iter().find(|c| c.code() == code)
    }
}

/// Queues `notice` about the session for each person, by SMS to those with a phone (who did
/// not stop SMS) and by e-mail to those with an address, in the caller's transaction.
/// `occasion` tells one event from another of the same kind (a second promotion, a second
/// change of time): the same occasion never queues twice. A notice that asks for an answer
/// carries each person's own link (`answer_links`).
pub(super) async fn queue(
    tx: &mut WriteTx,
    messaging: &Messaging,
    notice: Notice,
    session: SessionId,
    people: &[ParticipantId],
    occasion: i64,
) -> CoreResult<()> {
    if people.is_empty() {
        return Ok(());
    }
    let loaded = stored::load_one(tx, session).await?.ok_or(CoreError::NotFound("Séance"))?;
    let place = place(&loaded);
    // Every link has the same length: the words are written around a stand-in of that length
    // (of characters the SMS alphabet keeps as they are), which the person's own link replaces
    // at the moment the message is sent.
    let stand_in = notice.asks_answer().then(|| answer_links::link(&messaging.link_base, &answer_links::stand_in()));
    let about = messages::About {
        title: &loaded.row.title,
        starts_at: from_ts(loaded.seats.row.starts_at),
        place: &place,
        link: stand_in.as_deref(),
    };
    let now = tx.at;
    // The same words for everyone: the session's, never a person's.
    let (subject, email) = messages::email(notice, &about);
    let ways = [
        (Channel::Sms, String::new(), messages::sms(notice, &about), to_ts(messaging.quiet_hours.next_allowed(now))),
        (Channel::Email, subject, email, to_ts(now)),
    ];
    for (person, phone, email) in outbox::contacts(tx, people).await? {
        for (channel, subject, body, due_at) in &ways {
            let address = match channel {
                Channel::Sms => &phone,
                Channel::Email => &email,
            };
            if address.as_deref().is_none_or(|a| a.trim().is_empty()) {
                continue;
            }
            // The stand-in stays in the stored text: the person's link is made when the
            // message is handed to its provider (`Core::claim_due`), and never stored.
            let message = NewMessage {
                idempotency_key: format!("{}:{session}:{person}:{}:{occasion}", notice.code(), channel.code()),
                kind: notice.code(),
                session_id: Some(session),
                to: Recipient::Participant(person),
                channel: channel.code(),
                subject,
                body,
                due_at: *due_at,
                mentions: &[],
            };
            outbox::queue(tx, &message, to_ts(now)).await?;
        }
    }
    Ok(())
}

/// Where the session is, as a message says it: "12 rue des Postes, Lille", "en visio", or empty.
fn place(session: &stored::LoadedSession) -> String {
    match session.place_kind() {
        Some(LocationKind::Video) => "en visio".to_string(),
        _ => session.place().unwrap_or_default(),
    }
}

/// A message claimed for sending.
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub id: i64,
    /// What the message is (`Notice::code`, `StaffNotice::code`): what the log may say of it.
    pub kind: String,
    /// Unique per event, person and channel: given to the provider where it takes one.
    pub idempotency_key: String,
    pub channel: Channel,
    /// The phone number or e-mail address, as it is now.
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attempts: u32,
    pub queued_at: DateTime<Utc>,
}

/// How a send went, as the sender says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    Sent {
        provider: String,
        provider_id: String,
    },
    /// Worth trying again later (the provider is down, a 5xx, a timeout).
    Temporary(String),
    /// Trying again would fail the same way (a 4xx, an address refused).
    Permanent(String),
}

/// How long a claim holds before another worker may take the message over: long enough for a
/// whole batch (`notify::BATCH`, 10) at the senders' longest wait (20 s each), so that a slow
/// provider never has a message sent twice; a worker that died mid-batch leaves its messages to
/// the next worker after this.
pub const CLAIM_LEASE: Duration = Duration::seconds(300);
/// A message not sent within this time after it was queued is given up.
pub const GIVE_UP_AFTER: Duration = Duration::hours(24);

/// The wait before the next try: 30 s, then four times longer each time, up to two hours.
pub fn retry_wait(attempts: u32) -> Duration {
    let seconds = 30i64.saturating_mul(4i64.saturating_pow(attempts.saturating_sub(1).min(8)));
    Duration::seconds(seconds.min(2 * 3600))
}

/// A message in the list staff see.
#[derive(Clone, Debug)]
pub struct NotificationLine {
    pub id: i64,
    /// What it says, for staff: "séance annulée", "programme du lendemain"…
    pub what: &'static str,
    pub channel: Option<Channel>,
    pub status: MessageStatus,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub due_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub queued_at: DateTime<Utc>,
    /// None for a message about a whole day (the facilitators' digest).
    pub session_id: Option<SessionId>,
    pub session_title: String,
    /// None for a message to a staff member.
    pub participant_id: Option<ParticipantId>,
    /// The participant's or the staff member's name.
    pub recipient: String,
    /// What it says (the subject of an e-mail, then its text), an answer link shown as a
    /// neutral mark: the link itself is never stored.
    pub text: String,
}

/// The most messages the staff list shows.
pub const NOTIFICATIONS_SHOWN: i64 = 200;

impl Core {
    /// Claims up to `batch` due messages for this worker (for `CLAIM_LEASE`). A message whose
    /// person no longer has the address is set aside here.
    pub async fn claim_due(&self, batch: i64) -> CoreResult<Vec<Outgoing>> {
        let now = self.clock.now();
        let postgres = self.store.engine() == Engine::Postgres;
        if !outbox::any_due(&mut *self.store.read().await?, to_ts(now)).await? {
            return Ok(vec![]);
        }
        let mut tx = self.store.write(now).await?;
        let claimed = outbox::claim(&mut tx, postgres, to_ts(now), to_ts(now + CLAIM_LEASE), batch).await?;
        let mut outgoing = Vec::with_capacity(claimed.len());
        for row in claimed {
            let Claimed {
                id,
                idempotency_key,
                kind,
                session_id,
                participant_id,
                channel,
                subject,
                body,
                attempts,
                created_at,
                phone,
                email,
            } = row;
            let channel = Channel::parse(&channel);
            let to = match channel {
                Some(Channel::Sms) => phone,
                Some(Channel::Email) => email,
                None => None,
            };
            match (channel, to.filter(|to| !to.trim().is_empty())) {
                (Some(channel), Some(to)) => outgoing.push(Outgoing {
                    id,
                    body: answer_links::with_own_link(&mut tx, &body, session_id, participant_id).await?,
                    kind,
                    idempotency_key,
                    channel,
                    to,
                    subject,
                    attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                    queued_at: from_ts(created_at),
                }),
                _ => outbox::record(&mut tx, id, Outcome::Dropped, to_ts(now)).await?,
            }
        }
        tx.commit().await?;
        Ok(outgoing)
    }

    /// Records how sending `message` went: sent, tried again later, or given up.
    pub async fn record_delivery(&self, message: &Outgoing, delivery: &Delivery) -> CoreResult<()> {
        let now = self.clock.now();
        let outcome = match delivery {
            Delivery::Sent { provider, provider_id } => Outcome::Sent { provider, provider_id },
            Delivery::Permanent(error) => Outcome::Failed { error },
            Delivery::Temporary(error) if now - message.queued_at >= GIVE_UP_AFTER => Outcome::Failed { error },
            Delivery::Temporary(error) => Outcome::Retry { error, retry_at: to_ts(now + retry_wait(message.attempts)) },
        };
        let mut tx = self.store.write(now).await?;
        outbox::record(&mut tx, message.id, outcome, to_ts(now)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// What was sent, queued or failed, newest first: to the people of their structure for its
    /// staff, to everyone for group-wide staff.
    pub async fn notifications(&self, actor: &Actor) -> CoreResult<Vec<NotificationLine>> {
        let structure = match actor {
            Actor::Operator => None,
            Actor::Staff { .. } if actor.is_group_wide() => None,
            Actor::Staff { structure_id: Some(structure), .. } => Some(*structure),
            _ => return Err(CoreError::Forbidden),
        };
        let mut conn = self.store.read().await?;
        let rows = outbox::latest(&mut conn, structure, NOTIFICATIONS_SHOWN).await?;
        Ok(rows
            .into_iter()
            .map(|row| NotificationLine {
                id: row.id,
                what: Notice::parse(&row.kind)
                    .map(Notice::label)
                    .or_else(|| StaffNotice::parse(&row.kind).map(StaffNotice::label))
                    .unwrap_or("message"),
                channel: Channel::parse(&row.channel),
                status: row.status,
                attempts: row.attempts,
                last_error: row.last_error,
                due_at: from_ts(row.due_at),
                sent_at: row.sent_at.map(from_ts),
                queued_at: from_ts(row.created_at),
                session_id: row.session_id,
                session_title: row.session_title.unwrap_or_default(),
                participant_id: row.participant_id,
                recipient: match (row.first_name, row.last_name, row.user_name) {
                    (Some(first), Some(last), _) => format!("{first} {last}"),
                    (_, _, Some(user)) => user,
                    _ => String::new(),
                },
                text: answer_links::without_links(&match row.subject.is_empty() {
                    true => row.body,
                    false => format!("{}\n\n{}", row.subject, row.body),
                }),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_two_hours() {
        let waits: Vec<i64> = (1..=7).map(|n| retry_wait(n).num_seconds()).collect();
        assert_eq!(waits, [30, 120, 480, 1920, 7200, 7200, 7200]);
    }
}
