//! The DPO's daily digest through the real scheduler function, the outbox,
//! the mail worker and a real SMTP listener, on both backends: who gets
//! what, exactly once a day, nothing personal in the mail, and the
//! `digest send` command of the real binary.

use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use dsr_tracker::clock::Clock;
use dsr_tracker::db::schema::{digest_sends, requests as r};
use dsr_tracker::digest::{self, SENT_EVENT};
use dsr_tracker::domain::request::{RequestKind, Status};
use dsr_tracker::mail::outbox;
use dsr_tracker::store::{requests, staff};

use crate::support::desk::{
    CITIZEN, DPO_ISSY, DPO_VANVES, DPO2_ISSY, assert_chain_intact, events_named, staff_id,
};
use crate::support::smtp::ReceivedMail;
use crate::support::{TestApp, TestDb};

/// Moves a request back in time: received `days_ago` days ago, due on
/// `due_on`, in `status`.
fn backdate(
    db: &TestDb,
    id: &str,
    now: NaiveDateTime,
    days_ago: i64,
    due_on: NaiveDate,
    status: Status,
) {
    let at = now - TimeDelta::days(days_ago);
    diesel::update(r::table.find(id))
        .set((
            r::submitted_at.eq(at),
            r::received_at.eq(Some(at)),
            r::due_on.eq(Some(due_on)),
            r::status.eq(status.as_str()),
        ))
        .execute(&mut db.conn())
        .unwrap();
}

fn reference(req: &requests::Request) -> String {
    req.reference.clone().unwrap()
}

fn outbox_count(db: &TestDb) -> usize {
    outbox::list(&mut db.conn()).unwrap().len()
}

fn to(mails: &[ReceivedMail], address: &str) -> Vec<ReceivedMail> {
    mails
        .iter()
        .filter(|m| m.rcpt_to.iter().any(|r| r == address))
        .cloned()
        .collect()
}

/// The references (`XXX-2026-0000`) a digest body lists.
fn references_in(body: &str) -> Vec<String> {
    let mut refs: Vec<String> = body
        .lines()
        .filter_map(|l| l.strip_prefix("- "))
        .map(|l| l.split(' ').next().unwrap().to_owned())
        .collect();
    refs.sort();
    refs
}

fn tick(app: &TestApp) {
    digest::scheduler::tick_once(&app.state).unwrap();
}

fn sends(db: &TestDb) -> i64 {
    digest_sends::table
        .count()
        .get_result(&mut db.conn())
        .unwrap()
}

crate::db_test!(each_dpo_gets_their_own_requests_once_a_day, async |db| {
    let app = TestApp::builder().start(&db).await;
    let now = app.clock.now();
    let today = app.issy.local_date(now);
    let days = |n: i64| today + TimeDelta::days(n);

    let new = app.new_request(&db, &app.issy, RequestKind::Access);
    let soon = app.new_request(&db, &app.issy, RequestKind::Erasure);
    backdate(&db, &soon.id, now, 25, days(5), Status::InProgress);
    let late = app.new_request(&db, &app.issy, RequestKind::Rectification);
    backdate(
        &db,
        &late.id,
        now,
        40,
        days(-2),
        Status::AwaitingInformation,
    );
    let closed = app.new_request(&db, &app.issy, RequestKind::Access);
    backdate(&db, &closed.id, now, 20, days(3), Status::Closed);
    let vanves = app.new_request(&db, &app.vanves, RequestKind::Objection);

    tick(&app);
    // Two Issy DPOs and the Vanves DPO; no admin, no viewer.
    assert_eq!(outbox_count(&db), 3);
    let mails = app.mails(3).await;
    let issy = to(&mails, DPO_ISSY);
    assert_eq!(issy.len(), 1);
    assert_eq!(to(&mails, DPO2_ISSY).len(), 1);
    let body = issy[0].body();
    let mut want = vec![reference(&new), reference(&soon), reference(&late)];
    want.sort();
    assert_eq!(references_in(&body), want, "{body}");
    assert!(!body.contains(&reference(&closed)));
    assert!(!body.contains(&reference(&vanves)));
    for personal in ["Jeanne", "Dupont", CITIZEN, "Ma demande"] {
        assert!(!body.contains(personal), "{personal} in {body}");
    }
    assert!(body.contains(&format!("{}/desk/requests/{}", app.base, late.id)));
    assert!(body.contains("en retard de 2 jours"), "{body}");
    assert!(body.contains("5 jours restants"), "{body}");
    assert!(body.contains("délai suspendu"), "{body}");
    let subject = issy[0].parsed().subject().unwrap().to_owned();
    assert!(
        subject.ends_with("1 en retard, 1 à rendre sous 7 jours, 1 nouvelle"),
        "{subject}"
    );

    let vanves_mail = to(&mails, DPO_VANVES);
    assert_eq!(vanves_mail.len(), 1);
    assert_eq!(
        references_in(&vanves_mail[0].body()),
        vec![reference(&vanves)]
    );

    let events = events_named(&db, SENT_EVENT);
    assert_eq!(events.len(), 3);
    let dpo = staff_id(&db, DPO_ISSY);
    assert!(
        events
            .iter()
            .any(|e| e.detail == format!("staff={dpo} date=2026-03-02 new=1 due_soon=1 overdue=1"))
    );
    assert!(events.iter().all(|e| !e.detail.contains('@')));

    // Later the same day, and again: nothing more.
    app.clock.advance(TimeDelta::hours(5));
    tick(&app);
    tick(&app);
    assert_eq!(outbox_count(&db), 3);
    assert_eq!(events_named(&db, SENT_EVENT).len(), 3);

    // The next morning: Issy's DPOs again (the new request is no longer
    // new); Vanves has nothing to report, so no mail.
    app.clock.advance(TimeDelta::hours(19));
    tick(&app);
    assert_eq!(outbox_count(&db), 5);
    let mails = app.mails(5).await;
    let issy = to(&mails, DPO_ISSY);
    assert_eq!(issy.len(), 2);
    let second = issy
        .iter()
        .find(|m| m.parsed().subject().unwrap().contains("mardi 3 mars"))
        .map(ReceivedMail::body)
        .expect("Tuesday's digest");
    let mut want = vec![reference(&soon), reference(&late)];
    want.sort();
    assert_eq!(references_in(&second), want, "{second}");
    assert!(second.contains("4 jours restants"), "{second}");
    assert_eq!(to(&mails, DPO_VANVES).len(), 1);
    // Every DPO's day is recorded, mailed or not.
    assert_eq!(sends(&db), 6);
    assert_chain_intact(&db);
});

