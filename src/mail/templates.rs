//! The messages a citizen receives, in French and English.
//!
//! Each message is a struct holding what it needs; `render(locale)` fills
//! `templates/mail/{name}.{fr,en}.txt`. A template's **first line is the
//! subject**, then a blank line, then the body: all the wording of one
//! message in one language sits in one file a translator can read.
//!
//! Labels (rights, outcomes, refusal grounds) and dates come from
//! `crate::i18n`, so they read as on the web pages.

use askama::Template;
use chrono::NaiveDate;

use crate::domain::request::{Outcome, RefusalGround, RequestKind};
use crate::domain::values::Locale;
use crate::i18n;

mod registered;
pub use registered::RegisteredAcknowledgmentMail;

/// A message ready for [`super::OutgoingMail::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMail {
    pub subject: String,
    pub body: String,
}

impl RenderedMail {
    /// `(subject, body)`.
    pub fn into_parts(self) -> (String, String) {
        (self.subject, self.body)
    }
}

/// Splits a rendered template into subject (first line) and body, and
/// tidies the ends: no trailing spaces, one final newline.
pub(crate) fn finish(rendered: askama::Result<String>) -> RenderedMail {
    // Our templates only print strings and numbers: rendering cannot fail
    // unless a template is broken, which the unit tests below would show.
    let text = rendered.expect("mail templates print only strings");
    let text = text.replace("\r\n", "\n");
    let (subject, body) = text.split_once('\n').unwrap_or((&text, ""));
    let body: Vec<&str> = body.lines().map(str::trim_end).collect();
    let body = body.join("\n");
    RenderedMail {
        subject: subject.trim().to_owned(),
        body: format!("{}\n", body.trim_matches('\n')),
    }
}

/// "24 heures" / "1 hour".
fn hours(n: u32, locale: Locale) -> String {
    match (locale, n) {
        (Locale::Fr, 0 | 1) => format!("{n} heure"),
        (Locale::Fr, _) => format!("{n} heures"),
        (Locale::En, 1) => "1 hour".to_owned(),
        (Locale::En, _) => format!("{n} hours"),
    }
}

/// A postal address on indented lines under its bullet.
fn indented(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n  ")
}

// ---------------------------------------------------------------- confirmation

/// Sent after a web submission (and again on request, for a new link): the
/// request exists only once the citizen proves they read this address.
#[derive(Debug, Clone)]
pub struct ConfirmationMail {
    pub controller_name: String,
    pub kind: RequestKind,
    pub confirm_url: String,
    /// How long the link works.
    pub expires_hours: u32,
}

/// A new confirmation link reads exactly like the first one.
pub type NewConfirmationLinkMail = ConfirmationMail;

#[derive(Template)]
#[template(path = "mail/confirmation.fr.txt", escape = "none")]
struct ConfirmationFr<'a> {
    m: &'a ConfirmationMail,
    kind: String,
    validity: String,
}

#[derive(Template)]
#[template(path = "mail/confirmation.en.txt", escape = "none")]
struct ConfirmationEn<'a> {
    m: &'a ConfirmationMail,
    kind: String,
    validity: String,
}

impl ConfirmationMail {
    pub fn render(&self, locale: Locale) -> RenderedMail {
        let kind = i18n::kind_label(self.kind, locale);
        let validity = hours(self.expires_hours, locale);
        finish(match locale {
            Locale::Fr => ConfirmationFr {
                m: self,
                kind,
                validity,
            }
            .render(),
            Locale::En => ConfirmationEn {
                m: self,
                kind,
                validity,
            }
            .render(),
        })
    }
}

// ------------------------------------------------------------- acknowledgment

/// The accusé de réception: reference, right, due date, private status link
/// and how to reach the DPO.
#[derive(Debug, Clone)]
pub struct AcknowledgmentMail {
    pub controller_name: String,
    pub reference: String,
    pub kind: RequestKind,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub status_url: String,
    pub dpo_email: String,
    pub dpo_postal_address: Option<String>,
}

#[derive(Template)]
#[template(path = "mail/acknowledgment.fr.txt", escape = "none")]
struct AcknowledgmentFr<'a> {
    m: &'a AcknowledgmentMail,
    kind: String,
    article: &'static str,
    received_on: String,
    due_on: String,
    postal: Option<String>,
}

