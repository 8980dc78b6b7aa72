//! Requests received by post or e-mail, registered on the desk, through
//! the real server on both backends: the due date counts from the real
//! receipt date, a suspension moves it by its length, an extension is
//! accepted inside the first month and refused after it; the e-mail
//! acknowledgment reaches the SMTP listener, the printable letter is scoped
//! and audited, and every bad input writes nothing.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use dsr_tracker::db::schema::{events, identity_proofs, outbox, requests};
use dsr_tracker::domain::ids::RequestId;

use crate::support::desk::{
    DPO_ISSY, DPO_VANVES, VIEWER_ISSY, events_named, field_value, reload, staff_id,
};
use crate::support::{TestApp, TestDb};

pub fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n% courrier\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
        .to_vec()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A multipart registration form: `fields`, then the files. A form the
/// page would have issued: with a fresh one-time id unless `fields` has
/// one (see `desk_register_once`).
pub fn form(fields: &[(&str, &str)], files: &[(&str, Vec<u8>)]) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new();
    if !fields.iter().any(|(name, _)| *name == "form_id") {
        form = form.text("form_id", dsr_tracker::security::keys::new_token());
    }
    for (name, value) in fields {
        form = form.text((*name).to_owned(), (*value).to_owned());
    }
    for (file_name, bytes) in files {
        form = form.part(
            "files",
            reqwest::multipart::Part::bytes(bytes.clone()).file_name((*file_name).to_owned()),
        );
    }
    form
}

/// A complete letter received on 9 February 2026, for Issy.
pub fn letter_fields<'a>(csrf: &'a str, issy: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("lang", "fr"),
        ("controller", issy),
        ("channel", "post"),
        ("kind", "access"),
        ("received_on", "2026-02-09"),
        ("first_name", "Jeanne"),
        ("last_name", "Dupont"),
        ("email", ""),
        (
            "postal_address",
            "12 rue de l'Église\n92130 Issy-les-Moulineaux",
        ),
        ("locale", "fr"),
        ("details", "Copie de mes données d'état civil."),
        ("grounds", ""),
    ]
}

/// `fields` with `name` set to `value`.
pub fn with<'a>(
    mut fields: Vec<(&'a str, &'a str)>,
    name: &'a str,
    value: &'a str,
) -> Vec<(&'a str, &'a str)> {
    for f in fields.iter_mut() {
        if f.0 == name {
            f.1 = value;
        }
    }
    fields
}

/// The id of the request a registration redirected to.
pub fn registered_id(location: &str) -> RequestId {
    let rest = location
        .strip_prefix("/desk/requests/")
        .unwrap_or_else(|| panic!("{location}"));
    let (id, query) = rest.split_once('?').unwrap();
    assert!(query.starts_with("notice=registered"), "{location}");
    id.into()
}

/// Rows that a refused registration must leave untouched (opening a
/// request page is recorded, `request.viewed`, and is not a write of the
/// registration's).
pub fn counts(db: &TestDb) -> (i64, i64, i64, i64) {
    let mut conn = db.conn();
    (
        requests::table.count().get_result(&mut conn).unwrap(),
        events::table
            .filter(events::action.ne("request.viewed"))
            .count()
            .get_result(&mut conn)
            .unwrap(),
        identity_proofs::table
            .count()
            .get_result(&mut conn)
            .unwrap(),
        outbox::table.count().get_result(&mut conn).unwrap(),
    )
}

/// A bad registration: fields, files, expected status, the field in
/// error ("" for none) and the message.
type Case<'a> = (
    Vec<(&'a str, &'a str)>,
    Vec<(&'a str, Vec<u8>)>,
    u16,
    &'a str,
    &'a str,
);

/// The queue row of `reference`.
fn queue_row<'a>(body: &'a str, reference: &str) -> &'a str {
    let at = body
        .find(&format!(">{reference}</a>"))
        .unwrap_or_else(|| panic!("{reference} not in the queue"));
    let end = body[at..].find("</tr>").unwrap() + at;
    &body[at..end]
}

