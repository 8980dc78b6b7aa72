# Administration: the first-run setup page, the staff accounts and the
# controllers (public bodies) an administrator manages.

## Words every administration page shares.

# The browser tab: the page's own title, then the desk's name.
admin-page-title = { $page } — { desk-header }
admin-page-title-with-errors = { desk-errors-title } — { $page } — { desk-header }
admin-optional = optional
admin-form-expired = The form expired or did not come from this page: nothing was saved. Check the values and send again.
admin-csrf-refused = The form expired or did not come from this page: nothing was changed.

## First-run setup (the one-time link printed by `serve`).

admin-setup-title = Setting up dsr-tracker
admin-setup-intro = No account exists yet. Create the public body that receives the requests and the first administrator account; you will then be signed in to the DPO desk. This link works once.
admin-setup-controller-legend = The public body (controller)
admin-setup-admin-legend = The first administrator
admin-setup-admin-hint = This account administers the whole instance: it can create other controllers and other accounts.
admin-setup-submit = Create and sign in
admin-setup-invalid-title = Invalid setup link
admin-setup-invalid-body = This setup link is unknown or was already used. Each start of the service without any account prints a new link in its log; only the latest one works.
admin-setup-done-title = Setup already done
admin-setup-done-body = Setup is already done: a staff account exists. Sign in to the DPO desk; an administrator can create more accounts.
admin-setup-login-link = Go to the sign-in page

## A controller's fields (setup and "add a controller").

admin-field-name = Name shown to citizens
admin-field-name-hint = For example: Ville d'Issy-les-Moulineaux.
admin-field-slug = Identifier in the form's address
admin-field-slug-hint = 2 to 40 lowercase letters, digits and hyphens, starting with a letter. With "issy", the public form is at /c/issy/.
admin-field-prefix = Reference prefix
admin-field-prefix-hint = 2 to 10 capital letters or digits. Left empty: the identifier's first word in capitals (ISSY-2026-0001).
admin-field-dpo-email = E-mail address of the data protection officer
admin-field-dpo-email-hint = Shown to citizens as the contact; it also receives the alerts.
admin-field-postal = Postal address for requests by letter
admin-field-postal-hint = Shown on the public form.
admin-field-time-zone = Time zone
admin-field-time-zone-hint = IANA name, for example Europe/Paris, Indian/Reunion or America/Martinique. It sets the day a request is received and the hour of the purge.
admin-field-locale = Default language of the form and e-mails
# The languages a controller's form and mails can default to, by code.
admin-locale-name = { $locale ->
        [fr] French
       *[en] English
    }

## An account's fields.

admin-field-email = E-mail address (sign-in name)
admin-field-password = Password
admin-field-password-hint = At least { $min } characters (at most { $max }). A phrase of several words is safer and easier to remember.
admin-field-password2 = Password again
admin-field-role = Role
# Under each role's radio button: what the role may do.
admin-role-hint = { $role ->
        [admin] manages controllers, accounts and retention periods, and can handle requests
        [dpo] handles requests
       *[viewer] reads requests without acting
    }
admin-field-controllers = Controllers this account can see
admin-controllers-hint-all = Tick at least one controller. For an administrator, ticking none gives access to all of them (platform administrator).
admin-controllers-hint-scoped = Tick at least one controller, among those you are in charge of.

## Why a field was refused (shown after the field's label).

admin-time-zone-unknown = unknown time zone: enter an IANA name, for example Europe/Paris
admin-locale-unknown = choose French or English
admin-role-unknown = choose a role: administrator, DPO or read only
admin-slug-taken = this identifier is already used by another controller
admin-prefix-taken = the prefix { $taken } already belongs to another controller (references must stay unique): { $proposal }, for instance, is free
admin-email-taken = an account already exists with this address
admin-password-missing = enter a password
admin-password-too-short = the password must have at least { $min ->
        [one] { $min } character
       *[other] { $min } characters
    }
admin-password-too-long = the password must have at most { $max ->
        [one] { $max } character
       *[other] { $max } characters
    }
admin-passwords-differ = the two passwords differ: enter them again
admin-controllers-missing = tick at least one controller: a DPO or read-only account without one sees nothing
admin-controllers-missing-scoped-admin = tick at least one controller: you cannot create an administrator of the whole platform
admin-controller-outside-scope = a ticked controller is outside the controllers you are in charge of

## Staff accounts.

admin-staff-title = Staff accounts
admin-staff-intro-all = Every account of this instance.
admin-staff-intro-scoped = The accounts whose controllers are all among those you are in charge of.
admin-staff-new-link = Add an account
admin-col-email = E-mail address
admin-col-role = Role
admin-col-scope = Controllers
admin-col-state = State
admin-col-totp = Two-factor
admin-col-last-login = Last sign-in (UTC)
admin-col-actions = Actions
admin-scope-all = all
admin-scope-none = none
admin-state-active = active
admin-state-disabled = disabled
admin-totp-on = on
admin-totp-off = off
admin-never = never
admin-yourself = (you)
admin-disable-button = Disable
admin-edit-link = Edit
admin-staff-created = The account was created. Give the initial password to its holder by another channel than e-mail.
admin-staff-disabled = The account was disabled and its sessions were ended.
admin-staff-updated = The account's role and controllers were saved; they apply from its next page.
admin-staff-unchanged = Nothing changed: the account was not modified.
admin-cannot-disable-self = You cannot disable your own account: ask another administrator.
admin-cannot-edit-self = You cannot change your own role or controllers: ask another administrator.
admin-forbidden-staff = Only an administrator account can manage staff accounts. If you think you need access, ask an administrator.
admin-staff-new-title = Add a staff account
admin-staff-submit = Create the account
admin-staff-edit-title = Role and controllers of the account
# The edit page's heading: its title and the account's e-mail address.
admin-staff-edit-heading = { admin-staff-edit-title } — { $email }
admin-staff-edit-submit = Save

## Controllers.

admin-controllers-title = Controllers
admin-controllers-new-link = Add a controller
admin-no-controllers = No controller is assigned to you. Ask an administrator to assign one.
admin-col-name = Name
admin-col-slug = Identifier
admin-col-dpo = DPO contact
admin-col-time-zone = Time zone
admin-col-form = Public form
admin-col-settings = Settings
admin-public-form = Open the form
admin-retention-link = Retention periods
admin-controller-new-title = Add a controller
admin-controller-submit = Create the controller
admin-controller-created = The controller was created; its public form is online.
admin-forbidden-controllers = Only an administrator account can manage controllers.
admin-forbidden-new-controller = Only an administrator of the whole platform can create a controller. Ask them.

## The administrator's links on the desk's home page.

