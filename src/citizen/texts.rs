//! Every sentence the citizen pages show, in French and English. One struct
//! per language keeps the two versions side by side, so a sentence cannot be
//! added in one language and forgotten in the other (the compiler says so).

use crate::domain::request::{RequestKind, Status};
use crate::domain::values::Locale;

pub struct Texts {
    pub lang: &'static str,
    pub other_lang: &'static str,
    pub other_lang_name: &'static str,
    pub skip_to_content: &'static str,
    pub form_title: &'static str,
    pub form_intro: &'static str,
    pub required_note: &'static str,
    pub errors_title: &'static str,
    pub kind_legend: &'static str,
    pub identity_legend: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub email: &'static str,
    pub email_hint: &'static str,
    pub postal_address: &'static str,
    pub optional: &'static str,
    pub details: &'static str,
    pub details_hint: &'static str,
    pub grounds: &'static str,
    pub grounds_hint: &'static str,
    pub proof: &'static str,
    pub proof_hint: &'static str,
    pub proof_required_for: &'static str,
    pub proof_not_required: &'static str,
    pub honeypot: &'static str,
    pub submit: &'static str,
    pub dpo_contact: &'static str,
    pub by_post: &'static str,
    pub privacy_note: &'static str,
    pub submitted_title: &'static str,
    pub submitted_body: &'static str,
    pub submitted_spam: &'static str,
    pub confirmed_title: &'static str,
    pub already_confirmed_title: &'static str,
    pub reference: &'static str,
    pub kind: &'static str,
    pub received_on: &'static str,
    pub due_on: &'static str,
    pub closed_on: &'static str,
    pub confirmed_body: &'static str,
    pub already_confirmed_body: &'static str,
    pub expired_title: &'static str,
    pub expired_body: &'static str,
    pub send_new_link: &'static str,
    pub new_link_sent: &'static str,
    pub status_title: &'static str,
    pub status_keep_private: &'static str,
    pub status_label: &'static str,
    pub extended_until: &'static str,
    pub extension_reason: &'static str,
    pub messages_title: &'static str,
    pub from_dpo: &'static str,
    pub from_you: &'static str,
    pub no_messages: &'static str,
    pub reply_title: &'static str,
    pub reply_intro: &'static str,
    pub reply_message: &'static str,
    pub reply_submit: &'static str,
    pub reply_sent: &'static str,
    pub withdraw_title: &'static str,
    pub withdraw_intro: &'static str,
    pub withdraw_confirm: &'static str,
    pub withdraw_submit: &'static str,
    pub withdrawn_notice: &'static str,
    pub outcome: &'static str,
    pub complaint: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub error_title: &'static str,
    pub error_body: &'static str,
    pub too_large_title: &'static str,
    pub too_large_body: &'static str,
    pub back_to_form: &'static str,
    pub rate_limited: &'static str,
    pub csrf_failed: &'static str,
}

