#[tokio::main]
async fn main() -> std::process::ExitCode {
    toile_server::cli::main().await
}