#[derive(Template)]
#[template(path = "mail/acknowledgment.en.txt", escape = "none")]
struct AcknowledgmentEn<'a> {
    m: &'a AcknowledgmentMail,
    kind: String,
    article: &'static str,
    received_on: String,
    due_on: String,
    postal: Option<String>,
}

impl AcknowledgmentMail {
    pub fn render(&self, locale: Locale) -> RenderedMail {
        let kind = i18n::kind_label(self.kind, locale);
        let article = self.kind.article();
        let received_on = i18n::format_date(self.received_on, locale);
        let due_on = i18n::format_date(self.due_on, locale);
        let postal = self
            .dpo_postal_address
            .as_deref()
            .map(indented)
            .filter(|a| !a.is_empty());
        finish(match locale {
            Locale::Fr => AcknowledgmentFr {
                m: self,
                kind,
                article,
                received_on,
                due_on,
                postal,
            }
            .render(),
            Locale::En => AcknowledgmentEn {
                m: self,
                kind,
                article,
                received_on,
                due_on,
                postal,
            }
            .render(),
        })
    }
}

// -------------------------------------------------------- information request

/// The DPO needs more (usually to establish identity); the deadline is
/// suspended until the citizen answers.
#[derive(Debug, Clone)]
pub struct InformationRequestMail {
    pub controller_name: String,
    pub reference: String,
    /// The DPO's question, as written.
    pub message: String,
    /// The citizen's status link; empty when it cannot be given (the desk
    /// only stores its hash), and the mail then points to the
    /// acknowledgment that carried it. Same in the other mails.
    pub status_url: String,
}

#[derive(Template)]
#[template(path = "mail/information_request.fr.txt", escape = "none")]
struct InformationRequestFr<'a> {
    m: &'a InformationRequestMail,
}

#[derive(Template)]
#[template(path = "mail/information_request.en.txt", escape = "none")]
struct InformationRequestEn<'a> {
    m: &'a InformationRequestMail,
}

impl InformationRequestMail {
    pub fn render(&self, locale: Locale) -> RenderedMail {
        finish(match locale {
            Locale::Fr => InformationRequestFr { m: self }.render(),
            Locale::En => InformationRequestEn { m: self }.render(),
        })
    }
}

// ------------------------------------------------------------------ extension

/// Art. 12(3): the deadline is extended, and the citizen told why.
#[derive(Debug, Clone)]
pub struct ExtensionMail {
    pub controller_name: String,
    pub reference: String,
    pub new_due_on: NaiveDate,
    pub reason: String,
    pub status_url: String,
}

#[derive(Template)]
#[template(path = "mail/extension.fr.txt", escape = "none")]
struct ExtensionFr<'a> {
    m: &'a ExtensionMail,
    new_due_on: String,
}

#[derive(Template)]
#[template(path = "mail/extension.en.txt", escape = "none")]
struct ExtensionEn<'a> {
    m: &'a ExtensionMail,
    new_due_on: String,
}

impl ExtensionMail {
    pub fn render(&self, locale: Locale) -> RenderedMail {
        let new_due_on = i18n::format_date(self.new_due_on, locale);
        finish(match locale {
            Locale::Fr => ExtensionFr {
                m: self,
                new_due_on,
            }
            .render(),
            Locale::En => ExtensionEn {
                m: self,
                new_due_on,
            }
            .render(),
        })
    }
}

// ------------------------------------------------------------------- decision

/// The answer. Unless the request is granted in full (and no ground is
/// recorded), it states the remedies: a complaint to the CNIL and a judicial
/// remedy (art. 12(4), 77-79).
#[derive(Debug, Clone)]
pub struct DecisionMail {
    pub controller_name: String,
    pub reference: String,
    pub outcome: Outcome,
    /// The DPO's answer, as written.
    pub answer: String,
    pub refusal_ground: Option<RefusalGround>,
    pub status_url: String,
    pub dpo_email: String,
}

#[derive(Template)]
#[template(path = "mail/decision.fr.txt", escape = "none")]
struct DecisionFr<'a> {
    m: &'a DecisionMail,
    outcome: String,
    ground: Option<String>,
    remedies: bool,
}

