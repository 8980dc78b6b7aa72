//! `POST /desk/requests/{id}/actions/{action}`: the DPO's actions on a
//! request, each a transition of the domain table
//! ([`crate::domain::request::apply`]).
//!
//! Order of the checks, each answering before anything is written:
//! 1. the account's role may act (a viewer gets a 403 page);
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
//! Every refusal page is in the language of the form's `?lang=` (the
//! request page puts its own in each form's URL), its sentences in
//! [`super::texts`] and the domain errors' `message(locale)`.
//!
//! Then one transaction: `UPDATE requests … WHERE id = ? AND version = ?`
//! (0 rows → 409, the concurrent change won), the action's writes, the
//! citizen's e-mail in the outbox when there is one, and an audit event
//! (codes and numbers only). The answer is a 303 to the request page with a
//! `notice` naming the action.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDateTime;
use diesel::Connection;

use super::pages::{MessagePage, StaffBar, forbidden, not_found};
use super::texts::{Texts, texts};
use super::{Fields, blocking, chosen_locale};
use crate::audit::{self, Actor, NewEvent};
use crate::db::DbConn;
use crate::domain::deadline::{self, Suspension};
use crate::domain::request::{
    Action, Art17_3Letter, Outcome, RefusalGround, RequestKind, RequestState, allowed_actions,
    apply,
};
use crate::domain::values::Locale;
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
use crate::web::AppState;
use crate::web::pages::html;
use crate::web::pages::see_other;

/// The audit event of an action attempted on a request outside the
/// account's scope (answered 404).
pub const OUT_OF_SCOPE_EVENT: &str = "desk.request_out_of_scope";

/// Longest text accepted in a message, an answer, a note or a reason.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// The actions a staff member performs from the request page (the others
/// belong to the citizen or to the retention job).
pub const DESK_ACTIONS: [Action; 11] = [
    Action::AcceptIdentity,
    Action::RequestInformation,
    Action::ResumeClock,
    Action::Extend,
    Action::Close(Outcome::Granted),
    Action::Close(Outcome::PartiallyGranted),
    Action::Close(Outcome::Refused),
    Action::AddNote,
    Action::NotifyRecipients,
    Action::PlaceLegalHold,
    Action::LiftLegalHold,
];

/// The action codes the request page offers now (`allowed` of the
/// `desk/request_actions.html` partial): the desk's actions that
/// [`allowed_actions`] accepts, without art. 19 for kinds it does not
/// concern; empty for an account that cannot act.
pub fn allowed_codes(request: &Request, can_act: bool) -> Vec<&'static str> {
    if !can_act {
        return Vec::new();
    }
    let kind = request.kind();
    allowed_actions(request.state())
        .into_iter()
        .filter(|a| DESK_ACTIONS.contains(a))
        .filter(|a| *a != Action::NotifyRecipients || kind.notifies_recipients())
        .map(Action::as_str)
        .collect()
}

