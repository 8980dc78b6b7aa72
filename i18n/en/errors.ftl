# Why something was refused, selected by the code the domain returns.

# An action the request's state does not allow (the transition table).
transition-refused = { $reason ->
        [closed] This action is not possible: the request is closed.
        [withdrawn] This action is not possible: the request was withdrawn.
        [unconfirmed] This action is not possible: the requester has not confirmed their e-mail address yet.
        [identity_first] Accept the requester's identity before granting the request.
        [clock_running] This action is not possible: the time limit is not suspended.
        [information_already_requested] This action is not possible: information has already been asked for.
        [identity_already_accepted] This action is not possible: the identity has already been accepted.
        [email_already_confirmed] This action is not possible: the e-mail address has already been confirmed.
        [purge_needs_closed] This action is not possible: only a closed or withdrawn request can be anonymised.
        [discard_needs_unconfirmed] This action is not possible: only an unconfirmed request can be deleted.
        [anonymised] This action is not possible: the request has been anonymised.
        [legal_hold] This action is not possible: the request is under legal hold and cannot be purged until the hold is lifted.
        [already_on_hold] This action is not possible: the request is already under legal hold.
        [not_on_hold] This action is not possible: the request is not under legal hold.
       *[not_in_status] This action is not possible: “{ $action }” cannot be done to a request with status “{ $status }”.
    }

## A value refused by the parsed types of the domain (slug, e-mail address,
## a line of text…). Lower-case fragments without a final stop: the page
## puts them after the field's name ("First name: this field is required.")
## or makes a sentence of them. $value is what was typed.

error-value-slug = invalid slug `{ $value }`: use { $min } to { $max } lowercase letters, digits and single hyphens, starting with a letter
error-value-reference-prefix = invalid reference prefix `{ $value }`: { $min } to { $max } capital letters or digits, starting with a letter
error-value-email-missing = enter an e-mail address
error-value-email-too-long = this e-mail address is too long ({ $max ->
        [one] { $max } character at most
       *[other] { $max } characters at most
    })
error-value-email-invalid = enter a valid e-mail address, like name@example.fr
error-value-required = this field is required
error-value-control-characters = line breaks and control characters are not allowed here
error-value-too-long = { $max ->
        [one] { $max } character at most
       *[other] { $max } characters at most
    }
error-value-unknown-locale = unknown locale `{ $value }` (fr or en)
error-value-unknown-role = unknown role `{ $value }` (admin, dpo or viewer)

## Why the deadline cannot be extended (GDPR art. 12(3)), for staff.

error-extension-zero = The extension must be of at least one month.
error-extension-too-long = The time limit can only be extended by two months in total ({ $current ->
        [one] { $current } month already granted
       *[other] { $current } months already granted
    }, { $requested } asked for).
error-extension-first-month-over = The first month ended on { $date }: it is too late to extend the time limit.

## A receipt date staff may not register (it starts the legal clock).

error-receipt-in-future = The date of receipt cannot be in the future: today is { $today }.
error-receipt-too-old = The date of receipt is too old to be plausible (more than a year ago, or before the GDPR applied): check the year. Earliest date accepted: { $earliest }.

## A refusal ground the desk's closing form cannot record. $code is the
## submitted code; $ground the name of a ground that takes no detail.

error-refusal-unknown-code = Unknown refusal ground: “{ $code }”.
error-refusal-invalid-letter = A refusal under article 17(3) must name the point relied on (a to e).
error-refusal-blank-other = State the reason for the refusal: the data subject must be told it (article 12(4) GDPR).
error-refusal-unexpected-detail = The ground “{ $ground }” takes no detail.

## A retention setting outside the privacy policy's bounds: lower-case
## fragments, shown after the setting's name. $unit is months or days,
## $count the bound, $reason why the bound exists.

error-setting-at-least = must be at least { $unit ->
        [days] { $count ->
            [one] { $count } day
           *[other] { $count } days
        }
       *[months] { $count ->
            [one] { $count } month
           *[other] { $count } months
        }
    }: { $reason ->
        [policy_floor] the policy says at least three years
        [confirmation_time] the citizen needs time to click the confirmation link
       *[zero] zero would purge the data before anyone can use it
    }
error-setting-at-most = must be at most { $unit ->
        [days] { $count ->
            [one] { $count } day
           *[other] { $count } days
        }
       *[months] { $count ->
            [one] { $count } month
           *[other] { $count } months
        }
    }: { $reason ->
        [policy_ceiling] the policy says at most thirteen months
        [unconfirmed_linger] an unconfirmed submission is not a request and must not linger
       *[typo] a longer period is almost certainly a typing mistake
    }

## The administrator's list of extra public holidays.

error-holidays-not-a-date = “{ $token }” is not a date in the YYYY-MM-DD form.
