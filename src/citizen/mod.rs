//! What the citizen sees: the public form of each controller, the e-mail
//! confirmation, and the private status page. French first, English too;
//! no JavaScript; errors next to their field and summarised at the top.

mod confirm;
pub(crate) mod form;
mod mails;
mod pages;
mod status;
pub mod texts;
pub mod upload;

use actix_web::{HttpRequest, web};

use crate::domain::values::Locale;

pub use pages::not_found_page;

/// How long a confirmation link stays valid.
pub const CONFIRM_LINK_HOURS: i64 = 48;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{slug}/", web::get().to(form::show))
        .route("/c/{slug}/", web::post().to(form::submit))
        .route("/c/{slug}", web::get().to(form::redirect_to_slash))
        .route("/c/{slug}/submitted", web::get().to(form::submitted))
        .route("/c/{slug}/confirm/{token}", web::get().to(confirm::confirm))
        .route(
            "/c/{slug}/confirm/{token}/renew",
            web::post().to(confirm::renew),
        )
        .route("/s/{token}", web::get().to(status::show))
        .route("/s/{token}/reply", web::post().to(status::reply))
        .route("/s/{token}/withdraw", web::post().to(status::withdraw));
}

/// The language of a page that belongs to no controller (the 404 page):
/// `?lang=` if given, else the browser's first preference when it is
/// English, else French.
pub fn visitor_locale(req: &HttpRequest) -> Locale {
    let preferred = req
        .headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|tag| tag.trim().to_ascii_lowercase());
    let default = match preferred {
        Some(tag) if tag == "en" || tag.starts_with("en-") => Locale::En,
        _ => Locale::Fr,
    };
    chosen_locale(req, default)
}

/// `?lang=en` or `?lang=fr` wins; otherwise the given default.
fn chosen_locale(req: &HttpRequest, default: Locale) -> Locale {
    web::Query::<LangQuery>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.lang.as_deref().and_then(|l| l.parse().ok()))
        .unwrap_or(default)
}

#[derive(serde::Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

use crate::web::blocking;
