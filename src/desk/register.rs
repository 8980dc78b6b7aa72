//! Requests that did not come through the web form: the DPO registers a
//! letter or an e-mail with its real receipt date, attaches the scanned
//! letter or proofs, and acknowledges it by e-mail or with a printed letter.
//!
//! | route | who | what |
//! |---|---|---|
//! | `GET/POST /desk/requests/new` | dpo, admin | the registration form (multipart) |
//! | `POST /desk/requests/{id}/acknowledge` | dpo, admin in scope | acknowledgment by e-mail, through the outbox |
//! | `GET /desk/requests/{id}/letter` | staff in scope | the acknowledgment letter, print-friendly |
//!
//! Decisions:
//! - **Receipt instant**: the start of the receipt day (00:00) in the
//!   controller's time zone, stored in UTC. The letter arrived some time
//!   that day; the start of the day gives the receipt day back through
//!   `Controller::local_date` whatever the offset, and is never after the
//!   registration instant when the letter arrived today.
//! - **Status**: `Channel::initial_status` (received): the staff member
//!   read the letter, so there is no address to confirm, but the identity
//!   is still to be checked (accept identity, or ask for information).
//!   A proof is not required at registration even where the web form
//!   requires one: a letter without a copy of an identity document is
//!   still a request, and the DPO asks for what is missing.
//! - **Reference**: the controller's sequence of the receipt year (as on
//!   the web, where confirmation is receipt).
//! - Uploaded files go through the citizen form's checks (count, size,
//!   type by magic bytes) and the same envelope encryption, marked as
//!   uploaded by staff. On a refused form the browser cannot keep the
//!   chosen files, so the page says to choose them again.
//! - The e-mail acknowledgment has no status link: the request has no
//!   status token (only hashes are stored), so it tells the citizen how to
//!   reach the DPO instead. Sending it twice is allowed; each sending is an
//!   audit event and shows in the timeline.
//! - **One request per form**: the form carries a one-time id (random,
//!   issued with the form, kept when a refused form is shown again), stored
//!   with the request in `requests.registration_key` (unique). A second
//!   POST of the same form, a double click or a resubmission, creates
//!   nothing and is sent to the request the first one created (within the
//!   account's scope, like any request page); when both arrive at once the
//!   unique index lets one transaction through and the other, rolled back,
//!   is answered the same way. A form without a well-formed id (a page
//!   from before this rule, a hand-made POST) is refused and shown again
//!   with a fresh one: registering without it would bring duplicates back.
//! - Audit events carry codes and dates only: `request.registered`
//!   (kind, channel, receipt date, number of files), `request.acknowledged`
//!   (`channel=email`), `request.acknowledgment_letter_viewed`.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone};
use diesel::Connection;

use super::pages::{StaffBar, forbidden, message, not_found};
use super::register_texts::{RegisterTexts, register_texts};
use super::texts::{Texts, texts};
use super::{Fields, blocking, chosen_locale};
use crate::audit::{self, Actor, NewEvent};
use crate::citizen::form::{
    CheckedProof, check_proofs, lower_sentence, sentence, store_proofs_by, upload_limits,
};
use crate::citizen::upload::{ParsedForm, read_form};
use crate::domain::receipt::{ReceiptDateError, check_receipt_date};
use crate::domain::request::{Channel, RequestKind};
use crate::domain::values::{self, EmailAddress, Locale, ReferencePrefix};
use crate::i18n::{format_date, kind_label};
use crate::mail::{self, OutgoingMail, RegisteredAcknowledgmentMail};
use crate::security::keys::new_token;
use crate::security::session::StaffSession;
use crate::store::actions as rows;
use crate::store::controllers::{self, Controller};
use crate::store::proofs::UploadedBy;
use crate::store::requests::{self, NewRequest, Request};
use crate::store::{queue, scope};
use crate::web::AppState;
use crate::web::pages::{html, see_other};

/// The audit event of a registration.
pub const REGISTERED_EVENT: &str = "request.registered";
/// The audit event of an acknowledgment sent by e-mail.
pub const ACKNOWLEDGED_EVENT: &str = "request.acknowledged";
/// The audit event of a display of the acknowledgment letter.
pub const LETTER_VIEWED_EVENT: &str = "request.acknowledgment_letter_viewed";

/// The channels this form registers.
const CHANNELS: [Channel; 2] = [Channel::Post, Channel::Email];

