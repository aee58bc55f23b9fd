//! The outbox: messages queued in the transaction of their cause, claimed by a delivery worker
//! for a while, then recorded as sent, retried later, or failed.

use super::sql::Sql;
use sqlx::AnyConnection;
use toile_shared::{MessageStatus, ParticipantId, SessionId, UserId};

/// The person's phone for SMS: none once they stopped SMS.
macro_rules! sms_phone {
    ($table:literal) => {
        concat!("CASE WHEN ", $table, ".sms_stopped_at IS NULL THEN ", $table, ".phone END AS phone")
    };
}

/// Who a message is for: a participant, or a staff member (by e-mail only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recipient {
    Participant(ParticipantId),
    Staff(UserId),
}

/// A message to queue.
pub struct NewMessage<'a> {
    pub idempotency_key: String,
    pub kind: &'a str,
    /// None for a message about a whole day (the facilitators' digest).
    pub session_id: Option<SessionId>,
    pub to: Recipient,
    pub channel: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub due_at: i64,
    /// The participants a message to staff names (a decline, a digest): erasing one of them
    /// deletes the message (`forget`).
    pub mentions: &'a [ParticipantId],
}

/// Queues the message, unless one with its key already is: the same event never sends twice.
pub async fn queue(conn: &mut AnyConnection, message: &NewMessage<'_>, at: i64) -> Result<(), sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO outbox (idempotency_key, kind, session_id, participant_id, user_id, channel, subject, body, due_at,
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id",
    )
    .bind(&message.idempotency_key)
    .bind(message.kind)
    .bind(message.session_id)
    .bind(match message.to {
        Recipient::Participant(person) => Some(person),
        Recipient::Staff(_) => None,
    })
    .bind(match message.to {
        Recipient::Staff(user) => Some(user),
        Recipient::Participant(_) => None,
    })
    .bind(message.channel)
    .bind(message.subject)
    .bind(message.body)
    .bind(message.due_at)
    .bind(at)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(id) = id else { return Ok(()) };
    for person in message.mentions {
        sqlx::query("INSERT INTO outbox_mentions (outbox_id, participant_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(person)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Deletes every message for the person or naming them, queued or sent (erasure,
/// anonymisation). Returns how many went.
pub async fn forget(conn: &mut AnyConnection, person: ParticipantId) -> Result<u64, sqlx::Error> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM outbox WHERE participant_id = $1 UNION SELECT outbox_id FROM outbox_mentions WHERE participant_id = $1",
    )
    .bind(person)
    .fetch_all(&mut *conn)
    .await?;
    if ids.is_empty() {
        return Ok(0);
    }
    let mut mentions = Sql::new("DELETE FROM outbox_mentions WHERE outbox_id IN ");
    mentions.bind_list(ids.iter().copied());
    mentions.query().execute(&mut *conn).await?;
    let mut messages = Sql::new("DELETE FROM outbox WHERE id IN ");
    messages.bind_list(ids.iter().copied());
    Ok(messages.query().execute(&mut *conn).await?.rows_affected())
}

/// A message claimed for sending, with its recipient's address as it is now.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct Claimed {
    pub id: i64,
    pub idempotency_key: String,
    pub kind: String,
    pub session_id: Option<SessionId>,
    pub participant_id: Option<ParticipantId>,
    pub channel: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
    pub created_at: i64,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Whether any message is due at `now` (or held by a claim that lapsed): a read, so that an
/// idle worker never takes the writer's turn.
pub async fn any_due(conn: &mut AnyConnection, now: i64) -> Result<bool, sqlx::Error> {
    let due: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM outbox WHERE (status = 'queued' AND due_at <= $1) OR (status = 'sending' AND claimed_until <= $1)
         LIMIT 1",
    )
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(due.is_some())
}

