//! Which address a request came from: the connection's peer, or, when Toile is configured to
//! run behind one reverse proxy (`TOILE_BEHIND_PROXY=1`), the last address that proxy appended
//! to `X-Forwarded-For` (the earlier ones are whatever the client chose to send). Sign-in
//! failures are counted per address.

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};
use toile_app::port::ClientAddress;

pub const BEHIND_PROXY_ENV: &str = "TOILE_BEHIND_PROXY";

pub async fn client_address(State(behind_proxy): State<bool>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    let forwarded = behind_proxy.then(|| last_forwarded(&request)).flatten();
    if let Some(address) = forwarded.or(peer) {
        request.extensions_mut().insert(ClientAddress(address));
    }
    next.run(request).await
}

fn last_forwarded(request: &Request) -> Option<IpAddr> {
    let all = request.headers().get_all("x-forwarded-for");
    let last = all.iter().filter_map(|value| value.to_str().ok()).flat_map(|value| value.split(',')).last()?;
    last.trim().parse().ok()
}
