//! The store: one pool through sqlx's Any driver, so every query is written once for SQLite (the
//! embedded default) and PostgreSQL (several server instances). Queries use `$1` placeholders,
//! integer times and 0/1 flags, which both engines read the same way.
//!
//! The pool is private: the core reads through [`Store::read`] and writes through
//! [`Store::write`], one transaction that, on SQLite, also holds this process's writer turn. So no
//! write can slip past the queue or land without the audit entry written beside it. Enrolments,
//! the writes that come in bursts, go through [`Store::write_grouped`]: on SQLite they are written
//! in batches, one transaction and one fsync for many (`group_commit`).

/// A session's site in words, "Atelier Tremplin, 12 rue des Postes, 59000 Lille", selected as
/// `site_label` beside the columns of `sessions` (the one place this address is put together).
macro_rules! site_label {
    () => {
        "(SELECT si.name || ', ' || si.address || ', ' || si.postcode || ' ' || si.city FROM sites si
          WHERE si.id = sessions.site_id) AS site_label"
    };
}
pub(super) use site_label;

mod connect;
pub(super) mod enrolments;
pub(super) mod feeds;
mod group_commit;
pub(super) mod people;
pub(super) mod seats;
pub(super) mod sessions;
mod sql;

pub use connect::{DEFAULT_URL, StoreError, StoreOptions, migrator};

use chrono::{DateTime, Utc};
use group_commit::{BoxFuture, GroupCommit};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Transaction};
use std::sync::Arc;
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
}

/// A write transaction, holding this process's SQLite writer turn until it ends. `at` is the
/// instant the change is made at, read once from the core's clock: every row and the audit
/// entry of one change carry the same time.
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    _turn: Option<OwnedMutexGuard<()>>,
    pub at: DateTime<Utc>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
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
        Ok(WriteTx { tx: self.pool.begin().await?, _turn: turn, at })
    }

    /// Runs `work` in a write transaction, committed when it succeeds; when it fails, nothing it
    /// did is kept. With group commit, the work joins the writer's next batch and the answer
    /// comes once the whole batch is committed. `work` must use only the transaction it is
    /// given (the batch holds the writer turn and a connection).
    pub(super) async fn write_grouped<T, E, F>(&self, at: DateTime<Utc>, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
        F: for<'t> FnOnce(&'t mut WriteTx) -> BoxFuture<'t, Result<T, E>> + Send + 'static,
    {
        if let Some(group_commit) = &self.group_commit {
            return group_commit.write(at, work).await;
        }
        let mut tx = self.write(at).await?;
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
