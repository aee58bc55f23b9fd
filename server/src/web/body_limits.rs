//! How large a request's body may be, by route. A sign-in, an enrolment or a calendar link
//! carries a few fields; only the staff's forms and the API carry a session's description
//! (4,000 characters at most, 48 KB once percent-encoded in the worst case). Beyond its
//! route's limit a request is refused with 413 before its body is read (tower-http's limit,
//! chosen here per request), so no route reads more than it could ever need.

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use toile_shared::paths;
use tower::ServiceExt;
use tower_http::limit::RequestBodyLimitLayer;

pub use crate::listen::{SIGNATURE_BODY_BYTES, SMALL_BODY_BYTES, STAFF_BODY_BYTES};
/// The server function that records a drawn signature (`toile_app::functions::sign_sheet`).
pub const SIGNATURE_ROUTE: &str = "/fn/sign_sheet";

/// The largest body the route at `path` takes.
pub fn limit_for(path: &str) -> usize {
    let under = |prefix: &str| super::is_under(path, prefix);
    if under(paths::API) || under(paths::STAFF_HOME) || under(paths::ADMIN) {
        STAFF_BODY_BYTES
    } else if path == SIGNATURE_ROUTE {
        SIGNATURE_BODY_BYTES
    } else {
        SMALL_BODY_BYTES
    }
}

/// The middleware: the request goes on with its route's limit around its body.
pub async fn limit_body(request: Request, next: Next) -> Response {
    let limited = tower::ServiceBuilder::new()
        .layer(RequestBodyLimitLayer::new(limit_for(request.uri().path())))
        .map_request(|limited: axum::http::Request<_>| limited.map(Body::new))
        .service(next);
    match limited.oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_staff_s_forms_and_the_api_take_large_bodies() {
        assert_eq!(limit_for("/api/v1/sessions"), STAFF_BODY_BYTES);
        assert_eq!(limit_for("/equipe/seances/nouvelle"), STAFF_BODY_BYTES);
        assert_eq!(limit_for("/admin"), STAFF_BODY_BYTES);
        assert_eq!(limit_for("/fn/sign_in_participant"), SMALL_BODY_BYTES);
        assert_eq!(limit_for("/fn/enrol"), SMALL_BODY_BYTES);
        assert_eq!(limit_for("/administration"), SMALL_BODY_BYTES, "a prefix is a whole segment");
        assert_eq!(limit_for("/calendars/abc.ics"), SMALL_BODY_BYTES);
        assert_eq!(limit_for("/fn/sign_sheet"), SIGNATURE_BODY_BYTES);
    }

    #[test]
    fn the_largest_signature_fits_its_route() {
        let worst = toile_shared::signature::MAX_PATH_CHARS * 3; // every character percent-encoded
        assert!(worst + 200 <= SIGNATURE_BODY_BYTES, "{worst}");
    }
}
