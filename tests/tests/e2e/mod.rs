//! The pages in headless Chromium, on the site `cargo leptos build` made (server and browser
//! bundle from one build: hydration needs both halves). One browser serves every test in turn
//! (see `tests::browser`). Needs `chromium` and `chromedriver` (scripts/setup.sh --tests).

mod day;
mod figures;
mod layout;
mod participant;
mod people;
mod programme;

use tests::{Store, TestApp, TestDb};

/// The server binary that `cargo leptos build --release` made with the browser bundle (the
/// build the tests share with the budgets and Lighthouse).
fn site_server() -> String {
    let program = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/release/toile");
    assert!(
        std::path::Path::new(program).exists(),
        "run `cargo leptos build --release --precompress` first (scripts/test.sh does)"
    );
    program.to_string()
}

/// A database with one structure and one participant: (database, app, their code, structure).
async fn setup() -> (TestDb, TestApp, String, i64) {
    let db = TestDb::create(Store::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let lille = app.structure("Tremplin Lille").await;
    let (_, code) = app.participant(lille, "Amina").await;
    (db, app, code, lille)
}
