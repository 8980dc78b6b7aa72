//! The outbox and its worker against a real SMTP listener (`support::smtp`)
//! and a real database, on both backends. Time moves with a `ManualClock`,
//! so retries after a backoff are stepped through rather than waited for.

use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::Connection;
use dsr_tracker::clock::{Clock, ManualClock, SharedClock};
use dsr_tracker::config::{Config, Settings};
use dsr_tracker::db::{Pool, PooledConn};
use dsr_tracker::domain::request::{Channel, RequestKind, Status};
use dsr_tracker::domain::values::Locale;
use dsr_tracker::mail::outbox::{self, OutboxRow};
use dsr_tracker::mail::{
    self, AcknowledgmentMail, ConfirmationMail, InformationRequestMail, OutgoingMail, RunReport,
    Transport, Worker, WorkerSettings,
};
use dsr_tracker::security::keys::MasterKey;
use dsr_tracker::store::{controllers, requests};
use dsr_tracker::web::AppState;

use crate::support::smtp::SmtpSink;
use crate::support::{TestApp, TestDb};

const FROM: &str = "Démarches RGPD <no-reply@dsr.example.fr>";
const DOMAIN: &str = "dsr.example.fr";
const WAIT: Duration = Duration::from_secs(30);

fn start_time() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, 2)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
}

struct Fixture {
    pool: Pool,
    clock: Arc<ManualClock>,
    controller: controllers::Controller,
    /// Where the database, the clock and Issy come from; its own mail
    /// worker is off, the tests step theirs.
    _app: TestApp,
}

impl Fixture {
    async fn new(db: &TestDb) -> Fixture {
        let app = TestApp::builder()
            .at("2026-03-02T09:00:00Z")
            .without_mail_worker()
            .start(db)
            .await;
        assert_eq!(app.clock.now(), start_time());
        Fixture {
            pool: app.state.pool.clone(),
            clock: app.clock.clone(),
            controller: app.issy.clone(),
            _app: app,
        }
    }

    fn conn(&self) -> PooledConn {
        self.pool.get().unwrap()
    }

    fn shared_clock(&self) -> SharedClock {
        self.clock.clone()
    }

    fn worker(&self, transport: Transport) -> Worker {
        Worker::new(self.pool.clone(), transport, self.shared_clock(), FROM).unwrap()
    }

    /// A request row, so `request_id` can reference something real.
    fn request(&self, email: &str) -> requests::Request {
        requests::insert(
            &mut self.conn(),
            &requests::NewRequest {
                controller_id: self.controller.id.clone(),
                kind: RequestKind::Erasure,
                channel: Channel::Web,
                status: Status::Received,
                locale: Locale::Fr,
                first_name: "Jeanne".into(),
                last_name: "Martin".into(),
                email: Some(email.into()),
                postal_address: None,
                details: "Merci d'effacer mon compte.".into(),
                objection_grounds: None,
                submitted_at: start_time(),
                received_at: Some(start_time()),
                due_on: NaiveDate::from_ymd_opt(2026, 4, 2),
                reference: Some("ISSY-2026-0001".into()),
                confirm_token_hash: None,
                confirm_token_expires_at: None,
                status_token_hash: None,
                submitter_ip: None,
                submitter_user_agent: None,
            },
        )
        .unwrap()
    }

    /// The French acknowledgment of `request`: accents in the subject and body.
    fn acknowledgment(&self, request: &requests::Request) -> OutgoingMail {
        let rendered = AcknowledgmentMail {
            controller_name: self.controller.name.clone(),
            reference: request.reference.clone().unwrap(),
            kind: RequestKind::Erasure,
            received_on: NaiveDate::from_ymd_opt(2026, 2, 2).unwrap(),
            due_on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            status_url: "https://dsr.example.fr/s/secret-token".into(),
            dpo_email: self.controller.dpo_email.clone(),
            dpo_postal_address: None,
        }
        .render(Locale::Fr);
        OutgoingMail::new(
            request.email.clone().unwrap(),
            rendered,
            Some(request.id.clone()),
            Some(self.controller.id.clone()),
        )
    }

    fn confirmation(&self, to: &str) -> OutgoingMail {
        let rendered = ConfirmationMail {
            controller_name: self.controller.name.clone(),
            kind: RequestKind::Access,
            confirm_url: "https://dsr.example.fr/c/issy/confirm/tok".into(),
            expires_hours: 48,
        }
        .render(Locale::En);
        OutgoingMail::new(to, rendered, None, None)
    }

