//! `/desk/staff`: administrators list, add, edit and disable staff accounts.
//!
//! Administrators only (others get the 403 page, as for the settings). A
//! platform administrator (no scope rows) manages every account; one
//! scoped to some controllers sees and manages only accounts whose
//! controllers are all within its own ([`Scope::includes`]), can grant only
//! those, and can never create a platform administrator. Nobody disables
//! their own account (the last administrator would lock everyone out).
//! An administrator changes another account's role and controllers under
//! the same rules (never their own). Disabling goes through [`staff::disable`], as the CLI does, so the
//! account's sessions end in the same transaction. Each change is audited
//! (ids and role only). Forms carry the session's CSRF token.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::admin_forms::{self, Errors, Tx, refusable};
use super::admin_pages::{
    AccountRow, ControllerChoice, RoleChoice, StaffEditPage, StaffListPage, StaffNewPage,
};
use super::admin_texts::{AdminTexts, admin_texts};
use super::pages::{StaffBar, forbidden, lang_switch, not_found};
use super::texts::{role_label, texts};
use super::{Fields, blocking, chosen_locale};
use crate::audit::{self, Actor, NewEvent};
use crate::domain::values::{Locale, Role};
use crate::security::password;
use crate::security::session::StaffSession;
use crate::store::controllers::Controller;
use crate::store::scope::{self, Scope};
use crate::store::staff::{self, CreateStaffError};
use crate::web::AppState;
use crate::web::pages::{html, see_other};

#[derive(serde::Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

