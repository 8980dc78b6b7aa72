# The staff desk: the bar on every page, login, home, account, settings,
# first-run setup, and the desk's message pages.

## The bar at the top of every staff page.

desk-bar-logged-in-as = Signed in as
desk-bar-account = My account
desk-bar-logout = Sign out

## Shared by the desk's pages.

# The name in the header of every staff page.
desk-header = dsr-tracker — DPO desk
# The browser tab's title: the page's own title, then the desk's name.
desk-page-title = { $page } — { desk-header }
# The same, when the form came back with errors.
desk-page-title-errors = { desk-errors-title } — { $page } — { desk-header }
desk-errors-title = There is a problem with the form
desk-back-home = Back to the DPO desk
desk-email = E-mail address
desk-password = Password
desk-password-missing = Enter your password.
desk-login-rate-limited = Too many sign-in attempts. Try again later, in about fifteen minutes.
desk-login-slowed = This account has had many wrong sign-in attempts, from elsewhere too. For its protection, try again in { $seconds ->
        [one] { $seconds } second.
       *[other] { $seconds } seconds.
    }

## Message pages.

desk-forbidden-title = Administrators only
desk-not-found-title = Page not found
desk-not-found-body = This page does not exist or is outside the controllers you are in charge of.

## Login and logout.

desk-login-title = Sign in to the DPO desk
desk-login-intro = For the people who handle data subject requests. Accounts are created by an administrator.
desk-login-submit = Sign in
desk-login-email-missing = Enter your e-mail address.
desk-login-failed = Incorrect e-mail address or password.
desk-login-form-expired = The form expired. Enter your credentials again.
desk-logged-out = You are signed out.
desk-session-expired = Your session expired. Sign in again.
# A logout form whose token no longer matches the session: the person is
# still signed in, and the page shows the bar's button again.
desk-logout-expired-title = Not signed out
desk-logout-expired = The form expired: you are still signed in. Use the "Sign out" button on this page.

## Two-step verification (the login form and the account page).

