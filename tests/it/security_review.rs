//! The outside security review's findings (issue #10, "Security and
//! robustness", items 2 to 5), each reproduced first on both backends:
//! API tokens instead of passwords, unique reference prefixes, one e-mail
//! parser, a keyed audit chain.

use diesel::prelude::*;
use dsr_tracker::audit::{self, ChainReport};
use dsr_tracker::clock::Clock;
use dsr_tracker::db::schema::{api_tokens, controllers, event_chain_head, events, staff};
use dsr_tracker::domain::request::RequestKind;

use crate::desk_register::{form, letter_fields, with};
use crate::support::desk::{ADMIN, DPO_ISSY, DPO2_ISSY, events_named, field_value};
use crate::support::{TestApp, TestDb};

/// Addresses the form once accepted and the mailer could not send: an
/// address literal, and one lettre refuses outright.
const UNSENDABLE: [&str; 2] = ["jean@[127.0.0.1]", "x@a b[127.0.0.1]"];

crate::db_test!(
    an_address_the_mailer_cannot_send_is_a_field_error,
    async |db| {
        let app = TestApp::builder().issy_alone().start(&db).await;
        let csrf = app.csrf("/c/issy/").await;
        for email in UNSENDABLE {
            let before = app.count(&db);
            let (status, body, _) = app
                .post_form(app.valid_form(&csrf).text("email", email))
                .await;
            assert_eq!(status, 422, "{email}: {body}");
            assert!(
                body.contains("adresse électronique valide"),
                "{email}: {body}"
            );
            assert_eq!(app.count(&db), before, "{email}: something was stored");
        }
        check_register(&db).await;
    }
);

/// The desk's registration form: the same refusal, nothing stored.
async fn check_register(db: &TestDb) {
    let other = TestDb::on(db.backend).unwrap();
    let app = TestApp::builder().start(&other).await;
    let dpo = app.login(DPO_ISSY).await;
    for email in UNSENDABLE {
        let fields = with(
            with(letter_fields(&dpo.csrf, &app.issy.id), "channel", "email"),
            "email",
            email,
        );
        let a = dpo
            .post_multipart("/desk/requests/new", form(&fields, &[]))
            .await;
        assert_eq!(a.status, 422, "{email}: {}", a.body);
        assert!(
            a.body.contains("adresse électronique valide"),
            "{email}: {}",
            a.body
        );
    }
}

/// The admin page's form for a new controller named `slug`, prefix empty
/// (the default: the slug's first word).
fn new_controller(csrf: &str, slug: &str, prefix: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_owned()),
        ("c_name", format!("Ville de {slug}")),
        ("c_slug", slug.to_owned()),
        ("c_prefix", prefix.to_owned()),
        ("c_dpo_email", format!("dpo@{slug}.example.fr")),
        ("c_postal", String::new()),
        ("c_time_zone", "Europe/Paris".to_owned()),
        ("c_locale", "fr".to_owned()),
    ]
}

crate::db_test!(
    a_taken_reference_prefix_is_refused_with_a_free_one,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let root = app.login(ADMIN).await;
        let post = async |form: Vec<(&'static str, String)>| {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            root.post("/desk/controllers/new", &pairs).await
        };
        let a = post(new_controller(&root.csrf, "saint-denis", "")).await;
        assert_eq!(a.status, 303, "{}", a.body);
        // Same first word: the default prefix SAINT is taken.
        let a = post(new_controller(&root.csrf, "saint-ouen", "")).await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert!(a.body.contains("id=\"c_prefix-error\""), "{}", a.body);
        assert!(a.body.contains("SAINT"), "{}", a.body);
        assert!(a.body.contains("SAINTOUEN"), "a free proposal: {}", a.body);
        // Typed explicitly: refused the same way.
        let a = post(new_controller(&root.csrf, "issy-ouest", "ISSY")).await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert!(a.body.contains("id=\"c_prefix-error\""), "{}", a.body);
        let count = |db: &TestDb| -> i64 {
            controllers::table
                .count()
                .get_result(&mut db.conn())
                .unwrap()
        };
        assert_eq!(count(&db), 3);

        // The command line refuses too, naming the prefix and a free one.
        let out = db.cli(
            &[
                "controller",
                "add",
                "--slug",
                "saint-ouen",
                "--name",
                "Ville de Saint-Ouen",
                "--dpo-email",
                "dpo@saint-ouen.example.fr",
            ],
            None,
        );
        assert!(!out.ok(), "{}", out.stdout);
        let line = out.error_line().unwrap_or_default();
        assert!(
            line.contains("SAINT") && line.contains("SAINTOUEN"),
            "{}",
            out.stderr
        );
        assert_eq!(count(&db), 3);

        // The proposal is accepted, and the city's confirmations work.
        let a = post(new_controller(&root.csrf, "saint-ouen", "SAINTOUEN")).await;
        assert_eq!(a.status, 303, "{}", a.body);
    }
);

