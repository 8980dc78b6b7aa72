# The request page of the desk (/desk/requests/{id}): `request-page-` for
# the page, `action-` for the action forms and why an action was refused.

## The page.

request-page-title = Demande { $reference } — { $header }
request-page-heading = Demande { $reference }
request-page-back-to-queue = Retour à la file des demandes
request-page-sec-summary = La demande
request-page-sec-citizen = Ce que la personne a transmis
request-page-sec-dates = Dates et délai
request-page-sec-decision = Décision
request-page-sec-messages = Messages et notes
request-page-sec-proofs = Justificatifs d'identité
request-page-sec-timeline = Historique
request-page-reference = Référence
request-page-controller = Responsable de traitement
request-page-kind = Droit exercé
# After the right exercised: the article of the GDPR that grants it.
request-page-kind-article = (art. { $article })
request-page-channel = Canal
request-page-status = Statut
request-page-first-name = Prénom
request-page-last-name = Nom
request-page-email = Adresse électronique
request-page-address = Adresse postale
request-page-details = Précisions
request-page-grounds = Motifs (situation particulière)
request-page-submitted = Envoyée le
request-page-received = Reçue le
request-page-due = Échéance
request-page-identity-accepted = Identité acceptée le
request-page-extension = Prolongation
request-page-closed = Clôturée le
request-page-outcome = Réponse
request-page-refusal = Motif du refus
request-page-legal-hold = Gel juridique
# An empty fact.
request-page-none = —
request-page-yes = oui
request-page-anonymised = Demande anonymisée : les données personnelles ont été supprimées.
# A date and the time of day, as the timeline and the messages show them.
request-page-date-time = { $date } { $time }
# The length of an extension.
request-page-months = { $months ->
        [one] { $months } mois
       *[other] { $months } mois
    }

## How far the due date is, beside it.

request-page-due-overdue = { $days ->
        [one] En retard de { $days } jour
       *[other] En retard de { $days } jours
    }
request-page-due-left = { $days ->
        [one] { $days } jour restant
       *[other] { $days } jours restants
    }
request-page-due-soon = Bientôt
request-page-due-suspended = Délai suspendu

## Messages and notes.

request-page-no-messages = Aucun message.
request-page-msg-to-citizen = Message à la personne
request-page-msg-from-citizen = Message de la personne
request-page-msg-internal = Note interne (jamais montrée à la personne)

## Identity proofs.

request-page-no-proofs = Aucun justificatif.
request-page-proofs-purged = Justificatifs supprimés le { $date }
request-page-col-file = Fichier
request-page-col-type = Type
request-page-col-size = Taille
request-page-col-date = Reçu le
request-page-download = Télécharger
request-page-size-bytes = { $bytes ->
        [one] { $bytes } octet
       *[other] { $bytes } octets
    }
request-page-size-kb = { $size } Ko
# 1,5 Mo: the whole part and the tenths.
request-page-size-mb = { $whole },{ $tenths } Mo

## The history (audit trail), each event by its code ($event: the code
## with "-" for ".").

request-page-no-events = Aucun événement.
request-page-col-when = Quand
request-page-col-who = Qui
request-page-col-what = Quoi
request-page-who-citizen = la personne concernée
request-page-who-system = le système
request-page-who-staff = un agent
request-page-event = { $event ->
        [request-submitted] Demande envoyée en ligne
        [request-confirmed] Adresse électronique confirmée
        [request-confirmation_link_renewed] Lien de confirmation renvoyé
        [request-information_received] Informations reçues
        [request-withdrawn] Demande retirée
        [request-registered] Demande enregistrée par le DPO
        [request-acknowledged] Accusé de réception envoyé par courrier électronique
        [request-acknowledgment_letter_viewed] Lettre d'accusé de réception affichée
        [request-letter_viewed] Lettre affichée pour impression
        [mail-failed] Courriel non remis au demandeur
        [mail-retried] Nouvel envoi d'un courriel non remis
        [proof-viewed] Justificatif consulté
        [desk-out_of_scope_access] Tentative d'accès hors périmètre
        [desk-request_out_of_scope] Tentative d'action hors périmètre
        [purge-anonymised] Demande anonymisée (purge)
        [purge-proofs_deleted] Justificatifs supprimés (purge)
       *[other] { $code }
    }

