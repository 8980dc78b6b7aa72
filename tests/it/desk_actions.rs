//! The DPO's actions on a request (`POST /desk/requests/{id}/actions/{code}`)
//! through the real server and a real SMTP listener, on both backends: the
//! full handling of a request, refusals with structured grounds, the
//! deadline cases (suspension, extension inside and after the first month),
//! the suppression list, and every bad input checked for "clear answer,
//! nothing changed".

use chrono::{NaiveDate, TimeDelta};
use diesel::prelude::*;
use dsr_tracker::db::schema::{events, outbox, request_recipients, request_suspensions};
use dsr_tracker::domain::request::{RequestKind, Status};
use dsr_tracker::store::messages;
use dsr_tracker::store::suppression;

use crate::support::desk::{
    CITIZEN, DPO_ISSY, DPO2_ISSY, VIEWER_ISSY, assert_chain_intact, reload,
};
use crate::support::{TestApp, TestDb};

fn staff_events(db: &TestDb, request_id: &str) -> Vec<(String, String)> {
    events::table
        .filter(events::request_id.eq(request_id))
        .filter(events::actor_kind.eq("staff"))
        .order(events::seq.asc())
        .select((events::action, events::detail))
        .load(&mut db.conn())
        .unwrap()
}

/// The text of the `<textarea id="{id}">`, as a browser shows it.
pub(crate) fn textarea(body: &str, id: &str) -> String {
    let at = body
        .find(&format!("<textarea id=\"{id}\""))
        .unwrap_or_else(|| panic!("no textarea {id}"));
    let rest = &body[at..];
    let from = rest.find('>').unwrap() + 1;
    let to = rest.find("</textarea>").unwrap();
    rest[from..to]
        .replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
}

