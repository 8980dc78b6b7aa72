# Printable letters to a requester (templates/desk/letter*.html,
# step_letter.html): written in the request's language. A step's letter
# carries the text of its mail (mail.ftl); the acknowledgment letter has
# its own. Plus the request page's "Letters to print" block, in the staff
# member's language.

## The request page's block.

letter-panel-title = Letters to print
letter-panel-intro = Every message sent to the requester can also be printed and sent by post.
# Emphasised when the requester has no e-mail address.
letter-panel-no-email = The requester has no e-mail address: print these letters and send them by post.
letter-panel-none = No letter yet: the request for information, the extension and the decision will appear here.
letter-print-decision = Print the decision letter
letter-print-extension = Print the extension letter
letter-print-information = Print the request for information of { $date }

## What every letter shows around its body.

letter-back = Back to the request
letter-print-hint = Print this page (Ctrl+P or ⌘+P): only the letter is printed.
letter-from-dpo = Data protection officer
# The day it is printed, under the addresses.
letter-date = { $date }
letter-subject = Subject: { $subject }

## The acknowledgment letter of a request registered by staff.

letter-ack-title = Acknowledgment letter { $reference }
letter-ack-subject = Subject: acknowledgment of your request { $reference }
letter-ack-received = We acknowledge receipt of your request about your personal data, registered under the reference below. Please quote this reference in any correspondence.
letter-ack-reference = Reference
letter-ack-right = Right exercised
letter-ack-received-on = Received on
letter-ack-due-on = Answer due by
letter-ack-next-steps = We will answer by that date at the latest, as article 12(3) of the General Data Protection Regulation (GDPR) requires. Where the complexity or number of requests makes it necessary, this period may be extended by two months: we would then tell you before the end of the first month, with the reasons.
letter-ack-identity = If we need further information to identify you, we will ask for it; the period is then suspended until we receive it.
letter-ack-rights-title = Your rights
letter-ack-rights = You may exercise your rights of access, rectification, erasure, restriction, portability and objection (GDPR articles 15 to 21). This procedure is free of charge.
letter-ack-cnil = If, after contacting us, you consider that your rights are not respected, you may lodge a complaint with the French data protection authority (Commission nationale de l'informatique et des libertés, CNIL), 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, France, www.cnil.fr, and seek a judicial remedy.
