//! Europe/Paris: the VTIMEZONE we ship and how instants are written against it.

use chrono::{DateTime, Datelike, LocalResult, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Europe::Paris;

/// The TZID every local time refers to (all Toile sessions are scheduled in Europe/Paris).
pub const PARIS_TZID: &str = "Europe/Paris";

/// Europe/Paris as an RRULE-based VTIMEZONE: summer time from the last Sunday of March at 02:00
/// to the last Sunday of October at 03:00 local time (EU rule since 1996).
///
/// This two-rule shape, with no end date, is what Google and Outlook themselves publish and
/// read best; a list of explicit transitions is larger and some clients only look at the first
/// STANDARD/DAYLIGHT pair. `tests/vtimezone.rs` checks it against chrono-tz's transitions for
/// 2020–2045 (so a tzdata change — e.g. the EU dropping clock changes — fails the build), and
/// ical.js evaluates it against Node's ICU time zone data.
const PARIS_VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Europe/Paris\r\n\
X-LIC-LOCATION:Europe/Paris\r\n\
BEGIN:DAYLIGHT\r\n\
TZNAME:CEST\r\n\
TZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\n\
DTSTART:19700329T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\n\
BEGIN:STANDARD\r\n\
TZNAME:CET\r\n\
TZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0100\r\n\
DTSTART:19701025T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

/// The Europe/Paris VTIMEZONE component, CRLF-terminated, as embedded in every output.
pub fn paris_vtimezone() -> &'static str {
    PARIS_VTIMEZONE
}

/// Appends `NAME;TZID=Europe/Paris:YYYYMMDDTHHMMSS` (Paris wall-clock time), or
/// `NAME:YYYYMMDDTHHMMSSZ` when that wall-clock time is ambiguous: the hour repeated when
/// clocks go back. RFC 5545 §3.3.5 reads an ambiguous time as its first occurrence, but
/// ical.js (Thunderbird) reads the second, so only UTC means the same thing to every client.
pub(crate) fn push_paris_date_time(out: &mut String, name: &str, instant: &DateTime<Utc>) {
    let local = instant.with_timezone(&Paris).naive_local();
    if let LocalResult::Single(_) = Paris.from_local_datetime(&local) {
        out.push_str(name);
        out.push_str(";TZID=");
        out.push_str(PARIS_TZID);
        out.push(':');
        push_naive(out, &local);
    } else {
        push_utc_property(out, name, instant);
    }
}

/// Appends `NAME:YYYYMMDDTHHMMSSZ`.
pub(crate) fn push_utc_property(out: &mut String, name: &str, instant: &DateTime<Utc>) {
    out.push_str(name);
    out.push(':');
    push_naive(out, &instant.naive_utc());
    out.push('Z');
}

/// `YYYYMMDDTHHMMSS`, seconds truncated: written by hand because it runs four times per event.
fn push_naive(out: &mut String, dt: &NaiveDateTime) {
    let year = dt.year().clamp(0, 9999) as u32;
    push_digits(out, year, 4);
    push_digits(out, dt.month(), 2);
    push_digits(out, dt.day(), 2);
    out.push('T');
    push_digits(out, dt.hour(), 2);
    push_digits(out, dt.minute(), 2);
    push_digits(out, dt.second(), 2);
}

fn push_digits(out: &mut String, value: u32, width: u32) {
    let mut divisor = 10u32.pow(width - 1);
    while divisor > 0 {
        out.push(char::from(b'0' + ((value / divisor) % 10) as u8));
        divisor /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(instant: DateTime<Utc>) -> String {
        let mut out = String::new();
        push_paris_date_time(&mut out, "DTSTART", &instant);
        out
    }

    #[test]
    fn winter_and_summer_instants_are_written_in_paris_wall_clock_time() {
        let winter = Utc.with_ymd_and_hms(2026, 1, 15, 8, 30, 0).unwrap();
        let summer = Utc.with_ymd_and_hms(2026, 7, 15, 8, 30, 0).unwrap();
        assert_eq!(written(winter), "DTSTART;TZID=Europe/Paris:20260115T093000");
        assert_eq!(written(summer), "DTSTART;TZID=Europe/Paris:20260715T103000");
    }

    #[test]
    fn both_passes_through_the_repeated_hour_are_written_in_utc() {
        // 2026-10-25 00:30 UTC = 02:30 CEST and 01:30 UTC = 02:30 CET: the same wall-clock time.
        let first = Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap();
        let second = Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap();
        assert_eq!(written(first), "DTSTART:20261025T003000Z");
        assert_eq!(written(second), "DTSTART:20261025T013000Z");
    }

    #[test]
    fn times_next_to_the_repeated_hour_stay_local() {
        let before = Utc.with_ymd_and_hms(2026, 10, 24, 23, 59, 0).unwrap(); // 01:59 CEST
        let after = Utc.with_ymd_and_hms(2026, 10, 25, 2, 0, 0).unwrap(); // 03:00 CET
        assert_eq!(written(before), "DTSTART;TZID=Europe/Paris:20261025T015900");
        assert_eq!(written(after), "DTSTART;TZID=Europe/Paris:20261025T030000");
    }

    #[test]
    fn sub_second_precision_is_truncated() {
        let t = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap() + chrono::Duration::milliseconds(999);
        let mut out = String::new();
        push_utc_property(&mut out, "DTSTAMP", &t);
        assert_eq!(out, "DTSTAMP:20260102T030405Z");
    }
}
