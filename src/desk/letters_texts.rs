//! The wording of the request page's "Letters" block (in the staff
//! member's language) and of what the letters add to the mails' text (in
//! the request's language).

use crate::domain::values::Locale;

pub struct LettersTexts {
    pub section: &'static str,
    pub intro: &'static str,
    /// Emphasised when the requester has no e-mail address.
    pub no_email: &'static str,
    pub none: &'static str,
    pub decision: &'static str,
    pub extension: &'static str,
    /// Followed by the date of the question.
    pub information: &'static str,
    /// Before the mail's subject in the letter's heading.
    pub subject_prefix: &'static str,
}

pub const FR: LettersTexts = LettersTexts {
    section: "Lettres à imprimer",
    intro: "Chaque message envoyé au demandeur peut aussi être imprimé et envoyé par la poste.",
    no_email: "Le demandeur n'a pas d'adresse e-mail : imprimez ces lettres et envoyez-les par la poste.",
    none: "Aucune lettre pour l'instant : la demande d'informations, la prolongation et la décision apparaîtront ici.",
    decision: "Imprimer la lettre de décision",
    extension: "Imprimer la lettre de prolongation du délai",
    information: "Imprimer la lettre de demande d'informations du",
    subject_prefix: "Objet : ",
};

pub const EN: LettersTexts = LettersTexts {
    section: "Letters to print",
    intro: "Every message sent to the requester can also be printed and sent by post.",
    no_email: "The requester has no e-mail address: print these letters and send them by post.",
    none: "No letter yet: the request for information, the extension and the decision will appear here.",
    decision: "Print the decision letter",
    extension: "Print the extension letter",
    information: "Print the request for information of",
    subject_prefix: "Subject: ",
};

pub fn letters_texts(locale: Locale) -> &'static LettersTexts {
    match locale {
        Locale::Fr => &FR,
        Locale::En => &EN,
    }
}

/// The mails' sentences that only hold for someone who received the
/// status link by e-mail, and what a letter to a requester without an
/// e-mail address says instead (`(mail, letter)`; the unit tests in
/// `letters.rs` check every left side still occurs in the mails).
pub fn postal_replacements(locale: Locale) -> &'static [(&'static str, &'static str)] {
    match locale {
        Locale::Fr => &[
            (
                "depuis la page de suivi de votre demande, dont le lien personnel figure dans l'accusé de réception que nous vous avons adressé.",
                "en nous écrivant à l'une des adresses figurant en tête de cette lettre, en rappelant la référence de votre demande.",
            ),
            (
                "Vous pouvez suivre votre demande grâce au lien personnel figurant dans l'accusé de réception que nous vous avons adressé.",
                "Pour toute question, vous pouvez nous écrire à l'une des adresses figurant en tête de cette lettre, en rappelant la référence de votre demande.",
            ),
            (
                " Votre demande reste consultable grâce au lien personnel figurant dans l'accusé de réception que nous vous avons adressé.",
                " Vous pouvez aussi nous écrire à l'une des adresses figurant en tête de cette lettre.",
            ),
        ],
        Locale::En => &[
            (
                "from the page of your request, through the personal link given in the acknowledgment we sent you.",
                "by writing to one of the addresses at the top of this letter, quoting the reference of your request.",
            ),
            (
                "You can follow your request through the personal link given in the acknowledgment we sent you.",
                "If you have any questions, you can write to us at one of the addresses at the top of this letter, quoting the reference of your request.",
            ),
            (
                " Your request remains available through the personal link given in the acknowledgment we sent you.",
                " You can also write to us at one of the addresses at the top of this letter.",
            ),
        ],
    }
}
