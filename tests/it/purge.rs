//! The retention purge on both backends, with time injected: each rule at
//! its boundary, legal hold, settings, dry run, idempotence, statistics
//! after anonymisation, a SIGKILL in the middle of a run, concurrent runs,
//! the nightly scheduler and the suppression-list API.

use dsr_tracker::domain::ids::{ControllerId, RequestId, StaffId};
use std::collections::HashMap;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, TimeDelta};
use diesel::dsl::count_star;
use diesel::prelude::*;
use dsr_tracker::audit::{self, ChainReport};
use dsr_tracker::db::DbConn;
use dsr_tracker::db::schema::{
    events, identity_proofs, login_records, outbox, purge_runs, request_messages,
    request_recipients, requests, staff_sessions, suppression_entries,
};
use dsr_tracker::domain::request::{Channel, RequestKind, Status};
use dsr_tracker::domain::retention::{PurgeRule, RetentionSettings};
use dsr_tracker::domain::values::{EmailAddress, Locale, ReferencePrefix, Role, Slug};
use dsr_tracker::purge::lock::PurgeLock;
use dsr_tracker::purge::{self, PurgeOptions, PurgeReport, STAFF};
use dsr_tracker::security::keys::MasterKey;
use dsr_tracker::security::password;
use dsr_tracker::store::controllers::{self, Controller, NewController};
use dsr_tracker::store::requests::{self as store_requests, NewRequest, Request};
use dsr_tracker::store::staff;
use dsr_tracker::store::suppression;

use crate::support::{Backend, TestApp, TestDb};

// ---------------------------------------------------------------- fixtures

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").expect("test instant")
}

fn rfc3339(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The reference instant of the boundary tests.
fn d() -> NaiveDateTime {
    t("2026-03-10T10:00:00")
}

struct Fx {
    conn: DbConn,
    issy: Controller,
}

fn add_controller(conn: &mut DbConn, slug: &str) -> Controller {
    let slug = Slug::parse(slug).unwrap();
    controllers::create(
        conn,
        &NewController {
            reference_prefix: ReferencePrefix::from_slug(&slug),
            dpo_email: EmailAddress::parse(&format!("dpo@{slug}.example.fr")).unwrap(),
            name: format!("Ville de {slug}"),
            slug,
            postal_address: None,
            locale: Locale::default(),
        },
        t("2026-01-01T00:00:00"),
    )
    .unwrap()
}

fn setup(db: &TestDb) -> Fx {
    drop(db.pool());
    let mut conn = db.conn();
    let issy = add_controller(&mut conn, "issy");
    Fx { conn, issy }
}

/// A request as the intake stores it, with every personal field filled.
fn insert_request(
    conn: &mut DbConn,
    controller_id: &str,
    kind: RequestKind,
    status: Status,
    submitted_at: NaiveDateTime,
) -> Request {
    store_requests::insert(
        conn,
        &NewRequest {
            controller_id: controller_id.into(),
            kind,
            channel: Channel::Web,
            status,
            locale: Locale::default(),
            first_name: "Jeanne".into(),
            last_name: "Dupont".into(),
            email: Some("jeanne.dupont@example.fr".into()),
            postal_address: Some("1 rue de la Paix, 92130 Issy".into()),
            details: "Je souhaite obtenir une copie de mes données.".into(),
            objection_grounds: kind
                .requires_grounds()
                .then(|| "Ma situation particulière".into()),
            submitted_at,
            received_at: Some(submitted_at),
            due_on: None,
            reference: None,
            confirm_token_hash: Some(format!("confirm-{}", uuid::Uuid::now_v7())),
            confirm_token_expires_at: Some(submitted_at + TimeDelta::days(7)),
            status_token_hash: Some(format!("status-{}", uuid::Uuid::now_v7())),
            submitter_ip: Some("192.0.2.10".into()),
            submitter_user_agent: Some("Mozilla/5.0 (X11; Linux x86_64)".into()),
        },
    )
    .unwrap()
}

/// A request closed (or withdrawn) at `closed_at`, with a message, a
/// recipient, an outbox row and one identity proof.
fn closed_request(
    conn: &mut DbConn,
    controller_id: &str,
    kind: RequestKind,
    closed_at: NaiveDateTime,
) -> RequestId {
    let r = insert_request(
        conn,
        controller_id,
        kind,
        Status::Received,
        closed_at - TimeDelta::days(20),
    );
    diesel::update(requests::table.find(&r.id))
        .set((
            requests::status.eq(Status::Closed.as_str()),
            requests::confirmed_at.eq(Some(closed_at - TimeDelta::days(20))),
            requests::identity_accepted_at.eq(Some(closed_at - TimeDelta::days(10))),
            requests::extension_months.eq(1_i64),
            requests::extension_reason.eq(Some("Complexité de la demande de Mme Dupont")),
            requests::closed_at.eq(Some(closed_at)),
            requests::outcome.eq(Some("granted")),
        ))
        .execute(conn)
        .unwrap();
    add_proof(conn, &r.id, closed_at - TimeDelta::days(20));
    diesel::insert_into(request_messages::table)
        .values((
            request_messages::id.eq(format!("msg-{}", r.id)),
            request_messages::request_id.eq(&r.id),
            request_messages::direction.eq("inbound"),
            request_messages::body.eq("Bonjour, je suis Jeanne Dupont."),
            request_messages::created_at.eq(closed_at - TimeDelta::days(15)),
        ))
        .execute(conn)
        .unwrap();
    diesel::insert_into(request_recipients::table)
        .values((
            request_recipients::id.eq(format!("rcp-{}", r.id)),
            request_recipients::request_id.eq(&r.id),
            request_recipients::recipient.eq("Caisse des écoles"),
            request_recipients::notified_at.eq(closed_at - TimeDelta::days(1)),
            request_recipients::created_at.eq(closed_at - TimeDelta::days(1)),
        ))
        .execute(conn)
        .unwrap();
    add_outbox(conn, &r.id, controller_id, closed_at);
    r.id
}

fn add_outbox(conn: &mut DbConn, request_id: &str, controller_id: &str, at: NaiveDateTime) {
    let id = uuid::Uuid::now_v7().to_string();
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(&id),
            outbox::request_id.eq(Some(request_id)),
            outbox::controller_id.eq(Some(controller_id)),
            outbox::to_address.eq("jeanne.dupont@example.fr"),
            outbox::subject.eq("Réponse à votre demande"),
            outbox::body_text.eq("Madame Dupont, …"),
            outbox::message_id.eq(format!("<{id}@test>")),
            outbox::created_at.eq(at),
            outbox::attempts.eq(1_i64),
            outbox::next_attempt_at.eq(at),
            outbox::sent_at.eq(Some(at)),
        ))
        .execute(conn)
        .unwrap();
}

/// An identity proof with dummy bytes (the encryption is not this test's
/// business).
fn add_proof(conn: &mut DbConn, request_id: &str, at: NaiveDateTime) {
    diesel::insert_into(identity_proofs::table)
        .values((
            identity_proofs::id.eq(uuid::Uuid::now_v7().to_string()),
            identity_proofs::request_id.eq(request_id),
            identity_proofs::ciphertext.eq(vec![7_u8; 32]),
            identity_proofs::nonce.eq(vec![0_u8; 24]),
            identity_proofs::wrapped_key.eq(vec![0_u8; 72]),
            identity_proofs::key_id.eq("test"),
            identity_proofs::content_type.eq("application/pdf"),
            identity_proofs::size_bytes.eq(32_i64),
            identity_proofs::display_name.eq("cni-jeanne-dupont.pdf"),
            identity_proofs::uploaded_by.eq("citizen"),
            identity_proofs::created_at.eq(at),
        ))
        .execute(conn)
        .unwrap();
}

fn set_hold(conn: &mut DbConn, id: &str, hold: bool) {
    diesel::update(requests::table.find(id))
        .set((
            requests::legal_hold.eq(hold),
            requests::legal_hold_reason.eq(hold.then_some("Contentieux")),
        ))
        .execute(conn)
        .unwrap();
}

fn purge_at(conn: &mut DbConn, now: NaiveDateTime) -> PurgeReport {
    purge::run(conn, now, &PurgeOptions::default(), &mut |_| {}).expect("purge")
}

