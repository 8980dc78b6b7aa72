//! First run in the browser (the one-time setup link) and the
//! administrators' staff and controller pages, on both backends, through
//! the real server; plus the real `serve` binary printing a working link.

use diesel::prelude::*;
use dsr_tracker::clock::Clock;
use dsr_tracker::db::schema::{controllers, setup_tokens, staff, staff_controllers};
use dsr_tracker::desk::setup;
use dsr_tracker::domain::values::{EmailAddress, Role};
use dsr_tracker::security::password;
use dsr_tracker::store::staff as store_staff;

use crate::support::desk::{
    ADMIN, ADMIN_ISSY, Answer, Browser, DPO_ISSY, DPO_VANVES, PASSWORD, VIEWER_ISSY,
    assert_chain_intact, events_named, field_value, staff_id,
};
use crate::support::{Served, TestApp, TestDb, serve};

const FIRST_ADMIN: &str = "Marie.Martin@Vanves.example.fr";
const NEW_PASSWORD: &str = "une phrase de passe assez longue";

fn count_controllers(db: &TestDb) -> i64 {
    controllers::table
        .count()
        .get_result(&mut db.conn())
        .unwrap()
}

fn count_staff(db: &TestDb) -> i64 {
    staff::table.count().get_result(&mut db.conn()).unwrap()
}

fn unused_tokens(db: &TestDb) -> i64 {
    setup_tokens::table
        .filter(setup_tokens::used_at.is_null())
        .count()
        .get_result(&mut db.conn())
        .unwrap()
}

fn new_link(db: &TestDb, app: &TestApp<()>) -> String {
    let token = setup::announce(&mut db.conn(), app.clock.now())
        .unwrap()
        .expect("no staff yet: a link");
    setup::path(&token)
}

/// A complete, valid setup form.
fn setup_form(csrf: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_owned()),
        ("c_name", "Ville de Vanves".into()),
        ("c_slug", "vanves".into()),
        ("c_prefix", "".into()),
        ("c_dpo_email", "dpo@vanves.example.fr".into()),
        (
            "c_postal",
            "Hôtel de ville\n51 rue Antoine Fratacci\n92170 Vanves".into(),
        ),
        ("c_time_zone", "Indian/Reunion".into()),
        ("c_locale", "en".into()),
        ("email", FIRST_ADMIN.into()),
        ("password", NEW_PASSWORD.into()),
        ("password2", NEW_PASSWORD.into()),
    ]
}

