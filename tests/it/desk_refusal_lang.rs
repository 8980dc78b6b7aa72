//! The desk's action refusals follow the page's language: the request page
//! carries `?lang=` in every action form, and each refusal (not allowed
//! now, stale version, invalid input, expired form, extension after the
//! first month, read-only account) answers in English after an English page
//! and in French after a French one, changing nothing. Each but the
//! read-only account's is the request page again, in that language, with
//! what was typed back in its form.

use chrono::TimeDelta;
use dsr_tracker::domain::request::RequestKind;

use crate::support::TestApp;
use crate::support::desk::{Answer, Browser, DPO_ISSY, VIEWER_ISSY, reload};

/// The `action` URL of the form posting to `code` on the request page.
fn form_action(page: &str, code: &str) -> String {
    let marker = format!("/actions/{code}");
    let at = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {code} form"));
    let start = page[..at].rfind('"').unwrap() + 1;
    let end = at + page[at..].find('"').unwrap();
    page[start..end].to_owned()
}

async fn post(b: &Browser, url: &str, version: i64, fields: &[(&str, &str)]) -> Answer {
    let version = version.to_string();
    let mut form = vec![("csrf", b.csrf.as_str()), ("version", version.as_str())];
    form.extend_from_slice(fields);
    b.post(url, &form).await
}

