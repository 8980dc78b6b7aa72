# Why something was refused, selected by the code the domain returns.

# An action the request's state does not allow (the transition table).
transition-refused = { $reason ->
        [closed] Cette action n'est pas possible : la demande est close.
        [withdrawn] Cette action n'est pas possible : la demande a été retirée.
        [unconfirmed] Cette action n'est pas possible : le demandeur n'a pas encore confirmé son adresse électronique.
        [identity_first] Acceptez d'abord l'identité du demandeur avant de satisfaire la demande.
        [clock_running] Cette action n'est pas possible : le délai n'est pas suspendu.
        [information_already_requested] Cette action n'est pas possible : des informations ont déjà été demandées.
        [identity_already_accepted] Cette action n'est pas possible : l'identité a déjà été acceptée.
        [email_already_confirmed] Cette action n'est pas possible : l'adresse électronique a déjà été confirmée.
        [purge_needs_closed] Cette action n'est pas possible : seule une demande close ou retirée peut être anonymisée.
        [discard_needs_unconfirmed] Cette action n'est pas possible : seule une demande non confirmée peut être supprimée.
        [anonymised] Cette action n'est pas possible : la demande a été anonymisée.
        [legal_hold] Cette action n'est pas possible : la demande est sous gel juridique et ne peut pas être purgée tant que le gel n'est pas levé.
        [already_on_hold] Cette action n'est pas possible : la demande est déjà sous gel juridique.
        [not_on_hold] Cette action n'est pas possible : la demande n'est pas sous gel juridique.
       *[not_in_status] Cette action n'est pas possible : « { $action } » n'est pas possible pour une demande au statut « { $status } ».
    }

## A value refused by the parsed types of the domain (slug, e-mail address,
## a line of text…). Lower-case fragments without a final stop: the page
## puts them after the field's name ("Prénom : ce champ est obligatoire.")
## or makes a sentence of them. $value is what was typed.

error-value-slug = identifiant `{ $value }` invalide : { $min } à { $max } lettres minuscules, chiffres et tirets simples, en commençant par une lettre
error-value-reference-prefix = préfixe de référence `{ $value }` invalide : { $min } à { $max } majuscules ou chiffres, en commençant par une lettre
error-value-email-missing = indiquez une adresse électronique
error-value-email-too-long = cette adresse électronique est trop longue ({ $max ->
        [one] { $max } caractère au plus
       *[other] { $max } caractères au plus
    })
error-value-email-invalid = indiquez une adresse électronique valide, par exemple nom@exemple.fr
error-value-required = ce champ est obligatoire
error-value-control-characters = les retours à la ligne et caractères de contrôle ne sont pas autorisés ici
error-value-too-long = { $max ->
        [one] { $max } caractère au plus
       *[other] { $max } caractères au plus
    }
error-value-unknown-locale = langue `{ $value }` inconnue (fr ou en)
error-value-unknown-role = rôle `{ $value }` inconnu (admin, dpo ou viewer)

## Why the deadline cannot be extended (GDPR art. 12(3)), for staff.

error-extension-zero = La prolongation doit être d'au moins un mois.
error-extension-too-long = Le délai ne peut être prolongé que de deux mois au total ({ $current ->
        [one] { $current } mois déjà accordé
       *[other] { $current } mois déjà accordés
    }, { $requested ->
        [one] { $requested } demandé
       *[other] { $requested } demandés
    }).
error-extension-first-month-over = Le premier mois a pris fin le { $date } : il est trop tard pour prolonger le délai.

## A receipt date staff may not register (it starts the legal clock).

error-receipt-in-future = La date de réception ne peut pas être dans le futur : aujourd'hui, nous sommes le { $today }.
error-receipt-too-old = La date de réception est trop ancienne pour être vraisemblable (plus d'un an, ou avant l'entrée en application du RGPD) : vérifiez l'année. Date la plus ancienne acceptée : { $earliest }.

## A refusal ground the desk's closing form cannot record. $code is the
## submitted code; $ground the name of a ground that takes no detail.

error-refusal-unknown-code = Motif de refus inconnu : « { $code } ».
error-refusal-invalid-letter = Un refus fondé sur l'article 17(3) doit préciser le point invoqué (a à e).
error-refusal-blank-other = Indiquez le motif du refus : la personne concernée doit en être informée (article 12(4) du RGPD).
error-refusal-unexpected-detail = Le motif « { $ground } » n'accepte pas de précision.

## A retention setting outside the privacy policy's bounds: lower-case
## fragments, shown after the setting's name. $unit is months or days,
## $count the bound, $reason why the bound exists.

error-setting-at-least = doit être d'au moins { $unit ->
        [days] { $count ->
            [one] { $count } jour
           *[other] { $count } jours
        }
       *[months] { $count } mois
    } : { $reason ->
        [policy_floor] la politique de confidentialité prévoit au minimum trois ans
        [confirmation_time] la personne doit avoir le temps de cliquer sur le lien de confirmation
       *[zero] zéro purgerait les données avant toute utilisation
    }
error-setting-at-most = doit être d'au plus { $unit ->
        [days] { $count ->
            [one] { $count } jour
           *[other] { $count } jours
        }
       *[months] { $count } mois
    } : { $reason ->
        [policy_ceiling] la politique de confidentialité prévoit treize mois au plus
        [unconfirmed_linger] une demande non confirmée n'est pas une demande et ne doit pas être conservée
       *[typo] une durée plus longue est très probablement une erreur de saisie
    }

## The administrator's list of extra public holidays.

error-holidays-not-a-date = « { $token } » n'est pas une date au format AAAA-MM-JJ.