fn with(form: &[(&'static str, String)], name: &str, value: &str) -> Vec<(&'static str, String)> {
    form.iter()
        .map(|(n, v)| {
            (
                *n,
                if *n == name {
                    value.to_owned()
                } else {
                    v.clone()
                },
            )
        })
        .collect()
}

async fn post(b: &Browser, path: &str, form: &[(&'static str, String)]) -> Answer {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(n, v)| (*n, v.as_str())).collect();
    b.post(path, &pairs).await
}

crate::db_test!(
    setup_creates_the_first_controller_and_admin_and_signs_in,
    async |db| {
        let app = TestApp::builder().empty().start(&db).await;
        let link = new_link(&db, &app);
        let b = app.browser();

        let page = b.get(&link).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("<html lang=\"fr\""));
        assert!(page.body.contains("Installation de dsr-tracker"));
        assert_eq!(
            field_value(&page.body, "c_time_zone").as_deref(),
            Some("Europe/Paris")
        );
        let en = b.get(&format!("{link}?lang=en")).await;
        assert!(en.body.contains("Setting up dsr-tracker"), "{}", en.body);

        let csrf = field_value(&page.body, "csrf").unwrap();
        let done = post(&b, &link, &setup_form(&csrf)).await;
        assert_eq!(done.status, 303, "{}", done.body);
        assert_eq!(done.location.as_deref(), Some("/desk/?lang=fr"));
        assert!(done.session_cookie().is_some());

        // Signed in: the home page shows the new controller's public form.
        let home = b.get("/desk/").await;
        assert_eq!(home.status, 200, "{}", home.body);
        assert!(home.body.contains("marie.martin@vanves.example.fr"));
        assert!(home.body.contains("href=\"/c/vanves/\""), "{}", home.body);
        assert!(home.body.contains("/desk/staff?lang=fr"));
        assert_eq!(b.get("/desk/queue").await.status, 200);
        let form = app.browser().get("/c/vanves/").await;
        assert_eq!(form.status, 200);
        assert!(form.body.contains("Ville de Vanves"));

        // What was stored.
        let c = dsr_tracker::store::controllers::find_by_slug(&mut db.conn(), "vanves")
            .unwrap()
            .unwrap();
        assert_eq!(c.reference_prefix, "VANVES");
        assert_eq!(c.time_zone, "Indian/Reunion");
        assert_eq!(c.locale.as_str(), "en");
        assert_eq!(
            c.postal_address.as_deref(),
            Some("Hôtel de ville\n51 rue Antoine Fratacci\n92170 Vanves")
        );
        let admin = store_staff::find_by_email(&mut db.conn(), FIRST_ADMIN)
            .unwrap()
            .unwrap();
        assert_eq!(admin.role(), Role::Admin);
        assert!(password::verify(NEW_PASSWORD, Some(&admin.password_hash)));
        let rows: i64 = staff_controllers::table
            .count()
            .get_result(&mut db.conn())
            .unwrap();
        assert_eq!(rows, 0, "a platform admin has no scope rows");
        assert_eq!(unused_tokens(&db), 0);
        for action in [
            "controller.created",
            "staff.created",
            "setup.completed",
            "staff.login",
        ] {
            let events = events_named(&db, action);
            assert_eq!(events.len(), 1, "{action}");
            assert!(!events[0].detail.contains('@'), "no e-mail in {action}");
        }
        assert_eq!(
            events_named(&db, "setup.completed")[0].actor_id.as_deref(),
            Some(admin.id.as_str())
        );
        assert_chain_intact(&db);

        // The link worked once: now it is a 404, and a second submission
        // from another browser creates nothing.
        let other = app.browser();
        let again = other.get(&link).await;
        assert_eq!(again.status, 404);
        assert!(
            again.body.contains("inconnu ou a déjà servi"),
            "{}",
            again.body
        );
        let login = other.get("/desk/login").await;
        let csrf = field_value(&login.body, "csrf").unwrap();
        let replay = post(&other, &link, &with(&setup_form(&csrf), "c_slug", "autre")).await;
        assert_eq!(replay.status, 404);
        assert_eq!(count_controllers(&db), 1);
        assert_eq!(count_staff(&db), 1);
    }
);

crate::db_test!(each_start_without_staff_replaces_the_link, async |db| {
    let app = TestApp::builder().empty().start(&db).await;
    let first = new_link(&db, &app);
    let second = new_link(&db, &app);
    assert_ne!(first, second);
    let b = app.browser();
    assert_eq!(b.get(&first).await.status, 404);
    assert_eq!(b.get(&second).await.status, 200);
    assert_eq!(b.get("/desk/setup/not-a-token").await.status, 404);
    assert_eq!(unused_tokens(&db), 1);
    // The token itself is never stored, only its hash.
    let token = second.rsplit('/').next().unwrap();
    let stored: Vec<String> = setup_tokens::table
        .select(setup_tokens::token_hash)
        .load(&mut db.conn())
        .unwrap();
    assert!(!stored.iter().any(|h| h == token));
});

crate::db_test!(setup_is_refused_once_staff_exists, async |db| {
    let app = TestApp::builder().empty().start(&db).await;
    let link = new_link(&db, &app);
    let b = app.browser();
    let csrf = field_value(&b.get(&link).await.body, "csrf").unwrap();
    // Meanwhile someone used `dsr-tracker staff add`.
    store_staff::create(
        &mut db.conn(),
        &EmailAddress::parse("ops@example.fr").unwrap(),
        Role::Admin,
        &password::hash(PASSWORD),
        &[],
        app.clock.now(),
    )
    .unwrap();
    let page = b.get(&link).await;
    assert_eq!(page.status, 403);
    assert!(
        page.body.contains("L&#39;installation est déjà faite"),
        "{}",
        page.body
    );
    let sent = post(&b, &link, &setup_form(&csrf)).await;
    assert_eq!(sent.status, 403, "{}", sent.body);
    assert!(sent.session_cookie().is_none());
    assert_eq!(count_controllers(&db), 0);
    assert_eq!(count_staff(&db), 1);
    assert!(events_named(&db, "setup.completed").is_empty());
    // The next start prints no link and removes the unused one.
    assert!(
        setup::announce(&mut db.conn(), app.clock.now())
            .unwrap()
            .is_none()
    );
    assert_eq!(unused_tokens(&db), 0);
    assert_eq!(b.get(&link).await.status, 404);
});

crate::db_test!(
    setup_bad_input_keeps_the_values_and_writes_nothing,
    async |db| {
        let app = TestApp::builder().empty().start(&db).await;
        let link = new_link(&db, &app);
        let b = app.browser();
        let csrf = field_value(&b.get(&link).await.body, "csrf").unwrap();
        let good = setup_form(&csrf);
        // One bad value at a time: (field, value, error field, French text).
        let cases: [(&str, &str, &str, &str); 11] = [
            ("c_name", "  ", "c_name", "ce champ est obligatoire"),
            (
                "c_slug",
                "Vanves Ville",
                "c_slug",
                "identifiant `Vanves Ville` invalide",
            ),
            (
                "c_prefix",
                "v1",
                "c_prefix",
                "préfixe de référence `v1` invalide",
            ),
            (
                "c_dpo_email",
                "dpo-at-vanves",
                "c_dpo_email",
                "adresse électronique valide",
            ),
            (
                "c_time_zone",
                "Europe/Vanves",
                "c_time_zone",
                "fuseau horaire inconnu",
            ),
            ("c_locale", "de", "c_locale", "choisissez le français ou l"),
            ("email", "", "email", "indiquez une adresse électronique"),
            ("email", "marie@", "email", "adresse électronique valide"),
            (
                "password",
                "trop court",
                "password",
                "au moins 12 caractères",
            ),
            ("password", "", "password", "saisissez un mot de passe"),
            (
                "password2",
                "une autre phrase de passe",
                "password2",
                "les deux mots de passe sont différents",
            ),
        ];
        for (field, value, error_field, text) in cases {
            let a = post(&b, &link, &with(&good, field, value)).await;
            assert_eq!(a.status, 422, "{field}={value}: {}", a.body);
            assert!(
                a.body.contains(&format!("id=\"{error_field}-error\"")),
                "{field}: error next to the field"
            );
            assert!(
                a.body.contains(&text.replace('\'', "&#39;")),
                "{field}={value}: {}",
                a.body
            );
            assert!(a.body.contains("class=\"error-summary\""));
            // The other values are kept; passwords never come back.
            assert_eq!(
                field_value(&a.body, "c_dpo_email").as_deref(),
                Some(if field == "c_dpo_email" {
                    value
                } else {
                    "dpo@vanves.example.fr"
                })
            );
            assert!(a.body.contains("Indian/Reunion") || field == "c_time_zone");
            assert!(!a.body.contains(NEW_PASSWORD), "{field}: password echoed");
            assert!(!a.body.contains("trop court"));
            assert_eq!(count_controllers(&db), 0, "{field}");
            assert_eq!(count_staff(&db), 0, "{field}");
            assert_eq!(unused_tokens(&db), 1, "{field}: link still valid");
        }
        // In English too.
        let en = post(
            &b,
            &format!("{link}?lang=en"),
            &with(&good, "c_time_zone", "Mars/Olympus"),
        )
        .await;
        assert_eq!(en.status, 422);
        assert!(
            en.body.contains("Time zone: unknown time zone"),
            "{}",
            en.body
        );
        // The slug is only known to be taken in the transaction: still
        // nothing written, the link still works.
        let mut conn = db.conn();
        let taken = setup_form(&csrf);
        dsr_tracker::store::controllers::create(
            &mut conn,
            &dsr_tracker::store::controllers::NewController {
                slug: dsr_tracker::domain::values::Slug::parse("vanves").unwrap(),
                name: "Déjà là".into(),
                reference_prefix: dsr_tracker::domain::values::ReferencePrefix::parse("VAN")
                    .unwrap(),
                dpo_email: EmailAddress::parse("dpo@vanves.example.fr").unwrap(),
                postal_address: None,
                locale: dsr_tracker::domain::values::Locale::Fr,
            },
            app.clock.now(),
        )
        .unwrap();
        let a = post(&b, &link, &taken).await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert!(a.body.contains("déjà utilisé par une autre collectivité"));
        assert_eq!(count_controllers(&db), 1);
        assert_eq!(count_staff(&db), 0);
        assert_eq!(unused_tokens(&db), 1);
        assert!(events_named(&db, "controller.created").is_empty());
    }
);

crate::db_test!(setup_without_the_csrf_token_changes_nothing, async |db| {
    let app = TestApp::builder().empty().start(&db).await;
    let link = new_link(&db, &app);
    let b = app.browser();
    let csrf = field_value(&b.get(&link).await.body, "csrf").unwrap();
    let good = setup_form(&csrf);
    let missing: Vec<_> = good.iter().filter(|(n, _)| *n != "csrf").cloned().collect();
    for form in [
        missing,
        with(&good, "csrf", "forged-token-forged-token-forged-token"),
    ] {
        let a = post(&b, &link, &form).await;
        assert_eq!(a.status, 403, "{}", a.body);
        assert!(a.body.contains("rien n&#39;a été enregistré"), "{}", a.body);
        assert_eq!(
            field_value(&a.body, "c_name").as_deref(),
            Some("Ville de Vanves")
        );
        assert!(!a.body.contains(NEW_PASSWORD));
    }
    // A browser without the cookie is refused too.
    let a = post(&app.browser(), &link, &good).await;
    assert_eq!(a.status, 403);
    assert_eq!(count_controllers(&db), 0);
    assert_eq!(count_staff(&db), 0);
    assert_eq!(unused_tokens(&db), 1);
});

fn controller_ids(db: &TestDb, email: &str) -> Vec<String> {
    staff_controllers::table
        .filter(staff_controllers::staff_id.eq(staff_id(db, email)))
        .select(staff_controllers::controller_id)
        .load(&mut db.conn())
        .unwrap()
}

fn is_disabled(db: &TestDb, email: &str) -> bool {
    store_staff::find_by_email(&mut db.conn(), email)
        .unwrap()
        .unwrap()
        .disabled
}

crate::db_test!(an_admin_adds_and_disables_staff, async |db| {
    let app = TestApp::builder().start(&db).await;
    let admin = app.login(ADMIN_ISSY).await;
    let dpo = app.login(DPO_ISSY).await;

    let list = admin.get("/desk/staff").await;
    assert_eq!(list.status, 200, "{}", list.body);
    for shown in [ADMIN_ISSY, DPO_ISSY, VIEWER_ISSY] {
        assert!(list.body.contains(shown), "{shown}");
    }
    for hidden in [ADMIN, DPO_VANVES] {
        assert!(!list.body.contains(hidden), "{hidden} is outside the scope");
    }
    let form = admin.get("/desk/staff/new").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains(&*app.issy.id));
    assert!(!form.body.contains(&*app.vanves.id));

    let added = admin
        .post(
            "/desk/staff/new",
            &[
                ("csrf", &admin.csrf),
                ("email", "Nouveau.DPO@issy.example.fr"),
                ("role", "dpo"),
                ("controller", &app.issy.id),
                ("password", NEW_PASSWORD),
                ("password2", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    assert_eq!(
        added.location.as_deref(),
        Some("/desk/staff?lang=fr&notice=created")
    );
    let new_email = "nouveau.dpo@issy.example.fr";
    assert_eq!(controller_ids(&db, new_email), vec![app.issy.id.clone()]);
    let created = events_named(&db, "staff.created");
    assert_eq!(created.len(), 1);
    assert_eq!(
        created[0].actor_id.as_deref(),
        Some(staff_id(&db, ADMIN_ISSY).as_str())
    );
    assert!(!created[0].detail.contains('@'));
    // The new account signs in with the initial password.
    let newcomer = app.browser();
    assert_eq!(newcomer.login(new_email, NEW_PASSWORD).await.status, 303);
    assert_eq!(newcomer.get("/desk/queue").await.status, 200);

    // Disabling ends the DPO's session at once.
    assert_eq!(dpo.get("/desk/queue").await.status, 200);
    let dpo_id = staff_id(&db, DPO_ISSY);
    let off = admin
        .post(
            &format!("/desk/staff/{dpo_id}/disable"),
            &[("csrf", &admin.csrf)],
        )
        .await;
    assert_eq!(off.status, 303, "{}", off.body);
    assert!(is_disabled(&db, DPO_ISSY));
    assert!(dpo.get("/desk/queue").await.is_redirect_to_login());
    assert_eq!(
        app.browser().login(DPO_ISSY, PASSWORD).await.status,
        422,
        "a disabled account cannot sign in"
    );
    let disabled = events_named(&db, "staff.disabled");
    assert_eq!(disabled.len(), 1);
    assert_eq!(disabled[0].detail, format!("staff={dpo_id} via=desk"));
    let list = admin.get("/desk/staff?notice=disabled").await;
    assert!(list.body.contains("désactivé"));

    // Not oneself, and not without the CSRF token.
    let me = staff_id(&db, ADMIN_ISSY);
    let a = admin
        .post(
            &format!("/desk/staff/{me}/disable"),
            &[("csrf", &admin.csrf)],
        )
        .await;
    assert_eq!(a.status, 422);
    assert!(a.body.contains("votre propre compte"));
    assert!(!is_disabled(&db, ADMIN_ISSY));
    let viewer_id = staff_id(&db, VIEWER_ISSY);
    let a = admin
        .post(
            &format!("/desk/staff/{viewer_id}/disable"),
            &[("csrf", "wrong")],
        )
        .await;
    assert_eq!(a.status, 403);
    assert!(!is_disabled(&db, VIEWER_ISSY));
    assert_eq!(events_named(&db, "staff.disabled").len(), 1);
    assert_chain_intact(&db);
});

crate::db_test!(a_scoped_admin_stays_within_its_scope, async |db| {
    let app = TestApp::builder().start(&db).await;
    let admin = app.login(ADMIN_ISSY).await;
    let base = |email: &'static str, role: &'static str| {
        vec![
            ("csrf", admin.csrf.clone()),
            ("email", email.to_owned()),
            ("role", role.to_owned()),
            ("password", NEW_PASSWORD.to_owned()),
            ("password2", NEW_PASSWORD.to_owned()),
        ]
    };
    // Another city's controller, forged into the form.
    let mut forged = base("x@vanves.example.fr", "dpo");
    forged.push(("controller", app.vanves.id.to_string()));
    let a = post(&admin, "/desk/staff/new", &forged).await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.contains("ne fait pas partie de votre périmètre"));
    // A platform administrator (admin without controllers).
    let a = post(&admin, "/desk/staff/new", &base("root@example.fr", "admin")).await;
    assert_eq!(a.status, 422);
    assert!(
        a.body.contains("administrateur de toute la plateforme"),
        "{}",
        a.body
    );
    assert_eq!(
        field_value(&a.body, "email").as_deref(),
        Some("root@example.fr")
    );
    assert!(
        store_staff::find_by_email(&mut db.conn(), "x@vanves.example.fr")
            .unwrap()
            .is_none()
    );
    assert!(
        store_staff::find_by_email(&mut db.conn(), "root@example.fr")
            .unwrap()
            .is_none()
    );
    // Accounts outside the scope are not found.
    for other in [DPO_VANVES, ADMIN] {
        let id = staff_id(&db, other);
        let a = admin
            .post(
                &format!("/desk/staff/{id}/disable"),
                &[("csrf", &admin.csrf)],
            )
            .await;
        assert_eq!(a.status, 404, "{other}");
        assert!(!is_disabled(&db, other));
    }
    // No new controller either.
    assert_eq!(admin.get("/desk/controllers/new").await.status, 403);
    let a = admin
        .post(
            "/desk/controllers/new",
            &[
                ("csrf", &admin.csrf),
                ("c_name", "Ville de Malakoff"),
                ("c_slug", "malakoff"),
                ("c_dpo_email", "dpo@malakoff.example.fr"),
                ("c_time_zone", "Europe/Paris"),
                ("c_locale", "fr"),
            ],
        )
        .await;
    assert_eq!(a.status, 403);
    assert_eq!(count_controllers(&db), 2);
    let list = admin.get("/desk/controllers").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("issy") && !list.body.contains("Ville de Vanves"));
    assert!(!list.body.contains("/desk/controllers/new"));

    // The platform admin can do both.
    let root = app.login(ADMIN).await;
    let list = root.get("/desk/staff?lang=en").await;
    assert!(list.body.contains(DPO_VANVES) && list.body.contains(ADMIN));
    assert!(list.body.contains("Staff accounts"));
    let a = post(
        &root,
        "/desk/staff/new",
        &[
            ("csrf", root.csrf.clone()),
            ("email", "root2@example.fr".into()),
            ("role", "admin".into()),
            ("password", NEW_PASSWORD.into()),
            ("password2", NEW_PASSWORD.into()),
        ],
    )
    .await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert!(controller_ids(&db, "root2@example.fr").is_empty());
    let id = staff_id(&db, DPO_VANVES);
    let a = root
        .post(
            &format!("/desk/staff/{id}/disable"),
            &[("csrf", &root.csrf)],
        )
        .await;
    assert_eq!(a.status, 303);
    assert!(is_disabled(&db, DPO_VANVES));
});

crate::db_test!(
    dpo_and_viewer_cannot_manage_staff_or_controllers,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        for who in [DPO_ISSY, VIEWER_ISSY] {
            let b = app.login(who).await;
            for page in [
                "/desk/staff",
                "/desk/staff/new",
                "/desk/controllers",
                "/desk/controllers/new",
            ] {
                let a = b.get(page).await;
                assert_eq!(a.status, 403, "{who} {page}");
                assert!(a.body.contains("Accès réservé aux administrateurs"));
            }
            let a = b
                .post(
                    "/desk/staff/new",
                    &[
                        ("csrf", &b.csrf),
                        ("email", "intrus@issy.example.fr"),
                        ("role", "admin"),
                        ("controller", &app.issy.id),
                        ("password", NEW_PASSWORD),
                        ("password2", NEW_PASSWORD),
                    ],
                )
                .await;
            assert_eq!(a.status, 403);
            let victim = staff_id(&db, DPO2_ISSY_EMAIL);
            let a = b
                .post(
                    &format!("/desk/staff/{victim}/disable"),
                    &[("csrf", &b.csrf)],
                )
                .await;
            assert_eq!(a.status, 403);
            let home = b.get("/desk/").await;
            assert!(!home.body.contains("/desk/staff"));
        }
        assert!(
            store_staff::find_by_email(&mut db.conn(), "intrus@issy.example.fr")
                .unwrap()
                .is_none()
        );
        assert!(!is_disabled(&db, DPO2_ISSY_EMAIL));
        assert!(events_named(&db, "staff.created").is_empty());
    }
);

const DPO2_ISSY_EMAIL: &str = crate::support::desk::DPO2_ISSY;

crate::db_test!(
    staff_form_bad_input_keeps_values_and_creates_nothing,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let admin = app.login(ADMIN).await;
        let good = vec![
            ("csrf", admin.csrf.clone()),
            ("email", "nouvelle@issy.example.fr".to_owned()),
            ("role", "viewer".to_owned()),
            ("controller", app.issy.id.to_string()),
            ("password", NEW_PASSWORD.to_owned()),
            ("password2", NEW_PASSWORD.to_owned()),
        ];
        let cases: [(&str, &str, &str, &str); 6] = [
            (
                "email",
                DPO_ISSY,
                "email",
                "un compte existe déjà avec cette adresse",
            ),
            (
                "email",
                "pas-une-adresse",
                "email",
                "adresse électronique valide",
            ),
            ("role", "superuser", "role", "choisissez un rôle"),
            (
                "controller",
                "",
                "controllers",
                "cochez au moins une collectivité",
            ),
            ("password", "court", "password", "au moins 12 caractères"),
            (
                "password2",
                "autre phrase de passe",
                "password2",
                "sont différents",
            ),
        ];
        for (field, value, error_field, text) in cases {
            let form: Vec<_> = if field == "controller" {
                good.iter()
                    .filter(|(n, _)| *n != "controller")
                    .cloned()
                    .collect()
            } else {
                with(&good, field, value)
            };
            let a = post(&admin, "/desk/staff/new", &form).await;
            assert_eq!(a.status, 422, "{field}: {}", a.body);
            assert!(
                a.body.contains(&format!("id=\"{error_field}-error\"")),
                "{field}"
            );
            assert!(a.body.contains(text), "{field}: {}", a.body);
            assert!(!a.body.contains(NEW_PASSWORD));
            if field != "email" {
                assert_eq!(
                    field_value(&a.body, "email").as_deref(),
                    Some("nouvelle@issy.example.fr")
                );
            }
            if field != "controller" {
                assert!(
                    a.body
                        .contains(&format!("value=\"{}\" checked", app.issy.id)),
                    "{field}: scope kept"
                );
            }
        }
        let forged = with(&good, "csrf", "forged");
        let a = post(&admin, "/desk/staff/new", &forged).await;
        assert_eq!(a.status, 403);
        assert_eq!(
            field_value(&a.body, "email").as_deref(),
            Some("nouvelle@issy.example.fr")
        );
        assert!(
            store_staff::find_by_email(&mut db.conn(), "nouvelle@issy.example.fr")
                .unwrap()
                .is_none()
        );
        assert_eq!(count_staff(&db), 6);
        assert!(events_named(&db, "staff.created").is_empty());
    }
);

crate::db_test!(a_platform_admin_adds_a_controller, async |db| {
    let app = TestApp::builder().start(&db).await;
    let root = app.login(ADMIN).await;
    let home = root.get("/desk/").await;
    assert!(home.body.contains("/desk/controllers?lang=fr"));
    let page = root.get("/desk/controllers/new").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        field_value(&page.body, "c_time_zone").as_deref(),
        Some("Europe/Paris")
    );
    let good = vec![
        ("csrf", root.csrf.clone()),
        ("c_name", "Ville de Malakoff".to_owned()),
        ("c_slug", "malakoff".to_owned()),
        ("c_prefix", "MAL".to_owned()),
        ("c_dpo_email", "dpo@malakoff.example.fr".to_owned()),
        ("c_postal", String::new()),
        ("c_time_zone", "Europe/Paris".to_owned()),
        ("c_locale", "fr".to_owned()),
    ];
    // Refusals first: taken slug, bad value, forged token.
    let a = post(
        &root,
        "/desk/controllers/new",
        &with(&good, "c_slug", "issy"),
    )
    .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.contains("déjà utilisé par une autre collectivité"));
    assert_eq!(
        field_value(&a.body, "c_name").as_deref(),
        Some("Ville de Malakoff")
    );
    let a = post(
        &root,
        "/desk/controllers/new",
        &with(&good, "c_dpo_email", "non"),
    )
    .await;
    assert_eq!(a.status, 422);
    assert!(a.body.contains("id=\"c_dpo_email-error\""));
    let a = post(&root, "/desk/controllers/new", &with(&good, "csrf", "x")).await;
    assert_eq!(a.status, 403);
    assert_eq!(count_controllers(&db), 2);
    assert!(events_named(&db, "controller.created").is_empty());

    let a = post(&root, "/desk/controllers/new", &good).await;
    assert_eq!(a.status, 303, "{}", a.body);
    let list = root.get(a.location.as_deref().unwrap()).await;
    assert!(list.body.contains("Ville de Malakoff"));
    assert!(list.body.contains("/c/malakoff/"));
    assert_eq!(app.browser().get("/c/malakoff/").await.status, 200);
    let c = dsr_tracker::store::controllers::find_by_slug(&mut db.conn(), "malakoff")
        .unwrap()
        .unwrap();
    assert_eq!(c.reference_prefix, "MAL");
    let events = events_named(&db, "controller.created");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].controller_id.as_deref(), Some(c.id.as_str()));
    assert_eq!(
        events[0].actor_id.as_deref(),
        Some(staff_id(&db, ADMIN).as_str())
    );
    assert_chain_intact(&db);
});

