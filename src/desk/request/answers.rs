//! The answer templates the close form starts from, one text per request
//! kind and language in `templates/answers/{kind}.{fr,en}.txt`.
//!
//! Why templates: an answer that forgets one of the items the GDPR makes
//! mandatory (the eight blocks of art. 15, the art. 19 notification of
//! recipients) is an incomplete answer, and the DPO would otherwise retype
//! them for every request. The texts are plain text because the answer is
//! mailed inside the decision mail (`mail/decision.*.txt`), which already
//! carries the greeting, the decision, the remedies and the signature.
//! Passages the DPO must write are in square brackets.
//!
//! The template's language is the request's (the citizen chose it); the
//! request page offers the other one with `?answer_lang=`.

use askama::Template;

use crate::domain::request::RequestKind;
use crate::domain::values::Locale;
use crate::i18n::Tr;

/// What the close form of the request page shows about the answer.
pub struct AnswerTemplate {
    /// The textarea's initial text.
    pub text: String,
    /// Which template it is and what to do with it.
    pub hint: String,
    /// The same page with the template in the other language.
    pub switch_url: String,
    pub switch_label: String,
}

impl AnswerTemplate {
    /// The template of `kind` in `answer_locale` for the page at `page_path`
    /// shown in `t`'s language.
    pub fn new(
        kind: RequestKind,
        answer_locale: Locale,
        controller_name: &str,
        page_path: &str,
        t: Tr,
    ) -> AnswerTemplate {
        let other = Tr::new(answer_locale).other().locale();
        AnswerTemplate {
            text: render(kind, answer_locale, controller_name),
            hint: t.request_page_answer_template(answer_locale.as_str()),
            switch_url: format!(
                "{page_path}?lang={}&answer_lang={}#act-close-answer",
                t.query_lang(),
                other.as_str()
            ),
            switch_label: t.request_page_answer_switch(other.as_str()),
        }
    }
}

macro_rules! answer_structs {
    ($($name:ident => $path:literal,)*) => {
        $(
            #[derive(Template)]
            #[template(path = $path, escape = "none")]
            struct $name<'a> {
                controller_name: &'a str,
            }
        )*
    };
}

answer_structs! {
    AccessFr => "answers/access.fr.txt",
    AccessEn => "answers/access.en.txt",
    RectificationFr => "answers/rectification.fr.txt",
    RectificationEn => "answers/rectification.en.txt",
    ErasureFr => "answers/erasure.fr.txt",
    ErasureEn => "answers/erasure.en.txt",
    RestrictionFr => "answers/restriction.fr.txt",
    RestrictionEn => "answers/restriction.en.txt",
    PortabilityFr => "answers/portability.fr.txt",
    PortabilityEn => "answers/portability.en.txt",
    ObjectionFr => "answers/objection.fr.txt",
    ObjectionEn => "answers/objection.en.txt",
    MarketingObjectionFr => "answers/marketing_objection.fr.txt",
    MarketingObjectionEn => "answers/marketing_objection.en.txt",
}

/// The answer template of `kind` in `locale`, with the controller's name.
pub fn render(kind: RequestKind, locale: Locale, controller_name: &str) -> String {
    let c = controller_name;
    let rendered = match (kind, locale) {
        (RequestKind::Access, Locale::Fr) => AccessFr { controller_name: c }.render(),
        (RequestKind::Access, Locale::En) => AccessEn { controller_name: c }.render(),
        (RequestKind::Rectification, Locale::Fr) => RectificationFr { controller_name: c }.render(),
        (RequestKind::Rectification, Locale::En) => RectificationEn { controller_name: c }.render(),
        (RequestKind::Erasure, Locale::Fr) => ErasureFr { controller_name: c }.render(),
        (RequestKind::Erasure, Locale::En) => ErasureEn { controller_name: c }.render(),
        (RequestKind::Restriction, Locale::Fr) => RestrictionFr { controller_name: c }.render(),
        (RequestKind::Restriction, Locale::En) => RestrictionEn { controller_name: c }.render(),
        (RequestKind::Portability, Locale::Fr) => PortabilityFr { controller_name: c }.render(),
        (RequestKind::Portability, Locale::En) => PortabilityEn { controller_name: c }.render(),
        (RequestKind::Objection, Locale::Fr) => ObjectionFr { controller_name: c }.render(),
        (RequestKind::Objection, Locale::En) => ObjectionEn { controller_name: c }.render(),
        (RequestKind::MarketingObjection, Locale::Fr) => {
            MarketingObjectionFr { controller_name: c }.render()
        }
        (RequestKind::MarketingObjection, Locale::En) => {
            MarketingObjectionEn { controller_name: c }.render()
        }
    };
    // The templates are fixed text with one plain substitution: a failure
    // is a build defect, which the unit tests below catch.
    rendered.expect("answer templates render").trim().to_owned()
}