/// The form's one-time id as sent, if it looks like one the form issued
/// ([`new_token`]: 43 URL-safe base64 characters; some slack for other
/// random ids, but no free text).
fn form_id(raw: &str) -> Option<String> {
    let raw = raw.trim();
    ((16..=128).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then(|| raw.to_owned())
}

/// The start of `date` in `tz`, as a UTC instant (see the module's
/// decisions). A day whose midnight does not exist (a DST jump at 00:00)
/// starts at the first instant that does.
pub fn receipt_instant(date: NaiveDate, tz: chrono_tz::Tz) -> NaiveDateTime {
    let mut local = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    for _ in 0..4 {
        if let Some(at) = tz.from_local_datetime(&local).earliest() {
            return at.naive_utc();
        }
        local += chrono::TimeDelta::minutes(30);
    }
    tz.from_utc_datetime(&local).naive_utc()
}

/// What the form shows in its fields.
#[derive(Debug, Clone, Default)]
pub struct RegisterValues {
    pub controller: String,
    pub channel: String,
    pub kind: String,
    pub received_on: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub postal_address: String,
    pub locale: String,
    pub details: String,
    pub grounds: String,
    /// The one-time id of this form (see the module's decisions).
    pub form_id: String,
}

impl RegisterValues {
    fn from_form(form: &ParsedForm) -> Self {
        let f = |name: &str| form.text(name).to_owned();
        RegisterValues {
            controller: f("controller"),
            channel: f("channel"),
            kind: f("kind"),
            received_on: f("received_on"),
            first_name: f("first_name"),
            last_name: f("last_name"),
            email: f("email"),
            postal_address: f("postal_address"),
            locale: f("locale"),
            details: f("details"),
            grounds: f("grounds"),
            // A missing or malformed id is replaced, so that the form shown
            // again can be sent.
            form_id: form_id(form.text("form_id")).unwrap_or_else(new_token),
        }
    }
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "desk/register.html")]
pub struct RegisterPage {
    pub t: &'static Texts,
    pub r: &'static RegisterTexts,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub bar: Option<StaffBar>,
    pub lang: &'static str,
    pub action_url: String,
    pub csrf: String,
    pub alert: Option<&'static str>,
    pub errors: Vec<(String, String)>,
    /// After a refusal with files chosen: they must be chosen again.
    pub files_again: bool,
    pub controllers: Vec<Choice>,
    pub channels: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub locales: Vec<Choice>,
    pub values: RegisterValues,
}

impl RegisterPage {
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

struct FormView<'a> {
    session: &'a StaffSession,
    locale: Locale,
    controllers: &'a [Controller],
    values: RegisterValues,
    errors: Vec<(String, String)>,
    alert: Option<&'static str>,
    files_again: bool,
}

fn render(status: StatusCode, v: FormView<'_>) -> HttpResponse {
    let t = texts(v.locale);
    let r = register_texts(v.locale);
    let values = v.values;
    let single = v.controllers.len() == 1;
    let controllers = v
        .controllers
        .iter()
        .map(|c| Choice {
            value: c.id.clone(),
            label: c.name.clone(),
            selected: single || values.controller == c.id,
        })
        .collect();
    let channels = CHANNELS
        .iter()
        .map(|c| Choice {
            value: c.as_str().to_owned(),
            label: match c {
                Channel::Email => r.channel_email,
                _ => r.channel_post,
            }
            .to_owned(),
            selected: values.channel == c.as_str(),
        })
        .collect();
    let kinds = RequestKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.as_str().to_owned(),
            label: format!("{} (art. {})", kind_label(*k, v.locale), k.article()),
            selected: values.kind == k.as_str(),
        })
        .collect();
    let locales = [("fr", "Français"), ("en", "English")]
        .iter()
        .map(|(code, name)| Choice {
            value: (*code).to_owned(),
            label: (*name).to_owned(),
            selected: values.locale == *code,
        })
        .collect();
    let title = if v.errors.is_empty() && v.alert.is_none() {
        format!("{} — {}", r.title, t.header)
    } else {
        format!("{} — {} — {}", t.errors_title, r.title, t.header)
    };
    let page = RegisterPage {
        t,
        r,
        page_title: title,
        header_name: t.header.to_owned(),
        lang_switch_url: Some(format!("/desk/requests/new?lang={}", t.other_lang)),
        bar: Some(StaffBar::new(v.session, v.locale)),
        lang: t.lang,
        action_url: format!("/desk/requests/new?lang={}", t.lang),
        csrf: v.session.csrf_token.clone(),
        alert: v.alert,
        errors: v.errors,
        files_again: v.files_again,
        controllers,
        channels,
        kinds,
        locales,
        values,
    };
    html(status, &page)
}

