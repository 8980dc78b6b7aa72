//! Every sentence of the staff pages, in French and English, side by side
//! as in `citizen/texts.rs`: a sentence added to one language and not the
//! other does not compile.

use crate::domain::retention::SettingField;
use crate::domain::values::{Locale, Role};

pub struct Texts {
    pub lang: &'static str,
    pub other_lang: &'static str,
    pub other_lang_name: &'static str,
    pub skip_to_content: &'static str,
    pub header: &'static str,
    pub errors_title: &'static str,
    // Login.
    pub login_title: &'static str,
    pub login_intro: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub login_submit: &'static str,
    pub email_missing: &'static str,
    pub password_missing: &'static str,
    pub login_failed: &'static str,
    pub login_rate_limited: &'static str,
    pub form_expired: &'static str,
    pub logged_out: &'static str,
    pub session_expired: &'static str,
    // Every staff page.
    pub logged_in_as: &'static str,
    pub logout: &'static str,
    pub logout_csrf: &'static str,
    pub back_home: &'static str,
    // Home.
    pub home_title: &'static str,
    pub controllers_title: &'static str,
    pub controllers_all: &'static str,
    pub controllers_scoped: &'static str,
    pub no_controllers: &'static str,
    pub col_name: &'static str,
    pub col_slug: &'static str,
    pub col_form: &'static str,
    pub col_settings: &'static str,
    pub public_form: &'static str,
    pub retention_link: &'static str,
    // Settings.
    pub settings_title: &'static str,
    pub settings_intro: &'static str,
    pub current_value: &'static str,
    pub legal_basis: &'static str,
    pub objection_note_title: &'static str,
    pub objection_note: &'static str,
    pub months: &'static str,
    pub days: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub not_a_number: &'static str,
    pub settings_submit: &'static str,
    pub settings_saved: &'static str,
    pub settings_unchanged: &'static str,
    pub settings_csrf: &'static str,
    // Refusals.
    pub forbidden_title: &'static str,
    pub forbidden_settings: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    // Action refusals (desk/actions.rs); `{what}`, `{max}`, `{kind}` are
    // filled in by the handler.
    pub act_viewer_forbidden: &'static str,
    pub act_expired_title: &'static str,
    pub act_expired_body: &'static str,
    pub act_stale_title: &'static str,
    pub act_stale_body: &'static str,
    pub act_not_allowed_title: &'static str,
    pub act_invalid_title: &'static str,
    pub act_nothing_changed: &'static str,
    pub act_typed_intro: &'static str,
    pub act_back: &'static str,
    pub act_incomplete: &'static str,
    pub act_required: &'static str,
    pub act_too_long: &'static str,
    pub act_field_message: &'static str,
    pub act_field_note: &'static str,
    pub act_field_hold_reason: &'static str,
    pub act_field_recipients: &'static str,
    pub act_field_extend_reason: &'static str,
    pub act_field_answer: &'static str,
    pub act_art19_kinds: &'static str,
    pub act_extend_months: &'static str,
    pub act_extend_no_receipt: &'static str,
    pub act_close_needs_ground: &'static str,
    pub act_ground_not_for_kind: &'static str,
}