crate::db_test!(
    a_postal_request_with_a_past_receipt_date_keeps_its_legal_deadline,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let dpo = app.login(DPO_ISSY).await;

        let queue = dpo.get("/desk/queue").await;
        assert!(queue.body.contains("href=\"/desk/requests/new?lang=fr\""));
        assert!(
            queue
                .body
                .contains("Enregistrer une demande reçue par courrier postal ou électronique")
        );
        let page = dpo.get("/desk/requests/new").await;
        assert_eq!(page.status, 200, "{}", page.body);
        // One controller in scope: preselected; today (in Paris) by default.
        assert!(
            page.body
                .contains(&format!("<option value=\"{}\" selected>", app.issy.id))
        );
        assert!(!page.body.contains(&*app.vanves.id));
        assert_eq!(
            field_value(&page.body, "received_on").as_deref(),
            Some("2026-03-02")
        );

        let fields = letter_fields(&dpo.csrf, &app.issy.id);
        let a = dpo
            .post_multipart(
                "/desk/requests/new",
                form(&fields, &[("courrier.pdf", pdf())]),
            )
            .await;
        assert_eq!(a.status, 303, "{}", a.body);
        let id = registered_id(a.location.as_deref().unwrap());

        let r = reload(&db, &id);
        assert_eq!(r.reference.as_deref(), Some("ISSY-2026-0001"));
        assert_eq!(r.channel.as_str(), "post");
        assert_eq!(r.status.as_str(), "received");
        assert_eq!(r.email, None);
        // The start of 9 February in Paris (UTC+1).
        assert_eq!(
            r.received_at,
            Some(date(2026, 2, 8).and_hms_opt(23, 0, 0).unwrap())
        );
        assert_eq!(
            r.submitted_at,
            NaiveDateTime::parse_from_str("2026-03-02 08:00:00", "%Y-%m-%d %H:%M:%S").unwrap()
        );
        // One month from 9 February: Monday 9 March, a working day.
        assert_eq!(r.due_on, Some(date(2026, 3, 9)));
        let uploaded: Vec<String> = identity_proofs::table
            .filter(identity_proofs::request_id.eq(&id))
            .select(identity_proofs::uploaded_by)
            .load(&mut db.conn())
            .unwrap();
        assert_eq!(uploaded, ["staff"]);
        let registered = events_named(&db, "request.registered");
        assert_eq!(registered.len(), 1);
        assert_eq!(
            registered[0].actor_id.as_deref(),
            Some(staff_id(&db, DPO_ISSY).as_str())
        );
        assert_eq!(registered[0].request_id.as_deref(), Some(id.as_str()));
        assert_eq!(
            registered[0].detail,
            "kind=access channel=post received_on=2026-02-09 proofs=1"
        );

        let page = dpo
            .get(&format!("/desk/requests/{id}?notice=registered"))
            .await;
        assert!(page.body.contains("Demande enregistrée."));
        assert!(page.body.contains("lundi 9 mars 2026"));
        assert!(page.body.contains("Courrier postal"));
        assert!(page.body.contains("Demande enregistrée par le DPO"));
        // No e-mail address: the letter only.
        assert!(
            !page
                .body
                .contains(&format!("/desk/requests/{id}/acknowledge"))
        );
        assert!(
            page.body
                .contains("imprimez la lettre d&#39;accusé de réception")
        );
        // Sent anyway (a stale page): refused, with the way back.
        let a = dpo
            .post(
                &format!("/desk/requests/{id}/acknowledge"),
                &[("csrf", &dpo.csrf)],
            )
            .await;
        assert_eq!(a.status, 409, "{}", a.body);
        assert!(a.body.contains("rien n&#39;a été envoyé"), "{}", a.body);
        assert!(
            a.body
                .contains(&format!("href=\"/desk/requests/{id}?lang=fr\"")),
            "{}",
            a.body
        );
        assert!(events_named(&db, "request.acknowledged").is_empty());
        assert!(
            page.body
                .contains(&format!("/desk/requests/{id}/letter?lang=fr"))
        );
        let queue = dpo.get("/desk/queue").await;
        let row = queue_row(&queue.body, "ISSY-2026-0001");
        assert!(row.contains("7 j"), "{row}");
        assert!(row.contains("Courrier postal"), "{row}");

        // Ask for information on 2 March, the answer comes 3 days later.
        dpo.act_ok(
            &id,
            "request_information",
            r.version,
            &[(
                "message",
                "Merci de joindre une copie de votre pièce d'identité.",
            )],
        )
        .await;
        app.clock.advance(TimeDelta::days(3));
        // Three days idle end any session: the DPO signs in again.
        let dpo = app.login(DPO_ISSY).await;
        dpo.act_ok(&id, "resume_clock", reload(&db, &id).version, &[])
            .await;
        let r = reload(&db, &id);
        assert_eq!(r.due_on, Some(date(2026, 3, 9) + TimeDelta::days(3)));
        let page = dpo.get(&format!("/desk/requests/{id}")).await;
        assert!(page.body.contains("jeudi 12 mars 2026"));

        // 5 March is inside the first month (which the suspension moved to
        // 12 March): one more month, from 9 April + 3 days = Sunday 12
        // April, rolled to Monday 13 April.
        dpo.act_ok(
            &id,
            "extend",
            r.version,
            &[
                ("months", "1"),
                ("reason", "Données réparties entre plusieurs services."),
            ],
        )
        .await;
        let r = reload(&db, &id);
        assert_eq!(r.extension_months, 1);
        assert_eq!(r.due_on, Some(date(2026, 4, 13)));
        let page = dpo.get(&format!("/desk/requests/{id}")).await;
        assert!(page.body.contains("lundi 13 avril 2026"));
        crate::support::desk::assert_chain_intact(&db);
    }
);

