//! Page structs for the citizen templates, and the responses every citizen
//! handler shares (a page with the CSRF cookie, the 404).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, HttpResponseBuilder};
use askama::Template;

use crate::i18n::Tr;
use crate::security::csrf;
use crate::web::PageError;
use crate::web::pages::{html, html_with};

pub struct KindOption {
    pub value: &'static str,
    pub label: String,
    pub article: String,
    pub description: String,
    pub checked: bool,
}

/// What the citizen typed, echoed back when the form has errors (files are
/// never kept: the browser cannot be given them back).
#[derive(Debug, Default, Clone)]
pub struct FormValues {
    pub kind: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub postal_address: String,
    pub details: String,
    pub grounds: String,
}

#[derive(Template)]
#[template(path = "citizen/form.html")]
pub struct FormPage {
    pub t: Tr,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub action_url: String,
    /// The hidden `lang` field: the language the answer page speaks.
    pub lang_field: &'static str,
    pub controller_name: String,
    pub dpo_email: String,
    pub postal_address: Option<String>,
    pub kinds: Vec<KindOption>,
    pub max_proofs: usize,
    pub values: FormValues,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
    /// Files were sent with the refused form: say they must be chosen again.
    pub files_again: bool,
    pub csrf: String,
    pub proof_rule: String,
}

impl FormPage {
    pub fn error(&self, field: &str) -> Option<&str> {
        field_error(&self.errors, field)
    }
}

fn field_error<'a>(errors: &'a [(String, String)], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|(f, _)| f == field)
        .map(|(_, m)| m.as_str())
}

pub struct RenewForm {
    pub action: String,
    pub csrf: String,
    pub label: String,
    /// Why the last press was refused, shown next to the button.
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "citizen/message.html")]
pub struct MessagePage {
    pub t: Tr,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub facts: Vec<(String, String)>,
    pub renew_form: Option<RenewForm>,
}

impl MessagePage {
    pub fn new(t: Tr, header_name: &str, heading: String) -> Self {
        MessagePage {
            t,
            page_title: t.citizen_page_title(&heading, header_name),
            header_name: header_name.to_owned(),
            lang_switch_url: None,
            heading,
            paragraphs: Vec::new(),
            facts: Vec::new(),
            renew_form: None,
        }
    }

    pub fn paragraph(mut self, p: String) -> Self {
        self.paragraphs.push(p);
        self
    }
}

pub struct MessageView {
    pub css: &'static str,
    pub heading: String,
    pub date: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "citizen/status.html")]
pub struct StatusPage {
    pub t: Tr,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub notice: Option<String>,
    pub errors: Vec<(String, String)>,
    pub reference: String,
    pub kind_label: String,
    pub status_code: &'static str,
    pub status_sentence: String,
    pub facts: Vec<(String, String)>,
    pub show_complaint: bool,
    pub messages: Vec<MessageView>,
    pub show_reply: bool,
    pub reply_url: String,
    pub reply_value: String,
    pub max_proofs: usize,
    pub show_withdraw: bool,
    pub withdraw_url: String,
    pub csrf: String,
    pub controller_name: String,
    pub dpo_email: String,
}

impl StatusPage {
    pub fn error(&self, field: &str) -> Option<&str> {
        field_error(&self.errors, field)
    }
}

/// A page holding a citizen form, with the CSRF cookie its token needs:
/// the form again after a refusal must work even when the refusal was a
/// missing cookie, so the answer always sets it.
pub fn with_csrf_cookie<T: Template>(
    status: StatusCode,
    page: &T,
    token: &str,
    https: bool,
) -> HttpResponse {
    let mut builder = HttpResponseBuilder::new(status);
    builder.cookie(csrf::cookie(token, https));
    html_with(builder, page)
}

fn not_found_view(t: Tr) -> MessagePage {
    MessagePage::new(t, "dsr-tracker", t.citizen_not_found_title())
        .paragraph(t.citizen_not_found_body())
}

/// The one 404 for every unknown controller, token or page: it says nothing
/// about whether a token ever existed.
pub fn not_found(t: Tr) -> PageError {
    PageError::page(StatusCode::NOT_FOUND, &not_found_view(t))
}

/// [`not_found`] as a response, for the server's default service.
pub fn not_found_page(t: Tr) -> HttpResponse {
    html(StatusCode::NOT_FOUND, &not_found_view(t))
}