fn request(conn: &mut DbConn, id: &str) -> Option<Request> {
    requests::table
        .find(id)
        .select(Request::as_select())
        .first(conn)
        .optional()
        .unwrap()
}

fn proofs_of(conn: &mut DbConn, id: &str) -> i64 {
    identity_proofs::table
        .filter(identity_proofs::request_id.eq(id))
        .count()
        .get_result(conn)
        .unwrap()
}

fn events_of(conn: &mut DbConn, id: &str, action: &str) -> i64 {
    events::table
        .filter(events::request_id.eq(id))
        .filter(events::action.eq(action))
        .count()
        .get_result(conn)
        .unwrap()
}

fn line(report: &PurgeReport, controller: &str, rule: PurgeRule) -> (u64, u64, u64) {
    let l = report
        .line(controller, rule)
        .unwrap_or_else(|| panic!("no line {controller} {rule}: {report:#?}"));
    (l.found, l.purged, l.skipped_legal_hold)
}

fn assert_chain_intact(conn: &mut DbConn) {
    assert!(
        matches!(audit::verify(conn).unwrap(), ChainReport::Intact { .. }),
        "audit chain broken"
    );
}

/// Every personal field gone, every statistical field kept.
fn assert_anonymised(r: &Request, now: NaiveDateTime) {
    assert_eq!(r.anonymised_at, Some(now));
    assert_eq!(r.proofs_purged_at, Some(now));
    for (name, value) in [
        ("first_name", &r.first_name),
        ("last_name", &r.last_name),
        ("email", &r.email),
        ("postal_address", &r.postal_address),
        ("details", &r.details),
        ("objection_grounds", &r.objection_grounds),
        ("extension_reason", &r.extension_reason),
        ("legal_hold_reason", &r.legal_hold_reason),
        ("confirm_token_hash", &r.confirm_token_hash),
        ("status_token_hash", &r.status_token_hash),
        ("submitter_ip", &r.submitter_ip),
        ("submitter_user_agent", &r.submitter_user_agent),
    ] {
        assert_eq!(value, &None, "{name} kept after anonymisation");
    }
    assert!(r.closed_at.is_some());
    assert!(r.outcome.is_some());
    assert_eq!(r.extension_months, 1);
}

fn assert_untouched(r: &Request) {
    assert_eq!(r.anonymised_at, None);
    assert_eq!(r.first_name.as_deref(), Some("Jeanne"));
    assert!(r.email.is_some() && r.details.is_some());
}

// ------------------------------------------------------------------- rules

crate::db_test!(
    proof_of_an_access_request_goes_one_year_after_closure,
    |db| {
        let mut fx = setup(&db);
        let c = fx.issy.id.clone();
        let access = closed_request(&mut fx.conn, &c, RequestKind::Access, d());
        let objection = closed_request(&mut fx.conn, &c, RequestKind::Objection, d());

        // D + 1 year − 1 day: kept.
        let report = purge_at(&mut fx.conn, t("2027-03-09T10:00:00"));
        assert_eq!(proofs_of(&mut fx.conn, &access), 1);
        assert_untouched(&request(&mut fx.conn, &access).unwrap());
        assert_eq!(line(&report, "issy", PurgeRule::Proof), (0, 0, 0));
        assert_eq!(line(&report, "issy", PurgeRule::PersonalData), (0, 0, 0));

        // D + 1 year + 1 day: the proof is gone and the request anonymised.
        let now = t("2027-03-11T10:00:00");
        let report = purge_at(&mut fx.conn, now);
        assert_eq!(proofs_of(&mut fx.conn, &access), 0);
        let r = request(&mut fx.conn, &access).unwrap();
        assert_anonymised(&r, now);
        assert_eq!(r.kind.as_str(), "access");
        assert_eq!(r.status.as_str(), "closed");
        assert_eq!(r.channel.as_str(), "web");
        assert_eq!(r.closed_at, Some(d()));
        assert_eq!(r.outcome.map(|o| o.as_str()), Some("granted"));
        for (table, n) in [
            (
                "request_messages",
                request_messages::table
                    .filter(request_messages::request_id.eq(&access))
                    .count()
                    .get_result::<i64>(&mut fx.conn)
                    .unwrap(),
            ),
            (
                "request_recipients",
                request_recipients::table
                    .filter(request_recipients::request_id.eq(&access))
                    .count()
                    .get_result::<i64>(&mut fx.conn)
                    .unwrap(),
            ),
            (
                "outbox",
                outbox::table
                    .filter(outbox::request_id.eq(&access))
                    .count()
                    .get_result::<i64>(&mut fx.conn)
                    .unwrap(),
            ),
        ] {
            assert_eq!(n, 0, "{table} rows of the anonymised request remain");
        }
        assert_eq!(line(&report, "issy", PurgeRule::Proof), (1, 1, 0));
        assert_eq!(line(&report, "issy", PurgeRule::PersonalData), (1, 1, 0));
        assert_eq!(events_of(&mut fx.conn, &access, "purge.anonymised"), 1);
        // The audit event carries counts, not the citizen.
        let detail: String = events::table
            .filter(events::request_id.eq(&access))
            .filter(events::action.eq("purge.anonymised"))
            .select(events::detail)
            .first(&mut fx.conn)
            .unwrap();
        assert!(detail.contains("rule=personal_data") && detail.contains("proofs=1"));
        assert!(!detail.contains("Jeanne") && !detail.contains("example.fr"));
        // The objection closed the same day is kept for three years.
        assert_eq!(proofs_of(&mut fx.conn, &objection), 1);
        assert_untouched(&request(&mut fx.conn, &objection).unwrap());
        assert_chain_intact(&mut fx.conn);
    }
);

crate::db_test!(objection_case_files_go_three_years_after_closure, |db| {
    let mut fx = setup(&db);
    let c = fx.issy.id.clone();
    let objection = closed_request(&mut fx.conn, &c, RequestKind::Objection, d());
    let marketing = closed_request(&mut fx.conn, &c, RequestKind::MarketingObjection, d());
    // A withdrawn request follows the same horizon from its withdrawal.
    let withdrawn = closed_request(&mut fx.conn, &c, RequestKind::Objection, d());
    diesel::update(requests::table.find(&withdrawn))
        .set((
            requests::status.eq("withdrawn"),
            requests::outcome.eq(None::<String>),
        ))
        .execute(&mut fx.conn)
        .unwrap();

    purge_at(&mut fx.conn, t("2029-03-09T10:00:00"));
    for id in [&objection, &marketing, &withdrawn] {
        assert_eq!(proofs_of(&mut fx.conn, id), 1);
        assert_untouched(&request(&mut fx.conn, id).unwrap());
    }
    let now = t("2029-03-11T10:00:00");
    let report = purge_at(&mut fx.conn, now);
    for id in [&objection, &marketing, &withdrawn] {
        assert_eq!(proofs_of(&mut fx.conn, id), 0);
        let r = request(&mut fx.conn, id).unwrap();
        assert_eq!(r.anonymised_at, Some(now));
        assert_eq!(r.objection_grounds, None);
        assert_eq!(r.first_name, None);
    }
    assert_eq!(line(&report, "issy", PurgeRule::Proof), (3, 3, 0));
    assert_eq!(line(&report, "issy", PurgeRule::PersonalData), (3, 3, 0));
});

crate::db_test!(refusal_free_text_goes_but_the_art17_letter_stays, |db| {
    let mut fx = setup(&db);
    let c = fx.issy.id.clone();
    let letter = closed_request(&mut fx.conn, &c, RequestKind::Erasure, d());
    let other = closed_request(&mut fx.conn, &c, RequestKind::Access, d());
    for (id, ground, detail) in [
        (&letter, "art17_3", "b"),
        (&other, "other", "Mme Dupont a déjà reçu ces données hier"),
    ] {
        diesel::update(requests::table.find(id))
            .set((
                requests::outcome.eq(Some("refused")),
                requests::refusal_ground.eq(Some(ground)),
                requests::refusal_detail.eq(Some(detail)),
            ))
            .execute(&mut fx.conn)
            .unwrap();
    }
    purge_at(&mut fx.conn, t("2027-03-11T10:00:00"));
    let letter = request(&mut fx.conn, &letter).unwrap();
    assert_eq!(letter.refusal_ground.as_deref(), Some("art17_3"));
    assert_eq!(letter.refusal_detail.as_deref(), Some("b"));
    let other = request(&mut fx.conn, &other).unwrap();
    assert_eq!(other.refusal_ground.as_deref(), Some("other"));
    assert_eq!(other.refusal_detail, None);
});