#[derive(Template)]
#[template(path = "mail/decision.en.txt", escape = "none")]
struct DecisionEn<'a> {
    m: &'a DecisionMail,
    outcome: String,
    ground: Option<String>,
    remedies: bool,
}

impl DecisionMail {
    /// Whether the message must state the remedies (art. 12(4)): always
    /// when not granted in full, and whenever a ground is given (telling
    /// someone "we hold no data about you" is also a decision not to act).
    pub fn states_remedies(&self) -> bool {
        self.outcome.requires_grounds() || self.refusal_ground.is_some()
    }

    pub fn render(&self, locale: Locale) -> RenderedMail {
        let outcome = i18n::outcome_label(self.outcome, locale);
        let ground = self
            .refusal_ground
            .as_ref()
            .map(|g| i18n::refusal_ground_label(g, locale));
        let remedies = self.states_remedies();
        finish(match locale {
            Locale::Fr => DecisionFr {
                m: self,
                outcome,
                ground,
                remedies,
            }
            .render(),
            Locale::En => DecisionEn {
                m: self,
                outcome,
                ground,
                remedies,
            }
            .render(),
        })
    }
}

// ----------------------------------------------------------------- withdrawal

/// The citizen withdrew the request (from the status page).
#[derive(Debug, Clone)]
pub struct WithdrawalMail {
    pub controller_name: String,
    pub reference: String,
    /// Whom to tell if the withdrawal was not theirs (the status link may
    /// have leaked).
    pub dpo_email: String,
}

#[derive(Template)]
#[template(path = "mail/withdrawal.fr.txt", escape = "none")]
struct WithdrawalFr<'a> {
    m: &'a WithdrawalMail,
}

#[derive(Template)]
#[template(path = "mail/withdrawal.en.txt", escape = "none")]
struct WithdrawalEn<'a> {
    m: &'a WithdrawalMail,
}

