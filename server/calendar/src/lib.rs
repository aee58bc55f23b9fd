//! iCalendar (RFC 5545) rendering for Toile: subscription feeds and single-session `.ics` files
//! that Google, Outlook, Apple and Thunderbird read alike, plus ETag helpers for the HTTP layer.
//!
//! The crate is pure: no clock, no I/O, no database. The same input always gives byte-identical
//! output, so an unchanged feed keeps its ETag and calendar clients get `304 Not Modified`.
//!
//! # Why a hand-written serializer
//! The `icalendar` crate lets raw CR/LF through in `NAME`, `URL` and parameter values, emits no
//! `VTIMEZONE`, and offers no control over property order. The format we emit is small (a dozen
//! property kinds), so owning the serializer — escaping, folding and time zones in three short
//! modules — is simpler than patching around a builder. `icalendar`'s *parser* is still used in
//! the tests, as an independent check next to Mozilla's ical.js.
//!
//! # Typical use (HTTP layer)
//! ```
//! use chrono::{TimeZone, Utc};
//! use toile_calendar::{CalendarEvent, FeedMeta, RenderCache};
//!
//! let cache = RenderCache::new(1024);
//! let meta = FeedMeta::new("Programme du groupe");
//! let events = vec![CalendarEvent {
//!     uid: "session-42@toile.example".into(),
//!     sequence: 0,
//!     last_modified: Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(),
//!     starts_at: Utc.with_ymd_and_hms(2026, 3, 30, 7, 30, 0).unwrap(),
//!     ends_at: Utc.with_ymd_and_hms(2026, 3, 30, 9, 30, 0).unwrap(),
//!     summary: "Atelier CV".into(),
//!     location: Some("12 rue de la Paix, 75002 Paris".into()),
//!     description: "Venez avec votre CV.".into(),
//!     url: Some("https://toile.example/sessions/42".into()),
//!     categories: vec!["Atelier TRE".into()],
//!     cancelled: false,
//!     organizer: None,
//! }];
//! let rendered = cache.feed(&meta, &events); // renders once, then served from the cache
//! let if_none_match = Some(rendered.etag.as_str()); // what the client sent back
//! assert!(rendered.not_modified(if_none_match)); // → answer 304
//! ```

mod cache;
mod escape;
mod etag;
mod event;
mod feed;
mod fold;
mod timezone;

pub use cache::{Fingerprint, RenderCache, RenderedCalendar};
pub use etag::{etag, etag_matches};
pub use event::{CalendarEvent, Organizer};
pub use feed::{FeedMeta, PROD_ID, render_feed, render_single_event};
pub use timezone::{PARIS_TZID, paris_vtimezone};

/// Media type to send with every body this crate renders.
pub const CONTENT_TYPE: &str = "text/calendar; charset=utf-8";
