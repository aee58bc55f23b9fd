//! Opening the store named by `DATABASE_URL`, and its migrations.

use super::group_commit::GroupCommit;
use super::session_lines::SessionLines;
use super::{Engine, Store};
use sqlx::Executor;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("DATABASE_URL must start with sqlite:// or postgres:// (got {0:?})")]
    UnsupportedUrl(String),
    #[error("cannot create the data directory {0}: {1}")]
    DataDir(String, std::io::Error),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The server's secret key is missing, unreadable, or not the one the database knows.
    #[error("{0}")]
    SecretKey(String),
    /// A setting from the environment that makes no sense.
    #[error("{0}")]
    Setting(String),
}

/// Where data lives when `DATABASE_URL` is not set.
pub const DEFAULT_URL: &str = "sqlite://data/toile.db";

/// How the store writes. The defaults are production's; the benchmark turns the queues off to
/// measure the path without them in the same run.
#[derive(Clone, Copy, Debug)]
pub struct StoreOptions {
    /// On SQLite, enrolments are written in batches by one writer task (see `group_commit`).
    pub group_commit: bool,
    /// On PostgreSQL, enrolments of one session line up in the process (see `session_lines`).
    pub session_lines: bool,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions { group_commit: true, session_lines: true }
    }
}

impl Store {
    /// Opens (and for SQLite, creates) the database named by `url`.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_with(url, StoreOptions::default()).await
    }

    /// Opens the database named by `url`, written as `options` say. Starts the group commit's
    /// writer task on the current Tokio runtime.
    pub async fn connect_with(url: &str, options: StoreOptions) -> Result<Store, StoreError> {
        install_default_drivers();
        let engine = if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Engine::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        let (url, pool_options) = match engine {
            Engine::Sqlite => {
                create_parent_dir(url)?;
                // SQLite allows one writer at a time; a few connections serve readers.
                (with_create_mode(url), AnyPoolOptions::new().max_connections(8))
            }
            // More connections do not help a burst on one session: they wait on its row (see
            // `session_lines`) and PostgreSQL serves that wait in no order.
            Engine::Postgres => (url.to_string(), AnyPoolOptions::new().max_connections(16)),
        };
        let pool = pool_options
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        // WAL lets readers run beside the writer; FULL makes an acknowledged
                        // enrolment survive power loss; the busy timeout queues writers of
                        // other processes.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        let writer = (engine == Engine::Sqlite).then(|| Arc::new(Mutex::new(())));
        let group_commit = match &writer {
            Some(writer) if options.group_commit => Some(GroupCommit::start(pool.clone(), writer.clone())),
            _ => None,
        };
        let session_lines = (engine == Engine::Postgres && options.session_lines).then(Arc::<SessionLines>::default);
        Ok(Store { pool, engine, writer, group_commit, session_lines })
    }

    /// Applies the embedded migrations of this engine.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        migrator(self.engine).run(&self.pool).await?;
        Ok(())
    }

    /// Whether migration `version` is applied (false on a database never migrated).
    pub async fn has_migration(&self, version: i64) -> Result<bool, StoreError> {
        let applied = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM _sqlx_migrations WHERE version = $1")
            .bind(version)
            .fetch_one(&self.pool)
            .await;
        Ok(applied.is_ok_and(|count| count > 0))
    }
}

/// The migrations of an engine, embedded in the binary.
pub fn migrator(engine: Engine) -> sqlx::migrate::Migrator {
    match engine {
        Engine::Sqlite => sqlx::migrate!("../migrations/sqlite"),
        Engine::Postgres => sqlx::migrate!("../migrations/postgres"),
    }
}

/// The database file a `sqlite:` URL names (`None` for other engines).
pub fn sqlite_file(url: &str) -> Option<&Path> {
    url.starts_with("sqlite:").then(|| Path::new(sqlite_path(url)))
}

fn sqlite_path(url: &str) -> &str {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    rest.split('?').next().unwrap_or(rest)
}

fn create_parent_dir(url: &str) -> Result<(), StoreError> {
    let path = sqlite_path(url);
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(parent) = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| StoreError::DataDir(parent.display().to_string(), e))?;
    }
    Ok(())
}

/// The file is created on first run.
fn with_create_mode(url: &str) -> String {
    if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_a_file_created_on_first_run() {
        assert_eq!(sqlite_path("sqlite://data/toile.db"), "data/toile.db");
        assert_eq!(sqlite_path("sqlite:///tmp/x.db?mode=rwc"), "/tmp/x.db");
        assert_eq!(with_create_mode("sqlite://a.db"), "sqlite://a.db?mode=rwc");
    }
}
