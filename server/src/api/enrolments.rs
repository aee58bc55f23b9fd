use super::error::{ApiError, ErrorBody};
use super::extract::{ApiCaller, Json, Path, Query};
use super::fields;
use super::paging;
use super::responses::{BadRequest, Forbidden, NotFound, Unauthorized, Unprocessable};
use crate::core::EnrolmentCursor;
use crate::core::views::EnrolmentView;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use toile_shared::Attendance;
use toile_shared::enrolment::Request;
use utoipa::{IntoParams, ToSchema};

/// A plain enrolment (`participant_id`), or an overbooking (`overbook: true` with its
/// `reason`): the schema says so (`EnrolBody::schema`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolBody {
    pub participant_id: i64,
    /// Staff only: confirm even when the session is full, with `reason`. Recorded in the audit
    /// trail.
    #[serde(default)]
    pub overbook: bool,
    /// Why the person is enrolled beyond capacity: required with `overbook`, which is refused
    /// without it (422, `invalid`, field `reason`).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Either a plain enrolment or an overbooking with its reason: a document that let
/// `overbook: true` go without `reason` would promise what the server refuses.
impl utoipa::PartialSchema for EnrolBody {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{
            AdditionalProperties, KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, SchemaType, Type,
        };
        let participant = || {
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                .description(Some("The participant to enrol."))
        };
        let overbook = |value: bool| ObjectBuilder::new().schema_type(Type::Boolean).enum_values(Some([value]));
        let closed = || Some(AdditionalProperties::FreeForm(false));
        let plain = ObjectBuilder::new()
            .title(Some("Enrolment"))
            .property("participant_id", participant())
            .required("participant_id")
            .property("overbook", overbook(false))
            .property(
                "reason",
                ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                    .description(Some("Read only with `overbook`.")),
            )
            .additional_properties(closed());
        let reason = toile_shared::openapi::line(crate::core::MAX_OVERBOOK_REASON_CHARS)
            .description(Some("Why the person is enrolled beyond capacity: recorded in the audit trail."));
        let overbooking = ObjectBuilder::new()
            .title(Some("Overbooking"))
            .description(Some("Staff only: confirm even when the session is full, saying why."))
            .property("participant_id", participant())
            .required("participant_id")
            .property("overbook", overbook(true))
            .required("overbook")
            .property("reason", reason)
            .required("reason")
            .additional_properties(closed());
        OneOfBuilder::new().item(plain).item(overbooking).into()
    }
}

impl utoipa::ToSchema for EnrolBody {}

#[derive(Serialize, ToSchema)]
pub struct UnenrolResult {
    /// Who got the freed seat from the waiting list, if anyone.
    #[schema(required = true)]
    pub promoted_participant_id: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceBody {
    /// `present`, `absent` or `excused`.
    #[schema(schema_with = fields::attendance_mark)]
    pub status: Attendance,
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// At most this many enrolments in the answer (default and most: 500); the `Link` header
    /// (`rel="next"`) gives the next page's address when there are more.
    #[param(value_type = u32, minimum = 1, maximum = 500, required = false)]
    pub limit: Option<u32>,
    /// Where the page starts, as the `Link` header of the page before says.
    #[param(value_type = String, pattern = "^(-?[0-9]{1,15}_[0-9]{1,15})?$", required = false)]
    pub after: Option<String>,
}

/// Who enrolled, in the order they came (the waiting list's order): everyone for those who
/// manage the session, else the caller's structure's people; a page at a time, following the
/// `Link` header (`rel="next"`) while there is one.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/enrolments", tag = "enrolments",
    params(("id" = i64, Path, description = "The session."), ListQuery),
    responses((status = 200, body = Vec<EnrolmentView>,
        headers(("Link" = String, description = "`</api/v1/sessions/{id}/enrolments?…&after=…>; rel=\"next\"` when there are more."))),
        BadRequest, Unauthorized, Forbidden, NotFound))]
