//! `/desk/`: who is logged in, and the controllers in the account's scope
//! (with, for an administrator, the way to each one's settings).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::pages::{ControllerRow, HomePage, StaffBar, lang_switch};
use super::texts::texts;
use super::{blocking, chosen_locale};
use crate::security::session::StaffSession;
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
    let controllers =
        blocking(&state, move |conn| Ok(scope::controllers(conn, &in_scope)?)).await?;
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
        queue_link: (
            format!("/desk/queue?lang={}", t.lang),
            super::queue_texts::queue_texts(locale).queue_link,
        ),
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