crate::db_test!(
    an_e_mail_request_received_over_a_month_ago_is_acknowledged_and_cannot_be_extended,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let dpo = app.login(DPO_ISSY).await;
        let fields = letter_fields(&dpo.csrf, &app.issy.id);
        let fields = with(fields, "channel", "email");
        let fields = with(fields, "email", "john.smith@example.org");
        let fields = with(fields, "postal_address", "");
        let fields = with(fields, "locale", "en");
        let fields = with(fields, "received_on", "20/01/2026");
        let a = dpo
            .post_multipart("/desk/requests/new", form(&fields, &[]))
            .await;
        assert_eq!(a.status, 303, "{}", a.body);
        let id = registered_id(a.location.as_deref().unwrap());
        let r = reload(&db, &id);
        assert_eq!(r.channel.as_str(), "email");
        assert_eq!(r.locale.as_str(), "en");
        // 20 February 2026 is a Friday: already overdue on 2 March.
        assert_eq!(r.due_on, Some(date(2026, 2, 20)));
        let queue = dpo.get("/desk/queue").await;
        let row = queue_row(&queue.body, r.reference.as_deref().unwrap());
        assert!(row.contains("overdue"), "{row}");

        // The first month ended on 20 February: too late to extend.
        let a = dpo
            .act(
                &id,
                "extend",
                r.version,
                &[("months", "2"), ("reason", "Complexe.")],
            )
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert!(
        a.body.contains("Le premier mois a pris fin le vendredi 20 février 2026\u{202f}: il est trop tard pour prolonger le délai."),
        "{}",
        a.body
    );
        let after = reload(&db, &id);
        assert_eq!(after.extension_months, 0);
        assert_eq!(after.due_on, Some(date(2026, 2, 20)));
        assert_eq!(after.version, r.version);

        // The acknowledgment by e-mail, in the citizen's language.
        let page = dpo.get(&format!("/desk/requests/{id}?lang=en")).await;
        let action = format!("/desk/requests/{id}/acknowledge?lang=en");
        assert!(
            page.body.contains(&format!("action=\"{action}\"")),
            "{}",
            page.body
        );
        assert!(page.body.contains("Send the acknowledgment by e-mail"));
        let a = dpo.post(&action, &[("csrf", &dpo.csrf)]).await;
        assert_eq!(a.status, 303, "{}", a.body);
        assert_eq!(
            a.location.as_deref(),
            Some(format!("/desk/requests/{id}?notice=acknowledged&lang=en").as_str())
        );
        let mails = app.mails(1).await;
        assert_eq!(mails[0].rcpt_to, ["john.smith@example.org"]);
        let parsed = mails[0].parsed();
        let reference = r.reference.clone().unwrap();
        assert_eq!(
            parsed.subject(),
            Some(format!("Acknowledgment of your request {reference}").as_str())
        );
        let body = parsed.body_text(0).unwrap();
        assert!(
            body.contains(&format!("under the reference {reference}")),
            "{body}"
        );
        assert!(
            body.contains("Received on: Tuesday 20 January 2026"),
            "{body}"
        );
        assert!(
            body.contains("Answer due by: Friday 20 February 2026"),
            "{body}"
        );
        assert!(body.contains("by e-mail"), "{body}");
        assert!(body.contains("CNIL"), "{body}");

        // Sending twice is allowed, and both show in the timeline.
        let a = dpo.post(&action, &[("csrf", &dpo.csrf)]).await;
        assert_eq!(a.status, 303, "{}", a.body);
        app.mails(2).await;
        let acked = events_named(&db, "request.acknowledged");
        assert_eq!(acked.len(), 2);
        assert!(
            acked.iter().all(
                |e| e.detail == "channel=email" && e.request_id.as_deref() == Some(id.as_str())
            )
        );
        let page = dpo
            .get(&format!("/desk/requests/{id}?notice=acknowledged&lang=en"))
            .await;
        assert!(page.body.contains("Acknowledgment sent by e-mail."));
        assert_eq!(
            page.body
                .matches("<td>Acknowledgment sent by e-mail</td>")
                .count(),
            2
        );

        // A wrong token sends nothing.
        let before = counts(&db);
        let a = dpo.post(&action, &[("csrf", "forged")]).await;
        assert_eq!(a.status, 403, "{}", a.body);
        assert_eq!(counts(&db), before);
        // It says so in the page's language, with the way back.
        assert!(a.body.contains("<html lang=\"en\">"), "{}", a.body);
        assert!(a.body.contains("no acknowledgment was sent"), "{}", a.body);
        assert!(
            a.body
                .contains(&format!("href=\"/desk/requests/{id}?lang=en\"")),
            "{}",
            a.body
        );
        crate::support::desk::assert_chain_intact(&db);
    }
);

