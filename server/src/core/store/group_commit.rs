//! Group commit: one writer task drains the queued writes and runs them in one transaction, each
//! inside its own savepoint (a refusal or an error undoes its own changes, not the others'),
//! commits once, and only then answers every caller. On SQLite, with `synchronous = FULL`, every
//! commit waits for an fsync of the WAL; a burst of enrolments pays it once per batch instead of
//! once per enrolment, and an answer still means the enrolment is on disk.
//!
//! Fair and deadlock-free beside the other writes: the task takes the process's writer turn like
//! any of them, once per batch, so they wait at most one batch (`MAX_BATCH` jobs) in the same
//! first-come queue. A job only gets the batch's transaction: it can neither wait for the turn
//! nor for a pool connection while the batch holds them.

use super::WriteTx;
use chrono::{DateTime, Utc};
use futures_util::FutureExt;
use sqlx::AnyPool;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::{Mutex, mpsc, oneshot};

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Jobs per batch at most: enough to make one fsync serve a burst of 64 clients, few enough that
/// a write waiting for the turn (or the first job of a batch) is not kept long.
const MAX_BATCH: usize = 64;

/// The writer task's queue, shared by every clone of the store.
#[derive(Clone, Debug)]
pub struct GroupCommit {
    queue: mpsc::UnboundedSender<Box<dyn Job>>,
}

impl GroupCommit {
    /// Starts the writer task on the current Tokio runtime. It ends when the last clone of
    /// this handle is dropped.
    pub fn start(pool: AnyPool, writer: Arc<Mutex<()>>) -> GroupCommit {
        let (queue, jobs) = mpsc::unbounded_channel();
        tokio::spawn(write_batches(pool, writer, jobs));
        GroupCommit { queue }
    }

    /// Queues `work` for the next batch, and answers once that batch is committed (or failed:
    /// then nothing of the batch is stored and every caller gets the error). The work runs even
    /// if the caller stops waiting, as a write whose answer was lost would.
    pub async fn write<T, E, F>(&self, at: DateTime<Utc>, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
        F: for<'t> FnOnce(&'t mut WriteTx) -> BoxFuture<'t, Result<T, E>> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let job = Queued { at, work: Some(work), outcome: None, answer };
        if self.queue.send(Box::new(job)).is_err() {
            return Err(E::from(sqlx::Error::WorkerCrashed));
        }
        // Dropped unanswered: the writer task is gone with its runtime.
        answered.await.unwrap_or_else(|_| Err(E::from(sqlx::Error::WorkerCrashed)))
    }
}

/// A queued write with its caller's type erased.
trait Job: Send {
    fn at(&self) -> DateTime<Utc>;
    /// Runs the work in the transaction; true when its changes are to be kept.
    fn run<'t>(&'t mut self, tx: &'t mut WriteTx) -> BoxFuture<'t, bool>;
    /// Answers the caller once the batch is committed, or with the batch's failure.
    fn answer(self: Box<Self>, failure: Option<&sqlx::Error>);
}

struct Queued<T, E, F> {
    at: DateTime<Utc>,
    work: Option<F>,
    outcome: Option<Result<T, E>>,
    answer: oneshot::Sender<Result<T, E>>,
}

impl<T, E, F> Job for Queued<T, E, F>
where
    T: Send + 'static,
    E: From<sqlx::Error> + Send + 'static,
    F: for<'t> FnOnce(&'t mut WriteTx) -> BoxFuture<'t, Result<T, E>> + Send + 'static,
{
    fn at(&self) -> DateTime<Utc> {
        self.at
    }

    fn run<'t>(&'t mut self, tx: &'t mut WriteTx) -> BoxFuture<'t, bool> {
        let work = self.work.take().expect("a job runs once");
        Box::pin(async move {
            // A panicking job must not take the writer task (and every later enrolment) with it.
            let outcome = AssertUnwindSafe(work(tx)).catch_unwind().await.unwrap_or_else(|_| {
                tracing::error!("a write of a group commit panicked; its savepoint is rolled back");
                Err(E::from(sqlx::Error::WorkerCrashed))
            });
            let keep = outcome.is_ok();
            self.outcome = Some(outcome);
            keep
        })
    }

    fn answer(self: Box<Self>, failure: Option<&sqlx::Error>) {
        let outcome = match (failure, self.outcome) {
            (None, Some(outcome)) => outcome,
            (Some(failure), _) => Err(E::from(batch_failed(failure))),
            (None, None) => Err(E::from(sqlx::Error::WorkerCrashed)),
        };
        // The caller may have stopped waiting: its write stands all the same.
        let _ = self.answer.send(outcome);
    }
}

