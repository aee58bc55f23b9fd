//! Calendar links (secret-URL feeds) for the agenda page: create, renew, delete.
//!
//! A link's secret address is shown once. With JavaScript it comes back in the answer. Without
//! it, the browser follows a redirect to `/agenda`, so the address travels in a short-lived
//! cookie only that page receives, and which it clears as it shows the address.

use crate::models::{Agenda, NewFeedLink, UiError};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::request::*;
#[cfg(feature = "ssr")]
use crate::models::{FeedChoice, NewFeed};
#[cfg(feature = "ssr")]
use toile_shared::paths;

/// The notice the agenda page shows after a link was deleted without JavaScript.
pub const DELETED_QUERY: &str = "lien";
pub const DELETED_VALUE: &str = "supprime";

#[server(prefix = "/fn", endpoint = "agenda")]
pub async fn fetch_agenda() -> Result<Agenda, UiError> {
    let visitor = require_visitor()?;
    let port = port();
    let options = signed_in(port.calendar_options(&visitor).await)?;
    let feeds = signed_in(port.my_feeds(&visitor).await)?;
    // Shown only to the person who owns that link.
    let fresh = take_new_link_cookie().and_then(|(id, url)| {
        feeds.iter().find(|feed| feed.id == id).map(|feed| NewFeedLink::new(id, feed.name.clone(), url))
    });
    Ok(Agenda { options, feeds, fresh })
}

/// Form fields: `scope` (`group`, `structure` or `mine`), `structure_id` (read for the
/// `structure` scope only), `kind` (a session kind code, or empty for every kind).
#[server(prefix = "/fn", endpoint = "create_feed")]
pub async fn create_calendar_feed(
    scope: String,
    structure_id: Option<String>,
    kind: Option<String>,
) -> Result<NewFeedLink, UiError> {
    let visitor = require_visitor()?;
    let feed = new_feed(&scope, structure_id.as_deref(), kind.as_deref())?;
    let link = signed_in(port().create_feed(&visitor, feed, &request_origin()).await)?;
    show_without_js(&link)?;
    Ok(link)
}

/// Form field: `id`.
#[server(prefix = "/fn", endpoint = "regenerate_feed")]
pub async fn regenerate_calendar_feed(id: i64) -> Result<NewFeedLink, UiError> {
    let link = signed_in(port().regenerate_feed(&require_visitor()?, id, &request_origin()).await)?;
    show_without_js(&link)?;
    Ok(link)
}

/// Form field: `id`. Answers the id of the deleted link.
#[server(prefix = "/fn", endpoint = "delete_feed")]
pub async fn delete_calendar_feed(id: i64) -> Result<i64, UiError> {
    signed_in(port().delete_feed(&require_visitor()?, id).await)?;
    if is_plain_form_post() {
        leptos_axum::redirect(&format!("{}?{DELETED_QUERY}={DELETED_VALUE}", paths::AGENDA));
    }
    Ok(id)
}

/// Without JavaScript, sends the browser back to the agenda page with the link to show.
#[cfg(feature = "ssr")]
fn show_without_js(link: &NewFeedLink) -> Result<(), UiError> {
    if is_plain_form_post() {
        set_new_link_cookie(link.feed_id, &link.https_url)?;
        leptos_axum::redirect(paths::AGENDA);
    }
    Ok(())
}

/// The form's choice, or what is missing in plain words.
#[cfg(feature = "ssr")]
fn new_feed(scope: &str, structure_id: Option<&str>, kind: Option<&str>) -> Result<NewFeed, UiError> {
    let filled = |value: Option<&str>| value.map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let scope = match scope.trim() {
        "group" => FeedChoice::Group,
        "mine" => FeedChoice::Mine,
        "structure" => match filled(structure_id).map(|id| id.parse()) {
            Some(Ok(id)) => FeedChoice::Structure(id),
            _ => return Err(UiError::new("invalid", "Choisissez la structure à suivre.")),
        },
        _ => return Err(UiError::new("invalid", "Choisissez ce que vous voulez suivre.")),
    };
    let kind = match filled(kind) {
        None => None,
        Some(code) => Some(
            toile_shared::SessionKind::parse(&code)
                .ok_or_else(|| UiError::new("invalid", "Ce type de séance n'existe pas."))?,
        ),
    };
    Ok(NewFeed { scope, kind })
}
