//! `GET /desk/requests/{id}`: everything about one request (what the
//! citizen sent, dates, decision, messages and notes, identity proofs, the
//! audit timeline), and `GET /desk/requests/{id}/proofs/{proof_id}`: one
//! proof, decrypted, as an attachment.
//!
//! Both look the request up **within the account's scope**, in the query.
//! A request that exists but belongs to another controller gets the same
//! 404 page as an unknown id, and the attempt is recorded in the audit
//! trail (`desk.out_of_scope_access`: staff id, request id, no personal
//! data). Each proof download records `proof.viewed`.
//!
//! The actions themselves are another module's: this page exposes
//! `request_id`, `csrf`, `allowed`, `can_act`, `labels` and `t` for the
//! `desk/request_actions.html` partial, included in `<section id="actions">`.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use diesel::Connection;

use super::answers::AnswerTemplate;
use super::pages::{StaffBar, not_found};
use super::queue::{DueView, channel_label, due_view};
use super::queue_texts::{QueueTexts, event_label, human_size, queue_texts};
use super::texts::{Texts, texts};
use super::{blocking, chosen_locale};
use crate::audit::{self, Actor, NewEvent};
use crate::domain::request::RefusalGround;
use crate::domain::values::{Locale, Role};
use crate::i18n::{format_date, kind_label, outcome_label, refusal_ground_label, status_label};
use crate::security::proofs::{self, ProofType};
use crate::security::session::StaffSession;
use crate::store::controllers::{self, Controller};
use crate::store::messages::{Direction, Message};
use crate::store::proofs::{self as proof_store, ProofMeta};
use crate::store::queue::{self, TimelineEntry};
use crate::store::requests::Request;
use crate::web::AppState;
use crate::web::pages::html;

pub struct MessageView {
    pub heading: &'static str,
    pub internal: bool,
    pub from_citizen: bool,
    pub date: String,
    /// The staff member who wrote it, when one did.
    pub author: Option<String>,
    pub body: String,
}

pub struct ProofView {
    pub name: String,
    pub file_type: &'static str,
    pub size: String,
    pub date: String,
    pub url: String,
}

pub struct EventView {
    pub when: String,
    pub who: String,
    pub what: String,
}

/// The request page. For the actions partial (`desk/request_actions.html`):
/// [`request_id`](Self::request_id), [`csrf`](Self::csrf),
/// [`allowed`](Self::allowed), [`can_act`](Self::can_act),
/// [`labels`](Self::labels) and the texts [`t`](Self::t).
#[derive(Template)]
#[template(path = "desk/request.html")]
pub struct RequestPage {
    pub t: &'static Texts,
    pub q: &'static QueueTexts,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub bar: Option<StaffBar>,
    pub lang: &'static str,
    /// The request's id, for the action forms' URLs.
    pub request_id: String,
    /// The session's CSRF token, for every action form.
    pub csrf: String,
    /// `Action::as_str()` codes of `allowed_actions(request.state())`;
    /// empty when the account cannot act (viewer).
    pub allowed: Vec<&'static str>,
    /// False for a read-only account.
    pub can_act: bool,
    /// The request's version as shown: an action posted against an older
    /// one is refused (someone else acted meanwhile).
    pub version: i64,
    /// After an action, the page confirms it was recorded.
    pub action_notice: Option<&'static str>,
    /// The close form's answer, prefilled from the kind's template.
    pub answer: AnswerTemplate,
    /// The domain's names of actions, outcomes and art. 17(3) letters in
    /// the page's language, for the action forms.
    pub labels: super::actions::FormLabels,
    pub reference: String,
    pub controller_name: String,
    pub kind: String,
    pub article: &'static str,
    pub channel: String,
    pub status: String,
    pub anonymised: bool,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    /// Whether decisions and questions can reach the requester by e-mail
    /// (the actions partial says so when they cannot).
    pub can_mail: bool,
    pub postal_address: Option<String>,
    pub details: Option<String>,
    pub grounds: Option<String>,
    pub submitted: String,
    pub received: Option<String>,
    pub due: Option<String>,
    pub due_view: DueView,
    pub identity_accepted: Option<String>,
    pub extension: Option<String>,
    pub closed: Option<String>,
    pub outcome: Option<String>,
    pub refusal: Option<String>,
    pub legal_hold: Option<String>,
    pub messages: Vec<MessageView>,
    pub proofs: Vec<ProofView>,
    pub proofs_purged: Option<String>,
    pub events: Vec<EventView>,
    /// Acknowledgment by e-mail or letter, for a request received by post
    /// or e-mail (`desk/request_acknowledgment.html`).
    pub ack: Option<super::register::AckPanel>,
    /// Printable letters of the steps that mail the citizen.
    pub letters: Option<super::letters::LettersPanel>,
    /// The mails sent or to send to the requester, and whether one failed
    /// (`desk/request_mails.html`).
    pub mails: super::mails::MailsPanel,
}

