//! The DPO's actions on a request (`POST /desk/requests/{id}/actions/{code}`)
//! through the real server and a real SMTP listener, on both backends: the
//! full handling of a request, refusals with structured grounds, the
//! deadline cases (suspension, extension inside and after the first month),
//! the suppression list, and every bad input checked for "clear answer,
//! nothing changed".

use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, TimeDelta};
use diesel::prelude::*;
use dsr_tracker::audit::ChainReport;
use dsr_tracker::clock::{Clock, ManualClock};
use dsr_tracker::config::{Config, Settings};
use dsr_tracker::db::schema::{events, outbox, request_recipients, request_suspensions};
use dsr_tracker::domain::request::{Channel, RequestKind, Status};
use dsr_tracker::domain::values::{EmailAddress, Locale, ReferencePrefix, Role, Slug};
use dsr_tracker::security::keys::MasterKey;
use dsr_tracker::security::password;
use dsr_tracker::store::suppression;
use dsr_tracker::store::{controllers, messages, requests, staff};
use dsr_tracker::web::{AppState, Application};

use crate::support::TestDb;
use crate::support::smtp::{ReceivedMail, SmtpSink};

const PASSWORD: &str = "correct horse battery staple";
const DPO_ISSY: &str = "dpo@issy.example.fr";
const DPO2_ISSY: &str = "dpo2@issy.example.fr";
const VIEWER_ISSY: &str = "lecteur@issy.example.fr";
const CITIZEN: &str = "jeanne.dupont@example.fr";

/// Reference numbers of the requests the tests insert.
static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

struct App {
    base: String,
    clock: Arc<ManualClock>,
    state: AppState,
    smtp: SmtpSink,
    issy: controllers::Controller,
    vanves: controllers::Controller,
    _worker: dsr_tracker::mail::WorkerHandle,
}

struct Answer {
    status: u16,
    location: Option<String>,
    body: String,
}

/// A logged-in staff member's browser and the session's CSRF token.
struct Staff {
    base: String,
    client: reqwest::Client,
    csrf: String,
}

fn field_value(body: &str, name: &str) -> Option<String> {
    let at = body.find(&format!("name=\"{name}\""))?;
    let rest = &body[at..];
    let from = rest.find("value=\"")? + "value=\"".len();
    let to = rest[from..].find('"')? + from;
    Some(rest[from..to].to_owned())
}

async fn answer(res: reqwest::Response) -> Answer {
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned());
    Answer {
        status,
        location,
        body: res.text().await.unwrap(),
    }
}

impl App {
    async fn start(db: &TestDb) -> App {
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
        // Monday 2 March 2026, 9:00 in Paris.
        let clock = Arc::new(ManualClock::at_rfc3339("2026-03-02T08:00:00Z").unwrap());
        let state = AppState::new(db.pool(), config, clock.clone(), MasterKey::generate());
        let app = Application::from_listener(state.clone(), listener).unwrap();
        tokio::spawn(app.server);
        let worker = dsr_tracker::mail::spawn_worker(&state).unwrap();

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
        for (email, role) in [
            (DPO_ISSY, Role::Dpo),
            (DPO2_ISSY, Role::Dpo),
            (VIEWER_ISSY, Role::Viewer),
        ] {
            staff::create(
                &mut conn,
                &EmailAddress::parse(email).unwrap(),
                role,
                &hash,
                std::slice::from_ref(&issy.id),
                now,
            )
            .unwrap();
        }
        App {
            base,
            clock,
            state,
            smtp,
            issy,
            vanves,
            _worker: worker,
        }
    }

    async fn login(&self, email: &str) -> Staff {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let page = answer(
            client
                .get(format!("{}/desk/login", self.base))
                .send()
                .await
                .unwrap(),
        )
        .await;
        let csrf = field_value(&page.body, "csrf").unwrap();
        let a = answer(
            client
                .post(format!("{}/desk/login", self.base))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("email", email),
                    ("password", PASSWORD),
                ])
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(a.status, 303, "{}", a.body);
        let home = answer(
            client
                .get(format!("{}/desk/", self.base))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(home.status, 200, "{}", home.body);
        let csrf = field_value(&home.body, "csrf").expect("session csrf");
        Staff {
            base: self.base.clone(),
            client,
            csrf,
        }
    }

