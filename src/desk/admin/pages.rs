//! Page structs of the setup page and of the administrators' staff and
//! controller pages (`templates/desk/setup.html`, `staff*.html`,
//! `controller*.html`). They use `layout.html` like every desk page; their
//! words come from `i18n/*/admin.ftl` through `t`.

use askama::Template;

use super::super::pages::StaffBar;
use super::forms::{ControllerFields, Errors};
use crate::domain::ids::ControllerId;
use crate::i18n::Tr;
use crate::security::password;

/// The browser tab's title: the page's, after "the form has errors" when
/// it came back refused.
pub fn title(t: Tr, page: &str, refused: bool) -> String {
    if refused {
        t.admin_page_title_with_errors(page)
    } else {
        t.admin_page_title(page)
    }
}

/// The same path in the other language.
pub fn lang_switch(t: Tr, path: &str) -> Option<String> {
    Some(format!("{path}?lang={}", t.other_lang()))
}

/// The initial password's rules, under its field.
pub fn password_hint(t: Tr) -> String {
    t.admin_field_password_hint(password::MIN_LEN, password::MAX_LEN)
}

/// Why the setup link does not open the form, with the way to sign in.
pub struct SetupClosed {
    pub heading: String,
    pub body: String,
    pub login_url: String,
}

#[derive(Template)]
#[template(path = "desk/setup.html")]
pub struct SetupPage {
    pub t: Tr,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    /// Set when the link is unknown, used, or setup is done: the page says
    /// so instead of showing the form.
    pub closed: Option<SetupClosed>,
    pub action_url: String,
    pub csrf: String,
    pub cf: ControllerFields,
    pub email: String,
    pub password_hint: String,
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
    pub t: Tr,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub bar: Option<StaffBar>,
    pub intro: String,
    pub new_url: String,
    pub csrf: String,
    pub notice: Option<String>,
    pub errors: Errors,
    pub alert: Option<String>,
    pub accounts: Vec<AccountRow>,
}

/// A controller the new account may be given, as a checkbox.
pub struct ControllerChoice {
    pub id: ControllerId,
    pub name: String,
    pub slug: String,
    pub checked: bool,
}

/// A role as a radio button.
pub struct RoleChoice {
    pub value: &'static str,
    pub label: String,
    pub hint: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "desk/staff_new.html")]
pub struct StaffNewPage {
    pub t: Tr,
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
    pub controllers_hint: String,
    pub password_hint: String,
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
    pub t: Tr,
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
    pub t: Tr,
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
    pub t: Tr,
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
    pub controllers_hint: String,
    pub errors: Errors,
    pub alert: Option<String>,
}
