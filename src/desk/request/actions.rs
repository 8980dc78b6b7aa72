//! `POST /desk/requests/{id}/actions/{action}`: the DPO's actions on a
//! request, each a transition of the domain table
//! ([`crate::domain::request::apply`]).
//!
//! Order of the checks, each answering before anything is written:
//! 1. the account's role may act (a viewer gets a 403 message page);
//! 2. the request is read **with the scope filter in the query** (another
//!    controller's request is a 404, like one that does not exist, and the
//!    attempt is audited as [`OUT_OF_SCOPE_EVENT`]);
//! 3. the form's `csrf` equals the session's token (403);
//! 4. the action code is known and offered on the desk (404 otherwise);
//! 5. the form's `version` is the request's current one (409: someone else
//!    changed it since the page was shown);
//! 6. [`apply`] accepts the action in the current state (409 with
//!    [`crate::i18n::Tr::transition_error`]);
//! 7. the action's own fields are valid (422).
//!
//! A refusal from 3 on is never a dead end: the answer is **the request
//! page again** (`request_page::build`), as it stands now, with the form
//! that was sent open and filled with what was typed ([`ActionForm`]), each
//! message beside its field and summed up at the top, in the language of
//! the form's `?lang=` (the request page puts its own in each form's URL).
//! After a stale version the page shows the request's current state, and
//! the form carries the current version, so the kept text can be checked
//! and sent again. A body larger than [`MAX_FORM_BYTES`] (far beyond what
//! [`MAX_TEXT_CHARS`] allows) gets the page with a 413.
//!
//! Then one transaction: `UPDATE requests … WHERE id = ? AND version = ?`
//! (0 rows → 409, the concurrent change won), the action's writes, the
//! citizen's e-mail in the outbox when there is one, and an audit event
//! (codes and numbers only). The answer is a 303 to the request page with a
//! `notice` naming the action.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use chrono::NaiveDateTime;
use diesel::Connection;
use futures_util::StreamExt;

use super::super::pages::{forbidden_error, not_found_error};
use super::super::{Fields, blocking};
use super::OUT_OF_SCOPE_EVENT;
use super::form::{ActionForm, DESK_ACTIONS, Problem};
use super::page as request_page;
use crate::audit::{self, Actor, NewEvent};
use crate::db::DbConn;
use crate::domain::deadline::{self, ExtensionError, Suspension};
use crate::domain::ids::{RequestId, StaffId};
use crate::domain::request::{
    Action, Outcome, RefusalGround, RefusalGroundError, RequestKind, RequestState, apply,
};
use crate::i18n::Tr;
use crate::mail::{
    self, DecisionMail, ExtensionMail, InformationRequestMail, OutgoingMail, RenderedMail,
};
use crate::security::session::StaffSession;
use crate::store::actions as rows;
use crate::store::controllers::{self, Controller};
use crate::store::messages::{self, Direction};
use crate::store::requests::{self, Request};
use crate::store::scope::Scope;
use crate::store::suppression;
use crate::web::pages::see_other;
use crate::web::{AppState, PageError, PageLang, PageResult};

/// Longest text accepted in a message, an answer, a note or a reason.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// Largest action form read. The close form carries two texts (the answer
/// and the refusal ground); a character takes up to 12 bytes once
/// percent-encoded (4 UTF-8 bytes, `%XX` each). So a text one character
/// over [`MAX_TEXT_CHARS`] is still read, and refused beside its field with
/// the text kept, instead of being cut off by a body limit.
pub const MAX_FORM_BYTES: usize = 2 * (MAX_TEXT_CHARS + 1) * 12 + 64 * 1024;

/// An action's validated fields.
#[derive(Debug, Clone)]
enum Payload {
    None,
    Text(String),
    Extend {
        months: u32,
        reason: String,
    },
    Close {
        answer: String,
        ground: Option<RefusalGround>,
    },
}

/// A message for the person who sent the form, beside `field` (its id on
/// the request page) or, without one, at the top.
#[derive(Debug, Clone)]
struct FieldError {
    field: Option<&'static str>,
    message: String,
}

impl FieldError {
    fn at(field: &'static str, message: String) -> FieldError {
        FieldError {
            field: Some(field),
            message,
        }
    }

