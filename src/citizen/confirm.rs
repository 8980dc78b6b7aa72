//! The confirmation link: opening it confirms the address, fixes the receipt
//! instant, computes the due date, assigns the reference and queues the
//! acknowledgment. Opening it again shows the same result and changes
//! nothing; an expired link says so and offers a new one.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Datelike, TimeDelta};
use diesel::Connection;

use super::pages::{MessagePage, RenewForm, not_found, with_csrf_cookie};
use super::{CONFIRM_LINK_HOURS, blocking, mails, owned_page_lang};
use crate::audit::{self, Actor, NewEvent};
use crate::domain::request::{Action, Status, apply};
use crate::domain::values::ReferencePrefix;
use crate::i18n::Tr;
use crate::security::csrf;
use crate::security::keys::{new_token, token_hash};
use crate::store::controllers::{self, Controller};
use crate::store::requests::{self, Request};
use crate::web::lang::visitor_lang;
use crate::web::pages::{html, see_other};
use crate::web::{AppState, PageResult};

enum Outcome {
    NotFound,
    /// First opening: go to the status page with the new private token.
    Confirmed {
        status_token: String,
    },
    AlreadyConfirmed(Box<(Controller, Request)>),
    Expired(Box<(Controller, Request)>),
}

pub async fn confirm(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> PageResult {
    let (slug, token) = path.into_inner();
    let renew_action = format!("/c/{slug}/confirm/{token}/renew");
    let now = state.clock.now();
    let app = state.clone();
    let outcome = blocking(&state, move |conn| {
        let Some((controller, request)) = find(conn, &slug, &token)? else {
            return Ok(Outcome::NotFound);
        };
        if request.status() != Status::Unconfirmed {
            return Ok(Outcome::AlreadyConfirmed(Box::new((controller, request))));
        }
        if request
            .confirm_token_expires_at
            .is_some_and(|exp| now > exp)
        {
            return Ok(Outcome::Expired(Box::new((controller, request))));
        }
        let next = apply(request.state(), Action::ConfirmEmail)?;
        let status_token = new_token();
        let confirmed = conn.transaction::<_, anyhow::Error, _>(|conn| {
            let local_today = controller.local_date(now);
            let number = requests::next_reference_number(conn, &controller.id, local_today.year())?;
            let reference = ReferencePrefix::parse(&controller.reference_prefix)
                .map(|p| p.reference(local_today.year(), number))
                .unwrap_or_else(|_| {
                    format!(
                        "{}-{}-{number:04}",
                        controller.reference_prefix,
                        local_today.year()
                    )
                });
            let mut received = request.clone();
            received.received_at = Some(now);
            let due_on = requests::compute_due_on(conn, &received, &controller, now)?;
            // The status through the transition table, conditional on the
            // version: of two clicks at once, exactly one confirms.
            if !requests::transition(conn, &request.id, request.version, next, now)? {
                return Ok(false);
            }
            let status_token_hash = token_hash(&status_token);
            let receipt = requests::Receipt {
                reference: &reference,
                received_at: now,
                due_on,
                status_token_hash: &status_token_hash,
            };
            requests::record_receipt(conn, &request.id, &receipt, now)?;
            let request = requests::find(conn, &request.id)?;
            let status_url = format!("{}/s/{}", app.config.public_url, status_token);
            mails::acknowledgment(conn, &app, &controller, &request, &status_url, now)?;
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: Actor::Citizen,
                    action: "request.confirmed",
                    controller_id: Some(&controller.id),
                    request_id: Some(&request.id),
                    detail: format!("reference={reference}"),
                },
            )?;
            Ok(true)
        })?;
        if confirmed {
            Ok(Outcome::Confirmed { status_token })
        } else {
            let request = requests::find(conn, &request.id)?;
            Ok(Outcome::AlreadyConfirmed(Box::new((controller, request))))
        }
    })
    .await?;
    crate::mail::wake_worker();
    let https = state.config.is_https();
    match outcome {
        Outcome::NotFound => Err(not_found(visitor_lang(&req))),
        Outcome::Confirmed { status_token } => {
            Ok(see_other(&format!("/s/{status_token}?notice=confirmed")))
        }
        Outcome::AlreadyConfirmed(b) => {
            let (controller, request) = *b;
            let t = owned_page_lang(&req, request.locale());
            Ok(html(
                StatusCode::OK,
                &already_confirmed_page(t, &controller, &request),
            ))
        }
        Outcome::Expired(b) => {
            let (controller, request) = *b;
            let t = owned_page_lang(&req, request.locale());
            Ok(expired_page(
                &req,
                https,
                t,
                &controller,
                &renew_action,
                None,
                StatusCode::GONE,
            ))
        }
    }
}

/// Opening a link again, or asking a new one, after confirming: what was
/// recorded, and nothing changed.
fn already_confirmed_page(t: Tr, controller: &Controller, request: &Request) -> MessagePage {
    let mut page = MessagePage::new(t, &controller.name, t.citizen_already_confirmed_title())
        .paragraph(t.citizen_already_confirmed_body());
    if let Some(reference) = &request.reference {
        page.facts.push((t.citizen_reference(), reference.clone()));
    }
    page.facts.push((t.citizen_kind(), t.kind(request.kind())));
    if let Some(due) = request.due_on {
        page.facts.push((t.citizen_due_on(), t.date(due)));
    }
    page
}