async fn load_controllers(
    state: &AppState,
    session: &StaffSession,
) -> Result<Vec<Controller>, actix_web::Error> {
    let in_scope = session.scope.clone();
    blocking(state, move |conn| Ok(scope::controllers(conn, &in_scope)?)).await
}

/// Viewers read; registering is acting.
fn refuse_role(session: &StaffSession, locale: Locale) -> Option<HttpResponse> {
    (!session.role().can_act())
        .then(|| forbidden(session, locale, register_texts(locale).forbidden))
}

fn no_controller(session: &StaffSession, locale: Locale) -> HttpResponse {
    let r = register_texts(locale);
    message(
        StatusCode::FORBIDDEN,
        Some(session),
        locale,
        r.title,
        r.no_controller,
    )
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
) -> Result<HttpResponse, actix_web::Error> {
    let locale = chosen_locale(&req);
    if let Some(refused) = refuse_role(&session, locale) {
        return Ok(refused);
    }
    let controllers = load_controllers(&state, &session).await?;
    let Some(first) = controllers.first() else {
        return Ok(no_controller(&session, locale));
    };
    let today = first.local_date(state.clock.now());
    let values = RegisterValues {
        controller: if controllers.len() == 1 {
            first.id.clone()
        } else {
            String::new()
        },
        received_on: today.format("%Y-%m-%d").to_string(),
        locale: first.locale().as_str().to_owned(),
        form_id: new_token(),
        ..RegisterValues::default()
    };
    Ok(render(
        StatusCode::OK,
        FormView {
            session: &session,
            locale,
            controllers: &controllers,
            values,
            errors: Vec::new(),
            alert: None,
            files_again: false,
        },
    ))
}

/// A registration that passed every check.
struct Valid {
    controller: Controller,
    channel: Channel,
    kind: RequestKind,
    received_on: NaiveDate,
    first_name: String,
    last_name: String,
    email: Option<EmailAddress>,
    postal_address: Option<String>,
    locale: Locale,
    details: String,
    grounds: Option<String>,
    proofs: Vec<CheckedProof>,
}

/// The typed receipt date: the date input's `YYYY-MM-DD`, or `DD/MM/YYYY`
/// typed by hand where the browser shows a plain text box.
fn parse_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%d/%m/%Y"))
        .ok()
}

