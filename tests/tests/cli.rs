//! The `toile` command line, run as a real process on a real database.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use tests::{Store, TestDb, on_every_backend};

fn toile(db: &TestDb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_toile-test-server"))
        .args(args)
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("toile runs")
}

/// `toile` with `input` on its standard input (a password, as a script would pipe it).
fn toile_with_input(db: &TestDb, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_toile-test-server"))
        .args(args)
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("toile runs");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).unwrap().trim().to_string()
}

async fn count(pool: &sqlx::AnyPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.expect(sql)
}

on_every_backend!(
    the_demo_network_is_realistic_and_seeding_twice_changes_nothing,
    a_fresh_install_is_set_up_from_the_shell_and_accounts_are_turned_off_from_it,
);

async fn the_demo_network_is_realistic_and_seeding_twice_changes_nothing(db: &TestDb) {
    let first = toile(db, &["seed", "--demo"]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let pool = &db.sql().await;
    let tables = ["structures", "users", "participants", "sessions", "enrolments"];
    let mut before = vec![];
    for table in tables {
        before.push(count(pool, &format!("SELECT COUNT(*) FROM {table}")).await);
    }
    assert!(count(pool, "SELECT COUNT(DISTINCT kind) FROM structures").await >= 3);
    assert!(count(pool, "SELECT COUNT(*) FROM users WHERE role = 'cip'").await >= 6);
    assert!(count(pool, "SELECT COUNT(*) FROM users WHERE role IN ('coordinator', 'group_coordinator')").await >= 2);
    assert!(count(pool, "SELECT COUNT(*) FROM participants").await >= 60);
    let six_weeks = chrono::Utc::now().timestamp() + 43 * 24 * 3600;
    assert!(count(pool, &format!("SELECT COUNT(*) FROM sessions WHERE starts_at < {six_weeks}")).await >= 30);
    assert!(count(pool, "SELECT COUNT(*) FROM sessions WHERE kind = 'company_talk'").await >= 1);
    assert!(count(pool, "SELECT COUNT(*) FROM sessions WHERE series_id IS NOT NULL").await >= 2);
    assert!(count(pool, "SELECT COUNT(*) FROM sessions WHERE status = 'cancelled'").await >= 1);
    assert!(
        count(pool, "SELECT COUNT(*) FROM sessions s WHERE s.seats_taken = s.capacity AND EXISTS (SELECT 1 FROM enrolments e WHERE e.session_id = s.id AND e.status = 'waitlisted')").await >= 1,
        "a full session with a waiting list"
    );
    let second = toile(db, &["seed", "--demo"]);
    assert!(second.status.success());
    let mut after = vec![];
    for table in tables {
        after.push(count(pool, &format!("SELECT COUNT(*) FROM {table}")).await);
    }
    assert_eq!(before, after);
}

#[tokio::test]
async fn token_create_prints_the_token_alone_and_stores_only_its_hash() {
    let _machine = tests::machine::shared().await;
    let db = TestDb::create(Store::Sqlite).await.unwrap();
    let added =
        toile(&db, &["user", "add", "--email", "Claire@Test.fr", "--name", "Claire", "--role", "group-coordinator"]);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let out = toile(&db, &["token", "create", "--email", "claire@test.fr"]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let token = stdout.trim_end_matches('\n');
    assert_eq!(stdout.lines().count(), 1);
    assert_eq!(token.len(), 64);
    let stored: String =
        sqlx::query_scalar("SELECT token_hash FROM api_tokens").fetch_one(&db.sql().await).await.unwrap();
    assert_ne!(stored, token);
    let core = toile_server::config::open_core(&db.url, toile_server::core::StoreOptions::default()).await.unwrap();
    assert!(core.actor_for_api_token(token).await.is_ok());
    let short = toile(&db, &["token", "create", "--email", "claire@test.fr", "--name", "Script", "--days", "7"]);
    assert!(short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("valable jusqu'au"));
    let too_long = toile(&db, &["token", "create", "--email", "claire@test.fr", "--days", "400"]);
    assert_eq!(too_long.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&too_long.stderr).contains("de 1 à 365 jours"), "{too_long:?}");
}

#[tokio::test]
async fn retention_runs_at_once_from_the_shell_and_says_what_it_did() {
    let _machine = tests::machine::shared().await;
    let db = TestDb::create(Store::Sqlite).await.unwrap();
    let out = toile(&db, &["retention"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("0 personne(s) anonymisée(s), 0 entrée(s) du journal et 0 message(s) envoyé(s) supprimé(s)."),
        "{said}"
    );
}

#[tokio::test]
async fn user_add_explains_mistakes_in_french_and_stores_nothing() {
    let _machine = tests::machine::shared().await;
    let db = TestDb::create(Store::Sqlite).await.unwrap();
    let unknown_role = toile(&db, &["user", "add", "--email", "a@b.fr", "--name", "A", "--role", "boss"]);
    assert_eq!(unknown_role.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown_role.stderr).contains("rôle inconnu"));
    let no_structure = toile(&db, &["user", "add", "--email", "a@b.fr", "--name", "A", "--role", "cip"]);
    assert_eq!(no_structure.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no_structure.stderr).contains("structure"));
    let twice = ["user", "add", "--email", "a@b.fr", "--name", "A", "--role", "admin", "--password-stdin"];
    let short = toile_with_input(&db, &twice, "un-mot\n");
    assert_eq!(short.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&short.stderr).contains("au moins 12 caractères"), "{short:?}");
    assert!(toile_with_input(&db, &twice, "un-long-mot-de-passe\n").status.success());
    let again = toile_with_input(&db, &twice, "un-long-mot-de-passe\n");
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("existe déjà"));
}

