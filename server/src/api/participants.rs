use super::error::ApiError;
use super::extract::{ApiCaller, Json, Query};
use super::fields;
use super::idempotency::ShowsSecret;
use super::paging;
use super::responses::{BadRequest, Forbidden, Unauthorized, Unprocessable};
use crate::core::NewParticipant;
use crate::core::views::ParticipantView;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use toile_shared::access_code;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// Defaults to the caller's structure (everyone's for group-wide staff).
    #[param(value_type = i64, required = false)]
    pub structure_id: Option<i64>,
    /// At most this many participants in the answer (default and most: 500); the `Link`
    /// header (`rel="next"`) gives the next page's address when there are more.
    #[param(value_type = u32, minimum = 1, maximum = 500, required = false)]
    pub limit: Option<u32>,
    /// Where the page starts, as the `Link` header of the page before says.
    #[param(value_type = String, pattern = "^([0-9]{1,15})?$", required = false)]
    pub after: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateParticipant {
    #[schema(schema_with = fields::name)]
    pub first_name: String,
    #[schema(schema_with = fields::name)]
    pub last_name: String,
    pub structure_id: i64,
    /// A staff member of the same structure; by default the CIP of that structure who registers.
    pub referent_id: Option<i64>,
    #[schema(schema_with = fields::phone_or_null)]
    pub phone: Option<String>,
    #[schema(schema_with = fields::email_or_null)]
    pub email: Option<String>,
    /// No longer stored (Toile keeps no notes about a person's situation): accepted from
    /// earlier clients and ignored.
    #[schema(deprecated)]
    #[allow(dead_code)]
    pub support_needs: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedParticipant {
    #[serde(flatten)]
    pub participant: ParticipantView,
    /// The personal sign-in code, shown this once (stored hashed), e.g. `KP4T-9WXA`.
    pub access_code: String,
}

/// A structure's participants, by name, a page at a time: follow the `Link` header
/// (`rel="next"`) while there is one.
#[utoipa::path(get, path = "/api/v1/participants", tag = "directory", params(ListQuery),
    responses((status = 200, body = Vec<ParticipantView>,
        headers(("Link" = String, description = "`</api/v1/participants?…&after=…>; rel=\"next\"` when there are more."))),
        BadRequest, Unauthorized, Forbidden))]
pub async fn index(
    ApiCaller { core, actor }: ApiCaller,
    Query(query): Query<ListQuery>,
) -> Result<axum::response::Response, ApiError> {
    let (limit, after) = paging::asked(query.limit, query.after.as_deref(), |text| text.parse::<i64>().ok())?;
    let (participants, next) = core.participants(&actor, query.structure_id, after, limit).await?;
    let filters = query.structure_id.map(|id| ("structure_id", id.to_string())).into_iter().collect();
    let path = format!("{}/participants", toile_shared::paths::API);
    Ok(paging::answer(participants, &path, filters, limit, next.map(|id| id.to_string())))
}

/// Registers a participant; texts are kept trimmed, and a blank optional one as `null`.
#[utoipa::path(post, path = "/api/v1/participants", tag = "directory", request_body = CreateParticipant,
    responses((status = 201, body = CreatedParticipant), BadRequest, Unauthorized, Forbidden, Unprocessable))]
pub async fn create(
    ApiCaller { core, actor }: ApiCaller,
    Json(body): Json<CreateParticipant>,
) -> Result<(StatusCode, axum::Extension<ShowsSecret>, axum::Json<CreatedParticipant>), ApiError> {
    let new = NewParticipant {
        first_name: body.first_name,
        last_name: body.last_name,
        structure_id: body.structure_id,
        referent_id: body.referent_id,
        phone: body.phone,
        email: body.email,
    };
    let (participant, code) = core.register_participant(&actor, new).await?;
    let created = CreatedParticipant { participant, access_code: access_code::display(&code) };
    Ok((StatusCode::CREATED, axum::Extension(ShowsSecret), axum::Json(created)))
}
