//! The DPO queue and the request page through the real server, on both
//! backends: scope in every query (another city's request is a 404, and
//! the attempt is audited), sort, filters, search, counts, keyset
//! pagination, escaping, and proof downloads (exact bytes, attachment,
//! audited).

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use dsr_tracker::clock::Clock;
use dsr_tracker::db::schema::requests;
use dsr_tracker::domain::request::{Channel, RequestKind, Status};
use dsr_tracker::domain::values::Locale;
use dsr_tracker::security::proofs::ProofType;
use dsr_tracker::store::controllers;
use dsr_tracker::store::messages::{self, Direction};
use dsr_tracker::store::proofs::{self, NewProof, UploadedBy};
use dsr_tracker::store::requests::{self as store_requests, NewRequest, Request};

use crate::support::TestApp;
use crate::support::desk::{ADMIN, DPO_ISSY, VIEWER_ISSY, events_by_request, staff_id};

/// What a seeded request looks like; everything else is a plain web request.
struct Seed<'a> {
    controller: &'a controllers::Controller,
    reference: Option<String>,
    kind: RequestKind,
    channel: Channel,
    status: Status,
    due_on: Option<NaiveDate>,
    first_name: &'a str,
    last_name: &'a str,
    email: &'a str,
    details: &'a str,
}

impl<'a> Seed<'a> {
    fn new(controller: &'a controllers::Controller, reference: &str, due: (i32, u32, u32)) -> Self {
        Seed {
            controller,
            reference: Some(reference.to_owned()),
            kind: RequestKind::Access,
            channel: Channel::Web,
            status: Status::Received,
            due_on: NaiveDate::from_ymd_opt(due.0, due.1, due.2),
            first_name: "Camille",
            last_name: "Petit",
            email: "camille.petit@example.org",
            details: "Je souhaite obtenir mes données.",
        }
    }

    fn insert(&self, conn: &mut dsr_tracker::db::DbConn, now: NaiveDateTime) -> Request {
        store_requests::insert(
            conn,
            &NewRequest {
                controller_id: self.controller.id.clone(),
                kind: self.kind,
                channel: self.channel,
                status: self.status,
                locale: Locale::Fr,
                first_name: self.first_name.into(),
                last_name: self.last_name.into(),
                email: Some(self.email.into()),
                postal_address: Some("1 rue de la Mairie\n92130 Issy".into()),
                details: self.details.into(),
                objection_grounds: None,
                submitted_at: now,
                received_at: (self.status != Status::Unconfirmed).then_some(now),
                due_on: self.due_on,
                reference: self.reference.clone(),
                confirm_token_hash: None,
                confirm_token_expires_at: None,
                status_token_hash: None,
                submitter_ip: None,
                submitter_user_agent: None,
            },
        )
        .unwrap()
    }
}

/// The request ids linked from a queue page, in order.
fn linked_ids(body: &str) -> Vec<String> {
    body.split("href=\"/desk/requests/")
        .skip(1)
        .map(|s| s[..s.find('?').unwrap()].to_owned())
        // The link to the registration form of postal requests.
        .filter(|id| id != "new")
        .collect()
}

/// The "next page" URL of a queue page, unescaped.
fn next_url(body: &str) -> Option<String> {
    let end = body.find("\" rel=\"next\"")?;
    let start = body[..end].rfind("href=\"")? + "href=\"".len();
    Some(body[start..end].replace("&#38;", "&").replace("&amp;", "&"))
}

