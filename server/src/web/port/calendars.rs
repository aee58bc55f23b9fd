//! The agenda page: calendar links built on this installation's address.

use super::french;
use super::words::utc;
use crate::config::Config;
use crate::core::CreatedFeed;
use crate::core::views::FeedView;
use crate::links::Links;
use axum::http::{HeaderMap, HeaderValue, header::HOST};
use toile_app::models::*;
use toile_shared::paths;

/// The base of links back to this installation: the configured public address when set, else
/// the address the page's request came to, as the calendar routes and the API build them.
pub(super) fn links(config: &Config, origin: &RequestOrigin) -> Links {
    let mut headers = HeaderMap::new();
    let value = |text: &Option<String>| text.as_deref().and_then(|t| HeaderValue::from_str(t).ok());
    if let Some(host) = value(&origin.host) {
        headers.insert(HOST, host);
    }
    if let Some(proto) = value(&origin.forwarded_proto) {
        headers.insert("x-forwarded-proto", proto);
    }
    Links::for_request(config.public_url.as_ref(), &headers)
}

pub(super) fn new_link(created: CreatedFeed, config: &Config, origin: &RequestOrigin) -> NewFeedLink {
    let url = paths::feed(&links(config, origin).base, &created.token);
    NewFeedLink::new(created.feed.id, created.feed.name, url)
}

pub(super) fn feed_row(feed: FeedView) -> FeedRow {
    FeedRow {
        id: feed.id,
        name: feed.name,
        created_label: format!("le {}", french::date_with_year(utc(feed.created_at))),
    }
}
