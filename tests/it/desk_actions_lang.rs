//! The request page's action forms follow the page's language: every
//! heading, label, hint, option and button of `desk/request_actions.html`
//! in English on `?lang=en` (and no French sentence left), in French by
//! default, including after an action (the notice, the forms the new state
//! offers) and for a read-only account.

use dsr_tracker::domain::request::RequestKind;
use dsr_tracker::domain::values::Locale;

use crate::support::desk::{Answer, Browser, DPO_ISSY, VIEWER_ISSY};
use crate::support::{TestApp, TestDb};

/// What the forms say in one language (as askama escapes it), and
/// sentences of the other language that must not appear.
struct Expect {
    query: &'static str,
    locale: Locale,
    /// An erasure received by post: accept identity, ask for information,
    /// extend, close, art. 19, note, legal hold.
    open: &'static [&'static str],
    /// Once the identity is accepted: the outcomes that need it.
    progress: &'static [&'static str],
    /// After a legal hold and a request for information.
    later: &'static [&'static str],
    read_only: &'static str,
    foreign: &'static [&'static str],
}

const EN: Expect = Expect {
    query: "?lang=en",
    locale: Locale::En,
    open: &[
        "<h2 id=\"actions-title\">Actions</h2>",
        "Fields marked with an asterisk (*) are required.",
        "<h3>Accept identity</h3>",
        "The requester&#39;s identity is established (GDPR article 12(6)): the request can be handled.",
        "<button type=\"submit\">Accept identity</button>",
        "<h3>Request information</h3>",
        "<label for=\"act-info-message\">Message to the requester *</label>",
        "Sent to the requester by e-mail. The time limit is suspended until they reply.",
        "<button type=\"submit\">Send the request for information</button>",
        "<h3>Extend the deadline</h3>",
        "GDPR article 12(3): two months at most in all, decided within the first month",
        "<label for=\"act-extend-months\">Length of the extension *</label>",
        "<option value=\"1\">1 month</option>",
        "<option value=\"2\">2 months</option>",
        "<label for=\"act-extend-reason\">Reason given to the requester *</label>",
        "<h3>Answer and close the request</h3>",
        "<legend>Decision *</legend>",
        "<label for=\"act-close-refused\">Refused</label>",
        "Ground for refusal (required for a refusal, even a partial one)",
        "<option value=\"\">None (request granted)</option>",
        "<option value=\"identity_not_established\">Identity not established (articles 12(6) and 11(2))</option>",
        "<option value=\"manifestly_unfounded\">Manifestly unfounded or excessive request (article 12(5))</option>",
        "<option value=\"art17_3\">Exception to erasure (article 17(3))",
        "<option value=\"art20_3\">Portability does not apply to a task carried out in the public interest (article 20(3))</option>",
        "<option value=\"no_data_held\">No data held</option>",
        "<option value=\"other\">Other ground",
        "they may complain to the CNIL and seek a judicial remedy",
        "<label for=\"act-close-letter\">Point of article 17(3) (for an exception to erasure)</label>",
        "<option value=\"a\">a) freedom of expression and information</option>",
        "<option value=\"b\">b) legal obligation or task in the public interest</option>",
        "<option value=\"e\">e) establishment, exercise or defence of legal claims</option>",
        "<label for=\"act-close-detail\">Ground (for “Other ground”)</label>",
        "<label for=\"act-close-answer\">Answer to the requester *</label>",
        "Sent by e-mail with the decision. Prefilled with the English answer template",
        "<button type=\"submit\">Send the answer and close</button>",
        "<h3>Notify the recipients (article 19)</h3>",
        "<label for=\"act-recipients\">Recipients notified, one per line *</label>",
        "<button type=\"submit\">Record that the recipients were notified</button>",
        "<h3>Add an internal note</h3>",
        "<label for=\"act-note\">Note (never shown to the requester) *</label>",
        "<button type=\"submit\">Add the note</button>",
        "<h3>Place a legal hold</h3>",
        "<label for=\"act-hold-reason\">Reason for the hold (litigation, CNIL inspection…) *</label>",
        "<button type=\"submit\">Place a legal hold</button>",
    ],
    progress: &[
        "<p class=\"notice\" role=\"status\">Action recorded.</p>",
        "<label for=\"act-close-granted\">Granted</label>",
        "<label for=\"act-close-partial\">Partially granted</label>",
        "<label for=\"act-close-refused\">Refused</label>",
    ],
    later: &[
        "<p class=\"notice\" role=\"status\">Action recorded.</p>",
        "<h3>Lift the legal hold</h3>",
        "The retention periods apply again.",
        "<button type=\"submit\">Lift the legal hold</button>",
        "<h3>Resume the clock</h3>",
        "The information asked for has arrived (or the wait is over)",
        "<button type=\"submit\">Resume the clock</button>",
    ],
    read_only: "Your account can read this request, not act on it.",
    foreign: &[
        "Les champs marqués",
        "Accepter l&#39;identité",
        "Demander des informations",
        "Message au demandeur",
        "Envoyé par courrier électronique",
        "Envoyer la demande d&#39;informations",
        "Reprendre le délai",
        "Prolonger le délai",
        "Durée de la prolongation",
        "1 mois",
        "2 mois",
        "Motif communiqué au demandeur",
        "Répondre et clore",
        "Décision *",
        "Demande satisfaite",
        "Demande partiellement satisfaite",
        "Demande refusée",
        "Motif du refus",
        "Aucun (demande satisfaite)",
        "Identité non établie",
        "manifestement infondée",
        "Exception à l&#39;effacement",
        "Portabilité inapplicable",
        "Aucune donnée détenue",
        "Autre motif",
        "saisir la CNIL",
        "Point de l&#39;article 17(3)",
        "liberté d&#39;expression",
        "obligation légale",
        "Réponse au demandeur",
        "Envoyée par courrier électronique",
        "Envoyer la réponse et clore",
        "Informer les destinataires",
        "Destinataires informés",
        "Enregistrer l&#39;information",
        "Ajouter une note interne",
        "jamais montrée",
        "Ajouter la note",
        "Placer sous gel juridique",
        "Motif du gel",
        "Lever le gel juridique",
        "Les durées de conservation",
        "Action enregistrée",
        "Votre compte permet",
        "Aucune action n&#39;est possible",
    ],
};

