use super::error::{ApiError, ErrorBody};
use super::extract::{ApiActor, Json, Path};
use crate::config::Config;
use crate::core::views::FeedView;
use crate::core::{Core, CoreError, CreatedFeed, FeedScope};
use crate::links::Links;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use toile_shared::session_input::FieldError;
use toile_shared::{CalendarScope, ParticipantId, SessionKind, StructureId, UserId, paths};
use utoipa::ToSchema;

/// What to follow: `scope` with the one id it needs, and an optional kind of session. Read
/// leniently (codes as text) so that every mistake is named by its field.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedRequest {
    #[schema(value_type = CalendarScope)]
    pub scope: String,
    /// Required for the `structure` scope, refused otherwise.
    pub structure_id: Option<StructureId>,
    /// The staff member whose sessions to follow: required for the `staff` scope.
    pub user_id: Option<UserId>,
    /// Required for the `participant` scope.
    pub participant_id: Option<ParticipantId>,
    /// Only sessions of this kind.
    #[schema(value_type = Option<SessionKind>)]
    pub kind: Option<String>,
}

impl FeedRequest {
    /// The scope and kind asked for, or every field at fault.
    pub fn parse(&self) -> Result<(FeedScope, Option<SessionKind>), CoreError> {
        let mut errors = vec![];
        let mut fail =
            |field: &str, message: &str| errors.push(FieldError { field: field.into(), message: message.into() });
        let kind = match self.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            None => None,
            Some(code) => {
                let kind = SessionKind::parse(code);
                if kind.is_none() {
                    fail("kind", "Type de séance inconnu.");
                }
                kind
            }
        };
        let scope = CalendarScope::parse(self.scope.trim());
        if scope.is_none() {
            fail("scope", "Type d'agenda inconnu : group, structure, staff ou participant.");
        }
        let ids = [
            ("structure_id", self.structure_id, CalendarScope::Structure),
            ("user_id", self.user_id, CalendarScope::Staff),
            ("participant_id", self.participant_id, CalendarScope::Participant),
        ];
        let mut id = None;
        if let Some(scope) = scope {
            for (field, value, needed_by) in ids {
                match (scope == needed_by, value) {
                    (true, None) => fail(field, "Ce champ est obligatoire pour ce type d'agenda."),
                    (false, Some(_)) => fail(field, "Ce champ ne s'applique pas à ce type d'agenda."),
                    (true, Some(value)) => id = Some(value),
                    (false, None) => {}
                }
            }
        }
        let scope = match (scope, id) {
            (Some(CalendarScope::Group), _) => Some(FeedScope::Group),
            (Some(CalendarScope::Structure), Some(id)) => Some(FeedScope::Structure(id)),
            (Some(CalendarScope::Staff), Some(id)) => Some(FeedScope::Staff(id)),
            (Some(CalendarScope::Participant), Some(id)) => Some(FeedScope::Participant(id)),
            _ => None,
        };
        match scope {
            Some(scope) if errors.is_empty() => Ok((scope, kind)),
            _ => Err(CoreError::Invalid(errors)),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FeedUrl {
    pub id: i64,
    /// The secret subscription URL (`…/calendars/<token>.ics`), shown this once: paste it into
    /// Google, Outlook, Apple or Thunderbird calendars. Regenerate the feed if it leaks.
    pub url: String,
}

fn feed_url_of(created: CreatedFeed, config: &Config, headers: &HeaderMap) -> FeedUrl {
    let links = Links::for_request(config.public_url.as_ref(), headers);
    FeedUrl { id: created.feed.id, url: paths::feed(&links.base, &created.token) }
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
    State(config): State<Arc<Config>>,
    ApiActor(actor): ApiActor,
    headers: HeaderMap,
    Json(body): Json<FeedRequest>,
) -> Result<(StatusCode, axum::Json<FeedUrl>), ApiError> {
    let (scope, kind) = body.parse()?;
    let created = core.create_feed(&actor, scope, kind).await?;
    Ok((StatusCode::CREATED, axum::Json(feed_url_of(created, &config, &headers))))
}

/// Gives the feed a new secret URL; the old one answers 404 at once. Its creator or an admin.
#[utoipa::path(post, path = "/api/v1/feeds/{id}/regenerate", tag = "feeds",
    responses((status = 200, body = FeedUrl), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn regenerate(
    State(core): State<Core>,
    State(config): State<Arc<Config>>,
    ApiActor(actor): ApiActor,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<axum::Json<FeedUrl>, ApiError> {
    let created = core.regenerate_feed(&actor, id).await?;
    Ok(axum::Json(feed_url_of(created, &config, &headers)))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn request(scope: &str) -> FeedRequest {
        FeedRequest { scope: scope.into(), ..Default::default() }
    }

    fn fields(error: CoreError) -> Vec<String> {
        match error {
            CoreError::Invalid(fields) => fields.into_iter().map(|f| f.field).collect(),
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn each_scope_needs_its_id_and_only_it() {
        assert_eq!(request("group").parse().unwrap(), (FeedScope::Group, None));
        let structure = FeedRequest { structure_id: Some(3), kind: Some("job_dating".into()), ..request("structure") };
        assert_eq!(structure.parse().unwrap(), (FeedScope::Structure(3), Some(SessionKind::JobDating)));
        assert_eq!(fields(request("staff").parse().unwrap_err()), ["user_id"]);
        assert_eq!(fields(request("participant").parse().unwrap_err()), ["participant_id"]);
        let extra = FeedRequest { user_id: Some(1), ..request("group") };
        assert_eq!(fields(extra.parse().unwrap_err()), ["user_id"]);
    }

    #[test]
    fn an_unknown_scope_or_kind_names_its_field() {
        let bad = FeedRequest { kind: Some("party".into()), ..request("everyone") };
        assert_eq!(fields(bad.parse().unwrap_err()), ["kind", "scope"]);
    }
}
