//! Errors reach a page only when this server produced them for this browser.
//!
//! Without JavaScript, a failed form post to a server function comes back as a redirect whose
//! address carries the error (`__path`, `__err`), and Leptos shows whatever error such an address
//! holds: anyone could send a link that makes Toile's sign-in page say their sentence. So:
//! - the redirect's address loses them, and the error travels instead in a flash cookie, signed
//!   with a key derived from the server's secret key, valid 60 seconds, for the page it returns
//!   to, read once (cleared by the answer that reads it, and remembered as read by this process
//!   until it expires);
//! - every request loses `__path` and `__err` before Leptos sees it; a page request with a valid
//!   flash cookie for its path gets them back from the cookie.
//!
//! With JavaScript nothing changes: the error comes in the server function's JSON answer.

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, Uri};
use axum::middleware::Next;
use axum::response::Response;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use toile_app::port::ServedOverHttps;

const COOKIE: &str = "toile_erreur";
/// Long enough to follow a redirect on a slow phone; short enough that a copied cookie is dead.
const LIFETIME: Duration = Duration::from_secs(60);
/// The query parameters Leptos reads an action's error from.
const PATH: &str = "__path";
const ERR: &str = "__err";

/// The key the flash cookies are signed with (see `Core::flash_key`), and the ones already read
/// by this process (until they expire), so that a copy of a cookie shows nothing again.
#[derive(Clone)]
pub struct FlashKey {
    key: [u8; 32],
    read: Arc<Mutex<HashMap<String, u64>>>,
}

impl FlashKey {
    pub fn new(key: [u8; 32]) -> FlashKey {
        FlashKey { key, read: Default::default() }
    }

    /// Whether the flash is read here for the first time (it is then marked read).
    fn first_read(&self, flash: &Flash, now: u64) -> bool {
        let mut read = self.read.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        read.retain(|_, expires| *expires >= now);
        read.insert(flash.nonce.clone(), flash.expires).is_none()
    }
}

/// What a flash cookie says: the page it is for, and the error for Leptos.
#[derive(Debug, PartialEq)]
struct Flash {
    /// Tells one flash from another, to read each once.
    nonce: String,
    expires: u64,
    page: String,
    function: String,
    error: String,
}

pub async fn flash(State(key): State<FlashKey>, mut request: Request, next: Next) -> Response {
    let https = is_https(&request);
    let mut uri = without_error_pairs(request.uri()).unwrap_or_else(|| request.uri().clone());
    // Read once: whatever it holds, the next page's answer clears it.
    let consumed = request.method() == Method::GET
        && !uri.path().starts_with(toile_shared::paths::SERVER_FNS)
        && toile_app::port::cookie(request.headers(), COOKIE)
            .map(|value| {
                let now = now();
                if let Some(flash) = open(&key, value, now).filter(|flash| flash.page == uri.path())
                    && key.first_read(&flash, now)
                    && let Some(with_error) = with_error_pairs(&uri, &flash)
                {
                    uri = with_error;
                }
            })
            .is_some();
    *request.uri_mut() = uri;
    let mut response = next.run(request).await;
    if let Some(flash) = take_error_from_location(&mut response) {
        let value = seal(&key, &flash);
        append_cookie(&mut response, &format!("{COOKIE}={value}; Max-Age={}", LIFETIME.as_secs()), https);
    } else if consumed {
        append_cookie(&mut response, &format!("{COOKIE}=; Max-Age=0"), https);
    }
    response
}

/// The request's address without `__path` and `__err`, when it had any (under any spelling:
/// a query that does not decode loses everything).
fn without_error_pairs(uri: &Uri) -> Option<Uri> {
    let query = uri.query()?;
    let kept = match serde_urlencoded::from_str::<Vec<(String, String)>>(query) {
        Ok(pairs) if !pairs.iter().any(|(name, _)| name == PATH || name == ERR) => return None,
        Ok(pairs) => pairs.into_iter().filter(|(name, _)| name != PATH && name != ERR).collect(),
        Err(_) => Vec::new(),
    };
    let query = serde_urlencoded::to_string(kept).unwrap_or_default();
    let path_and_query = if query.is_empty() { uri.path().to_string() } else { format!("{}?{query}", uri.path()) };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = path_and_query.parse().ok();
    Uri::from_parts(parts).ok()
}

/// `uri` (already without error pairs) with the flash's error added back for Leptos.
fn with_error_pairs(uri: &Uri, flash: &Flash) -> Option<Uri> {
    let added = serde_urlencoded::to_string([(PATH, &flash.function), (ERR, &flash.error)]).ok()?;
    let path_and_query = match uri.query() {
        Some(query) if !query.is_empty() => format!("{}?{query}&{added}", uri.path()),
        _ => format!("{}?{added}", uri.path()),
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = path_and_query.parse().ok();
    Uri::from_parts(parts).ok()
}

/// A redirect carrying an error in its address: the address loses it, the error is returned.
fn take_error_from_location(response: &mut Response) -> Option<Flash> {
    let location = response.headers().get(header::LOCATION)?.to_str().ok()?.to_owned();
    let (before, query) = location.split_once('?')?;
    let (query, fragment) = match query.split_once('#') {
        Some((query, fragment)) => (query, Some(fragment)),
        None => (query, None),
    };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).ok()?;
    let value = |wanted: &str| pairs.iter().find(|(name, _)| name == wanted).map(|(_, value)| value.clone());
    let (function, error) = (value(PATH), value(ERR));
    if function.is_none() && error.is_none() {
        return None;
    }
    let kept: Vec<_> = pairs.iter().filter(|(name, _)| name != PATH && name != ERR).collect();
    let kept = serde_urlencoded::to_string(kept).unwrap_or_default();
    let mut clean = before.to_string();
    if !kept.is_empty() {
        clean = format!("{clean}?{kept}");
    }
    if let Some(fragment) = fragment {
        clean = format!("{clean}#{fragment}");
    }
    let clean = HeaderValue::from_str(&clean).ok()?;
    response.headers_mut().insert(header::LOCATION, clean);
    Some(Flash {
        nonce: hex::encode(rand::random::<[u8; 16]>()),
        expires: now() + LIFETIME.as_secs(),
        page: page_of(before).to_string(),
        function: function?,
        error: error?,
    })
}