const FR: Expect = Expect {
    query: "",
    locale: Locale::Fr,
    open: &[
        "Les champs marqués d&#39;un astérisque (*) sont obligatoires.",
        "<h3>Accepter l&#39;identité</h3>",
        "L&#39;identité du demandeur est établie (article 12(6) du RGPD)\u{202f}: la demande peut être traitée.",
        "<label for=\"act-info-message\">Message au demandeur *</label>",
        "<button type=\"submit\">Envoyer la demande d&#39;informations</button>",
        "<h3>Prolonger le délai</h3>",
        "<option value=\"1\">1 mois</option>",
        "<h3>Répondre et clore la demande</h3>",
        "<label for=\"act-close-refused\">Demande refusée</label>",
        "<option value=\"identity_not_established\">Identité non établie (articles 12(6) et 11(2))</option>",
        "<option value=\"art17_3\">Exception à l&#39;effacement (article 17(3)) — précisez le point</option>",
        "<option value=\"b\">b) obligation légale ou mission d&#39;intérêt public</option>",
        "la possibilité de saisir la CNIL et d&#39;exercer un recours juridictionnel",
        "<label for=\"act-close-detail\">Motif (pour «\u{202f}Autre motif\u{202f}»)</label>",
        "Envoyée par courrier électronique avec la décision. Prérempli avec le modèle de réponse en français",
        "<h3>Informer les destinataires (article 19)</h3>",
        "<label for=\"act-note\">Note (jamais montrée au demandeur) *</label>",
        "<h3>Placer sous gel juridique</h3>",
    ],
    progress: &[
        "<p class=\"notice\" role=\"status\">Action enregistrée.</p>",
        "<label for=\"act-close-granted\">Demande satisfaite</label>",
        "<label for=\"act-close-partial\">Demande partiellement satisfaite</label>",
    ],
    later: &[
        "<p class=\"notice\" role=\"status\">Action enregistrée.</p>",
        "<h3>Lever le gel juridique</h3>",
        "Les durées de conservation s&#39;appliquent de nouveau.",
        "<h3>Reprendre le délai</h3>",
    ],
    read_only: "Votre compte permet de consulter cette demande, pas d&#39;agir sur elle.",
    foreign: &[
        "Fields marked",
        "Accept identity",
        "Message to the requester",
        "1 month",
        "Answer and close",
        ">Granted<",
        ">Refused<",
        "Ground for refusal",
        "legal obligation or task",
        "Notify the recipients",
        "Add an internal note",
        "Place a legal hold",
        "Lift the legal hold",
        "Resume the clock",
        "Action recorded",
        "Your account can read",
    ],
};

