//! Two-step verification (TOTP) of staff accounts through the real server,
//! on both backends: setting it up from the account page, the login that
//! then needs a code, replayed codes, clock skew, the rate limit, turning
//! it off, and the operator's `staff totp-reset` for a lost phone. Codes
//! are computed here with totp-rs from the key the page shows and the
//! manual clock's time, independently of the server's own code.

use chrono::TimeDelta;
use diesel::prelude::*;
use dsr_tracker::clock::Clock;
use dsr_tracker::db::schema::{events, login_records, staff, staff_sessions};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::support::desk::{
    Answer, Browser, DPO_ISSY, PASSWORD, assert_chain_intact, events_named, field_value, staff_id,
};
use crate::support::{TestApp, TestDb};

/// The authenticator app of the test: the key as the page shows it.
struct Phone(TOTP);

impl Phone {
    fn from_page(body: &str) -> Phone {
        let at = body.find("id=\"totp-key\">").expect("key on the page") + "id=\"totp-key\">".len();
        let to = body[at..].find('<').unwrap() + at;
        let key: String = body[at..to]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let bytes = Secret::Encoded(key).to_bytes().expect("base32 key");
        Phone(TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes, None, String::new()).unwrap())
    }

    /// The code shown `offset` steps away from the app's clock.
    fn code(&self, app: &TestApp, offset: i64) -> String {
        let now = app.clock.now().and_utc().timestamp() + offset * 30;
        self.0.generate(u64::try_from(now).unwrap())
    }
}

/// A stored TOTP column pair of an account.
fn totp_row(db: &TestDb, email: &str) -> (Option<String>, Option<i64>) {
    staff::table
        .filter(staff::email.eq(email))
        .select((staff::totp_secret, staff::totp_last_step))
        .first(&mut db.conn())
        .unwrap()
}

fn failed_logins(db: &TestDb, email: &str) -> i64 {
    login_records::table
        .filter(login_records::staff_id.eq(staff_id(db, email)))
        .filter(login_records::success.eq(false))
        .count()
        .get_result(&mut db.conn())
        .unwrap()
}

async fn login_with_code(b: &Browser, email: &str, password: &str, code: &str) -> Answer {
    let csrf = b.csrf("/desk/login").await;
    b.post(
        "/desk/login",
        &[
            ("csrf", &csrf),
            ("email", email),
            ("password", password),
            ("code", code),
        ],
    )
    .await
}

/// The account page's set-up form, sent with `code` and `password`.
async fn confirm(b: &Browser, pending: &str, code: &str, password: &str) -> Answer {
    b.post(
        "/desk/account/totp/enable",
        &[
            ("csrf", &b.csrf),
            ("pending", pending),
            ("code", code),
            ("password", password),
        ],
    )
    .await
}

/// Logs `email` in, sets TOTP up with the current code, logs out; the
/// clock is then moved two minutes on, so that the set-up's step is out of
/// the skew window of the tests that follow.
async fn enrol(app: &TestApp, email: &str) -> Phone {
    let b = app.login(email).await;
    let page = b.get("/desk/account").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let phone = Phone::from_page(&page.body);
    let pending = field_value(&page.body, "pending").unwrap();
    let a = confirm(&b, &pending, &phone.code(app, 0), PASSWORD).await;
    assert_eq!(a.status, 303, "{}", a.body);
    let a = b.post("/desk/logout", &[("csrf", &b.csrf)]).await;
    assert_eq!(a.status, 303);
    app.clock.advance(TimeDelta::minutes(2));
    phone
}

