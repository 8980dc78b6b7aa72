# The daily digest mailed to each DPO (templates/mail/digest.txt): the
# requests that are new, due within 7 days or overdue. No personal data.

digest-subject = GDPR requests on { $date }: { $summary }
# The subject's counts, joined by digest-list: "1 overdue, 2 due within
# 7 days, 1 new".
digest-count-overdue = { $count } overdue
digest-count-due-soon = { $count } due within 7 days
digest-count-new = { $count ->
        [one] { $count } new
       *[other] { $count } new
    }
# A list grown one item at a time.
digest-list = { $list }, { $item }
digest-hello = Hello,
digest-intro = Here is the daily summary of the data protection requests you handle. This message holds no personal data of the requesters: open each request in the DPO desk.
digest-section-overdue = OVERDUE ({ $count })
digest-section-due-soon = DUE WITHIN 7 DAYS ({ $count })
digest-section-new = NEW REQUESTS ({ $count })

## Each line: reference — right — when [— suspended].

# $days: how many days past the due date (1 or more).
digest-overdue-by = { $days ->
        [1] 1 day overdue (due { $date })
       *[other] { $days } days overdue (due { $date })
    }
# $days: how many days until the due date (0 or more).
digest-due-in = { $days ->
        [0] due today, { $date }
        [1] due tomorrow, { $date }
       *[other] { $days } days left (due { $date })
    }
digest-no-due-date = no due date
digest-suspended = time limit suspended (waiting for the requester)

digest-queue = The whole queue, by due date: { $url }
digest-why = This message is sent on each day when a request is new, close to its due date or overdue.
