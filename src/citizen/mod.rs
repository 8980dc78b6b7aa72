//! What the citizen sees: the public form of each controller, the e-mail
//! confirmation, and the private status page. French first, English too;
//! no JavaScript; errors next to their field and summarised at the top.
//!
//! Every word comes from `i18n/<language>/citizen.ftl` through [`Tr`].
//! Which language a page speaks: `?lang=` wins; otherwise the language of
//! what the page belongs to (the controller's for its form, the one the
//! citizen wrote in for a request's pages); a page that belongs to nothing
//! (the 404) follows the browser ([`crate::web::VisitorLang`]).
//!
//! Handlers return [`crate::web::PageResult`]: a refusal renders the form it
//! came from again, with what was typed and the message next to the field.

mod confirm;
pub(crate) mod form;
mod mails;
mod pages;
mod status;
pub mod upload;

use actix_web::{HttpRequest, web};

use crate::i18n::{Locale, Tr};
use crate::web::lang;

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

/// The language of a page that belongs to a controller or a request:
/// `?lang=` if it names one we speak, else the owner's language.
fn owned_page_lang(req: &HttpRequest, owner: Locale) -> Tr {
    lang::from_query(req).unwrap_or(Tr::new(owner))
}

use crate::web::blocking;
