//! Lighthouse on the release build, as a phone sees it: the participant sign-in page, the
//! participant's sessions and one session, and the staff's sessions, each must score
//! Performance ≥ 95, Accessibility = 100 and Best Practices ≥ 95 under Lighthouse's mobile
//! preset (simulated slow 4G, 4× CPU slow-down).
//!
//! Needs `cargo leptos build --release --precompress` (the binary `target/release/toile`),
//! Chromium, Node ≥ 20 and Lighthouse 12.2.3 in `tests/lighthouse/node_modules`: run
//! `scripts/setup.sh --tests` (CI does). Without them this test fails; it never skips.
//!
//! It prints a table of the scores to copy into BENCHMARKS.md (also left in
//! `target/lighthouse/scores.md`), and, for a page below target, the audits that cost points
//! (with the selectors of the nodes at fault). The full report of each page is left in
//! `target/lighthouse/<page>.html` (and `.json`).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{Value, json};
use tests::http::{DemoVisitors, demo_visitors, without_redirects as client};
use tests::process::ServerProcess;

/// The required scores, in percent.
const PERFORMANCE: u32 = 95;
const ACCESSIBILITY: u32 = 100;
const BEST_PRACTICES: u32 = 95;

/// Runs per page at most: the performance score is noisy on a busy machine, so a page below
/// target is measured again, and the run with the best performance score is kept. Its
/// accessibility and best practices scores are the ones judged.
const MAX_RUNS: u32 = 3;

const LIGHTHOUSE_VERSION: &str = "12.2.3";
const SETUP: &str = "run `scripts/setup.sh --tests` from the workspace root (CI runs it)";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn lighthouse_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("lighthouse")
}

/// Chromium: `TOILE_CHROMIUM` if set, else Debian's `/usr/bin/chromium`.
fn chromium() -> PathBuf {
    let path = std::env::var_os("TOILE_CHROMIUM").map(PathBuf::from).unwrap_or_else(|| "/usr/bin/chromium".into());
    assert!(path.is_file(), "Chromium is not installed at {}: {SETUP}", path.display());
    path
}

/// Node ≥ 20 on `PATH` and Lighthouse 12.2.3 installed from `tests/lighthouse/package-lock.json`.
fn check_node_and_lighthouse() {
    let node = Command::new("node")
        .arg("--version")
        .output()
        .unwrap_or_else(|e| panic!("cannot run `node` ({e}): Node 20 or later must be on PATH; {SETUP}"));
    let version = String::from_utf8_lossy(&node.stdout);
    let major: u32 = version.trim().trim_start_matches('v').split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
    assert!(major >= 20, "Node {} is too old: Lighthouse {LIGHTHOUSE_VERSION} needs Node 20 or later", version.trim());
    let package = lighthouse_dir().join("node_modules/lighthouse/package.json");
    let package = std::fs::read_to_string(&package)
        .unwrap_or_else(|_| panic!("Lighthouse is not installed in {}: {SETUP}", lighthouse_dir().display()));
    let package: Value = serde_json::from_str(&package).unwrap();
    assert_eq!(
        package["version"].as_str(),
        Some(LIGHTHOUSE_VERSION),
        "tests/lighthouse/node_modules holds another Lighthouse: delete it and {SETUP}"
    );
}

fn release_binary() -> PathBuf {
    let binary = workspace().join("target/release/toile");
    assert!(binary.exists(), "run `cargo leptos build --release --precompress` first: {} is missing", binary.display());
    binary
}

/// The release binary serving the demo network from a fresh SQLite file.
struct Site {
    server: ServerProcess,
    _dir: tempfile::TempDir,
}

fn serve_demo() -> Site {
    let binary = release_binary();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("toile.db").display());
    let seeded = Command::new(&binary).args(["seed", "--demo"]).env("DATABASE_URL", &url).output().unwrap();
    assert!(seeded.status.success(), "toile seed --demo: {}", String::from_utf8_lossy(&seeded.stderr));
    let server = ServerProcess::start(binary.to_str().unwrap(), &url);
    Site { server, _dir: dir }
}

/// The HTML of a page as the cookie's owner sees it, decoded, in bytes.
async fn html_bytes(base: &str, path: &str, cookie: &str) -> usize {
    let response = client()
        .get(format!("{base}{path}"))
        .header("accept", "text/html")
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.bytes().await.unwrap().len()
}

fn percent(score: &Value) -> Option<u32> {
    score.as_f64().map(|s| (s * 100.0).round() as u32)
}

fn show(score: Option<u32>) -> String {
    score.map_or("—".into(), |s| s.to_string())
}

