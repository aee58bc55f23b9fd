//! The error answers an operation declares, one type per status, each with the `ErrorBody`
//! schema: list them in the `responses(...)` of the handler's `#[utoipa::path]`. Conflicts (409)
//! are declared by each operation, with the codes it may answer.

use super::error::ErrorBody;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

fn error(status: &str, description: &str) -> BTreeMap<String, RefOr<Response>> {
    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name(ErrorBody::name()))).build();
    let response = ResponseBuilder::new().description(description).content("application/json", content).build();
    BTreeMap::from([(status.to_string(), response.into())])
}

macro_rules! error_responses {
    ($($name:ident = $status:literal, $description:literal;)+) => {$(
        #[doc = $description]
        pub struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                error($status, $description)
            }
        }
    )+};
}

error_responses! {
    BadRequest = "400", "Unreadable request: a body that is not JSON (or not sent as `application/json`), a path or query parameter of the wrong type (`bad_request`).";
    Unauthorized = "401", "No valid `Authorization: Bearer <token>` header (`unauthenticated`), or a token past its end date (`token_expired`: make another).";
    Forbidden = "403", "The token's owner may not do this (`forbidden`).";
    NotFound = "404", "No such resource, or one the token's owner may not see (`not_found`).";
    PreconditionFailed = "412", "`If-Match` names none of the session's current `ETag`: it changed since it was read, and nothing was written (`precondition_failed`). Read it again, then send the change again.";
    Unprocessable = "422", "JSON whose values do not fit: a wrong type, an unknown field or code, a value out of bounds, an id that points nowhere, or a rule broken (`invalid`; `fields` names each field at fault).";
}