## The close form's answer template.

# Which template prefills the answer ($lang: the template's language).
request-page-answer-template = { $lang ->
        [fr] Prérempli avec le modèle de réponse en français : remplacez chaque passage entre crochets avant l'envoi.
       *[en] Prérempli avec le modèle de réponse en anglais : remplacez chaque passage entre crochets avant l'envoi.
    }
# The link to the template in the other language ($lang).
request-page-answer-switch = { $lang ->
        [fr] Utiliser le modèle en français (remplace le texte du champ)
       *[en] Utiliser le modèle en anglais (remplace le texte du champ)
    }

## The action forms.

action-heading = Actions
action-required-note = Les champs marqués d'un astérisque (*) sont obligatoires.
action-recorded = Action enregistrée.
action-read-only = Votre compte permet de consulter cette demande, pas d'agir sur elle.
action-none-now = Aucune action n'est possible sur cette demande dans son état actuel.
action-accept-hint = L'identité du demandeur est établie (article 12(6) du RGPD) : la demande peut être traitée.
action-info-message = Message au demandeur
action-info-hint = Envoyé par courrier électronique au demandeur. Le délai de réponse est suspendu jusqu'à sa réponse.
action-info-hint-no-email = Le demandeur n'a pas d'adresse électronique : le message est enregistré ici mais n'est pas envoyé ; adressez-le par courrier postal. Le délai de réponse est suspendu jusqu'à sa réponse.
action-no-email = Le demandeur n'a pas d'adresse électronique : rien ne lui est envoyé, adressez-lui ce texte par courrier postal.
action-info-submit = Envoyer la demande d'informations
action-resume-hint = Les informations demandées sont arrivées (ou l'attente prend fin) : le délai reprend son cours et la date limite est recalculée.
action-extend-hint = Article 12(3) du RGPD : deux mois au plus en tout, décidés pendant le premier mois ; le demandeur en est informé avec le motif.
action-extend-length = Durée de la prolongation
action-extend-months = { $months ->
        [one] { $months } mois
       *[other] { $months } mois
    }
action-extend-reason = Motif communiqué au demandeur
action-close-title = Répondre et clore la demande
action-close-decision = Décision
action-close-ground = Motif du refus (obligatoire en cas de refus, même partiel)
# The options of the refusal ground select, by code ("none": no ground).
action-ground-option = { $ground ->
        [none] Aucun (demande satisfaite)
        [identity_not_established] Identité non établie (articles 12(6) et 11(2))
        [manifestly_unfounded] Demande manifestement infondée ou excessive (article 12(5))
        [art17_3] Exception à l'effacement (article 17(3)) — précisez le point
        [art20_3] Portabilité inapplicable à une mission d'intérêt public (article 20(3))
        [no_data_held] Aucune donnée détenue
       *[other] Autre motif — précisez-le
    }
action-close-ground-hint = La réponse indique toujours, sauf satisfaction complète, la possibilité de saisir la CNIL et d'exercer un recours juridictionnel.
action-close-letter = Point de l'article 17(3) (pour une exception à l'effacement)
action-close-detail = Motif (pour « Autre motif »)
action-close-answer = Réponse au demandeur
action-close-answer-hint = Envoyée par courrier électronique avec la décision.
action-close-submit = Envoyer la réponse et clore
action-recipients-title = Informer les destinataires (article 19)
action-recipients = Destinataires informés, un par ligne
action-recipients-submit = Enregistrer l'information des destinataires
action-note-title = Ajouter une note interne
action-note = Note (jamais montrée au demandeur)
action-note-submit = Ajouter la note
action-hold-reason = Motif du gel (contentieux, contrôle de la CNIL…)
action-lift-hint = Les durées de conservation s'appliquent de nouveau.