/// The words of the action forms that the domain already names, in the
/// page's language: headings and buttons named after their action, the
/// close form's outcomes and the art. 17(3) letters. Taken from the
/// domain's labels so that the form, the timeline and the decision mail
/// call a thing by the same name; every other sentence of the forms is in
/// [`super::texts`].
pub struct FormLabels {
    pub accept_identity: String,
    pub request_information: String,
    pub resume_clock: String,
    pub extend: String,
    pub place_legal_hold: String,
    pub lift_legal_hold: String,
    pub granted: String,
    pub partially_granted: String,
    pub refused: String,
    /// `(letter, "a) label")` for the art. 17(3) select.
    pub letters: Vec<(&'static str, String)>,
}

impl FormLabels {
    pub fn new(locale: Locale) -> FormLabels {
        let tr = crate::i18n::Tr::new(locale);
        let action = |a: Action| tr.action(a);
        let outcome = |o: Outcome| tr.outcome(o);
        FormLabels {
            accept_identity: action(Action::AcceptIdentity),
            request_information: action(Action::RequestInformation),
            resume_clock: action(Action::ResumeClock),
            extend: action(Action::Extend),
            place_legal_hold: action(Action::PlaceLegalHold),
            lift_legal_hold: action(Action::LiftLegalHold),
            granted: outcome(Outcome::Granted),
            partially_granted: outcome(Outcome::PartiallyGranted),
            refused: outcome(Outcome::Refused),
            letters: Art17_3Letter::ALL
                .iter()
                .map(|l| {
                    let label = tr.art17_3_letter(l.as_str());
                    (l.as_str(), format!("{}) {label}", l.as_str()))
                })
                .collect(),
        }
    }
}

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

/// What the transaction did.
enum Done {
    Ok,
    NotFound,
    Forbidden,
    Stale,
    NotAllowed(String),
    Invalid(String),
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

fn required(fields: &Fields, name: &str, what: &str, t: &Texts) -> Result<String, String> {
    let value = text(fields, name).ok_or_else(|| t.act_required.replace("{what}", what))?;
    if value.chars().count() > MAX_TEXT_CHARS {
        return Err(t
            .act_too_long
            .replace("{what}", what)
            .replace("{max}", &MAX_TEXT_CHARS.to_string()));
    }
    Ok(value)
}

/// The fields each action needs, checked against the request's kind and
/// stored facts (422 on refusal).
fn validate(
    conn: &mut DbConn,
    action: Action,
    fields: &Fields,
    request: &Request,
    controller: &Controller,
    now: NaiveDateTime,
    locale: Locale,
) -> anyhow::Result<Result<Payload, String>> {
    let kind = request.kind();
    let t = texts(locale);
    Ok(match action {
        Action::RequestInformation => {
            required(fields, "message", t.act_field_message, t).map(Payload::Text)
        }
        Action::AddNote => required(fields, "note", t.act_field_note, t).map(Payload::Text),
        Action::PlaceLegalHold => {
            required(fields, "reason", t.act_field_hold_reason, t).map(Payload::Text)
        }
        Action::NotifyRecipients => {
            if !kind.notifies_recipients() {
                Err(t.act_art19_kinds.to_owned())
            } else {
                required(fields, "recipients", t.act_field_recipients, t).map(Payload::Text)
            }
        }
        Action::Extend => {
            let months = match fields.get("months").map(str::trim) {
                Some("1") => 1,
                Some("2") => 2,
                _ => return Ok(Err(t.act_extend_months.to_owned())),
            };
            let reason = match required(fields, "reason", t.act_field_extend_reason, t) {
                Ok(r) => r,
                Err(e) => return Ok(Err(e)),
            };
            let Some(received_at) = request.received_at else {
                return Ok(Err(t.act_extend_no_receipt.to_owned()));
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
                Err(e) => Err(e.message(locale)),
            }
        }
        Action::Close(outcome) => {
            let answer = match required(fields, "answer", t.act_field_answer, t) {
                Ok(a) => a,
                Err(e) => return Ok(Err(e)),
            };
            if super::answers::has_placeholder(&answer) {
                return Ok(Err(t.act_answer_placeholder.to_owned()));
            }
            let code = text(fields, "refusal_ground");
            // The form has a letter select for art. 17(3) and a text area
            // for "other"; a client may also send the letter as the detail.
            let letter = text(fields, "refusal_letter");
            let ground = match code {
                None if outcome.requires_grounds() => {
                    return Ok(Err(t.act_close_needs_ground.to_owned()));
                }
                None => None,
                Some(code) => {
                    let detail = match (code.as_str(), letter) {
                        ("art17_3", Some(letter)) => Some(letter),
                        _ => text(fields, "refusal_detail"),
                    };
                    match RefusalGround::from_parts(&code, detail.as_deref()) {
                        Ok(g) if g.applies_to(kind) => Some(g),
                        Ok(_) => {
                            return Ok(Err(t
                                .act_ground_not_for_kind
                                .replace("{kind}", &crate::i18n::kind_label(kind, locale))));
                        }
                        Err(e) => return Ok(Err(e.message(locale))),
                    }
                }
            };
            Ok(Payload::Close { answer, ground })
        }
        _ => Ok(Payload::None),
    })
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
    request_id: String,
    code: String,
    csrf_ok: bool,
    version: Option<i64>,
    fields: Fields,
    scope: Scope,
    staff_id: String,
    public_url: String,
    suppression_key: suppression::KeyCache,
    now: NaiveDateTime,
    /// The language of the refusal sentences.
    locale: Locale,
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
        if !input.csrf_ok {
            return Ok((Done::Forbidden, false));
        }
        let Some(action) = parse_action(&input.code, &input.fields) else {
            return Ok((Done::NotFound, false));
        };
        let Some(version) = input.version else {
            return Ok((
                Done::Invalid(texts(input.locale).act_incomplete.to_owned()),
                false,
            ));
        };
        if version != request.version {
            return Ok((Done::Stale, false));
        }
        let next: RequestState = match apply(request.state(), action) {
            Ok(next) => next,
            Err(e) => {
                return Ok((
                    Done::NotAllowed(crate::i18n::Tr::new(input.locale).transition_error(&e)),
                    false,
                ));
            }
        };
        let controller = controllers::find_by_id(conn, &request.controller_id)?;
        let now = input.now;
        let payload = match validate(
            conn,
            action,
            &input.fields,
            &request,
            &controller,
            now,
            input.locale,
        )? {
            Ok(p) => p,
            Err(message) => return Ok((Done::Invalid(message), false)),
        };
        if !crate::store::requests::transition(conn, &request.id, version, next, now)? {
            return Ok((Done::Stale, false));
        }
        let staff_id = input.staff_id.as_str();
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

/// The free-text fields of the forms, in the order they are shown back.
const TYPED_FIELDS: [&str; 6] = [
    "message",
    "answer",
    "refusal_detail",
    "reason",
    "note",
    "recipients",
];

/// `url` in `locale`: French is the desk's default and needs no parameter.
fn with_lang(url: &str, locale: Locale) -> String {
    match locale {
        Locale::Fr => url.to_owned(),
        Locale::En if url.contains('?') => format!("{url}&lang=en"),
        Locale::En => format!("{url}?lang=en"),
    }
}

/// A refusal page: what happened, what was typed (to copy it back), and a
/// link to the request, in `locale`.
fn refusal(
    status: StatusCode,
    session: &StaffSession,
    locale: Locale,
    back: &str,
    heading: &str,
    why: &str,
    typed: &[String],
) -> HttpResponse {
    let t = texts(locale);
    let mut paragraphs = vec![why.to_owned()];
    if !typed.is_empty() {
        paragraphs.push(t.act_typed_intro.to_owned());
        paragraphs.extend(typed.iter().cloned());
    }
    let page = MessagePage {
        t: crate::i18n::Tr::new(locale),
        page_title: format!("{heading} — {}", t.header),
        header_name: t.header.to_owned(),
        lang_switch_url: None,
        bar: Some(StaffBar::new(session, locale)),
        heading: heading.to_owned(),
        paragraphs,
        link: Some((with_lang(back, locale), t.act_back.to_owned())),
    };
    html(status, &page)
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<(String, String)>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, actix_web::Error> {
    let fields = Fields::from(form);
    let locale = chosen_locale(&req);
    let t = texts(locale);
    if !session.role().can_act() {
        return Ok(forbidden(&session, locale, t.act_viewer_forbidden));
    }
    let (request_id, code) = path.into_inner();
    // What the staff member typed, shown again on a refusal so that a long
    // answer is not lost.
    let typed: Vec<String> = TYPED_FIELDS
        .iter()
        .filter_map(|name| text(&fields, name))
        .collect();
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
        locale,
    };
    let notice = parse_action(&code, &input.fields)
        .map(Action::as_str)
        .unwrap_or_default();
    let (done, mailed) = blocking(&state, move |conn| run(conn, input)).await?;
    if mailed {
        mail::wake_worker();
    }
    let back = format!("/desk/requests/{request_id}");
    let refused = |status: StatusCode, heading: &str, why: &str| {
        refusal(status, &session, locale, &back, heading, why, &typed)
    };
    Ok(match done {
        Done::Ok => see_other(&with_lang(&format!("{back}?notice={notice}"), locale)),
        Done::NotFound => not_found(Some(&session), locale),
        Done::Forbidden => refused(
            StatusCode::FORBIDDEN,
            t.act_expired_title,
            t.act_expired_body,
        ),
        Done::Stale => refused(StatusCode::CONFLICT, t.act_stale_title, t.act_stale_body),
        Done::NotAllowed(why) => refused(
            StatusCode::CONFLICT,
            t.act_not_allowed_title,
            &format!("{why} {}", t.act_nothing_changed),
        ),
        Done::Invalid(why) => refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            t.act_invalid_title,
            &format!("{why} {}", t.act_nothing_changed),
        ),
    })
}

#[cfg(test)]
mod tests {
    use askama::Template;

