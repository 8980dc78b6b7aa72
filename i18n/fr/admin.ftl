# Administration: the first-run setup page, the staff accounts and the
# controllers (public bodies) an administrator manages.

## Words every administration page shares.

# The browser tab: the page's own title, then the desk's name.
admin-page-title = { $page } — { desk-header }
admin-page-title-with-errors = { desk-errors-title } — { $page } — { desk-header }
admin-optional = facultatif
admin-form-expired = Le formulaire a expiré ou ne provient pas de cette page : rien n'a été enregistré. Vérifiez les valeurs et envoyez à nouveau.
admin-csrf-refused = Le formulaire a expiré ou ne provient pas de cette page : rien n'a été modifié.

## First-run setup (the one-time link printed by `serve`).

admin-setup-title = Installation de dsr-tracker
admin-setup-intro = Aucun compte n'existe encore. Créez la collectivité qui reçoit les demandes et le premier compte administrateur ; vous serez ensuite connecté(e) à l'espace DPO. Ce lien ne sert qu'une fois.
admin-setup-controller-legend = La collectivité (responsable de traitement)
admin-setup-admin-legend = Le premier administrateur
admin-setup-admin-hint = Ce compte administre toute l'instance : il pourra créer d'autres collectivités et d'autres comptes.
admin-setup-submit = Créer et se connecter
admin-setup-invalid-title = Lien d'installation invalide
admin-setup-invalid-body = Ce lien d'installation est inconnu ou a déjà servi. Chaque démarrage du service sans aucun compte affiche un nouveau lien dans son journal ; seul le dernier est valable.
admin-setup-done-title = Installation déjà faite
admin-setup-done-body = L'installation est déjà faite : un compte du personnel existe. Connectez-vous à l'espace DPO ; un administrateur peut créer d'autres comptes.
admin-setup-login-link = Aller à la page de connexion

## A controller's fields (setup and "add a controller").

admin-field-name = Nom affiché aux citoyens
admin-field-name-hint = Par exemple : Ville d'Issy-les-Moulineaux.
admin-field-slug = Identifiant dans l'adresse du formulaire
admin-field-slug-hint = 2 à 40 lettres minuscules, chiffres et tirets, en commençant par une lettre. Avec « issy », le formulaire public est à /c/issy/.
admin-field-prefix = Préfixe des références
admin-field-prefix-hint = 2 à 10 majuscules ou chiffres. Laissé vide : le premier mot de l'identifiant en majuscules (ISSY-2026-0001).
admin-field-dpo-email = Adresse électronique du délégué à la protection des données
admin-field-dpo-email-hint = Affichée aux citoyens comme contact ; elle reçoit aussi les alertes.
admin-field-postal = Adresse postale pour les demandes par courrier
admin-field-postal-hint = Affichée sur le formulaire public.
admin-field-time-zone = Fuseau horaire
admin-field-time-zone-hint = Nom IANA, par exemple Europe/Paris, Indian/Reunion ou America/Martinique. Il fixe les jours de réception et l'heure de la purge.
admin-field-locale = Langue par défaut du formulaire et des courriels
# The languages a controller's form and mails can default to, by code.
admin-locale-name = { $locale ->
        [fr] Français
       *[en] Anglais
    }

## An account's fields.

admin-field-email = Adresse électronique (identifiant de connexion)
admin-field-password = Mot de passe
admin-field-password-hint = { $min } caractères au moins ({ $max } au plus). Une phrase de plusieurs mots est plus sûre et plus facile à retenir.
admin-field-password2 = Mot de passe, à nouveau
admin-field-role = Rôle
# Under each role's radio button: what the role may do.
admin-role-hint = { $role ->
        [admin] gère les collectivités, les comptes et les durées de conservation, et peut traiter les demandes
        [dpo] traite les demandes
       *[viewer] consulte les demandes sans agir
    }
admin-field-controllers = Collectivités accessibles
admin-controllers-hint-all = Cochez au moins une collectivité. Pour un administrateur, n'en cocher aucune lui donne accès à toutes (administrateur de la plateforme).
admin-controllers-hint-scoped = Cochez au moins une collectivité, parmi celles dont vous avez la charge.

## Why a field was refused (shown after the field's label).

