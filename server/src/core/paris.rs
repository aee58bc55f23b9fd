//! The group's wall clock. Every day, hour and month a rule speaks of ("the day before at
//! 10:00", "from the 1st of March") is Paris's, in summer and in winter, whatever the server's
//! own time zone.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Paris;

/// The day `at` falls on in Paris.
pub fn day_of(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Paris).date_naive()
}

/// `hour` o'clock on `day` in Paris: the earliest of an ambiguous time; a time skipped by the
/// clock change does not exist at 8:00 or 10:00, but were an hour set so, an hour later does.
pub fn hour_on(day: NaiveDate, hour: u32) -> Option<DateTime<Utc>> {
    let at = day.and_time(NaiveTime::from_hms_opt(hour, 0, 0)?);
    Paris
        .from_local_datetime(&at)
        .earliest()
        .or_else(|| Paris.from_local_datetime(&(at + Duration::hours(1))).earliest())
        .map(|at| at.with_timezone(&Utc))
}

/// The first instant of `day` in Paris (the clocks never change at midnight there).
pub fn midnight(day: NaiveDate) -> DateTime<Utc> {
    hour_on(day, 0).unwrap_or_else(|| day.and_time(NaiveTime::MIN).and_utc())
}

/// `h:min` on a Paris wall clock, for tests.
#[cfg(test)]
pub fn wall(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Paris.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn midnight_in_paris_is_the_evening_before_in_utc_in_winter_and_summer() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(midnight(day(1, 15)), Utc.with_ymd_and_hms(2026, 1, 14, 23, 0, 0).unwrap());
        assert_eq!(midnight(day(7, 15)), Utc.with_ymd_and_hms(2026, 7, 14, 22, 0, 0).unwrap());
        assert_eq!(day_of(midnight(day(3, 29))), day(3, 29), "the night the clocks go forward");
    }

    #[test]
    fn an_hour_skipped_by_the_clock_change_is_taken_an_hour_later() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        assert_eq!(hour_on(day, 2), Some(wall(2026, 3, 29, 3, 0)));
    }
}
