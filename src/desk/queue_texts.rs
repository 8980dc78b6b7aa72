//! The sentences of the queue and the request page, in French and English
//! (kept apart from `texts.rs` so the two halves of the desk grow without
//! touching the same struct).

use crate::domain::values::Locale;

pub struct QueueTexts {
    pub queue_title: &'static str,
    pub counts_title: &'static str,
    pub all_open: &'static str,
    pub all_statuses: &'static str,
    pub filters_title: &'static str,
    pub f_status: &'static str,
    pub f_kind: &'static str,
    pub f_channel: &'static str,
    pub f_any: &'static str,
    pub f_overdue: &'static str,
    pub f_due_within_7: &'static str,
    pub f_q: &'static str,
    pub f_q_hint: &'static str,
    pub f_submit: &'static str,
    pub f_reset: &'static str,
    pub col_reference: &'static str,
    pub col_controller: &'static str,
    pub col_kind: &'static str,
    pub col_status: &'static str,
    pub col_days_left: &'static str,
    pub col_channel: &'static str,
    pub no_reference: &'static str,
    pub empty_queue: &'static str,
    pub next_page: &'static str,
    pub first_page: &'static str,
    pub overdue_marker: &'static str,
    pub due_soon_marker: &'static str,
    pub suspended_marker: &'static str,
    pub days_suffix: &'static str,
    pub no_due_date: &'static str,
    // Request page.
    pub request_title: &'static str,
    pub back_to_queue: &'static str,
    pub sec_summary: &'static str,
    pub sec_citizen: &'static str,
    pub sec_dates: &'static str,
    pub sec_decision: &'static str,
    pub sec_messages: &'static str,
    pub sec_proofs: &'static str,
    pub sec_timeline: &'static str,
    pub l_reference: &'static str,
    pub l_controller: &'static str,
    pub l_kind: &'static str,
    pub l_channel: &'static str,
    pub l_status: &'static str,
    pub l_first_name: &'static str,
    pub l_last_name: &'static str,
    pub l_email: &'static str,
    pub l_address: &'static str,
    pub l_details: &'static str,
    pub l_grounds: &'static str,
    pub l_submitted: &'static str,
    pub l_received: &'static str,
    pub l_due: &'static str,
    pub l_identity_accepted: &'static str,
    pub l_extension: &'static str,
    pub l_closed: &'static str,
    pub l_outcome: &'static str,
    pub l_refusal: &'static str,
    pub l_legal_hold: &'static str,
    pub none: &'static str,
    pub anonymised: &'static str,
    pub no_messages: &'static str,
    pub msg_to_citizen: &'static str,
    pub msg_from_citizen: &'static str,
    pub msg_internal: &'static str,
    pub no_proofs: &'static str,
    pub proofs_purged: &'static str,
    pub col_file: &'static str,
    pub col_type: &'static str,
    pub col_size: &'static str,
    pub col_date: &'static str,
    pub download: &'static str,
    pub no_events: &'static str,
    pub col_when: &'static str,
    pub col_who: &'static str,
    pub col_what: &'static str,
    pub who_citizen: &'static str,
    pub who_system: &'static str,
    pub who_staff: &'static str,
    pub months: &'static str,
    pub yes: &'static str,
    /// "1 mois" / "1 month": English has a singular.
    pub month: &'static str,
}

