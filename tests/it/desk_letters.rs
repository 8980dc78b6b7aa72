//! Printable letters for the steps that mail the citizen (request for
//! information, extension, decision): same text as the mail, in the
//! request's language, in the acknowledgment letter's frame; scoped,
//! audited, readable by any role.

use diesel::prelude::*;
use dsr_tracker::db::schema::requests as requests_table;
use dsr_tracker::domain::request::{Art17_3Letter, Outcome, RefusalGround, RequestKind};
use dsr_tracker::domain::values::Locale;
use dsr_tracker::i18n::Tr;
use dsr_tracker::store::messages;
use dsr_tracker::store::requests::Request;

use crate::support::desk::{
    DPO_ISSY, DPO_VANVES, VIEWER_ISSY, assert_chain_intact, events_named, reload, staff_id,
};
use crate::support::{TestApp, TestDb};

const ADDRESS: &str = "12 rue de la Paix\n92130 Issy-les-Moulineaux";

/// A request received by post from someone who gave no e-mail address.
fn postal_request(app: &TestApp, db: &TestDb, kind: RequestKind, locale: Locale) -> Request {
    let r = app.new_request_in(db, &app.issy, kind, locale);
    diesel::update(requests_table::table.find(&r.id))
        .set((
            requests_table::email.eq(None::<String>),
            requests_table::postal_address.eq(Some(ADDRESS)),
        ))
        .execute(&mut db.conn())
        .unwrap();
    reload(db, &r.id)
}

/// As askama prints it.
fn escaped(text: &str) -> String {
    text.replace('\'', "&#39;")
}

fn assert_contains(body: &str, needles: &[&str]) {
    for needle in needles {
        assert!(body.contains(needle), "missing {needle:?} in\n{body}");
    }
}

crate::db_test!(
    the_decision_letter_of_a_postal_refusal_states_answer_ground_and_remedies,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let dpo = app.login(DPO_ISSY).await;
        let ground = RefusalGround::ErasureException(Art17_3Letter::B);
        for (locale, answer) in [
            (
                Locale::Fr,
                "Vos données sont nécessaires à la tenue de l'état civil.",
            ),
            (Locale::En, "Your data are needed for the civil register."),
        ] {
            let r = postal_request(&app, &db, RequestKind::Erasure, locale);
            let url = format!("/desk/requests/{}/letters/decision", r.id);
            // Not closed yet: there is no decision to print.
            assert_eq!(dpo.get(&url).await.status, 404);

            dpo.act_ok(&r.id, "accept_identity", 0, &[]).await;
            dpo.act_ok(
                &r.id,
                "close",
                1,
                &[
                    ("outcome", "refused"),
                    ("refusal_ground", "art17_3"),
                    ("refusal_letter", "b"),
                    ("answer", answer),
                ],
            )
            .await;
            let reference = r.reference.clone().unwrap();

            let letter = dpo.get(&url).await;
            assert_eq!(letter.status, 200, "{}", letter.body);
            let body = &letter.body;
            let ground = escaped(&Tr::new(locale).refusal_ground(&ground));
            assert_contains(
                body,
                &[
                    &format!("<html lang=\"{}\">", locale.as_str()),
                    &escaped(answer),
                    &ground,
                    &reference,
                    "Jeanne Dupont",
                    "12 rue de la Paix\n92130 Issy-les-Moulineaux",
                    "<strong>Ville d&#39;Issy-les-Moulineaux</strong>",
                    "dpo@issy.example.fr",
                    "3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07",
                    "class=\"screen-only\"",
                ],
            );
            match locale {
                Locale::Fr => assert_contains(
                    body,
                    &[
                        "Objet\u{202f}: Réponse à votre demande",
                        "Décision\u{202f}: Demande refusée",
                        &format!("Motif\u{202f}: {ground}"),
                        "réclamation auprès de la Commission nationale de l&#39;informatique et des libertés (CNIL)",
                        "recours juridictionnel",
                        "Le lundi 2 mars 2026",
                        "l&#39;une des adresses figurant en tête de cette lettre",
                    ],
                ),
                Locale::En => assert_contains(
                    body,
                    &[
                        "Subject: Answer to your request",
                        &format!("Ground: {ground}"),
                        "complaint with the French supervisory authority, the CNIL",
                        "judicial remedy",
                        "Monday 2 March 2026",
                        "one of the addresses at the top of this letter",
                    ],
                ),
            }
            // Nobody gave this requester a status link.
            assert!(!body.contains("lien personnel") && !body.contains("personal link"));

            // The request page offers it, emphasised: nothing was mailed.
            let page = dpo.page(&format!("/desk/requests/{}", r.id)).await;
            assert_contains(
                &page,
                &[
                    &format!("/desk/requests/{}/letters/decision?lang=fr", r.id),
                    "Imprimer la lettre de décision",
                    "n&#39;a pas d&#39;adresse e-mail",
                ],
            );
        }
        let viewed = events_named(&db, "request.letter_viewed");
        assert_eq!(viewed.len(), 2);
        for e in &viewed {
            assert_eq!(e.detail, "kind=decision");
            assert_eq!(
                e.actor_id.as_deref(),
                Some(staff_id(&db, DPO_ISSY).as_str())
            );
        }
        assert_chain_intact(&db);
    }
);