fn validate(
    form: &mut ParsedForm,
    controllers: &[Controller],
    locale: Locale,
    now: NaiveDateTime,
    state: &AppState,
) -> Result<Valid, Vec<(String, String)>> {
    let r = register_texts(locale);
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut err = |field: &str, message: String| errors.push((field.to_owned(), message));
    if !form.duplicated.is_empty() {
        err("controller", r.err_duplicated.to_owned());
    }
    for name in form.unreadable.clone() {
        err(&name, r.err_unreadable.to_owned());
    }
    let labelled = |label: &str, e: values::ValueError| {
        crate::i18n::labelled(label, &lower_sentence(e.message(locale)), locale)
    };
    let controller = match form.text("controller") {
        "" if controllers.len() == 1 => controllers.first().cloned(),
        id => controllers.iter().find(|c| c.id == id).cloned(),
    };
    if controller.is_none() {
        err("controller", r.err_controller.to_owned());
    }
    let channel = form
        .text("channel")
        .parse::<Channel>()
        .ok()
        .filter(|c| CHANNELS.contains(c));
    if channel.is_none() {
        err("channel", r.err_channel.to_owned());
    }
    let kind = form.text("kind").parse::<RequestKind>().ok();
    if kind.is_none() {
        err("kind", r.err_kind.to_owned());
    }
    let calendar = controller.as_ref().or(controllers.first());
    let today = calendar.map_or(now.date(), |c| c.local_date(now));
    let received_on = match form.text("received_on").trim() {
        "" => {
            err("received_on", r.err_date_missing.to_owned());
            None
        }
        raw => match parse_date(raw) {
            None => {
                err("received_on", r.err_date_format.to_owned());
                None
            }
            Some(date) => match check_receipt_date(date, today) {
                Ok(()) => Some(date),
                Err(ReceiptDateError::InFuture { today, .. }) => {
                    err(
                        "received_on",
                        format!("{}{}.", r.err_date_future, format_date(today, locale)),
                    );
                    None
                }
                Err(ReceiptDateError::TooOld { earliest, .. }) => {
                    err(
                        "received_on",
                        format!("{}{}.", r.err_date_too_old, format_date(earliest, locale)),
                    );
                    None
                }
            },
        },
    };
    let first_name = values::single_line(form.text("first_name"), 100)
        .map_err(|e| err("first_name", labelled(r.first_name, e)))
        .ok();
    let last_name = values::single_line(form.text("last_name"), 100)
        .map_err(|e| err("last_name", labelled(r.last_name, e)))
        .ok();
    let email = match form.text("email").trim() {
        "" => {
            if channel == Some(Channel::Email) {
                err("email", r.err_email_required.to_owned());
            }
            Some(None)
        }
        raw => EmailAddress::parse(raw)
            .map(Some)
            .map_err(|e| err("email", sentence(e.message(locale))))
            .ok(),
    };
    let postal_address = values::multi_line(form.text("postal_address"), 500)
        .map(|a| Some(a).filter(|a| !a.is_empty()))
        .map_err(|e| err("postal_address", labelled(r.postal_address, e)))
        .ok();
    // The acknowledgment and the answer must reach the person somehow; an
    // e-mail request already fails above without its address.
    if channel != Some(Channel::Email)
        && matches!(email, Some(None))
        && matches!(postal_address, Some(None))
    {
        err("postal_address", r.err_contact_required.to_owned());
    }
    let request_locale = form.text("locale").parse::<Locale>().ok();
    if request_locale.is_none() {
        err("locale", r.err_locale.to_owned());
    }
    let details = match values::multi_line(form.text("details"), 5000) {
        Ok(d) if d.is_empty() => {
            err("details", r.err_details.to_owned());
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            err("details", labelled(r.details, e));
            None
        }
    };
    let grounds = match values::multi_line(form.text("grounds"), 5000) {
        Ok(g) => Some(g),
        Err(e) => {
            err("grounds", labelled(r.grounds, e));
            None
        }
    };
    if kind.is_some_and(RequestKind::requires_grounds)
        && grounds.as_deref().is_some_and(str::is_empty)
    {
        err("grounds", r.err_grounds.to_owned());
    }
    let proofs = match check_proofs(form, locale, &upload_limits(state)) {
        Ok(p) => p,
        Err(e) => {
            err("files", e);
            Vec::new()
        }
    };
    match (
        controller,
        channel,
        kind,
        received_on,
        first_name,
        last_name,
        email,
        postal_address,
        request_locale,
        details,
        grounds,
    ) {
        (
            Some(controller),
            Some(channel),
            Some(kind),
            Some(received_on),
            Some(first_name),
            Some(last_name),
            Some(email),
            Some(postal_address),
            Some(locale),
            Some(details),
            Some(grounds),
        ) if errors.is_empty() => Ok(Valid {
            controller,
            channel,
            kind,
            received_on,
            first_name,
            last_name,
            email,
            postal_address,
            locale,
            details,
            // Grounds belong to an objection only, as on the web form.
            grounds: Some(grounds).filter(|g| kind.requires_grounds() && !g.is_empty()),
            proofs,
        }),
        _ => Err(errors),
    }
}

/// What became of a registration form.
enum Stored {
    /// This POST created the request.
    New(String),
    /// The form had already created this request.
    Existing(String),
    /// The form had created a request outside the account's scope (its id).
    OtherScope(String),
}

/// The request the form `key` already created, seen through `scope`.
fn already_stored(
    conn: &mut crate::db::DbConn,
    in_scope: &scope::Scope,
    key: &str,
) -> anyhow::Result<Option<Stored>> {
    let Some(id) = requests::find_by_registration_key(conn, key)? else {
        return Ok(None);
    };
    Ok(Some(match queue::find_in_scope(conn, in_scope, &id)? {
        Some(_) => Stored::Existing(id),
        None => Stored::OtherScope(id),
    }))
}

fn is_unique_violation(e: &anyhow::Error) -> bool {
    matches!(
        e.downcast_ref::<diesel::result::Error>(),
        Some(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _
        ))
    )
}

