//! A registration form registers once: the one-time id the form carries
//! makes a resubmission or a double click land on the request the first
//! POST created, two POSTs of the same form at once create exactly one
//! request (the unique index settles it), and a refused form keeps its id
//! so that the corrected form still goes through. Both backends, through
//! the real server.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use dsr_tracker::db::schema::{identity_proofs, requests};
use dsr_tracker::domain::request::RequestKind;
use dsr_tracker::store::requests as request_store;

use crate::desk_register::{counts, form, letter_fields, pdf, registered_id, with};
use crate::support::desk::{DPO_ISSY, DPO_VANVES, DPO2_ISSY, events_named, field_value, reload};
use crate::support::{Backend, TestApp, TestDb};

/// The request id and the notice of a redirect after a registration.
fn target(location: &str) -> (String, String) {
    let rest = location
        .strip_prefix("/desk/requests/")
        .unwrap_or_else(|| panic!("{location}"));
    let (id, query) = rest.split_once('?').unwrap();
    let notice = query
        .split('&')
        .find_map(|p| p.strip_prefix("notice="))
        .unwrap_or_default();
    (id.to_owned(), notice.to_owned())
}

/// How many requests carry the form id `key`.
fn with_key(db: &TestDb, key: &str) -> i64 {
    requests::table
        .filter(requests::registration_key.eq(key))
        .count()
        .get_result(&mut db.conn())
        .unwrap()
}

crate::db_test!(
    a_resubmitted_form_creates_nothing_and_leads_to_the_first_request,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let dpo = app.login(DPO_ISSY).await;
        let page = dpo.page("/desk/requests/new").await;
        let key = field_value(&page, "form_id").expect("form id");
        assert_eq!(key.len(), 43, "{key}");
        // Each display of the form issues its own id.
        let other = field_value(&dpo.page("/desk/requests/new").await, "form_id").unwrap();
        assert_ne!(key, other);

        let mut fields = letter_fields(&dpo.csrf, &app.issy.id);
        fields.push(("form_id", key.as_str()));
        let a = dpo
            .post_multipart(
                "/desk/requests/new",
                form(&fields, &[("courrier.pdf", pdf())]),
            )
            .await;
        assert_eq!(a.status, 303, "{}", a.body);
        let first = registered_id(a.location.as_deref().unwrap());
        assert_eq!(
            reload(&db, &first).reference.as_deref(),
            Some("ISSY-2026-0001")
        );
        assert_eq!(with_key(&db, &key), 1);
        let after_first = counts(&db);

        // The same form again (the back button, a double click): nothing
        // new, not even the file, and the first request is shown.
        let a = dpo
            .post_multipart(
                "/desk/requests/new",
                form(&fields, &[("courrier.pdf", pdf())]),
            )
            .await;
        assert_eq!(a.status, 303, "{}", a.body);
        let location = a.location.unwrap();
        assert_eq!(
            location,
            format!("/desk/requests/{first}?notice=already_registered&lang=fr")
        );
        assert_eq!(counts(&db), after_first);
        let shown = dpo.page(&location).await;
        assert!(
            shown.contains("Ce formulaire avait déjà été envoyé\u{202f}: voici la demande qu&#39;il a enregistrée."),
            "{shown}"
        );
        assert!(shown.contains("ISSY-2026-0001"));

        // Even with other values (edited after the first POST) and in
        // English: the form already did its work.
        let edited = with(
            with(fields.clone(), "details", "Autre chose."),
            "lang",
            "en",
        );
        let a = dpo
            .post_multipart("/desk/requests/new?lang=en", form(&edited, &[]))
            .await;
        assert_eq!(
            a.location.as_deref(),
            Some(format!("/desk/requests/{first}?notice=already_registered&lang=en").as_str())
        );
        let shown = dpo.page(a.location.as_deref().unwrap()).await;
        assert!(
            shown.contains("This form had already been sent: here is the request it registered.")
        );
        assert_eq!(counts(&db), after_first);
        assert_eq!(
            reload(&db, &first).details.as_deref(),
            Some("Copie de mes données d'état civil.")
        );

        // A colleague with the same scope (a shared screen) reaches it too.
        let colleague = app.login(DPO2_ISSY).await;
        let mut theirs = letter_fields(&colleague.csrf, &app.issy.id);
        theirs.push(("form_id", key.as_str()));
        let a = colleague
            .post_multipart("/desk/requests/new", form(&theirs, &[]))
            .await;
        assert_eq!(
            target(a.location.as_deref().unwrap()),
            (first.to_string(), "already_registered".into())
        );

        // Another city's DPO replaying Issy's form id learns nothing: the
        // same 404 as any request outside the scope, and it is on record.
        let vanves = app.login(DPO_VANVES).await;
        let mut foreign = letter_fields(&vanves.csrf, &app.vanves.id);
        foreign.push(("form_id", key.as_str()));
        let before = events_named(&db, "desk.out_of_scope_access").len();
        let a = vanves
            .post_multipart("/desk/requests/new", form(&foreign, &[]))
            .await;
        assert_eq!(a.status, 404, "{}", a.body);
        assert!(!a.body.contains(&*first));
        let audited = events_named(&db, "desk.out_of_scope_access");
        assert_eq!(audited.len(), before + 1);
        assert_eq!(
            audited.last().unwrap().request_id.as_deref(),
            Some(first.as_str())
        );
        assert_eq!(with_key(&db, &key), 1);
        let requests_now: i64 = requests::table.count().get_result(&mut db.conn()).unwrap();
        assert_eq!(requests_now, after_first.0);

        // A new form is a new registration, and the resubmissions did not
        // use up a reference number.
        let fresh = letter_fields(&dpo.csrf, &app.issy.id);
        let a = dpo
            .post_multipart("/desk/requests/new", form(&fresh, &[]))
            .await;
        let second = registered_id(a.location.as_deref().unwrap());
        assert_ne!(second, first);
        assert_eq!(
            reload(&db, &second).reference.as_deref(),
            Some("ISSY-2026-0002")
        );
        assert_eq!(events_named(&db, "request.registered").len(), 2);
    }
);

