//! `/desk/staff`: administrators list, add, edit and disable staff accounts.
//!
//! Administrators only (others get the 403 page, as for the settings). A
//! platform administrator (no scope rows) manages every account; one
//! scoped to some controllers sees and manages only accounts whose
//! controllers are all within its own ([`Scope::includes`]), can grant only
//! those, and can never create a platform administrator. Nobody disables
//! their own account (the last administrator would lock everyone out).
//! An administrator changes another account's role and controllers under
//! the same rules (never their own). Disabling goes through
//! [`staff::disable`], as the CLI does, so the account's sessions end in
//! the same transaction. Each change is audited (ids and role only). Forms
//! carry the session's CSRF token.
//!
//! A refusal comes back on the page it came from: the add or edit form
//! with what was typed (never a password) and the message next to its
//! field (422; 403 for an expired token), or the list with the reason at
//! the top (disabling or editing oneself, an expired token).

use actix_web::http::StatusCode;
use actix_web::web;

use super::super::Fields;
use super::super::extract::{AdminForm, AdminSession};
use super::super::pages::{StaffBar, not_found_error};
use super::forms::{self, Errors, Tx, refusable};
use super::pages::{
    AccountRow, ControllerChoice, RoleChoice, StaffEditPage, StaffListPage, StaffNewPage,
    lang_switch, password_hint, title,
};
use crate::audit::{self, Actor, NewEvent};
use crate::domain::ids::{ControllerId, StaffId};
use crate::domain::values::Role;
use crate::i18n::Tr;
use crate::security::password;
use crate::security::session::StaffSession;
use crate::store::controllers::Controller;
use crate::store::scope::{self, Scope};
use crate::store::staff::{self, CreateStaffError};
use crate::web::pages::{html, see_other};
use crate::web::{AppState, PageError, PageLang, PageResult, blocking};

#[derive(serde::Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

