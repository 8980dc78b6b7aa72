//! The staff desk through the real server, on both backends: login and its
//! refusals, the rate limit, logout, disabled accounts and timeouts on a
//! manual clock, and the administrator's retention settings with every bad
//! input checked for "clear error, nothing changed".

use chrono::TimeDelta;
use diesel::prelude::*;
use dsr_tracker::audit::ChainReport;
use dsr_tracker::clock::Clock;
use dsr_tracker::db::schema::{events, login_records, staff_sessions};
use dsr_tracker::domain::retention::RetentionSettings;
use dsr_tracker::store::{controllers, staff};

use crate::support::desk::{
    ADMIN, ADMIN_ISSY, Answer, DPO_ISSY, PASSWORD, events_by_controller, field_value, staff_id,
};
use crate::support::{TestApp, TestDb};

/// One `login_records` row.
#[derive(Debug, Queryable)]
struct LoginRow {
    staff_id: Option<String>,
    success: bool,
    ip: Option<String>,
    user_agent: Option<String>,
}

/// Every login record, oldest first.
fn login_rows(db: &TestDb) -> Vec<LoginRow> {
    let mut conn = db.conn();
    login_records::table
        .order((login_records::occurred_at.asc(), login_records::id.asc()))
        .select((
            login_records::staff_id,
            login_records::success,
            login_records::ip,
            login_records::user_agent,
        ))
        .load(&mut conn)
        .unwrap()
}

fn retention_of(db: &TestDb, slug: &str) -> RetentionSettings {
    controllers::find_by_slug(&mut db.conn(), slug)
        .unwrap()
        .unwrap()
        .retention()
}

fn assert_redirected_to_login(a: &Answer) {
    assert_eq!(a.status, 303, "{}", a.body);
    let location = a.location.as_deref().unwrap_or_default();
    assert!(location.starts_with("/desk/login"), "{location}");
}

crate::db_test!(
    login_opens_the_desk_with_the_controllers_in_scope,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let b = app.browser();

        // Not logged in: sent to the login page.
        assert_redirected_to_login(&b.get("/desk/").await);
        let page = b.get("/desk/login").await;
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("Connexion à l&#39;espace DPO"),
            "{}",
            page.body
        );
        assert!(page.body.contains("dsr-tracker — espace DPO"));
        assert!(page.body.contains("autocomplete=\"current-password\""));

        let a = b.login(ADMIN, PASSWORD).await;
        assert_eq!(a.status, 303, "{}", a.body);
        assert_eq!(a.location.as_deref(), Some("/desk/?lang=fr"));
        let cookie = a.session_cookie().expect("session cookie");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Strict"), "{cookie}");
        assert!(cookie.contains("Path=/"), "{cookie}");

        let home = b.get("/desk/").await;
        assert_eq!(home.status, 200, "{}", home.body);
        assert!(home.body.contains(ADMIN), "who is logged in");
        assert!(home.body.contains("(administrateur)"));
        assert!(home.body.contains("Se déconnecter"));
        assert!(home.body.contains("action=\"/desk/logout?lang=fr\""));
        assert!(home.body.contains("Ville d&#39;Issy-les-Moulineaux"));
        assert!(home.body.contains("Ville de Vanves"));
        assert!(home.body.contains("/desk/controllers/issy/settings"));
        assert!(home.body.contains("/desk/controllers/vanves/settings"));
        assert!(home.body.contains("tous les responsables de traitement"));

        // English on request.
        let en = b.get("/desk/?lang=en").await;
        assert!(en.body.contains("dsr-tracker — DPO desk"));
        assert!(en.body.contains("Sign out"));

        // The login page of a logged-in browser leads back to the desk.
        let again = b.get("/desk/login").await;
        assert_eq!(again.status, 303);
        assert_eq!(again.location.as_deref(), Some("/desk/?lang=fr"));

        // A DPO sees their city only, and no settings links.
        let dpo = app.login(DPO_ISSY).await;
        let home = dpo.get("/desk/").await;
        assert_eq!(home.status, 200);
        assert!(home.body.contains("Ville d&#39;Issy-les-Moulineaux"));
        assert!(!home.body.contains("Vanves"), "{}", home.body);
        assert!(!home.body.contains("/settings"));
        assert!(home.body.contains("(DPO)"));

        // A record per login, with the connection data; an audit event each
        // with the staff id and no personal data.
        let rows = login_rows(&db);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0].staff_id.as_deref(),
            Some(staff_id(&db, ADMIN).as_str())
        );
        assert!(rows[0].success);
        assert_eq!(rows[0].ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(rows[0].user_agent.as_deref(), Some("desk-test/1.0"));
        assert_eq!(
            rows[1].staff_id.as_deref(),
            Some(staff_id(&db, DPO_ISSY).as_str())
        );
        assert!(rows[1].success);
        let logins = events_by_controller(&db, "staff.login");
        assert_eq!(logins.len(), 2);
        assert_eq!(logins[0].0.as_deref(), Some(staff_id(&db, ADMIN).as_str()));
        assert!(logins.iter().all(|(_, _, detail)| detail.is_empty()));
        let mut conn = db.conn();
        let sessions: i64 = staff_sessions::table.count().get_result(&mut conn).unwrap();
        assert_eq!(sessions, 2);
    }
);

