//! Sign-ins that cannot be guessed (`server/src/core/throttle.rs`, `secret_key.rs`): failures are
//! counted per address, per account and in all, and refused with a French message once too
//! many from one address (or codes from everywhere), only slowed down for a staff account
//! guessed from everywhere; every failure checked is audited without the secret; access codes are stored keyed with
//! a secret kept outside the database, and stop working after months unused.

use chrono::Duration;
use futures::future::join_all;
use sha2::{Digest, Sha256};
use tests::http::without_redirects as client;
use tests::process::ServerProcess;
use tests::{TestApp, TestDb, on_every_backend};
use toile_server::config::{Config, core_settings, open_core};
use toile_server::core::{Clock, Core, CoreError, Device, Limits, SecretKey, Settings, StoreOptions};

on_every_backend!(
    the_twenty_first_wrong_code_from_one_address_in_a_minute_is_refused_in_french_and_others_still_sign_in,
    a_burst_of_a_thousand_parallel_guesses_answers_no_5xx_and_checks_no_more_than_the_limits,
    wrong_passwords_from_fifty_addresses_slow_an_account_down_but_never_keep_its_owner_out,
    ten_wrong_passwords_from_one_address_hold_the_account_for_that_address_only,
    a_failed_sign_in_is_audited_without_the_secret,
    access_codes_are_stored_keyed_with_the_secret_not_as_a_plain_hash,
    a_code_unused_for_longer_than_allowed_stops_working_until_a_new_one_is_given,
    a_database_keyed_with_another_secret_refuses_to_open,
);

/// Toile behind a proxy: each test request says which address it comes from.
async fn behind_proxy(db: &TestDb) -> TestApp {
    let config = Config { behind_proxy: true, ..Config::default() };
    TestApp::spawn_with(db, config, StoreOptions::default()).await
}