crate::db_test!(
    suppression_entries_are_kept_three_years_and_consulted,
    |db| {
        let mut fx = setup(&db);
        let c = fx.issy.id.clone();
        let key = suppression::load_key(&mut fx.conn, &MasterKey::generate(), d()).unwrap();
        let marketing = closed_request(&mut fx.conn, &c, RequestKind::MarketingObjection, d());
        let added = suppression::add(
            &mut fx.conn,
            &key,
            &c,
            "Jeanne.Dupont@example.fr",
            Some(&marketing),
            d(),
        )
        .unwrap();
        assert!(matches!(added, suppression::Added::New(_)));
        // Idempotent: the same address again renews the entry, no duplicate.
        let again = suppression::add(
            &mut fx.conn,
            &key,
            &c,
            " jeanne.dupont@EXAMPLE.fr",
            Some(&marketing),
            d(),
        )
        .unwrap();
        assert!(matches!(again, suppression::Added::Renewed(_)));
        let stored: Vec<String> = suppression_entries::table
            .select(suppression_entries::email_hmac)
            .load(&mut fx.conn)
            .unwrap();
        assert_eq!(stored.len(), 1);
        assert!(
            !stored[0].contains("jeanne"),
            "the address is stored in clear"
        );

        // 2 years and 364 days later (2028 is a leap year): kept, and still
        // answers the question it exists for.
        let report = purge_at(&mut fx.conn, t("2029-03-09T10:00:00"));
        assert_eq!(
            line(&report, "issy", PurgeRule::SuppressionEntry),
            (0, 0, 0)
        );
        assert!(
            suppression::is_suppressed(&mut fx.conn, &key, &c, "jeanne.dupont@example.fr").unwrap()
        );
        assert!(!suppression::is_suppressed(&mut fx.conn, &key, &c, "paul@example.fr").unwrap());

        // Three years and a day: gone (and the objection's case file with it).
        let report = purge_at(&mut fx.conn, t("2029-03-11T10:00:00"));
        assert_eq!(
            line(&report, "issy", PurgeRule::SuppressionEntry),
            (1, 1, 0)
        );
        assert!(
            !suppression::is_suppressed(&mut fx.conn, &key, &c, "jeanne.dupont@example.fr")
                .unwrap()
        );
        assert_eq!(
            events::table
                .filter(events::action.eq("purge.suppression_entry_deleted"))
                .count()
                .get_result::<i64>(&mut fx.conn)
                .unwrap(),
            1
        );
        assert_chain_intact(&mut fx.conn);
    }
);

crate::db_test!(a_renewed_objection_restarts_the_three_years, |db| {
    let mut fx = setup(&db);
    let c = fx.issy.id.clone();
    let key = suppression::load_key(&mut fx.conn, &MasterKey::generate(), d()).unwrap();
    suppression::add(&mut fx.conn, &key, &c, "a@example.fr", None, d()).unwrap();
    let renewed_at = t("2028-01-01T00:00:00");
    suppression::add(&mut fx.conn, &key, &c, "a@example.fr", None, renewed_at).unwrap();
    purge_at(&mut fx.conn, t("2029-03-11T10:00:00"));
    assert!(suppression::is_suppressed(&mut fx.conn, &key, &c, "a@example.fr").unwrap());
    purge_at(&mut fx.conn, t("2031-01-01T00:00:01"));
    assert!(!suppression::is_suppressed(&mut fx.conn, &key, &c, "a@example.fr").unwrap());
});

fn add_staff(conn: &mut DbConn, email: &str, role: Role, scope: &[ControllerId]) -> StaffId {
    staff::create(
        conn,
        &EmailAddress::parse(email).unwrap(),
        role,
        &password::hash("correct horse battery staple"),
        scope,
        t("2026-01-01T00:00:00"),
    )
    .unwrap()
    .id
}

fn add_login(conn: &mut DbConn, staff_id: &str, at: NaiveDateTime) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    diesel::insert_into(login_records::table)
        .values((
            login_records::id.eq(&id),
            login_records::staff_id.eq(Some(staff_id)),
            login_records::occurred_at.eq(at),
            login_records::success.eq(true),
            login_records::ip.eq(Some("198.51.100.7")),
            login_records::user_agent.eq(Some("Firefox")),
        ))
        .execute(conn)
        .unwrap();
    id
}

fn add_session(conn: &mut DbConn, staff_id: &str, at: NaiveDateTime) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    diesel::insert_into(staff_sessions::table)
        .values((
            staff_sessions::id.eq(&id),
            staff_sessions::staff_id.eq(staff_id),
            staff_sessions::csrf_token.eq("csrf"),
            staff_sessions::created_at.eq(at),
            staff_sessions::last_seen_at.eq(at),
            staff_sessions::ip.eq(Some("198.51.100.7")),
            staff_sessions::user_agent.eq(Some("Firefox")),
        ))
        .execute(conn)
        .unwrap();
    id
}

crate::db_test!(connection_data_goes_after_thirteen_months, |db| {
    let mut fx = setup(&db);
    let c = fx.issy.id.clone();
    let member = add_staff(
        &mut fx.conn,
        "dpo@issy.example.fr",
        Role::Dpo,
        std::slice::from_ref(&c),
    );
    let old_login = add_login(&mut fx.conn, &member, d());
    let recent_login = add_login(&mut fx.conn, &member, t("2026-09-10T10:00:00"));
    let old_session = add_session(&mut fx.conn, &member, d());
    // An open request: its IP address and user agent go, nothing else.
    let open = insert_request(
        &mut fx.conn,
        &c,
        RequestKind::Access,
        Status::InProgress,
        d(),
    )
    .id;

    let report = purge_at(&mut fx.conn, t("2027-04-09T10:00:00"));
    assert_eq!(line(&report, STAFF, PurgeRule::ConnectionData), (0, 0, 0));
    assert_eq!(line(&report, "issy", PurgeRule::ConnectionData), (0, 0, 0));
    let r = request(&mut fx.conn, &open).unwrap();
    assert!(r.submitter_ip.is_some() && r.submitter_user_agent.is_some());

    let report = purge_at(&mut fx.conn, t("2027-04-11T10:00:00"));
    assert_eq!(line(&report, STAFF, PurgeRule::ConnectionData), (2, 2, 0));
    assert_eq!(line(&report, "issy", PurgeRule::ConnectionData), (1, 1, 0));
    let remaining: Vec<String> = login_records::table
        .select(login_records::id)
        .load(&mut fx.conn)
        .unwrap();
    assert_eq!(remaining, std::slice::from_ref(&recent_login));
    assert!(!remaining.contains(&old_login));
    let sessions: Vec<String> = staff_sessions::table
        .select(staff_sessions::id)
        .load(&mut fx.conn)
        .unwrap();
    assert!(!sessions.contains(&old_session));
    let r = request(&mut fx.conn, &open).unwrap();
    assert_eq!((r.submitter_ip, r.submitter_user_agent), (None, None));
    assert_eq!(r.status.as_str(), "in_progress");
    assert_eq!(r.first_name.as_deref(), Some("Jeanne"));
    assert_eq!(r.anonymised_at, None);
    assert_eq!(
        events_of(&mut fx.conn, &open, "purge.connection_data_cleared"),
        1
    );

    // Login records are per account, not per controller: the strictest
    // controller's period applies to all of them.
    let mut vanves = add_controller(&mut fx.conn, "vanves");
    vanves = purge::settings::change(
        &mut fx.conn,
        &vanves.id,
        &RetentionSettings {
            connection_data_months: 6,
            ..vanves.retention()
        },
        dsr_tracker::audit::Actor::System,
        t("2027-04-11T10:00:00"),
    )
    .unwrap();
    assert_eq!(vanves.connection_data_retention_months, 6);
    let report = purge_at(&mut fx.conn, t("2027-03-11T10:00:01"));
    assert_eq!(line(&report, STAFF, PurgeRule::ConnectionData), (1, 1, 0));
    assert_eq!(
        login_records::table
            .count()
            .get_result::<i64>(&mut fx.conn)
            .unwrap(),
        0
    );
    assert_chain_intact(&mut fx.conn);
});