crate::db_test!(
    wrong_password_unknown_email_and_disabled_account_look_the_same,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let b = app.browser();
        let wrong = b.login(ADMIN, "not the right password").await;
        let unknown = b.login("nobody@plateforme.example.fr", PASSWORD).await;
        staff::disable(&mut db.conn(), DPO_ISSY, app.clock.now()).unwrap();
        let disabled = b.login(DPO_ISSY, PASSWORD).await;

        for a in [&wrong, &unknown, &disabled] {
            assert_eq!(a.status, 422);
            assert!(a.session_cookie().is_none());
            assert!(
                a.body
                    .contains("Adresse électronique ou mot de passe incorrect."),
                "{}",
                a.body
            );
        }
        // The pages differ only by the address typed, which is echoed back.
        let same = |a: &Answer, email: &str| a.body.replace(email, "EMAIL");
        assert_eq!(
            same(&wrong, ADMIN),
            same(&unknown, "nobody@plateforme.example.fr")
        );
        assert_eq!(same(&wrong, ADMIN), same(&disabled, DPO_ISSY));

        let rows = login_rows(&db);
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0].staff_id.as_deref(),
            Some(staff_id(&db, ADMIN).as_str())
        );
        assert_eq!(rows[1].staff_id, None, "unknown account");
        assert_eq!(
            rows[2].staff_id.as_deref(),
            Some(staff_id(&db, DPO_ISSY).as_str())
        );
        assert!(rows.iter().all(|r| !r.success));
        assert!(events_by_controller(&db, "staff.login").is_empty());
        assert_redirected_to_login(&b.get("/desk/").await);

        // Empty fields are named; no attempt is counted.
        let csrf = b.csrf("/desk/login").await;
        let empty = b
            .post(
                "/desk/login",
                &[("csrf", &csrf), ("email", ""), ("password", "")],
            )
            .await;
        assert_eq!(empty.status, 422);
        assert!(empty.body.contains("id=\"email-error\""));
        assert!(empty.body.contains("Saisissez votre mot de passe."));
        // A login form without its CSRF token is refused before anything.
        let forged = b
            .post("/desk/login", &[("email", ADMIN), ("password", PASSWORD)])
            .await;
        assert_eq!(forged.status, 403);
        assert!(forged.session_cookie().is_none());
        assert_eq!(login_rows(&db).len(), 3);
    }
);

crate::db_test!(login_brute_force_is_rate_limited, async |db| {
    let app = TestApp::builder().start(&db).await;
    let b = app.browser();
    let limit = dsr_tracker::desk::LOGIN_ATTEMPTS as usize;
    for i in 0..limit {
        let a = b.login(ADMIN, &format!("guess number {i}")).await;
        assert_eq!(a.status, 422, "attempt {i}");
    }
    let blocked = b.login(ADMIN, "guess once more").await;
    assert_eq!(blocked.status, 429);
    assert!(
        blocked.body.contains("Trop de tentatives de connexion"),
        "{}",
        blocked.body
    );
    // Even the right password is not looked at now.
    let right = b.login(ADMIN, PASSWORD).await;
    assert_eq!(right.status, 429);
    assert!(right.session_cookie().is_none());
    let rows = login_rows(&db);
    assert_eq!(rows.len(), limit + 2);
    assert!(rows.iter().all(|r| !r.success));
    // The same address, another account: one account's failures do not
    // lock the others out (the address is limited across accounts only
    // past three times the limit, see `security.rs`).
    let other = app.browser().login(DPO_ISSY, PASSWORD).await;
    assert_eq!(other.status, 303);

    // After the window, the account can log in again.
    app.clock
        .advance(dsr_tracker::desk::LOGIN_WINDOW + TimeDelta::minutes(1));
    let later = b.login(ADMIN, PASSWORD).await;
    assert_eq!(later.status, 303, "{}", later.body);
    assert!(login_rows(&db).last().unwrap().success);
});

