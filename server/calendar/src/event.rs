//! One session as a VEVENT.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::escape::{Breaks, has_visible_text, push_quoted_param, push_text, push_text_list_item, push_uri};
use crate::fold::IcsWriter;
use crate::timezone::{push_paris_date_time, push_utc_property};

/// A session as calendars see it. All text fields may hold anything a user typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Stable for the life of the session (e.g. `session-42@toile.example`): clients match
    /// updates and cancellations to the copy they hold by UID.
    pub uid: String,
    /// Raised by the caller each time the time, place or status changes, so that clients
    /// replace their copy (RFC 5545 §3.8.7.4).
    pub sequence: u32,
    /// The session's last change; written as DTSTAMP and LAST-MODIFIED, so unchanged data gives
    /// byte-identical output (no clock is read here).
    pub last_modified: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    /// Omitted from the output unless later than `starts_at` (RFC 5545 forbids DTEND ≤ DTSTART).
    pub ends_at: DateTime<Utc>,
    /// Title. Line breaks become spaces.
    pub summary: String,
    /// Full address or video link, on one line (line breaks become spaces).
    pub location: Option<String>,
    /// Plain text; line breaks are kept. The session's `url` is appended to it, because Google
    /// and Outlook do not show the URL property.
    pub description: String,
    /// The session's page, written as URL and at the end of DESCRIPTION.
    pub url: Option<String>,
    /// E.g. the session kind; empty entries are skipped, `\` becomes `/` (see escape.rs).
    pub categories: Vec<String>,
    /// Written as `STATUS:CANCELLED` (otherwise `STATUS:CONFIRMED`); keep cancelled sessions in
    /// feeds so that clients remove them.
    pub cancelled: bool,
    /// Needed by the single-session `.ics` (`METHOD:PUBLISH`, RFC 5546 §3.2.1); optional in feeds.
    pub organizer: Option<Organizer>,
}

/// Who runs the session (a counsellor — never a participant).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organizer {
    pub name: String,
    pub email: String,
}

/// Writes `event` as a VEVENT with a fixed property order (deterministic output).
pub(crate) fn write_vevent(w: &mut IcsWriter, event: &CalendarEvent) {
    w.line("BEGIN:VEVENT");
    w.property(|l| {
        l.push_str("UID:");
        push_text(l, &event.uid, Breaks::ToSpace);
    });
    w.property(|l| {
        let _ = write!(l, "SEQUENCE:{}", event.sequence);
    });
    w.property(|l| push_utc_property(l, "DTSTAMP", &event.last_modified));
    w.property(|l| push_utc_property(l, "LAST-MODIFIED", &event.last_modified));
    w.property(|l| push_paris_date_time(l, "DTSTART", &event.starts_at));
    if event.ends_at > event.starts_at {
        w.property(|l| push_paris_date_time(l, "DTEND", &event.ends_at));
    }
    w.property(|l| {
        l.push_str("SUMMARY:");
        push_text(l, &event.summary, Breaks::ToSpace);
    });
    if let Some(location) = event.location.as_deref().filter(|s| has_visible_text(s)) {
        w.property(|l| {
            l.push_str("LOCATION:");
            push_text(l, location, Breaks::ToSpace);
        });
    }
    let url = event.url.as_deref().filter(|s| has_visible_text(s)).map(|u| {
        let mut clean = String::with_capacity(u.len());
        push_uri(&mut clean, u);
        clean
    });
    let has_description = has_visible_text(&event.description);
    if has_description || url.is_some() {
        w.property(|l| {
            l.push_str("DESCRIPTION:");
            if has_description {
                push_text(l, &event.description, Breaks::Keep);
            }
            if let Some(url) = &url {
                if has_description {
                    l.push_str("\\n\\n");
                }
                push_text(l, url, Breaks::ToSpace);
            }
        });
    }
    if let Some(url) = &url {
        // URI value type: TEXT escaping does not apply (push_uri already made it one token).
        w.property(|l| {
            l.push_str("URL:");
            l.push_str(url);
        });
    }
    let mut categories = event.categories.iter().filter(|c| has_visible_text(c));
    if let Some(first) = categories.next() {
        w.property(|l| {
            l.push_str("CATEGORIES:");
            push_text_list_item(l, first);
            for category in categories {
                l.push(',');
                push_text_list_item(l, category);
            }
        });
    }
    w.line(if event.cancelled { "STATUS:CANCELLED" } else { "STATUS:CONFIRMED" });
    if let Some(organizer) = event.organizer.as_ref().filter(|o| has_visible_text(&o.email)) {
        w.property(|l| {
            l.push_str("ORGANIZER");
            if has_visible_text(&organizer.name) {
                l.push_str(";CN=");
                push_quoted_param(l, &organizer.name);
            }
            l.push_str(":mailto:");
            push_uri(l, &organizer.email);
        });
    }
    w.line("END:VEVENT");
}