/// [`store`], unless the same form created a request meanwhile: sent twice
/// at once, both POSTs passed [`already_stored`], and the unique index on
/// the key refuses the second, whose whole transaction is rolled back.
fn store_once(
    conn: &mut crate::db::DbConn,
    state: &AppState,
    valid: Valid,
    key: &str,
    in_scope: &scope::Scope,
    staff_id: String,
    now: NaiveDateTime,
) -> anyhow::Result<Stored> {
    match store(conn, state, valid, key, staff_id, now) {
        Ok(id) => Ok(Stored::New(id)),
        Err(e) if is_unique_violation(&e) => match already_stored(conn, in_scope, key)? {
            Some(done) => {
                tracing::info!("registration form sent twice at once: the other POST won");
                Ok(done)
            }
            None => Err(e),
        },
        Err(e) => Err(e),
    }
}

/// Stores a valid registration: reference, request with the form's `key`,
/// due date, proofs and audit event in one transaction. Returns the new
/// request's id.
fn store(
    conn: &mut crate::db::DbConn,
    state: &AppState,
    valid: Valid,
    key: &str,
    staff_id: String,
    now: NaiveDateTime,
) -> anyhow::Result<String> {
    conn.transaction::<_, anyhow::Error, _>(|conn| {
        let controller = &valid.controller;
        let year = valid.received_on.year();
        let number = requests::next_reference_number(conn, &controller.id, year)?;
        let reference = ReferencePrefix::parse(&controller.reference_prefix)
            .map(|p| p.reference(year, number))
            .unwrap_or_else(|_| format!("{}-{year}-{number:04}", controller.reference_prefix));
        let received_at = receipt_instant(valid.received_on, controller.time_zone());
        let request = requests::insert(
            conn,
            &NewRequest {
                controller_id: controller.id.clone(),
                kind: valid.kind,
                channel: valid.channel,
                status: valid.channel.initial_status(),
                locale: valid.locale,
                first_name: valid.first_name,
                last_name: valid.last_name,
                email: valid.email.map(|e| e.as_str().to_owned()),
                postal_address: valid.postal_address,
                details: valid.details,
                objection_grounds: valid.grounds,
                submitted_at: now,
                received_at: Some(received_at),
                due_on: None,
                reference: Some(reference),
                confirm_token_hash: None,
                confirm_token_expires_at: None,
                status_token_hash: None,
                submitter_ip: None,
                submitter_user_agent: None,
            },
        )?;
        requests::set_registration_key(conn, &request.id, key)?;
        let due_on = requests::compute_due_on(conn, &request, controller, now)?;
        rows::set_due_on(conn, &request.id, due_on)?;
        store_proofs_by(
            conn,
            state,
            &request.id,
            &valid.proofs,
            UploadedBy::Staff,
            now,
        )?;
        audit::append(
            conn,
            now,
            NewEvent {
                actor: Actor::Staff(staff_id),
                action: REGISTERED_EVENT,
                controller_id: Some(&controller.id),
                request_id: Some(&request.id),
                detail: format!(
                    "kind={} channel={} received_on={} proofs={}",
                    valid.kind.as_str(),
                    valid.channel.as_str(),
                    valid.received_on,
                    valid.proofs.len()
                ),
            },
        )?;
        Ok(request.id)
    })
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    payload: Multipart,
) -> Result<HttpResponse, actix_web::Error> {
    let query_locale = chosen_locale(&req);
    if let Some(refused) = refuse_role(&session, query_locale) {
        return Ok(refused);
    }
    let limits = upload_limits(&state);
    let form = read_form(payload, limits, &["files"]).await;
    let mut form = match form {
        Ok(f) if !f.aborted => f,
        Ok(_) => {
            let r = register_texts(query_locale);
            return Ok(message(
                StatusCode::PAYLOAD_TOO_LARGE,
                Some(&session),
                query_locale,
                r.title,
                r.err_too_large,
            ));
        }
        Err(_) => {
            let r = register_texts(query_locale);
            return Ok(message(
                StatusCode::BAD_REQUEST,
                Some(&session),
                query_locale,
                r.title,
                r.err_malformed,
            ));
        }
    };
    let locale = form.text("lang").parse::<Locale>().unwrap_or(query_locale);
    let controllers = load_controllers(&state, &session).await?;
    if controllers.is_empty() {
        return Ok(no_controller(&session, locale));
    }
    let had_files = !form.files.is_empty() || form.file_too_large || form.too_many_files;
    let values = RegisterValues::from_form(&form);
    if !session.csrf_matches(form.fields.get("csrf").map(String::as_str)) {
        return Ok(render(
            StatusCode::FORBIDDEN,
            FormView {
                session: &session,
                locale,
                controllers: &controllers,
                values,
                errors: Vec::new(),
                alert: Some(register_texts(locale).err_csrf),
                files_again: had_files,
            },
        ));
    }
    let Some(key) = form_id(form.text("form_id")) else {
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            FormView {
                session: &session,
                locale,
                controllers: &controllers,
                values,
                errors: Vec::new(),
                alert: Some(register_texts(locale).err_form_id),
                files_again: had_files,
            },
        ));
    };
    // A resubmission is answered before anything else is read or checked.
    let in_scope = session.scope.clone();
    let lookup = key.clone();
    let earlier = blocking(&state, move |conn| already_stored(conn, &in_scope, &lookup)).await?;
    if let Some(done) = earlier {
        return answer_stored(&state, &session, locale, done).await;
    }
    let now = state.clock.now();
    let valid = match validate(&mut form, &controllers, locale, now, &state) {
        Ok(v) => v,
        Err(errors) => {
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                FormView {
                    session: &session,
                    locale,
                    controllers: &controllers,
                    values,
                    errors,
                    alert: None,
                    files_again: had_files,
                },
            ));
        }
    };
    let staff_id = session.staff.id.clone();
    let app = state.clone();
    let in_scope = session.scope.clone();
    let done = blocking(&state, move |conn| {
        store_once(conn, &app, valid, &key, &in_scope, staff_id, now)
    })
    .await?;
    answer_stored(&state, &session, locale, done).await
}