crate::db_test!(
    information_and_extension_letters_are_scoped_audited_and_open_to_viewers,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let dpo = app.login(DPO_ISSY).await;
        let r = postal_request(&app, &db, RequestKind::Access, Locale::Fr);
        let page = dpo.page(&format!("/desk/requests/{}", r.id)).await;
        assert!(page.contains("Aucune lettre pour l&#39;instant"), "{page}");

        dpo.act_ok(&r.id, "accept_identity", 0, &[]).await;
        dpo.act_ok(
            &r.id,
            "request_information",
            1,
            &[("message", "Merci de nous indiquer votre date de naissance.")],
        )
        .await;
        dpo.act_ok(&r.id, "add_note", 2, &[("note", "Appel reçu.")])
            .await;
        let msgs = messages::list_all(&mut db.conn(), &r.id).unwrap();
        let (question, note) = (&msgs[0], &msgs[1]);
        assert_eq!(note.direction, "internal_note");

        let info_url = format!(
            "/desk/requests/{}/letters/information/{}",
            r.id, question.id
        );
        let page = dpo.page(&format!("/desk/requests/{}", r.id)).await;
        assert_contains(
            &page,
            &[
                &format!("{info_url}?lang=fr"),
                "Imprimer la lettre de demande d&#39;informations du lundi 2 mars 2026",
            ],
        );
        let letter = dpo.get(&info_url).await;
        assert_eq!(letter.status, 200, "{}", letter.body);
        assert_contains(
            &letter.body,
            &[
                "Merci de nous indiquer votre date de naissance.",
                "Le délai de réponse est suspendu jusqu&#39;à la réception de ces informations",
                "en nous écrivant à l&#39;une des adresses figurant en tête de cette lettre",
                "12 rue de la Paix",
            ],
        );
        // An internal note, or a message of another request, is no letter.
        let note_url = format!("/desk/requests/{}/letters/information/{}", r.id, note.id);
        assert_eq!(dpo.get(&note_url).await.status, 404);
        let other = postal_request(&app, &db, RequestKind::Access, Locale::Fr);
        let stolen = format!(
            "/desk/requests/{}/letters/information/{}",
            other.id, question.id
        );
        assert_eq!(dpo.get(&stolen).await.status, 404);
        // Steps that did not happen, and kinds that do not exist.
        for kind in ["extension", "decision", "acknowledgment", "x"] {
            let a = dpo
                .get(&format!("/desk/requests/{}/letters/{kind}", r.id))
                .await;
            assert_eq!(a.status, 404, "{kind}");
        }

        dpo.act_ok(&r.id, "resume_clock", 3, &[]).await;
        dpo.act_ok(
            &r.id,
            "extend",
            4,
            &[
                ("months", "2"),
                (
                    "reason",
                    "Les données sont réparties entre plusieurs services.",
                ),
            ],
        )
        .await;
        let due = reload(&db, &r.id).due_on.unwrap();
        let ext_url = format!("/desk/requests/{}/letters/extension", r.id);
        // A viewer cannot act, but may print.
        let viewer = app.login(VIEWER_ISSY).await;
        let letter = viewer.get(&ext_url).await;
        assert_eq!(letter.status, 200, "{}", letter.body);
        assert_contains(
            &letter.body,
            &[
                "Les données sont réparties entre plusieurs services.",
                &format!(
                    "Nouvelle date limite de réponse\u{202f}: {}",
                    Tr::new(Locale::Fr).date(due)
                ),
                "article 12(3) du RGPD",
                "Objet\u{202f}: Demande",
            ],
        );
        assert!(!letter.body.contains("lien personnel"));

        // Another city's DPO: 404 as for an unknown id, on the record.
        let vanves = app.login(DPO_VANVES).await;
        let viewed_before = events_named(&db, "request.letter_viewed").len();
        for url in [&ext_url, &info_url] {
            let a = vanves.get(url).await;
            assert_eq!(a.status, 404);
            assert!(!a.body.contains("Dupont") && !a.body.contains("plusieurs services"));
        }
        let attempts = events_named(&db, "desk.out_of_scope_access");
        let details: Vec<&str> = attempts.iter().map(|e| e.detail.as_str()).collect();
        assert_eq!(details, ["letter=extension", "letter=information"]);
        for e in &attempts {
            assert_eq!(e.request_id.as_deref(), Some(r.id.as_str()));
            assert_eq!(
                e.actor_id.as_deref(),
                Some(staff_id(&db, DPO_VANVES).as_str())
            );
        }
        let viewed = events_named(&db, "request.letter_viewed");
        assert_eq!(viewed.len(), viewed_before);
        let details: Vec<&str> = viewed.iter().map(|e| e.detail.as_str()).collect();
        assert_eq!(
            details,
            [
                format!("kind=information message={}", question.id),
                "kind=extension".to_owned(),
            ]
        );
        assert_eq!(
            viewed[1].actor_id.as_deref(),
            Some(staff_id(&db, VIEWER_ISSY).as_str())
        );
        assert_chain_intact(&db);
    }
);

