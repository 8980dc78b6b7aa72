//! Requests that did not come through the web form: the DPO registers a
//! letter or an e-mail with its real receipt date and attaches the scanned
//! letter or proofs; the acknowledgment that follows (by e-mail or a
//! printed letter) is on the request page, `request::acknowledgment`.
//!
//! | route | who | what |
//! |---|---|---|
//! | `GET/POST /desk/requests/new` | dpo, admin | the registration form (multipart) |
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
//! - **A refused form is the form again** ([`PageResult`]), in the page's
//!   language, with what was typed and each message next to its field:
//!   422 for invalid input or a form without its id, 403 for an expired
//!   CSRF token, 413 for a body over the upload's hard cap (the fields
//!   read before the files are kept), 400 for a body that cannot be read
//!   at all (the blank form). A refused acknowledgment (403, 409) says why
//!   on a page that leads back to the request.
//! - **Wording** lives in `i18n/<language>/register.ftl`; the letter is in
//!   the requester's language, the desk's pages in the staff member's.
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
use actix_web::web;
use askama::Template;
use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone};
use diesel::Connection;

use super::blocking;
use super::pages::{StaffBar, forbidden_error, message_error, not_found_error};
use crate::audit::{self, Actor, NewEvent};
use crate::citizen::form::{
    CheckedProof, check_proofs, lower_sentence, sentence, store_proofs_by, upload_limits,
};
use crate::citizen::upload::{ParsedForm, read_form};
use crate::domain::ids::{RequestId, StaffId};
use crate::domain::receipt::{ReceiptDateError, check_receipt_date};
use crate::domain::request::{Channel, RequestKind};
use crate::domain::values::{self, EmailAddress, Locale, ReferencePrefix};
use crate::i18n::Tr;
use crate::security::keys::new_token;
use crate::security::session::StaffSession;
use crate::store::actions as rows;
use crate::store::controllers::Controller;
use crate::store::proofs::UploadedBy;
use crate::store::requests::{self, NewRequest};
use crate::store::{queue, scope};
use crate::web::pages::{html, see_other};
use crate::web::{AppState, PageError, PageLang, PageResult};

/// The audit event of a registration.
pub const REGISTERED_EVENT: &str = "request.registered";

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
    /// The page's language.
    pub t: Tr,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub bar: Option<StaffBar>,
    pub action_url: String,
    pub csrf: String,
    /// A problem that belongs to no single field (expired form, unreadable
    /// form, a form without its id): shown at the top only.
    pub alert: Option<String>,
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

/// The registration form as shown: empty, or again with what was typed
/// and why it was refused.
struct FormView<'a> {
    session: &'a StaffSession,
    t: Tr,
    controllers: &'a [Controller],
    values: RegisterValues,
    errors: Vec<(String, String)>,
    alert: Option<String>,
    files_again: bool,
}

impl FormView<'_> {
    fn page(self) -> RegisterPage {
        let t = self.t;
        let values = self.values;
        let single = self.controllers.len() == 1;
        let controllers = self
            .controllers
            .iter()
            .map(|c| Choice {
                value: c.id.to_string(),
                label: c.name.clone(),
                selected: single || c.id == values.controller.as_str(),
            })
            .collect();
        let channels = CHANNELS
            .iter()
            .map(|c| Choice {
                value: c.as_str().to_owned(),
                label: t.channel(*c),
                selected: values.channel == c.as_str(),
            })
            .collect();
        let kinds = RequestKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.as_str().to_owned(),
                label: t.register_kind_option(t.kind(*k), k.article()),
                selected: values.kind == k.as_str(),
            })
            .collect();
        let locales = [Locale::Fr, Locale::En]
            .iter()
            .map(|l| Choice {
                value: l.as_str().to_owned(),
                label: t.register_locale_name(l.as_str()),
                selected: values.locale == l.as_str(),
            })
            .collect();
        let page_title = if self.errors.is_empty() && self.alert.is_none() {
            t.register_page_title()
        } else {
            t.register_page_title_with_errors()
        };
        RegisterPage {
            t,
            page_title,
            header_name: t.desk_header(),
            lang_switch_url: Some(format!("/desk/requests/new?lang={}", t.other_lang())),
            bar: Some(StaffBar::of(self.session, t)),
            action_url: format!("/desk/requests/new?lang={}", t.query_lang()),
            csrf: self.session.csrf_token.clone(),
            alert: self.alert,
            errors: self.errors,
            files_again: self.files_again,
            controllers,
            channels,
            kinds,
            locales,
            values,
        }
    }

    /// The form again, with `status` saying why it was refused.
    fn refused(self, status: StatusCode) -> PageError {
        PageError::page(status, &self.page())
    }
}

async fn load_controllers(state: &AppState, session: &StaffSession) -> PageResult<Vec<Controller>> {
    let in_scope = session.scope.clone();
    Ok(blocking(state, move |conn| Ok(scope::controllers(conn, &in_scope)?)).await?)
}