/// Claims up to `batch` messages due at `now` (or whose last claim lapsed: a worker that died
/// mid-send) until `until`. On PostgreSQL rows another worker holds are skipped, so several
/// servers share the work without sending anything twice; on SQLite the write lock does it.
pub async fn claim(
    conn: &mut AnyConnection,
    postgres: bool,
    now: i64,
    until: i64,
    batch: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let mut claim = Sql::new("UPDATE outbox SET status = 'sending', claimed_until = ");
    claim
        .bind(until)
        .push(", attempts = attempts + 1 WHERE id IN (SELECT id FROM outbox WHERE (status = 'queued' AND due_at <= ");
    claim.bind(now).push(") OR (status = 'sending' AND claimed_until <= ").bind(now);
    claim.push(") ORDER BY due_at, id LIMIT ").bind(batch);
    claim.push(if postgres { " FOR UPDATE SKIP LOCKED) RETURNING id" } else { ") RETURNING id" });
    let ids: Vec<i64> = claim.query_scalar().fetch_all(&mut *conn).await?;
    // A person who stopped SMS since the message was queued gets none, and a staff member
    // whose account was closed no e-mail: it is set aside.
    let mut rows = Sql::new(concat!(
        "SELECT o.id, o.idempotency_key, o.kind, o.session_id, o.participant_id, o.channel, o.subject, o.body, o.attempts, o.created_at, ",
        sms_phone!("p"),
        ", COALESCE(p.email, CASE WHEN u.active = 1 THEN u.email END) AS email FROM outbox o
         LEFT JOIN participants p ON p.id = o.participant_id LEFT JOIN users u ON u.id = o.user_id WHERE o.id IN "
    ));
    rows.bind_list(ids).push(" ORDER BY o.due_at, o.id");
    rows.query_as().fetch_all(&mut *conn).await
}

/// The phone and e-mail address of each person still identified (not anonymised); no phone
/// for a person who stopped SMS.
pub async fn contacts(
    conn: &mut AnyConnection,
    people: &[ParticipantId],
) -> Result<Vec<(ParticipantId, Option<String>, Option<String>)>, sqlx::Error> {
    let mut sql = Sql::new(concat!(
        "SELECT id, ",
        sms_phone!("participants"),
        ", email FROM participants WHERE anonymised_at IS NULL AND id IN "
    ));
    sql.bind_list(people.iter().copied()).push(" ORDER BY id");
    sql.query_as().fetch_all(conn).await
}

/// How a claimed message ended, for now.
pub enum Outcome<'a> {
    Sent {
        provider: &'a str,
        provider_id: &'a str,
    },
    /// Tried again from `retry_at`.
    Retry {
        error: &'a str,
        retry_at: i64,
    },
    Failed {
        error: &'a str,
    },
    /// Nobody to send it to any more (address withdrawn, person anonymised).
    Dropped,
}

/// Records how the message ended, if this worker still holds it.
pub async fn record(conn: &mut AnyConnection, id: i64, outcome: Outcome<'_>, now: i64) -> Result<(), sqlx::Error> {
    let query = match outcome {
        Outcome::Sent { provider, provider_id } => sqlx::query(
            "UPDATE outbox SET status = 'sent', provider = $2, provider_id = $3, sent_at = $4, claimed_until = NULL,
             last_error = NULL WHERE id = $1 AND status = 'sending'",
        )
        .bind(id)
        .bind(provider)
        .bind(provider_id)
        .bind(now),
        Outcome::Retry { error, retry_at } => sqlx::query(
            "UPDATE outbox SET status = 'queued', due_at = $2, last_error = $3, claimed_until = NULL
             WHERE id = $1 AND status = 'sending'",
        )
        .bind(id)
        .bind(retry_at)
        .bind(error),
        Outcome::Failed { error } => sqlx::query(
            "UPDATE outbox SET status = 'failed', last_error = $2, claimed_until = NULL WHERE id = $1 AND status = 'sending'",
        )
        .bind(id)
        .bind(error),
        Outcome::Dropped => sqlx::query(
            "UPDATE outbox SET status = 'dropped', claimed_until = NULL WHERE id = $1 AND status = 'sending'",
        )
        .bind(id),
    };
    query.execute(conn).await?;
    Ok(())
}

