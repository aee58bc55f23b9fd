//! Slowing down guesses at sign-in: failed attempts are counted per client address, per staff
//! account and across the whole installation, each over a sliding window; once a count is
//! full, further attempts under it are refused until its oldest failure leaves the window.
//!
//! Only failures count (an attempt is counted when it starts and given back when it succeeds),
//! so a workshop whose fifteen participants sign in together on the structure's wifi is never
//! held back. That is why this is not `governor`: it counts every check it is asked about.
//! Counting an attempt before it is checked also bounds a burst: of a thousand parallel
//! guesses from one address, only the window's worth are ever checked.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What one count is kept for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Counted {
    /// One client address (behind a proxy, the one the proxy saw).
    Client(IpAddr),
    /// One staff account, by its e-mail as typed (lower case): guesses at one person's password
    /// from many addresses.
    Account(String),
    /// Every failed attempt of the installation: the ceiling when guesses come from everywhere.
    Everyone,
}

/// At most `failures` in any `window`.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub failures: usize,
    pub window: Duration,
}

/// The limits: per client address, per staff account, for the whole installation.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub per_client: Limit,
    pub per_account: Limit,
    pub everyone: Limit,
}

impl Default for Limits {
    /// 20 wrong codes or passwords a minute from one address; 10 wrong passwords in a quarter of
    /// an hour on one account; 300 failures a minute in all. With 500 participants, guessing one
    /// 8-symbol code (25 symbols) then takes about 900,000 minutes at the ceiling: years.
    fn default() -> Limits {
        Limits {
            per_client: Limit { failures: 20, window: Duration::from_secs(60) },
            per_account: Limit { failures: 10, window: Duration::from_secs(15 * 60) },
            everyone: Limit { failures: 300, window: Duration::from_secs(60) },
        }
    }
}

/// Beyond this many counts kept at once (a flood from many addresses), new addresses are
/// refused for a window rather than let the table grow: memory stays bounded.
const MAX_COUNTS: usize = 100_000;

#[derive(Debug)]
pub struct SignInThrottle {
    limits: Limits,
    counts: Mutex<HashMap<Counted, VecDeque<Instant>>>,
}

/// An attempt under way, counted as a failure until `succeeded` gives it back.
#[derive(Debug)]
pub struct Attempt {
    counted: Vec<Counted>,
    at: Instant,
}

impl SignInThrottle {
    pub fn new(limits: Limits) -> SignInThrottle {
        SignInThrottle { limits, counts: Mutex::new(HashMap::new()) }
    }

    fn limit(&self, counted: &Counted) -> Limit {
        match counted {
            Counted::Client(_) => self.limits.per_client,
            Counted::Account(_) => self.limits.per_account,
            Counted::Everyone => self.limits.everyone,
        }
    }

    /// Counts an attempt under each of `counted`, or refuses it with how long to wait when any
    /// of them is full (nothing is counted then).
    pub fn start(&self, counted: Vec<Counted>, now: Instant) -> Result<Attempt, Duration> {
        let mut counts = self.counts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut wait = Duration::ZERO;
        for key in &counted {
            let limit = self.limit(key);
            let Some(failures) = counts.get_mut(key) else { continue };
            while failures.front().is_some_and(|at| now.duration_since(*at) >= limit.window) {
                failures.pop_front();
            }
            if failures.len() >= limit.failures {
                let oldest = failures.front().copied().unwrap_or(now);
                wait = wait.max(limit.window.saturating_sub(now.duration_since(oldest)));
            }
        }
        let new_keys = counted.iter().filter(|key| !counts.contains_key(*key)).count();
        if counts.len() + new_keys > MAX_COUNTS {
            self.forget_expired(&mut counts, now);
            if counts.len() + new_keys > MAX_COUNTS {
                wait = wait.max(self.limits.per_client.window);
            }
        }
        if !wait.is_zero() {
            return Err(wait);
        }
        for key in &counted {
            counts.entry(key.clone()).or_default().push_back(now);
        }
        Ok(Attempt { counted, at: now })
    }

    /// The attempt was right: it was no guess, it is not counted.
    pub fn succeeded(&self, attempt: Attempt) {
        let mut counts = self.counts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for key in &attempt.counted {
            if let Some(failures) = counts.get_mut(key)
                && let Some(position) = failures.iter().rposition(|at| *at == attempt.at)
            {
                failures.remove(position);
                if failures.is_empty() {
                    counts.remove(key);
                }
            }
        }
    }

    fn forget_expired(&self, counts: &mut HashMap<Counted, VecDeque<Instant>>, now: Instant) {
        counts.retain(|key, failures| {
            let window = self.limit(key).window;
            failures.back().is_some_and(|last| now.duration_since(*last) < window)
        });
    }

    /// How many counts are kept (for the tests of the memory bound).
    #[cfg(test)]
    pub fn kept(&self) -> usize {
        self.counts.lock().map(|counts| counts.len()).unwrap_or(0)
    }
}

impl Default for SignInThrottle {
    fn default() -> SignInThrottle {
        SignInThrottle::new(Limits::default())
    }
}

/// "3 minutes", "40 secondes": the wait in the words of the refusal.
pub fn french_wait(wait: Duration) -> String {
    let seconds = wait.as_secs().max(1);
    if seconds < 60 {
        format!("{seconds} seconde{}", if seconds > 1 { "s" } else { "" })
    } else {
        let minutes = seconds.div_ceil(60);
        format!("{minutes} minute{}", if minutes > 1 { "s" } else { "" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(last: u8) -> Counted {
        Counted::Client(IpAddr::from([10, 0, 0, last]))
    }

    #[test]
    fn the_twenty_first_failure_from_one_address_in_a_minute_is_refused() {
        let throttle = SignInThrottle::default();
        let start = Instant::now();
        for _ in 0..20 {
            throttle.start(vec![client(1), Counted::Everyone], start).expect("within the limit");
        }
        let wait = throttle.start(vec![client(1), Counted::Everyone], start).expect_err("the 21st");
        assert_eq!(wait, Duration::from_secs(60));
        assert!(throttle.start(vec![client(2), Counted::Everyone], start).is_ok(), "another address goes on");
        let later = start + Duration::from_secs(60);
        assert!(throttle.start(vec![client(1)], later).is_ok(), "the window has passed");
    }

    #[test]
    fn successes_are_not_counted() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        for _ in 0..100 {
            let attempt = throttle.start(vec![client(1), Counted::Everyone], now).unwrap();
            throttle.succeeded(attempt);
        }
        assert_eq!(throttle.kept(), 0);
    }

    #[test]
    fn an_account_is_protected_against_guesses_from_many_addresses() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        let account = || Counted::Account("claire@example.org".into());
        for n in 0..10 {
            throttle.start(vec![client(n), account()], now).unwrap();
        }
        let wait = throttle.start(vec![client(99), account()], now).unwrap_err();
        assert_eq!(wait, Duration::from_secs(15 * 60));
    }

    #[test]
    fn the_waits_are_said_in_french() {
        assert_eq!(french_wait(Duration::from_secs(1)), "1 seconde");
        assert_eq!(french_wait(Duration::from_millis(40_500)), "40 secondes");
        assert_eq!(french_wait(Duration::from_secs(61)), "2 minutes");
        assert_eq!(french_wait(Duration::from_secs(60)), "1 minute");
    }
}
