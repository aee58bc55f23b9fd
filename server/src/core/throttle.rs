//! Slowing down guesses at sign-in: failed attempts are counted per client address, per staff
//! account from one address, per staff account and across the whole installation, each over a
//! sliding window.
//!
//! Some counts refuse once full (`Effect::Refuse`): further attempts under them are refused
//! until their oldest failure leaves the window. Others only slow down (`Effect::SlowDown`):
//! an attempt waits a little longer for each failure beyond the count, at most `MAX_DELAY`,
//! and is then checked. Those are the counts anyone can fill from elsewhere: a staff account's
//! (were it refusing, ten wrong passwords from anywhere would keep its owner out) and all
//! passwords' in the installation. Access codes keep a refusing ceiling for the installation:
//! each guess is tried against every participant at once.
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
    /// One staff account, by its e-mail as typed (lower case), from one client address.
    AccountFrom(String, IpAddr),
    /// One staff account, by its e-mail as typed (lower case), from every address: guesses at
    /// one person's password from many addresses. Slows down, never refuses.
    Account(String),
    /// Every wrong access code of the installation: the ceiling when guesses come from
    /// everywhere.
    Everyone,
    /// Every wrong password of the installation. Slows down, never refuses.
    EveryPassword,
    /// Wrong answer-link secrets (`/fn/answer`) from one client address: counted as wrong codes
    /// are, apart from them.
    AnswerFrom(IpAddr),
    /// Every wrong answer-link secret of the installation.
    EveryAnswer,
}

/// What a full count does to the next attempts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Refused, until the oldest failure leaves the window.
    Refuse,
    /// Checked after `step` for each failure beyond the count (the first one included), at
    /// most `MAX_DELAY`.
    SlowDown { step: Duration },
}

/// At most `failures` in any `window`, then `effect`.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub failures: usize,
    pub window: Duration,
    pub effect: Effect,
}

/// The limits: per client address, per staff account from one address, per staff account, and
/// for the whole installation (codes, passwords).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub per_client: Limit,
    pub per_account_from_client: Limit,
    pub per_account: Limit,
    pub everyone: Limit,
    pub every_password: Limit,
}

/// The longest a slowed-down attempt waits.
pub const MAX_DELAY: Duration = Duration::from_secs(5);