/// Deletes the messages that ended (sent, failed, set aside) before `before`: what was said to
/// whom is kept as long as the journal, no longer. Returns how many went.
pub async fn delete_ended_before(conn: &mut AnyConnection, before: i64) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "DELETE FROM outbox_mentions WHERE outbox_id IN
         (SELECT id FROM outbox WHERE status IN ('sent', 'failed', 'dropped') AND created_at < $1)",
    )
    .bind(before)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query("DELETE FROM outbox WHERE status IN ('sent', 'failed', 'dropped') AND created_at < $1")
        .bind(before)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// A message as staff see it in the list of what was sent.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct Listed {
    pub id: i64,
    pub kind: String,
    pub channel: String,
    pub status: MessageStatus,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub due_at: i64,
    pub sent_at: Option<i64>,
    pub created_at: i64,
    pub subject: String,
    pub body: String,
    pub session_id: Option<SessionId>,
    pub session_title: Option<String>,
    pub participant_id: Option<ParticipantId>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// The staff member's name, for a message to staff.
    pub user_name: Option<String>,
}

/// The latest messages, newest first, to the people and staff of `structure` (everyone's
/// when `None`).
pub async fn latest(conn: &mut AnyConnection, structure: Option<i64>, limit: i64) -> Result<Vec<Listed>, sqlx::Error> {
    let mut sql = Sql::new(
        "SELECT o.id, o.kind, o.channel, o.status, o.attempts, o.last_error, o.due_at, o.sent_at, o.created_at,
                o.subject, o.body, o.session_id, s.title AS session_title, o.participant_id, p.first_name, p.last_name,
                u.display_name AS user_name
         FROM outbox o LEFT JOIN participants p ON p.id = o.participant_id LEFT JOIN users u ON u.id = o.user_id
         LEFT JOIN sessions s ON s.id = o.session_id",
    );
    if let Some(structure) = structure {
        sql.push(" WHERE p.structure_id = ").bind(structure).push(" OR u.structure_id = ").bind(structure);
    }
    sql.push(" ORDER BY o.created_at DESC, o.id DESC LIMIT ").bind(limit);
    sql.query_as().fetch_all(conn).await
}

/// Which of `keys` are already queued (or were sent): a pass that would queue them again
/// learns it with one read.
pub async fn queued_keys(conn: &mut AnyConnection, keys: &[String]) -> Result<Vec<String>, sqlx::Error> {
    if keys.is_empty() {
        return Ok(vec![]);
    }
    let mut sql = Sql::new("SELECT idempotency_key FROM outbox WHERE idempotency_key IN ");
    sql.bind_list(keys.iter().cloned());
    sql.query_scalar().fetch_all(conn).await
}

/// The messages of `kinds` whose text holds `needle` but not `but_not`: (id, body).
pub async fn bodies_holding(
    conn: &mut AnyConnection,
    kinds: &[&str],
    needle: &str,
    but_not: &str,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let literally = |text: &str| text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    let mut sql = Sql::new("SELECT id, body FROM outbox WHERE kind IN ");
    sql.bind_list(kinds.iter().map(|k| k.to_string()));
    sql.push(" AND body LIKE ").bind(format!("%{}%", literally(needle))).push(" ESCAPE '\\'");
    sql.push(" AND body NOT LIKE ").bind(format!("%{}%", literally(but_not))).push(" ESCAPE '\\' ORDER BY id");
    sql.query_as().fetch_all(conn).await
}

pub async fn set_body(conn: &mut AnyConnection, id: i64, body: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outbox SET body = $2 WHERE id = $1").bind(id).bind(body).execute(conn).await?;
    Ok(())
}
