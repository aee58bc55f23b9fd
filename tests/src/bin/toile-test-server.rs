//! The `toile` program, built inside this package so tests can start real server processes
//! (Cargo gives integration tests the path of their own package's binaries only).

#[tokio::main]
async fn main() -> std::process::ExitCode {
    toile_server::cli::main().await
}
