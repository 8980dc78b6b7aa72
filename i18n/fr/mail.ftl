# The mails a requester receives (templates/mail/*.txt): one message per
# paragraph or line, in the order the mail reads. A subject is one line.

## Shared by every mail to a requester.

mail-salutation = Madame, Monsieur,
mail-closing = Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.
mail-signature = Le délégué à la protection des données
mail-contact-dpo = Pour toute question, vous pouvez contacter notre délégué à la protection des données :
mail-contact-by-email = par courrier électronique : { $email }
# Followed by the postal address, on its own lines.
mail-contact-by-post = par courrier postal :
mail-free-of-charge = Cette démarche est gratuite.
# "Droit d'accès (article 15 du RGPD)".
mail-right-exercised = Droit exercé : { $right }
mail-received-on = Date de réception : { $date }
mail-due-on = Date limite de réponse : { $date }

## Confirmation of a web submission (and a new confirmation link).

mail-confirmation-subject = Confirmez votre demande auprès de { $controller }
mail-confirmation-made = Une demande d'exercice de vos droits sur vos données personnelles ({ $kind }) a été déposée auprès de { $controller } avec votre adresse électronique.
mail-confirmation-open-link = Pour que nous puissions l'enregistrer, merci de la confirmer en ouvrant le lien suivant :
mail-confirmation-validity = Ce lien est valable { $hours ->
        [one] { $hours } heure
       *[other] { $hours } heures
    }. S'il a expiré, ouvrez-le tout de même : la page vous permettra de demander un nouveau lien.
mail-confirmation-until-confirmed = Tant qu'elle n'est pas confirmée, votre demande n'est pas enregistrée et le délai de réponse ne court pas. Si vous n'êtes pas à l'origine de cette demande, ignorez simplement ce message : elle sera supprimée automatiquement.

## Acknowledgment of a web request (with its status link).

mail-ack-subject = Accusé de réception de votre demande { $reference }
mail-ack-received = Nous accusons réception de votre demande, enregistrée sous la référence { $reference }.
mail-ack-deadline = Nous vous répondrons au plus tard à cette date, comme le prévoit l'article 12(3) du règlement général sur la protection des données (RGPD). Si la complexité ou le nombre des demandes l'exige, ce délai peut être prolongé de deux mois : nous vous en informerions alors avant son terme, en vous en donnant les raisons. S'il nous faut des informations complémentaires pour vous identifier, le délai est suspendu jusqu'à leur réception.
mail-ack-follow = Vous pouvez suivre l'avancement de votre demande, répondre à nos questions ou la retirer à l'adresse suivante :
mail-ack-link-is-private = Ce lien est personnel : il donne accès à votre demande sans mot de passe. Ne le transmettez pas.

## Acknowledgment of a request registered by staff (post, e-mail, in
## person): no status link.

mail-registered-received = Nous avons bien reçu votre demande { $channel ->
        [email] par courrier électronique
        [in_person] en personne
        [web] en ligne
       *[post] par courrier postal
    } et l'avons enregistrée sous la référence { $reference }. Merci de rappeler cette référence dans tout échange.
mail-registered-deadline = Nous vous répondrons au plus tard à cette date, comme le prévoit l'article 12(3) du règlement général sur la protection des données (RGPD). Si la complexité ou le nombre des demandes l'exige, ce délai peut être prolongé de deux mois : nous vous en informerions alors avant la fin du premier mois, en vous en donnant les raisons. S'il nous faut des informations complémentaires pour vous identifier, nous vous les demanderons ; le délai est alors suspendu jusqu'à leur réception.
mail-registered-remedies = Si vous estimez, après nous avoir contactés, que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la CNIL (www.cnil.fr) et former un recours juridictionnel.

## Where the requester follows their request, selected by $link:
## [url] the status link follows on its own line; [acknowledgment] the
## mail has no link and points to the acknowledgment that carried it;
## [letterhead] a printed letter to someone who never had the link
## (no e-mail address) points to the letter's sender block.

## Request for information.

mail-info-subject = Demande { $reference } : informations complémentaires nécessaires
mail-info-needed = Pour traiter votre demande { $reference }, nous avons besoin des informations suivantes :
mail-info-answer = Vous pouvez nous répondre, et joindre un document si nécessaire, { $link ->
        [url] depuis la page de suivi de votre demande :
        [acknowledgment] depuis la page de suivi de votre demande, dont le lien personnel figure dans l'accusé de réception que nous vous avons adressé.
       *[letterhead] en nous écrivant à l'une des adresses figurant en tête de cette lettre, en rappelant la référence de votre demande.
    }
