//! The store: one pool through sqlx's Any driver, so every query is written once for SQLite (the
//! embedded default) and PostgreSQL (several server instances). Queries use `$1` placeholders,
//! integer times and 0/1 flags, which both engines read the same way.
//!
//! The pool is private: the core reads through [`Store::read`] and writes through
//! [`Store::write`], one transaction that, on SQLite, also holds this process's writer turn. So no
//! write can slip past the queue or land without the audit entry written beside it.

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

pub(super) mod audit;
mod connect;
pub(super) mod enrolments;
pub(super) mod feeds;
pub(super) mod people;
pub(super) mod seats;
pub(super) mod sessions;
mod sql;

pub use connect::{DEFAULT_URL, StoreError, migrator};

use chrono::{DateTime, Utc};
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
