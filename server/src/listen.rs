//! Accepting connections, with the bounds `axum::serve` cannot set: it gives hyper no timer, so
//! a client could take forever to send its headers, and a few hundred connections trickling a
//! byte a second ("slowloris") would hold every worker. Here:
//! - Toile speaks HTTP/1.1 only: the HTTPS proxy in front speaks HTTP/2 to browsers. Detecting
//!   the protocol (hyper-util's auto builder) reads a first byte with no timer, and hyper's
//!   HTTP/2 has no header or idle timeout, so a connection that sent nothing stayed open forever;
//! - a whole request head must arrive within `header_read`, counted from the connection's start
//!   (hyper ≥ 1.4 starts the timer at the first read of a head, before any byte came), else hyper
//!   closes the connection; the whole request is answered within `request` (else 408, a layer of
//!   `serve::app`);
//! - at most `max_connections` are served at once (the next wait in the kernel's backlog);
//! - on shutdown, requests under way get `shutdown_grace` to finish, then connections drop;
//! - a request's body is at most one of the sizes below, chosen by its route (`web::body_limits`,
//!   else 413); the API's `Idempotency-Key` layer reads a body whole within the largest.
//!
//! Each request carries its peer's address (`ConnectInfo<SocketAddr>`), as with axum's own loop.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    pub header_read: Duration,
    /// Far above any page or API call (the slowest, a sign-in sheet's PDF, takes milliseconds).
    pub request: Duration,
    pub max_connections: usize,
    pub shutdown_grace: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> ConnectionLimits {
        ConnectionLimits {
            header_read: Duration::from_secs(10),
            request: Duration::from_secs(30),
            max_connections: 4096,
            shutdown_grace: Duration::from_secs(20),
        }
    }
}

/// The staff's forms and the JSON API: a session with its description, a participant's record.
pub const STAFF_BODY_BYTES: usize = 64 * 1024;
/// Everything else: sign-ins, invitations, a participant's enrolment, server functions.
pub const SMALL_BODY_BYTES: usize = 4 * 1024;
/// A signature drawn on the sign-in sheet: at most `signature::MAX_PATH_CHARS` of path data,
/// form-encoded beside the session and the person.
pub const SIGNATURE_BODY_BYTES: usize = 16 * 1024;

/// Serves `app` on `listener` until `shutdown` completes, then lets requests under way finish
/// for at most the grace period.
pub async fn serve_until(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read);
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let Ok(permit) = open.clone().acquire_owned().await else { break };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, mostly: wait a little rather than spin.
                    tracing::warn!(%error, "a connection could not be accepted");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Small answers go out at once: without TCP_NODELAY, Nagle's algorithm and the client's
        // delayed ACK held each back by about 40 ms on a kept-alive connection.
        if let Err(error) = stream.set_nodelay(true) {
            tracing::warn!(%error, "TCP_NODELAY could not be set");
        }
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(request.map(axum::body::Body::new))
        });
        // Nothing upgrades a connection (no WebSocket): a plain HTTP/1.1 connection.
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, %peer, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.shutdown_grace) => {
            tracing::warn!(seconds = limits.shutdown_grace.as_secs(), "requests still under way after the grace period: dropped");
        }
    }
    Ok(())
}
