//! CSRF protection for the citizen forms, which have no session: the
//! double-submit pattern. A random token goes into a SameSite=Strict,
//! HttpOnly cookie and into a hidden field; a POST is accepted only when
//! both are present and equal. A cross-site page can make the browser send
//! the cookie only on same-site requests, and cannot read it to fill the
//! field. Staff forms use the token bound to their server-side session.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use subtle::ConstantTimeEq;

use super::keys::new_token;

/// Cookie name: the `__Host-` prefix (Secure, no Domain, Path=/) when the
/// service is served over https, which also stops a sibling subdomain from
/// planting its own token.
pub fn cookie_name(https: bool) -> &'static str {
    if https { "__Host-dsr_csrf" } else { "dsr_csrf" }
}

/// The token already in the request's cookie, or a fresh one.
pub fn token_for(req: &HttpRequest, https: bool) -> String {
    req.cookie(cookie_name(https))
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() >= 32 && v.len() <= 64)
        .unwrap_or_else(new_token)
}

pub fn cookie(token: &str, https: bool) -> Cookie<'static> {
    Cookie::build(cookie_name(https), token.to_owned())
        .path("/")
        .http_only(true)
        .secure(https)
        .same_site(SameSite::Strict)
        .finish()
}

/// True when the submitted field matches the cookie.
pub fn verify(req: &HttpRequest, https: bool, submitted: Option<&str>) -> bool {
    let Some(cookie) = req.cookie(cookie_name(https)) else {
        return false;
    };
    let Some(submitted) = submitted else {
        return false;
    };
    let expected = cookie.value().as_bytes();
    expected.len() >= 32 && bool::from(expected.ct_eq(submitted.as_bytes()))
}