crate::db_test!(
    a_request_with_an_email_address_offers_letters_too,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let dpo = app.login(DPO_ISSY).await;
        let r = app.new_request(&db, &app.issy, RequestKind::Access);
        dpo.act_ok(&r.id, "accept_identity", 0, &[]).await;
        dpo.grant(&r.id, 1).await;
        let page = dpo.page(&format!("/desk/requests/{}", r.id)).await;
        assert!(page.contains("Imprimer la lettre de décision"), "{page}");
        assert!(!page.contains("n&#39;a pas d&#39;adresse e-mail"), "{page}");
        let letter = dpo
            .get(&format!("/desk/requests/{}/letters/decision", r.id))
            .await;
        assert_eq!(letter.status, 200, "{}", letter.body);
        // The mail's text as sent: this requester had the status link.
        assert_contains(
            &letter.body,
            &[
                "Vous trouverez ci-joint la copie de vos données.",
                &format!(
                    "Décision\u{202f}: {}",
                    escaped(&Tr::new(Locale::Fr).outcome(Outcome::Granted))
                ),
                "lien personnel figurant dans l&#39;accusé de réception",
            ],
        );
        assert!(!letter.body.contains("CNIL"));
        // On paper, only the letter; its paragraphs keep their line breaks.
        let css = app.browser().get("/static/style.css").await.body;
        assert_contains(
            &css,
            &[
                "@media print",
                ".screen-only, .staff-bar, .breadcrumb { display: none; }",
                ".letter .letter-paragraph { white-space: pre-line; }",
            ],
        );
    }
);