/// The answer to a registration form, new or sent again.
async fn answer_stored(
    state: &AppState,
    session: &StaffSession,
    locale: Locale,
    done: Stored,
) -> Result<HttpResponse, actix_web::Error> {
    let lang = locale.as_str();
    Ok(match done {
        Stored::New(id) => {
            tracing::info!(request_id = %id, "request registered by staff");
            see_other(&format!(
                "/desk/requests/{id}?notice=registered&lang={lang}"
            ))
        }
        Stored::Existing(id) => {
            tracing::info!(request_id = %id, "registration form sent again: nothing created");
            see_other(&format!(
                "/desk/requests/{id}?notice=already_registered&lang={lang}"
            ))
        }
        Stored::OtherScope(id) => {
            let staff_id = session.staff.id.clone();
            let now = state.clock.now();
            blocking(state, move |conn| {
                conn.transaction::<_, anyhow::Error, _>(|conn| {
                    audit_out_of_scope(
                        conn,
                        &staff_id,
                        &id,
                        "desk.out_of_scope_access",
                        "registration_form",
                        now,
                    )
                })
            })
            .await?;
            not_found(Some(session), locale)
        }
    })
}

// ------------------------------------------------------------ acknowledgment

/// The acknowledgment panel of the request page
/// (`desk/request_acknowledgment.html`).
pub struct AckPanel {
    pub r: &'static RegisterTexts,
    pub send_url: Option<String>,
    pub letter_url: String,
}

/// The panel for a request received by post or e-mail and not anonymised;
/// the e-mail button only for an account that may act on an open request
/// with a known address.
pub fn ack_panel(request: &Request, can_act: bool, locale: Locale) -> Option<AckPanel> {
    if request.channel() == Channel::Web
        || request.anonymised_at.is_some()
        || request.reference.is_none()
    {
        return None;
    }
    let lang = locale.as_str();
    Some(AckPanel {
        r: register_texts(locale),
        send_url: (can_act && can_mail(request))
            .then(|| format!("/desk/requests/{}/acknowledge?lang={lang}", request.id)),
        letter_url: format!("/desk/requests/{}/letter?lang={lang}", request.id),
    })
}

fn can_mail(request: &Request) -> bool {
    request.channel() != Channel::Web
        && request.anonymised_at.is_none()
        && request.status().is_open()
        && request.email.is_some()
        && request.received_at.is_some()
        && request.due_on.is_some()
}