async fn a_fresh_install_is_set_up_from_the_shell_and_accounts_are_turned_off_from_it(db: &TestDb) {
    let structure = stdout(&toile(db, &["structure", "add", "--name", "Tremplin Lille", "--kind", "aci"]));
    let again = stdout(&toile(db, &["structure", "add", "--name", "Tremplin Lille", "--kind", "aci"]));
    assert_eq!(structure, again, "the same name is the same structure");
    let unknown = toile(db, &["structure", "add", "--name", "X", "--kind", "sarl"]);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("type inconnu"));
    let site = ["site", "add", "--structure", &structure, "--name", "Atelier", "--address", "12 rue des Postes"];
    stdout(&toile(db, &[&site[..], &["--postcode", "59000", "--city", "Lille"]].concat()));
    let add = ["user", "add", "--email", "cip@tremplin.fr", "--name", "Claire", "--role", "cip", "--structure"];
    let added =
        toile_with_input(db, &[&add[..], &[structure.as_str(), "--password-stdin"]].concat(), "mot-de-passe-long\n");
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let token = stdout(&toile(db, &["token", "create", "--email", "cip@tremplin.fr"]));

    let core = toile_server::config::open_core(&db.url, toile_server::core::StoreOptions::default()).await.unwrap();
    core.sign_in_staff("cip@tremplin.fr", "mot-de-passe-long", None).await.expect("the password from stdin signs in");
    assert_eq!(count(&db.sql().await, "SELECT COUNT(*) FROM sites").await, 1);
    assert!(core.actor_for_api_token(&token).await.is_ok());
    let revoked = toile(db, &["token", "revoke", "--email", "cip@tremplin.fr"]);
    assert!(
        String::from_utf8_lossy(&revoked.stderr).contains("1 jeton"),
        "{}",
        String::from_utf8_lossy(&revoked.stderr)
    );
    assert!(core.actor_for_api_token(&token).await.is_err(), "the token stopped");

    let browser = core.sign_in_staff("cip@tremplin.fr", "mot-de-passe-long", None).await.unwrap();
    let token = stdout(&toile(db, &["token", "create", "--email", "cip@tremplin.fr"]));
    assert!(toile(db, &["user", "deactivate", "--email", "cip@tremplin.fr"]).status.success());
    assert!(core.actor_for_sign_in(&browser.token).await.is_err(), "their browser is signed out");
    assert!(core.actor_for_api_token(&token).await.is_err(), "their tokens stop");
    assert!(core.sign_in_staff("cip@tremplin.fr", "mot-de-passe-long", None).await.is_err(), "no sign-in any more");
    let unknown = toile(db, &["user", "deactivate", "--email", "personne@nulle.part"]);
    assert_eq!(unknown.status.code(), Some(1));
}

#[tokio::test]
async fn serve_prints_its_address_and_demo_sign_ins_and_stops_cleanly_on_sigterm() {
    let _machine = tests::machine::shared().await;
    let db = TestDb::create(Store::Sqlite).await.unwrap();
    assert!(toile(&db, &["seed", "--demo"]).status.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_toile-test-server"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("DATABASE_URL", &db.url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("Toile écoute sur http://127.0.0.1:"), "{first}");
    let rest: Vec<String> = lines.by_ref().take(3).map(|l| l.unwrap()).collect();
    assert!(rest.join("\n").contains("demo-toile-2026"), "{rest:?}");
    let url = first.rsplit(' ').next().unwrap().to_string();
    let page = reqwest::get(format!("{url}/connexion")).await.unwrap();
    assert_eq!(page.status(), 200);
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "clean exit on SIGTERM: {status:?}");
}
