//! `serve` as a newcomer runs it: empty data folder, default SQLite, a
//! generated master key, /healthz, security headers, graceful stop.

use crate::support::{TestApp, serve};

crate::db_test!(healthz_and_security_headers, async |db| {
    let app = TestApp::builder().empty().start(&db).await;
    let base = &app.base;
    let client = reqwest::Client::new();
    let res = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    for page in ["/healthz", "/no/such/page"] {
        let res = client.get(format!("{base}{page}")).send().await.unwrap();
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{page}");
        assert!(!csp.contains("unsafe-inline"), "{page}");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "no-referrer");
    }
    let res = client
        .get(format!("{base}/no/such/page"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let french = res.text().await.unwrap();
    assert!(french.contains("lang=\"fr\""), "{french}");
    // In the visitor's language: the browser's first preference, or
    // `?lang=`, which wins.
    for (accept, query, lang) in [
        ("en-GB,en;q=0.9", "", "en"),
        ("fr-FR,en;q=0.5", "", "fr"),
        ("en-US", "?lang=fr", "fr"),
        ("de-DE", "?lang=en", "en"),
    ] {
        let res = client
            .get(format!("{base}/no/such/page{query}"))
            .header("accept-language", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        let page = res.text().await.unwrap();
        assert!(
            page.contains(&format!("lang=\"{lang}\"")),
            "{accept} {query}: {page}"
        );
    }
});

// A form body too large to read is a page in the visitor's language that
// says nothing was saved and links back to the form, never actix's bare
// "URL encoded payload is larger than allowed".
crate::db_test!(
    a_form_too_large_to_read_is_a_page_not_a_dead_end,
    async |db| {
        let app = TestApp::builder().empty().start(&db).await;
        let base = &app.base;
        let client = reqwest::Client::new();
        let huge = "é".repeat(dsr_tracker::server::FORM_LIMIT_BYTES / 2);
        for (path, lang, heading, back) in [
            (
                "/desk/login",
                "",
                "Formulaire trop volumineux",
                "href=\"/desk/login\"",
            ),
            (
                "/desk/login?lang=en",
                "en",
                "Form too large",
                "href=\"/desk/login?lang=en\"",
            ),
        ] {
            let res = client
                .post(format!("{base}{path}"))
                .form(&[("csrf", "x"), ("note", huge.as_str())])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 413, "{path}");
            assert!(
                res.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("text/html"),
                "{path}"
            );
            let page = res.text().await.unwrap();
            assert!(page.contains(heading), "{path}: {page}");
            assert!(page.contains(back), "{path}: {page}");
            if lang == "en" {
                assert!(page.contains("lang=\"en\""), "{page}");
            }
        }
        // Just under the limit, the form reaches its handler (here: the
        // login form's own answer, not the size page).
        let big = "a".repeat(dsr_tracker::desk::request::actions::MAX_TEXT_CHARS);
        let res = client
            .post(format!("{base}/desk/login"))
            .form(&[("email", big.as_str()), ("password", "x")])
            .send()
            .await
            .unwrap();
        assert_ne!(res.status(), 413);
    }
);

/// The README's promise: `cargo run --release` on an empty folder serves,
/// and says loudly that it generated a master key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_starts_on_an_empty_data_folder_and_stops_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let served = serve(&data, &[]);
    let log = &served.log;
    assert!(
        log.iter()
            .any(|l| l.contains("NO MASTER KEY WAS CONFIGURED")),
        "{log:#?}"
    );
    assert!(data.join("dsr-tracker.sqlite").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("master.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // /healthz answers 200, then SIGTERM stops it with exit code 0.
    served.stop().await;
}