    fn general(message: String) -> FieldError {
        FieldError {
            field: None,
            message,
        }
    }
}

/// Why the action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    /// The CSRF token did not match (403).
    Expired,
    /// Someone else changed the request since the page was shown (409).
    Stale,
    /// The request's state does not allow the action (409).
    NotAllowed,
    /// The form's fields are not valid (422).
    Invalid,
    /// The body was too large to be read (413).
    TooLarge,
}

impl Why {
    fn status(self) -> StatusCode {
        match self {
            Why::Expired => StatusCode::FORBIDDEN,
            Why::Stale | Why::NotAllowed => StatusCode::CONFLICT,
            Why::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            Why::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        }
    }
}

/// What the transaction did.
enum Done {
    Ok,
    NotFound,
    Refused(Why, Vec<FieldError>),
}

fn refused(why: Why, errors: Vec<FieldError>) -> anyhow::Result<(Done, bool)> {
    Ok((Done::Refused(why, errors), false))
}

/// The action of the URL's code; `close` takes its outcome from the form's
/// `outcome` field (the request page's single closing form).
fn parse_action(code: &str, fields: &Fields) -> Option<Action> {
    let action = if code == "close" {
        let outcome = fields.get("outcome")?.trim().parse::<Outcome>().ok()?;
        Action::Close(outcome)
    } else {
        code.parse::<Action>().ok()?
    };
    DESK_ACTIONS.contains(&action).then_some(action)
}

