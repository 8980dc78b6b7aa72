# The request page of the desk (/desk/requests/{id}): `request-page-` for
# the page, `action-` for the action forms and why an action was refused.

## The page.

request-page-title = Request { $reference } — { $header }
request-page-heading = Request { $reference }
request-page-back-to-queue = Back to the request queue
request-page-sec-summary = The request
request-page-sec-citizen = What the data subject sent
request-page-sec-dates = Dates and deadline
request-page-sec-decision = Decision
request-page-sec-messages = Messages and notes
request-page-sec-proofs = Identity proofs
request-page-sec-timeline = History
request-page-reference = Reference
request-page-controller = Controller
request-page-kind = Right
# After the right exercised: the article of the GDPR that grants it.
request-page-kind-article = (art. { $article })
request-page-channel = Channel
request-page-status = Status
request-page-first-name = First name
request-page-last-name = Last name
request-page-email = E-mail address
request-page-address = Postal address
request-page-details = Details
request-page-grounds = Grounds (particular situation)
request-page-submitted = Submitted on
request-page-received = Received on
request-page-due = Due
request-page-identity-accepted = Identity accepted on
request-page-extension = Extension
request-page-closed = Closed on
request-page-outcome = Answer
request-page-refusal = Refusal ground
request-page-legal-hold = Legal hold
# An empty fact.
request-page-none = —
request-page-yes = yes
request-page-anonymised = Anonymised request: the personal data was deleted.
# A date and the time of day, as the timeline and the messages show them.
request-page-date-time = { $date } { $time }
# The length of an extension.
request-page-months = { $months ->
        [one] { $months } month
       *[other] { $months } months
    }

## How far the due date is, beside it.

request-page-due-overdue = { $days ->
        [one] Overdue by { $days } day
       *[other] Overdue by { $days } days
    }
request-page-due-left = { $days ->
        [one] { $days } day left
       *[other] { $days } days left
    }
request-page-due-soon = Soon
request-page-due-suspended = Clock suspended

## Messages and notes.

request-page-no-messages = No message.
request-page-msg-to-citizen = Message to the data subject
request-page-msg-from-citizen = Message from the data subject
request-page-msg-internal = Internal note (never shown to the data subject)

## Identity proofs.

request-page-no-proofs = No proof.
request-page-proofs-purged = Proofs deleted on { $date }
request-page-col-file = File
request-page-col-type = Type
request-page-col-size = Size
request-page-col-date = Received on
request-page-download = Download
request-page-size-bytes = { $bytes ->
        [one] { $bytes } byte
       *[other] { $bytes } bytes
    }
request-page-size-kb = { $size } KB
# 1.5 MB: the whole part and the tenths.
request-page-size-mb = { $whole }.{ $tenths } MB

## The history (audit trail), each event by its code ($event: the code
## with "-" for ".").

request-page-no-events = No event.
request-page-col-when = When
request-page-col-who = Who
request-page-col-what = What
request-page-who-citizen = the data subject
request-page-who-system = the system
request-page-who-staff = a staff member
request-page-event = { $event ->
        [request-submitted] Submitted online
        [request-confirmed] E-mail address confirmed
        [request-confirmation_link_renewed] Confirmation link sent again
        [request-information_received] Information received
        [request-withdrawn] Request withdrawn
        [request-registered] Request registered by the DPO
        [request-acknowledged] Acknowledgment sent by e-mail
        [request-acknowledgment_letter_viewed] Acknowledgment letter displayed
        [request-letter_viewed] Letter displayed for printing
        [mail-failed] Mail not delivered to the requester
        [mail-retried] Failed mail sent again
        [proof-viewed] Proof viewed
        [desk-out_of_scope_access] Access attempt outside scope
        [desk-request_out_of_scope] Action attempt outside scope
        [purge-anonymised] Request anonymised (purge)
        [purge-proofs_deleted] Proofs deleted (purge)
       *[other] { $code }
    }

## The close form's answer template.

# Which template prefills the answer ($lang: the template's language).
request-page-answer-template = { $lang ->
        [fr] Prefilled with the French answer template: replace every passage in square brackets before sending.
       *[en] Prefilled with the English answer template: replace every passage in square brackets before sending.
    }
# The link to the template in the other language ($lang).
request-page-answer-switch = { $lang ->
        [fr] Use the French template (replaces the text in the field)
       *[en] Use the English template (replaces the text in the field)
    }

## The action forms.

action-heading = Actions
action-required-note = Fields marked with an asterisk (*) are required.
action-recorded = Action recorded.
action-read-only = Your account can read this request, not act on it.
action-none-now = No action is possible on this request in its current status.
action-accept-hint = The requester's identity is established (GDPR article 12(6)): the request can be handled.
action-info-message = Message to the requester
action-info-hint = Sent to the requester by e-mail. The time limit is suspended until they reply.
action-info-hint-no-email = The requester has no e-mail address: the message is recorded here but not sent; send it by post. The time limit is suspended until they reply.
action-no-email = The requester has no e-mail address: nothing is sent to them; send them this text by post.
action-info-submit = Send the request for information
action-resume-hint = The information asked for has arrived (or the wait is over): the time limit runs again and the due date is worked out again.
action-extend-hint = GDPR article 12(3): two months at most in all, decided within the first month; the requester is told, with the reason.
action-extend-length = Length of the extension
action-extend-months = { $months ->
        [one] { $months } month
       *[other] { $months } months
    }
