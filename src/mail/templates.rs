//! The messages a citizen receives, in every language the product speaks.
//!
//! Each message is a struct holding what it needs; `render(locale)` fills
//! its one template, `templates/mail/{name}.txt`, with the words of the
//! catalogue `i18n/<language>/mail.ftl` (`t.mail_…()`). A template's **first
//! line is the subject**, then a blank line, then the body: the template
//! shows the message's layout, the catalogue holds its sentences.
//!
//! Labels (rights, outcomes, refusal grounds) and dates come from the same
//! catalogues, so they read as on the web pages. Mails are plain text: no
//! HTML escaping (`escape = "none"`).
//!
//! The request for information, the extension and the decision are also
//! printed as letters (`crate::desk::letters`): `render_letter` gives the
//! same text, with the sentence about the status link worded for a letter.

use askama::Template;
use chrono::NaiveDate;

use crate::domain::request::{Outcome, RefusalGround, RequestKind};
use crate::i18n::Tr;

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

/// A postal address on indented lines under its bullet.
fn indented(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n  ")
}

/// The right exercised with its article: "Droit d'accès (article 15 du
/// RGPD)".
fn right_with_article(t: Tr, kind: RequestKind) -> String {
    t.with_gdpr_article(t.kind(kind), kind.article())
}

/// Where a message sends the requester to follow their request; the
/// catalogue words the sentence by [`Follow::code`].
#[derive(Debug, Clone, Copy)]
enum Follow<'a> {
    /// The status link, printed on its own line after the sentence.
    Link(&'a str),
    /// No link to give (the desk only stores its hash): the
    /// acknowledgment that carried it.
    Acknowledgment,
    /// A printed letter to someone without an e-mail address, who never
    /// received the link: the addresses in the letter's heading.
    Letterhead,
}

impl<'a> Follow<'a> {
    /// For a mail: the link when there is one.
    fn mail(status_url: &'a str) -> Follow<'a> {
        if status_url.is_empty() {
            Follow::Acknowledgment
        } else {
            Follow::Link(status_url)
        }
    }

    /// For a printed letter: a requester with an e-mail address had the
    /// acknowledgment mail and its link.
    fn letter(requester_has_email: bool) -> Follow<'a> {
        if requester_has_email {
            Follow::Acknowledgment
        } else {
            Follow::Letterhead
        }
    }

    fn code(self) -> &'static str {
        match self {
            Follow::Link(_) => "url",
            Follow::Acknowledgment => "acknowledgment",
            Follow::Letterhead => "letterhead",
        }
    }

    fn url(self) -> Option<&'a str> {
        match self {
            Follow::Link(url) => Some(url),
            _ => None,
        }
    }
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
#[template(path = "mail/confirmation.txt", escape = "none")]
struct ConfirmationText<'a> {
    t: Tr,
    m: &'a ConfirmationMail,
    kind: String,
}

impl ConfirmationMail {
    pub fn render(&self, locale: impl Into<Tr>) -> RenderedMail {
        let t: Tr = locale.into();
        finish(
            ConfirmationText {
                t,
                m: self,
                kind: t.kind(self.kind),
            }
            .render(),
        )
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
#[template(path = "mail/acknowledgment.txt", escape = "none")]
struct AcknowledgmentText<'a> {
    t: Tr,
    m: &'a AcknowledgmentMail,
    right: String,
    postal: Option<String>,
}

impl AcknowledgmentMail {
    pub fn render(&self, locale: impl Into<Tr>) -> RenderedMail {
        let t: Tr = locale.into();
        finish(
            AcknowledgmentText {
                t,
                m: self,
                right: right_with_article(t, self.kind),
                postal: self
                    .dpo_postal_address
                    .as_deref()
                    .map(indented)
                    .filter(|a| !a.is_empty()),
            }
            .render(),
        )
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
#[template(path = "mail/information_request.txt", escape = "none")]
struct InformationRequestText<'a> {
    t: Tr,
    m: &'a InformationRequestMail,
    follow: Follow<'a>,
}

impl InformationRequestMail {
    pub fn render(&self, locale: impl Into<Tr>) -> RenderedMail {
        self.render_as(locale.into(), Follow::mail(&self.status_url))
    }

    /// The printed letter's text (see the module doc), in the letter
    /// page's language.
    pub fn render_letter(&self, t: Tr, requester_has_email: bool) -> RenderedMail {
        self.render_as(t, Follow::letter(requester_has_email))
    }

    fn render_as(&self, t: Tr, follow: Follow<'_>) -> RenderedMail {
        finish(InformationRequestText { t, m: self, follow }.render())
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
#[template(path = "mail/extension.txt", escape = "none")]
struct ExtensionText<'a> {
    t: Tr,
    m: &'a ExtensionMail,
    follow: Follow<'a>,
}

impl ExtensionMail {
    pub fn render(&self, locale: impl Into<Tr>) -> RenderedMail {
        self.render_as(locale.into(), Follow::mail(&self.status_url))
    }

