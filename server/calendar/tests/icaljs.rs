//! Every output shape, and hundreds of hostile events, read back by Mozilla's ical.js — the
//! parser inside Thunderbird — through `tests/js/check.mjs`.
//!
//! Needs Node ≥ 20 and `npm ci --prefix server/calendar/tests/js` (run from the workspace root).
//! Without them these tests fail: they never skip, so a CI without Node cannot look green.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use common::*;
use serde_json::Value;
use toile_calendar::{CalendarEvent, FeedMeta, render_feed, render_single_event};

fn js_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js")
}

/// Writes each `(name, ics)` to a temporary directory, runs `node check.mjs` on all of them at
/// once, and returns its report per file, in the same order.
fn run_icaljs(batch: &str, files: &[(String, String)]) -> Vec<Value> {
    let js = js_dir();
    assert!(
        js.join("node_modules/ical.js/package.json").is_file(),
        "ical.js is not installed in {}: run `npm ci --prefix server/calendar/tests/js` \
         from the workspace root (needs Node 20+ and the npm registry)",
        js.display()
    );
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("icaljs-{batch}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|(name, ics)| {
            let path = dir.join(format!("{name}.ics"));
            std::fs::write(&path, ics).unwrap();
            path
        })
        .collect();
    let output = Command::new("node")
        .arg(js.join("check.mjs"))
        .args(&paths)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `node` (Node 20+ must be on PATH): {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "ical.js failed on batch {batch} ({}):\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let reports: Vec<Value> = serde_json::from_str(&stdout).expect("check.mjs prints JSON");
    assert_eq!(reports.len(), files.len());
    std::fs::remove_dir_all(&dir).ok();
    reports
}

fn opt_str(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

/// An event as ical.js read it, in the fixtures' `Expected` shape. Also checks that each
/// date-time is either UTC or Europe/Paris resolved from the file's own VTIMEZONE, and in the
/// latter case that ical.js's wall-clock time is what ICU gives for the same instant.
fn read_event(e: &Value) -> Expected {
    let instant = |t: &Value| -> DateTime<Utc> {
        let zone = t["zone"].as_str().unwrap();
        match zone {
            "UTC" => {}
            "Europe/Paris" => {
                assert_eq!(t["zoneFromFile"], Value::Bool(true), "{t}");
                assert_eq!(t["local"], t["parisLocalIcu"], "ical.js and ICU disagree: {t}");
            }
            other => panic!("date-time read in zone {other:?} (floating?): {t}"),
        }
        t["utc"].as_str().unwrap().parse().unwrap()
    };
    Expected {
        uid: e["uid"].as_str().unwrap().to_owned(),
        sequence: e["sequence"].as_u64().unwrap() as u32,
        status: match e["status"].as_str() {
            Some("CANCELLED") => "CANCELLED",
            Some("CONFIRMED") => "CONFIRMED",
            other => panic!("unexpected STATUS {other:?}"),
        },
        summary: e["summary"].as_str().unwrap().to_owned(),
        location: opt_str(&e["location"]),
        description: opt_str(&e["description"]),
        url: opt_str(&e["url"]),
        categories: e["categories"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect(),
        start: instant(&e["start"]),
        end: (!e["end"].is_null()).then(|| instant(&e["end"])),
        dtstamp: e["dtstamp"].as_str().unwrap().parse().unwrap(),
        organizer_email: opt_str(&e["organizer"]),
    }
}

fn expected_in_order(events: &[CalendarEvent]) -> Vec<Expected> {
    let mut expected: Vec<Expected> = events.iter().map(expected).collect();
    expected.sort_by(|a, b| (a.start, &a.uid).cmp(&(b.start, &b.uid)));
    expected
}

/// ical.js keeps the escapes of NAME and X-WR-CALNAME (properties it has no type for).
fn escaped(text: &str) -> String {
    text.replace('\\', r"\\").replace(';', r"\;").replace(',', r"\,")
}

fn assert_vtimezone_agrees_with_icu(report: &Value) {
    let zones = report["timezones"].as_array().unwrap();
    assert_eq!(zones.len(), 1, "{report}");
    assert_eq!(zones[0]["tzid"], "Europe/Paris");
    assert!(zones[0]["checked"].as_u64().unwrap() > 28_000);
    assert_eq!(zones[0]["mismatches"], Value::Array(vec![]), "VTIMEZONE vs ICU");
}

/// The shapes' reports, computed once for all the tests below.
fn shape_reports() -> &'static [(&'static str, Vec<CalendarEvent>, Value)] {
    static REPORTS: OnceLock<Vec<(&'static str, Vec<CalendarEvent>, Value)>> = OnceLock::new();
    REPORTS.get_or_init(|| {
        let shapes = shapes();
        let files: Vec<(String, String)> =
            shapes.iter().map(|(name, ics, _)| (name.to_string(), ics.clone())).collect();
        let reports = run_icaljs("shapes", &files);
        shapes.into_iter().zip(reports).map(|((name, _, events), report)| (name, events, report)).collect()
    })
}

fn shape(name: &str) -> &'static Value {
    &shape_reports().iter().find(|(n, _, _)| *n == name).unwrap().2
}

fn shape_event(shape_name: &str, uid: &str) -> &'static Value {
    shape(shape_name)["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["uid"] == uid)
        .unwrap_or_else(|| panic!("{uid} missing from {shape_name}"))
}

