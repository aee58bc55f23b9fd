//! Reading our output back with the `icalendar` crate's parser (nom-based, independent of our
//! serializer), into the same `Expected` shape the fixtures predict.

use std::str::FromStr;

use chrono::{DateTime, TimeZone, Utc};
use icalendar::parser::{Component as RawComponent, read_components, unfold};
use icalendar::{Calendar, CalendarComponent, CalendarDateTime, Component, DatePerhapsTime, EventLike, EventStatus};

use super::Expected;

/// Parses `ics` and returns its events as read, in file order. Panics if it does not parse.
pub fn read_events(ics: &str) -> Vec<Expected> {
    let calendar = Calendar::from_str(ics).unwrap_or_else(|e| panic!("parse error: {e}\n{ics}"));
    calendar
        .components
        .iter()
        .filter_map(CalendarComponent::as_event)
        .map(|e| Expected {
            uid: e.get_uid().expect("UID").to_owned(),
            sequence: e.get_sequence().expect("SEQUENCE"),
            status: match e.get_status().expect("STATUS") {
                EventStatus::Cancelled => "CANCELLED",
                EventStatus::Confirmed => "CONFIRMED",
                EventStatus::Tentative => "TENTATIVE",
            },
            summary: e.get_summary().expect("SUMMARY").to_owned(),
            location: e.get_location().map(str::to_owned),
            description: e.get_description().map(str::to_owned),
            url: e.get_url().map(str::to_owned),
            categories: e.get_categories().unwrap_or_default(),
            start: instant(e.get_start().expect("DTSTART")),
            end: e.get_end().map(instant),
            dtstamp: e.get_timestamp().expect("DTSTAMP"),
            organizer_email: e.property_value("ORGANIZER").map(str::to_owned),
        })
        .collect()
}

/// A DATE-TIME as an instant; an ambiguous local time is its first occurrence (RFC 5545 §3.3.5).
fn instant(value: DatePerhapsTime) -> DateTime<Utc> {
    match value {
        DatePerhapsTime::DateTime(CalendarDateTime::Utc(t)) => t,
        DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid }) => {
            let tz: chrono_tz::Tz = tzid.parse().expect("known TZID");
            tz.from_local_datetime(&date_time).earliest().expect("existing local time").with_timezone(&Utc)
        }
        other => panic!("expected a UTC or TZID date-time, got {other:?}"),
    }
}

/// The raw component tree (every property kept, in order); the root VCALENDAR.
pub fn raw_calendar(unfolded: &str) -> RawComponent<'_> {
    let mut roots = read_components(unfolded).unwrap_or_else(|e| panic!("parse error: {e}"));
    assert_eq!(roots.len(), 1, "exactly one VCALENDAR");
    let root = roots.remove(0);
    assert_eq!(root.name.as_str(), "VCALENDAR");
    root
}

pub fn unfolded(ics: &str) -> String {
    unfold(ics)
}

/// Values of property `name` in `component`, in order.
pub fn values<'a>(component: &'a RawComponent<'_>, name: &str) -> Vec<&'a str> {
    component.properties.iter().filter(|p| p.name.as_str() == name).map(|p| p.val.as_str()).collect()
}

/// The value of parameter `param` on the first property `name` of `component`.
pub fn param<'a>(component: &'a RawComponent<'_>, name: &str, param: &str) -> Option<&'a str> {
    let property = component.properties.iter().find(|p| p.name.as_str() == name)?;
    property.params.iter().find(|p| p.key.as_str() == param).and_then(|p| p.val.as_ref()).map(|v| v.as_str())
}