pub const FR: Texts = Texts {
    lang: "fr",
    other_lang: "en",
    other_lang_name: "English",
    skip_to_content: "Aller au contenu",
    header: "dsr-tracker — espace DPO",
    errors_title: "Le formulaire contient des erreurs",
    login_title: "Connexion à l'espace DPO",
    login_intro: "Réservé aux personnes chargées des demandes d'exercice des droits. Les comptes sont créés par un administrateur.",
    email: "Adresse électronique",
    password: "Mot de passe",
    login_submit: "Se connecter",
    email_missing: "Saisissez votre adresse électronique.",
    password_missing: "Saisissez votre mot de passe.",
    login_failed: "Adresse électronique ou mot de passe incorrect.",
    login_rate_limited: "Trop de tentatives de connexion. Réessayez plus tard, dans une quinzaine de minutes.",
    form_expired: "Le formulaire a expiré. Saisissez à nouveau vos identifiants.",
    logged_out: "Vous êtes déconnecté(e).",
    session_expired: "Votre session a expiré. Reconnectez-vous.",
    logged_in_as: "Connecté(e) en tant que",
    logout: "Se déconnecter",
    logout_csrf: "Le formulaire a expiré : vous êtes toujours connecté(e). Utilisez le bouton « Se déconnecter » de cette page.",
    back_home: "Retour à l'accueil de l'espace DPO",
    home_title: "Espace DPO",
    controllers_title: "Responsables de traitement",
    controllers_all: "Vous administrez tous les responsables de traitement de cette instance.",
    controllers_scoped: "Les responsables de traitement dont vous avez la charge :",
    no_controllers: "Aucun responsable de traitement ne vous est attribué. Demandez à un administrateur de vous en attribuer un.",
    col_name: "Nom",
    col_slug: "Identifiant",
    col_form: "Formulaire public",
    col_settings: "Paramètres",
    public_form: "Ouvrir le formulaire",
    retention_link: "Durées de conservation",
    settings_title: "Durées de conservation",
    settings_intro: "Ces durées s'appliquent à la purge automatique de chaque nuit. Chacune est accompagnée de sa base juridique ; les valeurs contraires à la politique de confidentialité sont refusées.",
    current_value: "Valeur actuelle :",
    legal_basis: "Base juridique :",
    objection_note_title: "À savoir :",
    objection_note: "L'article 8 du code de procédure pénale fixe la prescription des délits à six ans depuis la loi n° 2017-242 du 27 février 2017 ; la politique de confidentialité de référence indique encore trois ans. La valeur par défaut (36 mois) suit la politique ; saisissez 72 mois pour suivre la loi en vigueur.",
    months: "mois",
    days: "jours",
    yes: "oui",
    no: "non",
    not_a_number: "saisissez un nombre entier, sans unité (par exemple 12).",
    settings_submit: "Enregistrer les durées",
    settings_saved: "Les durées de conservation ont été enregistrées.",
    settings_unchanged: "Aucune durée n'a changé : rien n'a été modifié.",
    settings_csrf: "Le formulaire a expiré ou ne provient pas de cette page : rien n'a été modifié. Vérifiez les valeurs et enregistrez à nouveau.",
    forbidden_title: "Accès réservé aux administrateurs",
    forbidden_settings: "Seul un compte administrateur peut consulter et modifier les durées de conservation. Si vous pensez devoir y accéder, adressez-vous à un administrateur.",
    not_found_title: "Page introuvable",
    not_found_body: "Cette page n'existe pas ou ne fait pas partie de votre périmètre.",
    act_viewer_forbidden: "Votre compte permet de consulter les demandes, pas d'agir sur elles. Adressez-vous au délégué à la protection des données.",
    act_expired_title: "Formulaire expiré",
    act_expired_body: "Le formulaire a expiré ou ne provient pas de cette page : rien n'a été modifié. Rechargez la page de la demande et recommencez.",
    act_stale_title: "Demande modifiée entre-temps",
    act_stale_body: "Une autre personne a modifié cette demande pendant que vous la consultiez : votre action n'a pas été enregistrée. Rechargez la page pour voir son état actuel.",
    act_not_allowed_title: "Action impossible",
    act_invalid_title: "Action non enregistrée",
    act_nothing_changed: "Rien n'a été modifié.",
    act_typed_intro: "Le texte que vous aviez saisi, pour le reprendre :",
    act_back: "Revenir à la demande",
    act_incomplete: "Le formulaire est incomplet (version de la demande manquante) : rechargez la page.",
    act_required: "{what} est obligatoire.",
    act_too_long: "{what} dépasse {max} caractères.",
    act_field_message: "Le message au demandeur",
    act_field_note: "Le texte de la note",
    act_field_hold_reason: "Le motif du gel juridique",
    act_field_recipients: "La liste des destinataires informés",
    act_field_extend_reason: "Le motif de la prolongation",
    act_field_answer: "Le texte de la réponse",
    act_art19_kinds: "L'information des destinataires (article 19 du RGPD) ne concerne que les demandes de rectification, d'effacement ou de limitation.",
    act_extend_months: "Choisissez une prolongation d'un ou de deux mois.",
    act_extend_no_receipt: "La demande n'a pas de date de réception : le délai ne peut pas être prolongé.",
    act_close_needs_ground: "Un refus, même partiel, doit indiquer son motif (article 12(4) du RGPD).",
    act_ground_not_for_kind: "Ce motif de refus ne s'applique pas à une demande de type « {kind} ».",
};

