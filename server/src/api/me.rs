use super::error::ApiError;
use super::extract::ApiCaller;
use super::responses::Unauthorized;
use crate::core::views::{MeView, StructureView};
use axum::Json;

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "identity",
    responses((status = 200, body = MeView), Unauthorized))]
pub async fn get(ApiCaller { core, actor }: ApiCaller) -> Result<Json<MeView>, ApiError> {
    Ok(Json(core.me(&actor).await?))
}

/// The structures of the group.
#[utoipa::path(get, path = "/api/v1/structures", tag = "directory",
    responses((status = 200, body = Vec<StructureView>), Unauthorized))]
pub async fn structures(ApiCaller { core, actor }: ApiCaller) -> Result<Json<Vec<StructureView>>, ApiError> {
    Ok(Json(core.structures(&actor).await?))
}
