//! A real `toile serve` process on a test database.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub struct ServerProcess {
    child: Child,
    /// `http://127.0.0.1:<port>`
    pub base: String,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl ServerProcess {
    /// Kills the process with SIGKILL, as a crash or `kill -9` would: no shutdown, no flush.
    pub fn kill_abruptly(&mut self) {
        self.child.kill().expect("SIGKILL sent");
        self.child.wait().expect("the process is gone");
    }

    /// Starts `program serve` on port 0 and reads the address it prints. It serves the site
    /// (the browser bundle) that cargo-leptos built at the workspace's root.
    pub fn start(program: &str, database_url: &str) -> ServerProcess {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut child = Command::new(program)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .current_dir(&root)
            .env("DATABASE_URL", database_url)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("toile starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("address line");
        let base = line.trim().rsplit(' ').next().expect("url").to_string();
        assert!(base.starts_with("http://127.0.0.1:"), "unexpected first line {line:?}");
        ServerProcess { child, base }
    }
}
