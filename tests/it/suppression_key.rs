//! The suppression list's HMAC key survives a master-key rotation: it is a
//! secret sealed under the master key (`sealed_secrets`), initialised on an
//! existing deployment to the key its entries were made with, re-sealed by
//! `keys rotate`, and a secret that does not open stops the rotation with
//! nothing changed. Through the real binary and the real desk.

use std::path::Path;

use base64::Engine;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use dsr_tracker::db::schema::{sealed_secrets, staff, suppression_entries};
use dsr_tracker::domain::request::RequestKind;
use dsr_tracker::security::keys::MasterKey;
use dsr_tracker::security::totp::{self, TotpSecret};
use dsr_tracker::store::{secrets, suppression};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::support::desk::{CITIZEN, DPO_ISSY, assert_chain_intact, events_named, staff_id};
use crate::support::{TestApp, TestDb};

/// An address that objected before the sealed secret existed.
const OLD_OBJECTION: &str = "ancienne.objection@example.fr";
const START: &str = "2026-03-02T08:00:00Z";

fn at() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap()
}

fn write_key(dir: &Path, name: &str, key: &MasterKey) -> String {
    let path = dir.join(name);
    let text = base64::engine::general_purpose::STANDARD.encode(key.bytes());
    std::fs::write(&path, format!("{text}\n")).unwrap();
    path.to_str().unwrap().to_owned()
}

