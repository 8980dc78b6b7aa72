//! Page structs for the staff templates (`templates/desk/`). They all use
//! `layout.html`, like the citizen pages, with the desk's header; their
//! words come from the desk catalogue (`i18n/*/desk.ftl`) through `t: Tr`.
//!
//! The message pages (403, 404, a refusal with no form to go back to) are
//! built here for every desk module, as a [`PageError`] a handler returns
//! with `Err(...)`, in the page's language `t` (the test pseudo-language
//! included: links carry [`Tr::query_lang`]).

use actix_web::http::StatusCode;
use askama::Template;

use crate::i18n::Tr;
use crate::security::session::StaffSession;
use crate::web::PageError;

/// Who is logged in, and the logout button, at the top of every staff page.
pub struct StaffBar {
    /// The bar speaks the page's language whatever the page's own words
    /// are held in.
    pub t: Tr,
    pub email: String,
    pub role: String,
    pub logout_url: String,
    pub csrf: String,
    /// The account page (two-step verification).
    pub account_url: String,
}

impl StaffBar {
    /// The bar in the page's language `t`.
    pub fn of(session: &StaffSession, t: Tr) -> Self {
        StaffBar {
            t,
            email: session.staff.email.clone(),
            role: t.role(session.role()),
            logout_url: format!("/desk/logout?lang={}", t.query_lang()),
            csrf: session.csrf_token.clone(),
            account_url: format!("/desk/account?lang={}", t.query_lang()),
        }
    }
}

/// `?lang=` for the other language than `t`'s, on the same path.
pub fn lang_switch_to(path: &str, t: Tr) -> Option<String> {
    Some(format!("{path}?lang={}", t.other_lang()))
}

/// The browser tab's title: the page's own, after "the form has errors"
/// when it came back with some, then the desk's name.
pub fn page_title(t: Tr, page: &str, with_errors: bool) -> String {
    if with_errors {
        t.desk_page_title_errors(page)
    } else {
        t.desk_page_title(page)
    }
}

/// The message of the first error on `field`, for the templates.
fn error_on<'a>(errors: &'a [(String, String)], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|(f, _)| f == field)
        .map(|(_, m)| m.as_str())
}

#[derive(Template)]
#[template(path = "desk/login.html")]
pub struct LoginPage {
    pub t: Tr,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub action_url: String,
    pub csrf: String,
    pub email: String,
    pub errors: Vec<(String, String)>,
    /// A problem that belongs to no single field (wrong credentials, too
    /// many attempts, expired form): shown at the top only.
    pub alert: Option<String>,
    pub notice: Option<String>,
}

impl LoginPage {
    pub fn error(&self, field: &str) -> Option<&str> {
        error_on(&self.errors, field)
    }
}

pub struct ControllerRow {
    pub name: String,
    pub slug: String,
    pub form_url: String,
    pub settings_url: Option<String>,
}

/// One figure of the home page's workload, a link to the filtered queue.
pub struct WorkloadItem {
    pub count: i64,
    /// The words after the figure, agreeing with it.
    pub label: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "desk/home.html")]
pub struct HomePage {
    pub t: Tr,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub bar: Option<StaffBar>,
    pub all_controllers: bool,
    pub controllers: Vec<ControllerRow>,
    pub is_admin: bool,
    pub queue_url: String,
    /// An administrator's links to the staff and controller pages.
    pub staff_url: Option<String>,
    pub controllers_url: Option<String>,
    pub workload: Vec<WorkloadItem>,
    /// Requests with a mail the requester never got: (reference, link).
    pub undelivered: Vec<(String, String)>,
}

/// One numeric retention setting on the form.
pub struct SettingView {
    pub name: &'static str,
    pub label: String,
    pub unit: String,
    pub current: String,
    pub value: String,
    pub legal_basis: String,
    /// The note on art. 8 CPP (objections only).
    pub note: bool,
    pub error: Option<String>,
}

/// The yes/no setting.
pub struct CheckboxView {
    pub name: &'static str,
    pub label: String,
    pub current: String,
    pub checked: bool,
    pub legal_basis: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "desk/settings.html")]
pub struct SettingsPage {
    pub t: Tr,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub bar: Option<StaffBar>,
    pub controller_name: String,
    pub action_url: String,
    pub csrf: String,
    pub notice: Option<String>,
    pub alert: Option<String>,
    pub errors: Vec<(String, String)>,
    pub fields: Vec<SettingView>,
    pub checkbox: CheckboxView,
}

/// A page that only says something: a heading, paragraphs (kept as
/// typed: line breaks show), and a link onwards.
#[derive(Template)]
#[template(path = "desk/message.html")]
pub struct MessagePage {
    pub t: Tr,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub bar: Option<StaffBar>,
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub link: Option<(String, String)>,
}

impl MessagePage {
    /// `heading`, with the staff bar when someone is logged in, and no
    /// paragraph or link yet.
    pub fn new(t: Tr, session: Option<&StaffSession>, heading: &str) -> Self {
        MessagePage {
            t,
            page_title: t.desk_page_title(heading),
            header_name: t.desk_header(),
            lang_switch_url: None,
            bar: session.map(|s| StaffBar::of(s, t)),
            heading: heading.to_owned(),
            paragraphs: Vec::new(),
            link: None,
        }
    }

    pub fn paragraph(mut self, text: impl Into<String>) -> Self {
        self.paragraphs.push(text.into());
        self
    }

    pub fn link(mut self, href: impl Into<String>, label: impl Into<String>) -> Self {
        self.link = Some((href.into(), label.into()));
        self
    }

    /// The link back to the desk's home page.
    pub fn link_home(self) -> Self {
        let href = format!("/desk/?lang={}", self.t.query_lang());
        let label = self.t.desk_back_home();
        self.link(href, label)
    }

    /// This page as the answer, with `status`.
    pub fn error(&self, status: StatusCode) -> PageError {
        PageError::page(status, self)
    }
}

/// A page that only says something, with the staff bar and a way home.
pub fn message_error(
    status: StatusCode,
    session: Option<&StaffSession>,
    t: Tr,
    heading: &str,
    paragraph: &str,
) -> PageError {
    MessagePage::new(t, session, heading)
        .paragraph(paragraph)
        .link_home()
        .error(status)
}

/// 403: the account's role does not allow this page; `why` says so.
pub fn forbidden_error(session: &StaffSession, t: Tr, why: &str) -> PageError {
    message_error(
        StatusCode::FORBIDDEN,
        Some(session),
        t,
        &t.desk_forbidden_title(),
        why,
    )
}

/// 404: no such page, or a controller outside the account's scope (the
/// same answer, so the desk does not reveal which controllers exist).
pub fn not_found_error(session: Option<&StaffSession>, t: Tr) -> PageError {
    message_error(
        StatusCode::NOT_FOUND,
        session,
        t,
        &t.desk_not_found_title(),
        &t.desk_not_found_body(),
    )
}
