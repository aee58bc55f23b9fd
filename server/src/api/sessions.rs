use super::error::{ApiError, ErrorBody};
use super::extract::{ApiCaller, Json, OptionalJson, Path, Query};
use super::paging;
use super::responses::{BadRequest, Forbidden, NotFound, PreconditionFailed, Unauthorized, Unprocessable};
use crate::core::views::SessionView;
use crate::core::{SeriesScope, SessionCursor, SessionFilter, SessionPatch};
use axum::http::header::{ETAG, IF_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use toile_shared::openapi;
use toile_shared::session_input::{Location, ReservedSeats, SessionInput};
use toile_shared::{Audience, SessionKind, SessionStatus, WorkshopTheme};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// Sessions starting at or after this instant (RFC 3339).
    #[param(value_type = String, format = DateTime, required = false)]
    pub from: Option<DateTime<Utc>>,
    /// Sessions starting before this instant (RFC 3339).
    #[param(value_type = String, format = DateTime, required = false)]
    pub to: Option<DateTime<Utc>>,
    /// Sessions organised by this structure or open to it.
    #[param(value_type = i64, required = false)]
    pub structure_id: Option<i64>,
    /// At most this many sessions in the answer (default and most: 500); the `Link` header
    /// (`rel="next"`) gives the next page's address when there may be more.
    #[param(value_type = u32, minimum = 1, maximum = 500, required = false)]
    pub limit: Option<u32>,
    /// Where the page starts, as the `Link` header of the page before says.
    #[param(value_type = String, pattern = "^(-?[0-9]{1,15}_[0-9]{1,15})?$", required = false)]
    pub after: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSession {
    #[schema(schema_with = openapi::title)]
    pub title: String,
    pub kind: SessionKind,
    /// For workshops only.
    pub theme: Option<WorkshopTheme>,
    #[serde(default)]
    #[schema(schema_with = openapi::description)]
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[schema(minimum = 1, maximum = 500)]
    pub capacity: u32,
    pub organiser_structure_id: i64,
    /// No place yet when absent or `null`.
    pub location: Option<Location>,
    pub audience: Audience,
    #[serde(default)]
    pub reserved_seats: Vec<ReservedSeats>,
    /// When unused reserved seats open to everyone; never when absent.
    pub reserved_until: Option<DateTime<Utc>>,
    pub enrolment_opens_at: Option<DateTime<Utc>>,
    pub enrolment_closes_at: Option<DateTime<Utc>>,
    pub cancellation_deadline: Option<DateTime<Utc>>,
    /// Staff who run the session; the creator when empty.
    #[serde(default)]
    pub facilitator_ids: Vec<i64>,
    #[schema(schema_with = openapi::short_text_or_null)]
    pub company_name: Option<String>,
    #[schema(schema_with = openapi::short_text_or_null)]
    pub speaker: Option<String>,
    /// `published` (default) or `draft`.
    #[schema(schema_with = openapi::draft_or_published_or_null)]
    pub status: Option<SessionStatus>,
    /// Create a weekly series of this many sessions; the first is returned.
    #[schema(minimum = 1, maximum = 52)]
    pub weekly_occurrences: Option<u32>,
}

/// The sessions the caller may see, soonest first, a page at a time: follow the `Link` header
/// (`rel="next"`) while there is one. A page may hold fewer sessions than `limit` (some are
/// not for the caller's eyes) and still have a next one.
#[utoipa::path(get, path = "/api/v1/sessions", tag = "sessions", params(ListQuery),
    responses((status = 200, body = Vec<SessionView>,
        headers(("Link" = String, description = "`</api/v1/sessions?…&after=…>; rel=\"next\"` when there may be more."))),
        BadRequest, Unauthorized))]