pub const FR: Texts = Texts {
    lang: "fr",
    other_lang: "en",
    other_lang_name: "English",
    skip_to_content: "Aller au contenu",
    form_title: "Exercer vos droits sur vos données personnelles",
    form_intro: "Ce formulaire vous permet d'exercer les droits que vous donne le règlement général sur la protection des données (RGPD). La demande est gratuite. Nous vous répondrons dans un délai d'un mois à compter de la confirmation de votre adresse électronique.",
    required_note: "Les champs marqués d'un astérisque (*) sont obligatoires.",
    errors_title: "Le formulaire contient des erreurs",
    kind_legend: "Quel droit souhaitez-vous exercer ?",
    identity_legend: "Vos coordonnées",
    first_name: "Prénom",
    last_name: "Nom",
    email: "Adresse électronique",
    email_hint: "Nous vous enverrons un lien pour confirmer votre demande, puis nos réponses.",
    postal_address: "Adresse postale",
    optional: "facultatif",
    details: "Votre demande",
    details_hint: "Précisez quelles données ou quel service sont concernés (par exemple : inscription à la cantine, état civil, listes électorales).",
    grounds: "Motifs de votre opposition",
    grounds_hint: "Obligatoire pour une opposition (art. 21) : indiquez les raisons tenant à votre situation particulière. Laissez vide pour les autres demandes.",
    proof: "Justificatif d'identité",
    proof_hint: "PDF, JPEG ou PNG, 3 fichiers au plus. Masquez les informations inutiles (numéro du document, photo) si vous le souhaitez.",
    proof_required_for: "Un justificatif est obligatoire pour : ",
    proof_not_required: "Un justificatif n'est pas obligatoire ; nous pourrons vous en demander un en cas de doute raisonnable sur votre identité.",
    honeypot: "Ne remplissez pas ce champ",
    submit: "Envoyer ma demande",
    dpo_contact: "Délégué à la protection des données (DPO)",
    by_post: "Vous pouvez aussi écrire à",
    privacy_note: "Les informations de ce formulaire servent uniquement à traiter votre demande. Les justificatifs d'identité sont chiffrés et supprimés à l'issue de la durée de conservation.",
    submitted_title: "Vérifiez votre messagerie",
    submitted_body: "Nous vous avons envoyé un message avec un lien de confirmation. Votre demande ne sera enregistrée qu'une fois ce lien ouvert ; le délai de réponse d'un mois commence alors.",
    submitted_spam: "Vous ne trouvez pas le message ? Regardez dans vos courriers indésirables. Le lien est valable 48 heures.",
    confirmed_title: "Votre demande est enregistrée",
    already_confirmed_title: "Cette demande est déjà confirmée",
    reference: "Référence",
    kind: "Type de demande",
    received_on: "Reçue le",
    due_on: "Réponse attendue au plus tard le",
    closed_on: "Clôturée le",
    confirmed_body: "Un accusé de réception vous a été envoyé par courrier électronique, avec le lien privé qui permet de suivre votre demande.",
    already_confirmed_body: "Rien n'a changé. Le lien de suivi de votre demande vous a été envoyé par courrier électronique.",
    expired_title: "Ce lien de confirmation a expiré",
    expired_body: "Pour des raisons de sécurité, le lien n'est valable que 48 heures. Vous pouvez recevoir un nouveau lien à la même adresse.",
    send_new_link: "M'envoyer un nouveau lien",
    new_link_sent: "Un nouveau lien vous a été envoyé. Il est valable 48 heures.",
    status_title: "Suivi de votre demande",
    status_keep_private: "Ce lien est personnel : ne le partagez pas.",
    status_label: "État",
    extended_until: "Délai prolongé jusqu'au",
    extension_reason: "Motif de la prolongation",
    messages_title: "Échanges",
    from_dpo: "Message du délégué à la protection des données",
    from_you: "Votre réponse",
    no_messages: "Aucun échange pour le moment.",
    reply_title: "Répondre à la demande d'informations",
    reply_intro: "Le délai de réponse est suspendu jusqu'à votre réponse. Vous pouvez joindre un justificatif.",
    reply_message: "Votre réponse",
    reply_submit: "Envoyer ma réponse",
    reply_sent: "Votre réponse a bien été transmise ; le délai de traitement reprend.",
    withdraw_title: "Retirer ma demande",
    withdraw_intro: "Si vous n'avez plus besoin d'une réponse, vous pouvez retirer votre demande. Ce retrait est définitif.",
    withdraw_confirm: "Je confirme vouloir retirer ma demande",
    withdraw_submit: "Retirer ma demande",
    withdrawn_notice: "Votre demande a été retirée.",
    outcome: "Décision",
    complaint: "Si vous n'êtes pas satisfait de notre réponse, vous pouvez adresser une réclamation à la CNIL (www.cnil.fr) et former un recours juridictionnel.",
    not_found_title: "Page introuvable",
    not_found_body: "Ce lien n'existe pas ou n'est plus valable. Vérifiez qu'il a été copié en entier.",
    error_title: "Une erreur est survenue",
    error_body: "Votre demande n'a pas pu être traitée. Réessayez dans quelques instants ; rien n'a été perdu de ce qui était déjà enregistré.",
    too_large_title: "Fichiers trop volumineux",
    too_large_body: "L'envoi dépasse la taille autorisée. Réduisez la taille des fichiers (10 Mo au plus chacun, 20 Mo au total) et réessayez.",
    back_to_form: "Retour au formulaire",
    rate_limited: "Trop de demandes ont été envoyées depuis cette adresse en peu de temps. Réessayez dans une heure.",
    csrf_failed: "Le formulaire a expiré. Il a été rechargé : vérifiez vos informations et envoyez-le de nouveau.",
};