    /// The printed letter's text (see the module doc), in the letter
    /// page's language.
    pub fn render_letter(&self, t: Tr, requester_has_email: bool) -> RenderedMail {
        self.render_as(t, Follow::letter(requester_has_email))
    }

    fn render_as(&self, t: Tr, follow: Follow<'_>) -> RenderedMail {
        finish(ExtensionText { t, m: self, follow }.render())
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
#[template(path = "mail/decision.txt", escape = "none")]
struct DecisionText<'a> {
    t: Tr,
    m: &'a DecisionMail,
    outcome: String,
    ground: Option<String>,
    remedies: bool,
    follow: Follow<'a>,
}

impl DecisionMail {
    /// Whether the message must state the remedies (art. 12(4)): always
    /// when not granted in full, and whenever a ground is given (telling
    /// someone "we hold no data about you" is also a decision not to act).
    pub fn states_remedies(&self) -> bool {
        self.outcome.requires_grounds() || self.refusal_ground.is_some()
    }

    pub fn render(&self, locale: impl Into<Tr>) -> RenderedMail {
        self.render_as(locale.into(), Follow::mail(&self.status_url))
    }

    /// The printed letter's text (see the module doc), in the letter
    /// page's language.
    pub fn render_letter(&self, t: Tr, requester_has_email: bool) -> RenderedMail {
        self.render_as(t, Follow::letter(requester_has_email))
    }

