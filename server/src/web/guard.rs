//! What every request and answer goes through, whatever serves it:
//! - every browser form's write (any method but GET, HEAD, OPTIONS), signed in or not, sign-in
//!   and sign-out included, must come from one of Toile's own pages (cross-site request forgery:
//!   a forged sign-in would sign the visitor into another's account, and the cookie's
//!   `SameSite=Lax` alone still lets a sibling subdomain post). The JSON API (bearer tokens) and
//!   the SMS webhook (a secret in its address) are outside this rule: no other site can make a
//!   browser send either; there a request that carries a cookie must still come from Toile;
//! - every answer carries the headers that keep pages out of other sites' frames, let only
//!   Toile's scripts and the page's own inline scripts run (a nonce new for every answer), stop
//!   content sniffing, keep calendar links (secrets in URLs) out of other sites' logs, keep
//!   answers with secrets or personal data out of caches (`no_store`), and pin HTTPS when the
//!   installation is served over it.

use crate::links::PublicUrl;
use crate::web::layer_answers::FROM_ANOTHER_SITE;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::Response;
use leptos::nonce::Nonce;
use toile_shared::paths;

/// Everything but scripts: from Toile itself, nothing in frames, forms posted only to Toile.
macro_rules! policy_but_scripts {
    () => {
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    };
}

/// The policy of a page: scripts from Toile, and inline only those that carry this answer's nonce
/// (Leptos writes it on its islands' start-up and hydration data, see `toile_app::web`); the
/// bundle is WebAssembly, hence `'wasm-unsafe-eval'`. An injected `<script>` has no nonce.
fn page_policy(nonce: &Nonce) -> String {
    format!(concat!("script-src 'self' 'nonce-{}' 'wasm-unsafe-eval'; ", policy_but_scripts!()), nonce)
}

/// Answers that are not pages run no inline script at all.
const STRICT_POLICY: &str = concat!("script-src 'self' 'wasm-unsafe-eval'; ", policy_but_scripts!());

/// `same-origin`, not `no-referrer`: with `no-referrer` a browser writes `Origin: null` on a
/// form's POST, and the origin check below could no longer tell Toile's pages from others.
const REFERRER_POLICY: &str = "same-origin";

/// The installation's address, when configured: what `Origin` must then be.
#[derive(Clone, Debug, Default)]
pub struct Guard {
    public: Option<PublicUrl>,
}

impl Guard {
    pub fn new(public: Option<PublicUrl>) -> Guard {
        Guard { public }
    }

