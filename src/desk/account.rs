//! `/desk/account`: the logged-in person's own account, where they turn
//! two-step verification (TOTP) on and off.
//!
//! Setting up shows a fresh secret (QR code, `otpauth://` link and the key
//! in base32). Nothing is stored until a code from the app and the
//! password confirm it: meanwhile the secret travels in the form, sealed
//! and bound to the session ([`totp::seal_pending`]), so it is useless
//! outside this session and a refused try keeps the same key on screen.
//! Turning it off needs the password and a current code, so a session left
//! open on a desk is not enough to weaken the account. Both forms carry
//! the session's CSRF token and count against the login rate limit (they
//! check a password); a change is stored with its audit event
//! (`staff.totp_enabled`, `staff.totp_disabled`, the account id only) in
//! one transaction, and a refused try changes nothing.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use base64::Engine;
use diesel::Connection;

use super::pages::{StaffBar, lang_switch, message};
use super::texts::{Texts, role_label, texts};
use super::{Fields, blocking, chosen_locale, peer_ip};
use crate::audit::{self, Actor, NewEvent};
use crate::domain::values::Locale;
use crate::security::password;
use crate::security::session::StaffSession;
use crate::security::totp::{self, TotpError, TotpSecret};
use crate::store::staff;
use crate::web::AppState;
use crate::web::pages::{html, see_other};

/// What the set-up section shows for one secret.
pub struct SetupView {
    /// The sealed secret for the hidden field.
    pub pending: String,
    pub uri: String,
    /// The base32 key in groups of four, as apps show it.
    pub key: String,
    /// `data:` URL of the QR code (SVG), which the CSP allows as an image.
    pub qr: String,
}

#[derive(Template)]
#[template(path = "desk/account.html")]
pub struct AccountPage {
    pub t: &'static Texts,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub bar: Option<StaffBar>,
    pub email: String,
    pub role: String,
    pub setup: Option<SetupView>,
    pub enable_url: String,
    pub disable_url: String,
    pub csrf: String,
    pub notice: Option<String>,
    pub alert: Option<String>,
    pub errors: Vec<(String, String)>,
}

