use super::error::{ApiError, ErrorBody};
use super::extract::{ApiActor, Json, Path, Query};
use crate::core::views::SessionView;
use crate::core::{Core, SessionFilter, SessionPatch};
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use toile_shared::session_input::{Location, ReservedSeats, SessionInput};
use toile_shared::{Audience, SessionKind, SessionStatus, WorkshopTheme};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// Sessions starting at or after this instant (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Sessions starting before this instant (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    /// Sessions organised by this structure or open to it.
    pub structure_id: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSession {
    #[schema(min_length = 1, max_length = 150)]
    pub title: String,
    pub kind: SessionKind,
    /// For workshops only.
    pub theme: Option<WorkshopTheme>,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[schema(minimum = 1, maximum = 500)]
    pub capacity: u32,
    pub organiser_structure_id: i64,
    pub location: Option<Location>,
    pub audience: Audience,
    #[serde(default)]
    pub reserved_seats: Vec<ReservedSeats>,
    pub reserved_until: Option<DateTime<Utc>>,
    pub enrolment_opens_at: Option<DateTime<Utc>>,
    pub enrolment_closes_at: Option<DateTime<Utc>>,
    pub cancellation_deadline: Option<DateTime<Utc>>,
    #[serde(default)]
    pub facilitator_ids: Vec<i64>,
    #[schema(max_length = 150)]
    pub company_name: Option<String>,
    #[schema(max_length = 150)]
    pub speaker: Option<String>,
    /// `published` (default) or `draft`.
    pub status: Option<SessionStatus>,
    /// Create a weekly series of this many sessions; the first is returned.
    #[schema(minimum = 1, maximum = 52)]
    pub weekly_occurrences: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/sessions", tag = "sessions", params(ListQuery),
    responses((status = 200, body = Vec<SessionView>), (status = 401, body = ErrorBody)))]
pub async fn index(
    State(core): State<Core>,
    ApiActor(actor): ApiActor,
    Query(query): Query<ListQuery>,
) -> Result<axum::Json<Vec<SessionView>>, ApiError> {
    let filter = SessionFilter { from: query.from, to: query.to, structure_id: query.structure_id };
    Ok(axum::Json(core.list_sessions(&actor, &filter).await?))
}

#[utoipa::path(get, path = "/api/v1/sessions/{id}", tag = "sessions",
    responses((status = 200, body = SessionView), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(core): State<Core>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<axum::Json<SessionView>, ApiError> {
    Ok(axum::Json(core.session(&actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/sessions", tag = "sessions", request_body = CreateSession,
    responses((status = 201, body = SessionView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(core): State<Core>,
    ApiActor(actor): ApiActor,
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

#[utoipa::path(patch, path = "/api/v1/sessions/{id}", tag = "sessions", request_body = SessionPatch,
    responses((status = 200, body = SessionView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(core): State<Core>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    Json(patch): Json<SessionPatch>,
) -> Result<axum::Json<SessionView>, ApiError> {
    Ok(axum::Json(core.update_session(&actor, id, patch).await?))
}

#[utoipa::path(post, path = "/api/v1/sessions/{id}/cancel", tag = "sessions",
    responses((status = 200, body = SessionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn cancel(
    State(core): State<Core>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<axum::Json<SessionView>, ApiError> {
    Ok(axum::Json(core.cancel_session(&actor, id).await?))
}
