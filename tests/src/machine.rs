//! The machine the tests run on. The integration and end-to-end tests are one binary whose tests
//! run side by side, but one measures the machine itself (Lighthouse's scores) and must have it
//! alone. So every test that starts a server or a database takes a shared turn
//! ([`on_every_backend!`](crate::on_every_backend) and [`browser::run`](crate::browser::run) take
//! it for theirs), and a measuring test takes the machine alone: it waits for the tests under way
//! and holds the next ones back.

use tokio::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

static MACHINE: RwLock<()> = RwLock::const_new(());

/// A turn beside the other tests, held until the test ends. Taken once per test and before
/// anything else is waited for (the browser's turn included): a test waiting to be alone holds
/// back every turn asked after it, so a second turn, or a turn taken while holding what others
/// wait for, could wait forever.
pub async fn shared() -> RwLockReadGuard<'static, ()> {
    MACHINE.read().await
}

/// The machine to this test alone, held until the test ends.
pub async fn alone() -> RwLockWriteGuard<'static, ()> {
    MACHINE.write().await
}