impl AccountPage {
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[derive(serde::Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

fn setup_view(state: &AppState, session: &StaffSession, secret: &TotpSecret) -> SetupView {
    let uri = secret.otpauth_uri(&state.config.public_url, &session.staff.email);
    let key = secret
        .base32()
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let qr = qrcode::QrCode::new(uri.as_bytes())
        .map(|code| {
            code.render::<qrcode::render::svg::Color>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .build()
        })
        .map(|svg| {
            format!(
                "data:image/svg+xml;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(svg)
            )
        })
        .unwrap_or_default();
    SetupView {
        pending: totp::seal_pending(&state.master_key, &session.session_id, secret),
        uri,
        key,
        qr,
    }
}

struct View {
    /// The secret being set up (when TOTP is off): the one the form
    /// carried, or a new one.
    secret: Option<TotpSecret>,
    notice: Option<String>,
    alert: Option<String>,
    errors: Vec<(String, String)>,
}

fn render(
    status: StatusCode,
    state: &AppState,
    session: &StaffSession,
    locale: Locale,
    view: View,
) -> HttpResponse {
    let t = texts(locale);
    let totp_enabled = session.staff.totp_secret.is_some();
    let setup = (!totp_enabled).then(|| {
        let secret = view.secret.unwrap_or_else(TotpSecret::generate);
        setup_view(state, session, &secret)
    });
    let page_title = if view.errors.is_empty() && view.alert.is_none() {
        format!("{} — {}", t.account_title, t.header)
    } else {
        format!("{} — {} — {}", t.errors_title, t.account_title, t.header)
    };
    let page = AccountPage {
        t,
        page_title,
        header_name: t.header.to_owned(),
        lang_switch_url: lang_switch("/desk/account", t),
        bar: Some(StaffBar::new(session, locale)),
        email: session.staff.email.clone(),
        role: role_label(session.role(), locale),
        setup,
        enable_url: format!("/desk/account/totp/enable?lang={}", t.lang),
        disable_url: format!("/desk/account/totp/disable?lang={}", t.lang),
        csrf: session.csrf_token.clone(),
        notice: view.notice,
        alert: view.alert,
        errors: view.errors,
    };
    html(status, &page)
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<NoticeQuery>,
) -> HttpResponse {
    let locale = chosen_locale(&req);
    let t = texts(locale);
    let notice = match query.notice.as_deref() {
        Some("totp_enabled") => Some(t.totp_enabled_notice.to_owned()),
        Some("totp_disabled") => Some(t.totp_disabled_notice.to_owned()),
        _ => None,
    };
    render(
        StatusCode::OK,
        &state,
        &session,
        locale,
        View {
            secret: None,
            notice,
            alert: None,
            errors: Vec::new(),
        },
    )
}

/// The password and code fields of both forms, checked for presence and
/// shape; the errors are in form order.
fn typed_credentials<'a>(
    fields: &'a Fields,
    t: &Texts,
) -> (&'a str, Option<String>, Vec<(String, String)>) {
    let code_typed = fields.get("code").unwrap_or_default().trim();
    let password_typed = fields.get("password").unwrap_or_default();
    let mut errors = Vec::new();
    let code = if code_typed.is_empty() {
        errors.push(("code".to_owned(), t.totp_code_missing.to_owned()));
        None
    } else {
        let code = totp::normalize_code(code_typed);
        if code.is_none() {
            errors.push(("code".to_owned(), t.totp_code_malformed.to_owned()));
        }
        code
    };
    if password_typed.is_empty() {
        errors.push(("password".to_owned(), t.password_missing.to_owned()));
    }
    (password_typed, code, errors)
}

/// The login limiter's keys: checking a password here is a login attempt
/// too, or a stolen session could be used to guess the password.
fn within_rate_limit(state: &AppState, req: &HttpRequest, session: &StaffSession) -> bool {
    let account_key = format!("login:account:{}", session.staff.email.to_lowercase());
    let ip_key = format!("login:ip:{}", peer_ip(req).as_deref().unwrap_or("unknown"));
    state
        .login_limiter
        .try_hit(&[&account_key, &ip_key], state.clock.now())
}

/// What a confirmed change or a refusal comes to.
enum Outcome {
    Done,
    PasswordWrong,
    CodeWrong,
    CodeReused,
    /// The account changed meanwhile (set up or turned off in another tab).
    AlreadyDone,
}

fn refusal_errors(outcome: &Outcome, t: &Texts, setting_up: bool) -> Vec<(String, String)> {
    match outcome {
        Outcome::PasswordWrong => {
            vec![("password".to_owned(), t.account_password_wrong.to_owned())]
        }
        Outcome::CodeWrong if setting_up => {
            vec![("code".to_owned(), t.totp_setup_code_wrong.to_owned())]
        }
        Outcome::CodeWrong => vec![("code".to_owned(), t.totp_code_wrong.to_owned())],
        Outcome::CodeReused => vec![("code".to_owned(), t.totp_code_reused.to_owned())],
        Outcome::Done | Outcome::AlreadyDone => Vec::new(),
    }
}

pub async fn enable(
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
            t.account_csrf,
        ));
    }
    let refuse = |status, secret, alert: Option<&str>, errors| {
        render(
            status,
            &state,
            &session,
            locale,
            View {
                secret,
                notice: None,
                alert: alert.map(str::to_owned),
                errors,
            },
        )
    };
    if session.staff.totp_secret.is_some() {
        return Ok(refuse(
            StatusCode::CONFLICT,
            None,
            Some(t.totp_already_on),
            Vec::new(),
        ));
    }
    let Some(secret) = fields
        .get("pending")
        .and_then(|p| totp::open_pending(&state.master_key, &session.session_id, p))
    else {
        return Ok(refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(t.totp_setup_expired),
            Vec::new(),
        ));
    };
    let (password_typed, code, errors) = typed_credentials(&fields, t);
    let Some(code) = code.filter(|_| errors.is_empty()) else {
        return Ok(refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(secret),
            None,
            errors,
        ));
    };
    if !within_rate_limit(&state, &req, &session) {
        return Ok(refuse(
            StatusCode::TOO_MANY_REQUESTS,
            Some(secret),
            Some(t.login_rate_limited),
            Vec::new(),
        ));
    }

    let now = state.clock.now();
    let staff_id = session.staff.id.clone();
    let password_typed = password_typed.to_owned();
    let master_key = state.master_key.clone();
    let checked = secret.clone();
    let outcome = blocking(&state, move |conn| {
        let Some(member) = staff::find_by_id(conn, &staff_id)? else {
            return Ok(Outcome::AlreadyDone);
        };
        if !password::verify(&password_typed, Some(&member.password_hash)) {
            return Ok(Outcome::PasswordWrong);
        }
        if member.totp_secret.is_some() {
            return Ok(Outcome::AlreadyDone);
        }
        let step = match totp::verify(&checked, &code, now, member.totp_last_step) {
            Ok(step) => step,
            Err(TotpError::Replayed) => return Ok(Outcome::CodeReused),
            Err(_) => return Ok(Outcome::CodeWrong),
        };
        let sealed = totp::seal_stored(&master_key, &member.id, &checked);
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            if !staff::enable_totp(conn, &member.id, &sealed, step, now)? {
                return Ok(Outcome::AlreadyDone);
            }
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: Actor::Staff(member.id.clone()),
                    action: "staff.totp_enabled",
                    controller_id: None,
                    request_id: None,
                    detail: String::new(),
                },
            )?;
            Ok(Outcome::Done)
        })
    })
    .await?;
    Ok(match outcome {
        Outcome::Done => {
            tracing::info!(staff = %session.staff.id, "two-step verification turned on");
            see_other(&format!(
                "/desk/account?notice=totp_enabled&lang={}",
                t.lang
            ))
        }
        Outcome::AlreadyDone => see_other(&format!("/desk/account?lang={}", t.lang)),
        refused => refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(secret),
            None,
            refusal_errors(&refused, t, true),
        ),
    })
}

