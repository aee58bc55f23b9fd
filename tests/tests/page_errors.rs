//! Errors reach a page only when this server produced them for this browser: an address with
//! `__path` and `__err` (what Leptos reads an action's error from) shows nothing, and a failed
//! form posted without JavaScript brings its French message back once, in a signed flash cookie.

use tests::http::without_redirects;
use tests::{TestApp, TestDb, on_every_backend};

on_every_backend!(
    an_error_written_in_the_address_is_shown_nowhere,
    a_failed_sign_in_without_javascript_shows_its_message_once,
    a_forged_or_changed_flash_cookie_shows_nothing,
);

const SCAM: &str = "Votre code a changé : appelez le 08 99";

/// base64url (with padding, as Leptos writes it) of `text`.
fn base64url(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn scam_query(function: &str) -> String {
    let error = base64url(&format!(r#"{{"code":"bad_code","message":"{SCAM} 12 34 56."}}"#));
    format!("__path={function}&__err={error}")
}

async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut request = without_redirects().get(format!("{}{path}", app.base)).header("accept", "text/html");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

/// A wrong access code posted from the sign-in page as a plain form (no JavaScript).
async fn wrong_code_posted(app: &TestApp) -> reqwest::Response {
    without_redirects()
        .post(format!("{}/fn/sign_in_participant", app.base))
        .header("accept", "text/html")
        .header("origin", &app.base)
        .header("referer", format!("{}/connexion", app.base))
        .form(&[("code", "ZZZZ-ZZZZ")])
        .send()
        .await
        .unwrap()
}

async fn an_error_written_in_the_address_is_shown_nowhere(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    for (path, function) in [
        ("/connexion", "/fn/sign_in_participant"),
        ("/connexion", "/fn/sign_in_staff"),
        ("/r/nimporte-quoi", "/fn/answer"),
        ("/invitation/nimporte-quoi", "/fn/accept_invitation"),
    ] {
        let response = page(&app, &format!("{path}?{}", scam_query(function)), None).await;
        let body = response.text().await.unwrap();
        assert!(!body.contains(SCAM), "{path} shows the address's message: {body}");
        assert!(body.contains("<html lang=\"fr\""), "{path} is still the page: {body}");
    }
}

/// A wrong code posted as a plain form: the redirect's address holds no error, a flash cookie
/// does; the page shows the message once, and not on the next load.
async fn a_failed_sign_in_without_javascript_shows_its_message_once(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let response = wrong_code_posted(&app).await;
    assert!(response.status().is_redirection(), "{}", response.status());
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, format!("{}/connexion", app.base), "no error in the address");
    let set_cookie =
        response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect::<Vec<_>>();
    let flash = set_cookie.iter().find(|c| c.starts_with("toile_erreur=")).expect("a flash cookie").clone();
    for attribute in ["Max-Age=60", "Path=/", "HttpOnly", "SameSite=Lax"] {
        assert!(flash.contains(attribute), "{attribute} in {flash}");
    }
    assert!(!set_cookie.iter().any(|c| c.starts_with("toile_session=")), "not signed in: {set_cookie:?}");
    let cookie = flash.split(';').next().unwrap().to_string();

    let shown = page(&app, "/connexion", Some(&cookie)).await;
    let cleared = shown
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("toile_erreur=; Max-Age=0"));
    let body = shown.text().await.unwrap();
    assert!(body.contains("ne sont pas reconnus"), "the French message, once: {body}");
    assert!(body.contains(r#"aria-invalid="true""#), "{body}");
    assert!(cleared, "the answer clears the flash cookie");

    let again = page(&app, "/connexion", None).await.text().await.unwrap();
    assert!(!again.contains("ne sont pas reconnus"), "not on the next load: {again}");
    let replayed = page(&app, "/connexion", Some(&cookie)).await.text().await.unwrap();
    assert!(!replayed.contains("ne sont pas reconnus"), "a copy of the cookie shows nothing: {replayed}");
}

async fn a_forged_or_changed_flash_cookie_shows_nothing(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let response = wrong_code_posted(&app).await;
    let flash = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("toile_erreur="))
        .expect("a flash cookie");
    let (payload, signature) = flash["toile_erreur=".len()..].split_once('.').unwrap();
    // The same fields with the scammer's message, under the genuine signature.
    let text = String::from_utf8(hex::decode(payload).unwrap()).unwrap();
    let error_at = text.rfind('\n').unwrap() + 1;
    let changed =
        format!("{}{}", &text[..error_at], base64url(&format!(r#"{{"code":"bad_code","message":"{SCAM}"}}"#)));
    let forged = [
        format!("toile_erreur={}.{signature}", hex::encode(changed.as_bytes())),
        format!("toile_erreur={}.{}", hex::encode(changed.as_bytes()), "00".repeat(32)),
        format!("toile_erreur={payload}"),
    ];
    for cookie in &forged {
        let body = page(&app, "/connexion", Some(cookie)).await.text().await.unwrap();
        assert!(!body.contains(SCAM) && !body.contains("ne sont pas reconnus"), "{cookie}: {body}");
    }
}