pub const EN: Texts = Texts {
    lang: "en",
    other_lang: "fr",
    other_lang_name: "Français",
    skip_to_content: "Skip to content",
    form_title: "Exercise your rights over your personal data",
    form_intro: "This form lets you exercise the rights the General Data Protection Regulation (GDPR) gives you. It is free of charge. We will answer within one month of the confirmation of your e-mail address.",
    required_note: "Fields marked with an asterisk (*) are required.",
    errors_title: "There is a problem with the form",
    kind_legend: "Which right do you want to exercise?",
    identity_legend: "Your details",
    first_name: "First name",
    last_name: "Last name",
    email: "E-mail address",
    email_hint: "We will send you a link to confirm your request, then our answers.",
    postal_address: "Postal address",
    optional: "optional",
    details: "Your request",
    details_hint: "Say which data or which service it concerns (for example: school canteen, civil registry, electoral roll).",
    grounds: "Grounds for your objection",
    grounds_hint: "Required for an objection (art. 21): give the reasons relating to your particular situation. Leave empty for other requests.",
    proof: "Proof of identity",
    proof_hint: "PDF, JPEG or PNG, 3 files at most. You may hide information we do not need (document number, photo).",
    proof_required_for: "A proof of identity is required for: ",
    proof_not_required: "A proof of identity is not required; we may ask for one if we have reasonable doubts about your identity.",
    honeypot: "Do not fill in this field",
    submit: "Send my request",
    dpo_contact: "Data protection officer (DPO)",
    by_post: "You can also write to",
    privacy_note: "The information in this form is used only to handle your request. Proofs of identity are encrypted and deleted when their retention period ends.",
    submitted_title: "Check your mailbox",
    submitted_body: "We have sent you a message with a confirmation link. Your request is registered only once you open it; the one-month deadline starts then.",
    submitted_spam: "Cannot find the message? Look in your spam folder. The link is valid for 48 hours.",
    confirmed_title: "Your request is registered",
    already_confirmed_title: "This request is already confirmed",
    reference: "Reference",
    kind: "Type of request",
    received_on: "Received on",
    due_on: "Answer due by",
    closed_on: "Closed on",
    confirmed_body: "An acknowledgment has been sent to you by e-mail, with the private link to follow your request.",
    already_confirmed_body: "Nothing has changed. The link to follow your request was sent to you by e-mail.",
    expired_title: "This confirmation link has expired",
    expired_body: "For security, the link is valid for 48 hours only. You can receive a new link at the same address.",
    send_new_link: "Send me a new link",
    new_link_sent: "A new link has been sent to you. It is valid for 48 hours.",
    status_title: "Your request",
    status_keep_private: "This link is personal: do not share it.",
    status_label: "Status",
    extended_until: "Deadline extended to",
    extension_reason: "Reason for the extension",
    messages_title: "Messages",
    from_dpo: "Message from the data protection officer",
    from_you: "Your reply",
    no_messages: "No messages yet.",
    reply_title: "Answer the request for information",
    reply_intro: "The deadline is suspended until you answer. You may attach a proof of identity.",
    reply_message: "Your answer",
    reply_submit: "Send my answer",
    reply_sent: "Your answer has been sent; the deadline runs again.",
    withdraw_title: "Withdraw my request",
    withdraw_intro: "If you no longer need an answer, you can withdraw your request. This cannot be undone.",
    withdraw_confirm: "I confirm that I want to withdraw my request",
    withdraw_submit: "Withdraw my request",
    withdrawn_notice: "Your request has been withdrawn.",
    outcome: "Decision",
    complaint: "If you are not satisfied with our answer, you may lodge a complaint with the CNIL (www.cnil.fr) and seek a judicial remedy.",
    not_found_title: "Page not found",
    not_found_body: "This link does not exist or is no longer valid. Check that it was copied in full.",
    error_title: "Something went wrong",
    error_body: "Your request could not be processed. Try again in a moment; nothing already stored was lost.",
    too_large_title: "Files too large",
    too_large_body: "The upload exceeds the allowed size. Reduce the files (10 MB at most each, 20 MB in total) and try again.",
    back_to_form: "Back to the form",
    rate_limited: "Too many requests were sent from this address in a short time. Try again in an hour.",
    csrf_failed: "The form had expired. It has been reloaded: check your details and send it again.",
};