pub async fn disable(
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
            t.account_csrf,
        ));
    }
    let refuse = |status, alert: Option<&str>, errors| {
        render(
            status,
            &state,
            &session,
            locale,
            View {
                secret: None,
                notice: None,
                alert: alert.map(str::to_owned),
                errors,
            },
        )
    };
    if session.staff.totp_secret.is_none() {
        return Ok(refuse(
            StatusCode::CONFLICT,
            Some(t.totp_already_off),
            Vec::new(),
        ));
    }
    let (password_typed, code, errors) = typed_credentials(&fields, t);
    let Some(code) = code.filter(|_| errors.is_empty()) else {
        return Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, None, errors));
    };
    if !within_rate_limit(&state, &req, &session) {
        return Ok(refuse(
            StatusCode::TOO_MANY_REQUESTS,
            Some(t.login_rate_limited),
            Vec::new(),
        ));
    }

    let now = state.clock.now();
    let staff_id = session.staff.id.clone();
    let password_typed = password_typed.to_owned();
    let master_key = state.master_key.clone();
    let outcome = blocking(&state, move |conn| {
        let Some(member) = staff::find_by_id(conn, &staff_id)? else {
            return Ok(Outcome::AlreadyDone);
        };
        if !password::verify(&password_typed, Some(&member.password_hash)) {
            return Ok(Outcome::PasswordWrong);
        }
        let Some(stored) = member.totp_secret.as_deref() else {
            return Ok(Outcome::AlreadyDone);
        };
        let secret = totp::open_stored(std::slice::from_ref(&master_key), &member.id, stored)?;
        let step = match totp::verify(&secret, &code, now, member.totp_last_step) {
            Ok(step) => step,
            Err(TotpError::Replayed) => return Ok(Outcome::CodeReused),
            Err(_) => return Ok(Outcome::CodeWrong),
        };
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            // The code is spent like a login's, so it cannot serve twice.
            if !staff::record_totp_step(conn, &member.id, step, now)? {
                return Ok(Outcome::CodeReused);
            }
            if !staff::disable_totp(conn, &member.id, now)? {
                return Ok(Outcome::AlreadyDone);
            }
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: Actor::Staff(member.id.clone()),
                    action: "staff.totp_disabled",
                    controller_id: None,
                    request_id: None,
                    detail: String::new(),
                },
            )?;
            Ok(Outcome::Done)
        })
    })
    .await?;
    Ok(match outcome {
        Outcome::Done => {
            tracing::info!(staff = %session.staff.id, "two-step verification turned off");
            see_other(&format!(
                "/desk/account?notice=totp_disabled&lang={}",
                t.lang
            ))
        }
        Outcome::AlreadyDone => see_other(&format!("/desk/account?lang={}", t.lang)),
        refused => refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            refusal_errors(&refused, t, false),
        ),
    })
}
