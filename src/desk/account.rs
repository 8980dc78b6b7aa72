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

use super::extract::StaffForm;
use super::pages::{StaffBar, lang_switch_to, page_title};
use super::{Fields, blocking, peer_ip};
use crate::audit::{self, Actor, NewEvent};
use crate::i18n::Tr;
use crate::security::password;
use crate::security::session::StaffSession;
use crate::security::totp::{self, TotpError, TotpSecret};
use crate::store::staff;
use crate::web::pages::{html, see_other};
use crate::web::{AppState, PageError, PageLang, PageResult};

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
    pub t: Tr,
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

fn page(state: &AppState, session: &StaffSession, t: Tr, view: View) -> AccountPage {
    let totp_enabled = session.staff.totp_secret.is_some();
    let setup = (!totp_enabled).then(|| {
        let secret = view.secret.unwrap_or_else(TotpSecret::generate);
        setup_view(state, session, &secret)
    });
    let with_errors = !view.errors.is_empty() || view.alert.is_some();
    AccountPage {
        t,
        page_title: page_title(t, &t.desk_account_title(), with_errors),
        header_name: t.desk_header(),
        lang_switch_url: lang_switch_to("/desk/account", t),
        bar: Some(StaffBar::of(session, t)),
        email: session.staff.email.clone(),
        role: t.role(session.role()),
        setup,
        enable_url: format!("/desk/account/totp/enable?lang={}", t.query_lang()),
        disable_url: format!("/desk/account/totp/disable?lang={}", t.query_lang()),
        csrf: session.csrf_token.clone(),
        notice: view.notice,
        alert: view.alert,
        errors: view.errors,
    }
}

/// The account page again, with what was refused; nothing typed is given
/// back (a code is spent, a password is never echoed).
fn refuse(
    status: StatusCode,
    state: &AppState,
    session: &StaffSession,
    t: Tr,
    secret: Option<TotpSecret>,
    alert: Option<String>,
    errors: Vec<(String, String)>,
) -> PageError {
    let view = View {
        secret,
        notice: None,
        alert,
        errors,
    };
    PageError::page(status, &page(state, session, t, view))
}

pub async fn show(
    lang: PageLang,
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<NoticeQuery>,
) -> HttpResponse {
    let t = lang.0;
    let notice = match query.notice.as_deref() {
        Some("totp_enabled") => Some(t.desk_totp_enabled_notice()),
        Some("totp_disabled") => Some(t.desk_totp_disabled_notice()),
        _ => None,
    };
    let view = View {
        secret: None,
        notice,
        alert: None,
        errors: Vec::new(),
    };
    html(StatusCode::OK, &page(&state, &session, t, view))
}

/// The password and code fields of both forms, checked for presence and
/// shape; the errors are in form order.
fn typed_credentials(fields: &Fields, t: Tr) -> (String, Option<String>, Vec<(String, String)>) {
    let code_typed = fields.get("code").unwrap_or_default().trim();
    let password_typed = fields.get("password").unwrap_or_default();
    let mut errors = Vec::new();
    let code = if code_typed.is_empty() {
        errors.push(("code".to_owned(), t.desk_totp_code_missing()));
        None
    } else {
        let code = totp::normalize_code(code_typed);
        if code.is_none() {
            errors.push(("code".to_owned(), t.desk_totp_code_malformed()));
        }
        code
    };
    if password_typed.is_empty() {
        errors.push(("password".to_owned(), t.desk_password_missing()));
    }
    (password_typed.to_owned(), code, errors)
}

/// The login limiter's keys: checking a password here is a login attempt
/// too, or a stolen session could be used to guess the password.
fn within_rate_limit(state: &AppState, req: &HttpRequest, session: &StaffSession) -> bool {
    let (account, address) = limiter_keys(req, session);
    state
        .login_limiter
        .check(&account, &address, state.clock.now())
        == crate::security::rate_limit::LoginVerdict::Allowed
}

/// A wrong password or code here counts as a failed login.
fn count_failure(state: &AppState, req: &HttpRequest, session: &StaffSession, outcome: &Outcome) {
    if matches!(outcome, Outcome::PasswordWrong | Outcome::CodeWrong) {
        let (account, address) = limiter_keys(req, session);
        state
            .login_limiter
            .record_failure(&account, &address, state.clock.now());
    }
}

