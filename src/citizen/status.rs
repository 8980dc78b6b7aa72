//! The private status page behind the link sent with the acknowledgment:
//! the status in plain words, the dates, the DPO's messages, a form to answer
//! a request for information, and a button to withdraw.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};
use diesel::prelude::*;

use super::form::{check_proofs, store_proofs, upload_limits};
use super::pages::{MessageView, StatusPage};
use super::texts::{status_sentence, texts};
use super::upload::read_form;
use super::{blocking, chosen_locale, mails};
use crate::audit::{self, Actor, NewEvent};
use crate::db::DbConn;
use crate::db::schema::requests as r;
use crate::domain::request::{Action, Outcome, Status, apply};
use crate::domain::values::{self, Locale};
use crate::i18n::format_date;
use crate::i18n::{kind_label, outcome_label};
use crate::security::csrf;
use crate::security::keys::token_hash;
use crate::store::controllers::{self, Controller};
use crate::store::messages::{self, Direction, Message};
use crate::store::requests::{self, Request};
use crate::web::AppState;
use crate::web::pages::{html_with, see_other};

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
pub struct NoticeQuery {
    notice: Option<String>,
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<NoticeQuery>,
) -> Result<HttpResponse, actix_web::Error> {
    let token = path.into_inner();
    let now = state.clock.now();
    let loaded = blocking(&state, move |conn| load(conn, &token, now)).await?;
    let Some(loaded) = loaded else {
        return Ok(super::not_found_page(chosen_locale(&req, Locale::Fr)));
    };
    let locale = chosen_locale(&req, loaded.request.locale());
    let t = texts(locale);
    let notice = match query.notice.as_deref() {
        Some("confirmed") => Some(format!("{}. {}", t.confirmed_title, t.confirmed_body)),
        Some("reply") => Some(t.reply_sent.to_owned()),
        Some("withdrawn") => Some(t.withdrawn_notice.to_owned()),
        _ => None,
    };
    Ok(render(
        &req,
        &state,
        &loaded,
        locale,
        notice,
        Vec::new(),
        String::new(),
        StatusCode::OK,
    ))
}

#[allow(clippy::too_many_arguments)]
fn render(
    req: &HttpRequest,
    state: &AppState,
    loaded: &Loaded,
    locale: Locale,
    notice: Option<String>,
    errors: Vec<(String, String)>,
    reply_value: String,
    status: StatusCode,
) -> HttpResponse {
    let t = texts(locale);
    let request = &loaded.request;
    let https = state.config.is_https();
    let csrf_token = csrf::token_for(req, https);
    let mut facts = Vec::new();
    if let Some(received) = request.received_at {
        facts.push((
            t.received_on.to_owned(),
            format_date(loaded.controller.local_date(received), locale),
        ));
    }
    let state_now = request.state();
    if !state_now.status.is_terminal()
        && let Some(due) = loaded.live_due_on
    {
        let label = if request.extension_months > 0 {
            t.extended_until
        } else {
            t.due_on
        };
        facts.push((label.to_owned(), format_date(due, locale)));
        if let Some(reason) = &request.extension_reason {
            facts.push((t.extension_reason.to_owned(), reason.clone()));
        }
    }
    if let Some(closed) = request.closed_at {
        facts.push((
            t.closed_on.to_owned(),
            format_date(loaded.controller.local_date(closed), locale),
        ));
    }
    let outcome = request.outcome;
    if let Some(o) = outcome {
        facts.push((t.outcome.to_owned(), outcome_label(o, locale).to_owned()));
    }
    if let Some(details) = &request.details {
        facts.push((t.details.to_owned(), details.clone()));
    }
    if let Some(grounds) = &request.objection_grounds {
        facts.push((t.grounds.to_owned(), grounds.clone()));
    }
    let messages = loaded
        .messages
        .iter()
        .map(|m| {
            let from_citizen = m.direction == Direction::FromCitizen.as_str();
            MessageView {
                css: if from_citizen { "citizen" } else { "dpo" },
                heading: if from_citizen { t.from_you } else { t.from_dpo },
                date: format_date(loaded.controller.local_date(m.created_at), locale),
                body: m.body.clone(),
            }
        })
        .collect();
    let token_path = req.match_info().get("token").unwrap_or_default().to_owned();
    let page = StatusPage {
        t,
        page_title: format!(
            "{} — {}",
            t.status_title,
            request.reference.as_deref().unwrap_or_default()
        ),
        header_name: loaded.controller.name.clone(),
        lang_switch_url: Some(format!("/s/{token_path}?lang={}", t.other_lang)),
        notice,
        errors,
        reference: request.reference.clone().unwrap_or_default(),
        kind_label: kind_label(request.kind(), locale).to_owned(),
        status_code: state_now.status.as_str(),
        status_sentence: status_sentence(state_now.status, locale).to_owned(),
        facts,
        show_complaint: matches!(outcome, Some(Outcome::Refused | Outcome::PartiallyGranted)),
        messages,
        show_reply: apply(state_now, Action::ResumeClock).is_ok(),
        reply_url: format!("/s/{token_path}/reply?lang={}", t.lang),
        reply_value,
        show_withdraw: apply(state_now, Action::Withdraw).is_ok(),
        withdraw_url: format!("/s/{token_path}/withdraw?lang={}", t.lang),
        csrf: csrf_token.clone(),
        controller_name: loaded.controller.name.clone(),
        dpo_email: loaded.controller.dpo_email.clone(),
    };
    let mut builder = HttpResponseBuilder::new(status);
    builder.cookie(csrf::cookie(&csrf_token, https));
    html_with(builder, &page)
}

