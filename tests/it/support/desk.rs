//! The staff desk's side of the harness ([`TestApp`]): the accounts the
//! two cities are seeded with, a cookie-jar browser that logs in like a
//! person does (login form, CSRF field), requests put straight in the
//! queue, and the audit rows the tests look at.
//!
//! The browser test uses [`insert_request`] to put requests in the queue.
// Each test module uses its own part of the harness.
#![allow(dead_code)]

use diesel::prelude::*;
use dsr_tracker::audit::ChainReport;
use dsr_tracker::clock::Clock;
use dsr_tracker::db::schema::events;
use dsr_tracker::domain::ids::{ControllerId, RequestId, StaffId};
use dsr_tracker::domain::request::{Channel, RequestKind, Status};
use dsr_tracker::domain::values::Locale;
use dsr_tracker::store::{controllers, requests, staff};

use super::TestDb;
use super::app::{TestApp, cookie_jar};

/// Every account of the harness has this password.
pub const PASSWORD: &str = "correct horse battery staple";
/// Administrator of the whole platform (no scope: every controller).
pub const ADMIN: &str = "admin@plateforme.example.fr";
/// Administrator scoped to Issy.
pub const ADMIN_ISSY: &str = "admin@issy.example.fr";
pub const DPO_ISSY: &str = "dpo@issy.example.fr";
pub const DPO2_ISSY: &str = "dpo2@issy.example.fr";
pub const VIEWER_ISSY: &str = "lecteur@issy.example.fr";
pub const DPO_VANVES: &str = "dpo@vanves.example.fr";
/// The answer of [`Browser::grant`].
pub const GRANTED_ANSWER: &str = "Vous trouverez ci-joint la copie de vos données.";
/// The citizen of the requests [`TestApp::new_request`] inserts.
pub const CITIZEN: &str = "jeanne.dupont@example.fr";

/// Reference numbers of the requests the tests insert.
static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

/// The app the desk tests started before [`TestApp::builder`]; the page
/// tour still names it.
pub type DeskApp = TestApp;

/// One HTTP answer, read whole.
pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    /// The body as text (lossy for a binary download: see `bytes`).
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
    /// The body exactly as received (a proof download).
    pub bytes: Vec<u8>,
}

impl Answer {
    pub async fn read(res: reqwest::Response) -> Answer {
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let location = headers
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned());
        let set_cookies = headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        let bytes = res.bytes().await.unwrap().to_vec();
        Answer {
            status,
            location,
            set_cookies,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            headers,
            bytes,
        }
    }

    /// A header's value, empty when absent.
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }

    pub fn session_cookie(&self) -> Option<String> {
        self.set_cookies
            .iter()
            .find(|c| c.starts_with("dsr_session="))
            .cloned()
    }

    /// A redirect to the login page: what a request without a valid
    /// session gets.
    pub fn is_redirect_to_login(&self) -> bool {
        self.status == 303
            && self
                .location
                .as_deref()
                .is_some_and(|l| l.starts_with("/desk/login"))
    }
}

/// One browser: a cookie jar, redirects not followed, and the session's
/// CSRF token once logged in.
pub struct Browser {
    pub base: String,
    pub client: reqwest::Client,
    pub csrf: String,
}

/// The `value` of the input named `name`.
pub fn field_value(body: &str, name: &str) -> Option<String> {
    let at = body.find(&format!("name=\"{name}\""))?;
    let rest = &body[at..];
    let from = rest.find("value=\"")? + "value=\"".len();
    let to = rest[from..].find('"')? + from;
    Some(rest[from..to].to_owned())
}

/// Kept here for the page tour, which imports it from this module.
pub use super::rt;

impl DeskApp {
    /// `TestApp::builder().start(db)`, under the name the page tour uses.
    pub async fn start(db: &TestDb) -> DeskApp {
        TestApp::builder().start(db).await
    }
}

impl<S> TestApp<S> {
    /// A browser that is not logged in.
    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// A browser logged in as `email` (password [`PASSWORD`]), with the
    /// session's CSRF token read off the home page.
    pub async fn login(&self, email: &str) -> Browser {
        let mut b = self.browser();
        let a = b.login(email, PASSWORD).await;
        assert_eq!(a.status, 303, "{}", a.body);
        b.csrf = b.csrf("/desk/").await;
        b
    }

    /// A request received by post today, with the citizen's e-mail, its
    /// due date computed by the real rules.
    pub fn new_request(
        &self,
        db: &TestDb,
        controller: &controllers::Controller,
        kind: RequestKind,
    ) -> requests::Request {
        self.new_request_in(db, controller, kind, Locale::Fr)
    }

