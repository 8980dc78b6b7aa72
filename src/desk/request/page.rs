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
//! The page is built in two steps, so that a refused action can show it
//! again: [`load`] reads the request and all it shows, [`build`] turns that
//! into the page with an action form as sent ([`ActionForm`], empty on a
//! plain visit). The actions themselves are `desk::actions`'; the
//! `desk/request_actions.html` partial, included in `<section
//! id="actions">`, reads `request_id`, `csrf`, `version`, `allowed`,
//! `can_act`, `can_mail`, `answer`, `form` and `t`.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::Connection;

use super::super::blocking;
use super::super::pages::{StaffBar, not_found_error};
use super::super::queue::DueState;
use super::answers::AnswerTemplate;
use super::form::ActionForm;
use crate::audit::{self, Actor, NewEvent};
use crate::domain::ids::{ProofId, RequestId};
use crate::domain::request::{Action, RefusalGround};
use crate::domain::values::{Locale, Role};
use crate::i18n::Tr;
use crate::security::proofs::{self, ProofType};
use crate::security::session::StaffSession;
use crate::store::controllers::{self, Controller};
use crate::store::messages::{Direction, Message};
use crate::store::proofs::{self as proof_store, ProofMeta};
use crate::store::queue::{self, TimelineEntry};
use crate::store::requests::Request;
use crate::web::pages::html;
use crate::web::{AppState, PageLang, PageResult};