pub async fn index(ApiCaller { core, actor }: ApiCaller, Query(query): Query<ListQuery>) -> Result<Response, ApiError> {
    let (limit, after) = paging::asked(query.limit, query.after.as_deref(), SessionCursor::parse)?;
    let filter = SessionFilter { from: query.from, to: query.to, structure_id: query.structure_id };
    let (sessions, next) = core.sessions_page(&actor, &filter, after, limit).await?;
    let mut filters = vec![];
    filters.extend(query.from.map(|from| ("from", from.to_rfc3339())));
    filters.extend(query.to.map(|to| ("to", to.to_rfc3339())));
    filters.extend(query.structure_id.map(|id| ("structure_id", id.to_string())));
    let path = format!("{}/sessions", toile_shared::paths::API);
    Ok(paging::answer(sessions, &path, filters, limit, next.map(|next| next.to_string())))
}

/// One session, with its version as `ETag`: send it back in `If-Match` to change the session
/// only if nobody changed it since.
#[utoipa::path(get, path = "/api/v1/sessions/{id}", tag = "sessions", params(("id" = i64, Path, description = "The session.")),
    responses((status = 200, body = SessionView, headers(("ETag" = String, description = "The session's version, `\"<version>\"`: raised by every change and by its cancellation (enrolments leave it alone)."))),
        BadRequest, Unauthorized, NotFound))]
pub async fn get(ApiCaller { core, actor }: ApiCaller, Path(id): Path<i64>) -> Result<Response, ApiError> {
    Ok(tagged(core.session(&actor, id).await?))
}

/// A session answered with its version as a strong entity tag.
fn tagged(view: SessionView) -> Response {
    let tag = HeaderValue::from_str(&etag(view.version)).expect("digits and quotes");
    ([(ETAG, tag)], axum::Json(view)).into_response()
}

fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The versions `If-Match` accepts: none asked for (absent, or `*`: the session exists), else
/// those of its strong tags (a weak one never matches, as RFC 9110 says; nothing readable
/// matches nothing).
fn if_match(headers: &HeaderMap) -> Option<Vec<i64>> {
    let values: Vec<&HeaderValue> = headers.get_all(IF_MATCH).iter().collect();
    if values.is_empty() {
        return None;
    }
    let mut versions = vec![];
    for value in values {
        let Ok(text) = value.to_str() else { return Some(vec![]) };
        for tag in text.split(',').map(str::trim) {
            if tag == "*" {
                return None;
            }
            if let Some(version) = tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')).and_then(|t| t.parse().ok())
            {
                versions.push(version);
            }
        }
    }
    Some(versions)
}

/// Proposes a session, or a weekly series of them (the first is returned). Rules no schema can
/// tell answer 422: an end after the start, enrolments closing before it, reserved seats within
/// the capacity and the audience, a theme for workshops only, ids that point somewhere, dates
/// (of every session of a series) in the years 2000 to 2999.
#[utoipa::path(post, path = "/api/v1/sessions", tag = "sessions", request_body = CreateSession,
    responses((status = 201, body = SessionView), BadRequest, Unauthorized, Forbidden, Unprocessable))]