crate::db_test!(
    the_acknowledgment_letter_is_printable_scoped_and_audited,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let dpo = app.login(DPO_ISSY).await;
        let fields = letter_fields(&dpo.csrf, &app.issy.id);
        let a = dpo
            .post_multipart("/desk/requests/new", form(&fields, &[]))
            .await;
        assert_eq!(a.status, 303, "{}", a.body);
        let id = registered_id(a.location.as_deref().unwrap());
        let letter_url = format!("/desk/requests/{id}/letter");

        let letter = dpo.get(&letter_url).await;
        assert_eq!(letter.status, 200, "{}", letter.body);
        assert!(letter.body.contains("<html lang=\"fr\">"));
        assert!(letter.body.contains("Jeanne Dupont"));
        assert!(
            letter
                .body
                .contains("12 rue de l&#39;Église\n92130 Issy-les-Moulineaux")
        );
        assert!(letter.body.contains("Ville d&#39;Issy-les-Moulineaux"));
        assert!(letter.body.contains("ISSY-2026-0001"));
        assert!(letter.body.contains("lundi 9 février 2026"));
        assert!(letter.body.contains("lundi 9 mars 2026"));
        assert!(letter.body.contains("Le lundi 2 mars 2026"));
        assert!(letter.body.contains("CNIL"));
        assert!(
            letter
                .body
                .contains("Droit d&#39;accès (article 15 du RGPD)")
        );
        assert!(letter.body.contains("dpo@issy.example.fr"));
        let viewed = events_named(&db, "request.acknowledgment_letter_viewed");
        assert_eq!(viewed.len(), 1);
        assert_eq!(viewed[0].detail, "channel=post");
        assert_eq!(
            viewed[0].actor_id.as_deref(),
            Some(staff_id(&db, DPO_ISSY).as_str())
        );

        // Another city's DPO: the same 404 as an unknown id, on the record.
        let vanves = app.login(DPO_VANVES).await;
        let before = events_named(&db, "desk.out_of_scope_access").len();
        let a = vanves.get(&letter_url).await;
        assert_eq!(a.status, 404);
        assert!(!a.body.contains("Dupont"));
        let attempts = events_named(&db, "desk.out_of_scope_access");
        assert_eq!(attempts.len(), before + 1);
        let last = attempts.last().unwrap();
        assert_eq!(last.request_id.as_deref(), Some(id.as_str()));
        assert_eq!(
            last.actor_id.as_deref(),
            Some(staff_id(&db, DPO_VANVES).as_str())
        );
        assert_eq!(
            events_named(&db, "request.acknowledgment_letter_viewed").len(),
            1
        );
        let a = vanves
            .post(
                &format!("/desk/requests/{id}/acknowledge"),
                &[("csrf", &vanves.csrf)],
            )
            .await;
        assert_eq!(a.status, 404);
        let attempts = events_named(&db, "desk.request_out_of_scope");
        assert_eq!(attempts.len(), 1);
        assert_eq!(attempts[0].detail, "action=acknowledge");
        assert_eq!(events_named(&db, "request.acknowledged").len(), 0);

        // English letter for an English-speaking citizen.
        let fields = with(letter_fields(&dpo.csrf, &app.issy.id), "locale", "en");
        let a = dpo
            .post_multipart("/desk/requests/new", form(&fields, &[]))
            .await;
        let id = registered_id(a.location.as_deref().unwrap());
        let letter = dpo.get(&format!("/desk/requests/{id}/letter")).await;
        assert!(letter.body.contains("<html lang=\"en\">"));
        assert!(letter.body.contains("Answer due by"));
        assert!(letter.body.contains("Monday 9 March 2026"));
        assert!(letter.body.contains("Right of access (GDPR article 15)"));
        crate::support::desk::assert_chain_intact(&db);
    }
);