crate::db_test!(logout_ends_the_session_for_good, async |db| {
    let app = TestApp::builder().start(&db).await;
    let b = app.browser();
    let a = b.login(ADMIN, PASSWORD).await;
    let cookie = a.session_cookie().unwrap();
    let pair = cookie.split(';').next().unwrap().to_owned();
    let home = b.get("/desk/").await;
    let csrf = field_value(&home.body, "csrf").unwrap();

    // Without the session's token, logout is refused and changes nothing.
    let forged = b.post("/desk/logout", &[("csrf", "forged")]).await;
    assert_eq!(forged.status, 403);
    assert_eq!(b.get("/desk/").await.status, 200);

    let out = b.post("/desk/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, 303);
    assert_eq!(
        out.location.as_deref(),
        Some("/desk/login?notice=logged_out&lang=fr")
    );
    assert!(
        out.set_cookies
            .iter()
            .any(|c| c.starts_with("dsr_session=;") && c.contains("Max-Age=0")),
        "{:?}",
        out.set_cookies
    );
    let page = b.get("/desk/login?notice=logged_out&lang=fr").await;
    assert!(page.body.contains("Vous êtes déconnecté(e)."));
    let count: i64 = staff_sessions::table
        .count()
        .get_result(&mut db.conn())
        .unwrap();
    assert_eq!(count, 0);
    let logouts = events_by_controller(&db, "staff.logout");
    assert_eq!(logouts.len(), 1);
    assert_eq!(logouts[0].0.as_deref(), Some(staff_id(&db, ADMIN).as_str()));

    // Someone who kept a copy of the cookie gets nothing from it.
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = Answer::read(
        replay
            .get(format!("{}/desk/", app.base))
            .header("cookie", &pair)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_redirected_to_login(&res);
    assert_eq!(res.location.as_deref(), Some("/desk/login?notice=expired"));
    let res = Answer::read(
        replay
            .get(format!("{}/desk/controllers/issy/settings", app.base))
            .header("cookie", &pair)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_redirected_to_login(&res);

    // Logging in again starts a new session with a new token.
    let again = b.login(ADMIN, PASSWORD).await;
    let new_cookie = again.session_cookie().unwrap();
    assert_ne!(new_cookie.split(';').next().unwrap(), pair);
});

crate::db_test!(an_expired_form_comes_back_as_a_form, async |db| {
    let app = TestApp::builder().start(&db).await;

    // A login form sent without its CSRF cookie (a browser that lost
    // it): the form again, in the page's language, the address kept,
    // the password not, and a cookie with which it can be sent.
    let b = app.browser();
    let a = b
        .post(
            "/desk/login?lang=en",
            &[("csrf", "stale"), ("email", ADMIN), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert!(a.body.contains("<html lang=\"en\""), "{}", a.body);
    assert!(a.body.contains("The form expired."), "{}", a.body);
    assert_eq!(field_value(&a.body, "email").as_deref(), Some(ADMIN));
    assert!(!a.body.contains(PASSWORD));
    assert!(
        a.set_cookies.iter().any(|c| c.starts_with("dsr_csrf=")),
        "{:?}",
        a.set_cookies
    );
    let csrf = field_value(&a.body, "csrf").unwrap();
    let again = b
        .post(
            "/desk/login?lang=en",
            &[("csrf", &csrf), ("email", ADMIN), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(again.status, 303, "{}", again.body);
    assert_eq!(again.location.as_deref(), Some("/desk/?lang=en"));

    // A logout whose token does not match: still signed in, and the
    // page's own logout button works.
    let a = b.post("/desk/logout", &[("csrf", "forged")]).await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert!(
        a.body
            .contains("Le formulaire a expiré\u{202f}: vous êtes toujours connecté(e)."),
        "{}",
        a.body
    );
    assert!(a.body.contains("action=\"/desk/logout?lang=fr\""));
    let csrf = field_value(&a.body, "csrf").unwrap();
    let out = b.post("/desk/logout?lang=fr", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, 303, "{}", out.body);
    assert_eq!(
        out.location.as_deref(),
        Some("/desk/login?notice=logged_out&lang=fr")
    );
    // Logging out once more, the session already over: signed out.
    let out = b.post("/desk/logout?lang=en", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, 303, "{}", out.body);
    assert_eq!(
        out.location.as_deref(),
        Some("/desk/login?notice=logged_out&lang=en")
    );
    assert_eq!(events_by_controller(&db, "staff.logout").len(), 1);

    // The account page's set-up sent with a stale token: the page
    // again with the same key, nothing stored.
    let b = app.login(DPO_ISSY).await;
    let page = b.get("/desk/account").await;
    let pending = field_value(&page.body, "pending").unwrap();
    let key = |body: &str| {
        let at = body.find("id=\"totp-key\">").unwrap();
        body[at..at + 60].to_owned()
    };
    let a = b
        .post(
            "/desk/account/totp/enable",
            &[
                ("csrf", "forged"),
                ("pending", &pending),
                ("code", "123456"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert!(a.body.contains("Le formulaire a expiré"), "{}", a.body);
    assert_eq!(key(&a.body), key(&page.body));
    assert!(!a.body.contains(PASSWORD));
    assert!(events_by_controller(&db, "staff.totp_enabled").is_empty());
});

crate::db_test!(disabling_an_account_ends_its_session_at_once, async |db| {
    let app = TestApp::builder().start(&db).await;
    let b = app.login(DPO_ISSY).await;
    assert_eq!(b.get("/desk/").await.status, 200);
    staff::disable(&mut db.conn(), DPO_ISSY, app.clock.now()).unwrap();
    assert_redirected_to_login(&b.get("/desk/").await);
    // And it cannot come back.
    assert_eq!(b.login(DPO_ISSY, PASSWORD).await.status, 422);
});

crate::db_test!(
    sessions_time_out_when_idle_and_after_twelve_hours,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let b = app.login(ADMIN).await;
        // Activity keeps the session alive…
        app.clock.advance(TimeDelta::minutes(29));
        assert_eq!(b.get("/desk/").await.status, 200);
        app.clock.advance(TimeDelta::minutes(29));
        assert_eq!(b.get("/desk/").await.status, 200);
        // …31 idle minutes end it, and the row is gone.
        app.clock.advance(TimeDelta::minutes(31));
        let a = b.get("/desk/").await;
        assert_redirected_to_login(&a);
        assert_eq!(a.location.as_deref(), Some("/desk/login?notice=expired"));
        let count: i64 = staff_sessions::table
            .count()
            .get_result(&mut db.conn())
            .unwrap();
        assert_eq!(count, 0);
        let page = b.get("/desk/login?notice=expired").await;
        assert!(page.body.contains("Votre session a expiré"));

        // A busy session still ends twelve hours after login.
        let b = app.login(ADMIN).await;
        for _ in 0..(12 * 3 - 1) {
            app.clock.advance(TimeDelta::minutes(20));
            assert_eq!(b.get("/desk/").await.status, 200);
        }
        app.clock.advance(TimeDelta::minutes(20));
        assert_redirected_to_login(&b.get("/desk/").await);
    }
);

const SETTINGS: &str = "/desk/controllers/issy/settings";

fn settings_form<'a>(csrf: &'a str, values: [&'a str; 5], delete: bool) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("csrf", csrf),
        ("proof_months", values[0]),
        ("objection_months", values[1]),
        ("suppression_months", values[2]),
        ("connection_data_months", values[3]),
        ("unconfirmed_days", values[4]),
    ];
    if delete {
        form.push(("delete_proof_on_identity_accepted", "on"));
    }
    form
}

crate::db_test!(an_admin_changes_the_retention_settings, async |db| {
    let app = TestApp::builder().start(&db).await;
    let b = app.login(ADMIN).await;
    let page = b.get(SETTINGS).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let body = &page.body;
    assert!(body.contains("Durées de conservation — Ville d&#39;Issy-les-Moulineaux"));
    // Current values, each with its legal basis in French, and the note
    // on art. 8 CPP for objections.
    for (name, value) in [
        ("proof_months", "12"),
        ("objection_months", "36"),
        ("suppression_months", "36"),
        ("connection_data_months", "13"),
        ("unconfirmed_days", "7"),
    ] {
        assert_eq!(field_value(body, name).as_deref(), Some(value), "{name}");
    }
    assert!(
        body.contains("Valeur actuelle\u{202f}: <strong>12 mois</strong>"),
        "{body}"
    );
    assert!(body.contains("Valeur actuelle\u{202f}: <strong>7 jours</strong>"));
    assert!(body.contains("l&#39;article 9 du code de procédure pénale"));
    assert!(body.contains("au minimum trois ans"));
    assert!(body.contains("treize mois au plus"));
    assert!(body.contains("six ans depuis la loi n° 2017-242"));
    assert!(body.contains("saisissez 72 mois"));
    assert!(!body.contains("checked"));
    let en = b.get(&format!("{SETTINGS}?lang=en")).await;
    assert!(en.body.contains("one-year limitation period of art. 9"));
    assert!(en.body.contains("six years since law 2017-242"));

    let csrf = field_value(body, "csrf").unwrap();
    let saved = b
        .post(
            &format!("{SETTINGS}?lang=fr"),
            &settings_form(&csrf, ["18", "72", "48", "12", "10"], true),
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        saved.location.as_deref(),
        Some("/desk/controllers/issy/settings?lang=fr&notice=saved")
    );
    assert_eq!(
        retention_of(&db, "issy"),
        RetentionSettings {
            proof_months: 18,
            objection_months: 72,
            suppression_months: 48,
            connection_data_months: 12,
            unconfirmed_days: 10,
            delete_proof_on_identity_accepted: true,
        }
    );
    // The other city is untouched.
    assert_eq!(retention_of(&db, "vanves"), RetentionSettings::default());
    let updates = events_by_controller(&db, "controller.retention_updated");
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].0.as_deref(), Some(staff_id(&db, ADMIN).as_str()));
    assert_eq!(updates[0].1.as_deref(), Some(app.issy.id.as_str()));
    assert_eq!(
        updates[0].2,
        "proof_months=12->18 objection_months=36->72 suppression_months=36->48 \
         connection_data_months=13->12 unconfirmed_days=7->10 \
         delete_proof_on_identity_accepted=false->true"
    );
    let after = b.get(saved.location.as_deref().unwrap()).await;
    assert!(
        after
            .body
            .contains("Les durées de conservation ont été enregistrées.")
    );
    assert!(
        after
            .body
            .contains("Valeur actuelle\u{202f}: <strong>18 mois</strong>")
    );
    assert!(after.body.contains("checked"));

    // Saving the same values again changes nothing and records nothing.
    let same = b
        .post(
            SETTINGS,
            &settings_form(&csrf, ["18", "72", "48", "12", "10"], true),
        )
        .await;
    assert_eq!(same.status, 303);
    assert!(same.location.unwrap().ends_with("notice=unchanged"));
    assert_eq!(
        events_by_controller(&db, "controller.retention_updated").len(),
        1
    );

    let mut conn = db.conn();
    assert!(matches!(
        dsr_tracker::audit::verify(&mut conn).unwrap(),
        ChainReport::Intact { .. }
    ));
});

/// Posts `values` as the admin and checks the refusal: 422, the message
/// next to the field and in the summary, the typed values kept, nothing
/// stored and no event.
async fn assert_settings_refused(
    app: &TestApp,
    db: &TestDb,
    values: [&str; 5],
    field: &str,
    message: &str,
) {
    let b = app.login(ADMIN).await;
    let csrf = b.csrf(SETTINGS).await;
    let events_before = events::table
        .count()
        .get_result::<i64>(&mut db.conn())
        .unwrap();
    let a = b
        .post(
            &format!("{SETTINGS}?lang=fr"),
            &settings_form(&csrf, values, true),
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    let next_to_field = format!("<p class=\"error\" id=\"{field}-error\">");
    let at = a
        .body
        .find(&next_to_field)
        .unwrap_or_else(|| panic!("{}", a.body));
    assert!(
        a.body[at..].starts_with(&format!("{next_to_field}{message}")),
        "{}",
        &a.body[at..]
    );
    let summary = a.body.find("error-summary").unwrap();
    assert!(
        a.body[summary..].contains(&format!("<a href=\"#{field}\">{message}")),
        "{}",
        a.body
    );
    assert!(a.body.contains("aria-invalid=\"true\""));
    for (name, value) in [
        "proof_months",
        "objection_months",
        "suppression_months",
        "connection_data_months",
        "unconfirmed_days",
    ]
    .iter()
    .zip(values)
    {
        assert_eq!(
            field_value(&a.body, name).as_deref(),
            Some(value),
            "{name} kept"
        );
    }
    assert!(a.body.contains(" checked"), "checkbox kept");
    assert_eq!(retention_of(db, "issy"), RetentionSettings::default());
    let events_after = events::table
        .count()
        .get_result::<i64>(&mut db.conn())
        .unwrap();
    assert_eq!(events_after, events_before);
}

crate::db_test!(settings_below_or_above_the_policy_are_refused, async |db| {
    let app = TestApp::builder().start(&db).await;
    assert_settings_refused(
        &app,
        &db,
        ["12", "36", "35", "13", "7"],
        "suppression_months",
        "Liste d&#39;opposition\u{202f}: doit être d&#39;au moins 36 mois\u{202f}: la politique de \
         confidentialité prévoit au minimum trois ans.",
    )
    .await;
    assert_settings_refused(
        &app,
        &db,
        ["12", "36", "36", "14", "7"],
        "connection_data_months",
        "Données de connexion\u{202f}: doit être d&#39;au plus 13 mois\u{202f}: la politique de \
         confidentialité prévoit treize mois au plus.",
    )
    .await;
    assert_settings_refused(
        &app,
        &db,
        ["douze", "36", "36", "13", "7"],
        "proof_months",
        "Justificatifs (hors opposition)\u{202f}: saisissez un nombre entier",
    )
    .await;
});

crate::db_test!(settings_need_the_session_csrf_token, async |db| {
    let app = TestApp::builder().start(&db).await;
    let b = app.login(ADMIN).await;
    let values = ["18", "72", "48", "12", "10"];
    let mut missing = settings_form("", values, true);
    missing.remove(0);
    let a = b.post(SETTINGS, &missing).await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert!(a.body.contains("rien n&#39;a été modifié"), "{}", a.body);
    let a = b
        .post(SETTINGS, &settings_form("forged-token", values, true))
        .await;
    assert_eq!(a.status, 403);
    // Another session's token does not do either.
    let other = app.login(ADMIN).await;
    let other_csrf = other.csrf(SETTINGS).await;
    let own_csrf = b.csrf(SETTINGS).await;
    assert_ne!(other_csrf, own_csrf);
    let a = b
        .post(SETTINGS, &settings_form(&other_csrf, values, true))
        .await;
    assert_eq!(a.status, 403);
    assert_eq!(retention_of(&db, "issy"), RetentionSettings::default());
    assert!(events_by_controller(&db, "controller.retention_updated").is_empty());

    // Without a session at all: to the login page, nothing changed.
    let anonymous = app.browser();
    let a = anonymous
        .post(SETTINGS, &settings_form(&own_csrf, values, true))
        .await;
    assert_redirected_to_login(&a);
    assert_eq!(retention_of(&db, "issy"), RetentionSettings::default());
});

crate::db_test!(only_admins_in_scope_reach_the_settings, async |db| {
    let app = TestApp::builder().start(&db).await;
    let values = ["18", "72", "48", "12", "10"];

    // A DPO of the city: 403 with a clear page, for reading and writing.
    let dpo = app.login(DPO_ISSY).await;
    let a = dpo.get(SETTINGS).await;
    assert_eq!(a.status, 403);
    assert!(a.body.contains("Accès réservé aux administrateurs"));
    assert!(a.body.contains("Seul un compte administrateur"));
    let home = dpo.get("/desk/").await;
    let csrf = field_value(&home.body, "csrf").unwrap();
    let a = dpo
        .post(SETTINGS, &settings_form(&csrf, values, true))
        .await;
    assert_eq!(a.status, 403);

    // An admin of Issy: Issy yes, Vanves is a 404 like a city that does
    // not exist.
    let admin = app.login(ADMIN_ISSY).await;
    assert_eq!(admin.get(SETTINGS).await.status, 200);
    let home = admin.get("/desk/").await;
    assert!(!home.body.contains("Vanves"));
    let vanves = admin.get("/desk/controllers/vanves/settings").await;
    assert_eq!(vanves.status, 404);
    assert!(vanves.body.contains("Page introuvable"));
    let nowhere = admin.get("/desk/controllers/nowhere/settings").await;
    assert_eq!(nowhere.status, 404);
    assert_eq!(vanves.body, nowhere.body);
    let csrf = admin.csrf(SETTINGS).await;
    let a = admin
        .post(
            "/desk/controllers/vanves/settings",
            &settings_form(&csrf, values, true),
        )
        .await;
    assert_eq!(a.status, 404);

    assert_eq!(retention_of(&db, "issy"), RetentionSettings::default());
    assert_eq!(retention_of(&db, "vanves"), RetentionSettings::default());
    assert!(events_by_controller(&db, "controller.retention_updated").is_empty());
    // The unscoped admin reaches Vanves.
    let all = app.login(ADMIN).await;
    let page = all.get("/desk/controllers/vanves/settings").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Ville de Vanves"));
});
