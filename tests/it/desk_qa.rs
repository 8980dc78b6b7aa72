//! What a walk through the desk in a real browser turned up: the request
//! page is read before it is acted on, so what the citizen sent (messages,
//! identity proofs) comes before the action forms; an extension of one
//! month reads "1 month" in English; a controller form sent without its
//! identifier says the field is required; an answer refused for its
//! placeholders comes back with its line breaks; the home page says how
//! many requests are overdue, due this week and open.

use chrono::NaiveDate;
use dsr_tracker::domain::request::RequestKind;
use dsr_tracker::domain::values::Locale;

use crate::support::TestApp;
use crate::support::desk::{ADMIN, DPO_ISSY, insert_request, reload};

crate::db_test!(
    request_page_shows_proofs_and_messages_before_actions,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let request = app.new_request(&db, &app.issy, RequestKind::Access);
        let dpo = app.login(DPO_ISSY).await;
        for lang in ["", "?lang=en"] {
            let page = dpo
                .page(&format!("/desk/requests/{}{lang}", request.id))
                .await;
            let at = |needle: &str| {
                page.find(needle)
                    .unwrap_or_else(|| panic!("{needle} missing\n{page}"))
            };
            let actions = at("<section id=\"actions\">");
            assert!(at("id=\"messages-title\"") < actions, "{page}");
            assert!(at("id=\"proofs-title\"") < actions, "{page}");
            // The first action a DPO takes on a new request, after reading.
            assert!(actions < at("/actions/accept_identity"), "{page}");
        }
    }
);

crate::db_test!(one_month_extension_is_singular_in_english, async |db| {
    let app = TestApp::builder().start(&db).await;
    let one = app.new_request(&db, &app.issy, RequestKind::Erasure);
    let two = app.new_request(&db, &app.issy, RequestKind::Erasure);
    let dpo = app.login(DPO_ISSY).await;
    for (r, months) in [(&one, "1"), (&two, "2")] {
        let version = reload(&db, &r.id).version;
        dpo.act_ok(
            &r.id,
            "extend",
            version,
            &[("months", months), ("reason", "Volume")],
        )
        .await;
    }
    let en = dpo
        .page(&format!("/desk/requests/{}?lang=en", one.id))
        .await;
    assert!(en.contains("<dd>1 month — Volume ("), "{en}");
    assert!(!en.contains("1 months"), "{en}");
    let en = dpo
        .page(&format!("/desk/requests/{}?lang=en", two.id))
        .await;
    assert!(en.contains("<dd>2 months — Volume ("), "{en}");
    let fr = dpo.page(&format!("/desk/requests/{}", one.id)).await;
    assert!(fr.contains("<dd>1 mois — Volume ("), "{fr}");
});

crate::db_test!(empty_controller_identifier_is_required, async |db| {
    let app = TestApp::builder().start(&db).await;
    let admin = app.login(ADMIN).await;
    for (lang, expected, not) in [
        (
            "",
            "Identifiant dans l&#39;adresse du formulaire\u{202f}: ce champ est obligatoire.",
            "identifiant ``",
        ),
        (
            "?lang=en",
            "Identifier in the form&#39;s address: this field is required.",
            "invalid slug ``",
        ),
    ] {
        let a = admin
            .post(
                &format!("/desk/controllers/new{lang}"),
                &[
                    ("csrf", admin.csrf.as_str()),
                    ("c_name", "Ville de Malakoff"),
                    ("c_slug", ""),
                    ("c_dpo_email", "dpo@malakoff.example.fr"),
                    ("c_time_zone", "Europe/Paris"),
                    ("c_locale", "fr"),
                ],
            )
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert!(a.body.contains(expected), "{}", a.body);
        assert!(!a.body.contains(not), "{}", a.body);
        // The other entries are kept.
        assert!(a.body.contains("value=\"Ville de Malakoff\""), "{}", a.body);
    }
});

crate::db_test!(
    a_refused_answer_is_given_back_with_its_line_breaks,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let r = app.new_request(&db, &app.issy, RequestKind::Access);
        let dpo = app.login(DPO_ISSY).await;
        dpo.act_ok(&r.id, "accept_identity", 0, &[]).await;
        let answer = "1. Finalités\n[À compléter : les finalités]\n\n2. Catégories";
        let a = dpo
            .act(
                &r.id,
                "close",
                reload(&db, &r.id).version,
                &[("outcome", "granted"), ("answer", answer)],
            )
            .await;
        assert!(a.status >= 400, "{}", a.body);
        // The text comes back as typed, in its field, lines kept.
        assert!(
            a.body.contains(
                ">1. Finalités\n[À compléter : les finalités]\n\n2. Catégories</textarea>"
            ),
            "{}",
            a.body
        );
        assert_eq!(reload(&db, &r.id).status.as_str(), "in_progress");
    }
);

