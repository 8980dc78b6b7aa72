//! Every page type, in every language the product speaks and in the test
//! pseudo-language, through the real server: the citizen's form, its
//! refusals, the confirmation and status pages; the desk's login, home,
//! queue, request page (and a refused action), registration, letters,
//! account, settings, staff and controllers pages, and the message pages.
//!
//! In the pseudo-language every letter the catalogues supply is accented,
//! so a sentence written in Rust or in a template instead of a catalogue
//! shows up as plain ASCII words; a message missing from a catalogue shows
//! as `⟦id⟧`. Both fail here, naming the page and the words.
//!
//! The pages are written to `target/pages/<lang>/<name>.html`; when the W3C
//! Nu HTML checker is available (`VNU_JAR`, which `.ci/run` installs) every
//! one of them must validate.

use std::path::PathBuf;

use dsr_tracker::domain::request::RequestKind;
use dsr_tracker::domain::values::Locale;
use reqwest::multipart::Form;

use crate::citizen::{extract, extract_url};
use crate::support::TestDb;
use crate::support::desk::{
    ADMIN, Browser, DPO_ISSY, DeskApp, VIEWER_ISSY, insert_request, reload, rt, staff_id,
};

const LANGS: [&str; 3] = ["fr", "en", "x-pseudo"];

/// The pages seen, with the language they were asked in.
struct Tour {
    pages: Vec<(String, String, String)>,
    /// Text the product stored as it was sent, in the requester's language
    /// whatever the page's: the subjects of the mails the request page
    /// lists. Data, like what a person typed.
    stored: Vec<String>,
}

impl Tour {
    fn keep(&mut self, lang: &str, name: &str, status: u16, want: u16, body: &str) {
        assert_eq!(status, want, "{lang} {name}: {body}");
        self.pages
            .push((lang.to_owned(), name.to_owned(), body.to_owned()));
    }
}

fn q(lang: &str) -> String {
    format!("lang={lang}")
}

crate::db_test!(every_page_in_every_language, |db| {
    rt().block_on(async {
        let app = DeskApp::start(&db).await;
        let mut tour = Tour {
            pages: Vec::new(),
            stored: Vec::new(),
        };
        for (n, lang) in LANGS.iter().enumerate() {
            citizen_pages(&app, &db, lang, n, &mut tour).await;
            desk_pages(&app, &db, lang, &mut tour).await;
        }
        check(&tour);
    });
});

async fn citizen_pages(app: &DeskApp, db: &TestDb, lang: &str, n: usize, tour: &mut Tour) {
    let visitor = app.browser();
    let a = visitor.get(&format!("/c/issy/?{}", q(lang))).await;
    tour.keep(lang, "citizen-form", a.status, 200, &a.body);
    let csrf = extract(&a.body, "name=\"csrf\" value=\"", "\"").expect("csrf");
    // The hidden field carries the page's language, as the form sends it.
    let form_lang = lang.to_string();
    let form = |csrf: &str, email: &str, text: &str| {
        Form::new()
            .text("csrf", csrf.to_owned())
            .text("lang", form_lang.clone())
            .text("kind", "objection")
            .text("first_name", "Jeanne")
            .text("last_name", "Dupont")
            .text("email", email.to_owned())
            .text("postal_address", "")
            .text("details", text.to_owned())
            .text("grounds", text.to_owned())
            .text("website", "")
    };
    // Refused: the objection has no grounds and the address is not one.
    let a = visitor
        .post_multipart(
            &format!("/c/issy/?{}", q(lang)),
            form(&csrf, "pas-une-adresse", ""),
        )
        .await;
    tour.keep(lang, "citizen-form-refused", a.status, 422, &a.body);

    let email = format!("tour{n}@example.fr");
    let good = form(&csrf, &email, "Zzz");
    let a = visitor
        .post_multipart(&format!("/c/issy/?{}", q(lang)), good)
        .await;
    assert_eq!(a.status, 303, "{lang}: {}", a.body);
    let submitted = a.location.clone().expect("location");
    let a = visitor.get(&submitted).await;
    tour.keep(lang, "citizen-submitted", a.status, 200, &a.body);

    let mail = mail_to(app, &email, "/c/issy/confirm/").await;
    let confirm = extract_url(&mail.body(), "/c/issy/confirm/").expect("confirm link");
    let confirm = confirm.replace(&app.state.config.public_url, "");
    let a = visitor.get(&confirm).await;
    assert_eq!(a.status, 303, "{lang}: {}", a.body);
    // The link in the mail has no language: the status page is asked in
    // the round's, like the other pages.
    let confirmed = a.location.expect("location");
    let sep = if confirmed.contains('?') { '&' } else { '?' };
    let a = visitor.get(&format!("{confirmed}{sep}{}", q(lang))).await;
    tour.keep(lang, "citizen-confirmed", a.status, 200, &a.body);

    let ack = mail_to(app, &email, "/s/").await;
    let status = extract_url(&ack.body(), "/s/").expect("status link");
    let status = status.replace(&app.state.config.public_url, "");
    let sep = if status.contains('?') { '&' } else { '?' };
    let a = visitor.get(&format!("{status}{sep}{}", q(lang))).await;
    tour.keep(lang, "citizen-status", a.status, 200, &a.body);

    let a = visitor.get(&format!("/c/nowhere/?{}", q(lang))).await;
    tour.keep(lang, "not-found", a.status, 404, &a.body);
    let _ = db;
}