crate::db_test!(
    duplicate_prefixes_already_stored_stop_the_start,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        // A database from before the check: Vanves was given Issy's prefix.
        diesel::update(controllers::table.filter(controllers::id.eq(&app.vanves.id)))
            .set(controllers::reference_prefix.eq("ISSY"))
            .execute(&mut db.conn())
            .unwrap();
        let out = db.cli(&["migrate"], None);
        assert!(!out.ok(), "{}", out.stdout);
        let line = out.error_line().unwrap_or_default();
        assert!(
            line.contains("ISSY")
                && line.contains("controller set-prefix --slug vanves --reference-prefix VANVES"),
            "{}",
            out.stderr
        );
        let out = db.cli(
            &[
                "controller",
                "set-prefix",
                "--slug",
                "vanves",
                "--reference-prefix",
                "VANVES",
            ],
            None,
        );
        assert!(out.ok(), "{}", out.stderr);
        assert!(db.cli(&["migrate"], None).ok());
    }
);

/// `POST /api/v1/controllers/issy/suppression/check` with `token`.
async fn check(app: &TestApp, token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!(
            "{}/api/v1/controllers/issy/suppression/check",
            app.base
        ))
        .bearer_auth(token)
        .json(&serde_json::json!({ "email": "jeanne@example.fr" }))
        .send()
        .await
        .unwrap()
}