## A refused action: the request page again, the form as it was sent, the
## message beside its field and summed up at the top.

action-viewer-forbidden = Votre compte permet de consulter les demandes, pas d'agir sur elles. Adressez-vous au délégué à la protection des données.
action-invalid-title = Action non enregistrée
action-not-allowed-title = Action impossible
action-stale-title = Demande modifiée entre-temps
action-expired-title = Formulaire expiré
action-nothing-changed = Rien n'a été modifié.
# Under the messages, when what was typed is back in its form.
action-typed-kept = Ce que vous aviez saisi est conservé dans le formulaire ci-dessous : corrigez-le puis envoyez-le de nouveau.
# When the form it was typed in is no longer offered (the request changed).
action-typed-intro = Le texte que vous aviez saisi, pour le reprendre :
action-expired = Le formulaire a expiré ou ne provient pas de cette page : rien n'a été modifié.
action-stale = Une autre personne a modifié cette demande pendant que vous la consultiez : votre action n'a pas été enregistrée. La page montre son état actuel.
# The most recent event of the history, after a stale version.
action-stale-last = Dernière modification : « { $what } », { $who }, { $when }.
action-incomplete = Le formulaire est incomplet (version de la demande manquante) : rechargez la page.
action-too-large = Le formulaire envoyé est trop volumineux pour être lu : chaque texte est limité à { $max } caractères.
action-required = { $field ->
        [message] Le message au demandeur est obligatoire.
        [note] Le texte de la note est obligatoire.
        [hold_reason] Le motif du gel juridique est obligatoire.
        [recipients] La liste des destinataires informés est obligatoire.
        [extend_reason] Le motif de la prolongation est obligatoire.
       *[answer] Le texte de la réponse est obligatoire.
    }
action-too-long = { $field ->
        [message] Le message au demandeur
        [note] Le texte de la note
        [hold_reason] Le motif du gel juridique
        [recipients] La liste des destinataires informés
        [extend_reason] Le motif de la prolongation
        [refusal_detail] Le motif du refus
       *[answer] Le texte de la réponse
    } dépasse { $max } caractères (il en compte { $count }) : raccourcissez-le.
action-art19-kinds = L'information des destinataires (article 19 du RGPD) ne concerne que les demandes de rectification, d'effacement ou de limitation.
action-extend-months-invalid = Choisissez une prolongation d'un ou de deux mois.
action-extend-no-receipt = La demande n'a pas de date de réception : le délai ne peut pas être prolongé.
action-extend-zero = La prolongation doit être d'au moins un mois.
action-extend-too-long = Le délai ne peut être prolongé que de deux mois au total (déjà { $current } mois, { $requested ->
        [one] { $requested } mois demandé
       *[other] { $requested } mois demandés
    }).
action-extend-too-late = Le premier mois a pris fin le { $ended } : il est trop tard pour prolonger le délai.
action-close-outcome-missing = Choisissez la décision : demande satisfaite, partiellement satisfaite ou refusée.
action-close-needs-ground = Un refus, même partiel, doit indiquer son motif (article 12(4) du RGPD).
action-ground-not-for-kind = Ce motif de refus ne s'applique pas à une demande de type « { $kind } ».
action-ground-unknown = Motif de refus inconnu : « { $code } ».
action-ground-letter = Un refus fondé sur l'article 17(3) doit préciser le point invoqué (a à e).
action-ground-blank-other = Indiquez le motif du refus : la personne concernée doit en être informée (article 12(4) du RGPD).
action-ground-no-detail = Le motif « { $ground } » n'accepte pas de précision : laissez ce champ vide.
action-answer-placeholder = La réponse contient encore un passage du modèle à compléter (entre crochets, « [À compléter » ou « [To be completed ») : remplacez-le avant l'envoi.
