//! Which answers no browser or proxy may keep a copy of (`Cache-Control: no-store`): those that
//! carry a new secret (an access code, an API token, a calendar or invitation link) or personal
//! data (a roster, a phone number). The rule is by place, not by answer, so a new route cannot
//! forget it:
//! - everything under the API, the staff's and the admin's pages, the server functions, the
//!   answer links and the invitation links;
//! - every page answered to a browser that carries a sign-in cookie (a participant's own
//!   sessions, their calendar links).
//!
//! Static files, the calendar feeds (their own policy, `feeds::http`) and the pages a signed-out
//! visitor sees may be kept.

use axum::http::header::{self, HeaderMap, HeaderValue};
use toile_shared::paths;

/// Where every answer is `no-store`, whoever asks.
const PLACES: [&str; 6] =
    [paths::API, paths::STAFF_HOME, paths::ADMIN, paths::SERVER_FNS, paths::ANSWER, paths::INVITATION];

/// Whether the answer to a request for `path` (`signed_in`: it carried a sign-in cookie), with
/// these headers, must not be kept.
pub fn applies(path: &str, signed_in: bool, answer: &HeaderMap) -> bool {
    let is_page = answer
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    PLACES.iter().any(|place| super::is_under(path, place)) || (signed_in && is_page)
}

/// Marks the answer `no-store`, keeping a stricter policy it already has (`private, no-store`).
pub fn mark(answer: &mut HeaderMap) {
    let already = answer
        .get(header::CACHE_CONTROL)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("no-store"));
    if !already {
        answer.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(content_type: &'static str) -> HeaderMap {
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))].into_iter().collect()
    }

    #[test]
    fn secrets_and_staff_places_are_never_kept_whoever_asks() {
        let json = typed("application/json");
        for path in [
            "/api/v1/participants",
            "/api/v1/feeds",
            "/fn/create_feed",
            "/equipe/participants/3",
            "/admin",
            "/r/abc",
            "/invitation/x",
        ] {
            assert!(applies(path, false, &json), "{path}");
        }
        assert!(!applies("/administration", false, &json), "a place is a whole segment");
    }

    #[test]
    fn a_signed_in_visitor_s_pages_are_not_kept_but_static_files_are() {
        let html = typed("text/html; charset=utf-8");
        assert!(applies("/seances", true, &html));
        assert!(applies("/agenda", true, &html));
        assert!(!applies("/seances", false, &html), "the same page to nobody in particular");
        assert!(!applies("/s/abc/pkg/toile.css", true, &typed("text/css")));
    }

    #[test]
    fn a_stricter_policy_is_kept() {
        let mut headers: HeaderMap =
            [(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"))].into_iter().collect();
        mark(&mut headers);
        assert_eq!(headers[header::CACHE_CONTROL], "private, no-store");
        let mut headers: HeaderMap =
            [(header::CACHE_CONTROL, HeaderValue::from_static("max-age=60"))].into_iter().collect();
        mark(&mut headers);
        assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    }
}