/// Where `serve` is told it is published: the link it prints is on it.
const PUBLIC_URL: &[(&str, &str)] = &[("PUBLIC_URL", "https://dsr.example.test")];

impl Served {
    /// The setup path printed at start, if any.
    fn setup_path(&self) -> Option<String> {
        self.log.iter().find_map(|l| {
            let at = l.find("/desk/setup/")?;
            Some(l[at..].split_whitespace().next().unwrap().to_owned())
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_prints_a_setup_link_that_works() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    let first = serve(&data, PUBLIC_URL);
    let old = first
        .setup_path()
        .unwrap_or_else(|| panic!("{:#?}", first.log));
    assert!(
        first
            .log
            .iter()
            .any(|l| l.contains(&format!("https://dsr.example.test{old}"))),
        "the link is absolute, on PUBLIC_URL: {:#?}",
        first.log
    );
    first.stop().await;

    let second = serve(&data, PUBLIC_URL);
    let link = second.setup_path().unwrap();
    assert_ne!(link, old);
    let base = format!("http://127.0.0.1:{}", second.port);
    let b = Browser::new(&base);
    assert_eq!(b.get(&old).await.status, 404, "a restart replaced the link");
    let page = b.get(&link).await;
    assert_eq!(page.status, 200);
    let csrf = field_value(&page.body, "csrf").unwrap();
    let done = post(&b, &link, &setup_form(&csrf)).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let home = b.get("/desk/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("href=\"/c/vanves/\""));
    assert_eq!(b.get("/desk/queue").await.status, 200);
    assert_eq!(Browser::new(&base).get("/c/vanves/").await.status, 200);
    second.stop().await;

    // With an administrator, no link any more.
    let third = serve(&data, PUBLIC_URL);
    assert!(third.setup_path().is_none(), "{:#?}", third.log);
    third.stop().await;
}

crate::db_test!(two_submissions_of_one_link_create_one_admin, async |db| {
    let app = TestApp::builder().empty().start(&db).await;
    let link = new_link(&db, &app);
    let (one, two) = (app.browser(), app.browser());
    let csrf_one = field_value(&one.get(&link).await.body, "csrf").unwrap();
    let csrf_two = field_value(&two.get(&link).await.body, "csrf").unwrap();
    let form_one = setup_form(&csrf_one);
    let form_two = with(
        &with(&setup_form(&csrf_two), "c_slug", "issy"),
        "email",
        "autre@issy.example.fr",
    );
    let (a, b) = tokio::join!(post(&one, &link, &form_one), post(&two, &link, &form_two));
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [303, 404], "{}\n{}", a.body, b.body);
    assert_eq!(count_controllers(&db), 1);
    assert_eq!(count_staff(&db), 1);
    assert_eq!(events_named(&db, "setup.completed").len(), 1);
    assert_chain_intact(&db);
});

fn role_of(db: &TestDb, email: &str) -> Role {
    store_staff::find_by_email(&mut db.conn(), email)
        .unwrap()
        .unwrap()
        .role()
}

crate::db_test!(
    an_admin_changes_role_and_controllers_within_scope,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let admin = app.login(ADMIN_ISSY).await;
        let viewer = app.login(VIEWER_ISSY).await;
        let viewer_id = staff_id(&db, VIEWER_ISSY);
        let path = format!("/desk/staff/{viewer_id}/edit");

        let page = admin.get(&path).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("value=\"viewer\" checked"));
        assert!(
            page.body
                .contains(&format!("value=\"{}\" checked", app.issy.id))
        );
        assert!(!page.body.contains(&*app.vanves.id));

