//! A new release opens the previous release's database without losing or changing anything:
//! built here with the previous release's migrations and its way of writing rows, then opened
//! by today's core, on SQLite and PostgreSQL. Access codes, API tokens and calendar links
//! issued before keep working.

use sha2::{Digest, Sha256};
use sqlx::AnyPool;
use std::borrow::Cow;
use tests::{Store, TestDb, on_every_backend};
use toile_server::config::open_core;
use toile_server::core::store::migrator;
use toile_server::core::{CoreError, Device, Engine, FeedScope, SealRule, SeriesScope, StoreOptions};
use toile_shared::authz::Actor;
use toile_shared::{EnrolmentStatus, Role};

on_every_backend!(
    the_previous_release_database_opens_with_everything_kept,
    a_sheet_sealed_before_signatures_existed_still_holds,
    a_message_queued_before_staff_messages_existed_is_still_sent,
    a_message_queued_with_a_clear_link_still_sends_with_a_working_link_and_the_clear_link_leaves_the_database,
    a_sheet_sealed_by_the_old_rule_still_holds_and_says_so_but_a_seal_written_into_the_database_does_not,
    a_session_written_by_the_previous_release_starts_at_its_first_version_and_each_change_raises_it,
);

/// The last migration of the release before this one.
const PREVIOUS_RELEASE: i64 = 2;

fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// What the previous release wrote: a structure, a CIP with an API token, two participants
/// (one with a known code), a session with 3 seats of which 2 were reserved for the structure,
/// both taken (in the stored "pool" of the time), one person waiting, a calendar link.
async fn previous_release(db: &TestDb) -> AnyPool {
    release_with_rows(db, PREVIOUS_RELEASE).await
}

/// The rows above, written at migration 2, then the migrations up to `last` run over them.
async fn release_with_rows(db: &TestDb, last: i64) -> AnyPool {
    sqlx::any::install_default_drivers();
    let url = if db.store == Store::Sqlite { format!("{}?mode=rwc", db.url) } else { db.url.clone() };
    let pool = AnyPool::connect(&url).await.unwrap();
    let engine = if db.store == Store::Sqlite { Engine::Sqlite } else { Engine::Postgres };
    let up_to = |version: i64| {
        let mut old = migrator(engine);
        old.migrations = Cow::Owned(old.migrations.iter().filter(|m| m.version <= version).cloned().collect());
        old
    };
    up_to(PREVIOUS_RELEASE).run(&pool).await.unwrap();
    let statements = [
        "INSERT INTO structures (id, name, kind) VALUES (1, 'Tremplin', 'ei')".to_string(),
        "INSERT INTO users (id, email, display_name, role, structure_id, active, created_at)
         VALUES (1, 'cip@tremplin.fr', 'Claire', 'cip', 1, 1, 1700000000)"
            .into(),
        format!("INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES ('{}', 1, 1700000000)", hash("api-token")),
        format!(
            "INSERT INTO participants (id, first_name, last_name, structure_id, referent_id, support_needs, active,
             access_code_hash, created_at) VALUES (1, 'Amina', 'Benali', 1, 1, 'Lire à voix haute', 1, '{}', 1700000000)",
            hash("TRAMCAFE")
        ),
        format!(
            "INSERT INTO participants (id, first_name, last_name, structure_id, active, access_code_hash, created_at)
             VALUES (2, 'Kevin', 'Dupont', 1, 1, '{}', 1700000000)",
            hash("JARDNRDA")
        ),
        "INSERT INTO participants (id, first_name, last_name, structure_id, active, access_code_hash, created_at)
         VALUES (3, 'Fatou', 'Diallo', 1, 1, 'x', 1700000000)"
            .into(),
        "INSERT INTO sessions (id, kind, theme, title, description, starts_at, ends_at, location_kind, location_text,
         capacity, seats_taken, queue_tick, organiser_structure_id, audience_all, reserved_total, reserved_until,
         status, sequence, created_by, created_at, updated_at)
         VALUES (1, 'workshop', 'cv', 'Atelier CV', 'Faire son CV.', 4102444800, 4102452000, 'address',
         '12 rue des Postes, Lille', 3, 2, 3, 1, 1, 2, 4102358400, 'published', 1, 1, 1700000000, 1700000000)"
            .into(),
        "INSERT INTO session_facilitators (session_id, user_id) VALUES (1, 1)".into(),
        "INSERT INTO session_reservations (session_id, structure_id, seats) VALUES (1, 1, 2)".into(),
        "INSERT INTO enrolments (session_id, participant_id, status, seat_pool_structure_id, overbooked, queue_tick,
         enrolled_by_user_id, created_at, updated_at, attendance) VALUES (1, 1, 'confirmed', 1, 0, 1, 1, 1700000000,
         1700000000, 'unknown')"
            .into(),
        "INSERT INTO enrolments (session_id, participant_id, status, seat_pool_structure_id, overbooked, queue_tick,
         enrolled_by_user_id, created_at, updated_at, attendance) VALUES (1, 2, 'confirmed', 1, 0, 2, NULL,
         1700000000, 1700000000, 'present')"
            .into(),
        "INSERT INTO enrolments (session_id, participant_id, status, overbooked, queue_tick, created_at, updated_at)
         VALUES (1, 3, 'waitlisted', 0, 3, 1700000000, 1700000000)"
            .into(),
        format!(
            "INSERT INTO calendar_feeds (token_hash, owner_user_id, scope, structure_id, created_at)
             VALUES ('{}', 1, 'structure', 1, 1700000000)",
            hash("feed-token")
        ),
    ];
    for statement in &statements {
        sqlx::query(statement).execute(&pool).await.unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
    if db.store == Store::Postgres {
        // The previous release let PostgreSQL number rows; ids written by hand move the sequences.
        for table in ["structures", "users", "participants", "sessions"] {
            let sql = format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))");
            sqlx::query(&sql).execute(&pool).await.unwrap();
        }
    }
    up_to(last).run(&pool).await.unwrap();
    pool
}

