//! Secrets and the web's defences: the master key, citizen and session
//! tokens, staff passwords, their optional second factor (TOTP) and
//! sessions, the security headers on every response, login throttling and
//! who the client is behind a reverse proxy.

pub mod csrf;
pub mod headers;
pub mod keys;
pub mod password;
pub mod proofs;
pub mod proxies;
pub mod rate_limit;
pub mod seal;
pub mod session;
pub mod totp;