#[test]
fn every_shape_reads_back_in_icaljs_with_the_same_events() {
    for (name, events, report) in shape_reports() {
        let read: Vec<Expected> = report["events"].as_array().unwrap().iter().map(read_event).collect();
        assert_eq!(read, expected_in_order(events), "shape {name}");
        assert_vtimezone_agrees_with_icu(report);
    }
}

#[test]
fn icaljs_reads_starts_across_daylight_saving_changes_as_paris_wall_clock_times() {
    // (uid, Paris wall-clock time ical.js must show, instant), written out by hand.
    let cases = [
        ("session-101@toile.test", "2026-03-27T10:00:00", "2026-03-27T09:00:00.000Z"), // CET
        ("session-102@toile.test", "2026-03-30T09:30:00", "2026-03-30T07:30:00.000Z"), // CEST
        ("session-103@toile.test", "2026-10-23T14:00:00", "2026-10-23T12:00:00.000Z"), // CEST
        ("session-104@toile.test", "2026-10-26T09:00:00", "2026-10-26T08:00:00.000Z"), // CET
    ];
    for (uid, local, utc) in cases {
        let start = &shape_event("feed", uid)["start"];
        assert_eq!(start["zone"], "Europe/Paris", "{uid}");
        assert_eq!(start["local"], local, "{uid}");
        assert_eq!(start["utc"], utc, "{uid}");
    }
    // In the repeated hour, both ends are written in UTC and read as the exact instants.
    let night = shape_event("feed", "session-105@toile.test");
    assert_eq!(night["start"]["utc"], "2026-10-25T00:30:00.000Z");
    assert_eq!(night["start"]["parisLocalIcu"], "2026-10-25T02:30:00");
    assert_eq!(night["end"]["utc"], "2026-10-25T01:30:00.000Z");
}

#[test]
fn icaljs_sees_cancelled_and_updated_sessions() {
    let cancelled = shape_event("feed", "session-104@toile.test");
    assert_eq!((&cancelled["status"], &cancelled["sequence"]), (&"CANCELLED".into(), &1.into()));
    let updated = shape_event("feed", "session-103@toile.test");
    assert_eq!((&updated["status"], &updated["sequence"]), (&"CONFIRMED".into(), &2.into()));
    let single = shape_event("single-event-cancelled", "session-104@toile.test");
    assert_eq!(single["status"], "CANCELLED");
}

#[test]
fn icaljs_reads_feed_and_single_event_headers() {
    let feed = shape("feed");
    assert_eq!(feed["method"], Value::Null);
    let name = "Programme du groupe — Île-de-France; CIP, coordinateurs";
    assert_eq!(feed["xWrCalname"], escaped(name));
    assert_eq!(feed["name"], escaped(name));
    assert_eq!(feed["refreshInterval"], "PT1H");
    assert_eq!(feed["publishedTtl"], "PT1H");

    let empty = shape("feed-empty-publish");
    assert_eq!(empty["method"], "PUBLISH");
    assert_eq!(empty["refreshInterval"], "PT15M");
    assert_eq!(empty["events"], Value::Array(vec![]));

    let single = shape("single-event");
    assert_eq!(single["method"], "PUBLISH");
    assert_eq!(single["xWrCalname"], Value::Null);
    assert_eq!(single["name"], Value::Null);
    let event = &single["events"][0];
    assert_eq!(event["organizer"], "mailto:lea.martin@jardins.example");
    assert_eq!(event["organizerCn"], "Léa Martin (ACI 'Les Jardins')");
}

#[test]
fn hostile_events_read_back_in_icaljs_minus_control_characters() {
    let events = hostile_events(300);
    let names = hostile_events(20); // reuse hostile summaries as feed names
    let mut files = vec![("feed-300".to_string(), render_feed(&FeedMeta::new("Hostile"), &events))];
    for (i, event) in events.iter().take(40).enumerate() {
        files.push((format!("single-{i}"), render_single_event(event)));
    }
    for (i, named) in names.iter().enumerate() {
        files.push((format!("named-{i}"), render_feed(&FeedMeta::new(named.summary.clone()), &[])));
    }
    for (_, ics) in &files {
        assert_well_formed_lines(ics);
    }
    let reports = run_icaljs("hostile", &files);

    let read =
        |report: &Value| -> Vec<Expected> { report["events"].as_array().unwrap().iter().map(read_event).collect() };
    assert_same_events(&read(&reports[0]), &expected_in_order(&events), "300-event feed");
    for (i, event) in events.iter().take(40).enumerate() {
        let report = &reports[1 + i];
        assert_same_events(&read(report), &[expected(event)], &format!("single event {i}"));
        let cn = report["events"][0]["organizerCn"].as_str();
        let name = &event.organizer.as_ref().unwrap().name;
        let want = clean(name, false).replace('"', "'").replace('\\', "/");
        if want.chars().any(|c| !c.is_whitespace()) {
            assert_eq!(cn, Some(want.as_str()), "CN of single event {i}");
        } else {
            assert_eq!(cn, None, "blank CN of single event {i} is omitted");
        }
    }
    for (i, named) in names.iter().enumerate() {
        let report = &reports[41 + i];
        assert_eq!(report["xWrCalname"], escaped(&clean(&named.summary, false)), "name {i}");
    }
}