crate::db_test!(enrolment_stores_nothing_until_a_right_code, async |db| {
    let app = TestApp::builder().start(&db).await;
    let b = app.login(DPO_ISSY).await;
    let page = b.get("/desk/account?lang=en").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Two-step verification is off"),
        "{}",
        page.body
    );
    assert!(page.body.contains("data:image/svg+xml;base64,"));
    let uri = page
        .body
        .find("href=\"otpauth://totp/")
        .expect("otpauth link");
    assert!(page.body[uri..].contains("dpo%40issy.example.fr"));
    assert!(page.body[uri..].contains("issuer=dsr-tracker%20%28127.0.0.1%29"));
    let phone = Phone::from_page(&page.body);
    let pending = field_value(&page.body, "pending").unwrap();
    // The pending field is sealed: the key is not in it.
    let key = page.body.split("id=\"totp-key\">").nth(1).unwrap();
    assert!(!pending.contains(&key[..4]));

    let right = phone.code(&app, 0);
    let wrong = format!("{:06}", (right.parse::<u32>().unwrap() + 1) % 1_000_000);
    let refused: [(&str, &str, &str); 5] = [
        (&wrong, PASSWORD, "does not match the key shown"),
        ("", PASSWORD, "Enter the 6-digit code your app shows."),
        ("12a456", PASSWORD, "The verification code is 6 digits"),
        (&right, "", "Enter your password."),
        (&right, "not the password", "The password is incorrect."),
    ];
    for (code, password, message) in refused {
        let a = b
            .post(
                "/desk/account/totp/enable?lang=en",
                &[
                    ("csrf", &b.csrf),
                    ("pending", &pending),
                    ("code", code),
                    ("password", password),
                ],
            )
            .await;
        assert_eq!(a.status, 422, "{code}/{password}: {}", a.body);
        assert!(a.body.contains(message), "{message}: {}", a.body);
        // The same key stays on screen, so the app need not scan again.
        assert_eq!(Phone::from_page(&a.body).code(&app, 0), right);
        assert_eq!(totp_row(&db, DPO_ISSY).0, None, "{code}/{password} stored");
    }
    // Without the session's CSRF token: 403, nothing stored.
    let a = b
        .post(
            "/desk/account/totp/enable",
            &[
                ("pending", &pending),
                ("code", &right),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(a.status, 403);
    // A set-up sealed for another session does not open in this one.
    let other = app.login(DPO_ISSY).await;
    let a = confirm(&other, &pending, &right, PASSWORD).await;
    assert_eq!(a.status, 422);
    assert!(a.body.contains("La configuration a expiré"), "{}", a.body);
    assert_eq!(totp_row(&db, DPO_ISSY).0, None);
    assert!(events_named(&db, "staff.totp_enabled").is_empty());

    // The right code and password: stored, sealed, its step spent.
    let a = confirm(&b, &pending, &right, PASSWORD).await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(
        a.location.as_deref(),
        Some("/desk/account?notice=totp_enabled&lang=fr")
    );
    let (stored, last_step) = totp_row(&db, DPO_ISSY);
    let stored = stored.expect("secret stored");
    let key: String = key[..key.find('<').unwrap()].split_whitespace().collect();
    assert!(!stored.contains(&key), "the key is stored in clear");
    assert_eq!(
        last_step,
        Some(app.clock.now().and_utc().timestamp().div_euclid(30))
    );
    let page = b.get("/desk/account").await;
    assert!(
        page.body
            .contains("La vérification en deux étapes est activée")
    );
    assert!(!page.body.contains("name=\"pending\""));
    let enabled = events_named(&db, "staff.totp_enabled");
    assert_eq!(enabled.len(), 1);
    assert_eq!(
        enabled[0].actor_id.as_deref(),
        Some(staff_id(&db, DPO_ISSY).as_str())
    );
    assert_eq!(enabled[0].detail, "");
    // Setting up again while on: refused, the key unchanged.
    let a = confirm(&b, &pending, &right, PASSWORD).await;
    assert_eq!(a.status, 409);
    assert_eq!(totp_row(&db, DPO_ISSY).0.as_deref(), Some(stored.as_str()));
    // The code that confirmed the set-up cannot also log in.
    let c = app.browser();
    let a = login_with_code(&c, DPO_ISSY, PASSWORD, &right).await;
    assert_eq!(a.status, 422);
    assert!(a.body.contains("déjà été utilisé"), "{}", a.body);
    assert_chain_intact(&db);
});

crate::db_test!(
    login_needs_the_code_and_a_code_opens_one_session,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let phone = enrol(&app, DPO_ISSY).await;
        let b = app.browser();
        let failed_before = failed_logins(&db, DPO_ISSY);

        // The password alone no longer opens the account.
        let a = b.login(DPO_ISSY, PASSWORD).await;
        assert_eq!(a.status, 422);
        assert!(a.session_cookie().is_none());
        assert!(
            a.body.contains("saisissez le code à 6 chiffres"),
            "{}",
            a.body
        );
        // A wrong password says nothing about the code, code or not.
        for code in ["", phone.code(&app, 0).as_str()] {
            let a = login_with_code(&b, DPO_ISSY, "not the password", code).await;
            assert_eq!(a.status, 422);
            assert!(
                a.body
                    .contains("Adresse électronique ou mot de passe incorrect.")
            );
            assert!(!a.body.contains("code de vérification est"), "{}", a.body);
        }
        // A malformed code is refused before anything is checked.
        let a = login_with_code(&b, DPO_ISSY, PASSWORD, "12 34 5x").await;
        assert_eq!(a.status, 422);
        assert!(a.body.contains("comporte 6 chiffres"));
        // A wrong code, with the right password.
        let right = phone.code(&app, 0);
        let wrong = format!(
            "{:06}",
            (right.parse::<u32>().unwrap() + 500_000) % 1_000_000
        );
        let a = login_with_code(&b, DPO_ISSY, PASSWORD, &wrong).await;
        assert_eq!(a.status, 422);
        assert!(
            a.body.contains("Le code de vérification est incorrect."),
            "{}",
            a.body
        );
        assert!(a.session_cookie().is_none());
        assert_eq!(failed_logins(&db, DPO_ISSY), failed_before + 4);

        // The right code, typed with the space apps show.
        let spaced = format!("{} {}", &right[..3], &right[3..]);
        let a = login_with_code(&b, DPO_ISSY, PASSWORD, &spaced).await;
        assert_eq!(a.status, 303, "{}", a.body);
        assert!(a.session_cookie().is_some());
        assert_eq!(b.get("/desk/").await.status, 200);
        let csrf = b.csrf("/desk/").await;
        assert_eq!(b.post("/desk/logout", &[("csrf", &csrf)]).await.status, 303);

        // The same code again, same step, after the logout: refused, in
        // this browser and in another one.
        for browser in [&b, &app.browser()] {
            let a = login_with_code(browser, DPO_ISSY, PASSWORD, &right).await;
            assert_eq!(a.status, 422);
            assert!(
                a.body
                    .contains("Ce code de vérification a déjà été utilisé.")
            );
            assert!(a.session_cookie().is_none());
        }
        // The next step's code opens a session (the tenth attempt of the
        // rate limit's window: enrol's two, then eight here).
        app.clock.advance(TimeDelta::seconds(30));
        let next = phone.code(&app, 0);
        assert_ne!(next, right);
        let a = login_with_code(&b, DPO_ISSY, PASSWORD, &next).await;
        assert_eq!(a.status, 303, "{}", a.body);
        let logins = events_named(&db, "staff.login");
        assert_eq!(
            logins
                .iter()
                .filter(|e| e.actor_id.as_deref() == Some(staff_id(&db, DPO_ISSY).as_str()))
                .count(),
            // enrol's login, then the two with a code.
            3
        );
        assert_chain_intact(&db);
    }
);