crate::db_test!(unconfirmed_submissions_go_after_seven_days, |db| {
    let mut fx = setup(&db);
    let c = fx.issy.id.clone();
    let unconfirmed = insert_request(
        &mut fx.conn,
        &c,
        RequestKind::Access,
        Status::Unconfirmed,
        d(),
    )
    .id;
    add_proof(&mut fx.conn, &unconfirmed, d());
    add_outbox(&mut fx.conn, &unconfirmed, &c, d());
    let confirmed = insert_request(&mut fx.conn, &c, RequestKind::Access, Status::Received, d()).id;

    let report = purge_at(&mut fx.conn, t("2026-03-17T09:59:59"));
    assert_eq!(
        line(&report, "issy", PurgeRule::UnconfirmedSubmission),
        (0, 0, 0)
    );
    assert!(request(&mut fx.conn, &unconfirmed).is_some());

    let report = purge_at(&mut fx.conn, t("2026-03-17T10:00:00"));
    assert_eq!(
        line(&report, "issy", PurgeRule::UnconfirmedSubmission),
        (1, 1, 0)
    );
    assert!(request(&mut fx.conn, &unconfirmed).is_none());
    assert_eq!(proofs_of(&mut fx.conn, &unconfirmed), 0);
    assert_eq!(
        outbox::table
            .filter(outbox::request_id.eq(&unconfirmed))
            .count()
            .get_result::<i64>(&mut fx.conn)
            .unwrap(),
        0
    );
    assert_eq!(
        events_of(&mut fx.conn, &unconfirmed, "purge.unconfirmed_deleted"),
        1
    );
    assert_untouched(&request(&mut fx.conn, &confirmed).unwrap());
});

crate::db_test!(legal_hold_blocks_every_rule_until_lifted, |db| {
    let mut fx = setup(&db);
    let c = fx.issy.id.clone();
    let key = suppression::load_key(&mut fx.conn, &MasterKey::generate(), d()).unwrap();
    let closed = closed_request(&mut fx.conn, &c, RequestKind::Access, d());
    let marketing = closed_request(&mut fx.conn, &c, RequestKind::MarketingObjection, d());
    suppression::add(
        &mut fx.conn,
        &key,
        &c,
        "jeanne@example.fr",
        Some(&marketing),
        d(),
    )
    .unwrap();
    let unconfirmed = insert_request(
        &mut fx.conn,
        &c,
        RequestKind::Access,
        Status::Unconfirmed,
        d(),
    )
    .id;
    let open = insert_request(
        &mut fx.conn,
        &c,
        RequestKind::Access,
        Status::InProgress,
        d(),
    )
    .id;
    for id in [&closed, &marketing, &unconfirmed, &open] {
        set_hold(&mut fx.conn, id, true);
    }
    let later = t("2031-01-01T00:00:00");
    let report = purge_at(&mut fx.conn, later);
    assert_eq!(line(&report, "issy", PurgeRule::Proof), (2, 0, 2));
    assert_eq!(line(&report, "issy", PurgeRule::PersonalData), (2, 0, 2));
    assert_eq!(
        line(&report, "issy", PurgeRule::UnconfirmedSubmission),
        (1, 0, 1)
    );
    assert_eq!(
        line(&report, "issy", PurgeRule::SuppressionEntry),
        (1, 0, 1)
    );
    // Connection data: the unconfirmed and the open request (the closed
    // ones would lose theirs with the anonymisation).
    assert_eq!(line(&report, "issy", PurgeRule::ConnectionData), (4, 0, 4));
    assert_eq!(report.total_purged(), 0);
    for id in [&closed, &marketing, &unconfirmed, &open] {
        let r = request(&mut fx.conn, id).unwrap();
        assert_untouched(&r);
        assert!(r.submitter_ip.is_some());
    }
    assert_eq!(proofs_of(&mut fx.conn, &closed), 1);
    assert!(suppression::is_suppressed(&mut fx.conn, &key, &c, "jeanne@example.fr").unwrap());
    let table = report.render_table();
    assert!(table.contains("skipped (legal hold)"), "{table}");

    // Lifted: the next run purges everything that was due.
    for id in [&closed, &marketing, &unconfirmed, &open] {
        set_hold(&mut fx.conn, id, false);
    }
    let report = purge_at(&mut fx.conn, later);
    assert_eq!(line(&report, "issy", PurgeRule::Proof), (2, 2, 0));
    assert_eq!(line(&report, "issy", PurgeRule::PersonalData), (2, 2, 0));
    assert_eq!(
        line(&report, "issy", PurgeRule::UnconfirmedSubmission),
        (1, 1, 0)
    );
    assert_eq!(
        line(&report, "issy", PurgeRule::SuppressionEntry),
        (1, 1, 0)
    );
    assert_eq!(line(&report, "issy", PurgeRule::ConnectionData), (1, 1, 0));
    assert_anonymised(&request(&mut fx.conn, &closed).unwrap(), later);
    assert!(request(&mut fx.conn, &unconfirmed).is_none());
    assert_eq!(request(&mut fx.conn, &open).unwrap().submitter_ip, None);
    assert!(!suppression::is_suppressed(&mut fx.conn, &key, &c, "jeanne@example.fr").unwrap());
    assert_chain_intact(&mut fx.conn);
});

crate::db_test!(proofs_can_go_as_soon_as_the_identity_is_accepted, |db| {
    let mut fx = setup(&db);
    let c = fx.issy.id.clone();
    let accepted = insert_request(
        &mut fx.conn,
        &c,
        RequestKind::Access,
        Status::InProgress,
        d(),
    )
    .id;
    add_proof(&mut fx.conn, &accepted, d());
    add_proof(&mut fx.conn, &accepted, d());
    diesel::update(requests::table.find(&accepted))
        .set(requests::identity_accepted_at.eq(Some(d() + TimeDelta::days(1))))
        .execute(&mut fx.conn)
        .unwrap();
    let pending = insert_request(&mut fx.conn, &c, RequestKind::Access, Status::Received, d()).id;
    add_proof(&mut fx.conn, &pending, d());
    let now = d() + TimeDelta::days(2);

    // Off by default: nothing happens.
    let report = purge_at(&mut fx.conn, now);
    assert!(
        report
            .line("issy", PurgeRule::ProofAfterIdentityAccepted)
            .is_none()
    );
    assert_eq!(proofs_of(&mut fx.conn, &accepted), 2);

    let settings = RetentionSettings {
        delete_proof_on_identity_accepted: true,
        ..fx.issy.retention()
    };
    purge::settings::change(
        &mut fx.conn,
        &c,
        &settings,
        dsr_tracker::audit::Actor::System,
        now,
    )
    .unwrap();
    let report = purge_at(&mut fx.conn, now);
    assert_eq!(
        line(&report, "issy", PurgeRule::ProofAfterIdentityAccepted),
        (2, 2, 0)
    );
    assert_eq!(proofs_of(&mut fx.conn, &accepted), 0);
    assert_eq!(proofs_of(&mut fx.conn, &pending), 1);
    let r = request(&mut fx.conn, &accepted).unwrap();
    assert_eq!(r.proofs_purged_at, Some(now));
    assert_untouched(&r);
    assert_eq!(
        events_of(&mut fx.conn, &accepted, "purge.proofs_deleted"),
        1
    );
    let report = purge_at(&mut fx.conn, now);
    assert_eq!(
        line(&report, "issy", PurgeRule::ProofAfterIdentityAccepted),
        (0, 0, 0)
    );
});

// ----------------------------------------------- dry run, idempotence, stats

/// Everything the purge may touch, to compare before and after.
fn snapshot(conn: &mut DbConn) -> (Vec<Request>, i64, i64, i64, i64, i64, i64) {
    let rows = requests::table
        .order(requests::id.asc())
        .select(Request::as_select())
        .load(conn)
        .unwrap();
    let n = |r: QueryResult<i64>| r.unwrap();
    (
        rows,
        n(identity_proofs::table.count().get_result(conn)),
        n(request_messages::table.count().get_result(conn)),
        n(outbox::table.count().get_result(conn)),
        n(suppression_entries::table.count().get_result(conn)),
        n(login_records::table.count().get_result(conn)),
        n(events::table.count().get_result(conn)),
    )
}

