//! `/desk/controllers`: administrators see the controllers in their scope
//! (form, settings); a platform administrator adds one with the same form
//! as the first-run setup ([`ControllerFields`]). A scoped administrator
//! cannot add a controller: it would fall outside every scope but the
//! platform's.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::admin_forms::{self, ControllerFields, Errors, Tx, refusable};
use super::admin_pages::{ControllerListPage, ControllerListRow, ControllerNewPage};
use super::admin_texts::admin_texts;
use super::pages::{StaffBar, forbidden, lang_switch};
use super::texts::texts;
use super::{Fields, blocking, chosen_locale};
use crate::audit::Actor;
use crate::domain::values::Locale;
use crate::security::session::StaffSession;
use crate::store::scope::{self, Scope};
use crate::web::AppState;
use crate::web::pages::{html, see_other};

#[derive(serde::Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<NoticeQuery>,
) -> Result<HttpResponse, actix_web::Error> {
    let locale = chosen_locale(&req);
    let t = texts(locale);
    let a = admin_texts(locale);
    if !session.is_admin() {
        return Ok(forbidden(&session, locale, a.forbidden_controllers));
    }
    let in_scope = session.scope.clone();
    let controllers =
        blocking(&state, move |conn| Ok(scope::controllers(conn, &in_scope)?)).await?;
    let rows = controllers
        .into_iter()
        .map(|c| ControllerListRow {
            form_url: format!("/c/{}/", c.slug),
            settings_url: format!("/desk/controllers/{}/settings?lang={}", c.slug, t.lang),
            name: c.name,
            slug: c.slug,
            reference_prefix: c.reference_prefix,
            dpo_email: c.dpo_email,
            time_zone: c.time_zone,
        })
        .collect();
    let page = ControllerListPage {
        t,
        a,
        page_title: format!("{} — {}", a.controllers_title, t.header),
        header_name: t.header.to_owned(),
        lang_switch_url: lang_switch("/desk/controllers", t),
        bar: Some(StaffBar::new(&session, locale)),
        notice: (query.notice.as_deref() == Some("created"))
            .then_some(a.controller_created.to_owned()),
        new_url: (session.scope == Scope::All)
            .then(|| format!("/desk/controllers/new?lang={}", t.lang)),
        controllers: rows,
    };
    Ok(html(StatusCode::OK, &page))
}

fn render_new(
    status: StatusCode,
    session: &StaffSession,
    locale: Locale,
    cf: ControllerFields,
    errors: Errors,
    alert: Option<&str>,
) -> HttpResponse {
    let t = texts(locale);
    let a = admin_texts(locale);
    let title = format!("{} — {}", a.controller_new_title, t.header);
    let page = ControllerNewPage {
        t,
        a,
        page_title: if errors.is_empty() && alert.is_none() {
            title
        } else {
            format!("{} — {title}", t.errors_title)
        },
        header_name: t.header.to_owned(),
        lang_switch_url: lang_switch("/desk/controllers/new", t),
        bar: Some(StaffBar::new(session, locale)),
        action_url: format!("/desk/controllers/new?lang={}", t.lang),
        back_url: format!("/desk/controllers?lang={}", t.lang),
        csrf: session.csrf_token.clone(),
        cf,
        errors,
        alert: alert.map(str::to_owned),
    };
    html(status, &page)
}

/// Only a platform administrator adds controllers.
fn refused(session: &StaffSession, locale: Locale) -> Option<HttpResponse> {
    let a = admin_texts(locale);
    if !session.is_admin() {
        return Some(forbidden(session, locale, a.forbidden_controllers));
    }
    if session.scope != Scope::All {
        return Some(forbidden(session, locale, a.forbidden_new_controller));
    }
    None
}

pub async fn new_form(req: HttpRequest, session: StaffSession) -> HttpResponse {
    let locale = chosen_locale(&req);
    if let Some(refusal) = refused(&session, locale) {
        return refusal;
    }
    render_new(
        StatusCode::OK,
        &session,
        locale,
        ControllerFields::default(),
        Errors::default(),
        None,
    )
}

struct SlugTaken;

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, actix_web::Error> {
    let fields = Fields::from(form);
    let locale = chosen_locale(&req);
    let a = admin_texts(locale);
    if let Some(refusal) = refused(&session, locale) {
        return Ok(refusal);
    }
    let cf = ControllerFields::from_form(&fields);
    if !session.csrf_matches(fields.get("csrf")) {
        return Ok(render_new(
            StatusCode::FORBIDDEN,
            &session,
            locale,
            cf,
            Errors::default(),
            Some(a.form_expired),
        ));
    }
    let mut errors = Errors::default();
    let Some(valid) = cf.parse(a, locale, &mut errors) else {
        return Ok(render_new(
            StatusCode::UNPROCESSABLE_ENTITY,
            &session,
            locale,
            cf,
            errors,
            None,
        ));
    };
    let now = state.clock.now();
    let admin_id = session.staff.id.clone();
    let done = blocking(&state, move |conn| {
        refusable(conn, |conn| {
            admin_forms::create_controller(conn, &valid, Actor::Staff(admin_id), "desk", now)?
                .ok_or(Tx::Refused(SlugTaken))
        })
    })
    .await?;
    match done {
        Ok(_) => Ok(see_other(&format!(
            "/desk/controllers?lang={}&notice=created",
            locale.as_str()
        ))),
        Err(SlugTaken) => {
            let mut errors = Errors::default();
            errors.push("c_slug", a.f_slug, a.slug_taken, locale);
            Ok(render_new(
                StatusCode::UNPROCESSABLE_ENTITY,
                &session,
                locale,
                cf,
                errors,
                None,
            ))
        }
    }
}
