//! Schemathesis, the OpenAPI fuzzer of `tests/tests/openapi.rs`: where `scripts/setup.sh` puts
//! it, the data it needs to reach past "not found", its configuration, and one run of it.

use crate::TestApp;
use crate::fixtures::OPERATOR;
use chrono::Duration;
use serde_json::json;
use std::path::{Path, PathBuf};
use toile_server::core::NewParticipant;

/// The version `scripts/setup.sh --tests` installs.
pub const VERSION: &str = "4.32.0";

/// Where `scripts/setup.sh` installs it: `$TOILE_SCHEMATHESIS_VENV/bin/st`, by default in the
/// user's cache (`$XDG_CACHE_HOME` or `~/.cache`) under `toile/schemathesis-<version>`.
pub fn default_st() -> PathBuf {
    crate::tool_venv("TOILE_SCHEMATHESIS_VENV", &format!("schemathesis-{VERSION}")).join("bin").join("st")
}

/// The `st` command, if it is installed at the expected version.
pub fn schemathesis() -> Option<PathBuf> {
    let st = default_st();
    let output = std::process::Command::new(&st).arg("--version").output().ok()?;
    let version = String::from_utf8_lossy(&output.stdout);
    (output.status.success() && version.trim().ends_with(&format!("version {VERSION}"))).then_some(st)
}

/// What the fuzzer is told exists, so that part of its requests reach the rules behind "not found".
pub struct Known {
    pub token: String,
    pub structure: i64,
    pub cip: i64,
    pub participant: i64,
    /// A published session the participant is enrolled in.
    pub session: i64,
    /// Another one, for the fuzzer to cancel.
    pub cancellable: i64,
    pub feed: i64,
}

impl Known {
    /// A structure with a CIP, a participant enrolled in a published session, another
    /// session, and a feed.
    pub async fn seed(app: &TestApp) -> Known {
        let structure = app.structure("Tremplin Lille").await;
        let cip = app.cip("cip@lille.fr", structure).await;
        let (participant, _) = app
            .core
            .register_participant(
                &OPERATOR,
                NewParticipant {
                    first_name: "Amina".into(),
                    last_name: "Benali".into(),
                    structure_id: structure,
                    referent_id: Some(cip.id),
                    phone: None,
                    email: None,
                },
            )
            .await
            .map(|(view, code)| (view.id, code))
            .expect("participant");
        let session = app.session(&app.admin, structure, Duration::days(10), 50, json!({})).await;
        let session = session["id"].as_i64().expect("session id");
        let (status, enrolment) =
            app.admin.post(&format!("/sessions/{session}/enrolments"), json!({"participant_id": participant})).await;
        assert_eq!(status, 201, "{enrolment}");
        let cancellable = app.session(&app.admin, structure, Duration::days(20), 10, json!({})).await;
        let cancellable = cancellable["id"].as_i64().expect("session id");
        let (status, feed) = app.admin.post("/feeds", json!({"scope": "group"})).await;
        assert_eq!(status, 201, "{feed}");
        let feed = feed["id"].as_i64().expect("feed id");
        Known { token: app.admin.token.clone(), structure, cip: cip.id, participant, session, cancellable, feed }
    }
}

