//! One harness for every test of the staff desk: the real server on a
//! loopback port with a manual clock, a real SMTP listener and the mail
//! worker, two cities (Issy and Vanves) and their staff, and a cookie-jar
//! browser that logs in like a person does (login form, CSRF field).
//!
//! Every desk test module (`desk`, `desk_queue`, `desk_actions`,
//! `desk_answers`, …) starts here instead of building its own server; the
//! browser test uses [`insert_request`] to put requests in the queue.
// Each test module uses its own part of the harness.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use dsr_tracker::audit::ChainReport;
use dsr_tracker::clock::{Clock, ManualClock};
use dsr_tracker::config::{Config, Settings};
use dsr_tracker::db::schema::events;
use dsr_tracker::domain::request::{Channel, RequestKind, Status};
use dsr_tracker::domain::values::{EmailAddress, Locale, ReferencePrefix, Role, Slug};
use dsr_tracker::security::keys::MasterKey;
use dsr_tracker::security::password;
use dsr_tracker::server::Application;
use dsr_tracker::store::{controllers, requests, staff};
use dsr_tracker::web::AppState;

use super::TestDb;
use super::smtp::{ReceivedMail, SmtpSink};

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
/// The citizen of the requests [`DeskApp::new_request`] inserts.
pub const CITIZEN: &str = "jeanne.dupont@example.fr";

/// Reference numbers of the requests the tests insert.
static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

pub struct DeskApp {
    pub base: String,
    pub clock: Arc<ManualClock>,
    pub state: AppState,
    pub smtp: SmtpSink,
    pub issy: controllers::Controller,
    pub vanves: controllers::Controller,
    _worker: dsr_tracker::mail::WorkerHandle,
}

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

pub use super::rt;

impl DeskApp {
    /// The server on Monday 2 March 2026, 9:00 in Paris.
    pub async fn start(db: &TestDb) -> DeskApp {
        Self::start_at(db, "2026-03-02T08:00:00Z").await
    }

    pub async fn start_at(db: &TestDb, rfc3339: &str) -> DeskApp {
        Self::start_with_key(db, rfc3339, MasterKey::generate()).await
    }

    /// [`DeskApp::start_at`] with a given master key (key-rotation tests).
    pub async fn start_with_key(db: &TestDb, rfc3339: &str, master_key: MasterKey) -> DeskApp {
        let EmptyDesk {
            base,
            clock,
            state,
            smtp,
            _worker: worker,
        } = EmptyDesk::start_with_key(db, rfc3339, master_key).await;

        let mut conn = db.conn();
        let now = clock.now();
        let controller = |slug: &str, name: &str, prefix: &str| controllers::NewController {
            slug: Slug::parse(slug).unwrap(),
            name: name.into(),
            reference_prefix: ReferencePrefix::parse(prefix).unwrap(),
            dpo_email: EmailAddress::parse(&format!("dpo@{slug}.example.fr")).unwrap(),
            postal_address: None,
            locale: Locale::Fr,
        };
        let issy = controllers::create(
            &mut conn,
            &controller("issy", "Ville d'Issy-les-Moulineaux", "ISSY"),
            now,
        )
        .unwrap();
        let vanves = controllers::create(
            &mut conn,
            &controller("vanves", "Ville de Vanves", "VAN"),
            now,
        )
        .unwrap();
        let hash = password::hash(PASSWORD);
        for (email, role, scope) in [
            (ADMIN, Role::Admin, vec![]),
            (ADMIN_ISSY, Role::Admin, vec![issy.id.clone()]),
            (DPO_ISSY, Role::Dpo, vec![issy.id.clone()]),
            (DPO2_ISSY, Role::Dpo, vec![issy.id.clone()]),
            (VIEWER_ISSY, Role::Viewer, vec![issy.id.clone()]),
            (DPO_VANVES, Role::Dpo, vec![vanves.id.clone()]),
        ] {
            staff::create(
                &mut conn,
                &EmailAddress::parse(email).unwrap(),
                role,
                &hash,
                &scope,
                now,
            )
            .unwrap();
        }
        DeskApp {
            base,
            clock,
            state,
            smtp,
            issy,
            vanves,
            _worker: worker,
        }
    }

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

