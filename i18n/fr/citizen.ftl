# The citizen's pages: the public form of a controller, the e-mail
# confirmation, the private status page, and the 404 page every visitor
# may meet. The reader has never heard of the GDPR: plain words.

## Shared pieces.

# The window title: the page, then the site (the controller's name).
citizen-page-title = { $page } — { $site }
# Between the names of a list ("Droit d'accès, Droit à l'effacement").
citizen-list-separator = {", "}
# After an optional field's label.
citizen-optional = (facultatif)
# A file size.
citizen-size-mb = { $count } Mo
citizen-size-kb = { $count } Ko
citizen-errors-title = Le formulaire contient des erreurs
citizen-dpo-contact = Délégué à la protection des données (DPO)

## The form.

citizen-form-title = Exercer vos droits sur vos données personnelles
citizen-form-intro = Ce formulaire vous permet d'exercer les droits que vous donne le règlement général sur la protection des données (RGPD). La demande est gratuite. Nous vous répondrons dans un délai d'un mois à compter de la confirmation de votre adresse électronique.
citizen-required-note = Les champs marqués d'un astérisque (*) sont obligatoires.
citizen-kind-legend = Quel droit souhaitez-vous exercer ?
# After the name of a right: the GDPR article that gives it ("15", "21(1)").
citizen-kind-article = (art. { $article })
# One plain sentence per right: what it gives.
citizen-kind-description = { $kind ->
        [access] Savoir si nous traitons des données vous concernant et en obtenir une copie, avec les finalités, les destinataires et la durée de conservation.
        [rectification] Faire corriger ou mettre à jour des données inexactes ou incomplètes vous concernant.
        [erasure] Faire effacer des données vous concernant, sauf lorsque la loi ou une mission de service public impose de les conserver.
        [restriction] Faire « verrouiller » vos données : elles sont conservées mais plus utilisées, par exemple le temps d'en vérifier l'exactitude.
        [portability] Recevoir les données que vous nous avez fournies dans un format réutilisable. Ce droit ne s'applique pas aux traitements nécessaires à une mission de service public.
        [objection] Vous opposer à l'utilisation de vos données pour des raisons tenant à votre situation particulière, que vous devez indiquer.
       *[marketing_objection] Ne plus recevoir de prospection (lettres d'information, sollicitations) : aucun motif n'est nécessaire.
    }
citizen-identity-legend = Vos coordonnées
citizen-first-name = Prénom
citizen-last-name = Nom
citizen-email = Adresse électronique
citizen-email-hint = Nous vous enverrons un lien pour confirmer votre demande, puis nos réponses.
citizen-postal-address = Adresse postale
citizen-details = Votre demande
citizen-details-hint = Précisez quelles données ou quel service sont concernés (par exemple : inscription à la cantine, état civil, listes électorales).
citizen-grounds = Motifs de votre opposition
citizen-grounds-hint = Obligatoire pour une opposition (art. 21) : indiquez les raisons tenant à votre situation particulière. Laissez vide pour les autres demandes.
citizen-proof = Justificatif d'identité
citizen-proof-hint = PDF, JPEG ou PNG, { $max ->
        [one] { $max } fichier
       *[other] { $max } fichiers
    } au plus. Masquez les informations inutiles (numéro du document, photo) si vous le souhaitez.
# $kinds: the names of the rights, joined by citizen-list-separator.
citizen-proof-required-for = Un justificatif est obligatoire pour : { $kinds }.
citizen-proof-not-required = Un justificatif n'est pas obligatoire ; nous pourrons vous en demander un en cas de doute raisonnable sur votre identité.
# The label of the field hidden from people (a trap for robots).
citizen-honeypot = Ne remplissez pas ce champ
citizen-submit = Envoyer ma demande
citizen-by-post = Vous pouvez aussi écrire à :
citizen-privacy-note = Les informations de ce formulaire servent uniquement à traiter votre demande. Les justificatifs d'identité sont chiffrés et supprimés à l'issue de la durée de conservation.

## What is wrong with a form, next to its field.

citizen-error-duplicated = Le champ « { $name } » a été envoyé plusieurs fois ; renvoyez le formulaire.
citizen-error-unreadable = Ce texte est trop long ou illisible.
citizen-error-kind-missing = Choisissez le droit que vous souhaitez exercer.
citizen-error-kind-unknown = Ce type de demande n'existe pas : choisissez-en un dans la liste.
citizen-error-details-missing = Décrivez votre demande : quelles données, quel service.
citizen-error-grounds-missing = Une opposition doit indiquer vos motifs : les raisons tenant à votre situation particulière.
citizen-error-proof-required = Un justificatif d'identité est obligatoire pour ce type de demande.
citizen-error-file-too-large = Chaque fichier doit faire { $size } au plus.
citizen-error-files-too-large = Les fichiers doivent faire { $size } au plus au total.
citizen-error-too-many-files = Joignez { $max ->
        [one] { $max } fichier
       *[other] { $max } fichiers
    } au plus.
citizen-error-not-a-proof = Le fichier « { $name } » n'est pas un PDF, un JPEG ou un PNG.
# The upload was so large that it was not read to the end.
citizen-error-upload-too-large = L'envoi dépasse la taille autorisée ({ $file_size } au plus par fichier, { $total_size } au total) : choisissez des fichiers plus petits. Vos autres informations ont été conservées.
# The browser sent something that is not a readable form.
citizen-error-form-unreadable = Le formulaire n'a pas pu être lu. Vérifiez vos informations, choisissez de nouveau vos fichiers éventuels et renvoyez-le.
citizen-error-files-again = Les fichiers joints ne sont pas conservés : choisissez-les de nouveau.
citizen-rate-limited = Trop de demandes ont été envoyées depuis cette adresse en peu de temps. Réessayez dans une heure.
citizen-csrf-failed = Le formulaire a expiré. Il a été rechargé : vérifiez vos informations et envoyez-le de nouveau.

## After sending the form.

citizen-submitted-title = Vérifiez votre messagerie
citizen-submitted-body = Nous vous avons envoyé un message avec un lien de confirmation. Votre demande ne sera enregistrée qu'une fois ce lien ouvert ; le délai de réponse d'un mois commence alors.
citizen-submitted-spam = Vous ne trouvez pas le message ? Regardez dans vos courriers indésirables. Le lien est valable { $hours ->
        [one] { $hours } heure
       *[other] { $hours } heures
    }.

## The confirmation link.

citizen-confirmed-notice = Votre demande est enregistrée. Un accusé de réception vous a été envoyé par courrier électronique, avec le lien privé qui permet de suivre votre demande.
citizen-already-confirmed-title = Cette demande est déjà confirmée
citizen-already-confirmed-body = Rien n'a changé. Le lien de suivi de votre demande vous a été envoyé par courrier électronique.
citizen-expired-title = Ce lien de confirmation a expiré
citizen-expired-body = Pour des raisons de sécurité, le lien n'est valable que { $hours ->
        [one] { $hours } heure
       *[other] { $hours } heures
    }. Vous pouvez recevoir un nouveau lien à la même adresse.
