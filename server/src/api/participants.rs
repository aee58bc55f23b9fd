use super::error::{ApiError, ErrorBody};
use super::extract::{ApiActor, Json, Query};
use crate::core::views::ParticipantView;
use crate::core::{Core, NewParticipant};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use toile_shared::access_code;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// Defaults to the caller's structure.
    pub structure_id: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateParticipant {
    pub first_name: String,
    pub last_name: String,
    pub structure_id: i64,
    pub referent_id: Option<i64>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Reading or language support needs, in a few words.
    pub support_needs: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedParticipant {
    #[serde(flatten)]
    pub participant: ParticipantView,
    /// The personal sign-in code, shown this once (stored hashed), e.g. `KP4T-9WXA`.
    pub access_code: String,
}

#[utoipa::path(get, path = "/api/v1/participants", tag = "directory", params(ListQuery),
    responses((status = 200, body = Vec<ParticipantView>), (status = 403, body = ErrorBody)))]
pub async fn index(
    State(core): State<Core>,
    ApiActor(actor): ApiActor,
    Query(query): Query<ListQuery>,
) -> Result<axum::Json<Vec<ParticipantView>>, ApiError> {
    Ok(axum::Json(core.participants(&actor, query.structure_id).await?))
}

#[utoipa::path(post, path = "/api/v1/participants", tag = "directory", request_body = CreateParticipant,
    responses((status = 201, body = CreatedParticipant), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(core): State<Core>,
    ApiActor(actor): ApiActor,
    Json(body): Json<CreateParticipant>,
) -> Result<(StatusCode, axum::Json<CreatedParticipant>), ApiError> {
    let new = NewParticipant {
        first_name: body.first_name,
        last_name: body.last_name,
        structure_id: body.structure_id,
        referent_id: body.referent_id,
        phone: body.phone,
        email: body.email,
        support_needs: body.support_needs,
    };
    let (participant, code) = core.register_participant(&actor, new).await?;
    let created = CreatedParticipant { participant, access_code: access_code::display(&code) };
    Ok((StatusCode::CREATED, axum::Json(created)))
}