pub fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::Fr => &FR,
        Locale::En => &EN,
    }
}

/// One plain sentence per right: what it gives (and, for portability, that
/// it does not apply to public-task processing).
pub fn kind_description(kind: RequestKind, locale: Locale) -> &'static str {
    use RequestKind::*;
    match (locale, kind) {
        (Locale::Fr, Access) => {
            "Savoir si nous traitons des données vous concernant et en obtenir une copie, avec les finalités, les destinataires et la durée de conservation."
        }
        (Locale::Fr, Rectification) => {
            "Faire corriger ou mettre à jour des données inexactes ou incomplètes vous concernant."
        }
        (Locale::Fr, Erasure) => {
            "Faire effacer des données vous concernant, sauf lorsque la loi ou une mission de service public impose de les conserver."
        }
        (Locale::Fr, Restriction) => {
            "Faire « verrouiller » vos données : elles sont conservées mais plus utilisées, par exemple le temps d'en vérifier l'exactitude."
        }
        (Locale::Fr, Portability) => {
            "Recevoir les données que vous nous avez fournies dans un format réutilisable. Ce droit ne s'applique pas aux traitements nécessaires à une mission de service public."
        }
        (Locale::Fr, Objection) => {
            "Vous opposer à l'utilisation de vos données pour des raisons tenant à votre situation particulière, que vous devez indiquer."
        }
        (Locale::Fr, MarketingObjection) => {
            "Ne plus recevoir de prospection (lettres d'information, sollicitations) : aucun motif n'est nécessaire."
        }
        (Locale::En, Access) => {
            "Find out whether we process data about you and get a copy, with the purposes, recipients and retention period."
        }
        (Locale::En, Rectification) => {
            "Have inaccurate or incomplete data about you corrected or updated."
        }
        (Locale::En, Erasure) => {
            "Have data about you erased, unless the law or a public task requires us to keep it."
        }
        (Locale::En, Restriction) => {
            "Have your data \"locked\": kept but no longer used, for example while its accuracy is checked."
        }
        (Locale::En, Portability) => {
            "Receive the data you gave us in a reusable format. This right does not apply to processing needed for a public task."
        }
        (Locale::En, Objection) => {
            "Object to the use of your data on grounds relating to your particular situation, which you must state."
        }
        (Locale::En, MarketingObjection) => {
            "Stop receiving direct marketing (newsletters, solicitations): no grounds are needed."
        }
    }
}

/// The status in plain words, for someone who has never heard of the GDPR.
pub fn status_sentence(status: Status, locale: Locale) -> &'static str {
    use Status::*;
    match (locale, status) {
        (Locale::Fr, Unconfirmed) => "En attente de la confirmation de votre adresse électronique.",
        (Locale::Fr, Received) => "Reçue : nous vérifions votre demande.",
        (Locale::Fr, AwaitingInformation) => {
            "Nous attendons des informations de votre part ; le délai est suspendu."
        }
        (Locale::Fr, InProgress) => "En cours de traitement.",
        (Locale::Fr, Closed) => "Traitée : notre réponse vous a été envoyée.",
        (Locale::Fr, Withdrawn) => "Retirée à votre demande.",
        (Locale::En, Unconfirmed) => "Waiting for the confirmation of your e-mail address.",
        (Locale::En, Received) => "Received: we are checking your request.",
        (Locale::En, AwaitingInformation) => {
            "We are waiting for information from you; the deadline is suspended."
        }
        (Locale::En, InProgress) => "Being handled.",
        (Locale::En, Closed) => "Handled: our answer has been sent to you.",
        (Locale::En, Withdrawn) => "Withdrawn at your request.",
    }
}

/// What `layout.html` asks of every page's `t`, answered as [`crate::i18n::Tr`]
/// answers it, while this table moves to the catalogues.
impl Texts {
    pub fn lang(&self) -> &'static str {
        self.lang
    }
    pub fn other_lang(&self) -> &'static str {
        self.other_lang
    }
    pub fn other_lang_name(&self) -> &'static str {
        self.other_lang_name
    }
    pub fn skip_to_content(&self) -> &'static str {
        self.skip_to_content
    }
}