crate::db_test!(
    nothing_before_the_hour_nothing_to_report_no_disabled,
    async |db| {
        // 7:30 in Paris, DIGEST_HOUR 8.
        let app = TestApp::builder()
            .at("2026-03-02T06:30:00Z")
            .start(&db)
            .await;
        let now = app.clock.now();
        let late = app.new_request(&db, &app.issy, RequestKind::Access);
        backdate(
            &db,
            &late.id,
            now,
            40,
            app.issy.local_date(now) - TimeDelta::days(1),
            Status::InProgress,
        );
        staff::disable(&mut db.conn(), DPO2_ISSY, now).unwrap();

        tick(&app);
        assert_eq!(outbox_count(&db), 0);
        assert_eq!(sends(&db), 0);

        // 8:00 in Paris: the Issy DPO still enabled gets it; the Vanves DPO
        // has nothing to report and gets no mail.
        app.clock.advance(TimeDelta::minutes(30));
        tick(&app);
        assert_eq!(outbox_count(&db), 1);
        let mails = app.mails(1).await;
        assert_eq!(mails[0].rcpt_to, vec![DPO_ISSY.to_owned()]);
        assert_eq!(references_in(&mails[0].body()), vec![reference(&late)]);
        assert_eq!(sends(&db), 2);
        assert_eq!(events_named(&db, SENT_EVENT).len(), 1);
        let disabled = staff_id(&db, DPO2_ISSY);
        assert!(
            events_named(&db, SENT_EVENT)
                .iter()
                .all(|e| !e.detail.contains(&*disabled))
        );
    }
);

crate::db_test!(two_schedulers_send_one_digest, async |db| {
    let app = TestApp::builder().start(&db).await;
    let now = app.clock.now();
    let late = app.new_request(&db, &app.vanves, RequestKind::Access);
    backdate(
        &db,
        &late.id,
        now,
        40,
        app.vanves.local_date(now) - TimeDelta::days(3),
        Status::Received,
    );
    // Two instances' schedulers on the same database.
    let a = digest::scheduler::spawn_every(&app.state, Duration::from_millis(30));
    let b = digest::scheduler::spawn_every(&app.state, Duration::from_millis(30));
    let mails = app.mails(1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    drop((a, b));
    assert_eq!(mails[0].rcpt_to, vec![DPO_VANVES.to_owned()]);
    assert_eq!(outbox_count(&db), 1);
    assert_eq!(app.smtp.messages().len(), 1);
    assert_eq!(events_named(&db, SENT_EVENT).len(), 1);
});

crate::db_test!(digest_send_dry_run_writes_nothing, async |db| {
    let app = TestApp::builder().start(&db).await;
    // The binary runs on the real clock (after March 2026): these
    // requests are overdue for it.
    app.new_request(&db, &app.issy, RequestKind::Access);
    app.new_request(&db, &app.vanves, RequestKind::Access);
    let events_before = events_named(&db, SENT_EVENT).len();

    let out = db.cli(&["digest", "send", "--dry-run"], None);
    assert!(out.ok(), "{}", out.stderr);
    assert!(
        out.stdout.contains("would queue 3 mail(s)"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("nothing written"), "{}", out.stdout);
    assert!(!out.stdout.contains('@'), "{}", out.stdout);
    assert_eq!(outbox_count(&db), 0);
    assert_eq!(sends(&db), 0);
    assert_eq!(events_named(&db, SENT_EVENT).len(), events_before);

    let out = db.cli(&["digest", "send"], None);
    assert!(out.ok(), "{}", out.stderr);
    assert!(out.stdout.contains("queued 3 mail(s)"), "{}", out.stdout);
    assert!(!out.stdout.contains('@'), "{}", out.stdout);
    assert!(!out.stderr.contains('@'), "{}", out.stderr);
    assert_eq!(outbox_count(&db), 3);
    assert_eq!(events_named(&db, SENT_EVENT).len(), 3);

    let out = db.cli(&["digest", "send"], None);
    assert!(out.ok(), "{}", out.stderr);
    assert!(out.stdout.contains("queued 0 mail(s)"), "{}", out.stdout);
    assert!(
        out.stdout.contains("3 already done today"),
        "{}",
        out.stdout
    );
    assert_eq!(outbox_count(&db), 3);
});
