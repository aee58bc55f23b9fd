//! The day-before answer. A reminder or a seat offer carries the person's own link
//! (`/r/{secret}`): it opens, without signing in, a page with "Je viens" and "Je ne peux pas
//! venir" for that one session. Declining frees the seat at once, even after the cancellation
//! deadline (a freed seat beats a no-show), records the person as excused, and gives the seat
//! to the first person waiting who can take it, who is told at once. A link stops working when
//! its session ends. Only its hash is stored: a message waits in the outbox with a stand-in
//! (`stand_in`) that the person's link replaces when the message is handed to its provider
//! (`with_own_link`), and keeps the stand-in once sent.

use super::audit::Entry;
use super::notifications::tell_referents_of_decline;
use super::secrets::{hash_token, new_answer_secret};
use super::store::answers::{self as stored, COMING, DECLINED};
use super::store::{Store, StoreError, WriteTx, enrolments, from_ts, outbox, people, seats, sessions, to_ts};
use super::views::paris;
use super::waitlist::promote_waiting;
use super::{Core, CoreError, CoreResult};
use chrono::{DateTime, FixedOffset};
use sqlx::AnyConnection;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::enrolment::AnswerStatus;
use toile_shared::{Attendance, EnrolmentStatus, LocationKind, ParticipantId, SessionId, SessionStatus, paths};

/// What the person says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reply {
    Coming,
    NotComing,
}

/// The answer page: the session, and where the person stands.
#[derive(Clone, Debug)]
pub struct AnswerView {
    pub title: String,
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    /// The address, or `None` when the session is by video.
    pub place: Option<String>,
    /// The video link, for a person seated in a session by video.
    pub video_link: Option<String>,
    pub state: AnswerStatus,
}

/// The full address of an answer link.
pub(super) fn link(base: &str, secret: &str) -> String {
    format!("{base}{}", paths::answer(secret))
}

/// What stands for the secret in a stored message: as long as a secret, in characters an SMS
/// keeps as they are, and never a secret (which has no `_`).
pub(super) fn stand_in() -> String {
    "_".repeat(super::secrets::ANSWER_SECRET_CHARS)
}

/// How staff read a link's place in a message: the link itself is never stored.
const SHOWN_TO_STAFF: &str = "[lien personnel]";

/// Each answer link's secret in `text` (after `/r/`, a secret's length of lowercase letters and
/// digits, or the stand-in) replaced by what `with` gives.
fn replace_secrets(text: &str, mut with: impl FnMut(&str) -> String) -> String {
    let prefix = format!("{}/", paths::ANSWER);
    let n = super::secrets::ANSWER_SECRET_CHARS;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&prefix) {
        let start = at + prefix.len();
        out.push_str(&rest[..start]);
        let candidate = rest[start..].get(..n);
        match candidate.filter(|c| c.bytes().all(|b| b == b'_' || b.is_ascii_lowercase() || b.is_ascii_digit())) {
            Some(secret) => {
                out.push_str(&with(secret));
                rest = &rest[start + n..];
            }
            None => rest = &rest[start..],
        }
    }
    out.push_str(rest);
    out
}

/// The text as staff may read it: any answer link's secret replaced by a neutral mark.
pub(super) fn without_links(text: &str) -> String {
    replace_secrets(text, |_| SHOWN_TO_STAFF.to_string())
}

/// The message's text as it goes to its provider: the stand-in replaced by a new link of the
/// person for the session, made now (in the caller's transaction). Only the link's hash is
/// stored; the text in the outbox keeps its stand-in.
pub(super) async fn with_own_link(
    tx: &mut WriteTx,
    body: &str,
    session: Option<SessionId>,
    person: Option<ParticipantId>,
) -> CoreResult<String> {
    let stand_in = stand_in();
    let (Some(session), Some(person)) = (session, person) else { return Ok(body.to_string()) };
    if !body.contains(&paths::answer(&stand_in)) {
        return Ok(body.to_string());
    }
    let secret = new_link(tx, session, person).await?;
    Ok(replace_secrets(body, |found| if found == stand_in { secret.clone() } else { found.to_string() }))
}