fn outbox_count(db: &TestDb) -> i64 {
    outbox::table.count().get_result(&mut db.conn()).unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

crate::db_test!(access_request_handled_end_to_end, async |db| {
    let app = TestApp::builder().start(&db).await;
    let r = app.new_request(&db, &app.issy, RequestKind::Access);
    assert_eq!(r.due_on, Some(d(2026, 4, 2)));
    let dpo = app.login(DPO_ISSY).await;

    dpo.act_ok(&r.id, "accept_identity", 0, &[]).await;
    let now = reload(&db, &r.id);
    assert_eq!(now.status(), Status::InProgress);
    assert!(now.identity_accepted_at.is_some());
    assert_eq!(now.version, 1);

    dpo.act_ok(
        &r.id,
        "request_information",
        1,
        &[("message", "Merci de nous indiquer votre date de naissance.")],
    )
    .await;
    let now = reload(&db, &r.id);
    assert_eq!(now.status(), Status::AwaitingInformation);
    let open: i64 = request_suspensions::table
        .filter(request_suspensions::request_id.eq(&r.id))
        .filter(request_suspensions::ended_at.is_null())
        .count()
        .get_result(&mut db.conn())
        .unwrap();
    assert_eq!(open, 1);
    let mails = app.mails(1).await;
    assert_eq!(mails[0].rcpt_to, [CITIZEN]);
    let body = mails[0].body();
    assert!(body.contains("date de naissance"), "{body}");
    assert!(body.contains("délai de réponse est suspendu"), "{body}");
    assert!(body.contains("accusé de réception"), "{body}");

    // The citizen answers seven days later; the due date moves by seven.
    app.clock.advance(TimeDelta::days(7));
    let dpo = app.login(DPO_ISSY).await;
    dpo.act_ok(&r.id, "resume_clock", 2, &[]).await;
    let now = reload(&db, &r.id);
    assert_eq!(now.status(), Status::Received);
    assert_eq!(now.due_on, Some(d(2026, 4, 9)));

    dpo.act_ok(&r.id, "accept_identity", 3, &[]).await;
    dpo.act_ok(
        &r.id,
        "add_note",
        4,
        &[("note", "Pièce vérifiée au guichet.")],
    )
    .await;
    dpo.grant(&r.id, 5).await;
    let now = reload(&db, &r.id);
    assert_eq!(now.status(), Status::Closed);
    assert_eq!(now.outcome.map(|o| o.as_str()), Some("granted"));
    assert!(now.closed_at.is_some());
    assert_eq!(now.refusal_ground, None);
    let mails = app.mails(2).await;
    let body = mails[1].body();
    assert!(body.contains("copie de vos données"), "{body}");
    assert!(!body.contains("CNIL"), "{body}");

    let msgs = messages::list_all(&mut db.conn(), &r.id).unwrap();
    let dirs: Vec<&str> = msgs.iter().map(|m| m.direction.as_str()).collect();
    assert_eq!(dirs, ["to_citizen", "internal_note", "to_citizen"]);
    let citizen_view = messages::list_for_citizen(&mut db.conn(), &r.id).unwrap();
    assert_eq!(citizen_view.len(), 2);

    let actions: Vec<String> = staff_events(&db, &r.id)
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert_eq!(
        actions,
        [
            "accept_identity",
            "request_information",
            "resume_clock",
            "accept_identity",
            "add_note",
            "close_granted"
        ]
    );
    for (_, detail) in staff_events(&db, &r.id) {
        assert!(
            !detail.contains("Jeanne") && !detail.contains('@'),
            "{detail}"
        );
    }
    assert_chain_intact(&db);
});

crate::db_test!(
    erasure_refused_under_17_3_b_tells_the_remedies,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let r = app.new_request(&db, &app.issy, RequestKind::Erasure);
        let dpo = app.login(DPO_ISSY).await;
        let answer_text = "Vos données sont nécessaires à la tenue de l'état civil.";

        // Bad grounds: a clear 422, nothing changed.
        for (fields, needle, field) in [
            (
                vec![("outcome", "refused"), ("answer", answer_text)],
                "motif",
                "act-close-ground",
            ),
            (
                vec![
                    ("outcome", "refused"),
                    ("refusal_ground", "art17_3"),
                    ("answer", answer_text),
                ],
                "17(3)",
                "act-close-letter",
            ),
            (
                vec![
                    ("outcome", "refused"),
                    ("refusal_ground", "art20_3"),
                    ("answer", answer_text),
                ],
                "ne s&#39;applique pas",
                "act-close-ground",
            ),
            (
                vec![
                    ("outcome", "refused"),
                    ("refusal_ground", "other"),
                    ("answer", answer_text),
                ],
                "Indiquez le motif",
                "act-close-detail",
            ),
            (
                vec![
                    ("outcome", "refused"),
                    ("refusal_ground", "art17_3"),
                    ("refusal_letter", "b"),
                ],
                "réponse est obligatoire",
                "act-close-answer",
            ),
        ] {
            let a = dpo.act(&r.id, "close", 0, &fields).await;
            assert_eq!(a.status, 422, "{fields:?}: {}", a.body);
            assert!(a.body.contains(needle), "{needle}: {}", a.body);
            assert!(a.body.contains("Rien n"), "{}", a.body);
            // The request page again, its close form as sent, the message
            // beside the field and linked from the summary at the top.
            assert!(
                a.body
                    .contains(&format!("action=\"/desk/requests/{}/actions/close\"", r.id))
            );
            assert!(
                a.body
                    .contains(&format!("<p class=\"error\" id=\"{field}-error\">")),
                "{field}: {}",
                a.body
            );
            assert!(
                a.body.contains(&format!("<a href=\"#{field}\">")),
                "{field}"
            );
            assert!(a.body.contains("value=\"refused\" required checked>"));
            if fields.iter().any(|(n, _)| *n == "answer") {
                // The typed answer is back in its field, not lost.
                assert_eq!(textarea(&a.body, "act-close-answer"), answer_text);
            } else {
                assert_eq!(textarea(&a.body, "act-close-answer"), "");
            }
        }
        let now = reload(&db, &r.id);
        assert_eq!(now.version, 0);
        assert_eq!(now.status(), Status::Received);
        assert!(staff_events(&db, &r.id).is_empty());
        assert_eq!(outbox_count(&db), 0);

        dpo.act_ok(
            &r.id,
            "close",
            0,
            &[
                ("outcome", "refused"),
                ("refusal_ground", "art17_3"),
                ("refusal_letter", "b"),
                ("answer", answer_text),
            ],
        )
        .await;
        let now = reload(&db, &r.id);
        assert_eq!(now.status(), Status::Closed);
        assert_eq!(now.outcome.map(|o| o.as_str()), Some("refused"));
        assert_eq!(now.refusal_ground.as_deref(), Some("art17_3"));
        assert_eq!(now.refusal_detail.as_deref(), Some("b"));
        let mails = app.mails(1).await;
        let body = mails[0].body();
        assert!(body.contains("état civil"), "{body}");
        assert!(body.contains("CNIL"), "{body}");
        assert!(body.contains("recours juridictionnel"), "{body}");
        let events = staff_events(&db, &r.id);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].0, "close_refused");
        assert!(events[0].1.contains("ground=art17_3:b"), "{}", events[0].1);

        // Nothing more on a closed request but the legal hold.
        let a = dpo
            .act(&r.id, "extend", 1, &[("months", "1"), ("reason", "x")])
            .await;
        assert_eq!(a.status, 409, "{}", a.body);
        assert!(a.body.contains("la demande est close"), "{}", a.body);
        assert_eq!(reload(&db, &r.id).version, 1);
        assert_chain_intact(&db);
    }
);