    /// Whether a request may go on: reads; writes from Toile's own pages; writes to the API or
    /// the SMS webhook that carry no cookie.
    ///
    /// A write that shows neither `Origin` nor `Referer` goes on: every browser in use sends
    /// `Origin` on a POST (and `Origin: null`, refused, when a page hides where it comes from),
    /// so such a request comes from no browser another site could drive (scripts, curl, the
    /// tests' clients), and refusing it would protect nobody.
    fn allows(&self, method: &Method, path: &str, headers: &HeaderMap) -> bool {
        if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
            return true;
        }
        let signed_otherwise = super::is_under(path, paths::API) || super::is_under(path, paths::SMS_WEBHOOK);
        if signed_otherwise && !headers.contains_key(header::COOKIE) {
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

    /// The headers of every answer; `nonce` is the one this request's page was given.
    fn secure_headers(&self, headers: &mut HeaderMap, nonce: &Nonce) {
        let is_page = text(headers, header::CONTENT_TYPE).is_some_and(|value| value.starts_with("text/html"));
        let policy = match is_page {
            true => HeaderValue::from_str(&page_policy(nonce)).ok(),
            false => None,
        };
        headers
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(policy.unwrap_or(HeaderValue::from_static(STRICT_POLICY)));
        let fixed = [
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

/// The middleware: refuses a forged write before anything runs, gives the request the nonce its
/// page's inline scripts carry, adds the headers to every answer.
pub async fn guard(State(guard): State<Guard>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let nonce = Nonce::new();
    let signed_in = toile_app::port::sign_in_token(request.headers()).is_some();
    let mut response = if guard.allows(request.method(), &path, request.headers()) {
        request.extensions_mut().insert(nonce.clone());
        next.run(request).await
    } else {
        tracing::warn!(method = %request.method(), path = %path, "write from another site refused");
        FROM_ANOTHER_SITE.answer(&path)
    };
    guard.secure_headers(response.headers_mut(), &nonce);
    if super::no_store::applies(&path, signed_in, response.headers()) {
        super::no_store::mark(response.headers_mut());
    }
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

    fn post_without_cookie(extra: &[(HeaderName, &str)]) -> HeaderMap {
        let mut all = vec![(header::HOST, "127.0.0.1:3000")];
        all.extend_from_slice(extra);
        headers(&all)
    }

    const ENROL: &str = "/fn/enrol";

    #[test]
    fn a_write_with_the_cookie_must_come_from_the_host_it_was_sent_to() {
        let guard = Guard::default();
        assert!(guard.allows(&Method::POST, ENROL, &post_with_cookie(&[(header::ORIGIN, "http://127.0.0.1:3000")])));
        assert!(!guard.allows(&Method::POST, ENROL, &post_with_cookie(&[(header::ORIGIN, "https://evil.example")])));
        assert!(!guard.allows(&Method::POST, ENROL, &post_with_cookie(&[(header::ORIGIN, "null")])));
        let own_referer = [(header::REFERER, "http://127.0.0.1:3000/seances/4")];
        assert!(guard.allows(&Method::POST, ENROL, &post_with_cookie(&own_referer)));
        let lookalike = [(header::REFERER, "http://127.0.0.1:3000.evil.example/")];
        assert!(!guard.allows(&Method::POST, ENROL, &post_with_cookie(&lookalike)));
        assert!(guard.allows(&Method::GET, ENROL, &post_with_cookie(&[(header::ORIGIN, "https://evil.example")])));
    }

    #[test]
    fn a_sign_in_or_sign_out_from_another_site_is_refused_though_it_carries_no_cookie() {
        let guard = Guard::default();
        let evil = post_without_cookie(&[(header::ORIGIN, "https://evil.example")]);
        for path in ["/fn/sign_in_participant", "/fn/sign_in_staff", "/fn/sign_out", "/equipe/seances/nouvelle"] {
            assert!(!guard.allows(&Method::POST, path, &evil), "{path}");
        }
        let own = post_without_cookie(&[(header::ORIGIN, "http://127.0.0.1:3000")]);
        assert!(guard.allows(&Method::POST, "/fn/sign_in_participant", &own));
        let hidden = post_without_cookie(&[(header::ORIGIN, "null")]);
        assert!(!guard.allows(&Method::POST, "/fn/sign_in_participant", &hidden));
    }

    #[test]
    fn a_write_that_names_no_origin_comes_from_no_browser_and_goes_on() {
        let guard = Guard::default();
        assert!(guard.allows(&Method::POST, "/fn/sign_in_participant", &post_without_cookie(&[])));
        assert!(guard.allows(&Method::POST, ENROL, &post_with_cookie(&[])));
    }

    #[test]
    fn the_api_and_the_sms_webhook_sign_otherwise_and_are_checked_only_with_a_cookie() {
        let guard = Guard::default();
        let evil = post_without_cookie(&[(header::ORIGIN, "https://evil.example")]);
        assert!(guard.allows(&Method::POST, "/api/v1/sessions", &evil), "the API signs with a bearer token");
        assert!(guard.allows(&Method::POST, "/webhooks/brevo/sms/secret", &evil), "the webhook's URL is its secret");
        let evil_with_cookie = post_with_cookie(&[(header::ORIGIN, "https://evil.example")]);
        assert!(!guard.allows(&Method::POST, "/api/v1/sessions", &evil_with_cookie));
        assert!(!guard.allows(&Method::POST, "/api/v1x", &evil), "a place is a whole segment");
    }

    #[test]
    fn a_configured_address_is_the_only_origin_accepted() {
        let guard = Guard::new(PublicUrl::parse("https://toile.groupe.fr/"));
        assert!(guard.allows(&Method::POST, ENROL, &post_with_cookie(&[(header::ORIGIN, "https://toile.groupe.fr")])));
        assert!(!guard.allows(&Method::POST, ENROL, &post_with_cookie(&[(header::ORIGIN, "http://127.0.0.1:3000")])));
        let plain = [(header::ORIGIN, "http://toile.groupe.fr")];
        assert!(!guard.allows(&Method::DELETE, ENROL, &post_with_cookie(&plain)));
        assert!(!guard.allows(&Method::POST, "/fn/sign_in_staff", &post_without_cookie(&plain)));
    }

    #[test]
    fn https_is_pinned_only_when_the_installation_is_served_over_it() {
        let nonce = Nonce::new();
        let mut plain = HeaderMap::new();
        Guard::default().secure_headers(&mut plain, &nonce);
        assert!(!plain.contains_key(header::STRICT_TRANSPORT_SECURITY));
        assert_eq!(plain[header::X_FRAME_OPTIONS], "DENY");
        let mut https = HeaderMap::new();
        Guard::new(PublicUrl::parse("https://toile.groupe.fr")).secure_headers(&mut https, &nonce);
        assert_eq!(https[header::STRICT_TRANSPORT_SECURITY], "max-age=31536000");
    }

    #[test]
    fn only_a_page_s_own_inline_scripts_run_and_other_answers_run_none() {
        let nonce = Nonce::new();
        let mut page = headers(&[(header::CONTENT_TYPE, "text/html; charset=utf-8")]);
        Guard::default().secure_headers(&mut page, &nonce);
        let policy = page[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        let scripts = policy.split(';').find(|directive| directive.trim().starts_with("script-src")).unwrap();
        assert_eq!(scripts.trim(), format!("script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"));
        assert!(!scripts.contains("unsafe-inline"), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");

        let mut json = headers(&[(header::CONTENT_TYPE, "application/json")]);
        Guard::default().secure_headers(&mut json, &nonce);
        let policy = json[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(policy.starts_with("script-src 'self' 'wasm-unsafe-eval';") && !policy.contains("nonce-"), "{policy}");
    }
}
