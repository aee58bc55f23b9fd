use super::error::ApiError;
use super::extract::{ApiCaller, Json, Path, Query, RequestLinks};
use super::feed_request::FeedRequest;
use super::idempotency::ShowsSecret;
use super::paging;
use super::responses::{BadRequest, Forbidden, NotFound, Unauthorized, Unprocessable};
use crate::core::CreatedFeed;
use crate::core::views::FeedView;
use crate::links::Links;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use toile_shared::paths;
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct FeedUrl {
    pub id: i64,
    /// The secret subscription URL (`…/calendars/<token>.ics`), shown this once: paste it into
    /// Google, Outlook, Apple or Thunderbird calendars. Regenerate the feed if it leaks.
    pub url: String,
}

fn feed_url_of(created: CreatedFeed, links: &Links) -> FeedUrl {
    FeedUrl { id: created.feed.id, url: paths::feed(&links.base, &created.token) }
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// At most this many feeds in the answer (default and most: 500); the `Link` header
    /// (`rel="next"`) gives the next page's address when there are more.
    #[param(value_type = u32, minimum = 1, maximum = 500, required = false)]
    pub limit: Option<u32>,
    /// Where the page starts, as the `Link` header of the page before says.
    #[param(value_type = String, pattern = "^([0-9]{1,15})?$", required = false)]
    pub after: Option<String>,
}

/// The caller's calendar feeds, oldest first, without their secret URLs; a page at a time,
/// following the `Link` header (`rel="next"`) while there is one.
#[utoipa::path(get, path = "/api/v1/feeds", tag = "feeds", params(ListQuery),
    responses((status = 200, body = Vec<FeedView>,
        headers(("Link" = String, description = "`</api/v1/feeds?limit=…&after=…>; rel=\"next\"` when there are more."))),
        BadRequest, Unauthorized))]
pub async fn index(
    ApiCaller { core, actor }: ApiCaller,
    Query(query): Query<ListQuery>,
) -> Result<axum::response::Response, ApiError> {
    let (limit, after) = paging::asked(query.limit, query.after.as_deref(), |text| text.parse::<i64>().ok())?;
    let (feeds, next) = core.feeds_page(&actor, after, limit).await?;
    let path = format!("{}/feeds", paths::API);
    Ok(paging::answer(feeds, &path, Vec::new(), limit, next.map(|id| id.to_string())))
}

/// Creates a calendar feed: the group's programme (any staff), a structure's (its staff,
/// group-wide staff), a staff member's sessions (themselves, their structure's coordinator,
/// group-wide staff) or a participant's (staff who may act for them). Optional `kind` filter.
#[utoipa::path(post, path = "/api/v1/feeds", tag = "feeds", request_body = FeedRequest,
    responses((status = 201, body = FeedUrl), BadRequest, Unauthorized, Forbidden, Unprocessable))]
pub async fn create(
    ApiCaller { core, actor }: ApiCaller,
    RequestLinks(links): RequestLinks,
    Json(body): Json<FeedRequest>,
) -> Result<(StatusCode, axum::Extension<ShowsSecret>, axum::Json<FeedUrl>), ApiError> {
    let (scope, kind) = body.parse()?;
    let created = core.create_feed(&actor, scope, kind).await?;
    Ok((StatusCode::CREATED, axum::Extension(ShowsSecret), axum::Json(feed_url_of(created, &links))))
}

/// Gives the feed a new secret URL; the old one answers 404 at once. Its creator or an admin.
#[utoipa::path(post, path = "/api/v1/feeds/{id}/regenerate", tag = "feeds", params(("id" = i64, Path, description = "The feed.")),
    responses((status = 200, body = FeedUrl), BadRequest, Unauthorized, Forbidden, NotFound))]
pub async fn regenerate(
    ApiCaller { core, actor }: ApiCaller,
    RequestLinks(links): RequestLinks,
    Path(id): Path<i64>,
) -> Result<(axum::Extension<ShowsSecret>, axum::Json<FeedUrl>), ApiError> {
    let created = core.regenerate_feed(&actor, id).await?;
    Ok((axum::Extension(ShowsSecret), axum::Json(feed_url_of(created, &links))))
}

/// Deletes the feed: its URL answers 404 from now on. Its creator or an admin.
#[utoipa::path(delete, path = "/api/v1/feeds/{id}", tag = "feeds", params(("id" = i64, Path, description = "The feed.")),
    responses((status = 204, description = "Deleted."), BadRequest, Unauthorized, Forbidden, NotFound))]
pub async fn delete(ApiCaller { core, actor }: ApiCaller, Path(id): Path<i64>) -> Result<StatusCode, ApiError> {
    core.delete_feed(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
