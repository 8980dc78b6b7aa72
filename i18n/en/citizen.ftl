# The citizen's pages: the public form of a controller, the e-mail
# confirmation, the private status page, and the 404 page every visitor
# may meet. The reader has never heard of the GDPR: plain words.

## Shared pieces.

# The window title: the page, then the site (the controller's name).
citizen-page-title = { $page } — { $site }
# Between the names of a list ("Right of access, Right to erasure").
citizen-list-separator = {", "}
# After an optional field's label.
citizen-optional = (optional)
# A file size.
citizen-size-mb = { $count } MB
citizen-size-kb = { $count } KB
citizen-errors-title = There is a problem with the form
citizen-dpo-contact = Data protection officer (DPO)

## The form.

citizen-form-title = Exercise your rights over your personal data
citizen-form-intro = This form lets you exercise the rights the General Data Protection Regulation (GDPR) gives you. It is free of charge. We will answer within one month of the confirmation of your e-mail address.
citizen-required-note = Fields marked with an asterisk (*) are required.
citizen-kind-legend = Which right do you want to exercise?
# After the name of a right: the GDPR article that gives it ("15", "21(1)").
citizen-kind-article = (art. { $article })
# One plain sentence per right: what it gives.
citizen-kind-description = { $kind ->
        [access] Find out whether we process data about you and get a copy, with the purposes, recipients and retention period.
        [rectification] Have inaccurate or incomplete data about you corrected or updated.
        [erasure] Have data about you erased, unless the law or a public task requires us to keep it.
        [restriction] Have your data "locked": kept but no longer used, for example while its accuracy is checked.
        [portability] Receive the data you gave us in a reusable format. This right does not apply to processing needed for a public task.
        [objection] Object to the use of your data on grounds relating to your particular situation, which you must state.
       *[marketing_objection] Stop receiving direct marketing (newsletters, solicitations): no grounds are needed.
    }
citizen-identity-legend = Your details
citizen-first-name = First name
citizen-last-name = Last name
citizen-email = E-mail address
citizen-email-hint = We will send you a link to confirm your request, then our answers.
citizen-postal-address = Postal address
citizen-details = Your request
citizen-details-hint = Say which data or which service it concerns (for example: school canteen, civil registry, electoral roll).
citizen-grounds = Grounds for your objection
citizen-grounds-hint = Required for an objection (art. 21): give the reasons relating to your particular situation. Leave empty for other requests.
citizen-proof = Proof of identity
citizen-proof-hint = PDF, JPEG or PNG, { $max ->
        [one] { $max } file
       *[other] { $max } files
    } at most. You may hide information we do not need (document number, photo).
# $kinds: the names of the rights, joined by citizen-list-separator.
citizen-proof-required-for = A proof of identity is required for: { $kinds }.
citizen-proof-not-required = A proof of identity is not required; we may ask for one if we have reasonable doubts about your identity.
# The label of the field hidden from people (a trap for robots).
citizen-honeypot = Do not fill in this field
citizen-submit = Send my request
citizen-by-post = You can also write to:
citizen-privacy-note = The information in this form is used only to handle your request. Proofs of identity are encrypted and deleted when their retention period ends.

## What is wrong with a form, next to its field.

citizen-error-duplicated = The field "{ $name }" was sent more than once; send the form again.
citizen-error-unreadable = This text is too long or unreadable.
citizen-error-kind-missing = Choose the right you want to exercise.
citizen-error-kind-unknown = This type of request does not exist: choose one from the list.
citizen-error-details-missing = Describe your request: which data, which service.
citizen-error-grounds-missing = An objection must state your grounds: the reasons relating to your particular situation.
citizen-error-proof-required = A proof of identity is required for this type of request.
citizen-error-file-too-large = Each file must be { $size } at most.
citizen-error-files-too-large = The files must be { $size } at most in total.
citizen-error-too-many-files = Attach { $max ->
        [one] { $max } file
       *[other] { $max } files
    } at most.
