//! The one harness of every test that talks to the server, after
//! zero2prod's `spawn_app` and crates.io's `TestApp` builder: the real
//! server on a loopback port (port 0) over the test's own database, a
//! manual clock, a real SMTP listener ([`SmtpSink`]) with the mail worker
//! sending to it, and — unless [`TestAppBuilder::empty`] — the two cities
//! (Issy and Vanves) with their staff.
//!
//! ```ignore
//! let app = TestApp::builder().start(&db).await; // Monday 2 March 2026, 9:00 in Paris
//! let app = TestApp::builder()
//!     .at("2026-01-31T09:00:00Z")
//!     .with_settings(Settings { submissions_per_hour: Some(2), ..Settings::default() })
//!     .start(&db)
//!     .await;
//! let app = TestApp::builder().empty().start(&db).await; // a first start
//! ```
//!
//! What the tests do with it lives next to them: the desk's logged-in
//! browsers in [`super::desk`], the citizen's form in [`super::citizen`].

use std::marker::PhantomData;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDateTime;
use dsr_tracker::clock::{Clock, ManualClock};
use dsr_tracker::config::{Config, Settings};
use dsr_tracker::domain::values::{EmailAddress, Locale, ReferencePrefix, Role, Slug};
use dsr_tracker::mail::WorkerHandle;
use dsr_tracker::security::keys::MasterKey;
use dsr_tracker::security::password;
use dsr_tracker::server::Application;
use dsr_tracker::store::{controllers, staff};
use dsr_tracker::web::AppState;

use super::TestDb;
use super::desk::{ADMIN, ADMIN_ISSY, DPO_ISSY, DPO_VANVES, DPO2_ISSY, PASSWORD, VIEWER_ISSY};
use super::smtp::{ReceivedMail, SmtpSink};

/// Monday 2 March 2026, 9:00 in Paris: the default start.
pub const MONDAY: &str = "2026-03-02T08:00:00Z";

/// The running server. `S` is what was put in the database before the
/// first request ([`Cities`] unless the builder said otherwise); the app
/// dereferences to it, so `app.issy` is the city of Issy.
pub struct TestApp<S = Cities> {
    /// `http://127.0.0.1:PORT`, also the configured public URL (links in
    /// mails carry the real port).
    pub base: String,
    pub clock: Arc<ManualClock>,
    pub state: AppState,
    pub smtp: SmtpSink,
    /// The citizen's browser: a cookie jar that does not follow redirects.
    pub client: reqwest::Client,
    pub seed: S,
    _worker: Option<WorkerHandle>,
}

impl<S> Deref for TestApp<S> {
    type Target = S;

    fn deref(&self) -> &S {
        &self.seed
    }
}

/// The two cities; their staff are the accounts of [`super::desk`]
/// (`ADMIN`, `DPO_ISSY`, …), all with the password `PASSWORD`.
pub struct Cities {
    pub issy: controllers::Controller,
    pub vanves: controllers::Controller,
}

/// Issy alone, with its postal address and without staff: the citizen's
/// side as `browser.rs` starts it (that test adds Vanves and its own DPO,
/// and finds Issy by its slug).
pub struct IssyAlone;

/// What a fresh database is given before the server's first request.
pub trait Seed: Sized {
    fn plant(db: &TestDb, now: NaiveDateTime) -> Self;
}

/// [`TestAppBuilder::empty`]: no controller, no staff.
impl Seed for () {
    fn plant(_: &TestDb, _: NaiveDateTime) {}
}

impl Seed for Cities {
    fn plant(db: &TestDb, now: NaiveDateTime) -> Cities {
        let mut conn = db.conn();
        let issy = create_city(&mut conn, ISSY, now);
        let vanves = create_city(&mut conn, VANVES, now);
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
        Cities { issy, vanves }
    }
}

impl Seed for IssyAlone {
    fn plant(db: &TestDb, now: NaiveDateTime) -> IssyAlone {
        let address = Some("47 rue du Général Leclerc\n92130 Issy-les-Moulineaux");
        create_city(&mut db.conn(), (ISSY.0, ISSY.1, ISSY.2, address), now);
        IssyAlone
    }
}

/// `(slug, name, reference prefix, postal address)`.
type City = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);
const ISSY: City = ("issy", "Ville d'Issy-les-Moulineaux", "ISSY", None);
const VANVES: City = ("vanves", "Ville de Vanves", "VAN", None);

