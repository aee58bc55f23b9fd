//! The answers that layers give before (or instead of) a route: a body over its limit (413,
//! `body_limits`), a request not answered in time (408, the timeout of `serve::app`), too many
//! requests (429) and a write from another site (403, `guard`). tower-http writes them as plain
//! text (`length limit exceeded`) or with no body at all; here they speak the asker's language:
//! on the API, a JSON error with a stable code in the shape of its other errors
//! (`json_error`); elsewhere, a small French page.

use crate::json_error::{JsonError, http_status};
use axum::extract::Request;
use axum::http::header::{self, HeaderMap};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use toile_shared::{ErrorCode, paths};

/// What a layer's refusal says: the API's code (which gives the status), and the page's title
/// and sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: ErrorCode,
    pub title: &'static str,
    pub sentence: &'static str,
}

pub const BODY_TOO_LARGE: Refusal = Refusal {
    code: ErrorCode::BodyTooLarge,
    title: "Envoi trop long",
    sentence: "Ce que vous avez envoyé est trop long. Raccourcissez le texte, puis réessayez.",
};

pub const TOO_SLOW: Refusal = Refusal {
    code: ErrorCode::RequestTimeout,
    title: "Délai dépassé",
    sentence: "La demande a mis trop de temps à arriver. Réessayez dans un instant.",
};

pub const TOO_MANY: Refusal = Refusal {
    code: ErrorCode::RateLimited,
    title: "Trop de demandes",
    sentence: "Trop de demandes en peu de temps. Attendez une minute, puis réessayez.",
};

pub const FROM_ANOTHER_SITE: Refusal = Refusal {
    code: ErrorCode::CrossSiteRequest,
    title: "Demande refusée",
    sentence: "Demande refusée : elle ne vient pas d'une page de Toile. Revenez sur Toile et recommencez.",
};

impl Refusal {
    pub fn status(self) -> StatusCode {
        http_status(self.code)
    }

    /// The refusal for a request to `path`: JSON on the API, a page elsewhere.
    pub fn answer(self, path: &str) -> Response {
        let mut response = if super::is_under(path, paths::API) {
            JsonError::new(self.code, self.sentence).into_response()
        } else {
            (self.status(), Html(self.page())).into_response()
        };
        // A refusal is about this request only.
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }

    /// The page: the site's stylesheet, a title, one plain sentence, the way back.
    fn page(self) -> String {
        let Refusal { title, sentence, .. } = self;
        let stylesheet = format!("{}/pkg/toile.css", crate::web::assets::base());
        format!(
            "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title} · Toile</title><link rel=\"stylesheet\" href=\"{stylesheet}\"></head>\
             <body><main id=\"contenu\"><h1>{title}</h1><p>{sentence}</p>\
             <p><a href=\"/\">Revenir à l'accueil de Toile</a></p></main></body></html>\n"
        )
    }
}

/// The layer's own refusal among these statuses, when its answer is not already JSON or a page
/// (a route's 429 or 413 already says what it means, in its own words).
fn refusal_to_rewrite(status: StatusCode, headers: &HeaderMap) -> Option<Refusal> {
    let refusal = [BODY_TOO_LARGE, TOO_SLOW, TOO_MANY].into_iter().find(|refusal| refusal.status() == status)?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or("");
    let already_said = content_type.contains("json") || content_type.starts_with("text/html");
    (!already_said).then_some(refusal)
}

/// The middleware, around the layers that refuse (body limits, timeout).
pub async fn in_the_asker_s_language(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    match refusal_to_rewrite(response.status(), response.headers()) {
        Some(refusal) => refusal.answer(&path),
        None => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(content_type: &str) -> HeaderMap {
        [(header::CONTENT_TYPE, content_type.parse().unwrap())].into_iter().collect()
    }

    #[test]
    fn only_a_layer_s_plain_refusal_is_rewritten() {
        assert_eq!(refusal_to_rewrite(StatusCode::PAYLOAD_TOO_LARGE, &typed("text/plain")), Some(BODY_TOO_LARGE));
        assert_eq!(refusal_to_rewrite(StatusCode::REQUEST_TIMEOUT, &HeaderMap::new()), Some(TOO_SLOW));
        assert_eq!(
            refusal_to_rewrite(StatusCode::TOO_MANY_REQUESTS, &typed("text/plain; charset=utf-8")),
            Some(TOO_MANY)
        );
        assert_eq!(
            refusal_to_rewrite(StatusCode::TOO_MANY_REQUESTS, &typed("application/json")),
            None,
            "the API's own"
        );
        assert_eq!(refusal_to_rewrite(StatusCode::TOO_MANY_REQUESTS, &typed("text/html; charset=utf-8")), None);
        assert_eq!(refusal_to_rewrite(StatusCode::NOT_FOUND, &typed("text/plain")), None);
    }

    #[tokio::test]
    async fn the_api_gets_a_json_error_and_a_page_gets_a_french_page() {
        let api = TOO_MANY.answer("/api/v1/sessions");
        assert_eq!(api.status(), 429);
        let body = axum::body::to_bytes(api.into_body(), 4096).await.unwrap();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["error"]["code"], "rate_limited");

        let page = TOO_MANY.answer("/connexion");
        assert_eq!(page.status(), 429);
        let body = axum::body::to_bytes(page.into_body(), 4096).await.unwrap();
        let html = String::from_utf8(body.to_vec()).unwrap();
        assert!(html.contains("<html lang=\"fr\">") && html.contains("<title>Trop de demandes"), "{html}");
    }
}
