//! `TRUSTED_PROXIES`: behind a reverse proxy the client is the right-most
//! untrusted entry of `X-Forwarded-For`, for rate limits and connection
//! data; and login failures spread over many addresses slow an account
//! down without locking its owner out.

use chrono::TimeDelta;
use diesel::prelude::*;
use dsr_tracker::config::Settings;
use dsr_tracker::db::schema::{login_records, requests};
use reqwest::multipart::Part;

use crate::support::TestApp;
use crate::support::app::cookie_jar;
use crate::support::citizen::{extract, pdf};
use crate::support::desk::{ADMIN, PASSWORD};

fn behind_proxy() -> Settings {
    Settings {
        trusted_proxies: Some("127.0.0.1, 10.0.0.0/8".into()),
        ..Settings::default()
    }
}

/// Sends the login form as a browser behind the proxy at `client`.
async fn login_from(base: &str, client: &str, email: &str, password: &str) -> (u16, String) {
    let browser = cookie_jar();
    let page = browser
        .get(format!("{base}/desk/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = extract(&page, "name=\"csrf\" value=\"", "\"").unwrap();
    let res = browser
        .post(format!("{base}/desk/login"))
        .header("x-forwarded-for", format!("6.6.6.6, {client}, 10.1.2.3"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

crate::db_test!(
    behind_a_trusted_proxy_the_client_is_the_forwarded_address,
    async |db| {
        let app = TestApp::builder()
            .with_settings(behind_proxy())
            .start(&db)
            .await;
        let csrf = app.csrf("/c/issy/").await;
        let form = app.valid_form(&csrf).part(
            "proof",
            Part::bytes(pdf("xff"))
                .file_name("carte.pdf")
                .mime_str("application/pdf")
                .unwrap(),
        );
        let res = app
            .client
            .post(format!("{}/c/issy/", app.base))
            .header("x-forwarded-for", "6.6.6.6, 203.0.113.7")
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let (status, _) = login_from(&app.base, "198.51.100.9", ADMIN, PASSWORD).await;
        assert_eq!(status, 303);
        let mut conn = db.conn();
        let ip: Option<String> = requests::table
            .select(requests::submitter_ip)
            .first(&mut conn)
            .unwrap();
        assert_eq!(ip.as_deref(), Some("203.0.113.7"));
        let ip: Option<String> = login_records::table
            .select(login_records::ip)
            .first(&mut conn)
            .unwrap();
        assert_eq!(ip.as_deref(), Some("198.51.100.9"));
    }
);

crate::db_test!(without_trusted_proxies_the_header_is_ignored, async |db| {
    let app = TestApp::builder().start(&db).await;
    let (status, _) = login_from(&app.base, "198.51.100.9", ADMIN, PASSWORD).await;
    assert_eq!(status, 303);
    let mut conn = db.conn();
    let ip: Option<String> = login_records::table
        .select(login_records::ip)
        .first(&mut conn)
        .unwrap();
    assert_eq!(ip.as_deref(), Some("127.0.0.1"));
});

// Guesses at one account from many addresses: each further try waits a
// little longer; the owner, from their own address, gets in after the
// wait instead of being locked out for everyone.
crate::db_test!(
    failures_from_many_addresses_slow_an_account_without_locking_it,
    async |db| {
        let app = TestApp::builder()
            .with_settings(behind_proxy())
            .start(&db)
            .await;
        let limit = dsr_tracker::desk::LOGIN_ATTEMPTS as usize;
        for i in 0..limit + 1 {
            let (status, body) =
                login_from(&app.base, &format!("203.0.113.{i}"), ADMIN, "guess").await;
            assert_eq!(
                status,
                if i < limit { 422 } else { 429 },
                "attempt {i}: {body}"
            );
        }
        let (status, body) = login_from(&app.base, "198.51.100.9", ADMIN, PASSWORD).await;
        assert_eq!(status, 429, "{body}");
        assert!(body.contains("réessayez dans 1 seconde"), "{body}");
        app.clock.advance(TimeDelta::seconds(1));
        let (status, body) = login_from(&app.base, "198.51.100.9", ADMIN, PASSWORD).await;
        assert_eq!(status, 303, "{body}");
    }
);