/// One caller's copy of the batch's error (sqlx errors are not `Clone`).
fn batch_failed(failure: &sqlx::Error) -> sqlx::Error {
    sqlx::Error::Io(std::io::Error::other(format!("the group commit failed: {failure}")))
}

/// The writer task: a batch whenever something is queued.
async fn write_batches(pool: AnyPool, writer: Arc<Mutex<()>>, mut jobs: mpsc::UnboundedReceiver<Box<dyn Job>>) {
    while let Some(first) = jobs.recv().await {
        let turn = writer.clone().lock_owned().await;
        let mut batch = Vec::with_capacity(MAX_BATCH);
        batch.push(first);
        let result = async {
            let tx = pool.begin().await?;
            let mut tx = WriteTx::new(tx, Some(turn), batch[0].at());
            loop {
                let job = batch.last_mut().expect("a batch has a job");
                run_in_savepoint(&mut tx, job.as_mut()).await?;
                // Whatever was queued meanwhile joins this batch, up to its size.
                if batch.len() == MAX_BATCH {
                    break;
                }
                match jobs.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            tx.commit().await
        }
        .await;
        if let Err(error) = &result {
            tracing::error!(%error, jobs = batch.len(), "a group commit failed: nothing of its batch is stored");
        }
        for job in batch {
            job.answer(result.as_ref().err());
        }
    }
}

/// Runs one job between `SAVEPOINT` and `RELEASE`, rolled back to the savepoint when it fails.
/// An error here (not the job's own) leaves the transaction in doubt: the whole batch fails.
async fn run_in_savepoint(tx: &mut WriteTx, job: &mut dyn Job) -> Result<(), sqlx::Error> {
    tx.at = job.at();
    sqlx::query("SAVEPOINT queued_write").execute(&mut **tx).await?;
    if !job.run(tx).await {
        sqlx::query("ROLLBACK TO queued_write").execute(&mut **tx).await?;
    }
    sqlx::query("RELEASE queued_write").execute(&mut **tx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{Store, StoreOptions};
    use chrono::Utc;
    use sqlx::AnyPool;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::Duration;

    /// A store on a fresh SQLite file, with group commit, and a pool of the test's own that
    /// sees only what is committed.
    struct TestStore {
        store: Store,
        outside: AnyPool,
        path: std::path::PathBuf,
    }

    impl Drop for TestStore {
        fn drop(&mut self) {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
            }
        }
    }

    async fn store() -> TestStore {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "toile-group-commit-{}-{}.db",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        let url = format!("sqlite://{}", path.display());
        let store = Store::connect_with(&url, StoreOptions::default()).await.unwrap();
        sqlx::raw_sql(
            "CREATE TABLE t (n INTEGER PRIMARY KEY);
             CREATE TABLE parent (id INTEGER PRIMARY KEY);
             CREATE TABLE child (id INTEGER PRIMARY KEY,
               parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)",
        )
        .execute(&store.pool)
        .await
        .unwrap();
        let outside = AnyPool::connect(&url).await.unwrap();
        TestStore { store, outside, path }
    }

    async fn committed(pool: &AnyPool) -> Vec<i64> {
        sqlx::query_scalar("SELECT n FROM t ORDER BY n").fetch_all(pool).await.unwrap()
    }

    /// Queues `jobs` while the writer turn is held elsewhere, so that they all wait for the same
    /// batch, then lets the writer go and returns what each caller was answered.
    async fn in_one_batch<T: Send + 'static>(
        db: &TestStore,
        jobs: Vec<tokio::task::JoinHandle<T>>,
        turn: tokio::sync::OwnedMutexGuard<()>,
    ) -> Vec<T> {
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(committed(&db.outside).await.is_empty(), "nothing is written while the turn is held");
        drop(turn);
        let mut answers = vec![];
        for job in jobs {
            answers.push(job.await.unwrap());
        }
        answers
    }

    /// After a failed batch, the next write is committed alone: nothing of the failure is left.
    async fn the_writer_goes_on(db: &TestStore, n: i64) {
        db.store
            .write_queued(Utc::now(), 0, move |tx| {
                Box::pin(async move { sqlx::query("INSERT INTO t (n) VALUES ($1)").bind(n).execute(&mut **tx).await })
            })
            .await
            .unwrap();
        assert_eq!(committed(&db.outside).await, [n]);
    }

    /// One queued write per `n`: it inserts `n * scale`, then job 2 also runs `second`.
    fn inserts(
        db: &TestStore,
        ns: &[i64],
        scale: i64,
        second: &'static str,
    ) -> Vec<tokio::task::JoinHandle<Result<i64, sqlx::Error>>> {
        ns.iter()
            .map(|&n| {
                let store = db.store.clone();
                tokio::spawn(async move {
                    store
                        .write_queued(Utc::now(), 0, move |tx| {
                            Box::pin(async move {
                                sqlx::query("INSERT INTO t (n) VALUES ($1)").bind(n * scale).execute(&mut **tx).await?;
                                if n == 2 {
                                    sqlx::query(second).execute(&mut **tx).await?;
                                }
                                Ok::<_, sqlx::Error>(n)
                            })
                        })
                        .await
                })
            })
            .collect()
    }

    fn hold_the_turn(store: &Store) -> tokio::sync::OwnedMutexGuard<()> {
        store.writer.clone().unwrap().try_lock_owned().unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn writes_queued_together_share_one_commit_and_are_answered_after_it() {
        let db = store().await;
        let turn = hold_the_turn(&db.store);
        let jobs = (1..=10_i64)
            .map(|n| {
                let (store, outside) = (db.store.clone(), db.outside.clone());
                tokio::spawn(async move {
                    let seen_inside = store
                        .write_queued(Utc::now(), 0, move |tx| {
                            Box::pin(async move {
                                sqlx::query("INSERT INTO t (n) VALUES ($1)").bind(n).execute(&mut **tx).await?;
                                // What others can see while this batch is still open.
                                Ok::<_, sqlx::Error>(committed(&outside).await.len())
                            })
                        })
                        .await
                        .unwrap();
                    (seen_inside, committed(&store.pool).await.len())
                })
            })
            .collect();
        let answers = in_one_batch(&db, jobs, turn).await;
        assert!(answers.iter().all(|(inside, _)| *inside == 0), "all ten ran before any commit: {answers:?}");
        assert!(answers.iter().all(|(_, after)| *after == 10), "each answer came after the commit: {answers:?}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_write_undoes_only_its_own_changes_in_its_batch() {
        let db = store().await;
        let turn = hold_the_turn(&db.store);
        // A duplicate: the second write of job 2 fails.
        let jobs = inserts(&db, &[1, 2, 3], 10, "INSERT INTO t (n) VALUES (20)");
        let answers = in_one_batch(&db, jobs, turn).await;
        assert!(matches!(answers[..], [Ok(1), Err(_), Ok(3)]), "{answers:?}");
        assert_eq!(committed(&db.outside).await, [10, 30]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_batch_whose_commit_fails_stores_nothing_and_answers_every_caller_with_the_error() {
        let db = store().await;
        let turn = hold_the_turn(&db.store);
        // Checked only at COMMIT (a deferred key): the commit fails.
        let jobs = inserts(&db, &[1, 2], 1, "INSERT INTO child (id, parent_id) VALUES (1, 99)");
        let answers = in_one_batch(&db, jobs, turn).await;
        assert!(answers.iter().all(Result::is_err), "{answers:?}");
        assert!(committed(&db.outside).await.is_empty());
        // The writer goes on with the next batch.
        the_writer_goes_on(&db, 7).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_panicking_write_is_undone_and_the_writer_goes_on() {
        let db = store().await;
        let panicked = db
            .store
            .write_queued(Utc::now(), 0, |tx| {
                Box::pin(async move {
                    sqlx::query("INSERT INTO t (n) VALUES (1)").execute(&mut **tx).await?;
                    if tx.at.timestamp() > 0 {
                        panic!("a bug in a write");
                    }
                    Ok::<_, sqlx::Error>(())
                })
            })
            .await;
        assert!(panicked.is_err());
        the_writer_goes_on(&db, 2).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn other_writes_take_their_turn_between_batches_of_a_steady_stream() {
        let db = store().await;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let streams: Vec<_> = (0..32_i64)
            .map(|client| {
                let (store, stop) = (db.store.clone(), stop.clone());
                tokio::spawn(async move {
                    let mut n = client * 1_000_000;
                    while !stop.load(Ordering::Relaxed) {
                        n += 1;
                        let write = store.write_queued(Utc::now(), 0, move |tx| {
                            Box::pin(async move {
                                sqlx::query("INSERT INTO t (n) VALUES ($1)").bind(n).execute(&mut **tx).await
                            })
                        });
                        write.await.unwrap();
                    }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(100)).await;
        for id in 1..=20 {
            let plain = async {
                let mut tx = db.store.write(Utc::now()).await?;
                sqlx::query("INSERT INTO parent (id) VALUES ($1)").bind(id).execute(&mut *tx).await?;
                tx.commit().await
            };
            tokio::time::timeout(Duration::from_secs(5), plain).await.expect("a plain write gets its turn").unwrap();
        }
        stop.store(true, Ordering::Relaxed);
        for stream in streams {
            stream.await.unwrap();
        }
        assert!(committed(&db.outside).await.len() > 20, "the stream went on meanwhile");
    }
}