async fn desk_pages(app: &DeskApp, db: &TestDb, lang: &str, tour: &mut Tour) {
    let l = q(lang);
    let visitor = app.browser();
    let a = visitor.get(&format!("/desk/login?{l}")).await;
    tour.keep(lang, "desk-login", a.status, 200, &a.body);

    let dpo = app.login(DPO_ISSY).await;
    let admin = app.login(ADMIN).await;
    let viewer = app.login(VIEWER_ISSY).await;

    let locale = if lang == "fr" { Locale::Fr } else { Locale::En };
    // References far from those the citizen's confirmations take.
    let reference = |n: usize| format!("ISSY-2026-{:04}", 9000 + n);
    let seq = tour.pages.len();
    let now = dsr_tracker::clock::Clock::now(app.clock.as_ref());
    let r = insert_request(
        db,
        &app.issy,
        RequestKind::Access,
        locale,
        now,
        &reference(seq),
    );
    let other = insert_request(
        db,
        &app.issy,
        RequestKind::Erasure,
        locale,
        now,
        &reference(seq + 1),
    );

    for (name, path) in [
        ("desk-home", "/desk/".to_owned()),
        ("desk-queue", "/desk/queue".to_owned()),
        ("desk-register", "/desk/requests/new".to_owned()),
        ("desk-account", "/desk/account".to_owned()),
        ("desk-tokens", "/desk/account/tokens".to_owned()),
        ("desk-request", format!("/desk/requests/{}", r.id)),
        ("desk-ack-letter", format!("/desk/requests/{}/letter", r.id)),
    ] {
        let a = dpo.get(&format!("{path}?{l}")).await;
        tour.keep(lang, name, a.status, 200, &a.body);
    }
    let a = dpo.get(&format!("/desk/requests/no-such-id?{l}")).await;
    tour.keep(lang, "desk-not-found", a.status, 404, &a.body);

    // A refused close: the template's placeholder is still in the answer.
    dpo_act(&dpo, &r.id, "accept_identity", &l, &[]).await;
    let version = reload(db, &r.id).version.to_string();
    let a = dpo
        .post(
            &format!("/desk/requests/{}/actions/close?{l}", r.id),
            &[
                ("csrf", dpo.csrf.as_str()),
                ("version", version.as_str()),
                ("outcome", "granted"),
                ("answer", "[À compléter : les finalités]"),
            ],
        )
        .await;
    tour.keep(lang, "desk-close-refused", a.status, 422, &a.body);

    // A viewer may not act.
    let version = reload(db, &other.id).version.to_string();
    let a = viewer
        .post(
            &format!("/desk/requests/{}/actions/accept_identity?{l}", other.id),
            &[
                ("csrf", viewer.csrf.as_str()),
                ("version", version.as_str()),
            ],
        )
        .await;
    tour.keep(lang, "desk-forbidden", a.status, 403, &a.body);

    // The letters of a request that went through every step.
    dpo_act(
        &dpo,
        &other.id,
        "request_information",
        &l,
        &[("message", "Zzz")],
    )
    .await;
    let question = dsr_tracker::store::messages::list_all(&mut db.conn(), &other.id)
        .unwrap()
        .remove(0);
    dpo_act(&dpo, &other.id, "resume_clock", &l, &[]).await;
    dpo_act(&dpo, &other.id, "accept_identity", &l, &[]).await;
    dpo_act(
        &dpo,
        &other.id,
        "extend",
        &l,
        &[("months", "2"), ("reason", "Zzz")],
    )
    .await;
    dpo_act(
        &dpo,
        &other.id,
        "close",
        &l,
        &[
            ("outcome", "refused"),
            ("refusal_ground", "art17_3"),
            ("refusal_letter", "b"),
            ("answer", "Zzz"),
        ],
    )
    .await;
    for (name, path) in [
        (
            "desk-letter-information",
            format!(
                "/desk/requests/{}/letters/information/{}",
                other.id, question.id
            ),
        ),
        (
            "desk-letter-extension",
            format!("/desk/requests/{}/letters/extension", other.id),
        ),
        (
            "desk-letter-decision",
            format!("/desk/requests/{}/letters/decision", other.id),
        ),
        (
            "desk-request-closed",
            format!("/desk/requests/{}", other.id),
        ),
    ] {
        let a = dpo.get(&format!("{path}?{l}")).await;
        tour.keep(lang, name, a.status, 200, &a.body);
    }
    for id in [&r.id, &other.id] {
        let mails = dsr_tracker::mail::outbox::list_for_request(&mut db.conn(), id).unwrap();
        tour.stored.extend(mails.into_iter().map(|m| m.subject));
    }

    let dpo_id = staff_id(db, DPO_ISSY);
    for (name, path) in [
        (
            "desk-settings",
            "/desk/controllers/issy/settings".to_owned(),
        ),
        ("desk-staff", "/desk/staff".to_owned()),
        ("desk-staff-new", "/desk/staff/new".to_owned()),
        ("desk-staff-edit", format!("/desk/staff/{dpo_id}/edit")),
        ("desk-controllers", "/desk/controllers".to_owned()),
        ("desk-controller-new", "/desk/controllers/new".to_owned()),
    ] {
        let a = admin.get(&format!("{path}?{l}")).await;
        tour.keep(lang, name, a.status, 200, &a.body);
    }
    // A DPO on an administrator's page.
    let a = dpo.get(&format!("/desk/staff?{l}")).await;
    tour.keep(lang, "desk-admin-forbidden", a.status, 403, &a.body);

    // Refused administration forms come back with their errors.
    let a = admin
        .post(
            &format!("/desk/staff/new?{l}"),
            &[("csrf", admin.csrf.as_str()), ("email", "x")],
        )
        .await;
    tour.keep(lang, "desk-staff-new-refused", a.status, 422, &a.body);
    let a = admin
        .post(
            &format!("/desk/controllers/issy/settings?{l}"),
            &[
                ("csrf", admin.csrf.as_str()),
                ("proof_months", "zz"),
                ("objection_months", "36"),
                ("suppression_months", "36"),
                ("connection_data_months", "13"),
                ("unconfirmed_days", "7"),
            ],
        )
        .await;
    tour.keep(lang, "desk-settings-refused", a.status, 422, &a.body);
}