/// How the templates mark a passage the DPO must write, in each language.
/// An answer still holding one is refused: the citizen would receive
/// instructions meant for the DPO instead of the information owed.
pub const PLACEHOLDER_MARKERS: [&str; 2] = ["[À compléter", "[To be completed"];

/// Whether `answer` still has a passage of a template to complete.
pub fn has_placeholder(answer: &str) -> bool {
    PLACEHOLDER_MARKERS.iter().any(|m| answer.contains(m))
}

/// The headings of the art. 15 answer, in order: the eight items the
/// access answer must cover (art. 15(1)(a) to (h), with (e) and (f)
/// together, and 15(3)).
pub fn access_headings(locale: Locale) -> [&'static str; 8] {
    match locale {
        Locale::Fr => [
            "1. Finalités du traitement",
            "2. Catégories de données à caractère personnel concernées",
            "3. Destinataires ou catégories de destinataires",
            "4. Durée de conservation",
            "5. Vos droits",
            "6. Source des données",
            "7. Prise de décision automatisée, y compris le profilage",
            "8. Copie des données",
        ],
        Locale::En => [
            "1. Purposes of the processing",
            "2. Categories of personal data concerned",
            "3. Recipients or categories of recipients",
            "4. Retention period",
            "5. Your rights",
            "6. Source of the data",
            "7. Automated decision-making, including profiling",
            "8. Copy of the data",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CITY: &str = "Ville d'Issy-les-Moulineaux";

    #[test]
    fn every_kind_has_a_template_in_both_languages_naming_its_article() {
        for kind in RequestKind::ALL {
            for locale in [Locale::Fr, Locale::En] {
                let text = render(kind, locale, CITY);
                assert!(text.contains(CITY), "{kind} {locale:?}: {text}");
                let article = match locale {
                    Locale::Fr => format!("article {}", kind.article()),
                    Locale::En => format!("Article {}", kind.article()),
                };
                let article = article.replace("(1)", "").replace("(2)", "");
                assert!(text.contains(&article), "{kind} {locale:?}: {text}");
                assert!(!text.contains("{{") && !text.contains("{%"), "{text}");
                assert!(!text.starts_with('\n') && !text.ends_with('\n'));
                let placeholder = match locale {
                    Locale::Fr => PLACEHOLDER_MARKERS[0],
                    Locale::En => PLACEHOLDER_MARKERS[1],
                };
                assert!(text.contains(placeholder), "{kind} {locale:?}");
                assert!(has_placeholder(&text));
            }
            assert_ne!(
                render(kind, Locale::Fr, CITY),
                render(kind, Locale::En, CITY)
            );
        }
    }

    #[test]
    fn the_access_template_has_the_eight_art_15_blocks_in_order() {
        for locale in [Locale::Fr, Locale::En] {
            let text = render(RequestKind::Access, locale, CITY);
            let mut from = 0;
            for heading in access_headings(locale) {
                let at = text[from..]
                    .find(&format!("\n{heading}\n"))
                    .unwrap_or_else(|| panic!("{heading} missing or out of order"));
                from += at + heading.len();
            }
            assert!(text.contains("CNIL"), "the right to complain");
            assert!(text.contains("15(3)"), "the copy");
        }
    }

    #[test]
    fn placeholders_are_found_in_either_language() {
        assert!(has_placeholder("Bonjour [À compléter : la date]."));
        assert!(has_placeholder("Hello [To be completed: the date]."));
        assert!(!has_placeholder("Vos données [pièce jointe] sont jointes."));
        assert!(!has_placeholder(""));
    }

    #[test]
    fn art_19_is_in_the_templates_of_the_kinds_it_concerns() {
        for kind in RequestKind::ALL {
            let text = render(kind, Locale::Fr, CITY);
            assert_eq!(
                text.contains("article 19 du RGPD"),
                kind.notifies_recipients(),
                "{kind}"
            );
        }
    }
}
