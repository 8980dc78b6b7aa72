//! Identity proofs on both backends: encrypted at rest (the plaintext is
//! nowhere in the database files), readable only through their own
//! request, deleted with it, and movable to a new master key through the
//! real binary.

use dsr_tracker::domain::ids::RequestId;
use std::path::Path;

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Binary};
use dsr_tracker::db::DbConn;
use dsr_tracker::db::schema::{identity_proofs, requests};
use dsr_tracker::domain::request::{Channel, RequestKind, Status};
use dsr_tracker::domain::values::{EmailAddress, Locale, ReferencePrefix, Slug};
use dsr_tracker::security::keys::MasterKey;
use dsr_tracker::security::proofs::{self as crypto, ProofError, ProofType};
use dsr_tracker::store::proofs::{self, NewProof, ProofMeta, UploadedBy};
use dsr_tracker::store::{controllers, requests as request_store};

use crate::support::Backend;

fn now() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
        .unwrap()
        .and_hms_opt(9, 30, 0)
        .unwrap()
}

/// A controller (once) and a new request under it; returns the request id.
fn new_request(conn: &mut DbConn) -> RequestId {
    let controller = match controllers::find_by_slug(conn, "issy").unwrap() {
        Some(c) => c,
        None => {
            let slug = Slug::parse("issy").unwrap();
            let new = controllers::NewController {
                reference_prefix: ReferencePrefix::from_slug(&slug),
                slug,
                name: "Ville d'Issy-les-Moulineaux".into(),
                dpo_email: EmailAddress::parse("dpo@issy.example.fr").unwrap(),
                postal_address: None,
                locale: Locale::Fr,
            };
            controllers::create(conn, &new, now()).unwrap()
        }
    };
    let new = request_store::NewRequest {
        controller_id: controller.id,
        kind: RequestKind::Access,
        channel: Channel::Web,
        status: Status::Received,
        locale: Locale::Fr,
        first_name: "Camille".into(),
        last_name: "Martin".into(),
        email: Some("camille.martin@example.org".into()),
        postal_address: None,
        details: "Copie de mes données".into(),
        objection_grounds: None,
        submitted_at: now(),
        received_at: Some(now()),
        due_on: None,
        reference: None,
        confirm_token_hash: None,
        confirm_token_expires_at: None,
        status_token_hash: None,
        submitter_ip: None,
        submitter_user_agent: None,
    };
    request_store::insert(conn, &new).unwrap().id
}

