//! What the benchmarks share: driving a URL with concurrent kept-alive clients and reading
//! the rate and latencies back.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

pub struct Figures {
    pub rate: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// One request of a measurement: a GET with a cookie, or a form POST (each client posting its
/// own of `forms`: one staff account per client, as people sign in to their own).
#[derive(Clone)]
pub enum Ask {
    Get { url: String, cookie: Option<String> },
    Post { url: String, forms: Vec<Vec<(String, String)>> },
}

/// `requests` requests from `connections` concurrent clients, each on its own kept-alive
/// connection; every answer must be a success, or a redirect that is not back to the sign-in
/// page (a refused sign-in).
pub async fn load(ask: Ask, requests: usize, connections: usize) -> Figures {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|client_number| {
            let (next, ask) = (next.clone(), ask.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .pool_max_idle_per_host(1)
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .expect("client");
                let mut latencies = vec![];
                while next.fetch_add(1, Ordering::Relaxed) < requests {
                    let t = Instant::now();
                    let request = match &ask {
                        Ask::Get { url, cookie } => {
                            let request = client.get(url).header("accept-encoding", "br");
                            match cookie {
                                Some(cookie) => request.header("cookie", cookie),
                                None => request,
                            }
                        }
                        Ask::Post { url, forms } => {
                            client.post(url).header("accept", "text/html").form(&forms[client_number % forms.len()])
                        }
                    };
                    let response = request.send().await.expect("answer");
                    let status = response.status();
                    let location = response.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or("");
                    assert!(status.is_success() || status.is_redirection(), "{status}");
                    assert!(!location.contains("/connexion"), "a sign-in was refused: {location}");
                    response.bytes().await.expect("body");
                    latencies.push(t.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = vec![];
    for task in tasks {
        latencies.extend(task.await.expect("client"));
    }
    let total = started.elapsed();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)].as_secs_f64() * 1e3;
    Figures { rate: latencies.len() as f64 / total.as_secs_f64(), p50_ms: at(0.5), p99_ms: at(0.99) }
}

/// The resident memory of process `pid`, in MB.
pub fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}