    fn enqueue(&self, mail: &OutgoingMail) -> String {
        let now = self.clock.now();
        self.conn()
            .transaction(|c| mail::enqueue(c, now, DOMAIN, mail))
            .unwrap()
    }

    fn row(&self, id: &str) -> OutboxRow {
        outbox::find(&mut self.conn(), id).unwrap().unwrap()
    }

    fn rows(&self) -> Vec<OutboxRow> {
        outbox::list(&mut self.conn()).unwrap()
    }
}

fn sent(n: usize) -> RunReport {
    RunReport {
        sent: n,
        ..RunReport::default()
    }
}

fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
}

crate::db_test!(
    delivers_with_the_stored_message_id_and_headers,
    async |db| {
        let fx = Fixture::new(&db).await;
        let request = fx.request("jeanne.martin@example.org");
        let ack = fx.acknowledgment(&request);
        let confirm = fx.confirmation("paul@example.net");
        let ack_id = fx.enqueue(&ack);
        let confirm_id = fx.enqueue(&confirm);
        let sink = SmtpSink::start();
        let worker = fx.worker(Transport::smtp(&sink.url()).unwrap());

        let report = worker.run_once().await.unwrap();
        assert_eq!(report, sent(2));
        let received = sink.wait_for_messages(2, WAIT);
        assert_eq!(received.len(), 2);

        for (id, mail) in [(&ack_id, &ack), (&confirm_id, &confirm)] {
            let row = fx.row(id);
            assert_eq!(row.message_id, format!("<{id}@{DOMAIN}>"));
            assert_eq!(row.sent_at, Some(start_time()));
            assert_eq!(row.attempts, 1);
            assert_eq!(row.last_error, None);

            let got = received
                .iter()
                .find(|m| m.raw_header("Message-ID").as_deref() == Some(row.message_id.as_str()))
                .unwrap_or_else(|| panic!("no message with Message-ID {}", row.message_id));
            assert_eq!(got.mail_from, "no-reply@dsr.example.fr");
            assert_eq!(got.rcpt_to, std::slice::from_ref(&mail.to));
            let parsed = got.parsed();
            assert_eq!(parsed.subject(), Some(mail.subject.as_str()));
            let from = parsed.from().unwrap().first().unwrap();
            assert_eq!(from.address(), Some("no-reply@dsr.example.fr"));
            assert_eq!(from.name(), Some("Démarches RGPD"));
            assert_eq!(
                parsed.to().unwrap().first().unwrap().address(),
                Some(mail.to.as_str())
            );
            assert_eq!(
                normalise(&parsed.body_text(0).unwrap()).trim_end(),
                mail.body_text.trim_end()
            );
            // The Date is the enqueue instant: the same on every attempt.
            assert_eq!(
                parsed.date().unwrap().to_timestamp(),
                start_time().and_utc().timestamp()
            );
            // Headers are encoded (RFC 2047), never raw UTF-8.
            assert!(got.raw_header("Subject").unwrap().is_ascii());
        }

        // The acknowledgment was sent for a controller: replies reach its DPO.
        let ack_received = received
            .iter()
            .find(|m| m.rcpt_to == ["jeanne.martin@example.org"])
            .unwrap();
        let parsed = ack_received.parsed();
        assert_eq!(
            parsed.subject(),
            Some("Accusé de réception de votre demande ISSY-2026-0001")
        );
        assert!(
            parsed
                .body_text(0)
                .unwrap()
                .contains("Date limite de réponse\u{202f}: lundi 2 mars 2026")
        );
        assert_eq!(
            parsed.reply_to().unwrap().first().unwrap().address(),
            Some("dpo@issy.example.fr")
        );

        // Nothing is sent twice.
        fx.clock.advance(TimeDelta::hours(2));
        let again = worker.run_once().await.unwrap();
        assert_eq!(again, RunReport::default());
        assert_eq!(sink.messages().len(), 2);
        assert_eq!(outbox::pending_count(&mut fx.conn()).unwrap(), 0);
    }
);

