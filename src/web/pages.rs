//! Rendering helpers shared by the citizen and staff pages: a rendered
//! askama template becomes a no-store HTML response; a render failure (a bug)
//! becomes a plain 500 without detail.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, HttpResponseBuilder};
use askama::Template;

/// The stylesheet, compiled into the binary (no inline styles: the CSP
/// forbids them).
pub const STYLE_CSS: &str = include_str!("../../templates/static/style.css");

pub fn html<T: Template>(status: StatusCode, page: &T) -> HttpResponse {
    html_with(HttpResponseBuilder::new(status), page)
}

/// Renders into a builder the caller prepared (cookies, headers).
pub fn html_with<T: Template>(mut builder: HttpResponseBuilder, page: &T) -> HttpResponse {
    match page.render() {
        Ok(body) => builder
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            // Pages carry personal data or secret links: never cache them.
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(body),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body("Erreur interne / Internal error\n")
        }
    }
}

/// What a visitor sees when a request was refused before any page could
/// check it field by field (see `crate::server`'s form configuration).
#[derive(Template)]
#[template(path = "refused.html")]
pub struct RefusedPage {
    pub t: crate::i18n::Tr,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub heading: String,
    pub body: String,
    pub back_url: Option<String>,
}

pub async fn style_css() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/css; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(STYLE_CSS)
}

/// 303 See Other: the browser follows with a GET, so reloading the result
/// page never resubmits a form.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}
