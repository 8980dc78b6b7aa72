# The staff desk: the bar on every page, login, home, account, settings,
# first-run setup, and the desk's message pages.

## The bar at the top of every staff page.

desk-bar-logged-in-as = Connecté(e) en tant que
desk-bar-account = Mon compte
desk-bar-logout = Se déconnecter

## Shared by the desk's pages.

# The name in the header of every staff page.
desk-header = dsr-tracker — espace DPO
# The browser tab's title: the page's own title, then the desk's name.
desk-page-title = { $page } — { desk-header }
# The same, when the form came back with errors.
desk-page-title-errors = { desk-errors-title } — { $page } — { desk-header }
desk-errors-title = Le formulaire contient des erreurs
desk-back-home = Retour à l'accueil de l'espace DPO
desk-email = Adresse électronique
desk-password = Mot de passe
desk-password-missing = Saisissez votre mot de passe.
desk-login-rate-limited = Trop de tentatives de connexion. Réessayez plus tard, dans une quinzaine de minutes.
desk-login-slowed = Ce compte a subi de nombreuses tentatives de connexion erronées, y compris d'ailleurs. Par précaution, réessayez dans { $seconds ->
        [one] { $seconds } seconde.
       *[other] { $seconds } secondes.
    }

## Message pages.

desk-forbidden-title = Accès réservé aux administrateurs
desk-not-found-title = Page introuvable
desk-not-found-body = Cette page n'existe pas ou ne fait pas partie de votre périmètre.

## Login and logout.

desk-login-title = Connexion à l'espace DPO
desk-login-intro = Réservé aux personnes chargées des demandes d'exercice des droits. Les comptes sont créés par un administrateur.
desk-login-submit = Se connecter
desk-login-email-missing = Saisissez votre adresse électronique.
desk-login-failed = Adresse électronique ou mot de passe incorrect.
desk-login-form-expired = Le formulaire a expiré. Saisissez à nouveau vos identifiants.
desk-logged-out = Vous êtes déconnecté(e).
desk-session-expired = Votre session a expiré. Reconnectez-vous.
# A logout form whose token no longer matches the session: the person is
# still signed in, and the page shows the bar's button again.
desk-logout-expired-title = Déconnexion non effectuée
desk-logout-expired = Le formulaire a expiré : vous êtes toujours connecté(e). Utilisez le bouton « Se déconnecter » de cette page.

## Two-step verification (the login form and the account page).