crate::db_test!(a_viewer_cannot_register_nor_acknowledge, async |db| {
    let app = TestApp::builder().start(&db).await;
    let request = app.new_request(
        &db,
        &app.issy,
        dsr_tracker::domain::request::RequestKind::Access,
    );
    let viewer = app.login(VIEWER_ISSY).await;
    let queue = viewer.get("/desk/queue").await;
    assert_eq!(queue.status, 200);
    assert!(!queue.body.contains("/desk/requests/new"));
    let a = viewer.get("/desk/requests/new").await;
    assert_eq!(a.status, 403);
    let before = counts(&db);
    let fields = letter_fields(&viewer.csrf, &app.issy.id);
    let a = viewer
        .post_multipart(
            "/desk/requests/new",
            form(&fields, &[("courrier.pdf", pdf())]),
        )
        .await;
    assert_eq!(a.status, 403, "{}", a.body);
    let a = viewer
        .post(
            &format!("/desk/requests/{}/acknowledge", request.id),
            &[("csrf", &viewer.csrf)],
        )
        .await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert_eq!(counts(&db), before);
    // Reading the letter is reading the request: allowed, and audited.
    let page = viewer.get(&format!("/desk/requests/{}", request.id)).await;
    assert!(!page.body.contains("/acknowledge"));
    let a = viewer
        .get(&format!("/desk/requests/{}/letter", request.id))
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(
        events_named(&db, "request.acknowledgment_letter_viewed").len(),
        1
    );
});