pub async fn index(
    ApiCaller { core, actor }: ApiCaller,
    Path(session): Path<i64>,
    Query(query): Query<ListQuery>,
) -> Result<axum::response::Response, ApiError> {
    let (limit, after) = paging::asked(query.limit, query.after.as_deref(), EnrolmentCursor::parse)?;
    let (enrolments, next) = core.enrolments_page(&actor, session, after, limit).await?;
    let path = format!("{}/sessions/{session}/enrolments", toile_shared::paths::API);
    Ok(paging::answer(enrolments, &path, Vec::new(), limit, next.map(|cursor| cursor.to_string())))
}

/// Enrols a participant: 201 confirmed or waitlisted; the same request again answers 200
/// with the existing enrolment. Overbooking (`overbook`) needs a `reason`: 422 without one.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/enrolments", tag = "enrolments", params(("id" = i64, Path, description = "The session.")), request_body = EnrolBody,
    responses((status = 201, body = EnrolmentView), (status = 200, body = EnrolmentView), BadRequest, Unauthorized, Forbidden,
        (status = 404, body = ErrorBody, description = "No such session or participant (`not_found`)."),
        (status = 409, body = ErrorBody, description = "The enrolment is refused: `session_cancelled`, `enrolment_closed`, `not_in_audience`, `overlapping_enrolment`, …"),
        Unprocessable))]
pub async fn create(
    ApiCaller { core, actor }: ApiCaller,
    Path(session): Path<i64>,
    Json(body): Json<EnrolBody>,
) -> Result<(StatusCode, axum::Json<EnrolmentView>), ApiError> {
    let result = match body.overbook {
        true => {
            let reason = body.reason.unwrap_or_default();
            core.enrol_overbooking(&actor, session, body.participant_id, &reason).await?
        }
        false => core.enrol(&actor, session, body.participant_id, Request::Normal).await?,
    };
    let status = if result.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, axum::Json(result.enrolment)))
}

/// Cancels an enrolment; the freed seat goes to the first person waiting who may take it.
#[utoipa::path(delete, path = "/api/v1/sessions/{id}/enrolments/{participant_id}", tag = "enrolments",
    params(("id" = i64, Path, description = "The session."), ("participant_id" = i64, Path, description = "The participant.")),
    responses((status = 200, body = UnenrolResult), BadRequest, Unauthorized, Forbidden,
        (status = 404, body = ErrorBody, description = "No such session or participant, or no live enrolment (`not_found`).")))]
pub async fn delete(
    ApiCaller { core, actor }: ApiCaller,
    Path((session, participant)): Path<(i64, i64)>,
) -> Result<axum::Json<UnenrolResult>, ApiError> {
    let promoted_participant_id = core.unenrol(&actor, session, participant).await?;
    Ok(axum::Json(UnenrolResult { promoted_participant_id }))
}

/// Records whether a confirmed person came.
#[utoipa::path(put, path = "/api/v1/sessions/{id}/attendance/{participant_id}", tag = "enrolments",
    params(("id" = i64, Path, description = "The session."), ("participant_id" = i64, Path, description = "The participant.")),
    request_body = AttendanceBody,
    responses((status = 200, body = EnrolmentView), BadRequest, Unauthorized, Forbidden,
        (status = 404, body = ErrorBody, description = "No such session, or no enrolment of this participant (`not_found`)."),
        (status = 409, body = ErrorBody, description = "`not_confirmed`: only confirmed people have an attendance."),
        Unprocessable))]
pub async fn attendance(
    ApiCaller { core, actor }: ApiCaller,
    Path((session, participant)): Path<(i64, i64)>,
    Json(body): Json<AttendanceBody>,
) -> Result<axum::Json<EnrolmentView>, ApiError> {
    Ok(axum::Json(core.set_attendance(&actor, session, participant, body.status).await?))
}