fn scope_label(account: &staff::Account, a: &AdminTexts) -> String {
    match account.scope() {
        Scope::All => a.scope_all.to_owned(),
        Scope::Only(ids) if ids.is_empty() => a.scope_none.to_owned(),
        Scope::Only(_) => account
            .controllers
            .iter()
            .map(|(_, slug)| slug.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The list page, with a notice after a change or an alert after a refusal.
async fn render_list(
    state: &AppState,
    session: &StaffSession,
    locale: Locale,
    status: StatusCode,
    notice: Option<&str>,
    alert: Option<&str>,
) -> Result<HttpResponse, actix_web::Error> {
    let t = texts(locale);
    let a = admin_texts(locale);
    let accounts = blocking(state, |conn| Ok(staff::accounts(conn)?)).await?;
    let rows = accounts
        .iter()
        .filter(|acc| session.scope.includes(&acc.scope()))
        .map(|acc| AccountRow {
            email: acc.member.email.clone(),
            role: role_label(acc.member.role(), locale),
            scope: scope_label(acc, a),
            disabled: acc.member.disabled,
            totp: acc.member.totp_secret.is_some(),
            last_login: acc
                .last_login
                .map(|at| at.format("%Y-%m-%d %H:%M").to_string()),
            is_self: acc.member.id == session.staff.id,
            disable_url: format!("/desk/staff/{}/disable?lang={}", acc.member.id, t.lang),
            edit_url: format!("/desk/staff/{}/edit?lang={}", acc.member.id, t.lang),
        })
        .collect();
    let page = StaffListPage {
        t,
        a,
        page_title: format!("{} — {}", a.staff_title, t.header),
        header_name: t.header.to_owned(),
        lang_switch_url: lang_switch("/desk/staff", t),
        bar: Some(StaffBar::new(session, locale)),
        intro: if session.scope == Scope::All {
            a.staff_intro_all
        } else {
            a.staff_intro_scoped
        },
        new_url: format!("/desk/staff/new?lang={}", t.lang),
        csrf: session.csrf_token.clone(),
        notice: notice.map(str::to_owned),
        errors: Errors::default(),
        alert: alert.map(str::to_owned),
        accounts: rows,
    };
    Ok(html(status, &page))
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<NoticeQuery>,
) -> Result<HttpResponse, actix_web::Error> {
    let locale = chosen_locale(&req);
    let a = admin_texts(locale);
    if !session.is_admin() {
        return Ok(forbidden(&session, locale, a.forbidden_staff));
    }
    let notice = match query.notice.as_deref() {
        Some("created") => Some(a.staff_created),
        Some("disabled") => Some(a.staff_disabled),
        Some("updated") => Some(a.staff_updated),
        Some("unchanged") => Some(a.staff_unchanged),
        _ => None,
    };
    render_list(&state, &session, locale, StatusCode::OK, notice, None).await
}

enum DisableRefused {
    NotFound,
}

pub async fn disable(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, actix_web::Error> {
    let fields = Fields::from(form);
    let locale = chosen_locale(&req);
    let a = admin_texts(locale);
    if !session.is_admin() {
        return Ok(forbidden(&session, locale, a.forbidden_staff));
    }
    if !session.csrf_matches(fields.get("csrf")) {
        return render_list(
            &state,
            &session,
            locale,
            StatusCode::FORBIDDEN,
            None,
            Some(a.csrf_refused),
        )
        .await;
    }
    let id = path.into_inner();
    if id == session.staff.id {
        return render_list(
            &state,
            &session,
            locale,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(a.cannot_disable_self),
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
            locale.as_str()
        ))),
        Err(DisableRefused::NotFound) => Ok(not_found(Some(&session), locale)),
    }
}

/// What the add and edit forms show: the typed values, or the defaults.
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

struct NewView<'a> {
    session: &'a StaffSession,
    locale: Locale,
    choices: Vec<Controller>,
    typed: Typed,
    errors: Errors,
    alert: Option<String>,
}

/// The role radios and controller checkboxes, as typed.
fn scope_choices(
    typed: &Typed,
    choices: Vec<Controller>,
    locale: Locale,
) -> (Vec<RoleChoice>, Vec<ControllerChoice>) {
    let a = admin_texts(locale);
    let roles = [Role::Dpo, Role::Viewer, Role::Admin]
        .into_iter()
        .map(|r| RoleChoice {
            value: r.as_str(),
            label: role_label(r, locale),
            hint: a.role_hint(r),
            checked: typed.role == r.as_str(),
        })
        .collect();
    let controllers = choices
        .into_iter()
        .map(|c| ControllerChoice {
            checked: typed.controllers.contains(&c.id),
            id: c.id,
            name: c.name,
            slug: c.slug,
        })
        .collect();
    (roles, controllers)
}

/// Role and controllers from the form, with the scope rules: only the
/// controllers this administrator sees (a forged id is refused, not
/// silently dropped), at least one for a DPO or viewer, and at least one
/// for an admin unless a platform admin grants a platform admin.
fn parse_scope(
    typed: &Typed,
    choices: &[Controller],
    session: &StaffSession,
    locale: Locale,
    errors: &mut Errors,
) -> (Option<Role>, Vec<String>) {
    let a = admin_texts(locale);
    let role = typed
        .role
        .parse::<Role>()
        .map_err(|_| errors.push("role", a.f_role, a.role_unknown, locale))
        .ok();
    let mut controller_ids: Vec<String> = Vec::new();
    for id in &typed.controllers {
        if !choices.iter().any(|c| &c.id == id) {
            errors.push(
                "controllers",
                a.f_controllers,
                a.controller_outside_scope,
                locale,
            );
            break;
        }
        if !controller_ids.contains(id) {
            controller_ids.push(id.clone());
        }
    }
    if let Some(role) = role
        && controller_ids.is_empty()
        && !errors.has("controllers")
    {
        if role != Role::Admin {
            errors.push(
                "controllers",
                a.f_controllers,
                a.controllers_missing,
                locale,
            );
        } else if session.scope != Scope::All {
            errors.push(
                "controllers",
                a.f_controllers,
                a.controllers_missing_scoped_admin,
                locale,
            );
        }
    }
    (role, controller_ids)
}

fn render_new(status: StatusCode, v: NewView<'_>) -> HttpResponse {
    let t = texts(v.locale);
    let a = admin_texts(v.locale);
    let (roles, controllers) = scope_choices(&v.typed, v.choices, v.locale);
    let title = format!("{} — {}", a.staff_new_title, t.header);
    let page = StaffNewPage {
        t,
        a,
        page_title: if v.errors.is_empty() && v.alert.is_none() {
            title
        } else {
            format!("{} — {title}", t.errors_title)
        },
        header_name: t.header.to_owned(),
        lang_switch_url: lang_switch("/desk/staff/new", t),
        bar: Some(StaffBar::new(v.session, v.locale)),
        action_url: format!("/desk/staff/new?lang={}", t.lang),
        back_url: format!("/desk/staff?lang={}", t.lang),
        csrf: v.session.csrf_token.clone(),
        email: v.typed.email,
        roles,
        controllers,
        controllers_hint: if v.session.scope == Scope::All {
            a.f_controllers_hint_all
        } else {
            a.f_controllers_hint_scoped
        },
        errors: v.errors,
        alert: v.alert,
    };
    html(status, &page)
}

async fn choices(
    state: &AppState,
    session: &StaffSession,
) -> Result<Vec<Controller>, actix_web::Error> {
    let in_scope = session.scope.clone();
    blocking(state, move |conn| Ok(scope::controllers(conn, &in_scope)?)).await
}

pub async fn new_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
) -> Result<HttpResponse, actix_web::Error> {
    let locale = chosen_locale(&req);
    let a = admin_texts(locale);
    if !session.is_admin() {
        return Ok(forbidden(&session, locale, a.forbidden_staff));
    }
    let choices = choices(&state, &session).await?;
    Ok(render_new(
        StatusCode::OK,
        NewView {
            session: &session,
            locale,
            choices,
            typed: Typed {
                email: String::new(),
                role: Role::Dpo.as_str().to_owned(),
                controllers: Vec::new(),
            },
            errors: Errors::default(),
            alert: None,
        },
    ))
}