/// The request page's notice after a registration or an acknowledgment;
/// `None` for any other notice.
pub fn notice(req: &HttpRequest, locale: Locale) -> Option<&'static str> {
    let r = register_texts(locale);
    req.query_string().split('&').find_map(|pair| match pair {
        "notice=registered" => Some(r.registered),
        "notice=already_registered" => Some(r.already_registered),
        "notice=acknowledged" => Some(r.ack_sent),
        _ => None,
    })
}

/// Records an attempt to reach another controller's request (ids only).
pub(super) fn audit_out_of_scope(
    conn: &mut crate::db::DbConn,
    staff_id: &str,
    request_id: &str,
    action: &str,
    detail: &str,
    now: NaiveDateTime,
) -> anyhow::Result<()> {
    let Some(controller_id) = queue::controller_of(conn, request_id)? else {
        return Ok(());
    };
    audit::append(
        conn,
        now,
        NewEvent {
            actor: Actor::Staff(staff_id.to_owned()),
            action,
            controller_id: Some(&controller_id),
            request_id: Some(request_id),
            detail: detail.to_owned(),
        },
    )?;
    Ok(())
}

enum Acked {
    Sent,
    NotFound,
    Forbidden,
    NotPossible,
}

pub async fn acknowledge(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, actix_web::Error> {
    let fields = Fields::from(form);
    let locale = chosen_locale(&req);
    if let Some(refused) = refuse_role(&session, locale) {
        return Ok(refused);
    }
    let id = path.into_inner();
    let csrf_ok = session.csrf_matches(fields.get("csrf"));
    let in_scope = session.scope.clone();
    let staff_id = session.staff.id.clone();
    let now = state.clock.now();
    let public_url = state.config.public_url.clone();
    let rid = id.clone();
    let done = blocking(&state, move |conn| {
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            rows::lock(conn, &rid)?;
            let Some(request) = queue::find_in_scope(conn, &in_scope, &rid)? else {
                audit_out_of_scope(
                    conn,
                    &staff_id,
                    &rid,
                    super::actions::OUT_OF_SCOPE_EVENT,
                    "action=acknowledge",
                    now,
                )?;
                return Ok(Acked::NotFound);
            };
            if !csrf_ok {
                return Ok(Acked::Forbidden);
            }
            let (true, Some(to), Some(received_at), Some(due_on)) = (
                can_mail(&request),
                request.email.clone(),
                request.received_at,
                request.due_on,
            ) else {
                return Ok(Acked::NotPossible);
            };
            let controller = controllers::find_by_id(conn, &request.controller_id)?;
            let rendered = RegisteredAcknowledgmentMail {
                controller_name: controller.name.clone(),
                reference: request.reference.clone().unwrap_or_default(),
                kind: request.kind(),
                channel: request.channel(),
                received_on: controller.local_date(received_at),
                due_on,
                dpo_email: controller.dpo_email.clone(),
                dpo_postal_address: controller.postal_address.clone(),
            }
            .render(request.locale());
            mail::enqueue(
                conn,
                now,
                &mail::message_id_domain(&public_url),
                &OutgoingMail::new(
                    to,
                    rendered,
                    Some(request.id.clone()),
                    Some(controller.id.clone()),
                ),
            )?;
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: Actor::Staff(staff_id.clone()),
                    action: ACKNOWLEDGED_EVENT,
                    controller_id: Some(&controller.id),
                    request_id: Some(&request.id),
                    detail: "channel=email".to_owned(),
                },
            )?;
            Ok(Acked::Sent)
        })
    })
    .await?;
    let r = register_texts(locale);
    Ok(match done {
        Acked::Sent => {
            mail::wake_worker();
            see_other(&format!(
                "/desk/requests/{id}?notice=acknowledged&lang={}",
                locale.as_str()
            ))
        }
        Acked::NotFound => not_found(Some(&session), locale),
        Acked::Forbidden => message(
            StatusCode::FORBIDDEN,
            Some(&session),
            locale,
            r.ack_title,
            r.ack_csrf,
        ),
        Acked::NotPossible => message(
            StatusCode::CONFLICT,
            Some(&session),
            locale,
            r.ack_title,
            r.ack_not_possible,
        ),
    })
}

// ------------------------------------------------------------------- letter

#[derive(Template)]
#[template(path = "desk/letter.html")]
pub struct LetterPage {
    /// The letter's language (the layout's too), not the staff member's.
    pub t: crate::i18n::Tr,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    /// Sender, recipient, date and subject, shared with the other letters.
    pub f: super::letters::LetterFrame,
    pub reference: String,
    pub kind: String,
    pub article: &'static str,
    pub received: String,
    pub due: String,
}