crate::db_test!(
    two_logins_racing_with_one_code_open_one_session,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let phone = enrol(&app, DPO_ISSY).await;
        let code = phone.code(&app, 0);
        let (a, b) = (app.browser(), app.browser());
        let (csrf_a, csrf_b) = (a.csrf("/desk/login").await, b.csrf("/desk/login").await);
        let form = |csrf: &str| {
            vec![
                ("csrf".to_owned(), csrf.to_owned()),
                ("email".to_owned(), DPO_ISSY.to_owned()),
                ("password".to_owned(), PASSWORD.to_owned()),
                ("code".to_owned(), code.clone()),
            ]
        };
        let (fa, fb) = (form(&csrf_a), form(&csrf_b));
        let send = |browser: &Browser, f: Vec<(String, String)>| {
            let req = browser
                .client
                .post(format!("{}/desk/login", browser.base))
                .form(&f);
            async move { Answer::read(req.send().await.unwrap()).await }
        };
        let (ra, rb) = tokio::join!(send(&a, fa), send(&b, fb));
        let mut statuses = [ra.status, rb.status];
        statuses.sort_unstable();
        assert_eq!(statuses, [303, 422], "{} / {}", ra.body, rb.body);
        let sessions: i64 = staff_sessions::table
            .filter(staff_sessions::staff_id.eq(staff_id(&db, DPO_ISSY)))
            .count()
            .get_result(&mut db.conn())
            .unwrap();
        assert_eq!(sessions, 1);
    }
);

