//! A fresh database for each test: an SQLite file in a temporary folder, or a new PostgreSQL
//! database (dropped afterwards) on the server named by `TOILE_TEST_POSTGRES_URL`.

use sqlx::{Connection, Executor, PgConnection};
use std::sync::atomic::{AtomicU32, Ordering};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    Sqlite,
    Postgres,
}

pub struct TestDb {
    pub url: String,
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

pub const POSTGRES_ENV: &str = "TOILE_TEST_POSTGRES_URL";

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDb {
    /// A connection pool of the test's own, to look at what is stored.
    pub async fn sql(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(&self.url).await.expect("the test database opens")
    }

    /// `None` when PostgreSQL is not configured: the skip is reported on standard error.
    pub async fn create(store: Store) -> Option<TestDb> {
        match store {
            Store::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary folder");
                let url = format!("sqlite://{}", dir.path().join("toile.db").display());
                Some(TestDb { url, store, _dir: Some(dir), postgres: None })
            }
            Store::Postgres => {
                let Ok(admin_url) = std::env::var(POSTGRES_ENV) else {
                    eprintln!(
                        "SKIPPED on PostgreSQL: set {POSTGRES_ENV} (e.g. postgres://postgres@127.0.0.1:5432/test) to run it"
                    );
                    return None;
                };
                let name = format!(
                    "toile_test_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst),
                    rand::random::<u32>()
                );
                let mut admin = PgConnection::connect(&admin_url).await.expect("PostgreSQL reachable");
                admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create test database");
                let url = replace_database(&admin_url, &name);
                Some(TestDb { url, store, _dir: None, postgres: Some((admin_url, name)) })
            }
        }
    }
}

/// `postgres://u@h:5432/test?x` → `postgres://u@h:5432/<name>?x`
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.postgres.take() {
            // Drop runs outside async code: a short-lived runtime on its own thread.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                runtime.block_on(async {
                    let mut admin = PgConnection::connect(&admin_url).await.ok()?;
                    admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await.ok()
                })
            })
            .join();
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_test_database_replaces_the_one_in_the_url() {
        assert_eq!(super::replace_database("postgres://p@h:5432/test", "x"), "postgres://p@h:5432/x");
        assert_eq!(
            super::replace_database("postgres://p@h/test?sslmode=disable", "x"),
            "postgres://p@h/x?sslmode=disable"
        );
    }
}
