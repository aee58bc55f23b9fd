//! Whole VCALENDAR objects: subscription feeds and single-session downloads.

use std::fmt::Write as _;
use std::time::Duration;

use crate::escape::{Breaks, has_visible_text, push_text};
use crate::event::{CalendarEvent, write_vevent};
use crate::fold::IcsWriter;
use crate::timezone::{PARIS_TZID, paris_vtimezone};

/// PRODID of everything Toile emits (RFC 5545 §3.7.3: identifies the product, not the feed).
pub const PROD_ID: &str = "-//Toile//Toile//FR";

/// What a subscription feed says about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedMeta {
    /// Shown as the calendar's name: NAME (RFC 7986) and X-WR-CALNAME (Google, Apple, Outlook).
    pub name: String,
    /// Optional: DESCRIPTION (RFC 7986) and X-WR-CALDESC.
    pub description: Option<String>,
    /// How often clients should poll: REFRESH-INTERVAL (RFC 7986) and X-PUBLISHED-TTL
    /// (Outlook, Apple). Written in whole seconds.
    pub refresh: Duration,
    /// Adds `METHOD:PUBLISH`. Off by default: RFC 5546 then requires an ORGANIZER in every
    /// event, and subscription clients do not need it.
    pub method_publish: bool,
}

impl FeedMeta {
    /// A feed named `name`, refreshed hourly, without METHOD.
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), description: None, refresh: Duration::from_secs(3600), method_publish: false }
    }
}

/// Renders a subscription feed. `events` are written sorted by start then UID, so the output
/// does not depend on the order the database returned them in; the caller chooses the window.
pub fn render_feed(meta: &FeedMeta, events: &[CalendarEvent]) -> String {
    let mut w = IcsWriter::with_capacity(2048 + events.len() * 800);
    write_header(&mut w, meta.method_publish);
    w.property(|l| {
        l.push_str("NAME:");
        push_text(l, &meta.name, Breaks::ToSpace);
    });
    w.property(|l| {
        l.push_str("X-WR-CALNAME:");
        push_text(l, &meta.name, Breaks::ToSpace);
    });
    if let Some(description) = meta.description.as_deref().filter(|d| has_visible_text(d)) {
        w.property(|l| {
            l.push_str("DESCRIPTION:");
            push_text(l, description, Breaks::Keep);
        });
        w.property(|l| {
            l.push_str("X-WR-CALDESC:");
            push_text(l, description, Breaks::Keep);
        });
    }
    w.property(|l| {
        l.push_str("X-WR-TIMEZONE:");
        l.push_str(PARIS_TZID);
    });
    w.property(|l| {
        l.push_str("REFRESH-INTERVAL;VALUE=DURATION:");
        push_duration(l, meta.refresh);
    });
    w.property(|l| {
        l.push_str("X-PUBLISHED-TTL:");
        push_duration(l, meta.refresh);
    });
    w.raw(paris_vtimezone());
    for event in sorted(events) {
        write_vevent(&mut w, event);
    }
    w.line("END:VCALENDAR");
    w.finish()
}

/// Renders one session for "Ajouter à mon agenda": `METHOD:PUBLISH`, the event's ORGANIZER
/// (set `event.organizer`: RFC 5546 requires it for PUBLISH), and no calendar name, so clients
/// import the event into an existing calendar instead of offering to create a new one.
pub fn render_single_event(event: &CalendarEvent) -> String {
    let mut w = IcsWriter::with_capacity(2048);
    write_header(&mut w, true);
    w.raw(paris_vtimezone());
    write_vevent(&mut w, event);
    w.line("END:VCALENDAR");
    w.finish()
}

/// The events in output order: by start, then UID (stable, so equal keys keep input order).
pub(crate) fn sorted(events: &[CalendarEvent]) -> Vec<&CalendarEvent> {
    let mut sorted: Vec<&CalendarEvent> = events.iter().collect();
    sorted.sort_by(|a, b| (a.starts_at, &a.uid).cmp(&(b.starts_at, &b.uid)));
    sorted
}

fn write_header(w: &mut IcsWriter, method_publish: bool) {
    w.line("BEGIN:VCALENDAR");
    w.line("VERSION:2.0");
    w.property(|l| {
        l.push_str("PRODID:");
        l.push_str(PROD_ID);
    });
    w.line("CALSCALE:GREGORIAN");
    if method_publish {
        w.line("METHOD:PUBLISH");
    }
}

/// RFC 5545 §3.3.6 duration, e.g. `PT1H`, `P1DT12H`, `PT0S`.
fn push_duration(out: &mut String, duration: Duration) {
    let total = duration.as_secs();
    let (days, hours, minutes, seconds) = (total / 86_400, total % 86_400 / 3600, total % 3600 / 60, total % 60);
    out.push('P');
    if days > 0 {
        let _ = write!(out, "{days}D");
    }
    if hours + minutes + seconds > 0 || days == 0 {
        out.push('T');
        if hours > 0 {
            let _ = write!(out, "{hours}H");
        }
        if minutes > 0 {
            let _ = write!(out, "{minutes}M");
        }
        if seconds > 0 || total == 0 {
            let _ = write!(out, "{seconds}S");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn duration(secs: u64) -> String {
        let mut out = String::new();
        push_duration(&mut out, Duration::from_secs(secs));
        out
    }

    #[test]
    fn durations_use_the_shortest_rfc5545_form() {
        assert_eq!(duration(3600), "PT1H");
        assert_eq!(duration(900), "PT15M");
        assert_eq!(duration(86_400), "P1D");
        assert_eq!(duration(86_400 + 5400), "P1DT1H30M");
        assert_eq!(duration(61), "PT1M1S");
        assert_eq!(duration(0), "PT0S");
    }
}
