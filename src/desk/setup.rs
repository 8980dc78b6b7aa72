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

use super::admin::forms::{self, ControllerFields, Errors, Tx, refusable};
use super::admin::pages::{SetupClosed, SetupPage, lang_switch, password_hint, title};
use super::{Fields, peer_ip, user_agent};
use crate::audit::{self, Actor, NewEvent};
use crate::db::DbConn;
use crate::domain::values::Role;
use crate::i18n::Tr;
use crate::security::{csrf, password, session};
use crate::store::{setup, staff};
use crate::web::pages::html_with;
use crate::web::{AppState, PageError, PageLang, PageResult, blocking};

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

/// What the page shows: the form as typed with its errors, or why the
/// link does not open it.
struct View {
    t: Tr,
    token: String,
    csrf: String,
    cf: ControllerFields,
    email: String,
    errors: Errors,
    alert: Option<String>,
    closed: Option<State>,
}

impl View {
    fn page(self) -> SetupPage {
        let t = self.t;
        let path = path(&self.token);
        let closed = self.closed.map(|state| {
            let (heading, body) = match state {
                State::Done => (t.admin_setup_done_title(), t.admin_setup_done_body()),
                State::Open | State::Invalid => {
                    (t.admin_setup_invalid_title(), t.admin_setup_invalid_body())
                }
            };
            SetupClosed {
                heading,
                body,
                login_url: format!("/desk/login?lang={}", t.query_lang()),
            }
        });
        let page_title = match &closed {
            Some(c) => title(t, &c.heading, false),
            None => title(
                t,
                &t.admin_setup_title(),
                !self.errors.is_empty() || self.alert.is_some(),
            ),
        };
        SetupPage {
            t,
            page_title,
            header_name: t.desk_header(),
            // A closed link has nothing to show in another language but
            // the same refusal; the form does.
            lang_switch_url: if closed.is_some() {
                None
            } else {
                lang_switch(t, &path)
            },
            closed,
            action_url: format!("{path}?lang={}", t.query_lang()),
            csrf: self.csrf,
            cf: self.cf,
            email: self.email,
            password_hint: password_hint(t),
            errors: self.errors,
            alert: self.alert,
        }
    }
}

/// The 404 (unknown or used link) or 403 (setup done) page, with the way
/// to the login page.
fn closed(state: State, t: Tr) -> PageError {
    let status = match state {
        State::Done => StatusCode::FORBIDDEN,
        State::Open | State::Invalid => StatusCode::NOT_FOUND,
    };
    let page = View {
        t,
        token: String::new(),
        csrf: String::new(),
        cf: ControllerFields::default(),
        email: String::new(),
        errors: Errors::default(),
        alert: None,
        closed: Some(state),
    }
    .page();
    PageError::page(status, &page)
}

/// The form, with the double-submit CSRF cookie set again.
fn render(status: StatusCode, v: View, https: bool) -> HttpResponse {
    let mut builder = HttpResponseBuilder::new(status);
    builder.cookie(csrf::cookie(&v.csrf, https));
    html_with(builder, &v.page())
}

pub async fn show(
    lang: PageLang,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> PageResult {
    let t = lang.0;
    let token = path.into_inner();
    let lookup = token.clone();
    let found = blocking(&state, move |conn| state_of(conn, &lookup)).await?;
    if !matches!(found, State::Open) {
        return Err(closed(found, t));
    }
    let https = state.config.is_https();
    Ok(render(
        StatusCode::OK,
        View {
            t,
            token,
            csrf: csrf::token_for(&req, https),
            cf: ControllerFields::default(),
            email: String::new(),
            errors: Errors::default(),
            alert: None,
            closed: None,
        },
        https,
    ))
}

enum Refused {
    Invalid,
    Done,
    Taken(forms::Taken),
}

pub async fn submit(
    lang: PageLang,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> PageResult {
    let t = lang.0;
    let fields = Fields::from(form);
    let https = state.config.is_https();
    let token = path.into_inner();
    let lookup = token.clone();
    let found = blocking(&state, move |conn| state_of(conn, &lookup)).await?;
    if !matches!(found, State::Open) {
        return Err(closed(found, t));
    }
    let cf = ControllerFields::from_form(&fields);
    let email_typed = fields.get("email").unwrap_or_default().trim().to_owned();
    // The form again, as typed (never the passwords).
    let view = |errors: Errors, alert: Option<String>| View {
        t,
        token: token.clone(),
        csrf: csrf::token_for(&req, https),
        cf: cf.clone(),
        email: email_typed.clone(),
        errors,
        alert,
        closed: None,
    };
    if !csrf::verify(&req, https, fields.get("csrf")) {
        let alert = Some(t.admin_form_expired());
        return Ok(render(
            StatusCode::FORBIDDEN,
            view(Errors::default(), alert),
            https,
        ));
    }
    let mut errors = Errors::default();
    let controller = cf.parse(t, &mut errors);
    let email = forms::parse_email(&email_typed, t, &mut errors);
    let new_password = forms::parse_new_password(
        fields.get("password").unwrap_or_default(),
        fields.get("password2").unwrap_or_default(),
        t,
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
            let c = forms::create_controller(conn, &controller, Actor::System, "setup", now)?
                .map_err(|taken| Tx::Refused(Refused::Taken(taken)))?;
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
                    format!("/desk/?lang={}", t.query_lang()),
                ))
                .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
                .finish())
        }
        Err(Refused::Invalid) => Err(closed(State::Invalid, t)),
        Err(Refused::Done) => Err(closed(State::Done, t)),
        Err(Refused::Taken(taken)) => {
            let mut errors = Errors::default();
            taken.push(t, &mut errors);
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                view(errors, None),
                https,
            ))
        }
    }
}