/// Viewers read; registering is acting.
pub(super) fn refuse_role(session: &StaffSession, t: Tr) -> Option<PageError> {
    (!session.role().can_act()).then(|| forbidden_error(session, t, &t.register_forbidden()))
}

fn no_controller(session: &StaffSession, t: Tr) -> PageError {
    message_error(
        StatusCode::FORBIDDEN,
        Some(session),
        t,
        &t.register_title(),
        &t.register_no_controller(),
    )
}

/// The form as it first shows: the only controller in scope chosen, today
/// (in that controller's time zone) as the receipt date, a fresh one-time
/// id.
fn blank_values(controllers: &[Controller], today: NaiveDate) -> RegisterValues {
    let single = controllers.len() == 1;
    RegisterValues {
        controller: match controllers.first() {
            Some(c) if single => c.id.to_string(),
            _ => String::new(),
        },
        received_on: today.format("%Y-%m-%d").to_string(),
        locale: controllers
            .first()
            .map_or(Locale::Fr, Controller::locale)
            .as_str()
            .to_owned(),
        form_id: new_token(),
        ..RegisterValues::default()
    }
}

pub async fn show(lang: PageLang, state: web::Data<AppState>, session: StaffSession) -> PageResult {
    let t = lang.0;
    if let Some(refused) = refuse_role(&session, t) {
        return Err(refused);
    }
    let controllers = load_controllers(&state, &session).await?;
    let Some(first) = controllers.first() else {
        return Err(no_controller(&session, t));
    };
    let today = first.local_date(state.clock.now());
    let page = FormView {
        session: &session,
        t,
        controllers: &controllers,
        values: blank_values(&controllers, today),
        errors: Vec::new(),
        alert: None,
        files_again: false,
    }
    .page();
    Ok(html(StatusCode::OK, &page))
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
    t: Tr,
    now: NaiveDateTime,
    state: &AppState,
) -> Result<Valid, Vec<(String, String)>> {
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut err = |field: &str, message: String| errors.push((field.to_owned(), message));
    if !form.duplicated.is_empty() {
        err("controller", t.register_error_duplicated());
    }
    for name in form.unreadable.clone() {
        err(&name, t.register_error_unreadable());
    }
    let labelled = |label: String, e: values::ValueError| {
        t.labelled(&label, &lower_sentence(&t.value_error(&e)))
    };
    let controller = match form.text("controller") {
        "" if controllers.len() == 1 => controllers.first().cloned(),
        id => controllers.iter().find(|c| c.id == id).cloned(),
    };
    if controller.is_none() {
        err("controller", t.register_error_controller());
    }
    let channel = form
        .text("channel")
        .parse::<Channel>()
        .ok()
        .filter(|c| CHANNELS.contains(c));
    if channel.is_none() {
        err("channel", t.register_error_channel());
    }
    let kind = form.text("kind").parse::<RequestKind>().ok();
    if kind.is_none() {
        err("kind", t.register_error_kind());
    }
    let calendar = controller.as_ref().or(controllers.first());
    let today = calendar.map_or(now.date(), |c| c.local_date(now));
    let received_on = match form.text("received_on").trim() {
        "" => {
            err("received_on", t.register_error_date_missing());
            None
        }
        raw => match parse_date(raw) {
            None => {
                err("received_on", t.register_error_date_format());
                None
            }
            Some(date) => match check_receipt_date(date, today) {
                Ok(()) => Some(date),
                Err(ReceiptDateError::InFuture { today, .. }) => {
                    err("received_on", t.register_error_date_future(today));
                    None
                }
                Err(ReceiptDateError::TooOld { earliest, .. }) => {
                    err("received_on", t.register_error_date_too_old(earliest));
                    None
                }
            },
        },
    };
    let first_name = values::single_line(form.text("first_name"), 100)
        .map_err(|e| err("first_name", labelled(t.register_first_name(), e)))
        .ok();
    let last_name = values::single_line(form.text("last_name"), 100)
        .map_err(|e| err("last_name", labelled(t.register_last_name(), e)))
        .ok();
    let email = match form.text("email").trim() {
        "" => {
            if channel == Some(Channel::Email) {
                err("email", t.register_error_email_required());
            }
            Some(None)
        }
        raw => EmailAddress::parse(raw)
            .map(Some)
            .map_err(|e| err("email", sentence(&t.value_error(&e))))
            .ok(),
    };
    let postal_address = values::multi_line(form.text("postal_address"), 500)
        .map(|a| Some(a).filter(|a| !a.is_empty()))
        .map_err(|e| err("postal_address", labelled(t.register_postal_address(), e)))
        .ok();
    // The acknowledgment and the answer must reach the person somehow; an
    // e-mail request already fails above without its address.
    if channel != Some(Channel::Email)
        && matches!(email, Some(None))
        && matches!(postal_address, Some(None))
    {
        err("postal_address", t.register_error_contact_required());
    }
    let request_locale = form.text("locale").parse::<Locale>().ok();
    if request_locale.is_none() {
        err("locale", t.register_error_locale());
    }
    let details = match values::multi_line(form.text("details"), 5000) {
        Ok(d) if d.is_empty() => {
            err("details", t.register_error_details());
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            err("details", labelled(t.register_details(), e));
            None
        }
    };
    let grounds = match values::multi_line(form.text("grounds"), 5000) {
        Ok(g) => Some(g),
        Err(e) => {
            err("grounds", labelled(t.register_grounds(), e));
            None
        }
    };
    if kind.is_some_and(RequestKind::requires_grounds)
        && grounds.as_deref().is_some_and(str::is_empty)
    {
        err("grounds", t.register_error_grounds());
    }
    let proofs = match check_proofs(form, t, &upload_limits(state)) {
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
    New(RequestId),
    /// The form had already created this request.
    Existing(RequestId),
    /// The form had created a request outside the account's scope (its id).
    OtherScope(RequestId),
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
    staff_id: StaffId,
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
    staff_id: StaffId,
    now: NaiveDateTime,
) -> anyhow::Result<RequestId> {
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
    lang: PageLang,
    state: web::Data<AppState>,
    session: StaffSession,
    payload: Multipart,
) -> PageResult {
    if let Some(refused) = refuse_role(&session, lang.0) {
        return Err(refused);
    }
    let limits = upload_limits(&state);
    let form = read_form(payload, limits, &["files"]).await;
    // The language the form was filled in (its hidden field), else the URL's.
    let t = form
        .as_ref()
        .ok()
        .and_then(|f| f.text("lang").parse::<Locale>().ok())
        .map_or(lang.0, Tr::new);
    let controllers = load_controllers(&state, &session).await?;
    let Some(first) = controllers.first() else {
        return Err(no_controller(&session, t));
    };
    let view = |values: RegisterValues,
                errors: Vec<(String, String)>,
                alert: Option<String>,
                files_again: bool| FormView {
        session: &session,
        t,
        controllers: &controllers,
        values,
        errors,
        alert,
        files_again,
    };
    let Ok(mut form) = form else {
        // Nothing could be read: the form, blank, to fill in again.
        let today = first.local_date(state.clock.now());
        let values = blank_values(&controllers, today);
        let alert = Some(t.register_error_malformed());
        return Err(view(values, Vec::new(), alert, false).refused(StatusCode::BAD_REQUEST));
    };
    let values = RegisterValues::from_form(&form);
    if form.aborted {
        // Past the hard cap the files were not read: what was typed before
        // them is kept.
        let errors = vec![("files".to_owned(), t.register_error_files_too_large())];
        let alert = Some(t.register_error_too_large());
        return Err(view(values, errors, alert, true).refused(StatusCode::PAYLOAD_TOO_LARGE));
    }
    let had_files = !form.files.is_empty() || form.file_too_large || form.too_many_files;
    if !session.csrf_matches(form.fields.get("csrf").map(String::as_str)) {
        let alert = Some(t.register_error_csrf());
        return Err(view(values, Vec::new(), alert, had_files).refused(StatusCode::FORBIDDEN));
    }
    let Some(key) = form_id(form.text("form_id")) else {
        let alert = Some(t.register_error_form_id());
        return Err(
            view(values, Vec::new(), alert, had_files).refused(StatusCode::UNPROCESSABLE_ENTITY)
        );
    };
    // A resubmission is answered before anything else is read or checked.
    let in_scope = session.scope.clone();
    let lookup = key.clone();
    let earlier = blocking(&state, move |conn| already_stored(conn, &in_scope, &lookup)).await?;
    if let Some(done) = earlier {
        return answer_stored(&state, &session, t, done).await;
    }
    let now = state.clock.now();
    let valid = match validate(&mut form, &controllers, t, now, &state) {
        Ok(v) => v,
        Err(errors) => {
            return Err(
                view(values, errors, None, had_files).refused(StatusCode::UNPROCESSABLE_ENTITY)
            );
        }
    };
    let staff_id = session.staff.id.clone();
    let app = state.clone();
    let in_scope = session.scope.clone();
    let done = blocking(&state, move |conn| {
        store_once(conn, &app, valid, &key, &in_scope, staff_id, now)
    })
    .await?;
    answer_stored(&state, &session, t, done).await
}

/// The answer to a registration form, new or sent again.
async fn answer_stored(
    state: &AppState,
    session: &StaffSession,
    t: Tr,
    done: Stored,
) -> PageResult {
    let lang = t.query_lang();
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
                    super::request::audit_out_of_scope(
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
            return Err(not_found_error(Some(session), t));
        }
    })
}

// ------------------------------------------------------------ acknowledgment

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
