//! Whether each mail reached the citizen, as the DPO sees it: a permanent
//! SMTP refusal fails the mail at once, a transient one is retried until
//! the limit, and "retry now" sends a failed mail again. Real server, real
//! SMTP listener (answering 550 or 451 as told), both backends.

use dsr_tracker::domain::ids::RequestId;
use std::time::{Duration, Instant};

use chrono::TimeDelta;
use diesel::prelude::*;
use dsr_tracker::db::schema::outbox;
use dsr_tracker::domain::request::RequestKind;
use dsr_tracker::mail::outbox::{OutboxRow, list_for_request};
use dsr_tracker::mail::{GIVE_UP_AFTER_ATTEMPTS, RunReport, Transport, Worker, wake_worker};

use crate::support::desk::{
    CITIZEN, DPO_ISSY, DPO_VANVES, VIEWER_ISSY, assert_chain_intact, events_named,
};
use crate::support::{TestApp, TestDb};

/// Closes a new Issy request as granted: one decision mail to [`CITIZEN`].
async fn decided_request(app: &TestApp, db: &TestDb) -> RequestId {
    let r = app.new_request(db, &app.issy, RequestKind::Access);
    let dpo = app.login(DPO_ISSY).await;
    dpo.act_ok(&r.id, "accept_identity", 0, &[]).await;
    dpo.grant(&r.id, 1).await;
    r.id
}

/// The request's only mail once `done` holds (the worker runs on its own).
async fn wait_mail(
    db: &TestDb,
    request_id: &RequestId,
    done: impl Fn(&OutboxRow) -> bool,
) -> OutboxRow {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let rows = list_for_request(&mut db.conn(), request_id).unwrap();
        assert_eq!(rows.len(), 1, "{rows:?}");
        if done(&rows[0]) {
            return rows.into_iter().next().unwrap();
        }
        assert!(
            Instant::now() < deadline,
            "mail never reached: {:?}",
            rows[0]
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A second worker on the same database and SMTP listener, stepped by hand.
fn stepped_worker(app: &TestApp) -> Worker {
    Worker::new(
        app.state.pool.clone(),
        Transport::smtp(&app.smtp.url()).unwrap(),
        app.state.clock.clone(),
        &app.state.config.mail_from,
    )
    .unwrap()
}

crate::db_test!(refused_address_fails_after_one_attempt, async |db| {
    let app = TestApp::builder().start(&db).await;
    app.smtp.refuse_recipient(CITIZEN);
    let id = decided_request(&app, &db).await;

    let row = wait_mail(&db, &id, |r| r.failed_at.is_some()).await;
    assert_eq!(row.attempts, 1);
    assert_eq!(row.sent_at, None);
    let error = row.last_error.unwrap();
    assert!(error.contains("550"), "{error}");
    assert!(!error.contains('@'), "{error}");
    let failed = events_named(&db, "mail.failed");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].request_id.as_deref(), Some(id.as_str()));
    assert_eq!(failed[0].actor_id, None);
    assert!(failed[0].detail.contains(&format!("outbox={}", row.id)));
    assert!(
        failed[0].detail.contains("class=5xx"),
        "{}",
        failed[0].detail
    );
    assert!(!failed[0].detail.contains('@'));

    // Days later, nothing retries it.
    app.clock.advance(TimeDelta::days(2));
    wake_worker();
    let report = stepped_worker(&app).run_once().await.unwrap();
    assert_eq!(report, RunReport::default());
    let again = wait_mail(&db, &id, |_| true).await;
    assert_eq!(again.attempts, 1);
    assert!(app.smtp.messages().is_empty());
    assert_eq!(events_named(&db, "mail.failed").len(), 1);

    let dpo = app.login(DPO_ISSY).await;
    let page = dpo.page(&format!("/desk/requests/{id}")).await;
    assert!(page.contains("Courriels au demandeur"), "{page}");
    assert!(
        page.contains("Réponse à votre demande ISSY-2026-"),
        "{page}"
    );
    assert!(page.contains("mail-failed-banner"), "{page}");
    assert!(page.contains("Non remis"), "{page}");
    assert!(
        page.contains("adresse refusée par le serveur du destinataire"),
        "{page}"
    );
    assert!(page.contains("envoyez la réponse par courrier"), "{page}");
    assert!(page.contains("Réessayer maintenant"), "{page}");
    assert!(page.contains(&format!("/mails/{}/retry", row.id)), "{page}");
    assert!(!page.contains("user unknown"), "{page}");
    assert!(page.contains("Courriel non remis au demandeur"), "{page}");

    // The queue marks the request (closed: under "all statuses"), and
    // only that one.
    let other = app.new_request(&db, &app.issy, RequestKind::Erasure);
    let queue = dpo.page("/desk/queue?status=all").await;
    assert_eq!(queue.matches("Courriel non remis").count(), 1, "{queue}");
    let line = queue
        .split("<tr>")
        .find(|l| l.contains("Courriel non remis"))
        .unwrap();
    assert!(line.contains(&*format!("/desk/requests/{id}?")), "{line}");
    assert!(!line.contains(&*other.id), "{line}");
    let queue = dpo.page("/desk/queue?status=all&lang=en").await;
    assert!(queue.contains("Mail not delivered"), "{queue}");

    // The home page lists it, so the DPO sees it without searching the
    // closed requests; not another city's DPO.
    let home = dpo.page("/desk/").await;
    assert!(home.contains("Courriels non remis au demandeur"), "{home}");
    assert!(
        home.contains(&format!("/desk/requests/{id}?lang=fr")),
        "{home}"
    );
    assert!(!home.contains(&*other.id), "{home}");
    let home = dpo.page("/desk/?lang=en").await;
    assert!(
        home.contains("Mails not delivered to the requester"),
        "{home}"
    );
    let vanves = app.login(DPO_VANVES).await;
    let home = vanves.page("/desk/").await;
    assert!(!home.contains("Courriels non remis"), "{home}");
    assert!(!home.contains(&*id), "{home}");

    // A viewer sees the failure, without the button.
    let viewer = app.login(VIEWER_ISSY).await;
    let page = viewer.page(&format!("/desk/requests/{id}")).await;
    assert!(page.contains("Non remis"), "{page}");
    assert!(!page.contains("Réessayer maintenant"), "{page}");
    assert_chain_intact(&db);
});