fn scope_label(account: &staff::Account, t: Tr) -> String {
    match account.scope() {
        Scope::All => t.admin_scope_all(),
        Scope::Only(ids) if ids.is_empty() => t.admin_scope_none(),
        Scope::Only(_) => account
            .controllers
            .iter()
            .map(|(_, slug)| slug.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The list page, with a notice after a change or an alert after a
/// refusal (the page a refused "disable" button, or a refused edit of
/// oneself, comes back to).
async fn list_page(
    state: &AppState,
    session: &StaffSession,
    t: Tr,
    notice: Option<String>,
    alert: Option<String>,
) -> Result<StaffListPage, PageError> {
    let accounts = blocking(state, |conn| Ok(staff::accounts(conn)?)).await?;
    let rows = accounts
        .iter()
        .filter(|acc| session.scope.includes(&acc.scope()))
        .map(|acc| AccountRow {
            email: acc.member.email.clone(),
            role: t.role(acc.member.role()),
            scope: scope_label(acc, t),
            disabled: acc.member.disabled,
            totp: acc.member.totp_secret.is_some(),
            last_login: acc
                .last_login
                .map(|at| at.format("%Y-%m-%d %H:%M").to_string()),
            is_self: acc.member.id == session.staff.id,
            disable_url: format!(
                "/desk/staff/{}/disable?lang={}",
                acc.member.id,
                t.query_lang()
            ),
            edit_url: format!("/desk/staff/{}/edit?lang={}", acc.member.id, t.query_lang()),
        })
        .collect();
    Ok(StaffListPage {
        t,
        page_title: title(t, &t.admin_staff_title(), alert.is_some()),
        header_name: t.desk_header(),
        lang_switch_url: lang_switch(t, "/desk/staff"),
        bar: Some(StaffBar::of(session, t)),
        intro: if session.scope == Scope::All {
            t.admin_staff_intro_all()
        } else {
            t.admin_staff_intro_scoped()
        },
        new_url: format!("/desk/staff/new?lang={}", t.query_lang()),
        csrf: session.csrf_token.clone(),
        notice,
        errors: Errors::default(),
        alert,
        accounts: rows,
    })
}

/// The list again with `alert` at the top, answered with `status`.
async fn list_refused(
    state: &AppState,
    session: &StaffSession,
    t: Tr,
    status: StatusCode,
    alert: String,
) -> PageResult {
    let page = list_page(state, session, t, None, Some(alert)).await?;
    Err(PageError::page(status, &page))
}

pub async fn list(
    lang: PageLang,
    state: web::Data<AppState>,
    AdminSession(session): AdminSession,
    query: web::Query<NoticeQuery>,
) -> PageResult {
    let t = lang.0;
    let notice = match query.notice.as_deref() {
        Some("created") => Some(t.admin_staff_created()),
        Some("disabled") => Some(t.admin_staff_disabled()),
        Some("updated") => Some(t.admin_staff_updated()),
        Some("unchanged") => Some(t.admin_staff_unchanged()),
        _ => None,
    };
    let page = list_page(&state, &session, t, notice, None).await?;
    Ok(html(StatusCode::OK, &page))
}

enum DisableRefused {
    NotFound,
}

pub async fn disable(
    lang: PageLang,
    state: web::Data<AppState>,
    path: web::Path<StaffId>,
    form: AdminForm,
) -> PageResult {
    let t = lang.0;
    let expired = form.csrf_expired();
    let AdminSession(session) = form.session;
    if expired {
        return list_refused(
            &state,
            &session,
            t,
            StatusCode::FORBIDDEN,
            t.admin_csrf_refused(),
        )
        .await;
    }
    let id = path.into_inner();
    if id == session.staff.id {
        return list_refused(
            &state,
            &session,
            t,
            StatusCode::UNPROCESSABLE_ENTITY,
            t.admin_cannot_disable_self(),
        )
        .await;
    }
    let now = state.clock.now();
    let admin_scope = session.scope.clone();
    let admin_id = session.staff.id.clone();
    let done = blocking(&state, move |conn| {
        refusable(conn, |conn| {
            // Read inside the transaction: the scope checked is the one the
            // account has when it is disabled.
            let Some(member) = staff::find_by_id(conn, &id)? else {
                return Err(Tx::Refused(DisableRefused::NotFound));
            };
            let theirs = scope::of(conn, &member.id, member.role())?;
            if !admin_scope.includes(&theirs) {
                return Err(Tx::Refused(DisableRefused::NotFound));
            }
            staff::disable(conn, &member.email, now)?;
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: Actor::Staff(admin_id),
                    action: "staff.disabled",
                    controller_id: None,
                    request_id: None,
                    detail: format!("staff={} via=desk", member.id),
                },
            )?;
            Ok(())
        })
    })
    .await?;
    match done {
        Ok(()) => Ok(see_other(&format!(
            "/desk/staff?lang={}&notice=disabled",
            t.query_lang()
        ))),
        Err(DisableRefused::NotFound) => Err(not_found_error(Some(&session), t)),
    }
}

/// What the add and edit forms show: the typed values, or the defaults.
/// Never a password.
struct Typed {
    email: String,
    role: String,
    controllers: Vec<String>,
}

impl Typed {
    fn from_form(fields: &Fields) -> Self {
        Typed {
            email: fields.get("email").unwrap_or_default().trim().to_owned(),
            role: fields.get("role").unwrap_or_default().to_owned(),
            controllers: fields
                .0
                .iter()
                .filter(|(n, _)| n == "controller")
                .map(|(_, v)| v.clone())
                .collect(),
        }
    }
}

/// The role radios and controller checkboxes, as typed, and the hint
/// above the checkboxes.
fn scope_choices(
    t: Tr,
    session: &StaffSession,
    typed: &Typed,
    choices: Vec<Controller>,
) -> (Vec<RoleChoice>, Vec<ControllerChoice>, String) {
    let roles = [Role::Dpo, Role::Viewer, Role::Admin]
        .into_iter()
        .map(|r| RoleChoice {
            value: r.as_str(),
            label: t.role(r),
            hint: t.admin_role_hint(r.as_str()),
            checked: typed.role == r.as_str(),
        })
        .collect();
    let controllers = choices
        .into_iter()
        .map(|c| ControllerChoice {
            checked: typed.controllers.iter().any(|id| c.id == id.as_str()),
            id: c.id,
            name: c.name,
            slug: c.slug,
        })
        .collect();
    let hint = if session.scope == Scope::All {
        t.admin_controllers_hint_all()
    } else {
        t.admin_controllers_hint_scoped()
    };
    (roles, controllers, hint)
}

/// Role and controllers from the form, with the scope rules: only the
/// controllers this administrator sees (a forged id is refused, not
/// silently dropped), at least one for a DPO or viewer, and at least one
/// for an admin unless a platform admin grants a platform admin.
fn parse_scope(
    t: Tr,
    typed: &Typed,
    choices: &[Controller],
    session: &StaffSession,
    errors: &mut Errors,
) -> (Option<Role>, Vec<ControllerId>) {
    let role = typed
        .role
        .parse::<Role>()
        .map_err(|_| errors.push(t, "role", &t.admin_field_role(), t.admin_role_unknown()))
        .ok();
    let label = t.admin_field_controllers();
    let mut controller_ids: Vec<ControllerId> = Vec::new();
    for id in &typed.controllers {
        let id = ControllerId::from(id.as_str());
        if !choices.iter().any(|c| c.id == id) {
            errors.push(t, "controllers", &label, t.admin_controller_outside_scope());
            break;
        }
        if !controller_ids.contains(&id) {
            controller_ids.push(id);
        }
    }
    if let Some(role) = role
        && controller_ids.is_empty()
        && !errors.has("controllers")
    {
        if role != Role::Admin {
            errors.push(t, "controllers", &label, t.admin_controllers_missing());
        } else if session.scope != Scope::All {
            errors.push(
                t,
                "controllers",
                &label,
                t.admin_controllers_missing_scoped_admin(),
            );
        }
    }
    (role, controller_ids)
}

/// The "add an account" form as typed, with its errors.
struct NewView<'a> {
    t: Tr,
    session: &'a StaffSession,
    choices: Vec<Controller>,
    typed: Typed,
    errors: Errors,
    alert: Option<String>,
}