async fn the_previous_release_database_opens_with_everything_kept(db: &TestDb) {
    let pool = previous_release(db).await;
    let core = open_core(&db.url, StoreOptions::default()).await.expect("today's release opens and migrates it");

    // Secrets issued before still work.
    let cip = core.actor_for_api_token("api-token").await.expect("the API token works");
    assert!(matches!(cip, Actor::Staff { user_id: 1, role: Role::Cip, structure_id: Some(1) }));
    let amina = core.sign_in_participant("TRAM-CAFE", None, Device::Own).await.expect("the access code works");
    assert_eq!(amina.display_name, "Amina");
    // ...and are now stored keyed with the server's secret (migration 8): the database alone
    // no longer gives the codes away. A second start keys nothing twice.
    let plain: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM participants WHERE access_code_hash NOT LIKE 'k1:%'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(plain, 0, "every code stored plain is keyed");
    let again = open_core(&db.url, StoreOptions::default()).await.expect("a second start");
    again.sign_in_participant("TRAM-CAFE", None, Device::Own).await.expect("the access code still works");
    // Tokens now end (migration 10): one issued before works for a year from the upgrade.
    let ends: Option<i64> = sqlx::query_scalar("SELECT expires_at FROM api_tokens").fetch_one(&pool).await.unwrap();
    let a_year = chrono::Utc::now().timestamp() + 364 * 86400;
    assert!(ends.is_some_and(|end| end > a_year), "{ends:?}");
    let feed = core.resolve_feed("feed-token").await.unwrap().expect("the calendar link works");
    assert_eq!(feed.scope, FeedScope::Structure(1));
    // Requests made once (migration 19): no key is taken yet, the first one is.
    let once = core.once(&cip, "first-key", b"asked", std::time::Duration::ZERO).await.unwrap();
    assert_eq!(once, toile_server::core::Once::First);

    // The session and its enrolments, as they were.
    let session = core.session(&cip, 1).await.unwrap();
    assert_eq!(
        (session.title.as_str(), session.capacity, session.seats_taken, session.waitlist_count),
        ("Atelier CV", 3, 2, 1)
    );
    assert_eq!(session.sequence, 1);
    assert_eq!((session.reserved_seats[0].seats, session.reserved_seats[0].taken), (2, 2));
    let enrolments = core.enrolments(&cip, 1).await.unwrap();
    let statuses: Vec<(i64, EnrolmentStatus, String, String)> = enrolments
        .iter()
        .map(|e| (e.participant_id, e.status, e.enrolled_by.clone(), e.attendance.code().to_string()))
        .collect();
    assert_eq!(
        statuses,
        [
            (1, EnrolmentStatus::Confirmed, "user:1".into(), "unknown".into()),
            (2, EnrolmentStatus::Confirmed, "participant".into(), "present".into()),
            (3, EnrolmentStatus::Waitlisted, "participant".into(), "unknown".into()),
        ]
    );
    assert_eq!(enrolments[2].waitlist_position, Some(1));
    // Each enrolment counts for its participant's structure.
    let structures: Vec<i64> = sqlx::query_scalar("SELECT structure_id FROM enrolments ORDER BY participant_id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(structures, [1, 1, 1]);

    // Notes about a person's situation are no longer kept (migration 5): the column is gone,
    // the people stay.
    assert!(sqlx::query("SELECT support_needs FROM participants").fetch_all(&pool).await.is_err());
    let people: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM participants").fetch_one(&pool).await.unwrap();
    assert_eq!(people, 3);

    // And the rules run on it: a cancellation promotes the person waiting.
    let promoted = core.unenrol(&cip, 1, 1).await.unwrap();
    assert_eq!(promoted, Some(3));
}

/// Versions (migration 18) start at 1 on the sessions written before: a form or an `If-Match`
/// from then on compares with it, and each change raises it.
async fn a_session_written_by_the_previous_release_starts_at_its_first_version_and_each_change_raises_it(db: &TestDb) {
    release_with_rows(db, 17).await;
    let core = open_core(&db.url, StoreOptions::default()).await.expect("today's release opens and migrates it");
    let cip = core.actor_for_api_token("api-token").await.unwrap();
    assert_eq!(core.session(&cip, 1).await.unwrap().version, 1);
    let patch = toile_server::core::SessionPatch { capacity: Some(4), ..Default::default() };
    let stale = core.update_session_if(&cip, 1, patch.clone(), SeriesScope::ThisSession, Some(vec![2])).await;
    assert!(matches!(stale, Err(CoreError::PreconditionFailed)), "{stale:?}");
    let changed = core.update_session_if(&cip, 1, patch, SeriesScope::ThisSession, Some(vec![1])).await.unwrap();
    assert_eq!((changed.version, changed.capacity), (2, 4));
}

/// Session 1's sheet as the releases before keyed seals sealed it: its confirmed people, in
/// participant order.
const OLD_SHEET: &str = "toile-sheet-v1\t1\n\
                         1\tBenali\tAmina\tTremplin\tunknown\t1700000000\n\
                         2\tDupont\tKevin\tTremplin\tpresent\t1700000000\n";

/// The rows of `release_with_rows(db, last)`, and session 1's sheet sealed with a plain SHA-256
/// of `OLD_SHEET`, as those releases sealed it.
async fn release_with_a_plain_seal(db: &TestDb, last: i64) -> AnyPool {
    let pool = release_with_rows(db, last).await;
    sqlx::query(
        "INSERT INTO sheet_seals (session_id, sealed_at, sealed_by, content_hash) VALUES (1, 1700000100, 1, $1)",
    )
    .bind(hash(OLD_SHEET))
    .execute(&pool)
    .await
    .unwrap();
    pool
}

/// The release before signatures (migration 10) sealed sheets over their people and attendance
/// alone; signatures join the seal only when there are some, so those seals still hold.
async fn a_sheet_sealed_before_signatures_existed_still_holds(db: &TestDb) {
    release_with_a_plain_seal(db, 10).await;
    let core = open_core(&db.url, StoreOptions::default()).await.expect("today's release opens and migrates it");
    let cip = core.actor_for_api_token("api-token").await.unwrap();
    let seal = core.roster(&cip, 1).await.unwrap().seal.expect("the seal is kept");
    assert!(seal.intact && seal.reopened.is_none(), "the sheet still reads as sealed: {seal:?}");
    assert_eq!(seal.rule, SealRule::LegacySha256, "and says it was sealed by the old rule");
}

/// The release before keyed seals (migration 15) sealed with a plain SHA-256: such a seal still
/// holds and says which rule made it. A plain SHA-256 written into the database afterwards (a
/// sheet changed, then "sealed" again by whoever can write the database) holds nothing, and a
/// new seal is an HMAC-SHA-256 of the secret key.
async fn a_sheet_sealed_by_the_old_rule_still_holds_and_says_so_but_a_seal_written_into_the_database_does_not(
    db: &TestDb,
) {
    let pool = release_with_a_plain_seal(db, 15).await;
    let content = OLD_SHEET;
    let core = open_core(&db.url, StoreOptions::default()).await.expect("today's release opens and migrates it");
    let cip = core.actor_for_api_token("api-token").await.unwrap();
    let seal = core.roster(&cip, 1).await.unwrap().seal.expect("the seal is kept");
    assert!(seal.intact, "{seal:?}");
    assert_eq!((seal.rule, seal.rule.label()), (SealRule::LegacySha256, "SHA-256, ancienne règle"));
    assert_eq!(seal.content_hash, hash(content));
    open_core(&db.url, StoreOptions::default()).await.expect("a second start");
    assert!(core.roster(&cip, 1).await.unwrap().seal.unwrap().intact, "still holds after a second start");

    // Kevin's attendance changed in the database, and the sheet "sealed" again as the old
    // rule did: without the key, the seal holds nothing.
    let changed = content.replace("present", "absent");
    sqlx::query("UPDATE enrolments SET attendance = 'absent' WHERE participant_id = 2").execute(&pool).await.unwrap();
    sqlx::query("UPDATE sheet_seals SET content_hash = $1").bind(hash(&changed)).execute(&pool).await.unwrap();
    let forged = core.roster(&cip, 1).await.unwrap().seal.unwrap();
    assert!(!forged.intact, "a plain SHA-256 written into the database does not hold: {forged:?}");
    open_core(&db.url, StoreOptions::default()).await.expect("a start after the forgery");
    assert!(!core.roster(&cip, 1).await.unwrap().seal.unwrap().intact, "nor once the server starts again");
    sqlx::query("UPDATE sheet_seals SET content_hash = $1")
        .bind(format!("sha256:{}:{}", hash(&changed), "0".repeat(64)))
        .execute(&pool)
        .await
        .unwrap();
    assert!(!core.roster(&cip, 1).await.unwrap().seal.unwrap().intact, "nor with a stamp made up without the key");

    // A new seal: today's rule.
    sqlx::query("DELETE FROM sheet_seals").execute(&pool).await.unwrap();
    sqlx::query("UPDATE enrolments SET attendance = 'present' WHERE participant_id = 1").execute(&pool).await.unwrap();
    let clock = toile_server::core::Clock::system();
    clock.advance(chrono::DateTime::from_timestamp(4102444800 + 600, 0).unwrap() - clock.now());
    let sealed = core.with_clock(clock).close_sheet(&cip, 1).await.expect("the sheet closes");
    assert_eq!(sealed.rule, SealRule::HmacSha256);
    assert!(sealed.intact && sealed.content_hash != hash(&changed), "{sealed:?}");
    let stored: String = sqlx::query_scalar("SELECT content_hash FROM sheet_seals").fetch_one(&pool).await.unwrap();
    assert_eq!(stored, format!("hmac-sha256:{}", sealed.content_hash));
}

/// The previous release (migration 15) wrote each person's answer link in clear in the
/// outbox. Upgraded, the clear link leaves the database; a message still waiting is sent with
/// a working link of its own, and the link already sent keeps working.
async fn a_message_queued_with_a_clear_link_still_sends_with_a_working_link_and_the_clear_link_leaves_the_database(
    db: &TestDb,
) {
    let pool = release_with_rows(db, 15).await;
    sqlx::query("UPDATE participants SET phone = '06 12 34 56 78', email = 'amina@exemple.fr' WHERE id = 1")
        .execute(&pool)
        .await
        .unwrap();
    let old = "abcdefghjk234567";
    sqlx::query(
        "INSERT INTO answer_links (token_hash, session_id, participant_id, created_at) VALUES ($1, 1, 1, 1700000000)",
    )
    .bind(hash(old))
    .execute(&pool)
    .await
    .unwrap();
    let sms = format!(
        "Rappel : Atelier CV, lundi 1 février 9 h 00. Vous venez ? Répondez ici : http://127.0.0.1:3000/r/{old}"
    );
    let email = format!("Bonjour,\n\nVous venez ? Dites-le ici, en un clic : http://127.0.0.1:3000/r/{old}\nMerci.\n");
    for (key, channel, body, status) in [
        ("reminder:1:1:sms:4102444800", "sms", &sms, "queued"),
        ("reminder:1:1:email:4102444800", "email", &email, "sent"),
    ] {
        sqlx::query(
            "INSERT INTO outbox (idempotency_key, kind, session_id, participant_id, channel, subject, body, due_at,
             status, created_at) VALUES ($1, 'reminder', 1, 1, $2, '', $3, 1700000000, $4, 1700000000)",
        )
        .bind(key)
        .bind(channel)
        .bind(body)
        .bind(status)
        .execute(&pool)
        .await
        .unwrap();
    }
    let core = open_core(&db.url, StoreOptions::default()).await.expect("today's release opens and migrates it");
    let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM outbox ORDER BY id").fetch_all(&pool).await.unwrap();
    assert_eq!(bodies.len(), 2);
    for body in &bodies {
        assert!(!body.contains(old), "the clear link left the database: {body}");
        assert!(body.contains("http://127.0.0.1:3000/r/________________"), "a stand-in of the same length: {body}");
    }
    assert_eq!(bodies[0].chars().count(), sms.chars().count(), "the SMS keeps its length");

    let claimed = core.claim_due(10).await.unwrap();
    assert_eq!(claimed.len(), 1, "the waiting SMS");
    let sent = &claimed[0].body;
    let secret = sent.split("/r/").nth(1).unwrap();
    assert!(secret.len() == 16 && secret != old && !secret.contains('_'), "a link of its own: {sent}");
    let page = core.answer_page(secret).await.expect("the link sent works");
    assert_eq!(page.title, "Atelier CV");
    core.answer_page(old).await.expect("the link sent by the previous release still works");
    let stored: String =
        sqlx::query_scalar("SELECT body FROM outbox WHERE channel = 'sms'").fetch_one(&pool).await.unwrap();
    assert!(!stored.contains(secret), "the new link is not stored either: {stored}");
    open_core(&db.url, StoreOptions::default()).await.expect("a second start changes nothing");
}