fn limiter_keys(req: &HttpRequest, session: &StaffSession) -> (String, String) {
    (
        session.staff.email.to_lowercase(),
        peer_ip(req).unwrap_or_else(|| "unknown".to_owned()),
    )
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

fn refusal_errors(outcome: &Outcome, t: Tr, setting_up: bool) -> Vec<(String, String)> {
    let (field, message) = match outcome {
        Outcome::PasswordWrong => ("password", t.desk_account_password_wrong()),
        Outcome::CodeWrong if setting_up => ("code", t.desk_totp_setup_code_wrong()),
        Outcome::CodeWrong => ("code", t.desk_totp_code_wrong()),
        Outcome::CodeReused => ("code", t.desk_totp_code_reused()),
        Outcome::Done | Outcome::AlreadyDone => return Vec::new(),
    };
    vec![(field.to_owned(), message)]
}

pub async fn enable(
    lang: PageLang,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: StaffForm,
) -> PageResult {
    let t = lang.0;
    let csrf_expired = form.csrf_expired();
    let (session, fields) = (form.session, form.fields);
    let refused = |status, secret, alert, errors| {
        Err(refuse(status, &state, &session, t, secret, alert, errors))
    };
    // The key being set up, when the form carried one this session sealed.
    let pending = fields
        .get("pending")
        .and_then(|p| totp::open_pending(&state.master_key, &session.session_id, p));
    if csrf_expired {
        return refused(
            StatusCode::FORBIDDEN,
            pending,
            Some(t.desk_account_expired()),
            Vec::new(),
        );
    }
    if session.staff.totp_secret.is_some() {
        return refused(
            StatusCode::CONFLICT,
            None,
            Some(t.desk_totp_already_on()),
            Vec::new(),
        );
    }
    let Some(secret) = pending else {
        return refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(t.desk_totp_setup_expired()),
            Vec::new(),
        );
    };
    let (password_typed, code, errors) = typed_credentials(&fields, t);
    let Some(code) = code.filter(|_| errors.is_empty()) else {
        return refused(StatusCode::UNPROCESSABLE_ENTITY, Some(secret), None, errors);
    };
    if !within_rate_limit(&state, &req, &session) {
        return refused(
            StatusCode::TOO_MANY_REQUESTS,
            Some(secret),
            Some(t.desk_login_rate_limited()),
            Vec::new(),
        );
    }

    let now = state.clock.now();
    let staff_id = session.staff.id.clone();
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
    count_failure(&state, &req, &session, &outcome);
    match outcome {
        Outcome::Done => {
            tracing::info!(staff = %session.staff.id, "two-step verification turned on");
            Ok(see_other(&format!(
                "/desk/account?notice=totp_enabled&lang={}",
                t.query_lang()
            )))
        }
        Outcome::AlreadyDone => Ok(see_other(&format!("/desk/account?lang={}", t.query_lang()))),
        refusal => refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(secret),
            None,
            refusal_errors(&refusal, t, true),
        ),
    }
}

pub async fn disable(
    lang: PageLang,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: StaffForm,
) -> PageResult {
    let t = lang.0;
    let csrf_expired = form.csrf_expired();
    let (session, fields) = (form.session, form.fields);
    let refused =
        |status, alert, errors| Err(refuse(status, &state, &session, t, None, alert, errors));
    if csrf_expired {
        return refused(
            StatusCode::FORBIDDEN,
            Some(t.desk_account_expired()),
            Vec::new(),
        );
    }
    if session.staff.totp_secret.is_none() {
        return refused(
            StatusCode::CONFLICT,
            Some(t.desk_totp_already_off()),
            Vec::new(),
        );
    }
    let (password_typed, code, errors) = typed_credentials(&fields, t);
    let Some(code) = code.filter(|_| errors.is_empty()) else {
        return refused(StatusCode::UNPROCESSABLE_ENTITY, None, errors);
    };
    if !within_rate_limit(&state, &req, &session) {
        return refused(
            StatusCode::TOO_MANY_REQUESTS,
            Some(t.desk_login_rate_limited()),
            Vec::new(),
        );
    }

    let now = state.clock.now();
    let staff_id = session.staff.id.clone();
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
    count_failure(&state, &req, &session, &outcome);
    match outcome {
        Outcome::Done => {
            tracing::info!(staff = %session.staff.id, "two-step verification turned off");
            Ok(see_other(&format!(
                "/desk/account?notice=totp_disabled&lang={}",
                t.query_lang()
            )))
        }
        Outcome::AlreadyDone => Ok(see_other(&format!("/desk/account?lang={}", t.query_lang()))),
        refusal => refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            refusal_errors(&refusal, t, false),
        ),
    }
}
