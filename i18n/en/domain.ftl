# Names of the fixed vocabularies of a request (kinds, statuses, outcomes,
# channels, actions, refusal grounds), selected by their stored code.

## Dates, written out in full as in a letter ($weekday: 1 = Monday).

date-long = { $weekday ->
        [1] Monday
        [2] Tuesday
        [3] Wednesday
        [4] Thursday
        [5] Friday
        [6] Saturday
       *[7] Sunday
    } { $day } { $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    } { $year }

## The right exercised (GDPR articles 15 to 21).

request-kind = { $kind ->
        [access] Right of access
        [rectification] Right to rectification
        [erasure] Right to erasure
        [restriction] Right to restriction of processing
        [portability] Right to data portability
        [objection] Right to object
       *[marketing_objection] Objection to direct marketing
    }

request-channel = { $channel ->
        [web] Web form
        [email] E-mail
        [post] Post
       *[in_person] In person
    }

request-status = { $status ->
        [unconfirmed] Unconfirmed
        [received] Received
        [awaiting_information] Awaiting information
        [in_progress] In progress
        [closed] Closed
       *[withdrawn] Withdrawn
    }

request-outcome = { $outcome ->
        [granted] Granted
        [partially_granted] Partially granted
       *[refused] Refused
    }

request-action = { $action ->
        [confirm_email] Confirm e-mail address
        [accept_identity] Accept identity
        [request_information] Request information
        [resume_clock] Resume the clock
        [extend] Extend the deadline
        [add_note] Add a note
        [notify_recipients] Notify recipients
        [close_granted] Close: granted
        [close_partially_granted] Close: partially granted
        [close_refused] Close: refused
        [withdraw] Withdraw
        [place_legal_hold] Place a legal hold
        [lift_legal_hold] Lift the legal hold
        [purge] Anonymise (purge)
       *[discard_unconfirmed] Discard unconfirmed submission
    }

## Refusal grounds (art. 12(4): the reasons must be given).

art17-3-letter = { $letter ->
        [a] freedom of expression and information
        [b] legal obligation or task in the public interest
        [c] public interest in public health
        [d] archiving in the public interest, research or statistics
       *[e] establishment, exercise or defence of legal claims
    }

refusal-ground-text = { $ground ->
        [identity_not_established] your identity could not be established
        [manifestly_unfounded] the request is manifestly unfounded or excessive
        [art20_3] the right to data portability does not apply to processing necessary for a task carried out in the public interest
       *[no_data_held] we hold no data about you
    }

refusal-erasure-exception = erasure does not apply: { $exception }

with-gdpr-article = { $text } (GDPR article { $article })

## Punctuation shared by every area.

# A field's label and its message: "First name: required".
label-and-message = { $label }: { $message }

## Staff roles.

staff-role = { $role ->
        [admin] administrator
        [dpo] DPO
       *[viewer] read only
    }
