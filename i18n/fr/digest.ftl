# The daily digest mailed to each DPO (templates/mail/digest.txt): the
# requests that are new, due within 7 days or overdue. No personal data.

digest-subject = Demandes RGPD au { $date } : { $summary }
# The subject's counts, joined by digest-list: "1 en retard, 2 à rendre
# sous 7 jours, 1 nouvelle".
digest-count-overdue = { $count } en retard
digest-count-due-soon = { $count } à rendre sous 7 jours
digest-count-new = { $count ->
        [one] { $count } nouvelle
       *[other] { $count } nouvelles
    }
# A list grown one item at a time.
digest-list = { $list }, { $item }
digest-hello = Bonjour,
digest-intro = Voici le point quotidien des demandes d'exercice des droits dont vous avez la charge. Ce message ne contient aucune donnée personnelle des demandeurs : ouvrez chaque demande dans l'espace DPO.
digest-section-overdue = EN RETARD ({ $count })
digest-section-due-soon = À RENDRE SOUS 7 JOURS ({ $count })
digest-section-new = NOUVELLES DEMANDES ({ $count })

## Each line: reference — right — when [— suspended].

# $days: how many days past the due date (1 or more).
digest-overdue-by = { $days ->
        [1] en retard d'un jour (date limite : { $date })
       *[other] en retard de { $days } jours (date limite : { $date })
    }
# $days: how many days until the due date (0 or more).
digest-due-in = { $days ->
        [0] à rendre aujourd'hui, { $date }
        [1] à rendre demain, { $date }
       *[other] { $days } jours restants (date limite : { $date })
    }
digest-no-due-date = sans date limite
digest-suspended = délai suspendu (en attente du demandeur)

digest-queue = La file complète, triée par échéance : { $url }
digest-why = Ce message est envoyé chaque jour où une demande est nouvelle, proche de son échéance ou en retard.