crate::db_test!(retry_now_sends_a_failed_mail_again, async |db| {
    let app = TestApp::builder().start(&db).await;
    app.smtp.refuse_recipient(CITIZEN);
    let id = decided_request(&app, &db).await;
    let row = wait_mail(&db, &id, |r| r.failed_at.is_some()).await;
    let url = format!("/desk/requests/{id}/mails/{}/retry", row.id);

    let viewer = app.login(VIEWER_ISSY).await;
    let a = viewer.post(&url, &[("csrf", &viewer.csrf)]).await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert!(a.body.contains("lecture seule"), "{}", a.body);

    let dpo = app.login(DPO_ISSY).await;
    let a = dpo.post(&url, &[("csrf", "not-the-token")]).await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert!(a.body.contains("Le formulaire a expiré"), "{}", a.body);

    let vanves = app.login(DPO_VANVES).await;
    let a = vanves.post(&url, &[("csrf", &vanves.csrf)]).await;
    assert_eq!(a.status, 404, "{}", a.body);
    assert_eq!(events_named(&db, "desk.request_out_of_scope").len(), 1);

    // A mail id of no failed mail of this request.
    let a = dpo
        .post(
            &format!("/desk/requests/{id}/mails/nope/retry"),
            &[("csrf", &dpo.csrf)],
        )
        .await;
    assert_eq!(a.status, 409, "{}", a.body);

    // Nothing of that changed the mail.
    let same = wait_mail(&db, &id, |_| true).await;
    assert_eq!(same, row);
    assert!(events_named(&db, "mail.retried").is_empty());

    // The citizen's mailbox works again; the DPO retries.
    app.smtp.clear_refusals();
    let a = dpo.post(&url, &[("csrf", &dpo.csrf)]).await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(
        a.location.as_deref(),
        Some(format!("/desk/requests/{id}?notice=mail_retried&lang=fr").as_str())
    );
    let mails = app.mails(1).await;
    assert_eq!(mails[0].rcpt_to, [CITIZEN]);
    assert!(mails[0].body().contains("copie de vos données"));
    let sent = wait_mail(&db, &id, |r| r.sent_at.is_some()).await;
    assert_eq!(sent.failed_at, None);
    assert_eq!(sent.message_id, row.message_id);
    let retried = events_named(&db, "mail.retried");
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].detail, format!("outbox={}", row.id));

    // Retrying a sent mail is refused.
    let a = dpo.post(&url, &[("csrf", &dpo.csrf)]).await;
    assert_eq!(a.status, 409, "{}", a.body);
    assert!(a.body.contains("pas en échec"), "{}", a.body);

    let page = dpo
        .page(&format!("/desk/requests/{id}?notice=mail_retried"))
        .await;
    assert!(page.contains("Le courriel va être renvoyé."), "{page}");
    assert!(page.contains("Envoyé le"), "{page}");
    assert!(!page.contains("mail-failed-banner"), "{page}");
    assert!(
        page.contains("Nouvel envoi d&#39;un courriel non remis"),
        "{page}"
    );
    let queue = dpo.page("/desk/queue?status=all").await;
    assert!(queue.contains(&format!("/desk/requests/{id}?")), "{queue}");
    assert!(!queue.contains("Courriel non remis"), "{queue}");
    let home = dpo.page("/desk/").await;
    assert!(!home.contains("Courriels non remis"), "{home}");
    assert_chain_intact(&db);
});