crate::db_test!(
    every_bad_registration_is_refused_and_writes_nothing,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let dpo = app.login(DPO_ISSY).await;
        let issy = app.issy.id.clone();
        let good = letter_fields(&dpo.csrf, &issy);
        let before = counts(&db);

        // (fields, files, status, field in error, message)
        let cases: Vec<Case<'_>> = vec![
            (
                with(good.clone(), "received_on", "2026-03-03"),
                vec![],
                422,
                "received_on",
                "La date de réception ne peut pas être dans le futur\u{202f}: aujourd&#39;hui, nous sommes le lundi 2 mars 2026.",
            ),
            (
                with(good.clone(), "received_on", "2025-02-09"),
                vec![],
                422,
                "received_on",
                "Date la plus ancienne acceptée\u{202f}: dimanche 2 mars 2025.",
            ),
            (
                with(good.clone(), "received_on", "31/02/2026"),
                vec![],
                422,
                "received_on",
                "n&#39;est pas une date valide",
            ),
            (
                with(good.clone(), "postal_address", ""),
                vec![],
                422,
                "postal_address",
                "Indiquez une adresse postale ou une adresse électronique",
            ),
            (
                with(with(good.clone(), "channel", "email"), "email", ""),
                vec![],
                422,
                "email",
                "Une demande reçue par courrier électronique doit indiquer l&#39;adresse électronique de la personne.",
            ),
            (
                with(good.clone(), "email", "pas-une-adresse"),
                vec![],
                422,
                "email",
                "Indiquez une adresse électronique valide",
            ),
            (
                with(good.clone(), "channel", "web"),
                vec![],
                422,
                "channel",
                "Indiquez si la demande est arrivée par courrier postal ou par courrier électronique.",
            ),
            (
                with(good.clone(), "controller", &app.vanves.id),
                vec![],
                422,
                "controller",
                "Choisissez le responsable de traitement dans la liste.",
            ),
            (
                with(good.clone(), "kind", "objection"),
                vec![],
                422,
                "grounds",
                "Une opposition doit indiquer les motifs de la personne",
            ),
            (
                with(good.clone(), "details", "  "),
                vec![],
                422,
                "details",
                "Décrivez la demande",
            ),
            (
                good.clone(),
                vec![("lettre.pdf", b"MZ\x90\x00 not a pdf".to_vec())],
                422,
                "files",
                "Le fichier «\u{202f}lettre.pdf\u{202f}» n&#39;est pas un PDF, un JPEG ou un PNG.",
            ),
            (
                with(good.clone(), "csrf", ""),
                vec![("courrier.pdf", pdf())],
                403,
                "",
                "Le formulaire a expiré ou ne provient pas de cette page\u{202f}: rien n&#39;a été enregistré.",
            ),
            (
                with(good.clone(), "csrf", "forged-token"),
                vec![],
                403,
                "",
                "Le formulaire a expiré ou ne provient pas de cette page\u{202f}: rien n&#39;a été enregistré.",
            ),
        ];
        for (fields, files, status, field, message) in cases {
            let had_files = !files.is_empty();
            let a = dpo
                .post_multipart("/desk/requests/new", form(&fields, &files))
                .await;
            assert_eq!(a.status, status, "{message}: {}", a.body);
            assert!(a.body.contains(message), "{message}: {}", a.body);
            if !field.is_empty() {
                assert!(
                    a.body.contains(&format!("id=\"{field}-error\"")),
                    "{field}: {}",
                    a.body
                );
                assert!(a.body.contains(&format!("href=\"#{field}\"")), "{field}");
            }
            // What was typed is kept; files must be chosen again.
            assert!(a.body.contains("value=\"Jeanne\""), "{message}");
            if field != "details" {
                assert!(
                    a.body.contains("Copie de mes données d&#39;état civil."),
                    "{message}"
                );
            }
            assert_eq!(
                a.body
                    .contains("les fichiers choisis n&#39;ont pas été conservés"),
                had_files,
                "{message}"
            );
            assert_eq!(counts(&db), before, "{message}");
        }

        // In English when the desk is used in English.
        let fields = with(
            with(good.clone(), "lang", "en"),
            "received_on",
            "2027-01-01",
        );
        let a = dpo
            .post_multipart("/desk/requests/new?lang=en", form(&fields, &[]))
            .await;
        assert_eq!(a.status, 422);
        assert!(a.body.contains(
            "The date of receipt cannot be in the future: today is Monday 2 March 2026."
        ));
        assert_eq!(counts(&db), before);
        // A field's label and its message, with English punctuation.
        let fields = with(
            with(good.clone(), "lang", "en"),
            "first_name",
            "Jean\u{7}ne",
        );
        let a = dpo
            .post_multipart("/desk/requests/new?lang=en", form(&fields, &[]))
            .await;
        assert_eq!(a.status, 422);
        assert!(a.body.contains("First name: "), "{}", a.body);
        assert!(!a.body.contains(" : "), "{}", a.body);
        assert_eq!(counts(&db), before);

        // And the good form still goes through.
        let a = dpo
            .post_multipart("/desk/requests/new", form(&good, &[]))
            .await;
        assert_eq!(a.status, 303, "{}", a.body);
    }
);

