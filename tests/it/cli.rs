//! The operator's command line, run as a real process on both backends:
//! what works, and that every refused input writes nothing.

use diesel::prelude::*;
use dsr_tracker::db::schema::{controllers, events, staff, staff_controllers};

use crate::support::TestDb;

const PASSWORD: &str = "correct horse battery staple\n";

fn counts(db: &TestDb) -> (i64, i64, i64, i64) {
    let mut conn = db.conn();
    (
        controllers::table.count().get_result(&mut conn).unwrap(),
        staff::table.count().get_result(&mut conn).unwrap(),
        staff_controllers::table
            .count()
            .get_result(&mut conn)
            .unwrap(),
        events::table.count().get_result(&mut conn).unwrap(),
    )
}

fn add_issy(db: &TestDb) {
    let out = db.cli(
        &[
            "controller",
            "add",
            "--slug",
            "issy",
            "--name",
            "Ville d'Issy-les-Moulineaux",
            "--dpo-email",
            "dpo@issy.example.fr",
            "--postal-address",
            "47 rue du Général Leclerc, 92130 Issy-les-Moulineaux",
        ],
        None,
    );
    assert!(out.ok(), "{}", out.stderr);
    assert!(out.stdout.contains("/c/issy/"), "{}", out.stdout);
}

/// Runs a command that must be refused: non-zero, exactly one error line
/// naming the problem, and nothing written.
fn assert_refused(db: &TestDb, args: &[&str], stdin: Option<&str>, expect: &str) {
    let before = counts(db);
    let out = db.cli(args, stdin);
    assert!(!out.ok(), "{args:?} should fail; stdout: {}", out.stdout);
    let line = out
        .error_line()
        .unwrap_or_else(|| panic!("no error line for {args:?}: {}", out.stderr));
    assert!(
        line.contains(expect),
        "{args:?}: expected `{expect}` in `{line}`"
    );
    assert_eq!(
        out.stderr
            .lines()
            .filter(|l| l.starts_with("error"))
            .count(),
        1
    );
    assert_eq!(counts(db), before, "{args:?} wrote something");
}

crate::db_test!(migrate_is_idempotent, |db| {
    let first = db.cli(&["migrate"], None);
    assert!(first.ok(), "{}", first.stderr);
    let second = db.cli(&["migrate"], None);
    assert!(second.ok(), "{}", second.stderr);
    assert!(second.stdout.contains("up to date"));
});

crate::db_test!(controllers_are_added_and_listed, |db| {
    add_issy(&db);
    let out = db.cli(
        &[
            "controller",
            "add",
            "--slug",
            "vanves",
            "--name",
            "Ville de Vanves",
            "--dpo-email",
            "dpo@vanves.example.fr",
            "--locale",
            "en",
            "--reference-prefix",
            "VNV",
            "--time-zone",
            "Indian/Reunion",
        ],
        None,
    );
    assert!(out.ok(), "{}", out.stderr);
    assert!(out.stdout.contains("Indian/Reunion"), "{}", out.stdout);
    {
        use diesel::prelude::*;
        use dsr_tracker::db::schema::{controllers, events};
        let mut conn = db.conn();
        let zones: Vec<(String, String)> = controllers::table
            .select((controllers::slug, controllers::time_zone))
            .order(controllers::slug.asc())
            .load(&mut conn)
            .unwrap();
        assert_eq!(
            zones,
            [
                ("issy".to_owned(), "Europe/Paris".to_owned()),
                ("vanves".to_owned(), "Indian/Reunion".to_owned())
            ]
        );
        // The same audit event as a city created in the browser.
        let details: Vec<String> = events::table
            .filter(events::action.eq("controller.created"))
            .select(events::detail)
            .load(&mut conn)
            .unwrap();
        assert_eq!(details, ["via=cli", "via=cli"]);
    }
    let list = db.cli(&["controller", "list"], None);
    assert!(list.ok());
    let lines: Vec<&str> = list.stdout.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("issy\tISSY\tfr\tdpo@issy.example.fr"));
    assert!(lines[1].starts_with("vanves\tVNV\ten\t"));
});

crate::db_test!(bad_controller_input_is_refused_and_nothing_written, |db| {
    add_issy(&db);
    let base = |slug: &'static str, email: &'static str| {
        vec![
            "controller",
            "add",
            "--slug",
            slug,
            "--name",
            "Ville",
            "--dpo-email",
            email,
        ]
    };
    assert_refused(&db, &base("Issy!", "dpo@x.fr"), None, "invalid slug");
    assert_refused(&db, &base("issy", "dpo@x.fr"), None, "already exists");
    assert_refused(&db, &base("vanves", "not-an-address"), None, "--dpo-email");
    let mut with_locale = base("vanves", "dpo@x.fr");
    with_locale.extend(["--locale", "de"]);
    assert_refused(&db, &with_locale, None, "unknown locale");
    let mut crlf_name = base("vanves", "dpo@x.fr");
    crlf_name[5] = "Ville\r\nBcc: x@y.fr";
    assert_refused(&db, &crlf_name, None, "--name");
    let mut prefix = base("vanves", "dpo@x.fr");
    prefix.extend(["--reference-prefix", "v"]);
    assert_refused(&db, &prefix, None, "reference prefix");
    let mut zone = base("vanves", "dpo@x.fr");
    zone.extend(["--time-zone", "Mars/Olympus"]);
    assert_refused(
        &db,
        &zone,
        None,
        "--time-zone: `Mars/Olympus` is not an IANA time zone",
    );
});