crate::db_test!(extension_inside_the_first_month_only, async |db| {
    let app = TestApp::builder().start(&db).await;
    let early = app.new_request(&db, &app.issy, RequestKind::Access);
    let late = app.new_request(&db, &app.issy, RequestKind::Rectification);
    let dpo = app.login(DPO_ISSY).await;

    // Missing reason, bad months: 422, nothing changed.
    let a = dpo.act(&early.id, "extend", 0, &[("months", "2")]).await;
    assert_eq!(a.status, 422, "{}", a.body);
    let a = dpo
        .act(&early.id, "extend", 0, &[("months", "3"), ("reason", "x")])
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(reload(&db, &early.id).version, 0);

    app.clock.advance(TimeDelta::days(10));
    let dpo = app.login(DPO_ISSY).await;
    let reason = "Les données sont réparties entre plusieurs services.";
    dpo.act_ok(
        &early.id,
        "extend",
        0,
        &[("months", "2"), ("reason", reason)],
    )
    .await;
    let now = reload(&db, &early.id);
    assert_eq!(now.extension_months, 2);
    assert_eq!(now.extension_reason.as_deref(), Some(reason));
    assert!(now.extended_at.is_some());
    assert_eq!(now.due_on, Some(d(2026, 6, 2)));
    let mails = app.mails(1).await;
    let body = mails[0].body();
    assert!(body.contains(reason), "{body}");
    assert!(body.contains("2 juin 2026"), "{body}");
    // Two months in all: a third is refused.
    let a = dpo
        .act(
            &early.id,
            "extend",
            1,
            &[("months", "1"), ("reason", reason)],
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.contains("deux mois au total"), "{}", a.body);

    // After the first month (ended Thursday 2 April): refused, with why.
    app.clock.set(
        chrono::NaiveDateTime::parse_from_str("2026-04-03 08:00:00", "%Y-%m-%d %H:%M:%S").unwrap(),
    );
    let dpo = app.login(DPO_ISSY).await;
    let a = dpo
        .act(
            &late.id,
            "extend",
            0,
            &[("months", "1"), ("reason", reason)],
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.contains("trop tard pour prolonger"), "{}", a.body);
    assert!(a.body.contains("jeudi 2 avril 2026"), "{}", a.body);
    // Beside the length of the extension, the reason kept.
    assert!(
        a.body.contains(
            "<p class=\"error\" id=\"act-extend-months-error\">Le premier mois a pris fin le jeudi 2 avril 2026"
        ),
        "{}",
        a.body
    );
    assert_eq!(textarea(&a.body, "act-extend-reason"), reason);
    assert!(
        a.body.contains("<option value=\"1\" selected>"),
        "{}",
        a.body
    );
    let now = reload(&db, &late.id);
    assert_eq!(now.version, 0);
    assert_eq!(now.extension_months, 0);
    assert_eq!(now.due_on, Some(d(2026, 4, 2)));
    assert!(staff_events(&db, &late.id).is_empty());
    assert_eq!(outbox_count(&db), 1);

    // Art. 19 for a rectification; not offered for an access request.
    dpo.act_ok(
        &late.id,
        "notify_recipients",
        0,
        &[(
            "recipients",
            "Service de l'état civil\nCentre communal d'action sociale",
        )],
    )
    .await;
    let recipients: i64 = request_recipients::table
        .filter(request_recipients::request_id.eq(&late.id))
        .count()
        .get_result(&mut db.conn())
        .unwrap();
    assert_eq!(recipients, 2);
    let a = dpo
        .act(&early.id, "notify_recipients", 1, &[("recipients", "x")])
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert_chain_intact(&db);
});