pub async fn create(
    ApiCaller { core, actor }: ApiCaller,
    Json(body): Json<CreateSession>,
) -> Result<(StatusCode, axum::Json<SessionView>), ApiError> {
    let occurrences = body.weekly_occurrences.unwrap_or(1);
    let input = SessionInput {
        title: body.title,
        kind: body.kind,
        theme: body.theme,
        description: body.description,
        starts_at: body.starts_at,
        ends_at: body.ends_at,
        capacity: body.capacity,
        organiser_structure_id: body.organiser_structure_id,
        location: body.location,
        audience: body.audience,
        reserved_seats: body.reserved_seats,
        reserved_until: body.reserved_until,
        enrolment_opens_at: body.enrolment_opens_at,
        enrolment_closes_at: body.enrolment_closes_at,
        cancellation_deadline: body.cancellation_deadline,
        facilitator_ids: body.facilitator_ids,
        company_name: body.company_name,
        speaker: body.speaker,
        status: body.status.unwrap_or(SessionStatus::Published),
    };
    let view = core.create_session(&actor, input, occurrences).await?;
    Ok((StatusCode::CREATED, axum::Json(view)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UpdateQuery {
    /// For a session of a weekly series: `this_and_following` changes the later sessions of the
    /// series too (their times move by as much on the Paris clock); `this_session` by default.
    pub series: Option<SeriesScope>,
}

/// Changes a session (or it and the later sessions of its series): the fields sent, checked
/// with the rest as on creation (422). With `If-Match` (the `ETag` of a `GET`), only if nobody
/// changed the session since (else 412, nothing written); without it, the fields sent are
/// written over whatever is stored.
#[utoipa::path(patch, path = "/api/v1/sessions/{id}", tag = "sessions",
    params(("id" = i64, Path, description = "The session."), UpdateQuery,
        ("If-Match" = Option<String>, Header, description = "The `ETag` of the session as read (`\"3\"`), or `*`: change it only if it is still at that version.")),
    request_body = SessionPatch,
    responses((status = 200, body = SessionView, headers(("ETag" = String, description = "The session's version, `\"<version>\"`: raised by every change and by its cancellation (enrolments leave it alone)."))),
        BadRequest, Unauthorized, Forbidden, NotFound,
        (status = 409, body = ErrorBody, description = "`session_cancelled`, `capacity_below_taken`, `session_has_enrolments` (a published session with people in it does not go back to draft)"),
        PreconditionFailed, Unprocessable))]
pub async fn update(
    ApiCaller { core, actor }: ApiCaller,
    Path(id): Path<i64>,
    Query(query): Query<UpdateQuery>,
    headers: HeaderMap,
    Json(patch): Json<SessionPatch>,
) -> Result<Response, ApiError> {
    let series = query.series.unwrap_or_default();
    Ok(tagged(core.update_session_if(&actor, id, patch, series, if_match(&headers)).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelSession {
    /// Shown to the people who were enrolled or waiting.
    #[schema(max_length = 500, pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$")]
    pub reason: Option<String>,
}

/// Cancels a session (again: no change); it stays listed, marked `cancelled`, with the reason
/// given (the body may be left out).
#[utoipa::path(post, path = "/api/v1/sessions/{id}/cancel", tag = "sessions", params(("id" = i64, Path, description = "The session.")),
    request_body(content = Option<CancelSession>, description = "Optional: why the session is cancelled."),
    responses((status = 200, body = SessionView), BadRequest, Unauthorized, Forbidden, NotFound, Unprocessable))]
pub async fn cancel(
    ApiCaller { core, actor }: ApiCaller,
    Path(id): Path<i64>,
    OptionalJson(body): OptionalJson<CancelSession>,
) -> Result<axum::Json<SessionView>, ApiError> {
    let reason = body.and_then(|body| body.reason);
    Ok(axum::Json(core.cancel_session(&actor, id, reason).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DuplicateSession {
    /// The day of the copy (its times of day stay those of the original, in Paris), in the
    /// years 2000 to 2999 like every session.
    #[schema(value_type = String, format = Date, pattern = "^2[0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub date: chrono::NaiveDate,
}

/// Copies a session to another day, without its enrolments (a cancelled one is copied as a draft).
#[utoipa::path(post, path = "/api/v1/sessions/{id}/duplicate", tag = "sessions", params(("id" = i64, Path, description = "The session to copy.")),
    request_body = DuplicateSession,
    responses((status = 201, body = SessionView), BadRequest, Unauthorized, Forbidden, NotFound, Unprocessable))]
pub async fn duplicate(
    ApiCaller { core, actor }: ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<DuplicateSession>,
) -> Result<(StatusCode, axum::Json<SessionView>), ApiError> {
    let view = core.duplicate_session(&actor, id, body.date).await?;
    Ok((StatusCode::CREATED, axum::Json(view)))
}
