//! The private status page behind the link sent with the acknowledgment:
//! the status in plain words, the dates, the DPO's messages, a form to answer
//! a request for information, and a button to withdraw.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::Connection;

use super::form::{
    MAX_PROOFS, check_proofs, had_files, lower_sentence, store_proofs, upload_limits,
    upload_too_large,
};
use super::pages::{MessageView, StatusPage, not_found, with_csrf_cookie};
use super::upload::{MalformedForm, read_form};
use super::{blocking, mails, owned_page_lang};
use crate::audit::{self, Actor, NewEvent};
use crate::db::DbConn;
use crate::domain::request::{Action, Outcome, Status, apply};
use crate::domain::values;
use crate::i18n::Tr;
use crate::security::csrf;
use crate::security::keys::token_hash;
use crate::store::controllers::{self, Controller};
use crate::store::messages::{self, Direction, Message};
use crate::store::requests::{self, Request};
use crate::web::lang::visitor_lang;
use crate::web::pages::see_other;
use crate::web::{AppState, PageResult};

struct Loaded {
    controller: Controller,
    request: Request,
    messages: Vec<Message>,
    live_due_on: Option<chrono::NaiveDate>,
}

fn load(
    conn: &mut DbConn,
    token: &str,
    now: chrono::NaiveDateTime,
) -> anyhow::Result<Option<Loaded>> {
    let Some(request) = requests::find_by_status_token_hash(conn, &token_hash(token))? else {
        return Ok(None);
    };
    if request.anonymised_at.is_some() {
        return Ok(None);
    }
    let controller = controllers::find_by_id(conn, &request.controller_id)?;
    let messages = messages::list_for_citizen(conn, &request.id)?;
    // While the clock is suspended the due date moves every day; show the
    // date as of today rather than the one stored at suspension.
    let live_due_on = if request.status() == Status::AwaitingInformation {
        requests::compute_due_on(conn, &request, &controller, now)?
    } else {
        request.due_on
    };
    Ok(Some(Loaded {
        controller,
        request,
        messages,
        live_due_on,
    }))
}

#[derive(serde::Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

/// What a page shown again after a refusal carries besides the request.
#[derive(Default)]
struct Again {
    notice: Option<String>,
    errors: Vec<(String, String)>,
    /// The answer as typed.
    reply_value: String,
    /// Show the answer form even though no answer is expected any more, so
    /// that what was typed is not lost.
    keep_reply_form: bool,
}

impl Again {
    fn error(field: &str, message: String) -> Again {
        Again {
            errors: vec![(field.to_owned(), message)],
            ..Again::default()
        }
    }

    fn reply(mut self, value: &str) -> Again {
        self.reply_value = value.to_owned();
        self.keep_reply_form = true;
        self
    }
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> PageResult {
    let token = path.into_inner();
    let now = state.clock.now();
    let loaded = blocking(&state, move |conn| load(conn, &token, now)).await?;
    let Some(loaded) = loaded else {
        return Err(not_found(visitor_lang(&req)));
    };
    let t = owned_page_lang(&req, loaded.request.locale());
    // A query the page cannot read shows the page without a notice.
    let notice = web::Query::<NoticeQuery>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.into_inner().notice);
    let notice = match notice.as_deref() {
        Some("confirmed") => Some(t.citizen_confirmed_notice()),
        Some("reply") => Some(t.citizen_reply_sent()),
        Some("withdrawn") => Some(t.citizen_withdrawn_notice()),
        _ => None,
    };
    let again = Again {
        notice,
        ..Again::default()
    };
    Ok(render(&req, &state, &loaded, t, again, StatusCode::OK))
}

