//! `/desk/controllers`: administrators see the controllers in their scope
//! (form, settings); a platform administrator adds one with the same form
//! as the first-run setup ([`ControllerFields`]). A scoped administrator
//! cannot add a controller: it would fall outside every scope but the
//! platform's.
//!
//! A refused form (invalid value, identifier taken, expired token) comes
//! back with what was typed and the message next to its field.

use actix_web::http::StatusCode;
use actix_web::web;

use super::super::Fields;
use super::super::pages::{StaffBar, forbidden_error};
use super::forms::{self, ControllerFields, Errors, Tx, refusable};
use super::pages::{ControllerListPage, ControllerListRow, ControllerNewPage, lang_switch, title};
use crate::audit::Actor;
use crate::i18n::Tr;
use crate::security::session::StaffSession;
use crate::store::scope::{self, Scope};
use crate::web::pages::{html, see_other};
use crate::web::{AppState, PageError, PageLang, PageResult, blocking};

#[derive(serde::Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

pub async fn list(
    lang: PageLang,
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<NoticeQuery>,
) -> PageResult {
    let t = lang.0;
    if !session.is_admin() {
        return Err(forbidden_error(
            &session,
            t,
            &t.admin_forbidden_controllers(),
        ));
    }
    let in_scope = session.scope.clone();
    let controllers =
        blocking(&state, move |conn| Ok(scope::controllers(conn, &in_scope)?)).await?;
    let rows = controllers
        .into_iter()
        .map(|c| ControllerListRow {
            form_url: format!("/c/{}/", c.slug),
            settings_url: format!(
                "/desk/controllers/{}/settings?lang={}",
                c.slug,
                t.query_lang()
            ),
            name: c.name,
            slug: c.slug,
            reference_prefix: c.reference_prefix,
            dpo_email: c.dpo_email,
            time_zone: c.time_zone,
        })
        .collect();
    let page = ControllerListPage {
        t,
        page_title: title(t, &t.admin_controllers_title(), false),
        header_name: t.desk_header(),
        lang_switch_url: lang_switch(t, "/desk/controllers"),
        bar: Some(StaffBar::of(&session, t)),
        notice: (query.notice.as_deref() == Some("created")).then(|| t.admin_controller_created()),
        new_url: (session.scope == Scope::All)
            .then(|| format!("/desk/controllers/new?lang={}", t.query_lang())),
        controllers: rows,
    };
    Ok(html(StatusCode::OK, &page))
}

/// The "add a controller" form, as typed, with its errors.
fn new_page(
    t: Tr,
    session: &StaffSession,
    cf: ControllerFields,
    errors: Errors,
    alert: Option<String>,
) -> ControllerNewPage {
    let refused = !errors.is_empty() || alert.is_some();
    ControllerNewPage {
        t,
        page_title: title(t, &t.admin_controller_new_title(), refused),
        header_name: t.desk_header(),
        lang_switch_url: lang_switch(t, "/desk/controllers/new"),
        bar: Some(StaffBar::of(session, t)),
        action_url: format!("/desk/controllers/new?lang={}", t.query_lang()),
        back_url: format!("/desk/controllers?lang={}", t.query_lang()),
        csrf: session.csrf_token.clone(),
        cf,
        errors,
        alert,
    }
}

/// Only a platform administrator adds controllers.
fn refused(session: &StaffSession, t: Tr) -> Option<PageError> {
    if !session.is_admin() {
        return Some(forbidden_error(
            session,
            t,
            &t.admin_forbidden_controllers(),
        ));
    }
    if session.scope != Scope::All {
        return Some(forbidden_error(
            session,
            t,
            &t.admin_forbidden_new_controller(),
        ));
    }
    None
}

pub async fn new_form(lang: PageLang, session: StaffSession) -> PageResult {
    let t = lang.0;
    if let Some(refusal) = refused(&session, t) {
        return Err(refusal);
    }
    let page = new_page(
        t,
        &session,
        ControllerFields::default(),
        Errors::default(),
        None,
    );
    Ok(html(StatusCode::OK, &page))
}

pub async fn create(
    lang: PageLang,
    state: web::Data<AppState>,
    session: StaffSession,
    form: web::Form<Vec<(String, String)>>,
) -> PageResult {
    let t = lang.0;
    let fields = Fields::from(form);
    if let Some(refusal) = refused(&session, t) {
        return Err(refusal);
    }
    let cf = ControllerFields::from_form(&fields);
    if !session.csrf_matches(fields.get("csrf")) {
        let page = new_page(
            t,
            &session,
            cf,
            Errors::default(),
            Some(t.admin_form_expired()),
        );
        return Err(PageError::page(StatusCode::FORBIDDEN, &page));
    }
    let mut errors = Errors::default();
    let Some(valid) = cf.parse(t, &mut errors) else {
        let page = new_page(t, &session, cf, errors, None);
        return Err(PageError::page(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    let now = state.clock.now();
    let admin_id = session.staff.id.clone();
    let done = blocking(&state, move |conn| {
        refusable(conn, |conn| {
            forms::create_controller(conn, &valid, Actor::Staff(admin_id), "desk", now)?
                .map_err(Tx::Refused)
        })
    })
    .await?;
    match done {
        Ok(_) => Ok(see_other(&format!(
            "/desk/controllers?lang={}&notice=created",
            t.query_lang()
        ))),
        Err(taken) => {
            let mut errors = Errors::default();
            taken.push(t, &mut errors);
            let page = new_page(t, &session, cf, errors, None);
            Err(PageError::page(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}
