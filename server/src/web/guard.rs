//! What every request and answer goes through, whatever serves it:
//! - a write that carries a sign-in cookie must come from one of Toile's own pages (cross-site
//!   request forgery: the cookie's `SameSite=Lax` alone still lets a sibling subdomain post);
//! - every answer carries the headers that keep pages out of other sites' frames, stop content
//!   sniffing, keep calendar links (secrets in URLs) out of other sites' logs, and pin HTTPS when
//!   the installation is served over it.

use crate::links::PublicUrl;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Scripts: Leptos writes its islands' start-up and hydration data inline, and the bundle is
/// WebAssembly, hence `'unsafe-inline'` and `'wasm-unsafe-eval'`; everything else only from
/// Toile itself, nothing in frames, forms posted only to Toile.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// `same-origin`, not `no-referrer`: with `no-referrer` a browser writes `Origin: null` on a
/// form's POST, and the origin check below could no longer tell Toile's pages from others.
const REFERRER_POLICY: &str = "same-origin";

const REFUSED: &str = "Demande refusée : elle ne vient pas d'une page de Toile. \
     Revenez sur Toile et recommencez.";

/// The installation's address, when configured: what `Origin` must then be.
#[derive(Clone, Debug, Default)]
pub struct Guard {
    public: Option<PublicUrl>,
}

impl Guard {
    pub fn new(public: Option<PublicUrl>) -> Guard {
        Guard { public }
    }

    /// Whether a write may go on: reads, writes without a cookie (the API signs with a bearer
    /// token, which no other site can make a browser send) and writes from Toile's own pages.
    /// A write with a cookie but neither `Origin` nor `Referer` comes from no browser (they
    /// all send `Origin` on a POST) and goes on.
    fn allows(&self, method: &Method, headers: &HeaderMap) -> bool {
        if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) || !headers.contains_key(header::COOKIE) {
            return true;
        }
        let origin = text(headers, header::ORIGIN)
            .map(str::to_string)
            .or_else(|| text(headers, header::REFERER).and_then(origin_of).map(str::to_string));
        match origin {
            None => true,
            Some(origin) => self.is_own(&origin, headers),
        }
    }

    /// The configured address when there is one; else the host the request was sent to (behind
    /// a proxy that ends TLS the scheme is not known here, and the host is what matters).
    fn is_own(&self, origin: &str, headers: &HeaderMap) -> bool {
        match &self.public {
            Some(public) => origin.eq_ignore_ascii_case(public.origin()),
            None => match (origin.split_once("://"), text(headers, header::HOST)) {
                (Some((_, authority)), Some(host)) => authority.eq_ignore_ascii_case(host.trim()),
                _ => false,
            },
        }
    }

    fn secure_headers(&self, headers: &mut HeaderMap) {
        let fixed = [
            (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
            (header::REFERRER_POLICY, REFERRER_POLICY),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::X_FRAME_OPTIONS, "DENY"),
        ];
        for (name, value) in fixed {
            set_if_absent(headers, name, value);
        }
        if self.public.as_ref().is_some_and(PublicUrl::is_https) {
            set_if_absent(headers, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
        }
    }
}

/// The middleware: refuses a forged write before anything runs, adds the headers to every answer.
pub async fn guard(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    let mut response = if guard.allows(request.method(), request.headers()) {
        next.run(request).await
    } else {
        tracing::warn!(method = %request.method(), path = %request.uri().path(), "write from another site refused");
        (StatusCode::FORBIDDEN, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], REFUSED).into_response()
    };
    guard.secure_headers(response.headers_mut());
    response
}

fn text(headers: &HeaderMap, name: HeaderName) -> Option<&str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// `https://host:port` of a URL.
fn origin_of(url: &str) -> Option<&str> {
    let authority_start = url.find("://")? + 3;
    let end = url[authority_start..].find(['/', '?', '#']).map_or(url.len(), |at| authority_start + at);
    Some(&url[..end])
}

fn set_if_absent(headers: &mut HeaderMap, name: HeaderName, value: &'static str) {
    headers.entry(name).or_insert(HeaderValue::from_static(value));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(HeaderName, &str)]) -> HeaderMap {
        pairs.iter().map(|(name, value)| (name.clone(), value.parse().unwrap())).collect()
    }

    fn post_with_cookie(extra: &[(HeaderName, &str)]) -> HeaderMap {
        let mut all = vec![(header::HOST, "127.0.0.1:3000"), (header::COOKIE, "toile_session=x")];
        all.extend_from_slice(extra);
        headers(&all)
    }

    #[test]
    fn a_write_with_the_cookie_must_come_from_the_host_it_was_sent_to() {
        let guard = Guard::default();
        assert!(guard.allows(&Method::POST, &post_with_cookie(&[(header::ORIGIN, "http://127.0.0.1:3000")])));
        assert!(!guard.allows(&Method::POST, &post_with_cookie(&[(header::ORIGIN, "https://evil.example")])));
        assert!(!guard.allows(&Method::POST, &post_with_cookie(&[(header::ORIGIN, "null")])));
        assert!(
            guard.allows(&Method::POST, &post_with_cookie(&[(header::REFERER, "http://127.0.0.1:3000/seances/4")]))
        );
        assert!(
            !guard
                .allows(&Method::POST, &post_with_cookie(&[(header::REFERER, "http://127.0.0.1:3000.evil.example/")]))
        );
        assert!(guard.allows(&Method::GET, &post_with_cookie(&[(header::ORIGIN, "https://evil.example")])));
        let no_cookie = headers(&[(header::HOST, "127.0.0.1:3000"), (header::ORIGIN, "https://evil.example")]);
        assert!(guard.allows(&Method::POST, &no_cookie), "the API signs with a bearer token");
    }

    #[test]
    fn a_configured_address_is_the_only_origin_accepted() {
        let guard = Guard::new(PublicUrl::parse("https://toile.groupe.fr/"));
        assert!(guard.allows(&Method::POST, &post_with_cookie(&[(header::ORIGIN, "https://toile.groupe.fr")])));
        assert!(!guard.allows(&Method::POST, &post_with_cookie(&[(header::ORIGIN, "http://127.0.0.1:3000")])));
        assert!(!guard.allows(&Method::DELETE, &post_with_cookie(&[(header::ORIGIN, "http://toile.groupe.fr")])));
    }

    #[test]
    fn https_is_pinned_only_when_the_installation_is_served_over_it() {
        let mut plain = HeaderMap::new();
        Guard::default().secure_headers(&mut plain);
        assert!(!plain.contains_key(header::STRICT_TRANSPORT_SECURITY));
        assert_eq!(plain[header::X_FRAME_OPTIONS], "DENY");
        let mut https = HeaderMap::new();
        Guard::new(PublicUrl::parse("https://toile.groupe.fr")).secure_headers(&mut https);
        assert_eq!(https[header::STRICT_TRANSPORT_SECURITY], "max-age=31536000");
    }
}
