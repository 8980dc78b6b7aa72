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
