//! Calendars over HTTP: the secret-URL feeds (`GET /calendars/{token}.ics`) and the
//! single-session download for the signed-in person (`GET /seances/{id}/agenda.ics`). The core
//! decides who sees which sessions; `toile-calendar` writes the iCalendar text.
//!
//! - `base`: the public address links and feed URLs point to, and the domains UIDs use;
//! - `content`: sessions as calendar events, in plain French, without anyone's name;
//! - `render`: a feed's body through the in-process cache, keyed cheaply;
//! - `http`: the handlers, ETag and 304, 404 and the sign-in redirect.

mod base;
mod content;
mod http;
mod render;

pub use base::{Links, PUBLIC_URL_ENV, PublicUrl, feed_url};

use crate::core::Core;
use axum::Router;
use axum::routing::get;
use std::sync::Arc;
use toile_calendar::RenderCache;

/// Rendered bodies kept per process: feeds (possibly large), single sessions (small).
const FEED_CACHE_ENTRIES: usize = 256;
const EVENT_CACHE_ENTRIES: usize = 1024;

#[derive(Clone)]
struct FeedState {
    core: Core,
    feeds: Arc<RenderCache>,
    events: Arc<RenderCache>,
    public: Option<PublicUrl>,
}

/// The calendar routes, with no fallback: merge them before the pages' router. Reads
/// `TOILE_PUBLIC_URL` once.
pub fn router(core: Core) -> Router {
    let state = FeedState {
        core,
        feeds: Arc::new(RenderCache::new(FEED_CACHE_ENTRIES)),
        events: Arc::new(RenderCache::new(EVENT_CACHE_ENTRIES)),
        public: PublicUrl::from_env(),
    };
    Router::new()
        // A parameter must fill its whole path segment: `.ics` is checked in the handler.
        .route("/calendars/{file}", get(http::feed))
        .route("/seances/{id}/agenda.ics", get(http::session))
        .with_state(state)
}