fn create_city(
    conn: &mut dsr_tracker::db::DbConn,
    (slug, name, prefix, postal_address): City,
    now: NaiveDateTime,
) -> controllers::Controller {
    controllers::create(
        conn,
        &controllers::NewController {
            slug: Slug::parse(slug).unwrap(),
            name: name.into(),
            reference_prefix: ReferencePrefix::parse(prefix).unwrap(),
            dpo_email: EmailAddress::parse(&format!("dpo@{slug}.example.fr")).unwrap(),
            postal_address: postal_address.map(Into::into),
            locale: Locale::Fr,
        },
        now,
    )
    .unwrap()
}

/// How the next [`TestApp`] starts.
pub struct TestAppBuilder<S = Cities> {
    at: String,
    master_key: Option<MasterKey>,
    settings: Settings,
    mail_worker: bool,
    seed: PhantomData<S>,
}

impl TestApp {
    /// At [`MONDAY`], a generated master key, default settings, the mail
    /// worker running, the two cities and their staff.
    pub fn builder() -> TestAppBuilder {
        TestAppBuilder {
            at: MONDAY.into(),
            master_key: None,
            settings: Settings::default(),
            mail_worker: true,
            seed: PhantomData,
        }
    }
}

impl<S> TestAppBuilder<S> {
    /// The manual clock's first instant (RFC 3339).
    pub fn at(mut self, rfc3339: &str) -> Self {
        self.at = rfc3339.into();
        self
    }

    /// A given master key instead of a generated one (key rotation).
    pub fn with_master_key(mut self, key: MasterKey) -> Self {
        self.master_key = Some(key);
        self
    }

    /// Settings for what the test is about (limits, rates). The database,
    /// data folder, address, public URL and SMTP server are the harness's.
    pub fn with_settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// No mail worker: the test runs its own and steps it.
    pub fn without_mail_worker(mut self) -> Self {
        self.mail_worker = false;
        self
    }

    /// No controller and no staff: what a first start looks like.
    pub fn empty(self) -> TestAppBuilder<()> {
        self.seeded()
    }

    /// Issy alone, without staff (see [`IssyAlone`]).
    pub fn issy_alone(self) -> TestAppBuilder<IssyAlone> {
        self.seeded()
    }

    fn seeded<T>(self) -> TestAppBuilder<T> {
        TestAppBuilder {
            at: self.at,
            master_key: self.master_key,
            settings: self.settings,
            mail_worker: self.mail_worker,
            seed: PhantomData,
        }
    }
}

impl<S: Seed> TestAppBuilder<S> {
    /// Starts the server on `db` (migrated here) and plants the seed.
    pub async fn start(self, db: &TestDb) -> TestApp<S> {
        let smtp = SmtpSink::start();
        // Bind first so the links in the mails carry the real port.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let config = Config::from_settings(Settings {
            database_url: Some(db.url.clone()),
            data_dir: Some(db.data_dir().to_owned()),
            bind_addr: Some("127.0.0.1:0".into()),
            public_url: Some(base.clone()),
            smtp_url: Some(smtp.url()),
            ..self.settings
        })
        .unwrap();
        let clock = Arc::new(ManualClock::at_rfc3339(&self.at).unwrap());
        // Kept where the real binary finds it (`db.cli`), and found there
        // again by an app restarted on the same database: the audit trail
        // is keyed under it, and commands append events.
        let key_file = db.data_dir().join("master.key");
        let master_key = match self.master_key {
            Some(key) => key,
            None if key_file.exists() => {
                MasterKey::parse_base64(&std::fs::read_to_string(&key_file).unwrap()).unwrap()
            }
            None => MasterKey::generate(),
        };
        if !key_file.exists() {
            use base64::Engine;
            std::fs::create_dir_all(db.data_dir()).unwrap();
            std::fs::write(
                &key_file,
                base64::engine::general_purpose::STANDARD.encode(master_key.bytes()),
            )
            .unwrap();
        }
        let mut state = AppState::new(db.pool(), config, clock.clone(), master_key);
        // `?lang=x-pseudo` for the page tour and the pseudo-language tests.
        state.pseudo_locale = true;
        let app = Application::from_listener(state.clone(), listener).unwrap();
        tokio::spawn(app.server);
        let worker = self
            .mail_worker
            .then(|| dsr_tracker::mail::spawn_worker(&state).unwrap());
        let seed = S::plant(db, clock.now());
        TestApp {
            base,
            clock,
            state,
            smtp,
            client: cookie_jar(),
            seed,
            _worker: worker,
        }
    }
}

impl<S> TestApp<S> {
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

/// A client with a cookie jar that does not follow redirects, as every
/// browser of the tests is.
pub fn cookie_jar() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("desk-test/1.0")
        .build()
        .unwrap()
}