fn render(
    req: &HttpRequest,
    state: &AppState,
    loaded: &Loaded,
    t: Tr,
    again: Again,
    status: StatusCode,
) -> HttpResponse {
    let request = &loaded.request;
    let https = state.config.is_https();
    let csrf_token = csrf::token_for(req, https);
    let mut facts = Vec::new();
    if let Some(received) = request.received_at {
        facts.push((
            t.citizen_received_on(),
            t.date(loaded.controller.local_date(received)),
        ));
    }
    let state_now = request.state();
    if !state_now.status.is_terminal()
        && let Some(due) = loaded.live_due_on
    {
        let label = if request.extension_months > 0 {
            t.citizen_extended_until()
        } else {
            t.citizen_due_on()
        };
        facts.push((label, t.date(due)));
        if let Some(reason) = &request.extension_reason {
            facts.push((t.citizen_extension_reason(), reason.clone()));
        }
    }
    if let Some(closed) = request.closed_at {
        facts.push((
            t.citizen_closed_on(),
            t.date(loaded.controller.local_date(closed)),
        ));
    }
    let outcome = request.outcome;
    if let Some(o) = outcome {
        facts.push((t.citizen_outcome(), t.outcome(o)));
    }
    if let Some(details) = &request.details {
        facts.push((t.citizen_details(), details.clone()));
    }
    if let Some(grounds) = &request.objection_grounds {
        facts.push((t.citizen_grounds(), grounds.clone()));
    }
    let messages = loaded
        .messages
        .iter()
        .map(|m| {
            let from_citizen = m.direction == Direction::FromCitizen.as_str();
            MessageView {
                css: if from_citizen { "citizen" } else { "dpo" },
                heading: if from_citizen {
                    t.citizen_from_you()
                } else {
                    t.citizen_from_dpo()
                },
                date: t.date(loaded.controller.local_date(m.created_at)),
                body: m.body.clone(),
            }
        })
        .collect();
    let token_path = req.match_info().get("token").unwrap_or_default().to_owned();
    let page = StatusPage {
        t,
        page_title: t.citizen_page_title(
            t.citizen_status_title(),
            request.reference.as_deref().unwrap_or_default(),
        ),
        header_name: loaded.controller.name.clone(),
        lang_switch_url: Some(format!("/s/{token_path}?lang={}", t.other_lang())),
        notice: again.notice,
        errors: again.errors,
        reference: request.reference.clone().unwrap_or_default(),
        kind_label: t.kind(request.kind()),
        status_code: state_now.status.as_str(),
        status_sentence: t.citizen_status_sentence(state_now.status.as_str()),
        facts,
        show_complaint: matches!(outcome, Some(Outcome::Refused | Outcome::PartiallyGranted)),
        messages,
        show_reply: again.keep_reply_form || apply(state_now, Action::ResumeClock).is_ok(),
        reply_url: format!("/s/{token_path}/reply?lang={}", t.query_lang()),
        reply_value: again.reply_value,
        max_proofs: MAX_PROOFS,
        show_withdraw: apply(state_now, Action::Withdraw).is_ok(),
        withdraw_url: format!("/s/{token_path}/withdraw?lang={}", t.query_lang()),
        csrf: csrf_token.clone(),
        controller_name: loaded.controller.name.clone(),
        dpo_email: loaded.controller.dpo_email.clone(),
    };
    with_csrf_cookie(status, &page, &csrf_token, https)
}

/// The citizen answers a request for information: the message (and any
/// proof) is stored, the clock resumes, the due date moves by the days spent
/// waiting.
pub async fn reply(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: Multipart,
) -> PageResult {
    let token = path.into_inner();
    let now = state.clock.now();
    let token_for_load = token.clone();
    let Some(loaded) = blocking(&state, move |conn| load(conn, &token_for_load, now)).await? else {
        return Err(not_found(visitor_lang(&req)));
    };
    let t = owned_page_lang(&req, loaded.request.locale());
    let limits = upload_limits(&state);
    let (mut form, malformed) = match read_form(payload, limits, &["proof"]).await {
        Ok(f) => (f, false),
        Err(MalformedForm { partial }) => (partial, true),
    };
    let reply_value = form.text("message").to_owned();
    let again = |again: Again, status: StatusCode| -> PageResult {
        Ok(render(&req, &state, &loaded, t, again, status))
    };
    if form.aborted {
        let refused = Again::error("proof", upload_too_large(t, &limits));
        return again(refused.reply(&reply_value), StatusCode::PAYLOAD_TOO_LARGE);
    }
    if malformed {
        let refused = Again::error("message", t.citizen_error_form_unreadable());
        return again(refused.reply(&reply_value), StatusCode::BAD_REQUEST);
    }
    let https = state.config.is_https();
    if !csrf::verify(&req, https, form.fields.get("csrf").map(String::as_str)) {
        let refused = Again {
            notice: Some(t.citizen_csrf_failed()),
            ..Again::default()
        };
        return again(refused.reply(&reply_value), StatusCode::FORBIDDEN);
    }
    let Ok(next) = apply(loaded.request.state(), Action::ResumeClock) else {
        // The DPO went on, or closed the request, while the citizen wrote.
        let refused = Again::error("message", t.citizen_error_reply_not_expected());
        return again(refused.reply(&reply_value), StatusCode::CONFLICT);
    };
    let mut errors = Vec::new();
    let message = match values::multi_line(&reply_value, 5000) {
        Ok(m) if m.is_empty() => {
            errors.push(("message".to_owned(), t.citizen_error_reply_missing()));
            String::new()
        }
        Ok(m) => m,
        Err(e) => {
            let label = t.citizen_reply_message();
            let message = t.labelled(&label, &lower_sentence(&t.value_error(&e)));
            errors.push(("message".to_owned(), message));
            String::new()
        }
    };
    if !form.duplicated.is_empty() {
        errors.push(("message".to_owned(), t.citizen_error_reply_duplicated()));
    }
    let files_sent = had_files(&form);
    let proofs = match check_proofs(&mut form, t, &limits) {
        Ok(p) => p,
        Err(e) => {
            errors.push(("proof".to_owned(), e));
            Vec::new()
        }
    };
    if !errors.is_empty() {
        if files_sent && !errors.iter().any(|(f, _)| f == "proof") {
            // The answer is shown again; the files cannot be.
            errors.push(("proof".to_owned(), t.citizen_error_files_again()));
        }
        let refused = Again {
            errors,
            ..Again::default()
        };
        return again(
            refused.reply(&reply_value),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let app = state.clone();
    let request = loaded.request.clone();
    let controller = loaded.controller.clone();
    blocking(&state, move |conn| {
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            if !requests::transition(conn, &request.id, request.version, next, now)? {
                // Someone acted meanwhile (the DPO resumed the clock); keep
                // the answer anyway, it is what the DPO waits for.
                messages::add(
                    conn,
                    &request.id,
                    Direction::FromCitizen,
                    None,
                    &message,
                    now,
                )?;
                return Ok(());
            }
            requests::end_suspensions(conn, &request.id, now)?;
            let fresh = requests::find(conn, &request.id)?;
            let due_on = requests::compute_due_on(conn, &fresh, &controller, now)?;
            crate::store::actions::set_due_on(conn, &request.id, due_on)?;
            messages::add(
                conn,
                &request.id,
                Direction::FromCitizen,
                None,
                &message,
                now,
            )?;
            store_proofs(conn, &app, &request.id, &proofs, now)?;
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: Actor::Citizen,
                    action: "request.information_received",
                    controller_id: Some(&controller.id),
                    request_id: Some(&request.id),
                    detail: format!("proofs={} clock=resumed", proofs.len()),
                },
            )?;
            Ok(())
        })
    })
    .await?;
    Ok(see_other(&format!(
        "/s/{token}?notice=reply&lang={}",
        t.query_lang()
    )))
}

