//! The store: one pool through sqlx's Any driver, so every query is written once for SQLite (the
//! embedded default) and PostgreSQL (several server instances). Queries use `$1` placeholders,
//! integer times and 0/1 flags, which both engines read the same way.
//!
//! The pool is private: the core reads through [`Store::read`] and writes through
//! [`Store::write`], one transaction that, on SQLite, also holds this process's writer turn. So no
//! write can slip past the queue or land without the audit entry written beside it. Enrolments,
//! the writes that come in bursts, go through [`Store::write_queued`]: on SQLite they are written
//! in batches, one transaction and one fsync for many (`group_commit`); on PostgreSQL they line up
//! per session (`session_lines`).

/// A site in words, "Atelier Tremplin, 12 rue des Postes, 59000 Lille", over the `sites` row
/// named `$alias`: the one place this address is put together.
macro_rules! site_words {
    ($alias:literal) => {
        concat!(
            $alias,
            ".name || ', ' || ",
            $alias,
            ".address || ', ' || ",
            $alias,
            ".postcode || ' ' || ",
            $alias,
            ".city"
        )
    };
}
pub(super) use site_words;

/// A session's site in words, selected as `site_label` beside the columns of `sessions`.
macro_rules! site_label {
    () => {
        concat!("(SELECT ", super::site_words!("si"), " FROM sites si WHERE si.id = sessions.site_id) AS site_label")
    };
}
pub(super) use site_label;

pub(super) mod answers;
pub(super) mod api_tokens;
pub(super) mod audit;
mod connect;
pub(super) mod enrolments;
pub(super) mod feeds;
pub(super) mod figures;
mod group_commit;
pub(super) mod idempotency;
pub(super) mod invitations;
pub(super) mod keying;
pub(super) mod outbox;
pub(super) mod participants;
pub(super) mod roster;
pub(super) mod seals;
pub(super) mod seats;
mod session_lines;
pub(super) mod sessions;
pub(super) mod sign_in_links;
pub(super) mod sign_ins;
pub(super) mod signatures;
mod sql;
pub(super) mod staff;
pub(super) mod staff_messages;
pub(super) mod structures;

pub use connect::{DEFAULT_URL, StoreError, StoreOptions, migrator, sqlite_file};

use chrono::{DateTime, Utc};
use group_commit::{BoxFuture, GroupCommit};
use session_lines::{Place, SessionLines};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Transaction};
use std::sync::Arc;
use toile_shared::SessionId;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Which database Toile runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    engine: Engine,
    /// SQLite takes one writer at a time and makes the others sleep-and-retry inside the
    /// driver, which costs tail latency and, in a burst, the busy timeout; queueing writers of
    /// this process here instead keeps them in order. Other processes still meet SQLite's own
    /// lock and busy timeout.
    writer: Option<Arc<Mutex<()>>>,
    /// The writer task that batches enrolments (SQLite, unless turned off).
    group_commit: Option<GroupCommit>,
    /// Enrolments waiting for a session's row, in order (PostgreSQL, unless turned off).
    session_lines: Option<Arc<SessionLines>>,
}

/// A write transaction, holding this process's SQLite writer turn until it ends. `at` is the
/// instant the change is made at, read once from the core's clock: every row and the audit
/// entry of one change carry the same time.
///
/// Dropped without `commit` (a use case refused after it had begun to write), it is rolled back
/// before the writer turn is let go. Otherwise sqlx would only queue the rollback for the
/// connection's next use, and the next writer of this process, on another connection, would
/// meet the write lock still held: SQLite answers "database is locked" at once to a transaction
/// that has already read.
pub struct WriteTx {
    tx: Option<Transaction<'static, Any>>,
    turn: Option<OwnedMutexGuard<()>>,
    /// Its place in a session's line, until it holds the session's row lock.
    place: Option<Place>,
    pub at: DateTime<Utc>,
}

impl WriteTx {
    fn new(tx: Transaction<'static, Any>, turn: Option<OwnedMutexGuard<()>>, at: DateTime<Utc>) -> WriteTx {
        WriteTx { tx: Some(tx), turn, place: None, at }
    }

    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        match self.tx.take() {
            Some(tx) => tx.commit().await,
            None => Ok(()),
        }
    }

    /// The session's row is locked: the next in its line may go and wait for it.
    pub(super) fn leave_line(&mut self) {
        self.place = None;
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        let (Some(tx), turn) = (self.tx.take(), self.turn.take()) else { return };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    if let Err(error) = tx.rollback().await {
                        tracing::warn!(%error, "rolling back an abandoned write failed");
                    }
                    drop(turn);
                });
            }
            // No runtime left (shutting down): sqlx rolls back when the connection is next used.
            Err(_) => drop((tx, turn)),
        }
    }
}

impl std::ops::Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        self.tx.as_ref().expect("a write transaction is used until it commits")
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.tx.as_mut().expect("a write transaction is used until it commits")
    }
}

impl Store {
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// A connection for reading.
    pub(super) async fn read(&self) -> Result<PoolConnection<Any>, sqlx::Error> {
        self.pool.acquire().await
    }

    /// Begins a transaction that will write: the only way the core changes anything.
    pub(super) async fn write(&self, at: DateTime<Utc>) -> Result<WriteTx, sqlx::Error> {
        let turn = match &self.writer {
            Some(writer) => Some(writer.clone().lock_owned().await),
            None => None,
        };
        Ok(WriteTx::new(self.pool.begin().await?, turn, at))
    }

    /// Runs `work`, a write to `session` that locks it first, in a write transaction committed
    /// when the work succeeds (when it fails, nothing it did is kept), queued behind this
    /// process's other writes to the session: on SQLite, it joins the writer's next batch and
    /// is answered once the whole batch is committed (`group_commit`); on PostgreSQL, it waits
    /// in the session's line until the previous one holds the row (`session_lines`). `work` must
    /// use only the transaction it is given (a batch holds the writer turn and a connection).
    pub(super) async fn write_queued<T, E, F>(&self, at: DateTime<Utc>, session: SessionId, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
        F: for<'t> FnOnce(&'t mut WriteTx) -> BoxFuture<'t, Result<T, E>> + Send + 'static,
    {
        if let Some(group_commit) = &self.group_commit {
            return group_commit.write(at, work).await;
        }
        // In line before taking a connection: waiting here holds none.
        let place = match &self.session_lines {
            Some(lines) => Some(lines.join(session).await),
            None => None,
        };
        let mut tx = self.write(at).await?;
        tx.place = place;
        let done = work(&mut tx).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// Waits for the connections in use to come back, then closes them all.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// True when the error is a unique-constraint violation (both engines).
pub(super) fn is_unique_violation(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => {
            db.is_unique_violation()
                || db.message().contains("UNIQUE constraint failed")
                || db.code().as_deref() == Some("23505")
        }
        _ => false,
    }
}

/// Instants are stored as Unix seconds.
pub(super) fn to_ts(at: DateTime<Utc>) -> i64 {
    at.timestamp()
}

pub(super) fn from_ts(ts: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(ts, 0).unwrap_or_default()
}

pub(super) fn opt_from_ts(ts: Option<i64>) -> Option<DateTime<Utc>> {
    ts.map(from_ts)
}