crate::db_test!(api_tokens_replace_passwords, async |db| {
    let app = TestApp::builder().start(&db).await;
    let dpo = app.login(DPO_ISSY).await;
    let account = dpo.page("/desk/account").await;
    assert!(account.contains("/desk/account/tokens"), "{account}");
    // Refused input comes back next to its field, typed value kept.
    let a = dpo
        .post(
            "/desk/account/tokens",
            &[("csrf", &dpo.csrf), ("name", "crm"), ("days", "jamais")],
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.contains("id=\"days-error\""), "{}", a.body);
    assert_eq!(field_value(&a.body, "days").as_deref(), Some("jamais"));
    // Created with one day to live: shown once, on this answer only.
    let a = dpo
        .post(
            "/desk/account/tokens",
            &[("csrf", &dpo.csrf), ("name", "crm"), ("days", "1")],
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let token = crate::support::citizen::extract(&a.body, "<code id=\"new-token\">", "<")
        .expect("the new token");
    assert!(token.starts_with("dsr_"));
    let list = dpo.page("/desk/account/tokens").await;
    assert!(list.contains("crm") && !list.contains(&token));
    // The database keeps its hash only.
    let stored: Vec<String> = api_tokens::table
        .select(api_tokens::token_hash)
        .load(&mut db.conn())
        .unwrap();
    assert_eq!(stored, [dsr_tracker::security::keys::token_hash(&token)]);

    let res = check(&app, &token).await;
    assert_eq!(res.status(), 200);
    let used = events_named(&db, "api.suppression_checked");
    assert_eq!(used.len(), 1);
    assert_eq!(used[0].controller_id.as_deref(), Some(app.issy.id.as_str()));
    let last_used: Option<chrono::NaiveDateTime> = api_tokens::table
        .select(api_tokens::last_used_at)
        .first(&mut db.conn())
        .unwrap();
    assert_eq!(last_used, Some(app.clock.now()));

    // Expired after its day.
    app.clock.advance(chrono::TimeDelta::days(2));
    assert_eq!(check(&app, &token).await.status(), 401);
    let dpo = app.login(DPO_ISSY).await;

    // A fresh one, revoked on the page: refused at once.
    let a = dpo
        .post(
            "/desk/account/tokens",
            &[("csrf", &dpo.csrf), ("name", "crm2"), ("days", "")],
        )
        .await;
    let second = crate::support::citizen::extract(&a.body, "<code id=\"new-token\">", "<")
        .expect("the new token");
    assert_eq!(check(&app, &second).await.status(), 200);
    let id: String = api_tokens::table
        .filter(api_tokens::name.eq("crm2"))
        .select(api_tokens::id)
        .first(&mut db.conn())
        .unwrap();
    // Another account cannot revoke it.
    let other = app.login(DPO2_ISSY).await;
    other
        .post(
            &format!("/desk/account/tokens/{id}/revoke"),
            &[("csrf", &other.csrf)],
        )
        .await;
    assert_eq!(check(&app, &second).await.status(), 200);
    let a = dpo
        .post(
            &format!("/desk/account/tokens/{id}/revoke"),
            &[("csrf", &dpo.csrf)],
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(check(&app, &second).await.status(), 401);
    assert_eq!(events_named(&db, "api_token.revoked").len(), 1);

    // From the command line: the token alone on the last line, usable;
    // a disabled account's token stops working.
    let out = db.cli(
        &[
            "token",
            "create",
            "--staff",
            DPO2_ISSY,
            "--name",
            "newsletter",
        ],
        None,
    );
    assert!(out.ok(), "{}", out.stderr);
    let third = out.stdout.lines().last().unwrap().trim().to_owned();
    assert_eq!(check(&app, &third).await.status(), 200);
    let list = db.cli(&["token", "list"], None);
    assert!(list.ok() && list.stdout.contains("newsletter") && !list.stdout.contains(&third));
    let out = db.cli(&["staff", "disable", "--email", DPO2_ISSY], None);
    assert!(out.ok(), "{}", out.stderr);
    assert_eq!(check(&app, &third).await.status(), 401);

    // Failures are limited per address: after ten, even a good token
    // waits.
    let good = db.cli(&["token", "create", "--staff", ADMIN], None);
    let good = good.stdout.lines().last().unwrap().trim().to_owned();
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(check(&app, "dsr_guess").await.status().as_u16());
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    assert_eq!(check(&app, &good).await.status(), 429);
});

/// The plain SHA-256 of an event as the chain computed it before it was
/// keyed (length-prefixed fields): what someone with write access to the
/// database can recompute.
fn plain_hash(e: &audit::Event) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    };
    field(e.prev_hash.as_bytes());
    field(&e.seq.to_be_bytes());
    field(e.id.as_bytes());
    field(
        e.occurred_at
            .format("%Y-%m-%dT%H:%M:%S%.6f")
            .to_string()
            .as_bytes(),
    );
    field(e.actor_kind.as_bytes());
    field(e.actor_id.as_deref().unwrap_or("\u{0}").as_bytes());
    field(e.controller_id.as_deref().unwrap_or("\u{0}").as_bytes());
    field(e.request_id.as_deref().unwrap_or("\u{0}").as_bytes());
    field(e.action.as_bytes());
    field(e.detail.as_bytes());
    hex::encode(h.finalize())
}