    fn render_as(&self, t: Tr, follow: Follow<'_>) -> RenderedMail {
        finish(
            DecisionText {
                t,
                m: self,
                outcome: t.outcome(self.outcome),
                ground: self.refusal_ground.as_ref().map(|g| t.refusal_ground(g)),
                remedies: self.states_remedies(),
                follow,
            }
            .render(),
        )
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
#[template(path = "mail/withdrawal.txt", escape = "none")]
struct WithdrawalText<'a> {
    t: Tr,
    m: &'a WithdrawalMail,
}

impl WithdrawalMail {
    pub fn render(&self, locale: impl Into<Tr>) -> RenderedMail {
        finish(
            WithdrawalText {
                t: locale.into(),
                m: self,
            }
            .render(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::request::{Art17_3Letter, Channel};
    use crate::domain::values::Locale;

    const BOTH: [Locale; 2] = [Locale::Fr, Locale::En];
    const NNBSP: char = '\u{202F}';

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn confirmation() -> ConfirmationMail {
        ConfirmationMail {
            controller_name: "Ville d'Issy-les-Moulineaux".into(),
            kind: RequestKind::Access,
            confirm_url: "https://dsr.example.fr/c/issy/confirm/tok".into(),
            expires_hours: 48,
        }
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

    fn registered(channel: Channel) -> RegisteredAcknowledgmentMail {
        RegisteredAcknowledgmentMail {
            controller_name: "Ville d'Issy".into(),
            reference: "ISSY-2026-0007".into(),
            kind: RequestKind::Access,
            channel,
            received_on: d(2026, 2, 9),
            due_on: d(2026, 3, 9),
            dpo_email: "dpo@issy.example.fr".into(),
            dpo_postal_address: Some("Hôtel de ville\n62 rue du Général Leclerc".into()),
        }
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

    fn withdrawal() -> WithdrawalMail {
        WithdrawalMail {
            controller_name: "Ville de Vanves".into(),
            reference: "VANVES-2026-0008".into(),
            dpo_email: "dpo@vanves.example.fr".into(),
        }
    }

    /// Every message, with the variants that change its text (a status
    /// link or not, a postal address or not, remedies or not), and the
    /// name of its snapshot.
    fn every_mail(locale: impl Into<Tr> + Copy) -> Vec<(&'static str, RenderedMail)> {
        let mut ack_no_post = ack();
        ack_no_post.dpo_postal_address = None;
        let mut refused_no_link = decision(Outcome::Refused, Some(RefusalGround::NoDataHeld));
        refused_no_link.status_url = String::new();
        let mut registered_by_mail = registered(Channel::Email);
        registered_by_mail.dpo_postal_address = None;
        let refused = decision(
            Outcome::Refused,
            Some(RefusalGround::ErasureException(Art17_3Letter::B)),
        );
        vec![
            ("confirmation", confirmation().render(locale)),
            ("acknowledgment", ack().render(locale)),
            (
                "acknowledgment_without_postal_address",
                ack_no_post.render(locale),
            ),
            (
                "information_request",
                info("https://dsr.example.fr/s/q").render(locale),
            ),
            ("information_request_without_link", info("").render(locale)),
            (
                "extension",
                extension("https://dsr.example.fr/s/q").render(locale),
            ),
            ("extension_without_link", extension("").render(locale)),
            ("decision_refused", refused.render(locale)),
            (
                "decision_partially_granted",
                decision(Outcome::PartiallyGranted, None).render(locale),
            ),
            (
                "decision_granted",
                decision(Outcome::Granted, None).render(locale),
            ),
            ("decision_without_link", refused_no_link.render(locale)),
            ("withdrawal", withdrawal().render(locale)),
            (
                "registered_acknowledgment_post",
                registered(Channel::Post).render(locale),
            ),
            (
                "registered_acknowledgment_email",
                registered_by_mail.render(locale),
            ),
        ]
    }

    /// The signature's last line: the controller's name.
    fn signer(mail: &RenderedMail) -> &str {
        mail.body.trim_end().lines().last().unwrap()
    }

    /// What every message must look like, whatever its content.
    fn assert_well_formed(mail: &RenderedMail, signer: &str) {
        assert!(!mail.subject.is_empty());
        assert!(!mail.subject.contains(['\n', '\r']), "{:?}", mail.subject);
        assert!(
            crate::mail::check_headers("a@example.fr", &mail.subject).is_ok(),
            "{:?}",
            mail.subject
        );
        assert!(mail.body.ends_with(&format!("{signer}\n")), "{}", mail.body);
        assert!(!mail.body.starts_with('\n'));
        assert!(!mail.body.contains("\n\n\n"), "{}", mail.body);
        assert!(!mail.body.contains("{{") && !mail.body.contains("{%"));
        assert!(
            !mail.body.contains(crate::i18n::MISSING_MARK),
            "{}",
            mail.body
        );
        assert!(
            !mail.body.lines().any(|l| l.ends_with(' ')),
            "{}",
            mail.body
        );
    }

    /// A mail as its reader sees it, for a snapshot.
    fn as_read(mail: &RenderedMail) -> String {
        format!("Subject: {}\n\n{}", mail.subject, mail.body)
    }

    /// One reviewed file per message and language under
    /// `src/mail/snapshots/`: a changed word shows in review.
    /// Every mail in the test pseudo-language: each sentence comes from a
    /// catalogue (no message missing, no argument left out), so it reads
    /// accented; what is plain ASCII there is data the test gave.
    #[test]
    fn every_mail_comes_from_the_catalogues() {
        for (name, mail) in every_mail(Tr::pseudo()) {
            let text = format!("{}\n{}", mail.subject, mail.body);
            assert!(!text.contains(crate::i18n::MISSING_MARK), "{name}: {text}");
            assert!(!text.contains("{$"), "{name}: {text}");
            let english = every_mail(Locale::En)
                .into_iter()
                .find(|(n, _)| *n == name)
                .map(|(_, m)| m.body)
                .unwrap();
            assert_ne!(mail.body, english, "{name}: not through the catalogues");
            for word in ["Madam", "request", "your", "data", "the"] {
                assert!(
                    !text
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|w| w == word),
                    "{name}: {word:?} bypasses the catalogues:\n{text}"
                );
            }
        }
    }

    #[test]
    fn every_mail_reads_as_reviewed() {
        for locale in BOTH {
            for (name, mail) in every_mail(locale) {
                let signer = if name.starts_with("registered") {
                    "Ville d'Issy"
                } else {
                    signer(&mail)
                };
                assert_well_formed(&mail, signer);
                insta::assert_snapshot!(format!("{name}_{}", locale.as_str()), as_read(&mail));
            }
        }
    }

    /// French punctuation takes a narrow no-break space, set by the
    /// catalogue (not by the templates); it is an ordinary printable
    /// character for a mail header, and English has none.
    #[test]
    fn french_mails_have_french_punctuation() {
        let fr = info("").render(Locale::Fr);
        assert_eq!(
            fr.subject,
            format!("Demande VANVES-2026-0008{NNBSP}: informations complémentaires nécessaires")
        );
        for (name, mail) in every_mail(Locale::Fr) {
            let text = as_read(&mail);
            assert!(
                !text.contains(" :") && !text.contains(" ;"),
                "{name}: {text}"
            );
        }
        for (name, mail) in every_mail(Locale::En) {
            assert!(!as_read(&mail).contains(NNBSP), "{name}");
        }
        // What a person typed keeps its own spaces.
        let mut typed = info("");
        typed.message = "Votre date de naissance ? Merci !".into();
        assert!(
            typed
                .render(Locale::Fr)
                .body
                .contains("\nVotre date de naissance ? Merci !\n")
        );
    }

    #[test]
    fn acknowledgment_states_the_right_its_article_and_the_due_date() {
        let fr = ack().render(Locale::Fr);
        assert!(fr.body.contains(&format!(
            "Droit exercé{NNBSP}: Droit à l'effacement (article 17 du RGPD)\n"
        )));
        assert!(fr.body.contains(&format!(
            "Date limite de réponse{NNBSP}: lundi 2 mars 2026\n"
        )));
        assert!(fr.body.contains("article 12(3)"));
        let en = ack().render(Locale::En);
        assert!(
            en.body
                .contains("Right exercised: Right to erasure (GDPR article 17)\n")
        );
        assert!(en.body.contains("Answer due by: Monday 2 March 2026\n"));
        for locale in BOTH {
            let r = registered(Channel::Post).render(locale);
            assert!(r.body.contains("CNIL"), "{}", r.body);
            assert!(r.body.contains("12(3)"), "{}", r.body);
        }
    }

    #[test]
    fn a_registered_acknowledgment_names_each_channel() {
        for (channel, fr, en) in [
            (Channel::Post, "par courrier postal", "by post"),
            (Channel::Email, "par courrier électronique", "by e-mail"),
            (Channel::InPerson, "en personne", "in person"),
            (Channel::Web, "en ligne", "online"),
        ] {
            let mail = registered(channel);
            assert!(
                mail.render(Locale::Fr)
                    .body
                    .contains(&format!("votre demande {fr} et l'avons enregistrée"))
            );
            assert!(
                mail.render(Locale::En)
                    .body
                    .contains(&format!("your request {en} and registered it"))
            );
        }
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
        assert!(
            refused
                .body
                .contains(&format!("Décision{NNBSP}: Demande refusée\n"))
        );
        assert!(refused.body.contains(&format!(
            "Motif{NNBSP}: effacement non applicable{NNBSP}: obligation légale ou mission \
             d'intérêt public (article 17(3)(b) du RGPD)\n"
        )));
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
    fn the_confirmation_link_lasts_hours_in_each_language_s_plural() {
        for (hours, fr, en) in [(1, "1 heure.", "1 hour."), (48, "48 heures.", "48 hours.")] {
            let mail = ConfirmationMail {
                expires_hours: hours,
                ..confirmation()
            };
            assert!(mail.render(Locale::Fr).body.contains(fr));
            assert!(mail.render(Locale::En).body.contains(en));
        }
    }

    #[test]
    fn the_information_request_says_the_deadline_is_suspended() {
        assert!(
            info("")
                .render(Locale::Fr)
                .body
                .contains("Le délai de réponse est suspendu")
        );
        assert!(info("").render(Locale::En).body.contains("is suspended"));
    }

    #[test]
    fn desk_mails_without_a_status_link_point_to_the_acknowledgment() {
        let mut dec = decision(Outcome::Refused, Some(RefusalGround::NoDataHeld));
        dec.status_url = String::new();
        for locale in BOTH {
            for mail in [
                info("").render(locale),
                extension("").render(locale),
                dec.render(locale),
            ] {
                assert_well_formed(&mail, "Ville de Vanves");
                assert!(!mail.body.contains("http"), "{}", mail.body);
                let ack = match locale {
                    Locale::Fr => "accusé de réception",
                    Locale::En => "acknowledgment",
                };
                assert!(mail.body.contains(ack), "{}", mail.body);
            }
        }
    }

    /// A letter says what its mail says; to someone without an e-mail
    /// address, who never had the status link, it says to write instead.
    #[test]
    fn letters_point_postal_requesters_to_the_letterhead() {
        let mut dec = decision(Outcome::Refused, Some(RefusalGround::NoDataHeld));
        dec.status_url = String::new();
        for locale in BOTH {
            let letters = [
                (
                    info("").render(locale),
                    info("").render_letter(Tr::new(locale), true),
                    info("").render_letter(Tr::new(locale), false),
                ),
                (
                    extension("").render(locale),
                    extension("").render_letter(Tr::new(locale), true),
                    extension("").render_letter(Tr::new(locale), false),
                ),
                (
                    dec.render(locale),
                    dec.render_letter(Tr::new(locale), true),
                    dec.render_letter(Tr::new(locale), false),
                ),
            ];
            for (mail, with_email, postal) in letters {
                assert_eq!(with_email, mail);
                assert_eq!(postal.subject, mail.subject);
                assert_well_formed(&postal, "Ville de Vanves");
                for link in ["lien personnel", "personal link", "http"] {
                    assert!(!postal.body.contains(link), "{}", postal.body);
                }
                assert!(
                    postal.body.contains("en tête de cette lettre")
                        || postal.body.contains("at the top of this letter"),
                    "{}",
                    postal.body
                );
            }
        }
    }
}
