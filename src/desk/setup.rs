//! `/desk/setup/{token}`: the first run in the browser. When `serve` starts
//! with no staff account it prints a one-time link ([`announce`]); the page
//! creates the first controller and a platform administrator, then signs
//! that administrator in, so a newcomer never edits a file.
//!
//! Anonymous form, so the double-submit CSRF cookie protects it as on the
//! login page. Everything happens in one transaction that first consumes
//! the link and checks again that no staff exists: of two submissions, or a
//! submission racing `dsr-tracker staff add`, at most one creates anything.
//! An unknown or used link is a 404; a valid link once staff exists is
//! refused (403) and points to the login page.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};
use chrono::NaiveDateTime;

use super::admin_forms::{self, ControllerFields, Errors, Tx, refusable};
use super::admin_pages::SetupPage;
use super::admin_texts::admin_texts;
use super::pages::{MessagePage, lang_switch};
use super::texts::texts;
use super::{Fields, blocking, chosen_locale, peer_ip, user_agent};
use crate::audit::{self, Actor, NewEvent};
use crate::db::DbConn;
use crate::domain::values::{Locale, Role};
use crate::security::{csrf, password, session};
use crate::store::{setup, staff};
use crate::web::AppState;
use crate::web::pages::{html, html_with};

/// What `serve` does at start: with no staff, a new link (older unused ones
/// stop working) to print; with staff, leftover links are removed.
pub fn announce(conn: &mut DbConn, now: NaiveDateTime) -> anyhow::Result<Option<String>> {
    if staff::count(conn)? > 0 {
        setup::invalidate_unused(conn)?;
        return Ok(None);
    }
    Ok(Some(setup::replace_token(conn, now)?))
}

/// The path of the setup page for a token.
pub fn path(token: &str) -> String {
    format!("/desk/setup/{token}")
}

enum State {
    Open,
    Invalid,
    Done,
}

fn state_of(conn: &mut DbConn, token: &str) -> anyhow::Result<State> {
    if !setup::is_usable(conn, token)? {
        return Ok(State::Invalid);
    }
    if staff::count(conn)? > 0 {
        return Ok(State::Done);
    }
    Ok(State::Open)
}

/// The 404 or 403 page, with the way to the login page.
fn refusal(state: &State, locale: Locale) -> HttpResponse {
    let t = texts(locale);
    let a = admin_texts(locale);
    let (status, heading, body) = match state {
        State::Done => (StatusCode::FORBIDDEN, a.setup_done_title, a.setup_done_body),
        _ => (
            StatusCode::NOT_FOUND,
            a.setup_invalid_title,
            a.setup_invalid_body,
        ),
    };
    html(
        status,
        &MessagePage {
            t: crate::i18n::Tr::new(locale),
            page_title: format!("{heading} — {}", t.header),
            header_name: t.header.to_owned(),
            lang_switch_url: None,
            bar: None,
            heading: heading.to_owned(),
            paragraphs: vec![body.to_owned()],
            link: Some((
                format!("/desk/login?lang={}", t.lang),
                a.login_link.to_owned(),
            )),
        },
    )
}

struct View {
    locale: Locale,
    token: String,
    csrf: String,
    cf: ControllerFields,
    email: String,
    errors: Errors,
    alert: Option<String>,
}