// French punctuation takes a narrow no-break space (U+202F) in the
// subject and the body: it crosses SMTP (RFC 2047 subject, quoted-printable
// body) and reads back as it was written.
crate::db_test!(french_typography_survives_smtp, async |db| {
    let fx = Fixture::new(&db).await;
    let rendered = InformationRequestMail {
        controller_name: fx.controller.name.clone(),
        reference: "ISSY-2026-0001".into(),
        message: "Merci de nous indiquer votre date de naissance.".into(),
        status_url: "https://dsr.example.fr/s/secret-token".into(),
    }
    .render(Locale::Fr);
    assert_eq!(
        rendered.subject,
        "Demande ISSY-2026-0001\u{202f}: informations complémentaires nécessaires"
    );
    let mail = OutgoingMail::new("jeanne.martin@example.org", rendered, None, None);
    fx.enqueue(&mail);
    let sink = SmtpSink::start();
    let worker = fx.worker(Transport::smtp(&sink.url()).unwrap());
    assert_eq!(worker.run_once().await.unwrap(), sent(1));
    let received = sink.wait_for_messages(1, WAIT);
    assert!(received[0].raw_header("Subject").unwrap().is_ascii());
    let parsed = received[0].parsed();
    assert_eq!(parsed.subject(), Some(mail.subject.as_str()));
    let body = normalise(&parsed.body_text(0).unwrap());
    assert_eq!(body.trim_end(), mail.body_text.trim_end());
    assert!(
        body.contains("nous avons besoin des informations suivantes\u{202f}:\n"),
        "{body}"
    );
});

crate::db_test!(
    smtp_down_then_up_delivers_once_after_the_backoff,
    async |db| {
        let fx = Fixture::new(&db).await;
        let port = SmtpSink::free_port();
        let worker = fx.worker(Transport::smtp(&format!("smtp://127.0.0.1:{port}")).unwrap());
        let id = fx.enqueue(&fx.confirmation("paul@example.net"));

        // Nothing listens: the attempt fails and is recorded, without the address.
        let report = worker.run_once().await.unwrap();
        assert_eq!(
            report,
            RunReport {
                failed: 1,
                ..RunReport::default()
            }
        );
        let row = fx.row(&id);
        assert_eq!(row.attempts, 1);
        assert_eq!(row.sent_at, None);
        assert_eq!(row.next_attempt_at, start_time() + TimeDelta::seconds(30));
        let error = row.last_error.unwrap();
        assert!(error.starts_with("smtp: connection failed"), "{error}");
        assert!(!error.contains('@'), "{error}");

        // The server comes back, but the backoff has not run out yet.
        let sink = SmtpSink::start_on(port).unwrap();
        fx.clock.advance(TimeDelta::seconds(29));
        assert_eq!(worker.run_once().await.unwrap(), RunReport::default());
        assert!(sink.messages().is_empty());

        fx.clock.advance(TimeDelta::seconds(1));
        assert_eq!(worker.run_once().await.unwrap(), sent(1));
        let received = sink.wait_for_messages(1, WAIT);
        let row = fx.row(&id);
        assert_eq!(row.attempts, 2);
        assert_eq!(row.sent_at, Some(start_time() + TimeDelta::seconds(30)));
        assert_eq!(row.last_error, None);
        assert_eq!(
            received[0].raw_header("Message-ID").as_deref(),
            Some(row.message_id.as_str())
        );

        // Exactly once: later passes find nothing to do.
        fx.clock.advance(TimeDelta::hours(3));
        assert_eq!(worker.run_once().await.unwrap(), RunReport::default());
        assert_eq!(sink.messages().len(), 1);
    }
);

crate::db_test!(
    a_refused_recipient_is_retried_without_storing_the_reply,
    async |db| {
        let fx = Fixture::new(&db).await;
        let sink = SmtpSink::start();
        let worker = fx.worker(Transport::smtp(&sink.url()).unwrap());
        let id = fx.enqueue(&fx.confirmation("paul@example.net"));

        // The server answers 451 quoting the address; only the code is kept.
        sink.reject_next_recipients(1);
        let report = worker.run_once().await.unwrap();
        assert_eq!(report.failed, 1);
        let row = fx.row(&id);
        assert_eq!(row.last_error.as_deref(), Some("smtp: transient error 451"));
        assert_eq!(row.attempts, 1);

        // Failures double the wait: 30 s, then 60 s.
        sink.reject_next_recipients(1);
        fx.clock.advance(TimeDelta::seconds(30));
        assert_eq!(worker.run_once().await.unwrap().failed, 1);
        let row = fx.row(&id);
        assert_eq!(row.attempts, 2);
        assert_eq!(
            row.next_attempt_at,
            start_time() + TimeDelta::seconds(30 + 60)
        );

        fx.clock.advance(TimeDelta::seconds(60));
        assert_eq!(worker.run_once().await.unwrap(), sent(1));
        assert_eq!(sink.wait_for_messages(1, WAIT).len(), 1);
        assert_eq!(fx.row(&id).attempts, 3);
    }
);

