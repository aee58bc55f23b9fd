//! Messages to staff, by e-mail, through the same outbox: a CIP hears at once when someone of
//! their structure declines a session (`tell_referents_of_decline`, in the transaction of the
//! decline), and each facilitator gets at `DIGEST_HOUR` the day before a digest of the sessions
//! they run (`Core::queue_digests`): seats, waiting list, and who answered what. Facilitators
//! see every name on their sessions' sign-in sheet, so the digest names the same people.

use super::messages::{About, what_and_when};
use super::{Channel, Messaging, place};
use crate::core::store::outbox::{self, NewMessage, Recipient};
use crate::core::store::staff_messages::{self as stored, Answered};
use crate::core::store::{WriteTx, from_ts, sessions, to_ts};
use crate::core::{Core, CoreError, CoreResult, paris};
use crate::french;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::BTreeMap;
use toile_shared::{ParticipantId, SessionId, UserId, paths};

/// Why a staff member is told something.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaffNotice {
    /// Someone of their structure answered "je ne peux pas venir".
    Declined,
    /// The sessions they run tomorrow.
    Digest,
}

impl StaffNotice {
    pub fn code(self) -> &'static str {
        match self {
            StaffNotice::Declined => "staff_declined",
            StaffNotice::Digest => "staff_digest",
        }
    }

    pub fn parse(code: &str) -> Option<StaffNotice> {
        [StaffNotice::Declined, StaffNotice::Digest].into_iter().find(|n| n.code() == code)
    }

    /// For the list of what was sent.
    pub fn label(self) -> &'static str {
        match self {
            StaffNotice::Declined => "désistement, au conseiller",
            StaffNotice::Digest => "séances du lendemain, à l'animateur",
        }
    }
}

/// The hour of the day before at which facilitators get their digest (Paris time): after the
/// morning's reminders have had the day to be answered, early enough to call people.
pub const DIGEST_HOUR: u32 = 17;

/// When the digest of the sessions on `day` is sent: `DIGEST_HOUR` the day before, Paris time.
pub fn digest_time(day: NaiveDate) -> DateTime<Utc> {
    let day_before = day - Duration::days(1);
    paris::hour_on(day_before, DIGEST_HOUR).expect("17:00 exists on every day in Paris")
}

/// Queues one e-mail to a staff member, unless one with its key already is; `mentions` are
/// the participants it names.
#[allow(clippy::too_many_arguments)]
async fn queue_email(
    tx: &mut WriteTx,
    key: String,
    notice: StaffNotice,
    session: Option<SessionId>,
    user: UserId,
    subject: &str,
    body: &str,
    mentions: &[ParticipantId],
) -> CoreResult<()> {
    let now = to_ts(tx.at);
    let message = NewMessage {
        idempotency_key: key,
        kind: notice.code(),
        session_id: session,
        to: Recipient::Staff(user),
        channel: Channel::Email.code(),
        subject,
        body,
        due_at: now,
        mentions,
    };
    outbox::queue(tx, &message, now).await?;
    Ok(())
}

/// Tells the CIP of `person` (their referent, else their structure's CIPs) that they declined
/// `session`, in the caller's transaction; `seat_went_on` says whether their seat went to
/// someone waiting.
pub(in crate::core) async fn tell_referents_of_decline(
    tx: &mut WriteTx,
    messaging: &Messaging,
    session: SessionId,
    person: ParticipantId,
    was_seated: bool,
    seat_went_on: bool,
) -> CoreResult<()> {
    let recipients = stored::decline_recipients(tx, person).await?;
    if recipients.is_empty() {
        return Ok(());
    }
    let loaded = sessions::load_one(tx, session).await?.ok_or(CoreError::NotFound("Séance"))?;
    let name = stored::participant_name(tx, person).await?;
    let where_ = place(&loaded);
    let about =
        About { title: &loaded.row.title, starts_at: from_ts(loaded.seats.row.starts_at), place: &where_, link: None };
    let what = what_and_when(&about, 400);
    let seat = match (was_seated, seat_went_on) {
        (true, true) => "Sa place est allée à la première personne en attente, qui est prévenue.",
        (true, false) => "Sa place est libre : personne n'attendait.",
        (false, _) => "Cette personne était sur la liste d'attente ; elle n'y est plus.",
    };
    let link = format!("{}{}", messaging.link_base, paths::staff_session(session));
    let subject = format!("Désistement : {}", loaded.row.title);
    let body = format!(
        "Bonjour,\n\n{name} a répondu « Je ne peux pas venir » pour cette séance :\n\n{what}\n\n{seat}\n\nLa séance : {link}\n"
    );
    for user in recipients {
        let key = format!("{}:{session}:{person}:{user}", StaffNotice::Declined.code());
        queue_email(tx, key, StaffNotice::Declined, Some(session), user, &subject, &body, &[person]).await?;
    }
    Ok(())
}

/// The digest's key: one per staff member and day.
fn digest_key(user: UserId, day: NaiveDate) -> String {
    format!("{}:{user}:{day}", StaffNotice::Digest.code())
}

