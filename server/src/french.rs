//! Dates and times as French speakers read them, in Europe/Paris.

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Europe::Paris;

const DAYS: [&str; 7] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];
const SHORT_DAYS: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];
const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// "mardi 3 mars"
pub fn date(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Paris);
    let day = DAYS[local.weekday().num_days_from_monday() as usize];
    let first = if local.day() == 1 { "1er".to_string() } else { local.day().to_string() };
    format!("{day} {first} {}", MONTHS[local.month0() as usize])
}

/// "mardi 3 mars 2026"
pub fn date_with_year(at: DateTime<Utc>) -> String {
    format!("{} {}", date(at), at.with_timezone(&Paris).year())
}

/// "9 h 00", with non-breaking spaces so a time never wraps on a narrow phone.
pub fn time(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Paris);
    format!("{}\u{a0}h\u{a0}{:02}", local.hour(), local.minute())
}

/// "9 h 00 – 11 h 00"
pub fn time_range(starts: DateTime<Utc>, ends: DateTime<Utc>) -> String {
    format!("{} – {}", time(starts), time(ends))
}

/// "mar. 3 mars"
pub fn short_date(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Paris);
    let day = SHORT_DAYS[local.weekday().num_days_from_monday() as usize];
    format!("{day} {} {}", local.day(), MONTHS[local.month0() as usize])
}

/// "mar. 3 mars, 9 h 00"
pub fn short_date_time(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Paris);
    let day = SHORT_DAYS[local.weekday().num_days_from_monday() as usize];
    format!("{day} {} {}, {}", local.day(), MONTHS[local.month0() as usize], time(at))
}

/// "lundi 2 mars 2026 à 9 h 00"
pub fn date_and_time(at: DateTime<Utc>) -> String {
    format!("{} à {}", date_with_year(at), time(at))
}

/// "décembre 2026"
pub fn month_and_year(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Paris);
    format!("{} {}", MONTHS[local.month0() as usize], local.year())
}

/// The Monday that starts the week of `at` in Paris, at the same time of day.
pub fn monday_of(at: DateTime<Utc>) -> DateTime<Utc> {
    let local = at.with_timezone(&Paris);
    at - chrono::Duration::days(i64::from(local.weekday().num_days_from_monday()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_read_in_french_and_in_paris_time() {
        let at = Utc.with_ymd_and_hms(2026, 3, 31, 7, 0, 0).unwrap(); // 9:00 in Paris (summer)
        assert_eq!(date(at), "mardi 31 mars");
        assert_eq!(time(at), "9\u{a0}h\u{a0}00");
        let winter = Utc.with_ymd_and_hms(2026, 12, 1, 13, 30, 0).unwrap();
        assert_eq!(date(winter), "mardi 1er décembre");
        let new_year_in_paris = Utc.with_ymd_and_hms(2026, 12, 31, 23, 30, 0).unwrap();
        assert_eq!(date_with_year(new_year_in_paris), "vendredi 1er janvier 2027");
        assert_eq!(short_date_time(winter), "mar. 1 décembre, 14\u{a0}h\u{a0}30");
    }
}