crate::db_test!(
    transient_failure_retries_until_the_server_recovers,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        app.smtp.become_unavailable();
        let id = decided_request(&app, &db).await;
        let row = wait_mail(&db, &id, |r| r.attempts >= 1).await;
        assert_eq!(row.failed_at, None);
        assert!(row.last_error.unwrap().contains("451"));

        let dpo = app.login(DPO_ISSY).await;
        let page = dpo.page(&format!("/desk/requests/{id}")).await;
        assert!(
            page.contains("En attente (tentatives\u{202f}: 1, prochain essai\u{202f}:"),
            "{page}"
        );
        assert!(!page.contains("mail-failed-banner"), "{page}");

        app.smtp.recover();
        app.clock.advance(TimeDelta::minutes(1));
        wake_worker();
        app.mails(1).await;
        let sent = wait_mail(&db, &id, |r| r.sent_at.is_some()).await;
        assert_eq!(sent.attempts, 2);
        assert_eq!(sent.failed_at, None);
        assert!(events_named(&db, "mail.failed").is_empty());
        let page = dpo.page(&format!("/desk/requests/{id}")).await;
        assert!(page.contains("Envoyé le"), "{page}");
    }
);

crate::db_test!(transient_failure_past_the_limit_fails, async |db| {
    let app = TestApp::builder().start(&db).await;
    app.smtp.become_unavailable();
    let id = decided_request(&app, &db).await;
    wait_mail(&db, &id, |r| r.attempts >= 1).await;
    let worker = stepped_worker(&app);
    for _ in 0..2 * GIVE_UP_AFTER_ATTEMPTS {
        app.clock.advance(TimeDelta::hours(1));
        worker.run_once().await.unwrap();
        let row = wait_mail(&db, &id, |_| true).await;
        if row.failed_at.is_some() {
            break;
        }
        assert!(row.attempts < GIVE_UP_AFTER_ATTEMPTS, "{row:?}");
    }
    let row = wait_mail(&db, &id, |r| r.failed_at.is_some()).await;
    assert_eq!(row.attempts, GIVE_UP_AFTER_ATTEMPTS);
    let age = row.failed_at.unwrap() - row.created_at;
    assert!(
        (TimeDelta::days(3)..=TimeDelta::days(4)).contains(&age),
        "{age}"
    );
    let failed = events_named(&db, "mail.failed");
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0].detail.contains("class=4xx"),
        "{}",
        failed[0].detail
    );
    // Given up: later passes leave it alone.
    app.clock.advance(TimeDelta::days(1));
    assert_eq!(worker.run_once().await.unwrap(), RunReport::default());

    // The page in English.
    let dpo = app.login(DPO_ISSY).await;
    let page = dpo.page(&format!("/desk/requests/{id}?lang=en")).await;
    assert!(page.contains("Mails to the requester"), "{page}");
    // The subject is the citizen's language, not the page's.
    assert!(
        page.contains("Réponse à votre demande ISSY-2026-"),
        "{page}"
    );
    assert!(page.contains("Not delivered"), "{page}");
    assert!(
        page.contains("recipient&#39;s mail server unreachable for several days"),
        "{page}"
    );
    assert!(page.contains("send the answer by post"), "{page}");
    assert!(page.contains("Retry now"), "{page}");
    assert!(
        page.contains("Mail not delivered to the requester"),
        "{page}"
    );
    let url = format!("/desk/requests/{id}/mails/{}/retry?lang=en", row.id);
    assert!(page.contains(&url), "{page}");
    let a = dpo.post(&url, &[("csrf", "wrong")]).await;
    assert_eq!(a.status, 403);
    assert!(a.body.contains("The form has expired"), "{}", a.body);
    let unchanged: Option<chrono::NaiveDateTime> = outbox::table
        .find(&row.id)
        .select(outbox::failed_at)
        .first(&mut db.conn())
        .unwrap();
    assert_eq!(unchanged, row.failed_at);
});
