//! The 304 path: a cheap key for the inputs, and the cache of rendered bodies with ETags.

mod common;

use std::sync::Arc;

use common::*;
use toile_calendar::{Fingerprint, RenderCache, RenderedCalendar, etag, render_feed, render_single_event};

#[test]
fn cached_feed_is_what_render_feed_gives_with_its_etag() {
    let cache = RenderCache::new(8);
    let rendered = cache.feed(&sample_meta(), &sample_events());
    let body = render_feed(&sample_meta(), &sample_events());
    assert_eq!(rendered.etag, etag(body.as_bytes()));
    assert_eq!(rendered.body, body);
    let single = cache.single_event(&sample_events()[0]);
    assert_eq!(single.body, render_single_event(&sample_events()[0]));
}

#[test]
fn unchanged_inputs_are_served_from_the_cache() {
    let cache = RenderCache::new(8);
    let first = cache.feed(&sample_meta(), &sample_events());
    let second = cache.feed(&sample_meta(), &sample_events());
    assert!(Arc::ptr_eq(&first, &second), "second request must not re-render");
    assert_eq!(cache.len(), 1);
}

#[test]
fn fingerprint_ignores_the_order_events_come_in() {
    let events = sample_events();
    let mut reversed = events.clone();
    reversed.reverse();
    assert_eq!(Fingerprint::of_feed(&sample_meta(), &events), Fingerprint::of_feed(&sample_meta(), &reversed));
}

#[test]
fn any_change_to_inputs_changes_the_fingerprint() {
    let meta = sample_meta();
    let events = sample_events();
    let base = Fingerprint::of_feed(&meta, &events);
    let mut changes: Vec<Fingerprint> = Vec::new();
    let mut edit = |f: &dyn Fn(&mut toile_calendar::FeedMeta, &mut Vec<toile_calendar::CalendarEvent>)| {
        let (mut m, mut e) = (meta.clone(), events.clone());
        f(&mut m, &mut e);
        changes.push(Fingerprint::of_feed(&m, &e));
    };
    edit(&|m, _| m.name.push('!'));
    edit(&|m, _| m.refresh *= 2);
    edit(&|m, _| m.method_publish = true);
    edit(&|_, e| e[0].sequence += 1);
    edit(&|_, e| e[0].cancelled = true);
    edit(&|_, e| e[0].location = None);
    edit(&|_, e| e[0].categories.push("X".into()));
    edit(&|_, e| e[0].organizer.as_mut().unwrap().name.push('!'));
    edit(&|_, e| e[1].ends_at += chrono::Duration::minutes(1));
    edit(&|_, e| {
        e.pop();
    });
    // Moving text between fields must not collide (length-prefixed encoding).
    edit(&|_, e| {
        let description = std::mem::take(&mut e[1].description);
        e[1].summary.push_str(&description);
    });
    for (i, changed) in changes.iter().enumerate() {
        assert_ne!(*changed, base, "change {i} kept the fingerprint");
    }
    assert_ne!(Fingerprint::of_single_event(&events[0]), Fingerprint::of_feed(&meta, &events[..1]));
}

#[test]
fn not_modified_only_for_a_matching_if_none_match() {
    let rendered = RenderedCalendar::new(render_feed(&sample_meta(), &sample_events()));
    assert!(rendered.not_modified(Some(&rendered.etag)));
    assert!(rendered.not_modified(Some(&format!("\"old\", W/{}", rendered.etag))));
    assert!(rendered.not_modified(Some("*")));
    assert!(!rendered.not_modified(None));
    assert!(!rendered.not_modified(Some("\"old\"")));
}

#[test]
fn cache_never_holds_more_than_its_capacity() {
    let cache = RenderCache::new(3);
    let mut events = sample_events();
    for i in 0..10 {
        events[0].sequence = i;
        cache.feed(&sample_meta(), &events);
        assert!(cache.len() <= 3);
    }
    assert_eq!(cache.len(), 3);
}

#[test]
fn get_finds_only_what_was_cached_under_that_key() {
    let cache = RenderCache::new(8);
    let key = Fingerprint([7; 16]);
    assert!(cache.get(&key).is_none());
    let rendered = cache.get_or_render(key, || "BEGIN:VCALENDAR\r\n".into());
    let found = cache.get(&key).expect("cached");
    assert!(Arc::ptr_eq(&rendered, &found));
    assert!(cache.get(&Fingerprint([8; 16])).is_none());
}
