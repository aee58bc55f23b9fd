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
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the process with SIGKILL, as a crash or `kill -9` would: no shutdown, no flush.
    pub fn kill_abruptly(&mut self) {
        self.child.kill().expect("SIGKILL sent");
        self.child.wait().expect("the process is gone");
    }

    /// Starts `program serve` on port 0 and reads the address it prints. It serves the site
    /// (the browser bundle) that cargo-leptos built at the workspace's root.
    pub fn start(program: &str, database_url: &str) -> ServerProcess {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut command = Command::new(program);
        command.current_dir(&root).env("DATABASE_URL", database_url).env("RUST_LOG", "warn");
        ServerProcess::spawn(command)
    }

    /// Starts `program serve` as `start` does, with `env` added to its environment.
    pub fn start_with(program: &str, database_url: &str, env: &[(&str, &str)]) -> ServerProcess {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut command = Command::new(program);
        command.current_dir(&root).env("DATABASE_URL", database_url).env("RUST_LOG", "warn");
        command.envs(env.iter().copied());
        ServerProcess::spawn(command)
    }

    /// The memory the process holds (resident set), in bytes.
    pub fn resident_bytes(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        let kb = status.lines().find_map(|line| line.strip_prefix("VmRSS:")).and_then(|v| v.split_whitespace().next());
        kb.and_then(|kb| kb.parse::<u64>().ok()).unwrap_or(0) * 1024
    }

    /// Starts `program serve` in `dir` with nothing in its environment but `DATABASE_URL`, as
    /// the binary would run alone on a server.
    pub fn start_in(program: &str, database_url: &str, dir: &Path) -> ServerProcess {
        let mut command = Command::new(program);
        command.current_dir(dir).env_clear().env("DATABASE_URL", database_url);
        ServerProcess::spawn(command)
    }

    fn spawn(mut command: Command) -> ServerProcess {
        let mut child = command
            .args(["serve", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("toile starts");
        let stdout = child.stdout.take().expect("stdout");
        // Reads the address line, then keeps reading: a server writing to a closed pipe fails.
        let (first, rest) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(line)) = lines.next() {
                let _ = first.send(line);
            }
            for _ in lines {}
        });
        let line = rest.recv().expect("address line");
        let base = line.trim().rsplit(' ').next().expect("url").to_string();
        assert!(base.starts_with("http://127.0.0.1:"), "unexpected first line {line:?}");
        ServerProcess { child, base }
    }
}
