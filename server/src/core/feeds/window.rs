//! Which sessions a feed lists: from 8 weeks back to a year ahead, by whole UTC days, so the
//! same data gives the same body all day; cancelled ones while cancelled less than 30 days ago.

use chrono::{DateTime, Utc};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FeedWindow {
    /// Days since 1970-01-01 (UTC).
    pub day: i64,
}

const DAY: i64 = 86_400;

impl FeedWindow {
    pub const WEEKS_BACK: i64 = 8;
    pub const DAYS_AHEAD: i64 = 366;
    pub const CANCELLED_SHOWN_DAYS: i64 = 30;

    pub fn on(at: DateTime<Utc>) -> Self {
        FeedWindow { day: at.timestamp().div_euclid(DAY) }
    }

    /// First start included.
    pub fn from(&self) -> i64 {
        (self.day - Self::WEEKS_BACK * 7) * DAY
    }

    /// First start excluded: at least a year after any instant of the day.
    pub fn to(&self) -> i64 {
        (self.day + 1 + Self::DAYS_AHEAD) * DAY
    }

    /// Cancelled sessions changed since then are shown (less than 30 days ago all day long).
    pub fn cancelled_since(&self) -> i64 {
        (self.day - (Self::CANCELLED_SHOWN_DAYS - 1)) * DAY
    }

    /// `(from, to, cancelled_since)`, as the feed query takes them.
    pub fn bounds(&self) -> (i64, i64, i64) {
        (self.from(), self.to(), self.cancelled_since())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(ts: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(ts, 0).unwrap()
    }

    #[test]
    fn the_window_runs_from_eight_weeks_back_to_a_year_ahead_by_whole_days() {
        let now = Utc.with_ymd_and_hms(2026, 3, 10, 15, 30, 0).unwrap();
        let window = FeedWindow::on(now);
        assert_eq!(window, FeedWindow::on(Utc.with_ymd_and_hms(2026, 3, 10, 0, 0, 0).unwrap()));
        assert_eq!(at(window.from()), Utc.with_ymd_and_hms(2026, 1, 13, 0, 0, 0).unwrap());
        assert!(at(window.to()) >= now + chrono::Duration::days(365));
        assert!(now - at(window.cancelled_since()) < chrono::Duration::days(30));
    }
}
