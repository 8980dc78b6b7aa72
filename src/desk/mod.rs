//! The staff side ("espace DPO"): login and logout with server-side
//! sessions, the home page listing the controllers in the account's scope,
//! and the administrator's retention settings of a controller. French
//! first, English with `?lang=en`; no JavaScript; errors next to their
//! field and summarised at the top, as on the citizen pages.
//!
//! | route | who | what |
//! |---|---|---|
//! | `GET/POST /desk/login` | anyone | e-mail + password (double-submit CSRF cookie), rate limited |
//! | `POST /desk/logout` | staff | ends the session (session CSRF token) |
//! | `GET /desk/` | staff | controllers in scope |
//! | `GET/POST /desk/controllers/{slug}/settings` | admin in scope | retention settings |
//! | `GET /desk/queue` | staff | requests in scope, by due date, filters, search |
//! | `GET /desk/requests/{id}` | staff in scope | the request page (404 + audit outside scope) |
//! | `GET /desk/requests/{id}/proofs/{proof_id}` | staff in scope | a proof as an attachment (audited) |
//! | `GET /desk/account` | staff | own account; two-step verification set-up |
//! | `POST /desk/account/totp/enable` | staff | confirms the set-up (code + password) |
//! | `POST /desk/account/totp/disable` | staff | turns it off (code + password) |
//! | `GET/POST /desk/account/tokens` | staff | own API tokens; create one (shown once) |
//! | `POST /desk/account/tokens/{id}/revoke` | staff | revoke one of one's own tokens |
//! | `GET/POST /desk/requests/new` | dpo, admin | register a request received by post or e-mail |
//! | `POST /desk/requests/{id}/acknowledge` | dpo, admin in scope | acknowledgment by e-mail |
//! | `GET /desk/requests/{id}/letter` | staff in scope | printable acknowledgment letter (audited) |
//! | `GET /desk/requests/{id}/letters/{decision,extension}` | staff in scope | printable decision / extension letter (audited) |
//! | `GET /desk/requests/{id}/letters/information/{message_id}` | staff in scope | printable request for information (audited) |
//! | `GET/POST /desk/setup/{token}` | anyone with the first-run link, while no staff exists | first controller + platform admin |
//! | `GET /desk/staff` | admin | accounts within the admin's scope |
//! | `GET/POST /desk/staff/new` | admin | add an account (scope within the admin's) |
//! | `POST /desk/staff/{id}/disable` | admin | disable an account, ending its sessions |
//! | `GET/POST /desk/staff/{id}/edit` | admin | change an account's role and controllers |
//! | `GET /desk/controllers` | admin | controllers in scope |
//! | `GET/POST /desk/controllers/new` | platform admin | add a controller |
//! | `POST /desk/requests/{id}/mails/{mail_id}/retry` | dpo, admin in scope | sends a failed mail again (audited) |
//!
//! Authentication is the [`StaffSession`](crate::security::session::StaffSession)
//! extractor; roles are checked by each handler, scope in each query
//! ([`crate::store::scope`]).

mod account;
mod admin;
mod extract;
mod home;
mod login;
mod pages;
mod queue;
mod register;
pub mod request;
pub mod setup;
mod tokens;

use actix_web::{HttpRequest, web};
use chrono::TimeDelta;

use crate::web::pages::see_other;

/// Failed logins allowed per account and address in [`LOGIN_WINDOW`]
/// (three times as many per address across accounts); beyond, the login
/// page answers 429 without checking the password. Failures on one account
/// from many addresses only slow it down
/// ([`crate::security::rate_limit::LoginThrottle`]).
pub const LOGIN_ATTEMPTS: u32 = 10;
pub const LOGIN_WINDOW: TimeDelta = TimeDelta::minutes(15);

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/desk", web::get().to(redirect_to_home))
        .route("/desk/", web::get().to(home::show))
        .route("/desk/login", web::get().to(login::show))
        .route("/desk/login", web::post().to(login::submit))
        .route("/desk/logout", web::post().to(login::logout))
        // Before `/desk/requests/{id}`, which would take "new" for an id.
        .route("/desk/requests/new", web::get().to(register::show))
        .route("/desk/requests/new", web::post().to(register::submit))
        .route(
            "/desk/requests/{id}/acknowledge",
            web::post().to(request::acknowledgment::acknowledge),
        )
        .route(
            "/desk/requests/{id}/letter",
            web::get().to(request::acknowledgment::letter),
        )
        .route(
            "/desk/requests/{id}/letters/information/{message_id}",
            web::get().to(request::letters::show_information),
        )
        .route(
            "/desk/requests/{id}/letters/{kind}",
            web::get().to(request::letters::show),
        )
        .route(
            "/desk/controllers/{slug}/settings",
            web::get().to(admin::settings::show),
        )
        .route(
            "/desk/controllers/{slug}/settings",
            web::post().to(admin::settings::submit),
        )
        .route(
            "/desk/requests/{id}/actions/{action}",
            web::post().to(request::actions::submit),
        )
        .route("/desk/queue", web::get().to(queue::show))
        .route("/desk/requests/{id}", web::get().to(request::page::show))
        .route(
            "/desk/requests/{id}/mails/{mail_id}/retry",
            web::post().to(request::mails::retry),
        )
        .route(
            "/desk/requests/{id}/proofs/{proof_id}",
            web::get().to(request::page::download),
        )
        .route("/desk/account", web::get().to(account::show))
        .route("/desk/account/tokens", web::get().to(tokens::show))
        .route("/desk/account/tokens", web::post().to(tokens::create))
        .route(
            "/desk/account/tokens/{id}/revoke",
            web::post().to(tokens::revoke),
        )
        .route("/desk/account/totp/enable", web::post().to(account::enable))
        .route(
            "/desk/account/totp/disable",
            web::post().to(account::disable),
        );
    cfg.route("/desk/setup/{token}", web::get().to(setup::show))
        .route("/desk/setup/{token}", web::post().to(setup::submit))
        .route("/desk/staff", web::get().to(admin::staff::list))
        .route("/desk/staff/new", web::get().to(admin::staff::new_form))
        .route("/desk/staff/new", web::post().to(admin::staff::create))
        .route(
            "/desk/staff/{id}/disable",
            web::post().to(admin::staff::disable),
        )
        .route(
            "/desk/staff/{id}/edit",
            web::get().to(admin::staff::edit_form),
        )
        .route(
            "/desk/staff/{id}/edit",
            web::post().to(admin::staff::update),
        )
        .route("/desk/controllers", web::get().to(admin::controllers::list))
        .route(
            "/desk/controllers/new",
            web::get().to(admin::controllers::new_form),
        )
        .route(
            "/desk/controllers/new",
            web::post().to(admin::controllers::create),
        );
}

async fn redirect_to_home() -> actix_web::HttpResponse {
    see_other("/desk/")
}

/// A urlencoded form as submitted: the first value of each name wins, and
/// a value that is not valid text never reaches a handler.
pub(crate) struct Fields(Vec<(String, String)>);

impl Fields {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl From<web::Form<Vec<(String, String)>>> for Fields {
    fn from(form: web::Form<Vec<(String, String)>>) -> Self {
        Fields(form.into_inner())
    }
}

use crate::web::blocking;

/// The client's address ([`crate::web::client_ip`]: behind a trusted
/// proxy, from `X-Forwarded-For`), for the rate limit and the login records.
fn peer_ip(req: &HttpRequest) -> Option<String> {
    crate::web::client_ip(req)
}

fn user_agent(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(crate::security::session::truncate_user_agent)
}
