//! The acknowledgment of a request received by post or e-mail, from the
//! request page: sent by e-mail through the outbox, or printed as a letter.
//!
//! | route | who | what |
//! |---|---|---|
//! | `POST /desk/requests/{id}/acknowledge` | dpo, admin in scope | acknowledgment by e-mail, through the outbox |
//! | `GET /desk/requests/{id}/letter` | staff in scope | the acknowledgment letter, print-friendly |
//!
//! The e-mail has no status link: the request has no status token (only
//! hashes are stored), so it tells the requester how to reach the DPO
//! instead. Sending it twice is allowed; each sending is an audit event and
//! shows in the timeline. A refused acknowledgment (403, 409) says why on a
//! page that leads back to the request. The letter is in the requester's
//! language.

use super::super::pages::{StaffBar, not_found_error};
use super::super::{Fields, blocking};
use crate::audit::{self, Actor, NewEvent};
use crate::domain::ids::RequestId;
use crate::domain::request::Channel;
use crate::i18n::Tr;
use crate::mail::{self, OutgoingMail, RegisteredAcknowledgmentMail};
use crate::security::session::StaffSession;
use crate::store::actions as rows;
use crate::store::controllers::{self};
use crate::store::queue;
use crate::store::requests::Request;
use crate::web::pages::{html, see_other};
use crate::web::{AppState, PageError, PageLang, PageResult};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;
use diesel::Connection;

/// The audit event of an acknowledgment sent by e-mail.
pub const ACKNOWLEDGED_EVENT: &str = "request.acknowledged";
/// The audit event of a display of the acknowledgment letter.
pub const LETTER_VIEWED_EVENT: &str = "request.acknowledgment_letter_viewed";

/// The acknowledgment panel of the request page
/// (`desk/request_acknowledgment.html`), in the page's language.
pub struct AckPanel {
    pub t: Tr,
    pub send_url: Option<String>,
    pub letter_url: String,
}

/// The panel for a request received by post or e-mail and not anonymised,
/// in the request page's language `t`; the e-mail button only for an
/// account that may act on an open request with a known address.
pub fn ack_panel(request: &Request, can_act: bool, t: Tr) -> Option<AckPanel> {
    if request.channel() == Channel::Web
        || request.anonymised_at.is_some()
        || request.reference.is_none()
    {
        return None;
    }
    let lang = t.query_lang();
    Some(AckPanel {
        t,
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
pub fn notice(req: &HttpRequest, t: Tr) -> Option<String> {
    req.query_string().split('&').find_map(|pair| match pair {
        "notice=registered" => Some(t.register_registered()),
        "notice=already_registered" => Some(t.register_already_registered()),
        "notice=acknowledged" => Some(t.register_ack_sent()),
        _ => None,
    })
}

enum Acked {
    Sent,
    NotFound,
    Forbidden,
    NotPossible,
}

/// Why an acknowledgment was not sent, with the way back to the request
/// (the button lives on the request page).
#[derive(Template)]
#[template(path = "desk/message.html")]
struct AckRefusedPage {
    t: Tr,
    page_title: String,
    header_name: String,
    lang_switch_url: Option<String>,
    bar: Option<StaffBar>,
    heading: String,
    paragraphs: Vec<String>,
    link: Option<(String, String)>,
}

fn ack_refused(
    session: &StaffSession,
    t: Tr,
    request_id: &RequestId,
    why: String,
) -> AckRefusedPage {
    AckRefusedPage {
        t,
        page_title: t.register_ack_refused_page_title(),
        header_name: t.desk_header(),
        lang_switch_url: None,
        bar: Some(StaffBar::of(session, t)),
        heading: t.register_ack_title(),
        paragraphs: vec![why],
        link: Some((
            format!("/desk/requests/{request_id}?lang={}", t.query_lang()),
            t.register_ack_back(),
        )),
    }
}

pub async fn acknowledge(
    lang: PageLang,
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<RequestId>,
    form: web::Form<Vec<(String, String)>>,
) -> PageResult {
    let fields = Fields::from(form);
    let t = lang.0;
    if let Some(refused) = super::super::register::refuse_role(&session, t) {
        return Err(refused);
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
                super::audit_out_of_scope(
                    conn,
                    &staff_id,
                    &rid,
                    super::OUT_OF_SCOPE_EVENT,
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
    Ok(match done {
        Acked::Sent => {
            mail::wake_worker();
            see_other(&format!(
                "/desk/requests/{id}?notice=acknowledged&lang={}",
                t.query_lang()
            ))
        }
        Acked::NotFound => return Err(not_found_error(Some(&session), t)),
        Acked::Forbidden => {
            let page = ack_refused(&session, t, &id, t.register_ack_csrf());
            return Err(PageError::page(StatusCode::FORBIDDEN, &page));
        }
        Acked::NotPossible => {
            let page = ack_refused(&session, t, &id, t.register_ack_not_possible());
            return Err(PageError::page(StatusCode::CONFLICT, &page));
        }
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
    /// The right exercised, with its article: "Droit d'accès (article 15
    /// du RGPD)".
    pub kind: String,
    pub received: String,
    pub due: String,
}

pub async fn letter(
    lang: PageLang,
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<RequestId>,
) -> PageResult {
    let PageLang(staff) = lang;
    let id = path.into_inner();
    let in_scope = session.scope.clone();
    let staff_id = session.staff.id.clone();
    let now = state.clock.now();
    let rid = id.clone();
    let found = blocking(&state, move |conn| {
        let Some(request) = queue::find_in_scope(conn, &in_scope, &rid)? else {
            conn.transaction::<_, anyhow::Error, _>(|conn| {
                super::audit_out_of_scope(
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
        return Err(not_found_error(Some(&session), staff));
    };
    // The requester's language, as the letter goes to them.
    let t = staff.written_to(request.locale());
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
            staff,
            t.letter_ack_subject(&reference),
        ),
        reference,
        kind: t.with_gdpr_article(t.kind(request.kind()), request.kind().article()),
        received: t.date(controller.local_date(request.received_at.unwrap_or(now))),
        due: request.due_on.map(|d| t.date(d)).unwrap_or_default(),
    };
    Ok(html(StatusCode::OK, &page))
}