crate::db_test!(
    the_queue_shows_the_scope_by_urgency_with_filters_and_search,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let mut conn = db.conn();
        let now = app.clock.now();
        let issy = &app.issy;

        let overdue = Seed {
            first_name: "Jeanne",
            last_name: "Martin",
            email: "Jeanne.Martin@example.org",
            ..Seed::new(issy, "ISSY-2026-0001", (2026, 2, 25))
        }
        .insert(&mut conn, now);
        let soon = Seed {
            kind: RequestKind::Erasure,
            channel: Channel::Post,
            status: Status::InProgress,
            first_name: "Paul",
            last_name: "Durand",
            email: "paul@example.org",
            ..Seed::new(issy, "ISSY-2026-0002", (2026, 3, 5))
        }
        .insert(&mut conn, now);
        let later = Seed {
            status: Status::AwaitingInformation,
            ..Seed::new(issy, "ISSY-2026-0003", (2026, 4, 10))
        }
        .insert(&mut conn, now);
        let odd = Seed {
            last_name: "Taux_100%",
            ..Seed::new(issy, "ISSY-2026-0004", (2026, 3, 20))
        }
        .insert(&mut conn, now);
        let closed = Seed {
            status: Status::Closed,
            ..Seed::new(issy, "ISSY-2026-0005", (2026, 1, 5))
        }
        .insert(&mut conn, now);
        let unconfirmed = Seed {
            status: Status::Unconfirmed,
            reference: None,
            due_on: None,
            ..Seed::new(issy, "", (2026, 1, 1))
        }
        .insert(&mut conn, now);
        let anonymised = Seed {
            status: Status::Closed,
            ..Seed::new(issy, "ISSY-2026-0006", (2026, 1, 6))
        }
        .insert(&mut conn, now);
        diesel::update(requests::table.find(anonymised.id.as_str()))
            .set(requests::anonymised_at.eq(Some(now)))
            .execute(&mut conn)
            .unwrap();
        let vanves = Seed {
            first_name: "Jeanne",
            last_name: "Martin",
            ..Seed::new(&app.vanves, "VAN-2026-0001", (2026, 2, 20))
        }
        .insert(&mut conn, now);

        let b = app.login(DPO_ISSY).await;
        let home = b.page("/desk/").await;
        assert!(home.contains("href=\"/desk/queue?lang=fr\""), "{home}");

        // Default: the open requests in scope, by due date, overdue first.
        let page = b.page("/desk/queue").await;
        assert_eq!(
            linked_ids(&page),
            [
                overdue.id.as_str(),
                soon.id.as_str(),
                odd.id.as_str(),
                later.id.as_str()
            ],
            "{page}"
        );
        for absent in [
            closed.id.as_str(),
            unconfirmed.id.as_str(),
            anonymised.id.as_str(),
            vanves.id.as_str(),
        ] {
            assert!(!page.contains(absent), "{absent} listed");
        }
        assert!(!page.contains("VAN-2026-0001"));
        // One controller in scope: no controller column.
        assert!(!page.contains(">Responsable</th>"));
        // Overdue and due soon: a class for the colour, a word beside it.
        // The marker says "overdue"; the number is not negative on top.
        assert!(
            page.contains(
                "<td class=\"days overdue\"><strong class=\"marker\">En retard</strong> 5 j</td>"
            ),
            "{page}"
        );
        assert!(!page.contains("-5 j"), "{page}");
        // Days left come right after the reference: on a phone, where the
        // table scrolls sideways, the urgency is visible without scrolling.
        let header = |label: &str| page.find(&format!(">{label}</th>")).expect(label);
        assert!(header("Référence") < header("Jours restants"));
        assert!(header("Jours restants") < header("Droit"));
        assert!(
            page.contains(
                "<td class=\"days due-soon\"><strong class=\"marker\">Bientôt</strong> 3 j</td>"
            ),
            "{page}"
        );
        assert!(page.contains("Courrier postal"));
        assert!(page.contains("Droit à l&#39;effacement"));

        // Counts per status, scope only, unconfirmed and anonymised left out.
        for (n, label) in [
            (2, "Reçue"),
            (1, "En cours de traitement"),
            (1, "En attente d&#39;informations"),
            (1, "Clôturée"),
            (0, "Retirée"),
        ] {
            let expected =
                format!("<span class=\"count\" data-status-count=\"{n}\">{n}</span> {label}<");
            assert!(page.contains(&expected), "{expected}\n{page}");
        }

        // Filters.
        let ids = |body: String| linked_ids(&body);
        assert_eq!(
            ids(b.page("/desk/queue?status=closed").await),
            [closed.id.as_str()]
        );
        assert_eq!(
            ids(b.page("/desk/queue?status=all").await),
            [
                closed.id.as_str(),
                overdue.id.as_str(),
                soon.id.as_str(),
                odd.id.as_str(),
                later.id.as_str()
            ]
        );
        assert_eq!(
            ids(b.page("/desk/queue?kind=erasure").await),
            [soon.id.as_str()]
        );
        assert_eq!(
            ids(b.page("/desk/queue?channel=post").await),
            [soon.id.as_str()]
        );
        assert_eq!(
            ids(b.page("/desk/queue?overdue=1").await),
            [overdue.id.as_str()]
        );
        assert_eq!(
            ids(b.page("/desk/queue?due_within_7=1").await),
            [soon.id.as_str()]
        );
        assert_eq!(
            ids(b.page("/desk/queue?status=closed&overdue=1").await),
            Vec::<String>::new()
        );
        // A nonsense filter value is ignored rather than an error.
        assert_eq!(ids(b.page("/desk/queue?kind=bogus").await).len(), 4);

        // Search: reference, name, e-mail, any case; wildcards are literal.
        assert_eq!(
            ids(b.page("/desk/queue?q=martin").await),
            [overdue.id.as_str()]
        );
        assert_eq!(
            ids(b.page("/desk/queue?q=JEANNE.MARTIN%40").await),
            [overdue.id.as_str()]
        );
        assert_eq!(
            ids(b.page("/desk/queue?q=issy-2026-0002").await),
            [soon.id.as_str()]
        );
        assert_eq!(ids(b.page("/desk/queue?q=%25").await), [odd.id.as_str()]);
        assert_eq!(ids(b.page("/desk/queue?q=_100").await), [odd.id.as_str()]);
        let none = b.page("/desk/queue?q=VAN-2026").await;
        assert!(linked_ids(&none).is_empty());
        assert!(none.contains("Aucune demande ne correspond."));

        // English.
        let en = b.page("/desk/queue?lang=en&overdue=1").await;
        assert!(
            en.contains("<strong class=\"marker\">Overdue</strong> 5 d"),
            "{en}"
        );
        assert!(
            en.contains("href=\"/desk/queue?lang=fr&#38;overdue=1\""),
            "{en}"
        );

        // An account over several controllers sees which one each row is.
        let admin = app.login(ADMIN).await;
        let all = admin.page("/desk/queue?overdue=1").await;
        assert_eq!(linked_ids(&all), [vanves.id.as_str(), overdue.id.as_str()]);
        assert!(all.contains(">Responsable</th>"), "{all}");
        assert!(all.contains("<td>Ville de Vanves</td>"), "{all}");
    }
);

