//! The answer templates through the real desk, on both backends: for each
//! kind, the close form is prefilled with the template in the citizen's
//! language, the other language is one link away, and the text the DPO
//! edited and submitted is what the citizen receives at the SMTP listener.

use dsr_tracker::desk::request::answers;
use dsr_tracker::domain::request::RequestKind;
use dsr_tracker::domain::values::Locale;

use crate::support::desk::{Browser, CITIZEN, DPO_ISSY, reload};
use crate::support::{TestApp, TestDb};

/// Undoes askama's escaping of a text node.
fn unescape(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#60;", "<")
        .replace("&lt;", "<")
        .replace("&#62;", ">")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// The text of the `<textarea id="{id}">`, as a browser would show it.
fn textarea(body: &str, id: &str) -> String {
    let at = body
        .find(&format!("<textarea id=\"{id}\""))
        .unwrap_or_else(|| panic!("no textarea {id}"));
    let rest = &body[at..];
    let from = rest.find('>').unwrap() + 1;
    let to = rest.find("</textarea>").unwrap();
    unescape(&rest[from..to])
}

/// The `href` of the link that switches the answer template's language.
fn switch_link(body: &str) -> String {
    let at = body
        .find("<p class=\"answer-switch\"><a href=\"")
        .expect("template switch link");
    let rest = &body[at + "<p class=\"answer-switch\"><a href=\"".len()..];
    unescape(&rest[..rest.find('"').unwrap()])
}

/// The template with every bracketed passage written, as a DPO fills it
/// in: `filled_in` and the passage's number.
fn edited(template: &str, filled_in: &str) -> String {
    let mut text = template.to_owned();
    let mut n = 0;
    while let Some(from) = text.find('[') {
        let to = text[from..].find(']').expect("a closing bracket") + from + 1;
        n += 1;
        text.replace_range(from..to, &format!("{filled_in} ({n})"));
    }
    assert!(n > 0, "a passage to complete in {template}");
    text
}

/// What the text of a template in `locale` must show, independently of the
/// template files: the article of the kind and the placeholder marker.
fn assert_language(text: &str, kind: RequestKind, locale: Locale) {
    let article = kind
        .article()
        .trim_end_matches("(1)")
        .trim_end_matches("(2)");
    let (word, marker, other_marker) = match locale {
        Locale::Fr => ("article", "[À compléter", "[To be completed"),
        Locale::En => ("Article", "[To be completed", "[À compléter"),
    };
    assert!(
        text.contains(&format!("{word} {article}")),
        "{kind} {locale:?}: {text}"
    );
    assert!(text.contains(marker), "{kind} {locale:?}: {text}");
    assert!(!text.contains(other_marker), "{kind} {locale:?}: {text}");
    assert!(
        text.contains("Ville d'Issy-les-Moulineaux"),
        "the city's name is filled in: {text}"
    );
}

/// The art. 15 blocks, as the issue lists them, in the page's text.
fn assert_access_blocks(text: &str, locale: Locale) {
    let words: [&str; 9] = match locale {
        Locale::Fr => [
            "Finalités du traitement",
            "Catégories de données",
            "Destinataires",
            "Durée de conservation",
            "Vos droits",
            "réclamation auprès de la Commission nationale de l'informatique et des libertés",
            "Source des données",
            "Prise de décision automatisée, y compris le profilage",
            "Copie des données",
        ],
        Locale::En => [
            "Purposes of the processing",
            "Categories of personal data",
            "Recipients",
            "Retention period",
            "Your rights",
            "complaint with the French data protection authority",
            "Source of the data",
            "Automated decision-making, including profiling",
            "Copy of the data",
        ],
    };
    for w in words {
        assert!(text.contains(w), "{locale:?}: {w} missing in {text}");
    }
    let headings = answers::access_headings(locale);
    assert_eq!(headings.len(), 8);
    for h in headings {
        assert!(text.contains(&format!("\n{h}\n")), "{h}");
    }
}

async fn page(dpo: &Browser, path: &str) -> String {
    let a = dpo.get(path).await;
    assert_eq!(a.status, 200, "{}", a.body);
    a.body
}

/// The whole check for one kind: a French and an English request, each
/// prefilled in its citizen's language with the other one a link away,
/// each closed with an edited answer that reaches the citizen as edited.
async fn template_prefilled_and_mailed(db: &TestDb, kind: RequestKind) {
    let app = TestApp::builder().start(db).await;
    let dpo = app.login(DPO_ISSY).await;
    let city = app.issy.name.clone();
    let mut sent = Vec::new();
    for locale in [Locale::Fr, Locale::En] {
        let other = match locale {
            Locale::Fr => Locale::En,
            Locale::En => Locale::Fr,
        };
        let r = app.new_request_in(db, &app.issy, kind, locale);
        let path = format!("/desk/requests/{}", r.id);
        dpo.act_ok(&r.id, "accept_identity", r.version, &[]).await;

        // The citizen's language first.
        let body = page(&dpo, &path).await;
        let prefilled = textarea(&body, "act-close-answer");
        assert_eq!(prefilled, answers::render(kind, locale, &city));
        assert_language(&prefilled, kind, locale);
        if kind == RequestKind::Access {
            assert_access_blocks(&prefilled, locale);
        }

        // The other language, one link away, without JavaScript.
        let link = switch_link(&body);
        assert_eq!(
            link,
            format!(
                "{path}?lang=fr&answer_lang={}#act-close-answer",
                other.as_str()
            )
        );
        let switched = page(&dpo, link.split('#').next().unwrap()).await;
        let other_text = textarea(&switched, "act-close-answer");
        assert_language(&other_text, kind, other);
        if kind == RequestKind::Access {
            assert_access_blocks(&other_text, other);
        }
        // …and back.
        assert!(
            switch_link(&switched).contains(&format!("answer_lang={}", locale.as_str())),
            "{}",
            switch_link(&switched)
        );

        // The DPO fills a passage in and sends.
        let filled_in = format!("{} — rempli par le DPO {}", kind.as_str(), locale.as_str());
        let answer = edited(&prefilled, &filled_in);
        let version = reload(db, &r.id).version;
        dpo.act_ok(
            &r.id,
            "close",
            version,
            &[("outcome", "granted"), ("answer", &answer)],
        )
        .await;
        sent.push((r.reference.clone().unwrap(), answer, prefilled));
    }

    let mails = app.mails(2).await;
    for (reference, answer, template) in sent {
        let mail = mails
            .iter()
            .find(|m| m.body().contains(&reference))
            .unwrap_or_else(|| panic!("no mail for {reference}"));
        assert_eq!(mail.rcpt_to, vec![CITIZEN.to_owned()]);
        let body = mail.body().replace("\r\n", "\n");
        assert!(body.contains(&answer), "{body}\n---\n{answer}");
        // The passages were written, so the mail is not the template.
        assert!(!body.contains(&template), "{body}");
        assert!(!body.contains('['), "{body}");
    }
}

macro_rules! per_kind {
    ($($name:ident => $kind:expr,)*) => {
        $(
            crate::db_test!($name, async |db| {
                template_prefilled_and_mailed(&db, $kind).await;
            });
        )*
    };
}

per_kind! {
    access_template_prefilled_and_mailed => RequestKind::Access,
    rectification_template_prefilled_and_mailed => RequestKind::Rectification,
    erasure_template_prefilled_and_mailed => RequestKind::Erasure,
    restriction_template_prefilled_and_mailed => RequestKind::Restriction,
    portability_template_prefilled_and_mailed => RequestKind::Portability,
    objection_template_prefilled_and_mailed => RequestKind::Objection,
    marketing_objection_template_prefilled_and_mailed => RequestKind::MarketingObjection,
}

crate::db_test!(
    answer_template_language_follows_the_citizen_not_the_page,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let dpo = app.login(DPO_ISSY).await;
        let r = app.new_request_in(&db, &app.issy, RequestKind::Erasure, Locale::Fr);
        dpo.act_ok(&r.id, "accept_identity", r.version, &[]).await;
        let path = format!("/desk/requests/{}", r.id);

        // The page in English, the citizen French: the template is French,
        // explained in English.
        let body = page(&dpo, &format!("{path}?lang=en")).await;
        assert_language(
            &textarea(&body, "act-close-answer"),
            RequestKind::Erasure,
            Locale::Fr,
        );
        assert!(
            body.contains("Prefilled with the French answer template"),
            "{body}"
        );
        assert!(body.contains("Use the English template"));
        assert_eq!(
            switch_link(&body),
            format!("{path}?lang=en&answer_lang=en#act-close-answer")
        );

        // A language that does not exist, or an empty one: the citizen's
        // template, no error.
        for bad in ["xx", "", "en%00", "FR;DROP"] {
            let body = page(&dpo, &format!("{path}?answer_lang={bad}")).await;
            assert_language(
                &textarea(&body, "act-close-answer"),
                RequestKind::Erasure,
                Locale::Fr,
            );
        }
    }
);