/// The configuration file of the run (TOML): the admin's token, the known ids, and the only
/// allowance made to the checks (see the comments in the file).
pub fn config(known: &Known) -> String {
    let Known { token, structure, cip, participant, session, cancellable, feed } = known;
    format!(
        r#"
[auth.openapi.bearer]
bearer = "{token}"

# Ids in paths name a known resource half the time (the rest checks what an unknown id does);
# ids in bodies always do (in the fuzzing phase: the coverage phase draws its own). Operations
# are picked by name: the include filters of an entry add up, they do not narrow each other.
[dictionaries]
session = {{ values = [{session}] }}
cancellable = {{ values = [{cancellable}] }}
participant = {{ values = [{participant}] }}
feed = {{ values = [{feed}] }}

[[operations]]
include-name = "POST /api/v1/sessions/{{id}}/cancel"
parameters = {{ "path.id" = {{ dictionary = "cancellable", probability = 0.5 }} }}

[[operations]]
include-name = ["GET /api/v1/sessions/{{id}}", "PATCH /api/v1/sessions/{{id}}", "GET /api/v1/sessions/{{id}}/enrolments", "POST /api/v1/sessions/{{id}}/duplicate"]
parameters = {{ "path.id" = {{ dictionary = "session", probability = 0.5 }} }}

[[operations]]
include-name = "POST /api/v1/sessions/{{id}}/enrolments"
parameters = {{ "path.id" = {{ dictionary = "session", probability = 0.5 }}, "body.participant_id" = {participant} }}

[[operations]]
include-name = ["DELETE /api/v1/sessions/{{id}}/enrolments/{{participant_id}}", "PUT /api/v1/sessions/{{id}}/attendance/{{participant_id}}"]
parameters = {{ "path.id" = {{ dictionary = "session", probability = 0.5 }}, "path.participant_id" = {{ dictionary = "participant", probability = 0.5 }} }}

[[operations]]
include-name = ["POST /api/v1/feeds/{{id}}/regenerate", "DELETE /api/v1/feeds/{{id}}"]
parameters = {{ "path.id" = {{ dictionary = "feed", probability = 0.5 }} }}

[[operations]]
include-name = "POST /api/v1/participants"
parameters = {{ "body.structure_id" = {structure}, "body.referent_id" = {cip} }}

[[operations]]
include-name = "POST /api/v1/sessions"
parameters = {{ "body.organiser_structure_id" = {structure} }}

# The one allowance. A request can fit the document and still break a rule no JSON Schema can
# tell: a session's end after its start, enrolments closing before it starts, reserved seats
# within its capacity and its audience, a theme for workshops only, ids that must point to
# something (a structure, a site, a staff member; a feed's too), a copy whose dates, moved to the
# day asked, must still fit those rules; a period of figures must end after it starts and span
# five years at most. The document declares 422 for them; the check accepts that answer to
# valid-looking requests of these operations only.
[[operations]]
include-name = ["POST /api/v1/sessions", "POST /api/v1/feeds", "POST /api/v1/sessions/{{id}}/duplicate", "GET /api/v1/figures"]
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# And a change sent with `If-Match` holds only while the session is at that version, which no
# schema can tell either: an ETag the fuzzer made up is stale, 412 (the document declares it).
[[operations]]
include-name = "PATCH /api/v1/sessions/{{id}}"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "412", "422"]

# Likewise for a participant's structure and referent, where the known ids are not used: the
# coverage phase draws ids of its own (0, the largest, …), which point nowhere.
[[operations]]
include-name = "POST /api/v1/participants"
phases.coverage.checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]
"#,
    )
}

/// Run before every request the fuzzer sends, in every phase. A client draws a new
/// `Idempotency-Key` for each new request; left alone, the fuzzer draws the same few keys for
/// requests that differ, which the API rightly refuses (422 `idempotency_key_mismatch`, tested
/// in `tests/tests/once.rs`). So each request the fuzzer sends with a key gets a fresh one.
const HOOKS: &str = r#"
import uuid
import schemathesis

@schemathesis.hook
def before_call(ctx, case, **kwargs):
    for name in list(case.headers or {}):
        if name.lower() == "idempotency-key":
            case.headers[name] = str(uuid.uuid4())
"#;

pub struct Run {
    pub passed: bool,
    /// What schemathesis printed: its summary, and every failure with a command to replay it.
    pub output: String,
}

/// One run of `st run` with every check, from the folder `workdir`, where it leaves every request
/// and answer (`requests.har`, replaced at each run). Its seed is random, and printed: set
/// `TOILE_SCHEMATHESIS_SEED` to replay a run.
pub async fn run(st: &Path, config: &Path, schema_url: &str, examples: u32, workdir: &Path) -> Run {
    let hooks = workdir.join("hooks.py");
    std::fs::write(&hooks, HOOKS).expect("schemathesis hooks written");
    let mut command = tokio::process::Command::new(st);
    command
        .current_dir(workdir)
        .env("SCHEMATHESIS_HOOKS", &hooks)
        .arg("--config-file")
        .arg(config)
        .args(["run", schema_url, "--checks", "all", "--max-examples", &examples.to_string()])
        .args(["--workers", "2", "--no-color", "--generation-database", "none"])
        .args(["--report", "har", "--report-har-path", "requests.har"]);
    if let Some(seed) = std::env::var_os("TOILE_SCHEMATHESIS_SEED") {
        command.arg("--seed").arg(seed);
    }
    let output = command.output().await.expect("schemathesis runs");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    Run { passed: output.status.success(), output: text }
}
