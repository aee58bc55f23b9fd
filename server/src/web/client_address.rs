//! What a request says about where it came from:
//! - its address: the connection's peer, or, when Toile is configured to run behind one reverse
//!   proxy (`TOILE_BEHIND_PROXY=1`), the last address that proxy appended to `X-Forwarded-For`
//!   (the earlier ones are whatever the client chose to send). Sign-in failures are counted per
//!   address;
//! - whether it came over HTTPS, when the configured address is https: cookies are then `Secure`.

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};
use toile_app::port::{ClientAddress, ServedOverHttps};

pub const BEHIND_PROXY_ENV: &str = "TOILE_BEHIND_PROXY";

#[derive(Clone, Copy, Debug)]
pub struct Served {
    pub behind_proxy: bool,
    /// The configured public address is https.
    pub over_https: bool,
}

pub async fn client_address(State(served): State<Served>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    let forwarded = served.behind_proxy.then(|| last_forwarded(&request)).flatten();
    if let Some(address) = forwarded.or(peer) {
        request.extensions_mut().insert(ClientAddress(address));
    }
    if served.over_https {
        request.extensions_mut().insert(ServedOverHttps);
    }
    next.run(request).await
}

fn last_forwarded(request: &Request) -> Option<IpAddr> {
    let all = request.headers().get_all("x-forwarded-for");
    let last = all.iter().filter_map(|value| value.to_str().ok()).flat_map(|value| value.split(',')).last()?;
    last.trim().parse().ok()
}