/// The expired link's page and its button asking for a new link; `error`
/// says why the last press was refused.
fn expired_page(
    req: &HttpRequest,
    https: bool,
    t: Tr,
    controller: &Controller,
    renew_action: &str,
    error: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let token = csrf::token_for(req, https);
    let mut page = MessagePage::new(t, &controller.name, t.citizen_expired_title())
        .paragraph(t.citizen_expired_body(CONFIRM_LINK_HOURS));
    page.renew_form = Some(RenewForm {
        action: format!("{renew_action}?lang={}", t.query_lang()),
        csrf: token.clone(),
        label: t.citizen_send_new_link(),
        error,
    });
    with_csrf_cookie(status, &page, &token, https)
}

#[derive(serde::Deserialize)]
pub struct RenewFormData {
    csrf: Option<String>,
}

/// Sends a fresh confirmation link for a submission whose link expired.
/// A refused press (expired form, too many presses, a body that is not the
/// form) shows the same page again with the reason next to the button.
pub async fn renew(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: Result<web::Form<RenewFormData>, actix_web::Error>,
) -> PageResult {
    let (slug, token) = path.into_inner();
    let renew_action = format!("/c/{slug}/confirm/{token}/renew");
    let https = state.config.is_https();
    let now = state.clock.now();
    let (lookup_slug, lookup_token) = (slug.clone(), token.clone());
    let found = blocking(&state, move |conn| find(conn, &lookup_slug, &lookup_token)).await?;
    let Some((controller, request)) = found else {
        return Err(not_found(visitor_lang(&req)));
    };
    let t = owned_page_lang(&req, request.locale());
    if request.status() != Status::Unconfirmed {
        let page = already_confirmed_page(t, &controller, &request);
        return Ok(html(StatusCode::OK, &page));
    }
    let refuse = |status: StatusCode, message: String| {
        expired_page(
            &req,
            https,
            t,
            &controller,
            &renew_action,
            Some(message),
            status,
        )
    };
    let form = match form {
        Ok(form) => form.into_inner(),
        Err(e) => {
            let status = e.as_response_error().status_code();
            return Ok(refuse(status, t.citizen_error_form_unreadable()));
        }
    };
    if !csrf::verify(&req, https, form.csrf.as_deref()) {
        return Ok(refuse(StatusCode::FORBIDDEN, t.citizen_csrf_failed()));
    }
    let rate_key = format!("renew:{}", token_hash(&token));
    if !state.submission_limiter.try_hit(&[&rate_key], now) {
        return Ok(refuse(
            StatusCode::TOO_MANY_REQUESTS,
            t.citizen_rate_limited(),
        ));
    }
    let app = state.clone();
    let found = blocking(&state, move |conn| {
        let Some((controller, request)) = find(conn, &slug, &token)? else {
            return Ok(None);
        };
        if request.status() != Status::Unconfirmed {
            return Ok(Some((controller, request, false)));
        }
        let fresh = new_token();
        let confirm_url = format!(
            "{}/c/{}/confirm/{}",
            app.config.public_url, controller.slug, fresh
        );
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            requests::renew_confirm_token(
                conn,
                &request.id,
                &token_hash(&fresh),
                now + TimeDelta::hours(CONFIRM_LINK_HOURS),
                now,
            )?;
            mails::confirmation(conn, &app, &controller, &request, &confirm_url, now)?;
            audit::append(
                conn,
                now,
                NewEvent {
                    actor: Actor::Citizen,
                    action: "request.confirmation_link_renewed",
                    controller_id: Some(&controller.id),
                    request_id: Some(&request.id),
                    detail: String::new(),
                },
            )?;
            Ok(())
        })?;
        Ok(Some((controller, request, true)))
    })
    .await?;
    crate::mail::wake_worker();
    match found {
        None => Err(not_found(visitor_lang(&req))),
        Some((controller, request, sent)) => {
            let t = owned_page_lang(&req, request.locale());
            let page = if sent {
                MessagePage::new(t, &controller.name, t.citizen_submitted_title())
                    .paragraph(t.citizen_new_link_sent(CONFIRM_LINK_HOURS))
            } else {
                already_confirmed_page(t, &controller, &request)
            };
            Ok(html(StatusCode::OK, &page))
        }
    }
}

/// The request behind a confirmation token, if it belongs to this
/// controller and has not been anonymised.
fn find(
    conn: &mut crate::db::DbConn,
    slug: &str,
    token: &str,
) -> anyhow::Result<Option<(Controller, Request)>> {
    let Some(controller) = controllers::find_by_slug(conn, slug)? else {
        return Ok(None);
    };
    let Some(request) = requests::find_by_confirm_token_hash(conn, &token_hash(token))? else {
        return Ok(None);
    };
    if request.controller_id != controller.id || request.anonymised_at.is_some() {
        return Ok(None);
    }
    Ok(Some((controller, request)))
}
