//! Byte-exact output: golden files, and unchanged data giving unchanged bytes (hence ETags).
//!
//! To accept a deliberate change of output: `UPDATE_GOLDEN=1 cargo test -p toile-calendar
//! --test golden`, then review the diff of `tests/golden/`.

mod common;

use std::path::PathBuf;

use common::*;
use toile_calendar::{etag, render_feed, render_single_event};

fn check_golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_GOLDEN=1 to create it", path.display()));
    if expected != actual {
        let first_diff = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  actual: {:?}\n\
             (UPDATE_GOLDEN=1 rewrites it if the change is intended)",
            first_diff + 1,
            expected.lines().nth(first_diff),
            actual.lines().nth(first_diff),
        );
    }
}

#[test]
fn feed_matches_golden_file() {
    check_golden("feed.ics", &render_feed(&sample_meta(), &sample_events()));
}

#[test]
fn single_event_matches_golden_file() {
    check_golden("single-event.ics", &render_single_event(&sample_events()[2]));
}

#[test]
fn unchanged_data_renders_byte_identical_output_and_etag() {
    let first = render_feed(&sample_meta(), &sample_events());
    let second = render_feed(&sample_meta(), &sample_events());
    assert_eq!(first, second);
    assert_eq!(etag(first.as_bytes()), etag(second.as_bytes()));
}

#[test]
fn output_does_not_depend_on_the_order_events_are_given_in() {
    let events = sample_events();
    let mut reversed = events.clone();
    reversed.reverse();
    assert_eq!(render_feed(&sample_meta(), &events), render_feed(&sample_meta(), &reversed));
}

#[test]
fn any_change_to_an_event_changes_the_etag() {
    let events = sample_events();
    let original = etag(render_feed(&sample_meta(), &events).as_bytes());
    let mut moved = events.clone();
    moved[1].sequence += 1;
    moved[1].starts_at += chrono::Duration::minutes(30);
    moved[1].last_modified += chrono::Duration::minutes(1);
    assert_ne!(original, etag(render_feed(&sample_meta(), &moved).as_bytes()));
    let mut renamed = events;
    renamed[0].summary.push('!');
    assert_ne!(original, etag(render_feed(&sample_meta(), &renamed).as_bytes()));
}