action-extend-reason = Reason given to the requester
action-close-title = Answer and close the request
action-close-decision = Decision
action-close-ground = Ground for refusal (required for a refusal, even a partial one)
# The options of the refusal ground select, by code ("none": no ground).
action-ground-option = { $ground ->
        [none] None (request granted)
        [identity_not_established] Identity not established (articles 12(6) and 11(2))
        [manifestly_unfounded] Manifestly unfounded or excessive request (article 12(5))
        [art17_3] Exception to erasure (article 17(3)) — choose the point below
        [art20_3] Portability does not apply to a task carried out in the public interest (article 20(3))
        [no_data_held] No data held
       *[other] Other ground — state it below
    }
action-close-ground-hint = Unless the request is granted in full, the answer always tells the requester they may complain to the CNIL and seek a judicial remedy.
action-close-letter = Point of article 17(3) (for an exception to erasure)
action-close-detail = Ground (for “Other ground”)
action-close-answer = Answer to the requester
action-close-answer-hint = Sent by e-mail with the decision.
action-close-submit = Send the answer and close
action-recipients-title = Notify the recipients (article 19)
action-recipients = Recipients notified, one per line
action-recipients-submit = Record that the recipients were notified
action-note-title = Add an internal note
action-note = Note (never shown to the requester)
action-note-submit = Add the note
action-hold-reason = Reason for the hold (litigation, CNIL inspection…)
action-lift-hint = The retention periods apply again.

## A refused action: the request page again, the form as it was sent, the
## message beside its field and summed up at the top.

action-viewer-forbidden = Your account can read requests, not act on them. Ask the data protection officer.
action-invalid-title = Action not recorded
action-not-allowed-title = Action not possible
action-stale-title = Request changed meanwhile
action-expired-title = Form expired
action-nothing-changed = Nothing was changed.
# Under the messages, when what was typed is back in its form.
action-typed-kept = What you typed is kept in the form below: correct it, then send it again.
# When the form it was typed in is no longer offered (the request changed).
action-typed-intro = The text you had typed, to copy it back:
action-expired = The form has expired or does not come from this page: nothing was changed.
action-stale = Someone else changed this request while you were looking at it: your action was not recorded. The page shows where it stands now.
# The most recent event of the history, after a stale version.
action-stale-last = Last change: “{ $what }”, { $who }, { $when }.
action-incomplete = The form is incomplete (the request's version is missing): reload the page.
action-too-large = The form sent is too large to be read: each text is limited to { $max } characters.
action-required = { $field ->
        [message] The message to the requester is required.
        [note] The text of the note is required.
        [hold_reason] The reason for the legal hold is required.
        [recipients] The list of recipients notified is required.
        [extend_reason] The reason for the extension is required.
       *[answer] The text of the answer is required.
    }
action-too-long = { $field ->
        [message] The message to the requester
        [note] The text of the note
        [hold_reason] The reason for the legal hold
        [recipients] The list of recipients notified
        [extend_reason] The reason for the extension
        [refusal_detail] The ground for the refusal
       *[answer] The text of the answer
    } is longer than { $max } characters (it has { $count }): shorten it.
action-art19-kinds = Notifying recipients (article 19 GDPR) only concerns requests for rectification, erasure or restriction.
action-extend-months-invalid = Choose an extension of one or two months.
action-extend-no-receipt = The request has no date of receipt: its time limit cannot be extended.
action-extend-zero = The extension must be of at least one month.
action-extend-too-long = The time limit can only be extended by two months in total (already { $current ->
        [one] { $current } month
       *[other] { $current } months
    }, { $requested ->
        [one] { $requested } month
       *[other] { $requested } months
    } asked for).
action-extend-too-late = The first month ended on { $ended }: it is too late to extend the time limit.
action-close-outcome-missing = Choose the decision: granted, partially granted or refused.
action-close-needs-ground = A refusal, even a partial one, must state its ground (article 12(4) GDPR).
action-ground-not-for-kind = This refusal ground does not apply to a request of type “{ $kind }”.
action-ground-unknown = Unknown refusal ground: “{ $code }”.
action-ground-letter = A refusal under article 17(3) must name the point relied on (a to e).
action-ground-blank-other = State the reason for the refusal: the data subject must be told it (article 12(4) GDPR).
action-ground-no-detail = The ground “{ $ground }” takes no detail: leave this field empty.
action-answer-placeholder = The answer still holds a passage of the template to complete (in square brackets, “[À compléter” or “[To be completed”): replace it before sending.
