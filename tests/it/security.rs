//! The outside review's robustness findings (issue #10, "Security and
//! robustness"): many form fields, NUL characters, invisible characters,
//! file modes, mail copies after the purge, login throttling.

use chrono::TimeDelta;
use diesel::prelude::*;
use dsr_tracker::clock::Clock;
use dsr_tracker::db::schema::{outbox, requests};
use reqwest::multipart::Part;

use crate::support::citizen::pdf;
use crate::support::desk::{ADMIN, DPO_ISSY, PASSWORD};
use crate::support::{TestApp, serve};

// A body of many tiny fields is refused before anything else is done
// with it (it once kept a worker busy for 28 s): the form again, 400, in
// the citizen's language, and nothing stored.
crate::db_test!(
    many_form_fields_are_refused_before_anything_else,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let csrf = app.csrf("/c/issy/").await;
        let mut form = app.valid_form(&csrf);
        for i in 0..300 {
            form = form.text(format!("f{i}"), "x");
        }
        let (status, body, _) = app.post_form(form).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("pas pu être lu"), "{body}");
        // What was read before the cap is given back.
        assert!(body.contains("Jeanne"), "{body}");
        assert_eq!(app.count(&db).requests, 0);
    }
);

// A NUL character anywhere a person's input arrives is a 400 page in
// their language, on both backends (PostgreSQL answered 500 before).
crate::db_test!(nul_characters_are_a_400_page, async |db| {
    let app = TestApp::builder().start(&db).await;
    let client = reqwest::Client::new();
    for (path, accept, words) in [
        ("/c/ville%00/", "fr-FR", "Demande refusée"),
        ("/c/ville%00/", "en-GB", "Request not accepted"),
        ("/s/abc%00def", "fr-FR", "Demande refusée"),
    ] {
        let res = client
            .get(format!("{}{path}", app.base))
            .header("accept-language", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{path}");
        let body = res.text().await.unwrap();
        assert!(body.contains(words), "{path}: {body}");
    }
    // An urlencoded form: the login.
    let b = app.browser();
    let a = b.login("admin\0@plateforme.example.fr", PASSWORD).await;
    assert_eq!(a.status, 400, "{}", a.body);
    assert!(a.body.contains("Demande refusée"), "{}", a.body);
    // A multipart form: the public form, nothing stored.
    let csrf = app.csrf("/c/issy/").await;
    let form = app.valid_form(&csrf).text("first_name_again", "x\0y").part(
        "proof",
        Part::bytes(pdf("nul"))
            .file_name("carte.pdf")
            .mime_str("application/pdf")
            .unwrap(),
    );
    let (status, body, _) = app.post_form(form).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(app.count(&db).requests, 0);
    // A file may hold NUL bytes: only text fields are checked.
    let form = app.valid_form(&csrf).part(
        "proof",
        Part::bytes([pdf("with-nul"), vec![0, 0, 0]].concat())
            .file_name("carte.pdf")
            .mime_str("application/pdf")
            .unwrap(),
    );
    let (status, body, _) = app.post_form(form).await;
    assert_eq!(status, 303, "{body}");
});

// Bidi overrides and zero-width characters are removed from names, as
// from file names: the desk shows what the citizen saw.
crate::db_test!(invisible_characters_are_removed_from_names, async |db| {
    let app = TestApp::builder().start(&db).await;
    let csrf = app.csrf("/c/issy/").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .text("lang", "fr")
        .text("kind", "access")
        .text("first_name", "\u{202E}Jea\u{200B}nne\u{FEFF}")
        .text("last_name", "Du\u{2066}pont\u{200F}")
        .text("email", "jeanne.dupont@example.fr")
        .text("details", "Mes données.")
        .text("website", "")
        .part(
            "proof",
            Part::bytes(pdf("bidi"))
                .file_name("carte.pdf")
                .mime_str("application/pdf")
                .unwrap(),
        );
    let (status, body, _) = app.post_form(form).await;
    assert_eq!(status, 303, "{body}");
    let mut conn = db.conn();
    let names: Vec<(Option<String>, Option<String>)> = requests::table
        .select((requests::first_name, requests::last_name))
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        names,
        vec![(Some("Jeanne".to_owned()), Some("Dupont".to_owned()))]
    );
});

// The data folder, the SQLite database and its -wal and -shm files hold
// personal data: only the service's user may read them.
#[cfg(unix)]
#[test]
fn the_database_and_the_data_folder_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let rt = crate::support::rt();
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let served = serve(&data, &[]);
    let mode = |name: &str| {
        let path = if name.is_empty() {
            data.clone()
        } else {
            data.join(name)
        };
        std::fs::metadata(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode(""), 0o700, "data folder");
    for file in [
        "dsr-tracker.sqlite",
        "dsr-tracker.sqlite-wal",
        "dsr-tracker.sqlite-shm",
        "master.key",
    ] {
        assert_eq!(mode(file), 0o600, "{file}");
    }
    rt.block_on(served.stop());
}

// Without SMTP the mails are .eml copies in DATA_DIR/mail: they hold the
// address and the links, so the purge deletes them with the request's
// personal data, and only those.
crate::db_test!(mail_copies_follow_the_purge, async |db| {
    let app = TestApp::builder().start(&db).await;
    let outbox_ids = |db: &crate::support::TestDb| -> Vec<String> {
        let mut conn = db.conn();
        outbox::table
            .order(outbox::created_at.asc())
            .select(outbox::id)
            .load(&mut conn)
            .unwrap()
    };
    // Two submissions never confirmed, eight days apart.
    app.submit_and_read_confirmation().await;
    app.clock.advance(TimeDelta::days(8));
    app.submit_and_read_confirmation().await;
    let ids = outbox_ids(&db);
    assert_eq!(ids.len(), 2);
    let mail_dir = db.data_dir().join("mail");
    std::fs::create_dir_all(&mail_dir).unwrap();
    for id in &ids {
        std::fs::write(
            mail_dir.join(format!("{id}.eml")),
            "To: jeanne.dupont@example.fr\r\n\r\nhttp://…/confirm/…\r\n",
        )
        .unwrap();
    }
    let now = app.clock.now().and_utc().to_rfc3339();
    let out = db.cli(&["purge", "--now", &now], None);
    assert!(out.ok(), "{}", out.stderr);
    // The first submission is gone, its copy with it; the second stays.
    assert_eq!(outbox_ids(&db), vec![ids[1].clone()]);
    assert!(!mail_dir.join(format!("{}.eml", ids[0])).exists());
    assert!(mail_dir.join(format!("{}.eml", ids[1])).exists());
});

// Successful logins never count: the eleventh login of the day from one
// office works, and one account's typos on an address do not lock the
// others out there.
crate::db_test!(successful_logins_never_lock_anyone_out, async |db| {
    let app = TestApp::builder().start(&db).await;
    let limit = dsr_tracker::desk::LOGIN_ATTEMPTS as usize;
    for i in 0..limit + 2 {
        let a = app.browser().login(ADMIN, PASSWORD).await;
        assert_eq!(a.status, 303, "login {i}: {}", a.body);
    }
    let b = app.browser();
    for i in 0..limit {
        let a = b.login(DPO_ISSY, &format!("typo {i}")).await;
        assert_eq!(a.status, 422, "attempt {i}");
    }
    // That account, from that address: refused for now.
    assert_eq!(b.login(DPO_ISSY, PASSWORD).await.status, 429);
    // Another account from the same address: in.
    let a = app.browser().login(ADMIN, PASSWORD).await;
    assert_eq!(a.status, 303, "{}", a.body);
});
