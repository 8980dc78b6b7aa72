//! Page structs of the setup page and of the administrators' staff and
//! controller pages (`templates/desk/setup.html`, `staff*.html`,
//! `controller*.html`). They use `layout.html` like every desk page.

use askama::Template;

use super::admin_forms::{ControllerFields, Errors};
use super::admin_texts::AdminTexts;
use super::pages::StaffBar;
use super::texts::Texts;

#[derive(Template)]
#[template(path = "desk/setup.html")]
pub struct SetupPage {
    pub t: &'static Texts,
    pub a: &'static AdminTexts,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub action_url: String,
    pub csrf: String,
    pub cf: ControllerFields,
    pub email: String,
    pub errors: Errors,
    pub alert: Option<String>,
}

/// One account in the staff list.
pub struct AccountRow {
    pub email: String,
    pub role: String,
    pub scope: String,
    pub disabled: bool,
    pub totp: bool,
    pub last_login: Option<String>,
    pub is_self: bool,
    pub disable_url: String,
    pub edit_url: String,
}

#[derive(Template)]
#[template(path = "desk/staff.html")]
pub struct StaffListPage {
    pub t: &'static Texts,
    pub a: &'static AdminTexts,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub bar: Option<StaffBar>,
    pub intro: &'static str,
    pub new_url: String,
    pub csrf: String,
    pub notice: Option<String>,
    pub errors: Errors,
    pub alert: Option<String>,
    pub accounts: Vec<AccountRow>,
}

/// A controller the new account may be given, as a checkbox.
pub struct ControllerChoice {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub checked: bool,
}

/// A role as a radio button.
pub struct RoleChoice {
    pub value: &'static str,
    pub label: String,
    pub hint: &'static str,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "desk/staff_new.html")]
pub struct StaffNewPage {
    pub t: &'static Texts,
    pub a: &'static AdminTexts,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub bar: Option<StaffBar>,
    pub action_url: String,
    pub back_url: String,
    pub csrf: String,
    pub email: String,
    pub roles: Vec<RoleChoice>,
    pub controllers: Vec<ControllerChoice>,
    pub controllers_hint: &'static str,
    pub errors: Errors,
    pub alert: Option<String>,
}

/// One controller in the administrators' list.
pub struct ControllerListRow {
    pub name: String,
    pub slug: String,
    pub reference_prefix: String,
    pub dpo_email: String,
    pub time_zone: String,
    pub form_url: String,
    pub settings_url: String,
}

#[derive(Template)]
#[template(path = "desk/controllers.html")]
pub struct ControllerListPage {
    pub t: &'static Texts,
    pub a: &'static AdminTexts,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub bar: Option<StaffBar>,
    pub notice: Option<String>,
    pub new_url: Option<String>,
    pub controllers: Vec<ControllerListRow>,
}

#[derive(Template)]
#[template(path = "desk/controller_new.html")]
pub struct ControllerNewPage {
    pub t: &'static Texts,
    pub a: &'static AdminTexts,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub bar: Option<StaffBar>,
    pub action_url: String,
    pub back_url: String,
    pub csrf: String,
    pub cf: ControllerFields,
    pub errors: Errors,
    pub alert: Option<String>,
}

#[derive(Template)]
#[template(path = "desk/staff_edit.html")]
pub struct StaffEditPage {
    pub t: &'static Texts,
    pub a: &'static AdminTexts,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub bar: Option<StaffBar>,
    pub action_url: String,
    pub back_url: String,
    pub csrf: String,
    pub email: String,
    pub roles: Vec<RoleChoice>,
    pub controllers: Vec<ControllerChoice>,
    pub controllers_hint: &'static str,
    pub errors: Errors,
    pub alert: Option<String>,
}
