//! Page structs for the citizen templates.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use super::texts::{Texts, texts};
use crate::domain::values::Locale;
use crate::web::pages::html;

pub struct KindOption {
    pub value: &'static str,
    pub label: String,
    pub article: &'static str,
    pub description: &'static str,
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
pub struct FormPage<'a> {
    pub t: &'a Texts,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub action_url: String,
    pub controller_name: String,
    pub dpo_email: String,
    pub postal_address: Option<String>,
    pub kinds: Vec<KindOption>,
    pub values: FormValues,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
    pub csrf: String,
    pub proof_rule: String,
}

impl FormPage<'_> {
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

pub struct RenewForm {
    pub action: String,
    pub csrf: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "citizen/message.html")]
pub struct MessagePage<'a> {
    pub t: &'a Texts,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub facts: Vec<(String, String)>,
    pub renew_form: Option<RenewForm>,
    pub link: Option<(String, String)>,
}

impl<'a> MessagePage<'a> {
    pub fn new(t: &'a Texts, header_name: &str, heading: &str) -> Self {
        MessagePage {
            t,
            page_title: format!("{heading} — {header_name}"),
            header_name: header_name.to_owned(),
            lang_switch_url: None,
            heading: heading.to_owned(),
            paragraphs: Vec::new(),
            facts: Vec::new(),
            renew_form: None,
            link: None,
        }
    }

    pub fn paragraph(mut self, p: &str) -> Self {
        self.paragraphs.push(p.to_owned());
        self
    }
}

pub struct MessageView {
    pub css: &'static str,
    pub heading: &'static str,
    pub date: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "citizen/status.html")]
pub struct StatusPage<'a> {
    pub t: &'a Texts,
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
    pub show_withdraw: bool,
    pub withdraw_url: String,
    pub csrf: String,
    pub controller_name: String,
    pub dpo_email: String,
}

impl StatusPage<'_> {
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// The one 404 for every unknown controller, token or page: it says nothing
/// about whether a token ever existed.
pub fn not_found_page(locale: Locale) -> HttpResponse {
    let t = texts(locale);
    let page = MessagePage::new(t, "dsr-tracker", t.not_found_title).paragraph(t.not_found_body);
    html(StatusCode::NOT_FOUND, &page)
}
