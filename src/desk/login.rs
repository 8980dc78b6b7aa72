//! Login and logout.
//!
//! The login form has no session yet, so it is protected by the
//! double-submit CSRF cookie of [`crate::security::csrf`]. An unknown
//! e-mail, a wrong password and a disabled account all get the same page
//! after the same argon2 work ([`password::verify`] runs a dummy
//! verification when there is no account). Attempts are limited per
//! account and per IP address; every attempt that gets that far leaves a
//! `login_records` row. A successful login always starts a new session
//! (new random token) and ends the one the browser may have had.
//!
//! An account with two-step verification also needs the current code of
//! its authenticator app, typed in the same form (one form, so the
//! password and the code are checked together and every try counts
//! against the same rate limit). Whether a code is needed, or was wrong
//! or already used, is said only once the password was right; an accepted
//! code's step is recorded with the session, so it cannot open a second
//! one ([`crate::security::totp`]).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};
use diesel::Connection;

use super::pages::{LoginPage, lang_switch, message};
use super::texts::texts;
use super::{Fields, blocking, chosen_locale, peer_ip, user_agent};
use crate::audit::{self, Actor, NewEvent};
use crate::domain::values::Locale;
use crate::security::keys::token_hash;
use crate::security::session::{self, StaffSession};
use crate::security::totp::{self, TotpError};
use crate::security::{csrf, password};
use crate::store::staff;
use crate::web::AppState;
use crate::web::pages::{html_with, see_other};

#[derive(serde::Deserialize)]
pub struct LoginQuery {
    notice: Option<String>,
}

struct LoginView {
    locale: Locale,
    csrf: String,
    email: String,
    errors: Vec<(String, String)>,
    alert: Option<String>,
    notice: Option<String>,
}

