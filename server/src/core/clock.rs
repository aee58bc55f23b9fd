//! The core's clock. Every rule that depends on time reads it here, never the system directly,
//! so tests move time forward instead of sleeping.

use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// The system's time, shifted by an offset that only tests move.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_secs: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Self {
        Clock::default()
    }

    /// Now, in whole seconds as stored, so values read back compare equal to values written.
    pub fn now(&self) -> DateTime<Utc> {
        let seconds = Utc::now().timestamp() + self.offset_secs.load(Ordering::Relaxed);
        DateTime::from_timestamp(seconds, 0).unwrap_or_default()
    }

    /// Moves this clock (and every core sharing it) forward: for tests.
    pub fn advance(&self, by: Duration) {
        self.offset_secs.fetch_add(by.num_seconds(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_advanced_clock_runs_ahead_by_that_much_for_every_copy() {
        let clock = Clock::system();
        let copy = clock.clone();
        let before = copy.now();
        clock.advance(Duration::hours(2));
        let ahead = copy.now() - before;
        assert!(ahead >= Duration::hours(2) && ahead < Duration::hours(2) + Duration::seconds(5), "{ahead}");
    }
}
