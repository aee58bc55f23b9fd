//! Who is signed in, for the server's own browser routes (the downloads, the calendar download):
//! the `Visitor` that the one resolving middleware (`toile_app::resolve_visitor`, put in front of
//! every browser route by `serve::routes`) left in the request's extensions. The API has its
//! own caller, from its bearer token (`api::extract`).

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, LOCATION};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use toile_shared::authz::Actor;
use toile_shared::paths;
use toile_shared::visitor::Visitor;

/// The signed-in person's actor; without a sign-in, the way to the sign-in page.
pub struct SignedIn(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let signed_in = <Self as OptionalFromRequestParts<S>>::from_request_parts(parts, state).await;
        signed_in.ok().flatten().ok_or_else(to_sign_in)
    }
}

/// `Option<SignedIn>`, for a route that checks something else first.
impl<S: Send + Sync> OptionalFromRequestParts<S> for SignedIn {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, Infallible> {
        Ok(parts.extensions.get::<Visitor>().map(|visitor| SignedIn(visitor.actor.clone())))
    }
}

/// To the sign-in page (303); not kept, since the same address answers otherwise once signed in.
pub fn to_sign_in() -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, paths::SIGN_IN), (CACHE_CONTROL, "no-store")]).into_response()
}