pub const FR: QueueTexts = QueueTexts {
    queue_title: "File des demandes",
    counts_title: "Demandes par statut",
    all_open: "Demandes en cours (reçues, en attente, en traitement)",
    all_statuses: "Tous les statuts",
    filters_title: "Filtrer et rechercher",
    f_status: "Statut",
    f_kind: "Droit exercé",
    f_channel: "Canal",
    f_any: "Tous",
    f_overdue: "En retard",
    f_due_within_7: "Échéance dans 7 jours ou moins",
    f_q: "Rechercher",
    f_q_hint: "Référence, nom ou adresse électronique",
    f_submit: "Appliquer",
    f_reset: "Réinitialiser",
    col_reference: "Référence",
    col_controller: "Responsable",
    col_kind: "Droit",
    col_status: "Statut",
    col_days_left: "Jours restants",
    col_channel: "Canal",
    no_reference: "(sans référence)",
    empty_queue: "Aucune demande ne correspond.",
    next_page: "Page suivante",
    first_page: "Première page",
    overdue_marker: "En retard",
    due_soon_marker: "Bientôt",
    suspended_marker: "délai suspendu",
    days_suffix: "j",
    no_due_date: "—",
    request_title: "Demande",
    back_to_queue: "Retour à la file des demandes",
    sec_summary: "La demande",
    sec_citizen: "Ce que la personne a transmis",
    sec_dates: "Dates et délai",
    sec_decision: "Décision",
    sec_messages: "Messages et notes",
    sec_proofs: "Justificatifs d'identité",
    sec_timeline: "Historique",
    l_reference: "Référence",
    l_controller: "Responsable de traitement",
    l_kind: "Droit exercé",
    l_channel: "Canal",
    l_status: "Statut",
    l_first_name: "Prénom",
    l_last_name: "Nom",
    l_email: "Adresse électronique",
    l_address: "Adresse postale",
    l_details: "Précisions",
    l_grounds: "Motifs (situation particulière)",
    l_submitted: "Envoyée le",
    l_received: "Reçue le",
    l_due: "Échéance",
    l_identity_accepted: "Identité acceptée le",
    l_extension: "Prolongation",
    l_closed: "Clôturée le",
    l_outcome: "Réponse",
    l_refusal: "Motif du refus",
    l_legal_hold: "Gel juridique",
    none: "—",
    anonymised: "Demande anonymisée : les données personnelles ont été supprimées.",
    no_messages: "Aucun message.",
    msg_to_citizen: "Message à la personne",
    msg_from_citizen: "Message de la personne",
    msg_internal: "Note interne (jamais montrée à la personne)",
    no_proofs: "Aucun justificatif.",
    proofs_purged: "Justificatifs supprimés le",
    col_file: "Fichier",
    col_type: "Type",
    col_size: "Taille",
    col_date: "Reçu le",
    download: "Télécharger",
    no_events: "Aucun événement.",
    col_when: "Quand",
    col_who: "Qui",
    col_what: "Quoi",
    who_citizen: "la personne concernée",
    who_system: "le système",
    who_staff: "un agent",
    months: "mois",
    yes: "oui",
    month: "mois",
};

pub const EN: QueueTexts = QueueTexts {
    queue_title: "Request queue",
    counts_title: "Requests by status",
    all_open: "Open requests (received, awaiting, in progress)",
    all_statuses: "All statuses",
    filters_title: "Filter and search",
    f_status: "Status",
    f_kind: "Right",
    f_channel: "Channel",
    f_any: "Any",
    f_overdue: "Overdue",
    f_due_within_7: "Due within 7 days",
    f_q: "Search",
    f_q_hint: "Reference, name or e-mail address",
    f_submit: "Apply",
    f_reset: "Reset",
    col_reference: "Reference",
    col_controller: "Controller",
    col_kind: "Right",
    col_status: "Status",
    col_days_left: "Days left",
    col_channel: "Channel",
    no_reference: "(no reference)",
    empty_queue: "No request matches.",
    next_page: "Next page",
    first_page: "First page",
    overdue_marker: "Overdue",
    due_soon_marker: "Soon",
    suspended_marker: "clock suspended",
    days_suffix: "d",
    no_due_date: "—",
    request_title: "Request",
    back_to_queue: "Back to the request queue",
    sec_summary: "The request",
    sec_citizen: "What the data subject sent",
    sec_dates: "Dates and deadline",
    sec_decision: "Decision",
    sec_messages: "Messages and notes",
    sec_proofs: "Identity proofs",
    sec_timeline: "History",
    l_reference: "Reference",
    l_controller: "Controller",
    l_kind: "Right",
    l_channel: "Channel",
    l_status: "Status",
    l_first_name: "First name",
    l_last_name: "Last name",
    l_email: "E-mail address",
    l_address: "Postal address",
    l_details: "Details",
    l_grounds: "Grounds (particular situation)",
    l_submitted: "Submitted on",
    l_received: "Received on",
    l_due: "Due",
    l_identity_accepted: "Identity accepted on",
    l_extension: "Extension",
    l_closed: "Closed on",
    l_outcome: "Answer",
    l_refusal: "Refusal ground",
    l_legal_hold: "Legal hold",
    none: "—",
    anonymised: "Anonymised request: the personal data was deleted.",
    no_messages: "No message.",
    msg_to_citizen: "Message to the data subject",
    msg_from_citizen: "Message from the data subject",
    msg_internal: "Internal note (never shown to the data subject)",
    no_proofs: "No proof.",
    proofs_purged: "Proofs deleted on",
    col_file: "File",
    col_type: "Type",
    col_size: "Size",
    col_date: "Received on",
    download: "Download",
    no_events: "No event.",
    col_when: "When",
    col_who: "Who",
    col_what: "What",
    who_citizen: "the data subject",
    who_system: "the system",
    who_staff: "a staff member",
    months: "months",
    yes: "yes",
    month: "month",
};

