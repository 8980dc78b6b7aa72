//! Login and logout.
//!
//! The login form has no session yet, so it is protected by the
//! double-submit CSRF cookie of [`crate::security::csrf`]. An unknown
//! e-mail, a wrong password and a disabled account all get the same page
//! after the same argon2 work ([`password::verify`] runs a dummy
//! verification when there is no account). Failed attempts are limited per
//! account and address, and per address; failures on one account from many
//! addresses slow it down ([`crate::security::rate_limit::LoginThrottle`]);
//! every attempt that gets that far leaves a `login_records` row. A successful login always starts a new session
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

use super::pages::{LoginPage, MessagePage, lang_switch_to, page_title};
use super::{Fields, blocking, peer_ip, user_agent};
use crate::audit::{self, Actor, NewEvent};
use crate::i18n::Tr;
use crate::security::keys::token_hash;
use crate::security::rate_limit::LoginVerdict;
use crate::security::session::{self, StaffSession};
use crate::security::totp::{self, TotpError};
use crate::security::{csrf, password};
use crate::store::staff;
use crate::web::pages::{html_with, see_other};
use crate::web::{AppState, PageError, PageLang, PageResult};

#[derive(serde::Deserialize)]
pub struct LoginQuery {
    notice: Option<String>,
}

/// What the login form shows besides its words. The password and the
/// code are never given back.
struct LoginView {
    csrf: String,
    email: String,
    errors: Vec<(String, String)>,
    alert: Option<String>,
    notice: Option<String>,
}

fn page(t: Tr, view: LoginView) -> LoginPage {
    let with_errors = !view.errors.is_empty() || view.alert.is_some();
    LoginPage {
        t,
        page_title: page_title(t, &t.desk_login_title(), with_errors),
        header_name: t.desk_header(),
        lang_switch_url: lang_switch_to("/desk/login", t),
        action_url: format!("/desk/login?lang={}", t.query_lang()),
        csrf: view.csrf,
        email: view.email,
        errors: view.errors,
        alert: view.alert,
        notice: view.notice,
    }
}

/// The form again with what was wrong, and its CSRF cookie: without the
/// cookie, a browser that came without one could never send the form.
fn refuse(t: Tr, status: StatusCode, view: LoginView, https: bool) -> PageError {
    let cookie = csrf::cookie(&view.csrf, https);
    PageError::page(status, &page(t, view)).with_cookie(cookie)
}

pub async fn show(
    lang: PageLang,
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Option<StaffSession>,
    query: web::Query<LoginQuery>,
) -> HttpResponse {
    let t = lang.0;
    if session.is_some() {
        return see_other(&format!("/desk/?lang={}", t.query_lang()));
    }
    let https = state.config.is_https();
    let notice = match query.notice.as_deref() {
        Some("logged_out") => Some(t.desk_logged_out()),
        Some("expired") => Some(t.desk_session_expired()),
        _ => None,
    };
    let csrf = csrf::token_for(&req, https);
    let mut builder = HttpResponseBuilder::new(StatusCode::OK);
    builder.cookie(csrf::cookie(&csrf, https));
    let view = LoginView {
        csrf,
        email: String::new(),
        errors: Vec::new(),
        alert: None,
        notice,
    };
    html_with(builder, &page(t, view))
}