/// The citizen answers a request for information: the message (and any
/// proof) is stored, the clock resumes, the due date moves by the days spent
/// waiting.
pub async fn reply(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: Multipart,
) -> Result<HttpResponse, actix_web::Error> {
    let token = path.into_inner();
    let now = state.clock.now();
    let token_for_load = token.clone();
    let Some(loaded) = blocking(&state, move |conn| load(conn, &token_for_load, now)).await? else {
        return Ok(super::not_found_page(chosen_locale(&req, Locale::Fr)));
    };
    let locale = chosen_locale(&req, loaded.request.locale());
    let t = texts(locale);
    let limits = upload_limits(&state);
    let mut form = match read_form(payload, limits, &["proof"]).await {
        Ok(f) if !f.aborted => f,
        Ok(_) => return Ok(super::form::too_large_page(&loaded.controller, t)),
        Err(_) => {
            return Ok(super::form::error_page(
                &loaded.controller,
                locale,
                StatusCode::BAD_REQUEST,
            ));
        }
    };
    let https = state.config.is_https();
    let reply_value = form.text("message").to_owned();
    if !csrf::verify(&req, https, form.fields.get("csrf").map(String::as_str)) {
        return Ok(render(
            &req,
            &state,
            &loaded,
            locale,
            Some(t.csrf_failed.into()),
            Vec::new(),
            reply_value,
            StatusCode::FORBIDDEN,
        ));
    }
    let Ok(next) = apply(loaded.request.state(), Action::ResumeClock) else {
        return Ok(see_other(&format!("/s/{token}")));
    };
    let mut errors = Vec::new();
    let message = match values::multi_line(&reply_value, 5000) {
        Ok(m) if m.is_empty() => {
            errors.push((
                "message".to_owned(),
                match locale {
                    Locale::Fr => "Écrivez votre réponse.".to_owned(),
                    Locale::En => "Write your answer.".to_owned(),
                },
            ));
            String::new()
        }
        Ok(m) => m,
        Err(e) => {
            errors.push(("message".to_owned(), e.message(locale).to_owned()));
            String::new()
        }
    };
    if !form.duplicated.is_empty() {
        errors.push((
            "message".to_owned(),
            match locale {
                Locale::Fr => {
                    "Un champ a été envoyé plusieurs fois ; renvoyez le formulaire.".to_owned()
                }
                Locale::En => "A field was sent more than once; send the form again.".to_owned(),
            },
        ));
    }
    let proofs = match check_proofs(&mut form, locale, &limits) {
        Ok(p) => p,
        Err(e) => {
            errors.push(("proof".to_owned(), e));
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Ok(render(
            &req,
            &state,
            &loaded,
            locale,
            None,
            errors,
            reply_value,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
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
            diesel::update(r::table.filter(r::id.eq(&request.id)))
                .set(r::due_on.eq(due_on))
                .execute(conn)?;
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
        t.lang
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
    form: web::Form<WithdrawForm>,
) -> Result<HttpResponse, actix_web::Error> {
    let token = path.into_inner();
    let now = state.clock.now();
    let token_for_load = token.clone();
    let Some(loaded) = blocking(&state, move |conn| load(conn, &token_for_load, now)).await? else {
        return Ok(super::not_found_page(chosen_locale(&req, Locale::Fr)));
    };
    let locale = chosen_locale(&req, loaded.request.locale());
    let t = texts(locale);
    let https = state.config.is_https();
    if !csrf::verify(&req, https, form.csrf.as_deref()) {
        return Ok(render(
            &req,
            &state,
            &loaded,
            locale,
            Some(t.csrf_failed.into()),
            Vec::new(),
            String::new(),
            StatusCode::FORBIDDEN,
        ));
    }
    if form.confirm.as_deref() != Some("yes") {
        let errors = vec![(
            "confirm".to_owned(),
            match locale {
                Locale::Fr => "Cochez la case pour confirmer le retrait.".to_owned(),
                Locale::En => "Tick the box to confirm the withdrawal.".to_owned(),
            },
        )];
        return Ok(render(
            &req,
            &state,
            &loaded,
            locale,
            None,
            errors,
            String::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let Ok(next) = apply(loaded.request.state(), Action::Withdraw) else {
        return Ok(see_other(&format!("/s/{token}")));
    };
    let app = state.clone();
    let request = loaded.request.clone();
    let controller = loaded.controller.clone();
    blocking(&state, move |conn| {
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            if !requests::transition(conn, &request.id, request.version, next, now)? {
                return Ok(());
            }
            diesel::update(r::table.find(&request.id))
                .set(r::closed_at.eq(Some(now)))
                .execute(conn)?;
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
            Ok(())
        })
    })
    .await?;
    crate::mail::wake_worker();
    Ok(see_other(&format!(
        "/s/{token}?notice=withdrawn&lang={}",
        t.lang
    )))
}