fn check(page: &Answer, want: &[&str], e: &Expect) {
    assert_eq!(page.status, 200, "{}", page.body);
    for w in want {
        assert!(page.body.contains(w), "missing {w:?} in: {}", page.body);
    }
    for f in e.foreign {
        assert!(
            !page.body.contains(f),
            "{f:?} on a {:?} page: {}",
            e.locale,
            page.body
        );
    }
}

/// The `action` URL of the form posting to `code`.
fn form_action(page: &str, code: &str) -> String {
    let marker = format!("/actions/{code}");
    let at = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {code} form"));
    let start = page[..at].rfind('"').unwrap() + 1;
    let end = at + page[at..].find('"').unwrap();
    page[start..end].to_owned()
}

/// Posts the form of `code` found on `page`, with the page's version.
async fn act(dpo: &Browser, page: &str, code: &str, fields: &[(&str, &str)]) -> Answer {
    let version = crate::support::desk::field_value(page, "version").unwrap();
    let mut form = vec![("csrf", dpo.csrf.as_str()), ("version", version.as_str())];
    form.extend_from_slice(fields);
    dpo.post(&form_action(page, code), &form).await
}

async fn forms_in(app: &TestApp, db: &TestDb, e: &Expect) {
    // The citizen wrote in the page's language, so the whole page (the
    // prefilled answer too) is in one language.
    let request = app.new_request_in(db, &app.issy, RequestKind::Erasure, e.locale);
    let url = format!("/desk/requests/{}{}", request.id, e.query);
    let dpo = app.login(DPO_ISSY).await;
    let page = dpo.get(&url).await;
    check(&page, e.open, e);
    assert!(!page.body.contains("act-close-granted"));

    let a = act(&dpo, &page.body, "accept_identity", &[]).await;
    assert_eq!(a.status, 303, "{}", a.body);
    let page = dpo.get(a.location.as_deref().unwrap()).await;
    check(&page, e.progress, e);
    let a = act(
        &dpo,
        &page.body,
        "place_legal_hold",
        &[("reason", "Contentieux")],
    )
    .await;
    assert_eq!(a.status, 303, "{}", a.body);
    let page = dpo.get(&url).await;
    let a = act(
        &dpo,
        &page.body,
        "request_information",
        &[("message", "Merci de préciser.")],
    )
    .await;
    assert_eq!(a.status, 303, "{}", a.body);
    let page = dpo.get(a.location.as_deref().unwrap()).await;
    check(&page, e.later, e);

    let viewer = app.login(VIEWER_ISSY).await;
    let page = viewer.get(&url).await;
    check(&page, &[e.read_only], e);
    assert!(
        !page
            .body
            .contains("<form method=\"post\" action=\"/desk/requests/")
    );
}

crate::db_test!(the_action_forms_follow_the_page_language, async |db| {
    let app = TestApp::builder().start(&db).await;
    forms_in(&app, &db, &EN).await;
    forms_in(&app, &db, &FR).await;
});