/// One session of a digest, in words.
fn digest_part(session: &sessions::LoadedSession, answers: &[Answered], link_base: &str) -> String {
    let row = &session.seats.row;
    let (starts, ends) = (from_ts(row.starts_at), from_ts(row.ends_at));
    let where_ = place(session);
    let mut text = format!("• {}, {}", session.row.title, french::time_range(starts, ends).replace('\u{a0}', " "));
    if !where_.is_empty() {
        text.push_str(&format!(", {where_}"));
    }
    text.push_str(&format!(
        "\n  {} inscrit·es pour {} places, {} en attente.",
        row.seats_taken, row.capacity, session.waitlist_count
    ));
    let coming = answers.iter().filter(|a| a.answer == "coming" && a.status == "confirmed").count();
    if coming > 0 {
        text.push_str(&format!("\n  « Je viens » : {coming}."));
    }
    let declined: Vec<String> = answers
        .iter()
        .filter(|a| a.answer == "declined")
        .map(|a| format!("{} {}", a.first_name, a.last_name))
        .collect();
    if !declined.is_empty() {
        text.push_str(&format!("\n  « Je ne peux pas venir » : {}.", declined.join(", ")));
    }
    text.push_str(&format!("\n  {link_base}{}\n", paths::staff_session(session.id())));
    text
}

impl Core {
    /// Queues the facilitators' digests due now: at `DIGEST_HOUR` the day before, one e-mail per
    /// staff member who runs a published session tomorrow, once per day. Returns how many were
    /// queued. Only reads when none is due.
    pub async fn queue_digests(&self) -> CoreResult<usize> {
        let now = self.clock.now();
        let tomorrow = paris::day_of(now) + Duration::days(1);
        if now < digest_time(tomorrow) {
            return Ok(0);
        }
        let midnight = |day: NaiveDate| paris::hour_on(day, 0).map(to_ts).ok_or(CoreError::NotFound("Jour"));
        let (from, until) = (midnight(tomorrow)?, midnight(tomorrow + Duration::days(1))?);
        let mut runs: BTreeMap<UserId, Vec<SessionId>> = BTreeMap::new();
        {
            let mut conn = self.store.read().await?;
            for (user, session) in stored::facilitated(&mut conn, from, until).await? {
                runs.entry(user).or_default().push(session);
            }
            let keys: Vec<String> = runs.keys().map(|user| digest_key(*user, tomorrow)).collect();
            let done = outbox::queued_keys(&mut conn, &keys).await?;
            runs.retain(|user, _| !done.contains(&digest_key(*user, tomorrow)));
        }
        if runs.is_empty() {
            return Ok(0);
        }
        let link_base = &self.settings.messaging.link_base;
        let mut tx = self.store.write(now).await?;
        let mut parts: BTreeMap<SessionId, String> = BTreeMap::new();
        // Who each session's part names: the digest is deleted if one of them is erased.
        let mut named: BTreeMap<SessionId, Vec<ParticipantId>> = BTreeMap::new();
        for sessions_run in runs.values() {
            for id in sessions_run {
                if !parts.contains_key(id) {
                    let Some(loaded) = sessions::load_one(&mut tx, *id).await? else { continue };
                    let answers = stored::answers(&mut tx, *id).await?;
                    parts.insert(*id, digest_part(&loaded, &answers, link_base));
                    let declined = answers.iter().filter(|a| a.answer == "declined").map(|a| a.participant_id);
                    named.insert(*id, declined.collect());
                }
            }
        }
        let day = french::date(from_ts(from));
        for (user, sessions_run) in &runs {
            let subject = match sessions_run.len() {
                1 => format!("Votre séance de demain, {day}"),
                n => format!("Vos {n} séances de demain, {day}"),
            };
            let list: Vec<&str> = sessions_run.iter().filter_map(|id| parts.get(id).map(String::as_str)).collect();
            let body = format!(
                "Bonjour,\n\nDemain, {day}, vous animez :\n\n{}\nLes personnes qui ont un téléphone ou une adresse e-mail ont reçu un rappel ce matin ; celles qui ne peuvent pas venir libèrent leur place pour la liste d'attente.\n",
                list.join("\n")
            );
            let mentions: Vec<ParticipantId> =
                sessions_run.iter().filter_map(|id| named.get(id)).flatten().copied().collect();
            let key = digest_key(*user, tomorrow);
            queue_email(&mut tx, key, StaffNotice::Digest, None, *user, &subject, &body, &mentions).await?;
        }
        tx.commit().await?;
        Ok(runs.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_leaves_at_five_the_day_before_in_summer_and_winter() {
        let paris = |y, m, d, h| paris::wall(y, m, d, h, 0);
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(digest_time(day(2026, 3, 3)), paris(2026, 3, 2, 17));
        assert_eq!(digest_time(day(2026, 7, 7)), paris(2026, 7, 6, 17));
        // The day after the clock changes.
        assert_eq!(digest_time(day(2026, 3, 30)), paris(2026, 3, 29, 17));
        assert_eq!(digest_time(day(2026, 10, 26)), paris(2026, 10, 25, 17));
    }
}