pub const EN: Texts = Texts {
    lang: "en",
    other_lang: "fr",
    other_lang_name: "Français",
    skip_to_content: "Skip to content",
    header: "dsr-tracker — DPO desk",
    errors_title: "There is a problem with the form",
    login_title: "Sign in to the DPO desk",
    login_intro: "For the people who handle data subject requests. Accounts are created by an administrator.",
    email: "E-mail address",
    password: "Password",
    login_submit: "Sign in",
    email_missing: "Enter your e-mail address.",
    password_missing: "Enter your password.",
    login_failed: "Incorrect e-mail address or password.",
    login_rate_limited: "Too many sign-in attempts. Try again later, in about fifteen minutes.",
    form_expired: "The form expired. Enter your credentials again.",
    logged_out: "You are signed out.",
    session_expired: "Your session expired. Sign in again.",
    logged_in_as: "Signed in as",
    logout: "Sign out",
    logout_csrf: "The form expired: you are still signed in. Use the \"Sign out\" button on this page.",
    back_home: "Back to the DPO desk",
    home_title: "DPO desk",
    controllers_title: "Controllers",
    controllers_all: "You administer every controller of this instance.",
    controllers_scoped: "The controllers you are in charge of:",
    no_controllers: "No controller is assigned to you. Ask an administrator to assign one.",
    col_name: "Name",
    col_slug: "Identifier",
    col_form: "Public form",
    col_settings: "Settings",
    public_form: "Open the form",
    retention_link: "Retention periods",
    settings_title: "Retention periods",
    settings_intro: "These periods drive the automatic purge every night. Each comes with its legal basis; values the privacy policy does not allow are refused.",
    current_value: "Current value:",
    legal_basis: "Legal basis:",
    objection_note_title: "Note:",
    objection_note: "Article 8 of the French code of criminal procedure has set the limitation period for offences at six years since law 2017-242 of 27 February 2017; the reference privacy policy still says three years. The default (36 months) follows the policy; enter 72 months to follow the law in force.",
    months: "months",
    days: "days",
    yes: "yes",
    no: "no",
    not_a_number: "enter a whole number, without a unit (for example 12).",
    settings_submit: "Save the periods",
    settings_saved: "The retention periods were saved.",
    settings_unchanged: "No period changed: nothing was modified.",
    settings_csrf: "The form expired or did not come from this page: nothing was changed. Check the values and save again.",
    forbidden_title: "Administrators only",
    forbidden_settings: "Only an administrator account can see and change the retention periods. If you think you need access, ask an administrator.",
    not_found_title: "Page not found",
    not_found_body: "This page does not exist or is outside the controllers you are in charge of.",
    act_viewer_forbidden: "Your account can read requests, not act on them. Ask the data protection officer.",
    act_expired_title: "Form expired",
    act_expired_body: "The form has expired or does not come from this page: nothing was changed. Reload the request page and try again.",
    act_stale_title: "Request changed meanwhile",
    act_stale_body: "Someone else changed this request while you were looking at it: your action was not recorded. Reload the page to see where it stands now.",
    act_not_allowed_title: "Action not possible",
    act_invalid_title: "Action not recorded",
    act_nothing_changed: "Nothing was changed.",
    act_typed_intro: "The text you had typed, to copy it back:",
    act_back: "Back to the request",
    act_incomplete: "The form is incomplete (the request's version is missing): reload the page.",
    act_required: "{what} is required.",
    act_too_long: "{what} is longer than {max} characters.",
    act_field_message: "The message to the requester",
    act_field_note: "The text of the note",
    act_field_hold_reason: "The reason for the legal hold",
    act_field_recipients: "The list of recipients notified",
    act_field_extend_reason: "The reason for the extension",
    act_field_answer: "The text of the answer",
    act_art19_kinds: "Notifying recipients (article 19 GDPR) only concerns requests for rectification, erasure or restriction.",
    act_extend_months: "Choose an extension of one or two months.",
    act_extend_no_receipt: "The request has no date of receipt: its time limit cannot be extended.",
    act_close_needs_ground: "A refusal, even a partial one, must state its ground (article 12(4) GDPR).",
    act_ground_not_for_kind: "This refusal ground does not apply to a request of type “{kind}”.",
};

