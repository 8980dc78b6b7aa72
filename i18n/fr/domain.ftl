# Names of the fixed vocabularies of a request (kinds, statuses, outcomes,
# channels, actions, refusal grounds), selected by their stored code.

## Dates, written out in full as in a letter ($weekday: 1 = Monday).

date-long = { $weekday ->
        [1] lundi
        [2] mardi
        [3] mercredi
        [4] jeudi
        [5] vendredi
        [6] samedi
       *[7] dimanche
    } { $day ->
        [1] 1er
       *[other] { $day }
    } { $month ->
        [1] janvier
        [2] février
        [3] mars
        [4] avril
        [5] mai
        [6] juin
        [7] juillet
        [8] août
        [9] septembre
        [10] octobre
        [11] novembre
       *[12] décembre
    } { $year }

## The right exercised (GDPR articles 15 to 21).

request-kind = { $kind ->
        [access] Droit d'accès
        [rectification] Droit de rectification
        [erasure] Droit à l'effacement
        [restriction] Droit à la limitation du traitement
        [portability] Droit à la portabilité
        [objection] Droit d'opposition
       *[marketing_objection] Opposition à la prospection commerciale
    }

request-channel = { $channel ->
        [web] Formulaire en ligne
        [email] Courrier électronique
        [post] Courrier postal
       *[in_person] En personne
    }

request-status = { $status ->
        [unconfirmed] Non confirmée
        [received] Reçue
        [awaiting_information] En attente d'informations
        [in_progress] En cours de traitement
        [closed] Clôturée
       *[withdrawn] Retirée
    }

request-outcome = { $outcome ->
        [granted] Demande satisfaite
        [partially_granted] Demande partiellement satisfaite
       *[refused] Demande refusée
    }

request-action = { $action ->
        [confirm_email] Confirmer l'adresse électronique
        [accept_identity] Accepter l'identité
        [request_information] Demander des informations
        [resume_clock] Reprendre le délai
        [extend] Prolonger le délai
        [add_note] Ajouter une note
        [notify_recipients] Informer les destinataires
        [close_granted] Clore : demande satisfaite
        [close_partially_granted] Clore : demande partiellement satisfaite
        [close_refused] Clore : refus
        [withdraw] Retirer la demande
        [place_legal_hold] Placer sous gel juridique
        [lift_legal_hold] Lever le gel juridique
        [purge] Anonymiser (purge)
       *[discard_unconfirmed] Supprimer la demande non confirmée
    }

## Refusal grounds (art. 12(4): the reasons must be given).

art17-3-letter = { $letter ->
        [a] exercice du droit à la liberté d'expression et d'information
        [b] obligation légale ou mission d'intérêt public
        [c] motifs d'intérêt public dans le domaine de la santé publique
        [d] archivage dans l'intérêt public, recherche scientifique ou historique, statistiques
       *[e] constatation, exercice ou défense de droits en justice
    }

refusal-ground-text = { $ground ->
        [identity_not_established] votre identité n'a pas pu être établie
        [manifestly_unfounded] demande manifestement infondée ou excessive
        [art20_3] le droit à la portabilité ne s'applique pas à un traitement nécessaire à une mission d'intérêt public
       *[no_data_held] nous ne détenons aucune donnée vous concernant
    }

refusal-erasure-exception = effacement non applicable : { $exception }

with-gdpr-article = { $text } (article { $article } du RGPD)

## Punctuation shared by every area.

# A field's label and its message: "Prénom : champ obligatoire".
label-and-message = { $label } : { $message }

## Staff roles.

staff-role = { $role ->
        [admin] administrateur
        [dpo] DPO
       *[viewer] lecture seule
    }