impl NewView<'_> {
    fn page(self) -> StaffNewPage {
        let t = self.t;
        let refused = !self.errors.is_empty() || self.alert.is_some();
        let (roles, controllers, controllers_hint) =
            scope_choices(t, self.session, &self.typed, self.choices);
        StaffNewPage {
            t,
            page_title: title(t, &t.admin_staff_new_title(), refused),
            header_name: t.desk_header(),
            lang_switch_url: lang_switch(t, "/desk/staff/new"),
            bar: Some(StaffBar::of(self.session, t)),
            action_url: format!("/desk/staff/new?lang={}", t.query_lang()),
            back_url: format!("/desk/staff?lang={}", t.query_lang()),
            csrf: self.session.csrf_token.clone(),
            email: self.typed.email,
            roles,
            controllers,
            controllers_hint,
            password_hint: password_hint(t),
            errors: self.errors,
            alert: self.alert,
        }
    }

    /// The form again, refused with `status`.
    fn refused(self, status: StatusCode) -> PageError {
        PageError::page(status, &self.page())
    }
}

async fn choices(state: &AppState, session: &StaffSession) -> Result<Vec<Controller>, PageError> {
    let in_scope = session.scope.clone();
    Ok(blocking(state, move |conn| Ok(scope::controllers(conn, &in_scope)?)).await?)
}

pub async fn new_form(
    lang: PageLang,
    state: web::Data<AppState>,
    AdminSession(session): AdminSession,
) -> PageResult {
    let t = lang.0;
    let choices = choices(&state, &session).await?;
    let page = NewView {
        t,
        session: &session,
        choices,
        typed: Typed {
            email: String::new(),
            role: Role::Dpo.as_str().to_owned(),
            controllers: Vec::new(),
        },
        errors: Errors::default(),
        alert: None,
    }
    .page();
    Ok(html(StatusCode::OK, &page))
}

enum CreateRefused {
    EmailTaken,
}