pub struct MessageView {
    pub heading: String,
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

/// How far the due date is, beside it: a CSS class for the colour, the
/// word that says the same (emphasised), and the days.
pub struct DueNote {
    pub class: &'static str,
    pub marker: Option<String>,
    pub text: String,
}

/// A fact with an optional reason and date: "2 mois — motif (date)".
pub struct Dated {
    pub value: String,
    pub reason: Option<String>,
    pub at: Option<String>,
}

/// The request page. For the actions partial (`desk/request_actions.html`):
/// [`request_id`](Self::request_id), [`csrf`](Self::csrf),
/// [`version`](Self::version), [`allowed`](Self::allowed),
/// [`can_act`](Self::can_act), [`can_mail`](Self::can_mail),
/// [`answer`](Self::answer), [`form`](Self::form) and the language
/// [`t`](Self::t).
#[derive(Template)]
#[template(path = "desk/request.html")]
pub struct RequestPage {
    pub t: Tr,
    pub page_title: String,
    pub header_name: String,
    pub lang_switch_url: Option<String>,
    pub bar: Option<StaffBar>,
    /// The request's id, for the action forms' URLs.
    pub request_id: RequestId,
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
    pub action_notice: Option<String>,
    /// The close form's answer, prefilled from the kind's template.
    pub answer: AnswerTemplate,
    /// The action form sent, when it was refused: filled again, with the
    /// messages beside its fields and summed up at the top.
    pub form: ActionForm,
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
    pub due_note: Option<DueNote>,
    pub identity_accepted: Option<String>,
    pub extension: Option<Dated>,
    pub closed: Option<String>,
    pub outcome: Option<String>,
    pub refusal: Option<String>,
    pub legal_hold: Option<Dated>,
    pub messages: Vec<MessageView>,
    pub proofs: Vec<ProofView>,
    pub proofs_purged: Option<String>,
    pub events: Vec<EventView>,
    /// Acknowledgment by e-mail or letter, for a request received by post
    /// or e-mail (`desk/request_acknowledgment.html`).
    pub ack: Option<super::acknowledgment::AckPanel>,
    /// Printable letters of the steps that mail the citizen.
    pub letters: Option<super::letters::LettersPanel>,
    /// The mails sent or to send to the requester, and whether one failed
    /// (`desk/request_mails.html`).
    pub mails: super::mails::MailsPanel,
}

/// A UTC time in the controller's zone: the date in full and the time.
fn date_time(at: NaiveDateTime, controller: &Controller, t: Tr) -> String {
    use chrono::TimeZone;
    let local = controller.time_zone().from_utc_datetime(&at);
    t.request_page_date_time(local.date_naive(), local.format("%H:%M").to_string())
}

/// A readable label for an audit action code; the code itself when there
/// is none (new codes still show, just less nicely).
pub fn event_label(action: &str, t: Tr) -> String {
    // `request.accept_identity` and the like: the domain's name of the
    // action, as on its button.
    let code = action.rsplit('.').next().unwrap_or(action);
    if let Ok(a) = code.parse::<Action>() {
        return t.action(a);
    }
    t.request_page_event(action.replace('.', "-"), action)
}

/// A file size as people read it.
pub fn human_size(bytes: i64, t: Tr) -> String {
    if bytes < 1024 {
        t.request_page_size_bytes(bytes)
    } else if bytes < 1024 * 1024 {
        t.request_page_size_kb((bytes + 512) / 1024)
    } else {
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
        t.request_page_size_mb(tenths / 10, tenths % 10)
    }
}

/// How far the due date is, in words, for the page's dates section.
fn due_note(
    due_on: Option<NaiveDate>,
    status: crate::domain::request::Status,
    today: NaiveDate,
    t: Tr,
) -> Option<DueNote> {
    let state = DueState::of(due_on, status, today)?;
    let class = state.class();
    Some(match state {
        DueState::Suspended(left) => DueNote {
            class,
            marker: Some(t.request_page_due_suspended()),
            text: days_text(left, t),
        },
        DueState::Running(left) if left < 0 => DueNote {
            class,
            marker: Some(t.request_page_due_overdue(-left)),
            text: String::new(),
        },
        DueState::Running(left) => DueNote {
            class,
            marker: (!class.is_empty()).then(|| t.request_page_due_soon()),
            text: t.request_page_due_left(left),
        },
    })
}

fn days_text(left: i64, t: Tr) -> String {
    if left < 0 {
        t.request_page_due_overdue(-left)
    } else {
        t.request_page_due_left(left)
    }
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
fn actions_for(role: Role, request: &Request) -> (bool, Vec<&'static str>) {
    let can_act = role_can_act(role);
    (can_act, super::form::allowed_codes(request, can_act))
}

/// Records an attempt to reach another controller's request. Only for a
/// request that exists: an unknown id leaves nothing to record.
async fn out_of_scope(
    state: &AppState,
    session: &StaffSession,
    request_id: RequestId,
    proof_id: Option<ProofId>,
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

/// A request within the account's scope and everything its page shows.
pub struct Loaded {
    request: Request,
    controller: Controller,
    messages: Vec<(Message, Option<String>)>,
    proofs: Vec<ProofMeta>,
    timeline: Vec<TimelineEntry>,
    mails: Vec<crate::mail::outbox::OutboxRow>,
}

/// Reads request `id` **within the session's scope** and what its page
/// shows; `None` when it is unknown or outside the scope.
pub async fn load(
    state: &AppState,
    session: &StaffSession,
    id: &RequestId,
) -> Result<Option<Loaded>, actix_web::Error> {
    let in_scope = session.scope.clone();
    let lookup = id.clone();
    blocking(state, move |conn| {
        let Some(request) = queue::find_in_scope(conn, &in_scope, &lookup)? else {
            return Ok(None);
        };
        let controller = controllers::find_by_id(conn, &request.controller_id)?;
        let messages = queue::messages_with_authors(conn, &request.id)?;
        let proofs = proof_store::list_for_request(conn, &request.id)?;
        let timeline = queue::timeline(conn, &request.id)?;
        let mails = crate::mail::outbox::list_for_request(conn, &request.id)?;
        Ok(Some(Loaded {
            request,
            controller,
            messages,
            proofs,
            timeline,
            mails,
        }))
    })
    .await
}

/// The history's line of an audit event.
fn event_view(e: &TimelineEntry, controller: &Controller, t: Tr) -> EventView {
    EventView {
        when: date_time(e.occurred_at, controller, t),
        who: match e.actor_kind.as_str() {
            "citizen" => t.request_page_who_citizen(),
            "staff" => e
                .staff_email
                .clone()
                .unwrap_or_else(|| t.request_page_who_staff()),
            _ => t.request_page_who_system(),
        },
        what: event_label(&e.action, t),
    }
}

/// The most recent event of the request's history: what changed it last
/// (shown when an action was sent against an older version).
pub fn last_event(loaded: &Loaded, t: Tr) -> Option<EventView> {
    loaded
        .timeline
        .last()
        .map(|e| event_view(e, &loaded.controller, t))
}

/// The page of `loaded` in `t`'s language, with `form` as sent (empty on a
/// plain visit). `req` gives the page's own parameters (`answer_lang`,
/// `notice`).
pub fn build(
    req: &HttpRequest,
    state: &AppState,
    session: &StaffSession,
    t: Tr,
    loaded: Loaded,
    mut form: ActionForm,
) -> RequestPage {
    let Loaded {
        request: r,
        controller,
        messages: msgs,
        proofs: proof_rows,
        timeline,
        mails: mail_rows,
    } = loaded;
    let now = state.clock.now();
    let today = controller.local_date(now);
    let (can_act, allowed) = actions_for(session.role(), &r);
    form.place_typed(&allowed);
    let status = r.status();
    let dt = |at: NaiveDateTime| date_time(at, &controller, t);
    let reference = r
        .reference
        .clone()
        .unwrap_or_else(|| t.queue_no_reference());
    let plain: Vec<Message> = msgs.iter().map(|(m, _)| m.clone()).collect();
    let letters = super::letters::panel(&r, &controller, &plain, t);
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
                    Direction::ToCitizen => t.request_page_msg_to_citizen(),
                    Direction::FromCitizen => t.request_page_msg_from_citizen(),
                    Direction::InternalNote => t.request_page_msg_internal(),
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
            size: human_size(p.size_bytes, t),
            date: dt(p.created_at),
            url: format!("/desk/requests/{}/proofs/{}", r.id, p.id),
            name: p.display_name,
        })
        .collect();
    let events = timeline
        .iter()
        .map(|e| event_view(e, &controller, t))
        .collect();
    let outcome = r.outcome.map(|o| t.outcome(o));
    let refusal = r.refusal_ground.as_deref().map(|code| {
        RefusalGround::from_parts(code, r.refusal_detail.as_deref())
            .map(|g| t.refusal_ground(&g))
            .unwrap_or_else(|_| code.to_owned())
    });
    let extension = (r.extension_months > 0).then(|| Dated {
        value: t.request_page_months(r.extension_months),
        reason: r.extension_reason.clone(),
        at: r.extended_at.map(dt),
    });
    let legal_hold = r.legal_hold.then(|| Dated {
        value: t.request_page_yes(),
        reason: r.legal_hold_reason.clone(),
        at: r.legal_hold_at.map(dt),
    });
    let path = format!("/desk/requests/{}", r.id);
    // The citizen's language unless the DPO picked the other template.
    let answer_locale = answer_lang_param(req).unwrap_or(r.locale());
    let answer = AnswerTemplate::new(r.kind(), answer_locale, &controller.name, &path, t);
    let header = t.desk_header();
    RequestPage {
        t,
        page_title: t.request_page_title(&reference, &header),
        header_name: header,
        lang_switch_url: Some(format!("{path}?lang={}", t.other_lang())),
        bar: Some(StaffBar::of(session, t)),
        request_id: r.id.clone(),
        csrf: session.csrf_token.clone(),
        allowed,
        can_act,
        version: r.version,
        action_notice: super::acknowledgment::notice(req, t)
            .or(super::mails::notice(req, t))
            .or(notice_param(req).then(|| t.action_recorded())),
        answer,
        form,
        controller_name: controller.name.clone(),
        kind: t.kind(r.kind()),
        article: r.kind().article(),
        channel: t.channel(r.channel()),
        status: t.status(status),
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
        due: r.due_on.map(|d| t.date(d)),
        due_note: due_note(r.due_on, status, today, t),
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
        ack: super::acknowledgment::ack_panel(&r, can_act, t),
        letters,
        mails: super::mails::MailsPanel::new(mail_rows, can_act, t, dt),
        reference,
    }
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
    PageLang(t): PageLang,
    path: web::Path<RequestId>,
) -> PageResult {
    let id = path.into_inner();
    let Some(loaded) = load(&state, &session, &id).await? else {
        out_of_scope(&state, &session, id, None).await?;
        return Err(not_found_error(Some(&session), t));
    };
    record_view(&state, &session, &loaded).await?;
    let page = build(&req, &state, &session, t, loaded, ActionForm::default());
    Ok(html(StatusCode::OK, &page))
}

/// Who opened which request, and when: the page shows personal data, so
/// reading it is accountable like downloading a proof. Ids only; left out
/// of the page's own timeline ([`queue::VIEWED_EVENT`]).
async fn record_view(
    state: &AppState,
    session: &StaffSession,
    loaded: &Loaded,
) -> Result<(), actix_web::Error> {
    let now = state.clock.now();
    let staff_id = session.staff.id.clone();
    let request_id = loaded.request.id.clone();
    let controller_id = loaded.controller.id.clone();
    blocking(state, move |conn| {
        audit::append(
            conn,
            now,
            NewEvent {
                actor: Actor::Staff(staff_id),
                action: queue::VIEWED_EVENT,
                controller_id: Some(&controller_id),
                request_id: Some(&request_id),
                detail: String::new(),
            },
        )?;
        Ok(())
    })
    .await
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
    OtherScope(RequestId),
    NoProof,
    File(ProofMeta, Vec<u8>),
}

pub async fn download(
    state: web::Data<AppState>,
    session: StaffSession,
    PageLang(t): PageLang,
    path: web::Path<(RequestId, ProofId)>,
) -> PageResult {
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
            Err(not_found_error(Some(&session), t))
        }
        Download::OtherScope(owner) => {
            out_of_scope(&state, &session, owner, Some(proof_id)).await?;
            Err(not_found_error(Some(&session), t))
        }
        Download::NoProof => Err(not_found_error(Some(&session), t)),
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

