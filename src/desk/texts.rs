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
    // Two-step verification (login and account page).
    pub totp_code: &'static str,
    pub totp_code_login_hint: &'static str,
    pub totp_code_malformed: &'static str,
    pub totp_code_needed: &'static str,
    pub totp_code_wrong: &'static str,
    pub totp_code_reused: &'static str,
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
    // The account page.
    pub account_link: &'static str,
    pub account_title: &'static str,
    pub account_role: &'static str,
    pub totp_title: &'static str,
    pub totp_status_on: &'static str,
    pub totp_status_off: &'static str,
    pub totp_setup_title: &'static str,
    pub totp_setup_scan: &'static str,
    pub totp_qr_alt: &'static str,
    pub totp_setup_manual: &'static str,
    pub totp_setup_link: &'static str,
    pub totp_setup_confirm: &'static str,
    pub totp_enable_submit: &'static str,
    pub totp_disable_title: &'static str,
    pub totp_disable_intro: &'static str,
    pub totp_disable_submit: &'static str,
    pub totp_enabled_notice: &'static str,
    pub totp_disabled_notice: &'static str,
    pub totp_code_missing: &'static str,
    pub totp_setup_code_wrong: &'static str,
    pub account_password_wrong: &'static str,
    pub totp_setup_expired: &'static str,
    pub totp_already_on: &'static str,
    pub totp_already_off: &'static str,
    pub account_csrf: &'static str,
    // Refusals.
    pub forbidden_title: &'static str,
    pub forbidden_settings: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    // Answer templates (close form of the request page).
    pub answer_template_fr: &'static str,
    pub answer_template_en: &'static str,
    pub answer_switch_fr: &'static str,
    pub answer_switch_en: &'static str,
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
    totp_code: "Code de vérification",
    totp_code_login_hint: "Uniquement si la vérification en deux étapes est activée sur votre compte : les 6 chiffres affichés par votre application d'authentification.",
    totp_code_malformed: "Le code de vérification comporte 6 chiffres, sans lettre.",
    totp_code_needed: "Votre compte est protégé par la vérification en deux étapes : saisissez le code à 6 chiffres affiché par votre application d'authentification.",
    totp_code_wrong: "Le code de vérification est incorrect. Saisissez le code affiché en ce moment par votre application (vérifiez que l'heure de votre téléphone est juste).",
    totp_code_reused: "Ce code de vérification a déjà été utilisé. Attendez que votre application affiche le code suivant, puis saisissez-le.",
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
    account_link: "Mon compte",
    account_title: "Mon compte",
    account_role: "Rôle",
    totp_title: "Vérification en deux étapes",
    totp_status_on: "La vérification en deux étapes est activée : chaque connexion demande, en plus du mot de passe, le code affiché par votre application d'authentification.",
    totp_status_off: "La vérification en deux étapes n'est pas activée : votre mot de passe suffit pour vous connecter. Activez-la pour qu'un mot de passe dérobé ne suffise pas à ouvrir votre compte.",
    totp_setup_title: "Activer la vérification en deux étapes",
    totp_setup_scan: "Dans votre application d'authentification (par exemple FreeOTP, Aegis ou Google Authenticator), ajoutez un compte en scannant ce code QR.",
    totp_qr_alt: "Code QR à scanner avec votre application d'authentification",
    totp_setup_manual: "Ou saisissez cette clé à la main (compte basé sur l'heure, 6 chiffres, toutes les 30 secondes) :",
    totp_setup_link: "Sur ce téléphone : ouvrir dans l'application d'authentification",
    totp_setup_confirm: "Pour confirmer, saisissez le code que l'application affiche maintenant et votre mot de passe. Rien n'est enregistré avant cette confirmation.",
    totp_enable_submit: "Activer la vérification en deux étapes",
    totp_disable_title: "Désactiver la vérification en deux étapes",
    totp_disable_intro: "Votre mot de passe et le code affiché en ce moment par votre application sont demandés. Si vous avez perdu votre téléphone, demandez à un administrateur de la désactiver pour vous.",
    totp_disable_submit: "Désactiver la vérification en deux étapes",
    totp_enabled_notice: "La vérification en deux étapes est activée. Vos prochaines connexions demanderont un code.",
    totp_disabled_notice: "La vérification en deux étapes est désactivée.",
    totp_code_missing: "Saisissez le code à 6 chiffres affiché par votre application.",
    totp_setup_code_wrong: "Le code ne correspond pas à la clé affichée. Vérifiez que vous avez ajouté cette clé-ci (la dernière affichée) et que l'heure de votre téléphone est juste, puis saisissez le code actuel.",
    account_password_wrong: "Le mot de passe est incorrect.",
    totp_setup_expired: "La configuration a expiré ou ne provient pas de votre session : rien n'a été enregistré. Une nouvelle clé est affichée ci-dessous ; ajoutez-la dans votre application et recommencez.",
    totp_already_on: "La vérification en deux étapes est déjà activée sur votre compte : rien n'a été modifié.",
    totp_already_off: "La vérification en deux étapes n'est pas activée sur votre compte : rien n'a été modifié.",
    account_csrf: "Le formulaire a expiré ou ne provient pas de cette page : rien n'a été modifié. Rechargez la page et recommencez.",
    forbidden_title: "Accès réservé aux administrateurs",
    forbidden_settings: "Seul un compte administrateur peut consulter et modifier les durées de conservation. Si vous pensez devoir y accéder, adressez-vous à un administrateur.",
    not_found_title: "Page introuvable",
    not_found_body: "Cette page n'existe pas ou ne fait pas partie de votre périmètre.",
    answer_template_fr: "Prérempli avec le modèle de réponse en français : remplacez chaque passage entre crochets avant l'envoi.",
    answer_template_en: "Prérempli avec le modèle de réponse en anglais : remplacez chaque passage entre crochets avant l'envoi.",
    answer_switch_fr: "Utiliser le modèle en français (remplace le texte du champ)",
    answer_switch_en: "Utiliser le modèle en anglais (remplace le texte du champ)",
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
    totp_code: "Verification code",
    totp_code_login_hint: "Only if two-step verification is on for your account: the 6 digits your authenticator app shows.",
    totp_code_malformed: "The verification code is 6 digits, with no letters.",
    totp_code_needed: "Your account is protected by two-step verification: enter the 6-digit code your authenticator app shows.",
    totp_code_wrong: "The verification code is incorrect. Enter the code your app shows right now (check that your phone's clock is right).",
    totp_code_reused: "This verification code was already used. Wait for your app to show the next code, then enter it.",
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
    account_link: "My account",
    account_title: "My account",
    account_role: "Role",
    totp_title: "Two-step verification",
    totp_status_on: "Two-step verification is on: every sign-in asks, besides your password, for the code your authenticator app shows.",
    totp_status_off: "Two-step verification is off: your password alone signs you in. Turn it on so that a stolen password is not enough to open your account.",
    totp_setup_title: "Turn on two-step verification",
    totp_setup_scan: "In your authenticator app (for example FreeOTP, Aegis or Google Authenticator), add an account by scanning this QR code.",
    totp_qr_alt: "QR code to scan with your authenticator app",
    totp_setup_manual: "Or type this key by hand (time-based account, 6 digits, every 30 seconds):",
    totp_setup_link: "On this phone: open in the authenticator app",
    totp_setup_confirm: "To confirm, enter the code the app shows now and your password. Nothing is saved before this confirmation.",
    totp_enable_submit: "Turn on two-step verification",
    totp_disable_title: "Turn off two-step verification",
    totp_disable_intro: "Your password and the code your app shows right now are needed. If you lost your phone, ask an administrator to turn it off for you.",
    totp_disable_submit: "Turn off two-step verification",
    totp_enabled_notice: "Two-step verification is on. Your next sign-ins will ask for a code.",
    totp_disabled_notice: "Two-step verification is off.",
    totp_code_missing: "Enter the 6-digit code your app shows.",
    totp_setup_code_wrong: "The code does not match the key shown. Check that you added this key (the last one shown) and that your phone's clock is right, then enter the current code.",
    account_password_wrong: "The password is incorrect.",
    totp_setup_expired: "The set-up expired or did not come from your session: nothing was saved. A new key is shown below; add it to your app and try again.",
    totp_already_on: "Two-step verification is already on for your account: nothing was changed.",
    totp_already_off: "Two-step verification is not on for your account: nothing was changed.",
    account_csrf: "The form expired or did not come from this page: nothing was changed. Reload the page and try again.",
    forbidden_title: "Administrators only",
    forbidden_settings: "Only an administrator account can see and change the retention periods. If you think you need access, ask an administrator.",
    not_found_title: "Page not found",
    not_found_body: "This page does not exist or is outside the controllers you are in charge of.",
    answer_template_fr: "Prefilled with the French answer template: replace every passage in square brackets before sending.",
    answer_template_en: "Prefilled with the English answer template: replace every passage in square brackets before sending.",
    answer_switch_fr: "Use the French template (replaces the text in the field)",
    answer_switch_en: "Use the English template (replaces the text in the field)",
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