crate::db_test!(staff_accounts_lifecycle, |db| {
    add_issy(&db);
    let out = db.cli(
        &[
            "staff",
            "add",
            "--email",
            "Emilie.LeGall@issy.example.fr",
            "--role",
            "dpo",
            "--controller",
            "issy",
        ],
        Some(PASSWORD),
    );
    assert!(out.ok(), "{}", out.stderr);
    let admin = db.cli(
        &[
            "staff",
            "add",
            "--email",
            "admin@host.example",
            "--role",
            "admin",
        ],
        Some(PASSWORD),
    );
    assert!(admin.ok(), "{}", admin.stderr);

    let list = db.cli(&["staff", "list"], None);
    assert!(list.ok());
    assert!(
        list.stdout
            .contains("admin@host.example\tadmin\tactive\t(all controllers)")
    );
    assert!(
        list.stdout
            .contains("emilie.legall@issy.example.fr\tdpo\tactive\tissy"),
        "{}",
        list.stdout
    );

    // The password is stored as an argon2id hash, never in clear.
    let mut conn = db.conn();
    let hash: String = staff::table
        .filter(staff::email.eq("emilie.legall@issy.example.fr"))
        .select(staff::password_hash)
        .first(&mut conn)
        .unwrap();
    assert!(hash.starts_with("$argon2id$"));
    assert!(!hash.contains("horse"));

    let disabled = db.cli(
        &[
            "staff",
            "disable",
            "--email",
            "EMILIE.legall@issy.example.fr",
        ],
        None,
    );
    assert!(disabled.ok(), "{}", disabled.stderr);
    let list = db.cli(&["staff", "list"], None);
    assert!(
        list.stdout
            .contains("emilie.legall@issy.example.fr\tdpo\tdisabled\tissy")
    );

    let verify = db.cli(&["audit", "verify"], None);
    assert!(verify.ok(), "{}", verify.stderr);
    assert!(verify.stdout.contains("4 events"), "{}", verify.stdout);
});

crate::db_test!(bad_staff_input_is_refused_and_nothing_written, |db| {
    add_issy(&db);
    let add = |email: &'static str, role: &'static str, controller: Option<&'static str>| {
        let mut args = vec!["staff", "add", "--email", email, "--role", role];
        if let Some(c) = controller {
            args.extend(["--controller", c]);
        }
        args
    };
    assert_refused(
        &db,
        &add("dpo@x.fr", "dpo", Some("nowhere")),
        Some(PASSWORD),
        "unknown controller",
    );
    assert_refused(
        &db,
        &add("dpo@x.fr", "dpo", None),
        Some(PASSWORD),
        "--controller",
    );
    assert_refused(
        &db,
        &add("dpo@x.fr", "root", Some("issy")),
        Some(PASSWORD),
        "unknown role",
    );
    assert_refused(
        &db,
        &add("not an address", "dpo", Some("issy")),
        Some(PASSWORD),
        "--email",
    );
    assert_refused(
        &db,
        &add("dpo@x.fr", "dpo", Some("issy")),
        Some("short\n"),
        "at least 12",
    );
    assert_refused(
        &db,
        &add("dpo@x.fr", "dpo", Some("issy")),
        Some(""),
        "at least 12",
    );
    let ok = db.cli(&add("dpo@x.fr", "dpo", Some("issy")), Some(PASSWORD));
    assert!(ok.ok(), "{}", ok.stderr);
    assert_refused(
        &db,
        &add("DPO@x.fr", "viewer", Some("issy")),
        Some(PASSWORD),
        "already exists",
    );
    assert_refused(
        &db,
        &["staff", "disable", "--email", "nobody@x.fr"],
        None,
        "no staff account",
    );
});

crate::db_test!(audit_verify_detects_an_edited_event, |db| {
    add_issy(&db);
    let out = db.cli(
        &["staff", "add", "--email", "a@x.fr", "--role", "admin"],
        Some(PASSWORD),
    );
    assert!(out.ok(), "{}", out.stderr);
    assert!(db.cli(&["audit", "verify"], None).ok());

    let mut conn = db.conn();
    diesel::update(events::table.filter(events::seq.eq(1_i64)))
        .set(events::detail.eq("edited"))
        .execute(&mut conn)
        .unwrap();
    let out = db.cli(&["audit", "verify"], None);
    assert!(!out.ok());
    assert!(
        out.error_line().unwrap().contains("broken at event 1"),
        "{}",
        out.stderr
    );
});

