//! A real SMTP server for the e-mail tests: aiosmtpd (from PyPI), which `scripts/setup.sh
//! --tests` installs in a virtual environment of its own, writing what it receives to a
//! maildir that the tests read back, decoded by Python's own e-mail parser.

use serde::Deserialize;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The version `scripts/setup.sh --tests` installs.
pub const VERSION: &str = "1.4.6";

/// Where setup.sh puts it: `$TOILE_AIOSMTPD_VENV`, by default `~/.cache/toile/aiosmtpd-<version>`.
fn python() -> PathBuf {
    crate::tool_venv("TOILE_AIOSMTPD_VENV", &format!("aiosmtpd-{VERSION}")).join("bin").join("python")
}

/// A message as it arrived.
#[derive(Clone, Debug, Deserialize)]
pub struct Received {
    pub to: String,
    pub from: String,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    pub html: String,
}

pub struct SmtpServer {
    child: Child,
    pub port: u16,
    dir: PathBuf,
}

const READ_MAILDIR: &str = r#"
import email, email.policy, json, os, re, sys
# In the order they arrived: a maildir name is `<seconds>.M<microseconds>P<pid>Q<count>.<host>`,
# its microseconds not zero-padded (sorted as text, M99999 comes after M100000), and the
# server's count of messages is the true order.
def arrival(name):
    found = re.search(r"Q(\d+)", name)
    return int(found.group(1)) if found else 0
out = []
for part in ("new", "cur"):
    folder = os.path.join(sys.argv[1], part)
    for name in sorted(os.listdir(folder), key=arrival) if os.path.isdir(folder) else []:
        with open(os.path.join(folder, name), "rb") as f:
            m = email.message_from_binary_file(f, policy=email.policy.default)
        html = m.get_body(("html",))
        out.append({"to": str(m["To"]), "from": str(m["From"]), "subject": str(m["Subject"]),
                    "message_id": str(m["Message-ID"]), "text": m.get_body(("plain",)).get_content(),
                    "html": html.get_content() if html else ""})
print(json.dumps(out))
"#;

impl SmtpServer {
    /// Starts one on a free port; `None` (said on standard error) when aiosmtpd is not
    /// installed, unless `TOILE_AIOSMTPD_REQUIRED` is set (`scripts/test.sh` sets it).
    pub fn start() -> Option<SmtpServer> {
        let python = python();
        let installed = Command::new(&python).args(["-c", "import aiosmtpd"]).status().is_ok_and(|s| s.success());
        if !installed {
            assert!(
                std::env::var_os("TOILE_AIOSMTPD_REQUIRED").is_none(),
                "aiosmtpd {VERSION} is not installed at {}: run scripts/setup.sh --tests",
                python.display()
            );
            eprintln!("skipped: aiosmtpd {VERSION} is not installed (scripts/setup.sh --tests installs it)");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = std::env::temp_dir().join(format!("toile-smtp-{}-{port}", std::process::id()));
        for part in ["new", "cur", "tmp"] {
            std::fs::create_dir_all(dir.join(part)).unwrap();
        }
        let child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(10), "aiosmtpd listens on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(SmtpServer { child, port, dir })
    }

    /// The address Toile sends through (plain SMTP on this machine).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    /// Every message received so far, decoded.
    pub fn received(&self) -> Vec<Received> {
        let out = Command::new(python())
            .args(["-c", READ_MAILDIR])
            .arg(&self.dir)
            .output()
            .expect("python reads the maildir");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
