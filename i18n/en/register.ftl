# Registering a request received by post or e-mail on the desk: the form
# and its errors, the acknowledgment panel of the request page, the
# timeline's events, and the printable acknowledgment letter (with the
# frame every printed letter shares).

## The link on the queue page.

## The page around the form.

register-title = Register a request received by post or e-mail
register-page-title = { register-title } — { desk-header }
register-page-title-with-errors = { desk-errors-title } — { register-title } — { desk-header }
register-intro = For a request that arrived by post or by e-mail: the deadline runs from the real date of receipt, not from the date of registration.
register-required-note = Fields marked with an asterisk (*) are required.

## The form's fields.

register-controller = Controller
register-channel = Received by
register-kind = Right exercised
# One right in the list, with its article of the GDPR: "Right of access (art. 15)".
register-kind-option = { $kind } (art. { $article })
register-received-on = Date of receipt
register-received-on-hint = The day the letter or message reached the controller (arrival stamp, date of the e-mail). The one-month period runs from that date.
register-citizen-legend = The data subject
register-first-name = First name
register-last-name = Last name
register-email = E-mail address
register-email-hint = Required for a request received by e-mail; optional for a letter.
register-postal-address = Postal address
register-postal-address-hint = Required when the e-mail address is not known: the acknowledgment and the answer must be able to reach the person.
register-locale = Language of the person
register-locale-hint = The language of the acknowledgment and of the letters.
# The languages offered, each written in itself (the same in every catalogue).
register-locale-name = { $code ->
        [fr] Français
       *[en] English
    }
register-details = What is requested
register-details-hint = What the person asks for: which data, which service. Copy or summarise the letter.
register-grounds = Grounds of the objection
register-grounds-hint = Required for an objection (GDPR article 21(1)): the reasons relating to the person's particular situation.
register-files = Scanned letter and proofs
register-files-hint = PDF, JPEG or PNG, three files at most. They are encrypted as soon as they arrive.
register-submit = Register the request
register-files-again = For your security, the files you chose were not kept: choose them again.

## What the form says when it is refused.

register-error-controller = Choose the controller from the list.
register-error-channel = Say whether the request arrived by post or by e-mail.
register-error-kind = Choose the right exercised from the list.
register-error-date-missing = Enter the date the request was received.
register-error-date-format = The date of receipt is not a valid date: use the format DD/MM/YYYY (for example 09/02/2026).
register-error-date-future = The date of receipt cannot be in the future: today is { $today }.
register-error-date-too-old = The date of receipt is too old to be plausible (more than a year ago, or before the GDPR applied): check the year. Earliest date accepted: { $earliest }.
register-error-email-required = A request received by e-mail must give the person's e-mail address.
register-error-contact-required = Enter a postal address or an e-mail address: the acknowledgment and the answer must be able to reach the person.
register-error-details = Describe the request: which data, which service.
register-error-grounds = An objection must state the person's grounds: the reasons relating to their particular situation.
register-error-locale = Choose the person's language from the list.
register-error-duplicated = A field was sent more than once; send the form again.
register-error-unreadable = This text is too long or unreadable.
register-error-csrf = The form expired or did not come from this page: nothing was registered. Check the values, choose the files again and send the form again.
register-error-malformed = The form could not be read: nothing was registered. Fill it in again and send it.
register-error-too-large = The files sent are too large: nothing was registered. Check the values, attach smaller files and send the form again.
register-error-files-too-large = The files sent are too large: choose smaller files.
register-error-form-id = The form is incomplete (its id is missing or unreadable): nothing was registered. Check the values, choose the files again and send the form again.
register-no-controller = No controller is assigned to you: you cannot register a request.
register-forbidden = Your account can read requests, not register them. Ask the data protection officer.

## Notices on the request page after a registration or an acknowledgment.

register-registered = Request registered.
register-already-registered = This form had already been sent: here is the request it registered. Nothing was registered a second time.
register-ack-sent = Acknowledgment sent by e-mail.

## The acknowledgment panel of the request page.

register-ack-title = Acknowledgment
register-ack-intro = This request arrived by post or e-mail: acknowledge it to the person, by e-mail or with a letter to print.
register-ack-send-email = Send the acknowledgment by e-mail
register-ack-no-email = No e-mail address is known: print the acknowledgment letter and send it by post.
register-ack-print-letter = Print the acknowledgment letter
register-ack-csrf = The form expired or did not come from this page: no acknowledgment was sent. Go back to the request and try again.
register-ack-not-possible = This request cannot be acknowledged by e-mail (web request, anonymised, or no e-mail address): nothing was sent.
register-ack-refused-page-title = { register-ack-title } — { desk-header }
register-ack-back = Back to the request

## The request's timeline.

## The frame of every printed letter, in the requester's language.

## The acknowledgment letter, in the requester's language.