admin-time-zone-unknown = fuseau horaire inconnu : indiquez un nom IANA, par exemple Europe/Paris
admin-locale-unknown = choisissez le français ou l'anglais
admin-role-unknown = choisissez un rôle : administrateur, DPO ou lecture seule
admin-slug-taken = cet identifiant est déjà utilisé par une autre collectivité
admin-prefix-taken = le préfixe { $taken } est déjà celui d'une autre collectivité (les références doivent rester uniques) : { $proposal }, par exemple, est libre
admin-email-taken = un compte existe déjà avec cette adresse
admin-password-missing = saisissez un mot de passe
admin-password-too-short = le mot de passe doit comporter au moins { $min ->
        [one] { $min } caractère
       *[other] { $min } caractères
    }
admin-password-too-long = le mot de passe doit comporter au plus { $max ->
        [one] { $max } caractère
       *[other] { $max } caractères
    }
admin-passwords-differ = les deux mots de passe sont différents : saisissez-les à nouveau
admin-controllers-missing = cochez au moins une collectivité : un compte DPO ou en lecture seule sans collectivité ne voit rien
admin-controllers-missing-scoped-admin = cochez au moins une collectivité : vous ne pouvez pas créer d'administrateur de toute la plateforme
admin-controller-outside-scope = une collectivité cochée ne fait pas partie de votre périmètre

## Staff accounts.

admin-staff-title = Comptes du personnel
admin-staff-intro-all = Tous les comptes de l'instance.
admin-staff-intro-scoped = Les comptes dont toutes les collectivités font partie de votre périmètre.
admin-staff-new-link = Ajouter un compte
admin-col-email = Adresse électronique
admin-col-role = Rôle
admin-col-scope = Collectivités
admin-col-state = État
admin-col-totp = Double authentification
admin-col-last-login = Dernière connexion (UTC)
admin-col-actions = Actions
admin-scope-all = toutes
admin-scope-none = aucune
admin-state-active = actif
admin-state-disabled = désactivé
admin-totp-on = activée
admin-totp-off = non
admin-never = jamais
admin-yourself = (vous)
admin-disable-button = Désactiver
admin-edit-link = Modifier
admin-staff-created = Le compte a été créé. Communiquez le mot de passe initial à son titulaire par un autre canal que le courriel.
admin-staff-disabled = Le compte a été désactivé et ses sessions ont été fermées.
admin-staff-updated = Le rôle et les collectivités du compte ont été enregistrés ; ils s'appliquent dès sa prochaine page.
admin-staff-unchanged = Rien n'a changé : le compte n'a pas été modifié.
admin-cannot-disable-self = Vous ne pouvez pas désactiver votre propre compte : demandez-le à un autre administrateur.
admin-cannot-edit-self = Vous ne pouvez modifier ni votre propre rôle ni vos propres collectivités : demandez-le à un autre administrateur.
admin-forbidden-staff = Seul un compte administrateur peut gérer les comptes du personnel. Si vous pensez devoir y accéder, adressez-vous à un administrateur.
admin-staff-new-title = Ajouter un compte du personnel
admin-staff-submit = Créer le compte
admin-staff-edit-title = Rôle et collectivités du compte
# The edit page's heading: its title and the account's e-mail address.
admin-staff-edit-heading = { admin-staff-edit-title } — { $email }
admin-staff-edit-submit = Enregistrer

## Controllers.

admin-controllers-title = Collectivités (responsables de traitement)
admin-controllers-new-link = Ajouter une collectivité
admin-no-controllers = Aucun responsable de traitement ne vous est attribué. Demandez à un administrateur de vous en attribuer un.
admin-col-name = Nom
admin-col-slug = Identifiant
admin-col-dpo = Contact DPO
admin-col-time-zone = Fuseau horaire
admin-col-form = Formulaire public
admin-col-settings = Paramètres
admin-public-form = Ouvrir le formulaire
admin-retention-link = Durées de conservation
admin-controller-new-title = Ajouter une collectivité
admin-controller-submit = Créer la collectivité
admin-controller-created = La collectivité a été créée ; son formulaire public est en ligne.
admin-forbidden-controllers = Seul un compte administrateur peut gérer les collectivités.
admin-forbidden-new-controller = Seul un administrateur de toute la plateforme peut créer une collectivité. Adressez-vous à lui.

## The administrator's links on the desk's home page.