crate::db_test!(
    a_refused_form_keeps_its_id_for_the_corrected_one,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let dpo = app.login(DPO_ISSY).await;
        let key = field_value(&dpo.page("/desk/requests/new").await, "form_id").unwrap();
        let mut fields = letter_fields(&dpo.csrf, &app.issy.id);
        fields.push(("form_id", key.as_str()));
        let before = counts(&db);

        // Bad input: refused, nothing stored, the same id in the form shown
        // again.
        let bad = with(fields.clone(), "details", "");
        let a = dpo
            .post_multipart("/desk/requests/new", form(&bad, &[]))
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert!(a.body.contains("Décrivez la demande"));
        assert_eq!(
            field_value(&a.body, "form_id").as_deref(),
            Some(key.as_str())
        );
        assert_eq!(counts(&db), before);
        assert_eq!(with_key(&db, &key), 0);

        // An expired CSRF token: refused, and the id is kept too.
        let expired = with(fields.clone(), "csrf", "not-the-token");
        let a = dpo
            .post_multipart("/desk/requests/new", form(&expired, &[]))
            .await;
        assert_eq!(a.status, 403, "{}", a.body);
        assert_eq!(
            field_value(&a.body, "form_id").as_deref(),
            Some(key.as_str())
        );
        assert_eq!(counts(&db), before);

        // The corrected form goes through with that id, once.
        let a = dpo
            .post_multipart("/desk/requests/new", form(&fields, &[]))
            .await;
        assert_eq!(a.status, 303, "{}", a.body);
        let id = registered_id(a.location.as_deref().unwrap());
        assert_eq!(with_key(&db, &key), 1);
        assert_eq!(
            reload(&db, &id).reference.as_deref(),
            Some("ISSY-2026-0001")
        );
    }
);

crate::db_test!(
    a_form_without_a_valid_id_is_refused_and_given_one,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let dpo = app.login(DPO_ISSY).await;
        let before = counts(&db);
        let good = letter_fields(&dpo.csrf, &app.issy.id);

        // No id at all (a page from before the rule, a hand-made POST).
        let mut bare = reqwest::multipart::Form::new();
        for (name, value) in &good {
            bare = bare.text((*name).to_owned(), (*value).to_owned());
        }
        let a = dpo.post_multipart("/desk/requests/new", bare).await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert!(
        a.body.contains("Le formulaire est incomplet (son identifiant manque ou est illisible)\u{202f}: rien n&#39;a été enregistré."),
        "{}",
        a.body
    );
        // What was typed is kept, with a fresh id to send it again.
        assert!(a.body.contains("value=\"Jeanne\""));
        let fresh = field_value(&a.body, "form_id").unwrap();
        assert_eq!(fresh.len(), 43);
        assert_eq!(counts(&db), before);

        // Malformed ids: free text, too short, too long; in English.
        let long = "a".repeat(129);
        for bad in [
            "pas un identifiant",
            "court",
            "<script>x</script>abcdefghijkl",
            long.as_str(),
        ] {
            let mut fields = with(good.clone(), "lang", "en");
            fields.push(("form_id", bad));
            let a = dpo
                .post_multipart("/desk/requests/new?lang=en", form(&fields, &[]))
                .await;
            assert_eq!(a.status, 422, "{bad}: {}", a.body);
            assert!(
            a.body.contains("The form is incomplete (its id is missing or unreadable): nothing was registered."),
            "{bad}"
        );
            assert_ne!(field_value(&a.body, "form_id").as_deref(), Some(bad));
            assert_eq!(counts(&db), before, "{bad}");
        }

        // The id the refusal gave works.
        let mut fixed = good.clone();
        fixed.push(("form_id", fresh.as_str()));
        let a = dpo
            .post_multipart("/desk/requests/new", form(&fixed, &[]))
            .await;
        assert_eq!(a.status, 303, "{}", a.body);
        assert_eq!(with_key(&db, &fresh), 1);
    }
);

