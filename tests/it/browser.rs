//! The citizen's journey in a real browser: Debian's headless Chromium,
//! driven over WebDriver (chromedriver) with `fantoccini`, against the real
//! server started in-process by [`CitizenApp`] with the real SMTP sink.
//!
//! - `citizen_fills_the_form_in_french_and_follows_the_link` (SQLite, and
//!   PostgreSQL when `TEST_DATABASE_URL` is set): on a phone-sized window a
//!   citizen picks « Droit d'accès », types her details, attaches a PDF and
//!   clicks « Envoyer ma demande »; the test takes the confirmation link from
//!   the mail the SMTP sink received, the browser opens it and shows the
//!   status page with the reference and the status in plain words.
//! - `dpo_answers_the_citizens_request_in_the_browser` (both backends): the
//!   same citizen journey, then the desk on a desktop window: a DPO of Issy
//!   signs in, finds the request first in the queue (before two later ones
//!   of Issy; an earlier one of Vanves is out of scope), opens it, clicks
//!   « Accepter l'identité », closes it as granted with the prefilled access
//!   template filled in (sent first as prefilled, it comes back refused with
//!   the answer still in its field and the message beside it), and the
//!   status link from the acknowledgment mail shows the answer. Screenshots
//!   `desk-queue.png` (and `desk-queue-phone.png`), `desk-request.png`,
//!   `desk-close-refused.png`, `desk-request-closed.png`,
//!   `citizen-status-answered.png`.
//! - `form_works_with_the_keyboard_only`: the first Tab reaches the skip
//!   link, Tab walks the fields in order (never the honeypot), Enter on the
//!   submit button sends the empty form, and the error summary links to
//!   the fields (following a link by keyboard leads into its field).
//!
//! All check that no page scrolls sideways on the phone. Screenshots
//! for review (whole page, 412 px wide, the desk 1280) are written to `target/e2e/`
//! (`$CARGO_TARGET_DIR/e2e/` when set): `citizen-form.png` (the filled
//! form, before sending), `citizen-status.png` and `citizen-form-errors.png`.
//!
//! # Browser required, or skipped outside CI
//!
//! The tests need `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian
//! packages `chromium` and `chromium-driver`, which `.ci/run` installs).
//! When either is missing they **fail** under CI (`CI` set to anything but
//! empty, `0` or `false`; `.ci/run` sets `CI=true`) and otherwise print a
//! loud `SKIPPED` banner (straight to stderr, past the harness's capture)
//! and pass, so that a newcomer's `cargo test` works without a browser.
//!
//! Each test starts its own chromedriver on a free loopback port, with a
//! fresh browser profile in a temporary folder. The session is closed and
//! the driver shut down (with any browser it left) even when an assertion
//! fails. The browser talks to 127.0.0.1 only: background networking is off
//! and every other host name resolves to nothing.

use std::future::Future;
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dsr_tracker::clock::Clock;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt;

use crate::citizen::{CitizenApp, extract_url, pdf};
use crate::support::TestDb;
use crate::support::desk::insert_request;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// A phone (CSS pixels).
const WIDTH: u32 = 412;
const HEIGHT: u32 = 915;
/// Generous bound for a page or a mail that never comes; not a speed check.
const PATIENCE: Duration = Duration::from_secs(60);

/// Whether the browser is installed. Missing: panics under CI, otherwise
/// says loudly that the test is skipped and returns `false`.
fn browser_installed(test: &str) -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|p| !Path::new(p).is_file())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let under_ci = std::env::var("CI")
        .map(|v| !matches!(v.trim().to_ascii_lowercase().as_str(), "" | "0" | "false"))
        .unwrap_or(false);
    let what = format!(
        "{} not found: the browser test needs Debian's `chromium` and `chromium-driver` \
         (apt-get install chromium chromium-driver; .ci/run installs them)",
        missing.join(" and ")
    );
    assert!(
        !under_ci,
        "{test}: {what}. CI=true, so this fails instead of skipping."
    );
    // Straight to the terminal, once: the test harness hides what a passing
    // test prints with `eprintln!`.
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "\n\
             ************************************************************************\n\
             * SKIPPED: the browser tests (tests/it/browser.rs) did not run.\n\
             * {what}.\n\
             * They pass here without running; under CI (CI=true) they fail.\n\
             ************************************************************************\n"
        );
    });
    false
}

