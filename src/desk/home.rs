//! `/desk/`: who is logged in, what waits in the queue (overdue, due
//! within 7 days, open: a DPO with thirty requests sees at once where to
//! start), and the controllers in the account's scope (with, for an
//! administrator, the way to each one's settings).

use actix_web::http::StatusCode;
use actix_web::web;

use super::blocking;
use super::pages::{ControllerRow, HomePage, StaffBar, WorkloadItem, lang_switch_to};
use crate::security::session::StaffSession;
use crate::store::queue::{self, QueueFilter};
use crate::store::scope::{self, Scope};
use crate::web::pages::html;
use crate::web::{AppState, PageLang, PageResult};

pub async fn show(lang: PageLang, state: web::Data<AppState>, session: StaffSession) -> PageResult {
    let t = lang.0;
    let l = t.query_lang();
    let in_scope = session.scope.clone();
    let now = state.clock.now();
    let (controllers, overdue, due_soon, open, undelivered) = blocking(&state, move |conn| {
        let controllers = scope::controllers(conn, &in_scope)?;
        // The queue's "today": the first controller's calendar.
        let today = controllers
            .first()
            .map(|c| c.local_date(now))
            .unwrap_or_else(|| super::queue::paris_date(now));
        let count =
            |conn: &mut _, filter: QueueFilter| queue::count(conn, &in_scope, &filter, today);
        let overdue = count(
            conn,
            QueueFilter {
                overdue: true,
                ..Default::default()
            },
        )?;
        let due_soon = count(
            conn,
            QueueFilter {
                due_within_7: true,
                ..Default::default()
            },
        )?;
        let open = count(conn, QueueFilter::default())?;
        let undelivered = crate::mail::outbox::undelivered_in_scope(conn, &in_scope, 50)?;
        Ok((controllers, overdue, due_soon, open, undelivered))
    })
    .await?;
    let is_admin = session.is_admin();
    let rows = controllers
        .into_iter()
        .map(|c| ControllerRow {
            form_url: format!("/c/{}/", c.slug),
            settings_url: is_admin
                .then(|| format!("/desk/controllers/{}/settings?lang={l}", c.slug)),
            name: c.name,
            slug: c.slug,
        })
        .collect();
    let page = HomePage {
        t,
        page_title: t.desk_page_title(t.desk_home_title()),
        header_name: t.desk_header(),
        lang_switch_url: lang_switch_to("/desk/", t),
        bar: Some(StaffBar::of(&session, t)),
        all_controllers: session.scope == Scope::All,
        is_admin,
        controllers: rows,
        queue_url: format!("/desk/queue?lang={l}"),
        staff_url: is_admin.then(|| format!("/desk/staff?lang={l}")),
        controllers_url: is_admin.then(|| format!("/desk/controllers?lang={l}")),
        workload: vec![
            WorkloadItem {
                count: overdue,
                label: t.desk_home_overdue(overdue),
                href: format!("/desk/queue?lang={l}&overdue=1"),
            },
            WorkloadItem {
                count: due_soon,
                label: t.desk_home_due_soon(due_soon),
                href: format!("/desk/queue?lang={l}&due_within_7=1"),
            },
            WorkloadItem {
                count: open,
                label: t.desk_home_open(open),
                href: format!("/desk/queue?lang={l}"),
            },
        ],
        undelivered: undelivered
            .into_iter()
            .map(|(id, reference)| {
                (
                    reference.unwrap_or_else(|| id.to_string()),
                    format!("/desk/requests/{id}?lang={l}"),
                )
            })
            .collect(),
    };
    Ok(html(StatusCode::OK, &page))
}