/// The path of an address (`http://host/connexion` or `/connexion`).
fn page_of(address: &str) -> &str {
    let path_start = match address.find("://") {
        Some(at) => address[at + 3..].find('/').map_or(address.len(), |slash| at + 3 + slash),
        None => 0,
    };
    match &address[path_start..] {
        "" => "/",
        path => path,
    }
}

/// The cookie's value: the flash's fields, hex-encoded, then their HMAC.
fn seal(key: &FlashKey, flash: &Flash) -> String {
    let text = format!("{}\n{}\n{}\n{}\n{}", flash.nonce, flash.expires, flash.page, flash.function, flash.error);
    let payload = hex::encode(text.as_bytes());
    format!("{payload}.{}", hex::encode(mac(key, payload.as_bytes())))
}

/// The flash a cookie holds, if its signature is ours and it is not expired.
fn open(key: &FlashKey, value: &str, now: u64) -> Option<Flash> {
    let (payload, signature) = value.split_once('.')?;
    let signature = hex::decode(signature).ok()?;
    let mut check = Hmac::<Sha256>::new_from_slice(&key.key).expect("HMAC takes any key length");
    check.update(payload.as_bytes());
    check.verify_slice(&signature).ok()?;
    let text = String::from_utf8(hex::decode(payload).ok()?).ok()?;
    let mut fields = text.splitn(5, '\n');
    let flash = Flash {
        nonce: fields.next()?.to_string(),
        expires: fields.next()?.parse().ok()?,
        page: fields.next()?.to_string(),
        function: fields.next()?.to_string(),
        error: fields.next()?.to_string(),
    };
    (flash.expires >= now).then_some(flash)
}

fn mac(key: &FlashKey, message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(&key.key).expect("HMAC takes any key length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs())
}

fn is_https(request: &Request) -> bool {
    request.extensions().get::<ServedOverHttps>().is_some()
        || request
            .headers()
            .get("x-forwarded-proto")
            .is_some_and(|proto| proto.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// HttpOnly (no script reads it), Lax (another site's form post does not carry it).
fn append_cookie(response: &mut Response, name_value: &str, https: bool) {
    let cookie = format!("{name_value}; Path=/; HttpOnly; SameSite=Lax{}", if https { "; Secure" } else { "" });
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flash() -> Flash {
        Flash {
            nonce: "n1".into(),
            expires: 1_000,
            page: "/connexion".into(),
            function: "/fn/sign_in_participant".into(),
            error: "eyJjb2RlIjoiYmFkX2NvZGUifQ==".into(),
        }
    }

    #[test]
    fn a_flash_opens_only_with_its_key_unchanged_and_before_it_expires() {
        let key = FlashKey::new([7; 32]);
        let sealed = seal(&key, &flash());
        assert_eq!(open(&key, &sealed, 999), Some(flash()));
        assert_eq!(open(&key, &sealed, 1_001), None, "expired");
        assert_eq!(open(&FlashKey::new([8; 32]), &sealed, 999), None, "another key");
        let (payload, signature) = sealed.split_once('.').unwrap();
        let other = Flash { error: "forged".into(), ..flash() };
        let forged_payload = seal(&key, &other).split_once('.').unwrap().0.to_string();
        assert_eq!(open(&key, &format!("{forged_payload}.{signature}"), 999), None, "changed content");
        assert_eq!(open(&key, payload, 999), None, "no signature");
    }

    #[test]
    fn a_flash_is_read_once() {
        let key = FlashKey::new([7; 32]);
        assert!(key.first_read(&flash(), 999));
        assert!(!key.first_read(&flash(), 999), "a copy of the same cookie");
        assert!(key.first_read(&Flash { nonce: "n2".into(), ..flash() }, 999));
    }

    #[test]
    fn error_pairs_leave_an_address_and_nothing_else_does() {
        let uri: Uri = "/connexion?suivant=%2Fequipe&__path=%2Ffn%2Fx&__err=abc".parse().unwrap();
        assert_eq!(without_error_pairs(&uri).unwrap().to_string(), "/connexion?suivant=%2Fequipe");
        let uri: Uri = "/r/abc?__err=abc".parse().unwrap();
        assert_eq!(without_error_pairs(&uri).unwrap().to_string(), "/r/abc");
        assert!(without_error_pairs(&"/seances?type=workshop".parse().unwrap()).is_none());
    }

    #[test]
    fn the_page_of_an_address_is_its_path() {
        assert_eq!(page_of("http://127.0.0.1:3000/connexion"), "/connexion");
        assert_eq!(page_of("https://toile.example"), "/");
        assert_eq!(page_of("/agenda"), "/agenda");
    }
}