/// A code posted as the page's script would (it asks for JSON), from `address`.
async fn try_code(base: &str, code: &str, address: &str) -> (u16, String) {
    let response = client()
        .post(format!("{base}/fn/sign_in_participant"))
        .header("accept", "application/json")
        .header("x-forwarded-for", address)
        .form(&[("code", code)])
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn the_twenty_first_wrong_code_from_one_address_in_a_minute_is_refused_in_french_and_others_still_sign_in(
    db: &TestDb,
) {
    let app = behind_proxy(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let (_, code) = app.participant(lille, "Amina").await;
    for n in 0..20 {
        let (status, body) = try_code(&app.base, "ZZZZ-ZZZZ", "203.0.113.7").await;
        assert_eq!(status, 401, "wrong code {n}: {body}");
    }
    let (status, body) = try_code(&app.base, "ZZZZ-ZZZZ", "203.0.113.7").await;
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("rate_limited") && body.contains("Trop d'essais. Attendez "), "{body}");
    assert!(body.contains("secondes, puis réessayez.") || body.contains("1 minute, puis réessayez."), "{body}");
    let (status, _) = try_code(&app.base, &code, "203.0.113.7").await;
    assert_eq!(status, 429, "even a right code waits: the address is held, not checked");

    let (status, body) = try_code(&app.base, &code, "198.51.100.20").await;
    assert!(status < 400, "a right code from another address signs in: {status} {body}");
}

async fn a_burst_of_a_thousand_parallel_guesses_answers_no_5xx_and_checks_no_more_than_the_limits(db: &TestDb) {
    let program = env!("CARGO_BIN_EXE_toile-test-server");
    let server = ServerProcess::start_with(program, &db.url, &[("TOILE_BEHIND_PROXY", "1")]);
    let before = server.resident_bytes();
    let attempts = (0..1000).map(|n| {
        let base = server.base.clone();
        async move { try_code(&base, &format!("ZZZZ-{:04}", n % 10), &format!("192.0.2.{}", n % 40)).await.0 }
    });
    let statuses = join_all(attempts).await;
    let grown = server.resident_bytes().saturating_sub(before);
    println!("1,000 parallel guesses: the server's resident memory grew by {} KB", grown / 1024);
    assert!(statuses.iter().all(|status| [401, 429].contains(status)), "{statuses:?}");
    let checked = statuses.iter().filter(|status| **status == 401).count();
    // 40 addresses × 20 failures each, but at most 300 failures a minute in all.
    assert!(checked <= Limits::default().everyone.failures, "{checked} guesses were checked");
    assert!(checked >= Limits::default().per_client.failures, "{checked}: the limits let honest attempts through");
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_failed'")
        .fetch_one(&db.sql().await)
        .await
        .unwrap();
    assert_eq!(audited as usize, checked, "every guess checked is audited, no refusal is");
    assert!(grown < 64 * 1024 * 1024, "a burst of guesses held {grown} more bytes");
}

/// A password posted as the page's script would (it asks for JSON), from `address`.
async fn try_password(base: &str, email: &str, password: &str, address: &str) -> (u16, String) {
    let response = client()
        .post(format!("{base}/fn/sign_in_staff"))
        .header("accept", "application/json")
        .header("origin", base)
        .header("x-forwarded-for", address)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    let signed_in = response.headers().get("set-cookie").is_some();
    let status = response.status().as_u16();
    (if signed_in { 200 } else { status }, response.text().await.unwrap())
}

async fn wrong_passwords_from_fifty_addresses_slow_an_account_down_but_never_keep_its_owner_out(db: &TestDb) {
    let app = behind_proxy(db).await;
    let lille = app.structure("Tremplin Lille").await;
    app.cip("claire@lille.fr", lille).await;
    let guesses = (0..50).map(|n| {
        let base = app.base.clone();
        async move { try_password(&base, "claire@lille.fr", "devine-devine", &format!("198.51.100.{n}")).await }
    });
    let answers = join_all(guesses).await;
    assert!(answers.iter().all(|(status, _)| *status == 401), "every guess checked and refused: {answers:?}");

    let started = std::time::Instant::now();
    let (status, body) = try_password(&app.base, "Claire@Lille.fr ", "motdepasse-test", "203.0.113.51").await;
    assert_eq!(status, 200, "the right password from a 51st address signs in: {body}");
    let waited = started.elapsed();
    assert!(waited >= std::time::Duration::from_secs(5), "slowed down: {waited:?}");
    assert!(waited < std::time::Duration::from_secs(15), "at most 5 s, plus the check: {waited:?}");

    let slowed: Vec<String> = sqlx::query_scalar("SELECT details FROM audit_log WHERE action = 'sign_in_slowed'")
        .fetch_all(&app.sql)
        .await
        .unwrap();
    assert_eq!(slowed.len(), 1, "the journal says once that the account is slowed down: {slowed:?}");
    assert!(slowed[0].starts_with("mot de passe, compte user:"), "{slowed:?}");
}

async fn ten_wrong_passwords_from_one_address_hold_the_account_for_that_address_only(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    app.cip("claire@lille.fr", lille).await;
    let guesser = Some([10, 0, 0, 1].into());
    for _ in 0..10 {
        let wrong = app.core.sign_in_staff("claire@lille.fr", "devine-devine", guesser).await;
        assert!(matches!(wrong, Err(CoreError::BadCredentials)), "{wrong:?}");
    }
    let held = app.core.sign_in_staff("Claire@Lille.fr ", "motdepasse-test", guesser).await;
    let Err(CoreError::TooManyAttempts(wait)) = held else { panic!("the account is held for that address: {held:?}") };
    // A quarter of an hour from the first failure (ten Argon2 checks took a few seconds).
    assert!(wait.as_secs() > 14 * 60 && wait.as_secs() <= 15 * 60, "{wait:?}");
    assert_eq!(
        CoreError::TooManyAttempts(std::time::Duration::from_secs(15 * 60)).to_string(),
        "Trop d'essais. Attendez 15 minutes, puis réessayez."
    );
    app.core
        .sign_in_staff("claire@lille.fr", "motdepasse-test", Some([10, 0, 1, 1].into()))
        .await
        .expect("the owner, from their own address, signs in");
}

async fn a_failed_sign_in_is_audited_without_the_secret(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let claire = app.cip("claire@lille.fr", lille).await;
    let _ = app.core.sign_in_participant("QQQQ-QQQQ", Some([192, 0, 2, 9].into()), Device::Own).await;
    let _ = app.core.sign_in_staff("claire@lille.fr", "mauvais-mot-de-passe", None).await;
    let _ = app.core.sign_in_staff("personne@lille.fr", "mauvais-mot-de-passe", None).await;
    let entries: Vec<(String, String)> =
        sqlx::query_as("SELECT actor, details FROM audit_log WHERE action = 'sign_in_failed' ORDER BY id")
            .fetch_all(&app.sql)
            .await
            .unwrap();
    assert_eq!(
        entries,
        [
            ("anonymous".to_string(), "code d'accès, depuis 192.0.2.9".to_string()),
            ("anonymous".into(), format!("mot de passe, compte user:{}", claire.id)),
            ("anonymous".into(), "mot de passe, aucun compte actif".into()),
        ]
    );
}

async fn access_codes_are_stored_keyed_with_the_secret_not_as_a_plain_hash(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let (id, code) = app.participant(lille, "Amina").await;
    let stored: String = sqlx::query_scalar("SELECT access_code_hash FROM participants WHERE id = $1")
        .bind(id)
        .fetch_one(&app.sql)
        .await
        .unwrap();
    let normalized = toile_shared::access_code::normalize(&code).unwrap();
    assert!(stored.starts_with("k1:"), "{stored}");
    assert!(!stored.contains(&hex::encode(Sha256::digest(normalized.as_bytes()))), "no plain hash of the code");
    assert!(!stored.contains(&hex::encode(Sha256::digest(code.as_bytes()))), "no plain hash of the code as printed");
    app.core.sign_in_participant(&code, None, Device::Own).await.expect("the code signs in");
}

async fn a_code_unused_for_longer_than_allowed_stops_working_until_a_new_one_is_given(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let claire = app.cip("claire@lille.fr", lille).await;
    let (id, code) = app.participant(lille, "Amina").await;
    let clock = Clock::system();
    let later = app.core.with_clock(clock.clone());

    clock.advance(Duration::days(300));
    later
        .sign_in_participant(&code, None, Device::Own)
        .await
        .expect("used within the year: it works, and counts from now");
    clock.advance(Duration::days(360));
    later.sign_in_participant(&code, None, Device::Own).await.expect("360 days after its last use, it still works");
    clock.advance(Duration::days(370));
    let expired = later.sign_in_participant(&code, None, Device::Own).await;
    assert!(matches!(expired, Err(CoreError::CodeExpired)), "{expired:?}");
    assert_eq!(
        CoreError::CodeExpired.to_string(),
        "Ce code n'est plus valable. Demandez un nouveau code à votre conseiller ou conseillère."
    );

    let cip = toile_shared::authz::Actor::Staff {
        user_id: claire.id,
        role: toile_shared::Role::Cip,
        structure_id: Some(lille),
    };
    let renewed = later.renew_access_code(&cip, id).await.expect("the CIP gives a new code");
    later.sign_in_participant(&renewed, None, Device::Own).await.expect("the new code works");
}

async fn a_database_keyed_with_another_secret_refuses_to_open(db: &TestDb) {
    let first = open_core(&db.url, StoreOptions::default()).await.expect("opens with this machine's key");
    drop(first);
    let settings = Settings { secret_key: SecretKey::from_bytes([42; 32]), ..core_settings(&db.url).unwrap() };
    let refused = Core::open(&db.url, StoreOptions::default(), settings).await;
    let message = refused.expect_err("another key is refused").to_string();
    assert!(message.contains("autre clé secrète"), "{message}");
}