fn date_time(at: NaiveDateTime, controller: &Controller, locale: Locale) -> String {
    use chrono::TimeZone;
    let local = controller.time_zone().from_utc_datetime(&at);
    format!(
        "{} {}",
        format_date(local.date_naive(), locale),
        local.format("%H:%M")
    )
}

/// The answer template's language asked for (`?answer_lang=en|fr`).
fn answer_lang_param(req: &HttpRequest) -> Option<Locale> {
    req.query_string()
        .split('&')
        .find_map(|pair| pair.strip_prefix("answer_lang="))
        .and_then(|l| l.parse().ok())
}

/// Whether the page was reached after an action (`?notice=<code>`).
fn notice_param(req: &HttpRequest) -> bool {
    req.query_string()
        .split('&')
        .any(|pair| pair.starts_with("notice="))
}

fn role_can_act(role: Role) -> bool {
    role != Role::Viewer
}

/// `can_act` and `allowed` of the page: the desk's actions the domain
/// table allows now (see `desk::actions::allowed_codes`), none for a
/// read-only account.
fn actions_for(role: Role, request: &crate::store::requests::Request) -> (bool, Vec<&'static str>) {
    let can_act = role_can_act(role);
    (can_act, super::actions::allowed_codes(request, can_act))
}

/// Records an attempt to reach another controller's request. Only for a
/// request that exists: an unknown id leaves nothing to record.
async fn out_of_scope(
    state: &AppState,
    session: &StaffSession,
    request_id: String,
    proof_id: Option<String>,
) -> Result<(), actix_web::Error> {
    let now = state.clock.now();
    let staff_id = session.staff.id.clone();
    blocking(state, move |conn| {
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            let Some(controller_id) = queue::controller_of(conn, &request_id)? else {
                return Ok(());
            };
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: Actor::Staff(staff_id),
                    action: "desk.out_of_scope_access",
                    controller_id: Some(&controller_id),
                    request_id: Some(&request_id),
                    detail: proof_id.map(|p| format!("proof={p}")).unwrap_or_default(),
                },
            )?;
            Ok(())
        })
    })
    .await
}