/// The kinds of message that carry a link (`Notice::asks_answer`).
const ASKING: [&str; 3] = ["seat_offer", "reminder", "morning_reminder"];

/// At start-up: messages an earlier release stored with the person's link in clear keep only
/// the stand-in. One still waiting gets a new link when it is sent; the old one keeps working
/// (its hash is kept) for whoever already received it.
pub(super) async fn hide_stored_links(store: &Store) -> Result<(), StoreError> {
    let stand_in = stand_in();
    let stored = {
        let mut conn = store.read().await?;
        // Those already rewritten hold the stand-in: a start reads only what is left to do.
        outbox::bodies_holding(&mut conn, &ASKING, &format!("{}/", paths::ANSWER), &paths::answer(&stand_in)).await?
    };
    let clear: Vec<(i64, String)> = stored
        .into_iter()
        .filter_map(|(id, body)| {
            let hidden = replace_secrets(&body, |_| stand_in.clone());
            (hidden != body).then_some((id, hidden))
        })
        .collect();
    if clear.is_empty() {
        return Ok(());
    }
    let mut tx = store.write(chrono::Utc::now()).await?;
    for (id, body) in &clear {
        outbox::set_body(&mut tx, *id, body).await?;
    }
    tx.commit().await?;
    tracing::info!(messages = clear.len(), "answer links stored in clear by an earlier release are now hidden");
    Ok(())
}

/// A new link for the person and the session, in the caller's transaction: its secret.
pub(super) async fn new_link(tx: &mut WriteTx, session: SessionId, person: ParticipantId) -> CoreResult<String> {
    let secret = new_answer_secret();
    let at = to_ts(tx.at);
    stored::insert_link(tx, &hash_token(&secret), session, person, at).await?;
    Ok(secret)
}

fn unknown_link() -> CoreError {
    CoreError::conflict(
        "answer_link_unknown",
        "Ce lien ne marche pas. Vérifiez qu'il est complet, ou demandez à votre conseiller ou conseillère.",
    )
}

fn expired_link() -> CoreError {
    CoreError::conflict(
        "answer_link_expired",
        "Ce lien ne marche plus : la séance est passée. Pour une autre séance, ouvrez votre page Toile.",
    )
}

/// The session and person the link acts for, while it works.
async fn holder(conn: &mut AnyConnection, secret: &str, now: i64) -> CoreResult<(SessionId, ParticipantId)> {
    // Only well-formed secrets reach the database.
    let well_formed = secret.len() == super::secrets::ANSWER_SECRET_CHARS
        && secret.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if !well_formed {
        return Err(unknown_link());
    }
    match stored::link(conn, &hash_token(secret)).await? {
        Some((session, person, ends_at)) if now < ends_at => Ok((session, person)),
        Some(_) => Err(expired_link()),
        None => Err(unknown_link()),
    }
}

/// What the page shows, read in `conn` at `now`.
async fn view(conn: &mut AnyConnection, session: SessionId, person: ParticipantId, now: i64) -> CoreResult<AnswerView> {
    let loaded = sessions::load_one(conn, session).await?.ok_or_else(unknown_link)?;
    let row = &loaded.seats.row;
    let enrolment = enrolments::find(conn, session, person).await?;
    let answer = stored::answer_of(conn, session, person).await?;
    let status = enrolment.map(|e| e.status);
    let state = match status {
        _ if row.status == SessionStatus::Cancelled => AnswerStatus::SessionCancelled,
        _ if answer.as_deref() == Some(DECLINED) => AnswerStatus::Declined,
        _ if now >= row.starts_at => AnswerStatus::Started,
        Some(EnrolmentStatus::Confirmed) if answer.as_deref() == Some(COMING) => AnswerStatus::Coming,
        Some(EnrolmentStatus::Confirmed) => AnswerStatus::Seated,
        Some(EnrolmentStatus::Waitlisted) => AnswerStatus::Waiting,
        _ => AnswerStatus::NotEnrolled,
    };
    let video = loaded.place_kind() == Some(LocationKind::Video);
    let seated = status == Some(EnrolmentStatus::Confirmed);
    Ok(AnswerView {
        title: loaded.row.title.clone(),
        starts_at: paris(from_ts(row.starts_at)),
        ends_at: paris(from_ts(row.ends_at)),
        place: if video { None } else { loaded.place() },
        video_link: if video && seated { loaded.place() } else { None },
        state,
    })
}