impl Default for Limits {
    /// 20 wrong codes or passwords a minute from one address; 10 wrong passwords in a quarter of
    /// an hour on one account from one address; 300 wrong codes a minute in all. With 500
    /// participants, guessing one 8-symbol code (25 symbols) then takes about 900,000 minutes at
    /// the ceiling: years. Beyond 10 wrong passwords in a quarter of an hour on one account, or
    /// 100 a minute in all, each attempt waits half a second more, up to 5 seconds.
    fn default() -> Limits {
        let slow = Effect::SlowDown { step: Duration::from_millis(500) };
        Limits {
            per_client: Limit { failures: 20, window: Duration::from_secs(60), effect: Effect::Refuse },
            per_account_from_client: Limit {
                failures: 10,
                window: Duration::from_secs(15 * 60),
                effect: Effect::Refuse,
            },
            per_account: Limit { failures: 10, window: Duration::from_secs(15 * 60), effect: slow },
            everyone: Limit { failures: 300, window: Duration::from_secs(60), effect: Effect::Refuse },
            every_password: Limit { failures: 100, window: Duration::from_secs(60), effect: slow },
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
    /// How long to wait before checking it (zero unless a slowing count is full).
    pub delay: Duration,
    /// The slowing counts this attempt has just filled: the slowdown starts now (the journal
    /// says so once, not for every slowed attempt).
    pub slowing_from_now: Vec<Counted>,
}

impl SignInThrottle {
    pub fn new(limits: Limits) -> SignInThrottle {
        SignInThrottle { limits, counts: Mutex::new(HashMap::new()) }
    }

    fn limit(&self, counted: &Counted) -> Limit {
        match counted {
            Counted::Client(_) | Counted::AnswerFrom(_) => self.limits.per_client,
            Counted::AccountFrom(..) => self.limits.per_account_from_client,
            Counted::Account(_) => self.limits.per_account,
            Counted::Everyone | Counted::EveryAnswer => self.limits.everyone,
            Counted::EveryPassword => self.limits.every_password,
        }
    }

    /// Counts an attempt under each of `counted`, or refuses it with how long to wait when any
    /// refusing one is full (nothing is counted then). A full slowing count gives the attempt
    /// a delay instead.
    pub fn start(&self, counted: Vec<Counted>, now: Instant) -> Result<Attempt, Duration> {
        let mut counts = self.counts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut wait = Duration::ZERO;
        let mut delay = Duration::ZERO;
        let mut slowing_from_now = Vec::new();
        for key in &counted {
            let limit = self.limit(key);
            let Some(failures) = counts.get_mut(key) else { continue };
            while failures.front().is_some_and(|at| now.duration_since(*at) >= limit.window) {
                failures.pop_front();
            }
            if failures.len() < limit.failures {
                continue;
            }
            match limit.effect {
                Effect::Refuse => {
                    let oldest = failures.front().copied().unwrap_or(now);
                    wait = wait.max(limit.window.saturating_sub(now.duration_since(oldest)));
                }
                Effect::SlowDown { step } => {
                    let beyond = (failures.len() - limit.failures + 1) as u32;
                    delay = delay.max(step.saturating_mul(beyond).min(MAX_DELAY));
                    if beyond == 1 {
                        slowing_from_now.push(key.clone());
                    }
                }
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
        Ok(Attempt { counted, at: now, delay, slowing_from_now })
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

    fn account() -> Counted {
        Counted::Account("claire@example.org".into())
    }

    fn account_from(last: u8) -> Counted {
        Counted::AccountFrom("claire@example.org".into(), IpAddr::from([10, 0, 0, last]))
    }

    #[test]
    fn the_eleventh_wrong_password_on_an_account_from_one_address_is_refused() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        let password = |last| vec![client(last), account_from(last), account(), Counted::EveryPassword];
        for _ in 0..10 {
            throttle.start(password(1), now).expect("within the limit");
        }
        let wait = throttle.start(password(1), now).unwrap_err();
        assert_eq!(wait, Duration::from_secs(15 * 60));
        let other = throttle.start(password(2), now).expect("another address is not refused");
        assert_eq!(other.delay, Duration::from_millis(500), "the account's count slows it down");
    }

    #[test]
    fn guesses_at_an_account_from_many_addresses_slow_down_up_to_five_seconds_never_refused() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        let mut delays = vec![];
        for n in 0..60 {
            let attempt = throttle.start(vec![client(n), account_from(n), account()], now).expect("never refused");
            delays.push(attempt.delay);
        }
        assert!(delays[..10].iter().all(Duration::is_zero), "{delays:?}");
        assert_eq!(delays[10], Duration::from_millis(500));
        assert_eq!(delays[11], Duration::from_secs(1));
        assert!(delays.windows(2).all(|pair| pair[0] <= pair[1]), "the delay grows: {delays:?}");
        assert_eq!(delays[59], MAX_DELAY);
        let later = now + Duration::from_secs(15 * 60);
        assert!(throttle.start(vec![account()], later).unwrap().delay.is_zero(), "the window has passed");
    }

    #[test]
    fn the_slowdown_is_said_once_when_it_starts() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        let said: Vec<usize> =
            (0..15).map(|n| throttle.start(vec![client(n), account()], now).unwrap().slowing_from_now.len()).collect();
        assert_eq!(said, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    }

    #[test]
    fn wrong_passwords_from_everywhere_slow_down_but_wrong_codes_are_refused() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        for _ in 0..300 {
            throttle.start(vec![Counted::Everyone], now).unwrap();
            throttle.start(vec![Counted::EveryPassword], now).unwrap();
        }
        assert!(throttle.start(vec![Counted::Everyone], now).is_err(), "codes: the ceiling refuses");
        let password = throttle.start(vec![Counted::EveryPassword], now).expect("passwords: never refused");
        assert_eq!(password.delay, MAX_DELAY);
    }

    #[test]
    fn the_waits_are_said_in_french() {
        assert_eq!(french_wait(Duration::from_secs(1)), "1 seconde");
        assert_eq!(french_wait(Duration::from_millis(40_500)), "40 secondes");
        assert_eq!(french_wait(Duration::from_secs(61)), "2 minutes");
        assert_eq!(french_wait(Duration::from_secs(60)), "1 minute");
    }
}