    const FR: Tr = Tr::new(Locale::Fr);
    const EN: Tr = Tr::new(Locale::En);

    #[test]
    fn events_and_sizes_read_as_people_say_them() {
        assert_eq!(event_label("proof.viewed", FR), "Justificatif consulté");
        assert_eq!(event_label("mail.retried", EN), "Failed mail sent again");
        assert_eq!(
            event_label("request.accept_identity", FR),
            "Accepter l'identité"
        );
        assert_eq!(event_label("close_refused", EN), "Close: refused");
        assert_eq!(event_label("x.unknown", EN), "x.unknown");
        assert_eq!(human_size(1, FR), "1 octet");
        assert_eq!(human_size(10, FR), "10 octets");
        assert_eq!(human_size(1, EN), "1 byte");
        assert_eq!(human_size(2048, EN), "2 KB");
        assert_eq!(human_size(1_572_864, FR), "1,5 Mo");
        assert_eq!(human_size(1_572_864, EN), "1.5 MB");
    }

    #[test]
    fn the_due_date_is_said_in_words_with_plurals() {
        use crate::domain::request::Status;
        let today = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let due = |days: i64| Some(today + chrono::TimeDelta::days(days));
        let note =
            |days: i64, status: Status, t: Tr| due_note(due(days), status, today, t).unwrap();
        let late = note(-3, Status::Received, FR);
        assert_eq!(late.class, "overdue");
        assert_eq!(late.marker.as_deref(), Some("En retard de 3 jours"));
        assert_eq!(
            note(-1, Status::Received, FR).marker.as_deref(),
            Some("En retard de 1 jour")
        );
        assert_eq!(
            note(-1, Status::Received, EN).marker.as_deref(),
            Some("Overdue by 1 day")
        );
        let soon = note(1, Status::InProgress, EN);
        assert_eq!((soon.class, soon.text.as_str()), ("due-soon", "1 day left"));
        assert_eq!(soon.marker.as_deref(), Some("Soon"));
        let far = note(20, Status::Received, FR);
        assert_eq!(
            (far.class, far.marker, far.text.as_str()),
            ("", None, "20 jours restants")
        );
        let waiting = note(12, Status::AwaitingInformation, FR);
        assert_eq!(waiting.class, "suspended");
        assert_eq!(waiting.marker.as_deref(), Some("Délai suspendu"));
        assert_eq!(waiting.text, "12 jours restants");
        assert!(due_note(due(3), Status::Closed, today, FR).is_none());
        assert!(due_note(None, Status::Received, today, FR).is_none());
    }
}
