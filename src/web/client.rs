//! The one answer to "which address is the client at", for every handler
//! that keeps or limits by it (rate limits, login records, sessions, the
//! connection data of a request). Behind a proxy named in
//! `TRUSTED_PROXIES` it is read from `X-Forwarded-For`
//! ([`crate::security::proxies`]); otherwise it is the connection's peer.

use actix_web::{HttpRequest, web};

use super::AppState;

/// The client's address as text, `None` when the connection has none
/// (a test request without a socket).
pub fn client_ip(req: &HttpRequest) -> Option<String> {
    let peer = req.peer_addr()?.ip();
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return Some(peer.to_string());
    };
    let trusted = &state.config.trusted_proxies;
    if trusted.is_empty() {
        return Some(peer.to_string());
    }
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .collect();
    Some(trusted.client(peer, &forwarded).to_string())
}
