use super::error::ApiError;
use super::extract::ApiActor;
use super::responses::Unauthorized;
use crate::core::Core;
use crate::core::views::{MeView, StructureView};
use axum::Json;
use axum::extract::State;

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "identity",
    responses((status = 200, body = MeView), Unauthorized))]
pub async fn get(State(core): State<Core>, ApiActor(actor): ApiActor) -> Result<Json<MeView>, ApiError> {
    Ok(Json(core.me(&actor).await?))
}

/// The structures of the group.
#[utoipa::path(get, path = "/api/v1/structures", tag = "directory",
    responses((status = 200, body = Vec<StructureView>), Unauthorized))]
pub async fn structures(
    State(core): State<Core>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Vec<StructureView>>, ApiError> {
    Ok(Json(core.structures(&actor).await?))
}