crate::db_test!(codes_one_step_either_side_are_accepted, async |db| {
    let app = TestApp::builder().start(&db).await;
    let phone = enrol(&app, DPO_ISSY).await;
    let b = app.browser();
    // Two steps away either side: wrong (not "already used").
    for offset in [-2, 2] {
        let a = login_with_code(&b, DPO_ISSY, PASSWORD, &phone.code(&app, offset)).await;
        assert_eq!(a.status, 422, "offset {offset}");
        assert!(
            a.body.contains("Le code de vérification est incorrect."),
            "{offset}"
        );
    }
    // A phone 30 s behind, then one 30 s ahead.
    for offset in [-1, 1] {
        let a = login_with_code(&b, DPO_ISSY, PASSWORD, &phone.code(&app, offset)).await;
        assert_eq!(a.status, 303, "offset {offset}: {}", a.body);
        let csrf = b.csrf("/desk/").await;
        assert_eq!(b.post("/desk/logout", &[("csrf", &csrf)]).await.status, 303);
    }
    // After a code of the step ahead, the current step's code is spent too.
    let a = login_with_code(&b, DPO_ISSY, PASSWORD, &phone.code(&app, 0)).await;
    assert_eq!(a.status, 422);
    assert!(a.body.contains("déjà été utilisé"));
});

crate::db_test!(wrong_codes_count_against_the_login_rate_limit, async |db| {
    let app = TestApp::builder().start(&db).await;
    // enrol: one login and one set-up, which succeed and so do not count.
    let phone = enrol(&app, DPO_ISSY).await;
    let b = app.browser();
    let right = phone.code(&app, 0);
    let wrong = format!("{:06}", (right.parse::<u32>().unwrap() + 1) % 1_000_000);
    for attempt in 1..=10 {
        let a = login_with_code(&b, DPO_ISSY, PASSWORD, &wrong).await;
        assert_eq!(a.status, 422, "attempt {attempt}");
    }
    let failed = failed_logins(&db, DPO_ISSY);
    // Beyond the limit even the right code is not looked at.
    let a = login_with_code(&b, DPO_ISSY, PASSWORD, &right).await;
    assert_eq!(a.status, 429, "{}", a.body);
    assert!(a.body.contains("Trop de tentatives"));
    assert_eq!(failed_logins(&db, DPO_ISSY), failed + 1);
    // Still the set-up's step, two minutes ago: no code got through.
    assert_eq!(
        totp_row(&db, DPO_ISSY).1,
        Some(app.clock.now().and_utc().timestamp() / 30 - 4)
    );
    // Fifteen minutes on, the right code works.
    app.clock.advance(TimeDelta::minutes(16));
    let a = login_with_code(&b, DPO_ISSY, PASSWORD, &phone.code(&app, 0)).await;
    assert_eq!(a.status, 303, "{}", a.body);
});

