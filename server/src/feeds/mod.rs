//! Calendars over HTTP: the secret-URL feeds (`GET /calendars/{token}.ics`) and the
//! single-session download for the signed-in person (`GET /seances/{id}/agenda.ics`). The core
//! decides who sees which sessions; `toile-calendar` writes the iCalendar text.
//!
//! - `content`: sessions as calendar events, in plain French, without anyone's name;
//! - `render`: a feed's body through the in-process cache, keyed cheaply;
//! - `http`: the handlers, ETag and 304, 404 and the sign-in redirect.

mod content;
mod http;
mod render;

use crate::config::Config;
use crate::core::Core;
use crate::links::PublicUrl;
use axum::Router;
use axum::routing::get;
use std::sync::Arc;
use toile_calendar::RenderCache;
use toile_shared::paths;

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

/// The calendar routes, with no fallback: merge them before the pages' router.
pub fn router(core: Core, config: &Config) -> Router {
    let state = FeedState {
        core,
        feeds: Arc::new(RenderCache::new(FEED_CACHE_ENTRIES)),
        events: Arc::new(RenderCache::new(EVENT_CACHE_ENTRIES)),
        public: config.public_url.clone(),
    };
    Router::new()
        // A parameter must fill its whole path segment: `.ics` is checked in the handler.
        .route(&format!("{}/{{file}}", paths::CALENDARS), get(http::feed))
        .route(&format!("{}/{{id}}/agenda.ics", paths::PARTICIPANT_SESSIONS), get(http::session))
        .with_state(state)
}