crate::db_test!(
    home_page_counts_the_workload_with_links_to_the_queue,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let at = |y, m, d| {
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap()
        };
        // Today is Monday 2 March 2026. Received 20 January: due 20
        // February, overdue. Received 5 February: due Thursday 5 March,
        // within 7 days. Received today: open, due in April. Vanves's
        // overdue request is not the Issy DPO's.
        for (controller, received, reference) in [
            (&app.issy, at(2026, 1, 20), "ISSY-2026-0901"),
            (&app.issy, at(2026, 2, 5), "ISSY-2026-0902"),
            (&app.issy, at(2026, 3, 2), "ISSY-2026-0903"),
            (&app.vanves, at(2026, 1, 20), "VAN-2026-0901"),
        ] {
            insert_request(
                &db,
                controller,
                RequestKind::Access,
                Locale::Fr,
                received,
                reference,
            );
        }
        let dpo = app.login(DPO_ISSY).await;
        let home = dpo.page("/desk/").await;
        for (n, label, href) in [
            (1, "demande en retard", "/desk/queue?lang=fr&#38;overdue=1"),
            (
                1,
                "demande à échéance dans 7 jours ou moins",
                "/desk/queue?lang=fr&#38;due_within_7=1",
            ),
            (3, "demandes en cours en tout", "/desk/queue?lang=fr"),
        ] {
            let item = format!("<a href=\"{href}\"><strong>{n}</strong> {label}</a>");
            assert!(home.contains(&item), "{item}\n{home}");
            // The figure is the length of the list its link opens.
            let queue = dpo.page(&href.replace("&#38;", "&")).await;
            assert_eq!(queue.matches("<th scope=\"row\">").count(), n, "{href}");
        }
        let en = dpo.page("/desk/?lang=en").await;
        assert!(
            en.contains(
                "<a href=\"/desk/queue?lang=en&#38;overdue=1\"><strong>1</strong> overdue</a>"
            ),
            "{en}"
        );
        assert!(
            en.contains("<strong>3</strong> open requests in all</a>"),
            "{en}"
        );
    }
);

crate::db_test!(
    a_request_without_e_mail_says_nothing_is_mailed_and_mails_nothing,
    async |db| {
        use diesel::prelude::*;
        use dsr_tracker::db::schema::{outbox, request_messages, requests};
        let app = TestApp::builder().start(&db).await;
        let request = app.new_request(&db, &app.issy, RequestKind::Access);
        diesel::update(requests::table.find(&request.id))
            .set((
                requests::email.eq(None::<String>),
                requests::postal_address.eq(Some("1 rue de la Paix\n92130 Issy")),
            ))
            .execute(&mut db.conn())
            .unwrap();
        let dpo = app.login(DPO_ISSY).await;
        let fr = dpo.page(&format!("/desk/requests/{}", request.id)).await;
        assert!(
            fr.contains("n&#39;est pas envoyé\u{202f}; adressez-le par courrier postal"),
            "{fr}"
        );
        assert!(
            !fr.contains("Envoyé par courrier électronique au demandeur"),
            "{fr}"
        );
        let en = dpo
            .page(&format!("/desk/requests/{}?lang=en", request.id))
            .await;
        assert!(
            en.contains("recorded here but not sent; send it by post"),
            "{en}"
        );

        // Asking for information still records the question and stops
        // the clock; nothing goes to the outbox.
        dpo.act_ok(
            &request.id,
            "request_information",
            reload(&db, &request.id).version,
            &[(
                "message",
                "Merci de nous adresser une copie de votre pièce d'identité.",
            )],
        )
        .await;
        let mut conn = db.conn();
        let queued: i64 = outbox::table.count().get_result(&mut conn).unwrap();
        assert_eq!(queued, 0);
        let stored: i64 = request_messages::table
            .filter(request_messages::request_id.eq(&request.id))
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(stored, 1);
        assert_eq!(
            reload(&db, &request.id).status().as_str(),
            "awaiting_information"
        );
    }
);
