//! The Europe/Paris VTIMEZONE we ship, evaluated as a calendar client would, must agree with
//! chrono-tz (IANA tzdata) on every transition from 2020 to 2045.

mod common;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Paris;
use common::rust_parser::{raw_calendar, unfolded, values};
use toile_calendar::paris_vtimezone;

/// One STANDARD or DAYLIGHT rule of the VTIMEZONE.
#[derive(Debug)]
struct Rule {
    kind: String,
    tzname: String,
    from: i32, // seconds east of UTC before the change
    to: i32,
    month: u32,
    local_time: NaiveTime,
    first_year: i32,
}

fn parse_offset(text: &str) -> i32 {
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let hours: i32 = text[1..3].parse().unwrap();
    let minutes: i32 = text[3..5].parse().unwrap();
    sign * (hours * 3600 + minutes * 60)
}

/// Reads the rules back with the `icalendar` crate's parser; only the RRULE shape we use
/// (yearly, one month, last Sunday) is accepted, anything else fails the test.
fn rules() -> Vec<Rule> {
    let ics = format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n{}END:VCALENDAR\r\n", paris_vtimezone());
    let text = unfolded(&ics);
    let root = raw_calendar(&text);
    assert_eq!(root.components.len(), 1);
    let vtimezone = &root.components[0];
    assert_eq!(values(vtimezone, "TZID"), ["Europe/Paris"]);
    vtimezone
        .components
        .iter()
        .map(|c| {
            let rrule = values(c, "RRULE")[0];
            let parts: Vec<(&str, &str)> = rrule.split(';').map(|p| p.split_once('=').unwrap()).collect();
            let get = |k: &str| parts.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
            assert_eq!(parts.len(), 3, "unexpected RRULE {rrule}");
            assert_eq!(get("FREQ"), Some("YEARLY"));
            assert_eq!(get("BYDAY"), Some("-1SU"));
            let start = NaiveDateTime::parse_from_str(values(c, "DTSTART")[0], "%Y%m%dT%H%M%S").unwrap();
            let month: u32 = get("BYMONTH").unwrap().parse().unwrap();
            assert_eq!(start.month(), month);
            assert_eq!(start.date(), last_sunday(start.year(), month), "DTSTART is the first onset");
            Rule {
                kind: c.name.as_str().to_owned(),
                tzname: values(c, "TZNAME")[0].to_owned(),
                from: parse_offset(values(c, "TZOFFSETFROM")[0]),
                to: parse_offset(values(c, "TZOFFSETTO")[0]),
                month,
                local_time: start.time(),
                first_year: start.year(),
            }
        })
        .collect()
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let next_month =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) }
            .unwrap();
    let mut day = next_month.pred_opt().unwrap();
    while day.weekday() != Weekday::Sun {
        day = day.pred_opt().unwrap();
    }
    day
}

fn offset_at(t: DateTime<Utc>) -> i32 {
    t.with_timezone(&Paris).offset().fix().local_minus_utc()
}

/// chrono-tz's transitions in `year`: (instant, offset before, offset after, abbreviation after).
fn tzdata_transitions(year: i32) -> Vec<(DateTime<Utc>, i32, i32, String)> {
    let mut found = Vec::new();
    let mut t = Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0).unwrap();
    let end = Utc.with_ymd_and_hms(year + 1, 1, 1, 0, 0, 0).unwrap();
    while t < end {
        let next = t + Duration::hours(1);
        if offset_at(t) != offset_at(next) {
            // Narrow down to the first second of the new offset.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if offset_at(mid) == offset_at(lo) { lo = mid } else { hi = mid }
            }
            let abbreviation = hi.with_timezone(&Paris).format("%Z").to_string();
            found.push((hi, offset_at(lo), offset_at(hi), abbreviation));
        }
        t = next;
    }
    found
}

#[test]
fn vtimezone_matches_tzdata_transitions_2020_to_2045() {
    let rules = rules();
    assert_eq!(rules.len(), 2);
    for year in 2020..=2045 {
        let mut from_rules: Vec<(DateTime<Utc>, i32, i32, String)> = rules
            .iter()
            .filter(|r| year >= r.first_year)
            .map(|r| {
                // The onset is a local time in the offset in force before it (RFC 5545 §3.6.5).
                let local = last_sunday(year, r.month).and_time(r.local_time);
                let instant = local.and_utc() - Duration::seconds(r.from.into());
                (instant, r.from, r.to, r.tzname.clone())
            })
            .collect();
        from_rules.sort();
        assert_eq!(from_rules, tzdata_transitions(year), "year {year}");
    }
}

#[test]
fn vtimezone_has_one_daylight_and_one_standard_rule() {
    let kinds: Vec<String> = rules().into_iter().map(|r| r.kind).collect();
    assert_eq!(kinds, ["DAYLIGHT", "STANDARD"]);
}