/// The audits of `category` that cost points, one per line, with the nodes or items involved.
fn describe_failing(page: &Value, category: &str) -> String {
    let mut out = String::new();
    for audit in page["failing"][category].as_array().into_iter().flatten() {
        let score = audit["score"].as_f64().map_or("—".into(), |s| format!("{s}"));
        let weight = audit["weight"].as_f64().unwrap_or(0.0);
        let value = audit["displayValue"].as_str().map(|v| format!(", {v}")).unwrap_or_default();
        out += &format!(
            "    - {} — {} (score {score}, weight {weight}{value})\n",
            audit["id"].as_str().unwrap(),
            audit["title"].as_str().unwrap()
        );
        for item in audit["items"].as_array().into_iter().flatten() {
            if let Some(selector) = item.get("selector").and_then(Value::as_str) {
                out += &format!("        {selector}");
                if let Some(snippet) = item["snippet"].as_str() {
                    out += &format!("  {snippet}");
                }
                out += "\n";
                if let Some(explanation) = item["explanation"].as_str() {
                    for line in explanation.lines().take(4) {
                        out += &format!("          {}\n", line.trim());
                    }
                }
            } else {
                out += &format!("        {item}\n");
            }
        }
        if let Some(more) = audit["moreItems"].as_u64().filter(|&n| n > 0) {
            out += &format!("        … and {more} more\n");
        }
    }
    out
}