fn statistics(conn: &mut DbConn) -> Vec<(String, Option<String>, i64)> {
    requests::table
        .group_by((requests::kind, requests::outcome))
        .select((requests::kind, requests::outcome, count_star()))
        .order((requests::kind.asc(), requests::outcome.asc()))
        .load(conn)
        .unwrap()
}

crate::db_test!(
    dry_run_changes_nothing_second_run_is_a_no_op_statistics_survive,
    |db| {
        let mut fx = setup(&db);
        let c = fx.issy.id.clone();
        let key = suppression::load_key(&mut fx.conn, &MasterKey::generate(), d()).unwrap();
        for kind in [
            RequestKind::Access,
            RequestKind::Erasure,
            RequestKind::Portability,
        ] {
            closed_request(&mut fx.conn, &c, kind, d());
        }
        let refused = closed_request(&mut fx.conn, &c, RequestKind::Rectification, d());
        diesel::update(requests::table.find(&refused))
            .set(requests::outcome.eq(Some("refused")))
            .execute(&mut fx.conn)
            .unwrap();
        closed_request(
            &mut fx.conn,
            &c,
            RequestKind::Access,
            t("2027-01-01T00:00:00"),
        );
        insert_request(
            &mut fx.conn,
            &c,
            RequestKind::Access,
            Status::Unconfirmed,
            d(),
        );
        suppression::add(
            &mut fx.conn,
            &key,
            &c,
            "old@example.fr",
            None,
            t("2020-01-01T00:00:00"),
        )
        .unwrap();
        let member = add_staff(
            &mut fx.conn,
            "dpo@issy.example.fr",
            Role::Dpo,
            std::slice::from_ref(&c),
        );
        add_login(&mut fx.conn, &member, t("2025-06-01T00:00:00"));
        let stats_before = statistics(&mut fx.conn);
        let before = snapshot(&mut fx.conn);

        let now = t("2027-03-11T10:00:00");
        let options = PurgeOptions {
            dry_run: true,
            ..PurgeOptions::default()
        };
        let dry = purge::run(&mut fx.conn, now, &options, &mut |_| {}).unwrap();
        assert!(dry.dry_run);
        assert_eq!(line(&dry, "issy", PurgeRule::PersonalData), (4, 4, 0));
        assert_eq!(
            line(&dry, "issy", PurgeRule::UnconfirmedSubmission),
            (1, 1, 0)
        );
        assert_eq!(line(&dry, "issy", PurgeRule::SuppressionEntry), (1, 1, 0));
        assert_eq!(line(&dry, STAFF, PurgeRule::ConnectionData), (1, 1, 0));
        assert!(dry.render_table().contains("would purge"));
        assert_eq!(
            snapshot(&mut fx.conn),
            before,
            "the dry run changed something"
        );
        // Its only trace: a purge_runs row marked as a dry run.
        let runs = purge::runs(&mut fx.conn).unwrap();
        assert_eq!(runs.len(), 1);
        assert!(runs[0].dry_run);
        assert_eq!(runs[0].outcome, "completed");

        let real = purge_at(&mut fx.conn, now);
        assert_eq!(
            real.lines
                .iter()
                .map(|l| (l.controller.clone(), l.rule, l.found, l.purged))
                .collect::<Vec<_>>(),
            dry.lines
                .iter()
                .map(|l| (l.controller.clone(), l.rule, l.found, l.purged))
                .collect::<Vec<_>>(),
            "the dry run predicted something else"
        );
        // 4 requests and their 4 proofs, 1 submission, 1 entry, 1 login record.
        assert_eq!(real.total_purged(), 11);

        let after_first = snapshot(&mut fx.conn);
        let second = purge_at(&mut fx.conn, now);
        assert_eq!(second.total_found(), 0, "{}", second.render_table());
        assert_eq!(second.total_purged(), 0);
        let after_second = snapshot(&mut fx.conn);
        assert_eq!(
            after_second.0, after_first.0,
            "the second run changed requests"
        );
        // Only the second run's own `purge.run` event was added.
        assert_eq!(after_second.6, after_first.6 + 1);

        // Statistics: the unconfirmed submission is gone (it never was a
        // request); every anonymised request still counts by kind and outcome.
        let stats_after = statistics(&mut fx.conn);
        let mut expected = stats_before.clone();
        let unconfirmed = expected
            .iter()
            .position(|(k, o, _)| k == "access" && o.is_none())
            .unwrap();
        expected.remove(unconfirmed);
        assert_eq!(stats_after, expected);

        let runs = purge::runs(&mut fx.conn).unwrap();
        assert_eq!(runs.len(), 3);
        let stored: PurgeReport = serde_json::from_str(&runs[1].report).unwrap();
        assert_eq!(stored, real);
        let verify = db.cli(&["audit", "verify"], None);
        assert!(verify.ok(), "{}", verify.stderr);
    }
);

// --------------------------------------------------------------- the CLI

crate::db_test!(purge_command_prints_a_report_and_respects_the_lock, |db| {
    let mut fx = setup(&db);
    let c = fx.issy.id.clone();
    let id = closed_request(&mut fx.conn, &c, RequestKind::Access, d());
    let now = rfc3339(t("2027-03-11T10:00:00"));

    let dry = db.cli(&["purge", "--dry-run", "--now", &now], None);
    assert!(dry.ok(), "{}", dry.stderr);
    assert!(dry.stdout.contains("dry run"), "{}", dry.stdout);
    assert!(dry.stdout.contains("would purge"), "{}", dry.stdout);
    assert_untouched(&request(&mut fx.conn, &id).unwrap());

    // Another run holds the lock: say so, exit 0, do nothing.
    let lock = PurgeLock::try_acquire(&db.database_url())
        .unwrap()
        .expect("lock free");
    let busy = db.cli(&["purge", "--now", &now], None);
    assert!(busy.ok(), "{}", busy.stderr);
    assert!(
        busy.stdout.contains("another purge is running"),
        "{}",
        busy.stdout
    );
    assert_untouched(&request(&mut fx.conn, &id).unwrap());
    // The lock is the database's (and schema's): another one is free.
    let other = twin(&db);
    assert!(
        PurgeLock::try_acquire(&other.database_url())
            .unwrap()
            .is_some()
    );
    drop(lock);

    let out = db.cli(&["purge", "--now", &now, "--controller", "issy"], None);
    assert!(out.ok(), "{}", out.stderr);
    let row = out
        .stdout
        .lines()
        .find(|l| l.starts_with("issy") && l.contains("personal_data"))
        .unwrap_or_else(|| panic!("{}", out.stdout));
    assert_eq!(
        row.split_whitespace().skip(2).collect::<Vec<_>>(),
        ["1", "1", "0"],
        "{}",
        out.stdout
    );
    assert!(request(&mut fx.conn, &id).unwrap().anonymised_at.is_some());

    let unknown = db.cli(&["purge", "--controller", "nowhere"], None);
    assert!(!unknown.ok());
    assert!(
        unknown.error_line().unwrap().contains("unknown controller"),
        "{}",
        unknown.stderr
    );
    let bad_now = db.cli(&["purge", "--now", "next tuesday"], None);
    assert!(!bad_now.ok());
    assert!(bad_now.error_line().unwrap().contains("--now"));
    assert_eq!(purge::runs(&mut fx.conn).unwrap().len(), 2);
});

fn controller_row(conn: &mut DbConn) -> Controller {
    controllers::find_by_slug(conn, "issy").unwrap().unwrap()
}

fn event_count(conn: &mut DbConn) -> i64 {
    events::table.count().get_result(conn).unwrap()
}

