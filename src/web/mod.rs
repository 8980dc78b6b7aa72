//! The HTTP server: state, middleware and routes. Feature handlers live in
//! their own folders (`citizen/`, `desk/`); this file only assembles them.

pub mod pages;
pub mod periodic;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::{Compress, Next, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};

use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::Pool;
use crate::security::keys::MasterKey;
use crate::security::rate_limit::RateLimiter;

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
    /// Staff login attempts per account (e-mail as typed, normalised) and
    /// per IP address.
    pub login_limiter: Arc<RateLimiter>,
}

impl AppState {
    pub fn new(pool: Pool, config: Config, clock: SharedClock, master_key: MasterKey) -> AppState {
        let submission_limiter = Arc::new(RateLimiter::new(
            config.submissions_per_hour,
            chrono::TimeDelta::hours(1),
        ));
        let login_limiter = Arc::new(RateLimiter::new(
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
        }
    }
}

/// A bound, not yet awaited server; `port` is the real port when the
/// configuration asked for port 0 (tests).
pub struct Application {
    pub port: u16,
    pub server: Server,
}

impl Application {
    pub fn build(state: AppState) -> std::io::Result<Application> {
        // "Address already in use" alone does not tell the operator which
        // address, nor which setting chose it.
        let addr = state.config.bind_addr;
        let listener = TcpListener::bind(addr).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("cannot listen on {addr} (BIND_ADDR or --bind-addr): {e}"),
            )
        })?;
        Self::from_listener(state, listener)
    }

    /// For tests that must know the port before the state is built (links
    /// in e-mails carry it).
    pub fn from_listener(state: AppState, listener: TcpListener) -> std::io::Result<Application> {
        let port = listener.local_addr()?.port();
        let data = web::Data::new(state.clone());
        let hsts = state.config.is_https();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .wrap(from_fn(log_request))
                .wrap(Compress::default())
                .wrap(crate::security::headers::default_headers())
                .wrap(actix_web::middleware::Condition::new(
                    hsts,
                    actix_web::middleware::DefaultHeaders::new().add((
                        header::STRICT_TRANSPORT_SECURITY,
                        "max-age=63072000; includeSubDomains",
                    )),
                ))
                .route("/healthz", web::get().to(healthz))
                .route("/static/style.css", web::get().to(pages::style_css))
                .configure(crate::citizen::routes)
                .configure(crate::api::routes)
                .configure(crate::desk::routes)
                .default_service(web::to(not_found))
        })
        .listen(listener)?
        .shutdown_timeout(30)
        .run();
        Ok(Application { port, server })
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

/// 200 when the database answers, 503 otherwise: what a load balancer or
/// `docker compose` health check needs, with no detail an attacker could use.
async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let ok = web::block(move || {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        crate::db::ping(&mut conn).map_err(|e| e.to_string())
    })
    .await;
    match ok {
        Ok(Ok(())) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body("ok\n"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: database unavailable");
            HttpResponse::ServiceUnavailable().body("database unavailable\n")
        }
        Err(_) => HttpResponse::ServiceUnavailable().body("unavailable\n"),
    }
}

async fn not_found(req: actix_web::HttpRequest) -> HttpResponse {
    crate::citizen::not_found_page(crate::citizen::visitor_locale(&req))
}

/// Logs one line per request with the *route pattern* (`/s/{token}`), never
/// the concrete path, query string, client address or body: paths carry
/// citizens' secret tokens and forms carry personal data.
async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let res = next.call(req).await?;
    let route = res
        .request()
        .match_pattern()
        .unwrap_or_else(|| "(unmatched)".to_owned());
    tracing::info!(
        target: "http",
        %method,
        route = %route,
        status = res.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    Ok(res)
}