enum CreateRefused {
    EmailTaken,
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, actix_web::Error> {
    let fields = Fields::from(form);
    let locale = chosen_locale(&req);
    let a = admin_texts(locale);
    if !session.is_admin() {
        return Ok(forbidden(&session, locale, a.forbidden_staff));
    }
    let choices = choices(&state, &session).await?;
    let typed = Typed::from_form(&fields);
    if !session.csrf_matches(fields.get("csrf")) {
        return Ok(render_new(
            StatusCode::FORBIDDEN,
            NewView {
                session: &session,
                locale,
                choices,
                typed,
                errors: Errors::default(),
                alert: Some(a.form_expired.to_owned()),
            },
        ));
    }
    let mut errors = Errors::default();
    let email = admin_forms::parse_email(&typed.email, a, locale, &mut errors);
    let (role, controller_ids) = parse_scope(&typed, &choices, &session, locale, &mut errors);
    let new_password = admin_forms::parse_new_password(
        fields.get("password").unwrap_or_default(),
        fields.get("password2").unwrap_or_default(),
        a,
        locale,
        &mut errors,
    );
    let refuse = |typed: Typed, errors: Errors, choices: Vec<Controller>| {
        render_new(
            StatusCode::UNPROCESSABLE_ENTITY,
            NewView {
                session: &session,
                locale,
                choices,
                typed,
                errors,
                alert: None,
            },
        )
    };
    let (Some(email), Some(role), Some(new_password), true) =
        (email, role, new_password, errors.is_empty())
    else {
        return Ok(refuse(typed, errors, choices));
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
            locale.as_str()
        ))),
        Err(CreateRefused::EmailTaken) => {
            let mut errors = Errors::default();
            errors.push("email", a.f_email, a.email_taken, locale);
            Ok(refuse(typed, errors, choices))
        }
    }
}

/// The account an administrator may manage, with its controller ids;
/// `None` for an unknown account and for one outside the scope alike.
fn manageable(
    conn: &mut crate::db::DbConn,
    admin_scope: &Scope,
    id: &str,
) -> anyhow::Result<Option<(staff::StaffMember, Vec<String>)>> {
    let Some(member) = staff::find_by_id(conn, id)? else {
        return Ok(None);
    };
    let theirs = scope::of(conn, &member.id, member.role())?;
    if !admin_scope.includes(&theirs) {
        return Ok(None);
    }
    let ids = theirs
        .controller_ids()
        .map(<[String]>::to_vec)
        .unwrap_or_default();
    Ok(Some((member, ids)))
}

struct EditView<'a> {
    session: &'a StaffSession,
    locale: Locale,
    id: &'a str,
    email: String,
    choices: Vec<Controller>,
    typed: Typed,
    errors: Errors,
    alert: Option<String>,
}

