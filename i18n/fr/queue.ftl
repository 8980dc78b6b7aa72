# The DPO's request queue (/desk/queue), and the queue's words the desk
# home page shows (its link and the workload counts).

## The page.

queue-title = File des demandes
queue-page-title = File des demandes — { $header }
queue-register-link = Enregistrer une demande reçue par courrier postal ou électronique
queue-counts-title = Demandes par statut ({ $total })

## Filters and search.

queue-filters-title = Filtrer et rechercher
queue-all-open = Demandes en cours (reçues, en attente, en traitement)
queue-all-statuses = Tous les statuts
queue-filter-status = Statut
queue-filter-kind = Droit exercé
queue-filter-channel = Canal
queue-filter-any = Tous
queue-filter-overdue = En retard
queue-filter-due-within-7 = Échéance dans 7 jours ou moins
queue-search = Rechercher
queue-search-hint = Référence, nom ou adresse électronique
queue-filter-submit = Appliquer
queue-filter-reset = Réinitialiser

## The table.

queue-col-reference = Référence
queue-col-controller = Responsable
queue-col-kind = Droit
queue-col-status = Statut
queue-col-days-left = Jours restants
queue-col-channel = Canal
# A request registered without a reference yet.
queue-no-reference = (sans référence)
queue-empty = Aucune demande ne correspond.
queue-pages = Pages
queue-next-page = Page suivante
queue-first-page = Première page
# A mail to the requester was not delivered (shown beside the status).
queue-mail-failed = Courriel non remis

## Due dates: a word beside the colour, then the days left ("j" for jours).

queue-due-overdue = En retard
queue-due-soon = Bientôt
queue-due-suspended = délai suspendu
queue-days-short = { $days } j
queue-no-due-date = —

## The desk home page's workload, each figure a link to the queue.

queue-link = File des demandes
