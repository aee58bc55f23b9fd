//! How long a browser stays signed in (`server/src/core/identity.rs`): staff sign-ins end after
//! two hours unused, a participant's after thirty days on their own phone and fifteen minutes on
//! a shared one (whose cookie goes with the browser); each use starts the idle time again, and
//! ended sign-ins are purged.

use chrono::Duration;
use tests::{TestApp, TestDb, on_every_backend};
use toile_server::core::{Clock, CoreError, Device};

on_every_backend!(
    a_staff_sign_in_unused_for_two_hours_ends_and_each_use_keeps_it_alive,
    a_shared_phone_forgets_the_sign_in_after_fifteen_idle_minutes_and_keeps_no_cookie,
    ended_sign_ins_are_purged_and_live_ones_kept,
);

async fn a_staff_sign_in_unused_for_two_hours_ends_and_each_use_keeps_it_alive(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    app.cip("claire@lille.fr", lille).await;
    let clock = Clock::system();
    let core = app.core.with_clock(clock.clone());
    let signed = core.sign_in_staff("claire@lille.fr", "motdepasse-test", None).await.unwrap();
    assert_eq!(signed.cookie_max_age, Some(30 * 24 * 3600), "the cookie says how long it may last");

    clock.advance(Duration::minutes(110));
    core.actor_for_sign_in(&signed.token).await.expect("used within two hours");
    clock.advance(Duration::minutes(110));
    core.actor_for_sign_in(&signed.token).await.expect("the use before started the idle time again");
    clock.advance(Duration::minutes(121));
    let ended = core.actor_for_sign_in(&signed.token).await;
    assert!(matches!(ended, Err(CoreError::Unauthenticated)), "two hours unused: {ended:?}");
}

async fn a_shared_phone_forgets_the_sign_in_after_fifteen_idle_minutes_and_keeps_no_cookie(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let (_, code) = app.participant(lille, "Amina").await;
    let clock = Clock::system();
    let core = app.core.with_clock(clock.clone());
    let own = core.sign_in_participant(&code, None, Device::Own).await.unwrap();
    let shared = core.sign_in_participant(&code, None, Device::Shared).await.unwrap();
    assert_eq!(shared.cookie_max_age, None, "the cookie goes when the browser closes");
    assert_eq!(own.cookie_max_age, Some(30 * 24 * 3600));

    clock.advance(Duration::minutes(16));
    assert!(matches!(core.actor_for_sign_in(&shared.token).await, Err(CoreError::Unauthenticated)));
    clock.advance(Duration::days(20));
    core.actor_for_sign_in(&own.token).await.expect("on their own phone, twenty days later");
    let logged: Vec<String> = sqlx::query_scalar("SELECT details FROM audit_log WHERE action = 'sign_in' ORDER BY id")
        .fetch_all(&app.sql)
        .await
        .unwrap();
    assert_eq!(logged, ["", "téléphone partagé"]);
}

async fn ended_sign_ins_are_purged_and_live_ones_kept(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    app.cip("claire@lille.fr", lille).await;
    let (_, code) = app.participant(lille, "Amina").await;
    let clock = Clock::system();
    let core = app.core.with_clock(clock.clone());
    core.sign_in_staff("claire@lille.fr", "motdepasse-test", None).await.unwrap();
    let amina = core.sign_in_participant(&code, None, Device::Own).await.unwrap();

    clock.advance(Duration::hours(3));
    assert_eq!(core.purge_sign_ins().await.unwrap(), 1, "the staff sign-in, unused for three hours");
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM auth_sessions").fetch_one(&app.sql).await.unwrap();
    assert_eq!(left, 1);
    core.actor_for_sign_in(&amina.token).await.expect("the participant's own phone stays signed in");
    clock.advance(Duration::days(31));
    assert_eq!(core.purge_sign_ins().await.unwrap(), 1, "past its thirty days");
}
