//! What Toile's integration tests and benchmarks share: a real database per test (an SQLite
//! file, or a fresh PostgreSQL database), the real HTTP server on port 0, and small fixtures.

pub mod bench;
pub mod browser;
pub mod fixtures;
pub mod form;
pub mod fuzzer;
pub mod http;
pub mod machine;
pub mod pages;
pub mod pdf;
pub mod process;
pub mod smtp;
pub mod store;

pub use fixtures::TestApp;
pub use store::{Store, TestDb};

/// Where `scripts/setup.sh` puts a Python tool's virtual environment: `$<env>` when set, else
/// `toile/<name>` in the user's cache (`$XDG_CACHE_HOME` or `~/.cache`), kept across clones.
pub fn tool_venv(env: &str, name: &str) -> std::path::PathBuf {
    use std::path::PathBuf;
    match std::env::var_os(env) {
        Some(venv) => PathBuf::from(venv),
        None => {
            let cache = std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
                .unwrap_or_else(|| PathBuf::from(".cache"));
            cache.join("toile").join(name)
        }
    }
}

/// Runs a test body once per storage backend, as `sqlite` and `postgres` tests.
/// PostgreSQL tests run when `TOILE_TEST_POSTGRES_URL` is set and say so when skipped.
#[macro_export]
macro_rules! on_every_backend {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $name() {
                let _machine = $crate::machine::shared().await;
                let db = $crate::TestDb::create($crate::Store::Sqlite).await.expect("sqlite");
                super::$name(&db).await;
            })+
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $name() {
                let _machine = $crate::machine::shared().await;
                let Some(db) = $crate::TestDb::create($crate::Store::Postgres).await else { return };
                super::$name(&db).await;
            })+
        }
    };
}