crate::db_test!(
    settings_are_shown_with_their_legal_basis_and_refused_outside_the_policy,
    |db| {
        let mut fx = setup(&db);
        let shown = db.cli(&["controller", "settings", "--slug", "issy"], None);
        assert!(shown.ok(), "{}", shown.stderr);
        for expected in [
            "--proof-retention-months 12 months",
            "--objection-retention-months 36 months",
            "--suppression-retention-months 36 months",
            "--connection-data-retention-months 13 months",
            "--unconfirmed-retention-days 7 days",
            "--delete-proof-on-identity-accepted false",
            "code of criminal procedure",
            "at least three years",
            "at most thirteen months",
        ] {
            assert!(
                shown.stdout.contains(expected),
                "`{expected}` missing:\n{}",
                shown.stdout
            );
        }

        for (args, expected) in [
            (
                vec!["--suppression-retention-months", "35"],
                "--suppression-retention-months must be at least 36 months",
            ),
            (
                vec!["--connection-data-retention-months", "14"],
                "--connection-data-retention-months must be at most 13 months",
            ),
            (
                vec!["--proof-retention-months", "0"],
                "--proof-retention-months must be at least 1 month:",
            ),
            (
                vec!["--unconfirmed-retention-days", "91"],
                "--unconfirmed-retention-days must be at most 90 days",
            ),
            // One bad value refuses the whole change, the good one included.
            (
                vec![
                    "--objection-retention-months",
                    "72",
                    "--suppression-retention-months",
                    "12",
                ],
                "nothing was changed",
            ),
        ] {
            let before = (controller_row(&mut fx.conn), event_count(&mut fx.conn));
            let mut full = vec!["controller", "settings", "--slug", "issy"];
            full.extend(args.iter().copied());
            let out = db.cli(&full, None);
            assert!(!out.ok(), "{args:?} accepted");
            let error = out.error_line().unwrap_or_else(|| panic!("{}", out.stderr));
            assert!(error.contains(expected), "{args:?}: `{error}`");
            assert_eq!(
                out.stderr
                    .lines()
                    .filter(|l| l.starts_with("error"))
                    .count(),
                1
            );
            assert_eq!(
                (controller_row(&mut fx.conn), event_count(&mut fx.conn)),
                before,
                "{args:?} changed something"
            );
        }

        let events_before = event_count(&mut fx.conn);
        let out = db.cli(
            &[
                "controller",
                "settings",
                "--slug",
                "issy",
                "--objection-retention-months",
                "72",
                "--suppression-retention-months",
                "60",
                "--delete-proof-on-identity-accepted",
                "true",
            ],
            None,
        );
        assert!(out.ok(), "{}", out.stderr);
        let c = controller_row(&mut fx.conn);
        assert_eq!(c.objection_retention_months, 72);
        assert_eq!(c.suppression_retention_months, 60);
        assert!(c.delete_proof_on_identity_accepted);
        assert_eq!(c.proof_retention_months, 12);
        assert_eq!(event_count(&mut fx.conn), events_before + 1);
        let detail: String = events::table
            .filter(events::action.eq("controller.retention_updated"))
            .select(events::detail)
            .first(&mut fx.conn)
            .unwrap();
        assert!(detail.contains("objection_months=72"), "{detail}");

        let unknown = db.cli(&["controller", "settings", "--slug", "nowhere"], None);
        assert!(!unknown.ok());
        assert!(unknown.error_line().unwrap().contains("unknown controller"));
    }
);

crate::db_test!(suppression_check_on_the_command_line, |db| {
    let mut fx = setup(&db);
    let master = MasterKey::generate();
    let key_file = db.data_dir().join("master.key");
    // Without the key the list cannot be read, and none is invented.
    let out = db.cli(
        &[
            "suppression",
            "check",
            "--controller",
            "issy",
            "a@example.fr",
        ],
        None,
    );
    assert!(!out.ok());
    assert!(
        out.error_line().unwrap().contains("no master key"),
        "{}",
        out.stderr
    );
    assert!(!key_file.exists());

    std::fs::write(
        &key_file,
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, master.bytes()),
    )
    .unwrap();
    let key = suppression::load_key(&mut fx.conn, &master, d()).unwrap();
    let c = fx.issy.id.clone();
    suppression::add(&mut fx.conn, &key, &c, "jeanne@example.fr", None, d()).unwrap();
    for (email, expected) in [
        ("jeanne@example.fr", "suppressed"),
        ("  JEANNE@example.FR ", "suppressed"),
        ("paul@example.fr", "not suppressed"),
    ] {
        let out = db.cli(
            &["suppression", "check", "--controller", "issy", email],
            None,
        );
        assert!(out.ok(), "{}", out.stderr);
        assert_eq!(out.stdout.trim(), expected, "{email}");
    }
    let out = db.cli(
        &[
            "suppression",
            "check",
            "--controller",
            "nowhere",
            "jeanne@example.fr",
        ],
        None,
    );
    assert!(!out.ok());
    assert!(out.error_line().unwrap().contains("unknown controller"));
});

// --------------------------------------------------- faults and concurrency

/// A database of the same backend as `db`, empty.
fn twin(db: &TestDb) -> TestDb {
    match db.backend {
        Backend::Sqlite => TestDb::sqlite(),
        Backend::Postgres => TestDb::postgres().expect("TEST_DATABASE_URL"),
    }
}

const FAULT_NOW: &str = "2027-06-01T03:00:00";

fn seed(db: &TestDb, total: u64, due: u64) -> DbConn {
    drop(db.pool());
    let mut conn = db.conn();
    let now = t(FAULT_NOW);
    purge::seed::controller(&mut conn, "ctrl-issy", "issy", now).unwrap();
    purge::seed::requests(
        &mut conn,
        &purge::seed::Seed {
            prefix: "req",
            controller_id: "ctrl-issy",
            total,
            due,
            now,
        },
    )
    .unwrap();
    conn
}

fn counts_by_request(conn: &mut DbConn, table: &str) -> HashMap<String, i64> {
    let rows: Vec<(String, i64)> = match table {
        "proofs" => identity_proofs::table
            .group_by(identity_proofs::request_id)
            .select((identity_proofs::request_id, count_star()))
            .load(conn),
        "messages" => request_messages::table
            .group_by(request_messages::request_id)
            .select((request_messages::request_id, count_star()))
            .load(conn),
        "outbox" => outbox::table
            .filter(outbox::request_id.is_not_null())
            .group_by(outbox::request_id)
            .select((outbox::request_id.assume_not_null(), count_star()))
            .load(conn),
        "events" => events::table
            .filter(events::action.eq("purge.anonymised"))
            .filter(events::request_id.is_not_null())
            .group_by(events::request_id)
            .select((events::request_id.assume_not_null(), count_star()))
            .load(conn),
        other => panic!("{other}"),
    }
    .unwrap();
    rows.into_iter().collect()
}

/// The state a purge leaves: every request row and, per request, its
/// proofs, messages, outbox rows and purge events.
type State = (
    Vec<Request>,
    HashMap<String, i64>,
    HashMap<String, i64>,
    HashMap<String, i64>,
    HashMap<String, i64>,
);

fn state(conn: &mut DbConn) -> State {
    (
        requests::table
            .order(requests::id.asc())
            .select(Request::as_select())
            .load(conn)
            .unwrap(),
        counts_by_request(conn, "proofs"),
        counts_by_request(conn, "messages"),
        counts_by_request(conn, "outbox"),
        counts_by_request(conn, "events"),
    )
}

/// Every due request is either exactly as seeded or fully purged (once);
/// returns how many were purged.
fn assert_untouched_or_fully_purged(s: &State, now: NaiveDateTime) -> usize {
    let (rows, proofs, messages, mails, purge_events) = s;
    let n = |m: &HashMap<String, i64>, id: &str| m.get(id).copied().unwrap_or(0);
    let mut purged = 0;
    for r in rows
        .iter()
        .filter(|r| r.closed_at.is_some_and(|c| c < now - TimeDelta::days(366)))
    {
        let id = r.id.as_str();
        if r.anonymised_at.is_none() {
            assert_untouched(r);
            assert_eq!(
                r.proofs_purged_at, None,
                "{id}: proofs marked, not anonymised"
            );
            assert_eq!(r.submitter_ip.as_deref(), Some("192.0.2.1"), "{id}");
            assert_eq!(
                (
                    n(proofs, id),
                    n(messages, id),
                    n(mails, id),
                    n(purge_events, id)
                ),
                (1, 1, 1, 0),
                "{id}: half purged"
            );
        } else {
            purged += 1;
            assert_eq!(r.anonymised_at, Some(now), "{id}");
            assert_eq!(r.proofs_purged_at, Some(now), "{id}");
            assert_eq!(
                (&r.first_name, &r.email, &r.details),
                (&None, &None, &None),
                "{id}"
            );
            assert_eq!(r.submitter_ip, None, "{id}");
            assert_eq!(r.version, 1, "{id}: purged twice");
            assert_eq!(
                (
                    n(proofs, id),
                    n(messages, id),
                    n(mails, id),
                    n(purge_events, id)
                ),
                (0, 0, 0, 1),
                "{id}: half purged"
            );
        }
    }
    purged
}