        let form = |role: &str, controllers: &[&str], csrf: &str| {
            let mut f = vec![("csrf", csrf.to_owned()), ("role", role.to_owned())];
            f.extend(controllers.iter().map(|c| ("controller", (*c).to_owned())));
            f
        };
        // Refusals: forged controller, platform admin, missing token.
        let a = post(&admin, &path, &form("dpo", &[&app.vanves.id], &admin.csrf)).await;
        assert_eq!(a.status, 422);
        assert!(a.body.contains("ne fait pas partie de votre périmètre"));
        let a = post(&admin, &path, &form("admin", &[], &admin.csrf)).await;
        assert_eq!(a.status, 422);
        assert!(
            a.body.contains("value=\"admin\" checked"),
            "typed role kept"
        );
        let a = post(&admin, &path, &form("dpo", &[&app.issy.id], "forged")).await;
        assert_eq!(a.status, 403);
        assert_eq!(role_of(&db, VIEWER_ISSY), Role::Viewer);
        // Unchanged: nothing written.
        let a = post(&admin, &path, &form("viewer", &[&app.issy.id], &admin.csrf)).await;
        assert_eq!(
            a.location.as_deref(),
            Some("/desk/staff?lang=fr&notice=unchanged")
        );
        assert!(events_named(&db, "staff.updated").is_empty());

