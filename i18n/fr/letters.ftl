# Printable letters to a requester (templates/desk/letter*.html,
# step_letter.html): written in the request's language. A step's letter
# carries the text of its mail (mail.ftl); the acknowledgment letter has
# its own. Plus the request page's "Letters to print" block, in the staff
# member's language.

## The request page's block.

letter-panel-title = Lettres à imprimer
letter-panel-intro = Chaque message envoyé au demandeur peut aussi être imprimé et envoyé par la poste.
# Emphasised when the requester has no e-mail address.
letter-panel-no-email = Le demandeur n'a pas d'adresse e-mail : imprimez ces lettres et envoyez-les par la poste.
letter-panel-none = Aucune lettre pour l'instant : la demande d'informations, la prolongation et la décision apparaîtront ici.
letter-print-decision = Imprimer la lettre de décision
letter-print-extension = Imprimer la lettre de prolongation du délai
letter-print-information = Imprimer la lettre de demande d'informations du { $date }

## What every letter shows around its body.

letter-back = Revenir à la demande
letter-print-hint = Imprimez cette page (Ctrl+P ou ⌘+P) : seule la lettre est imprimée.
letter-from-dpo = Délégué à la protection des données
# The day it is printed, under the addresses.
letter-date = Le { $date }
letter-subject = Objet : { $subject }

## The acknowledgment letter of a request registered by staff.

letter-ack-title = Lettre d'accusé de réception { $reference }
letter-ack-subject = Objet : accusé de réception de votre demande { $reference }
letter-ack-received = Nous accusons réception de votre demande relative à vos données personnelles, enregistrée sous la référence indiquée ci-dessous. Merci de rappeler cette référence dans tout échange.
letter-ack-reference = Référence
letter-ack-right = Droit exercé
letter-ack-received-on = Date de réception
letter-ack-due-on = Date limite de réponse
letter-ack-next-steps = Nous vous répondrons au plus tard à cette date, comme le prévoit l'article 12(3) du règlement général sur la protection des données (RGPD). Si la complexité ou le nombre des demandes l'exige, ce délai peut être prolongé de deux mois : nous vous en informerions alors avant la fin du premier mois, en vous en donnant les raisons.
letter-ack-identity = S'il nous faut des informations complémentaires pour vous identifier, nous vous les demanderons ; le délai est alors suspendu jusqu'à leur réception.
letter-ack-rights-title = Vos droits
letter-ack-rights = Vous pouvez exercer vos droits d'accès, de rectification, d'effacement, de limitation, de portabilité et d'opposition (articles 15 à 21 du RGPD). Cette démarche est gratuite.
letter-ack-cnil = Si vous estimez, après nous avoir contactés, que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la Commission nationale de l'informatique et des libertés (CNIL), 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, www.cnil.fr, et former un recours juridictionnel.