crate::db_test!(a_purge_killed_mid_run_leaves_no_half_purged_request, |db| {
    let (total, due) = match db.backend {
        Backend::Sqlite => (4000, 3000),
        Backend::Postgres => (2000, 1500),
    };
    let now = t(FAULT_NOW);
    let mut conn = seed(&db, total, due);
    let copy = twin(&db);
    let mut copy_conn = seed(&copy, total, due);
    assert_eq!(state(&mut conn), state(&mut copy_conn));

    // A real process, killed with SIGKILL once it has committed something
    // (or when it is done, on a fast machine: the assertions below hold for
    // any moment).
    let mut child = std::process::Command::new(crate::support::binary())
        .args(["purge", "--now", &rfc3339(now)])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &db.url)
        .env("DATA_DIR", db.data_dir())
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(db.data_dir().join("killed.stderr")).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        let purged: i64 = requests::table
            .filter(requests::anonymised_at.is_not_null())
            .count()
            .get_result(&mut conn)
            .unwrap();
        let exited = child.try_wait().unwrap().is_some();
        if purged > 0 || exited || started.elapsed() > Duration::from_secs(120) {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let after_kill = state(&mut conn);
    let purged = assert_untouched_or_fully_purged(&after_kill, now);
    eprintln!("killed after {purged} of {due} requests");

    // Run again to the end; compare with an uninterrupted run on the copy.
    let again = db.cli(&["purge", "--now", &rfc3339(now)], None);
    assert!(
        again.ok(),
        "rerun after a kill after {purged} requests failed ({}):\nstdout: {}\nstderr: {}\n\
         killed run's stderr: {}",
        again.code,
        again.stdout,
        again.stderr,
        std::fs::read_to_string(db.data_dir().join("killed.stderr")).unwrap_or_default()
    );
    let straight = copy.cli(&["purge", "--now", &rfc3339(now)], None);
    assert!(straight.ok(), "{}", straight.stderr);
    let final_state = state(&mut conn);
    assert_eq!(
        assert_untouched_or_fully_purged(&final_state, now),
        due as usize
    );
    let copy_state = state(&mut copy_conn);
    assert!(
        final_state == copy_state,
        "the interrupted run ended elsewhere"
    );
    assert_chain_intact(&mut conn);
    let runs = purge::runs(&mut conn).unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[1].outcome, "completed");
    // The killed run's record says it never finished.
    assert_eq!(runs[0].outcome, "running");
    assert_eq!(runs[0].finished_at, None);
});

crate::db_test!(concurrent_runs_purge_each_item_exactly_once, |db| {
    let due = 400_u64;
    let now = t(FAULT_NOW);
    drop(seed(&db, due + 100, due));
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let url = db.database_url();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let mut conn = url.establish().unwrap();
                barrier.wait();
                // No lock: the per-request re-check alone must be enough.
                let options = PurgeOptions {
                    per_transaction: 7,
                    batch_size: 50,
                    ..PurgeOptions::default()
                };
                purge::run(&mut conn, now, &options, &mut |_| {}).unwrap()
            })
        })
        .collect();
    let reports: Vec<PurgeReport> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let purged: u64 = reports
        .iter()
        .map(|r| r.purged(PurgeRule::PersonalData))
        .sum();
    assert_eq!(purged, due, "{:#?}", reports);
    let mut conn = db.conn();
    let s = state(&mut conn);
    assert_eq!(assert_untouched_or_fully_purged(&s, now), due as usize);
    assert!(s.4.values().all(|n| *n == 1));
    assert_chain_intact(&mut conn);
});

