//! What every handler can reach, and the one way handlers run database
//! work. Kept apart from the server assembly (`crate::server`) so handlers
//! import it without importing the routes that import them.

use std::sync::Arc;

use actix_web::web;

use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::Pool;
use crate::security::keys::MasterKey;
use crate::security::rate_limit::{LoginThrottle, RateLimiter};

/// What every handler can reach. Cheap to clone (all behind `Arc`).
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub config: Arc<Config>,
    pub clock: SharedClock,
    pub master_key: Arc<MasterKey>,
    /// The suppression list's HMAC key, loaded on first use.
    pub suppression_key: crate::store::suppression::KeyCache,
    /// Web submissions per e-mail address and per IP address.
    pub submission_limiter: Arc<RateLimiter>,
    /// Failed staff logins per account (e-mail as typed, normalised) and
    /// address ([`LoginThrottle`]).
    pub login_limiter: Arc<LoginThrottle>,
    /// Failed API authentications per client address.
    pub api_failures: Arc<RateLimiter>,
    /// Whether `?lang=x-pseudo` selects the test pseudo-language; only
    /// the tests turn it on.
    pub pseudo_locale: bool,
}

impl AppState {
    pub fn new(pool: Pool, config: Config, clock: SharedClock, master_key: MasterKey) -> AppState {
        let submission_limiter = Arc::new(RateLimiter::new(
            config.submissions_per_hour,
            chrono::TimeDelta::hours(1),
        ));
        let login_limiter = Arc::new(LoginThrottle::new(
            crate::desk::LOGIN_ATTEMPTS,
            crate::desk::LOGIN_WINDOW,
        ));
        let master_key = Arc::new(master_key);
        AppState {
            pool,
            config: Arc::new(config),
            clock,
            suppression_key: crate::store::suppression::KeyCache::new(master_key.clone()),
            master_key,
            submission_limiter,
            login_limiter,
            api_failures: Arc::new(RateLimiter::new(
                crate::api::FAILURES_PER_WINDOW,
                crate::api::FAILURE_WINDOW,
            )),
            pseudo_locale: false,
        }
    }
}

/// Runs blocking database work off the async threads, on a pooled
/// connection that is returned before the handler awaits anything else.
/// Failures are logged and become a bare 500 (no detail to the client).
pub async fn blocking<T, F>(state: &AppState, f: F) -> Result<T, actix_web::Error>
where
    T: Send + 'static,
    F: FnOnce(&mut crate::db::DbConn) -> anyhow::Result<T> + Send + 'static,
{
    let pool = state.pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await?
    .map_err(|e| {
        tracing::error!(error = %e, "database work failed");
        actix_web::error::ErrorInternalServerError("internal error")
    })
}