/// Rewrites event `seq`'s detail and recomputes every later hash and the
/// head the way the unkeyed chain was computed.
fn rewrite_from(db: &TestDb, seq: i64, detail: &str) {
    let mut conn = db.conn();
    let all: Vec<audit::Event> = events::table
        .filter(events::seq.ge(seq - 1))
        .order(events::seq.asc())
        .select(audit::Event::as_select())
        .load(&mut conn)
        .unwrap();
    let mut prev = all[0].hash.clone();
    for mut e in all.into_iter().skip(1) {
        if e.seq == seq {
            e.detail = detail.to_owned();
        }
        e.prev_hash = prev;
        e.hash = plain_hash(&e);
        diesel::update(events::table.find(e.seq))
            .set((
                events::detail.eq(&e.detail),
                events::prev_hash.eq(&e.prev_hash),
                events::hash.eq(&e.hash),
            ))
            .execute(&mut conn)
            .unwrap();
        prev = e.hash;
    }
    diesel::update(event_chain_head::table.find(1_i64))
        .set(event_chain_head::last_hash.eq(&prev))
        .execute(&mut conn)
        .unwrap();
}

crate::db_test!(a_rewritten_audit_chain_is_caught, async |db| {
    let app = TestApp::builder().start(&db).await;
    let request = app.new_request(&db, &app.issy, RequestKind::Access);
    let dpo = app.login(DPO_ISSY).await;
    dpo.page(&format!("/desk/requests/{}", request.id)).await;
    // Opening the page is accountable: who, which request, nothing else.
    let viewed = events_named(&db, "request.viewed");
    assert_eq!(viewed.len(), 1);
    let dpo_id: String = staff::table
        .filter(staff::email.eq(DPO_ISSY))
        .select(staff::id)
        .first(&mut db.conn())
        .unwrap();
    assert_eq!(viewed[0].actor_id.as_deref(), Some(dpo_id.as_str()));
    assert_eq!(viewed[0].request_id.as_deref(), Some(request.id.as_str()));
    assert_eq!(viewed[0].detail, "");
    assert!(matches!(
        audit::verify(&mut db.conn()).unwrap(),
        ChainReport::Intact { .. }
    ));

    // The DPO keeps a checkpoint outside the database.
    let out = db.cli(&["audit", "checkpoint"], None);
    assert!(out.ok(), "{}", out.stderr);
    let checkpoint = out.stdout.lines().last().unwrap().trim().to_owned();
    let seq: i64 = events::table
        .filter(events::action.eq("request.viewed"))
        .select(events::seq)
        .first(&mut db.conn())
        .unwrap();
    let verified = db.cli(&["audit", "verify", "--checkpoint", &checkpoint], None);
    assert!(verified.ok(), "{}", verified.stderr);

    // Someone with write access hides who looked, and rehashes the rest.
    rewrite_from(&db, seq, "nothing to see");
    assert!(
        matches!(
            audit::verify(&mut db.conn()).unwrap(),
            ChainReport::Broken { at_seq, .. } if at_seq == seq
        ),
        "a rehashed chain must not verify"
    );
    let out = db.cli(&["audit", "verify"], None);
    assert!(!out.ok(), "{}", out.stdout);

    // Even cutting the tail off at the last plain event cannot hide it
    // from a checkpoint kept elsewhere.
    diesel::delete(events::table.filter(events::seq.ge(seq)))
        .execute(&mut db.conn())
        .unwrap();
    let (last_seq, last_hash): (i64, String) = events::table
        .order(events::seq.desc())
        .select((events::seq, events::hash))
        .first(&mut db.conn())
        .unwrap();
    diesel::update(event_chain_head::table.find(1_i64))
        .set((
            event_chain_head::last_seq.eq(last_seq),
            event_chain_head::last_hash.eq(&last_hash),
        ))
        .execute(&mut db.conn())
        .unwrap();
    let out = db.cli(&["audit", "verify", "--checkpoint", &checkpoint], None);
    assert!(!out.ok(), "{}", out.stdout);
    assert!(
        out.error_line().unwrap_or_default().contains("checkpoint"),
        "{}",
        out.stderr
    );
});