crate::db_test!(two_workers_never_send_a_message_twice, async |db| {
    let fx = Fixture::new(&db).await;
    let sink = SmtpSink::start();
    let mut ids = Vec::new();
    for n in 0..12 {
        ids.push(fx.enqueue(&fx.confirmation(&format!("citizen{n}@example.net"))));
    }
    // Two instances: separate pools, as two servers on one database.
    let other_pool = db.pool();
    let settings = WorkerSettings {
        batch_size: 3,
        ..WorkerSettings::default()
    };
    let a = fx
        .worker(Transport::smtp(&sink.url()).unwrap())
        .with_settings(settings.clone());
    let b = Worker::new(
        other_pool,
        Transport::smtp(&sink.url()).unwrap(),
        fx.shared_clock(),
        FROM,
    )
    .unwrap()
    .with_settings(settings);

    let (ra, rb) = tokio::join!(a.run_once(), b.run_once());
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(ra.sent + rb.sent, 12, "{ra:?} {rb:?}");
    assert_eq!(ra.failed + rb.failed, 0);

    let received = sink.wait_for_messages(12, WAIT);
    let mut message_ids: Vec<String> = received
        .iter()
        .map(|m| m.raw_header("Message-ID").unwrap())
        .collect();
    message_ids.sort();
    message_ids.dedup();
    assert_eq!(message_ids.len(), 12);
    for id in &ids {
        let row = fx.row(id);
        assert_eq!(row.attempts, 1, "{id}");
        assert!(row.sent_at.is_some());
    }
});

crate::db_test!(
    without_smtp_url_messages_are_readable_eml_files,
    async |db| {
        let fx = Fixture::new(&db).await;
        let config = Config::from_settings(Settings {
            data_dir: Some(db.data_dir().to_owned()),
            ..Settings::default()
        })
        .unwrap();
        let transport = Transport::from_config(&config).unwrap();
        assert!(matches!(&transport, Transport::Files(dir) if dir == &db.data_dir().join("mail")));
        let request = fx.request("jeanne.martin@example.org");
        let mail = fx.acknowledgment(&request);
        let id = fx.enqueue(&mail);

        let report = fx.worker(transport).run_once().await.unwrap();
        assert_eq!(report, sent(1));

        let dir = db.data_dir().join("mail");
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, [format!("{id}.eml")], "no temporary file is left");
        let bytes = std::fs::read(dir.join(format!("{id}.eml"))).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        // Readable in a text editor: the body is 8-bit UTF-8, not encoded.
        assert!(
            text.contains("Nous accusons réception de votre demande"),
            "{text}"
        );
        assert!(text.contains(&format!("Message-ID: <{id}@{DOMAIN}>")));
        let parsed = mail_parser::MessageParser::default().parse(&bytes).unwrap();
        assert_eq!(parsed.subject(), Some(mail.subject.as_str()));
        assert_eq!(
            normalise(&parsed.body_text(0).unwrap()).trim_end(),
            mail.body_text.trim_end()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(format!("{id}.eml")))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "mail holds personal data");
        }
        assert!(fx.row(&id).sent_at.is_some());
    }
);

crate::db_test!(enqueue_follows_its_transaction, async |db| {
    let fx = Fixture::new(&db).await;
    let mail = fx.confirmation("paul@example.net");
    let now = start_time();
    let rolled_back: Result<(), diesel::result::Error> = fx.conn().transaction(|c| {
        mail::enqueue(c, now, DOMAIN, &mail)?;
        Err(diesel::result::Error::RollbackTransaction)
    });
    assert!(rolled_back.is_err());
    assert!(
        fx.rows().is_empty(),
        "a rolled-back state change sends nothing"
    );

    let id = fx.enqueue(&mail);
    let rows = fx.rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].id, id);
    assert_eq!(rows[0].attempts, 0);
    assert_eq!(rows[0].next_attempt_at, now);
    assert_eq!(rows[0].sent_at, None);
});