    /// [`DeskApp::new_request`] from a citizen who chose `locale`.
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

    /// Waits for exactly `n` mails at the SMTP listener.
    pub async fn mails(&self, n: usize) -> Vec<ReceivedMail> {
        let mails = self
            .smtp
            .wait_for_messages_async(n, Duration::from_secs(20))
            .await;
        assert_eq!(mails.len(), n, "expected {n} mails");
        mails
    }
}

/// The same server on a database with no controller and no staff: what a
/// first start looks like.
pub struct EmptyDesk {
    pub base: String,
    pub clock: Arc<ManualClock>,
    pub state: AppState,
    pub smtp: SmtpSink,
    _worker: dsr_tracker::mail::WorkerHandle,
}

impl EmptyDesk {
    pub async fn start(db: &TestDb) -> EmptyDesk {
        Self::start_at(db, "2026-03-02T08:00:00Z").await
    }

    pub async fn start_at(db: &TestDb, rfc3339: &str) -> EmptyDesk {
        Self::start_with_key(db, rfc3339, MasterKey::generate()).await
    }

    pub async fn start_with_key(db: &TestDb, rfc3339: &str, master_key: MasterKey) -> EmptyDesk {
        let smtp = SmtpSink::start();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let config = Config::from_settings(Settings {
            database_url: Some(db.url.clone()),
            data_dir: Some(db.data_dir().to_owned()),
            bind_addr: Some("127.0.0.1:0".into()),
            public_url: Some(base.clone()),
            smtp_url: Some(smtp.url()),
            ..Settings::default()
        })
        .unwrap();
        let clock = Arc::new(ManualClock::at_rfc3339(rfc3339).unwrap());
        let mut state = AppState::new(db.pool(), config, clock.clone(), master_key);
        // `?lang=x-pseudo` for the page tour (tests/it/page_tour.rs).
        state.pseudo_locale = true;
        let app = Application::from_listener(state.clone(), listener).unwrap();
        tokio::spawn(app.server);
        let worker = dsr_tracker::mail::spawn_worker(&state).unwrap();
        EmptyDesk {
            base,
            clock,
            state,
            smtp,
            _worker: worker,
        }
    }

    /// A browser that is not logged in.
    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }
}

impl Browser {
    /// A cookie jar that does not follow redirects.
    pub fn new(base: &str) -> Browser {
        Browser {
            base: base.to_owned(),
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .user_agent("desk-test/1.0")
                .build()
                .unwrap(),
            csrf: String::new(),
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        Answer::read(
            self.client
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Answer {
        Answer::read(
            self.client
                .post(format!("{}{path}", self.base))
                .form(form)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// A multipart form (file uploads).
    pub async fn post_multipart(&self, path: &str, form: reqwest::multipart::Form) -> Answer {
        Answer::read(
            self.client
                .post(format!("{}{path}", self.base))
                .multipart(form)
                .send()
                .await
                .unwrap(),
        )
        .await
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
        request_id: &str,
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

    /// [`Browser::act`] that must succeed with a 303 back to the request page.
    pub async fn act_ok(
        &self,
        request_id: &str,
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

pub fn reload(db: &TestDb, id: &str) -> requests::Request {
    requests::find(&mut db.conn(), id).unwrap()
}

/// One row of the audit chain, as the tests look at it.
#[derive(Debug, Queryable)]
pub struct EventRow {
    pub actor_id: Option<String>,
    pub controller_id: Option<String>,
    pub request_id: Option<String>,
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
) -> Vec<(Option<String>, Option<String>, String)> {
    events_named(db, action)
        .into_iter()
        .map(|e| (e.actor_id, e.request_id, e.detail))
        .collect()
}

/// `(actor_id, controller_id, detail)` of the events named `action`.
pub fn events_by_controller(
    db: &TestDb,
    action: &str,
) -> Vec<(Option<String>, Option<String>, String)> {
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

pub fn staff_id(db: &TestDb, email: &str) -> String {
    staff::find_by_email(&mut db.conn(), email)
        .unwrap()
        .expect("staff exists")
        .id
}
