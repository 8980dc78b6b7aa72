//! Every sentence of the request page's "Mails to the requester" block and
//! its "retry now" button, French and English side by side (as in
//! `texts.rs`): a sentence in one language only does not compile.

use crate::domain::values::Locale;

pub struct MailTexts {
    pub title: &'static str,
    pub none: &'static str,
    pub col_subject: &'static str,
    pub col_queued: &'static str,
    pub col_state: &'static str,
    pub sent: &'static str,
    pub pending: &'static str,
    pub attempts: &'static str,
    pub next_try: &'static str,
    pub failed: &'static str,
    pub failed_on: &'static str,
    pub reason_refused: &'static str,
    pub reason_gave_up: &'static str,
    pub reason_invalid: &'static str,
    /// Above the page's sections: a failed mail is seen at a glance.
    pub failed_banner: &'static str,
    /// Next to the status of a queue row with a failed mail.
    /// The desk home page's list of requests with an undelivered mail.
    pub home_title: &'static str,
    pub home_hint: &'static str,
    pub failed_hint: &'static str,
    pub retry: &'static str,
    pub retried: &'static str,
    pub forbidden: &'static str,
    pub err_csrf: &'static str,
    pub not_failed: &'static str,
}

pub const FR: MailTexts = MailTexts {
    title: "Courriels au demandeur",
    none: "Aucun courriel pour cette demande.",
    col_subject: "Objet",
    col_queued: "Mis en file",
    col_state: "État",
    sent: "Envoyé le",
    pending: "En attente",
    attempts: "tentatives :",
    next_try: "prochain essai :",
    failed: "Non remis",
    failed_on: "le",
    reason_refused: "adresse refusée par le serveur du destinataire",
    reason_gave_up: "serveur du destinataire injoignable pendant plusieurs jours",
    reason_invalid: "adresse du destinataire invalide",
    failed_banner: "Un courriel n'a pas pu être remis au demandeur : voir « Courriels au demandeur ».",
    failed_hint: "Le demandeur n'a pas reçu ce courriel. Vérifiez son adresse, réessayez, ou envoyez la réponse par courrier.",
    home_title: "Courriels non remis au demandeur",
    home_hint: "Le serveur du demandeur a refusé ces courriels, ou il est resté injoignable plusieurs jours : vérifiez l'adresse, réessayez, ou envoyez la réponse par courrier.",
    retry: "Réessayer maintenant",
    retried: "Le courriel va être renvoyé.",
    forbidden: "Votre compte est en lecture seule : il ne peut pas relancer un envoi.",
    err_csrf: "Le formulaire a expiré : rechargez la page de la demande et réessayez.",
    not_failed: "Ce courriel n'est pas en échec : il n'y a rien à relancer.",
};

pub const EN: MailTexts = MailTexts {
    title: "Mails to the requester",
    none: "No mail for this request.",
    col_subject: "Subject",
    col_queued: "Queued",
    col_state: "State",
    sent: "Sent on",
    pending: "Pending",
    attempts: "attempts:",
    next_try: "next try:",
    failed: "Not delivered",
    failed_on: "on",
    reason_refused: "address refused by the recipient's mail server",
    reason_gave_up: "recipient's mail server unreachable for several days",
    reason_invalid: "invalid recipient address",
    failed_banner: "A mail could not be delivered to the requester: see “Mails to the requester”.",
    failed_hint: "The requester did not receive this mail. Check the address, retry, or send the answer by post.",
    home_title: "Mails not delivered to the requester",
    home_hint: "The requester's server refused these mails, or stayed unreachable for several days: check the address, retry, or send the answer by post.",
    retry: "Retry now",
    retried: "The mail will be sent again.",
    forbidden: "Your account is read-only: it cannot send a mail again.",
    err_csrf: "The form has expired: reload the request page and try again.",
    not_failed: "This mail has not failed: there is nothing to retry.",
};

pub fn mail_texts(locale: Locale) -> &'static MailTexts {
    match locale {
        Locale::Fr => &FR,
        Locale::En => &EN,
    }
}