desk-totp-code = Code de vérification
desk-totp-code-login-hint = Uniquement si la vérification en deux étapes est activée sur votre compte : les 6 chiffres affichés par votre application d'authentification.
desk-totp-code-malformed = Le code de vérification comporte 6 chiffres, sans lettre.
desk-totp-code-needed = Votre compte est protégé par la vérification en deux étapes : saisissez le code à 6 chiffres affiché par votre application d'authentification.
desk-totp-code-wrong = Le code de vérification est incorrect. Saisissez le code affiché en ce moment par votre application (vérifiez que l'heure de votre téléphone est juste).
desk-totp-code-reused = Ce code de vérification a déjà été utilisé. Attendez que votre application affiche le code suivant, puis saisissez-le.

## Home.

desk-home-title = Espace DPO
desk-home-queue-link = File des demandes
desk-home-workload-title = À traiter
# Each figure is shown just before these words, as a link to the queue.
desk-home-overdue = { $count ->
        [one] demande en retard
       *[other] demandes en retard
    }
desk-home-due-soon = { $count ->
        [one] demande à échéance dans 7 jours ou moins
       *[other] demandes à échéance dans 7 jours ou moins
    }
desk-home-open = { $count ->
        [one] demande en cours en tout
       *[other] demandes en cours en tout
    }
desk-home-undelivered-title = Courriels non remis au demandeur
desk-home-undelivered-hint = Le serveur du demandeur a refusé ces courriels, ou il est resté injoignable plusieurs jours : vérifiez l'adresse, réessayez, ou envoyez la réponse par courrier.
desk-home-manage-staff = Comptes du personnel
desk-home-manage-controllers = Gérer les collectivités
desk-home-controllers-title = Responsables de traitement
desk-home-controllers-all = Vous administrez tous les responsables de traitement de cette instance.
desk-home-controllers-scoped = Les responsables de traitement dont vous avez la charge :
desk-home-no-controllers = Aucun responsable de traitement ne vous est attribué. Demandez à un administrateur de vous en attribuer un.
desk-home-col-name = Nom
desk-home-col-slug = Identifiant
desk-home-col-form = Formulaire public
desk-home-col-settings = Paramètres
desk-home-public-form = Ouvrir le formulaire
desk-home-retention-link = Durées de conservation

## Retention settings of a controller.

desk-settings-title = Durées de conservation
desk-settings-heading = { desk-settings-title } — { $controller }
desk-settings-intro = Ces durées s'appliquent à la purge automatique de chaque nuit. Chacune est accompagnée de sa base juridique ; les valeurs contraires à la politique de confidentialité sont refusées.
desk-settings-current = Valeur actuelle :
desk-settings-legal-basis = Base juridique :
desk-settings-objection-note-title = À savoir :
desk-settings-objection-note = L'article 8 du code de procédure pénale fixe la prescription des délits à six ans depuis la loi n° 2017-242 du 27 février 2017 ; la politique de confidentialité de référence indique encore trois ans. La valeur par défaut (36 mois) suit la politique ; saisissez 72 mois pour suivre la loi en vigueur.
# The unit next to a field's label; $unit is "months" or "days".
desk-settings-unit = { $unit ->
        [days] jours
       *[months] mois
    }
# A period with its unit: "12 mois", "1 jour".
desk-settings-period = { $unit ->
        [days] { $count ->
            [one] { $count } jour
           *[other] { $count } jours
        }
       *[months] { $count } mois
    }
desk-settings-yes = oui
desk-settings-no = non
desk-settings-not-a-number = saisissez un nombre entier, sans unité (par exemple 12).
desk-settings-submit = Enregistrer les durées
desk-settings-saved = Les durées de conservation ont été enregistrées.
desk-settings-unchanged = Aucune durée n'a changé : rien n'a été modifié.
desk-settings-expired = Le formulaire a expiré ou ne provient pas de cette page : rien n'a été modifié. Vérifiez les valeurs et enregistrez à nouveau.
desk-settings-forbidden = Seul un compte administrateur peut consulter et modifier les durées de conservation. Si vous pensez devoir y accéder, adressez-vous à un administrateur.
# The name of a retention setting on the form; $field is the form field's name.
desk-setting-label = { $field ->
        [proof_months] Justificatifs et données des demandes d'accès, de rectification, d'effacement, de limitation et de portabilité, après la clôture
        [objection_months] Justificatifs et dossier d'une opposition, après la clôture
        [suppression_months] Liste d'opposition à la prospection, après l'opposition
        [connection_data_months] Données de connexion (adresses IP, agents utilisateurs, journaux de connexion)
        [unconfirmed_days] Demandes en ligne dont l'adresse n'a pas été confirmée
       *[delete_proof_on_identity_accepted] Supprimer le justificatif d'identité dès que l'identité est acceptée
    }
# A short name for the messages ("Liste d'opposition : doit être …").
desk-setting-short-label = { $field ->
        [proof_months] Justificatifs (hors opposition)
        [objection_months] Dossiers d'opposition
        [suppression_months] Liste d'opposition
        [connection_data_months] Données de connexion
        [unconfirmed_days] Demandes non confirmées
       *[delete_proof_on_identity_accepted] Suppression du justificatif
    }
# Why each setting exists and what bounds it, next to its field.
desk-setting-basis = { $field ->
        [proof_months] Les justificatifs d'identité et les données personnelles des demandes d'accès, de rectification, d'effacement, de limitation et de portabilité sont conservés un an après la clôture : la politique de confidentialité (art. 8) renvoie au délai de prescription d'un an de l'article 9 du code de procédure pénale.
        [objection_months] Après une opposition, le justificatif d'identité et le dossier sont archivés pendant le délai de prescription de l'article 8 du code de procédure pénale. La politique de confidentialité indique trois ans et la valeur par défaut la suit, bien que l'article 8 prévoie six ans depuis la loi n° 2017-242 ; un responsable de traitement peut choisir 72 mois.
        [suppression_months] Les informations permettant de prendre en compte une opposition à la prospection (art. 21(2)-(3) du RGPD) sont conservées au minimum trois ans à compter de l'opposition, comme le prévoit la politique de confidentialité ; elles ne servent à rien d'autre. Une durée plus courte est refusée.
        [connection_data_months] Les adresses IP, agents utilisateurs et journaux de connexion sont conservés treize mois au plus, comme le prévoit la politique de confidentialité pour les identifiants de connexion (recommandation de la CNIL sur les traceurs). Une durée plus longue est refusée.
        [unconfirmed_days] Une demande en ligne dont l'adresse électronique n'a jamais été confirmée n'est pas une demande ; le principe de limitation de la conservation (art. 5(1)(e) du RGPD) ne permet qu'un court délai pour cliquer sur le lien.
       *[delete_proof_on_identity_accepted] Le principe de minimisation (art. 5(1)(c) du RGPD ; lignes directrices 01/2022 du CEPD sur le droit d'accès) invite à supprimer le justificatif une fois l'identité vérifiée. Désactivé par défaut car la politique de confidentialité conserve les justificatifs pendant les durées ci-dessus, comme preuve de l'exercice du droit.
    }
# A value below the setting's floor ($min, in the setting's unit).
desk-setting-too-low = { $field ->
        [suppression_months] doit être d'au moins { $min } mois : la politique de confidentialité prévoit au minimum trois ans.
        [unconfirmed_days] doit être d'au moins { $min ->
            [one] { $min } jour
           *[other] { $min } jours
        } : la personne doit avoir le temps de cliquer sur le lien de confirmation.
       *[other] doit être d'au moins { $min } mois : zéro purgerait les données avant toute utilisation.
    }
# A value above the setting's ceiling ($max, in the setting's unit).
desk-setting-too-high = { $field ->
        [connection_data_months] doit être d'au plus { $max } mois : la politique de confidentialité prévoit treize mois au plus.
        [unconfirmed_days] doit être d'au plus { $max } jours : une demande non confirmée n'est pas une demande et ne doit pas être conservée.
       *[other] doit être d'au plus { $max } mois : une durée plus longue est très probablement une erreur de saisie.
    }

## The account page.

desk-account-title = Mon compte
desk-account-role = Rôle
desk-account-password-wrong = Le mot de passe est incorrect.
desk-account-expired = Le formulaire a expiré ou ne provient pas de cette page : rien n'a été modifié. Saisissez à nouveau le code affiché par votre application et votre mot de passe.
desk-totp-title = Vérification en deux étapes
desk-totp-status-on = La vérification en deux étapes est activée : chaque connexion demande, en plus du mot de passe, le code affiché par votre application d'authentification.
desk-totp-status-off = La vérification en deux étapes n'est pas activée : votre mot de passe suffit pour vous connecter. Activez-la pour qu'un mot de passe dérobé ne suffise pas à ouvrir votre compte.
desk-totp-setup-title = Activer la vérification en deux étapes
desk-totp-setup-scan = Dans votre application d'authentification (par exemple FreeOTP, Aegis ou Google Authenticator), ajoutez un compte en scannant ce code QR.
desk-totp-qr-alt = Code QR à scanner avec votre application d'authentification
desk-totp-setup-manual = Ou saisissez cette clé à la main (compte basé sur l'heure, 6 chiffres, toutes les 30 secondes) :
desk-totp-setup-link = Sur ce téléphone : ouvrir dans l'application d'authentification
desk-totp-setup-confirm = Pour confirmer, saisissez le code que l'application affiche maintenant et votre mot de passe. Rien n'est enregistré avant cette confirmation.
desk-totp-enable-submit = Activer la vérification en deux étapes
desk-totp-disable-title = Désactiver la vérification en deux étapes
desk-totp-disable-intro = Votre mot de passe et le code affiché en ce moment par votre application sont demandés. Si vous avez perdu votre téléphone, demandez à un administrateur de la désactiver pour vous.
desk-totp-disable-submit = Désactiver la vérification en deux étapes
desk-totp-enabled-notice = La vérification en deux étapes est activée. Vos prochaines connexions demanderont un code.
desk-totp-disabled-notice = La vérification en deux étapes est désactivée.
desk-totp-code-missing = Saisissez le code à 6 chiffres affiché par votre application.
desk-totp-setup-code-wrong = Le code ne correspond pas à la clé affichée. Vérifiez que vous avez ajouté cette clé-ci (la dernière affichée) et que l'heure de votre téléphone est juste, puis saisissez le code actuel.
desk-totp-setup-expired = La configuration a expiré ou ne provient pas de votre session : rien n'a été enregistré. Une nouvelle clé est affichée ci-dessous ; ajoutez-la dans votre application et recommencez.
desk-totp-already-on = La vérification en deux étapes est déjà activée sur votre compte : rien n'a été modifié.
desk-totp-already-off = La vérification en deux étapes n'est pas activée sur votre compte : rien n'a été modifié.
desk-tokens-title = Jetons d'API
desk-tokens-intro = Un jeton permet à un autre logiciel de la collectivité d'interroger l'API (par exemple la liste d'opposition) avec vos droits, sans votre mot de passe. Il n'est affiché qu'une fois ; révoquez-le dès qu'il ne sert plus.
desk-tokens-none = Aucun jeton pour l'instant.
desk-tokens-expired = Le formulaire a expiré ou ne provient pas de cette page : rien n'a été modifié. Recommencez.
desk-token-created-once = Voici votre nouveau jeton. Copiez-le maintenant : il ne sera plus jamais affiché.
desk-token-name = Nom
desk-token-created = Créé le
desk-token-expires = Expire le
desk-token-last-used = Dernière utilisation
desk-token-state = État
desk-token-active = actif
desk-token-revoked = révoqué
desk-token-expired = expiré
desk-token-revoke = Révoquer
desk-token-revoked-notice = Le jeton est révoqué.
desk-token-new-title = Nouveau jeton
desk-token-days = Durée de validité en jours
desk-token-days-hint = Laissé vide : jusqu'à sa révocation.
desk-token-days-invalid = indiquez un nombre de jours entre 1 et { $max }, ou laissez vide
desk-token-create = Créer le jeton