type Loaded = (
    Request,
    Controller,
    Vec<(Message, Option<String>)>,
    Vec<ProofMeta>,
    Vec<TimelineEntry>,
    Vec<crate::mail::outbox::OutboxRow>,
);

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<String>,
) -> Result<HttpResponse, actix_web::Error> {
    let locale = chosen_locale(&req);
    let t = texts(locale);
    let qt = queue_texts(locale);
    let id = path.into_inner();
    let in_scope = session.scope.clone();
    let lookup = id.clone();
    let loaded: Option<Loaded> = blocking(&state, move |conn| {
        let Some(request) = queue::find_in_scope(conn, &in_scope, &lookup)? else {
            return Ok(None);
        };
        let controller = controllers::find_by_id(conn, &request.controller_id)?;
        let messages = queue::messages_with_authors(conn, &request.id)?;
        let proofs = proof_store::list_for_request(conn, &request.id)?;
        let timeline = queue::timeline(conn, &request.id)?;
        let mails = crate::mail::outbox::list_for_request(conn, &request.id)?;
        Ok(Some((
            request, controller, messages, proofs, timeline, mails,
        )))
    })
    .await?;
    let Some((r, controller, msgs, proof_rows, timeline, mail_rows)) = loaded else {
        out_of_scope(&state, &session, id, None).await?;
        return Ok(not_found(Some(&session), locale));
    };

    let now = state.clock.now();
    let today = controller.local_date(now);
    let (can_act, allowed) = actions_for(session.role(), &r);
    let status = r.status();
    let dt = |at: NaiveDateTime| date_time(at, &controller, locale);
    let reference = r
        .reference
        .clone()
        .unwrap_or_else(|| qt.no_reference.to_owned());
    let plain: Vec<Message> = msgs.iter().map(|(m, _)| m.clone()).collect();
    let letters = super::letters::panel(&r, &controller, &plain, locale);
    let messages = msgs
        .into_iter()
        .map(|(m, author)| {
            let direction = match m.direction.as_str() {
                "to_citizen" => Direction::ToCitizen,
                "from_citizen" => Direction::FromCitizen,
                _ => Direction::InternalNote,
            };
            MessageView {
                heading: match direction {
                    Direction::ToCitizen => qt.msg_to_citizen,
                    Direction::FromCitizen => qt.msg_from_citizen,
                    Direction::InternalNote => qt.msg_internal,
                },
                internal: direction == Direction::InternalNote,
                from_citizen: direction == Direction::FromCitizen,
                date: dt(m.created_at),
                author,
                body: m.body,
            }
        })
        .collect();
    let proofs = proof_rows
        .into_iter()
        .map(|p| ProofView {
            file_type: match p.proof_type() {
                Some(ProofType::Pdf) => "PDF",
                Some(ProofType::Jpeg) => "JPEG",
                Some(ProofType::Png) => "PNG",
                None => "?",
            },
            size: human_size(p.size_bytes, locale),
            date: dt(p.created_at),
            url: format!("/desk/requests/{}/proofs/{}", r.id, p.id),
            name: p.display_name,
        })
        .collect();
    let events = timeline
        .into_iter()
        .map(|e| EventView {
            when: dt(e.occurred_at),
            who: match e.actor_kind.as_str() {
                "citizen" => qt.who_citizen.to_owned(),
                "staff" => e.staff_email.unwrap_or_else(|| qt.who_staff.to_owned()),
                _ => qt.who_system.to_owned(),
            },
            what: event_label(&e.action, locale),
        })
        .collect();
    let outcome = r.outcome.map(|o| outcome_label(o, locale));
    let refusal = r.refusal_ground.as_deref().map(|code| {
        RefusalGround::from_parts(code, r.refusal_detail.as_deref())
            .map(|g| refusal_ground_label(&g, locale))
            .unwrap_or_else(|_| code.to_owned())
    });
    let extension = (r.extension_months > 0).then(|| {
        let unit = if r.extension_months == 1 {
            qt.month
        } else {
            qt.months
        };
        let mut text = format!("{} {unit}", r.extension_months);
        if let Some(reason) = &r.extension_reason {
            text.push_str(" — ");
            text.push_str(reason);
        }
        if let Some(at) = r.extended_at {
            text.push_str(&format!(" ({})", dt(at)));
        }
        text
    });
    let legal_hold = r.legal_hold.then(|| {
        let mut text = qt.yes.to_owned();
        if let Some(reason) = &r.legal_hold_reason {
            text.push_str(" — ");
            text.push_str(reason);
        }
        if let Some(at) = r.legal_hold_at {
            text.push_str(&format!(" ({})", dt(at)));
        }
        text
    });
    let path = format!("/desk/requests/{}", r.id);
    // The citizen's language unless the DPO picked the other template.
    let answer_locale = answer_lang_param(&req).unwrap_or(r.locale());
    let answer = AnswerTemplate::new(r.kind(), answer_locale, &controller.name, &path, t);
    let page = RequestPage {
        t,
        q: qt,
        page_title: format!("{} {reference} — {}", qt.request_title, t.header),
        header_name: t.header.to_owned(),
        lang_switch_url: Some(format!("{path}?lang={}", t.other_lang)),
        bar: Some(StaffBar::new(&session, locale)),
        lang: t.lang,
        request_id: r.id.clone(),
        csrf: session.csrf_token.clone(),
        allowed,
        can_act,
        version: r.version,
        action_notice: super::register::notice(&req, locale)
            .or(super::mails::notice(&req, locale))
            .or(notice_param(&req).then_some(t.act_recorded)),
        answer,
        labels: super::actions::FormLabels::new(locale),
        reference,
        controller_name: controller.name.clone(),
        kind: kind_label(r.kind(), locale),
        article: r.kind().article(),
        channel: channel_label(r.channel(), locale),
        status: status_label(status, locale),
        anonymised: r.anonymised_at.is_some(),
        first_name: r.first_name.clone(),
        last_name: r.last_name.clone(),
        email: r.email.clone(),
        can_mail: r.email.is_some(),
        postal_address: r.postal_address.clone(),
        details: r.details.clone(),
        grounds: r.objection_grounds.clone(),
        submitted: dt(r.submitted_at),
        received: r.received_at.map(dt),
        due: r.due_on.map(|d| format_date(d, locale)),
        due_view: due_view(r.due_on, status, today, qt),
        identity_accepted: r.identity_accepted_at.map(dt),
        extension,
        closed: r.closed_at.map(dt),
        outcome,
        refusal,
        legal_hold,
        messages,
        proofs,
        proofs_purged: r.proofs_purged_at.map(dt),
        events,
        ack: super::register::ack_panel(&r, can_act, locale),
        letters,
        mails: super::mails::MailsPanel::new(mail_rows, can_act, locale, dt),
    };
    Ok(html(StatusCode::OK, &page))
}