    use super::*;

    /// The fields the request page provides to the partial.
    #[derive(Template)]
    #[template(path = "desk/request_actions.html")]
    struct ActionsPartial {
        request_id: String,
        lang: &'static str,
        csrf: String,
        version: i64,
        allowed: Vec<&'static str>,
        can_act: bool,
        answer: crate::desk::answers::AnswerTemplate,
        t: &'static Texts,
        labels: FormLabels,
        can_mail: bool,
    }

    fn partial(allowed: Vec<&'static str>, can_act: bool) -> String {
        partial_in("en", allowed, can_act)
    }

    fn partial_in(lang: &'static str, allowed: Vec<&'static str>, can_act: bool) -> String {
        let locale: Locale = lang.parse().unwrap();
        ActionsPartial {
            request_id: "r-1".into(),
            lang,
            csrf: "tok".into(),
            version: 7,
            allowed,
            can_act,
            answer: crate::desk::answers::AnswerTemplate::new(
                RequestKind::Access,
                Locale::Fr,
                "Ville de Vanves",
                "/desk/requests/r-1",
                texts(Locale::Fr),
            ),
            t: texts(locale),
            labels: FormLabels::new(locale),
            can_mail: true,
        }
        .render()
        .unwrap()
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
        let f = |pairs: &[(&str, &str)]| {
            Fields(
                pairs
                    .iter()
                    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                    .collect(),
            )
        };
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
}