pub fn queue_texts(locale: Locale) -> &'static QueueTexts {
    match locale {
        Locale::Fr => &FR,
        Locale::En => &EN,
    }
}

/// A readable label for an audit action code; the code itself when there
/// is none (new codes still show, just less nicely).
pub fn event_label(action: &str, locale: Locale) -> String {
    let fr = |s: &str| s.to_owned();
    match (action, locale) {
        ("request.submitted", Locale::Fr) => fr("Demande envoyée en ligne"),
        ("request.submitted", Locale::En) => fr("Submitted online"),
        ("request.confirmed", Locale::Fr) => fr("Adresse électronique confirmée"),
        ("request.confirmed", Locale::En) => fr("E-mail address confirmed"),
        ("request.confirmation_link_renewed", Locale::Fr) => fr("Lien de confirmation renvoyé"),
        ("request.confirmation_link_renewed", Locale::En) => fr("Confirmation link sent again"),
        ("request.information_received", Locale::Fr) => fr("Informations reçues"),
        ("request.information_received", Locale::En) => fr("Information received"),
        ("request.withdrawn", Locale::Fr) => fr("Demande retirée"),
        ("request.withdrawn", Locale::En) => fr("Request withdrawn"),
        ("request.registered", _) => crate::i18n::Tr::new(locale).register_event_registered(),
        ("request.acknowledged", _) => {
            crate::i18n::Tr::new(locale).register_event_acknowledged_email()
        }
        ("request.acknowledgment_letter_viewed", _) => {
            crate::i18n::Tr::new(locale).register_event_letter_viewed()
        }
        ("mail.failed", _) => crate::i18n::Tr::new(locale).mail_event_failed(),
        ("mail.retried", _) => crate::i18n::Tr::new(locale).mail_event_retried(),
        ("proof.viewed", Locale::Fr) => fr("Justificatif consulté"),
        ("proof.viewed", Locale::En) => fr("Proof viewed"),
        ("desk.out_of_scope_access", Locale::Fr) => fr("Tentative d'accès hors périmètre"),
        ("desk.out_of_scope_access", Locale::En) => fr("Access attempt outside scope"),
        ("purge.anonymised", Locale::Fr) => fr("Demande anonymisée (purge)"),
        ("purge.anonymised", Locale::En) => fr("Request anonymised (purge)"),
        ("purge.proofs_deleted", Locale::Fr) => fr("Justificatifs supprimés (purge)"),
        ("purge.proofs_deleted", Locale::En) => fr("Proofs deleted (purge)"),
        _ => {
            // `request.accept_identity` and the like: the domain's label.
            let code = action.rsplit('.').next().unwrap_or(action);
            match code.parse::<crate::domain::request::Action>() {
                Ok(a) => crate::i18n::Tr::new(locale).action(a),
                Err(_) => action.to_owned(),
            }
        }
    }
}

/// A file size as people read it.
pub fn human_size(bytes: i64, locale: Locale) -> String {
    let (kb, mb) = match locale {
        Locale::Fr => ("Ko", "Mo"),
        Locale::En => ("KB", "MB"),
    };
    if bytes < 1024 {
        match locale {
            Locale::Fr => format!("{bytes} octets"),
            Locale::En => format!("{bytes} bytes"),
        }
    } else if bytes < 1024 * 1024 {
        format!("{} {kb}", (bytes + 512) / 1024)
    } else {
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
        let text = format!("{}.{}", tenths / 10, tenths % 10);
        let text = match locale {
            Locale::Fr => text.replace('.', ","),
            Locale::En => text,
        };
        format!("{text} {mb}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_sizes() {
        assert_eq!(
            event_label("proof.viewed", Locale::Fr),
            "Justificatif consulté"
        );
        assert_eq!(
            event_label("request.accept_identity", Locale::Fr),
            "Accepter l'identité"
        );
        assert_eq!(event_label("x.unknown", Locale::En), "x.unknown");
        assert_eq!(human_size(10, Locale::Fr), "10 octets");
        assert_eq!(human_size(2048, Locale::En), "2 KB");
        assert_eq!(human_size(1_572_864, Locale::Fr), "1,5 Mo");
    }
}