/// A PDF of `%PDF-` + 64 KiB of a pattern unique to this file + an ASCII
/// marker, so that any leak of the plaintext is recognisable.
fn distinctive_pdf(marker: &str) -> Vec<u8> {
    let mut state = u64::from_le_bytes(crypto_hash8(marker.as_bytes())) | 1;
    let mut bytes = b"%PDF-1.7\n".to_vec();
    while bytes.len() < 9 + 64 * 1024 {
        // xorshift64*: random-looking, reproducible, cheap.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        bytes.extend_from_slice(&state.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    bytes.extend_from_slice(marker.as_bytes());
    bytes
}

fn crypto_hash8(data: &[u8]) -> [u8; 8] {
    use sha2::Digest;
    sha2::Sha256::digest(data)[..8].try_into().unwrap()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn store(
    conn: &mut DbConn,
    key: &MasterKey,
    request_id: &RequestId,
    name: &str,
    plaintext: &[u8],
) -> ProofMeta {
    proofs::insert(
        conn,
        key,
        now(),
        &NewProof {
            request_id,
            proof_type: crypto::sniff(plaintext).expect("a PDF"),
            display_name: name,
            uploaded_by: UploadedBy::Citizen,
            plaintext,
        },
    )
    .unwrap()
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Rows of `identity_proofs` whose ciphertext, nonce or wrapped key
/// contains `needle`, searched by the database itself.
fn rows_containing(conn: &mut DbConn, backend: Backend, needle: &[u8]) -> i64 {
    let sql = match backend {
        Backend::Postgres => {
            "SELECT count(*) AS n FROM identity_proofs WHERE position($1 in ciphertext) > 0 \
             OR position($1 in nonce) > 0 OR position($1 in wrapped_key) > 0"
        }
        Backend::Sqlite => {
            "SELECT count(*) AS n FROM identity_proofs WHERE instr(ciphertext, ?1) > 0 \
             OR instr(nonce, ?1) > 0 OR instr(wrapped_key, ?1) > 0"
        }
    };
    diesel::sql_query(sql)
        .bind::<Binary, _>(needle)
        .get_result::<Count>(conn)
        .unwrap()
        .n
}

/// Every byte SQLite has on disk for this database, after a checkpoint.
fn sqlite_files(dir: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("test.sqlite") {
            all.extend(std::fs::read(&path).unwrap());
        }
    }
    all
}

crate::db_test!(proofs_are_encrypted_at_rest, |db| {
    let _pool = db.pool();
    let mut conn = db.conn();
    let key = MasterKey::generate();
    let request_id = new_request(&mut conn);
    let marker = format!("PLAINTEXT-MARKER-{}", uuid::Uuid::now_v7().simple());
    let plaintext = distinctive_pdf(&marker);
    let meta = store(
        &mut conn,
        &key,
        &request_id,
        "DISPLAY-NAME-IN-CLEAR.pdf",
        &plaintext,
    );
    assert_eq!(meta.size_bytes, plaintext.len() as i64);
    assert_eq!(meta.content_type, "application/pdf");
    assert_eq!(meta.key_id, key.id());

    let pattern_samples: Vec<&[u8]> = vec![
        &plaintext[9..9 + 48],
        &plaintext[32 * 1024..32 * 1024 + 48],
        &plaintext[plaintext.len() - marker.len() - 48..plaintext.len() - marker.len()],
    ];
    match db.backend {
        Backend::Sqlite => {
            conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")
                .unwrap();
            let files = sqlite_files(db.data_dir());
            // Positive control: text stored in clear is found by this scan.
            assert!(contains(&files, b"DISPLAY-NAME-IN-CLEAR.pdf"));
            assert!(
                !contains(&files, marker.as_bytes()),
                "plaintext marker found in the SQLite files"
            );
            for sample in &pattern_samples {
                assert!(!contains(&files, sample), "plaintext found on disk");
            }
            assert!(!contains(&files, key.bytes()), "master key on disk");
        }
        Backend::Postgres => {}
    }
    // The database's own search over the binary columns, on both backends.
    let (_, sealed) = proofs::load_sealed(&mut conn, &meta.id, &request_id)
        .unwrap()
        .unwrap();
    assert_eq!(
        rows_containing(&mut conn, db.backend, &sealed.ciphertext[100..148]),
        1,
        "positive control: the search finds what is stored"
    );
    assert_eq!(rows_containing(&mut conn, db.backend, marker.as_bytes()), 0);
    for sample in &pattern_samples {
        assert_eq!(rows_containing(&mut conn, db.backend, sample), 0);
    }
    assert_eq!(rows_containing(&mut conn, db.backend, b"%PDF-"), 0);
});

crate::db_test!(a_proof_is_read_only_through_its_own_request, |db| {
    let _pool = db.pool();
    let mut conn = db.conn();
    let key = MasterKey::generate();
    let request_a = new_request(&mut conn);
    let request_b = new_request(&mut conn);
    let file_a = distinctive_pdf("A");
    let file_b = distinctive_pdf("B");
    let a = store(&mut conn, &key, &request_a, "../../etc/passwd", &file_a);
    let a2 = store(
        &mut conn,
        &key,
        &request_a,
        "C:\\Users\\x\\carte d'identité.pdf",
        b"%PDF-1.4 small",
    );
    let b = store(&mut conn, &key, &request_b, "b.pdf", &file_b);

    let listed = proofs::list_for_request(&mut conn, &request_a).unwrap();
    assert_eq!(listed, vec![a.clone(), a2.clone()]);
    assert_eq!(a.display_name, "passwd.pdf");
    assert_eq!(a2.display_name, "carte d identité.pdf");
    assert_eq!(a.uploaded_by, "citizen");
    assert_eq!(a.created_at, now());
    assert_eq!(a.proof_type(), Some(ProofType::Pdf));
    assert_eq!(
        proofs::total_size_for_request(&mut conn, &request_a).unwrap(),
        (file_a.len() + 14) as i64
    );
    assert_eq!(
        proofs::total_size_for_request(&mut conn, &"nope".into()).unwrap(),
        0
    );

    let ring = [key.clone()];
    let (meta, sealed) = proofs::load_sealed(&mut conn, &a.id, &request_a)
        .unwrap()
        .expect("own request");
    assert_eq!(meta, a);
    assert_eq!(
        crypto::open(&ring, &request_a, &a.id, &sealed).unwrap(),
        file_a
    );
    let (_, sealed_b) = proofs::load_sealed(&mut conn, &b.id, &request_b)
        .unwrap()
        .unwrap();
    assert_eq!(
        crypto::open(&ring, &request_b, &b.id, &sealed_b).unwrap(),
        file_b
    );

    // Another request's URL never reaches the proof.
    assert!(
        proofs::load_sealed(&mut conn, &a.id, &request_b)
            .unwrap()
            .is_none()
    );
    assert!(
        proofs::load_sealed(&mut conn, &a.id, &"no-such-request".into())
            .unwrap()
            .is_none()
    );
    assert!(
        proofs::load_sealed(&mut conn, &"no-such-proof".into(), &request_a)
            .unwrap()
            .is_none()
    );

    // A row moved to another request in the database does not open there.
    diesel::update(identity_proofs::table.find(&a.id))
        .set(identity_proofs::request_id.eq(&request_b))
        .execute(&mut conn)
        .unwrap();
    let (_, moved) = proofs::load_sealed(&mut conn, &a.id, &request_b)
        .unwrap()
        .unwrap();
    assert!(matches!(
        crypto::open(&ring, &request_b, &a.id, &moved),
        Err(ProofError::Decrypt { .. })
    ));
    // Nor does a ciphertext copied into another proof's row.
    diesel::update(identity_proofs::table.find(&b.id))
        .set(identity_proofs::ciphertext.eq(&sealed.ciphertext))
        .execute(&mut conn)
        .unwrap();
    let (_, swapped) = proofs::load_sealed(&mut conn, &b.id, &request_b)
        .unwrap()
        .unwrap();
    assert!(crypto::open(&ring, &request_b, &b.id, &swapped).is_err());
});

crate::db_test!(deleting_a_request_deletes_its_proofs, |db| {
    let _pool = db.pool();
    let mut conn = db.conn();
    let key = MasterKey::generate();
    let gone = new_request(&mut conn);
    let kept = new_request(&mut conn);
    for name in ["recto.pdf", "verso.pdf"] {
        store(&mut conn, &key, &gone, name, b"%PDF-1.7 x");
    }
    let survivor = store(&mut conn, &key, &kept, "kept.pdf", b"%PDF-1.7 y");

    diesel::delete(requests::table.find(&gone))
        .execute(&mut conn)
        .unwrap();
    assert!(
        proofs::list_for_request(&mut conn, &gone)
            .unwrap()
            .is_empty()
    );
    let left: i64 = identity_proofs::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(left, 1);
    assert_eq!(
        proofs::list_for_request(&mut conn, &kept).unwrap(),
        vec![survivor]
    );

    assert_eq!(proofs::delete_for_request(&mut conn, &kept).unwrap(), 1);
    assert_eq!(proofs::delete_for_request(&mut conn, &kept).unwrap(), 0);
    assert!(proofs::count_by_key_id(&mut conn).unwrap().is_empty());
});

fn write_key(path: &Path, key_b64: &str) {
    std::fs::write(path, format!("{key_b64}\n")).unwrap();
}

fn read_key(path: &Path) -> MasterKey {
    MasterKey::parse_base64(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn ciphertexts(conn: &mut DbConn) -> Vec<(String, Vec<u8>, Vec<u8>)> {
    identity_proofs::table
        .order(identity_proofs::id)
        .select((
            identity_proofs::id,
            identity_proofs::ciphertext,
            identity_proofs::nonce,
        ))
        .load(conn)
        .unwrap()
}

crate::db_test!(keys_rotate_rewraps_every_proof_through_the_binary, |db| {
    let _pool = db.pool();
    let mut conn = db.conn();
    let keys_dir = tempfile::tempdir().unwrap();
    let old_path = keys_dir.path().join("old.key");
    let new_path = keys_dir.path().join("new.key");
    let old_path_s = old_path.to_str().unwrap();
    let new_path_s = new_path.to_str().unwrap();

    // No key anywhere yet: status says so and generates nothing.
    let status = db.cli(&["keys", "status"], None);
    assert!(status.ok(), "{}", status.stderr);
    assert!(status.stdout.contains("none yet"), "{}", status.stdout);
    assert!(status.stdout.contains("no identity proofs"));
    assert!(!db.data_dir().join("master.key").exists());

    use base64::Engine;
    let old = MasterKey::from_bytes([0x42; 32]);
    write_key(
        &old_path,
        &base64::engine::general_purpose::STANDARD.encode(old.bytes()),
    );
    let mut files = Vec::new();
    for i in 0..5 {
        let request_id = new_request(&mut conn);
        let plaintext = distinctive_pdf(&format!("rotation-{i}"));
        let meta = store(&mut conn, &old, &request_id, "carte.pdf", &plaintext);
        files.push((meta.id, request_id, plaintext));
    }
    let before = ciphertexts(&mut conn);

    let old_env = [("MASTER_KEY_FILE", old_path_s)];
    let generated = db.cli(&["keys", "generate", "--out", new_path_s], None);
    assert!(generated.ok(), "{}", generated.stderr);
    let new = read_key(&new_path);
    assert!(generated.stdout.contains(new.id()), "{}", generated.stdout);
    let again = db.cli(&["keys", "generate", "--out", new_path_s], None);
    assert!(!again.ok());
    assert!(again.error_line().unwrap().contains("already exists"));
    assert_eq!(read_key(&new_path).bytes(), new.bytes());

    let status = db.cli_env(&["keys", "status"], None, &old_env);
    assert!(status.ok(), "{}", status.stderr);
    assert!(
        status
            .stdout
            .contains(&format!("current master key: {}", old.id()))
    );
    assert!(
        status
            .stdout
            .contains(&format!("{}\t5 proofs\tcurrent", old.id())),
        "{}",
        status.stdout
    );

    // Refusals write nothing.
    let same = db.cli_env(
        &["keys", "rotate", "--new-key-file", old_path_s],
        None,
        &old_env,
    );
    assert!(!same.ok());
    assert!(
        same.error_line()
            .unwrap()
            .contains("already the configured master key"),
        "{}",
        same.stderr
    );
    let missing = keys_dir.path().join("missing.key");
    let missing = db.cli_env(
        &[
            "keys",
            "rotate",
            "--new-key-file",
            missing.to_str().unwrap(),
        ],
        None,
        &old_env,
    );
    assert!(!missing.ok());
    assert!(
        missing.error_line().unwrap().contains("--new-key-file"),
        "{}",
        missing.stderr
    );
    assert_eq!(
        proofs::count_by_key_id(&mut conn).unwrap(),
        vec![(old.id().to_owned(), 5)]
    );

    // Batches of two: three transactions for five proofs.
    let rotate = [
        "keys",
        "rotate",
        "--new-key-file",
        new_path_s,
        "--batch-size",
        "2",
    ];
    let out = db.cli_env(&rotate, None, &old_env);
    assert!(out.ok(), "{}", out.stderr);
    assert!(
        out.stdout.contains(&format!(
            "re-wrapped 5 proofs from key {} to key {}",
            old.id(),
            new.id()
        )),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("0 proofs left"), "{}", out.stdout);
    assert_eq!(
        proofs::count_by_key_id(&mut conn).unwrap(),
        vec![(new.id().to_owned(), 5)]
    );
    // The files themselves were not re-encrypted.
    assert_eq!(ciphertexts(&mut conn), before);
    for (proof_id, request_id, plaintext) in &files {
        let (_, sealed) = proofs::load_sealed(&mut conn, proof_id, request_id)
            .unwrap()
            .unwrap();
        assert_eq!(
            &crypto::open(std::slice::from_ref(&new), request_id, proof_id, &sealed).unwrap(),
            plaintext
        );
        let err =
            crypto::open(std::slice::from_ref(&old), request_id, proof_id, &sealed).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "proof was sealed with key {} which is not configured",
                new.id()
            )
        );
    }

    // Idempotent: a second run has nothing left to do.
    let out = db.cli_env(&rotate, None, &old_env);
    assert!(out.ok(), "{}", out.stderr);
    assert!(out.stdout.contains("re-wrapped 0 proofs"), "{}", out.stdout);
    assert!(out.stdout.contains("5 were already on"), "{}", out.stdout);
    assert_eq!(ciphertexts(&mut conn), before);

    let status = db.cli_env(
        &["keys", "status"],
        None,
        &[("MASTER_KEY_FILE", new_path_s)],
    );
    assert!(
        status
            .stdout
            .contains(&format!("{}\t5 proofs\tcurrent", new.id())),
        "{}",
        status.stdout
    );
    assert!(!status.stdout.contains(old.id()), "{}", status.stdout);

    // Three batches with work, three audit events; the chain holds.
    let events: i64 = dsr_tracker::db::schema::events::table
        .filter(dsr_tracker::db::schema::events::action.eq("keys.rewrapped"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(events, 3);
    let verify = db.cli(&["audit", "verify"], None);
    assert!(verify.ok(), "{}", verify.stderr);
});

crate::db_test!(rotation_reports_altered_rows_and_moves_the_rest, |db| {
    let _pool = db.pool();
    let mut conn = db.conn();
    // The default key file in the data folder, this time.
    let old = MasterKey::generate();
    let new = MasterKey::generate();
    use base64::Engine;
    let b64 = |k: &MasterKey| base64::engine::general_purpose::STANDARD.encode(k.bytes());
    write_key(&db.data_dir().join("master.key"), &b64(&old));
    let new_path = db.data_dir().join("new.key");
    write_key(&new_path, &b64(&new));

    let request_id = new_request(&mut conn);
    let good = store(&mut conn, &old, &request_id, "a.pdf", b"%PDF-1.7 a");
    let bad = store(&mut conn, &old, &request_id, "b.pdf", b"%PDF-1.7 b");
    let mut wrapped: Vec<u8> = identity_proofs::table
        .find(&bad.id)
        .select(identity_proofs::wrapped_key)
        .first(&mut conn)
        .unwrap();
    wrapped[30] ^= 0xFF;
    diesel::update(identity_proofs::table.find(&bad.id))
        .set(identity_proofs::wrapped_key.eq(&wrapped))
        .execute(&mut conn)
        .unwrap();

    let args = [
        "keys",
        "rotate",
        "--new-key-file",
        new_path.to_str().unwrap(),
    ];
    for _ in 0..2 {
        let out = db.cli(&args, None);
        assert!(!out.ok(), "{}", out.stdout);
        let line = out.error_line().unwrap();
        assert!(line.contains("1 proofs could not be re-wrapped"), "{line}");
        assert!(line.contains(&*bad.id), "{line}");
        assert!(!line.contains(&*good.id), "{line}");
    }
    assert_eq!(
        proofs::count_by_key_id(&mut conn)
            .unwrap()
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>(),
        [(old.id().to_owned(), 1), (new.id().to_owned(), 1)]
            .into_iter()
            .collect()
    );
    let (_, sealed) = proofs::load_sealed(&mut conn, &good.id, &request_id)
        .unwrap()
        .unwrap();
    assert_eq!(
        crypto::open(&[new], &request_id, &good.id, &sealed).unwrap(),
        b"%PDF-1.7 a"
    );
    // The altered row was left exactly as it was.
    let still: Vec<u8> = identity_proofs::table
        .find(&bad.id)
        .select(identity_proofs::wrapped_key)
        .first(&mut conn)
        .unwrap();
    assert_eq!(still, wrapped);
});