#[tokio::test]
async fn the_pages_score_well_in_lighthouse_on_a_phone() {
    // The scores measure the machine too: no other test runs meanwhile.
    let _machine = tests::machine::alone().await;
    let started = Instant::now();
    check_node_and_lighthouse();
    let chromium = chromium();
    let site = serve_demo();
    let base = &site.server.base;
    let DemoVisitors { participant, staff, session } = demo_visitors(base).await;
    // (report name, who, path, cookie)
    let pages = [
        ("connexion", "signed out", "/connexion", None),
        ("seances", "participant", "/seances", Some(&participant)),
        ("seance", "participant", session.as_str(), Some(&participant)),
        ("equipe-programme", "staff", "/equipe/programme", Some(&staff)),
    ];

    // What the signed-in pages weigh: the document Lighthouse loads must be the same page (a
    // signed-out browser is sent to /connexion with a 303).
    let mut sizes = std::collections::HashMap::new();
    for (name, _, path, cookie) in &pages {
        if let Some(cookie) = cookie {
            sizes.insert(*name, html_bytes(base, path, cookie).await);
        }
    }

    let work = tempfile::tempdir().unwrap();
    let reports = workspace().join("target/lighthouse");
    let config = json!({
        "chromePath": chromium,
        "pages": pages.iter().map(|(name, _, path, cookie)| json!({
            "name": name,
            "url": format!("{base}{path}"),
            "cookie": cookie,
        })).collect::<Vec<_>>(),
        "maxRuns": MAX_RUNS,
        "performanceTarget": f64::from(PERFORMANCE) / 100.0,
        "out": work.path().join("results.json"),
        "reports": reports,
    });
    let config_path = work.path().join("config.json");
    std::fs::write(&config_path, config.to_string()).unwrap();
    // Progress lines go straight to the terminal (stderr), one per Lighthouse run.
    let status = Command::new("node")
        .arg(lighthouse_dir().join("run.mjs"))
        .arg(&config_path)
        .current_dir(lighthouse_dir())
        .status()
        .expect("node runs");
    assert!(status.success(), "tests/lighthouse/run.mjs failed ({status}); see its output above");
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(work.path().join("results.json")).unwrap()).unwrap();

    let user_agent = results["pages"]["connexion"]["userAgent"].as_str().unwrap_or("?");
    let chrome = user_agent.split(' ').find(|part| part.starts_with("Chrome/")).unwrap_or(user_agent);
    let mut table = format!(
        "Lighthouse {}, mobile preset (simulated slow 4G, 4× CPU slow-down), {chrome} headless; \
         performance: best of up to {MAX_RUNS} runs\n\n",
        results["lighthouse"].as_str().unwrap_or("?")
    );
    table += "| page | Performance | Accessibility | Best Practices | LCP | TBT | CLS | transfer | runs |\n";
    table += "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    let mut failures = vec![];
    let mut details = String::new();
    for (name, who, path, _) in &pages {
        let page = &results["pages"][name];
        let url = format!("{base}{path}");
        let runs = page["runs"].as_array().map_or(0, Vec::len);
        if let Some(error) = page["runtimeError"].as_str() {
            writeln!(table, "| {who} `{path}` | — | — | — | — | — | — | — | {runs} |").unwrap();
            let run_errors: Vec<&str> =
                page["runs"].as_array().into_iter().flatten().filter_map(|run| run["error"].as_str()).collect();
            failures.push(format!("{path}: Lighthouse could not measure the page: {error} {run_errors:?}"));
            continue;
        }
        let final_url = page["finalUrl"].as_str().unwrap_or("");
        if final_url != url {
            failures.push(format!("{path}: Lighthouse ended on {final_url} (a redirect: the cookie was not sent?)"));
        }
        if let Some(&signed_in) = sizes.get(name) {
            let measured = page["documentBytes"].as_u64().unwrap_or(0) as usize;
            if measured.abs_diff(signed_in) > (signed_in / 10).max(256) {
                failures.push(format!(
                    "{path}: Lighthouse loaded a {measured} B document, not the {signed_in} B of the signed-in \
                     page: did the cookie reach the server?"
                ));
            }
        }
        let scores = &page["scores"];
        let (perf, a11y, bp) =
            (percent(&scores["performance"]), percent(&scores["accessibility"]), percent(&scores["best-practices"]));
        let metrics = &page["metrics"];
        let ms = |key: &str| metrics[key].as_f64().unwrap_or(f64::NAN);
        writeln!(
            table,
            "| {who} `{}` | {} | {} | {} | {:.1} s | {:.0} ms | {:.3} | {:.1} KiB | {runs} |",
            if *name == "seance" { "/seances/<id>" } else { path },
            show(perf),
            show(a11y),
            show(bp),
            ms("lcpMs") / 1000.0,
            ms("tbtMs"),
            ms("cls"),
            ms("transferBytes") / 1024.0,
        )
        .unwrap();
        let mut page_details = String::new();
        for (category, label, score, target, exact) in [
            ("performance", "Performance", perf, PERFORMANCE, false),
            ("accessibility", "Accessibility", a11y, ACCESSIBILITY, true),
            ("best-practices", "Best Practices", bp, BEST_PRACTICES, false),
        ] {
            if score.is_none_or(|s| s < target) {
                let wanted = if exact { format!("= {target}") } else { format!("≥ {target}") };
                failures.push(format!("{path}: {label} {} (wanted {wanted})", show(score)));
                page_details += &format!("  {label} {}:\n{}", show(score), describe_failing(page, category));
                if category == "performance" {
                    let runs: Vec<String> = page["runs"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|run| match run["error"].as_str() {
                            Some(error) => format!("error: {error}"),
                            None => show(percent(&run["scores"]["performance"])),
                        })
                        .collect();
                    page_details += &format!(
                        "    (kept run: FCP {:.1} s, LCP {:.1} s, TBT {:.0} ms, CLS {:.3}, Speed Index {:.1} s; \
                         performance of each run: {}; CPU benchmark index {} — the 4× slow-down assumes a fast \
                         desktop CPU, about 1000 or more: below, the machine was busy and times are inflated)\n",
                        ms("fcpMs") / 1000.0,
                        ms("lcpMs") / 1000.0,
                        ms("tbtMs"),
                        ms("cls"),
                        ms("speedIndexMs") / 1000.0,
                        runs.join(", "),
                        page["benchmarkIndex"].as_f64().map_or("?".into(), |i| format!("{i:.0}")),
                    );
                }
            }
        }
        // Audits Lighthouse could not compute carry no score; one with a weight would hide a
        // failure, so it fails the test.
        for audit in page["errored"].as_array().into_iter().flatten() {
            if audit["weight"].as_f64().unwrap_or(0.0) > 0.0 {
                failures.push(format!("{path}: Lighthouse could not compute {} ({})", audit["id"], audit["error"]));
            }
        }
        for warning in page["warnings"].as_array().into_iter().flatten() {
            page_details += &format!("  Lighthouse warning: {}\n", warning.as_str().unwrap_or(""));
        }
        if !page_details.is_empty() {
            details += &format!("\n{path} ({}):\n{page_details}", reports.join(format!("{name}.html")).display());
        }
    }
    let errored: Vec<String> = results["pages"]
        .as_object()
        .into_iter()
        .flat_map(|pages| pages.values())
        .flat_map(|page| page["errored"].as_array().cloned().unwrap_or_default())
        .filter(|audit| audit["weight"].as_f64().unwrap_or(0.0) == 0.0)
        .filter_map(|audit| audit["id"].as_str().map(str::to_string))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    std::fs::write(reports.join("scores.md"), &table).unwrap();
    let mut report = format!("\n{table}");
    if !errored.is_empty() {
        writeln!(
            report,
            "\nNot computed by this Lighthouse on this Chromium (unweighted, no effect on scores): {}",
            errored.join(", ")
        )
        .unwrap();
    }
    writeln!(
        report,
        "\nFull reports: {0}/<page>.html, this table in {0}/scores.md; {1:.0} s in all",
        reports.display(),
        started.elapsed().as_secs_f64()
    )
    .unwrap();
    if !details.is_empty() {
        writeln!(report, "\nWhat cost points:{details}").unwrap();
    }
    // Straight to stderr, past the test harness's capture: the table shows when the test passes too.
    std::io::stderr().write_all(report.as_bytes()).unwrap();
    assert!(failures.is_empty(), "below target in Lighthouse:\n  {}", failures.join("\n  "));
}
