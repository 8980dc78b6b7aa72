//! Who is asking, as extractors, so a desk handler starts with its
//! business (after zero2prod's `session_state.rs` and vaultwarden's
//! request guards):
//!
//! - [`StaffSession`] (in `security::session`): a signed-in account, with
//!   its role and scope; without one, the login page.
//! - [`AdminSession`]: an administrator; another role gets the 403 page
//!   that says which pages are administrators' own, in the page's language.
//! - [`StaffForm`]: a urlencoded form of a signed-in account, with its CSRF
//!   token checked against the session. The verdict is kept, not thrown:
//!   a handler whose token expired shows its own form again with what was
//!   typed (403), which an extractor cannot build.
//!
//! The page language is `crate::web::PageLang`.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use super::Fields;
use super::pages::forbidden_error;
use crate::i18n::Tr;
use crate::security::session::StaffSession;
use crate::web::lang::page_lang;

/// A signed-in administrator.
#[derive(Debug, Clone)]
pub struct AdminSession(pub StaffSession);

impl Deref for AdminSession {
    type Target = StaffSession;
    fn deref(&self) -> &StaffSession {
        &self.0
    }
}

/// Why a non-administrator may not open this page: the administrators'
/// pages each say what they manage.
fn admin_only_reason(path: &str, t: Tr) -> String {
    if path.starts_with("/desk/staff") {
        t.admin_forbidden_staff()
    } else if path.ends_with("/settings") {
        t.desk_settings_forbidden()
    } else {
        t.admin_forbidden_controllers()
    }
}

impl FromRequest for AdminSession {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = StaffSession::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let session = session.await?;
            if session.is_admin() {
                return Ok(AdminSession(session));
            }
            let t = page_lang(&req);
            let why = admin_only_reason(req.path(), t);
            Err(forbidden_error(&session, t, &why).into())
        })
    }
}

/// A urlencoded form, first value of each field, with the session it came
/// from (`S`: [`StaffSession`] or [`AdminSession`], extracted first, so an
/// account that may not post here never has its form read) and the CSRF
/// verdict.
pub struct CheckedForm<S> {
    pub session: S,
    pub(crate) fields: Fields,
    csrf_matches: bool,
}

/// Any signed-in account's form.
pub type StaffForm = CheckedForm<StaffSession>;
/// An administrator's form.
pub type AdminForm = CheckedForm<AdminSession>;

impl<S> CheckedForm<S> {
    /// The form's token is not its session's (expired, or another tab's
    /// session): the handler shows its form again, 403, nothing written.
    pub fn csrf_expired(&self) -> bool {
        !self.csrf_matches
    }
}

impl<S> FromRequest for CheckedForm<S>
where
    S: FromRequest<Error = actix_web::Error> + Signed + 'static,
{
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = S::from_request(req, payload);
        let form = web::Form::<Vec<(String, String)>>::from_request(req, payload);
        Box::pin(async move {
            let session = session.await?;
            let fields = Fields::from(form.await?);
            let csrf_matches = session.staff_session().csrf_matches(fields.get("csrf"));
            Ok(CheckedForm {
                session,
                fields,
                csrf_matches,
            })
        })
    }
}

/// The session behind an extractor of who is asking.
pub trait Signed {
    fn staff_session(&self) -> &StaffSession;
}

impl Signed for StaffSession {
    fn staff_session(&self) -> &StaffSession {
        self
    }
}

impl Signed for AdminSession {
    fn staff_session(&self) -> &StaffSession {
        &self.0
    }
}