#[derive(serde::Deserialize)]
pub struct WithdrawForm {
    csrf: Option<String>,
    confirm: Option<String>,
}

pub async fn withdraw(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: Result<web::Form<WithdrawForm>, actix_web::Error>,
) -> PageResult {
    let token = path.into_inner();
    let now = state.clock.now();
    let token_for_load = token.clone();
    let Some(loaded) = blocking(&state, move |conn| load(conn, &token_for_load, now)).await? else {
        return Err(not_found(visitor_lang(&req)));
    };
    let t = owned_page_lang(&req, loaded.request.locale());
    let again = |again: Again, status: StatusCode| -> PageResult {
        Ok(render(&req, &state, &loaded, t, again, status))
    };
    let form = match form {
        Ok(form) => form.into_inner(),
        Err(e) => {
            let status = e.as_response_error().status_code();
            return again(
                Again::error("confirm", t.citizen_error_form_unreadable()),
                status,
            );
        }
    };
    let https = state.config.is_https();
    if !csrf::verify(&req, https, form.csrf.as_deref()) {
        let refused = Again {
            notice: Some(t.citizen_csrf_failed()),
            ..Again::default()
        };
        return again(refused, StatusCode::FORBIDDEN);
    }
    if form.confirm.as_deref() != Some("yes") {
        return again(
            Again::error("confirm", t.citizen_error_withdraw_confirm()),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let next = match apply(loaded.request.state(), Action::Withdraw) {
        Ok(next) => next,
        // Already closed or withdrawn: the status line says which.
        Err(e) => {
            return again(
                Again::error("status", t.transition_error(&e)),
                StatusCode::CONFLICT,
            );
        }
    };
    let app = state.clone();
    let request = loaded.request.clone();
    let controller = loaded.controller.clone();
    let withdrawn = blocking(&state, move |conn| {
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            if !requests::transition(conn, &request.id, request.version, next, now)? {
                return Ok(false);
            }
            crate::store::actions::set_withdrawn(conn, &request.id, now)?;
            requests::end_suspensions(conn, &request.id, now)?;
            mails::withdrawal(conn, &app, &controller, &request, now)?;
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: Actor::Citizen,
                    action: "request.withdrawn",
                    controller_id: Some(&controller.id),
                    request_id: Some(&request.id),
                    detail: String::new(),
                },
            )?;
            Ok(true)
        })
    })
    .await?;
    if !withdrawn {
        // The DPO acted between the page and the button: show the request
        // as it is now.
        let token_for_load = token.clone();
        let Some(now_loaded) =
            blocking(&state, move |conn| load(conn, &token_for_load, now)).await?
        else {
            return Err(not_found(visitor_lang(&req)));
        };
        if now_loaded.request.status() != Status::Withdrawn {
            let refused = Again::error("status", t.citizen_error_changed_meanwhile());
            return Ok(render(
                &req,
                &state,
                &now_loaded,
                t,
                refused,
                StatusCode::CONFLICT,
            ));
        }
    }
    crate::mail::wake_worker();
    Ok(see_other(&format!(
        "/s/{token}?notice=withdrawn&lang={}",
        t.query_lang()
    )))
}