        let a = post(&admin, &path, &form("dpo", &[&app.issy.id], &admin.csrf)).await;
        assert_eq!(a.status, 303, "{}", a.body);
        assert_eq!(
            a.location.as_deref(),
            Some("/desk/staff?lang=fr&notice=updated")
        );
        assert_eq!(role_of(&db, VIEWER_ISSY), Role::Dpo);
        let events = events_named(&db, "staff.updated");
        assert_eq!(events.len(), 1);
        assert_eq!(
            events[0].detail,
            format!("staff={viewer_id} role=viewer->dpo controllers=1->1 via=desk")
        );
        // The open session has the new role at its next page.
        assert!(viewer.get("/desk/").await.body.contains("(DPO)"));

        // Not oneself, not outside the scope, not as a DPO.
        let me = staff_id(&db, ADMIN_ISSY);
        assert_eq!(
            admin.get(&format!("/desk/staff/{me}/edit")).await.status,
            403
        );
        let a = post(
            &admin,
            &format!("/desk/staff/{me}/edit"),
            &form("dpo", &[&app.issy.id], &admin.csrf),
        )
        .await;
        assert_eq!(a.status, 403);
        assert_eq!(role_of(&db, ADMIN_ISSY), Role::Admin);
        let other = staff_id(&db, DPO_VANVES);
        assert_eq!(
            admin.get(&format!("/desk/staff/{other}/edit")).await.status,
            404
        );
        let a = post(
            &admin,
            &format!("/desk/staff/{other}/edit"),
            &form("viewer", &[&app.issy.id], &admin.csrf),
        )
        .await;
        assert_eq!(a.status, 404);
        assert_eq!(role_of(&db, DPO_VANVES), Role::Dpo);
        let dpo = app.login(DPO_ISSY).await;
        assert_eq!(dpo.get(&path).await.status, 403);