/// Holds the lock every registration takes first (its reference counter),
/// so that the POSTs sent meanwhile all get past the resubmission check and
/// then queue up on the insert: the unique index, not the check, must
/// settle them. Released by [`Hold::release`].
struct Hold(dsr_tracker::db::DbConn);

impl Hold {
    fn take(db: &TestDb) -> Hold {
        use diesel::connection::SimpleConnection;
        let mut conn = db.conn();
        match db.backend {
            Backend::Sqlite => conn.batch_execute("BEGIN IMMEDIATE").unwrap(),
            Backend::Postgres => conn
                .batch_execute("BEGIN; LOCK TABLE reference_counters IN EXCLUSIVE MODE")
                .unwrap(),
        }
        Hold(conn)
    }

    fn release(mut self) {
        use diesel::connection::SimpleConnection;
        self.0.batch_execute("COMMIT").unwrap();
    }
}

crate::db_test!(
    the_same_form_sent_several_times_at_once_registers_one_request,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let dpo = app.login(DPO_ISSY).await;
        // A first registration, so that the year's counter exists.
        let a = dpo
            .post_multipart(
                "/desk/requests/new",
                form(&letter_fields(&dpo.csrf, &app.issy.id), &[]),
            )
            .await;
        assert_eq!(a.status, 303, "{}", a.body);
        let before = counts(&db);

        let key = field_value(&dpo.page("/desk/requests/new").await, "form_id").unwrap();
        let mut fields = letter_fields(&dpo.csrf, &app.issy.id);
        fields.push(("form_id", key.as_str()));
        let hold = Hold::take(&db);
        let post = || {
            dpo.post_multipart(
                "/desk/requests/new",
                form(&fields, &[("courrier.pdf", pdf())]),
            )
        };
        let release = async {
            tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
            hold.release();
        };
        let (a, b, c, ()) = tokio::join!(post(), post(), post(), release);

        let mut targets = Vec::new();
        for answer in [&a, &b, &c] {
            assert_eq!(answer.status, 303, "{}", answer.body);
            targets.push(target(answer.location.as_deref().unwrap()));
        }
        let id = targets[0].0.clone();
        assert!(targets.iter().all(|(t, _)| *t == id), "{targets:?}");
        let mut notices: Vec<&str> = targets.iter().map(|(_, n)| n.as_str()).collect();
        notices.sort();
        assert_eq!(
            notices,
            ["already_registered", "already_registered", "registered"]
        );

        // One request, one file, one event, one reference number.
        assert_eq!(with_key(&db, &key), 1);
        let after = counts(&db);
        assert_eq!(after.0, before.0 + 1);
        assert_eq!(after.1, before.1 + 1);
        assert_eq!(after.2, before.2 + 1);
        let files: i64 = identity_proofs::table
            .filter(identity_proofs::request_id.eq(&id))
            .count()
            .get_result(&mut db.conn())
            .unwrap();
        assert_eq!(files, 1);
        assert_eq!(
            reload(&db, &id.as_str().into()).reference.as_deref(),
            Some("ISSY-2026-0002")
        );
        crate::support::desk::assert_chain_intact(&db);
    }
);

crate::db_test!(
    the_database_refuses_a_second_request_with_the_same_form_id,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let one = app.new_request(&db, &app.issy, RequestKind::Access);
        let two = app.new_request(&db, &app.issy, RequestKind::Erasure);
        app.new_request(&db, &app.issy, RequestKind::Objection);
        let mut conn = db.conn();
        request_store::set_registration_key(&mut conn, &one.id, "form-0123456789abcdef").unwrap();
        let err = request_store::set_registration_key(&mut conn, &two.id, "form-0123456789abcdef")
            .unwrap_err();
        assert!(
            matches!(
                err,
                DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
            ),
            "{err:?}"
        );
        // Requests not registered through the form have none, and any
        // number of them may.
        let keys: Vec<Option<String>> = requests::table
            .select(requests::registration_key)
            .order(requests::reference)
            .load(&mut conn)
            .unwrap();
        assert_eq!(keys.iter().filter(|k| k.is_none()).count(), 2);
        assert_eq!(
            request_store::find_by_registration_key(&mut conn, "form-0123456789abcdef").unwrap(),
            Some(one.id.clone())
        );
        assert_eq!(
            request_store::find_by_registration_key(&mut conn, "form-unknown-000000").unwrap(),
            None
        );
    }
);