crate::db_test!(
    an_administrator_of_every_city_chooses_the_controller,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let admin = app.login(crate::support::desk::ADMIN).await;
        let page = admin.get("/desk/requests/new?lang=en").await;
        assert_eq!(page.status, 200, "{}", page.body);
        // Two controllers: both offered, none chosen for the admin.
        assert!(
            page.body
                .contains(&format!("<option value=\"{}\">", app.issy.id))
        );
        assert!(
            page.body
                .contains(&format!("<option value=\"{}\">", app.vanves.id))
        );
        assert!(
            page.body
                .contains("Register a request received by post or e-mail")
        );

        let before = counts(&db);
        let fields = with(letter_fields(&admin.csrf, ""), "lang", "en");
        let a = admin
            .post_multipart("/desk/requests/new?lang=en", form(&fields, &[]))
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert!(a.body.contains("Choose the controller from the list."));
        assert_eq!(counts(&db), before);

        let fields = with(letter_fields(&admin.csrf, &app.vanves.id), "lang", "en");
        let a = admin
            .post_multipart("/desk/requests/new?lang=en", form(&fields, &[]))
            .await;
        assert_eq!(a.status, 303, "{}", a.body);
        let id = registered_id(a.location.as_deref().unwrap());
        let r = reload(&db, &id);
        assert_eq!(r.controller_id, app.vanves.id);
        assert_eq!(r.reference.as_deref(), Some("VAN-2026-0001"));
        let page = admin
            .get(&format!("/desk/requests/{id}?notice=registered&lang=en"))
            .await;
        assert!(page.body.contains("Request registered."));
        assert!(page.body.contains("Request registered by the DPO"));

        // The Vanves DPO finds it in the queue; Issy's does not.
        let vanves = app.login(DPO_VANVES).await;
        assert!(
            vanves
                .get("/desk/queue")
                .await
                .body
                .contains("VAN-2026-0001")
        );
        let issy = app.login(DPO_ISSY).await;
        assert!(!issy.get("/desk/queue").await.body.contains("VAN-2026-0001"));
    }
);

crate::db_test!(
    an_unreadable_form_comes_back_blank_with_a_message,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let dpo = app.login(DPO_ISSY).await;
        let before = counts(&db);
        // A multipart body cut off in the middle of a part.
        let body = format!(
            "--cut\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n--cut\r\nContent-Disposition: form-data; name=\"first_name\"\r\n\r\nJea",
            dpo.csrf
        );
        let res = dpo
            .client
            .post(format!("{}/desk/requests/new?lang=en", dpo.base))
            .header("content-type", "multipart/form-data; boundary=cut")
            .body(body)
            .send()
            .await
            .unwrap();
        let a = crate::support::desk::Answer::read(res).await;
        assert_eq!(a.status, 400, "{}", a.body);
        assert!(a.body.contains("<html lang=\"en\">"), "{}", a.body);
        assert!(a.body.contains("The form could not be read"), "{}", a.body);
        // The form itself, ready to be filled in again.
        assert!(
            a.body.contains("action=\"/desk/requests/new?lang=en\""),
            "{}",
            a.body
        );
        assert!(field_value(&a.body, "form_id").is_some_and(|id| id.len() >= 16));
        assert_eq!(counts(&db), before);
    }
);