desk-totp-code = Verification code
desk-totp-code-login-hint = Only if two-step verification is on for your account: the 6 digits your authenticator app shows.
desk-totp-code-malformed = The verification code is 6 digits, with no letters.
desk-totp-code-needed = Your account is protected by two-step verification: enter the 6-digit code your authenticator app shows.
desk-totp-code-wrong = The verification code is incorrect. Enter the code your app shows right now (check that your phone's clock is right).
desk-totp-code-reused = This verification code was already used. Wait for your app to show the next code, then enter it.

## Home.

desk-home-title = DPO desk
desk-home-queue-link = Request queue
desk-home-workload-title = To do
# Each figure is shown just before these words, as a link to the queue.
desk-home-overdue = { $count ->
       *[other] overdue
    }
desk-home-due-soon = { $count ->
       *[other] due within 7 days
    }
desk-home-open = { $count ->
        [one] open request in all
       *[other] open requests in all
    }
desk-home-undelivered-title = Mails not delivered to the requester
desk-home-undelivered-hint = The requester's server refused these mails, or stayed unreachable for several days: check the address, retry, or send the answer by post.
desk-home-manage-staff = Staff accounts
desk-home-manage-controllers = Manage controllers
desk-home-controllers-title = Controllers
desk-home-controllers-all = You administer every controller of this instance.
desk-home-controllers-scoped = The controllers you are in charge of:
desk-home-no-controllers = No controller is assigned to you. Ask an administrator to assign one.
desk-home-col-name = Name
desk-home-col-slug = Identifier
desk-home-col-form = Public form
desk-home-col-settings = Settings
desk-home-public-form = Open the form
desk-home-retention-link = Retention periods

## Retention settings of a controller.

desk-settings-title = Retention periods
desk-settings-heading = { desk-settings-title } — { $controller }
desk-settings-intro = These periods drive the automatic purge every night. Each comes with its legal basis; values the privacy policy does not allow are refused.
desk-settings-current = Current value:
desk-settings-legal-basis = Legal basis:
desk-settings-objection-note-title = Note:
desk-settings-objection-note = Article 8 of the French code of criminal procedure has set the limitation period for offences at six years since law 2017-242 of 27 February 2017; the reference privacy policy still says three years. The default (36 months) follows the policy; enter 72 months to follow the law in force.
# The unit next to a field's label; $unit is "months" or "days".
desk-settings-unit = { $unit ->
        [days] days
       *[months] months
    }
# A period with its unit: "12 months", "1 day".
desk-settings-period = { $unit ->
        [days] { $count ->
            [one] { $count } day
           *[other] { $count } days
        }
       *[months] { $count ->
            [one] { $count } month
           *[other] { $count } months
        }
    }
desk-settings-yes = yes
desk-settings-no = no
desk-settings-not-a-number = enter a whole number, without a unit (for example 12).
desk-settings-submit = Save the periods
desk-settings-saved = The retention periods were saved.
desk-settings-unchanged = No period changed: nothing was modified.
desk-settings-expired = The form expired or did not come from this page: nothing was changed. Check the values and save again.
desk-settings-forbidden = Only an administrator account can see and change the retention periods. If you think you need access, ask an administrator.
# The name of a retention setting on the form; $field is the form field's name.
desk-setting-label = { $field ->
        [proof_months] Proofs and data of access, rectification, erasure, restriction and portability requests, after closure
        [objection_months] Proofs and case file of an objection, after closure
        [suppression_months] Suppression list (objection to direct marketing), after the objection
        [connection_data_months] Connection data (IP addresses, user agents, login records)
        [unconfirmed_days] Web submissions whose address was never confirmed
       *[delete_proof_on_identity_accepted] Delete the identity proof as soon as the identity is accepted
    }
# A short name for the messages ("Suppression list: must be …").
desk-setting-short-label = { $field ->
        [proof_months] Proofs (other than objections)
        [objection_months] Objection case files
        [suppression_months] Suppression list
        [connection_data_months] Connection data
        [unconfirmed_days] Unconfirmed submissions
       *[delete_proof_on_identity_accepted] Proof deletion
    }
# Why each setting exists and what bounds it, next to its field.
desk-setting-basis = { $field ->
        [proof_months] Identity proofs and personal data of access, rectification, erasure, restriction and portability requests are kept one year after closure: the privacy policy (art. 8) refers to the one-year limitation period of art. 9 of the French code of criminal procedure.
        [objection_months] After an objection, the identity proof and the case file are archived for the limitation period of art. 8 of the code of criminal procedure. The privacy policy says three years and the default follows it, although art. 8 has provided six years since law 2017-242; a controller may choose 72 months.
        [suppression_months] The record of an objection to direct marketing (GDPR art. 21(2)-(3)) is kept at least three years from the objection, as the privacy policy promises, so that the objection keeps being honoured; it is used for nothing else. Shorter periods are refused.
        [connection_data_months] IP addresses, user agents and connection logs are kept at most thirteen months, as the privacy policy promises for connection identifiers (CNIL recommendation on trackers). Longer periods are refused.
        [unconfirmed_days] A web submission whose e-mail address was never confirmed is not a request; storage limitation (GDPR art. 5(1)(e)) allows only a short grace period for the citizen to click the link.
       *[delete_proof_on_identity_accepted] Data minimisation (GDPR art. 5(1)(c); EDPB guidelines 01/2022 on the right of access) favours deleting an identity proof once the identity is verified. Off by default because the privacy policy keeps proofs for the periods above, as evidence of who exercised the right.
    }
# A value below the setting's floor ($min, in the setting's unit).
desk-setting-too-low = { $field ->
        [suppression_months] must be at least { $min } months: the policy says at least three years.
        [unconfirmed_days] must be at least { $min ->
            [one] { $min } day
           *[other] { $min } days
        }: the citizen needs time to click the confirmation link.
       *[other] must be at least { $min ->
            [one] { $min } month
           *[other] { $min } months
        }: zero would purge the data before anyone can use it.
    }
# A value above the setting's ceiling ($max, in the setting's unit).
desk-setting-too-high = { $field ->
        [connection_data_months] must be at most { $max } months: the policy says at most thirteen months.
        [unconfirmed_days] must be at most { $max } days: an unconfirmed submission is not a request and must not linger.
       *[other] must be at most { $max } months: a longer period is almost certainly a typing mistake.
    }

## The account page.

desk-account-title = My account
desk-account-role = Role
desk-account-password-wrong = The password is incorrect.
desk-account-expired = The form expired or did not come from this page: nothing was changed. Enter the code your app shows and your password again.
desk-totp-title = Two-step verification
desk-totp-status-on = Two-step verification is on: every sign-in asks, besides your password, for the code your authenticator app shows.
desk-totp-status-off = Two-step verification is off: your password alone signs you in. Turn it on so that a stolen password is not enough to open your account.
desk-totp-setup-title = Turn on two-step verification
desk-totp-setup-scan = In your authenticator app (for example FreeOTP, Aegis or Google Authenticator), add an account by scanning this QR code.
desk-totp-qr-alt = QR code to scan with your authenticator app
desk-totp-setup-manual = Or type this key by hand (time-based account, 6 digits, every 30 seconds):
desk-totp-setup-link = On this phone: open in the authenticator app
desk-totp-setup-confirm = To confirm, enter the code the app shows now and your password. Nothing is saved before this confirmation.
desk-totp-enable-submit = Turn on two-step verification
desk-totp-disable-title = Turn off two-step verification
desk-totp-disable-intro = Your password and the code your app shows right now are needed. If you lost your phone, ask an administrator to turn it off for you.
desk-totp-disable-submit = Turn off two-step verification
desk-totp-enabled-notice = Two-step verification is on. Your next sign-ins will ask for a code.
desk-totp-disabled-notice = Two-step verification is off.
desk-totp-code-missing = Enter the 6-digit code your app shows.
desk-totp-setup-code-wrong = The code does not match the key shown. Check that you added this key (the last one shown) and that your phone's clock is right, then enter the current code.
desk-totp-setup-expired = The set-up expired or did not come from your session: nothing was saved. A new key is shown below; add it to your app and try again.
desk-totp-already-on = Two-step verification is already on for your account: nothing was changed.
desk-totp-already-off = Two-step verification is not on for your account: nothing was changed.
desk-tokens-title = API tokens
desk-tokens-intro = A token lets another system of the controller query the API (the suppression list, for instance) with your rights, without your password. It is shown once; revoke it as soon as it is no longer needed.
desk-tokens-none = No tokens yet.
desk-tokens-expired = The form has expired or does not come from this page: nothing was changed. Try again.
desk-token-created-once = Here is your new token. Copy it now: it will never be shown again.
desk-token-name = Name
desk-token-created = Created
desk-token-expires = Expires
desk-token-last-used = Last used
desk-token-state = State
desk-token-active = active
desk-token-revoked = revoked
desk-token-expired = expired
desk-token-revoke = Revoke
desk-token-revoked-notice = The token is revoked.
desk-token-new-title = New token
desk-token-days = Valid for (days)
desk-token-days-hint = Left empty: until revoked.
desk-token-days-invalid = give a number of days between 1 and { $max }, or leave it empty
desk-token-create = Create the token