fn render_edit(status: StatusCode, v: EditView<'_>) -> HttpResponse {
    let t = texts(v.locale);
    let a = admin_texts(v.locale);
    let (roles, controllers) = scope_choices(&v.typed, v.choices, v.locale);
    let path = format!("/desk/staff/{}/edit", v.id);
    let title = format!("{} — {}", a.staff_edit_title, t.header);
    let page = StaffEditPage {
        t,
        a,
        page_title: if v.errors.is_empty() && v.alert.is_none() {
            title
        } else {
            format!("{} — {title}", t.errors_title)
        },
        header_name: t.header.to_owned(),
        lang_switch_url: lang_switch(&path, t),
        bar: Some(StaffBar::new(v.session, v.locale)),
        action_url: format!("{path}?lang={}", t.lang),
        back_url: format!("/desk/staff?lang={}", t.lang),
        csrf: v.session.csrf_token.clone(),
        email: v.email,
        roles,
        controllers,
        controllers_hint: if v.session.scope == Scope::All {
            a.f_controllers_hint_all
        } else {
            a.f_controllers_hint_scoped
        },
        errors: v.errors,
        alert: v.alert,
    };
    html(status, &page)
}

/// The refusals common to both edit handlers: not an admin, or oneself
/// (an admin demoting themselves could leave nobody to undo it).
fn edit_refused(session: &StaffSession, locale: Locale, id: &str) -> Option<HttpResponse> {
    let a = admin_texts(locale);
    if !session.is_admin() {
        return Some(forbidden(session, locale, a.forbidden_staff));
    }
    if id == session.staff.id {
        return Some(forbidden(session, locale, a.cannot_edit_self));
    }
    None
}

pub async fn edit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<String>,
) -> Result<HttpResponse, actix_web::Error> {
    let locale = chosen_locale(&req);
    let id = path.into_inner();
    if let Some(refusal) = edit_refused(&session, locale, &id) {
        return Ok(refusal);
    }
    let admin_scope = session.scope.clone();
    let lookup = id.clone();
    let Some((member, ids)) =
        blocking(&state, move |conn| manageable(conn, &admin_scope, &lookup)).await?
    else {
        return Ok(not_found(Some(&session), locale));
    };
    let choices = choices(&state, &session).await?;
    Ok(render_edit(
        StatusCode::OK,
        EditView {
            session: &session,
            locale,
            id: &id,
            typed: Typed {
                email: String::new(),
                role: member.role().as_str().to_owned(),
                controllers: ids,
            },
            email: member.email,
            choices,
            errors: Errors::default(),
            alert: None,
        },
    ))
}

enum EditRefused {
    NotFound,
}

pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, actix_web::Error> {
    let fields = Fields::from(form);
    let locale = chosen_locale(&req);
    let a = admin_texts(locale);
    let id = path.into_inner();
    if let Some(refusal) = edit_refused(&session, locale, &id) {
        return Ok(refusal);
    }
    let admin_scope = session.scope.clone();
    let lookup = id.clone();
    let Some((member, _)) =
        blocking(&state, move |conn| manageable(conn, &admin_scope, &lookup)).await?
    else {
        return Ok(not_found(Some(&session), locale));
    };
    let choices = choices(&state, &session).await?;
    let typed = Typed::from_form(&fields);
    let refuse = |status: StatusCode, typed: Typed, errors: Errors, alert: Option<&str>| {
        render_edit(
            status,
            EditView {
                session: &session,
                locale,
                id: &id,
                email: member.email.clone(),
                choices: choices.clone(),
                typed,
                errors,
                alert: alert.map(str::to_owned),
            },
        )
    };
    if !session.csrf_matches(fields.get("csrf")) {
        return Ok(refuse(
            StatusCode::FORBIDDEN,
            typed,
            Errors::default(),
            Some(a.csrf_refused),
        ));
    }
    let mut errors = Errors::default();
    let (role, controller_ids) = parse_scope(&typed, &choices, &session, locale, &mut errors);
    let (Some(role), true) = (role, errors.is_empty()) else {
        return Ok(refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            typed,
            errors,
            None,
        ));
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
            locale.as_str(),
            if changed { "updated" } else { "unchanged" }
        ))),
        Err(EditRefused::NotFound) => Ok(not_found(Some(&session), locale)),
    }
}
