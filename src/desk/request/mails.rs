//! The request page's "Mails to the requester" block, and
//! `POST /desk/requests/{id}/mails/{mail_id}/retry`: a DPO or an
//! administrator in scope sends a failed mail again.
//!
//! A mail the worker gave up on (see `mail::worker::after_failure`) means
//! the citizen was not told, while the legal deadline runs: the page shows
//! it in the overdue red with a short reason (never the server's text,
//! which often quotes the address) and points to the way out: retry, or
//! answer by post. Subjects are shown as they are: they hold the request's
//! reference or the controller's name, no personal data.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use chrono::NaiveDateTime;
use diesel::Connection;

use super::super::blocking;
use super::super::extract::StaffForm;
use super::super::pages::{forbidden_error, message_error, not_found_error};
use super::OUT_OF_SCOPE_EVENT;
use crate::audit::{self, Actor, NewEvent};
use crate::domain::ids::RequestId;
use crate::i18n::Tr;
use crate::mail::FailureClass;
use crate::mail::outbox::{self, OutboxRow};
use crate::store::queue;
use crate::web::lang::PageLang;
use crate::web::pages::see_other;
use crate::web::{AppState, PageResult};

/// The audit event of a DPO's "retry now".
pub const RETRIED_EVENT: &str = "mail.retried";

pub enum MailState {
    Sent(String),
    Pending {
        attempts: i64,
        next_try: String,
    },
    Failed {
        at: String,
        /// The `mail-failure-reason` code: [`failed_reason`].
        reason: &'static str,
    },
}

pub struct MailView {
    pub subject: String,
    pub queued: String,
    pub state: MailState,
    /// Where the "retry now" form posts; only for a failed mail shown to an
    /// account that can act.
    pub retry_url: Option<String>,
}

/// The block as `desk/request_mails.html` renders it, in the page's
/// language.
pub struct MailsPanel {
    pub t: Tr,
    pub rows: Vec<MailView>,
    pub any_failed: bool,
}

/// Why a failed mail failed, as a code of the catalogue's
/// `mail-failure-reason`, from its stored error class (never the server's
/// text, which often quotes the address).
pub fn failed_reason(last_error: Option<&str>) -> &'static str {
    match last_error.map(FailureClass::of_stored) {
        Some(FailureClass::Permanent) => "permanent",
        Some(FailureClass::Invalid) => "invalid",
        _ => "gave_up",
    }
}

impl MailsPanel {
    /// `dt` formats a UTC time in the controller's zone and the page's
    /// language.
    pub fn new(
        rows: Vec<OutboxRow>,
        can_act: bool,
        t: Tr,
        dt: impl Fn(NaiveDateTime) -> String,
    ) -> MailsPanel {
        let rows: Vec<MailView> = rows
            .into_iter()
            .map(|row| {
                let failed = row.sent_at.is_none() && row.failed_at.is_some();
                let state = match (row.sent_at, row.failed_at) {
                    (Some(at), _) => MailState::Sent(dt(at)),
                    (None, Some(at)) => MailState::Failed {
                        at: dt(at),
                        reason: failed_reason(row.last_error.as_deref()),
                    },
                    (None, None) => MailState::Pending {
                        attempts: row.attempts,
                        next_try: dt(row.next_attempt_at),
                    },
                };
                MailView {
                    retry_url: (failed && can_act).then(|| {
                        format!(
                            "/desk/requests/{}/mails/{}/retry?lang={}",
                            row.request_id.as_ref().map_or("", RequestId::as_str),
                            row.id,
                            t.query_lang()
                        )
                    }),
                    subject: row.subject,
                    queued: dt(row.created_at),
                    state,
                }
            })
            .collect();
        let any_failed = rows
            .iter()
            .any(|r| matches!(r.state, MailState::Failed { .. }));
        MailsPanel {
            t,
            rows,
            any_failed,
        }
    }
}

/// The request page's notice after a retry (`?notice=mail_retried`).
pub fn notice(req: &HttpRequest, t: Tr) -> Option<String> {
    req.query_string()
        .split('&')
        .any(|pair| pair == "notice=mail_retried")
        .then(|| t.mail_retried())
}

enum Retried {
    Done,
    NotFound,
    Forbidden,
    NotFailed,
}

pub async fn retry(
    lang: PageLang,
    state: web::Data<AppState>,
    path: web::Path<(RequestId, String)>,
    form: StaffForm,
) -> PageResult {
    let t = lang.0;
    let csrf_ok = !form.csrf_expired();
    let session = form.session;
    if !session.role().can_act() {
        return Err(forbidden_error(&session, t, &t.mail_retry_forbidden()));
    }
    let (request_id, mail_id) = path.into_inner();
    let in_scope = session.scope.clone();
    let staff_id = session.staff.id.clone();
    let now = state.clock.now();
    let rid = request_id.clone();
    let done = blocking(&state, move |conn| {
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            let Some(request) = queue::find_in_scope(conn, &in_scope, &rid)? else {
                if let Some(controller_id) = queue::controller_of(conn, &rid)? {
                    audit::append(
                        conn,
                        now,
                        NewEvent {
                            actor: Actor::Staff(staff_id),
                            action: OUT_OF_SCOPE_EVENT,
                            controller_id: Some(&controller_id),
                            request_id: Some(&rid),
                            detail: "action=mail_retry".to_owned(),
                        },
                    )?;
                }
                return Ok(Retried::NotFound);
            };
            if !csrf_ok {
                return Ok(Retried::Forbidden);
            }
            if !outbox::retry_now(conn, &mail_id, &request.id, now)? {
                return Ok(Retried::NotFailed);
            }
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: Actor::Staff(staff_id),
                    action: RETRIED_EVENT,
                    controller_id: Some(&request.controller_id),
                    request_id: Some(&request.id),
                    detail: format!("outbox={mail_id}"),
                },
            )?;
            Ok(Retried::Done)
        })
    })
    .await?;
    match done {
        Retried::Done => {
            crate::mail::wake_worker();
            Ok(see_other(&format!(
                "/desk/requests/{request_id}?notice=mail_retried&lang={}",
                t.query_lang()
            )))
        }
        Retried::NotFound => Err(not_found_error(Some(&session), t)),
        Retried::Forbidden => Err(message_error(
            StatusCode::FORBIDDEN,
            Some(&session),
            t,
            &t.mail_list_title(),
            &t.mail_retry_csrf(),
        )),
        Retried::NotFailed => Err(message_error(
            StatusCode::CONFLICT,
            Some(&session),
            t,
            &t.mail_list_title(),
            &t.mail_retry_not_failed(),
        )),
    }
}