    /// [`TestApp::new_request`] from a citizen who chose `locale`.
    pub fn new_request_in(
        &self,
        db: &TestDb,
        controller: &controllers::Controller,
        kind: RequestKind,
        locale: Locale,
    ) -> requests::Request {
        let reference = format!(
            "{}-2026-{:04}",
            controller.reference_prefix,
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        insert_request(db, controller, kind, locale, self.clock.now(), &reference)
    }
}

impl Browser {
    /// A cookie jar that does not follow redirects.
    pub fn new(base: &str) -> Browser {
        Browser {
            base: base.to_owned(),
            client: cookie_jar(),
            csrf: String::new(),
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(self.client.get(self.url(path))).await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Answer {
        self.send(self.client.post(self.url(path)).form(form)).await
    }

    /// A multipart form (file uploads).
    pub async fn post_multipart(&self, path: &str, form: reqwest::multipart::Form) -> Answer {
        self.send(self.client.post(self.url(path)).multipart(form))
            .await
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        Answer::read(request.send().await.unwrap()).await
    }

    /// The page at `path`: asserted 200, its body.
    pub async fn page(&self, path: &str) -> String {
        let a = self.get(path).await;
        assert_eq!(a.status, 200, "{path}: {}", a.body);
        a.body
    }

    /// The `csrf` hidden field of the page at `path`.
    pub async fn csrf(&self, path: &str) -> String {
        let a = self.get(path).await;
        assert_eq!(a.status, 200, "{}", a.body);
        field_value(&a.body, "csrf").expect("csrf field")
    }

    /// Fills and sends the login form; the answer is the form's.
    pub async fn login(&self, email: &str, password: &str) -> Answer {
        let csrf = self.csrf("/desk/login").await;
        self.post(
            "/desk/login",
            &[("csrf", &csrf), ("email", email), ("password", password)],
        )
        .await
    }

    /// Posts an action with the session's token and `version`.
    pub async fn act(
        &self,
        request_id: &(impl std::fmt::Display + ?Sized),
        code: &str,
        version: i64,
        fields: &[(&str, &str)],
    ) -> Answer {
        let version = version.to_string();
        let mut form = vec![("csrf", self.csrf.as_str()), ("version", version.as_str())];
        form.extend_from_slice(fields);
        self.post(
            &format!("/desk/requests/{request_id}/actions/{code}"),
            &form,
        )
        .await
    }

    /// Closes `request_id` as granted with the usual answer (a copy of the
    /// data), which must succeed.
    pub async fn grant(&self, request_id: &(impl std::fmt::Display + ?Sized), version: i64) {
        self.act_ok(
            request_id,
            "close",
            version,
            &[
                ("outcome", "granted"),
                ("refusal_ground", ""),
                ("answer", GRANTED_ANSWER),
            ],
        )
        .await;
    }

    /// [`Browser::act`] that must succeed with a 303 back to the request page.
    pub async fn act_ok(
        &self,
        request_id: &(impl std::fmt::Display + ?Sized),
        code: &str,
        version: i64,
        fields: &[(&str, &str)],
    ) {
        let a = self.act(request_id, code, version, fields).await;
        assert_eq!(a.status, 303, "{code}: {}", a.body);
        let location = a.location.unwrap();
        assert!(
            location.starts_with(&format!("/desk/requests/{request_id}?notice=")),
            "{location}"
        );
    }
}

/// A request received by post at `received_at` from [`CITIZEN`], with
/// its due date computed by the real rules: for tests that run another
/// harness (the browser's) or need a receipt date in the past.
pub fn insert_request(
    db: &TestDb,
    controller: &controllers::Controller,
    kind: RequestKind,
    locale: Locale,
    received_at: chrono::NaiveDateTime,
    reference: &str,
) -> requests::Request {
    let mut conn = db.conn();
    let mut request = requests::insert(
        &mut conn,
        &requests::NewRequest {
            controller_id: controller.id.clone(),
            kind,
            channel: Channel::Post,
            status: Status::Received,
            locale,
            first_name: "Jeanne".into(),
            last_name: "Dupont".into(),
            email: Some(CITIZEN.into()),
            postal_address: None,
            details: "Ma demande.".into(),
            objection_grounds: None,
            submitted_at: received_at,
            received_at: Some(received_at),
            due_on: None,
            reference: Some(reference.to_owned()),
            confirm_token_hash: None,
            confirm_token_expires_at: None,
            status_token_hash: None,
            submitter_ip: None,
            submitter_user_agent: None,
        },
    )
    .unwrap();
    let due = requests::compute_due_on(&mut conn, &request, controller, received_at).unwrap();
    diesel::update(dsr_tracker::db::schema::requests::table.find(&request.id))
        .set(dsr_tracker::db::schema::requests::due_on.eq(due))
        .execute(&mut conn)
        .unwrap();
    request.due_on = due;
    request
}

pub fn reload(db: &TestDb, id: &RequestId) -> requests::Request {
    requests::find(&mut db.conn(), id).unwrap()
}

/// One row of the audit chain, as the tests look at it.
#[derive(Debug, Queryable)]
pub struct EventRow {
    pub actor_id: Option<StaffId>,
    pub controller_id: Option<ControllerId>,
    pub request_id: Option<RequestId>,
    pub detail: String,
}

/// Every event named `action`, oldest first.
pub fn events_named(db: &TestDb, action: &str) -> Vec<EventRow> {
    events::table
        .filter(events::action.eq(action))
        .order(events::seq.asc())
        .select((
            events::actor_id,
            events::controller_id,
            events::request_id,
            events::detail,
        ))
        .load(&mut db.conn())
        .unwrap()
}

/// `(actor_id, request_id, detail)` of the events named `action`.
pub fn events_by_request(
    db: &TestDb,
    action: &str,
) -> Vec<(Option<StaffId>, Option<RequestId>, String)> {
    events_named(db, action)
        .into_iter()
        .map(|e| (e.actor_id, e.request_id, e.detail))
        .collect()
}

/// `(actor_id, controller_id, detail)` of the events named `action`.
pub fn events_by_controller(
    db: &TestDb,
    action: &str,
) -> Vec<(Option<StaffId>, Option<ControllerId>, String)> {
    events_named(db, action)
        .into_iter()
        .map(|e| (e.actor_id, e.controller_id, e.detail))
        .collect()
}

pub fn assert_chain_intact(db: &TestDb) {
    assert!(matches!(
        dsr_tracker::audit::verify(&mut db.conn()).unwrap(),
        ChainReport::Intact { .. }
    ));
}

pub fn staff_id(db: &TestDb, email: &str) -> StaffId {
    staff::find_by_email(&mut db.conn(), email)
        .unwrap()
        .expect("staff exists")
        .id
}
