//! Property test: whatever users type, the output stays well-formed and an independent parser
//! reads back the same events with the same text, minus control characters.
//! (The same hostile events also go through ical.js in `icaljs.rs`.)

mod common;

use common::rust_parser::{raw_calendar, read_events, unfolded, values};
use common::*;
use proptest::prelude::*;
use toile_calendar::{CalendarEvent, FeedMeta, render_feed, render_single_event};

fn events_strategy() -> impl Strategy<Value = Vec<CalendarEvent>> {
    (1usize..6).prop_flat_map(|n| (0..n).map(hostile_event).collect::<Vec<_>>())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn hostile_feed_round_trips_through_an_independent_parser(
        name in hostile_text(),
        events in events_strategy(),
    ) {
        let ics = render_feed(&FeedMeta::new(name.clone()), &events);
        assert_well_formed_lines(&ics);

        let mut want: Vec<Expected> = events.iter().map(expected).collect();
        want.sort_by(|a, b| (a.start, &a.uid).cmp(&(b.start, &b.uid)));
        prop_assert_eq!(read_events(&ics), want);

        let text = unfolded(&ics);
        let root = raw_calendar(&text);
        let want_name = clean(&name, false);
        prop_assert_eq!(values(&root, "X-WR-CALNAME"), [want_name.as_str()]);
        prop_assert_eq!(
            root.components.iter().filter(|c| c.name.as_str() == "VEVENT").count(),
            events.len()
        );
    }

    #[test]
    fn hostile_single_event_round_trips_through_an_independent_parser(
        event in hostile_event(0),
    ) {
        let ics = render_single_event(&event);
        assert_well_formed_lines(&ics);
        prop_assert_eq!(read_events(&ics), vec![expected(&event)]);
    }
}

#[test]
fn a_line_break_in_a_title_cannot_inject_a_property() {
    let mut event = sample_events()[0].clone();
    event.summary = "Atelier\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil".into();
    event.location = Some("Salle 1\nDTSTART:19700101T000000Z".into());
    let ics = render_single_event(&event);
    assert_well_formed_lines(&ics);
    let read = read_events(&ics);
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].uid, "session-101@toile.test");
    assert_eq!(read[0].summary, "Atelier END:VEVENT BEGIN:VEVENT UID:evil");
    assert_eq!(read[0].location.as_deref(), Some("Salle 1 DTSTART:19700101T000000Z"));
}