crate::db_test!(
    granted_marketing_objection_feeds_the_suppression_list,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let r = app.new_request(&db, &app.issy, RequestKind::MarketingObjection);
        let key = app
            .state
            .suppression_key
            .get(&mut db.conn(), app.state.clock.now())
            .unwrap();
        assert!(!suppression::is_suppressed(&mut db.conn(), &key, &app.issy.id, CITIZEN).unwrap());
        let dpo = app.login(DPO_ISSY).await;
        // Granting needs the identity accepted first.
        let a = dpo
            .act(
                &r.id,
                "close_granted",
                0,
                &[("answer", "Votre opposition est enregistrée.")],
            )
            .await;
        assert_eq!(a.status, 409, "{}", a.body);
        assert!(a.body.contains("Acceptez d"), "{}", a.body);
        dpo.act_ok(&r.id, "accept_identity", 0, &[]).await;
        dpo.act_ok(
            &r.id,
            "close_granted",
            1,
            &[("answer", "Votre opposition est enregistrée.")],
        )
        .await;
        assert!(suppression::is_suppressed(&mut db.conn(), &key, &app.issy.id, CITIZEN).unwrap());
        assert!(
            !suppression::is_suppressed(&mut db.conn(), &key, &app.vanves.id, CITIZEN).unwrap()
        );
        app.mails(1).await;
        assert_chain_intact(&db);
    }
);

crate::db_test!(bad_inputs_change_nothing, async |db| {
    let app = TestApp::builder().start(&db).await;
    let r = app.new_request(&db, &app.issy, RequestKind::Erasure);
    let other = app.new_request(&db, &app.vanves, RequestKind::Erasure);
    let dpo = app.login(DPO_ISSY).await;
    let path = format!("/desk/requests/{}/actions/accept_identity", r.id);

    // Missing and wrong CSRF token.
    let a = dpo.post(&path, &[("version", "0")]).await;
    assert_eq!(a.status, 403, "{}", a.body);
    let a = dpo
        .post(&path, &[("csrf", "not-the-token"), ("version", "0")])
        .await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert!(a.body.contains("rien n&#39;a été modifié"), "{}", a.body);

    // A viewer cannot act.
    let viewer = app.login(VIEWER_ISSY).await;
    let a = viewer.act(&r.id, "accept_identity", 0, &[]).await;
    assert_eq!(a.status, 403, "{}", a.body);

    // Another controller's request, and one that does not exist: 404.
    let a = dpo.act(&other.id, "accept_identity", 0, &[]).await;
    assert_eq!(a.status, 404, "{}", a.body);
    let a = dpo.act("no-such-request", "accept_identity", 0, &[]).await;
    assert_eq!(a.status, 404, "{}", a.body);
    // An unknown action, or one that is not the desk's.
    for code in ["frobnicate", "purge", "withdraw", "confirm_email"] {
        let a = dpo.act(&r.id, code, 0, &[]).await;
        assert_eq!(a.status, 404, "{code}: {}", a.body);
    }
    // Not allowed in the status: a clear message.
    let a = dpo.act(&r.id, "resume_clock", 0, &[]).await;
    assert_eq!(a.status, 409, "{}", a.body);
    assert!(
        a.body.contains("le délai n&#39;est pas suspendu"),
        "{}",
        a.body
    );
    let a = dpo.act(&r.id, "lift_legal_hold", 0, &[]).await;
    assert_eq!(a.status, 409, "{}", a.body);

    for id in [&r.id, &other.id] {
        let now = reload(&db, id);
        assert_eq!(now.version, 0);
        assert_eq!(now.status(), Status::Received);
        assert!(now.identity_accepted_at.is_none());
    }
    assert!(staff_events(&db, &r.id).is_empty());
    // The attempt on the other city's request is on the record.
    assert_eq!(
        staff_events(&db, &other.id),
        [(
            "desk.request_out_of_scope".to_owned(),
            "action=accept_identity".to_owned()
        )]
    );

    // Legal hold on, then off.
    let a = dpo
        .act(&r.id, "place_legal_hold", 0, &[("reason", " ")])
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    dpo.act_ok(
        &r.id,
        "place_legal_hold",
        0,
        &[("reason", "Recours devant le tribunal administratif.")],
    )
    .await;
    let now = reload(&db, &r.id);
    assert!(now.legal_hold);
    assert!(now.legal_hold_reason.is_some() && now.legal_hold_at.is_some());
    let a = dpo
        .act(&r.id, "place_legal_hold", 1, &[("reason", "encore")])
        .await;
    assert_eq!(a.status, 409, "{}", a.body);
    dpo.act_ok(&r.id, "lift_legal_hold", 1, &[]).await;
    let now = reload(&db, &r.id);
    assert!(!now.legal_hold);
    assert!(now.legal_hold_reason.is_none());
    assert_eq!(now.version, 2);

    // Two DPOs close at once from the same page version: one wins.
    let dpo2 = app.login(DPO2_ISSY).await;
    let close = [
        ("outcome", "refused"),
        ("refusal_ground", "no_data_held"),
        ("answer", "Nous ne détenons aucune donnée vous concernant."),
    ];
    let (a, b) = tokio::join!(
        dpo.act(&r.id, "close", 2, &close),
        dpo2.act(&r.id, "close", 2, &close)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [303, 409], "{} / {}", a.body, b.body);
    let loser = if a.status == 409 { &a } else { &b };
    assert!(
        loser.body.contains("Une autre personne a modifié"),
        "{}",
        loser.body
    );
    // The request is closed now: no close form to put the answer back
    // in, so the page gives it apart, to be copied.
    assert!(
        loser
            .body
            .contains("<p class=\"kept\">Nous ne détenons aucune donnée vous concernant.</p>"),
        "{}",
        loser.body
    );
    let now = reload(&db, &r.id);
    assert_eq!(now.status(), Status::Closed);
    assert_eq!(now.version, 3);
    let closes = staff_events(&db, &r.id)
        .into_iter()
        .filter(|(a, _)| a.starts_with("close"))
        .count();
    assert_eq!(closes, 1);
    let answers = messages::list_for_citizen(&mut db.conn(), &r.id)
        .unwrap()
        .len();
    assert_eq!(answers, 1);
    app.mails(1).await;
    assert_eq!(outbox_count(&db), 1);

    // The loser reloads: the page's version is now 3, and the request is
    // closed, so closing again is refused with the reason.
    let a = dpo2.act(&r.id, "close", 3, &close).await;
    assert_eq!(a.status, 409, "{}", a.body);
    assert!(a.body.contains("la demande est close"), "{}", a.body);
    assert_chain_intact(&db);
});

