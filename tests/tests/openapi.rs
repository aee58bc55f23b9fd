//! The OpenAPI document against an independent fuzzer: schemathesis reads `/api/v1/openapi.json`
//! and nothing else, sends every operation requests that fit the document and requests that do
//! not, and checks each answer against the document (status, content type, body schema, auth,
//! methods). The run needs schemathesis (installed by `scripts/setup.sh --tests`); without it the
//! test says it is skipped, unless `TOILE_SCHEMATHESIS_REQUIRED` is set (as `scripts/test.sh`
//! does), where its absence fails the test.

use std::path::PathBuf;
use std::time::Instant;
use tests::fuzzer::{self, Known};
use tests::{Store, TestApp, TestDb};

/// Requests per operation and per phase.
const EXAMPLES_PER_OPERATION: u32 = 40;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_tells_the_truth_to_an_independent_fuzzer() {
    let _machine = tests::machine::shared().await;
    let Some(st) = fuzzer::schemathesis() else {
        let message = format!("schemathesis {} not found at {}", fuzzer::VERSION, fuzzer::default_st().display());
        assert!(std::env::var_os("TOILE_SCHEMATHESIS_REQUIRED").is_none(), "{message}: run scripts/setup.sh --tests");
        eprintln!("SKIPPED: {message} (install it with scripts/setup.sh --tests)");
        return;
    };
    let db = TestDb::create(Store::Sqlite).await.expect("sqlite");
    let app = TestApp::spawn(&db).await;
    let known = Known::seed(&app).await;
    // The run's files stay there for a look after a failure: the document, the configuration,
    // every request and answer.
    let workdir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/openapi-fuzzer"));
    std::fs::create_dir_all(&workdir).expect("work folder");
    let schema_url = format!("{}/api/v1/openapi.json", app.base);
    let document = reqwest::get(&schema_url).await.expect("document served").text().await.expect("document read");
    std::fs::write(workdir.join("openapi.json"), document).expect("document saved");
    let config = workdir.join("schemathesis.toml");
    std::fs::write(&config, fuzzer::config(&known)).expect("config written");
    let started = Instant::now();
    let run = fuzzer::run(&st, &config, &schema_url, EXAMPLES_PER_OPERATION, &workdir).await;
    eprintln!("{}", run.output);
    eprintln!("schemathesis ran for {:.0?}", started.elapsed());
    assert!(run.passed, "schemathesis found the document and the server disagreeing: see its report above");
}