async fn dpo_act(dpo: &Browser, id: &str, code: &str, l: &str, fields: &[(&str, &str)]) {
    let version = dpo
        .page(&format!("/desk/requests/{id}?{l}"))
        .await
        .split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("version field")
        .to_owned();
    let mut form = vec![("csrf", dpo.csrf.as_str()), ("version", version.as_str())];
    form.extend_from_slice(fields);
    let a = dpo
        .post(&format!("/desk/requests/{id}/actions/{code}?{l}"), &form)
        .await;
    assert_eq!(a.status, 303, "{code}: {}", a.body);
}

/// The first mail to `email` whose body holds `needle`, as soon as the
/// mail worker has delivered it.
async fn mail_to(app: &DeskApp, email: &str, needle: &str) -> crate::support::smtp::ReceivedMail {
    for _ in 0..200 {
        let found = app
            .smtp
            .messages()
            .into_iter()
            .find(|m| m.rcpt_to.iter().any(|r| r.contains(email)) && m.body().contains(needle));
        if let Some(mail) = found {
            return mail;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no mail to {email} with {needle}");
}

fn check(tour: &Tour) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/pages");
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for (lang, name, body) in &tour.pages {
        let folder = dir.join(lang);
        std::fs::create_dir_all(&folder).unwrap();
        let file = folder.join(format!("{name}.html"));
        std::fs::write(&file, body).unwrap();
        files.push(file);
        if body.contains('⟦') {
            problems.push(format!("{lang}/{name}: a message missing from a catalogue"));
        }
        if body.contains("{$") || body.contains("{ $") {
            problems.push(format!("{lang}/{name}: a message argument left out"));
        }
        let expected_lang = if *lang == "fr" { "fr" } else { "en" };
        if !body.contains(&format!("<html lang=\"{expected_lang}\"")) {
            problems.push(format!("{lang}/{name}: not a page in {expected_lang}"));
        }
        if *lang == "x-pseudo" {
            let plain = plain_words(body, &tour.stored);
            if !plain.is_empty() {
                problems.push(format!(
                    "{lang}/{name}: words that bypass the catalogues: {plain:?}"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    validate_html(&files);
}

/// What a person reads on the page (text outside tags, and the title),
/// without what they typed (form fields' values and text areas), without
/// the `stored` texts and without the data the test put in: what is left
/// must come from the catalogues, so in the pseudo-language it has no
/// plain ASCII vowel.
fn plain_words(html: &str, stored: &[String]) -> Vec<String> {
    const DATA: [&str; 17] = [
        "Jeanne",
        "Dupont",
        // The fixture's controllers: "Ville d'Issy-les-Moulineaux" (issy),
        // "Ville de Vanves" (vanves).
        "Ville",
        "Issy",
        "issy",
        "les",
        "Moulineaux",
        "de",
        "Vanves",
        "vanves",
        "Ma",
        "demande",
        "Zzz",
        "Europe",
        "Paris",
        "dsr",
        "tracker",
    ];
    // Drop what is not read as page text, or is what a person typed.
    let mut rest = html.to_owned();
    for (open, close) in [
        ("<textarea", "</textarea>"),
        ("<style", "</style>"),
        ("<script", "</script>"),
        ("<svg", "</svg>"),
        ("<code", "</code>"),
        ("<pre", "</pre>"),
    ] {
        rest = strip_between(&rest, open, close);
    }
    let mut visible = String::new();
    let mut in_tag = false;
    for c in rest.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                visible.push(' ');
            }
            _ if !in_tag => visible.push(c),
            _ => {}
        }
    }
    let mut visible = visible
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    for text in stored {
        visible = visible.replace(text.as_str(), " ");
    }
    let mut found = Vec::new();
    for chunk in visible.split_whitespace() {
        // Addresses, links, references, times, numbers: data.
        if chunk.contains(['@', '/', ':', '_'])
            || chunk.chars().any(|c| c.is_ascii_digit())
            || chunk.chars().all(|c| !c.is_lowercase())
        {
            continue;
        }
        for word in chunk.split(|c: char| !c.is_alphabetic()) {
            if word.len() >= 2
                && word.chars().all(|c| c.is_ascii_alphabetic())
                && word.chars().any(|c| "aeiouAEIOU".contains(c))
                && !DATA.contains(&word)
            {
                found.push(word.to_owned());
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// `html` without every `open … close` run.
fn strip_between(html: &str, open: &str, close: &str) -> String {
    let mut kept = String::new();
    let mut s = html;
    while let Some(i) = s.find(open) {
        kept.push_str(&s[..i]);
        s = match s[i..].find(close) {
            Some(j) => &s[i + j + close.len()..],
            None => "",
        };
    }
    kept.push_str(s);
    kept
}

/// Runs the W3C Nu HTML checker over every page when it is installed.
fn validate_html(files: &[PathBuf]) {
    let jar = std::env::var("VNU_JAR").ok().map(PathBuf::from);
    let Some(jar) = jar.filter(|j| j.exists()) else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("VNU_JAR is not set or missing: .ci/run installs the Nu HTML checker");
        }
        eprintln!(
            "\n=== SKIPPED: HTML validation (set VNU_JAR to the vnu.jar of npm's vnu-jar) ===\n"
        );
        return;
    };
    let out = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "text"])
        .args(files)
        .output()
        .expect("java runs the Nu HTML checker");
    assert!(
        out.status.success(),
        "Nu HTML checker:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
