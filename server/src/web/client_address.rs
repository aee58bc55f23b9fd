//! What a request says about where it came from:
//! - its address: the connection's peer, or, when Toile is configured to run behind one reverse
//!   proxy (`TOILE_BEHIND_PROXY=1`), the last address that proxy appended to `X-Forwarded-For`
//!   (the earlier ones are whatever the client chose to send). Sign-in failures are counted per
//!   address;
//! - whether it came over HTTPS, when the configured address is https: cookies are then `Secure`,
//!   and only the `__Host-` sign-in cookie signs a browser in. The plain-named one, which a
//!   sibling subdomain can plant ("fixation"), is taken out of the request before anything reads
//!   it.

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{COOKIE, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};
use toile_app::port::{ClientAddress, SIGN_IN_COOKIE, ServedOverHttps};

#[derive(Clone, Copy, Debug)]
pub struct Served {
    pub behind_proxy: bool,
    /// The configured public address is https.
    pub over_https: bool,
}

pub async fn client_address(State(served): State<Served>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    let forwarded = served.behind_proxy.then(|| last_forwarded(&request)).flatten();
    if let Some(address) = forwarded.or(peer) {
        request.extensions_mut().insert(ClientAddress(address));
    }
    if served.over_https {
        request.extensions_mut().insert(ServedOverHttps);
        drop_plain_sign_in_cookie(request.headers_mut());
    }
    next.run(request).await
}

fn last_forwarded(request: &Request) -> Option<IpAddr> {
    let all = request.headers().get_all("x-forwarded-for");
    let last = all.iter().filter_map(|value| value.to_str().ok()).flat_map(|value| value.split(',')).last()?;
    last.trim().parse().ok()
}

/// Rewrites the `Cookie` headers without the plain-named sign-in cookie (other cookies stay).
fn drop_plain_sign_in_cookie(headers: &mut HeaderMap) {
    if toile_app::port::cookie(headers, SIGN_IN_COOKIE).is_none() {
        return;
    }
    let kept: Vec<String> = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .map(str::trim)
        .filter(|pair| pair.split_once('=').is_none_or(|(name, _)| name.trim() != SIGN_IN_COOKIE))
        .filter(|pair| !pair.is_empty())
        .map(str::to_owned)
        .collect();
    headers.remove(COOKIE);
    if let Ok(value) = HeaderValue::from_str(&kept.join("; "))
        && !kept.is_empty()
    {
        headers.insert(COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_https_only_the_host_bound_sign_in_cookie_is_kept() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, HeaderValue::from_static("theme=dark; toile_session=planted"));
        headers.append(COOKIE, HeaderValue::from_static("__Host-toile_session=mine"));
        drop_plain_sign_in_cookie(&mut headers);
        assert_eq!(headers[COOKIE], "theme=dark; __Host-toile_session=mine");
        assert_eq!(toile_app::port::sign_in_token(&headers), Some("mine"));

        let mut alone = HeaderMap::new();
        alone.insert(COOKIE, HeaderValue::from_static("toile_session=planted"));
        drop_plain_sign_in_cookie(&mut alone);
        assert!(alone.get(COOKIE).is_none());
        assert_eq!(toile_app::port::sign_in_token(&alone), None);
    }
}
