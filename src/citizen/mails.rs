//! The citizen's e-mails, queued in the caller's transaction.

use chrono::NaiveDateTime;
use diesel::QueryResult;

use crate::db::DbConn;
use crate::mail::{
    self, AcknowledgmentMail, ConfirmationMail, OutgoingMail, RenderedMail, WithdrawalMail,
};
use crate::store::controllers::Controller;
use crate::store::requests::Request;
use crate::web::AppState;

fn queue(
    conn: &mut DbConn,
    state: &AppState,
    controller: &Controller,
    request: &Request,
    rendered: RenderedMail,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let Some(to) = request.email.clone() else {
        // A request registered from a letter without an address: the DPO
        // answers by post.
        return Ok(());
    };
    mail::enqueue(
        conn,
        now,
        &mail::message_id_domain(&state.config.public_url),
        &OutgoingMail::new(
            to,
            rendered,
            Some(request.id.clone()),
            Some(controller.id.clone()),
        ),
    )
    .map(|_| ())
}

pub fn confirmation(
    conn: &mut DbConn,
    state: &AppState,
    controller: &Controller,
    request: &Request,
    confirm_url: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let rendered = ConfirmationMail {
        controller_name: controller.name.clone(),
        kind: request.kind(),
        confirm_url: confirm_url.to_owned(),
        expires_hours: super::CONFIRM_LINK_HOURS as u32,
    }
    .render(request.locale());
    queue(conn, state, controller, request, rendered, now)
}

pub fn acknowledgment(
    conn: &mut DbConn,
    state: &AppState,
    controller: &Controller,
    request: &Request,
    status_url: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let received_on = controller.local_date(request.received_at.unwrap_or(now));
    let rendered = AcknowledgmentMail {
        controller_name: controller.name.clone(),
        reference: request.reference.clone().unwrap_or_default(),
        kind: request.kind(),
        received_on,
        due_on: request.due_on.unwrap_or(received_on),
        status_url: status_url.to_owned(),
        dpo_email: controller.dpo_email.clone(),
        dpo_postal_address: controller.postal_address.clone(),
    }
    .render(request.locale());
    queue(conn, state, controller, request, rendered, now)
}

pub fn withdrawal(
    conn: &mut DbConn,
    state: &AppState,
    controller: &Controller,
    request: &Request,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let rendered = WithdrawalMail {
        controller_name: controller.name.clone(),
        reference: request.reference.clone().unwrap_or_default(),
        dpo_email: controller.dpo_email.clone(),
    }
    .render(request.locale());
    queue(conn, state, controller, request, rendered, now)
}