pub async fn create(lang: PageLang, state: web::Data<AppState>, form: AdminForm) -> PageResult {
    let t = lang.0;
    let expired = form.csrf_expired();
    let AdminSession(session) = form.session;
    let fields = form.fields;
    let choices = choices(&state, &session).await?;
    let typed = Typed::from_form(&fields);
    let view =
        |typed: Typed, choices: Vec<Controller>, errors: Errors, alert: Option<String>| NewView {
            t,
            session: &session,
            choices,
            typed,
            errors,
            alert,
        };
    if expired {
        let alert = Some(t.admin_form_expired());
        return Err(view(typed, choices, Errors::default(), alert).refused(StatusCode::FORBIDDEN));
    }
    let mut errors = Errors::default();
    let email = forms::parse_email(&typed.email, t, &mut errors);
    let (role, controller_ids) = parse_scope(t, &typed, &choices, &session, &mut errors);
    let new_password = forms::parse_new_password(
        fields.get("password").unwrap_or_default(),
        fields.get("password2").unwrap_or_default(),
        t,
        &mut errors,
    );
    let (Some(email), Some(role), Some(new_password), true) =
        (email, role, new_password, errors.is_empty())
    else {
        return Err(view(typed, choices, errors, None).refused(StatusCode::UNPROCESSABLE_ENTITY));
    };

    let now = state.clock.now();
    let admin_id = session.staff.id.clone();
    let done = blocking(&state, move |conn| {
        let hash = password::hash(&new_password);
        refusable(conn, |conn| {
            let member = match staff::create(conn, &email, role, &hash, &controller_ids, now) {
                Ok(m) => m,
                Err(CreateStaffError::DuplicateEmail(_)) => {
                    return Err(Tx::Refused(CreateRefused::EmailTaken));
                }
                Err(CreateStaffError::Db(e)) => return Err(e.into()),
            };
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: Actor::Staff(admin_id),
                    action: "staff.created",
                    controller_id: None,
                    request_id: None,
                    detail: format!(
                        "staff={} role={} controllers={} via=desk",
                        member.id,
                        role.as_str(),
                        controller_ids.len()
                    ),
                },
            )?;
            Ok(())
        })
    })
    .await?;
    match done {
        Ok(()) => Ok(see_other(&format!(
            "/desk/staff?lang={}&notice=created",
            t.query_lang()
        ))),
        Err(CreateRefused::EmailTaken) => {
            let mut errors = Errors::default();
            errors.push(t, "email", &t.admin_field_email(), t.admin_email_taken());
            Err(view(typed, choices, errors, None).refused(StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// The account an administrator may manage, with its controller ids;
/// `None` for an unknown account and for one outside the scope alike.
fn manageable(
    conn: &mut crate::db::DbConn,
    admin_scope: &Scope,
    id: &StaffId,
) -> anyhow::Result<Option<(staff::StaffMember, Vec<ControllerId>)>> {
    let Some(member) = staff::find_by_id(conn, id)? else {
        return Ok(None);
    };
    let theirs = scope::of(conn, &member.id, member.role())?;
    if !admin_scope.includes(&theirs) {
        return Ok(None);
    }
    let ids = theirs
        .controller_ids()
        .map(<[ControllerId]>::to_vec)
        .unwrap_or_default();
    Ok(Some((member, ids)))
}

/// The "role and controllers" form of one account, as typed, with its
/// errors.
struct EditView<'a> {
    t: Tr,
    session: &'a StaffSession,
    id: &'a StaffId,
    email: String,
    choices: Vec<Controller>,
    typed: Typed,
    errors: Errors,
    alert: Option<String>,
}

impl EditView<'_> {
    fn page(self) -> StaffEditPage {
        let t = self.t;
        let refused = !self.errors.is_empty() || self.alert.is_some();
        let (roles, controllers, controllers_hint) =
            scope_choices(t, self.session, &self.typed, self.choices);
        let path = format!("/desk/staff/{}/edit", self.id);
        StaffEditPage {
            t,
            page_title: title(t, &t.admin_staff_edit_title(), refused),
            header_name: t.desk_header(),
            lang_switch_url: lang_switch(t, &path),
            bar: Some(StaffBar::of(self.session, t)),
            action_url: format!("{path}?lang={}", t.query_lang()),
            back_url: format!("/desk/staff?lang={}", t.query_lang()),
            csrf: self.session.csrf_token.clone(),
            email: self.email,
            roles,
            controllers,
            controllers_hint,
            errors: self.errors,
            alert: self.alert,
        }
    }

    fn refused(self, status: StatusCode) -> PageError {
        PageError::page(status, &self.page())
    }
}

/// The refusal common to both edit handlers: oneself (an admin demoting
/// themselves could leave nobody to undo it): the staff list, where their
/// own row has no edit link, with why.
async fn edit_refused(
    state: &AppState,
    session: &StaffSession,
    t: Tr,
    id: &StaffId,
) -> Option<PageResult> {
    if *id == session.staff.id {
        let alert = t.admin_cannot_edit_self();
        return Some(list_refused(state, session, t, StatusCode::FORBIDDEN, alert).await);
    }
    None
}

pub async fn edit_form(
    lang: PageLang,
    state: web::Data<AppState>,
    AdminSession(session): AdminSession,
    path: web::Path<StaffId>,
) -> PageResult {
    let t = lang.0;
    let id = path.into_inner();
    if let Some(refusal) = edit_refused(&state, &session, t, &id).await {
        return refusal;
    }
    let admin_scope = session.scope.clone();
    let lookup = id.clone();
    let Some((member, ids)) =
        blocking(&state, move |conn| manageable(conn, &admin_scope, &lookup)).await?
    else {
        return Err(not_found_error(Some(&session), t));
    };
    let choices = choices(&state, &session).await?;
    let page = EditView {
        t,
        session: &session,
        id: &id,
        typed: Typed {
            email: String::new(),
            role: member.role().as_str().to_owned(),
            controllers: ids.into_iter().map(String::from).collect(),
        },
        email: member.email,
        choices,
        errors: Errors::default(),
        alert: None,
    }
    .page();
    Ok(html(StatusCode::OK, &page))
}

enum EditRefused {
    NotFound,
}

pub async fn update(
    lang: PageLang,
    state: web::Data<AppState>,
    path: web::Path<StaffId>,
    form: AdminForm,
) -> PageResult {
    let t = lang.0;
    let expired = form.csrf_expired();
    let AdminSession(session) = form.session;
    let fields = form.fields;
    let id = path.into_inner();
    if let Some(refusal) = edit_refused(&state, &session, t, &id).await {
        return refusal;
    }
    let admin_scope = session.scope.clone();
    let lookup = id.clone();
    let Some((member, _)) =
        blocking(&state, move |conn| manageable(conn, &admin_scope, &lookup)).await?
    else {
        return Err(not_found_error(Some(&session), t));
    };
    let choices = choices(&state, &session).await?;
    let typed = Typed::from_form(&fields);
    let view =
        |typed: Typed, choices: Vec<Controller>, errors: Errors, alert: Option<String>| EditView {
            t,
            session: &session,
            id: &id,
            email: member.email.clone(),
            choices,
            typed,
            errors,
            alert,
        };
    if expired {
        let alert = Some(t.admin_csrf_refused());
        return Err(view(typed, choices, Errors::default(), alert).refused(StatusCode::FORBIDDEN));
    }
    let mut errors = Errors::default();
    let (role, controller_ids) = parse_scope(t, &typed, &choices, &session, &mut errors);
    let (Some(role), true) = (role, errors.is_empty()) else {
        return Err(view(typed, choices, errors, None).refused(StatusCode::UNPROCESSABLE_ENTITY));
    };

    let now = state.clock.now();
    let admin_scope = session.scope.clone();
    let admin_id = session.staff.id.clone();
    let target = id.clone();
    let done = blocking(&state, move |conn| {
        refusable(conn, |conn| {
            // Checked again inside the transaction, on the scope the account
            // has now.
            let Some((member, mut old_ids)) = manageable(conn, &admin_scope, &target)? else {
                return Err(Tx::Refused(EditRefused::NotFound));
            };
            let mut new_ids = controller_ids;
            old_ids.sort();
            new_ids.sort();
            if member.role() == role && old_ids == new_ids {
                return Ok(false);
            }
            staff::set_role_and_scope(conn, &member.id, role, &new_ids, now)?;
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: Actor::Staff(admin_id),
                    action: "staff.updated",
                    controller_id: None,
                    request_id: None,
                    detail: format!(
                        "staff={} role={}->{} controllers={}->{} via=desk",
                        member.id,
                        member.role().as_str(),
                        role.as_str(),
                        old_ids.len(),
                        new_ids.len()
                    ),
                },
            )?;
            Ok(true)
        })
    })
    .await?;
    match done {
        Ok(changed) => Ok(see_other(&format!(
            "/desk/staff?lang={}&notice={}",
            t.query_lang(),
            if changed { "updated" } else { "unchanged" }
        ))),
        Err(EditRefused::NotFound) => Err(not_found_error(Some(&session), t)),
    }
}