pub fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::Fr => &FR,
        Locale::En => &EN,
    }
}

pub fn role_label(role: Role, locale: Locale) -> &'static str {
    match (role, locale) {
        (Role::Admin, Locale::Fr) => "administrateur",
        (Role::Admin, Locale::En) => "administrator",
        (Role::Dpo, _) => "DPO",
        (Role::Viewer, Locale::Fr) => "lecture seule",
        (Role::Viewer, Locale::En) => "read only",
    }
}

/// The name of a retention setting as the form shows it.
pub fn setting_label(field: SettingField, locale: Locale) -> &'static str {
    match (field, locale) {
        (SettingField::ProofMonths, Locale::Fr) => {
            "Justificatifs et données des demandes d'accès, de rectification, d'effacement, de limitation et de portabilité, après la clôture"
        }
        (SettingField::ProofMonths, Locale::En) => {
            "Proofs and data of access, rectification, erasure, restriction and portability requests, after closure"
        }
        (SettingField::ObjectionMonths, Locale::Fr) => {
            "Justificatifs et dossier d'une opposition, après la clôture"
        }
        (SettingField::ObjectionMonths, Locale::En) => {
            "Proofs and case file of an objection, after closure"
        }
        (SettingField::SuppressionMonths, Locale::Fr) => {
            "Liste d'opposition à la prospection, après l'opposition"
        }
        (SettingField::SuppressionMonths, Locale::En) => {
            "Suppression list (objection to direct marketing), after the objection"
        }
        (SettingField::ConnectionDataMonths, Locale::Fr) => {
            "Données de connexion (adresses IP, agents utilisateurs, journaux de connexion)"
        }
        (SettingField::ConnectionDataMonths, Locale::En) => {
            "Connection data (IP addresses, user agents, login records)"
        }
        (SettingField::UnconfirmedDays, Locale::Fr) => {
            "Demandes en ligne dont l'adresse n'a pas été confirmée"
        }
        (SettingField::UnconfirmedDays, Locale::En) => {
            "Web submissions whose address was never confirmed"
        }
        (SettingField::DeleteProofOnIdentityAccepted, Locale::Fr) => {
            "Supprimer le justificatif d'identité dès que l'identité est acceptée"
        }
        (SettingField::DeleteProofOnIdentityAccepted, Locale::En) => {
            "Delete the identity proof as soon as the identity is accepted"
        }
    }
}

/// A short name for error messages ("Liste d'opposition : doit être …").
pub fn setting_short_label(field: SettingField, locale: Locale) -> &'static str {
    match (field, locale) {
        (SettingField::ProofMonths, Locale::Fr) => "Justificatifs (hors opposition)",
        (SettingField::ProofMonths, Locale::En) => "Proofs (other than objections)",
        (SettingField::ObjectionMonths, Locale::Fr) => "Dossiers d'opposition",
        (SettingField::ObjectionMonths, Locale::En) => "Objection case files",
        (SettingField::SuppressionMonths, Locale::Fr) => "Liste d'opposition",
        (SettingField::SuppressionMonths, Locale::En) => "Suppression list",
        (SettingField::ConnectionDataMonths, Locale::Fr) => "Données de connexion",
        (SettingField::ConnectionDataMonths, Locale::En) => "Connection data",
        (SettingField::UnconfirmedDays, Locale::Fr) => "Demandes non confirmées",
        (SettingField::UnconfirmedDays, Locale::En) => "Unconfirmed submissions",
        (SettingField::DeleteProofOnIdentityAccepted, Locale::Fr) => "Suppression du justificatif",
        (SettingField::DeleteProofOnIdentityAccepted, Locale::En) => "Proof deletion",
    }
}
