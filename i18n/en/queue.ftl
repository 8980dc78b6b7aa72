# The DPO's request queue (/desk/queue), and the queue's words the desk
# home page shows (its link and the workload counts).

## The page.

queue-title = Request queue
queue-page-title = Request queue — { $header }
queue-register-link = Register a request received by post or e-mail
queue-counts-title = Requests by status ({ $total })

## Filters and search.

queue-filters-title = Filter and search
queue-all-open = Open requests (received, awaiting, in progress)
queue-all-statuses = All statuses
queue-filter-status = Status
queue-filter-kind = Right
queue-filter-channel = Channel
queue-filter-any = Any
queue-filter-overdue = Overdue
queue-filter-due-within-7 = Due within 7 days
queue-search = Search
queue-search-hint = Reference, name or e-mail address
queue-filter-submit = Apply
queue-filter-reset = Reset

## The table.

queue-col-reference = Reference
queue-col-controller = Controller
queue-col-kind = Right
queue-col-status = Status
queue-col-days-left = Days left
queue-col-channel = Channel
# A request registered without a reference yet.
queue-no-reference = (no reference)
queue-empty = No request matches.
queue-pages = Pages
queue-next-page = Next page
queue-first-page = First page
# A mail to the requester was not delivered (shown beside the status).
queue-mail-failed = Mail not delivered

## Due dates: a word beside the colour, then the days left ("d" for days).

queue-due-overdue = Overdue
queue-due-soon = Soon
queue-due-suspended = clock suspended
queue-days-short = { $days } d
queue-no-due-date = —

## The desk home page's workload, each figure a link to the queue.

queue-link = Request queue
