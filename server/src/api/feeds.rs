use super::error::{ApiError, ErrorBody};
use super::extract::{ApiActor, Json, Path};
use crate::core::views::FeedView;
use crate::core::{Core, CreatedFeed, FeedRequest};
use crate::feeds::{Links, PublicUrl, feed_url};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct FeedUrl {
    pub id: i64,
    /// The secret subscription URL (`…/calendars/<token>.ics`), shown this once: paste it into
    /// Google, Outlook, Apple or Thunderbird calendars. Regenerate the feed if it leaks.
    pub url: String,
}

fn feed_url_of(created: CreatedFeed, headers: &HeaderMap) -> FeedUrl {
    let links = Links::for_request(PublicUrl::from_env().as_ref(), headers);
    FeedUrl { id: created.feed.id, url: feed_url(&links.base, &created.token) }
}

/// The caller's calendar feeds, without their secret URLs.
#[utoipa::path(get, path = "/api/v1/feeds", tag = "feeds",
    responses((status = 200, body = Vec<FeedView>), (status = 401, body = ErrorBody)))]
pub async fn index(State(core): State<Core>, ApiActor(actor): ApiActor) -> Result<axum::Json<Vec<FeedView>>, ApiError> {
    Ok(axum::Json(core.list_feeds(&actor).await?))
}

/// Creates a calendar feed: the group's programme (any staff), a structure's (its staff,
/// group-wide staff), a staff member's sessions (themselves, their structure's coordinator,
/// group-wide staff) or a participant's (staff who may act for them). Optional `kind` filter.
#[utoipa::path(post, path = "/api/v1/feeds", tag = "feeds", request_body = FeedRequest,
    responses((status = 201, body = FeedUrl), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "unknown scope or kind, or the id the scope needs missing (see `fields`)")))]
pub async fn create(
    State(core): State<Core>,
    ApiActor(actor): ApiActor,
    headers: HeaderMap,
    Json(body): Json<FeedRequest>,
) -> Result<(StatusCode, axum::Json<FeedUrl>), ApiError> {
    let created = core.create_feed(&actor, body).await?;
    Ok((StatusCode::CREATED, axum::Json(feed_url_of(created, &headers))))
}

/// Gives the feed a new secret URL; the old one answers 404 at once. Its creator or an admin.
#[utoipa::path(post, path = "/api/v1/feeds/{id}/regenerate", tag = "feeds",
    responses((status = 200, body = FeedUrl), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn regenerate(
    State(core): State<Core>,
    ApiActor(actor): ApiActor,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<axum::Json<FeedUrl>, ApiError> {
    let created = core.regenerate_feed(&actor, id).await?;
    Ok(axum::Json(feed_url_of(created, &headers)))
}

/// Deletes the feed: its URL answers 404 from now on. Its creator or an admin.
#[utoipa::path(delete, path = "/api/v1/feeds/{id}", tag = "feeds",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(core): State<Core>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    core.delete_feed(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