/// The entry a deployment from before the sealed secret holds: the
/// HMAC-SHA-256 of the normalised address keyed by
/// `master.derive("suppression-list")`, computed here independently of the
/// application's code.
fn legacy_hmac(master: &MasterKey, email: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&master.derive("suppression-list")).unwrap();
    mac.update(email.trim().to_lowercase().as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn insert_legacy_entry(db: &TestDb, controller_id: &str, master: &MasterKey, email: &str) {
    diesel::insert_into(suppression_entries::table)
        .values((
            suppression_entries::id.eq(format!("legacy-{email}")),
            suppression_entries::controller_id.eq(controller_id),
            suppression_entries::email_hmac.eq(legacy_hmac(master, email)),
            suppression_entries::created_at.eq(at()),
        ))
        .execute(&mut db.conn())
        .unwrap();
}

fn secret_row(db: &TestDb) -> Option<secrets::SealedSecret> {
    secrets::find(&mut db.conn(), suppression::KEY_PURPOSE).unwrap()
}

fn check(db: &TestDb, key_file: &str, email: &str) -> crate::support::CliOutput {
    db.cli_env(
        &["suppression", "check", "--controller", "issy", email],
        None,
        &[("MASTER_KEY_FILE", key_file)],
    )
}

fn assert_check(db: &TestDb, key_file: &str, email: &str, expected: &str) {
    let out = check(db, key_file, email);
    assert!(out.ok(), "{}", out.stderr);
    assert_eq!(out.stdout.trim(), expected, "{email}");
}

crate::db_test!(
    existing_entries_survive_upgrade_and_rotation_and_the_desk_adds_after_it,
    async |db| {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (
            MasterKey::from_bytes([11; 32]),
            MasterKey::from_bytes([12; 32]),
        );
        let (old_file, new_file) = (
            write_key(dir.path(), "old.key", &old),
            write_key(dir.path(), "new.key", &new),
        );
        // The server as restarted after the rotation: the NEW key.
        let app = TestApp::builder()
            .at(START)
            .with_master_key(new.clone())
            .start(&db)
            .await;
        insert_legacy_entry(&db, &app.issy.id, &old, OLD_OBJECTION);
        assert!(secret_row(&db).is_none());

        let status = db.cli_env(&["keys", "status"], None, &[("MASTER_KEY_FILE", &old_file)]);
        assert!(status.ok(), "{}", status.stderr);
        assert!(
            status
                .stdout
                .contains("suppression-list secret: not created yet"),
            "{}",
            status.stdout
        );

        // After the upgrade, with the old key: the old entry still
        // matches, and the secret now exists, sealed with the old key.
        assert_check(
            &db,
            &old_file,
            "  Ancienne.Objection@example.fr",
            "suppressed",
        );
        assert_check(&db, &old_file, "paul@example.fr", "not suppressed");
        let row = secret_row(&db).unwrap();
        assert_eq!(row.key_id, old.id());
        assert!(
            !row.sealed
                .contains(&hex::encode(old.derive("suppression-list")))
        );
        let created = events_named(&db, "keys.secret_created");
        assert_eq!(created.len(), 1);
        assert_eq!(created[0].actor_id, None);
        assert_eq!(
            created[0].detail,
            format!("purpose=suppression-list key={}", old.id())
        );

        let rotate = ["keys", "rotate", "--new-key-file", new_file.as_str()];
        let out = db.cli_env(&rotate, None, &[("MASTER_KEY_FILE", &old_file)]);
        assert!(out.ok(), "{}", out.stderr);
        assert!(
            out.stdout.contains(&format!(
                "re-sealed the suppression-list secret from key {} to key {}",
                old.id(),
                new.id()
            )),
            "{}",
            out.stdout
        );
        let moved = secret_row(&db).unwrap();
        assert_eq!(moved.key_id, new.id());
        assert_ne!(moved.sealed, row.sealed);
        let resealed = events_named(&db, "keys.secret_resealed");
        assert_eq!(resealed.len(), 1);
        assert_eq!(
            resealed[0].detail,
            format!("purpose=suppression-list from={} to={}", old.id(), new.id())
        );
        // Run again (say after an interruption): nothing to move.
        let out = db.cli_env(&rotate, None, &[("MASTER_KEY_FILE", &old_file)]);
        assert!(out.ok(), "{}", out.stderr);
        assert!(
            out.stdout.contains(&format!(
                "the suppression-list secret is already sealed with key {}",
                new.id()
            )),
            "{}",
            out.stdout
        );
        assert_eq!(secret_row(&db).unwrap(), moved);
        assert_eq!(events_named(&db, "keys.secret_resealed").len(), 1);

        // With the NEW key configured.
        assert_check(&db, &new_file, OLD_OBJECTION, "suppressed");
        assert_check(&db, &new_file, "paul@example.fr", "not suppressed");
        let status = db.cli_env(&["keys", "status"], None, &[("MASTER_KEY_FILE", &new_file)]);
        assert!(
            status.stdout.contains(&format!(
                "suppression-list secret: sealed with {}\tcurrent",
                new.id()
            )),
            "{}",
            status.stdout
        );
        // The old key no longer opens it, and says why.
        let out = check(&db, &old_file, OLD_OBJECTION);
        assert!(!out.ok(), "{}", out.stdout);
        let line = out.error_line().unwrap();
        assert!(
            line.contains(&format!(
                "sealed with master key {}, but the configured master key is {}",
                new.id(),
                old.id()
            )),
            "{line}"
        );

        // A new objection closed through the desk, after the rotation.
        let r = app.new_request(&db, &app.issy, RequestKind::MarketingObjection);
        let dpo = app.login(DPO_ISSY).await;
        dpo.act_ok(&r.id, "accept_identity", 0, &[]).await;
        dpo.act_ok(
            &r.id,
            "close_granted",
            1,
            &[("answer", "Votre opposition est enregistrée.")],
        )
        .await;
        assert_check(&db, &new_file, CITIZEN, "suppressed");
        assert_check(&db, &new_file, OLD_OBJECTION, "suppressed");
        // Same key as before the rotation: the value never changed.
        let stored: String = suppression_entries::table
            .filter(suppression_entries::request_id.eq(&r.id))
            .select(suppression_entries::email_hmac)
            .first(&mut db.conn())
            .unwrap();
        assert_eq!(stored, legacy_hmac(&old, CITIZEN));
        // Vanves has no entry for either.
        let key = app.state.suppression_key.get(&mut db.conn(), at()).unwrap();
        for email in [CITIZEN, OLD_OBJECTION] {
            assert!(
                !suppression::is_suppressed(&mut db.conn(), &key, &app.vanves.id, email).unwrap()
            );
        }
        app.mails(1).await;
        assert_eq!(events_named(&db, "keys.secret_created").len(), 1);
        assert_chain_intact(&db);
    }
);

crate::db_test!(rotating_a_database_that_never_loaded_the_secret, |db| {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (MasterKey::generate(), MasterKey::generate());
    let (old_file, new_file) = (
        write_key(dir.path(), "old.key", &old),
        write_key(dir.path(), "new.key", &new),
    );
    let out = db.cli(
        &[
            "controller",
            "add",
            "--slug",
            "issy",
            "--name",
            "Issy",
            "--dpo-email",
            "dpo@issy.example.fr",
        ],
        None,
    );
    assert!(out.ok(), "{}", out.stderr);
    let issy: String = dsr_tracker::db::schema::controllers::table
        .select(dsr_tracker::db::schema::controllers::id)
        .first(&mut db.conn())
        .unwrap();
    insert_legacy_entry(&db, &issy, &old, OLD_OBJECTION);
    assert!(secret_row(&db).is_none());

    // Straight from the upgrade to the rotation: the secret is made from
    // the old key, then moved.
    let out = db.cli_env(
        &["keys", "rotate", "--new-key-file", &new_file],
        None,
        &[("MASTER_KEY_FILE", &old_file)],
    );
    assert!(out.ok(), "{}", out.stderr);
    assert_eq!(secret_row(&db).unwrap().key_id, new.id());
    assert_eq!(events_named(&db, "keys.secret_created").len(), 1);
    assert_eq!(events_named(&db, "keys.secret_resealed").len(), 1);
    assert_check(&db, &new_file, OLD_OBJECTION, "suppressed");
    assert_check(&db, &new_file, "paul@example.fr", "not suppressed");
    assert_chain_intact(&db);
});

crate::db_test!(
    a_secret_that_does_not_open_stops_the_rotation_unchanged,
    async |db| {
        let dir = tempfile::tempdir().unwrap();
        let (old, new, other) = (
            MasterKey::generate(),
            MasterKey::generate(),
            MasterKey::generate(),
        );
        let (old_file, new_file) = (
            write_key(dir.path(), "old.key", &old),
            write_key(dir.path(), "new.key", &new),
        );
        let app = TestApp::builder()
            .at(START)
            .with_master_key(old.clone())
            .start(&db)
            .await;
        insert_legacy_entry(&db, &app.issy.id, &old, OLD_OBJECTION);
        suppression::load_key(&mut db.conn(), &old, at()).unwrap();
        // A staff TOTP secret on the old key: the rotation must not move
        // it either when it stops.
        let dpo = staff_id(&db, DPO_ISSY);
        let totp_sealed = totp::seal_stored(&old, &dpo, &TotpSecret::generate());
        assert!(
            dsr_tracker::store::staff::enable_totp(&mut db.conn(), &dpo, &totp_sealed, 1, at())
                .unwrap()
        );
        let rotate = ["keys", "rotate", "--new-key-file", new_file.as_str()];
        let events_before = |db: &TestDb| -> i64 {
            dsr_tracker::db::schema::events::table
                .count()
                .get_result(&mut db.conn())
                .unwrap()
        };

        // 1. The row altered: a value sealed for another purpose.
        let altered = dsr_tracker::security::seal::seal_secret(&old, "another-purpose", &[1; 32]);
        diesel::update(sealed_secrets::table.find(suppression::KEY_PURPOSE))
            .set(sealed_secrets::sealed.eq(&altered))
            .execute(&mut db.conn())
            .unwrap();
        let before = secret_row(&db).unwrap();
        let events = events_before(&db);
        let out = db.cli_env(&rotate, None, &[("MASTER_KEY_FILE", &old_file)]);
        assert!(!out.ok(), "{}", out.stdout);
        let line = out.error_line().unwrap();
        assert!(
            line.contains(&format!(
                "the suppression-list secret does not open with master key {}",
                old.id()
            )),
            "{line}"
        );
        assert!(line.contains("nothing was changed"), "{line}");
        assert_eq!(secret_row(&db).unwrap(), before);
        assert_eq!(events_before(&db), events);
        let totp_now: Option<String> = staff::table
            .find(&dpo)
            .select(staff::totp_secret)
            .first(&mut db.conn())
            .unwrap();
        assert_eq!(totp_now.as_deref(), Some(totp_sealed.as_str()));
        // The list is not consulted with a wrong key either.
        let out = check(&db, &old_file, OLD_OBJECTION);
        assert!(!out.ok(), "{}", out.stdout);
        assert!(
            out.error_line().unwrap().contains("does not open"),
            "{}",
            out.stderr
        );

        // 2. Sealed with a key that is neither the old nor the new one.
        let foreign = dsr_tracker::security::seal::seal_secret(
            &other,
            suppression::KEY_PURPOSE,
            &old.derive("suppression-list"),
        );
        diesel::update(sealed_secrets::table.find(suppression::KEY_PURPOSE))
            .set((
                sealed_secrets::sealed.eq(&foreign),
                sealed_secrets::key_id.eq(other.id()),
            ))
            .execute(&mut db.conn())
            .unwrap();
        let before = secret_row(&db).unwrap();
        let out = db.cli_env(&rotate, None, &[("MASTER_KEY_FILE", &old_file)]);
        assert!(!out.ok(), "{}", out.stdout);
        let line = out.error_line().unwrap();
        assert!(
            line.contains(&format!(
                "sealed with master key {}, but the configured master key is {}",
                other.id(),
                old.id()
            )),
            "{line}"
        );
        assert_eq!(secret_row(&db).unwrap(), before);
        assert_eq!(events_before(&db), events);
        let status = db.cli_env(&["keys", "status"], None, &[("MASTER_KEY_FILE", &old_file)]);
        assert!(
            status.stdout.contains(&format!(
                "suppression-list secret: sealed with {}\tOTHER KEY",
                other.id()
            )),
            "{}",
            status.stdout
        );
        // serve refuses to start with it, naming both keys.
        let out = serve_until_exit(&db, &old_file);
        assert!(!out.ok(), "{}", out.stdout);
        assert!(
            out.error_line()
                .unwrap()
                .contains("cannot load the suppression list's key"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains(other.id()), "{}", out.stderr);

        // Put back (the row as it was, sealed with the old key): the
        // rotation then goes through and the old entry still matches.
        let good = dsr_tracker::security::seal::seal_secret(
            &old,
            suppression::KEY_PURPOSE,
            &old.derive("suppression-list"),
        );
        diesel::update(sealed_secrets::table.find(suppression::KEY_PURPOSE))
            .set((
                sealed_secrets::sealed.eq(&good),
                sealed_secrets::key_id.eq(old.id()),
            ))
            .execute(&mut db.conn())
            .unwrap();
        let out = db.cli_env(&rotate, None, &[("MASTER_KEY_FILE", &old_file)]);
        assert!(out.ok(), "{}", out.stderr);
        assert_check(&db, &new_file, OLD_OBJECTION, "suppressed");
        assert_chain_intact(&db);
    }
);

/// `serve` that must stop by itself; killed (and the test failed) if it
/// is still running after 60 s.
fn serve_until_exit(db: &TestDb, key_file: &str) -> crate::support::CliOutput {
    use std::process::{Command, Stdio};
    let mut child = Command::new(crate::support::binary())
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &db.url)
        .env("DATA_DIR", db.data_dir())
        .env("MASTER_KEY_FILE", key_file)
        .env("BIND_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("serve did not stop");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    crate::support::CliOutput {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

crate::db_test!(concurrent_first_loads_agree_on_one_secret, |db| {
    let pool = db.pool();
    let master = MasterKey::generate();
    // All four read "no secret yet" as close together as possible.
    let barrier = std::sync::Barrier::new(4);
    let hashes: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let (pool, master, barrier) = (pool.clone(), master.clone(), &barrier);
                s.spawn(move || {
                    let mut conn = pool.get().unwrap();
                    barrier.wait();
                    suppression::load_key(&mut conn, &master, at())
                        .unwrap()
                        .hash(OLD_OBJECTION)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // An empty list gets a random key: the four must agree on the one
    // stored, whichever of them wrote it.
    assert!(hashes.iter().all(|h| *h == hashes[0]), "{hashes:?}");
    let stored = suppression::load_key(&mut db.conn(), &master, at()).unwrap();
    assert_eq!(stored.hash(OLD_OBJECTION), hashes[0]);
    let rows: i64 = sealed_secrets::table
        .count()
        .get_result(&mut db.conn())
        .unwrap();
    assert_eq!(rows, 1);
    assert_eq!(events_named(&db, "keys.secret_created").len(), 1);
    assert_chain_intact(&db);
});

crate::db_test!(a_new_installation_gets_a_random_list_key, async |db| {
    let master = MasterKey::generate();
    let app = TestApp::builder()
        .at(START)
        .with_master_key(master.clone())
        .start(&db)
        .await;
    let key = app
        .state
        .suppression_key
        .get(&mut db.conn(), app.state.clock.now())
        .unwrap();
    // Nothing links the key of an empty list to the master key: the
    // holder of a future former master key cannot test guesses.
    assert_ne!(key.hash(CITIZEN), legacy_hmac(&master, CITIZEN));
    assert_eq!(events_named(&db, "keys.secret_created").len(), 1);
    // And it is stable: a second load (another process) reads it back.
    let again = suppression::load_key(&mut db.conn(), &master, at()).unwrap();
    assert_eq!(again.hash(CITIZEN), key.hash(CITIZEN));
    assert_chain_intact(&db);
});
