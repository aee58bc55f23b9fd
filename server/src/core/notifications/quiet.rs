//! Quiet hours: no SMS at night in Paris. A message due then waits until the morning; the
//! hours are read on the wall clock, so they hold across the changes of summer time.

use crate::core::paris;
use chrono::{DateTime, Duration, Timelike, Utc};
use chrono_tz::Europe::Paris;

/// From `start` to `end` o'clock, Paris time (20:00 to 08:00 by default; `TOILE_QUIET_HOURS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuietHours {
    pub start: u32,
    pub end: u32,
}

impl Default for QuietHours {
    fn default() -> Self {
        QuietHours { start: 20, end: 8 }
    }
}

impl QuietHours {
    /// Reads "20-8"; `None` for anything else.
    pub fn parse(text: &str) -> Option<QuietHours> {
        let (start, end) = text.trim().split_once('-')?;
        let (start, end) = (start.trim().parse().ok()?, end.trim().parse().ok()?);
        (start < 24 && end < 24 && start != end).then_some(QuietHours { start, end })
    }

    fn is_quiet(self, hour: u32) -> bool {
        if self.start > self.end {
            hour >= self.start || hour < self.end
        } else {
            hour >= self.start && hour < self.end
        }
    }

    /// When an SMS due at `due` may go: then, or at the end of the quiet hours it falls in.
    pub fn next_allowed(self, due: DateTime<Utc>) -> DateTime<Utc> {
        let local = due.with_timezone(&Paris);
        if !self.is_quiet(local.hour()) {
            return due;
        }
        let day = if local.hour() >= self.end { local.date_naive() + Duration::days(1) } else { local.date_naive() };
        paris::hour_on(day, self.end).unwrap_or(due)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::paris::wall as paris;
    use chrono::TimeZone;

    #[test]
    fn an_sms_due_at_night_waits_until_eight_in_paris() {
        let quiet = QuietHours::default();
        assert_eq!(quiet.next_allowed(paris(2026, 3, 3, 14, 0)), paris(2026, 3, 3, 14, 0), "daytime: at once");
        assert_eq!(quiet.next_allowed(paris(2026, 3, 3, 21, 30)), paris(2026, 3, 4, 8, 0));
        assert_eq!(quiet.next_allowed(paris(2026, 3, 4, 6, 59)), paris(2026, 3, 4, 8, 0));
        assert_eq!(quiet.next_allowed(paris(2026, 3, 4, 8, 0)), paris(2026, 3, 4, 8, 0));
    }

    #[test]
    fn quiet_hours_hold_across_the_summer_time_change() {
        let quiet = QuietHours::default();
        // The night of 28 to 29 March 2026 loses an hour: 8:00 is 06:00 UTC, not 07:00.
        let morning = quiet.next_allowed(paris(2026, 3, 28, 23, 0));
        assert_eq!(morning, Utc.with_ymd_and_hms(2026, 3, 29, 6, 0, 0).unwrap());
        let morning = quiet.next_allowed(paris(2026, 10, 24, 22, 0));
        assert_eq!(morning, Utc.with_ymd_and_hms(2026, 10, 25, 7, 0, 0).unwrap());
    }

    #[test]
    fn quiet_hours_are_read_as_start_and_end() {
        assert_eq!(QuietHours::parse("21-7"), Some(QuietHours { start: 21, end: 7 }));
        assert_eq!(QuietHours::parse("8-8"), None);
        assert_eq!(QuietHours::parse("25-7"), None);
        assert_eq!(QuietHours::parse("nuit"), None);
    }
}