pub async fn submit(
    lang: PageLang,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> PageResult {
    let t = lang.0;
    let fields = Fields::from(form);
    let https = state.config.is_https();
    let email_typed = fields.get("email").unwrap_or_default().trim().to_owned();
    let password_typed = fields.get("password").unwrap_or_default().to_owned();
    let code_typed = fields.get("code").unwrap_or_default().trim().to_owned();
    let refused = |status, errors: Vec<(String, String)>, alert: Option<String>| {
        let view = LoginView {
            csrf: csrf::token_for(&req, https),
            email: email_typed.clone(),
            errors,
            alert,
            notice: None,
        };
        Err(refuse(t, status, view, https))
    };

    if !csrf::verify(&req, https, fields.get("csrf")) {
        return refused(
            StatusCode::FORBIDDEN,
            Vec::new(),
            Some(t.desk_login_form_expired()),
        );
    }
    let mut errors = Vec::new();
    if email_typed.is_empty() {
        errors.push(("email".to_owned(), t.desk_login_email_missing()));
    }
    if password_typed.is_empty() {
        errors.push(("password".to_owned(), t.desk_password_missing()));
    }
    if !code_typed.is_empty() && totp::normalize_code(&code_typed).is_none() {
        errors.push(("code".to_owned(), t.desk_totp_code_malformed()));
    }
    if !errors.is_empty() {
        return refused(StatusCode::UNPROCESSABLE_ENTITY, errors, None);
    }

    let now = state.clock.now();
    let ip = peer_ip(&req);
    let ua = user_agent(&req);
    let account = email_typed.to_lowercase();
    let address = ip.clone().unwrap_or_else(|| "unknown".to_owned());
    let verdict = state.login_limiter.check(&account, &address, now);
    if verdict != LoginVerdict::Allowed {
        // Recorded, but the password is not even looked at.
        let account = account.clone();
        blocking(&state, move |conn| {
            let member = staff::find_by_email(conn, &account)?;
            session::record_login(
                conn,
                member.as_ref().map(|m| &m.id),
                false,
                ip.as_deref(),
                ua.as_deref(),
                now,
            )?;
            Ok(())
        })
        .await?;
        let alert = match verdict {
            LoginVerdict::Wait { seconds } => t.desk_login_slowed(seconds),
            _ => t.desk_login_rate_limited(),
        };
        return refused(StatusCode::TOO_MANY_REQUESTS, Vec::new(), Some(alert));
    }

    let previous = session::token_from(&req, https);
    let master_key = state.master_key.clone();
    let looked_up = account.clone();
    let outcome = blocking(&state, move |conn| {
        let account = looked_up;
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
                member.as_ref().map(|m| &m.id),
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
    match &outcome {
        Ok(_) => state.login_limiter.record_success(&account, &address),
        Err(_) => state.login_limiter.record_failure(&account, &address, now),
    }

    match outcome {
        Ok(new) => Ok(HttpResponse::SeeOther()
            .cookie(session::cookie(&new.token, https))
            .insert_header((
                actix_web::http::header::LOCATION,
                format!("/desk/?lang={}", t.query_lang()),
            ))
            .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
            .finish()),
        Err(Refused::Credentials) => refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            Vec::new(),
            Some(t.desk_login_failed()),
        ),
        Err(refusal) => {
            let message = match refusal {
                Refused::CodeNeeded => t.desk_totp_code_needed(),
                Refused::CodeReused => t.desk_totp_code_reused(),
                Refused::Credentials | Refused::CodeWrong => t.desk_totp_code_wrong(),
            };
            refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("code".to_owned(), message)],
                None,
            )
        }
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

/// Ends the session. A form whose token does not match gets a page with
/// the bar's logout button again (with the right token); a browser whose
/// session is already over is simply sent to the login page, signed out.
pub async fn logout(
    lang: PageLang,
    state: web::Data<AppState>,
    session: Option<StaffSession>,
    form: web::Form<Vec<(String, String)>>,
) -> PageResult {
    let t = lang.0;
    let fields = Fields::from(form);
    let https = state.config.is_https();
    let signed_out = HttpResponse::SeeOther()
        .cookie(session::removal_cookie(https))
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/desk/login?notice=logged_out&lang={}", t.query_lang()),
        ))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .finish();
    let Some(session) = session else {
        return Ok(signed_out);
    };
    if !session.csrf_matches(fields.get("csrf")) {
        return Err(
            MessagePage::new(t, Some(&session), &t.desk_logout_expired_title())
                .paragraph(t.desk_logout_expired())
                .link_home()
                .error(StatusCode::FORBIDDEN),
        );
    }
    let now = state.clock.now();
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
    Ok(signed_out)
}