mail-info-suspended = Le délai de réponse est suspendu jusqu'à la réception de ces informations ; il reprendra son cours à compter de votre réponse.

## Extension of the time limit (art. 12(3)).

mail-extension-subject = Demande { $reference } : prolongation du délai de réponse
mail-extension-why = Nous devons prolonger le délai de réponse à votre demande { $reference }, comme le permet l'article 12(3) du RGPD lorsque la complexité ou le nombre des demandes l'exige.
# Followed by the DPO's reason, on its own line.
mail-extension-reason = Motif de la prolongation :
mail-extension-new-date = Nouvelle date limite de réponse : { $date }
mail-extension-follow = { $link ->
        [url] Vous pouvez suivre votre demande à l'adresse suivante :
        [acknowledgment] Vous pouvez suivre votre demande grâce au lien personnel figurant dans l'accusé de réception que nous vous avons adressé.
       *[letterhead] Pour toute question, vous pouvez nous écrire à l'une des adresses figurant en tête de cette lettre, en rappelant la référence de votre demande.
    }

## The decision. Unless granted in full, it states the remedies
## (art. 12(4), 77 to 79).

mail-decision-subject = Réponse à votre demande { $reference }
mail-decision-handled = Nous avons traité votre demande { $reference }.
mail-decision-outcome = Décision : { $outcome }
mail-decision-ground = Motif : { $ground }
mail-decision-remedies = Si cette réponse ne vous satisfait pas, vous pouvez introduire une réclamation auprès de la Commission nationale de l'informatique et des libertés (CNIL), en ligne sur www.cnil.fr ou par courrier à l'adresse : CNIL, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07. Vous pouvez également former un recours juridictionnel (articles 12(4) et 77 à 79 du RGPD).
mail-decision-contact = Pour toute question, vous pouvez contacter notre délégué à la protection des données : { $email }. { $link ->
        [url] Votre demande reste consultable à l'adresse suivante :
        [acknowledgment] Votre demande reste consultable grâce au lien personnel figurant dans l'accusé de réception que nous vous avons adressé.
       *[letterhead] Vous pouvez aussi nous écrire à l'une des adresses figurant en tête de cette lettre.
    }

## Withdrawal by the requester.

mail-withdrawal-subject = Retrait de votre demande { $reference }
mail-withdrawal-recorded = Nous avons bien pris en compte le retrait de votre demande { $reference }. Elle est close et n'appellera pas d'autre suite de notre part. Vous pouvez présenter une nouvelle demande à tout moment.
mail-withdrawal-not-you = Si vous n'êtes pas à l'origine de ce retrait, contactez sans tarder notre délégué à la protection des données : { $email }.

## The request page's "Mails to the requester" block (desk, in the staff
## member's language) and what points to a mail not delivered.

mail-list-title = Courriels au demandeur
mail-list-none = Aucun courriel pour cette demande.
mail-list-subject = Objet
mail-list-queued = Mis en file
mail-list-state = État
mail-state-sent = Envoyé le { $at }
mail-state-pending = En attente (tentatives : { $attempts }, prochain essai : { $next })
mail-state-failed = Non remis
# After "Non remis": when, then why ($reason is mail-failure-reason).
mail-state-failed-detail = le { $at } — { $reason }
# Why a mail was not delivered, from the stored error's class; never the
# server's own text, which often quotes the address.
mail-failure-reason = { $class ->
        [permanent] adresse refusée par le serveur du destinataire
        [invalid] adresse du destinataire invalide
       *[gave_up] serveur du destinataire injoignable pendant plusieurs jours
    }
mail-failed-hint = Le demandeur n'a pas reçu ce courriel. Vérifiez son adresse, réessayez, ou envoyez la réponse par courrier.
mail-failed-banner = Un courriel n'a pas pu être remis au demandeur : voir « { mail-list-title } ».
mail-retry = Réessayer maintenant
mail-retried = Le courriel va être renvoyé.
mail-retry-forbidden = Votre compte est en lecture seule : il ne peut pas relancer un envoi.
mail-retry-csrf = Le formulaire a expiré : rechargez la page de la demande et réessayez.
mail-retry-not-failed = Ce courriel n'est pas en échec : il n'y a rien à relancer.