fn render(status: StatusCode, view: LoginView, https: bool) -> HttpResponse {
    let t = texts(view.locale);
    let page_title = if view.errors.is_empty() && view.alert.is_none() {
        format!("{} — {}", t.login_title, t.header)
    } else {
        format!("{} — {} — {}", t.errors_title, t.login_title, t.header)
    };
    let page = LoginPage {
        t,
        page_title,
        header_name: t.header.to_owned(),
        lang_switch_url: lang_switch("/desk/login", t),
        action_url: format!("/desk/login?lang={}", t.lang),
        csrf: view.csrf.clone(),
        email: view.email,
        errors: view.errors,
        alert: view.alert,
        notice: view.notice,
    };
    let mut builder = HttpResponseBuilder::new(status);
    builder.cookie(csrf::cookie(&view.csrf, https));
    html_with(builder, &page)
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Option<StaffSession>,
    query: web::Query<LoginQuery>,
) -> HttpResponse {
    let locale = chosen_locale(&req);
    let t = texts(locale);
    if session.is_some() {
        return see_other(&format!("/desk/?lang={}", t.lang));
    }
    let https = state.config.is_https();
    let notice = match query.notice.as_deref() {
        Some("logged_out") => Some(t.logged_out.to_owned()),
        Some("expired") => Some(t.session_expired.to_owned()),
        _ => None,
    };
    render(
        StatusCode::OK,
        LoginView {
            locale,
            csrf: csrf::token_for(&req, https),
            email: String::new(),
            errors: Vec::new(),
            alert: None,
            notice,
        },
        https,
    )
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, actix_web::Error> {
    let fields = Fields::from(form);
    let locale = chosen_locale(&req);
    let t = texts(locale);
    let https = state.config.is_https();
    let email_typed = fields.get("email").unwrap_or_default().trim().to_owned();
    let password_typed = fields.get("password").unwrap_or_default().to_owned();
    let code_typed = fields.get("code").unwrap_or_default().trim().to_owned();
    let view = |errors: Vec<(String, String)>, alert: Option<&str>| LoginView {
        locale,
        csrf: csrf::token_for(&req, https),
        email: email_typed.clone(),
        errors,
        alert: alert.map(str::to_owned),
        notice: None,
    };

    if !csrf::verify(&req, https, fields.get("csrf")) {
        return Ok(render(
            StatusCode::FORBIDDEN,
            view(Vec::new(), Some(t.form_expired)),
            https,
        ));
    }
    let mut errors = Vec::new();
    if email_typed.is_empty() {
        errors.push(("email".to_owned(), t.email_missing.to_owned()));
    }
    if password_typed.is_empty() {
        errors.push(("password".to_owned(), t.password_missing.to_owned()));
    }
    if !code_typed.is_empty() && totp::normalize_code(&code_typed).is_none() {
        errors.push(("code".to_owned(), t.totp_code_malformed.to_owned()));
    }
    if !errors.is_empty() {
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            view(errors, None),
            https,
        ));
    }

    let now = state.clock.now();
    let ip = peer_ip(&req);
    let ua = user_agent(&req);
    let account = email_typed.to_lowercase();
    let account_key = format!("login:account:{account}");
    let ip_key = format!("login:ip:{}", ip.as_deref().unwrap_or("unknown"));
    if !state.login_limiter.try_hit(&[&account_key, &ip_key], now) {
        // Recorded, but the password is not even looked at.
        blocking(&state, move |conn| {
            let member = staff::find_by_email(conn, &account)?;
            session::record_login(
                conn,
                member.as_ref().map(|m| m.id.as_str()),
                false,
                ip.as_deref(),
                ua.as_deref(),
                now,
            )?;
            Ok(())
        })
        .await?;
        return Ok(render(
            StatusCode::TOO_MANY_REQUESTS,
            view(Vec::new(), Some(t.login_rate_limited)),
            https,
        ));
    }

    let previous = session::token_from(&req, https);
    let master_key = state.master_key.clone();
    let outcome = blocking(&state, move |conn| {
        let member = staff::find_by_email(conn, &account)?;
        // argon2 here, on the blocking pool, before any transaction.
        let verified = password::verify(
            &password_typed,
            member.as_ref().map(|m| m.password_hash.as_str()),
        );
        let accepted = member.as_ref().filter(|m| verified && !m.disabled);
        // Only now, with the password right, is the second factor looked at.
        let second_factor = match accepted.map(|m| (m, m.totp_secret.as_deref())) {
            None => Err(Refused::Credentials),
            Some((_, None)) => Ok(None),
            Some((m, Some(stored))) => {
                let secret = totp::open_stored(std::slice::from_ref(&master_key), &m.id, stored)
                    .inspect_err(|e| {
                        tracing::error!(staff = %m.id, error = %e, "TOTP secret cannot be opened");
                    })?;
                if code_typed.is_empty() {
                    Err(Refused::CodeNeeded)
                } else {
                    match totp::verify(&secret, &code_typed, now, m.totp_last_step) {
                        Ok(step) => Ok(Some(step)),
                        Err(TotpError::Replayed) => Err(Refused::CodeReused),
                        Err(TotpError::Wrong | TotpError::Malformed) => Err(Refused::CodeWrong),
                    }
                }
            }
        };
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            let outcome = match (accepted, second_factor) {
                (Some(m), Ok(Some(step))) => {
                    // Another login may have used this very code a moment ago.
                    if staff::record_totp_step(conn, &m.id, step, now)? {
                        Ok(m.id.clone())
                    } else {
                        Err(Refused::CodeReused)
                    }
                }
                (Some(m), Ok(None)) => Ok(m.id.clone()),
                (_, Err(refused)) => Err(refused),
                (None, Ok(_)) => Err(Refused::Credentials),
            };
            session::record_login(
                conn,
                member.as_ref().map(|m| m.id.as_str()),
                outcome.is_ok(),
                ip.as_deref(),
                ua.as_deref(),
                now,
            )?;
            let staff_id = match outcome {
                Ok(staff_id) => staff_id,
                Err(refused) => return Ok(Err(refused)),
            };
            if let Some(old) = &previous {
                session::delete(conn, &token_hash(old))?;
            }
            let new = session::create(conn, &staff_id, ip.as_deref(), ua.as_deref(), now)?;
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: Actor::Staff(staff_id),
                    action: "staff.login",
                    controller_id: None,
                    request_id: None,
                    detail: String::new(),
                },
            )?;
            Ok(Ok(new))
        })
    })
    .await?;

    let code_error = |message: &str| vec![("code".to_owned(), message.to_owned())];
    match outcome {
        Ok(new) => Ok(HttpResponse::SeeOther()
            .cookie(session::cookie(&new.token, https))
            .insert_header((
                actix_web::http::header::LOCATION,
                format!("/desk/?lang={}", t.lang),
            ))
            .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
            .finish()),
        Err(Refused::Credentials) => Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            view(Vec::new(), Some(t.login_failed)),
            https,
        )),
        Err(refused) => Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            view(
                code_error(match refused {
                    Refused::CodeNeeded => t.totp_code_needed,
                    Refused::CodeReused => t.totp_code_reused,
                    _ => t.totp_code_wrong,
                }),
                None,
            ),
            https,
        )),
    }
}

/// Why a login was refused. Everything but `Credentials` is said only
/// after the password was verified.
#[derive(Debug, Clone, Copy)]
enum Refused {
    Credentials,
    CodeNeeded,
    CodeWrong,
    CodeReused,
}

pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, actix_web::Error> {
    let fields = Fields::from(form);
    let locale = chosen_locale(&req);
    let t = texts(locale);
    if !session.csrf_matches(fields.get("csrf")) {
        return Ok(message(
            StatusCode::FORBIDDEN,
            Some(&session),
            locale,
            t.errors_title,
            t.logout_csrf,
        ));
    }
    let now = state.clock.now();
    let https = state.config.is_https();
    let session_id = session.session_id.clone();
    let staff_id = session.staff.id.clone();
    blocking(&state, move |conn| {
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            session::delete(conn, &session_id)?;
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: Actor::Staff(staff_id),
                    action: "staff.logout",
                    controller_id: None,
                    request_id: None,
                    detail: String::new(),
                },
            )?;
            Ok(())
        })
    })
    .await?;
    Ok(HttpResponse::SeeOther()
        .cookie(session::removal_cookie(https))
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/desk/login?notice=logged_out&lang={}", t.lang),
        ))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .finish())
}