/// A chromedriver we started, killed when dropped, and its browser profile.
struct Driver {
    child: Child,
    url: String,
    log: PathBuf,
    // Dropped after the child is killed (fields drop in order, after `drop`).
    dir: tempfile::TempDir,
}

impl Driver {
    async fn start() -> Driver {
        let dir = tempfile::tempdir().expect("temp dir for the browser");
        let log = dir.path().join("chromedriver.log");
        let port = crate::support::smtp::SmtpSink::free_port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {CHROMEDRIVER}: {e}"));
        let mut driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
            dir,
        };
        driver.wait_until_ready().await;
        driver
    }

    /// Polls `/status` until chromedriver says it is ready.
    async fn wait_until_ready(&mut self) {
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("chromedriver status") {
                panic!(
                    "chromedriver exited at start ({status}); {}",
                    self.log_tail()
                );
            }
            if let Ok(res) = http.get(format!("{}/status", self.url)).send().await
                && let Ok(body) = res.json::<serde_json::Value>().await
                && body["value"]["ready"] == true
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not answer on {} within {PATIENCE:?}; {}",
                self.url,
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A new headless session on a phone-sized window, with a fresh profile.
    async fn connect(&self) -> Client {
        let profile = self.dir.path().join("profile");
        let args = [
            "--headless=new".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            format!("--window-size={WIDTH},{HEIGHT}"),
            // Overlay scrollbars, as on a phone: the page gets all 412 px.
            "--hide-scrollbars".into(),
            format!("--user-data-dir={}", profile.display()),
            "--lang=fr-FR".into(),
            // Loopback only: any other host name resolves to nothing.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1".into(),
            "--no-proxy-server".into(),
        ];
        let capabilities: Capabilities = serde_json::from_value(serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": args,
                "prefs": { "intl.accept_languages": "fr-FR,fr" },
            },
        }))
        .unwrap();
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("no browser session: {e}; {}", self.log_tail()))
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(30)..].join("\n");
        format!("chromedriver log ({}):\n{tail}", self.log.display())
    }
}

