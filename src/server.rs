//! The HTTP server: middleware and routes. Feature handlers live in their
//! own folders (`citizen/`, `desk/`, `api/`) and import their tools from
//! `crate::web`; this file only assembles them, so no handler imports it.

use std::net::TcpListener;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::{Compress, Next, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};

use crate::web::AppState;
use crate::web::pages;

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
        // Every event this process appends is keyed: the chain's key is
        // opened (or created, on the first start) before any request, so a
        // master key that does not open it stops the start.
        let mut conn = state.pool.get().map_err(std::io::Error::other)?;
        crate::audit::unlock(&mut conn, &state.master_key, state.clock.now()).map_err(|e| {
            std::io::Error::other(format!("cannot open the audit trail's key: {e}"))
        })?;
        drop(conn);
        let data = web::Data::new(state.clone());
        let hsts = state.config.is_https();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .wrap(from_fn(crate::web::nul::refuse_nul))
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
                .app_data(
                    web::FormConfig::default()
                        .limit(FORM_LIMIT_BYTES)
                        .error_handler(unreadable_form),
                )
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

/// The largest urlencoded form read: a text field of the desk's longest
/// allowed text (`desk::request::actions::MAX_TEXT_CHARS`, 20,000 characters) at
/// four bytes a character, percent-encoded (three bytes a byte), with room
/// for the other fields. Past it, nothing could be checked field by field:
/// the visitor gets [`unreadable_form`]'s page.
pub const FORM_LIMIT_BYTES: usize =
    crate::desk::request::actions::MAX_TEXT_CHARS * 4 * 3 + 64 * 1024;

/// A form body actix could not read (over [`FORM_LIMIT_BYTES`], or not a
/// form): a page in the visitor's language that says nothing was saved and
/// leads back, where the browser still holds what was typed. 413 or 400.
fn unreadable_form(
    err: actix_web::error::UrlencodedError,
    req: &actix_web::HttpRequest,
) -> actix_web::Error {
    use actix_web::error::UrlencodedError;
    let t = if req.path().starts_with("/desk") {
        crate::web::lang::page_lang(req)
    } else {
        crate::web::lang::visitor_lang(req)
    };
    let too_large = matches!(
        err,
        UrlencodedError::Overflow { .. } | UrlencodedError::UnknownLength
    );
    let (status, heading, body) = if too_large {
        (
            actix_web::http::StatusCode::PAYLOAD_TOO_LARGE,
            t.form_too_large_title(),
            t.form_too_large_body(),
        )
    } else {
        (
            actix_web::http::StatusCode::BAD_REQUEST,
            t.form_unreadable_title(),
            t.form_unreadable_body(),
        )
    };
    tracing::info!(status = status.as_u16(), error = %err, "unreadable form");
    let page = pages::RefusedPage {
        t,
        page_title: heading.clone(),
        header_name: t.site_name(),
        lang_switch_url: None,
        heading,
        body,
        back_url: Some(form_page_of(req)),
    };
    crate::web::PageError::page(status, &page).into()
}

/// The page a form was posted from, for the link back (the browser sends
/// no `Referer`: the policy is `no-referrer`). Most forms post to their own
/// page; the request page's actions and mails, the account's two-step
/// forms and the status page's forms post below the page they sit on.
fn form_page_of(req: &actix_web::HttpRequest) -> String {
    let path = req.path();
    let parts: Vec<&str> = path.split('/').collect();
    let page = match parts.as_slice() {
        [
            "",
            "desk",
            "requests",
            id,
            "actions" | "mails" | "acknowledge",
            ..,
        ] => {
            format!("/desk/requests/{id}")
        }
        ["", "desk", "account", ..] => "/desk/account".to_owned(),
        ["", "desk", "staff", _, "disable"] => "/desk/staff".to_owned(),
        ["", "s", token, ..] => format!("/s/{token}"),
        _ => path.to_owned(),
    };
    match crate::web::lang::from_query(req) {
        Some(t) => format!("{page}?lang={}", t.query_lang()),
        None => page,
    }
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

async fn not_found(lang: crate::web::VisitorLang) -> HttpResponse {
    crate::citizen::not_found_page(lang.0)
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
