//! The citizen's journey through the real server, on both backends, with a
//! real SMTP listener: submit, confirm, follow, answer, withdraw; and one
//! test per bad input, each checking the clear error and that nothing was
//! stored.

use std::time::Duration;

use chrono::TimeDelta;
use diesel::prelude::*;
use dsr_tracker::clock::Clock;
use dsr_tracker::config::Settings;
use dsr_tracker::db::schema::{identity_proofs, request_messages, request_suspensions, requests};
use dsr_tracker::store::{messages, requests as store_requests};
use reqwest::multipart::{Form, Part};

use crate::support::app::IssyAlone;
pub use crate::support::citizen::{extract, extract_url, pdf};
use crate::support::{TestApp, TestDb};

/// Saturday 31 January 2026, 10:00 in Paris: a request received that day
/// is due on Monday 2 March.
const SATURDAY: &str = "2026-01-31T09:00:00Z";

/// The citizen's side alone, as `browser.rs` starts it: Issy without staff
/// (that test adds Vanves and its own DPO).
pub type CitizenApp = TestApp<IssyAlone>;

impl CitizenApp {
    pub async fn start(db: &TestDb) -> CitizenApp {
        TestApp::builder().at(SATURDAY).issy_alone().start(db).await
    }
}

crate::db_test!(citizen_journey_from_form_to_withdrawal, async |db| {
    let app = TestApp::builder().at(SATURDAY).start(&db).await;
    let (status, page) = app.get("/c/issy/").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Ville d&#39;Issy-les-Moulineaux")
            || page.contains("Ville d'Issy-les-Moulineaux")
    );
    assert!(page.contains("dpo@issy.example.fr"));
    assert!(
        page.contains("mission de service public"),
        "portability sentence"
    );
    for kind in [
        "access",
        "rectification",
        "erasure",
        "restriction",
        "portability",
        "objection",
        "marketing_objection",
    ] {
        assert!(page.contains(&format!("value=\"{kind}\"")), "{kind}");
    }
    assert!(page.contains("<label for=\"email\">"));

    let confirm_path = app.submit_and_read_confirmation().await;
    let mut conn = db.conn();
    let stored: store_requests::Request = requests::table
        .select(store_requests::Request::as_select())
        .first(&mut conn)
        .unwrap();
    assert_eq!(stored.status.as_str(), "unconfirmed");
    assert!(stored.reference.is_none());
    assert_eq!(app.count(&db).proofs, 1);

    // Confirm: receipt fixed, reference assigned, due date computed
    // (received Saturday 2026-01-31 → due Monday 2026-03-02).
    let res = app
        .client
        .get(format!("{}{confirm_path}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let status_path = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(status_path.starts_with("/s/"));
    let (status, page) = app.get(&status_path).await;
    assert_eq!(status, 200);
    assert!(page.contains("ISSY-2026-0001"), "{page}");
    assert!(page.contains("lundi 2 mars 2026"), "{page}");
    let confirmed: store_requests::Request = store_requests::find(&mut conn, &stored.id).unwrap();
    assert_eq!(confirmed.status.as_str(), "received");
    assert_eq!(
        confirmed.due_on,
        chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
    );

    // The acknowledgment carries the reference, due date and status link.
    let mails = app
        .smtp
        .wait_for_messages_async(2, Duration::from_secs(20))
        .await;
    let ack = mails[1].body();
    assert!(ack.contains("ISSY-2026-0001"));
    assert!(ack.contains("lundi 2 mars 2026"));
    assert!(ack.contains("dpo@issy.example.fr"));
    let status_url = extract_url(&ack, "/s/").expect("status link");
    assert!(status_url.ends_with(status_path.trim_end_matches("?notice=confirmed")));

    // Replaying the link shows the same result and changes nothing.
    let (status, page) = app.get(&confirm_path).await;
    assert_eq!(status, 200);
    assert!(page.contains("déjà confirmée"));
    assert!(page.contains("ISSY-2026-0001"));
    let again: store_requests::Request = store_requests::find(&mut conn, &stored.id).unwrap();
    assert_eq!(again, confirmed);

    // The DPO asks for information (the desk is another issue: do what
    // it will do), ten days pass, the citizen answers.
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        diesel::update(requests::table.find(&stored.id))
            .set((
                requests::status.eq("awaiting_information"),
                requests::version.eq(confirmed.version + 1),
            ))
            .execute(conn)?;
        store_requests::start_suspension(conn, &stored.id, app.clock.now())?;
        messages::add(
            conn,
            &stored.id,
            messages::Direction::ToCitizen,
            None,
            "Merci de joindre un justificatif de domicile.",
            app.clock.now(),
        )
    })
    .unwrap();
    app.clock.advance(TimeDelta::days(10));
    let (status, page) = app.get(status_path.split('?').next().unwrap()).await;
    assert_eq!(status, 200);
    assert!(page.contains("Merci de joindre un justificatif de domicile."));
    assert!(
        page.contains("Répondre à la demande d&#39;informations")
            || page.contains("Répondre à la demande d'informations")
    );
    let token_path = status_path.split('?').next().unwrap().to_owned();
    let csrf = extract(&page, "name=\"csrf\" value=\"", "\"").unwrap();
    let reply = Form::new()
        .text("csrf", csrf.clone())
        .text("message", "Voici mon justificatif de domicile.")
        .part(
            "proof",
            Part::bytes(pdf("domicile"))
                .file_name("facture.pdf")
                .mime_str("application/pdf")
                .unwrap(),
        );
    let res = app
        .client
        .post(format!("{}{token_path}/reply", app.base))
        .multipart(reply)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let resumed = store_requests::find(&mut conn, &stored.id).unwrap();
    assert_eq!(resumed.status.as_str(), "received");
    // Ten days of suspension push the end of the period by ten days:
    // Saturday 2026-02-28 + 10 = Tuesday 2026-03-10, a working day (the
    // roll to the next working day applies to the final end only).
    assert_eq!(resumed.due_on, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
    let open: i64 = request_suspensions::table
        .filter(request_suspensions::ended_at.is_null())
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(open, 0);
    let replies: i64 = request_messages::table
        .filter(request_messages::direction.eq("from_citizen"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(replies, 1);
    assert_eq!(app.count(&db).proofs, 2);

    // Withdraw.
    let (_, page) = app.get(&token_path).await;
    let csrf = extract(&page, "name=\"csrf\" value=\"", "\"").unwrap();
    let res = app
        .client
        .post(format!("{}{token_path}/withdraw", app.base))
        .form(&[("csrf", csrf.as_str()), ("confirm", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let withdrawn = store_requests::find(&mut conn, &stored.id).unwrap();
    assert_eq!(withdrawn.status.as_str(), "withdrawn");
    assert!(withdrawn.closed_at.is_some());
    let mails = app
        .smtp
        .wait_for_messages_async(3, Duration::from_secs(20))
        .await;
    assert!(mails[2].body().contains("ISSY-2026-0001"));
    let (_, page) = app.get(&token_path).await;
    assert!(page.contains("Retirée à votre demande"));
    assert!(!page.contains("/withdraw"), "no second withdrawal");

    // The audit chain recorded the citizen's four actions (after the
    // `audit.keyed` of the server's first start) and verifies.
    let report = dsr_tracker::audit::verify(&mut conn).unwrap();
    assert!(
        matches!(report, dsr_tracker::audit::ChainReport::Intact { events } if events == 5),
        "{report:?}"
    );
});

crate::db_test!(
    proof_plaintext_is_nowhere_on_disk_or_in_the_database,
    async |db| {
        let app = TestApp::builder().at(SATURDAY).start(&db).await;
        let marker = format!("PLAINTEXT-MARKER-{}", uuid::Uuid::now_v7().simple());
        let csrf = app.csrf("/c/issy/").await;
        let form = app.valid_form(&csrf).part(
            "proof",
            Part::bytes(pdf(&marker))
                .file_name("id.pdf")
                .mime_str("application/pdf")
                .unwrap(),
        );
        let (status, body, _) = app.post_form(form).await;
        assert_eq!(status, 303, "{body}");
        app.smtp
            .wait_for_messages_async(1, Duration::from_secs(20))
            .await;
        let mut conn = db.conn();
        if db.backend == crate::support::Backend::Sqlite {
            diesel::sql_query("PRAGMA wal_checkpoint(FULL)")
                .execute(&mut conn)
                .unwrap();
        } else {
            #[derive(QueryableByName)]
            struct Found {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            let found: Found = diesel::sql_query(
                "SELECT count(*) AS n FROM identity_proofs WHERE position(convert_to($1, 'UTF8') in ciphertext) > 0",
            )
            .bind::<diesel::sql_types::Text, _>(&marker)
            .get_result(&mut conn)
            .unwrap();
            assert_eq!(found.n, 0);
        }
        // Every file of the data folder (SQLite database, WAL, mails).
        let mut stack = vec![db.data_dir().to_owned()];
        let mut files = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    files += 1;
                    let bytes = std::fs::read(&path).unwrap();
                    assert!(
                        !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
                        "plaintext found in {}",
                        path.display()
                    );
                }
            }
        }
        if db.backend == crate::support::Backend::Sqlite {
            assert!(files >= 1, "the database file was scanned");
        }
        // …yet the DPO gets the exact bytes back.
        let request_id: String = requests::table
            .select(requests::id)
            .first(&mut conn)
            .unwrap();
        let meta =
            dsr_tracker::store::proofs::list_for_request(&mut conn, &request_id.as_str().into())
                .unwrap();
        let (meta, sealed) =
            dsr_tracker::store::proofs::load_sealed(&mut conn, &meta[0].id, &meta[0].request_id)
                .unwrap()
                .unwrap();
        let opened = dsr_tracker::security::proofs::open(
            std::slice::from_ref(&*app.state.master_key),
            &meta.request_id,
            &meta.id,
            &sealed,
        )
        .unwrap();
        assert_eq!(opened, pdf(&marker));
    }
);

/// Posts `form` and checks: the expected status, the message shown, and
/// that nothing at all was stored or queued.
async fn assert_refused(
    app: &TestApp,
    db: &TestDb,
    form: Form,
    status: u16,
    message: &str,
) -> String {
    let before = app.count(db);
    let (got, body, _) = app.post_form(form).await;
    assert_eq!(got, status, "{body}");
    assert!(body.contains(message), "expected `{message}` in:\n{body}");
    assert_eq!(app.count(db), before, "something was stored");
    body
}

crate::db_test!(
    bad_inputs_are_refused_clearly_and_store_nothing,
    async |db| {
        let app = TestApp::builder()
            .at(SATURDAY)
            .with_settings(Settings {
                proof_max_file_bytes: Some(64 * 1024),
                proof_max_total_bytes: Some(128 * 1024),
                ..Settings::default()
            })
            .start(&db)
            .await;
        let csrf = app.csrf("/c/issy/").await;

        // Oversized file: a form error, entries kept.
        let mut big = pdf("big");
        big.resize(70 * 1024, b' ');
        let body = assert_refused(
            &app,
            &db,
            app.valid_form(&csrf).part(
                "proof",
                Part::bytes(big)
                    .file_name("big.pdf")
                    .mime_str("application/pdf")
                    .unwrap(),
            ),
            422,
            "Chaque fichier doit faire 64 Ko au plus.",
        )
        .await;
        assert!(
            body.contains("value=\"jeanne.dupont@example.fr\""),
            "entries kept"
        );
        assert!(body.contains("class=\"error-summary\""));

        // A zip renamed .pdf, and HTML sent as image/png.
        assert_refused(
            &app,
            &db,
            app.valid_form(&csrf).part(
                "proof",
                Part::bytes(b"PK\x03\x04zipzipzip".to_vec())
                    .file_name("id.pdf")
                    .mime_str("application/pdf")
                    .unwrap(),
            ),
            422,
            "n&#39;est pas un PDF, un JPEG ou un PNG",
        )
        .await;
        assert_refused(
            &app,
            &db,
            app.valid_form(&csrf).part(
                "proof",
                Part::bytes(b"<html><script>alert(1)</script></html>".to_vec())
                    .file_name("photo.png")
                    .mime_str("image/png")
                    .unwrap(),
            ),
            422,
            "n&#39;est pas un PDF, un JPEG ou un PNG",
        )
        .await;

        // CR/LF in a name field.
        let form = Form::new()
            .text("csrf", csrf.clone())
            .text("lang", "fr")
            .text("kind", "access")
            .text("first_name", "Jeanne\r\nBcc: evil@example.com")
            .text("last_name", "Dupont")
            .text("email", "jeanne@example.fr")
            .text("details", "x");
        assert_refused(&app, &db, form, 422, "retours à la ligne").await;

        // Invalid and 300-character e-mail addresses.
        for (email, message) in [
            ("jeanne@", "adresse électronique valide"),
            (&*format!("{}@example.fr", "a".repeat(289)), "trop longue"),
        ] {
            let form = Form::new()
                .text("csrf", csrf.clone())
                .text("lang", "fr")
                .text("kind", "access")
                .text("first_name", "Jeanne")
                .text("last_name", "Dupont")
                .text("email", email.to_owned())
                .text("details", "x");
            assert_refused(&app, &db, form, 422, message).await;
        }

        // Objection without grounds; unknown kind.
        let form = Form::new()
            .text("csrf", csrf.clone())
            .text("lang", "fr")
            .text("kind", "objection")
            .text("first_name", "Jeanne")
            .text("last_name", "Dupont")
            .text("email", "jeanne@example.fr")
            .text("details", "x")
            .text("grounds", "  ");
        assert_refused(
            &app,
            &db,
            form,
            422,
            "Une opposition doit indiquer vos motifs",
        )
        .await;
        let form = Form::new()
            .text("csrf", csrf.clone())
            .text("lang", "fr")
            .text("kind", "everything")
            .text("first_name", "Jeanne")
            .text("last_name", "Dupont")
            .text("email", "jeanne@example.fr")
            .text("details", "x");
        assert_refused(&app, &db, form, 422, "Ce type de demande n&#39;existe pas").await;

        // A field sent twice.
        let form = app.valid_form(&csrf).text("email", "other@example.fr");
        assert_refused(&app, &db, form, 422, "a été envoyé plusieurs fois").await;

        // English errors in English.
        let form = Form::new()
            .text("csrf", csrf.clone())
            .text("lang", "en")
            .text("kind", "objection")
            .text("first_name", "Jane")
            .text("last_name", "Doe")
            .text("email", "jane@example.org")
            .text("details", "x");
        assert_refused(&app, &db, form, 422, "An objection must state your grounds").await;

        // Missing or wrong CSRF token.
        let form = app.valid_form("forged-token-forged-token-forged-token-xx");
        assert_refused(&app, &db, form, 403, "Le formulaire a expiré").await;

        // Honeypot: looks like success, stores nothing.
        let before = app.count(&db);
        let (status, _, location) = app
            .post_form(
                app.valid_form(&csrf)
                    .text("website_", "")
                    .text("website2", "x"),
            )
            .await;
        assert_eq!(status, 303);
        let _ = location;
        assert_eq!(
            app.count(&db).requests,
            before.requests + 1,
            "a normal submission passes"
        );
        let before = app.count(&db);
        let form = Form::new()
            .text("csrf", csrf.clone())
            .text("lang", "fr")
            .text("kind", "access")
            .text("first_name", "Bot")
            .text("last_name", "Bot")
            .text("email", "bot@example.fr")
            .text("details", "x")
            .text("website", "http://spam.example");
        let (status, _, location) = app.post_form(form).await;
        assert_eq!(status, 303);
        assert_eq!(location.as_deref(), Some("/c/issy/submitted?lang=fr"));
        assert_eq!(app.count(&db), before);

        // Unknown controller slug: 404.
        let (status, body) = app.get("/c/nowhere/").await;
        assert_eq!(status, 404);
        assert!(body.contains("Page introuvable"));

        // A guessed status token gets the same 404 as any unknown page.
        let (status, guessed) = app
            .get("/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
            .await;
        assert_eq!(status, 404);
        let (_, other) = app.get("/s/x").await;
        assert_eq!(guessed, other);
    }
);

crate::db_test!(path_like_file_names_are_only_display_text, async |db| {
    let app = TestApp::builder().at(SATURDAY).start(&db).await;
    let csrf = app.csrf("/c/issy/").await;
    let form = app.valid_form(&csrf).part(
        "proof",
        Part::bytes(pdf("passwd"))
            .file_name("../../etc/passwd")
            .mime_str("application/pdf")
            .unwrap(),
    );
    let (status, body, _) = app.post_form(form).await;
    assert_eq!(status, 303, "{body}");
    let mut conn = db.conn();
    let name: String = identity_proofs::table
        .select(identity_proofs::display_name)
        .first(&mut conn)
        .unwrap();
    assert!(!name.contains('/') && !name.contains(".."), "{name}");
    assert!(!std::path::Path::new("/etc/passwd.pdf").exists());
});

crate::db_test!(script_in_details_is_escaped_everywhere, async |db| {
    let app = TestApp::builder().at(SATURDAY).start(&db).await;
    let csrf = app.csrf("/c/issy/").await;
    let form = Form::new()
        .text("csrf", csrf.clone())
        .text("lang", "fr")
        .text("kind", "access")
        .text("first_name", "<b>Jeanne</b>")
        .text("last_name", "Dupont")
        .text("email", "jeanne@example.fr")
        .text("details", "<script>alert('x')</script>");
    let (status, body, _) = app.post_form(form).await;
    assert_eq!(status, 303, "{body}");
    // The form echo when another field is wrong.
    let form = Form::new()
        .text("csrf", csrf.clone())
        .text("lang", "fr")
        .text("kind", "access")
        .text("first_name", "Jeanne")
        .text("last_name", "")
        .text("email", "jeanne@example.fr")
        .text("details", "<script>alert('x')</script>");
    let (status, body, _) = app.post_form(form).await;
    assert_eq!(status, 422);
    assert!(!body.contains("<script>alert"));
    assert!(body.contains("&#60;script&#62;"));
    // The status page.
    let mails = app
        .smtp
        .wait_for_messages_async(1, Duration::from_secs(20))
        .await;
    let confirm = extract_url(&mails[0].body(), "/c/issy/confirm/").unwrap();
    let res = app.client.get(&confirm).send().await.unwrap();
    let status_path = res.headers()["location"].to_str().unwrap().to_owned();
    let (_, page) = app.get(&status_path).await;
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(page.contains("&#60;script&#62;"));
});

crate::db_test!(expired_confirmation_link_offers_a_new_one, async |db| {
    let app = TestApp::builder().at(SATURDAY).start(&db).await;
    let confirm_path = app.submit_and_read_confirmation().await;
    app.clock.advance(TimeDelta::hours(49));
    let (status, page) = app.get(&confirm_path).await;
    assert_eq!(status, 410);
    assert!(page.contains("a expiré"));
    let mut conn = db.conn();
    let before: store_requests::Request = requests::table
        .select(store_requests::Request::as_select())
        .first(&mut conn)
        .unwrap();
    assert_eq!(before.status.as_str(), "unconfirmed");
    let csrf = extract(&page, "name=\"csrf\" value=\"", "\"").unwrap();
    let res = app
        .client
        .post(format!("{}{confirm_path}/renew", app.base))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let mails = app
        .smtp
        .wait_for_messages_async(2, Duration::from_secs(20))
        .await;
    let fresh = extract_url(&mails[1].body(), "/c/issy/confirm/").unwrap();
    assert_ne!(
        fresh.replace(&app.state.config.public_url, ""),
        confirm_path
    );
    // The old link is dead; the new one confirms.
    let (status, _) = app.get(&confirm_path).await;
    assert_eq!(status, 404);
    let res = app.client.get(&fresh).send().await.unwrap();
    assert_eq!(res.status(), 303);
});

crate::db_test!(submissions_are_rate_limited_per_address, async |db| {
    let app = TestApp::builder()
        .at(SATURDAY)
        .with_settings(Settings {
            submissions_per_hour: Some(2),
            ..Settings::default()
        })
        .start(&db)
        .await;
    let csrf = app.csrf("/c/issy/").await;
    for _ in 0..2 {
        let (status, body, _) = app.post_form(app.valid_form(&csrf)).await;
        assert_eq!(status, 303, "{body}");
    }
    let before = app.count(&db);
    let (status, body, _) = app.post_form(app.valid_form(&csrf)).await;
    assert_eq!(status, 429);
    assert!(body.contains("Trop de demandes"));
    assert!(body.contains("value=\"Jeanne\""), "entries kept");
    assert_eq!(app.count(&db), before);
});

/// Posts a raw body to `path` with the given content type.
async fn post_raw(app: &TestApp, path: &str, content_type: &str, body: Vec<u8>) -> (u16, String) {
    let res = app
        .client
        .post(format!("{}{path}", app.base))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

crate::db_test!(
    a_refused_form_comes_back_with_its_entries_in_its_language,
    async |db| {
        let app = TestApp::builder()
            .at(SATURDAY)
            .with_settings(Settings {
                proof_max_file_bytes: Some(16 * 1024),
                proof_max_total_bytes: Some(32 * 1024),
                ..Settings::default()
            })
            .start(&db)
            .await;
        let csrf = app.csrf("/c/issy/").await;
        let before = app.count(&db);

        // A field's label and its message, with each language's punctuation.
        let form = app.valid_form(&csrf).text("last_name", "");
        let (status, body, _) = app.post_form(form).await;
        assert_eq!(status, 422);
        assert!(body.contains("Nom\u{202f}: "), "{body}");
        let english = Form::new()
            .text("csrf", csrf.clone())
            .text("lang", "en")
            .text("kind", "access")
            .text("first_name", "Jane")
            .text("last_name", "")
            .text("email", "jane@example.org")
            .text("details", "x");
        let (status, body, _) = app.post_form(english).await;
        assert_eq!(status, 422);
        assert!(body.contains("Last name: "), "{body}");
        assert!(!body.contains("Last name :"), "{body}");
        assert!(body.contains("<html lang=\"en\">"));
        assert!(body.contains("value=\"Jane\""), "entries kept");

        // A body far over the limits is not read to the end: the form
        // again, with what came before the file, and the limits in words.
        let mut huge = pdf("huge");
        huge.resize(1200 * 1024, b' ');
        let form = app.valid_form(&csrf).part(
            "proof",
            Part::bytes(huge)
                .file_name("scan.pdf")
                .mime_str("application/pdf")
                .unwrap(),
        );
        let (status, body, _) = app.post_form(form).await;
        assert_eq!(status, 413, "{body}");
        assert!(body.contains("dépasse la taille autorisée"), "{body}");
        assert!(
            body.contains("16 Ko au plus par fichier, 32 Ko au total"),
            "{body}"
        );
        assert!(
            body.contains("value=\"jeanne.dupont@example.fr\""),
            "entries kept"
        );
        assert!(body.contains("id=\"proof-error\""));
        assert!(
            body.contains("choisissez-les de nouveau"),
            "files must be chosen again"
        );

        // Not a multipart body at all.
        let (status, body) = post_raw(
            &app,
            "/c/issy/",
            "application/x-www-form-urlencoded",
            b"first_name=Jeanne".to_vec(),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert!(
            body.contains("<form method=\"post\""),
            "the form again: {body}"
        );
        assert!(body.contains("n&#39;a pas pu être lu"), "{body}");

        // A multipart body cut short: what was read is kept.
        let cut = "--XyZ\r\nContent-Disposition: form-data; name=\"lang\"\r\n\r\nen\r\n\
               --XyZ\r\nContent-Disposition: form-data; name=\"first_name\"\r\n\r\nJane\r\n\
               --XyZ\r\nContent-Disposition: form-data; name=\"last_name\"\r\n\r\nDo";
        let (status, body) = post_raw(
            &app,
            "/c/issy/",
            "multipart/form-data; boundary=XyZ",
            cut.as_bytes().to_vec(),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("value=\"Jane\""), "{body}");
        assert!(body.contains("The form could not be read"), "{body}");

        assert_eq!(app.count(&db), before, "nothing stored");
    }
);

crate::db_test!(status_page_refusals_stay_on_the_status_page, async |db| {
    let app = TestApp::builder().at(SATURDAY).start(&db).await;
    let confirm_path = app.submit_and_read_confirmation().await;
    let res = app
        .client
        .get(format!("{}{confirm_path}", app.base))
        .send()
        .await
        .unwrap();
    let status_path = res.headers()["location"].to_str().unwrap().to_owned();
    let token_path = status_path.split('?').next().unwrap().to_owned();
    let (status, page) = app.get(&status_path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Votre demande est enregistrée."), "{page}");
    let csrf = extract(&page, "name=\"csrf\" value=\"", "\"").unwrap();

    // An answer nobody asked for: refused, the text kept.
    let reply = Form::new()
        .text("csrf", csrf.clone())
        .text("message", "Ma réponse spontanée.");
    let res = app
        .client
        .post(format!("{}{token_path}/reply", app.base))
        .multipart(reply)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let body = res.text().await.unwrap();
    assert!(body.contains("Ma réponse spontanée."), "{body}");
    assert!(body.contains("n&#39;a pas été enregistrée"), "{body}");
    let replies: i64 = request_messages::table
        .count()
        .get_result(&mut db.conn())
        .unwrap();
    assert_eq!(replies, 0);

    // Withdrawal: the box must be ticked; a body that is not the form is
    // refused on the same page.
    let withdraw = format!("{}{token_path}/withdraw", app.base);
    let res = app
        .client
        .post(&withdraw)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("Cochez la case"), "{body}");
    assert!(body.contains("id=\"confirm-error\""), "{body}");
    let (status, body) = post_raw(
        &app,
        &format!("{token_path}/withdraw"),
        "application/json",
        b"{}".to_vec(),
    )
    .await;
    assert!((400..500).contains(&status), "{status}");
    assert!(body.contains("Suivi de votre demande"), "{body}");
    assert!(body.contains("n&#39;a pas pu être lu"), "{body}");

    // Withdrawn; a second withdrawal says why it cannot be.
    let res = app
        .client
        .post(&withdraw)
        .form(&[("csrf", csrf.as_str()), ("confirm", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let res = app
        .client
        .post(&withdraw)
        .form(&[("csrf", csrf.as_str()), ("confirm", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let body = res.text().await.unwrap();
    assert!(body.contains("la demande a été retirée"), "{body}");
    assert!(body.contains("href=\"#status\""), "{body}");

    // A query the page does not understand is not an error.
    let (status, _) = app.get(&format!("{token_path}?notice=a&notice=b")).await;
    assert_eq!(status, 200);
});

crate::db_test!(
    renewing_with_an_expired_form_shows_the_button_again,
    async |db| {
        let app = TestApp::builder().at(SATURDAY).start(&db).await;
        let confirm_path = app.submit_and_read_confirmation().await;
        app.clock.advance(TimeDelta::hours(49));
        let res = app
            .client
            .post(format!("{}{confirm_path}/renew", app.base))
            .form(&[("csrf", "forged-token-forged-token-forged-token-xx")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        let body = res.text().await.unwrap();
        assert!(body.contains("Le formulaire a expiré"), "{body}");
        assert!(body.contains("M&#39;envoyer un nouveau lien"), "{body}");
        let csrf = extract(&body, "name=\"csrf\" value=\"", "\"").unwrap();
        let res = app
            .client
            .post(format!("{}{confirm_path}/renew", app.base))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
);

crate::db_test!(
    a_request_written_in_english_is_followed_in_english,
    async |db| {
        let app = TestApp::builder().at(SATURDAY).start(&db).await;
        let csrf = app.csrf("/c/issy/?lang=en").await;
        let form = app.valid_form(&csrf).text("lang", "en");
        // The field is sent twice: refused, in English.
        let (status, body, _) = app.post_form(form).await;
        assert_eq!(status, 422);
        assert!(body.contains("was sent more than once"), "{body}");
        let form = Form::new()
            .text("csrf", csrf.clone())
            .text("lang", "en")
            .text("kind", "erasure")
            .text("first_name", "Jane")
            .text("last_name", "Doe")
            .text("email", "jane@example.org")
            .text("details", "My canteen records.");
        let (status, body, location) = app.post_form(form).await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(location.as_deref(), Some("/c/issy/submitted?lang=en"));
        let (_, page) = app.get("/c/issy/submitted?lang=en").await;
        assert!(page.contains("valid for 48 hours"), "{page}");
        let mails = app
            .smtp
            .wait_for_messages_async(1, Duration::from_secs(20))
            .await;
        let confirm = extract_url(&mails[0].body(), "/c/issy/confirm/").unwrap();
        let res = app.client.get(&confirm).send().await.unwrap();
        let status_path = res.headers()["location"].to_str().unwrap().to_owned();
        // No `?lang=`, no Accept-Language: the language she wrote in.
        let (status, page) = app.get(&status_path).await;
        assert_eq!(status, 200);
        assert!(page.contains("<html lang=\"en\">"), "{page}");
        assert!(page.contains("Your request is registered."), "{page}");
        assert!(page.contains("Received: we are checking your request."));
        assert!(page.contains("Right to erasure"));
        // …and French when asked.
        let token_path = status_path.split('?').next().unwrap();
        let (_, page) = app.get(&format!("{token_path}?lang=fr")).await;
        assert!(page.contains("Reçue\u{202f}: nous vérifions votre demande."));
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pseudo_language_reaches_every_word_of_the_form() {
    let db = TestDb::sqlite();
    let app = TestApp::builder().at(SATURDAY).start(&db).await;
    let (status, page) = app.get("/c/issy/?lang=x-pseudo").await;
    assert_eq!(status, 200);
    assert!(page.contains("Éxérçísé ýóúr ríghts"), "{page}");
    assert!(!page.contains("Exercise your rights"));
    assert!(page.contains("action=\"/c/issy/?lang=x-pseudo\""), "{page}");
    let csrf = extract(&page, "name=\"csrf\" value=\"", "\"").unwrap();
    let form = Form::new()
        .text("csrf", csrf)
        .text("lang", "x-pseudo")
        .text("first_name", "Jane");
    let res = app
        .client
        .post(format!("{}/c/issy/?lang=x-pseudo", app.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("Théré ís á próblém wíth thé fórm"), "{body}");
    assert!(
        body.contains("Çhóósé thé ríght ýóú wáñt tó éxérçísé."),
        "{body}"
    );
    assert!(body.contains("value=\"Jane\""));
}
