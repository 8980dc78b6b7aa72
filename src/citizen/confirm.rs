//! The confirmation link: opening it confirms the address, fixes the receipt
//! instant, computes the due date, assigns the reference and queues the
//! acknowledgment. Opening it again shows the same result and changes
//! nothing; an expired link says so and offers a new one.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};
use chrono::{Datelike, TimeDelta};
use diesel::prelude::*;

use super::pages::{MessagePage, RenewForm};
use super::texts::texts;
use super::{CONFIRM_LINK_HOURS, blocking, chosen_locale, mails};
use crate::audit::{self, Actor, NewEvent};
use crate::db::schema::requests as r;
use crate::domain::request::{Action, Status, apply};
use crate::domain::values::{Locale, ReferencePrefix};
use crate::i18n::format_date;
use crate::i18n::kind_label;
use crate::security::csrf;
use crate::security::keys::{new_token, token_hash};
use crate::store::controllers::{self, Controller};
use crate::store::requests::{self, Request};
use crate::web::AppState;
use crate::web::pages::{html, html_with, see_other};

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
) -> Result<HttpResponse, actix_web::Error> {
    let (slug, token) = path.into_inner();
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
            // Conditional on the status and version: of two clicks at once,
            // exactly one confirms.
            let changed = diesel::update(
                r::table
                    .filter(r::id.eq(&request.id))
                    .filter(r::status.eq(Status::Unconfirmed.as_str()))
                    .filter(r::version.eq(request.version)),
            )
            .set((
                r::status.eq(next.status.as_str()),
                r::reference.eq(&reference),
                r::received_at.eq(Some(now)),
                r::confirmed_at.eq(Some(now)),
                r::due_on.eq(due_on),
                r::status_token_hash.eq(Some(token_hash(&status_token))),
                r::version.eq(request.version + 1),
                r::updated_at.eq(now),
            ))
            .execute(conn)?;
            if changed == 0 {
                return Ok(false);
            }
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
    Ok(match outcome {
        Outcome::NotFound => super::not_found_page(chosen_locale(&req, Locale::Fr)),
        Outcome::Confirmed { status_token } => {
            see_other(&format!("/s/{status_token}?notice=confirmed"))
        }
        Outcome::AlreadyConfirmed(b) => {
            let (controller, request) = *b;
            let locale = chosen_locale(&req, request.locale());
            let t = texts(locale);
            let mut page = MessagePage::new(t, &controller.name, t.already_confirmed_title)
                .paragraph(t.already_confirmed_body);
            if let Some(reference) = &request.reference {
                page.facts.push((t.reference.into(), reference.clone()));
            }
            page.facts
                .push((t.kind.into(), kind_label(request.kind(), locale)));
            if let Some(due) = request.due_on {
                page.facts.push((t.due_on.into(), format_date(due, locale)));
            }
            html(StatusCode::OK, &page)
        }
        Outcome::Expired(b) => {
            let (controller, request) = *b;
            let locale = chosen_locale(&req, request.locale());
            let t = texts(locale);
            let token = csrf::token_for(&req, https);
            let mut page =
                MessagePage::new(t, &controller.name, t.expired_title).paragraph(t.expired_body);
            page.renew_form = Some(RenewForm {
                action: format!("{}/renew", req.path()),
                csrf: token.clone(),
                label: t.send_new_link.into(),
            });
            let mut builder = HttpResponseBuilder::new(StatusCode::GONE);
            builder.cookie(csrf::cookie(&token, https));
            html_with(builder, &page)
        }
    })
}

#[derive(serde::Deserialize)]
pub struct RenewFormData {
    csrf: Option<String>,
}

/// Sends a fresh confirmation link for a submission whose link expired.
pub async fn renew(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<RenewFormData>,
) -> Result<HttpResponse, actix_web::Error> {
    let (slug, token) = path.into_inner();
    let https = state.config.is_https();
    if !csrf::verify(&req, https, form.csrf.as_deref()) {
        return Ok(see_other(req.path().trim_end_matches("/renew")));
    }
    let now = state.clock.now();
    let app = state.clone();
    let rate_key = format!("renew:{}", token_hash(&token));
    if !state.submission_limiter.try_hit(&[&rate_key], now) {
        let t = texts(chosen_locale(&req, Locale::Fr));
        let page = MessagePage::new(t, "dsr-tracker", t.error_title).paragraph(t.rate_limited);
        return Ok(html(StatusCode::TOO_MANY_REQUESTS, &page));
    }
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
            diesel::update(r::table.filter(r::id.eq(&request.id)))
                .set((
                    r::confirm_token_hash.eq(Some(token_hash(&fresh))),
                    r::confirm_token_expires_at
                        .eq(Some(now + TimeDelta::hours(CONFIRM_LINK_HOURS))),
                    r::updated_at.eq(now),
                ))
                .execute(conn)?;
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
    Ok(match found {
        None => super::not_found_page(chosen_locale(&req, Locale::Fr)),
        Some((controller, request, sent)) => {
            let t = texts(chosen_locale(&req, request.locale()));
            let (heading, body) = if sent {
                (t.submitted_title, t.new_link_sent)
            } else {
                (t.already_confirmed_title, t.already_confirmed_body)
            };
            html(
                StatusCode::OK,
                &MessagePage::new(t, &controller.name, heading).paragraph(body),
            )
        }
    })
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