citizen-error-not-a-proof = The file "{ $name }" is not a PDF, JPEG or PNG.
# The upload was so large that it was not read to the end.
citizen-error-upload-too-large = The upload exceeds the allowed size ({ $file_size } at most per file, { $total_size } in total): choose smaller files. Your other details have been kept.
# The browser sent something that is not a readable form.
citizen-error-form-unreadable = The form could not be read. Check your details, choose your files again if you had any, and send it again.
citizen-error-files-again = Attached files are not kept: choose them again.
citizen-rate-limited = Too many requests were sent from this address in a short time. Try again in an hour.
citizen-csrf-failed = The form had expired. It has been reloaded: check your details and send it again.

## After sending the form.

citizen-submitted-title = Check your mailbox
citizen-submitted-body = We have sent you a message with a confirmation link. Your request is registered only once you open it; the one-month deadline starts then.
citizen-submitted-spam = Cannot find the message? Look in your spam folder. The link is valid for { $hours ->
        [one] { $hours } hour
       *[other] { $hours } hours
    }.

## The confirmation link.

citizen-confirmed-notice = Your request is registered. An acknowledgment has been sent to you by e-mail, with the private link to follow your request.
citizen-already-confirmed-title = This request is already confirmed
citizen-already-confirmed-body = Nothing has changed. The link to follow your request was sent to you by e-mail.
citizen-expired-title = This confirmation link has expired
citizen-expired-body = For security, the link is valid for { $hours ->
        [one] { $hours } hour
       *[other] { $hours } hours
    } only. You can receive a new link at the same address.
citizen-send-new-link = Send me a new link
citizen-new-link-sent = A new link has been sent to you. It is valid for { $hours ->
        [one] { $hours } hour
       *[other] { $hours } hours
    }.

## Facts about a request.

citizen-reference = Reference
citizen-kind = Type of request
citizen-received-on = Received on
citizen-due-on = Answer due by
citizen-extended-until = Deadline extended to
citizen-extension-reason = Reason for the extension
citizen-closed-on = Closed on
citizen-outcome = Decision

## The status page.

citizen-status-title = Your request
citizen-status-keep-private = This link is personal: do not share it.
citizen-status-label = Status
# The status in plain words, for someone who has never heard of the GDPR.
citizen-status-sentence = { $status ->
        [unconfirmed] Waiting for the confirmation of your e-mail address.
        [received] Received: we are checking your request.
        [awaiting_information] We are waiting for information from you; the deadline is suspended.
        [in_progress] Being handled.
        [closed] Handled: our answer has been sent to you.
       *[withdrawn] Withdrawn at your request.
    }
citizen-complaint = If you are not satisfied with our answer, you may lodge a complaint with the CNIL (www.cnil.fr) and seek a judicial remedy.
citizen-messages-title = Messages
citizen-from-dpo = Message from the data protection officer
citizen-from-you = Your reply
citizen-no-messages = No messages yet.
citizen-reply-title = Answer the request for information
citizen-reply-intro = The deadline is suspended until you answer. You may attach a proof of identity.
citizen-reply-message = Your answer
citizen-reply-submit = Send my answer
citizen-reply-sent = Your answer has been sent; the deadline runs again.
citizen-error-reply-missing = Write your answer.
citizen-error-reply-duplicated = A field was sent more than once; send the form again.
# The citizen answered, but no information is awaited any more (the DPO
# went on meanwhile, or closed the request).
citizen-error-reply-not-expected = Your answer was not recorded: we are no longer waiting for information from you. You can send it to the data protection officer at the address at the bottom of the page.
citizen-withdraw-title = Withdraw my request
citizen-withdraw-intro = If you no longer need an answer, you can withdraw your request. This cannot be undone.
citizen-withdraw-confirm = I confirm that I want to withdraw my request
citizen-withdraw-submit = Withdraw my request
citizen-withdrawn-notice = Your request has been withdrawn.
citizen-error-withdraw-confirm = Tick the box to confirm the withdrawal.
# The request changed while the citizen was on the page.
citizen-error-changed-meanwhile = Your request changed in the meantime. Check its status above, then try again if needed.

## A page that does not exist.

citizen-not-found-title = Page not found
citizen-not-found-body = This link does not exist or is no longer valid. Check that it was copied in full.
