//! The day-before answer. A reminder or a seat offer carries the person's own link
//! (`/r/{secret}`): it opens, without signing in, a page with "Je viens" and "Je ne peux pas
//! venir" for that one session. Declining frees the seat at once, even after the cancellation
//! deadline (a freed seat beats a no-show), records the person as excused, and gives the seat
//! to the first person waiting who can take it, who is told at once. A link stops working when
//! its session ends. Links are made, and written into messages, in `answer_links`.

use super::audit::Entry;
use super::notifications::tell_referents_of_decline;
use super::secrets::hash_token;
use super::store::answers::{self as stored, COMING, DECLINED};
use super::store::enrolments::{self, Update};
use super::store::{from_ts, participants, seats, sessions, to_ts};
use super::views::paris;
use super::waitlist::promote_waiting;
use super::{Core, CoreError, CoreResult};
use chrono::{DateTime, FixedOffset};
use sqlx::AnyConnection;
use toile_shared::ErrorCode;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::enrolment::AnswerStatus;
use toile_shared::{Attendance, EnrolmentStatus, LocationKind, ParticipantId, SessionId, SessionStatus};

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

fn unknown_link() -> CoreError {
    CoreError::conflict(
        ErrorCode::AnswerLinkUnknown,
        "Ce lien ne marche pas. Vérifiez qu'il est complet, ou demandez à votre conseiller ou conseillère.",
    )
}

fn expired_link() -> CoreError {
    CoreError::conflict(
        ErrorCode::AnswerLinkExpired,
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
        let structure = participants::one(&mut tx, person).await?.ok_or_else(unknown_link)?.structure_id;
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
                let cancelled = Update::Status(EnrolmentStatus::CancelledByParticipant);
                enrolments::update(&mut tx, session, person, cancelled, now).await?;
                stored::set_answer(&mut tx, session, person, DECLINED, now).await?;
                if seated {
                    enrolments::update(&mut tx, session, person, Update::Attendance(Attendance::Excused), now).await?;
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
