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
