//! Where links point: the installation's public address (`TOILE_PUBLIC_URL`, read once into
//! `Config`) when set, else the address the request came to (`Host`, and `X-Forwarded-Proto`
//! behind a proxy). Calendar feeds, the API and the pages build their links here.

use axum::http::HeaderMap;
use axum::http::header::HOST;

/// The installation's public address, from its configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl {
    /// Scheme, host and optional path, without a trailing slash.
    base: String,
    /// The host name alone (no port).
    host: String,
}

impl PublicUrl {
    /// An `http://` or `https://` URL with a host, or `None`.
    pub fn parse(url: &str) -> Option<Self> {
        let base = url.trim().trim_end_matches('/');
        let rest = base.strip_prefix("https://").or_else(|| base.strip_prefix("http://"))?;
        let authority = rest.split(['/', '?', '#']).next()?;
        if base.contains(['?', '#']) || authority.contains('@') || !is_host(authority) {
            return None;
        }
        let host = without_port(authority);
        (!host.is_empty()).then(|| PublicUrl { base: base.to_string(), host: host.to_string() })
    }
}

impl PublicUrl {
    /// Scheme and authority, as a browser writes them in `Origin`: `https://toile.groupe.fr`.
    pub fn origin(&self) -> &str {
        let authority_start = self.base.find("://").map_or(0, |at| at + 3);
        let end = self.base[authority_start..].find('/').map_or(self.base.len(), |at| authority_start + at);
        &self.base[..end]
    }

    /// Scheme, host and path: what the links start with.
    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn is_https(&self) -> bool {
        self.base.starts_with("https://")
    }
}

/// What the links and identifiers of one response are built from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Links {
    /// E.g. `https://toile.mon-groupe.fr`: pages and feed URLs start with it.
    pub base: String,
    /// The domain in event UIDs: the public host, else `toile`. Never the request's host, so a
    /// session keeps one UID whichever address a calendar fetched it from.
    pub uid_domain: String,
    /// The domain of the organiser's no-reply address.
    pub mail_domain: String,
}

impl Links {
    pub fn for_request(public: Option<&PublicUrl>, headers: &HeaderMap) -> Links {
        if let Some(public) = public {
            return Links {
                base: public.base.clone(),
                uid_domain: public.host.clone(),
                mail_domain: public.host.clone(),
            };
        }
        let host = headers
            .get(HOST)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
            .filter(|host| is_host(host))
            .unwrap_or("localhost");
        let https = headers
            .get("x-forwarded-proto")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(',').next())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
        let scheme = if https { "https" } else { "http" };
        Links {
            base: format!("{scheme}://{host}"),
            uid_domain: "toile".into(),
            mail_domain: without_port(host).trim_matches(['[', ']']).to_string(),
        }
    }
}

/// A host with an optional port, as a `Host` header may hold: nothing that could break out of
/// a URL or a calendar line.
fn is_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 260
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

fn without_port(host: &str) -> &str {
    match host.strip_prefix('[') {
        // IPv6 literal: `[::1]:3000`.
        Some(rest) => rest.find(']').map_or(host, |end| &host[..end + 2]),
        None => host.split(':').next().unwrap_or(host),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn the_configured_address_wins_over_the_request() {
        let public = PublicUrl::parse("https://toile.groupe.fr/").unwrap();
        let links = Links::for_request(Some(&public), &headers(&[("host", "evil.example")]));
        assert_eq!(links.base, "https://toile.groupe.fr");
        assert_eq!(links.uid_domain, "toile.groupe.fr");
        assert_eq!(links.mail_domain, "toile.groupe.fr");
        assert_eq!(PublicUrl::parse("https://toile.groupe.fr:8443/app").unwrap().host, "toile.groupe.fr");
        assert_eq!(
            PublicUrl::parse("https://toile.groupe.fr:8443/app").unwrap().origin(),
            "https://toile.groupe.fr:8443"
        );
        assert_eq!(PublicUrl::parse("http://toile.groupe.fr").unwrap().origin(), "http://toile.groupe.fr");
        assert!(PublicUrl::parse("toile.groupe.fr").is_none());
        assert!(PublicUrl::parse("https://user@toile.groupe.fr").is_none());
    }

    #[test]
    fn without_configuration_links_follow_the_request_but_uids_do_not() {
        let links = Links::for_request(None, &headers(&[("host", "127.0.0.1:3000"), ("x-forwarded-proto", "https")]));
        assert_eq!(links.base, "https://127.0.0.1:3000");
        assert_eq!(links.uid_domain, "toile");
        assert_eq!(links.mail_domain, "127.0.0.1");
        let hostile = Links::for_request(None, &headers(&[("host", "a/b\"c")]));
        assert_eq!(hostile.base, "http://localhost");
        assert_eq!(Links::for_request(None, &headers(&[("host", "[::1]:3000")])).mail_domain, "::1");
    }
}