crate::db_test!(
    an_emptied_answer_is_refused_and_nothing_is_sent,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let dpo = app.login(DPO_ISSY).await;
        let r = app.new_request_in(&db, &app.issy, RequestKind::Access, Locale::En);
        dpo.act_ok(&r.id, "accept_identity", r.version, &[]).await;
        let version = reload(&db, &r.id).version;
        // The DPO cleared the prefilled text.
        let a = dpo
            .act(
                &r.id,
                "close",
                version,
                &[("outcome", "granted"), ("answer", "  \r\n ")],
            )
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert!(a.body.contains("Le texte de la réponse est obligatoire"));
        // The page again with the field as sent: empty, the error beside it.
        assert!(textarea(&a.body, "act-close-answer").trim().is_empty());
        assert!(a.body.contains("id=\"act-close-answer-error\""));
        let after = reload(&db, &r.id);
        assert_eq!(after.version, version);
        assert!(after.closed_at.is_none());
        // Still prefilled when the DPO comes back.
        let body = page(&dpo, &format!("/desk/requests/{}", r.id)).await;
        assert_access_blocks(&textarea(&body, "act-close-answer"), Locale::En);
        assert!(app.smtp.messages().is_empty());
    }
);

crate::db_test!(
    an_answer_with_a_passage_left_to_complete_is_refused,
    async |db| {
        let app = TestApp::builder().start(&db).await;
        let dpo = app.login(DPO_ISSY).await;
        for (kind, locale) in [
            (RequestKind::Access, Locale::Fr),
            (RequestKind::Rectification, Locale::En),
        ] {
            let r = app.new_request_in(&db, &app.issy, kind, locale);
            dpo.act_ok(&r.id, "accept_identity", r.version, &[]).await;
            let version = reload(&db, &r.id).version;
            let template = answers::render(kind, locale, &app.issy.name);
            // Sent as prefilled, then with all but the last passage written.
            let last = template.rfind('[').unwrap();
            let mostly = format!("{}{}", edited(&template[..last], "fait"), &template[last..]);
            for answer in [template.clone(), mostly] {
                let a = dpo
                    .act(
                        &r.id,
                        "close",
                        version,
                        &[("outcome", "granted"), ("answer", &answer)],
                    )
                    .await;
                assert_eq!(a.status, 422, "{}", a.body);
                assert!(
                    a.body
                        .contains("La réponse contient encore un passage du modèle à compléter"),
                    "{}",
                    a.body
                );
                // What was typed is back in its field, the message beside
                // it and linked from the summary at the top.
                assert_eq!(textarea(&a.body, "act-close-answer"), answer);
                assert!(a.body.contains(
                    "<p class=\"error\" id=\"act-close-answer-error\">La réponse contient encore"
                ));
                assert!(
                    a.body
                        .contains("<a href=\"#act-close-answer\">La réponse contient encore")
                );
                assert!(a.body.contains("aria-invalid=\"true\""));
                let after = reload(&db, &r.id);
                assert_eq!(after.version, version, "nothing changed");
                assert!(after.closed_at.is_none());
            }
        }
        assert!(app.smtp.messages().is_empty());
    }
);