    /// A request received by post today, with the citizen's address.
    fn new_request(
        &self,
        db: &TestDb,
        controller: &controllers::Controller,
        kind: RequestKind,
    ) -> requests::Request {
        let mut conn = db.conn();
        let now = self.clock.now();
        let mut request = requests::insert(
            &mut conn,
            &requests::NewRequest {
                controller_id: controller.id.clone(),
                kind,
                channel: Channel::Post,
                status: Status::Received,
                locale: Locale::Fr,
                first_name: "Jeanne".into(),
                last_name: "Dupont".into(),
                email: Some(CITIZEN.into()),
                postal_address: None,
                details: "Ma demande.".into(),
                objection_grounds: None,
                submitted_at: now,
                received_at: Some(now),
                due_on: None,
                reference: Some(format!(
                    "{}-2026-{:04}",
                    controller.reference_prefix,
                    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                )),
                confirm_token_hash: None,
                confirm_token_expires_at: None,
                status_token_hash: None,
                submitter_ip: None,
                submitter_user_agent: None,
            },
        )
        .unwrap();
        let due = requests::compute_due_on(&mut conn, &request, controller, now).unwrap();
        diesel::update(dsr_tracker::db::schema::requests::table.find(&request.id))
            .set(dsr_tracker::db::schema::requests::due_on.eq(due))
            .execute(&mut conn)
            .unwrap();
        request.due_on = due;
        request
    }

    async fn mails(&self, n: usize) -> Vec<ReceivedMail> {
        let mails = self
            .smtp
            .wait_for_messages_async(n, Duration::from_secs(20))
            .await;
        assert_eq!(mails.len(), n, "expected {n} mails");
        mails
    }
}