/// `filename*` per RFC 6266 / RFC 5987: UTF-8, percent-encoded outside
/// `attr-char`.
pub fn content_disposition(display_name: &str) -> String {
    let mut encoded = String::new();
    for b in display_name.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#' | b'$' | b'&' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
            )
        {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    // An ASCII fallback for old clients: the sanitised name has no quote,
    // backslash or control character; other characters become `_`.
    let fallback: String = display_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .filter(|c| *c != '"' && *c != '\\')
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

enum Download {
    NotInScope,
    /// The proof exists, under a request outside the scope (its id).
    OtherScope(String),
    NoProof,
    File(ProofMeta, Vec<u8>),
}

pub async fn download(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, actix_web::Error> {
    let locale = chosen_locale(&req);
    let (request_id, proof_id) = path.into_inner();
    let in_scope = session.scope.clone();
    let now = state.clock.now();
    let staff_id = session.staff.id.clone();
    let master = state.master_key.clone();
    let (rid, pid) = (request_id.clone(), proof_id.clone());
    let found = blocking(&state, move |conn| {
        let Some(request) = queue::find_in_scope(conn, &in_scope, &rid)? else {
            return Ok(Download::NotInScope);
        };
        let Some((meta, sealed)) = proof_store::load_sealed(conn, &pid, &request.id)? else {
            // A proof of another controller's request, named under one of
            // ours: nothing is served, and the attempt is recorded.
            let owner = queue::request_of_proof(conn, &pid)?;
            return Ok(match owner {
                Some(owner) if queue::find_in_scope(conn, &in_scope, &owner)?.is_none() => {
                    Download::OtherScope(owner)
                }
                _ => Download::NoProof,
            });
        };
        let bytes = proofs::open(
            std::slice::from_ref(&*master),
            &request.id,
            &meta.id,
            &sealed,
        )?;
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: Actor::Staff(staff_id),
                    action: "proof.viewed",
                    controller_id: Some(&request.controller_id),
                    request_id: Some(&request.id),
                    detail: format!("proof={}", meta.id),
                },
            )?;
            Ok(())
        })?;
        Ok(Download::File(meta, bytes))
    })
    .await?;
    match found {
        Download::NotInScope => {
            out_of_scope(&state, &session, request_id, Some(proof_id)).await?;
            Ok(not_found(Some(&session), locale))
        }
        Download::OtherScope(owner) => {
            out_of_scope(&state, &session, owner, Some(proof_id)).await?;
            Ok(not_found(Some(&session), locale))
        }
        Download::NoProof => Ok(not_found(Some(&session), locale)),
        Download::File(meta, bytes) => {
            // The type sniffed from the bytes themselves, as at upload.
            let content_type = proofs::sniff(&bytes)
                .map(ProofType::content_type)
                .unwrap_or("application/octet-stream");
            Ok(HttpResponse::Ok()
                .insert_header((header::CONTENT_TYPE, content_type))
                .insert_header((
                    header::CONTENT_DISPOSITION,
                    content_disposition(&meta.display_name),
                ))
                .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .body(bytes))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_names_follow_rfc_6266() {
        assert_eq!(
            content_disposition("carte d'identité.pdf"),
            "attachment; filename=\"carte d'identit_.pdf\"; \
             filename*=UTF-8''carte%20d%27identit%C3%A9.pdf"
        );
        assert!(!role_can_act(Role::Viewer));
        assert!(role_can_act(Role::Dpo));
    }
}