/// What each refusal must say, in one language, and what it must not.
struct Expect {
    lang: &'static str,
    html_lang: &'static str,
    not_allowed: &'static str,
    nothing_changed: &'static str,
    required_answer: &'static str,
    needs_ground: &'static str,
    stale: &'static str,
    expired: &'static str,
    typed_kept: &'static str,
    too_late: &'static str,
    viewer: &'static str,
    foreign: [&'static str; 3],
}

const EN: Expect = Expect {
    lang: "en",
    html_lang: "<html lang=\"en\"",
    not_allowed: "This action is not possible: the time limit is not suspended.",
    nothing_changed: "Nothing was changed.",
    required_answer: "The text of the answer is required.",
    needs_ground: "A refusal, even a partial one, must state its ground",
    stale: "Request changed meanwhile",
    expired: "Form expired",
    typed_kept: "What you typed is kept in the form below",
    too_late: "it is too late to extend the time limit",
    viewer: "Your account can read requests, not act on them.",
    foreign: ["Rien n", "Revenir", "Action impossible"],
};

const FR: Expect = Expect {
    lang: "fr",
    html_lang: "<html lang=\"fr\"",
    not_allowed: "Cette action n&#39;est pas possible\u{202f}: le délai n&#39;est pas suspendu.",
    nothing_changed: "Rien n&#39;a été modifié.",
    required_answer: "Le texte de la réponse est obligatoire.",
    needs_ground: "Un refus, même partiel, doit indiquer son motif",
    stale: "Demande modifiée entre-temps",
    expired: "Formulaire expiré",
    typed_kept: "Ce que vous aviez saisi est conservé dans le formulaire ci-dessous",
    too_late: "il est trop tard pour prolonger le délai",
    viewer: "Votre compte permet de consulter les demandes, pas d&#39;agir sur elles.",
    foreign: ["Nothing was changed", "Back to the request", "not possible"],
};

fn check(a: &Answer, status: u16, want: &[&str], e: &Expect, request_id: &str) {
    assert_eq!(a.status, status, "{}", a.body);
    assert!(a.body.contains(e.html_lang), "{}", a.body);
    for w in want {
        assert!(a.body.contains(w), "{w}: {}", a.body);
    }
    for f in e.foreign {
        assert!(!a.body.contains(f), "{f} on a {} page: {}", e.lang, a.body);
    }
    if status != 403 || a.body.contains(e.expired) {
        // The request page itself, in the page's language: its switch leads
        // to the other one.
        let other = match e.lang {
            "en" => "fr",
            _ => "en",
        };
        let switch = format!("href=\"/desk/requests/{request_id}?lang={other}\"");
        assert!(a.body.contains(&switch), "{switch}: {}", a.body);
        assert!(a.body.contains("<section id=\"actions\">"), "{}", a.body);
    }
}

async fn refusals_in(app: &TestApp, db: &crate::support::TestDb, e: &Expect) {
    let request = app.new_request(db, &app.issy, RequestKind::Access);
    let id = request.id.as_str();
    let dpo = app.login(DPO_ISSY).await;
    let page = dpo
        .get(&format!("/desk/requests/{id}?lang={}", e.lang))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    // Every form carries the page's language.
    let resume =
        form_action(&page.body, "accept_identity").replace("accept_identity", "resume_clock");
    match e.lang {
        "en" => assert!(
            resume.ends_with("/actions/resume_clock?lang=en"),
            "{resume}"
        ),
        _ => assert!(resume.ends_with("/actions/resume_clock"), "{resume}"),
    }
    let close = form_action(&page.body, "close");
    let extend = form_action(&page.body, "extend");
    let v = request.version;

    // Not allowed in the current status (409).
    let a = post(&dpo, &resume, v, &[]).await;
    check(&a, 409, &[e.not_allowed, e.nothing_changed], e, id);

    // Invalid input (422), with the typed text given back.
    let a = post(
        &dpo,
        &close,
        v,
        &[("outcome", "refused"), ("answer", "Mon texte à garder")],
    )
    .await;
    check(
        &a,
        422,
        &[e.needs_ground, e.typed_kept, "Mon texte à garder"],
        e,
        id,
    );
    assert_eq!(
        crate::desk_actions::textarea(&a.body, "act-close-answer"),
        "Mon texte à garder"
    );
    let a = post(
        &dpo,
        &close,
        v,
        &[("outcome", "refused"), ("refusal_ground", "no_data_held")],
    )
    .await;
    check(&a, 422, &[e.required_answer], e, id);

    // Stale version (409).
    let a = post(
        &dpo,
        &close,
        v - 1,
        &[("outcome", "granted"), ("answer", "x")],
    )
    .await;
    check(&a, 409, &[e.stale, e.typed_kept], e, id);
    assert_eq!(
        crate::desk_actions::textarea(&a.body, "act-close-answer"),
        "x"
    );

    // Wrong CSRF token (403).
    let a = dpo
        .post(
            &close,
            &[
                ("csrf", "forged"),
                ("version", &v.to_string()),
                ("outcome", "granted"),
            ],
        )
        .await;
    check(&a, 403, &[e.expired], e, id);

    // A read-only account (403).
    let viewer = app.login(VIEWER_ISSY).await;
    let a = post(
        &viewer,
        &close,
        v,
        &[("outcome", "granted"), ("answer", "x")],
    )
    .await;
    check(&a, 403, &[e.viewer], e, id);

    // Nothing was changed by any of them.
    assert_eq!(reload(db, &id.into()).version, v);

    // An accepted action goes back to the page in the same language.
    let accept = form_action(&page.body, "accept_identity");
    let a = post(&dpo, &accept, v, &[]).await;
    assert_eq!(a.status, 303, "{}", a.body);
    let location = a.location.unwrap();
    assert_eq!(location.ends_with("&lang=en"), e.lang == "en", "{location}");
    assert_eq!(reload(db, &id.into()).version, v + 1);

    // Extension after the first month (422), with a new session (the
    // first one has expired meanwhile).
    app.clock.advance(TimeDelta::days(40));
    let dpo = app.login(DPO_ISSY).await;
    let a = post(
        &dpo,
        &extend,
        v + 1,
        &[("months", "1"), ("reason", "Complexité")],
    )
    .await;
    check(&a, 422, &[e.too_late, e.nothing_changed], e, id);
    assert_eq!(reload(db, &id.into()).version, v + 1);
}

crate::db_test!(refusals_in_english, async |db| {
    let app = TestApp::builder().start(&db).await;
    refusals_in(&app, &db, &EN).await;
});

crate::db_test!(refusals_in_french, async |db| {
    let app = TestApp::builder().start(&db).await;
    refusals_in(&app, &db, &FR).await;
});