crate::db_test!(
    a_stale_version_shows_the_change_and_keeps_the_text,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let r = app.new_request(&db, &app.issy, RequestKind::Access);
        let dpo = app.login(DPO_ISSY).await;
        let dpo2 = app.login(DPO2_ISSY).await;
        // The first DPO has the page at version 0; the second adds a note.
        dpo2.act_ok(&r.id, "add_note", 0, &[("note", "Appel du demandeur.")])
            .await;
        let message = "Merci de nous envoyer une copie de votre pièce d'identité.";
        let a = dpo
            .act(&r.id, "request_information", 0, &[("message", message)])
            .await;
        assert_eq!(a.status, 409, "{}", a.body);
        assert!(
            a.body.contains("Demande modifiée entre-temps"),
            "{}",
            a.body
        );
        assert!(
            a.body.contains("Une autre personne a modifié"),
            "{}",
            a.body
        );
        // What changed: the last event of the history, and who did it.
        assert!(
            a.body.contains(&format!(
                "Dernière modification\u{202f}: «\u{202f}Ajouter une note\u{202f}», {DPO2_ISSY}"
            )),
            "{}",
            a.body
        );
        assert!(a.body.contains("Appel du demandeur."), "{}", a.body);
        // The text is back in its form, which carries the current version.
        assert_eq!(textarea(&a.body, "act-info-message"), message);
        assert!(
            a.body.contains("name=\"version\" value=\"1\""),
            "{}",
            a.body
        );
        let now = reload(&db, &r.id);
        assert_eq!(now.version, 1);
        assert_eq!(now.status(), Status::Received);
        assert_eq!(outbox_count(&db), 0);
        // Sent again from that page, it is recorded.
        dpo.act_ok(&r.id, "request_information", 1, &[("message", message)])
            .await;
        assert_eq!(reload(&db, &r.id).status(), Status::AwaitingInformation);
        assert_chain_intact(&db);
    }
);