impl WithdrawalMail {
    pub fn render(&self, locale: Locale) -> RenderedMail {
        finish(match locale {
            Locale::Fr => WithdrawalFr { m: self }.render(),
            Locale::En => WithdrawalEn { m: self }.render(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::request::Art17_3Letter;

    const BOTH: [Locale; 2] = [Locale::Fr, Locale::En];

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn ack() -> AcknowledgmentMail {
        AcknowledgmentMail {
            controller_name: "Ville d'Issy-les-Moulineaux".into(),
            reference: "ISSY-2026-0042".into(),
            kind: RequestKind::Erasure,
            received_on: d(2026, 2, 2),
            due_on: d(2026, 3, 2),
            status_url: "https://dsr.example.fr/s/abc123".into(),
            dpo_email: "dpo@issy.example.fr".into(),
            dpo_postal_address: Some(
                "Hôtel de ville\n62 rue du Général Leclerc\n92130 Issy".into(),
            ),
        }
    }

    fn decision(outcome: Outcome, ground: Option<RefusalGround>) -> DecisionMail {
        DecisionMail {
            controller_name: "Ville de Vanves".into(),
            reference: "VANVES-2026-0007".into(),
            outcome,
            answer: "Vos données sont nécessaires à la tenue de l'état civil.".into(),
            refusal_ground: ground,
            status_url: "https://dsr.example.fr/s/xyz".into(),
            dpo_email: "dpo@vanves.example.fr".into(),
        }
    }

    /// What every message must look like, whatever its content.
    fn assert_well_formed(mail: &RenderedMail, signer: &str) {
        assert!(!mail.subject.is_empty());
        assert!(!mail.subject.contains(['\n', '\r']), "{:?}", mail.subject);
        assert!(mail.body.ends_with(&format!("{signer}\n")), "{}", mail.body);
        assert!(!mail.body.starts_with('\n'));
        assert!(!mail.body.contains("\n\n\n"), "{}", mail.body);
        assert!(!mail.body.contains("{{") && !mail.body.contains("{%"));
        assert!(
            !mail.body.lines().any(|l| l.ends_with(' ')),
            "{}",
            mail.body
        );
    }

    #[test]
    fn acknowledgment_gives_reference_due_date_link_and_dpo() {
        let fr = ack().render(Locale::Fr);
        assert_well_formed(&fr, "Ville d'Issy-les-Moulineaux");
        assert_eq!(
            fr.subject,
            "Accusé de réception de votre demande ISSY-2026-0042"
        );
        assert!(fr.body.starts_with("Madame, Monsieur,\n"));
        for needle in [
            "ISSY-2026-0042",
            "Droit à l'effacement (article 17 du RGPD)",
            "lundi 2 mars 2026",
            "lundi 2 février 2026",
            "https://dsr.example.fr/s/abc123",
            "Ne le transmettez pas",
            "dpo@issy.example.fr",
            "  62 rue du Général Leclerc\n",
        ] {
            assert!(
                fr.body.contains(needle),
                "missing {needle:?} in\n{}",
                fr.body
            );
        }

        let en = ack().render(Locale::En);
        assert_well_formed(&en, "Ville d'Issy-les-Moulineaux");
        assert_eq!(en.subject, "Acknowledgment of your request ISSY-2026-0042");
        for needle in [
            "ISSY-2026-0042",
            "Right to erasure (GDPR article 17)",
            "Monday 2 March 2026",
            "https://dsr.example.fr/s/abc123",
            "private",
            "dpo@issy.example.fr",
        ] {
            assert!(
                en.body.contains(needle),
                "missing {needle:?} in\n{}",
                en.body
            );
        }

        let mut no_post = ack();
        no_post.dpo_postal_address = None;
        let fr = no_post.render(Locale::Fr);
        assert_well_formed(&fr, "Ville d'Issy-les-Moulineaux");
        assert!(!fr.body.contains("courrier postal"));
    }

    #[test]
    fn refusals_always_state_the_remedies() {
        let cases = [
            decision(
                Outcome::Refused,
                Some(RefusalGround::ErasureException(Art17_3Letter::B)),
            ),
            decision(Outcome::PartiallyGranted, None),
            decision(Outcome::Granted, Some(RefusalGround::NoDataHeld)),
        ];
        for mail in &cases {
            let fr = mail.render(Locale::Fr);
            assert_well_formed(&fr, "Ville de Vanves");
            for needle in [
                "réclamation auprès de la Commission nationale de l'informatique et des libertés (CNIL)",
                "www.cnil.fr",
                "3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07",
                "recours juridictionnel",
                "articles 12(4) et 77 à 79 du RGPD",
            ] {
                assert!(
                    fr.body.contains(needle),
                    "missing {needle:?} in\n{}",
                    fr.body
                );
            }
            let en = mail.render(Locale::En);
            assert_well_formed(&en, "Ville de Vanves");
            for needle in [
                "complaint with the French supervisory authority, the CNIL",
                "www.cnil.fr",
                "3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07",
                "judicial remedy",
                "GDPR articles 12(4) and 77 to 79",
            ] {
                assert!(
                    en.body.contains(needle),
                    "missing {needle:?} in\n{}",
                    en.body
                );
            }
        }
        let refused = cases[0].render(Locale::Fr);
        assert_eq!(refused.subject, "Réponse à votre demande VANVES-2026-0007");
        assert!(refused.body.contains("Décision : Demande refusée\n"));
        assert!(refused.body.contains(
            "Motif : effacement non applicable\u{202f}: obligation légale ou mission d'intérêt public \
             (article 17(3)(b) du RGPD)\n"
        ));
        assert!(refused.body.contains("Vos données sont nécessaires"));
    }

    #[test]
    fn a_full_grant_has_no_complaint_paragraph() {
        let mail = decision(Outcome::Granted, None);
        for locale in BOTH {
            let r = mail.render(locale);
            assert_well_formed(&r, "Ville de Vanves");
            assert!(!r.body.contains("CNIL"), "{}", r.body);
            assert!(!r.body.contains("Motif") && !r.body.contains("Ground"));
            assert!(r.body.contains("dpo@vanves.example.fr"));
        }
    }

    #[test]
    fn confirmation_explains_the_link_and_its_expiry() {
        let mail = ConfirmationMail {
            controller_name: "Ville d'Issy-les-Moulineaux".into(),
            kind: RequestKind::Access,
            confirm_url: "https://dsr.example.fr/c/issy/confirm/tok".into(),
            expires_hours: 48,
        };
        let fr = mail.render(Locale::Fr);
        assert_well_formed(&fr, "Ville d'Issy-les-Moulineaux");
        assert_eq!(
            fr.subject,
            "Confirmez votre demande auprès de Ville d'Issy-les-Moulineaux"
        );
        assert!(fr.body.contains("Droit d'accès"));
        assert!(
            fr.body
                .contains("\nhttps://dsr.example.fr/c/issy/confirm/tok\n")
        );
        assert!(fr.body.contains("48 heures"));
        assert!(fr.body.contains("nouveau lien"));
        let en = mail.render(Locale::En);
        assert_well_formed(&en, "Ville d'Issy-les-Moulineaux");
        assert!(en.body.contains("48 hours") && en.body.contains("Right of access"));
        assert!(en.body.contains("new link"));
        let one = ConfirmationMail {
            expires_hours: 1,
            ..mail
        };
        assert!(one.render(Locale::Fr).body.contains("1 heure."));
        assert!(one.render(Locale::En).body.contains("1 hour."));
    }

    #[test]
    fn information_extension_and_withdrawal_render_in_both_languages() {
        let info = InformationRequestMail {
            controller_name: "Ville de Vanves".into(),
            reference: "VANVES-2026-0008".into(),
            message: "Merci de nous indiquer votre date de naissance.".into(),
            status_url: "https://dsr.example.fr/s/q".into(),
        };
        let ext = ExtensionMail {
            controller_name: "Ville de Vanves".into(),
            reference: "VANVES-2026-0008".into(),
            new_due_on: d(2026, 6, 1),
            reason: "Les données sont réparties entre plusieurs services.".into(),
            status_url: "https://dsr.example.fr/s/q".into(),
        };
        let wd = WithdrawalMail {
            controller_name: "Ville de Vanves".into(),
            reference: "VANVES-2026-0008".into(),
            dpo_email: "dpo@vanves.example.fr".into(),
        };
        for locale in BOTH {
            let i = info.render(locale);
            assert_well_formed(&i, "Ville de Vanves");
            assert!(i.subject.contains("VANVES-2026-0008"));
            assert!(i.body.contains("date de naissance"));
            assert!(i.body.contains("https://dsr.example.fr/s/q"));

            let e = ext.render(locale);
            assert_well_formed(&e, "Ville de Vanves");
            assert!(e.body.contains("réparties entre plusieurs services"));
            assert!(e.body.contains("https://dsr.example.fr/s/q"));

            let w = wd.render(locale);
            assert_well_formed(&w, "Ville de Vanves");
            assert!(w.subject.contains("VANVES-2026-0008"));
            assert!(w.body.contains("dpo@vanves.example.fr"));
        }
        let fr = info.render(Locale::Fr);
        assert!(
            fr.body.contains("délai de réponse est suspendu"),
            "{}",
            fr.body
        );
        assert!(info.render(Locale::En).body.contains("suspended"));
        assert!(ext.render(Locale::Fr).body.contains("lundi 1er juin 2026"));
        assert!(ext.render(Locale::En).body.contains("Monday 1 June 2026"));
    }

    #[test]
    fn desk_mails_without_a_status_link_point_to_the_acknowledgment() {
        let info = InformationRequestMail {
            controller_name: "Ville de Vanves".into(),
            reference: "VANVES-2026-0008".into(),
            message: "Merci de nous indiquer votre date de naissance.".into(),
            status_url: String::new(),
        };
        let ext = ExtensionMail {
            controller_name: "Ville de Vanves".into(),
            reference: "VANVES-2026-0008".into(),
            new_due_on: d(2026, 6, 1),
            reason: "Les données sont réparties entre plusieurs services.".into(),
            status_url: String::new(),
        };
        let mut dec = decision(Outcome::Refused, Some(RefusalGround::NoDataHeld));
        dec.status_url = String::new();
        for locale in BOTH {
            for mail in [info.render(locale), ext.render(locale), dec.render(locale)] {
                assert_well_formed(&mail, "Ville de Vanves");
                assert!(!mail.body.contains("http"), "{}", mail.body);
                assert!(!mail.body.contains(" :\n\n\n"), "{}", mail.body);
                let ack = match locale {
                    Locale::Fr => "accusé de réception",
                    Locale::En => "acknowledgment",
                };
                assert!(mail.body.contains(ack), "{}", mail.body);
            }
        }
    }

    // ------------------------------------------------------------ snapshots

    /// A mail as its reader sees it, for a snapshot.
    fn as_read(mail: &RenderedMail) -> String {
        format!("Subject: {}\n\n{}", mail.subject, mail.body)
    }

    fn info(status_url: &str) -> InformationRequestMail {
        InformationRequestMail {
            controller_name: "Ville de Vanves".into(),
            reference: "VANVES-2026-0008".into(),
            message: "Merci de nous indiquer votre date de naissance.".into(),
            status_url: status_url.into(),
        }
    }

    fn extension(status_url: &str) -> ExtensionMail {
        ExtensionMail {
            controller_name: "Ville de Vanves".into(),
            reference: "VANVES-2026-0008".into(),
            new_due_on: d(2026, 6, 1),
            reason: "Les données sont réparties entre plusieurs services.".into(),
            status_url: status_url.into(),
        }
    }

    /// Every message, in every language, with the variants that change
    /// its text (a status link or not, a postal address or not, remedies
    /// or not): one reviewed file each under `src/mail/snapshots/`.
    #[test]
    fn every_mail_reads_as_reviewed() {
        let confirmation = ConfirmationMail {
            controller_name: "Ville d'Issy-les-Moulineaux".into(),
            kind: RequestKind::Access,
            confirm_url: "https://dsr.example.fr/c/issy/confirm/tok".into(),
            expires_hours: 48,
        };
        let mut ack_no_post = ack();
        ack_no_post.dpo_postal_address = None;
        let mut refused_no_link = decision(Outcome::Refused, Some(RefusalGround::NoDataHeld));
        refused_no_link.status_url = String::new();
        let withdrawal = WithdrawalMail {
            controller_name: "Ville de Vanves".into(),
            reference: "VANVES-2026-0008".into(),
            dpo_email: "dpo@vanves.example.fr".into(),
        };
        let registered = |channel| RegisteredAcknowledgmentMail {
            controller_name: "Ville d'Issy".into(),
            reference: "ISSY-2026-0007".into(),
            kind: RequestKind::Access,
            channel,
            received_on: d(2026, 2, 9),
            due_on: d(2026, 3, 9),
            dpo_email: "dpo@issy.example.fr".into(),
            dpo_postal_address: Some("Hôtel de ville\n62 rue du Général Leclerc".into()),
        };
        let mut registered_by_mail = registered(crate::domain::request::Channel::Email);
        registered_by_mail.dpo_postal_address = None;
        for locale in BOTH {
            let cases = [
                ("confirmation", confirmation.render(locale)),
                ("acknowledgment", ack().render(locale)),
                ("acknowledgment_without_postal_address", ack_no_post.render(locale)),
                ("information_request", info("https://dsr.example.fr/s/q").render(locale)),
                ("information_request_without_link", info("").render(locale)),
                ("extension", extension("https://dsr.example.fr/s/q").render(locale)),
                ("extension_without_link", extension("").render(locale)),
                (
                    "decision_refused",
                    decision(
                        Outcome::Refused,
                        Some(RefusalGround::ErasureException(Art17_3Letter::B)),
                    )
                    .render(locale),
                ),
                (
                    "decision_partially_granted",
                    decision(Outcome::PartiallyGranted, None).render(locale),
                ),
                ("decision_granted", decision(Outcome::Granted, None).render(locale)),
                ("decision_without_link", refused_no_link.render(locale)),
                ("withdrawal", withdrawal.render(locale)),
                (
                    "registered_acknowledgment_post",
                    registered(crate::domain::request::Channel::Post).render(locale),
                ),
                ("registered_acknowledgment_email", registered_by_mail.render(locale)),
            ];
            for (name, mail) in cases {
                insta::assert_snapshot!(format!("{name}_{}", locale.as_str()), as_read(&mail));
            }
        }
    }

}
