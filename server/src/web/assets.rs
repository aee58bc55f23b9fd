//! The site's static files (stylesheet, browser bundle, icon, small scripts) inside the `toile`
//! binary, so that one file is all a server needs. A release build embeds what
//! `cargo leptos build --release --precompress` left in `target/site`, with the brotli and gzip
//! copies it made; a debug build reads that folder at each request instead.
//!
//! Files are served under `/s/<hash>/…`, where the hash covers every file's content: a new
//! build moves every address, so browsers and proxies may keep each file for a year.

use axum::body::Body;
use axum::extract::Path;
use axum::http::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::sync::OnceLock;

#[derive(rust_embed::Embed)]
#[folder = "../target/site"]
// A server built before the site (a benchmark, a test of the API) still builds, without files.
#[allow_missing = true]
struct Site;

/// Where this build's files are: `/s/<hash>`.
pub fn base() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| format!("/s/{}", site_hash()))
}

/// A hash of every file's name and content (not of their compressed copies).
fn site_hash() -> String {
    let mut names: Vec<Cow<'static, str>> = Site::iter().filter(|name| !is_compressed_copy(name)).collect();
    names.sort();
    let mut hash = Sha256::new();
    for name in names {
        if let Some(file) = Site::get(&name) {
            hash.update(name.as_bytes());
            hash.update(file.metadata.sha256_hash());
        }
    }
    hex::encode(&hash.finalize()[..6])
}

fn is_compressed_copy(name: &str) -> bool {
    name.ends_with(".br") || name.ends_with(".gz")
}

/// `GET /s/{hash}/{*path}`.
pub fn router() -> axum::Router {
    axum::Router::new().route("/s/{hash}/{*path}", get(file))
}

async fn file(Path((hash, path)): Path<(String, String)>, headers: HeaderMap) -> Response {
    // Another build's address: let the browser fetch the page again rather than cache a miss.
    if format!("/s/{hash}") != base() || is_compressed_copy(&path) {
        return (StatusCode::NOT_FOUND, [(CACHE_CONTROL, "no-store")]).into_response();
    }
    let Some(plain) = Site::get(&path) else {
        return (StatusCode::NOT_FOUND, [(CACHE_CONTROL, "no-store")]).into_response();
    };
    let etag = format!("\"{}\"", hex::encode(&plain.metadata.sha256_hash()[..12]));
    let mut response = if headers.get(IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let accepted = headers.get(ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let (body, encoding) = [("br", ".br"), ("gzip", ".gz")]
            .into_iter()
            .filter(|(coding, _)| accepts(accepted, coding))
            .find_map(|(coding, suffix)| Site::get(&format!("{path}{suffix}")).map(|file| (file.data, Some(coding))))
            .unwrap_or((plain.data, None));
        let mut response = Response::new(Body::from(body));
        let headers = response.headers_mut();
        if let Ok(kind) = HeaderValue::from_str(plain.metadata.mimetype()) {
            headers.insert(CONTENT_TYPE, kind);
        }
        if let Some(coding) = encoding {
            headers.insert(CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        response
    };
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(ETAG, etag);
    }
    response
}

/// Whether `Accept-Encoding` accepts this coding (`q=0` refuses it).
fn accepts(header: &str, coding: &str) -> bool {
    header.split(',').any(|part| {
        let mut pieces = part.split(';').map(str::trim);
        pieces.next().is_some_and(|name| name.eq_ignore_ascii_case(coding))
            && !pieces.any(|param| param.replace(' ', "").eq_ignore_ascii_case("q=0"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_is_read_with_its_refusals() {
        assert!(accepts("gzip, deflate, br", "br"));
        assert!(accepts("br;q=1.0, gzip;q=0.8", "gzip"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(!accepts("identity", "gzip"));
    }
}
