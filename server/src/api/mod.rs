//! JSON API v1 for integrations and scripts: thin handlers over the core, one file per
//! resource, described by an OpenAPI document generated from these handlers.

mod enrolments;
mod error;
mod extract;
mod feed_request;
mod feeds;
mod fields;
mod figures;
mod idempotency;
mod me;
mod paging;
mod participants;
mod responses;
mod sessions;

pub use error::ApiError;

use crate::config::Config;
use crate::core::Core;
use axum::Router;
use axum::extract::FromRef;
use axum::routing::{get, post, put};
use std::sync::Arc;
use utoipa::OpenApi;

/// What the handlers share: the core, and the configuration (for the links they build).
#[derive(Clone)]
pub struct ApiState {
    pub core: Core,
    pub config: Arc<Config>,
}

impl FromRef<ApiState> for Core {
    fn from_ref(state: &ApiState) -> Core {
        state.core.clone()
    }
}

impl FromRef<ApiState> for Arc<Config> {
    fn from_ref(state: &ApiState) -> Arc<Config> {
        state.config.clone()
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Toile API", version = "1", description = "Sessions, enrolments and participants of a job-integration group. Authenticate with `Authorization: Bearer <token>` (create one with `toile token create --email …`)."),
    paths(
        me::get, me::structures, participants::index, participants::create,
        sessions::index, sessions::get, sessions::create, sessions::update, sessions::cancel, sessions::duplicate,
        enrolments::index, enrolments::create, enrolments::delete, enrolments::attendance,
        feeds::index, feeds::create, feeds::regenerate, feeds::delete,
        figures::get,
    ),
    components(schemas(error::ErrorBody, crate::core::SeriesScope)),
    modifiers(&BearerAuth, &IdempotencyKeys),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every POST takes an `Idempotency-Key` (the `idempotency` middleware, around all of them).
struct IdempotencyKeys;

impl utoipa::Modify for IdempotencyKeys {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::{ObjectBuilder, Required, Type};
        let key = ParameterBuilder::new()
            .name(idempotency::HEADER)
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "Makes the POST safe to send again (draft-ietf-httpapi-idempotency-key-header): the same key with the \
                 same request answers the first answer again and does nothing; with another request, 422 \
                 `idempotency_key_mismatch`; while the first is under way, 409 `idempotency_key_in_use`; when the \
                 first answer showed a secret (an access code, a calendar link), which is not kept, 409 \
                 `idempotency_key_used`. Keys belong to the token's account and are kept 24 hours. A UUID is a good \
                 key; it may be sent quoted, as a Structured Field string.",
            ))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1))
                    .max_length(Some(crate::core::MAX_KEY_CHARS))
                    .pattern(Some("^[ -~]+$")),
            ))
            .build();
        for item in openapi.paths.paths.values_mut() {
            let Some(post) = item.post.as_mut() else { continue };
            post.parameters.get_or_insert_with(Vec::new).push(key.clone());
            for (status, description) in [
                (
                    "409",
                    "The same `Idempotency-Key` is in use or answered a secret (`idempotency_key_in_use`, `idempotency_key_used`), or the operation's own conflicts.",
                ),
                (
                    "422",
                    "The same `Idempotency-Key` with another request (`idempotency_key_mismatch`), or values that do not fit (`invalid`).",
                ),
                (
                    "400",
                    "Unreadable request, or an `Idempotency-Key` that is not 1 to 255 visible ASCII characters (`bad_request`).",
                ),
            ] {
                post.responses.responses.entry(status.to_string()).or_insert_with(|| error_response(description));
            }
        }
    }
}

fn error_response(description: &str) -> utoipa::openapi::RefOr<utoipa::openapi::Response> {
    use utoipa::ToSchema;
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name(error::ErrorBody::name()))).build();
    ResponseBuilder::new().description(description).content("application/json", content).build().into()
}

pub fn router(core: Core, config: Arc<Config>) -> Router {
    let api = Router::new()
        .route("/openapi.json", get(|| async { axum::Json(ApiDoc::openapi()) }))
        .route("/me", get(me::get))
        .route("/structures", get(me::structures))
        .route("/participants", get(participants::index).post(participants::create))
        .route("/sessions", get(sessions::index).post(sessions::create))
        .route("/sessions/{id}", get(sessions::get).patch(sessions::update))
        .route("/sessions/{id}/cancel", post(sessions::cancel))
        .route("/sessions/{id}/duplicate", post(sessions::duplicate))
        .route("/sessions/{id}/enrolments", get(enrolments::index).post(enrolments::create))
        .route("/sessions/{id}/enrolments/{participant_id}", axum::routing::delete(enrolments::delete))
        .route("/sessions/{id}/attendance/{participant_id}", put(enrolments::attendance))
        .route("/feeds", get(feeds::index).post(feeds::create))
        .route("/feeds/{id}", axum::routing::delete(feeds::delete))
        .route("/feeds/{id}/regenerate", post(feeds::regenerate))
        .route("/figures", get(figures::get))
        .route_layer(axum::middleware::from_fn_with_state(core.clone(), idempotency::layer))
        .fallback(|| async { ApiError::Core(crate::core::CoreError::NotFound("Ressource")) })
        .with_state(ApiState { core, config });
    Router::new().nest(toile_shared::paths::API, api)
}