crate::db_test!(the_queue_pages_by_keyset_without_duplicates, async |db| {
    let app = TestApp::builder().start(&db).await;
    let mut conn = db.conn();
    let now = app.clock.now();
    let mut all = HashSet::new();
    for i in 0..60_u32 {
        // Three requests per due date: the id breaks the ties.
        let day = 1 + i / 3;
        let r = Seed::new(&app.issy, &format!("ISSY-2026-{i:04}"), (2026, 3, day))
            .insert(&mut conn, now);
        all.insert(r.id.to_string());
    }
    let b = app.login(DPO_ISSY).await;
    let first = b.page("/desk/queue").await;
    let first_ids = linked_ids(&first);
    assert_eq!(first_ids.len(), 50);
    let next = next_url(&first).expect("a next page link");
    assert!(next.contains("after="), "{next}");
    let second = b.page(&next).await;
    let second_ids = linked_ids(&second);
    assert_eq!(second_ids.len(), 10);
    assert!(next_url(&second).is_none(), "no page after the last");
    let seen: HashSet<String> = first_ids.iter().chain(&second_ids).cloned().collect();
    assert_eq!(seen.len(), 60, "no duplicates");
    assert_eq!(seen, all);
    // Sorted across the page boundary.
    let due = |id: &String| {
        requests::table
            .find(id)
            .select(requests::due_on)
            .first::<Option<NaiveDate>>(&mut db.conn())
            .unwrap()
    };
    assert!(due(first_ids.last().unwrap()) <= due(&second_ids[0]));
    // A cursor that does not parse starts from the beginning.
    let bogus = b.page("/desk/queue?after=nonsense").await;
    assert_eq!(linked_ids(&bogus), first_ids);
});

crate::db_test!(
    another_citys_request_and_proof_are_404_and_audited,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let mut conn = db.conn();
        let now = app.clock.now();
        let theirs = Seed::new(&app.vanves, "VAN-2026-0001", (2026, 3, 20)).insert(&mut conn, now);
        let pdf = b"%PDF-1.4 carte d'identite de Vanves";
        let proof = proofs::insert(
            &mut conn,
            &app.state.master_key,
            now,
            &NewProof {
                request_id: &theirs.id,
                proof_type: ProofType::Pdf,
                display_name: "cni.pdf",
                uploaded_by: UploadedBy::Citizen,
                plaintext: pdf,
            },
        )
        .unwrap();
        let ours = Seed::new(&app.issy, "ISSY-2026-0001", (2026, 3, 20)).insert(&mut conn, now);

        let b = app.login(DPO_ISSY).await;
        let unknown = b.get("/desk/requests/no-such-request").await;
        assert_eq!(unknown.status, 404);
        assert!(events_by_request(&db, "desk.out_of_scope_access").is_empty());

        let page = b.get(&format!("/desk/requests/{}", theirs.id)).await;
        assert_eq!(page.status, 404);
        assert_eq!(page.body, unknown.body, "the same page as an unknown id");
        assert!(!page.body.contains("VAN-2026-0001"));

        let file = b
            .get(&format!("/desk/requests/{}/proofs/{}", theirs.id, proof.id))
            .await;
        assert_eq!(file.status, 404);
        assert!(!file.bytes.windows(pdf.len()).any(|w| w == pdf));
        // Their proof under our request id: not found, nothing served, and
        // recorded against their request.
        let crossed = b
            .get(&format!("/desk/requests/{}/proofs/{}", ours.id, proof.id))
            .await;
        assert_eq!(crossed.status, 404);

        let dpo = staff_id(&db, DPO_ISSY);
        let recorded = events_by_request(&db, "desk.out_of_scope_access");
        let proof_detail = format!("proof={}", proof.id);
        assert_eq!(
            recorded,
            [
                (Some(dpo.clone()), Some(theirs.id.clone()), String::new()),
                (
                    Some(dpo.clone()),
                    Some(theirs.id.clone()),
                    proof_detail.clone()
                ),
                (Some(dpo), Some(theirs.id.clone()), proof_detail),
            ]
        );
        assert!(events_by_request(&db, "proof.viewed").is_empty());
        assert!(matches!(
            dsr_tracker::audit::verify(&mut db.conn()).unwrap(),
            dsr_tracker::audit::ChainReport::Intact { .. }
        ));
    }
);