crate::db_test!(two_purge_processes_started_together, |db| {
    let due = 300_u64;
    let now = t(FAULT_NOW);
    drop(seed(&db, due, due));
    let spawn = || {
        std::process::Command::new(crate::support::binary())
            .args(["purge", "--now", &rfc3339(now)])
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", &db.url)
            .env("DATA_DIR", db.data_dir())
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let outputs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
    for o in &outputs {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let busy = outputs
        .iter()
        .filter(|o| String::from_utf8_lossy(&o.stdout).contains("another purge is running"))
        .count();
    assert!(busy <= 1);
    let mut conn = db.conn();
    let s = state(&mut conn);
    assert_eq!(assert_untouched_or_fully_purged(&s, now), due as usize);
    assert_chain_intact(&mut conn);
    // One real run did the work; a second, if it ran after, found nothing.
    let runs = purge::runs(&mut conn).unwrap();
    assert_eq!(runs.len(), 2 - busy);
});

// ------------------------------------------------------------ the indexes

crate::db_test!(a_run_with_nothing_due_reads_indexes_not_tables, |db| {
    let mut fx = setup(&db);
    let plans = purge::queries::explain(&mut fx.conn, &fx.issy.id, t(FAULT_NOW)).unwrap();
    assert_eq!(plans.len(), 8);
    for p in &plans {
        let text = p.plan.join("\n");
        assert!(!text.is_empty(), "{}", p.name);
        if db.backend == Backend::Sqlite {
            // SQLite plans without statistics, the worst case: every
            // candidate query must still go through an index.
            assert!(
                text.contains("USING INDEX") || text.contains("USING COVERING INDEX"),
                "{}: {}\n{text}",
                p.name,
                p.sql
            );
            assert!(!text.contains("SCAN requests"), "{}: {text}", p.name);
            assert!(!text.contains("requests_queue_idx"), "{}: {text}", p.name);
        }
    }
    let named = |name: &str| {
        plans
            .iter()
            .find(|p| p.name == name)
            .unwrap()
            .plan
            .join("\n")
    };
    if db.backend == Backend::Sqlite {
        assert!(
            named("closed requests (proofs and personal data)")
                .contains("requests_purge_personal_idx")
        );
        assert!(named("unconfirmed submissions").contains("requests_unconfirmed_idx"));
        assert!(named("connection data of requests").contains("requests_connection_data_idx"));
        assert!(named("proofs after identity accepted").contains("requests_identity_accepted_idx"));
        assert!(named("suppression entries").contains("suppression_entries_created_idx"));
    }
});

// ------------------------------------------------------------ the schedule

crate::db_test!(
    the_nightly_purge_runs_once_a_day_at_the_local_hour,
    async |db| {
        use dsr_tracker::purge::scheduler::due_controllers;
        let mut fx = setup(&db);
        let c = fx.issy.id.clone();
        let id = closed_request(&mut fx.conn, &c, RequestKind::Access, d());
        let due_now = |conn: &mut DbConn, at: &str| -> Vec<String> {
            due_controllers(conn, t(at), 3)
                .unwrap()
                .into_iter()
                .map(|c| c.slug)
                .collect()
        };
        // 02:30 in Paris (winter, UTC+1): not yet.
        assert!(due_now(&mut fx.conn, "2027-01-15T01:30:00").is_empty());
        // 03:05 in Paris.
        assert_eq!(due_now(&mut fx.conn, "2027-01-15T02:05:00"), ["issy"]);
        // A dry run does not count as the night's purge.
        let dry = PurgeOptions {
            dry_run: true,
            ..PurgeOptions::default()
        };
        purge::run(&mut fx.conn, t("2027-01-15T02:05:00"), &dry, &mut |_| {}).unwrap();
        assert_eq!(due_now(&mut fx.conn, "2027-01-15T02:06:00"), ["issy"]);

        // The scheduler itself, on a manual clock, ticking fast.
        let app = TestApp::builder()
            .at(&rfc3339(t("2027-03-11T02:05:00")))
            .without_mail_worker()
            .empty()
            .start(&db)
            .await;
        let scheduler = purge::scheduler::spawn_every(&app.state, Duration::from_millis(20));
        let waited = Instant::now();
        loop {
            let mut conn = db.conn();
            let scheduled = purge_runs::table
                .filter(purge_runs::trigger_source.eq("schedule"))
                .filter(purge_runs::outcome.eq("completed"))
                .count()
                .get_result::<i64>(&mut conn)
                .unwrap();
            if scheduled >= 1 {
                break;
            }
            assert!(
                waited.elapsed() < Duration::from_secs(60),
                "the scheduler never ran"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // Several more ticks the same night: no second run.
        tokio::time::sleep(Duration::from_millis(200)).await;
        drop(scheduler);
        let runs: Vec<_> = purge::runs(&mut fx.conn)
            .unwrap()
            .into_iter()
            .filter(|r| r.trigger_source == "schedule")
            .collect();
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].as_of, t("2027-03-11T02:05:00"));
        assert_eq!(runs[0].controller_id.as_deref(), Some(c.as_str()));
        assert!(request(&mut fx.conn, &id).unwrap().anonymised_at.is_some());
        assert!(due_now(&mut fx.conn, "2027-03-11T22:59:00").is_empty());
        // The next night is a new day.
        assert_eq!(due_now(&mut fx.conn, "2027-03-12T02:00:00"), ["issy"]);
    }
);

// ------------------------------------------------------------ the JSON API

/// A token for `email`, made by the real `token create` (its last line).
fn token_for(db: &TestDb, email: &str) -> String {
    let out = db.cli(
        &["token", "create", "--staff", email, "--name", "crm"],
        None,
    );
    assert!(out.ok(), "{}", out.stderr);
    out.stdout.lines().last().unwrap().trim().to_owned()
}

crate::db_test!(suppression_check_endpoint, async |db| {
    let app = TestApp::builder().empty().start(&db).await;
    let (base, state) = (&app.base, &app.state);
    let mut conn = db.conn();
    let issy = add_controller(&mut conn, "issy");
    let vanves = add_controller(&mut conn, "vanves");
    add_staff(
        &mut conn,
        "dpo@issy.example.fr",
        Role::Dpo,
        std::slice::from_ref(&issy.id),
    );
    add_staff(&mut conn, "admin@example.fr", Role::Admin, &[]);
    add_staff(&mut conn, "unscoped-dpo@example.fr", Role::Dpo, &[]);
    add_staff(
        &mut conn,
        "gone@issy.example.fr",
        Role::Dpo,
        std::slice::from_ref(&issy.id),
    );
    let dpo_token = token_for(&db, "dpo@issy.example.fr");
    let admin_token = token_for(&db, "admin@example.fr");
    let unscoped_token = token_for(&db, "unscoped-dpo@example.fr");
    let gone_token = token_for(&db, "gone@issy.example.fr");
    staff::disable(&mut conn, "gone@issy.example.fr", d()).unwrap();
    let key = state.suppression_key.get(&mut conn, d()).unwrap();
    suppression::add(&mut conn, &key, &issy.id, "jeanne@example.fr", None, d()).unwrap();

    let client = reqwest::Client::new();
    let check = |slug: &str, token: Option<&str>, body: serde_json::Value| {
        let mut req = client
            .post(format!(
                "{base}/api/v1/controllers/{slug}/suppression/check"
            ))
            .json(&body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send()
    };
    const PW: &str = "correct horse battery staple";
    let jeanne = serde_json::json!({ "email": " Jeanne@Example.fr " });
    let paul = serde_json::json!({ "email": "paul@example.fr" });

    let res = check("issy", None, jeanne.clone()).await.unwrap();
    assert_eq!(res.status(), 401);
    assert!(
        res.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    // A staff password is no credential here, right or wrong.
    for (user, pass) in [
        ("dpo@issy.example.fr", PW),
        ("dpo@issy.example.fr", "wrong password, long enough"),
    ] {
        let res = client
            .post(format!("{base}/api/v1/controllers/issy/suppression/check"))
            .basic_auth(user, Some(pass))
            .json(&jeanne)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401, "{user} {pass}");
    }
    // A made-up token, and the disabled account's.
    for token in ["dsr_not-a-token", gone_token.as_str()] {
        let res = check("issy", Some(token), jeanne.clone()).await.unwrap();
        assert_eq!(res.status(), 401, "{token}");
    }

    let dpo = Some(dpo_token.as_str());
    let res = check("issy", dpo, jeanne.clone()).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!({ "suppressed": true })
    );
    let res = check("issy", dpo, paul.clone()).await.unwrap();
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!({ "suppressed": false })
    );
    // Another controller, and one that does not exist: the same 404.
    for slug in ["vanves", "nowhere"] {
        let res = check(slug, dpo, jeanne.clone()).await.unwrap();
        assert_eq!(res.status(), 404, "{slug}");
    }
    let res = check("issy", Some(&unscoped_token), jeanne.clone())
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    // An admin without scope administers every controller; each list
    // is the controller's own.
    let admin = Some(admin_token.as_str());
    let res = check("vanves", admin, jeanne.clone()).await.unwrap();
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!({ "suppressed": false })
    );
    let res = check("issy", admin, jeanne.clone()).await.unwrap();
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!({ "suppressed": true })
    );
    let res = check("issy", dpo, serde_json::json!({ "mail": "x" }))
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let _ = vanves;
});

// The enum columns are typed (`db::columns`): a value that no variant
// spells, written by a newer version or by hand, makes reading the row an
// error naming the type and the value, instead of a guess (a request read
// as "received", a role read as "viewer").
crate::db_test!(an_unknown_stored_value_is_an_error_not_a_default, |db| {
    let mut fx = setup(&db);
    let r = insert_request(
        &mut fx.conn,
        &fx.issy.id,
        RequestKind::Access,
        Status::Received,
        t("2026-03-02T09:00:00"),
    );
    let staff_id = add_staff(&mut fx.conn, "dpo@example.fr", Role::Dpo, &[]);
    let set = |conn: &mut DbConn, table: &str, column: &str, value: &str, id: &str| {
        diesel::sql_query(format!(
            "UPDATE {table} SET {column} = '{value}' WHERE id = '{id}'"
        ))
        .execute(conn)
        .unwrap();
    };
    let refused = |e: diesel::result::Error, type_name: &str, value: &str| {
        assert!(
            matches!(e, diesel::result::Error::DeserializationError(_)),
            "{e:?}"
        );
        // The field's name, then why: the type and the value.
        let mut text = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(cause) = source {
            text = format!("{text}: {cause}");
            source = cause.source();
        }
        assert!(
            text.to_lowercase().contains(&type_name.to_lowercase()) && text.contains(value),
            "{type_name} {value}: {text}"
        );
    };

    for (column, type_name, good) in [
        ("status", "Status", "received"),
        ("kind", "RequestKind", "access"),
        ("channel", "Channel", "web"),
        ("locale", "Locale", "fr"),
        ("outcome", "Outcome", "granted"),
    ] {
        set(&mut fx.conn, "requests", column, "archived", &r.id);
        let e = store_requests::find(&mut fx.conn, &r.id).unwrap_err();
        refused(e, type_name, "archived");
        set(&mut fx.conn, "requests", column, good, &r.id);
        assert!(
            store_requests::find(&mut fx.conn, &r.id).is_ok(),
            "{column}"
        );
    }
    assert_eq!(
        store_requests::find(&mut fx.conn, &r.id).unwrap().outcome,
        Some(dsr_tracker::domain::request::Outcome::Granted)
    );

    set(&mut fx.conn, "staff", "role", "root", &staff_id);
    let e = staff::find_by_id(&mut fx.conn, &staff_id).unwrap_err();
    refused(e, "Role", "root");
    set(&mut fx.conn, "staff", "role", "dpo", &staff_id);
    let member = staff::find_by_id(&mut fx.conn, &staff_id).unwrap().unwrap();
    assert_eq!(member.role(), Role::Dpo);

    for (column, type_name, good) in [
        ("locale", "Locale", "fr"),
        ("holiday_region", "HolidayRegion", "fr"),
    ] {
        set(&mut fx.conn, "controllers", column, "xx", &fx.issy.id);
        let e = controllers::find_by_id(&mut fx.conn, &fx.issy.id).unwrap_err();
        refused(e, type_name, "xx");
        set(&mut fx.conn, "controllers", column, good, &fx.issy.id);
    }
    assert_eq!(
        controllers::find_by_id(&mut fx.conn, &fx.issy.id).unwrap(),
        fx.issy
    );
});