crate::db_test!(an_expired_form_comes_back_with_what_was_typed, async |db| {
    let app = TestApp::builder().start(&db).await;
    let r = app.new_request(&db, &app.issy, RequestKind::Access);
    let dpo = app.login(DPO_ISSY).await;
    let note = "Pièce d'identité vérifiée au guichet & copiée.";
    let a = dpo
        .post(
            &format!("/desk/requests/{}/actions/add_note?lang=en", r.id),
            &[("csrf", "stale-token"), ("version", "0"), ("note", note)],
        )
        .await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert!(a.body.contains("<html lang=\"en\""), "{}", a.body);
    assert!(a.body.contains("Form expired"), "{}", a.body);
    assert_eq!(textarea(&a.body, "act-note"), note);
    // The form carries the session's token: sending it again works.
    assert!(
        a.body
            .contains(&format!("name=\"csrf\" value=\"{}\"", dpo.csrf))
    );
    assert_eq!(reload(&db, &r.id).version, 0);
    dpo.act_ok(&r.id, "add_note", 0, &[("note", note)]).await;
});

crate::db_test!(a_close_without_a_decision_asks_for_one, async |db| {
    let app = TestApp::builder().start(&db).await;
    let r = app.new_request(&db, &app.issy, RequestKind::Erasure);
    let dpo = app.login(DPO_ISSY).await;
    let answer = "Nous avons bien effacé vos données.";
    let a = dpo.act(&r.id, "close", 0, &[("answer", answer)]).await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(
        a.body
            .contains("<p class=\"error\" id=\"act-close-outcome-error\">Choisissez la décision"),
        "{}",
        a.body
    );
    assert_eq!(textarea(&a.body, "act-close-answer"), answer);
    assert_eq!(reload(&db, &r.id).version, 0);
});

crate::db_test!(
    a_text_up_to_the_limit_is_read_and_one_over_is_refused_and_kept,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let r = app.new_request(&db, &app.issy, RequestKind::Access);
        let dpo = app.login(DPO_ISSY).await;
        dpo.act_ok(&r.id, "accept_identity", 0, &[]).await;
        // French, accented: far more bytes once form-encoded than
        // characters (each "é" is 6 bytes, "œ" too).
        let unit = "Vos données sont œuvrées à l'état civil, déjà réglé. ";
        let text_of = |n: usize| -> String { unit.chars().cycle().take(n).collect() };
        let longest = text_of(20_000);
        let too_long = format!("{}é", text_of(20_000));
        assert_eq!(too_long.chars().count(), 20_001);

        // One character over: the field error, the text kept whole.
        let a = dpo
            .act(
                &r.id,
                "close",
                1,
                &[("outcome", "granted"), ("answer", &too_long)],
            )
            .await;
        assert_eq!(a.status, 422, "{}", &a.body[..a.body.len().min(2000)]);
        assert!(
            a.body.contains(
                "<p class=\"error\" id=\"act-close-answer-error\">Le texte de la réponse dépasse 20000 caractères (il en compte 20001)"
            ),
            "{}",
            &a.body[..a.body.len().min(4000)]
        );
        assert_eq!(textarea(&a.body, "act-close-answer"), too_long);
        assert_eq!(reload(&db, &r.id).version, 1);

        // A note of 12,600 characters, and an answer of exactly 20,000:
        // both reach validation and are recorded.
        let note = text_of(12_600);
        dpo.act_ok(&r.id, "add_note", 1, &[("note", note.trim())])
            .await;
        let answer = longest.trim().to_owned();
        dpo.act_ok(
            &r.id,
            "close",
            2,
            &[("outcome", "granted"), ("answer", &longest)],
        )
        .await;
        let msgs = messages::list_all(&mut db.conn(), &r.id).unwrap();
        assert_eq!(msgs.last().unwrap().body, answer);
        assert_eq!(reload(&db, &r.id).status(), Status::Closed);
    }
);

crate::db_test!(a_form_far_too_large_gets_the_page_with_a_413, async |db| {
    let app = TestApp::builder().start(&db).await;
    let r = app.new_request(&db, &app.issy, RequestKind::Access);
    let dpo = app.login(DPO_ISSY).await;
    let huge = "é".repeat(dsr_tracker::desk::request::actions::MAX_FORM_BYTES / 4);
    let a = dpo.act(&r.id, "add_note", 0, &[("note", &huge)]).await;
    assert_eq!(a.status, 413, "{}", &a.body[..a.body.len().min(2000)]);
    assert!(a.body.contains("trop volumineux"), "{}", a.body);
    assert!(a.body.contains("<section id=\"actions\">"));
    assert_eq!(reload(&db, &r.id).version, 0);
});
