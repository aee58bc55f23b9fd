//! A feed's body, through the process's cache of rendered calendars.
//!
//! The key is cheap: the feed, the links, the day, and the *stamps* of its sessions (id,
//! `updated_at`, `seats_taken`, read in one narrow query). Every change to what a feed shows
//! moves one of those, so a hit needs no session text loaded, no event built, nothing
//! rendered. One gap: two edits of a session within the same second leave the same stamp. So
//! the cheap key is only used once every session's last change is `SETTLED_AFTER` old (no edit
//! can still land in that second, even from another server with a slightly different clock);
//! a feed with a fresh change is keyed by its full inputs instead. Either way the ETag is
//! derived from the body, so every server process agrees on it.

use super::content;
use crate::core::views::{CalendarSession, SessionStamp};
use crate::core::{Core, CoreResult, FeedWindow, ResolvedFeed};
use crate::links::Links;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use toile_calendar::{Fingerprint, RenderCache, RenderedCalendar, render_feed};

const SETTLED_AFTER_SECS: i64 = 300;

pub(super) async fn feed(
    core: &Core,
    cache: &RenderCache,
    feed: &ResolvedFeed,
    links: &Links,
) -> CoreResult<Arc<RenderedCalendar>> {
    let window = core.feed_window();
    let settled_before = core.now().timestamp() - SETTLED_AFTER_SECS;
    let settled = |stamps: &[SessionStamp]| stamps.iter().all(|s| s.updated_at < settled_before);

    let stamps = core.feed_stamps(feed, &window).await?;
    if settled(&stamps)
        && let Some(hit) = cache.get(&cheap_key(feed, links, &window, &stamps))
    {
        return Ok(hit);
    }
    let sessions = core.feed_sessions(feed, &window).await?;
    let meta = content::meta(&feed.name);
    let events: Vec<_> = sessions.iter().map(|s| content::event(s, feed.reader, links)).collect();
    // Keyed by what was loaded, not by the stamps read before: the two may differ.
    let loaded: Vec<SessionStamp> = sessions.iter().map(CalendarSession::stamp).collect();
    Ok(if settled(&loaded) {
        cache.get_or_render(cheap_key(feed, links, &window, &loaded), || render_feed(&meta, &events))
    } else {
        cache.feed(&meta, &events)
    })
}

/// Everything a feed's body depends on, without the sessions' text.
fn cheap_key(feed: &ResolvedFeed, links: &Links, window: &FeedWindow, stamps: &[SessionStamp]) -> Fingerprint {
    let mut hash = Sha256::new();
    let mut text = |value: &str| {
        hash.update((value.len() as u64).to_le_bytes());
        hash.update(value.as_bytes());
    };
    text("toile-feed-v1");
    text(&feed.token_hash);
    text(&feed.name);
    text(&links.base);
    text(&links.uid_domain);
    hash.update(feed.id.to_le_bytes());
    hash.update(window.day.to_le_bytes());
    let mut stamps = stamps.to_vec();
    stamps.sort_unstable_by_key(|s| s.id);
    hash.update((stamps.len() as u64).to_le_bytes());
    for stamp in stamps {
        hash.update(stamp.id.to_le_bytes());
        hash.update(stamp.updated_at.to_le_bytes());
        hash.update(stamp.seats_taken.to_le_bytes());
    }
    let mut key = [0; 16];
    key.copy_from_slice(&hash.finalize()[..16]);
    Fingerprint(key)
}