crate::db_test!(
    the_request_page_shows_everything_escaped_and_serves_proofs,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let mut conn = db.conn();
        let now = app.clock.now();
        let r = Seed {
            details: "<script>alert('x')</script> & mes données",
            first_name: "Éloïse",
            ..Seed::new(&app.issy, "ISSY-2026-0042", (2026, 3, 30))
        }
        .insert(&mut conn, now);
        messages::add(
            &mut conn,
            &r.id,
            Direction::InternalNote,
            Some(&staff_id(&db, DPO_ISSY)),
            "Vérifier la <b>pièce</b>",
            now,
        )
        .unwrap();
        messages::add(
            &mut conn,
            &r.id,
            Direction::FromCitizen,
            None,
            "Bonjour",
            now,
        )
        .unwrap();
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        png.extend((0..=255_u8).cycle().take(3000));
        let proof = proofs::insert(
            &mut conn,
            &app.state.master_key,
            now,
            &NewProof {
                request_id: &r.id,
                proof_type: ProofType::Png,
                display_name: "Carte d'identité.png",
                uploaded_by: UploadedBy::Citizen,
                plaintext: &png,
            },
        )
        .unwrap();

        let b = app.login(DPO_ISSY).await;
        let page = b.page(&format!("/desk/requests/{}", r.id)).await;
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(
            page.contains("&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62; &#38; mes données"),
            "{page}"
        );
        assert!(page.contains("Éloïse"));
        assert!(page.contains("camille.petit@example.org"));
        assert!(page.contains("ISSY-2026-0042"));
        assert!(page.contains("Droit d&#39;accès"));
        assert!(page.contains("lundi 30 mars 2026"));
        assert!(page.contains("Note interne"));
        assert!(
            page.contains(&format!(" — {DPO_ISSY}</span></h3>")),
            "{page}"
        );
        assert!(page.contains("Vérifier la &#60;b&#62;pièce&#60;/b&#62;"));
        assert!(page.contains(&proof.display_name));
        assert!(page.contains("PNG"));
        assert!(page.contains("<section id=\"actions\">"));
        // The action forms of the actions partial, with the version the
        // page showed.
        assert!(
            page.contains(&format!(
                "action=\"/desk/requests/{}/actions/accept_identity\"",
                r.id
            )),
            "{page}"
        );
        assert!(page.contains(&format!("name=\"version\" value=\"{}\"", r.version)));

        let url = format!("/desk/requests/{}/proofs/{}", r.id, proof.id);
        assert!(page.contains(&format!("href=\"{url}\"")));
        let file = b.get(&url).await;
        assert_eq!(file.status, 200);
        assert_eq!(file.bytes, png, "the exact bytes");
        assert_eq!(file.header("content-type"), "image/png");
        assert_eq!(file.header("x-content-type-options"), "nosniff");
        assert_eq!(file.header("cache-control"), "no-store");
        let disposition = file.header("content-disposition");
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert!(
            disposition.contains("filename*=UTF-8''Carte%20d%20identit%C3%A9.png"),
            "{disposition}"
        );

        let dpo = staff_id(&db, DPO_ISSY);
        assert_eq!(
            events_by_request(&db, "proof.viewed"),
            [(Some(dpo), Some(r.id.clone()), format!("proof={}", proof.id))]
        );
        // The timeline shows it, with who did it.
        let again = b.page(&format!("/desk/requests/{}", r.id)).await;
        assert!(again.contains("Justificatif consulté"), "{again}");
        assert!(again.contains(DPO_ISSY));

        // A viewer reads the same page; no action is offered.
        let v = app.login(VIEWER_ISSY).await;
        let page = v.page(&format!("/desk/requests/{}", r.id)).await;
        assert!(page.contains("ISSY-2026-0042"));
        assert!(!page.contains("/actions/"), "no action form for a viewer");
        assert!(page.contains("pas d&#39;agir"), "{page}");
    }
);