citizen-send-new-link = M'envoyer un nouveau lien
citizen-new-link-sent = Un nouveau lien vous a été envoyé. Il est valable { $hours ->
        [one] { $hours } heure
       *[other] { $hours } heures
    }.

## Facts about a request.

citizen-reference = Référence
citizen-kind = Type de demande
citizen-received-on = Reçue le
citizen-due-on = Réponse attendue au plus tard le
citizen-extended-until = Délai prolongé jusqu'au
citizen-extension-reason = Motif de la prolongation
citizen-closed-on = Clôturée le
citizen-outcome = Décision

## The status page.

citizen-status-title = Suivi de votre demande
citizen-status-keep-private = Ce lien est personnel : ne le partagez pas.
citizen-status-label = État
# The status in plain words, for someone who has never heard of the GDPR.
citizen-status-sentence = { $status ->
        [unconfirmed] En attente de la confirmation de votre adresse électronique.
        [received] Reçue : nous vérifions votre demande.
        [awaiting_information] Nous attendons des informations de votre part ; le délai est suspendu.
        [in_progress] En cours de traitement.
        [closed] Traitée : notre réponse vous a été envoyée.
       *[withdrawn] Retirée à votre demande.
    }
citizen-complaint = Si vous n'êtes pas satisfait de notre réponse, vous pouvez adresser une réclamation à la CNIL (www.cnil.fr) et former un recours juridictionnel.
citizen-messages-title = Échanges
citizen-from-dpo = Message du délégué à la protection des données
citizen-from-you = Votre réponse
citizen-no-messages = Aucun échange pour le moment.
citizen-reply-title = Répondre à la demande d'informations
citizen-reply-intro = Le délai de réponse est suspendu jusqu'à votre réponse. Vous pouvez joindre un justificatif.
citizen-reply-message = Votre réponse
citizen-reply-submit = Envoyer ma réponse
citizen-reply-sent = Votre réponse a bien été transmise ; le délai de traitement reprend.
citizen-error-reply-missing = Écrivez votre réponse.
citizen-error-reply-duplicated = Un champ a été envoyé plusieurs fois ; renvoyez le formulaire.
# The citizen answered, but no information is awaited any more (the DPO
# went on meanwhile, or closed the request).
citizen-error-reply-not-expected = Votre réponse n'a pas été enregistrée : nous n'attendons plus d'informations de votre part. Vous pouvez l'envoyer au délégué à la protection des données, à l'adresse indiquée en bas de page.
citizen-withdraw-title = Retirer ma demande
citizen-withdraw-intro = Si vous n'avez plus besoin d'une réponse, vous pouvez retirer votre demande. Ce retrait est définitif.
citizen-withdraw-confirm = Je confirme vouloir retirer ma demande
citizen-withdraw-submit = Retirer ma demande
citizen-withdrawn-notice = Votre demande a été retirée.
citizen-error-withdraw-confirm = Cochez la case pour confirmer le retrait.
# The request changed while the citizen was on the page.
citizen-error-changed-meanwhile = Votre demande a changé entre-temps. Vérifiez son état ci-dessus, puis recommencez si besoin.

## A page that does not exist.

citizen-not-found-title = Page introuvable
citizen-not-found-body = Ce lien n'existe pas ou n'est plus valable. Vérifiez qu'il a été copié en entier.