crate::db_test!(header_injection_is_refused, async |db| {
    let fx = Fixture::new(&db).await;
    let good = fx.confirmation("paul@example.net");
    let bad_subject = OutgoingMail {
        subject: "Votre demande\r\nBcc: everyone@evil.example".into(),
        ..good.clone()
    };
    let bad_to = OutgoingMail {
        to: "paul@example.net\r\nBcc: everyone@evil.example".into(),
        ..good.clone()
    };
    let lf_only = OutgoingMail {
        subject: "Votre demande\nX-Injected: 1".into(),
        ..good.clone()
    };
    for mail in [&bad_subject, &bad_to, &lf_only] {
        let mut conn = fx.conn();
        let err = mail::enqueue(&mut conn, start_time(), DOMAIN, mail).unwrap_err();
        assert!(mail::is_refused(&err), "{err:?}");
    }
    // Refused inside a transaction: the whole state change rolls back.
    let result: Result<String, diesel::result::Error> = fx.conn().transaction(|c| {
        mail::enqueue(c, start_time(), DOMAIN, &good)?;
        mail::enqueue(c, start_time(), DOMAIN, &bad_to)
    });
    assert!(result.is_err());
    assert!(fx.rows().is_empty());
});

crate::db_test!(serve_worker_sends_after_a_wake_and_stops, async |db| {
    let fx = Fixture::new(&db).await;
    let sink = SmtpSink::start();
    let config = Config::from_settings(Settings {
        database_url: Some(db.url.clone()),
        data_dir: Some(db.data_dir().to_owned()),
        smtp_url: Some(sink.url()),
        mail_from: Some(FROM.into()),
        public_url: Some("https://dsr.example.fr".into()),
        ..Settings::default()
    })
    .unwrap();
    let state = AppState::new(
        fx.pool.clone(),
        config,
        fx.shared_clock(),
        MasterKey::generate(),
    );
    let handle = mail::spawn_worker(&state).unwrap();
    let domain = mail::message_id_domain(&state.config.public_url);
    assert_eq!(domain, DOMAIN);
    let pool = state.pool.clone();
    let mail = fx.confirmation("paul@example.net");
    let now = start_time();
    tokio::task::spawn_blocking(move || {
        pool.get()
            .unwrap()
            .transaction(|c| mail::enqueue(c, now, &domain, &mail))
            .unwrap()
    })
    .await
    .unwrap();
    mail::wake_worker();
    let received = sink.wait_for_messages_async(1, WAIT).await;
    assert_eq!(received[0].rcpt_to, ["paul@example.net"]);
    handle.stop().await;
    assert_eq!(outbox::pending_count(&mut fx.conn()).unwrap(), 0);
});

crate::db_test!(a_claim_is_a_compare_and_set, async |db| {
    let fx = Fixture::new(&db).await;
    let id = fx.enqueue(&fx.confirmation("paul@example.net"));
    let mut conn = fx.conn();
    let now = start_time();
    let lease = TimeDelta::minutes(5);
    // Two workers read the same due row…
    let seen_by_a = outbox::due(&mut conn, now, 10).unwrap();
    let seen_by_b = outbox::due(&mut conn, now, 10).unwrap();
    assert_eq!(seen_by_a.len(), 1);
    // …only the first claim matches what it read.
    let claimed = outbox::claim(&mut conn, &seen_by_a[0], now, lease).unwrap();
    assert_eq!(claimed.unwrap().next_attempt_at, now + lease);
    assert_eq!(
        outbox::claim(&mut conn, &seen_by_b[0], now, lease).unwrap(),
        None
    );
    // A claimed row is not due again until its lease ends.
    assert!(outbox::due(&mut conn, now, 10).unwrap().is_empty());
    assert_eq!(outbox::due(&mut conn, now + lease, 10).unwrap()[0].id, id);
    // Once sent, it can be neither claimed nor marked failed.
    assert!(outbox::mark_sent(&mut conn, &id, now).unwrap());
    let row = fx.row(&id);
    assert_eq!(
        outbox::claim(&mut conn, &row, now + lease, lease).unwrap(),
        None
    );
    assert!(!outbox::mark_failed(&mut conn, &id, "late", now).unwrap());
    assert!(!outbox::mark_sent(&mut conn, &id, now).unwrap());
});
