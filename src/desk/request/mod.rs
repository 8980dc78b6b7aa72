//! The request page and everything on it: the page itself (`page.rs`),
//! the actions a DPO takes (`actions.rs`, with the answer templates of
//! `answers.rs`), the acknowledgment of a request received by post or
//! e-mail (`acknowledgment.rs`), the printable letters of later steps
//! (`letters.rs`) and the mails sent to the requester (`mails.rs`).
//!
//! What they share: a request outside the account's scope is answered like
//! one that does not exist (404), and the attempt is audited.

pub mod acknowledgment;
pub mod actions;
pub mod answers;
pub mod form;
pub mod letters;
pub mod mails;
pub mod page;

use chrono::NaiveDateTime;

use crate::audit::{self, Actor, NewEvent};
use crate::domain::ids::{RequestId, StaffId};
use crate::store::queue;

/// The audit event of an action attempted on a request outside the
/// account's scope (answered 404).
pub const OUT_OF_SCOPE_EVENT: &str = "desk.request_out_of_scope";

/// Records an attempt to reach another controller's request (ids only).
pub(crate) fn audit_out_of_scope(
    conn: &mut crate::db::DbConn,
    staff_id: &StaffId,
    request_id: &RequestId,
    action: &str,
    detail: &str,
    now: NaiveDateTime,
) -> anyhow::Result<()> {
    let Some(controller_id) = queue::controller_of(conn, request_id)? else {
        return Ok(());
    };
    audit::append(
        conn,
        now,
        NewEvent {
            actor: Actor::Staff(staff_id.clone()),
            action,
            controller_id: Some(&controller_id),
            request_id: Some(request_id),
            detail: detail.to_owned(),
        },
    )?;
    Ok(())
}