crate::db_test!(audit_verify_detects_a_deleted_or_reordered_event, |db| {
    add_issy(&db);
    for email in ["a@x.fr", "b@x.fr"] {
        let out = db.cli(
            &["staff", "add", "--email", email, "--role", "admin"],
            Some(PASSWORD),
        );
        assert!(out.ok(), "{}", out.stderr);
    }
    let mut conn = db.conn();
    // Deleting the last event is caught by the head row.
    diesel::delete(events::table.filter(events::seq.eq(3_i64)))
        .execute(&mut conn)
        .unwrap();
    let out = db.cli(&["audit", "verify"], None);
    assert!(!out.ok());
    assert!(
        out.error_line().unwrap().contains("deleted"),
        "{}",
        out.stderr
    );

    // Swapping two events' sequence numbers breaks the links.
    diesel::update(events::table.filter(events::seq.eq(1_i64)))
        .set(events::seq.eq(100_i64))
        .execute(&mut conn)
        .unwrap();
    diesel::update(events::table.filter(events::seq.eq(2_i64)))
        .set(events::seq.eq(1_i64))
        .execute(&mut conn)
        .unwrap();
    diesel::update(events::table.filter(events::seq.eq(100_i64)))
        .set(events::seq.eq(2_i64))
        .execute(&mut conn)
        .unwrap();
    let out = db.cli(&["audit", "verify"], None);
    assert!(!out.ok());
    assert!(
        out.error_line().unwrap().contains("event 1"),
        "{}",
        out.stderr
    );
});

crate::db_test!(demo_seed_fills_a_realistic_queue, |db| {
    use dsr_tracker::db::schema::requests;
    let out = db.cli(&["demo", "seed", "--count", "70"], None);
    assert!(out.ok(), "{}", out.stderr);
    assert!(out.stdout.contains("seeded 70 requests"), "{}", out.stdout);
    let mut conn = db.conn();
    let statuses: Vec<String> = requests::table
        .select(requests::status)
        .distinct()
        .load(&mut conn)
        .unwrap();
    for s in [
        "received",
        "in_progress",
        "awaiting_information",
        "closed",
        "withdrawn",
    ] {
        assert!(statuses.iter().any(|x| x == s), "{s} in {statuses:?}");
    }
    let kinds: Vec<String> = requests::table
        .select(requests::kind)
        .distinct()
        .load(&mut conn)
        .unwrap();
    assert_eq!(kinds.len(), 7, "{kinds:?}");
    let without_due: i64 = requests::table
        .filter(requests::due_on.is_null())
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(without_due, 0);
    // Extensions and legal holds are there to look at too, and a closed
    // request carries the answer the citizen was sent.
    let extended: i64 = requests::table
        .filter(requests::status.eq("in_progress"))
        .filter(requests::extension_months.gt(0))
        .filter(requests::extension_reason.is_not_null())
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert!(extended > 0);
    let held: i64 = requests::table
        .filter(requests::status.eq("closed"))
        .filter(requests::legal_hold.eq(true))
        .filter(requests::legal_hold_reason.is_not_null())
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert!(held > 0);
    let closed_without_answer: i64 = requests::table
        .filter(requests::status.eq("closed"))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            dsr_tracker::db::schema::request_messages::table
                .filter(dsr_tracker::db::schema::request_messages::request_id.eq(requests::id))
                .filter(dsr_tracker::db::schema::request_messages::direction.eq("to_citizen")),
        )))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(closed_without_answer, 0);
    // A second seeding adds to the same controller with fresh references.
    let again = db.cli(&["demo", "seed", "--count", "5"], None);
    assert!(again.ok(), "{}", again.stderr);
    let refs: Vec<Option<String>> = requests::table
        .select(requests::reference)
        .load(&mut conn)
        .unwrap();
    let mut unique = refs.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 75);
    assert!(db.cli(&["audit", "verify"], None).ok());
    let refused = db.cli(&["demo", "seed", "--count", "0"], None);
    assert!(!refused.ok());
});

crate::db_test!(serve_on_a_busy_port_names_the_address, |db| {
    // Another program holds the port: the operator is told which address
    // could not be used and which setting chose it.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = db.cli_env(&["serve"], None, &[("BIND_ADDR", addr.as_str())]);
    assert!(!out.ok(), "{}", out.stderr);
    let line = out.error_line().unwrap_or_default();
    assert!(
        line.contains(&format!(
            "cannot listen on {addr} (BIND_ADDR or --bind-addr)"
        )),
        "{}",
        out.stderr
    );
    drop(taken);
});