impl Driver {
    /// Asks chromedriver to quit, which also quits any browser it still
    /// runs (a SIGKILL would leave the browser behind), and waits for it.
    fn shut_down(&mut self) -> bool {
        use std::io::{Read, Write};
        let addr = self.url.trim_start_matches("http://");
        if let Ok(mut stream) = std::net::TcpStream::connect(addr) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
            let _ = write!(
                stream,
                "GET /shutdown HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.read_to_end(&mut Vec::new());
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// The browser's process id, from the lock it keeps in its profile
    /// (`host-pid`), if that process is still running with our profile.
    fn browser_pid(&self) -> Option<u32> {
        let profile = self.dir.path().join("profile");
        let lock = std::fs::read_link(profile.join("SingletonLock")).ok()?;
        let pid: u32 = lock.to_str()?.rsplit('-').next()?.parse().ok()?;
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
        let ours = String::from_utf8_lossy(&cmdline).contains(&*profile.to_string_lossy());
        ours.then_some(pid)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.shut_down() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        // Belt and braces: a browser that outlived its driver is stopped.
        if let Some(pid) = self.browser_pid() {
            eprintln!("stopping the browser left behind (pid {pid})");
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
    }
}

/// Runs `test` with a browser, then closes the session and stops the driver
/// whatever happened; a failed assertion is re-raised after the clean-up.
async fn with_browser<F, Fut>(test: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()>,
{
    let driver = Driver::start().await;
    let client = driver.connect().await;
    let outcome = AssertUnwindSafe(test(client.clone())).catch_unwind().await;
    if let Err(e) = client.close().await {
        eprintln!("closing the browser session failed: {e}");
    }
    let log = outcome.is_err().then(|| driver.log_tail());
    drop(driver);
    if let Err(panic) = outcome {
        eprintln!("{}", log.unwrap_or_default());
        std::panic::resume_unwind(panic);
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Waits (generously) for an element.
async fn wait_for(b: &Client, css: &str) -> Element {
    b.wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| {
            panic!("no `{css}` on the page: {e}");
        })
}

async fn find(b: &Client, css: &str) -> Element {
    b.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no `{css}` on the page: {e}"))
}

/// The page's visible text, as the citizen reads it.
async fn text_of(b: &Client, css: &str) -> String {
    find(b, css).await.text().await.expect("element text")
}

/// Presses and releases one key, sent to whatever has the focus.
async fn press(b: &Client, key: Key) {
    let key: char = key.into();
    let actions = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    b.perform_actions(actions).await.expect("key press");
}

/// The focused element: its id, or failing that its tag and text.
async fn focused(b: &Client) -> (Element, String) {
    let el = b.active_element().await.expect("active element");
    let id = el.attr("id").await.expect("id").unwrap_or_default();
    let name = if id.is_empty() {
        format!(
            "<{}>{}",
            el.tag_name().await.expect("tag"),
            el.text().await.expect("text")
        )
    } else {
        id
    };
    (el, name)
}

/// Asserts the page does not scroll sideways on the phone.
async fn assert_no_horizontal_overflow(b: &Client, page: &str) {
    let widths = b
        .execute(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
            vec![],
        )
        .await
        .expect("page widths");
    let (scroll, client) = (widths[0].as_u64().unwrap(), widths[1].as_u64().unwrap());
    assert!(
        scroll <= client,
        "{page}: the page is {scroll}px wide on a {client}px screen"
    );
}

/// Where the screenshots go: `$CARGO_TARGET_DIR/e2e` or `target/e2e`.
fn e2e_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .filter(|d| !d.is_empty())
        .map(|d| manifest.join(d))
        .unwrap_or_else(|| manifest.join("target"));
    target.join("e2e")
}

/// Saves a screenshot of the whole page: the window is stretched until its
/// viewport holds the page (headless Chromium keeps room for browser
/// chrome, so the window is taller than the viewport), then set back to
/// the phone's size.
async fn save_screenshot(b: &Client, name: &str, tag: &str) -> PathBuf {
    save_screenshot_sized(b, name, tag, (WIDTH, HEIGHT)).await
}

/// [`save_screenshot`] on a window `size` wide and high (the desk is
/// worked on a desktop screen), set back to that size afterwards.
async fn save_screenshot_sized(
    b: &Client,
    name: &str,
    tag: &str,
    (width, base_height): (u32, u32),
) -> PathBuf {
    assert_accessible(b, name).await;
    for _ in 0..5 {
        let sizes = b
            .execute(
                "return [document.documentElement.scrollHeight, window.innerHeight, window.outerHeight];",
                vec![],
            )
            .await
            .expect("page height");
        let [page, inner, outer] = [0, 1, 2].map(|i| sizes[i].as_u64().expect("a height"));
        if inner >= page {
            break;
        }
        let height = u32::try_from(page + outer.saturating_sub(inner)).unwrap();
        b.set_window_size(width, height).await.expect("resize");
    }
    let png = b.screenshot().await.expect("screenshot");
    b.set_window_size(width, base_height)
        .await
        .expect("resize back");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG image");
    let dir = e2e_dir();
    std::fs::create_dir_all(&dir).expect("create target/e2e");
    let path = dir.join(name);
    // Both backends write the same names: write aside, then rename, so a
    // reader never sees half an image.
    let partial = dir.join(format!(".{name}.{}-{tag}.part", std::process::id()));
    std::fs::write(&partial, png).expect("write screenshot");
    std::fs::rename(&partial, &path).expect("move screenshot");
    eprintln!("screenshot: {}", path.display());
    path
}

/// Runs axe-core (`AXE_JS`, which `.ci/run` installs from npm) on the page
/// the browser shows, with the WCAG 2.1 A and AA rules, and fails on any
/// violation, naming the rule and the elements. Every page this test takes
/// a screenshot of goes through it. Without `AXE_JS` it is skipped, except
/// under CI, where it must run.
async fn assert_accessible(b: &Client, page: &str) {
    let Some(source) = std::env::var("AXE_JS")
        .ok()
        .and_then(|path| std::fs::read_to_string(path).ok())
    else {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "AXE_JS is not set or unreadable: .ci/run installs axe-core"
        );
        eprintln!("\n=== SKIPPED: accessibility check of {page} (set AXE_JS to axe.min.js) ===\n");
        return;
    };
    // The driver evaluates the script, so the page's CSP does not apply.
    b.execute(&source, vec![]).await.expect("load axe-core");
    let result = b
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
                  .then(r => done(r.violations.map(v => v.id + " (" + v.impact + "): " +
                      v.nodes.map(n => n.target.join(" ")).join(", "))))
                  .catch(e => done(["axe failed: " + e]));"#,
            vec![],
        )
        .await
        .expect("run axe-core");
    let violations: Vec<String> = result
        .as_array()
        .expect("a list")
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(
        violations.is_empty(),
        "{page}: WCAG 2.1 A/AA violations:\n{}",
        violations.join("\n")
    );
}

/// The citizen's part, in the browser `b` on the phone: « Droit d'accès »
/// filled and sent with a PDF proof, the confirmation link taken from the
/// mail at the SMTP sink and followed to the status page of
/// `ISSY-2026-0001`, where the browser is left.
async fn citizen_sends_an_access_request(
    b: &Client,
    app: &CitizenApp,
    db: &TestDb,
    proof: &Path,
    tag: &str,
) {
    b.goto(&format!("{}/c/issy/", app.base))
        .await
        .expect("open the form");
    let h1 = text_of(b, "h1").await;
    assert_eq!(h1, "Exercer vos droits sur vos données personnelles");
    assert!(text_of(b, "main").await.contains("dpo@issy.example.fr"));

    // The citizen taps the words « Droit d'accès », not the radio.
    let access = find(b, "label[for=kind-access]").await;
    assert!(access.text().await.unwrap().contains("Droit d'accès"));
    access.click().await.expect("pick the kind");
    assert!(find(b, "#kind-access").await.is_selected().await.unwrap());

    for (id, text) in [
        ("first_name", "Jeanne"),
        ("last_name", "Dupont-Lefèvre"),
        ("email", "jeanne.dupont@example.fr"),
        (
            "postal_address",
            "12 rue de l'Église\n92130 Issy-les-Moulineaux",
        ),
        (
            "details",
            "Je souhaite obtenir une copie des données me concernant \
             détenues par le service périscolaire (inscription à la cantine).",
        ),
    ] {
        let field = find(b, &format!("#{id}")).await;
        field.click().await.expect("focus the field");
        field.send_keys(text).await.expect("type");
        assert_eq!(field.prop("value").await.unwrap().as_deref(), Some(text));
    }
    find(b, "#proof")
        .await
        .send_keys(proof.to_str().unwrap())
        .await
        .expect("attach the PDF");
    let chosen = b
        .execute(
            "return Array.from(document.getElementById('proof').files, f => f.name);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(chosen, serde_json::json!(["carte-identite.pdf"]));

    assert_no_horizontal_overflow(b, "form").await;
    b.execute("window.scrollTo(0, 0);", vec![]).await.unwrap();
    save_screenshot(b, "citizen-form.png", tag).await;

    find(b, "form button[type=submit]")
        .await
        .click()
        .await
        .expect("send");
    b.wait()
        .at_most(PATIENCE)
        .for_element(Locator::XPath(
            "//h1[normalize-space() = 'Vérifiez votre messagerie']",
        ))
        .await
        .unwrap_or_else(|e| panic!("no « Vérifiez votre messagerie » page after sending: {e}"));
    let url = b.current_url().await.unwrap();
    assert_eq!(url.path(), "/c/issy/submitted");
    assert!(text_of(b, "main").await.contains("lien de confirmation"));
    let counts = app.count(db);
    assert_eq!((counts.requests, counts.proofs), (1, 1), "{counts:?}");

    // The confirmation mail, as the SMTP server received it.
    let mails = app.smtp.wait_for_messages_async(1, PATIENCE).await;
    assert_eq!(mails[0].rcpt_to, ["jeanne.dupont@example.fr"]);
    let link =
        extract_url(&mails[0].body(), "/c/issy/confirm/").expect("a confirmation link in the mail");
    assert!(link.starts_with(&app.base), "{link}");

    b.goto(&link).await.expect("open the confirmation link");
    wait_for(b, "dl.facts").await;
    let url = b.current_url().await.unwrap();
    assert!(url.path().starts_with("/s/"), "status page, got {url}");
    assert_eq!(text_of(b, "h1").await, "Suivi de votre demande");
    let page = text_of(b, "main").await;
    for expected in [
        "ISSY-2026-0001",
        "Droit d'accès",
        "Reçue\u{202f}: nous vérifions votre demande.",
        "lundi 2 mars 2026",
        "Ce lien est personnel\u{202f}: ne le partagez pas.",
    ] {
        assert!(
            page.contains(expected),
            "« {expected} » missing from:\n{page}"
        );
    }
    assert_eq!(
        text_of(b, "dd.status").await,
        "Reçue\u{202f}: nous vérifions votre demande."
    );
    assert_no_horizontal_overflow(b, "status page").await;
    save_screenshot(b, "citizen-status.png", tag).await;
}

crate::db_test!(
    citizen_fills_the_form_in_french_and_follows_the_link,
    |db| {
        if !browser_installed("citizen_fills_the_form_in_french_and_follows_the_link") {
            return;
        }
        let tag = format!("{:?}", db.backend).to_lowercase();
        rt().block_on(async {
            let app = CitizenApp::start(&db).await;
            let files = tempfile::tempdir().unwrap();
            let proof = files.path().join("carte-identite.pdf");
            std::fs::write(&proof, pdf("browser-proof")).unwrap();
            let (app, db, proof, tag) = (&app, &db, &proof, &tag);

            with_browser(|b| async move {
                citizen_sends_an_access_request(&b, app, db, proof, tag).await;
            })
            .await;
        });
    }
);

#[test]
fn form_works_with_the_keyboard_only() {
    if !browser_installed("form_works_with_the_keyboard_only") {
        return;
    }
    let db = TestDb::sqlite();
    rt().block_on(async {
        let app = CitizenApp::start(&db).await;
        let (app, db) = (&app, &db);
        with_browser(|b| async move {
            b.goto(&format!("{}/c/issy/", app.base))
                .await
                .expect("open the form");
            wait_for(&b, "form button[type=submit]").await;

            // First Tab: the skip link, visible once focused.
            press(&b, Key::Tab).await;
            let (skip, _) = focused(&b).await;
            assert_eq!(skip.text().await.unwrap(), "Aller au contenu");
            assert_eq!(skip.attr("href").await.unwrap().as_deref(), Some("#main"));
            let (x, y, w, _) = skip.rectangle().await.unwrap();
            assert!(
                x >= 0.0 && y >= 0.0 && w > 0.0,
                "skip link off screen at {x},{y}"
            );

            // Tab through the page to the submit button: every field in
            // order, never the honeypot.
            let mut visited = Vec::new();
            let mut button = None;
            for _ in 0..60 {
                press(&b, Key::Tab).await;
                let (el, name) = focused(&b).await;
                if el.tag_name().await.unwrap() == "button" {
                    button = Some(el);
                    break;
                }
                visited.push(name);
            }
            let button =
                button.unwrap_or_else(|| panic!("Tab never reached the button: {visited:?}"));
            assert_eq!(button.text().await.unwrap(), "Envoyer ma demande");
            let fields: Vec<&str> = visited
                .iter()
                .map(String::as_str)
                .filter(|n| !n.starts_with('<'))
                .collect();
            assert_eq!(
                fields,
                [
                    "kind-access",
                    "first_name",
                    "last_name",
                    "email",
                    "postal_address",
                    "details",
                    "grounds",
                    "proof"
                ],
                "focus order: {visited:?}"
            );

            // Enter on the button sends the empty form.
            press(&b, Key::Enter).await;
            let summary = wait_for(&b, ".error-summary").await;
            assert_eq!(
                summary
                    .find(Locator::Css("h2"))
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap(),
                "Le formulaire contient des erreurs"
            );
            let mut targets = Vec::new();
            for link in summary.find_all(Locator::Css("a")).await.unwrap() {
                let href = link.attr("href").await.unwrap().unwrap_or_default();
                let id = href
                    .strip_prefix('#')
                    .unwrap_or_else(|| panic!("link to {href}"));
                assert!(!link.text().await.unwrap().is_empty(), "{href}: a message");
                find(&b, &format!("#{id}")).await;
                find(&b, &format!("#{id}-error")).await;
                targets.push(id.to_owned());
            }
            for id in ["kind", "first_name", "last_name", "email", "details"] {
                assert!(targets.iter().any(|t| t == id), "{id} not in {targets:?}");
            }
            assert_eq!(app.count(db).requests, 0, "nothing stored");

            // The summary's first link, followed by keyboard, leads to its
            // field: the next Tab lands in it.
            let mut on_link = false;
            for _ in 0..10 {
                press(&b, Key::Tab).await;
                let (el, _) = focused(&b).await;
                if el.attr("href").await.unwrap().as_deref() == Some("#kind") {
                    on_link = true;
                    break;
                }
            }
            assert!(on_link, "Tab never reached the summary's link to #kind");
            press(&b, Key::Enter).await;
            assert_eq!(b.current_url().await.unwrap().fragment(), Some("kind"));
            press(&b, Key::Tab).await;
            let (_, name) = focused(&b).await;
            assert_eq!(name, "kind-access");

            assert_no_horizontal_overflow(&b, "form with errors").await;
            save_screenshot(&b, "citizen-form-errors.png", "sqlite").await;
        })
        .await;
    });
}

/// A desktop screen, for the DPO (CSS pixels).
const DESK: (u32, u32) = (1280, 900);
const DPO: &str = "delegue@issy.example.fr";
const DPO_PASSWORD: &str = "un mot de passe long pour le DPO";

/// The DPO's account for Issy, and what else is in the database: two later
/// requests of Issy (due after the citizen's) and an earlier one of another
/// city (due before it, outside the DPO's scope), so that "first row" means
/// "most urgent of the DPO's own".
fn desk_fixture(db: &TestDb, app: &CitizenApp) {
    use dsr_tracker::domain::request::RequestKind;
    use dsr_tracker::domain::values::{EmailAddress, Locale, ReferencePrefix, Role, Slug};
    use dsr_tracker::store::{controllers, staff};

    let now = app.clock.now();
    let mut conn = db.conn();
    let issy = controllers::find_by_slug(&mut conn, "issy")
        .unwrap()
        .expect("the citizen's city");
    let vanves = controllers::create(
        &mut conn,
        &controllers::NewController {
            slug: Slug::parse("vanves").unwrap(),
            name: "Ville de Vanves".into(),
            reference_prefix: ReferencePrefix::parse("VAN").unwrap(),
            dpo_email: EmailAddress::parse("dpo@vanves.example.fr").unwrap(),
            postal_address: None,
            locale: Locale::Fr,
        },
        now,
    )
    .unwrap();
    staff::create(
        &mut conn,
        &EmailAddress::parse(DPO).unwrap(),
        Role::Dpo,
        &dsr_tracker::security::password::hash(DPO_PASSWORD),
        std::slice::from_ref(&issy.id),
        now,
    )
    .unwrap();
    drop(conn);
    let day = |d: u32| {
        chrono::NaiveDate::from_ymd_opt(2026, 2, d)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    };
    let later = [
        (RequestKind::Erasure, day(3), "ISSY-2026-0101"),
        (RequestKind::Rectification, day(4), "ISSY-2026-0102"),
    ];
    for (kind, received, reference) in later {
        insert_request(db, &issy, kind, Locale::Fr, received, reference);
    }
    let elsewhere = chrono::NaiveDate::from_ymd_opt(2026, 1, 5)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    insert_request(
        db,
        &vanves,
        RequestKind::Access,
        Locale::Fr,
        elsewhere,
        "VAN-2026-0001",
    );
}

/// What the DPO writes in the access template's passages, in order.
const ACCESS_FILLED_IN: [&str; 7] = [
    "Inscription de votre enfant au service périscolaire (cantine).",
    "Identité, coordonnées, régime alimentaire déclaré.",
    "Service éducation de la ville et le prestataire de restauration scolaire.",
    "Jusqu'à la fin de l'année scolaire, puis un an pour la facturation.",
    "Les données ont été collectées auprès de vous.",
    "Aucune décision fondée exclusivement sur un traitement automatisé n'est prise à votre égard.",
    "jointe à ce message.",
];

/// The access template with each passage to complete written in.
fn filled_in_answer(template: &str) -> String {
    let mut text = template.to_owned();
    for filled in ACCESS_FILLED_IN {
        let from = text.find('[').expect("a passage to complete");
        let to = text[from..].find(']').unwrap() + from + 1;
        text.replace_range(from..to, filled);
    }
    assert!(!text.contains('['), "every passage written: {text}");
    text
}

/// Clicks the submit button of the action form `code` and waits for the
/// request page to confirm the action `done` (`close` is done as
/// `close_granted`…).
async fn act(b: &Client, code: &str, done: &str) {
    find(
        b,
        &format!("form[action$='/actions/{code}'] button[type=submit]"),
    )
    .await
    .click()
    .await
    .unwrap_or_else(|e| panic!("click {code}: {e}"));
    // The page before may already show a notice (of the previous action):
    // wait for the redirect that names this one.
    let deadline = Instant::now() + PATIENCE;
    loop {
        let url = b.current_url().await.expect("current URL");
        if url.query() == Some(&format!("notice={done}")) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{code}: still on {url} after {PATIENCE:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let notice = wait_for(b, "p.notice[role=status]").await;
    assert_eq!(
        notice.text().await.unwrap(),
        "Action enregistrée.",
        "{code}"
    );
}

crate::db_test!(dpo_answers_the_citizens_request_in_the_browser, |db| {
    if !browser_installed("dpo_answers_the_citizens_request_in_the_browser") {
        return;
    }
    let tag = format!("{:?}", db.backend).to_lowercase();
    rt().block_on(async {
        let app = CitizenApp::start(&db).await;
        let files = tempfile::tempdir().unwrap();
        let proof = files.path().join("carte-identite.pdf");
        std::fs::write(&proof, pdf("browser-proof")).unwrap();
        let (app, db, proof, tag) = (&app, &db, &proof, &tag);

        with_browser(|b| async move {
            citizen_sends_an_access_request(&b, app, db, proof, tag).await;
            // Two mails so far: the confirmation link and the
            // acknowledgment with the status link.
            let mails = app.smtp.wait_for_messages_async(2, PATIENCE).await;
            let status_link = mails
                .iter()
                .find_map(|m| extract_url(&m.body(), "/s/"))
                .expect("the acknowledgment's status link");

            // On Tuesday 24 February, six days before the deadline, at the
            // desk, on a desktop screen.
            app.clock.advance(chrono::TimeDelta::days(24));
            desk_fixture(db, app);
            b.set_window_size(DESK.0, DESK.1).await.expect("desktop");

            b.goto(&format!("{}/desk/login", app.base))
                .await
                .expect("open the login page");
            find(&b, "#email").await.send_keys(DPO).await.unwrap();
            find(&b, "#password")
                .await
                .send_keys(DPO_PASSWORD)
                .await
                .unwrap();
            find(&b, "form button[type=submit]")
                .await
                .click()
                .await
                .expect("sign in");
            let queue_link = wait_for(&b, "p.queue-link a").await;
            assert!(text_of(&b, ".staff-bar").await.contains(DPO));
            queue_link.click().await.expect("open the queue");

            // The queue: the citizen's request first, the later ones of
            // Issy after it, nothing of Vanves.
            wait_for(&b, "table.queue").await;
            let mut references = Vec::new();
            for row in b
                .find_all(Locator::Css("table.queue tbody tr th a"))
                .await
                .unwrap()
            {
                references.push(row.text().await.unwrap());
            }
            assert_eq!(
                references,
                ["ISSY-2026-0001", "ISSY-2026-0101", "ISSY-2026-0102"]
            );
            let first = text_of(&b, "table.queue tbody tr:first-child").await;
            assert!(first.contains("Droit d'accès"), "{first}");
            assert!(first.contains("Formulaire en ligne"), "{first}");
            // Due in 6 days: marked in words, not only in colour.
            assert_eq!(
                text_of(&b, "table.queue tbody tr:first-child td.days").await,
                "Bientôt 6 j"
            );
            assert_no_horizontal_overflow(&b, "queue").await;
            save_screenshot_sized(&b, "desk-queue.png", tag, DESK).await;
            // A DPO on a phone can read the queue too.
            b.set_window_size(WIDTH, HEIGHT).await.expect("phone");
            assert_no_horizontal_overflow(&b, "queue on a phone").await;
            save_screenshot(&b, "desk-queue-phone.png", tag).await;
            b.set_window_size(DESK.0, DESK.1).await.expect("desktop");

            // The request page, from the first row.
            find(&b, "table.queue tbody tr:first-child th a")
                .await
                .click()
                .await
                .expect("open the request");
            wait_for(&b, "section#actions").await;
            assert_eq!(
                text_of(&b, "h1").await,
                "Demande ISSY-2026-0001",
                "the request page"
            );
            let main = text_of(&b, "main").await;
            for expected in ["Dupont-Lefèvre", "cantine", "carte-identite.pdf"] {
                assert!(main.contains(expected), "« {expected} » missing:\n{main}");
            }
            assert_no_horizontal_overflow(&b, "request page").await;
            save_screenshot_sized(&b, "desk-request.png", tag, DESK).await;

            // Accept the identity: the real button.
            act(&b, "accept_identity", "accept_identity").await;
            assert!(text_of(&b, "main").await.contains("En cours de traitement"));

            // Close as granted with the template sent as prefilled: refused,
            // and the page comes back with the answer in its field, the
            // message beside it and summed up at the top.
            find(&b, "label[for=act-close-granted]")
                .await
                .click()
                .await
                .expect("granted");
            let template = find(&b, "#act-close-answer")
                .await
                .prop("value")
                .await
                .unwrap()
                .expect("a prefilled answer");
            find(&b, "form[action$='/actions/close'] button[type=submit]")
                .await
                .click()
                .await
                .expect("send the close form");
            let summary = wait_for(&b, ".error-summary[role=alert]").await;
            let summary = summary.text().await.unwrap();
            assert!(summary.contains("Action non enregistrée"), "{summary}");
            assert!(
                summary.contains("La réponse contient encore un passage du modèle à compléter"),
                "{summary}"
            );
            assert_eq!(
                find(&b, ".error-summary a")
                    .await
                    .attr("href")
                    .await
                    .unwrap()
                    .as_deref(),
                Some("#act-close-answer")
            );
            let beside = text_of(&b, ".field.has-error #act-close-answer-error").await;
            assert!(beside.contains("[À compléter"), "{beside}");
            let answer_field = find(&b, ".field.has-error #act-close-answer").await;
            assert_eq!(
                answer_field.prop("value").await.unwrap().as_deref(),
                Some(template.as_str()),
                "the answer as sent, not lost"
            );
            assert_eq!(
                answer_field.attr("aria-invalid").await.unwrap().as_deref(),
                Some("true")
            );
            assert!(
                find(&b, "#act-close-granted")
                    .await
                    .is_selected()
                    .await
                    .unwrap(),
                "the decision as sent"
            );
            assert_no_horizontal_overflow(&b, "refused close").await;
            save_screenshot_sized(&b, "desk-close-refused.png", tag, DESK).await;

            // Close as granted, with the template filled in.
            find(&b, "label[for=act-close-granted]")
                .await
                .click()
                .await
                .expect("granted");
            let answer_field = find(&b, "#act-close-answer").await;
            assert!(
                template.contains("1. Finalités du traitement"),
                "{template}"
            );
            assert!(template.contains("8. Copie des données"), "{template}");
            let answer = filled_in_answer(&template);
            answer_field.clear().await.unwrap();
            answer_field.send_keys(&answer).await.expect("type");
            assert_eq!(
                answer_field.prop("value").await.unwrap().as_deref(),
                Some(answer.as_str())
            );
            act(&b, "close", "close_granted").await;
            let decision = text_of(&b, "section[aria-labelledby=decision-title]").await;
            assert!(decision.contains("Demande satisfaite"), "{decision}");
            assert_no_horizontal_overflow(&b, "closed request").await;
            save_screenshot_sized(&b, "desk-request-closed.png", tag, DESK).await;

            // The decision reaches the citizen with the answer as typed.
            let mails = app.smtp.wait_for_messages_async(3, PATIENCE).await;
            assert_eq!(mails.len(), 3);
            let decision_mail = mails[2].body().replace("\r\n", "\n");
            assert!(decision_mail.contains("Décision\u{202f}: Demande satisfaite"));
            assert!(decision_mail.contains(&answer), "{decision_mail}");

            // The citizen opens her status link, on her phone.
            b.set_window_size(WIDTH, HEIGHT).await.expect("phone");
            b.goto(&status_link).await.expect("open the status link");
            wait_for(&b, "dl.facts").await;
            assert_eq!(
                text_of(&b, "dd.status").await,
                "Traitée\u{202f}: notre réponse vous a été envoyée."
            );
            let page = text_of(&b, "main").await;
            for expected in [
                "ISSY-2026-0001",
                "Demande satisfaite",
                ACCESS_FILLED_IN[0],
                ACCESS_FILLED_IN[6],
            ] {
                assert!(page.contains(expected), "« {expected} » missing:\n{page}");
            }
            assert_no_horizontal_overflow(&b, "answered status page").await;
            save_screenshot(&b, "citizen-status-answered.png", tag).await;
        })
        .await;
    });
});