/// The release before messages to staff (migration 14) queued messages to participants only;
/// migration 15 rebuilds the outbox on SQLite: a message waiting then is still sent, once.
async fn a_message_queued_before_staff_messages_existed_is_still_sent(db: &TestDb) {
    let pool = release_with_rows(db, 14).await;
    sqlx::query("UPDATE participants SET phone = '06 12 34 56 78', email = 'amina@exemple.fr' WHERE id = 1")
        .execute(&pool)
        .await
        .unwrap();
    for (key, channel, status) in
        [("seat_offer:1:1:sms:7", "sms", "queued"), ("seat_offer:1:1:email:7", "email", "sent")]
    {
        sqlx::query(
            "INSERT INTO outbox (idempotency_key, kind, session_id, participant_id, channel, subject, body, due_at,
             status, created_at) VALUES ($1, 'seat_offer', 1, 1, $2, '', 'Une place s''est libérée pour vous', 1700000000,
             $3, 1700000000)",
        )
        .bind(key)
        .bind(channel)
        .bind(status)
        .execute(&pool)
        .await
        .unwrap();
    }
    let core = open_core(&db.url, StoreOptions::default()).await.expect("today's release opens and migrates it");
    let kept: Vec<(String, String, Option<i64>, Option<i64>)> =
        sqlx::query_as("SELECT idempotency_key, status, participant_id, user_id FROM outbox ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        kept,
        [
            ("seat_offer:1:1:sms:7".to_string(), "queued".to_string(), Some(1), None),
            ("seat_offer:1:1:email:7".to_string(), "sent".to_string(), Some(1), None),
        ]
    );
    let claimed = core.claim_due(10).await.unwrap();
    let to: Vec<(&str, &str)> = claimed.iter().map(|m| (m.idempotency_key.as_str(), m.to.as_str())).collect();
    assert_eq!(to, [("seat_offer:1:1:sms:7", "06 12 34 56 78")], "the waiting SMS, to the number of today");
    assert!(core.claim_due(10).await.unwrap().is_empty(), "once");
}
