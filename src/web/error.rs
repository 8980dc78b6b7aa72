//! One error type for every page handler, so a handler can use `?` and a
//! refusal is never a dead end.
//!
//! The rule (after crates.io's `AppResult` and zero2prod's per-route
//! errors): a handler returns [`PageResult`]. When input is invalid, an
//! action is refused, a version is stale or a CSRF token expired, the
//! handler builds **the page the form came from** again, with what was
//! typed kept and each message next to its field, and returns it with
//! [`PageError::page`] and the status that says why (422, 409, 403, 413).
//! Only what has no form to return to (a missing page, a forbidden one, an
//! internal failure) becomes a message page, built by the area's own
//! constructors (`desk::pages`, `citizen::pages`) into a `PageError` too.
//!
//! An internal failure is logged with its cause chain and shown as a plain
//! page without detail: the visitor learns nothing about the server.

use std::fmt;

use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, HttpResponseBuilder, ResponseError};
use askama::Template;

pub type PageResult<T = HttpResponse> = Result<T, PageError>;

/// A rendered page that is not the happy path, with its status.
pub struct PageError {
    status: StatusCode,
    body: Body,
    /// Set with the page: a form without a session carries its CSRF token
    /// in a cookie, which the form shown again must renew or it could not
    /// be sent.
    cookies: Vec<Cookie<'static>>,
}

enum Body {
    Html(String),
    /// Logged at the point of conversion; shown as a bare 500 page.
    Internal,
}

impl PageError {
    /// `page`, rendered, with `status`: the form again with its errors, or
    /// a message page.
    pub fn page<T: Template>(status: StatusCode, page: &T) -> PageError {
        match page.render() {
            Ok(html) => PageError {
                status,
                body: Body::Html(html),
                cookies: Vec::new(),
            },
            Err(e) => {
                tracing::error!(error = %e, "template rendering failed");
                PageError::internal()
            }
        }
    }

    /// A failure the visitor can do nothing about (the cause is already
    /// logged by the caller, or by the `From` conversions below).
    pub fn internal() -> PageError {
        PageError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            body: Body::Internal,
            cookies: Vec::new(),
        }
    }

    /// The same page, setting `cookie` too.
    pub fn with_cookie(mut self, cookie: Cookie<'static>) -> PageError {
        self.cookies.push(cookie);
        self
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl fmt::Debug for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageError")
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "page answered {}", self.status)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut builder = HttpResponseBuilder::new(self.status);
        builder.insert_header((header::CACHE_CONTROL, "no-store"));
        for cookie in &self.cookies {
            builder.cookie(cookie.clone());
        }
        match &self.body {
            Body::Html(html) => builder
                .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
                .body(html.clone()),
            // No template, no catalogue: this must work when they do not.
            Body::Internal => builder
                .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
                .body(INTERNAL_PAGE),
        }
    }
}

/// Both languages, since a broken server cannot be trusted to know which.
const INTERNAL_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>Erreur interne / Internal error</title></head><body><main>\
<h1>Erreur interne</h1><p>Réessayez dans un instant.</p>\
<h1 lang=\"en\">Internal error</h1><p lang=\"en\">Please try again in a moment.</p>\
</main></body></html>\n";

/// Database work and the like that failed: logged with its causes, shown
/// without detail.
impl From<anyhow::Error> for PageError {
    fn from(e: anyhow::Error) -> PageError {
        tracing::error!(error = format!("{e:#}"), "request failed");
        PageError::internal()
    }
}

/// An actix error raised by a tool the handler used (`web::block`
/// failing, [`crate::web::blocking`]): an internal failure.
impl From<actix_web::Error> for PageError {
    fn from(e: actix_web::Error) -> PageError {
        tracing::error!(error = %e, "request failed");
        PageError::internal()
    }
}
