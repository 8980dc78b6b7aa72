//! Page structs for the staff templates (`templates/desk/`). They all use
//! `layout.html`, like the citizen pages, with the desk's header.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use super::texts::{Texts, texts};
use crate::domain::values::Locale;
use crate::i18n::Tr;
use crate::security::session::StaffSession;
use crate::web::pages::html;

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
    pub fn new(session: &StaffSession, locale: Locale) -> Self {
        let t = Tr::new(locale);
        StaffBar {
            t,
            email: session.staff.email.clone(),
            role: t.role(session.role()),
            logout_url: format!("/desk/logout?lang={}", locale.as_str()),
            csrf: session.csrf_token.clone(),
            account_url: format!("/desk/account?lang={}", locale.as_str()),
        }
    }
}

/// `?lang=` for the other language, on the same path.
pub fn lang_switch(path: &str, t: &Texts) -> Option<String> {
    Some(format!("{path}?lang={}", t.other_lang))
}

#[derive(Template)]
#[template(path = "desk/login.html")]
pub struct LoginPage {
    pub t: &'static Texts,
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
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

pub struct ControllerRow {
    pub name: String,
    pub slug: String,
    pub form_url: String,
    pub settings_url: Option<String>,
}

#[derive(Template)]
#[template(path = "desk/home.html")]
pub struct HomePage {
    pub t: &'static Texts,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub bar: Option<StaffBar>,
    pub all_controllers: bool,
    pub is_admin: bool,
    pub controllers: Vec<ControllerRow>,
    /// The link to the request queue: (URL, label).
    pub queue_link: (String, String),
    /// An administrator's links to the staff and controller pages.
    pub admin_links: Vec<(String, &'static str)>,
    /// What waits in the queue: (count, label, URL of the filtered queue).
    pub workload: Vec<(i64, String, String)>,
    pub workload_title: String,
    /// Requests with a mail the requester never got: (reference, link).
    pub undelivered: Vec<(String, String)>,
    pub undelivered_title: &'static str,
    pub undelivered_hint: &'static str,
}

/// One numeric retention setting on the form.
pub struct SettingView {
    pub name: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub current: String,
    pub value: String,
    pub legal_basis: &'static str,
    pub note: Option<(&'static str, &'static str)>,
    pub error: Option<String>,
}

/// The yes/no setting.
pub struct CheckboxView {
    pub name: &'static str,
    pub label: &'static str,
    pub current: &'static str,
    pub checked: bool,
    pub legal_basis: &'static str,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "desk/settings.html")]
pub struct SettingsPage {
    pub t: &'static Texts,
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

#[derive(Template)]
#[template(path = "desk/message.html")]
pub struct MessagePage {
    pub t: &'static Texts,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub bar: Option<StaffBar>,
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub link: Option<(String, String)>,
}

/// A page that only says something, with the staff bar and a way home.
pub fn message(
    status: StatusCode,
    session: Option<&StaffSession>,
    locale: Locale,
    heading: &str,
    paragraph: &str,
) -> HttpResponse {
    let t = texts(locale);
    let page = MessagePage {
        t,
        page_title: format!("{heading} — {}", t.header),
        header_name: t.header.to_owned(),
        lang_switch_url: None,
        bar: session.map(|s| StaffBar::new(s, locale)),
        heading: heading.to_owned(),
        paragraphs: vec![paragraph.to_owned()],
        link: Some((format!("/desk/?lang={}", t.lang), t.back_home.to_owned())),
    };
    html(status, &page)
}

/// 403: the account's role does not allow this page.
pub fn forbidden(session: &StaffSession, locale: Locale, why: &str) -> HttpResponse {
    let t = texts(locale);
    message(
        StatusCode::FORBIDDEN,
        Some(session),
        locale,
        t.forbidden_title,
        why,
    )
}

/// 404: no such page, or a controller outside the account's scope (the
/// same answer, so the desk does not reveal which controllers exist).
pub fn not_found(session: Option<&StaffSession>, locale: Locale) -> HttpResponse {
    let t = texts(locale);
    message(
        StatusCode::NOT_FOUND,
        session,
        locale,
        t.not_found_title,
        t.not_found_body,
    )
}