fn render(status: StatusCode, v: View, https: bool) -> HttpResponse {
    let t = texts(v.locale);
    let a = admin_texts(v.locale);
    let path = path(&v.token);
    let page = SetupPage {
        t,
        a,
        page_title: if v.errors.is_empty() && v.alert.is_none() {
            format!("{} — {}", a.setup_title, t.header)
        } else {
            format!("{} — {} — {}", t.errors_title, a.setup_title, t.header)
        },
        header_name: t.header.to_owned(),
        lang_switch_url: lang_switch(&path, t),
        action_url: format!("{path}?lang={}", t.lang),
        csrf: v.csrf.clone(),
        cf: v.cf,
        email: v.email,
        errors: v.errors,
        alert: v.alert,
    };
    let mut builder = HttpResponseBuilder::new(status);
    builder.cookie(csrf::cookie(&v.csrf, https));
    html_with(builder, &page)
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, actix_web::Error> {
    let locale = chosen_locale(&req);
    let token = path.into_inner();
    let lookup = token.clone();
    let found = blocking(&state, move |conn| state_of(conn, &lookup)).await?;
    if !matches!(found, State::Open) {
        return Ok(refusal(&found, locale));
    }
    let https = state.config.is_https();
    Ok(render(
        StatusCode::OK,
        View {
            locale,
            token,
            csrf: csrf::token_for(&req, https),
            cf: ControllerFields::default(),
            email: String::new(),
            errors: Errors::default(),
            alert: None,
        },
        https,
    ))
}

enum Refused {
    Invalid,
    Done,
    SlugTaken,
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, actix_web::Error> {
    let fields = Fields::from(form);
    let locale = chosen_locale(&req);
    let a = admin_texts(locale);
    let https = state.config.is_https();
    let token = path.into_inner();
    let lookup = token.clone();
    let found = blocking(&state, move |conn| state_of(conn, &lookup)).await?;
    if !matches!(found, State::Open) {
        return Ok(refusal(&found, locale));
    }
    let cf = ControllerFields::from_form(&fields);
    let email_typed = fields.get("email").unwrap_or_default().trim().to_owned();
    let view = |errors: Errors, alert: Option<&str>| View {
        locale,
        token: token.clone(),
        csrf: csrf::token_for(&req, https),
        cf: cf.clone(),
        email: email_typed.clone(),
        errors,
        alert: alert.map(str::to_owned),
    };
    if !csrf::verify(&req, https, fields.get("csrf")) {
        return Ok(render(
            StatusCode::FORBIDDEN,
            view(Errors::default(), Some(a.form_expired)),
            https,
        ));
    }
    let mut errors = Errors::default();
    let controller = cf.parse(a, locale, &mut errors);
    let email = admin_forms::parse_email(&email_typed, a, locale, &mut errors);
    let new_password = admin_forms::parse_new_password(
        fields.get("password").unwrap_or_default(),
        fields.get("password2").unwrap_or_default(),
        a,
        locale,
        &mut errors,
    );
    let (Some(controller), Some(email), Some(new_password)) = (controller, email, new_password)
    else {
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            view(errors, None),
            https,
        ));
    };

    let now = state.clock.now();
    let ip = peer_ip(&req);
    let ua = user_agent(&req);
    let used = token.clone();
    let done = blocking(&state, move |conn| {
        // argon2 here, on the blocking pool, before the transaction.
        let hash = password::hash(&new_password);
        refusable(conn, |conn| {
            if !setup::consume(conn, &used, now)? {
                return Err(Tx::Refused(Refused::Invalid));
            }
            if staff::count(conn)? > 0 {
                return Err(Tx::Refused(Refused::Done));
            }
            let Some(c) =
                admin_forms::create_controller(conn, &controller, Actor::System, "setup", now)?
            else {
                return Err(Tx::Refused(Refused::SlugTaken));
            };
            // No scope rows: an administrator of every controller, as
            // `staff add --role admin` without --controller makes.
            let admin = staff::create(conn, &email, Role::Admin, &hash, &[], now)
                .map_err(anyhow::Error::from)?;
            let by = || Actor::Staff(admin.id.clone());
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: by(),
                    action: "staff.created",
                    controller_id: None,
                    request_id: None,
                    detail: format!("staff={} role=admin via=setup", admin.id),
                },
            )?;
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: by(),
                    action: "setup.completed",
                    controller_id: Some(&c.id),
                    request_id: None,
                    detail: String::new(),
                },
            )?;
            session::record_login(
                conn,
                Some(&admin.id),
                true,
                ip.as_deref(),
                ua.as_deref(),
                now,
            )?;
            let new = session::create(conn, &admin.id, ip.as_deref(), ua.as_deref(), now)?;
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: by(),
                    action: "staff.login",
                    controller_id: None,
                    request_id: None,
                    detail: "via=setup".into(),
                },
            )?;
            Ok(new)
        })
    })
    .await?;
    match done {
        Ok(new) => {
            tracing::info!("first-run setup completed");
            Ok(HttpResponse::SeeOther()
                .cookie(session::cookie(&new.token, https))
                .insert_header((
                    actix_web::http::header::LOCATION,
                    format!("/desk/?lang={}", locale.as_str()),
                ))
                .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
                .finish())
        }
        Err(Refused::Invalid) => Ok(refusal(&State::Invalid, locale)),
        Err(Refused::Done) => Ok(refusal(&State::Done, locale)),
        Err(Refused::SlugTaken) => {
            let mut errors = Errors::default();
            errors.push("c_slug", a.f_slug, a.slug_taken, locale);
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                view(errors, None),
                https,
            ))
        }
    }
}
