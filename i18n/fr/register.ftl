# Registering a request received by post or e-mail on the desk: the form
# and its errors, the acknowledgment panel of the request page, the
# timeline's events, and the printable acknowledgment letter (with the
# frame every printed letter shares).

## The link on the queue page.

## The page around the form.

register-title = Enregistrer une demande reçue par courrier
register-page-title = { register-title } — { desk-header }
register-page-title-with-errors = { desk-errors-title } — { register-title } — { desk-header }
register-intro = Pour une demande arrivée par courrier postal ou par courrier électronique : le délai de réponse court à partir de la date de réception réelle, pas de la date d'enregistrement.
register-required-note = Les champs marqués d'un astérisque (*) sont obligatoires.

## The form's fields.

register-controller = Responsable de traitement
register-channel = Reçue par
register-kind = Droit exercé
# One right in the list, with its article of the GDPR: "Droit d'accès (art. 15)".
register-kind-option = { $kind } (art. { $article })
register-received-on = Date de réception
register-received-on-hint = Le jour où le courrier est arrivé chez le responsable de traitement (cachet d'arrivée, date du message). Le délai d'un mois court à partir de cette date.
register-citizen-legend = La personne concernée
register-first-name = Prénom
register-last-name = Nom
register-email = Adresse électronique
register-email-hint = Obligatoire pour une demande reçue par courrier électronique ; facultative pour un courrier postal.
register-postal-address = Adresse postale
register-postal-address-hint = Obligatoire si l'adresse électronique n'est pas connue : l'accusé de réception et la réponse doivent pouvoir parvenir à la personne.
register-locale = Langue de la personne
register-locale-hint = La langue de l'accusé de réception et des courriers.
# The languages offered, each written in itself (the same in every catalogue).
register-locale-name = { $code ->
        [fr] Français
       *[en] English
    }
register-details = Contenu de la demande
register-details-hint = Ce que la personne demande : quelles données, quel service. Recopiez ou résumez le courrier.
register-grounds = Motifs de l'opposition
register-grounds-hint = Obligatoires pour une opposition (article 21(1) du RGPD) : les raisons tenant à la situation particulière de la personne.
register-files = Courrier numérisé et justificatifs
register-files-hint = PDF, JPEG ou PNG, trois fichiers au plus. Ils sont chiffrés dès leur réception.
register-submit = Enregistrer la demande
register-files-again = Pour votre sécurité, les fichiers choisis n'ont pas été conservés : choisissez-les à nouveau.

## What the form says when it is refused.

register-error-controller = Choisissez le responsable de traitement dans la liste.
register-error-channel = Indiquez si la demande est arrivée par courrier postal ou par courrier électronique.
register-error-kind = Choisissez le droit exercé dans la liste.
register-error-date-missing = Indiquez la date de réception du courrier.
register-error-date-format = La date de réception n'est pas une date valide : utilisez le format JJ/MM/AAAA (par exemple 09/02/2026).
register-error-date-future = La date de réception ne peut pas être dans le futur : aujourd'hui, nous sommes le { $today }.
register-error-date-too-old = La date de réception est trop ancienne pour être vraisemblable (plus d'un an, ou avant l'entrée en application du RGPD) : vérifiez l'année. Date la plus ancienne acceptée : { $earliest }.
register-error-email-required = Une demande reçue par courrier électronique doit indiquer l'adresse électronique de la personne.
register-error-contact-required = Indiquez une adresse postale ou une adresse électronique : l'accusé de réception et la réponse doivent pouvoir parvenir à la personne.
register-error-details = Décrivez la demande : quelles données, quel service.
register-error-grounds = Une opposition doit indiquer les motifs de la personne : les raisons tenant à sa situation particulière.
register-error-locale = Choisissez la langue de la personne dans la liste.
register-error-duplicated = Un champ a été envoyé plusieurs fois ; renvoyez le formulaire.
register-error-unreadable = Ce texte est trop long ou illisible.
register-error-csrf = Le formulaire a expiré ou ne provient pas de cette page : rien n'a été enregistré. Vérifiez les valeurs, choisissez à nouveau les fichiers et renvoyez le formulaire.
register-error-malformed = Le formulaire n'a pas pu être lu : rien n'a été enregistré. Remplissez-le à nouveau et renvoyez-le.
register-error-too-large = Les fichiers envoyés sont trop volumineux : rien n'a été enregistré. Vérifiez les valeurs, joignez des fichiers plus légers et renvoyez le formulaire.
register-error-files-too-large = Les fichiers envoyés sont trop volumineux : choisissez des fichiers plus légers.
register-error-form-id = Le formulaire est incomplet (son identifiant manque ou est illisible) : rien n'a été enregistré. Vérifiez les valeurs, choisissez à nouveau les fichiers et renvoyez le formulaire.
register-no-controller = Aucun responsable de traitement ne vous est attribué : vous ne pouvez pas enregistrer de demande.
register-forbidden = Votre compte permet de consulter les demandes, pas d'en enregistrer. Adressez-vous au délégué à la protection des données.

## Notices on the request page after a registration or an acknowledgment.

register-registered = Demande enregistrée.
register-already-registered = Ce formulaire avait déjà été envoyé : voici la demande qu'il a enregistrée. Rien n'a été enregistré une seconde fois.
register-ack-sent = Accusé de réception envoyé par courrier électronique.

## The acknowledgment panel of the request page.

register-ack-title = Accusé de réception
register-ack-intro = Cette demande est arrivée par courrier : accusez-en réception auprès de la personne, par courrier électronique ou par une lettre à imprimer.
register-ack-send-email = Envoyer l'accusé de réception par courrier électronique
register-ack-no-email = Aucune adresse électronique n'est connue : imprimez la lettre d'accusé de réception et envoyez-la par la poste.
register-ack-print-letter = Imprimer la lettre d'accusé de réception
register-ack-csrf = Le formulaire a expiré ou ne provient pas de cette page : aucun accusé de réception n'a été envoyé. Revenez à la demande et recommencez.
register-ack-not-possible = Cette demande ne peut pas recevoir d'accusé de réception par courrier électronique (demande en ligne, anonymisée ou sans adresse électronique) : rien n'a été envoyé.
register-ack-refused-page-title = { register-ack-title } — { desk-header }
register-ack-back = Revenir à la demande

## The request's timeline.

## The frame of every printed letter, in the requester's language.

## The acknowledgment letter, in the requester's language.