        // The platform admin moves the Vanves DPO to Issy: at its next page
        // it sees Issy and no longer Vanves.
        let moved = app.login(DPO_VANVES).await;
        assert!(moved.get("/desk/").await.body.contains("Ville de Vanves"));
        let root = app.login(ADMIN).await;
        let a = post(
            &root,
            &format!("/desk/staff/{other}/edit"),
            &form("dpo", &[&app.issy.id], &root.csrf),
        )
        .await;
        assert_eq!(a.status, 303, "{}", a.body);
        let home = moved.get("/desk/").await.body;
        assert!(home.contains("Issy-les-Moulineaux") && !home.contains("Ville de Vanves"));
        assert_chain_intact(&db);
    }
);

crate::db_test!(admin_pages_speak_the_page_language, async |db| {
    let app = TestApp::builder().start(&db).await;
    let root = app.login(ADMIN).await;
    // The password's rules come from the policy; French punctuation is
    // set by the catalogue (narrow no-break space before the colon).
    let form = root.page("/desk/staff/new").await;
    assert!(form.contains("<html lang=\"fr\""), "{form}");
    assert!(
        form.contains("12 caractères au moins (128 au plus)"),
        "{form}"
    );
    let en = root.page("/desk/staff/new?lang=en").await;
    assert!(en.contains("<html lang=\"en\""), "{en}");
    assert!(en.contains("At least 12 characters (at most 128)"), "{en}");
    assert!(en.contains("reads requests without acting"), "{en}");
    let taken = |lang: &'static str| {
        let csrf = root.csrf.clone();
        let issy = app.issy.id.to_string();
        let root = &root;
        async move {
            post(
                root,
                &format!("/desk/staff/new{lang}"),
                &[
                    ("csrf", csrf),
                    ("email", DPO_ISSY.to_owned()),
                    ("role", "dpo".to_owned()),
                    ("controller", issy),
                    ("password", NEW_PASSWORD.to_owned()),
                    ("password2", NEW_PASSWORD.to_owned()),
                ],
            )
            .await
        }
    };
    let fr = taken("").await;
    assert_eq!(fr.status, 422);
    assert!(
        fr.body.contains(
            "Adresse électronique (identifiant de connexion)\u{202f}: un compte existe déjà avec cette adresse."
        ),
        "{}",
        fr.body
    );
    assert!(
        fr.body
            .contains("<title>Le formulaire contient des erreurs — ")
    );
    let en = taken("?lang=en").await;
    assert_eq!(en.status, 422);
    assert!(
        en.body.contains(
            "E-mail address (sign-in name): an account already exists with this address."
        ),
        "{}",
        en.body
    );
    assert!(en.body.contains("<html lang=\"en\""));
    assert!(
        field_value(&en.body, "email").as_deref() == Some(DPO_ISSY),
        "typed address kept"
    );

    // Editing oneself: the list again, with why, in the page's language.
    let me = staff_id(&db, ADMIN);
    let a = post(
        &root,
        &format!("/desk/staff/{me}/edit?lang=en"),
        &[("csrf", root.csrf.clone()), ("role", "dpo".to_owned())],
    )
    .await;
    assert_eq!(a.status, 403);
    assert!(
        a.body
            .contains("You cannot change your own role or controllers"),
        "{}",
        a.body
    );
    assert!(a.body.contains(DPO_VANVES), "the list: {}", a.body);
    assert_eq!(role_of(&db, ADMIN), Role::Admin);

    // The controllers page and the home page's links.
    let list = root.page("/desk/controllers?lang=en").await;
    assert!(list.contains("Add a controller") && list.contains("DPO contact"));
    let home = root.page("/desk/?lang=en").await;
    assert!(home.contains(">Manage controllers</a>"), "{home}");
});

crate::db_test!(
    a_closed_setup_link_says_why_in_the_page_language,
    async |db| {
        let app = TestApp::builder().empty().start(&db).await;
        let b = app.browser();
        let en = b.get("/desk/setup/not-a-token?lang=en").await;
        assert_eq!(en.status, 404);
        assert!(en.body.contains("<html lang=\"en\""));
        assert!(
            en.body.contains("<h1>Invalid setup link</h1>"),
            "{}",
            en.body
        );
        assert!(
            en.body
                .contains("<a href=\"/desk/login?lang=en\">Go to the sign-in page</a>"),
            "{}",
            en.body
        );
        let fr = b.get("/desk/setup/not-a-token").await;
        assert_eq!(fr.status, 404);
        assert!(
            fr.body
                .contains("<h1>Lien d&#39;installation invalide</h1>")
        );
        assert!(fr.body.contains("href=\"/desk/login?lang=fr\""));
        assert!(!fr.body.contains("<form"), "no form behind a dead link");
    }
);