impl Staff {
    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Answer {
        answer(
            self.client
                .post(format!("{}{path}", self.base))
                .form(form)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Posts an action with the session's token and `version`.
    async fn act(
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

    /// [`Staff::act`] that must succeed with a 303 back to the request page.
    async fn act_ok(&self, request_id: &str, code: &str, version: i64, fields: &[(&str, &str)]) {
        let a = self.act(request_id, code, version, fields).await;
        assert_eq!(a.status, 303, "{code}: {}", a.body);
        let location = a.location.unwrap();
        assert!(
            location.starts_with(&format!("/desk/requests/{request_id}?notice=")),
            "{location}"
        );
    }
}

fn reload(db: &TestDb, id: &str) -> requests::Request {
    requests::find(&mut db.conn(), id).unwrap()
}

fn staff_events(db: &TestDb, request_id: &str) -> Vec<(String, String)> {
    events::table
        .filter(events::request_id.eq(request_id))
        .filter(events::actor_kind.eq("staff"))
        .order(events::seq.asc())
        .select((events::action, events::detail))
        .load(&mut db.conn())
        .unwrap()
}

fn outbox_count(db: &TestDb) -> i64 {
    outbox::table.count().get_result(&mut db.conn()).unwrap()
}

fn assert_chain_intact(db: &TestDb) {
    assert!(matches!(
        dsr_tracker::audit::verify(&mut db.conn()).unwrap(),
        ChainReport::Intact { .. }
    ));
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

crate::db_test!(access_request_handled_end_to_end, |db| {
    rt().block_on(async {
        let app = App::start(&db).await;
        let r = app.new_request(&db, &app.issy, RequestKind::Access);
        assert_eq!(r.due_on, Some(d(2026, 4, 2)));
        let dpo = app.login(DPO_ISSY).await;

        dpo.act_ok(&r.id, "accept_identity", 0, &[]).await;
        let now = reload(&db, &r.id);
        assert_eq!(now.status(), Status::InProgress);
        assert!(now.identity_accepted_at.is_some());
        assert_eq!(now.version, 1);

        dpo.act_ok(
            &r.id,
            "request_information",
            1,
            &[("message", "Merci de nous indiquer votre date de naissance.")],
        )
        .await;
        let now = reload(&db, &r.id);
        assert_eq!(now.status(), Status::AwaitingInformation);
        let open: i64 = request_suspensions::table
            .filter(request_suspensions::request_id.eq(&r.id))
            .filter(request_suspensions::ended_at.is_null())
            .count()
            .get_result(&mut db.conn())
            .unwrap();
        assert_eq!(open, 1);
        let mails = app.mails(1).await;
        assert_eq!(mails[0].rcpt_to, [CITIZEN]);
        let body = mails[0].body();
        assert!(body.contains("date de naissance"), "{body}");
        assert!(body.contains("délai de réponse est suspendu"), "{body}");
        assert!(body.contains("accusé de réception"), "{body}");

        // The citizen answers seven days later; the due date moves by seven.
        app.clock.advance(TimeDelta::days(7));
        let dpo = app.login(DPO_ISSY).await;
        dpo.act_ok(&r.id, "resume_clock", 2, &[]).await;
        let now = reload(&db, &r.id);
        assert_eq!(now.status(), Status::Received);
        assert_eq!(now.due_on, Some(d(2026, 4, 9)));

        dpo.act_ok(&r.id, "accept_identity", 3, &[]).await;
        dpo.act_ok(
            &r.id,
            "add_note",
            4,
            &[("note", "Pièce vérifiée au guichet.")],
        )
        .await;
        dpo.act_ok(
            &r.id,
            "close",
            5,
            &[
                ("outcome", "granted"),
                ("refusal_ground", ""),
                ("answer", "Vous trouverez ci-joint la copie de vos données."),
            ],
        )
        .await;
        let now = reload(&db, &r.id);
        assert_eq!(now.status(), Status::Closed);
        assert_eq!(now.outcome.as_deref(), Some("granted"));
        assert!(now.closed_at.is_some());
        assert_eq!(now.refusal_ground, None);
        let mails = app.mails(2).await;
        let body = mails[1].body();
        assert!(body.contains("copie de vos données"), "{body}");
        assert!(!body.contains("CNIL"), "{body}");

        let msgs = messages::list_all(&mut db.conn(), &r.id).unwrap();
        let dirs: Vec<&str> = msgs.iter().map(|m| m.direction.as_str()).collect();
        assert_eq!(dirs, ["to_citizen", "internal_note", "to_citizen"]);
        let citizen_view = messages::list_for_citizen(&mut db.conn(), &r.id).unwrap();
        assert_eq!(citizen_view.len(), 2);

        let actions: Vec<String> = staff_events(&db, &r.id)
            .into_iter()
            .map(|(a, _)| a)
            .collect();
        assert_eq!(
            actions,
            [
                "accept_identity",
                "request_information",
                "resume_clock",
                "accept_identity",
                "add_note",
                "close_granted"
            ]
        );
        for (_, detail) in staff_events(&db, &r.id) {
            assert!(
                !detail.contains("Jeanne") && !detail.contains('@'),
                "{detail}"
            );
        }
        assert_chain_intact(&db);
    });
});

crate::db_test!(erasure_refused_under_17_3_b_tells_the_remedies, |db| {
    rt().block_on(async {
        let app = App::start(&db).await;
        let r = app.new_request(&db, &app.issy, RequestKind::Erasure);
        let dpo = app.login(DPO_ISSY).await;
        let answer_text = "Vos données sont nécessaires à la tenue de l'état civil.";

        // Bad grounds: a clear 422, nothing changed.
        for (fields, needle) in [
            (
                vec![("outcome", "refused"), ("answer", answer_text)],
                "motif",
            ),
            (
                vec![
                    ("outcome", "refused"),
                    ("refusal_ground", "art17_3"),
                    ("answer", answer_text),
                ],
                "17(3)",
            ),
            (
                vec![
                    ("outcome", "refused"),
                    ("refusal_ground", "art20_3"),
                    ("answer", answer_text),
                ],
                "ne s&#39;applique pas",
            ),
            (
                vec![
                    ("outcome", "refused"),
                    ("refusal_ground", "other"),
                    ("answer", answer_text),
                ],
                "Indiquez le motif",
            ),
            (
                vec![
                    ("outcome", "refused"),
                    ("refusal_ground", "art17_3"),
                    ("refusal_letter", "b"),
                ],
                "réponse est obligatoire",
            ),
        ] {
            let a = dpo.act(&r.id, "close", 0, &fields).await;
            assert_eq!(a.status, 422, "{fields:?}: {}", a.body);
            assert!(a.body.contains(needle), "{needle}: {}", a.body);
            assert!(a.body.contains("Rien n"), "{}", a.body);
            assert!(a.body.contains("Revenir à la demande"), "{}", a.body);
            assert!(
                a.body
                    .contains(&format!("href=\"/desk/requests/{}\"", r.id))
            );
            if fields.iter().any(|(n, _)| *n == "answer") {
                // The typed answer is shown back, not lost.
                assert!(a.body.contains("tenue de l&#39;état civil"), "{}", a.body);
            }
        }
        let now = reload(&db, &r.id);
        assert_eq!(now.version, 0);
        assert_eq!(now.status(), Status::Received);
        assert!(staff_events(&db, &r.id).is_empty());
        assert_eq!(outbox_count(&db), 0);

        dpo.act_ok(
            &r.id,
            "close",
            0,
            &[
                ("outcome", "refused"),
                ("refusal_ground", "art17_3"),
                ("refusal_letter", "b"),
                ("answer", answer_text),
            ],
        )
        .await;
        let now = reload(&db, &r.id);
        assert_eq!(now.status(), Status::Closed);
        assert_eq!(now.outcome.as_deref(), Some("refused"));
        assert_eq!(now.refusal_ground.as_deref(), Some("art17_3"));
        assert_eq!(now.refusal_detail.as_deref(), Some("b"));
        let mails = app.mails(1).await;
        let body = mails[0].body();
        assert!(body.contains("état civil"), "{body}");
        assert!(body.contains("CNIL"), "{body}");
        assert!(body.contains("recours juridictionnel"), "{body}");
        let events = staff_events(&db, &r.id);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].0, "close_refused");
        assert!(events[0].1.contains("ground=art17_3:b"), "{}", events[0].1);

        // Nothing more on a closed request but the legal hold.
        let a = dpo
            .act(&r.id, "extend", 1, &[("months", "1"), ("reason", "x")])
            .await;
        assert_eq!(a.status, 409, "{}", a.body);
        assert!(a.body.contains("la demande est close"), "{}", a.body);
        assert_eq!(reload(&db, &r.id).version, 1);
        assert_chain_intact(&db);
    });
});

crate::db_test!(extension_inside_the_first_month_only, |db| {
    rt().block_on(async {
        let app = App::start(&db).await;
        let early = app.new_request(&db, &app.issy, RequestKind::Access);
        let late = app.new_request(&db, &app.issy, RequestKind::Rectification);
        let dpo = app.login(DPO_ISSY).await;

        // Missing reason, bad months: 422, nothing changed.
        let a = dpo.act(&early.id, "extend", 0, &[("months", "2")]).await;
        assert_eq!(a.status, 422, "{}", a.body);
        let a = dpo
            .act(&early.id, "extend", 0, &[("months", "3"), ("reason", "x")])
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert_eq!(reload(&db, &early.id).version, 0);

        app.clock.advance(TimeDelta::days(10));
        let dpo = app.login(DPO_ISSY).await;
        let reason = "Les données sont réparties entre plusieurs services.";
        dpo.act_ok(
            &early.id,
            "extend",
            0,
            &[("months", "2"), ("reason", reason)],
        )
        .await;
        let now = reload(&db, &early.id);
        assert_eq!(now.extension_months, 2);
        assert_eq!(now.extension_reason.as_deref(), Some(reason));
        assert!(now.extended_at.is_some());
        assert_eq!(now.due_on, Some(d(2026, 6, 2)));
        let mails = app.mails(1).await;
        let body = mails[0].body();
        assert!(body.contains(reason), "{body}");
        assert!(body.contains("2 juin 2026"), "{body}");
        // Two months in all: a third is refused.
        let a = dpo
            .act(
                &early.id,
                "extend",
                1,
                &[("months", "1"), ("reason", reason)],
            )
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert!(a.body.contains("deux mois au total"), "{}", a.body);

        // After the first month (ended Thursday 2 April): refused, with why.
        app.clock.set(
            chrono::NaiveDateTime::parse_from_str("2026-04-03 08:00:00", "%Y-%m-%d %H:%M:%S")
                .unwrap(),
        );
        let dpo = app.login(DPO_ISSY).await;
        let a = dpo
            .act(
                &late.id,
                "extend",
                0,
                &[("months", "1"), ("reason", reason)],
            )
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert!(a.body.contains("trop tard pour prolonger"), "{}", a.body);
        assert!(a.body.contains("02/04/2026"), "{}", a.body);
        let now = reload(&db, &late.id);
        assert_eq!(now.version, 0);
        assert_eq!(now.extension_months, 0);
        assert_eq!(now.due_on, Some(d(2026, 4, 2)));
        assert!(staff_events(&db, &late.id).is_empty());
        assert_eq!(outbox_count(&db), 1);

        // Art. 19 for a rectification; not offered for an access request.
        dpo.act_ok(
            &late.id,
            "notify_recipients",
            0,
            &[(
                "recipients",
                "Service de l'état civil\nCentre communal d'action sociale",
            )],
        )
        .await;
        let recipients: i64 = request_recipients::table
            .filter(request_recipients::request_id.eq(&late.id))
            .count()
            .get_result(&mut db.conn())
            .unwrap();
        assert_eq!(recipients, 2);
        let a = dpo
            .act(&early.id, "notify_recipients", 1, &[("recipients", "x")])
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert_chain_intact(&db);
    });
});

crate::db_test!(
    granted_marketing_objection_feeds_the_suppression_list,
    |db| {
        rt().block_on(async {
            let app = App::start(&db).await;
            let r = app.new_request(&db, &app.issy, RequestKind::MarketingObjection);
            let key = app
                .state
                .suppression_key
                .get(&mut db.conn(), app.state.clock.now())
                .unwrap();
            assert!(
                !suppression::is_suppressed(&mut db.conn(), &key, &app.issy.id, CITIZEN).unwrap()
            );
            let dpo = app.login(DPO_ISSY).await;
            // Granting needs the identity accepted first.
            let a = dpo
                .act(
                    &r.id,
                    "close_granted",
                    0,
                    &[("answer", "Votre opposition est enregistrée.")],
                )
                .await;
            assert_eq!(a.status, 409, "{}", a.body);
            assert!(a.body.contains("Acceptez d"), "{}", a.body);
            dpo.act_ok(&r.id, "accept_identity", 0, &[]).await;
            dpo.act_ok(
                &r.id,
                "close_granted",
                1,
                &[("answer", "Votre opposition est enregistrée.")],
            )
            .await;
            assert!(
                suppression::is_suppressed(&mut db.conn(), &key, &app.issy.id, CITIZEN).unwrap()
            );
            assert!(
                !suppression::is_suppressed(&mut db.conn(), &key, &app.vanves.id, CITIZEN).unwrap()
            );
            app.mails(1).await;
            assert_chain_intact(&db);
        });
    }
);

crate::db_test!(bad_inputs_change_nothing, |db| {
    rt().block_on(async {
        let app = App::start(&db).await;
        let r = app.new_request(&db, &app.issy, RequestKind::Erasure);
        let other = app.new_request(&db, &app.vanves, RequestKind::Erasure);
        let dpo = app.login(DPO_ISSY).await;
        let path = format!("/desk/requests/{}/actions/accept_identity", r.id);

        // Missing and wrong CSRF token.
        let a = dpo.post(&path, &[("version", "0")]).await;
        assert_eq!(a.status, 403, "{}", a.body);
        let a = dpo
            .post(&path, &[("csrf", "not-the-token"), ("version", "0")])
            .await;
        assert_eq!(a.status, 403, "{}", a.body);
        assert!(a.body.contains("rien n&#39;a été modifié"), "{}", a.body);

        // A viewer cannot act.
        let viewer = app.login(VIEWER_ISSY).await;
        let a = viewer.act(&r.id, "accept_identity", 0, &[]).await;
        assert_eq!(a.status, 403, "{}", a.body);

        // Another controller's request, and one that does not exist: 404.
        let a = dpo.act(&other.id, "accept_identity", 0, &[]).await;
        assert_eq!(a.status, 404, "{}", a.body);
        let a = dpo.act("no-such-request", "accept_identity", 0, &[]).await;
        assert_eq!(a.status, 404, "{}", a.body);
        // An unknown action, or one that is not the desk's.
        for code in ["frobnicate", "purge", "withdraw", "confirm_email"] {
            let a = dpo.act(&r.id, code, 0, &[]).await;
            assert_eq!(a.status, 404, "{code}: {}", a.body);
        }
        // Not allowed in the status: a clear message.
        let a = dpo.act(&r.id, "resume_clock", 0, &[]).await;
        assert_eq!(a.status, 409, "{}", a.body);
        assert!(
            a.body.contains("le délai n&#39;est pas suspendu"),
            "{}",
            a.body
        );
        let a = dpo.act(&r.id, "lift_legal_hold", 0, &[]).await;
        assert_eq!(a.status, 409, "{}", a.body);

        for id in [&r.id, &other.id] {
            let now = reload(&db, id);
            assert_eq!(now.version, 0);
            assert_eq!(now.status(), Status::Received);
            assert!(now.identity_accepted_at.is_none());
        }
        assert!(staff_events(&db, &r.id).is_empty());
        // The attempt on the other city's request is on the record.
        assert_eq!(
            staff_events(&db, &other.id),
            [(
                "desk.request_out_of_scope".to_owned(),
                "action=accept_identity".to_owned()
            )]
        );

        // Legal hold on, then off.
        let a = dpo
            .act(&r.id, "place_legal_hold", 0, &[("reason", " ")])
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        dpo.act_ok(
            &r.id,
            "place_legal_hold",
            0,
            &[("reason", "Recours devant le tribunal administratif.")],
        )
        .await;
        let now = reload(&db, &r.id);
        assert!(now.legal_hold);
        assert!(now.legal_hold_reason.is_some() && now.legal_hold_at.is_some());
        let a = dpo
            .act(&r.id, "place_legal_hold", 1, &[("reason", "encore")])
            .await;
        assert_eq!(a.status, 409, "{}", a.body);
        dpo.act_ok(&r.id, "lift_legal_hold", 1, &[]).await;
        let now = reload(&db, &r.id);
        assert!(!now.legal_hold);
        assert!(now.legal_hold_reason.is_none());
        assert_eq!(now.version, 2);

        // Two DPOs close at once from the same page version: one wins.
        let dpo2 = app.login(DPO2_ISSY).await;
        let close = [
            ("outcome", "refused"),
            ("refusal_ground", "no_data_held"),
            ("answer", "Nous ne détenons aucune donnée vous concernant."),
        ];
        let (a, b) = tokio::join!(
            dpo.act(&r.id, "close", 2, &close),
            dpo2.act(&r.id, "close", 2, &close)
        );
        let mut statuses = [a.status, b.status];
        statuses.sort_unstable();
        assert_eq!(statuses, [303, 409], "{} / {}", a.body, b.body);
        let loser = if a.status == 409 { &a } else { &b };
        assert!(
            loser.body.contains("Une autre personne a modifié"),
            "{}",
            loser.body
        );
        let now = reload(&db, &r.id);
        assert_eq!(now.status(), Status::Closed);
        assert_eq!(now.version, 3);
        let closes = staff_events(&db, &r.id)
            .into_iter()
            .filter(|(a, _)| a.starts_with("close"))
            .count();
        assert_eq!(closes, 1);
        let answers = messages::list_for_citizen(&mut db.conn(), &r.id)
            .unwrap()
            .len();
        assert_eq!(answers, 1);
        app.mails(1).await;
        assert_eq!(outbox_count(&db), 1);

        // The loser reloads: the page's version is now 3, and the request is
        // closed, so closing again is refused with the reason.
        let a = dpo2.act(&r.id, "close", 3, &close).await;
        assert_eq!(a.status, 409, "{}", a.body);
        assert!(a.body.contains("la demande est close"), "{}", a.body);
        assert_chain_intact(&db);
    });
});
