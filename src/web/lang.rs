//! Which language a page is written in, as an extractor, so a handler
//! starts with its business instead of parsing `?lang=`.
//!
//! - [`PageLang`] (the desk): `?lang=fr|en`, otherwise French, the
//!   language of the body the product serves.
//! - [`VisitorLang`] (citizen pages and the 404 page): `?lang=` wins, then
//!   the browser's first `Accept-Language`, then French.
//!
//! `?lang=x-pseudo` selects the test pseudo-language ([`Tr::pseudo`]) only
//! on a server whose [`AppState::pseudo_locale`] is on (tests).

use std::future::{Ready, ready};
use std::ops::Deref;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use crate::i18n::{Locale, Tr};
use crate::web::AppState;

/// The `?lang=` value of the test pseudo-language.
pub const PSEUDO_LANG: &str = "x-pseudo";

/// The desk's page language (see the module doc).
#[derive(Debug, Clone, Copy)]
pub struct PageLang(pub Tr);

/// A visitor's page language (see the module doc).
#[derive(Debug, Clone, Copy)]
pub struct VisitorLang(pub Tr);

impl Deref for PageLang {
    type Target = Tr;
    fn deref(&self) -> &Tr {
        &self.0
    }
}

impl Deref for VisitorLang {
    type Target = Tr;
    fn deref(&self) -> &Tr {
        &self.0
    }
}

#[derive(serde::Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// The language `?lang=` asks for, if it names one this server speaks.
pub fn from_query(req: &HttpRequest) -> Option<Tr> {
    let query = web::Query::<LangQuery>::from_query(req.query_string()).ok()?;
    let lang = query.into_inner().lang?;
    let lang = lang.as_str();
    if lang == PSEUDO_LANG {
        let enabled = req
            .app_data::<web::Data<AppState>>()
            .is_some_and(|s| s.pseudo_locale);
        return enabled.then(Tr::pseudo);
    }
    lang.parse::<Locale>().ok().map(Tr::new)
}

/// The browser's preferred language when it is one we speak.
fn from_accept_language(req: &HttpRequest) -> Option<Tr> {
    let first = req
        .headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)?
        .to_str()
        .ok()?
        .split(',')
        .next()?
        .trim()
        .to_ascii_lowercase();
    let primary = first.split([';', '-']).next()?.trim();
    primary.parse::<Locale>().ok().map(Tr::new)
}

impl Tr {
    /// The `?lang=` value that keeps this language across a link, a
    /// redirect or a form: the language's code, or [`PSEUDO_LANG`] for the
    /// test pseudo-language (whose [`Tr::lang`] is "en", for `<html
    /// lang>`).
    pub fn query_lang(self) -> &'static str {
        if self.is_pseudo() {
            PSEUDO_LANG
        } else {
            self.lang()
        }
    }

    /// The language of what is written to someone who reads `reader` (a
    /// letter to the citizen, a page that belongs to their request):
    /// theirs, unless this page was asked in the test pseudo-language,
    /// which then stays, so that the page tour can check its words.
    pub fn written_to(self, reader: Locale) -> Tr {
        if self.is_pseudo() {
            self
        } else {
            Tr::new(reader)
        }
    }
}

/// The desk's rule, for code that has the request but not the extractor.
pub fn page_lang(req: &HttpRequest) -> Tr {
    from_query(req).unwrap_or(Tr::new(Locale::default()))
}

/// The visitor's rule, likewise.
pub fn visitor_lang(req: &HttpRequest) -> Tr {
    from_query(req)
        .or_else(|| from_accept_language(req))
        .unwrap_or(Tr::new(Locale::default()))
}

impl FromRequest for PageLang {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(PageLang(page_lang(req))))
    }
}

impl FromRequest for VisitorLang {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(VisitorLang(visitor_lang(req))))
    }
}
