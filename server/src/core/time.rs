//! Instants are stored as Unix seconds.

use chrono::{DateTime, Utc};

pub fn to_ts(at: DateTime<Utc>) -> i64 {
    at.timestamp()
}

pub fn from_ts(ts: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(ts, 0).unwrap_or_default()
}

pub fn opt_from_ts(ts: Option<i64>) -> Option<DateTime<Utc>> {
    ts.map(from_ts)
}

pub fn now() -> DateTime<Utc> {
    // Whole seconds, as stored, so values read back compare equal to values written.
    from_ts(Utc::now().timestamp())
}

/// The time as people in the group read it, with its offset (RFC 3339 in the API).
pub fn paris(at: DateTime<Utc>) -> DateTime<chrono::FixedOffset> {
    at.with_timezone(&chrono_tz::Europe::Paris).fixed_offset()
}

/// The same wall-clock time `weeks` later in Paris, so a weekly 9:00 stays at 9:00 across a
/// daylight-saving change.
pub fn same_paris_time_weeks_later(at: DateTime<Utc>, weeks: i64) -> DateTime<Utc> {
    use chrono::TimeZone;
    let local = at.with_timezone(&chrono_tz::Europe::Paris).naive_local() + chrono::Duration::weeks(weeks);
    chrono_tz::Europe::Paris
        .from_local_datetime(&local)
        .earliest()
        // A wall time skipped by the spring change does not exist: keep the UTC step instead.
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(at + chrono::Duration::weeks(weeks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_weekly_series_keeps_its_paris_time_across_the_clock_change() {
        // Tuesday 24 March 2026, 9:00 in Paris (UTC+1); a week later Paris is UTC+2.
        let first = Utc.with_ymd_and_hms(2026, 3, 24, 8, 0, 0).unwrap();
        let next = same_paris_time_weeks_later(first, 1);
        assert_eq!(next, Utc.with_ymd_and_hms(2026, 3, 31, 7, 0, 0).unwrap());
        assert_eq!(paris(next).format("%H:%M").to_string(), "09:00");
    }
}