pub async fn letter(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<String>,
) -> Result<HttpResponse, actix_web::Error> {
    let locale = chosen_locale(&req);
    let id = path.into_inner();
    let in_scope = session.scope.clone();
    let staff_id = session.staff.id.clone();
    let now = state.clock.now();
    let rid = id.clone();
    let found = blocking(&state, move |conn| {
        let Some(request) = queue::find_in_scope(conn, &in_scope, &rid)? else {
            conn.transaction::<_, anyhow::Error, _>(|conn| {
                audit_out_of_scope(
                    conn,
                    &staff_id,
                    &rid,
                    "desk.out_of_scope_access",
                    "letter",
                    now,
                )
            })?;
            return Ok(None);
        };
        let (false, Some(_), Some(_), Some(_)) = (
            request.anonymised_at.is_some(),
            request.reference.as_ref(),
            request.received_at,
            request.due_on,
        ) else {
            return Ok(None);
        };
        let controller = controllers::find_by_id(conn, &request.controller_id)?;
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: Actor::Staff(staff_id.clone()),
                    action: LETTER_VIEWED_EVENT,
                    controller_id: Some(&controller.id),
                    request_id: Some(&request.id),
                    detail: format!("channel={}", request.channel().as_str()),
                },
            )?;
            Ok(())
        })?;
        Ok(Some((request, controller)))
    })
    .await?;
    let Some((request, controller)) = found else {
        return Ok(not_found(Some(&session), locale));
    };
    let letter_locale = request.locale();
    let t = crate::i18n::Tr::new(letter_locale);
    let reference = request.reference.clone().unwrap_or_default();
    let page = LetterPage {
        t,
        page_title: format!("{} — {}", t.letter_ack_title(&reference), controller.name),
        header_name: controller.name.clone(),
        lang_switch_url: None,
        f: super::letters::LetterFrame::new(
            &request,
            &controller,
            now,
            locale,
            t.letter_ack_subject(&reference),
        ),
        reference,
        kind: kind_label(request.kind(), letter_locale),
        article: request.kind().article(),
        received: format_date(
            controller.local_date(request.received_at.unwrap_or(now)),
            letter_locale,
        ),
        due: request
            .due_on
            .map(|d| format_date(d, letter_locale))
            .unwrap_or_default(),
    };
    Ok(html(StatusCode::OK, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_receipt_instant_is_the_start_of_the_local_day() {
        let day = NaiveDate::from_ymd_opt(2026, 2, 9).unwrap();
        let at = receipt_instant(day, chrono_tz::Europe::Paris);
        assert_eq!(at.to_string(), "2026-02-08 23:00:00");
        // Summer time: UTC+2.
        let summer = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        assert_eq!(
            receipt_instant(summer, chrono_tz::Europe::Paris).to_string(),
            "2026-06-30 22:00:00"
        );
        // A zone whose DST jump skips midnight (Santiago, September 2026).
        let jump = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        let at = receipt_instant(jump, chrono_tz::America::Santiago);
        assert_eq!(
            chrono_tz::America::Santiago
                .from_utc_datetime(&at)
                .date_naive(),
            jump
        );
    }

    #[test]
    fn only_ids_like_the_form_issues_are_accepted() {
        let issued = new_token();
        assert_eq!(form_id(&issued).as_deref(), Some(issued.as_str()));
        assert_eq!(
            form_id(" 0192b7e4-5f1c-7a2b-9c3d-4e5f6a7b8c9d ").as_deref(),
            Some("0192b7e4-5f1c-7a2b-9c3d-4e5f6a7b8c9d")
        );
        for bad in [
            "",
            "court",
            "pas un identifiant valable",
            "abc<script>defghijklmnop",
        ] {
            assert_eq!(form_id(bad), None, "{bad}");
        }
        assert_eq!(form_id(&"a".repeat(129)), None);
        assert!(form_id(&"a".repeat(128)).is_some());
    }

    #[test]
    fn dates_are_read_from_the_date_input_or_typed_by_hand() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 9);
        assert_eq!(parse_date("2026-02-09"), d);
        assert_eq!(parse_date(" 09/02/2026 "), d);
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("demain"), None);
    }
}