impl Core {
    /// The answer page of a link: the session and where its person stands. An unknown link, or
    /// one whose session ended, is refused with words that say so.
    pub async fn answer_page(&self, secret: &str) -> CoreResult<AnswerView> {
        let now = to_ts(self.clock.now());
        let mut conn = self.store.read().await?;
        let (session, person) = holder(&mut conn, secret, now).await?;
        view(&mut conn, session, person, now).await
    }

    /// Records the person's answer. "Je ne peux pas venir" frees their seat (or their place on
    /// the waiting list) at once, whatever the cancellation deadline, records them as excused,
    /// and promotes the first eligible person waiting, who is told. Answering again changes
    /// nothing; a declined seat is not taken back through the link.
    pub async fn answer(&self, secret: &str, reply: Reply) -> CoreResult<AnswerView> {
        // Checked by a read first: a wrong secret never queues for the writer.
        holder(&mut *self.store.read().await?, secret, to_ts(self.clock.now())).await?;
        let mut tx = self.store.write(self.clock.now()).await?;
        let now = to_ts(tx.at);
        let (session, person) = holder(&mut tx, secret, now).await?;
        let (_, seats) = seats::lock(&mut tx, session).await?.ok_or_else(unknown_link)?;
        let before = view(&mut tx, session, person, now).await?;
        let open = matches!(before.state, AnswerStatus::Seated | AnswerStatus::Coming | AnswerStatus::Waiting);
        if !open || (reply == Reply::Coming && before.state != AnswerStatus::Seated) {
            // Nothing to change: the page says where they stand.
            return Ok(before);
        }
        let structure = people::participant(&mut tx, person).await?.ok_or_else(unknown_link)?.structure_id;
        let actor = Actor::Participant { participant_id: person, structure_id: structure };
        match reply {
            Reply::Coming => {
                stored::set_answer(&mut tx, session, person, COMING, now).await?;
                Entry::new(&actor, AuditAction::Answered)
                    .session(session)
                    .participant(person)
                    .details(COMING)
                    .write(&mut tx)
                    .await?;
            }
            Reply::NotComing => {
                let seated = before.state != AnswerStatus::Waiting;
                enrolments::set_status(&mut tx, session, person, EnrolmentStatus::CancelledByParticipant, now).await?;
                stored::set_answer(&mut tx, session, person, DECLINED, now).await?;
                if seated {
                    enrolments::set_attendance(&mut tx, session, person, Attendance::Excused, now).await?;
                    seats::free(&mut tx, session).await?;
                }
                Entry::new(&actor, AuditAction::Answered)
                    .session(session)
                    .participant(person)
                    .details(DECLINED)
                    .write(&mut tx)
                    .await?;
                let messaging = &self.settings.messaging;
                let promoted = match seated && seats.row.status == SessionStatus::Published {
                    true => promote_waiting(&mut tx, messaging, session, Some(&actor)).await?,
                    false => vec![],
                };
                tell_referents_of_decline(&mut tx, messaging, session, person, seated, !promoted.is_empty()).await?;
            }
        }
        let after = view(&mut tx, session, person, now).await?;
        tx.commit().await?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_read_a_mark_where_a_link_was_and_the_rest_as_it_was() {
        let stored = format!("Rappel : Atelier. Vous venez ? https://t.fr/r/{} /r/court /r/", stand_in());
        assert_eq!(
            without_links(&stored),
            "Rappel : Atelier. Vous venez ? https://t.fr/r/[lien personnel] /r/court /r/"
        );
        let clear = "Dites-le ici : http://h/r/abcdefghjk234567\nMerci";
        assert_eq!(without_links(clear), "Dites-le ici : http://h/r/[lien personnel]\nMerci");
        assert_eq!(replace_secrets(clear, |_| stand_in()), format!("Dites-le ici : http://h/r/{}\nMerci", stand_in()));
    }
}
