# The mails a requester receives (templates/mail/*.txt): one message per
# paragraph or line, in the order the mail reads. A subject is one line.

## Shared by every mail to a requester.

mail-salutation = Dear Sir or Madam,
mail-closing = Yours faithfully,
mail-signature = The data protection officer
mail-contact-dpo = If you have any questions, you can contact our data protection officer:
mail-contact-by-email = by e-mail: { $email }
# Followed by the postal address, on its own lines.
mail-contact-by-post = by post:
mail-free-of-charge = This procedure is free of charge.
# "Right of access (GDPR article 15)".
mail-right-exercised = Right exercised: { $right }
mail-received-on = Received on: { $date }
mail-due-on = Answer due by: { $date }

## Confirmation of a web submission (and a new confirmation link).

mail-confirmation-subject = Please confirm your request to { $controller }
mail-confirmation-made = A request to exercise your rights over your personal data ({ $kind }) was made to { $controller } with your e-mail address.
mail-confirmation-open-link = So that we can register it, please confirm it by opening this link:
mail-confirmation-validity = The link is valid for { $hours ->
        [one] { $hours } hour
       *[other] { $hours } hours
    }. If it has expired, open it anyway: the page lets you ask for a new link.
mail-confirmation-until-confirmed = Until it is confirmed, your request is not registered and the time limit for our answer does not run. If you did not make this request, simply ignore this message: it will be deleted automatically.

## Acknowledgment of a web request (with its status link).

mail-ack-subject = Acknowledgment of your request { $reference }
mail-ack-received = We acknowledge receipt of your request, registered under the reference { $reference }.
mail-ack-deadline = We will answer by that date at the latest, as article 12(3) of the General Data Protection Regulation (GDPR) requires. Where the complexity or number of requests makes it necessary, this period may be extended by two months: we would then tell you before it ends, with the reasons. If we need further information to identify you, the period is suspended until we receive it.
mail-ack-follow = You can follow your request, answer our questions or withdraw it at this address:
mail-ack-link-is-private = This link is private: it gives access to your request without a password. Do not share it.

## Acknowledgment of a request registered by staff (post, e-mail, in
## person): no status link.

mail-registered-received = We have received your request { $channel ->
        [email] by e-mail
        [in_person] in person
        [web] online
       *[post] by post
    } and registered it under the reference { $reference }. Please quote this reference in any correspondence.
mail-registered-deadline = We will answer by that date at the latest, as article 12(3) of the General Data Protection Regulation (GDPR) requires. Where the complexity or number of requests makes it necessary, this period may be extended by two months: we would then tell you before the end of the first month, with the reasons. If we need further information to identify you, we will ask for it; the period is then suspended until we receive it.
mail-registered-remedies = If, after contacting us, you consider that your rights are not respected, you may lodge a complaint with the French data protection authority, the CNIL (www.cnil.fr), and seek a judicial remedy.

## Where the requester follows their request, selected by $link:
## [url] the status link follows on its own line; [acknowledgment] the
## mail has no link and points to the acknowledgment that carried it;
## [letterhead] a printed letter to someone who never had the link
## (no e-mail address) points to the letter's sender block.

## Request for information.

mail-info-subject = Request { $reference }: further information needed
mail-info-needed = To handle your request { $reference }, we need the following information:
mail-info-answer = You can answer, and attach a document if needed, { $link ->
        [url] from the page of your request:
        [acknowledgment] from the page of your request, through the personal link given in the acknowledgment we sent you.
       *[letterhead] by writing to one of the addresses at the top of this letter, quoting the reference of your request.
    }
mail-info-suspended = The time limit for our answer is suspended until we receive this information; it will run again from your answer.

## Extension of the time limit (art. 12(3)).

mail-extension-subject = Request { $reference }: time limit extended
mail-extension-why = We need to extend the time limit for answering your request { $reference }, as article 12(3) of the GDPR allows where the complexity or number of requests makes it necessary.
# Followed by the DPO's reason, on its own line.
mail-extension-reason = Reason for the extension:
mail-extension-new-date = New date by which we will answer: { $date }
mail-extension-follow = { $link ->
        [url] You can follow your request at this address:
        [acknowledgment] You can follow your request through the personal link given in the acknowledgment we sent you.
       *[letterhead] If you have any questions, you can write to us at one of the addresses at the top of this letter, quoting the reference of your request.
    }

## The decision. Unless granted in full, it states the remedies
## (art. 12(4), 77 to 79).

mail-decision-subject = Answer to your request { $reference }
mail-decision-handled = We have handled your request { $reference }.
mail-decision-outcome = Decision: { $outcome }
mail-decision-ground = Ground: { $ground }
mail-decision-remedies = If you are not satisfied with this answer, you may lodge a complaint with the French supervisory authority, the CNIL (Commission nationale de l'informatique et des libertés), online at www.cnil.fr or by post: CNIL, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07. You may also seek a judicial remedy (GDPR articles 12(4) and 77 to 79).
mail-decision-contact = If you have any questions, you can contact our data protection officer: { $email }. { $link ->
        [url] Your request remains available at this address:
        [acknowledgment] Your request remains available through the personal link given in the acknowledgment we sent you.
       *[letterhead] You can also write to us at one of the addresses at the top of this letter.
    }

## Withdrawal by the requester.

mail-withdrawal-subject = Withdrawal of your request { $reference }
mail-withdrawal-recorded = We have recorded the withdrawal of your request { $reference }. It is closed and we will take no further action on it. You may make a new request at any time.
mail-withdrawal-not-you = If you did not withdraw this request yourself, please contact our data protection officer without delay: { $email }.

## The request page's "Mails to the requester" block (desk, in the staff
## member's language) and what points to a mail not delivered.

mail-list-title = Mails to the requester
mail-list-none = No mail for this request.
mail-list-subject = Subject
mail-list-queued = Queued
mail-list-state = State
mail-state-sent = Sent on { $at }
mail-state-pending = Pending (attempts: { $attempts }, next try: { $next })
mail-state-failed = Not delivered
# After "Not delivered": when, then why ($reason is mail-failure-reason).
mail-state-failed-detail = on { $at } — { $reason }
# Why a mail was not delivered, from the stored error's class; never the
# server's own text, which often quotes the address.
mail-failure-reason = { $class ->
        [permanent] address refused by the recipient's mail server
        [invalid] invalid recipient address
       *[gave_up] recipient's mail server unreachable for several days
    }
mail-failed-hint = The requester did not receive this mail. Check the address, retry, or send the answer by post.
mail-failed-banner = A mail could not be delivered to the requester: see “{ mail-list-title }”.
mail-retry = Retry now
mail-retried = The mail will be sent again.
mail-retry-forbidden = Your account is read-only: it cannot send a mail again.
mail-retry-csrf = The form has expired: reload the request page and try again.
mail-retry-not-failed = This mail has not failed: there is nothing to retry.
