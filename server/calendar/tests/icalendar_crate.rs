//! Every output shape read back by an independent Rust parser (the `icalendar` crate's).

mod common;

use std::collections::BTreeSet;

use common::rust_parser::{param, raw_calendar, read_events, unfolded, values};
use common::*;
use toile_calendar::{render_feed, render_single_event};

/// The events a file should contain, in output order (start, then UID).
fn expected_in_order(events: &[toile_calendar::CalendarEvent]) -> Vec<Expected> {
    let mut expected: Vec<Expected> = events.iter().map(expected).collect();
    expected.sort_by(|a, b| (a.start, &a.uid).cmp(&(b.start, &b.uid)));
    expected
}

#[test]
fn every_shape_reads_back_with_the_same_events() {
    for (name, ics, events) in shapes() {
        assert_well_formed_lines(&ics);
        assert_eq!(read_events(&ics), expected_in_order(&events), "shape {name}");
    }
}

#[test]
fn starts_on_both_sides_of_daylight_saving_changes_are_the_right_instants() {
    // Written out in UTC by hand, independently of the fixtures' Paris conversion.
    let ics = render_feed(&sample_meta(), &sample_events());
    let starts: Vec<(String, String)> =
        read_events(&ics).into_iter().map(|e| (e.uid, e.start.format("%Y-%m-%dT%H:%MZ").to_string())).collect();
    let expect = |uid: &str, start: &str| (uid.to_string(), start.to_string());
    assert_eq!(
        starts,
        vec![
            expect("session-101@toile.test", "2026-03-27T09:00Z"), // 10:00 CET (+1)
            expect("session-102@toile.test", "2026-03-30T07:30Z"), // 09:30 CEST (+2)
            expect("session-103@toile.test", "2026-10-23T12:00Z"), // 14:00 CEST (+2)
            expect("session-105@toile.test", "2026-10-25T00:30Z"), // 02:30 CEST, in UTC
            expect("session-104@toile.test", "2026-10-26T08:00Z"), // 09:00 CET (+1)
        ]
    );
}

#[test]
fn cancelled_and_updated_sessions_carry_status_and_sequence() {
    let events = read_events(&render_feed(&sample_meta(), &sample_events()));
    let by_uid = |uid: &str| events.iter().find(|e| e.uid == uid).unwrap().clone();
    let cancelled = by_uid("session-104@toile.test");
    assert_eq!((cancelled.status, cancelled.sequence), ("CANCELLED", 1));
    let updated = by_uid("session-103@toile.test");
    assert_eq!((updated.status, updated.sequence), ("CONFIRMED", 2));
    assert_eq!(updated.dtstamp.to_rfc3339(), "2026-09-30T16:45:00+00:00");
}

#[test]
fn every_local_time_refers_to_a_vtimezone_in_the_same_file() {
    for (name, ics, _) in shapes() {
        let text = unfolded(&ics);
        let root = raw_calendar(&text);
        let defined: BTreeSet<&str> =
            root.components.iter().filter(|c| c.name.as_str() == "VTIMEZONE").flat_map(|c| values(c, "TZID")).collect();
        assert_eq!(defined, BTreeSet::from(["Europe/Paris"]), "shape {name}");
        for event in root.components.iter().filter(|c| c.name.as_str() == "VEVENT") {
            for prop in ["DTSTART", "DTEND"] {
                if let Some(tzid) = param(event, prop, "TZID") {
                    assert!(defined.contains(tzid), "shape {name}: {prop} uses {tzid}");
                }
            }
        }
    }
}

#[test]
fn no_property_is_repeated_within_an_event() {
    for (name, ics, _) in shapes() {
        let text = unfolded(&ics);
        for event in raw_calendar(&text).components.iter().filter(|c| c.name.as_str() == "VEVENT") {
            let mut seen = BTreeSet::new();
            for p in &event.properties {
                assert!(seen.insert(p.name.as_str()), "shape {name}: {} twice", p.name.as_str());
            }
        }
    }
}

#[test]
fn feed_names_itself_and_tells_clients_how_often_to_refresh() {
    let ics = render_feed(&sample_meta(), &sample_events());
    let text = unfolded(&ics);
    let root = raw_calendar(&text);
    let name = "Programme du groupe — Île-de-France; CIP, coordinateurs";
    // This parser predates RFC 7986 and does not know NAME is TEXT, so it keeps the escapes.
    assert_eq!(values(&root, "NAME"), [r"Programme du groupe — Île-de-France\; CIP\, coordinateurs"]);
    assert_eq!(values(&root, "X-WR-CALNAME"), [name]);
    assert_eq!(values(&root, "X-WR-TIMEZONE"), ["Europe/Paris"]);
    assert_eq!(values(&root, "REFRESH-INTERVAL"), ["PT1H"]);
    assert_eq!(param(&root, "REFRESH-INTERVAL", "VALUE"), Some("DURATION"));
    assert_eq!(values(&root, "X-PUBLISHED-TTL"), ["PT1H"]);
    assert_eq!(values(&root, "VERSION"), ["2.0"]);
    assert!(values(&root, "METHOD").is_empty(), "feeds carry no METHOD by default");
}

#[test]
fn single_event_is_a_publish_with_organizer_and_no_calendar_name() {
    let ics = render_single_event(&sample_events()[0]);
    let text = unfolded(&ics);
    let root = raw_calendar(&text);
    assert_eq!(values(&root, "METHOD"), ["PUBLISH"]);
    for absent in ["X-WR-CALNAME", "NAME", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"] {
        assert!(values(&root, absent).is_empty(), "{absent} must not be set");
    }
    let events: Vec<_> = root.components.iter().filter(|c| c.name.as_str() == "VEVENT").collect();
    assert_eq!(events.len(), 1);
    assert_eq!(values(events[0], "ORGANIZER"), ["mailto:lea.martin@jardins.example"]);
    assert_eq!(
        param(events[0], "ORGANIZER", "CN"),
        Some("Léa Martin (ACI 'Les Jardins')"),
        "double quotes in a name become single quotes"
    );
}

#[test]
fn end_is_omitted_when_not_after_start() {
    let mut event = sample_events()[0].clone();
    event.ends_at = event.starts_at;
    let read = read_events(&render_single_event(&event));
    assert_eq!(read[0].end, None);
    assert_eq!(read[0].start, event.starts_at);
}
