use super::error::{ApiError, ErrorBody};
use super::extract::{ApiActor, Json, Path};
use crate::core::Core;
use crate::core::views::EnrolmentView;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use toile_shared::Attendance;
use toile_shared::enrolment::Request;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrolBody {
    pub participant_id: i64,
    /// Staff only: confirm even when the session is full. Recorded in the audit trail.
    #[serde(default)]
    pub overbook: bool,
}

#[derive(Serialize, ToSchema)]
pub struct UnenrolResult {
    /// Who got the freed seat from the waiting list, if anyone.
    pub promoted_participant_id: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceBody {
    /// `present`, `absent` or `excused`.
    pub status: Attendance,
}

#[utoipa::path(get, path = "/api/v1/sessions/{id}/enrolments", tag = "enrolments",
    responses((status = 200, body = Vec<EnrolmentView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn index(
    State(core): State<Core>,
    ApiActor(actor): ApiActor,
    Path(session): Path<i64>,
) -> Result<axum::Json<Vec<EnrolmentView>>, ApiError> {
    Ok(axum::Json(core.enrolments(&actor, session).await?))
}

/// Enrols a participant: 201 confirmed or waitlisted; the same request again answers 200
/// with the existing enrolment.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/enrolments", tag = "enrolments", request_body = EnrolBody,
    responses((status = 201, body = EnrolmentView), (status = 200, body = EnrolmentView),
        (status = 409, body = ErrorBody, description = "session_full, enrolment_closed, not_in_audience, overlapping_enrolment, …")))]
pub async fn create(
    State(core): State<Core>,
    ApiActor(actor): ApiActor,
    Path(session): Path<i64>,
    Json(body): Json<EnrolBody>,
) -> Result<(StatusCode, axum::Json<EnrolmentView>), ApiError> {
    let request = if body.overbook { Request::Overbook } else { Request::Normal };
    let result = core.enrol(&actor, session, body.participant_id, request).await?;
    let status = if result.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, axum::Json(result.enrolment)))
}

#[utoipa::path(delete, path = "/api/v1/sessions/{id}/enrolments/{participant_id}", tag = "enrolments",
    responses((status = 200, body = UnenrolResult), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(core): State<Core>,
    ApiActor(actor): ApiActor,
    Path((session, participant)): Path<(i64, i64)>,
) -> Result<axum::Json<UnenrolResult>, ApiError> {
    let promoted_participant_id = core.unenrol(&actor, session, participant).await?;
    Ok(axum::Json(UnenrolResult { promoted_participant_id }))
}

#[utoipa::path(put, path = "/api/v1/sessions/{id}/attendance/{participant_id}", tag = "enrolments", request_body = AttendanceBody,
    responses((status = 200, body = EnrolmentView), (status = 409, body = ErrorBody)))]
pub async fn attendance(
    State(core): State<Core>,
    ApiActor(actor): ApiActor,
    Path((session, participant)): Path<(i64, i64)>,
    Json(body): Json<AttendanceBody>,
) -> Result<axum::Json<EnrolmentView>, ApiError> {
    Ok(axum::Json(core.set_attendance(&actor, session, participant, body.status).await?))
}
