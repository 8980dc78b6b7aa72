//! `/desk/`: who is logged in, what waits in the queue (overdue, due
//! within 7 days, open: a DPO with thirty requests sees at once where to
//! start), and the controllers in the account's scope (with, for an
//! administrator, the way to each one's settings).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::pages::{ControllerRow, HomePage, StaffBar, lang_switch};
use super::texts::texts;
use super::{blocking, chosen_locale};
use crate::security::session::StaffSession;
use crate::store::queue::{self, QueueFilter};
use crate::store::scope::{self, Scope};
use crate::web::AppState;
use crate::web::pages::html;

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: StaffSession,
) -> Result<HttpResponse, actix_web::Error> {
    let locale = chosen_locale(&req);
    let t = texts(locale);
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
    let tr = crate::i18n::Tr::new(locale);
    let is_admin = session.is_admin();
    let rows = controllers
        .into_iter()
        .map(|c| ControllerRow {
            form_url: format!("/c/{}/", c.slug),
            settings_url: is_admin
                .then(|| format!("/desk/controllers/{}/settings?lang={}", c.slug, t.lang)),
            name: c.name,
            slug: c.slug,
        })
        .collect();
    let page = HomePage {
        t,
        page_title: format!("{} — {}", t.home_title, t.header),
        header_name: t.header.to_owned(),
        lang_switch_url: lang_switch("/desk/", t),
        bar: Some(StaffBar::new(&session, locale)),
        all_controllers: session.scope == Scope::All,
        is_admin,
        controllers: rows,
        queue_link: (format!("/desk/queue?lang={}", t.lang), tr.queue_link()),
        workload: vec![
            (
                overdue,
                tr.queue_workload_overdue(),
                format!("/desk/queue?lang={}&overdue=1", t.lang),
            ),
            (
                due_soon,
                tr.queue_workload_due_soon(),
                format!("/desk/queue?lang={}&due_within_7=1", t.lang),
            ),
            (
                open,
                tr.queue_workload_open(open),
                format!("/desk/queue?lang={}", t.lang),
            ),
        ],
        workload_title: tr.queue_workload_title(),
        undelivered: undelivered
            .into_iter()
            .map(|(id, reference)| {
                (
                    reference.unwrap_or_else(|| id.clone()),
                    format!("/desk/requests/{id}?lang={}", t.lang),
                )
            })
            .collect(),
        undelivered_title: super::mail_texts::mail_texts(locale).home_title,
        undelivered_hint: super::mail_texts::mail_texts(locale).home_hint,
        admin_links: if is_admin {
            let a = super::admin_texts::admin_texts(locale);
            vec![
                (format!("/desk/staff?lang={}", t.lang), a.manage_staff),
                (
                    format!("/desk/controllers?lang={}", t.lang),
                    a.manage_controllers,
                ),
            ]
        } else {
            Vec::new()
        },
    };
    Ok(html(StatusCode::OK, &page))
}
