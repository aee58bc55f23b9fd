//! Serving 304s without re-rendering: a cheap key for the inputs, and a small in-memory cache
//! from that key to the rendered body and its ETag.
//!
//! Flow per request: load the events (the caller's query), compute their [`Fingerprint`]
//! (hashing the inputs costs a fraction of rendering them), look it up, and compare the
//! cached ETag with `If-None-Match`. Only a changed feed is rendered and hashed again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::etag::{etag, etag_matches};
use crate::event::CalendarEvent;
use crate::feed::{FeedMeta, render_feed, render_single_event, sorted};

/// A 128-bit digest of everything a render depends on: equal fingerprints give
/// byte-identical bodies (within one build of this crate — do not persist it across deploys).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub [u8; 16]);

impl Fingerprint {
    /// The key of `render_feed(meta, events)`.
    pub fn of_feed(meta: &FeedMeta, events: &[CalendarEvent]) -> Self {
        let mut h = Hasher::new(b"feed");
        h.str(&meta.name);
        h.opt_str(meta.description.as_deref());
        h.bytes(&meta.refresh.as_secs().to_le_bytes());
        h.bytes(&[u8::from(meta.method_publish)]);
        // Same order as the output, so the caller's query order does not matter.
        for event in sorted(events) {
            h.event(event);
        }
        h.finish()
    }

    /// The key of `render_single_event(event)`.
    pub fn of_single_event(event: &CalendarEvent) -> Self {
        let mut h = Hasher::new(b"single");
        h.event(event);
        h.finish()
    }
}

/// Length-prefixed encoding, so that no two different inputs hash the same bytes.
struct Hasher(Sha256);

impl Hasher {
    fn new(kind: &[u8]) -> Self {
        let mut h = Self(Sha256::new());
        h.bytes(kind);
        h
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.0.update([1]);
                self.str(s);
            }
            None => self.0.update([0]),
        }
    }

    fn time(&mut self, t: &DateTime<Utc>) {
        self.0.update(t.timestamp().to_le_bytes());
        self.0.update(t.timestamp_subsec_nanos().to_le_bytes());
    }

    fn event(&mut self, e: &CalendarEvent) {
        self.str(&e.uid);
        self.0.update(e.sequence.to_le_bytes());
        self.time(&e.last_modified);
        self.time(&e.starts_at);
        self.time(&e.ends_at);
        self.str(&e.summary);
        self.opt_str(e.location.as_deref());
        self.str(&e.description);
        self.opt_str(e.url.as_deref());
        self.0.update((e.categories.len() as u64).to_le_bytes());
        for category in &e.categories {
            self.str(category);
        }
        self.0.update([u8::from(e.cancelled)]);
        match &e.organizer {
            Some(o) => {
                self.0.update([1]);
                self.str(&o.name);
                self.str(&o.email);
            }
            None => self.0.update([0]),
        }
    }

    fn finish(self) -> Fingerprint {
        let digest = self.0.finalize();
        let mut key = [0; 16];
        key.copy_from_slice(&digest[..16]);
        Fingerprint(key)
    }
}

/// A rendered `.ics` body with its strong ETag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedCalendar {
    pub body: String,
    pub etag: String,
}

impl RenderedCalendar {
    pub fn new(body: String) -> Self {
        let etag = etag(body.as_bytes());
        Self { body, etag }
    }

    /// Whether the request's `If-None-Match` (if any) lets us answer 304 Not Modified.
    pub fn not_modified(&self, if_none_match: Option<&str>) -> bool {
        if_none_match.is_some_and(|header| etag_matches(header, &self.etag))
    }
}

/// Rendered calendars by [`Fingerprint`], shared by all requests of one process.
///
/// Bounded: when full, one arbitrary entry is dropped per insertion (feeds that changed leave
/// stale entries behind, and nothing else would remove them).
pub struct RenderCache {
    entries: Mutex<HashMap<Fingerprint, Arc<RenderedCalendar>>>,
    capacity: usize,
}

impl RenderCache {
    /// A cache holding at most `capacity` bodies (at least one).
    pub fn new(capacity: usize) -> Self {
        Self { entries: Mutex::new(HashMap::new()), capacity: capacity.max(1) }
    }

    /// The feed for these inputs, rendered only if not cached.
    pub fn feed(&self, meta: &FeedMeta, events: &[CalendarEvent]) -> Arc<RenderedCalendar> {
        self.get_or_render(Fingerprint::of_feed(meta, events), || render_feed(meta, events))
    }

    /// The single-session `.ics`, rendered only if not cached.
    pub fn single_event(&self, event: &CalendarEvent) -> Arc<RenderedCalendar> {
        self.get_or_render(Fingerprint::of_single_event(event), || render_single_event(event))
    }

    /// The cached body for `key`, if any. For callers whose inputs are costly to gather: look
    /// up a key computed from something cheaper first, and only load and render on a miss.
    pub fn get(&self, key: &Fingerprint) -> Option<Arc<RenderedCalendar>> {
        self.lock().get(key).map(Arc::clone)
    }

    /// The cached body for `key`, or `render()`'s, which is then cached.
    pub fn get_or_render(&self, key: Fingerprint, render: impl FnOnce() -> String) -> Arc<RenderedCalendar> {
        if let Some(hit) = self.lock().get(&key) {
            return Arc::clone(hit);
        }
        // Rendered outside the lock: two racing requests may both render, which is harmless.
        let rendered = Arc::new(RenderedCalendar::new(render()));
        let mut entries = self.lock();
        if entries.len() >= self.capacity
            && !entries.contains_key(&key)
            && let Some(victim) = entries.keys().next().copied()
        {
            entries.remove(&victim);
        }
        entries.insert(key, Arc::clone(&rendered));
        rendered
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Fingerprint, Arc<RenderedCalendar>>> {
        // A panic while holding the lock cannot leave the map half-updated: keep serving.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}