crate::db_test!(turning_it_off_needs_the_password_and_a_code, async |db| {
    let app = TestApp::builder().start(&db).await;
    let phone = enrol(&app, DPO_ISSY).await;
    let b = app.browser();
    let a = login_with_code(&b, DPO_ISSY, PASSWORD, &phone.code(&app, 0)).await;
    assert_eq!(a.status, 303);
    let csrf = b.csrf("/desk/account").await;
    let page = b.get("/desk/account?lang=en").await;
    assert!(page.body.contains("Turn off two-step verification"));
    app.clock.advance(TimeDelta::seconds(30));
    let right = phone.code(&app, 0);
    let wrong = format!("{:06}", (right.parse::<u32>().unwrap() + 1) % 1_000_000);
    let stored = totp_row(&db, DPO_ISSY).0;
    let refused: [(&str, &str, &str); 5] = [
        ("", PASSWORD, "Enter the 6-digit code your app shows."),
        (&right, "", "Enter your password."),
        (&right, "not the password", "The password is incorrect."),
        (&wrong, PASSWORD, "The verification code is incorrect."),
        ("1234567", PASSWORD, "The verification code is 6 digits"),
    ];
    for (code, password, message) in refused {
        let a = b
            .post(
                "/desk/account/totp/disable?lang=en",
                &[("csrf", &csrf), ("code", code), ("password", password)],
            )
            .await;
        assert_eq!(a.status, 422, "{code}/{password}: {}", a.body);
        assert!(a.body.contains(message), "{message}: {}", a.body);
        assert_eq!(totp_row(&db, DPO_ISSY).0, stored);
    }
    let a = b
        .post(
            "/desk/account/totp/disable",
            &[("code", &right), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(a.status, 403);
    assert_eq!(totp_row(&db, DPO_ISSY).0, stored);
    assert!(events_named(&db, "staff.totp_disabled").is_empty());

    let a = b
        .post(
            "/desk/account/totp/disable",
            &[("csrf", &csrf), ("code", &right), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(totp_row(&db, DPO_ISSY).0, None);
    let disabled = events_named(&db, "staff.totp_disabled");
    assert_eq!(disabled.len(), 1);
    assert_eq!(
        disabled[0].actor_id.as_deref(),
        Some(staff_id(&db, DPO_ISSY).as_str())
    );
    assert_eq!(disabled[0].detail, "");
    let page = b.get("/desk/account?notice=totp_disabled").await;
    assert!(
        page.body
            .contains("La vérification en deux étapes est désactivée.")
    );
    assert!(page.body.contains("name=\"pending\""));
    // The password alone is enough again.
    assert_eq!(app.browser().login(DPO_ISSY, PASSWORD).await.status, 303);
    assert_chain_intact(&db);
});

crate::db_test!(
    totp_reset_on_the_command_line_for_a_lost_phone,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let phone = enrol(&app, DPO_ISSY).await;
        let b = app.browser();
        let a = login_with_code(&b, DPO_ISSY, PASSWORD, &phone.code(&app, 0)).await;
        assert_eq!(a.status, 303);
        assert_eq!(b.get("/desk/").await.status, 200);

        let events_before: i64 = events::table.count().get_result(&mut db.conn()).unwrap();
        for (arg, expect) in [
            (
                "nobody@issy.example.fr",
                "no staff account with e-mail nobody@issy.example.fr",
            ),
            ("not-an-address", "EMAIL"),
        ] {
            let out = db.cli(&["staff", "totp-reset", arg], None);
            assert!(!out.ok(), "{arg}");
            assert!(out.error_line().unwrap().contains(expect), "{}", out.stderr);
        }
        let events_after: i64 = events::table.count().get_result(&mut db.conn()).unwrap();
        assert_eq!(events_after, events_before);
        assert!(totp_row(&db, DPO_ISSY).0.is_some());

        let out = db.cli(&["staff", "totp-reset", "DPO@issy.example.fr"], None);
        assert!(out.ok(), "{}", out.stderr);
        assert!(
            out.stdout
                .contains("turned off two-step verification for dpo@issy.example.fr")
        );
        assert_eq!(totp_row(&db, DPO_ISSY).0, None);
        // Its sessions are over at once.
        assert!(b.get("/desk/").await.is_redirect_to_login());
        let reset = events_named(&db, "staff.totp_reset");
        assert_eq!(reset.len(), 1);
        assert_eq!(reset[0].actor_id, None);
        assert_eq!(
            reset[0].detail,
            format!("staff={} had_totp=true via=cli", staff_id(&db, DPO_ISSY))
        );
        // The password alone logs in, and the page offers a new set-up.
        let b = app.login(DPO_ISSY).await;
        assert!(
            b.get("/desk/account")
                .await
                .body
                .contains("name=\"pending\"")
        );
        assert_chain_intact(&db);
    }
);

crate::db_test!(keys_rotate_reseals_the_totp_secrets, |db| {
    use base64::Engine;
    use dsr_tracker::domain::values::{EmailAddress, Role};
    use dsr_tracker::security::keys::MasterKey;
    use dsr_tracker::security::totp::{self, TotpSecret};
    use dsr_tracker::store::staff as store;

    let _pool = db.pool();
    let mut conn = db.conn();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, key: &MasterKey| {
        let path = dir.path().join(name);
        let text = base64::engine::general_purpose::STANDARD.encode(key.bytes());
        std::fs::write(&path, format!("{text}\n")).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let (old, new, other) = (
        MasterKey::from_bytes([1; 32]),
        MasterKey::from_bytes([2; 32]),
        MasterKey::from_bytes([3; 32]),
    );
    let (old_path, new_path) = (write("old.key", &old), write("new.key", &new));
    let now = chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap();
    let account = |email: &str| {
        store::create(
            &mut db.conn(),
            &EmailAddress::parse(email).unwrap(),
            Role::Dpo,
            "not-a-hash",
            &[],
            now,
        )
        .unwrap()
        .id
    };
    let (on_old, on_other, altered) = (
        account("a@issy.example.fr"),
        account("b@issy.example.fr"),
        account("c@issy.example.fr"),
    );
    let secret = TotpSecret::generate();
    let sealed_old = totp::seal_stored(&old, &on_old, &secret);
    let sealed_other = totp::seal_stored(&other, &on_other, &secret);
    // Sealed for another account: the right key id, but it does not open.
    let sealed_altered = totp::seal_stored(&old, &on_old, &secret);
    for (id, sealed) in [
        (&on_old, &sealed_old),
        (&on_other, &sealed_other),
        (&altered, &sealed_altered),
    ] {
        assert!(store::enable_totp(&mut conn, id, sealed, 1, now).unwrap());
    }

    let out = db.cli_env(
        &["keys", "rotate", "--new-key-file", &new_path],
        None,
        &[("MASTER_KEY_FILE", &old_path)],
    );
    assert!(out.ok(), "{}", out.stderr);
    assert!(
        out.stdout.contains(&format!(
            "re-sealed 1 staff TOTP secrets from key {} to key {}",
            old.id(),
            new.id()
        )),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("1 staff TOTP secrets do not open"),
        "{}",
        out.stdout
    );
    let stored = |id: &str| -> String {
        staff::table
            .find(id)
            .select(staff::totp_secret)
            .first::<Option<String>>(&mut db.conn())
            .unwrap()
            .unwrap()
    };
    let moved = stored(&on_old);
    assert_eq!(totp::stored_key_id(&moved), Some(new.id()));
    let opened = totp::open_stored(std::slice::from_ref(&new), &on_old, &moved).unwrap();
    assert_eq!(opened.bytes(), secret.bytes());
    assert_eq!(stored(&on_other), sealed_other);
    assert_eq!(stored(&altered), sealed_altered);
    let events = events_named(&db, "keys.totp_resealed");
    assert_eq!(events.len(), 1);
    assert!(
        events[0].detail.contains("accounts=1"),
        "{}",
        events[0].detail
    );
    assert_chain_intact(&db);
});