fn text(fields: &Fields, name: &str) -> Option<String> {
    fields
        .get(name)
        .map(|v| v.replace("\r\n", "\n").trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// `value` when it is within [`MAX_TEXT_CHARS`]; `field` names it in the
/// message (see `action-too-long`).
fn within_limit(value: String, field: &str, id: &'static str, t: Tr) -> Result<String, FieldError> {
    let count = value.chars().count();
    if count > MAX_TEXT_CHARS {
        return Err(FieldError::at(
            id,
            t.action_too_long(field, MAX_TEXT_CHARS, count),
        ));
    }
    Ok(value)
}

/// The text of field `name`, required: `field` names it in the message
/// (`action-required`), `id` is its id on the page.
fn required(
    fields: &Fields,
    name: &str,
    field: &str,
    id: &'static str,
    t: Tr,
) -> Result<String, FieldError> {
    let value = text(fields, name).ok_or_else(|| FieldError::at(id, t.action_required(field)))?;
    within_limit(value, field, id, t)
}

/// Why the deadline cannot be extended, in the page's language.
fn extension_error(e: ExtensionError, t: Tr) -> String {
    match e {
        ExtensionError::Zero => t.action_extend_zero(),
        ExtensionError::TooLong { current, requested } => {
            t.action_extend_too_long(current, requested)
        }
        ExtensionError::FirstMonthOver { ended_on } => t.action_extend_too_late(ended_on),
    }
}

/// Why a refusal ground was not accepted, beside the field to fix.
fn ground_error(e: &RefusalGroundError, t: Tr) -> FieldError {
    match e {
        RefusalGroundError::UnknownCode(code) => {
            FieldError::at("act-close-ground", t.action_ground_unknown(code))
        }
        RefusalGroundError::InvalidLetter(_) => {
            FieldError::at("act-close-letter", t.action_ground_letter())
        }
        RefusalGroundError::BlankOther => {
            FieldError::at("act-close-detail", t.action_ground_blank_other())
        }
        RefusalGroundError::UnexpectedDetail { code } => FieldError::at(
            "act-close-detail",
            t.action_ground_no_detail(t.action_ground_option(*code)),
        ),
    }
}

/// The fields each action needs, checked against the request's kind and
/// stored facts (422 on refusal), every problem at once.
fn validate(
    conn: &mut DbConn,
    action: Action,
    fields: &Fields,
    request: &Request,
    controller: &Controller,
    now: NaiveDateTime,
    t: Tr,
) -> anyhow::Result<Result<Payload, Vec<FieldError>>> {
    let kind = request.kind();
    let one = |r: Result<String, FieldError>| r.map(Payload::Text).map_err(|e| vec![e]);
    Ok(match action {
        Action::RequestInformation => one(required(
            fields,
            "message",
            "message",
            "act-info-message",
            t,
        )),
        Action::AddNote => one(required(fields, "note", "note", "act-note", t)),
        Action::PlaceLegalHold => one(required(
            fields,
            "reason",
            "hold_reason",
            "act-hold-reason",
            t,
        )),
        Action::NotifyRecipients => {
            if !kind.notifies_recipients() {
                Err(vec![FieldError::general(t.action_art19_kinds())])
            } else {
                one(required(
                    fields,
                    "recipients",
                    "recipients",
                    "act-recipients",
                    t,
                ))
            }
        }
        Action::Extend => {
            let months = match fields.get("months").map(str::trim) {
                Some("1") => Ok(1),
                Some("2") => Ok(2),
                _ => Err(FieldError::at(
                    "act-extend-months",
                    t.action_extend_months_invalid(),
                )),
            };
            let reason = required(fields, "reason", "extend_reason", "act-extend-reason", t);
            let (months, reason) = match (months, reason) {
                (Ok(m), Ok(r)) => (m, r),
                (m, r) => return Ok(Err([m.err(), r.err()].into_iter().flatten().collect())),
            };
            let Some(received_at) = request.received_at else {
                return Ok(Err(vec![FieldError::general(t.action_extend_no_receipt())]));
            };
            let today = controller.local_date(now);
            let suspensions = suspensions_of(conn, request, controller)?;
            let first_end = deadline::first_month_end(
                controller.local_date(received_at),
                &suspensions,
                today,
                &controller.holidays(),
            );
            let current = u32::try_from(request.extension_months).unwrap_or(0);
            match deadline::can_extend(current, months, today, first_end) {
                Ok(()) => Ok(Payload::Extend { months, reason }),
                Err(e) => Err(vec![FieldError::at(
                    "act-extend-months",
                    extension_error(e, t),
                )]),
            }
        }
        Action::Close(outcome) => {
            let mut errors = Vec::new();
            let answer = match required(fields, "answer", "answer", "act-close-answer", t) {
                Ok(a) if super::answers::has_placeholder(&a) => {
                    errors.push(FieldError::at(
                        "act-close-answer",
                        t.action_answer_placeholder(),
                    ));
                    a
                }
                Ok(a) => a,
                Err(e) => {
                    errors.push(e);
                    String::new()
                }
            };
            let ground = close_ground(fields, outcome, kind, t);
            match (ground, errors.is_empty()) {
                (Ok(ground), true) => Ok(Payload::Close { answer, ground }),
                (Ok(_), false) => Err(errors),
                (Err(e), _) => {
                    // In the order of the form: the ground comes first.
                    errors.insert(0, e);
                    Err(errors)
                }
            }
        }
        _ => Ok(Payload::None),
    })
}

/// The refusal ground of the close form: required for anything but a full
/// grant, and one that applies to the request's kind.
fn close_ground(
    fields: &Fields,
    outcome: Outcome,
    kind: RequestKind,
    t: Tr,
) -> Result<Option<RefusalGround>, FieldError> {
    let Some(code) = text(fields, "refusal_ground") else {
        if outcome.requires_grounds() {
            return Err(FieldError::at(
                "act-close-ground",
                t.action_close_needs_ground(),
            ));
        }
        return Ok(None);
    };
    // The form has a letter select for art. 17(3) and a text area for
    // "other"; a client may also send the letter as the detail.
    let detail = match (code.as_str(), text(fields, "refusal_letter")) {
        ("art17_3", Some(letter)) => Some(letter),
        _ => match text(fields, "refusal_detail") {
            Some(d) => Some(within_limit(d, "refusal_detail", "act-close-detail", t)?),
            None => None,
        },
    };
    match RefusalGround::from_parts(&code, detail.as_deref()) {
        Ok(g) if g.applies_to(kind) => Ok(Some(g)),
        Ok(_) => Err(FieldError::at(
            "act-close-ground",
            t.action_ground_not_for_kind(t.kind(kind)),
        )),
        Err(e) => Err(ground_error(&e, t)),
    }
}

fn suspensions_of(
    conn: &mut DbConn,
    request: &Request,
    controller: &Controller,
) -> anyhow::Result<Vec<Suspension>> {
    Ok(requests::suspensions(conn, &request.id)?
        .into_iter()
        .map(|s| Suspension {
            started_on: controller.local_date(s.started_at),
            ended_on: s.ended_at.map(|e| controller.local_date(e)),
        })
        .collect())
}

/// Queues a mail to the citizen (none for a request without an address:
/// the DPO answers by post). The status link cannot be given: only the
/// hash of its token is stored, so the mail points to the acknowledgment.
fn queue_mail(
    conn: &mut DbConn,
    public_url: &str,
    controller: &Controller,
    request: &Request,
    rendered: RenderedMail,
    now: NaiveDateTime,
) -> anyhow::Result<bool> {
    let Some(to) = request.email.clone() else {
        return Ok(false);
    };
    mail::enqueue(
        conn,
        now,
        &mail::message_id_domain(public_url),
        &OutgoingMail::new(
            to,
            rendered,
            Some(request.id.clone()),
            Some(controller.id.clone()),
        ),
    )?;
    Ok(true)
}

struct Input {
    request_id: RequestId,
    code: String,
    csrf_ok: bool,
    version: Option<i64>,
    fields: Fields,
    scope: Scope,
    staff_id: StaffId,
    public_url: String,
    suppression_key: suppression::KeyCache,
    now: NaiveDateTime,
    /// The language of the refusal messages.
    t: Tr,
}

fn run(conn: &mut DbConn, input: Input) -> anyhow::Result<(Done, bool)> {
    conn.transaction::<_, anyhow::Error, _>(|conn| {
        rows::lock(conn, &input.request_id)?;
        let Some(request) = rows::find_in_scope(conn, &input.scope, &input.request_id)? else {
            // Another controller's request answers like a missing one, but
            // the attempt is on the record (ids and the action code only).
            if let Ok(elsewhere) = requests::find(conn, &input.request_id) {
                let code =
                    parse_action(&input.code, &input.fields).map_or("unknown", Action::as_str);
                audit::append(
                    conn,
                    input.now,
                    NewEvent {
                        actor: Actor::Staff(input.staff_id.clone()),
                        action: OUT_OF_SCOPE_EVENT,
                        controller_id: Some(&elsewhere.controller_id),
                        request_id: Some(&elsewhere.id),
                        detail: format!("action={code}"),
                    },
                )?;
            }
            return Ok((Done::NotFound, false));
        };
        let t = input.t;
        if !input.csrf_ok {
            return refused(Why::Expired, Vec::new());
        }
        // The closing form without a decision is the form's fault, not an
        // unknown action: it comes back with the message beside the choice.
        let missing_outcome = input.code == "close"
            && input
                .fields
                .get("outcome")
                .and_then(|o| o.trim().parse::<Outcome>().ok())
                .is_none();
        let action = parse_action(&input.code, &input.fields);
        if action.is_none() && !missing_outcome {
            return Ok((Done::NotFound, false));
        }
        let Some(version) = input.version else {
            return refused(
                Why::Invalid,
                vec![FieldError::general(t.action_incomplete())],
            );
        };
        if version != request.version {
            return refused(Why::Stale, Vec::new());
        }
        let Some(action) = action else {
            return refused(
                Why::Invalid,
                vec![FieldError::at(
                    "act-close-outcome",
                    t.action_close_outcome_missing(),
                )],
            );
        };
        let next: RequestState = match apply(request.state(), action) {
            Ok(next) => next,
            Err(e) => {
                return refused(
                    Why::NotAllowed,
                    vec![FieldError::general(t.transition_error(&e))],
                );
            }
        };
        let controller = controllers::find_by_id(conn, &request.controller_id)?;
        let now = input.now;
        let payload = match validate(conn, action, &input.fields, &request, &controller, now, t)? {
            Ok(p) => p,
            Err(errors) => return refused(Why::Invalid, errors),
        };
        if !crate::store::requests::transition(conn, &request.id, version, next, now)? {
            return refused(Why::Stale, Vec::new());
        }
        let staff_id = &input.staff_id;
        let reference = request.reference.clone().unwrap_or_default();
        let mut detail = format!(
            "status={}->{}",
            request.status().as_str(),
            next.status.as_str()
        );
        let mut mailed = false;
        match (action, payload) {
            (Action::AcceptIdentity, _) => {
                rows::set_identity_accepted(conn, &request.id, now)?;
            }
            (Action::RequestInformation, Payload::Text(message)) => {
                messages::add(
                    conn,
                    &request.id,
                    Direction::ToCitizen,
                    Some(staff_id),
                    &message,
                    now,
                )?;
                requests::start_suspension(conn, &request.id, now)?;
                let rendered = InformationRequestMail {
                    controller_name: controller.name.clone(),
                    reference,
                    message,
                    status_url: String::new(),
                }
                .render(request.locale());
                mailed = queue_mail(
                    conn,
                    &input.public_url,
                    &controller,
                    &request,
                    rendered,
                    now,
                )?;
            }
            (Action::ResumeClock, _) => {
                requests::end_suspensions(conn, &request.id, now)?;
                let current = requests::find(conn, &request.id)?;
                let due = requests::compute_due_on(conn, &current, &controller, now)?;
                rows::set_due_on(conn, &request.id, due)?;
                if let Some(due) = due {
                    detail.push_str(&format!(" due_on={due}"));
                }
            }
            (Action::Extend, Payload::Extend { months, reason }) => {
                let total = request.extension_months + i64::from(months);
                rows::set_extension(conn, &request.id, total, &reason, now)?;
                let current = requests::find(conn, &request.id)?;
                let due = requests::compute_due_on(conn, &current, &controller, now)?;
                rows::set_due_on(conn, &request.id, due)?;
                detail.push_str(&format!(" months={months} total={total}"));
                if let Some(due) = due {
                    detail.push_str(&format!(" due_on={due}"));
                    let rendered = ExtensionMail {
                        controller_name: controller.name.clone(),
                        reference,
                        new_due_on: due,
                        reason,
                        status_url: String::new(),
                    }
                    .render(request.locale());
                    mailed = queue_mail(
                        conn,
                        &input.public_url,
                        &controller,
                        &request,
                        rendered,
                        now,
                    )?;
                }
            }
            (Action::Close(outcome), Payload::Close { answer, ground }) => {
                requests::end_suspensions(conn, &request.id, now)?;
                rows::set_closed(conn, &request.id, outcome, ground.as_ref(), now)?;
                messages::add(
                    conn,
                    &request.id,
                    Direction::ToCitizen,
                    Some(staff_id),
                    &answer,
                    now,
                )?;
                detail.push_str(&format!(" outcome={}", outcome.as_str()));
                if let Some(g) = &ground {
                    detail.push_str(&format!(" ground={}", g.code()));
                    if let RefusalGround::ErasureException(letter) = g {
                        detail.push_str(&format!(":{}", letter.as_str()));
                    }
                }
                if outcome == Outcome::Granted
                    && request.kind() == RequestKind::MarketingObjection
                    && let Some(email) = &request.email
                {
                    let key = input.suppression_key.get(conn, now)?;
                    suppression::add(conn, &key, &controller.id, email, Some(&request.id), now)?;
                }
                let rendered = DecisionMail {
                    controller_name: controller.name.clone(),
                    reference,
                    outcome,
                    answer,
                    refusal_ground: ground,
                    status_url: String::new(),
                    dpo_email: controller.dpo_email.clone(),
                }
                .render(request.locale());
                mailed = queue_mail(
                    conn,
                    &input.public_url,
                    &controller,
                    &request,
                    rendered,
                    now,
                )?;
            }
            (Action::AddNote, Payload::Text(note)) => {
                messages::add(
                    conn,
                    &request.id,
                    Direction::InternalNote,
                    Some(staff_id),
                    &note,
                    now,
                )?;
            }
            (Action::NotifyRecipients, Payload::Text(recipients)) => {
                let mut count = 0;
                for line in recipients.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    rows::add_recipient(conn, &request.id, line, now)?;
                    count += 1;
                }
                detail.push_str(&format!(" recipients={count}"));
            }
            (Action::PlaceLegalHold, Payload::Text(reason)) => {
                rows::set_legal_hold(conn, &request.id, Some(&reason), now)?;
            }
            (Action::LiftLegalHold, _) => {
                rows::set_legal_hold(conn, &request.id, None, now)?;
            }
            (other, payload) => {
                anyhow::bail!("no writes defined for {other} with {payload:?}");
            }
        }
        if mailed {
            detail.push_str(" mail=queued");
        }
        audit::append(
            conn,
            now,
            NewEvent {
                actor: Actor::Staff(input.staff_id.clone()),
                action: action.as_str(),
                controller_id: Some(&request.controller_id),
                request_id: Some(&request.id),
                detail,
            },
        )?;
        Ok((Done::Ok, mailed))
    })
}

/// The body of the form, read up to [`MAX_FORM_BYTES`]; `None` when it is
/// larger. Read by hand rather than through `web::Form`, whose limit
/// would answer a long text with a bare error and lose it.
async fn read_form(mut payload: web::Payload) -> Result<Option<Fields>, actix_web::Error> {
    let mut body: Vec<u8> = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > MAX_FORM_BYTES {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    let text = String::from_utf8_lossy(&body);
    let pairs = web::Query::<Vec<(String, String)>>::from_query(&text)
        .map(web::Query::into_inner)
        .unwrap_or_default();
    Ok(Some(Fields(pairs)))
}

/// `url` in the page's language: French is the desk's default and needs no
/// parameter.
fn with_lang(url: &str, t: Tr) -> String {
    match t.query_lang() {
        "fr" => url.to_owned(),
        lang if url.contains('?') => format!("{url}&lang={lang}"),
        lang => format!("{url}?lang={lang}"),
    }
}

/// The request page again, as it stands now, with `form` as it was sent
/// and why it was refused; a 404 page if the request is gone meanwhile.
#[allow(clippy::too_many_arguments)]
async fn refusal_page(
    req: &HttpRequest,
    state: &AppState,
    session: &StaffSession,
    t: Tr,
    request_id: &RequestId,
    why: Why,
    errors: Vec<FieldError>,
    mut form: ActionForm,
) -> PageResult {
    let Some(loaded) = request_page::load(state, session, request_id).await? else {
        return Err(not_found_error(Some(session), t));
    };
    let mut messages = Vec::new();
    for e in errors {
        match e.field {
            Some(field) => form.errors.push((field, e.message)),
            None => messages.push(e.message),
        }
    }
    let (title, nothing_changed) = match why {
        Why::Expired => {
            messages.insert(0, t.action_expired());
            (t.action_expired_title(), false)
        }
        Why::Stale => {
            messages.insert(0, t.action_stale());
            if let Some(last) = request_page::last_event(&loaded, t) {
                messages.push(t.action_stale_last(last.what, last.who, last.when));
            }
            (t.action_stale_title(), false)
        }
        Why::NotAllowed => (t.action_not_allowed_title(), true),
        Why::Invalid => (t.action_invalid_title(), true),
        Why::TooLarge => {
            messages.push(t.action_too_large(MAX_TEXT_CHARS));
            (t.action_invalid_title(), true)
        }
    };
    form.problem = Some(Problem {
        title,
        messages,
        nothing_changed,
    });
    let page = request_page::build(req, state, session, t, loaded, form);
    Err(PageError::page(why.status(), &page))
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    PageLang(t): PageLang,
    path: web::Path<(RequestId, String)>,
    payload: web::Payload,
) -> PageResult {
    if !session.role().can_act() {
        return Err(forbidden_error(&session, t, &t.action_viewer_forbidden()));
    }
    let (request_id, code) = path.into_inner();
    let Some(fields) = read_form(payload).await? else {
        return refusal_page(
            &req,
            &state,
            &session,
            t,
            &request_id,
            Why::TooLarge,
            Vec::new(),
            ActionForm::default(),
        )
        .await;
    };
    // What the staff member sent, shown again on a refusal so that a long
    // answer is not lost.
    let form = ActionForm::sent(&code, &fields);
    let input = Input {
        request_id: request_id.clone(),
        code: code.clone(),
        csrf_ok: session.csrf_matches(fields.get("csrf")),
        version: fields.get("version").and_then(|v| v.trim().parse().ok()),
        fields,
        scope: session.scope.clone(),
        staff_id: session.staff.id.clone(),
        public_url: state.config.public_url.clone(),
        suppression_key: state.suppression_key.clone(),
        now: state.clock.now(),
        t,
    };
    let notice = parse_action(&code, &input.fields)
        .map(Action::as_str)
        .unwrap_or_default();
    let (done, mailed) = blocking(&state, move |conn| run(conn, input)).await?;
    if mailed {
        mail::wake_worker();
    }
    match done {
        Done::Ok => Ok(see_other(&with_lang(
            &format!("/desk/requests/{request_id}?notice={notice}"),
            t,
        ))),
        Done::NotFound => Err(not_found_error(Some(&session), t)),
        Done::Refused(why, errors) => {
            refusal_page(&req, &state, &session, t, &request_id, why, errors, form).await
        }
    }
}

#[cfg(test)]
mod tests {
    use askama::Template;

    use super::*;
    use crate::desk::request::form::GROUND_CODES;
    use crate::domain::values::Locale;

    /// The fields the request page provides to the partial.
    #[derive(Template)]
    #[template(path = "desk/request_actions.html")]
    struct ActionsPartial {
        request_id: String,
        csrf: String,
        version: i64,
        allowed: Vec<&'static str>,
        can_act: bool,
        answer: crate::desk::request::answers::AnswerTemplate,
        t: Tr,
        form: ActionForm,
        can_mail: bool,
    }

    fn partial(allowed: Vec<&'static str>, can_act: bool) -> String {
        partial_in("en", allowed, can_act)
    }

    fn partial_in(lang: &'static str, allowed: Vec<&'static str>, can_act: bool) -> String {
        partial_with(lang, allowed, can_act, ActionForm::default())
    }

    fn partial_with(
        lang: &'static str,
        allowed: Vec<&'static str>,
        can_act: bool,
        form: ActionForm,
    ) -> String {
        let locale: Locale = lang.parse().unwrap();
        ActionsPartial {
            request_id: "r-1".into(),
            csrf: "tok".into(),
            version: 7,
            allowed,
            can_act,
            answer: crate::desk::request::answers::AnswerTemplate::new(
                RequestKind::Access,
                Locale::Fr,
                "Ville de Vanves",
                "/desk/requests/r-1",
                Tr::new(Locale::Fr),
            ),
            t: Tr::new(locale),
            form,
            can_mail: true,
        }
        .render()
        .unwrap()
    }

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        Fields(
            pairs
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn partial_has_one_form_per_allowed_action() {
        let all: Vec<&'static str> = DESK_ACTIONS.iter().map(|a| a.as_str()).collect();
        let html = partial(all, true);
        for code in [
            "accept_identity",
            "request_information",
            "resume_clock",
            "extend",
            "close",
            "notify_recipients",
            "add_note",
            "place_legal_hold",
            "lift_legal_hold",
        ] {
            assert!(
                html.contains(&format!(
                    "action=\"/desk/requests/r-1/actions/{code}?lang=en\""
                )),
                "{code}"
            );
        }
        assert_eq!(html.matches("name=\"version\" value=\"7\"").count(), 9);
        assert_eq!(html.matches("name=\"csrf\" value=\"tok\"").count(), 9);
        for id in [
            "act-info-message",
            "act-extend-reason",
            "act-close-answer",
            "act-note",
        ] {
            assert!(html.contains(&format!("for=\"{id}\"")), "{id}");
            assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
        }
        assert!(html.contains("value=\"art17_3\""));
        // In the page's language: the domain's names of letters and
        // outcomes, the sentences of the texts table.
        assert!(html.contains("<option value=\"b\">b) legal obligation or task"));
        assert!(html.contains("<label for=\"act-close-refused\">Refused</label>"));
        assert!(html.contains("<option value=\"2\">2 months</option>"));
        assert!(!html.contains("Demande refusée"), "{html}");
        let french = partial_in(
            "fr",
            DESK_ACTIONS.iter().map(|a| a.as_str()).collect(),
            true,
        );
        assert!(french.contains("<option value=\"b\">b) obligation légale"));
        assert!(french.contains("<label for=\"act-close-refused\">Demande refusée</label>"));
        assert!(french.contains("<h3>Accepter l&#39;identité</h3>"));
        assert!(!french.contains("Refused"));
        assert!(html.contains(
            "aria-describedby=\"act-close-answer-hint\">Conformément à l&#39;article 15"
        ));
        assert!(
            html.contains(
                "href=\"/desk/requests/r-1?lang=fr&#38;answer_lang=en#act-close-answer\""
            )
        );

        let closed = partial(vec!["place_legal_hold"], true);
        assert!(!closed.contains("actions/extend"));
        assert_eq!(closed.matches("?lang=en\"").count(), 1);
        let french = partial_in("fr", vec!["place_legal_hold"], true);
        assert!(french.contains("action=\"/desk/requests/r-1/actions/place_legal_hold\""));
        assert!(closed.contains("actions/place_legal_hold"));
        let viewer = partial(Vec::new(), false);
        assert!(!viewer.contains("<form"));
    }

    #[test]
    fn close_takes_its_outcome_from_the_form() {
        let f = fields;
        assert_eq!(
            parse_action("close", &f(&[("outcome", "refused")])),
            Some(Action::Close(Outcome::Refused))
        );
        assert_eq!(parse_action("close", &f(&[])), None);
        assert_eq!(
            parse_action("close_granted", &f(&[])),
            Some(Action::Close(Outcome::Granted))
        );
        assert_eq!(parse_action("purge", &f(&[])), None);
        assert_eq!(parse_action("withdraw", &f(&[])), None);
    }

    #[test]
    fn a_refused_form_comes_back_filled_with_its_messages() {
        let mut form = ActionForm::sent(
            "close_refused",
            &fields(&[
                ("csrf", "tok"),
                ("version", "7"),
                ("refusal_ground", "art17_3"),
                ("refusal_letter", "c"),
                ("answer", "Mon texte\r\n<à garder>"),
            ]),
        );
        form.errors
            .push(("act-close-answer", "Le texte & la réponse".to_owned()));
        form.problem = Some(Problem {
            title: "x".into(),
            messages: Vec::new(),
            nothing_changed: true,
        });
        form.place_typed(&["close_refused", "add_note"]);
        assert!(form.typed_in_form && form.kept.is_empty());
        // The URL's outcome is the form's choice.
        assert!(form.selected("close", "outcome", "refused"));
        assert_eq!(form.value("close", "answer"), "Mon texte\n<à garder>");
        assert_eq!(form.value("add_note", "note"), "");
        let html = partial_with("fr", vec!["close_refused", "add_note"], true, form.clone());
        assert!(
            html.contains("aria-invalid=\"true\">Mon texte\n&#60;à garder&#62;</textarea>"),
            "{html}"
        );
        assert!(html.contains(
            "<p class=\"error\" id=\"act-close-answer-error\">Le texte &#38; la réponse</p>"
        ));
        assert!(html.contains("aria-describedby=\"act-close-answer-hint act-close-answer-error\""));
        assert!(html.contains("<option value=\"art17_3\" selected>"));
        assert!(html.contains("<option value=\"c\" selected>c) "));
        assert!(html.contains("value=\"refused\" required checked>"));
        // The csrf field sent is not echoed: the page gives the session's.
        assert_eq!(html.matches("name=\"csrf\" value=\"tok\"").count(), 2);
        assert!(
            !html.contains("Conformément à l&#39;article 15"),
            "not the template"
        );

        // The form is gone (the request changed): the text is kept apart.
        form.place_typed(&["add_note"]);
        assert_eq!(form.kept, ["Mon texte\n<à garder>"]);
        assert!(form.errors.is_empty());
    }

    #[test]
    fn every_ground_code_has_an_option_and_the_letters_are_the_domains() {
        for code in GROUND_CODES {
            assert!(
                RefusalGround::from_parts(code, Some("a")).is_ok()
                    || RefusalGround::from_parts(code, None).is_ok(),
                "{code}"
            );
        }
        let html = partial_in("fr", vec!["close_refused"], true);
        for code in GROUND_CODES {
            assert!(
                html.contains(&format!("<option value=\"{code}\">")),
                "{code}"
            );
        }
        for letter in crate::domain::request::Art17_3Letter::ALL {
            assert!(html.contains(&format!("<option value=\"{}\">", letter.as_str())));
        }
    }
}
